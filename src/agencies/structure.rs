//! A parsed plan checked against the structure of the directory in force:
//! a plan naming the district level ("UBND cấp huyện") when the directory
//! has no districts gets one clear diagnostic (not a silent "nobody"), and
//! each predecessor the plan names (merged departments) gets a note saying
//! which unit its tasks went to.

use super::resolve::DISTRICTS;
use super::successors::Successors;
use super::versions::Versions;
use super::Directory;
use crate::plan::{DiagKind, Diagnostic, Plan, Severity, Task};
use crate::text::tokens;
use chrono::NaiveDate;

/// What the check needs to know about the directory of the period.
pub struct Structure<'a> {
    pub directory: &'a Directory,
    /// e.g. "agencies-2025-07.csv (áp dụng từ 01/07/2025)".
    pub label: &'a str,
    pub versions: &'a Versions,
    pub successors: &'a Successors,
    /// The day the directory is taken at (the period's cut-off).
    pub date: NaiveDate,
}

fn folded(s: &str) -> Vec<String> {
    tokens(s).into_iter().map(|t| t.folded).collect()
}

fn contains(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn assignment_tokens(t: &Task) -> Vec<String> {
    let mut v = folded(&t.lead.raw);
    v.push("\n".into());
    v.extend(folded(&t.cooperating.raw));
    v
}

fn labels(tasks: &[&Task]) -> String {
    let shown: Vec<&str> = tasks.iter().take(8).map(|t| t.label.as_str()).collect();
    let more = tasks.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} và {more} nhiệm vụ khác", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Adds the structure diagnostics to `plan`.
pub fn check_plan(plan: &mut Plan, s: &Structure) {
    let mut found = Vec::new();
    if s.directory.districts().next().is_none() {
        found.extend(district_groups(plan, s));
    }
    found.extend(predecessors(plan, s));
    plan.diagnostics.extend(found);
}

/// One diagnostic for every task that names the district level.
fn district_groups(plan: &Plan, s: &Structure) -> Option<Diagnostic> {
    let phrases: Vec<Vec<String>> = DISTRICTS.iter().map(|p| folded(p)).collect();
    let tasks: Vec<&Task> = plan
        .tasks
        .iter()
        .filter(|t| {
            let toks = assignment_tokens(t);
            phrases.iter().any(|p| contains(&toks, p))
        })
        .collect();
    let first = tasks.first()?;
    Some(Diagnostic {
        kind: DiagKind::UnknownAgency,
        severity: Severity::Warning,
        line: first.lines.first,
        text: first.lead.raw.lines().next().unwrap_or_default().to_string(),
        message: format!(
            "Kế hoạch giao việc cho cấp huyện («UBND cấp huyện», «UBND các huyện, thị xã, thành phố»…) ở {} nhiệm vụ ({}), nhưng danh mục cơ quan {} không còn cấp huyện (chính quyền địa phương hai cấp từ 01/07/2025): phần giao cho cấp huyện không thuộc đơn vị nào. Hãy sửa kế hoạch thành «UBND các xã, phường, đặc khu» (hoặc «UBND cấp xã»), hoặc dùng danh mục cơ quan của năm kế hoạch.",
            tasks.len(),
            labels(&tasks),
            s.label
        ),
    })
}

/// One note per predecessor named in the plan whose tasks went to its heir.
fn predecessors(plan: &Plan, s: &Structure) -> Vec<Diagnostic> {
    let task_tokens: Vec<(&Task, Vec<String>)> = plan
        .tasks
        .iter()
        .map(|t| (t, assignment_tokens(t)))
        .collect();
    let mut out = Vec::new();
    for c in s.successors.changes.iter().filter(|c| c.from <= s.date) {
        if s.directory.get(&c.old).is_some() {
            continue;
        }
        let Some(old) = s.versions.find(&c.old) else {
            continue;
        };
        let names: Vec<Vec<String>> = std::iter::once(&old.name)
            .chain(std::iter::once(&old.short_name))
            .chain(&old.aliases)
            .map(|n| folded(n))
            .collect();
        let tasks: Vec<&Task> = task_tokens
            .iter()
            .filter(|(_, toks)| names.iter().any(|n| contains(toks, n)))
            .map(|(t, _)| *t)
            .collect();
        let Some(first) = tasks.first() else {
            continue;
        };
        let heir = s.successors.heir_on(&c.old, s.date);
        let (severity, what) = match heir.as_deref().and_then(|h| s.directory.get(h)) {
            Some(h) => (
                Severity::Info,
                format!(
                    "nay do {} ({}) đảm nhận (từ {}): các nhiệm vụ này giao cho {}.",
                    h.name,
                    h.code,
                    crate::period::dmy(c.from),
                    h.name
                ),
            ),
            None => (
                Severity::Warning,
                format!(
                    "đã giải thể từ {} và không có trong danh mục cơ quan {}: phần giao cho đơn vị này không thuộc ai. Hãy sửa kế hoạch.",
                    crate::period::dmy(c.from),
                    s.label
                ),
            ),
        };
        out.push(Diagnostic {
            kind: DiagKind::UnknownAgency,
            severity,
            line: first.lines.first,
            text: old.name.clone(),
            message: format!(
                "Kế hoạch nêu «{}» ({} nhiệm vụ: {}); đơn vị này {what}",
                old.name,
                tasks.len(),
                labels(&tasks)
            ),
        });
    }
    out
}

/// The recipients ("Nơi nhận") of a report for the structure of `directory`:
/// without districts, a line for the districts becomes one for the communes;
/// with communes reporting directly, they are listed after the departments.
pub fn adapt_recipients(lines: &mut Vec<String>, directory: &Directory) {
    const COMMUNES: &str = "UBND các xã, phường, đặc khu;";
    let phrases: Vec<Vec<String>> = DISTRICTS.iter().map(|p| folded(p)).collect();
    let names_districts = |l: &str| {
        let t = folded(l);
        phrases.iter().any(|p| contains(&t, p))
    };
    if directory.districts().next().is_none() {
        if let Some(i) = lines.iter().position(|l| names_districts(l)) {
            lines[i] = COMMUNES.to_string();
        }
        lines.retain(|l| !names_districts(l));
    }
    let communes_report = directory
        .reporting_units()
        .iter()
        .any(|a| a.level == super::Level::Xa);
    let named = folded("xã, phường");
    if communes_report && !lines.iter().any(|l| contains(&folded(l), &named)) {
        let at = lines
            .iter()
            .position(|l| crate::text::fold(l).contains("cac so"))
            .map_or(lines.len().saturating_sub(1), |i| i + 1);
        lines.insert(at, COMMUNES.to_string());
    }
}
