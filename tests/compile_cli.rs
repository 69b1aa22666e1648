//! `cchc init` and `cchc compile` as a user runs them: files written, exit
//! codes, Vietnamese messages, the working folder's settings honoured.

#[path = "support/synthetic.rs"]
mod synthetic;

use assert_cmd::Command;
use cchc::agencies::Directory;
use cchc::form::indicators::Catalogue;
use cchc::form::Status;
use cchc::period::Schedule;
use std::io::Read;
use std::path::Path;

fn cchc() -> Command {
    let mut c = Command::cargo_bin("cchc").unwrap();
    c.env("CCHC_KEY_FILE", std::env::temp_dir().join("cchc-test-key"));
    c
}

/// Writes returns of the first `n` reporting units as JSON; returns the path.
fn write_submissions(dir: &Path, n: usize) -> std::path::PathBuf {
    let d = Directory::embedded();
    let plan = cchc::plan::seed(&d);
    let cat = Catalogue::embedded();
    let period = Schedule::embedded().period("2024-Q1").unwrap();
    let units: Vec<String> = d.reporting_units().iter().map(|a| a.code.clone()).collect();
    let mut subs = synthetic::all(
        &plan,
        &d,
        &cat,
        &period,
        &units[..n],
        Status::Completed,
        None,
    );
    for s in &mut subs {
        s.source.modified = Some("2024-03-14T09:00:00".into());
    }
    let path = dir.join("noi-dung.json");
    std::fs::write(&path, serde_json::to_vec(&subs).unwrap()).unwrap();
    path
}

fn docx_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn compile_writes_every_output_and_exits_1_while_units_are_owed() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = write_submissions(tmp.path(), 30);
    let out = tmp.path().join("ket-qua");
    let o = cchc()
        .args(["compile", "--period", "2024-Q1", "--submissions"])
        .arg(&subs)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("30/33 đơn vị đã gửi báo cáo hợp lệ"),
        "{stdout}"
    );
    assert!(stdout.contains("3 chưa gửi"), "{stdout}");
    for f in [
        "bao-cao-2024-Q1.docx",
        "tong-hop-2024-Q1.xlsx",
        "so-tiep-nhan.csv",
        "so-tiep-nhan.json",
        "cong-van-don-doc.txt",
        "tong-hop-2024-Q1.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let letter = std::fs::read_to_string(out.join("cong-van-don-doc.txt")).unwrap();
    assert!(
        letter.contains("UBND huyện Ba Tơ") || letter.contains("Ủy ban nhân dân huyện Ba Tơ"),
        "{letter}"
    );
    // All 33: nothing owed, exit 0.
    let subs = write_submissions(tmp.path(), 33);
    cchc()
        .args(["compile", "--period", "2024-Q1", "--submissions"])
        .arg(&subs)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
}

#[test]
fn a_ledger_input_decides_what_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let subs_path = write_submissions(tmp.path(), 33);
    let subs: Vec<cchc::form::Submission> =
        serde_json::from_slice(&std::fs::read(&subs_path).unwrap()).unwrap();
    let at = cchc::period::ymd(2024, 3, 14).and_hms_opt(8, 0, 0).unwrap();
    let mut inputs = synthetic::inputs_at(&subs, at);
    inputs[0].accepted = false;
    inputs[0].reasons = vec!["Nhiệm vụ!I7: thiếu tình trạng".into()];
    let ledger = tmp.path().join("so-nhan.json");
    std::fs::write(&ledger, serde_json::to_vec(&inputs).unwrap()).unwrap();
    let out = tmp.path().join("kq");
    let o = cchc()
        .args(["compile", "--period", "2024-Q1", "--submissions"])
        .arg(&subs_path)
        .arg("--ledger-input")
        .arg(&ledger)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 phải gửi lại"));
    let csv = std::fs::read_to_string(out.join("so-tiep-nhan.csv")).unwrap();
    assert!(csv.contains("Bị từ chối") && csv.contains("Nhiệm vụ!I7: thiếu tình trạng"));
}

#[test]
fn bad_submissions_file_exits_2_naming_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("hong.json");
    std::fs::write(&bad, "[\n  {\"agency\": \"STP\",\n  oops\n]").unwrap();
    let o = cchc()
        .args([
            "compile",
            "--period",
            "2024-Q1",
            "--out",
            "x",
            "--submissions",
        ])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("hong.json") && e.contains("dòng 3"), "{e}");
    let o = cchc()
        .args([
            "compile",
            "--period",
            "2024-Q9",
            "--out",
            "x",
            "--submissions",
        ])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Kỳ báo cáo «2024-Q9» không hợp lệ"));
}

#[test]
fn init_creates_a_working_folder_that_compile_honours() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("cchc-2024");
    let o = cchc().arg("init").arg(&ws).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    for f in [
        "cchc.toml",
        "agencies.csv",
        "indicators.toml",
        "periods.toml",
        "report.toml",
    ] {
        assert!(ws.join(f).is_file(), "{f}");
    }
    assert_eq!(
        std::fs::read_to_string(ws.join("agencies.csv")).unwrap(),
        cchc::agencies::DEFAULT_CSV
    );
    // The user sets the signer; a second init keeps the edited file.
    let settings = std::fs::read_to_string(ws.join("cchc.toml")).unwrap();
    std::fs::write(
        ws.join("cchc.toml"),
        settings.replace(
            "nguoi_ky = \"[Họ và tên người ký]\"",
            "nguoi_ky = \"Trần Phước Hiền\"",
        ),
    )
    .unwrap();
    let o = cchc().arg("init").arg(&ws).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("giữ nguyên  cchc.toml"));
    // Compile inside the folder (auto-detected): output goes to ket-qua/, signer from cchc.toml.
    let subs = write_submissions(tmp.path(), 33);
    cchc()
        .current_dir(&ws)
        .args(["compile", "--period", "2024-Q1", "--submissions"])
        .arg(&subs)
        .assert()
        .code(0);
    let xml = docx_text(&ws.join("ket-qua/bao-cao-2024-Q1.docx"));
    assert!(xml.contains("Trần Phước Hiền"));
    // --dir from elsewhere; a folder edit (grace days) changes who is late.
    let periods = std::fs::read_to_string(ws.join("periods.toml")).unwrap();
    std::fs::write(
        ws.join("periods.toml"),
        periods.replace("due_day = 15", "due_day = 10"),
    )
    .unwrap();
    let o = cchc()
        .arg("--dir")
        .arg(&ws)
        .args(["compile", "--period", "2024-Q1", "--submissions"])
        .arg(&subs)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("(0 đúng hạn, 33 trễ hạn)"), "{s}");
    // --dir without cchc.toml is explained.
    let o = cchc()
        .arg("--dir")
        .arg(tmp.path())
        .args(["agencies"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cchc init"));
}
