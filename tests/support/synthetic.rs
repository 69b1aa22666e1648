//! Synthetic returns for tests and benches: one `form::Submission` per unit,
//! with task statuses and figures chosen deterministically from the unit's
//! and the task's position, so that expected figures can be recomputed.
#![allow(dead_code)]

use cchc::agencies::Directory;
use cchc::form::indicators::Catalogue;
use cchc::form::{Source, Status, Submission, TaskReport};
use cchc::period::Period;
use cchc::plan::Plan;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A return for `agency` covering all its tasks, every one with `status`.
pub fn submission(
    plan: &Plan,
    dir: &Directory,
    cat: &Catalogue,
    period: &Period,
    agency: &str,
    status: Status,
    evidence: Option<NaiveDate>,
) -> Submission {
    let tasks = plan
        .tasks_for(agency, dir)
        .into_iter()
        .map(|a| report(&a.task.id, status, evidence, agency))
        .collect();
    let level = dir.get(agency).map(|a| a.level).expect("known agency");
    let indicators = cat
        .for_level(level)
        .iter()
        .enumerate()
        .map(|(i, ind)| (ind.code.clone(), figure(agency, i, ind.kind)))
        .collect();
    Submission {
        agency: agency.to_string(),
        period: period.id.clone(),
        plan_fingerprint: plan.meta.fingerprint.clone(),
        template_version: cchc::form::TEMPLATE_VERSION.to_string(),
        source: source(&format!("{agency}_{}.xlsx", period.id), agency),
        tasks,
        indicators,
    }
}

pub fn report(task: &str, status: Status, evidence: Option<NaiveDate>, agency: &str) -> TaskReport {
    let done = status == Status::Completed;
    TaskReport {
        task_id: task.to_string(),
        status: Some(status),
        percent: Some(match status {
            Status::Completed => 100.0,
            Status::InProgress => 50.0,
            _ => 0.0,
        }),
        result: format!("{agency} đã triển khai nhiệm vụ {task}."),
        evidence: if done {
            format!("Kế hoạch số 12/KH-{agency}")
        } else {
            String::new()
        },
        evidence_date: if done { evidence } else { None },
        difficulties: if status == Status::NotStarted {
            "Thiếu kinh phí thực hiện.".to_string()
        } else {
            String::new()
        },
        proposals: if status == Status::InProgress {
            "Đề nghị UBND tỉnh bổ sung biên chế cho bộ phận một cửa.".to_string()
        } else {
            String::new()
        },
    }
}

/// A deterministic figure: counts grow with the code position, percentages
/// are 50–99.
pub fn figure(agency: &str, i: usize, kind: cchc::form::indicators::Kind) -> f64 {
    let seed = agency.bytes().map(|b| b as usize).sum::<usize>() + i * 7;
    match kind {
        cchc::form::indicators::Kind::Percent => 50.0 + (seed % 50) as f64,
        _ => (seed % 97 + i) as f64,
    }
}

pub fn source(path: &str, salt: &str) -> Source {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (path, salt).hash(&mut h);
    Source {
        path: path.to_string(),
        sha256: format!("{:064x}", h.finish()),
        modified: None,
    }
}

/// Returns from every unit in `units`, all statuses `status`.
pub fn all(
    plan: &Plan,
    dir: &Directory,
    cat: &Catalogue,
    period: &Period,
    units: &[String],
    status: Status,
    evidence: Option<NaiveDate>,
) -> Vec<Submission> {
    units
        .iter()
        .map(|u| submission(plan, dir, cat, period, u, status, evidence))
        .collect()
}

/// Ledger inputs for returns: accepted, received at `at`.
pub fn inputs_at(
    subs: &[Submission],
    at: chrono::NaiveDateTime,
) -> Vec<cchc::compile::LedgerInput> {
    subs.iter()
        .map(|s| cchc::compile::LedgerInput {
            path: s.source.path.clone(),
            sha256: s.source.sha256.clone(),
            agency: Some(s.agency.clone()),
            period: Some(s.period.clone()),
            received: at,
            accepted: true,
            reasons: vec![],
        })
        .collect()
}

pub fn figures_of(s: &Submission) -> &BTreeMap<String, f64> {
    &s.indicators
}

/// A realistic quarter: statuses vary by unit and task (3 in 5 completed, with
/// some evidence dated after the task's due date), consistent dossier figures,
/// some difficulties and proposals.
pub fn mixed(
    plan: &Plan,
    dir: &Directory,
    cat: &Catalogue,
    period: &Period,
    units: &[String],
) -> Vec<Submission> {
    units
        .iter()
        .enumerate()
        .map(|(u, agency)| {
            let mut s = submission(plan, dir, cat, period, agency, Status::Completed, None);
            for (i, t) in s.tasks.iter_mut().enumerate() {
                let status = match (u + i) % 5 {
                    0..=2 => Status::Completed,
                    3 => Status::InProgress,
                    _ => Status::NotStarted,
                };
                let day = 1 + ((u * 7 + i * 3) % 28) as u32;
                let month = if (u + i) % 4 == 0 { 3 } else { 1 };
                *t = report(
                    &t.task_id,
                    status,
                    NaiveDate::from_ymd_opt(2024, month, day),
                    agency,
                );
            }
            let (a, b, c) = (
                (u * 13 % 40 + 10) as f64,
                (u * 29 % 300 + 100) as f64,
                (u % 6) as f64,
            );
            for (code, v) in [
                ("HS_TRUOCHAN", a),
                ("HS_DUNGHAN", b),
                ("HS_QUAHAN", c),
                ("HS_DAGIAIQUYET", a + b + c),
                ("HS_TYLE_DUNGHAN", 100.0 * (a + b) / (a + b + c)),
            ] {
                s.indicators.insert(code.to_string(), v);
            }
            s
        })
        .collect()
}
