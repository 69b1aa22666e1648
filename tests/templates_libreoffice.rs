//! End to end with real LibreOffice (headless): generated templates, with
//! prefilled answers, are printed to PDF and re-saved as .xlsx, .xls and .ods
//! (one soffice call per target format for all files). The round-tripped
//! files are read back with calamine — entry cells, the dropdown list and the
//! metadata must survive — and the re-saved xlsx's sheet XML must still carry
//! the protection, the unlocked entry cells and the data validation with its
//! Vietnamese messages (what makes Excel refuse a locked-cell edit or "abc"
//! in a percent cell).

mod templates_util;

use calamine::{Data, Reader};
use cchc::form::{meta, FigureColumn, Status, TaskColumn, TaskReport};
use cchc::form::{SHEET_FIGURES, SHEET_LISTS, SHEET_META, SHEET_TASKS};
use cchc::template::{self, Answers, FIGURE_HEADER_ROW, TASK_HEADER_ROW};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::process::Command;
use templates_util::*;

const CODES: [&str; 2] = ["STP", "H522"];

fn answers() -> Answers {
    let mut a = Answers::default();
    a.report(&TaskReport {
        task_id: "1.a".into(),
        status: Some(Status::Completed),
        percent: Some(100.0),
        result: "Đã ban hành Kế hoạch; tổ chức 2 hội nghị tập huấn".into(),
        evidence: "12/KH-STP".into(),
        evidence_date: NaiveDate::from_ymd_opt(2024, 2, 20),
        difficulties: "Thiếu biên chế".into(),
        proposals: "Bổ sung kinh phí".into(),
    })
    .task("2.e", TaskColumn::Status, "Đã HT")
    .task("2.e", TaskColumn::Percent, "80%")
    .figure("HS_DUNGHAN", 80)
    .figure("HS_TRUOCHAN", 10);
    a
}

/// Runs one soffice conversion of all `files` into `out`, with its own profile.
fn soffice(format: &str, files: &[PathBuf], out: &Path, profile: &Path) {
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(out)
        .args(files)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "soffice {format}: {status:?}");
}

fn pdf_pages(path: &Path) -> usize {
    let out = Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&out.stdout);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A date however the format stores it (serial in xlsx/xls, ISO text in ods).
fn date_of(d: &Data) -> Option<NaiveDate> {
    match d {
        Data::DateTime(x) => {
            let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
            base.checked_add_days(chrono::Days::new(x.as_f64() as u64))
        }
        Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok(),
        Data::Float(x) => {
            let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
            base.checked_add_days(chrono::Days::new(*x as u64))
        }
        _ => None,
    }
}

fn number_of(d: Option<&Data>) -> Option<f64> {
    match d? {
        Data::Float(x) => Some(*x),
        Data::Int(x) => Some(*x as f64),
        _ => None,
    }
}

#[test]
fn templates_survive_libreoffice_print_and_round_trips() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    let files: Vec<PathBuf> = CODES
        .iter()
        .map(|code| {
            let path = src.join(template::file_name(
                &f.period,
                f.directory.get(code).unwrap(),
            ));
            std::fs::write(&path, f.build(code, Some(&answers()))).unwrap();
            path
        })
        .collect();
    for format in ["pdf", "xlsx", "xls", "ods"] {
        let out = dir.path().join(format);
        std::fs::create_dir(&out).unwrap();
        soffice(
            format,
            &files,
            &out,
            &dir.path().join(format!("profile-{format}")),
        );
    }
    for (code, file) in CODES.iter().zip(&files) {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        check_pdf(&dir.path().join("pdf").join(format!("{stem}.pdf")), code);
        for format in ["xlsx", "xls", "ods"] {
            let path = dir.path().join(format).join(format!("{stem}.{format}"));
            check_round_trip(&f, code, &path, format);
        }
        check_xlsx_xml(
            &std::fs::read(dir.path().join("xlsx").join(format!("{stem}.xlsx"))).unwrap(),
        );
        check_ods_xml(&std::fs::read(dir.path().join("ods").join(format!("{stem}.ods"))).unwrap());
    }
}

