//! The successor map (`templates/successors.csv`): which unit took over a
//! unit that was merged or dissolved, and from which day. It lets a period
//! attribute a predecessor's return to its successor, a cumulative report
//! roll predecessors' figures up under their successors, a plan that names a
//! predecessor give the task to its successor, and the report list dissolved
//! units (the districts, from 1/7/2025) as dissolved instead of "chưa gửi".

use super::DirectoryError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The map shipped with the tool.
pub const DEFAULT_CSV: &str = include_str!("../../templates/successors.csv");
/// File name of the map beside the directory files.
pub const FILE_NAME: &str = "successors.csv";

/// One change: `old` ends the day before `from`; `new` answers for it since
/// (none: dissolved, its tasks and areas spread over other units).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub old: String,
    pub new: Option<String>,
    pub from: NaiveDate,
    pub note: String,
}

impl Change {
    /// "hợp nhất vào STC từ 01/03/2025" / "giải thể từ 01/07/2025".
    pub fn describe(&self, name_of: &dyn Fn(&str) -> String) -> String {
        let when = crate::period::dmy(self.from);
        match &self.new {
            Some(n) => format!("từ {when} do {} ({n}) đảm nhận", name_of(n)),
            None => format!("đã giải thể từ {when}"),
        }
    }
}

/// The whole map, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Successors {
    pub changes: Vec<Change>,
}

impl Successors {
    pub fn embedded() -> Successors {
        Successors::from_csv(DEFAULT_CSV).expect("the embedded successors.csv is valid")
    }

    /// Reads a map file; errors name the file, line and column.
    pub fn load(path: &Path) -> anyhow::Result<Successors> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!("Không đọc được bảng đơn vị kế thừa {}: {e}", path.display())
        })?;
        Successors::from_csv(&text).map_err(|errs| {
            let lines: Vec<String> = errs.iter().map(|e| format!("  - {e}")).collect();
            anyhow::anyhow!(
                "Bảng đơn vị kế thừa {} có {} lỗi, hãy sửa rồi chạy lại:\n{}",
                path.display(),
                errs.len(),
                lines.join("\n")
            )
        })
    }

    /// Parses `old,new,from,note` rows, collecting every error.
    pub fn from_csv(text: &str) -> Result<Successors, Vec<DirectoryError>> {
        let body = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(body.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map(|h| h.iter().map(|s| s.trim().to_string()).collect())
            .unwrap_or_default();
        let col = |name: &str| header.iter().position(|h| h == name);
        let (Some(old_i), Some(new_i), Some(from_i)) = (col("old"), col("new"), col("from")) else {
            return Err(vec![DirectoryError {
                line: 1,
                column: "-".into(),
                message: "dòng tiêu đề phải có các cột old, new, from (và note)".into(),
            }]);
        };
        let note_i = col("note");
        let mut changes = Vec::new();
        let mut errors = Vec::new();
        for (n, record) in reader.records().enumerate() {
            let line = n + 2;
            let Ok(r) = record else {
                errors.push(DirectoryError {
                    line,
                    column: "-".into(),
                    message: "dòng CSV không hợp lệ".into(),
                });
                continue;
            };
            let get = |i: usize| r.get(i).map(crate::text::clean).unwrap_or_default();
            if r.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let old = get(old_i);
            if old.is_empty() {
                errors.push(DirectoryError {
                    line,
                    column: "old".into(),
                    message: "mã đơn vị cũ bị trống".into(),
                });
                continue;
            }
            let Ok(from) = NaiveDate::parse_from_str(&get(from_i), "%Y-%m-%d") else {
                errors.push(DirectoryError {
                    line,
                    column: "from".into(),
                    message: format!(
                        "ngày «{}» không hợp lệ; viết dạng NĂM-THÁNG-NGÀY, ví dụ 2025-07-01",
                        get(from_i)
                    ),
                });
                continue;
            };
            let new = get(new_i);
            changes.push(Change {
                old,
                new: (!new.is_empty()).then_some(new),
                from,
                note: note_i.map(get).unwrap_or_default(),
            });
        }
        if errors.is_empty() {
            Ok(Successors { changes })
        } else {
            Err(errors)
        }
    }

    /// The change that ended `old`, if any.
    pub fn of(&self, old: &str) -> Option<&Change> {
        self.changes.iter().find(|c| c.old == old)
    }

    /// The unit answering for `code` on `date`, following chains (A → B →
    /// C) of changes in force by then; `None` when the line ends in a
    /// dissolution. A code with no change in force answers for itself.
    pub fn heir_on(&self, code: &str, date: NaiveDate) -> Option<String> {
        let mut current = code.to_string();
        for _ in 0..=self.changes.len() {
            match self.of(&current).filter(|c| c.from <= date) {
                None => return Some(current),
                Some(c) => match &c.new {
                    Some(n) => current = n.clone(),
                    None => return None,
                },
            }
        }
        Some(current)
    }

    /// Changes that took effect after `start` and on or before `end`.
    pub fn within(&self, start: NaiveDate, end: NaiveDate) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(move |c| c.from > start && c.from <= end)
    }

    /// The predecessors that `code` took over, with their change.
    pub fn predecessors_of<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Change> {
        self.changes
            .iter()
            .filter(move |c| c.new.as_deref() == Some(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::ymd;

    #[test]
    fn embedded_map_follows_the_2025_changes() {
        let s = Successors::embedded();
        assert_eq!(
            s.heir_on("SKHDT", ymd(2025, 2, 28)).as_deref(),
            Some("SKHDT")
        );
        assert_eq!(s.heir_on("SKHDT", ymd(2025, 3, 1)).as_deref(), Some("STC"));
        assert_eq!(
            s.heir_on("STNMT", ymd(2026, 1, 1)).as_deref(),
            Some("SNNMT")
        );
        assert_eq!(
            s.heir_on("SNNPTNT", ymd(2026, 1, 1)).as_deref(),
            Some("SNNMT")
        );
        assert_eq!(s.heir_on("H522", ymd(2025, 6, 30)).as_deref(), Some("H522"));
        assert_eq!(s.heir_on("H522", ymd(2025, 7, 1)), None);
        assert_eq!(s.heir_on("STP", ymd(2026, 1, 1)).as_deref(), Some("STP"));
        let ends: Vec<&str> = s
            .within(ymd(2024, 12, 15), ymd(2025, 12, 14))
            .map(|c| c.old.as_str())
            .collect();
        assert_eq!(ends.len(), 7 + 13);
        assert_eq!(s.predecessors_of("SNNMT").count(), 2);
    }

    #[test]
    fn chains_are_followed_and_errors_named() {
        let s =
            Successors::from_csv("old,new,from,note\nA,B,2025-01-01,\nB,C,2026-01-01,\n").unwrap();
        assert_eq!(s.heir_on("A", ymd(2025, 6, 1)).as_deref(), Some("B"));
        assert_eq!(s.heir_on("A", ymd(2026, 6, 1)).as_deref(), Some("C"));
        let errs = Successors::from_csv("old,new,from\nA,B,1/3/2025\n,C,2025-01-01\n").unwrap_err();
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(text[0].starts_with("dòng 2, cột «from»") && text[0].contains("1/3/2025"));
        assert!(text[1].starts_with("dòng 3, cột «old»"));
    }
}
