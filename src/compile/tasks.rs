//! Task aggregation (domain README §4). For each task of the plan: its
//! reporting owners, each owner's status from the counted returns, and the
//! task's status and official bucket.
//!
//! How a task's status is derived (documented rule):
//! - The deciding owners are the task's lead owners among the expected units
//!   (a district decides for the communes it reports for); when no expected
//!   unit leads it, its cooperating units decide. Owners whose return is
//!   missing are counted apart ("chưa báo cáo") and keep the task open.
//! - Owners reporting "Không thực hiện" are left out. The task is *completed*
//!   when every remaining deciding owner reported "Hoàn thành" and none is
//!   missing; *in progress* when any of them reported progress; otherwise
//!   *not started*. No report from any deciding owner ⇒ *no report*.
//! - The completion date is the latest evidence date of the deciding owners;
//!   a completed owner without one is taken as completed at the data cut-off
//!   (`Period::window_end`), the latest date the report can vouch for.
//! - Timing: open-ended tasks ("thường xuyên", `Deadline::is_open_ended`)
//!   are counted apart; a dated task is due when `Period::is_due` holds or its
//!   last due date is on or before the period's end; otherwise not yet due.
//! - The date a due task is judged against is the milestone the period
//!   reaches ([`period_due`]): the latest dated milestone on or before the
//!   period's end, else the final due date. Annex I shows that same date.
//! - Buckets for due tasks: done on time (completion date ≤ that date), done
//!   late, not done within the deadline (date ≥ the data cut-off), not done
//!   overdue, and no report from any deciding owner. The rate is done over
//!   all due tasks: a due task without a report counts as not completed
//!   (domain README §4). Open-ended and not-yet-due tasks are counted apart;
//!   so are due tasks every deciding owner reported as not applicable.

use crate::agencies::{Directory, Level};
use crate::form::Status;
use crate::period::Period;
use crate::plan::{Plan, Role, Task};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What an owner reported on one task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnerStatus {
    pub agency: String,
    pub role: Role,
    /// Whether the owner has a counted return at all.
    pub reported: bool,
    /// The status in that return (None: row left blank or missing).
    pub status: Option<Status>,
    pub percent: Option<f64>,
    pub evidence_date: Option<NaiveDate>,
}

/// Task status derived from its deciding owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Derived {
    Completed,
    InProgress,
    NotStarted,
    NotApplicable,
    NoReport,
}

impl Derived {
    pub fn label(self) -> &'static str {
        match self {
            Derived::Completed => "Hoàn thành",
            Derived::InProgress => "Đang thực hiện",
            Derived::NotStarted => "Chưa thực hiện",
            Derived::NotApplicable => "Không phát sinh",
            Derived::NoReport => "Chưa có báo cáo",
        }
    }
}

/// When a task falls, relative to the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    Due,
    NotYetDue,
    OpenEnded,
}

/// The bucket a task is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    DoneOnTime,
    DoneLate,
    OpenInTime,
    OpenOverdue,
    /// Counted apart: open-ended task.
    OpenEnded,
    /// Counted apart: due after this period.
    NotYetDue,
    /// Due, but no deciding owner reported: counts as not completed.
    NoReport,
    /// Counted apart: due, every deciding owner reported "không thực hiện".
    NotApplicable,
}