fn check_pdf(path: &Path, code: &str) {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"%PDF") && bytes.len() > 10_000,
        "{}",
        path.display()
    );
    let pages = pdf_pages(path);
    // Guide, then the task sheet in two column bands, then the figures.
    assert!(pages >= 6, "{code}: {pages} pages");
    let text = pdf_text(path);
    assert!(
        text.contains("HƯỚNG DẪN ĐIỀN BIỂU MẪU"),
        "{code}: guide printed"
    );
    assert!(text.contains("KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ I NĂM 2024"));
    assert!(
        text.contains("Tình trạng") && text.contains("Đề xuất, kiến nghị"),
        "{code}: entry band printed"
    );
    assert!(text.contains("Trang 1/"), "{code}: footer page numbers");
}

fn check_round_trip(f: &Fixture, code: &str, path: &Path, format: &str) {
    let what = format!("{code} .{format}");
    let mut book = open_path(path);
    // Entry cells.
    let tasks = sheet(&mut book, SHEET_TASKS);
    let headers: Vec<&str> = TaskColumn::ALL.iter().map(|c| c.header()).collect();
    let header = find_row(&tasks, &headers).unwrap_or_else(|| panic!("{what}: header row"));
    assert_eq!(header, TASK_HEADER_ROW, "{what}");
    let ids = column_below(&tasks, header, TaskColumn::Id.index() as u32);
    let row_of = |id: &str| header + 1 + ids.iter().position(|x| x == id).unwrap() as u32;
    let cell = |id: &str, c: TaskColumn| tasks.get_value((row_of(id), c.index() as u32));
    assert_eq!(
        text(&tasks, row_of("1.a"), TaskColumn::Status.index() as u32),
        "Hoàn thành",
        "{what}"
    );
    assert_eq!(
        number_of(cell("1.a", TaskColumn::Percent)),
        Some(100.0),
        "{what}"
    );
    assert_eq!(
        text(&tasks, row_of("1.a"), TaskColumn::Result.index() as u32),
        "Đã ban hành Kế hoạch; tổ chức 2 hội nghị tập huấn",
        "{what}"
    );
    assert_eq!(
        text(&tasks, row_of("1.a"), TaskColumn::Evidence.index() as u32),
        "12/KH-STP"
    );
    assert_eq!(
        cell("1.a", TaskColumn::EvidenceDate).and_then(date_of),
        NaiveDate::from_ymd_opt(2024, 2, 20),
        "{what}: {:?}",
        cell("1.a", TaskColumn::EvidenceDate)
    );
    assert_eq!(
        text(&tasks, row_of("1.a"), TaskColumn::Proposals.index() as u32),
        "Bổ sung kinh phí"
    );
    // Planted mistakes stay as typed, for intake to find.
    assert_eq!(
        text(&tasks, row_of("2.e"), TaskColumn::Status.index() as u32),
        "Đã HT",
        "{what}"
    );
    assert_eq!(
        cell("2.e", TaskColumn::Percent),
        Some(&Data::String("80%".into())),
        "{what}"
    );
    // Figures.
    let figs = sheet(&mut book, SHEET_FIGURES);
    let codes = column_below(&figs, FIGURE_HEADER_ROW, FigureColumn::Code.index() as u32);
    let frow = FIGURE_HEADER_ROW + 1 + codes.iter().position(|c| c == "HS_DUNGHAN").unwrap() as u32;
    assert_eq!(
        number_of(figs.get_value((frow, FigureColumn::Value.index() as u32))),
        Some(80.0),
        "{what}"
    );
    // The dropdown's list.
    let lists = sheet(&mut book, SHEET_LISTS);
    for (i, s) in Status::ALL.iter().enumerate() {
        assert_eq!(text(&lists, i as u32 + 1, 0), s.label(), "{what}");
    }
    // Metadata in all three places.
    let expected = template::metadata(&f.input(code));
    let want = [
        (meta::AGENCY, expected.agency.clone().unwrap()),
        (meta::PERIOD, expected.period.clone().unwrap()),
        (
            meta::PLAN_FINGERPRINT,
            expected.plan_fingerprint.clone().unwrap(),
        ),
        (meta::TOKEN, expected.token.clone().unwrap()),
        (meta::GENERATED_AT, expected.generated_at.clone().unwrap()),
    ];
    let props = book.workbook_properties().unwrap().custom_properties;
    let m = sheet(&mut book, SHEET_META);
    for (i, (key, value)) in want.iter().enumerate() {
        assert_eq!(props.get(*key), Some(value), "{what}: property {key}");
        let r = meta::ALL.iter().position(|k| k == key).unwrap() as u32;
        assert_eq!(
            (text(&m, r, 0), text(&m, r, 1)),
            (key.to_string(), value.clone()),
            "{what}: sheet row {i}"
        );
        let name = meta::defined_name(key);
        let (_, formula) = book
            .defined_names()
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{what}: defined name {name}"));
        // calamine 0.38 cannot decode a string constant in an .xls name
        // ("Unsupported ptg: 17"): the name is there, its value is read from
        // the sheet or the properties instead.
        let undecodable = format == "xls" && formula.starts_with("Unsupported ptg");
        assert!(
            undecodable || formula.contains(value.as_str()),
            "{what}: {name} = {formula}"
        );
    }
    assert!(
        f.key.verify(
            &props[meta::TOKEN],
            code,
            "2024-Q1",
            &f.plan.meta.fingerprint
        ),
        "{what}: token verifies"
    );
}

