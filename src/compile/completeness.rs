//! Completeness and timeliness: which expected reporting units sent a return
//! that counts, on time (by `Period::due_with_grace`) or late, which sent only
//! rejected files (must resubmit) and which sent nothing. Also the reminder
//! letter (công văn đôn đốc) listing the units still owed.

use super::ledger::{EntryStatus, Ledger, LedgerEntry};
use crate::agencies::Directory;
use crate::period::{dmy, Period};
use chrono::NaiveDateTime;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Where a unit stands for the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitState {
    OnTime,
    Late,
    /// Only rejected files: must resubmit.
    Rejected,
    Missing,
}

impl UnitState {
    pub const ALL: [UnitState; 4] = [
        UnitState::OnTime,
        UnitState::Late,
        UnitState::Rejected,
        UnitState::Missing,
    ];

    pub fn label(self) -> &'static str {
        match self {
            UnitState::OnTime => "Đúng hạn",
            UnitState::Late => "Trễ hạn",
            UnitState::Rejected => "Phải gửi lại",
            UnitState::Missing => "Chưa gửi",
        }
    }
}

/// One expected unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitReport {
    pub code: String,
    pub name: String,
    pub state: UnitState,
    /// Receipt time of the counted file.
    pub received: Option<NaiveDateTime>,
    /// The counted file.
    pub file: Option<String>,
    /// Files seen from this unit (all statuses).
    pub files_seen: usize,
    /// Why its files were rejected (latest rejected file), when it must resubmit.
    pub reasons: Vec<String>,
    /// It must resubmit because its latest file could not be read at all
    /// (it did send one: never shown as "not sent").
    pub unreadable: bool,
}

impl UnitReport {
    /// The unit's standing as shown in the annex and the letter: "Đã gửi,
    /// không đọc được — phải gửi lại" for a unit whose file was unreadable.
    pub fn label(&self) -> &'static str {
        if self.unreadable && self.state == UnitState::Rejected {
            super::ledger::UNREADABLE
        } else {
            self.state.label()
        }
    }
}

/// Completeness of the period's returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completeness {
    pub expected: usize,
    pub on_time: usize,
    pub late: usize,
    pub rejected: usize,
    pub missing: usize,
    /// Expected units in directory order.
    pub units: Vec<UnitReport>,
    /// Counted returns from units not on the expected list (codes).
    pub unexpected: Vec<String>,
}

impl Completeness {
    pub fn assess(
        ledger: &Ledger,
        expected: &[String],
        directory: &Directory,
        period: &Period,
    ) -> Completeness {
        // One walk over the ledger; per agency only what its standing needs.
        let mut by_agency: HashMap<String, Seen> = HashMap::new();
        let mut unexpected = Vec::new();
        let wanted: HashSet<&str> = expected.iter().map(String::as_str).collect();
        for e in ledger.entries() {
            let Some(a) = e.agency.as_deref() else {
                continue;
            };
            if e.counted() && !wanted.contains(a) {
                unexpected.push(a.to_string());
            }
            by_agency
                .entry(a.to_string())
                .or_default()
                .add(e.into_owned());
        }
        let units: Vec<UnitReport> = expected
            .iter()
            .map(|code| {
                let seen = by_agency.remove(code.as_str()).unwrap_or_default();
                unit(&seen, code, directory, period)
            })
            .collect();
        Completeness::from_units(units, unexpected)
    }

    /// The counts per state, derived from the units' own states.
    fn from_units(units: Vec<UnitReport>, unexpected: Vec<String>) -> Completeness {
        let count = |s| units.iter().filter(|u| u.state == s).count();
        Completeness {
            expected: units.len(),
            on_time: count(UnitState::OnTime),
            late: count(UnitState::Late),
            rejected: count(UnitState::Rejected),
            missing: count(UnitState::Missing),
            units,
            unexpected,
        }
    }

    /// Units that received a counted return.
    pub fn received(&self) -> usize {
        self.on_time + self.late
    }

    /// Units still owed: missing, then those that must resubmit.
    pub fn owed(&self) -> impl Iterator<Item = &UnitReport> {
        self.units
            .iter()
            .filter(|u| matches!(u.state, UnitState::Missing | UnitState::Rejected))
    }
}

