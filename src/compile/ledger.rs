//! The intake ledger (sổ tiếp nhận): every file seen for a period, with the
//! status it ends up in and why. Per agency the latest accepted file counts;
//! earlier accepted files are superseded, identical re-sends are duplicates,
//! files for another period and rejected files stay listed. Nothing is dropped
//! and the order does not depend on the order files were read in.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

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

/// The ledger of one period. Its entries are held in memory, or — for a
/// batch of any size (`cchc run`) — in an anonymous temporary file read
/// again in order each time they are walked ([`Ledger::on_disk`]).
/// Serialised as `{period, entries: [...]}` either way.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "Plain")]
pub struct Ledger {
    pub period: String,
    entries: Entries,
}

#[derive(Debug, Clone)]
enum Entries {
    Memory(Vec<LedgerEntry>),
    /// JSON lines, in ledger order; the count.
    Disk(Arc<File>, usize),
}

impl Default for Entries {
    fn default() -> Entries {
        Entries::Memory(Vec::new())
    }
}

#[derive(Deserialize)]
struct Plain {
    period: String,
    entries: Vec<LedgerEntry>,
}

impl From<Plain> for Ledger {
    fn from(p: Plain) -> Ledger {
        Ledger {
            period: p.period,
            entries: Entries::Memory(p.entries),
        }
    }
}

impl Serialize for Ledger {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct All<'a>(&'a Ledger);
        impl Serialize for All<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.entries())
            }
        }
        let mut st = s.serialize_struct("Ledger", 2)?;
        st.serialize_field("period", &self.period)?;
        st.serialize_field("entries", &All(self))?;
        st.end()
    }
}

impl PartialEq for Ledger {
    fn eq(&self, other: &Ledger) -> bool {
        self.period == other.period
            && self.len() == other.len()
            && self.entries().eq(other.entries())
    }
}

impl Eq for Ledger {}

/// What the ledger's decisions need to know of a file: its time, its status
/// on its own, and ranks (positions in sorted order, equal for equal texts)
/// in place of its path, hash and agency — a few dozen bytes a file.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub received: NaiveDateTime,
    /// The file's status before duplicates and supersession ([`status_alone`]).
    pub status: EntryStatus,
    pub path: u32,
    /// `None`: not hashed (duplicates nothing).
    pub sha: Option<u32>,
    pub agency: Option<u32>,
}

/// A file's status on its own, before duplicates and supersession.
pub fn status_alone(f: &LedgerInput, period: &str) -> EntryStatus {
    classify(f, period).0
}

/// Ranks of texts: each text's position among the distinct texts, sorted.
pub fn ranks<'a>(texts: impl Iterator<Item = &'a str>) -> impl Fn(&str) -> u32 {
    let mut all: Vec<String> = texts.map(str::to_string).collect();
    all.sort();
    all.dedup();
    move |t: &str| {
        all.binary_search_by(|x| x.as_str().cmp(t))
            .unwrap_or_else(|i| i) as u32
    }
}

impl Ledger {
    /// Builds the ledger of `period` from every file seen, in any order.
    pub fn build(period: &str, inputs: Vec<LedgerInput>) -> Ledger {
        let path = ranks(inputs.iter().map(|f| f.path.as_str()));
        let sha = ranks(inputs.iter().map(|f| f.sha256.as_str()));
        let agency = ranks(inputs.iter().filter_map(|f| f.agency.as_deref()));
        let keys: Vec<Key> = inputs
            .iter()
            .map(|f| Key {
                received: f.received,
                status: status_alone(f, period),
                path: path(&f.path),
                sha: (!f.sha256.is_empty()).then(|| sha(&f.sha256)),
                agency: f.agency.as_deref().map(&agency),
            })
            .collect();
        let mut entries = Vec::with_capacity(inputs.len());
        let made = assemble(
            period,
            &keys,
            |i| Ok(inputs[i].clone()),
            |e| {
                entries.push(e);
                Ok(())
            },
        );
        made.expect("in memory");
        Ledger {
            period: period.to_string(),
            entries: Entries::Memory(entries),
        }
    }