/// Protection, unlocked entry cells and validation (with Vietnamese texts)
/// in LibreOffice's re-saved xlsx.
fn check_xlsx_xml(bytes: &[u8]) {
    let xml = zip_part(bytes, &sheet_part(bytes, SHEET_TASKS));
    let prot = tags(&xml, "sheetProtection");
    assert_eq!(prot.len(), 1, "task sheet protected");
    assert!(matches!(attr(&prot[0], "sheet"), Some("true") | Some("1")));
    let dvs = tags(&xml, "dataValidation");
    let stop = |a: &[(String, String)]| matches!(attr(a, "errorStyle"), None | Some("stop"));
    let percent = dvs
        .iter()
        .find(|a| attr(a, "type") == Some("decimal"))
        .expect("percent validation survives");
    assert!(stop(percent) && attr(percent, "showErrorMessage") != Some("false"));
    assert!(attr(percent, "error").unwrap().contains("số từ 0 đến 100"));
    let list = dvs
        .iter()
        .find(|a| attr(a, "type") == Some("list"))
        .expect("list validation survives");
    assert!(attr(list, "error")
        .unwrap()
        .contains("Hoàn thành, Đang thực hiện"));
    assert!(
        xml.contains(template::STATUS_LIST_NAME),
        "dropdown still reads the named list"
    );
    assert!(
        dvs.iter().any(|a| attr(a, "type") == Some("date")),
        "date validation survives"
    );
    // The entry cells' style is unlocked, the plan cells' is not.
    let styles = zip_part(bytes, "xl/styles.xml");
    let unlocked = unlocked_style_ids(&styles);
    let row = TASK_HEADER_ROW + 2;
    for col in TaskColumn::ALL {
        let name = rust_xlsxwriter::utility::column_number_to_name(col.index());
        let c = tags(&xml, "c")
            .into_iter()
            .find(|a| attr(a, "r") == Some(&format!("{name}{row}")))
            .unwrap_or_else(|| panic!("cell {name}{row}"));
        let s: usize = attr(&c, "s").unwrap_or("0").parse().unwrap();
        assert_eq!(
            unlocked.contains(&s),
            col.is_entry(),
            "{} after round trip",
            col.header()
        );
    }
}

fn check_ods_xml(bytes: &[u8]) {
    let content = zip_part(bytes, "content.xml");
    for t in tags(&content, "table") {
        if attr(&t, "table:name").is_some() {
            assert_eq!(attr(&t, "table:protected"), Some("true"), "{t:?}");
        }
    }
    assert!(content.contains("cell-content-is-in-list(DS_TINHTRANG)"));
    assert!(content.contains("cell-content-is-decimal-number() and cell-content-is-between(0,100)"));
}