/// What a unit's standing needs of its ledger entries (taken in ledger
/// order): its first counted file, its latest file to resend, how many.
#[derive(Default)]
struct Seen {
    counted: Option<LedgerEntry>,
    last_rejected: Option<LedgerEntry>,
    files: usize,
}

impl Seen {
    fn add(&mut self, e: LedgerEntry) {
        self.files += 1;
        if e.status.must_resend() {
            self.last_rejected = Some(e);
        } else if e.counted() && self.counted.is_none() {
            self.counted = Some(e);
        }
    }
}

/// One unit's standing from its ledger entries.
fn unit(seen: &Seen, code: &str, directory: &Directory, period: &Period) -> UnitReport {
    let name = directory
        .get(code)
        .map(|a| a.name.clone())
        .unwrap_or_else(|| code.to_string());
    let counted = seen.counted.as_ref();
    let last_rejected = seen.last_rejected.as_ref();
    let state = match (counted, last_rejected) {
        (Some(e), _) if e.received.date() <= period.due_with_grace => UnitState::OnTime,
        (Some(_), _) => UnitState::Late,
        (None, Some(_)) => UnitState::Rejected,
        (None, None) => UnitState::Missing,
    };
    let reasons = match (state, last_rejected) {
        (UnitState::Rejected, Some(e)) => e.reason.split("; ").map(str::to_string).collect(),
        _ => Vec::new(),
    };
    UnitReport {
        code: code.to_string(),
        name,
        state,
        received: counted.map(|e| e.received),
        file: counted.map(|e| e.path.clone()),
        files_seen: seen.files,
        reasons,
        unreadable: state == UnitState::Rejected
            && last_rejected.is_some_and(|e| e.status == EntryStatus::Unreadable),
    }
}

impl Completeness {
    /// The picture as it stood at the end of `date` (the reminder letter's
    /// date): only files received by then count. A unit whose counted file
    /// came later is judged by its earlier files (an accepted one, even if
    /// superseded since; else a rejected or unreadable one; else nothing).
    pub fn as_of(&self, ledger: &Ledger, period: &Period, date: chrono::NaiveDate) -> Completeness {
        // One walk over the ledger: per unit its latest usable file (an
        // accepted one, even if superseded since), its latest file to
        // resend, and how many files, all received by `date`.
        let mut seen: HashMap<&str, (Option<LedgerEntry>, Option<LedgerEntry>, usize)> = self
            .units
            .iter()
            .map(|u| (u.code.as_str(), (None, None, 0)))
            .collect();
        for e in ledger.entries().filter(|e| e.received.date() <= date) {
            let Some(s) = e.agency.as_deref().and_then(|a| seen.get_mut(a)) else {
                continue;
            };
            s.2 += 1;
            if matches!(e.status, EntryStatus::Accepted | EntryStatus::Superseded) {
                s.0 = Some(e.into_owned());
            } else if e.status.must_resend() {
                s.1 = Some(e.into_owned());
            }
        }
        let units: Vec<UnitReport> = self
            .units
            .iter()
            .map(|u| {
                let (usable, resend, files) = &seen[u.code.as_str()];
                let state = match (usable, resend) {
                    (Some(e), _) if e.received.date() <= period.due_with_grace => UnitState::OnTime,
                    (Some(_), _) => UnitState::Late,
                    (None, Some(_)) => UnitState::Rejected,
                    (None, None) => UnitState::Missing,
                };
                UnitReport {
                    code: u.code.clone(),
                    name: u.name.clone(),
                    state,
                    received: usable.as_ref().map(|e| e.received),
                    file: usable.as_ref().map(|e| e.path.clone()),
                    files_seen: *files,
                    reasons: match (state, resend) {
                        (UnitState::Rejected, Some(e)) => split_reasons(&e.reason),
                        _ => Vec::new(),
                    },
                    unreadable: state == UnitState::Rejected
                        && resend
                            .as_ref()
                            .is_some_and(|e| e.status == EntryStatus::Unreadable),
                }
            })
            .collect();
        Completeness::from_units(units, self.unexpected.clone())
    }

