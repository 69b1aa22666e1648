//! Reporting periods: the four CCHC reports of a year (quý I, 6 tháng, quý III,
//! năm; or 9 tháng), each with its Vietnamese label, calendar span, data window
//! (thời gian chốt số liệu) and the agencies' due date with grace days. The
//! schedule is configuration (`templates/periods.toml`), embedded as default.

use crate::plan::{Deadline, When};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const DEFAULT_TOML: &str = include_str!("../../templates/periods.toml");

/// One kind of period in the schedule file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodKind {
    /// `Q1`, `H1`, `Q3`, `9M`, `Y`.
    pub code: String,
    /// `quý I`, `6 tháng đầu năm`, …
    pub label: String,
    pub end_month: u32,
    /// Data window from the start of the year (15/12 of the year before), or
    /// from the end of the previous quarter.
    pub cumulative: bool,
}

/// The schedule: period kinds and deadline rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub due_day: u32,
    pub grace_days: u32,
    pub province_due_day: u32,
    pub window_start_day: u32,
    pub window_end_day: u32,
    #[serde(rename = "period")]
    pub kinds: Vec<PeriodKind>,
}

/// A concrete reporting period, e.g. quý I năm 2024.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// `2024-Q1`.
    pub id: String,
    pub year: i32,
    pub kind: PeriodKind,
    /// First and last day of the calendar span the report covers.
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Data window (thời gian chốt số liệu).
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    /// When agencies must have sent their return, and the last day still
    /// counted on time (due + grace days).
    pub due: NaiveDate,
    pub due_with_grace: NaiveDate,
    /// When the province's report is due at Bộ Nội vụ (the report's date).
    pub province_due: NaiveDate,
}

impl Schedule {
    pub fn embedded() -> Schedule {
        Schedule::from_toml(DEFAULT_TOML).expect("the embedded periods.toml is valid")
    }

    pub fn load(path: &Path) -> anyhow::Result<Schedule> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!("Không đọc được lịch kỳ báo cáo {}: {e}", path.display())
        })?;
        Schedule::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    pub fn from_toml(text: &str) -> anyhow::Result<Schedule> {
        let s: Schedule = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!("lịch kỳ báo cáo không đúng cú pháp TOML: {e}"))?;
        for day in [
            s.due_day,
            s.province_due_day,
            s.window_start_day,
            s.window_end_day,
        ] {
            anyhow::ensure!((1..=28).contains(&day), "ngày {day} phải trong khoảng 1–28");
        }
        for k in &s.kinds {
            anyhow::ensure!(
                (1..=12).contains(&k.end_month),
                "kỳ {}: tháng cuối kỳ {} không hợp lệ",
                k.code,
                k.end_month
            );
        }
        Ok(s)
    }

    /// Parses `2024-Q1`, `2024-H1`, `2024-Q3`, `2024-9M`, `2024-Y` (case-insensitive).
    pub fn period(&self, id: &str) -> anyhow::Result<Period> {
        let bad = || {
            let codes: Vec<&str> = self.kinds.iter().map(|k| k.code.as_str()).collect();
            anyhow::anyhow!(
                "Kỳ báo cáo «{id}» không hợp lệ. Viết dạng NĂM-KỲ, ví dụ 2024-Q1; các kỳ: {}",
                codes.join(", ")
            )
        };
        let (year, code) = id.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        anyhow::ensure!((2000..=2100).contains(&year), bad());
        let kind = self
            .kinds
            .iter()
            .find(|k| k.code.eq_ignore_ascii_case(code))
            .ok_or_else(bad)?;
        Ok(self.build(year, kind))
    }

    /// The periods of a year in schedule order.
    pub fn periods_of(&self, year: i32) -> Vec<Period> {
        self.kinds.iter().map(|k| self.build(year, k)).collect()
    }

    fn build(&self, year: i32, kind: &PeriodKind) -> Period {
        let end = last_day_of_month(year, kind.end_month);
        let start = if kind.cumulative {
            ymd(year, 1, 1)
        } else {
            first_day_of_month(year, kind.end_month + 1 - 3)
        };
        let window_start = if kind.cumulative {
            ymd(year - 1, 12, self.window_start_day)
        } else {
            let (y, m) = prev_month(year, kind.end_month + 1 - 3);
            ymd(y, m, self.window_start_day)
        };
        let due = ymd(year, kind.end_month, self.due_day);
        Period {
            id: format!("{year}-{}", kind.code),
            year,
            kind: kind.clone(),
            start,
            end,
            window_start,
            window_end: ymd(year, kind.end_month, self.window_end_day),
            due,
            due_with_grace: due + Duration::days(self.grace_days as i64),
            province_due: ymd(year, kind.end_month, self.province_due_day),
        }
    }

    /// The period after `p` in the same year's schedule (the last one rolls to
    /// the next year's first), skipping kinds that end in the same month.
    pub fn next_after(&self, p: &Period) -> Period {
        let later = self
            .kinds
            .iter()
            .filter(|k| k.end_month > p.kind.end_month)
            .min_by_key(|k| k.end_month);
        match later {
            Some(k) => self.build(p.year, k),
            None => self.build(p.year + 1, &self.kinds[0]),
        }
    }
}

