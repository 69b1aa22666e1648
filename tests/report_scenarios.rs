//! The report says what its annexes show: several scenarios (all done, none
//! reported, mixed, a unit missing) compiled and rendered to words, every
//! counting statement of the body checked against Phụ lục I and II, and the
//! body's budget checked as LibreOffice lays it out (demo ≤ 12 pages, 111
//! reporting units ≤ 15 pages up to the signature).

#[path = "support/synthetic.rs"]
mod synthetic;

use cchc::agencies::{Directory, Level};
use cchc::compile::{self, Compilation, Inputs, Ledger, Outcome};
use cchc::document::{self, prose, ReportConfig};
use cchc::form::indicators::Catalogue;
use cchc::form::{Status, Submission};
use cchc::period::{ymd, Schedule};
use cchc::plan;

struct Case {
    dir: Directory,
    c: Compilation,
}

fn compiled(
    dir: Directory,
    expected: Option<Vec<String>>,
    make: impl Fn(
        &plan::Plan,
        &Directory,
        &Catalogue,
        &cchc::period::Period,
        &[String],
    ) -> Vec<Submission>,
) -> Case {
    let plan = plan::seed(&dir);
    let schedule = Schedule::embedded();
    let cat = Catalogue::embedded();
    let period = schedule.period("2024-Q1").unwrap();
    let mut inputs = Inputs::new(&plan, &dir, &schedule, &cat, &period);
    if let Some(e) = expected {
        inputs.expected = e;
    }
    let subs = make(&plan, &dir, &cat, &period, &inputs.expected);
    let at = ymd(2024, 3, 14).and_hms_opt(9, 0, 0).unwrap();
    let ledger = Ledger::build(&period.id, synthetic::inputs_at(&subs, at));
    let c = compile::compile(&inputs, ledger, subs);
    drop(inputs);
    Case { dir, c }
}

fn all_done() -> Case {
    compiled(Directory::embedded(), None, |p, d, c, per, u| {
        synthetic::all(p, d, c, per, u, Status::Completed, Some(ymd(2024, 1, 10)))
    })
}

fn none_reported() -> Case {
    compiled(Directory::embedded(), None, |_, _, _, _, _| Vec::new())
}

fn mixed() -> Case {
    compiled(Directory::embedded(), None, synthetic::mixed)
}

/// Mixed, but Sở Nội vụ (lead of most direction tasks) sends nothing.
fn unit_missing() -> Case {
    compiled(Directory::embedded(), None, |p, d, c, per, u| {
        let sending: Vec<String> = u.iter().filter(|x| *x != "SNV").cloned().collect();
        synthetic::mixed(p, d, c, per, &sending)
    })
}

fn lines(pr: &prose::Prose) -> Vec<String> {
    pr.sections
        .iter()
        .flat_map(|s| std::iter::once(s.title.clone()).chain(s.blocks.iter().map(text)))
        .collect()
}

fn text(b: &prose::Block) -> String {
    match b {
        prose::Block::Para(t) | prose::Block::Heading(_, t) => t.clone(),
        prose::Block::Lead(a, b) => format!("{a}{b}"),
    }
}

/// The numbers of a counts sentence, in order.
fn numbers(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_ascii_digit() || c == ','))
        .map(|w| w.trim_matches(','))
        .filter(|w| !w.is_empty() && w.chars().any(|c| c.is_ascii_digit()))
        .map(String::from)
        .collect()
}

/// What the body's counts sentence must say, recomputed from Phụ lục I rows
/// (their "Kết quả" column) for the rows whose label starts with `prefix`.
fn from_annex(annex: &prose::Annex, numbers_of_area: &[&str]) -> (usize, [usize; 6]) {
    let rows: Vec<&Vec<String>> = annex
        .rows
        .iter()
        .filter(|r| {
            let n = r[1].split('.').next().unwrap_or("");
            numbers_of_area.contains(&n)
        })
        .collect();
    let n = |o: Outcome| rows.iter().filter(|r| r[5] == o.label()).count();
    (
        rows.len(),
        [
            n(Outcome::DoneOnTime),
            n(Outcome::DoneLate),
            n(Outcome::OpenInTime),
            n(Outcome::OpenOverdue),
            n(Outcome::NoReport),
            0,
        ],
    )
}

fn expected_sentence(tasks: usize, k: [usize; 6]) -> Vec<String> {
    let [on, late, in_time, overdue, none, _] = k;
    let done = on + late;
    let due = done + in_time + overdue + none;
    let mut v = vec![tasks.to_string()];
    if due == 0 {
        return v;
    }
    v.extend(["14", "03", "2024"].map(String::from));
    v.extend(
        [
            due,
            done,
            on,
            late,
            in_time + overdue + none,
            in_time,
            overdue,
            none,
        ]
        .map(|x| x.to_string()),
    );
    v.push(
        prose::percent(Some(100.0 * done as f64 / due as f64))
            .trim_end_matches('%')
            .to_string(),
    );
    v
}

