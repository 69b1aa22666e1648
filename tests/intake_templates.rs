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
    NaiveDate::from_ymd_opt(2024, 3, 1)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
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
    o.findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}: {}",
                f.code,
                f.place(),
                f.severity.label(),
                f.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
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

/// (code, sheet, cell) of every finding, sorted.
fn places(o: &Outcome) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = o
        .findings
        .iter()
        .map(|f| {
            (
                f.code.to_string(),
                f.sheet.clone().unwrap_or_default(),
                f.cell.clone().unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

/// STP's return with mistakes planted the way people make them.
fn planted(w: &World, p: &cchc::period::Period) -> (Answers, Vec<&'static str>) {
    let mut a = good_answers(w, "STP", p);
    let ids: Vec<String> = w
        .plan
        .tasks_for("STP", &w.dir)
        .iter()
        .map(|x| x.task.id.clone())
        .collect();
    a.task(&ids[0], TaskColumn::Percent, 80.0); // C001
    a.task(&ids[1], TaskColumn::Status, "Đang thực hiện").task(
        &ids[1],
        TaskColumn::Percent,
        "80,5",
    ); // V004
    a.task(&ids[2], TaskColumn::EvidenceDate, "tháng 3"); // V005 (+ C002: completed without a date)
    a.task(&ids[3], TaskColumn::Status, "Cơ bản xong"); // V001
    a.task(&ids[4], TaskColumn::Result, "§· ban hµnh kÕ ho¹ch"); // T001
    a.figure("HS_QUAHAN", 15.0); // I004
    a.figure("VB_RASOAT", "chưa thống kê"); // I001
    (
        a,
        vec![
            "C001", "C002", "I001", "I004", "T001", "V001", "V004", "V005",
        ],
    )
}

fn codes_sorted(o: &Outcome) -> Vec<&'static str> {
    let mut c = codes(o);
    c.sort();
    c
}

/// Inserts `rows` empty rows above and `cols` empty columns left of the
/// task sheet of a flat ODS document (what a user inserting rows/columns in
/// LibreOffice does to the file), keeping everything else.
fn shift_task_sheet(fods: &str, rows: usize, cols: usize) -> String {
    let start = fods
        .find("<table:table table:name=\"Nhiệm vụ\"")
        .expect("task sheet in fods");
    let end = start + fods[start..].find("</table:table>").unwrap();
    let mut sheet = fods[start..end].to_string();
    let first_col = sheet.find("<table:table-column").unwrap();
    sheet.insert_str(first_col, &"<table:table-column/>".repeat(cols));
    let mut out = String::new();
    let mut rest = sheet.as_str();
    let mut first_row = true;
    while let Some(i) = rest.find("<table:table-row") {
        out.push_str(&rest[..i]);
        if first_row {
            out.push_str(&"<table:table-row><table:table-cell/></table:table-row>".repeat(rows));
            first_row = false;
        }
        let close = i + rest[i..].find('>').unwrap() + 1;
        out.push_str(&rest[i..close]);
        if !rest[i..close].ends_with("/>") {
            out.push_str(&"<table:table-cell/>".repeat(cols));
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    format!("{}{}{}", &fods[..start], out, &fods[end..])
}

fn shifted(cell: &str, rows: u32, cols: u32) -> String {
    let (r, c) = cchc::intake::finding::parse_a1(cell).unwrap();
    cchc::intake::finding::a1(r + rows, c + cols)
}

#[test]
fn libreoffice_saved_returns_in_every_format_are_read_like_the_original() {
    let w = World::new();
    let p = w.period("2024-Q1");
    let src = tempfile::tempdir().unwrap();
    let agencies = ["STP", "SNV", "SXD", "H522"];
    let mut originals = Vec::new();
    for a in agencies {
        let path = src.path().join(format!("{a}.xlsx"));
        std::fs::write(&path, build(&w, a, &p, &good_answers(&w, a, &p))).unwrap();
        originals.push(path);
    }
    let (answers, expected) = planted(&w, &p);
    let bad = src.path().join("STP-loi.xlsx");
    std::fs::write(&bad, build(&w, "STP", &p, &answers)).unwrap();
    originals.push(bad.clone());
    let direct = w.check_path(&bad, Some(&p));
    assert_eq!(codes_sorted(&direct), expected, "{}", show(&direct));

    let files: Vec<&std::path::Path> = originals.iter().map(|p| p.as_path()).collect();
    for (filter, ext) in [("xlsx", "xlsx"), ("xls", "xls"), ("ods", "ods")] {
        let out = tempfile::tempdir().unwrap();
        soffice_convert(&files, filter, out.path());
        for a in agencies {
            let o = w.check_path(&out.path().join(format!("{a}.{ext}")), Some(&p));
            assert!(
                o.accepted() && o.findings.is_empty(),
                "{a}.{ext}:\n{}",
                show(&o)
            );
            assert_eq!(o.agency.as_deref(), Some(a));
            assert_eq!(
                o.submission.as_ref().unwrap().tasks.len(),
                w.plan.tasks_for(a, &w.dir).len()
            );
        }
        let o = w.check_path(&out.path().join(format!("STP-loi.{ext}")), Some(&p));
        assert_eq!(places(&o), places(&direct), "STP-loi.{ext}:\n{}", show(&o));
    }
}

#[test]
fn libreoffice_file_with_inserted_rows_and_columns_reports_shifted_cells() {
    let w = World::new();
    let p = w.period("2024-Q1");
    let dir = tempfile::tempdir().unwrap();
    let (answers, _) = planted(&w, &p);
    let xlsx = dir.path().join("STP.xlsx");
    std::fs::write(&xlsx, build(&w, "STP", &p, &answers)).unwrap();
    let direct = w.check_path(&xlsx, Some(&p));
    let flat = tempfile::tempdir().unwrap();
    soffice_convert(&[xlsx.as_path()], "fods", flat.path());
    let fods = std::fs::read_to_string(flat.path().join("STP.fods")).unwrap();
    let edited = dir.path().join("STP-chen.fods");
    std::fs::write(&edited, shift_task_sheet(&fods, 2, 1)).unwrap();
    let out = tempfile::tempdir().unwrap();
    soffice_convert(&[edited.as_path()], "xlsx", out.path());
    let o = w.check_path(&out.path().join("STP-chen.xlsx"), Some(&p));
    let expected: Vec<_> = places(&direct)
        .into_iter()
        .map(|(code, sheet, cell)| {
            let cell = if sheet == "Nhiệm vụ" && !cell.is_empty() {
                shifted(&cell, 2, 1)
            } else {
                cell
            };
            (code, sheet, cell)
        })
        .collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(places(&o), expected, "{}", show(&o));
    assert!(places(&o)
        .iter()
        .any(|(c, s, _)| c == "C001" && s == "Nhiệm vụ"));
}
