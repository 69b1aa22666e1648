//! The intake ledger (sổ tiếp nhận): every file seen for a period, with the
//! status it ends up in and why. Per agency the latest accepted file counts;
//! earlier accepted files are superseded, identical re-sends are duplicates,
//! files for another period and rejected files stay listed. Nothing is dropped
//! and the order does not depend on the order files were read in.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One file as seen by intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerInput {
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Agency code read from the file, when known.
    pub agency: Option<String>,
    /// Period id read from the file, when known.
    pub period: Option<String>,
    /// When the file was received (file date, a date in its name, or a list).
    pub received: NaiveDateTime,
    /// Did intake accept the file (no blocking error)?
    pub accepted: bool,
    /// Why it was rejected (Vietnamese), empty when accepted.
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// What became of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// The latest accepted file of its agency: it counts.
    Accepted,
    /// Accepted, but a later accepted file of the same agency replaces it.
    Superseded,
    /// Same bytes as a file received earlier.
    Duplicate,
    /// Intake found blocking errors, or the sender is unknown.
    Rejected,
    /// A return for another period.
    OtherPeriod,
    /// Received, but the file could not be read at all (not a workbook,
    /// damaged, encrypted, too large, unreadable on disk): the unit must
    /// send it again. Never "not sent".
    Unreadable,
}

impl EntryStatus {
    pub fn label(self) -> &'static str {
        match self {
            EntryStatus::Accepted => "Được tính",
            EntryStatus::Superseded => "Đã được thay thế",
            EntryStatus::Duplicate => "Trùng lặp",
            EntryStatus::Rejected => "Bị từ chối",
            EntryStatus::OtherPeriod => "Không thuộc kỳ này",
            EntryStatus::Unreadable => UNREADABLE,
        }
    }

    /// The unit must send a (new) return: rejected or unreadable.
    pub fn must_resend(self) -> bool {
        matches!(self, EntryStatus::Rejected | EntryStatus::Unreadable)
    }
}

/// The status of a file received but not readable.
pub const UNREADABLE: &str = "Đã gửi, không đọc được — phải gửi lại";

/// Does a rejected file's list of reasons say it could not be read at all?
/// File-level findings (rule codes F…) are the only ones given to a file
/// that was never read as a workbook.
pub fn is_unreadable(reasons: &[String]) -> bool {
    !reasons.is_empty() && reasons.iter().all(|r| r.starts_with('F'))
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// One-based position in the ledger.
    pub seq: usize,
    pub path: String,
    pub sha256: String,
    pub agency: Option<String>,
    pub period: Option<String>,
    pub received: NaiveDateTime,
    pub status: EntryStatus,
    /// Why, in Vietnamese.
    pub reason: String,
    /// The file that replaces or duplicates this one, if any.
    pub related: Option<String>,
}

impl LedgerEntry {
    pub fn counted(&self) -> bool {
        self.status == EntryStatus::Accepted
    }
}

/// The ledger of one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub period: String,
    pub entries: Vec<LedgerEntry>,
}

impl Ledger {
    /// Builds the ledger of `period` from every file seen, in any order.
    pub fn build(period: &str, inputs: Vec<LedgerInput>) -> Ledger {
        let mut inputs = inputs;
        inputs.sort_by(|a, b| {
            (a.received, &a.path, &a.sha256).cmp(&(b.received, &b.path, &b.sha256))
        });
        let mut first_of_hash: HashMap<&str, usize> = HashMap::new();
        let mut decided: Vec<(EntryStatus, String, Option<String>)> = Vec::new();
        for (i, f) in inputs.iter().enumerate() {
            // A file that could not even be hashed (a dangling link, a
            // FIFO) duplicates nothing.
            let first = if f.sha256.is_empty() {
                i
            } else {
                *first_of_hash.entry(f.sha256.as_str()).or_insert(i)
            };
            decided.push(if first != i {
                duplicate(&inputs[first])
            } else {
                classify(f, period)
            });
        }
        supersede(&inputs, &mut decided);
        let mut entries: Vec<LedgerEntry> = inputs
            .into_iter()
            .zip(decided)
            .map(|(f, (status, reason, related))| LedgerEntry {
                seq: 0,
                path: f.path,
                sha256: f.sha256,
                agency: f.agency,
                period: f.period,
                received: f.received,
                status,
                reason,
                related,
            })
            .collect();
        entries.sort_by(|a, b| {
            (a.agency.is_none(), &a.agency, a.received, &a.path).cmp(&(
                b.agency.is_none(),
                &b.agency,
                b.received,
                &b.path,
            ))
        });
        for (i, e) in entries.iter_mut().enumerate() {
            e.seq = i + 1;
        }
        Ledger {
            period: period.to_string(),
            entries,
        }
    }

