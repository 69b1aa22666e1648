//! Compilation: from the period's returns to the figures of the province's
//! report. Pure logic, no I/O. [`ledger`] decides which file of each agency
//! counts; [`completeness`] who reported, on time or late, and who is owed;
//! [`tasks`] derives every task's status and bucket from its owners' returns;
//! [`indicators`] sums the figures and recomputes rates. [`compile`] streams
//! the returns once (only counted ones contribute) into a [`Compilation`],
//! which the document and workbook render.

pub mod completeness;
pub mod indicators;
pub mod ledger;
pub mod rollup;
pub mod tasks;

use crate::agencies::Directory;
use crate::form::indicators::Catalogue;
use crate::form::{Status, Submission, TaskReport};
use crate::period::{Period, Schedule};
use crate::plan::{Plan, Role};
use chrono::NaiveDate;
pub use completeness::{Completeness, Letterhead, UnitReport, UnitState};
pub use indicators::IndicatorTotal;
pub use ledger::{EntryStatus, Ledger, LedgerEntry, LedgerInput};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
pub use tasks::{
    AgencyTasks, AreaSummary, Attributed, Counts, Derived, Outcome, OwnerStatus, Span, TaskResult,
    Timing,
};

/// What compilation reads besides the returns.
pub struct Inputs<'a> {
    pub plan: &'a Plan,
    pub directory: &'a Directory,
    pub schedule: &'a Schedule,
    pub catalogue: &'a Catalogue,
    pub period: &'a Period,
    /// Codes of the units expected to report, in the order reports list them.
    pub expected: Vec<String>,
    /// Units that ended inside the period (see [`rollup::admit`]): their
    /// returns roll up under their successors.
    pub ended: Vec<rollup::RolledUp>,
}

impl<'a> Inputs<'a> {
    /// Inputs with the directory's reporting units as the expected list.
    pub fn new(
        plan: &'a Plan,
        directory: &'a Directory,
        schedule: &'a Schedule,
        catalogue: &'a Catalogue,
        period: &'a Period,
    ) -> Inputs<'a> {
        let expected = directory
            .reporting_units()
            .iter()
            .map(|a| a.code.clone())
            .collect();
        Inputs {
            plan,
            directory,
            schedule,
            catalogue,
            period,
            expected,
            ended: Vec::new(),
        }
    }
}

/// One task row of a counted return, flattened for the workbook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerRow {
    pub agency: String,
    pub task_id: String,
    pub label: String,
    pub area: String,
    pub role: Option<Role>,
    pub status: Option<Status>,
    pub percent: Option<f64>,
    pub result: String,
    pub evidence: String,
    pub evidence_date: Option<NaiveDate>,
    pub difficulties: String,
    pub proposals: String,
}

/// One figure of a counted return.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureRow {
    pub agency: String,
    pub code: String,
    pub value: f64,
}

/// Everything the report and the workbook show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compilation {
    pub period: Period,
    pub next_period: Period,
    /// The span section IV looks ahead to (after quý I: quý II).
    pub next_span: Span,
    /// Data cut-off the statuses are judged at (`Period::window_end`).
    pub as_of: NaiveDate,
    pub plan_title: String,
    pub plan_decision: Option<String>,
    pub plan_fingerprint: String,
    pub ledger: Ledger,
    pub completeness: Completeness,
    pub tasks: Vec<TaskResult>,
    pub areas: Vec<AreaSummary>,
    pub total: Counts,
    pub agencies: Vec<AgencyTasks>,
    pub indicators: Vec<IndicatorTotal>,
    /// Indicators whose province totals break a declared relation: listed in
    /// `notes`, left out of the report's text.
    pub suspect_indicators: Vec<String>,
    pub answers: Vec<AnswerRow>,
    pub figures: Vec<FigureRow>,
    /// Dated tasks falling due in `next_span`, plus due ones not completed
    /// (carried over), in plan order.
    pub next_tasks: Vec<String>,
    /// Difficulties and proposals over all tasks, grouped by wording.
    pub difficulties: Vec<Attributed>,
    pub proposals: Vec<Attributed>,
    /// What compilation noticed and set aside (Vietnamese), never silently.
    pub notes: Vec<String>,
    /// Units that ended inside the period and where their figures went
    /// (listed in Annex II).
    pub rolled_up: Vec<rollup::RolledUp>,
    /// The indicator totals of each level that reported (provincial units,
    /// districts, communes), rates recomputed from that level's sums.
    pub indicators_by_level: Vec<indicators::LevelTotals>,
}

impl Compilation {
    pub fn task(&self, id: &str) -> Option<&TaskResult> {
        self.tasks.iter().find(|t| t.task_id == id)
    }

