//! Indicator totals: figures summed across the counted returns; rates
//! recomputed from the summed numerators and denominators
//! (`Indicator::numerator/denominator`), never averaged. A plain percentage
//! without a formula has no province total (its per-agency values stay in
//! the workbook).

use crate::form::indicators::{Catalogue, Compare, Kind, Side};
use serde::Serialize;
use std::collections::BTreeMap;

/// One indicator's province-wide figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorTotal {
    pub code: String,
    pub group: String,
    pub name: String,
    pub unit: String,
    /// Sum of the reported values, or the recomputed rate (percent).
    pub total: Option<f64>,
    /// Number of counted returns reporting a value.
    pub reporters: usize,
    /// For a rate: summed numerator and denominator.
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

impl IndicatorTotal {
    pub fn is_rate(&self) -> bool {
        self.denominator.is_some()
    }
}

/// The totals of one level (provincial units, districts, communes): rates
/// recomputed from that level's own sums.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelTotals {
    pub level: crate::agencies::Level,
    /// "Cấp tỉnh", "Cấp xã"…
    pub label: String,
    pub totals: Vec<IndicatorTotal>,
}

/// Sums per level beside the province-wide ones.
#[derive(Debug, Clone, Default)]
pub struct LevelSums {
    by_level: BTreeMap<crate::agencies::Level, Sums>,
}

impl LevelSums {
    pub fn add(&mut self, level: crate::agencies::Level, figures: &BTreeMap<String, f64>) {
        self.by_level.entry(level).or_default().add(figures);
    }

    /// One entry per level that reported, in level order; only indicators
    /// that level reports.
    pub fn totals(&self, catalogue: &Catalogue) -> Vec<LevelTotals> {
        self.by_level
            .iter()
            .map(|(level, sums)| LevelTotals {
                level: *level,
                label: level.label().to_string(),
                totals: sums
                    .totals(catalogue)
                    .into_iter()
                    .filter(|t| {
                        catalogue
                            .get(&t.code)
                            .is_some_and(|i| i.scope.includes(*level))
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Running sums; fed one return at a time.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    sum: BTreeMap<String, f64>,
    reporters: BTreeMap<String, usize>,
}

impl Sums {
    pub fn add(&mut self, figures: &BTreeMap<String, f64>) {
        for (code, v) in figures {
            if v.is_finite() {
                *self.sum.entry(code.clone()).or_default() += v;
                *self.reporters.entry(code.clone()).or_default() += 1;
            }
        }
    }

    /// Totals in catalogue order.
    pub fn totals(&self, catalogue: &Catalogue) -> Vec<IndicatorTotal> {
        let summed = |codes: &[String]| codes.iter().filter_map(|c| self.sum.get(c)).sum::<f64>();
        catalogue
            .indicators
            .iter()
            .map(|i| {
                let reporters = self.reporters.get(&i.code).copied().unwrap_or(0);
                let (total, numerator, denominator) = if !i.denominator.is_empty() {
                    let (n, d) = (summed(&i.numerator), summed(&i.denominator));
                    let rate = (d > 0.0).then(|| 100.0 * n / d);
                    (rate, Some(n), Some(d))
                } else if i.kind == Kind::Percent {
                    (None, None, None)
                } else {
                    (self.sum.get(&i.code).copied(), None, None)
                };
                IndicatorTotal {
                    code: i.code.clone(),
                    group: i.group.clone(),
                    name: i.name.clone(),
                    unit: i.unit.clone(),
                    total,
                    reporters,
                    numerator,
                    denominator,
                }
            })
            .collect()
    }
}

/// Re-checks the catalogue's relations on the province totals: identities
/// (`sum(left) == sum(right)`) and part ≤ whole relations. A relation bounded
/// by a unit's own commune count has no province-wide counterpart and is left
/// to intake. Returns the breaks as Vietnamese notes for the compilation's own
/// output, and the codes involved, which the report's text then leaves out
/// (never printing an implausible total).
pub fn check_totals(
    catalogue: &Catalogue,
    totals: &[IndicatorTotal],
) -> (Vec<String>, Vec<String>) {
    let value = |code: &String| {
        totals
            .iter()
            .find(|t| &t.code == code && !t.is_rate())
            .and_then(|t| t.total)
    };
    let side = |cs: &[String]| -> Option<f64> {
        let vs: Vec<f64> = cs.iter().filter_map(value).collect();
        (vs.len() == cs.len()).then(|| vs.iter().sum())
    };
    let mut notes = Vec::new();
    let mut codes = Vec::new();
    for check in catalogue.checks() {
        let Side::Codes(right) = check.right else {
            continue;
        };
        let (Some(l), Some(r)) = (side(check.left), side(right)) else {
            continue;
        };
        if !check.holds(l, r) {
            let (left_name, right_name) = match check.compare {
                Compare::Equal => ("vế trái", "vế phải"),
                Compare::AtMost => ("phần", "tổng"),
            };
            notes.push(format!(
                "Số liệu toàn tỉnh không khớp quan hệ «{}»: {left_name} {}, {right_name} {}; các chỉ số liên quan không đưa vào lời văn báo cáo, cần kiểm tra lại số liệu của các đơn vị.",
                check.description,
                crate::text::number(l),
                crate::text::number(r)
            ));
            codes.extend(check.codes().cloned());
        }
    }
    codes.sort();
    codes.dedup();
    (notes, codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(code: &str, value: f64) -> IndicatorTotal {
        IndicatorTotal {
            code: code.to_string(),
            group: String::new(),
            name: code.to_string(),
            unit: String::new(),
            total: Some(value),
            reporters: 1,
            numerator: None,
            denominator: None,
        }
    }

    #[test]
    fn a_part_larger_than_its_whole_in_the_totals_is_a_note_and_suspect() {
        let cat = Catalogue::embedded();
        let totals = [total("VB_RASOAT", 166.0), total("VB_TRAIPHAP", 170.0)];
        let (notes, codes) = check_totals(&cat, &totals);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("trái pháp luật"), "{}", notes[0]);
        assert!(notes[0].contains("phần 170, tổng 166"), "{}", notes[0]);
        assert_eq!(codes, vec!["VB_RASOAT", "VB_TRAIPHAP"]);
    }

    #[test]
    fn totals_that_keep_every_relation_give_no_note() {
        let cat = Catalogue::embedded();
        let totals = [
            total("VB_RASOAT", 166.0),
            total("VB_TRAIPHAP", 7.0),
            total("BM_DVSN", 149.0),
            total("TC_DVSN_TUCHU", 149.0),
            // Bounded by each unit's own communes: left to intake.
            total("XA_SODONVI", 100_000.0),
        ];
        assert_eq!(check_totals(&cat, &totals), (vec![], vec![]));
    }

    #[test]
    fn self_financing_units_beyond_units_break_the_relation() {
        let cat = Catalogue::embedded();
        let totals = [total("BM_DVSN", 149.0), total("TC_DVSN_TUCHU", 163.0)];
        let (notes, codes) = check_totals(&cat, &totals);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("phần 163, tổng 149"), "{}", notes[0]);
        assert_eq!(codes, vec!["BM_DVSN", "TC_DVSN_TUCHU"]);
    }
}
