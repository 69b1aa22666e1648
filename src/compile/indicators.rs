//! Indicator totals: figures summed across the counted returns; rates
//! recomputed from the summed numerators and denominators
//! (`Indicator::numerator/denominator`), never averaged. A plain percentage
//! without a formula has no province total (its per-agency values stay in
//! the workbook).

use crate::form::indicators::{Catalogue, Kind};
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

/// Re-checks the catalogue's identities (`sum(left) == sum(right)`) on the
/// province totals. Returns the breaks as Vietnamese notes for the
/// compilation's own output, and the codes involved, which the report's
/// text then leaves out (never printing an implausible total).
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
    let mut notes = Vec::new();
    let mut codes = Vec::new();
    for id in &catalogue.identities {
        let side = |cs: &[String]| -> Option<f64> {
            let vs: Vec<f64> = cs.iter().filter_map(value).collect();
            (vs.len() == cs.len()).then(|| vs.iter().sum())
        };
        let (Some(l), Some(r)) = (side(&id.left), side(&id.right)) else {
            continue;
        };
        if (l - r).abs() > 0.5 {
            notes.push(format!(
                "Số liệu toàn tỉnh không khớp quan hệ «{}»: vế trái {}, vế phải {}; các chỉ số liên quan không đưa vào lời văn báo cáo, cần kiểm tra lại số liệu của các đơn vị.",
                id.description,
                crate::text::number(l),
                crate::text::number(r)
            ));
            codes.extend(id.left.iter().chain(&id.right).cloned());
        }
    }
    codes.sort();
    codes.dedup();
    (notes, codes)
}
