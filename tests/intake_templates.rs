//! Intake against real templates (`cchc::template::build` with prefilled
//! answers), directly and after a LibreOffice round trip (.xlsx, .xls, .ods),
//! including a file whose layout LibreOffice shifted (rows and columns
//! inserted by a macro), and a folder of good and bad files through the CLI.

mod intake_util;

use cchc::form::TaskColumn;
use cchc::intake::Outcome;
use cchc::template::{self, Answers, TemplateInput};

use intake_util::*;
use predicates::prelude::PredicateBooleanExt;

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
    a.task(&ids[2], TaskColumn::EvidenceDate, "tháng 3"); // V005 only: one finding per cell
    a.task(&ids[3], TaskColumn::Status, "Cơ bản xong"); // V001
    a.task(&ids[4], TaskColumn::Result, "§· ban hµnh kÕ ho¹ch"); // T001
    a.figure("HS_QUAHAN", 15.0); // I004
    a.figure("VB_RASOAT", "chưa thống kê"); // I001
    (
        a,
        vec!["C001", "I001", "I004", "T001", "V001", "V004", "V005"],
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

fn sha(path: &std::path::Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

/// A key file holding the test key, for the CLI.
fn key_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("khoa.key");
    std::fs::write(&path, hex::encode(b"test key for intake fixtures")).unwrap();
    path
}

fn cchc() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("cchc").unwrap()
}

#[test]
fn folder_with_corrupt_renamed_and_encrypted_files_cli_end_to_end() {
    let w = World::new();
    let p = w.period("2024-Q1");
    let root = tempfile::tempdir().unwrap();
    let inbox = root.path().join("bao-cao");
    std::fs::create_dir_all(inbox.join("dot-2")).unwrap();
    let good = build(&w, "STP", &p, &good_answers(&w, "STP", &p));
    std::fs::write(inbox.join("stp.xlsx"), &good).unwrap();
    std::fs::write(
        inbox.join("dot-2/snv.xlsx"),
        build(&w, "SNV", &p, &good_answers(&w, "SNV", &p)),
    )
    .unwrap();
    std::fs::write(inbox.join("hong.xlsx"), &good[..good.len() / 3]).unwrap();
    let mut docx = std::io::Cursor::new(Vec::new());
    docx_rs::Docx::new()
        .add_paragraph(docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text("Báo cáo")))
        .build()
        .pack(&mut docx)
        .unwrap();
    std::fs::write(inbox.join("word.xlsx"), docx.into_inner()).unwrap();
    std::fs::write(
        inbox.join("ghi-chu.txt"),
        "not a spreadsheet: read by content and listed as such",
    )
    .unwrap();
    // An encrypted workbook saved by LibreOffice with password 123 (BIFF8 RC4),
    // and an encrypted OOXML container (OLE holding an EncryptionInfo stream).
    std::fs::copy(
        "tests/fixtures/mat-khau-123.xls",
        inbox.join("mat-khau.xls"),
    )
    .unwrap();
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 504]);
    ole.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(inbox.join("ma-hoa.xlsx"), ole).unwrap();
    let files: Vec<_> = walkdir::WalkDir::new(&inbox)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    let before: Vec<String> = files.iter().map(|f| sha(f)).collect();
    let key = key_file(root.path());
    let fb = root.path().join("gop-y");
    let subs = root.path().join("submissions.json");
    let out = cchc()
        .arg("--key")
        .arg(&key)
        .arg("validate")
        .arg(&inbox)
        .args(["--period", "2024-Q1", "--format", "json", "--feedback"])
        .arg(&fb)
        .arg("--submissions")
        .arg(&subs)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files_json = json["files"].as_array().unwrap();
    let by_name = |n: &str| {
        files_json
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(n))
            .unwrap_or_else(|| panic!("{n} in {json}"))
    };
    assert_eq!(files_json.len(), 7, "{json}");
    for (name, code) in [
        ("ghi-chu.txt", "F001"),
        ("hong.xlsx", "F002"),
        ("word.xlsx", "F001"),
        ("mat-khau.xls", "F003"),
        ("ma-hoa.xlsx", "F003"),
    ] {
        let f = by_name(name);
        assert_eq!(f["status"], "rejected");
        let findings = f["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 1, "{name}: {f}");
        assert_eq!(findings[0]["code"], code, "{name}: {f}");
        assert_eq!(findings[0]["severity"], "error");
    }
    for name in ["stp.xlsx", "snv.xlsx"] {
        let f = by_name(name);
        assert_eq!(f["status"], "accepted", "{f}");
        assert_eq!(f["findings"].as_array().unwrap().len(), 0);
        assert_eq!(f["period"], "2024-Q1");
    }
    let paths: Vec<&str> = files_json
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    // Submissions: the two accepted files, canonical content.
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&subs).unwrap()).unwrap();
    let agencies: Vec<&str> = s
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["agency"].as_str().unwrap())
        .collect();
    assert_eq!(agencies, ["SNV", "STP"]);
    assert_eq!(
        s[1]["source"]["sha256"].as_str().unwrap(),
        sha(&inbox.join("stp.xlsx"))
    );
    assert_eq!(s[1]["tasks"][0]["status"], "completed");
    // Feedback copies only for files with findings that could be read: the
    // two clean returns get none, the unreadable ones cannot have one.
    let copies: Vec<_> = std::fs::read_dir(&fb).unwrap().collect();
    assert!(copies.is_empty(), "{copies:?}");
    // Inputs untouched.
    let after: Vec<String> = files.iter().map(|f| sha(f)).collect();
    assert_eq!(before, after);
}

