//! Intake against real templates (`cchc::template::build` with prefilled
//! answers), directly and after a LibreOffice round trip (.xlsx, .xls, .ods),
//! including a file whose layout LibreOffice shifted (rows and columns
//! inserted by a macro), and a folder of good and bad files through the CLI.

mod intake_util;

use cchc::form::{Status, TaskColumn, TaskReport};
use cchc::intake::Outcome;
use cchc::template::{self, Answers, TemplateInput};
use chrono::NaiveDate;
use intake_util::*;

fn generated_at() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 3, 1).unwrap().and_hms_opt(8, 0, 0).unwrap()
}

/// Correct answers for every assigned task and figure.
fn good_answers(w: &World, agency: &str, period: &cchc::period::Period) -> Answers {
    let mut a = Answers::default();
    for x in w.plan.tasks_for(agency, &w.dir) {
        a.report(&TaskReport {
            task_id: x.task.id.clone(),
            status: Some(Status::Completed),
            percent: Some(100.0),
            result: "Đã ban hành kế hoạch và triển khai thực hiện.".into(),
            evidence: "Kế hoạch số 15/KH-UBND".into(),
            evidence_date: Some(period.window_end - chrono::Duration::days(3)),
            difficulties: String::new(),
            proposals: String::new(),
        });
    }
    let level = w.dir.get(agency).unwrap().level;
    for i in w.catalogue.for_level(level) {
        a.figure(&i.code, good_figure_value(&i.code));
    }
    a
}

fn good_figure_value(code: &str) -> f64 {
    match code {
        "HS_KYTRUOC" => 10.0,
        "HS_TIEPNHAN_TRUCTUYEN" => 60.0,
        "HS_TIEPNHAN_TRUCTIEP" => 30.0,
        "HS_DAGIAIQUYET" => 90.0,
        "HS_TRUOCHAN" => 20.0,
        "HS_DUNGHAN" => 65.0,
        "HS_QUAHAN" => 5.0,
        "HS_DANGGIAIQUYET_TRONGHAN" => 8.0,
        "HS_DANGGIAIQUYET_QUAHAN" => 2.0,
        "HS_TYLE_DUNGHAN" => 94.4,
        "DVC_HS_TRUCTUYEN_TYLE" => 66.7,
        "HS_TIEPNHAN_BUUCHINH" | "HS_XINLOI" => 0.0,
        _ => 3.0,
    }
}

fn build(w: &World, agency: &str, period: &cchc::period::Period, answers: &Answers) -> Vec<u8> {
    let input = TemplateInput {
        plan: &w.plan,
        directory: &w.dir,
        catalogue: &w.catalogue,
        period,
        agency: w.dir.get(agency).unwrap(),
        key: &w.key,
        generated_at: generated_at(),
        password: None,
    };
    template::build(&input, Some(answers)).unwrap()
}

fn show(o: &Outcome) -> String {
    o.findings.iter().map(|f| format!("{} {} {}: {}", f.code, f.place(), f.severity.label(), f.message)).collect::<Vec<_>>().join("\n")
}

#[test]
fn real_template_filled_correctly_is_accepted_without_findings() {
    let w = World::new();
    let p = w.period("2024-Q1");
    for agency in ["STP", "SNV", "H522"] {
        let Some(_) = w.dir.get(agency) else { continue };
        let bytes = build(&w, agency, &p, &good_answers(&w, agency, &p));
        let o = w.check(bytes, Some(&p));
        assert!(o.findings.is_empty(), "{agency}:\n{}", show(&o));
        assert_eq!(o.agency.as_deref(), Some(agency));
    }
}