fn check(k: &Case, name: &str) {
    let cfg = ReportConfig::embedded();
    let pr = prose::Prose::new(&k.c, &cfg, &k.dir);
    let body = lines(&pr);
    let annex = &pr.annexes[0];
    // Province total: "Toàn tỉnh: tổng số …".
    let all: Vec<&str> = k.c.areas.iter().map(|a| a.number.as_str()).collect();
    let total = body.iter().find(|l| l.starts_with("Toàn tỉnh: ")).unwrap();
    let (n, counts) = from_annex(annex, &all);
    let said = numbers(total.split("(theo dõi riêng)").next().unwrap());
    let want = expected_sentence(n, counts);
    assert_eq!(&said[..want.len()], &want[..], "{name}: «{total}»");
    // Each area: the counts sentence under its heading (section I for the
    // direction area) matches the annex rows of that area.
    for area in &k.c.areas {
        let at = body
            .iter()
            .position(|l| l.ends_with(&format!(". {}", area.title)))
            .map(|i| i + 1)
            .or_else(|| {
                // The direction area is reported in section I, without a heading.
                let i = body.iter().position(|l| l.starts_with("I. "))?;
                Some(i + 2)
            })
            .unwrap();
        let line = &body[at];
        assert!(line.starts_with("Tổng số"), "{name}: «{line}»");
        let (n, counts) = from_annex(annex, &[area.number.as_str()]);
        let said = numbers(line.split("; ngoài ra").next().unwrap());
        let want = expected_sentence(n, counts);
        assert_eq!(said, want, "{name}, {}: «{line}»", area.title);
    }
    // "Các lĩnh vực đã hoàn thành toàn bộ nhiệm vụ đến hạn: …" only for
    // areas whose due rows are all done.
    if let Some(l) = body
        .iter()
        .find(|l| l.starts_with("Các lĩnh vực đã hoàn thành toàn bộ"))
    {
        for area in &k.c.areas {
            if !l.contains(&area.title) {
                continue;
            }
            let (_, [on, late, a, b, c, _]) = from_annex(annex, &[area.number.as_str()]);
            assert!(
                on + late > 0 && a + b + c == 0,
                "{name}: {} praised",
                area.title
            );
        }
    }
    // Reporting: counts as in Phụ lục II, units not named.
    let units = &pr.annexes[1];
    let state = |s: &str| units.rows.iter().filter(|r| r[2] == s).count();
    let rep = body
        .iter()
        .find(|l| l.starts_with("Về chế độ báo cáo"))
        .unwrap();
    let (on, late) = (state("Đúng hạn"), state("Trễ hạn"));
    assert!(
        rep.contains(&format!(
            "{}/{} cơ quan, đơn vị đã gửi báo cáo hợp lệ ({on} đúng hạn, {late} trễ hạn)",
            on + late,
            units.rows.len()
        )),
        "{name}: «{rep}»"
    );
    // Section III's shortfall sentence.
    let (_, [_, _, a, b, c, _]) = from_annex(annex, &all);
    if a + b + c > 0 {
        let want = format!(
            "- {} nhiệm vụ đến hạn chưa hoàn thành (quá hạn {b}, còn trong hạn {a}, chưa có báo cáo {c})",
            a + b + c
        );
        assert!(body.iter().any(|l| l.starts_with(&want)), "{name}: {want}");
    }
    // Words a reader must never meet.
    for l in &body {
        for bad in ["sheet", "…", " — ", "HS_", "LV", ".dd", "1.dd"] {
            assert!(!l.contains(bad), "{name}: «{bad}» in «{l}»");
        }
    }
    // The JSON reads the same figures.
    let json: serde_json::Value =
        serde_json::from_slice(&document::files::compilation_json(&k.c).unwrap()).unwrap();
    assert_eq!(json["total"]["no_report"], counts[4]);
    assert_eq!(json["total"]["done_on_time"], counts[0]);
}

#[test]
fn all_done_body_agrees_with_annexes() {
    let k = all_done();
    assert_eq!(k.c.total.not_done(), 0);
    check(&k, "all done");
}

#[test]
fn none_reported_counts_every_due_task_as_not_done() {
    let k = none_reported();
    assert_eq!(k.c.total.done(), 0);
    assert_eq!(k.c.total.no_report, k.c.total.due());
    assert_eq!(k.c.total.rate(), Some(0.0));
    check(&k, "none reported");
    // 33 units missing: counted, never listed in the body.
    let cfg = ReportConfig::embedded();
    let pr = prose::Prose::new(&k.c, &cfg, &k.dir);
    let body = lines(&pr).join("\n");
    let named =
        k.c.completeness
            .units
            .iter()
            .filter(|u| body.contains(&prose::prose_name(&k.dir, &u.code)))
            .count();
    assert!(named <= 12, "{named} units named in the body");
}