    /// Builds the ledger of `period` from the keys of every file seen, the
    /// files' inputs read one at a time (`fetch`), into an anonymous
    /// temporary file in `dir`: memory holds only the keys.
    ///
    /// # Errors
    /// The temporary file cannot be written, or `fetch` failed.
    pub fn on_disk(
        period: &str,
        keys: &[Key],
        fetch: impl FnMut(usize) -> std::io::Result<LedgerInput>,
        dir: &Path,
    ) -> std::io::Result<Ledger> {
        let file = tempfile::tempfile_in(dir)?;
        let mut w = std::io::BufWriter::new(&file);
        assemble(period, keys, fetch, |e| {
            serde_json::to_writer(&mut w, &e)?;
            w.write_all(b"\n")
        })?;
        w.flush()?;
        drop(w);
        Ok(Ledger {
            period: period.to_string(),
            entries: Entries::Disk(Arc::new(file), keys.len()),
        })
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        match &self.entries {
            Entries::Memory(v) => v.len(),
            Entries::Disk(_, n) => *n,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries, in ledger order.
    ///
    /// # Panics
    /// The ledger's temporary file cannot be read back (a disk failure).
    pub fn entries(&self) -> impl ExactSizeIterator<Item = Cow<'_, LedgerEntry>> + '_ {
        let (memory, disk) = match &self.entries {
            Entries::Memory(v) => (Some(v.iter().map(Cow::Borrowed)), None),
            Entries::Disk(f, _) => {
                let at = At { file: f, pos: 0 };
                let lines = serde_json::Deserializer::from_reader(std::io::BufReader::new(at))
                    .into_iter::<LedgerEntry>()
                    .map(|e| {
                        Cow::Owned(e.unwrap_or_else(|e| {
                            panic!("không đọc lại được sổ tiếp nhận tạm ({e})")
                        }))
                    });
                (None, Some(lines))
            }
        };
        Counted {
            items: memory
                .into_iter()
                .flatten()
                .chain(disk.into_iter().flatten()),
            left: self.len(),
        }
    }

    /// The files that count, one per agency.
    pub fn counted(&self) -> impl Iterator<Item = Cow<'_, LedgerEntry>> + '_ {
        self.entries().filter(|e| e.counted())
    }

    /// Does the file with this path and hash count?
    pub fn is_counted(&self, path: &str, sha256: &str) -> bool {
        self.counted().any(|e| e.path == path && e.sha256 == sha256)
    }

    /// The counted file of an agency.
    pub fn counted_for(&self, agency: &str) -> Option<Cow<'_, LedgerEntry>> {
        self.counted().find(|e| e.agency.as_deref() == Some(agency))
    }

    /// All entries of an agency, in ledger order.
    pub fn of_agency<'a>(
        &'a self,
        agency: &'a str,
    ) -> impl Iterator<Item = Cow<'a, LedgerEntry>> + 'a {
        self.entries()
            .filter(move |e| e.agency.as_deref() == Some(agency))
    }

    /// How many entries have this status.
    pub fn count(&self, status: EntryStatus) -> usize {
        self.entries().filter(|e| e.status == status).count()
    }
}

/// An iterator whose length is known beforehand.
struct Counted<I> {
    items: I,
    left: usize,
}

impl<I: Iterator> Iterator for Counted<I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        let item = self.items.next();
        if item.is_some() {
            self.left = self.left.saturating_sub(1);
        }
        item
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<I: Iterator> ExactSizeIterator for Counted<I> {}

/// Reads a shared file from a position of its own (never moving another
/// reader's).
struct At<'a> {
    file: &'a File,
    pos: u64,
}