impl Outcome {
    pub const ALL: [Outcome; 8] = [
        Outcome::DoneOnTime,
        Outcome::DoneLate,
        Outcome::OpenInTime,
        Outcome::OpenOverdue,
        Outcome::OpenEnded,
        Outcome::NotYetDue,
        Outcome::NoReport,
        Outcome::NotApplicable,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Outcome::DoneOnTime => "Hoàn thành đúng hạn",
            Outcome::DoneLate => "Hoàn thành quá hạn",
            Outcome::OpenInTime => "Chưa hoàn thành, trong hạn",
            Outcome::OpenOverdue => "Chưa hoàn thành, quá hạn",
            Outcome::OpenEnded => "Thường xuyên (không hạn)",
            Outcome::NotYetDue => "Chưa đến hạn",
            Outcome::NoReport => "Chưa có báo cáo",
            Outcome::NotApplicable => "Không phát sinh",
        }
    }

    /// A due task: one of the buckets the rate is computed over.
    pub fn is_official(self) -> bool {
        matches!(
            self,
            Outcome::DoneOnTime
                | Outcome::DoneLate
                | Outcome::OpenInTime
                | Outcome::OpenOverdue
                | Outcome::NoReport
        )
    }

    /// A due task not completed (behind, in time or not, or unreported).
    pub fn is_behind(self) -> bool {
        matches!(
            self,
            Outcome::OpenInTime | Outcome::OpenOverdue | Outcome::NoReport
        )
    }
}

/// Reported texts grouped by identical wording, with who wrote them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attributed {
    pub agencies: Vec<String>,
    pub text: String,
}

/// One task's consolidated result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskResult {
    pub task_id: String,
    pub label: String,
    pub area_id: String,
    pub content: String,
    pub deadline: String,
    /// The due date the task is judged against in this period
    /// ([`period_due`]); the final one is `final_due`.
    pub due: Option<NaiveDate>,
    pub final_due: Option<NaiveDate>,
    pub timing: Timing,
    pub status: Derived,
    pub outcome: Outcome,
    pub completed_on: Option<NaiveDate>,
    /// Owners among the expected units, in directory order.
    pub owners: Vec<OwnerStatus>,
    /// The role that decides the status (lead, or cooperating when no lead reports).
    pub decided_by: Role,
    /// Deciding owners: how many, how many completed, which are behind
    /// (reported, not completed), which did not report.
    pub deciders: usize,
    pub completed_by: usize,
    pub behind: Vec<String>,
    pub missing: Vec<String>,
    /// Lead owners that do not report on their own (not expected units).
    pub non_reporting_leads: Vec<String>,
    pub results: Vec<Attributed>,
    pub difficulties: Vec<Attributed>,
    pub proposals: Vec<Attributed>,
}

impl TaskResult {
    /// "25/33 đơn vị hoàn thành".
    pub fn owners_line(&self) -> String {
        format!("{}/{} đơn vị hoàn thành", self.completed_by, self.deciders)
    }
}

/// Owners of every task among the expected units: lead, for-communes, then
/// cooperating (the same roles `Plan::tasks_for` gives, computed in one pass).
pub fn owners(
    plan: &Plan,
    directory: &Directory,
    expected: &[String],
) -> HashMap<String, Vec<(String, Role)>> {
    let pos: HashMap<&str, usize> = expected
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut out = HashMap::new();
    for task in &plan.tasks {
        let mut list: Vec<(String, Role)> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut add = |code: &str, role| {
            if let Some((&key, _)) = pos.get_key_value(code) {
                if seen.insert(key) {
                    list.push((code.to_string(), role));
                }
            }
        };
        for m in &task.lead.members {
            add(&m.code, Role::Lead);
        }
        for m in &task.lead.members {
            if let Some(parent) = commune_parent(directory, &m.code) {
                add(parent, Role::ForCommunes);
            }
        }
        for m in &task.cooperating.members {
            add(&m.code, Role::Cooperating);
        }
        list.sort_by_key(|(c, _)| pos[c.as_str()]);
        out.insert(task.id.clone(), list);
    }
    out
}

fn commune_parent<'a>(directory: &'a Directory, code: &str) -> Option<&'a str> {
    directory
        .get(code)
        .filter(|a| a.level == Level::Xa)
        .and_then(|a| a.parent.as_deref())
}

/// When a task falls relative to the period.
pub fn timing(task: &Task, period: &Period) -> Timing {
    let d = &task.deadline;
    match d.final_due() {
        None => Timing::OpenEnded,
        Some(due) if period.is_due(d) || due <= period.end => Timing::Due,
        Some(_) => Timing::NotYetDue,
    }
}