#[test]
fn feedback_copy_highlights_and_lists_every_finding() {
    let w = World::new();
    let p = w.period("2024-Q1");
    let dir = tempfile::tempdir().unwrap();
    let (answers, expected) = planted(&w, &p);
    let path = dir.path().join("stp.xlsx");
    std::fs::write(&path, build(&w, "STP", &p, &answers)).unwrap();
    let (o, book) = cchc::intake::validate_file(&path, &w.setup(Some(&p)), &Default::default());
    let copy =
        cchc::intake::feedback::write(dir.path(), &book.unwrap(), &o, &w.setup(Some(&p))).unwrap();
    let read = cchc::intake::read_path(&copy, &Default::default())
        .unwrap()
        .0;
    assert_eq!(read.sheets[0].name, "Lỗi cần sửa");
    let listed: Vec<String> = read.sheets[0]
        .cells
        .iter()
        .filter(|c| c.col == 1 && c.row >= 3)
        .map(|c| c.value.text())
        .collect();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    assert_eq!(listed_sorted, expected);
    // The task sheet keeps the values at the same cells.
    let c001 = o.findings.iter().find(|f| f.code == "C001").unwrap();
    let (r, c) = cchc::intake::finding::parse_a1(c001.cell.as_deref().unwrap()).unwrap();
    assert_eq!(read.sheet("Nhiệm vụ").unwrap().text(r, c), "80");
    // The note is in the sheet XML.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&copy).unwrap()).unwrap();
    let mut xml = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().unwrap().contains("comments") {
            std::io::Read::read_to_string(&mut f, &mut xml).unwrap();
        }
    }
    assert!(xml.contains("C001") && xml.contains("Hoàn thành"), "{xml}");
    // The copy is the unit's own template: named for errors, protected,
    // identified (sheet, names, properties, token), and read back it is the
    // same unit with the same mistakes at the same cells.
    assert!(copy.ends_with("stp-can-sua.xlsx"), "{copy:?}");
    let again = w.check_path(&copy, Some(&p));
    assert_eq!(again.agency.as_deref(), Some("STP"));
    assert_eq!(codes_sorted(&again), expected, "{}", show(&again));
    let places = |o: &cchc::intake::Outcome| {
        let mut v: Vec<String> = o
            .findings
            .iter()
            .map(|f| format!("{} {}", f.code, f.place()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(places(&again), places(&o));
    let read_copy = cchc::intake::read_path(&copy, &Default::default())
        .unwrap()
        .0;
    let meta = cchc::intake::checks::identity::metadata(&read_copy);
    assert_eq!(
        meta.token,
        Some(w.key.token("STP", "2024-Q1", &w.plan.meta.fingerprint))
    );
    assert!(read_copy.properties.contains_key("cchc.token"));
    assert!(read_copy
        .defined_names
        .iter()
        .any(|(n, _)| n == "CCHC_AGENCY"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&copy).unwrap()).unwrap();
    let mut protected = 0;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().unwrap().starts_with("xl/worksheets/sheet") {
            let mut x = String::new();
            std::io::Read::read_to_string(&mut f, &mut x).unwrap();
            protected += usize::from(x.contains("<sheetProtection"));
        }
    }
    assert!(protected >= 4, "{protected} protected sheets");
}

#[test]
fn human_and_csv_output_and_exit_codes() {
    let w = World::new();
    let p = w.period("2024-Q1");
    let root = tempfile::tempdir().unwrap();
    let key = key_file(root.path());
    let good = root.path().join("stp.xlsx");
    std::fs::write(&good, build(&w, "STP", &p, &good_answers(&w, "STP", &p))).unwrap();
    cchc()
        .arg("--key")
        .arg(&key)
        .arg("validate")
        .arg(&good)
        .args(["--period", "2024-Q1"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("ĐẠT"));
    let (answers, _) = planted(&w, &p);
    let bad = root.path().join("stp-loi.xlsx");
    std::fs::write(&bad, build(&w, "STP", &p, &answers)).unwrap();
    let out = cchc()
        .arg("--key")
        .arg(&key)
        .arg("validate")
        .arg(&bad)
        .args(["--period", "2024-Q1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let first_error = text.find("lỗi [").unwrap();
    let first_warning = text.find("cảnh báo [").unwrap();
    assert!(first_error < first_warning, "{text}");
    assert!(
        text.contains("KHÔNG ĐẠT")
            && text.contains("Số lần gặp theo quy tắc")
            && text.contains("C001"),
        "{text}"
    );
    let out = cchc()
        .arg("--key")
        .arg(&key)
        .arg("validate")
        .arg(&bad)
        .args(["--period", "2024-Q1", "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("\u{feff}path,agency,period,status,sheet,cell,code,severity,message"));
    assert_eq!(csv.lines().count(), 1 + 7, "{csv}");
    cchc()
        .arg("validate")
        .arg(root.path().join("khong-co"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("Không tìm thấy"));
}

#[test]
fn explain_prints_rules_and_refuses_unknown_codes() {
    cchc().args(["explain", "c001"]).assert().code(0).stdout(
        predicates::str::contains("C001 — Hoàn thành nhưng tỷ lệ khác 100%")
            .and(predicates::str::contains("Vì sao:"))
            .and(predicates::str::contains("Cách sửa:")),
    );
    let all = cchc().args(["explain", "--all"]).output().unwrap();
    let text = String::from_utf8(all.stdout).unwrap();
    for r in cchc::form::rules::RULES {
        assert!(text.contains(r.code), "{}", r.code);
    }
    cchc()
        .args(["explain", "Z999"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("không có quy tắc mã «Z999»"));
}

/// The demo's realistic returns (another helper's generator) are accepted
/// with no errors, and each mistake it plants is reported with its rule.
#[test]
fn demo_realistic_returns_accepted_and_planted_mistakes_found() {
    use cchc::demo::fill::{plant, realistic, Mistake};
    let w = World::new();
    let p = w.period("2024-Q1");
    let mut setup = w.setup(Some(&p));
    let demo_key = cchc::demo::key();
    setup.key = Some(&demo_key);
    let check = |agency: &str, answers: &Answers| {
        let input = TemplateInput {
            plan: &w.plan,
            directory: &w.dir,
            catalogue: &w.catalogue,
            period: &p,
            agency: w.dir.get(agency).unwrap(),
            key: &demo_key,
            generated_at: generated_at(),
            password: None,
        };
        let bytes = template::build(&input, Some(answers)).unwrap();
        let book = cchc::intake::read_bytes(bytes, &Default::default()).unwrap();
        let source = cchc::form::Source {
            path: format!("{agency}.xlsx"),
            sha256: String::new(),
            modified: None,
        };
        cchc::intake::validate(&book, source, &setup)
    };
    for a in w
        .dir
        .reporting_units()
        .into_iter()
        .filter(|a| a.reports_quarterly())
    {
        let filled = realistic(&w.plan, &w.dir, &w.catalogue, &p, a);
        let o = check(&a.code, &filled.answers());
        assert!(o.accepted(), "{}:\n{}", a.code, show(&o));
        assert!(
            o.findings.iter().all(|f| f.code == "C004"),
            "{}:\n{}",
            a.code,
            show(&o)
        );
        for m in [
            Mistake::CompletedNot100,
            Mistake::CompletedNoEvidence,
            Mistake::StatusInvalid,
            Mistake::PercentNotNumber,
            Mistake::IdentityBroken,
            Mistake::NotApplicableNoReason,
            Mistake::FutureDate,
        ] {
            let mut answers = filled.answers();
            let id = plant(&filled, &mut answers, m, 0);
            let o = check(&a.code, &answers);
            let hit = o.findings.iter().find(|f| f.code == m.rule());
            assert!(hit.is_some(), "{} {m:?} ({id:?}):\n{}", a.code, show(&o));
            if let Some(id) = id {
                assert!(
                    hit.unwrap().message.contains(&id),
                    "{m:?}: {}",
                    hit.unwrap().message
                );
            }
            assert!(!o.accepted());
        }
    }
}

/// Damaged .xls and .ods files (bytes flipped, content.xml cut inside an
/// intact zip) never crash or hang the batch: each gives a workbook or one
/// clear F00x finding, within the time bound.
#[test]
fn damaged_xls_and_truncated_ods_content_never_escape_the_sandbox() {
    use std::io::{Read, Write};
    let w = World::new();
    let p = w.period("2024-Q1");
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("stp.xlsx");
    std::fs::write(&src, build(&w, "STP", &p, &good_answers(&w, "STP", &p))).unwrap();
    soffice_convert(&[src.as_path()], "xls", dir.path());
    soffice_convert(&[src.as_path()], "ods", dir.path());
    let limits = cchc::intake::Limits {
        timeout: std::time::Duration::from_secs(5),
        isolate: Some(assert_cmd::cargo::cargo_bin("cchc")),
        ..Default::default()
    };
    let outcome = |bytes: Vec<u8>| match cchc::intake::read_bytes(bytes, &limits) {
        Ok(_) => "ok",
        Err(f) => {
            assert!(f.code.starts_with('F') && !f.message.is_empty(), "{f:?}");
            f.code
        }
    };
    let xls = std::fs::read(dir.path().join("stp.xls")).unwrap();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut seen = std::collections::BTreeMap::new();
    for _ in 0..150 {
        let mut b = xls.clone();
        for _ in 0..16 {
            let i = 512 + (next() as usize % (b.len() - 512));
            b[i] = next() as u8;
        }
        *seen.entry(outcome(b)).or_insert(0) += 1;
    }
    eprintln!("damaged xls outcomes: {seen:?}");
    // content.xml cut at several points, re-zipped properly.
    let ods = std::fs::read(dir.path().join("stp.ods")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(ods)).unwrap();
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        entries.push((f.name().unwrap().to_string(), data));
    }
    let mut seen = std::collections::BTreeMap::new();
    for cut in [0.1, 0.3, 0.5, 0.7, 0.9, 0.99] {
        let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, data) in &entries {
            let stored = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            zw.start_file(name.as_str(), stored).unwrap();
            let data = if name == "content.xml" {
                &data[..(data.len() as f64 * cut) as usize]
            } else {
                &data[..]
            };
            zw.write_all(data).unwrap();
        }
        let bytes = zw.finish().unwrap().into_inner();
        *seen.entry(outcome(bytes)).or_insert(0) += 1;
    }
    eprintln!("truncated ods outcomes: {seen:?}");
}

/// A real template whose metadata was lost (data copied into a new workbook:
/// no `_cchc` sheet, no names, no properties) is recognised from its title.
#[test]
fn real_template_without_metadata_is_recognised_from_its_title() {
    let w = World::new();
    let p = w.period("2024-Q1");
    let bytes = build(&w, "SXD", &p, &good_answers(&w, "SXD", &p));
    let mut book = cchc::intake::read_bytes(bytes, &Default::default()).unwrap();
    book.sheets.retain(|s| s.name != cchc::form::SHEET_META);
    book.defined_names.clear();
    book.properties.clear();
    let source = cchc::form::Source {
        path: "sxd.xlsx".into(),
        sha256: String::new(),
        modified: None,
    };
    let o = cchc::intake::validate(&book, source, &w.setup(Some(&p)));
    assert_eq!(codes(&o), ["M001"], "{}", show(&o));
    assert_eq!(o.agency.as_deref(), Some("SXD"));
    assert!(o.accepted());
    // Same task set as other departments: only the title can tell.
    let set = |a: &str| {
        w.plan
            .tasks_for(a, &w.dir)
            .iter()
            .map(|x| x.task.id.clone())
            .collect::<Vec<_>>()
    };
    assert!(w
        .dir
        .reporting_units()
        .iter()
        .any(|a| a.code != "SXD" && set(&a.code) == set("SXD")));
}