    /// The files that count, one per agency.
    pub fn counted(&self) -> impl Iterator<Item = &LedgerEntry> {
        self.entries.iter().filter(|e| e.counted())
    }

    /// Does the file with this path and hash count?
    pub fn is_counted(&self, path: &str, sha256: &str) -> bool {
        self.counted().any(|e| e.path == path && e.sha256 == sha256)
    }

    /// The counted file of an agency.
    pub fn counted_for(&self, agency: &str) -> Option<&LedgerEntry> {
        self.counted().find(|e| e.agency.as_deref() == Some(agency))
    }

    /// All entries of an agency, in ledger order.
    pub fn of_agency<'a>(&'a self, agency: &'a str) -> impl Iterator<Item = &'a LedgerEntry> {
        self.entries
            .iter()
            .filter(move |e| e.agency.as_deref() == Some(agency))
    }

    /// How many entries have this status.
    pub fn count(&self, status: EntryStatus) -> usize {
        self.entries.iter().filter(|e| e.status == status).count()
    }
}

fn duplicate(first: &LedgerInput) -> (EntryStatus, String, Option<String>) {
    (
        EntryStatus::Duplicate,
        format!(
            "Trùng nội dung (cùng mã băm SHA-256) với tệp «{}» nhận lúc {}; chỉ tính một lần.",
            first.path,
            when(first.received)
        ),
        Some(first.path.clone()),
    )
}

fn classify(f: &LedgerInput, period: &str) -> (EntryStatus, String, Option<String>) {
    if let Some(p) = f
        .period
        .as_deref()
        .filter(|p| !p.eq_ignore_ascii_case(period))
    {
        let reason = format!("Báo cáo kỳ {p}, không phải kỳ {period}.");
        return (EntryStatus::OtherPeriod, reason, None);
    }
    if !f.accepted && is_unreadable(&f.reasons) {
        return (EntryStatus::Unreadable, f.reasons.join("; "), None);
    }
    if !f.accepted {
        let reason = if f.reasons.is_empty() {
            "Không đạt kiểm tra.".to_string()
        } else {
            f.reasons.join("; ")
        };
        return (EntryStatus::Rejected, reason, None);
    }
    if f.agency.is_none() {
        let reason = "Không xác định được đơn vị gửi báo cáo.".to_string();
        return (EntryStatus::Rejected, reason, None);
    }
    // An accepted file's reasons are notes (e.g. accepted on the office's
    // explicit decision although identified by content only).
    let mut reason = "Hợp lệ; là báo cáo mới nhất của đơn vị.".to_string();
    for note in &f.reasons {
        reason += " ";
        reason += note;
    }
    (EntryStatus::Accepted, reason, None)
}

/// Among accepted files of an agency, all but the latest become superseded.
fn supersede(inputs: &[LedgerInput], decided: &mut [(EntryStatus, String, Option<String>)]) {
    let mut latest: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, f) in inputs.iter().enumerate() {
        if decided[i].0 == EntryStatus::Accepted {
            // Inputs are sorted by received time, so the last one wins.
            latest.insert(f.agency.as_deref().unwrap_or_default(), i);
        }
    }
    for (i, f) in inputs.iter().enumerate() {
        if decided[i].0 != EntryStatus::Accepted {
            continue;
        }
        let winner = latest[f.agency.as_deref().unwrap_or_default()];
        if winner != i {
            let w = &inputs[winner];
            decided[i] = (
                EntryStatus::Superseded,
                format!(
                    "Đã được thay bằng tệp «{}» nhận lúc {}.",
                    w.path,
                    when(w.received)
                ),
                Some(w.path.clone()),
            );
        }
    }
}