/// The date a task is judged against in `period`: the latest dated
/// milestone on or before the period's end (the milestone the period
/// reaches), else the final due date.
pub fn period_due(task: &Task, period: &Period) -> Option<NaiveDate> {
    let d = &task.deadline;
    d.milestones
        .iter()
        .filter_map(|m| m.due_by)
        .filter(|due| *due <= period.end)
        .max()
        .or_else(|| d.final_due())
}

/// The span after a period that its section IV looks ahead to: after quý I
/// "quý II năm 2024", after 6 tháng "6 tháng cuối năm 2024", after quý III
/// "quý IV năm 2024", after the year "năm 2025".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Span {
    pub fn after(period: &Period) -> Span {
        use chrono::Datelike;
        let start = period.end.succ_opt().unwrap_or(period.end);
        let y = start.year();
        let (label, end_month) = match start.month() {
            1 => (format!("năm {y}"), 12),
            4 => (format!("quý II năm {y}"), 6),
            7 if period.kind.cumulative => (format!("6 tháng cuối năm {y}"), 12),
            7 => (format!("quý III năm {y}"), 9),
            10 => (format!("quý IV năm {y}"), 12),
            m => (format!("từ tháng {m} đến tháng 12 năm {y}"), 12),
        };
        Span {
            label,
            start,
            end: crate::period::last_day_of_month(y, end_month),
        }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        d >= self.start && d <= self.end
    }
}

/// Derives a task's status from its deciding owners.
pub fn derive(deciders: &[&OwnerStatus]) -> Derived {
    if deciders.iter().all(|o| !o.reported) {
        return Derived::NoReport;
    }
    let active: Vec<&OwnerStatus> = deciders
        .iter()
        .copied()
        .filter(|o| o.status != Some(Status::NotApplicable))
        .collect();
    if active.is_empty() {
        return Derived::NotApplicable;
    }
    if active.iter().all(|o| o.status == Some(Status::Completed)) {
        return Derived::Completed;
    }
    let reported: Vec<&&OwnerStatus> = active.iter().filter(|o| o.reported).collect();
    if reported.is_empty() {
        return Derived::NoReport;
    }
    let progressed = reported.iter().any(|o| {
        matches!(o.status, Some(Status::Completed | Status::InProgress))
            || o.percent.is_some_and(|p| p > 0.0)
    });
    if progressed {
        Derived::InProgress
    } else {
        Derived::NotStarted
    }
}

/// The bucket of a task given its status, dates and the data cut-off.
pub fn outcome(
    timing: Timing,
    status: Derived,
    due: Option<NaiveDate>,
    completed_on: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Outcome {
    match (timing, status) {
        (Timing::OpenEnded, _) => Outcome::OpenEnded,
        (Timing::NotYetDue, _) => Outcome::NotYetDue,
        (Timing::Due, Derived::NoReport) => Outcome::NoReport,
        (Timing::Due, Derived::NotApplicable) => Outcome::NotApplicable,
        (Timing::Due, Derived::Completed) => match (completed_on, due) {
            (Some(c), Some(d)) if c > d => Outcome::DoneLate,
            _ => Outcome::DoneOnTime,
        },
        (Timing::Due, _) => match due {
            Some(d) if d < as_of => Outcome::OpenOverdue,
            _ => Outcome::OpenInTime,
        },
    }
}

/// Completion date: the latest evidence date of the completed deciders, the
/// cut-off standing in for a missing one.
pub fn completion_date(deciders: &[&OwnerStatus], as_of: NaiveDate) -> Option<NaiveDate> {
    deciders
        .iter()
        .filter(|o| o.status == Some(Status::Completed))
        .map(|o| o.evidence_date.unwrap_or(as_of))
        .max()
}

/// Counts per bucket, and the official rate.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub tasks: usize,
    pub done_on_time: usize,
    pub done_late: usize,
    pub open_in_time: usize,
    pub open_overdue: usize,
    pub open_ended: usize,
    /// Open-ended tasks whose owners all reported completed (for the period).
    pub open_ended_completed: usize,
    pub not_yet_due: usize,
    pub no_report: usize,
    pub not_applicable: usize,
}