    pub fn area(&self, id: &str) -> Option<&AreaSummary> {
        self.areas.iter().find(|a| a.area_id == id)
    }

    /// Display name of an agency code.
    pub fn name_of<'d>(&self, directory: &'d Directory, code: &'d str) -> &'d str {
        directory.get(code).map(|a| a.name.as_str()).unwrap_or(code)
    }
}

/// What one owner said on one task.
#[derive(Debug, Clone, Default)]
struct Said {
    status: Option<Status>,
    percent: Option<f64>,
    evidence_date: Option<NaiveDate>,
}

/// Grouped texts: wording → agencies, with first-seen order.
#[derive(Debug, Default)]
struct Texts {
    groups: Vec<Attributed>,
    index: HashMap<String, usize>,
    /// (group, agency) pairs already added; only kept when merging across
    /// tasks, since within one task each agency has one counted return.
    seen: Option<HashSet<(usize, String)>>,
}

impl Texts {
    fn add(&mut self, agency: &str, text: &str) {
        self.add_many(std::slice::from_ref(&agency.to_string()), text);
    }

    /// Adds agencies that wrote the same text (normalised once).
    fn add_many(&mut self, agencies: &[String], text: &str) {
        let text = crate::text::clean(text);
        if text.is_empty() {
            return;
        }
        let key = crate::text::fold(&text)
            .trim_end_matches(['.', ';'])
            .to_string();
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                self.index.insert(key, self.groups.len());
                self.groups.push(Attributed {
                    agencies: Vec::new(),
                    text,
                });
                self.groups.len() - 1
            }
        };
        for a in agencies {
            let new = match &mut self.seen {
                Some(seen) => seen.insert((i, a.clone())),
                None => true,
            };
            if new {
                self.groups[i].agencies.push(a.clone());
            }
        }
    }

    /// A collection that merges texts across tasks (an agency counted once per wording).
    fn merging() -> Texts {
        Texts {
            seen: Some(HashSet::new()),
            ..Texts::default()
        }
    }

    /// Groups ordered by the first agency's position in the expected list.
    fn finish(mut self, pos: &HashMap<&str, usize>) -> Vec<Attributed> {
        let at = |c: &String| pos.get(c.as_str()).copied().unwrap_or(usize::MAX);
        for g in &mut self.groups {
            g.agencies.sort_by(|a, b| (at(a), a).cmp(&(at(b), b)));
        }
        let rank = |a: &Attributed| a.agencies.first().map(at);
        self.groups
            .sort_by(|a, b| (rank(a), &a.text).cmp(&(rank(b), &b.text)));
        self.groups
    }
}

/// Running state while the returns stream through.
struct Accumulator<'a> {
    inputs: &'a Inputs<'a>,
    owners: HashMap<String, Vec<(String, Role)>>,
    /// Task id → agency → role, for the answer rows.
    roles: HashMap<String, HashMap<String, Role>>,
    said: HashMap<(String, String), Said>,
    reported: HashSet<String>,
    results: HashMap<String, Texts>,
    difficulties: HashMap<String, Texts>,
    proposals: HashMap<String, Texts>,
    sums: indicators::Sums,
    level_sums: indicators::LevelSums,
    answers: Vec<AnswerRow>,
    figures: Vec<FigureRow>,
    notes: Vec<String>,
}

