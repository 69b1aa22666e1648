//! The 2025 yearly report spans three structures: quý I returns come from
//! the old departments and districts, quý III returns from the merged
//! departments and the new communes. The yearly compilation admits both,
//! rolls predecessors' figures up under their successors (dissolved
//! districts into the province total) and lists them in Annex II.

use cchc::agencies::successors::Successors;
use cchc::agencies::versions::Versions;
use cchc::compile::{self, rollup, EntryStatus, Inputs, Ledger, LedgerInput, UnitState};
use cchc::document::prose::Prose;
use cchc::document::ReportConfig;
use cchc::form::indicators::Catalogue;
use cchc::form::{Source, Status, Submission, TaskReport};
use cchc::period::{ymd, Schedule};
use cchc::plan;
use std::collections::BTreeMap;

fn plan_2025() -> String {
    std::fs::read_to_string("seeds/ke-hoach-cchc-2026-minh-hoa.txt")
        .unwrap()
        .replace("2026", "2025")
}

fn task(id: &str, status: Status, who: &str) -> TaskReport {
    TaskReport {
        task_id: id.to_string(),
        status: Some(status),
        percent: Some(if status == Status::Completed {
            100.0
        } else {
            40.0
        }),
        result: format!("{who} báo cáo nhiệm vụ {id}."),
        evidence: if status == Status::Completed {
            format!("12/KH-{who}")
        } else {
            String::new()
        },
        evidence_date: (status == Status::Completed).then(|| ymd(2025, 9, 1)),
        difficulties: String::new(),
        proposals: String::new(),
    }
}

fn submission(
    agency: &str,
    period: &str,
    fingerprint: &str,
    resolved: f64,
    tasks: Vec<TaskReport>,
) -> Submission {
    let mut indicators = BTreeMap::new();
    indicators.insert("HS_DAGIAIQUYET".to_string(), resolved);
    indicators.insert("HS_TRUOCHAN".to_string(), resolved / 2.0);
    indicators.insert("HS_DUNGHAN".to_string(), resolved / 2.0);
    indicators.insert("HS_QUAHAN".to_string(), 0.0);
    Submission {
        agency: agency.to_string(),
        period: period.to_string(),
        plan_fingerprint: fingerprint.to_string(),
        template_version: cchc::form::TEMPLATE_VERSION.to_string(),
        source: Source {
            path: format!("{period}_{agency}.xlsx"),
            sha256: format!(
                "{:0>64}",
                format!("{agency}{period}")
                    .bytes()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            ),
            modified: None,
        },
        tasks,
        indicators,
    }
}