impl Period {
    /// "quý I năm 2024".
    pub fn label(&self) -> String {
        // "6 tháng đầu năm" and "năm" already end with the word "năm".
        if self.kind.label.ends_with("năm") {
            format!("{} {}", self.kind.label, self.year)
        } else {
            format!("{} năm {}", self.kind.label, self.year)
        }
    }

    /// "Quý I năm 2024".
    pub fn title(&self) -> String {
        let l = self.label();
        let mut c = l.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => l,
        }
    }

    /// Is a task due in this period? True when a milestone's due date falls in
    /// the calendar span, or the task recurs / is ongoing within the year.
    pub fn is_due(&self, deadline: &Deadline) -> bool {
        deadline
            .milestones
            .iter()
            .any(|m| match (&m.when, m.due_by) {
                (When::Monthly { year } | When::Quarterly { year } | When::Ongoing { year }, _) => {
                    *year == self.year
                }
                (_, Some(d)) => d >= self.start && d <= self.end,
                _ => false,
            })
    }

    /// Is a date inside the data window?
    pub fn in_window(&self, d: NaiveDate) -> bool {
        d >= self.window_start && d <= self.window_end
    }
}

pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn first_day_of_month(y: i32, m: u32) -> NaiveDate {
    ymd(y, m, 1)
}

fn prev_month(y: i32, m: u32) -> (i32, u32) {
    if m == 1 {
        (y - 1, 12)
    } else {
        (y, m - 1)
    }
}

/// Last day of a month.
pub fn last_day_of_month(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1).pred_opt().expect("valid date")
}

/// Last day of a quarter (1–4).
pub fn last_day_of_quarter(y: i32, q: u32) -> NaiveDate {
    last_day_of_month(y, q * 3)
}

/// Formats a date the Vietnamese way, `20/3/2024` style with zero-padded day
/// and month (`05/03/2024`), as used in tables.
pub fn dmy(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_match_the_2024_table() {
        let s = Schedule::embedded();
        let cases = [
            ("2024-Q1", (2023, 12, 15), (2024, 3, 14)),
            ("2024-H1", (2023, 12, 15), (2024, 6, 14)),
            ("2024-Q3", (2024, 6, 15), (2024, 9, 14)),
            ("2024-Y", (2023, 12, 15), (2024, 12, 14)),
        ];
        for (id, (y1, m1, d1), (y2, m2, d2)) in cases {
            let p = s.period(id).unwrap();
            assert_eq!(p.window_start, ymd(y1, m1, d1), "{id}");
            assert_eq!(p.window_end, ymd(y2, m2, d2), "{id}");
            assert_eq!(p.province_due.day(), 20);
        }
        let q1 = s.period("2024-q1").unwrap();
        assert_eq!(q1.title(), "Quý I năm 2024");
        assert_eq!(s.period("2024-H1").unwrap().label(), "6 tháng đầu năm 2024");
        assert_eq!(s.period("2024-Y").unwrap().label(), "năm 2024");
        assert_eq!(q1.due, ymd(2024, 3, 15));
        assert_eq!(q1.due_with_grace, ymd(2024, 3, 17));
        assert_eq!(s.period("2024-9M").unwrap().window_end, ymd(2024, 9, 14));
    }

    #[test]
    fn bad_ids_are_explained() {
        let s = Schedule::embedded();
        let e = s.period("2024-Q5").unwrap_err().to_string();
        assert!(e.contains("2024-Q5") && e.contains("Q1"), "{e}");
        assert!(s.period("Q1").is_err());
    }

    #[test]
    fn next_period_follows_the_schedule() {
        let s = Schedule::embedded();
        assert_eq!(s.next_after(&s.period("2024-Q1").unwrap()).id, "2024-H1");
        assert_eq!(s.next_after(&s.period("2024-Y").unwrap()).id, "2025-Q1");
    }
}
