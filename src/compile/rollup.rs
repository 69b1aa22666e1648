//! Returns across a change of structure. The 2025 yearly report (and the 6
//! months, 9 months) spans the mergers of 1/3/2025 and the end of the
//! district level on 1/7/2025: its figures come partly from units that no
//! longer exist. [`admit`] decides, before the ledger is built, which returns
//! of earlier sub-periods belong to such a cumulative period, and which
//! predecessor's return is attributed to its successor; compilation then
//! rolls predecessors' figures up under their successors (dissolved units'
//! figures into the province total) and Annex II says so.

use super::ledger::LedgerInput;
use crate::agencies::successors::Successors;
use crate::agencies::Directory;
use crate::period::{Period, Schedule};
use chrono::NaiveDate;
use serde::Serialize;

/// One unit that ended inside the period (or before it, when its return
/// arrived anyway), and what became of its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolledUp {
    /// The predecessor's code and name (from any directory version).
    pub code: String,
    pub name: String,
    /// The successor in this period's directory; `None`: dissolved.
    pub heir: Option<String>,
    pub heir_name: Option<String>,
    /// The day the change took effect.
    pub from: NaiveDate,
    /// The period label of the return that counted ("quý I năm 2025"), if any.
    pub returned: Option<String>,
}

impl RolledUp {
    /// The line Annex II shows for the unit.
    pub fn describe(&self) -> String {
        let when = crate::period::dmy(self.from);
        let fate = match &self.heir_name {
            Some(h) => format!("từ {when} do {h} đảm nhận"),
            None => format!("đã giải thể từ {when}"),
        };
        let figures = match (&self.returned, &self.heir_name) {
            (Some(p), Some(h)) => format!("số liệu báo cáo {p} được cộng vào {h}"),
            (Some(p), None) => format!("số liệu báo cáo {p} được cộng vào tổng của tỉnh"),
            (None, _) => "không có báo cáo trong kỳ".to_string(),
        };
        format!("{} ({fate}; {figures})", self.name)
    }
}

/// What [`admit`] decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Admission {
    /// Predecessors ended inside the period's data window, in map order.
    pub ended: Vec<RolledUp>,
    /// Warnings for the ledger's readers (Vietnamese).
    pub notes: Vec<String>,
}

/// Relabels `inputs` for `period` (in the directory in force for it):
/// - a cumulative period spanning a change admits its predecessors' returns
///   of earlier sub-periods of the same year, and the current units' returns
///   of sub-periods that begin on or after the change (their first returns in
///   the new structure; a later return for the period itself supersedes them);
/// - a return from a unit that ended before the period began is attributed to
///   its successor, with a note.
///
/// `names` gives a predecessor's name (from any directory version).
pub fn admit(
    inputs: &mut [LedgerInput],
    period: &Period,
    schedule: &Schedule,
    directory: &Directory,
    successors: &Successors,
    names: &(dyn Fn(&str) -> String + Sync),
) -> Admission {
    let mut a = Admitter::new(period, schedule, directory, successors, names);
    for f in inputs.iter_mut() {
        a.admit(f);
    }
    a.finish()
}

/// [`admit`] one file at a time (a batch whose inputs are never all in
/// memory): [`Admitter::admit`] each input, then [`Admitter::finish`].
pub struct Admitter<'a> {
    period: &'a Period,
    schedule: &'a Schedule,
    directory: &'a Directory,
    successors: &'a Successors,
    names: &'a (dyn Fn(&str) -> String + Sync),
    ended: Vec<&'a crate::agencies::successors::Change>,
    last_change: Option<NaiveDate>,
    /// Predecessor → (receipt, label) of its latest admitted accepted return.
    admitted: std::collections::HashMap<String, (chrono::NaiveDateTime, String)>,
    notes: Vec<String>,
}

impl<'a> Admitter<'a> {
    pub fn new(
        period: &'a Period,
        schedule: &'a Schedule,
        directory: &'a Directory,
        successors: &'a Successors,
        names: &'a (dyn Fn(&str) -> String + Sync),
    ) -> Admitter<'a> {
        let ended: Vec<_> = successors
            .within(period.window_start, period.window_end)
            .filter(|c| directory.get(&c.old).is_none())
            .collect();
        let last_change = ended.iter().map(|c| c.from).max();
        Admitter {
            period,
            schedule,
            directory,
            successors,
            names,
            ended,
            last_change,
            admitted: std::collections::HashMap::new(),
            notes: Vec::new(),
        }
    }

    /// Relabels one input (see [`admit`]).
    pub fn admit(&mut self, f: &mut LedgerInput) {
        let (period, schedule, directory, successors, names) = (
            self.period,
            self.schedule,
            self.directory,
            self.successors,
            self.names,
        );
        let Some(code) = f.agency.clone() else {
            return;
        };
        let Some(sub) = f.period.as_deref().and_then(|p| schedule.period(p).ok()) else {
            return;
        };
        let inside = sub.year == period.year
            && sub.id != period.id
            && sub.window_start >= period.window_start
            && sub.window_end <= period.window_end;
        let predecessor = self.ended.iter().find(|c| c.old == code);
        if period.kind.cumulative && inside {
            if let Some(c) = predecessor.filter(|c| sub.start < c.from) {
                f.reasons.push(format!(
                    "Báo cáo {} của {} (đơn vị {}) được tính vào báo cáo {}.",
                    sub.label(),
                    names(&code),
                    c.describe(&|h| names(h)),
                    period.label()
                ));
                f.period = Some(period.id.clone());
                if f.accepted
                    && self
                        .admitted
                        .get(&code)
                        .is_none_or(|(t, _)| *t <= f.received)
                {
                    self.admitted
                        .insert(code.clone(), (f.received, sub.label()));
                }
                return;
            }
            let current = directory.get(&code).is_some_and(|a| a.reports_quarterly());
            if current && self.last_change.is_some_and(|d| sub.start >= d) {
                f.reasons.push(format!(
                    "Báo cáo {} (báo cáo đầu tiên theo cơ cấu mới) được tính vào báo cáo {} khi đơn vị chưa có báo cáo {}.",
                    sub.label(),
                    period.label(),
                    period.label()
                ));
                f.period = Some(period.id.clone());
            }
            return;
        }
        if directory.get(&code).is_some() || f.period.as_deref() != Some(period.id.as_str()) {
            return;
        }
        if let Some(c) = successors
            .of(&code)
            .filter(|c| c.from <= period.window_start)
        {
            if let Some(heir) = successors.heir_on(&code, period.window_end) {
                if directory.get(&heir).is_some() {
                    let note = format!(
                        "Tệp «{}» ghi đơn vị {} ({code}), đơn vị này {}: báo cáo được tính cho {}. Đề nghị đơn vị dùng biểu mẫu của {} từ kỳ sau.",
                        f.path,
                        names(&code),
                        c.describe(&|h| names(h)),
                        names(&heir),
                        names(&heir)
                    );
                    f.reasons.push(note.clone());
                    self.notes.push(note);
                    f.agency = Some(heir);
                }
            }
        }
    }

    /// What was decided: the units that ended, the notes.
    pub fn finish(self) -> Admission {
        let mut out = Admission {
            ended: Vec::new(),
            notes: self.notes,
        };
        for c in self.ended {
            let heir = self.successors.heir_on(&c.old, self.period.window_end);
            out.ended.push(RolledUp {
                code: c.old.clone(),
                name: (self.names)(&c.old),
                heir_name: heir.as_deref().map(self.names),
                heir,
                from: c.from,
                returned: self.admitted.get(&c.old).map(|(_, l)| l.clone()),
            });
        }
        out
    }
}