#[test]
fn mixed_body_agrees_with_annexes_and_workbook() {
    let k = mixed();
    check(&k, "mixed");
    use calamine::{DataType, Reader, Xlsx};
    let bytes = document::workbook::workbook(&k.c, &k.dir).unwrap();
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let areas = wb.worksheet_range(document::workbook::SHEET_AREAS).unwrap();
    for (row, a) in areas.rows().skip(1).zip(&k.c.areas) {
        let num = |i: usize| row[i].as_f64().unwrap() as usize;
        assert_eq!(num(2), a.counts.due(), "{}", a.title);
        assert_eq!(num(3), a.counts.done_on_time, "{}", a.title);
        assert_eq!(num(9), a.counts.no_report, "{}", a.title);
    }
}

#[test]
fn a_missing_unit_keeps_its_due_tasks_open() {
    let k = unit_missing();
    check(&k, "unit missing");
    // Sở Nội vụ leads due tasks of the direction area: none of them is done,
    // so that area is not praised and its rate is below 100%.
    let direction =
        k.c.areas
            .iter()
            .find(|a| a.title.contains("chỉ đạo"))
            .unwrap();
    assert!(direction.counts.no_report > 0);
    assert!(direction.counts.rate().unwrap() < 100.0);
    let cfg = ReportConfig::embedded();
    let pr = prose::Prose::new(&k.c, &cfg, &k.dir);
    let body = lines(&pr);
    assert!(!body.iter().any(
        |l| l.starts_with("Các lĩnh vực đã hoàn thành toàn bộ") && l.contains(&direction.title)
    ));
    // Annex II: its due tasks count as not completed.
    let row = pr.annexes[1]
        .rows
        .iter()
        .find(|r| r[1] == "Sở Nội vụ")
        .unwrap();
    assert_eq!(row[2], "Chưa gửi");
    assert_eq!(row[6], "0");
    assert_eq!(row[9], "0%");
}

// ------------------------------------------------------------- page budget --

fn pages_to_signature(docx: &[u8], name: &str) -> (usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.docx"));
    std::fs::write(&path, docx).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .output()
        .expect("soffice is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = dir.path().join(format!("{name}.pdf"));
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let sig = pages
        .iter()
        .position(|p| p.contains("PHÓ CHỦ TỊCH"))
        .expect("signature block")
        + 1;
    (sig, pages.len())
}

/// 111 reporting units (the province from 1/7/2025 has 15 + 96): the 2024
/// directory's 33 units and 78 of its communes report directly.
fn units_111() -> Case {
    let dir = Directory::embedded();
    let mut expected: Vec<String> = dir
        .reporting_units()
        .iter()
        .map(|a| a.code.clone())
        .collect();
    expected.extend(
        dir.all()
            .iter()
            .filter(|a| a.level == Level::Xa)
            .take(111 - expected.len())
            .map(|a| a.code.clone()),
    );
    assert_eq!(expected.len(), 111);
    compiled(dir, Some(expected), |p, d, c, per, u| {
        let sending: Vec<String> = u
            .iter()
            .step_by(7)
            .skip(1)
            .chain(u.iter().skip(3))
            .cloned()
            .collect();
        let mut seen = std::collections::HashSet::new();
        let sending: Vec<String> = sending
            .into_iter()
            .filter(|s| seen.insert(s.clone()))
            .collect();
        synthetic::mixed(p, d, c, per, &sending)
    })
}

#[test]
fn body_with_111_units_agrees_with_annexes_and_stays_within_15_pages() {
    let k = units_111();
    assert_eq!(k.c.completeness.expected, 111);
    check(&k, "111 units");
    let docx = document::docx::report(&k.c, &ReportConfig::embedded(), &k.dir).unwrap();
    let (sig, total) = pages_to_signature(&docx, "bao-cao-111");
    assert!(sig <= 15, "body runs to page {sig} of {total}");
}

#[test]
fn demo_report_body_stays_within_12_pages() {
    use assert_cmd::Command;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo-out");
    Command::cargo_bin("cchc")
        .unwrap()
        .current_dir(tmp.path())
        .env("CCHC_KEY_FILE", tmp.path().join("khoa"))
        .args(["demo", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let docx = std::fs::read(out.join("3-ket-qua/bao-cao-2024-Q1.docx")).unwrap();
    let (sig, total) = pages_to_signature(&docx, "bao-cao-demo");
    assert!(sig <= 12, "body runs to page {sig} of {total}");
    // Section IV looks ahead to quý II; the letter exists as .docx and text.
    let xml = {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut s = String::new();
        z.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    assert!(xml.contains("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2024"));
    for bad in ["sheet", "…", "xem bảng tổng hợp"] {
        assert!(!xml.contains(bad), "«{bad}» in the report");
    }
    assert!(out.join("3-ket-qua/cong-van-don-doc.txt").exists());
    assert!(out.join("3-ket-qua/cong-van-don-doc.docx").exists());
}