#[test]
fn year_2025_rolls_predecessors_up_under_successors_and_says_so_in_annex_two() {
    let schedule = Schedule::embedded();
    let period = schedule.period("2025-Y").unwrap();
    let versions = Versions::embedded();
    let successors = Successors::embedded();
    let (dir, label) = versions.prepared(period.window_end, &successors);
    assert!(label.contains("agencies-2025-07.csv"));
    let plan = plan::parse::parse_text(&plan_2025(), &dir);
    assert_eq!(plan.meta.year, 2025);
    let fp = plan.meta.fingerprint.clone();
    let cat = Catalogue::embedded();
    // 5.a is led by Sở Tài chính alone.
    let stc_task = plan.tasks.iter().find(|t| t.label == "5.a").unwrap();
    assert_eq!(stc_task.lead.members.len(), 1);
    let t = stc_task.id.clone();
    let subs = vec![
        // Quý I: the old structure.
        submission(
            "SKHDT",
            "2025-Q1",
            &fp,
            100.0,
            vec![task(&t, Status::InProgress, "SKHDT")],
        ),
        submission("STNMT", "2025-Q1", &fp, 40.0, vec![]),
        submission("SNNPTNT", "2025-Q1", &fp, 60.0, vec![]),
        submission("H522", "2025-Q1", &fp, 500.0, vec![]),
        // Quý III: the new structure.
        submission(
            "STC",
            "2025-Q3",
            &fp,
            30.0,
            vec![task(&t, Status::Completed, "STC")],
        ),
        submission("SNNMT", "2025-Q3", &fp, 20.0, vec![]),
        submission("X21025", "2025-Q3", &fp, 7.0, vec![]),
        // A quý II return of a unit that still exists is another period.
        submission("STP", "2025-H1", &fp, 1000.0, vec![]),
    ];
    let received = |s: &Submission| match s.period.as_str() {
        "2025-Q1" => ymd(2025, 3, 14),
        "2025-H1" => ymd(2025, 6, 14),
        _ => ymd(2025, 9, 14),
    };
    let mut ledger_inputs: Vec<LedgerInput> = subs
        .iter()
        .map(|s| LedgerInput {
            path: s.source.path.clone(),
            sha256: s.source.sha256.clone(),
            agency: Some(s.agency.clone()),
            period: Some(s.period.clone()),
            received: received(s).and_hms_opt(9, 0, 0).unwrap(),
            accepted: true,
            reasons: vec![],
        })
        .collect();
    let names = |code: &str| {
        versions
            .find(code)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let admission = rollup::admit(
        &mut ledger_inputs,
        &period,
        &schedule,
        &dir,
        &successors,
        &names,
    );
    // 7 departments merged on 1/3, 13 districts dissolved on 1/7.
    assert_eq!(admission.ended.len(), 20);
    let mut inputs = Inputs::new(&plan, &dir, &schedule, &cat, &period);
    assert_eq!(inputs.expected.len(), 111);
    inputs.ended = admission.ended.clone();
    let ledger = Ledger::build(&period.id, ledger_inputs);
    let status_of = |agency: &str| {
        ledger
            .entries()
            .find(|e| e.agency.as_deref() == Some(agency))
            .unwrap()
            .clone()
    };
    let skhdt = status_of("SKHDT");
    assert_eq!(skhdt.status, EntryStatus::Accepted);
    assert!(
        skhdt.reason.contains("quý I năm 2025") && skhdt.reason.contains("Sở Tài chính"),
        "{}",
        skhdt.reason
    );
    assert_eq!(status_of("STC").status, EntryStatus::Accepted);
    assert_eq!(status_of("X21025").status, EntryStatus::Accepted);
    assert_eq!(status_of("STP").status, EntryStatus::OtherPeriod);
    let c = compile::compile(&inputs, ledger, subs);

    // Figures: every admitted return adds to the province total once.
    let total = c
        .indicators
        .iter()
        .find(|i| i.code == "HS_DAGIAIQUYET")
        .unwrap();
    assert_eq!(
        total.total,
        Some(100.0 + 40.0 + 60.0 + 500.0 + 30.0 + 20.0 + 7.0)
    );
    // …and predecessors' figures sit under their successors.
    let under = |agency: &str| -> f64 {
        c.figures
            .iter()
            .filter(|f| f.agency == agency && f.code == "HS_DAGIAIQUYET")
            .map(|f| f.value)
            .sum()
    };
    assert_eq!(under("STC"), 130.0);
    assert_eq!(under("SNNMT"), 20.0 + 40.0 + 60.0);
    assert_eq!(under("SKHDT"), 0.0);
    // The successor's own statement decides its task, whatever the order.
    let r = c.task(&t).unwrap();
    assert_eq!(r.completed_by, 1, "{r:?}");

    // Completeness: 111 expected; successors reported; no district "chưa gửi".
    assert_eq!(c.completeness.expected, 111);
    let state = |code: &str| {
        c.completeness
            .units
            .iter()
            .find(|u| u.code == code)
            .map(|u| u.state)
    };
    assert_eq!(state("STC"), Some(UnitState::OnTime));
    assert_eq!(state("X21025"), Some(UnitState::OnTime));
    assert_eq!(state("H522"), None);
    assert!(
        c.completeness.unexpected.is_empty(),
        "{:?}",
        c.completeness.unexpected
    );

    // Annex II lists the units that ended and where their figures went.
    let prose = Prose::new(&c, &ReportConfig::embedded(), &dir);
    let annex = prose
        .annexes
        .iter()
        .find(|a| a.number == "Phụ lục II")
        .unwrap();
    let row = |needle: &str| {
        annex
            .rows
            .iter()
            .find(|r| r[1].contains(needle))
            .unwrap_or_else(|| panic!("no Annex II row for {needle}"))
            .clone()
    };
    let r = row("Sở Kế hoạch và Đầu tư");
    assert!(
        r[1].contains("từ 01/03/2025 do Sở Tài chính đảm nhận")
            && r[1].contains("số liệu báo cáo quý I năm 2025 được cộng vào Sở Tài chính"),
        "{r:?}"
    );
    assert_eq!(r[2], "Đã gửi, cộng vào đơn vị kế thừa");
    let r = row("thành phố Quảng Ngãi");
    assert!(r[1].contains("đã giải thể từ 01/07/2025"), "{r:?}");
    assert_eq!(r[2], "Đã gửi, cộng vào tổng của tỉnh");
    let r = row("huyện Bình Sơn");
    assert_eq!(r[2], "Đã giải thể");
    assert!(r[1].contains("không có báo cáo trong kỳ"));
    assert!(
        !annex
            .rows
            .iter()
            .any(|r| r[1].contains("huyện") && r[2] == "Chưa gửi"),
        "a dissolved district is never «Chưa gửi»"
    );
}

#[test]
fn a_predecessor_return_in_a_later_period_goes_to_its_successor_with_a_note() {
    let schedule = Schedule::embedded();
    let period = schedule.period("2026-Q1").unwrap();
    let versions = Versions::embedded();
    let successors = Successors::embedded();
    let (dir, _) = versions.prepared(period.window_end, &successors);
    let mut inputs = vec![LedgerInput {
        path: "2026-Q1_SNNPTNT.xlsx".into(),
        sha256: "a".repeat(64),
        agency: Some("SNNPTNT".into()),
        period: Some("2026-Q1".into()),
        received: ymd(2026, 3, 10).and_hms_opt(8, 0, 0).unwrap(),
        accepted: true,
        reasons: vec![],
    }];
    let names = |code: &str| versions.find(code).map(|a| a.name.clone()).unwrap();
    let a = rollup::admit(&mut inputs, &period, &schedule, &dir, &successors, &names);
    assert!(a.ended.is_empty());
    assert_eq!(inputs[0].agency.as_deref(), Some("SNNMT"));
    assert_eq!(a.notes.len(), 1);
    assert!(
        a.notes[0].contains("Sở Nông nghiệp và Phát triển nông thôn")
            && a.notes[0].contains("Sở Nông nghiệp và Môi trường"),
        "{}",
        a.notes[0]
    );
    let ledger = Ledger::build(&period.id, inputs);
    assert_eq!(
        ledger.counted_for("SNNMT").unwrap().status,
        EntryStatus::Accepted
    );
}
