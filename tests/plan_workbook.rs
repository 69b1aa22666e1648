//! The plan workbook as input: `plan export --format xlsx` → staff edit it →
//! `--plan FILE.xlsx` gives the edited registry. Once straight back, and once
//! edited through LibreOffice (the sheet saved as CSV, a row changed and a
//! row added, opened again and saved as .xlsx by LibreOffice).

use cchc::agencies::Directory;
use cchc::plan::{self, export, import, Plan};
use std::path::Path;
use std::process::Command;

fn seed() -> Plan {
    plan::seed(&Directory::embedded())
}

fn codes(a: &plan::Assignment) -> Vec<String> {
    a.members.iter().map(|m| m.code.clone()).collect()
}

#[test]
fn exported_workbook_reads_back_as_the_same_registry() {
    let p = seed();
    let bytes = export::to_xlsx(&p).unwrap();
    let back = import::read(&bytes, "ke-hoach.xlsx", &Directory::embedded()).unwrap();
    assert_eq!(back.meta.year, 2024);
    assert_eq!(back.meta.decision_number.as_deref(), Some("1879/QĐ-UBND"));
    assert_eq!(back.areas.len(), 8);
    assert_eq!(back.tasks.len(), 56);
    for (a, b) in p.tasks.iter().zip(&back.tasks) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.area_id, b.area_id);
        assert_eq!(a.content, b.content);
        assert_eq!(codes(&a.lead), codes(&b.lead), "{}", a.id);
        assert_eq!(codes(&a.cooperating), codes(&b.cooperating), "{}", a.id);
        assert_eq!(a.deadline.final_due(), b.deadline.final_due(), "{}", a.id);
        assert_eq!(a.products, b.products, "{}", a.id);
    }
    assert_eq!(back.errors().count(), 0, "{:?}", back.diagnostics);
}

fn soffice(args: &[&str], profile: &Path) {
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore"])
        .args(args)
        .output()
        .expect("soffice runs");
    assert!(out.status.success(), "soffice {args:?}: {out:?}");
}

#[test]
fn workbook_edited_through_libreoffice_gives_the_edited_registry() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let xlsx = dir.path().join("ke-hoach.xlsx");
    std::fs::write(&xlsx, export::to_xlsx(&seed()).unwrap()).unwrap();
    // LibreOffice saves the task sheet as CSV (UTF-8) …
    let csv_dir = dir.path().join("csv");
    soffice(
        &[
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            csv_dir.to_str().unwrap(),
            xlsx.to_str().unwrap(),
        ],
        &profile,
    );
    let csv = std::fs::read_to_string(csv_dir.join("ke-hoach.csv")).unwrap();
    // … staff change task 1.d's lead and deadline and add a task …
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    let mut rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let header = rows[0].clone();
    let col = |h: &str| header.iter().position(|c| c == h).unwrap();
    let d = rows.iter().position(|r| r[0] == "1.d").unwrap();
    rows[d][col("Cơ quan chủ trì")] = "Sở Y tế".into();
    rows[d][col("Thời gian thực hiện")] = "Quý II/2024".into();
    let mut new = vec![String::new(); header.len()];
    new[col("Mã NV")] = "1.h".into();
    new[col("Lĩnh vực")] = rows[d][col("Lĩnh vực")].clone();
    new[col("Mục")] = "1.h".into();
    new[col("Nội dung nhiệm vụ")] = "Rà soát quy chế phối hợp liên ngành.".into();
    new[col("Cơ quan chủ trì")] = "Sở Nội vụ; Sở Tư pháp".into();
    new[col("Thời gian thực hiện")] = "Tháng 9/2024".into();
    rows.insert(d + 4, new);
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in &rows {
        w.write_record(r).unwrap();
    }
    let edited = dir.path().join("sua").join("ke-hoach.csv");
    std::fs::create_dir_all(edited.parent().unwrap()).unwrap();
    std::fs::write(&edited, w.into_inner().unwrap()).unwrap();
    // … and LibreOffice opens the CSV (every column as text) and saves .xlsx.
    let out_dir = dir.path().join("out");
    let text_cols: Vec<String> = (1..=header.len()).map(|c| format!("{c}/2")).collect();
    let filter = format!(
        "--infilter=Text - txt - csv (StarCalc):44,34,76,1,{}",
        text_cols.join("/")
    );
    soffice(
        &[
            &filter,
            "--convert-to",
            "xlsx",
            "--outdir",
            out_dir.to_str().unwrap(),
            edited.to_str().unwrap(),
        ],
        &profile,
    );
    let bytes = std::fs::read(out_dir.join("ke-hoach.xlsx")).unwrap();
    let p = import::read(&bytes, "ke-hoach.xlsx", &Directory::embedded()).unwrap();
    assert_eq!(p.tasks.len(), 57);
    let t = p.task("1.d").unwrap();
    assert_eq!(codes(&t.lead), ["SYT"]);
    assert_eq!(
        t.deadline.final_due(),
        chrono::NaiveDate::from_ymd_opt(2024, 6, 30)
    );
    let added = p.task("1.h").unwrap();
    assert_eq!(added.content, "Rà soát quy chế phối hợp liên ngành.");
    assert_eq!(codes(&added.lead), ["SNV", "STP"]);
    assert_eq!(added.area_id, t.area_id);
    // The CSV kept only the task sheet: the year comes from the deadlines.
    assert_eq!(p.meta.year, 2024);
    assert_eq!(p.errors().count(), 0, "{:?}", p.diagnostics);
    // Other tasks are unchanged.
    let s = seed();
    assert_eq!(
        codes(&p.task("2.k.1").unwrap().lead),
        codes(&s.task("2.k.1").unwrap().lead)
    );
}

#[test]
fn the_cli_reads_a_plan_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("ke-hoach.xlsx");
    std::fs::write(&xlsx, export::to_xlsx(&seed()).unwrap()).unwrap();
    let out = assert_cmd::Command::cargo_bin("cchc")
        .unwrap()
        .env("CCHC_KEY_FILE", dir.path().join("key"))
        .arg("--plan")
        .arg(&xlsx)
        .args(["plan", "show"])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{s}");
    assert!(s.contains("8 lĩnh vực, 56 nhiệm vụ"), "{s}");
    assert!(s.contains("1879/QĐ-UBND"), "{s}");
}