impl std::io::Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// Decides every file's status from the keys and hands the entries, in
/// ledger order, to `sink`; `fetch` gives a file's input (for its texts).
/// Files are taken by received time (then path, then hash): per hash the
/// first is the original, later ones duplicates; per agency the latest
/// accepted file counts, earlier accepted ones are superseded. The ledger
/// lists them by agency (unknown last), received time and path.
fn assemble(
    period: &str,
    keys: &[Key],
    mut fetch: impl FnMut(usize) -> std::io::Result<LedgerInput>,
    mut sink: impl FnMut(LedgerEntry) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut by_time: Vec<usize> = (0..keys.len()).collect();
    by_time.sort_by_key(|&i| (keys[i].received, keys[i].path, keys[i].sha));
    let mut status: Vec<EntryStatus> = keys.iter().map(|k| k.status).collect();
    let mut related: Vec<Option<u32>> = vec![None; keys.len()];
    let mut first_of_hash: HashMap<u32, usize> = HashMap::new();
    let mut latest: BTreeMap<Option<u32>, usize> = BTreeMap::new();
    for &i in &by_time {
        let first = keys[i]
            .sha
            .map_or(i, |h| *first_of_hash.entry(h).or_insert(i));
        if first != i {
            status[i] = EntryStatus::Duplicate;
            related[i] = Some(first as u32);
        } else if status[i] == EntryStatus::Accepted {
            // In received order, so the last one wins.
            latest.insert(keys[i].agency, i);
        }
    }
    for &i in &by_time {
        let winner = latest.get(&keys[i].agency).copied();
        if status[i] == EntryStatus::Accepted && winner != Some(i) {
            status[i] = EntryStatus::Superseded;
            related[i] = winner.map(|w| w as u32);
        }
    }
    let mut order = by_time;
    order.sort_by_key(|&i| {
        let k = &keys[i];
        (k.agency.is_none(), k.agency, k.received, k.path, k.sha)
    });
    for (n, i) in order.into_iter().enumerate() {
        let f = fetch(i)?;
        let other = related[i].map(|r| fetch(r as usize)).transpose()?;
        let (reason, related) = match (status[i], other) {
            (EntryStatus::Duplicate, Some(first)) => duplicate(&first),
            (EntryStatus::Superseded, Some(w)) => superseded(&w),
            _ => (classify(&f, period).1, None),
        };
        sink(LedgerEntry {
            seq: n + 1,
            path: f.path,
            sha256: f.sha256,
            agency: f.agency,
            period: f.period,
            received: f.received,
            status: status[i],
            reason,
            related,
        })?;
    }
    Ok(())
}

fn duplicate(first: &LedgerInput) -> (String, Option<String>) {
    (
        format!(
            "Trùng nội dung (cùng mã băm SHA-256) với tệp «{}» nhận lúc {}; chỉ tính một lần.",
            first.path,
            when(first.received)
        ),
        Some(first.path.clone()),
    )
}

fn superseded(winner: &LedgerInput) -> (String, Option<String>) {
    (
        format!(
            "Đã được thay bằng tệp «{}» nhận lúc {}.",
            winner.path,
            when(winner.received)
        ),
        Some(winner.path.clone()),
    )
}