/// A LibreOffice profile that recalculates every formula on load.
fn recalculating_profile(dir: &Path) -> PathBuf {
    let profile = dir.join("profile-recalc");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    let xcu = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;
    std::fs::write(profile.join("user/registrymodifications.xcu"), xcu).unwrap();
    profile
}

/// Rewrites one part of a zip package.
fn replace_in_part(bytes: &[u8], part: &str, from: &str, to: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if name == part {
            data = String::from_utf8(data)
                .unwrap()
                .replace(from, to)
                .into_bytes();
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&data).unwrap();
    }
    zout.finish().unwrap().into_inner()
}

/// The check formulas compute, in LibreOffice, what the template's cached
/// results say: the cached texts are replaced by "STALE" and LibreOffice,
/// set to recalculate on load, must put the right texts back.
#[test]
fn identity_check_formulas_compute_what_the_cached_results_say() {
    let f = fixture();
    let mut a = Answers::default();
    let values = [
        ("HS_KYTRUOC", 5),
        ("HS_TIEPNHAN_TRUCTUYEN", 10),
        ("HS_TIEPNHAN_TRUCTIEP", 3),
        ("HS_TIEPNHAN_BUUCHINH", 2),
        ("HS_DAGIAIQUYET", 12),
        ("HS_TRUOCHAN", 4),
        ("HS_DUNGHAN", 6),
        ("HS_QUAHAN", 1),
        ("HS_DANGGIAIQUYET_TRONGHAN", 5),
        ("HS_DANGGIAIQUYET_QUAHAN", 3),
    ];
    for (code, v) in values {
        a.figure(code, v);
    }
    // Part ≤ whole relations: one broken, one held, one bounded by the
    // district's communes in the directory.
    a.figure("VB_RASOAT", 3).figure("VB_TRAIPHAP", 5);
    a.figure("NV_KEHOACH", 9).figure("NV_HOANTHANH", 4);
    let communes = f.directory.communes_of("H522").count() as i32;
    a.figure("XA_SODONVI", communes + 2);
    let bytes = f.build("H522", Some(&a));
    let part = sheet_part(&bytes, SHEET_FIGURES);
    let expected: Vec<String> = {
        let mut book = open(bytes.clone());
        let figs = sheet(&mut book, SHEET_FIGURES);
        let n = column_below(&figs, FIGURE_HEADER_ROW, 0).len() as u32;
        (1..=n)
            .map(|i| {
                text(
                    &figs,
                    FIGURE_HEADER_ROW + i,
                    FigureColumn::Check.index() as u32,
                )
            })
            .collect()
    };
    assert!(
        expected
            .iter()
            .any(|t| t.starts_with("Khớp — Đã giải quyết")),
        "{expected:?}"
    );
    assert!(expected
        .iter()
        .any(|t| t.starts_with("Không khớp: lệch 1 — Giải quyết trước hạn")));
    for want in [
        "Không khớp: vượt 2 — Số văn bản phát hiện trái pháp luật",
        "Khớp — Số nhiệm vụ đã hoàn thành",
        "Không khớp: vượt 2 — Số xã",
    ] {
        assert!(
            expected.iter().any(|t| t.starts_with(want)),
            "{want}: {expected:?}"
        );
    }
    let level = f.directory.get("H522").unwrap().level;
    let stale = replace_in_part(&bytes, &part, "</f><v>", "</f><v>STALE ");
    assert_eq!(
        zip_part(&stale, &part).matches("<v>STALE ").count(),
        f.catalogue.checks_for(level).len()
    );
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("mau.xlsx");
    std::fs::write(&src, &stale).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    soffice("xlsx", &[src], &out, &recalculating_profile(dir.path()));
    let mut book = open_path(&out.join("mau.xlsx"));
    let figs = sheet(&mut book, SHEET_FIGURES);
    for (i, want) in expected.iter().enumerate() {
        let got = text(
            &figs,
            FIGURE_HEADER_ROW + 1 + i as u32,
            FigureColumn::Check.index() as u32,
        );
        assert_eq!(&got, want, "row {}", i + 1);
    }
}