/// `14/03/2024 09:30`.
pub fn when(t: NaiveDateTime) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

/// When a file was received: the explicit list's time, else a date written
/// in its file name, else its modification time, else `fallback` (midnight).
/// One order for `cchc run` and `cchc compile`.
pub fn received_time(
    path: &str,
    listed: Option<NaiveDateTime>,
    modified: Option<&str>,
    fallback: NaiveDate,
) -> NaiveDateTime {
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("valid time");
    let name = std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.into(), |n| n.to_string_lossy());
    listed
        .or_else(|| date_in_name(&name).map(midnight))
        .or_else(|| modified.and_then(super::parse_datetime))
        .unwrap_or_else(|| midnight(fallback))
}

/// A date written in a file name: `2024-03-14`, `20240314`, `14.3.2024`,
/// `14-03-2024`, `14_3_2024`. The first plausible one wins. Only digit groups
/// joined by a single separator form a date, so the period and a version in
/// `2024-Q1_STC_lan-1.xlsx` are not read as 1 January 2024.
pub fn date_in_name(name: &str) -> Option<NaiveDate> {
    digit_chains(name).iter().find_map(|chain| {
        chain.iter().enumerate().find_map(|(i, g)| {
            let compact = (g.len() == 8)
                .then(|| ymd_str(&g[..4], &g[4..6], &g[6..]))
                .flatten();
            compact.or_else(|| {
                let w = chain.get(i..i + 3)?;
                if w[0].len() == 4 {
                    ymd_str(w[0], w[1], w[2])
                } else if w[2].len() == 4 {
                    ymd_str(w[2], w[1], w[0])
                } else {
                    None
                }
            })
        })
    })
}

/// Runs of digit groups joined by exactly one of `-._/`:
/// `a_14.3.2024 (2)` → `[["14", "3", "2024"], ["2"]]`.
fn digit_chains(name: &str) -> Vec<Vec<&str>> {
    let b = name.as_bytes();
    let mut chains = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        current.push(&name[start..i]);
        let joined = i + 1 < b.len()
            && matches!(b[i], b'-' | b'.' | b'_' | b'/')
            && b[i + 1].is_ascii_digit();
        if joined {
            i += 1;
        } else {
            chains.push(std::mem::take(&mut current));
        }
    }
    chains
}

fn ymd_str(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    if m.len() > 2 || d.len() > 2 {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    if !(2000..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_file_names() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(date_in_name("STP_2024-03-14.xlsx"), d(2024, 3, 14));
        assert_eq!(date_in_name("bao cao 14.3.2024 (2).xlsx"), d(2024, 3, 14));
        assert_eq!(date_in_name("H522-20240316.xlsx"), d(2024, 3, 16));
        assert_eq!(date_in_name("so-lieu-quy-1.xlsx"), None);
        assert_eq!(date_in_name("99.99.2024.xlsx"), None);
        assert_eq!(date_in_name("2024-Q1_STC_so-tai-chinh_lan-1.xlsx"), None);
        assert_eq!(date_in_name("2024-Q1_H522_ubnd.xlsx"), None);
        assert_eq!(
            date_in_name("2024-Q1_SNV_nhan-15-03-2024.xlsx"),
            d(2024, 3, 15)
        );
    }

    #[test]
    fn received_time_prefers_list_then_name_then_file_date() {
        let at = |y, m, day, h| {
            NaiveDate::from_ymd_opt(y, m, day)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        let due = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
        let named = "/thu-muc-2023/STP_2024-03-14.xlsx";
        let modified = Some("2024-03-20T10:00:00");
        assert_eq!(
            received_time(named, Some(at(2024, 3, 12, 9)), modified, due),
            at(2024, 3, 12, 9)
        );
        assert_eq!(
            received_time(named, None, modified, due),
            at(2024, 3, 14, 0)
        );
        assert_eq!(
            received_time("/a/2024-Q1_STP.xlsx", None, modified, due),
            at(2024, 3, 20, 10)
        );
        assert_eq!(
            received_time("/a/2024-Q1_STP.xlsx", None, None, due),
            at(2024, 3, 15, 0)
        );
    }
}