/// A file's status on its own (before duplicates and supersession), and why.
fn classify(f: &LedgerInput, period: &str) -> (EntryStatus, String) {
    if let Some(p) = f
        .period
        .as_deref()
        .filter(|p| !p.eq_ignore_ascii_case(period))
    {
        let reason = format!("Báo cáo kỳ {p}, không phải kỳ {period}.");
        return (EntryStatus::OtherPeriod, reason);
    }
    if !f.accepted && is_unreadable(&f.reasons) {
        return (EntryStatus::Unreadable, f.reasons.join("; "));
    }
    if !f.accepted {
        let reason = if f.reasons.is_empty() {
            "Không đạt kiểm tra.".to_string()
        } else {
            f.reasons.join("; ")
        };
        return (EntryStatus::Rejected, reason);
    }
    if f.agency.is_none() {
        let reason = "Không xác định được đơn vị gửi báo cáo.".to_string();
        return (EntryStatus::Rejected, reason);
    }
    // An accepted file's reasons are notes (e.g. accepted on the office's
    // explicit decision although identified by content only).
    let mut reason = "Hợp lệ; là báo cáo mới nhất của đơn vị.".to_string();
    for note in &f.reasons {
        reason += " ";
        reason += note;
    }
    (EntryStatus::Accepted, reason)
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

    fn input(path: &str, sha: &str, agency: Option<&str>, day: u32, accepted: bool) -> LedgerInput {
        LedgerInput {
            path: path.into(),
            sha256: sha.into(),
            agency: agency.map(str::to_string),
            period: Some("2024-Q1".into()),
            received: NaiveDate::from_ymd_opt(2024, 3, day)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            accepted,
            reasons: if accepted {
                Vec::new()
            } else {
                vec!["C001 Ô G12 trống".into()]
            },
        }
    }

    #[test]
    fn a_ledger_on_disk_is_the_ledger_built_in_memory() {
        let mut other = input("/r/c.xlsx", "cc", Some("STC"), 3, true);
        other.period = Some("2024-Q2".into());
        let mut unreadable = input("/r/d.pdf", "dd", None, 4, false);
        unreadable.reasons = vec!["F001 không phải tệp Excel".into()];
        let inputs = vec![
            input("/r/b2.xlsx", "b2", Some("STP"), 9, true),
            input("/r/b1.xlsx", "b1", Some("STP"), 2, true),
            input("/r/b1-copy.xlsx", "b1", Some("STP"), 5, true),
            input("/r/e.xlsx", "ee", Some("SNV"), 6, false),
            input("/r/lien-ket.xlsx", "", None, 1, false),
            other,
            unreadable,
        ];
        let memory = Ledger::build("2024-Q1", inputs.clone());
        let keys: Vec<Key> = {
            let path = ranks(inputs.iter().map(|f| f.path.as_str()));
            let sha = ranks(inputs.iter().map(|f| f.sha256.as_str()));
            let agency = ranks(inputs.iter().filter_map(|f| f.agency.as_deref()));
            inputs
                .iter()
                .map(|f| Key {
                    received: f.received,
                    status: status_alone(f, "2024-Q1"),
                    path: path(&f.path),
                    sha: (!f.sha256.is_empty()).then(|| sha(&f.sha256)),
                    agency: f.agency.as_deref().map(&agency),
                })
                .collect()
        };
        let dir = tempfile::tempdir().unwrap();
        let disk =
            Ledger::on_disk("2024-Q1", &keys, |i| Ok(inputs[i].clone()), dir.path()).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no name");
        assert_eq!(disk, memory);
        assert_eq!(disk.len(), 7);
        let status = |p: &str| disk.entries().find(|e| e.path == p).unwrap().status;
        assert_eq!(status("/r/b2.xlsx"), EntryStatus::Accepted);
        assert_eq!(status("/r/b1.xlsx"), EntryStatus::Superseded);
        assert_eq!(status("/r/b1-copy.xlsx"), EntryStatus::Duplicate);
        assert_eq!(status("/r/e.xlsx"), EntryStatus::Rejected);
        assert_eq!(status("/r/c.xlsx"), EntryStatus::OtherPeriod);
        assert_eq!(status("/r/d.pdf"), EntryStatus::Unreadable);
        assert_eq!(status("/r/lien-ket.xlsx"), EntryStatus::Rejected);
        // Serialised the same way, twice (the file is read again each walk).
        let a = serde_json::to_string_pretty(&disk).unwrap();
        assert_eq!(a, serde_json::to_string_pretty(&memory).unwrap());
        assert_eq!(a, serde_json::to_string_pretty(&disk).unwrap());
        let back: Ledger = serde_json::from_str(&a).unwrap();
        assert_eq!(back, memory);
    }

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