impl Counts {
    pub fn add(&mut self, t: &TaskResult) {
        self.tasks += 1;
        match t.outcome {
            Outcome::DoneOnTime => self.done_on_time += 1,
            Outcome::DoneLate => self.done_late += 1,
            Outcome::OpenInTime => self.open_in_time += 1,
            Outcome::OpenOverdue => self.open_overdue += 1,
            Outcome::OpenEnded => {
                self.open_ended += 1;
                if t.status == Derived::Completed {
                    self.open_ended_completed += 1;
                }
            }
            Outcome::NotYetDue => self.not_yet_due += 1,
            Outcome::NoReport => self.no_report += 1,
            Outcome::NotApplicable => self.not_applicable += 1,
        }
    }

    /// Tasks due by the cut-off, reported on or not.
    pub fn due(&self) -> usize {
        self.done() + self.not_done()
    }

    pub fn done(&self) -> usize {
        self.done_on_time + self.done_late
    }

    /// Due tasks not completed: in time, overdue, or without a report.
    pub fn not_done(&self) -> usize {
        self.open_in_time + self.open_overdue + self.no_report
    }

    /// Completion rate over due tasks, in percent; None when nothing is due.
    pub fn rate(&self) -> Option<f64> {
        let due = self.due();
        (due > 0).then(|| 100.0 * self.done() as f64 / due as f64)
    }

    pub fn of(&self, o: Outcome) -> usize {
        match o {
            Outcome::DoneOnTime => self.done_on_time,
            Outcome::DoneLate => self.done_late,
            Outcome::OpenInTime => self.open_in_time,
            Outcome::OpenOverdue => self.open_overdue,
            Outcome::OpenEnded => self.open_ended,
            Outcome::NotYetDue => self.not_yet_due,
            Outcome::NoReport => self.no_report,
            Outcome::NotApplicable => self.not_applicable,
        }
    }
}

/// One area of the plan with its counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaSummary {
    pub area_id: String,
    pub number: String,
    pub title: String,
    pub counts: Counts,
}

/// One expected unit's own task picture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgencyTasks {
    pub code: String,
    pub name: String,
    pub reported: bool,
    /// Tasks it decides (leads, or for its communes) and cooperates on.
    pub lead: usize,
    pub cooperating: usize,
    /// Statuses it reported on the tasks it leads.
    pub completed: usize,
    pub in_progress: usize,
    pub not_started: usize,
    pub not_applicable: usize,
    /// Assigned tasks with no status in its return.
    pub blank: usize,
    /// Due tasks it leads, not completed, past their due date.
    pub overdue: usize,
    /// Tasks it leads that are due by the cut-off (same rule as the
    /// province's count), and how many of them it reported completed; a
    /// unit without a counted return has completed none.
    pub due: usize,
    pub due_done: usize,
}

impl AgencyTasks {
    pub fn new(code: &str, name: String, reported: bool) -> AgencyTasks {
        AgencyTasks {
            code: code.to_string(),
            name,
            reported,
            lead: 0,
            cooperating: 0,
            completed: 0,
            in_progress: 0,
            not_started: 0,
            not_applicable: 0,
            blank: 0,
            overdue: 0,
            due: 0,
            due_done: 0,
        }
    }

    /// Completion over its due tasks, in percent (the province's method).
    pub fn due_rate(&self) -> Option<f64> {
        (self.due > 0).then(|| 100.0 * self.due_done as f64 / self.due as f64)
    }

    /// Completion over the tasks it leads (less those not applicable), in percent.
    pub fn rate(&self) -> Option<f64> {
        let base = self.lead.saturating_sub(self.not_applicable);
        (base > 0).then(|| 100.0 * self.completed as f64 / base as f64)
    }
}