    /// The file a unit must resend (its latest rejected one), if any.
    pub fn rejected_file(ledger: &Ledger, code: &str) -> Option<LedgerEntry> {
        ledger
            .entries()
            .filter(|e| e.agency.as_deref() == Some(code) && e.status == EntryStatus::Rejected)
            .last()
            .map(Cow::into_owned)
    }
}

/// Splits a ledger reason into its findings ("; " between them), never
/// inside brackets ("(.xlsx; có thể lưu dạng .xls)").
pub fn split_reasons(reason: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in reason.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ';' if depth <= 0 && reason[i + 1..].starts_with(' ') => {
                out.push(reason[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(reason[start..].trim().to_string());
    out.retain(|r| !r.is_empty());
    out
}

/// A finding as a person reads it: without its rule code ("V001 "), without
/// lists of indicator codes ("(HS_TRUOCHAN + HS_DUNGHAN)"), and with task
/// ids replaced by the labels users know (`labels`: id → label).
pub fn plain_reason(reason: &str, labels: &[(String, String)]) -> String {
    let mut s = reason.trim();
    let b = s.as_bytes();
    if b.len() > 5
        && b[0].is_ascii_uppercase()
        && b[1..4].iter().all(u8::is_ascii_digit)
        && b[4] == b' '
    {
        s = &s[5..];
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find(" (") {
        let Some(len) = rest[open..].find(')') else {
            break;
        };
        let close = open + len;
        out.push_str(&rest[..open]);
        if !is_code_list(&rest[open + 2..close]) {
            out.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    for (id, label) in labels.iter().filter(|(i, l)| i != l) {
        for end in [" ", ".", ",", ";", ")", ":"] {
            out = out.replace(
                &format!("nhiệm vụ {id}{end}"),
                &format!("nhiệm vụ {label}{end}"),
            );
        }
    }
    out
}

/// "HS_TRUOCHAN + HS_DUNGHAN": indicator codes only.
fn is_code_list(inner: &str) -> bool {
    inner.split('+').all(|p| {
        let p = p.trim();
        !p.is_empty()
            && p.contains('_')
            && p.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    })
}

/// Who sends the reminder, and under which number and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Letterhead {
    /// `UBND TỈNH QUẢNG NGÃI`.
    pub superior: String,
    /// `SỞ NỘI VỤ`.
    pub issuer: String,
    /// `Số: …/SNV-CCHC`.
    pub number: String,
    /// `Quảng Ngãi`.
    pub place: String,
    /// Signature title and name.
    pub signer_title: String,
    pub signer_name: String,
}

/// The reminder letter (công văn đôn đốc), NĐ 30 style, as plain text.
pub fn reminder(
    c: &Completeness,
    period: &Period,
    head: &Letterhead,
    date: chrono::NaiveDate,
) -> String {
    let mut s = String::new();
    s += &format!("{}\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", head.superior);
    s += &format!("{}\t\tĐộc lập - Tự do - Hạnh phúc\n", head.issuer);
    s += &format!("{}\t\t{}\n", head.number, place_date(&head.place, date));
    s += &format!(
        "V/v đôn đốc gửi báo cáo kết quả thực hiện công tác cải cách hành chính {}\n\n",
        period.label()
    );
    s += "Kính gửi:\n";
    for u in c.owed() {
        s += &format!("- {};\n", u.name);
    }
    s += "\n";
    s += &format!(
        "Thực hiện Kế hoạch cải cách hành chính năm {} của UBND tỉnh, {} đề nghị các cơ quan, đơn vị báo cáo kết quả thực hiện công tác cải cách hành chính {} theo biểu mẫu đã gửi, hạn chót ngày {}. Đến nay, {}/{} cơ quan, đơn vị đã gửi báo cáo hợp lệ; các cơ quan, đơn vị sau chưa hoàn thành việc báo cáo:\n\n",
        period.year,
        head.issuer_sentence(),
        period.label(),
        dmy(period.due),
        c.received(),
        c.expected
    );
    s += &owed_lines(c);
    s += &format!(
        "\nĐề nghị Thủ trưởng các cơ quan, đơn vị nêu trên khẩn trương hoàn thành, gửi báo cáo (tệp Excel theo biểu mẫu, không đổi cấu trúc biểu mẫu) về {} trước ngày {}, để tổng hợp báo cáo UBND tỉnh và Bộ Nội vụ đúng thời gian quy định.\n",
        head.issuer_sentence(),
        dmy(period.province_due.pred_opt().unwrap_or(period.province_due))
    );
    s += &format!(
        "\n{} đề nghị các cơ quan, đơn vị quan tâm thực hiện./.\n\n",
        head.issuer_sentence()
    );
    s += &format!(
        "Nơi nhận:\t\t\t{}\n- Như trên;\n- Lưu: VT, CCHC.\n\n\t\t\t{}\n",
        head.signer_title, head.signer_name
    );
    s
}

fn owed_lines(c: &Completeness) -> String {
    let mut s = String::new();
    let mut i = 0;
    for u in c.owed() {
        i += 1;
        match u.state {
            UnitState::Missing => s += &format!("{i}. {}: chưa gửi báo cáo.\n", u.name),
            _ if u.unreadable => {
                s += &format!(
                    "{i}. {}: đã gửi báo cáo nhưng tệp không đọc được, phải gửi lại. Lý do: {}\n",
                    u.name,
                    u.reasons.join(" ")
                )
            }
            _ => {
                s += &format!(
                    "{i}. {}: báo cáo đã gửi chưa đạt yêu cầu, phải gửi lại. Lý do: {}\n",
                    u.name,
                    u.reasons.join(" ")
                )
            }
        }
    }
    if i == 0 {
        s += "(Tất cả các cơ quan, đơn vị đã gửi báo cáo hợp lệ.)\n";
    }
    s
}

impl Letterhead {
    /// The issuer as written inside a sentence: `Sở Nội vụ`.
    pub fn issuer_sentence(&self) -> String {
        sentence_case(&self.issuer)
    }
}

/// `SỞ NỘI VỤ` → `Sở Nội vụ`: first letter of the first two words upper-case.
fn sentence_case(caps: &str) -> String {
    let lower = caps.to_lowercase();
    lower
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i < 2 {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Quảng Ngãi, ngày 20 tháng 3 năm 2024`: a leading zero only for days
/// below 10 and for months 1 and 2 (NĐ 30/2020).
pub fn place_date(place: &str, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!(
        "{place}, ngày {:02} tháng {month} năm {}",
        d.day(),
        d.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::ymd;

    #[test]
    fn place_date_follows_the_leading_zero_rule() {
        assert_eq!(
            place_date("Quảng Ngãi", ymd(2024, 3, 20)),
            "Quảng Ngãi, ngày 20 tháng 3 năm 2024"
        );
        assert_eq!(
            place_date("Quảng Ngãi", ymd(2024, 2, 5)),
            "Quảng Ngãi, ngày 05 tháng 02 năm 2024"
        );
        assert_eq!(
            place_date("Quảng Ngãi", ymd(2024, 12, 9)),
            "Quảng Ngãi, ngày 09 tháng 12 năm 2024"
        );
    }

    #[test]
    fn reasons_read_without_codes_and_ids() {
        let labels = vec![("1.dd".to_string(), "1.đ".to_string())];
        assert_eq!(
            plain_reason(
                "V007 Ngày văn bản 15/12/2030 của nhiệm vụ 1.dd ở sau ngày hôm nay.",
                &labels
            ),
            "Ngày văn bản 15/12/2030 của nhiệm vụ 1.đ ở sau ngày hôm nay."
        );
        assert_eq!(
            plain_reason("I004 Các số liệu không khớp: vế trái (HS_TRUOCHAN + HS_DUNGHAN) = 642, vế phải (HS_DAGIAIQUYET) = 649 (xem ô D18).", &[]),
            "Các số liệu không khớp: vế trái = 642, vế phải = 649 (xem ô D18)."
        );
    }

    #[test]
    fn issuer_in_a_sentence() {
        assert_eq!(sentence_case("SỞ NỘI VỤ"), "Sở Nội vụ");
    }
}