impl<'a> Accumulator<'a> {
    fn new(inputs: &'a Inputs<'a>) -> Accumulator<'a> {
        let owners = tasks::owners(inputs.plan, inputs.directory, &inputs.expected);
        let roles = owners
            .iter()
            .map(|(task, list)| (task.clone(), list.iter().cloned().collect()))
            .collect();
        Accumulator {
            inputs,
            owners,
            roles,
            said: HashMap::new(),
            reported: HashSet::new(),
            results: HashMap::new(),
            difficulties: HashMap::new(),
            proposals: HashMap::new(),
            sums: indicators::Sums::default(),
            level_sums: indicators::LevelSums::default(),
            answers: Vec::new(),
            figures: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn add(&mut self, mut s: Submission) {
        let plan = self.inputs.plan;
        // A predecessor's return counts for its successor; the successor's
        // own statements on a task take precedence whatever the order.
        let ended = self.inputs.ended.iter().find(|r| r.code == s.agency);
        let heir = ended.and_then(|r| r.heir.clone());
        let own = ended.is_none();
        if s.plan_fingerprint != plan.meta.fingerprint {
            self.notes.push(format!(
                "Báo cáo của {} («{}») lập theo kế hoạch mã {}, khác kế hoạch đang dùng ({}); các nhiệm vụ trùng mã vẫn được tổng hợp.",
                s.agency, s.source.path, s.plan_fingerprint, plan.meta.fingerprint
            ));
        }
        if let Some(h) = &heir {
            s.agency = h.clone();
        }
        self.reported.insert(s.agency.clone());
        self.sums.add(&s.indicators);
        if let Some(a) = self.inputs.directory.get(&s.agency) {
            self.level_sums.add(a.level, &s.indicators);
        }
        for (code, value) in &s.indicators {
            if self.inputs.catalogue.get(code).is_none() {
                self.notes.push(format!(
                    "Báo cáo của {} có chỉ số mã «{code}» không có trong danh mục chỉ số; không cộng vào tổng.",
                    s.agency
                ));
            }
            self.figures.push(FigureRow {
                agency: s.agency.clone(),
                code: code.clone(),
                value: *value,
            });
        }
        for t in s.tasks {
            self.add_task(&s.agency, t, own);
        }
    }

    fn add_task(&mut self, agency: &str, t: TaskReport, own: bool) {
        let Some(task) = self.inputs.plan.task(&t.task_id) else {
            self.notes.push(format!(
                "Báo cáo của {agency} có mã nhiệm vụ «{}» không có trong kế hoạch; chỉ liệt kê trong bảng tổng hợp.",
                t.task_id
            ));
            self.push_answer(agency, t, None, String::new(), String::new());
            return;
        };
        let role = self
            .roles
            .get(&t.task_id)
            .and_then(|o| o.get(agency))
            .copied();
        for (texts, text) in [
            (&mut self.results, &t.result),
            (&mut self.difficulties, &t.difficulties),
            (&mut self.proposals, &t.proposals),
        ] {
            texts
                .entry(t.task_id.clone())
                .or_default()
                .add(agency, text);
        }
        let key = (t.task_id.clone(), agency.to_string());
        if own || !self.said.contains_key(&key) {
            self.said.insert(
                key,
                Said {
                    status: t.status,
                    percent: t.percent,
                    evidence_date: t.evidence_date,
                },
            );
        }
        let (label, area) = (task.label.clone(), task.area_id.clone());
        self.push_answer(agency, t, role, label, area);
    }

    fn push_answer(
        &mut self,
        agency: &str,
        t: TaskReport,
        role: Option<Role>,
        label: String,
        area: String,
    ) {
        self.answers.push(AnswerRow {
            agency: agency.to_string(),
            task_id: t.task_id,
            label,
            area,
            role,
            status: t.status,
            percent: t.percent,
            result: t.result,
            evidence: t.evidence,
            evidence_date: t.evidence_date,
            difficulties: t.difficulties,
            proposals: t.proposals,
        });
    }
}

/// Compiles the period: `submissions` stream through once; only those the
/// ledger counts (same path and hash as a counted entry) contribute.
pub fn compile(
    inputs: &Inputs,
    ledger: Ledger,
    submissions: impl IntoIterator<Item = Submission>,
) -> Compilation {
    let mut acc = Accumulator::new(inputs);
    // One per agency at most.
    let counted: Vec<LedgerEntry> = ledger.counted().map(|e| e.into_owned()).collect();
    let index: HashMap<(&str, &str), &LedgerEntry> = counted
        .iter()
        .map(|e| ((e.path.as_str(), e.sha256.as_str()), e))
        .collect();
    let mut seen_counted = HashSet::new();
    for s in submissions {
        let counted = index.get(&(s.source.path.as_str(), s.source.sha256.as_str()));
        match counted {
            Some(e) if e.agency.as_deref() != Some(s.agency.as_str()) => acc.notes.push(format!(
                "Tệp «{}»: sổ tiếp nhận ghi đơn vị {}, nội dung ghi đơn vị {}; không tổng hợp.",
                s.source.path,
                e.agency.as_deref().unwrap_or("?"),
                s.agency
            )),
            // A second copy of the same counted file is read once.
            Some(e) if seen_counted.insert(e.seq) => acc.add(s),
            _ => {}
        }
    }
    drop(index);
    for e in &counted {
        if !seen_counted.contains(&e.seq) {
            acc.notes.push(format!(
                "Tệp «{}» được tính trong sổ tiếp nhận nhưng không có nội dung báo cáo đi kèm; chưa tổng hợp được.",
                e.path
            ));
        }
    }
    finish(inputs, ledger, acc)
}

fn finish(inputs: &Inputs, ledger: Ledger, mut acc: Accumulator) -> Compilation {
    let period = inputs.period;
    let as_of = period.window_end;
    let pos: HashMap<&str, usize> = inputs
        .expected
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut completeness =
        Completeness::assess(&ledger, &inputs.expected, inputs.directory, period);
    // Predecessors' returns are rolled up, not unexpected.
    completeness
        .unexpected
        .retain(|c| !inputs.ended.iter().any(|r| &r.code == c));
    let mut all_difficulties = Texts::merging();
    let mut all_proposals = Texts::merging();
    let mut results = Vec::new();
    for task in &inputs.plan.tasks {
        let r = task_result(task, &mut acc, as_of, period, &pos);
        for g in &r.difficulties {
            all_difficulties.add_many(&g.agencies, &g.text);
        }
        for g in &r.proposals {
            all_proposals.add_many(&g.agencies, &g.text);
        }
        results.push(r);
    }
    let areas = area_summaries(inputs.plan, &results);
    let mut total = Counts::default();
    results.iter().for_each(|t| total.add(t));
    let agencies = agency_tasks(inputs, &acc, &results);
    let next_period = inputs.schedule.next_after(period);
    let next_span = Span::after(period);
    let next_tasks = next_tasks(inputs.plan, &next_span, &results);
    let indicators = acc.sums.totals(inputs.catalogue);
    let indicators_by_level = acc.level_sums.totals(inputs.catalogue);
    let (breaks, suspect) = indicators::check_totals(inputs.catalogue, &indicators);
    acc.notes.extend(breaks);
    acc.notes.sort();
    acc.notes.dedup();
    Compilation {
        period: period.clone(),
        next_period,
        next_span,
        as_of,
        plan_title: inputs.plan.meta.title.clone(),
        plan_decision: inputs.plan.meta.decision_number.clone(),
        plan_fingerprint: inputs.plan.meta.fingerprint.clone(),
        ledger,
        completeness,
        tasks: results,
        areas,
        total,
        agencies,
        indicators,
        suspect_indicators: suspect,
        answers: acc.answers,
        figures: acc.figures,
        next_tasks,
        difficulties: all_difficulties.finish(&pos),
        proposals: all_proposals.finish(&pos),
        notes: acc.notes,
        rolled_up: inputs.ended.clone(),
        indicators_by_level,
    }
}

fn task_result(
    task: &crate::plan::Task,
    acc: &mut Accumulator,
    as_of: NaiveDate,
    period: &Period,
    pos: &HashMap<&str, usize>,
) -> TaskResult {
    let owners: Vec<OwnerStatus> = acc.owners[&task.id]
        .iter()
        .map(|(code, role)| {
            let reported = acc.reported.contains(code);
            let said = acc
                .said
                .get(&(task.id.clone(), code.clone()))
                .cloned()
                .unwrap_or_default();
            OwnerStatus {
                agency: code.clone(),
                role: *role,
                reported,
                status: said.status,
                percent: said.percent,
                evidence_date: said.evidence_date,
            }
        })
        .collect();
    let has_lead = owners.iter().any(|o| o.role != Role::Cooperating);
    let decided_by = if has_lead {
        Role::Lead
    } else {
        Role::Cooperating
    };
    let deciders: Vec<&OwnerStatus> = owners
        .iter()
        .filter(|o| (o.role != Role::Cooperating) == has_lead)
        .collect();
    let status = tasks::derive(&deciders);
    let timing = tasks::timing(task, period);
    let due = tasks::period_due(task, period);
    let completed_on = (status == Derived::Completed)
        .then(|| tasks::completion_date(&deciders, as_of))
        .flatten();
    let outcome = tasks::outcome(timing, status, due, completed_on, as_of);
    let codes = |f: &dyn Fn(&&OwnerStatus) -> bool| -> Vec<String> {
        deciders
            .iter()
            .filter(|o| f(o))
            .map(|o| o.agency.clone())
            .collect()
    };
    let behind = codes(&|o| {
        o.reported && !matches!(o.status, Some(Status::Completed | Status::NotApplicable))
    });
    let missing = codes(&|o| !o.reported);
    let completed_by = deciders
        .iter()
        .filter(|o| o.status == Some(Status::Completed))
        .count();
    let non_reporting_leads = task
        .lead
        .members
        .iter()
        .filter(|m| {
            !pos.contains_key(m.code.as_str())
                && acc
                    .inputs
                    .directory
                    .get(&m.code)
                    .is_some_and(|a| a.level != crate::agencies::Level::Xa)
        })
        .map(|m| m.code.clone())
        .collect();
    let take = |map: &mut HashMap<String, Texts>| {
        map.remove(&task.id)
            .map(|t| t.finish(pos))
            .unwrap_or_default()
    };
    TaskResult {
        task_id: task.id.clone(),
        label: task.label.clone(),
        area_id: task.area_id.clone(),
        content: task.content.clone(),
        deadline: task.deadline.raw.clone(),
        due,
        final_due: task.deadline.final_due(),
        timing,
        status,
        outcome,
        completed_on,
        deciders: deciders.len(),
        completed_by,
        behind,
        missing,
        decided_by,
        owners: owners.clone(),
        non_reporting_leads,
        results: take(&mut acc.results),
        difficulties: take(&mut acc.difficulties),
        proposals: take(&mut acc.proposals),
    }
}

fn area_summaries(plan: &Plan, results: &[TaskResult]) -> Vec<AreaSummary> {
    plan.areas
        .iter()
        .map(|a| {
            let mut counts = Counts::default();
            results
                .iter()
                .filter(|t| t.area_id == a.id)
                .for_each(|t| counts.add(t));
            AreaSummary {
                area_id: a.id.clone(),
                number: a.number.clone(),
                title: a.title.clone(),
                counts,
            }
        })
        .collect()
}

fn agency_tasks(inputs: &Inputs, acc: &Accumulator, results: &[TaskResult]) -> Vec<AgencyTasks> {
    let mut by_code: HashMap<&str, AgencyTasks> = inputs
        .expected
        .iter()
        .map(|code| {
            let name = inputs
                .directory
                .get(code)
                .map(|a| a.name.clone())
                .unwrap_or_else(|| code.clone());
            (
                code.as_str(),
                AgencyTasks::new(code, name, acc.reported.contains(code)),
            )
        })
        .collect();
    for t in results {
        for o in &t.owners {
            let Some(a) = by_code.get_mut(o.agency.as_str()) else {
                continue;
            };
            if o.role == Role::Cooperating {
                a.cooperating += 1;
            } else {
                a.lead += 1;
                count_owner(a, o, t, inputs.period.window_end);
            }
        }
    }
    inputs
        .expected
        .iter()
        .filter_map(|c| by_code.remove(c.as_str()))
        .collect()
}

fn count_owner(a: &mut AgencyTasks, o: &OwnerStatus, t: &TaskResult, as_of: NaiveDate) {
    match (o.reported, o.status) {
        (false, _) => {}
        (true, Some(Status::Completed)) => a.completed += 1,
        (true, Some(Status::InProgress)) => a.in_progress += 1,
        (true, Some(Status::NotStarted)) => a.not_started += 1,
        (true, Some(Status::NotApplicable)) => a.not_applicable += 1,
        (true, None) => a.blank += 1,
    }
    let applies = !(o.reported && o.status == Some(Status::NotApplicable));
    let done = o.reported && o.status == Some(Status::Completed);
    if t.timing == Timing::Due && applies {
        a.due += 1;
        if done {
            a.due_done += 1;
        } else if t.due.is_some_and(|d| d < as_of) {
            a.overdue += 1;
        }
    }
}

fn next_tasks(plan: &Plan, next: &Span, results: &[TaskResult]) -> Vec<String> {
    plan.tasks
        .iter()
        .zip(results)
        .filter(|(task, r)| {
            let due_next = task
                .deadline
                .milestones
                .iter()
                .any(|m| m.due_by.is_some_and(|d| next.contains(d)));
            r.status != Derived::Completed && (due_next || r.outcome.is_behind())
        })
        .map(|(t, _)| t.id.clone())
        .collect()
}

/// Builds ledger inputs for returns given without a ledger: every return is
/// taken as accepted, received at the date in its file name, or its file
/// date, or else the period's due date (`ledger::received_time`).
pub fn ledger_inputs_from(submissions: &[Submission], period: &Period) -> Vec<LedgerInput> {
    submissions
        .iter()
        .map(|s| LedgerInput {
            path: s.source.path.clone(),
            sha256: s.source.sha256.clone(),
            agency: Some(s.agency.clone()),
            period: Some(s.period.clone()),
            received: ledger::received_time(
                &s.source.path,
                None,
                s.source.modified.as_deref(),
                period.due,
            ),
            accepted: true,
            reasons: Vec::new(),
        })
        .collect()
}

/// `2024-03-14T09:30:00`, `2024-03-14 09:30`, or `2024-03-14`.
pub fn parse_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim();
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// A convenience for callers: counts per status of a ledger, in status order.
pub fn ledger_counts(ledger: &Ledger) -> BTreeMap<EntryStatus, usize> {
    let mut m = BTreeMap::new();
    for e in ledger.entries() {
        *m.entry(e.status).or_default() += 1;
    }
    m
}
