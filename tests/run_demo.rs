//! The quarter-end run end to end: the committed samples validate as their
//! README says, `cchc demo` produces the report, the ledger and the summary
//! workbook from a fresh folder, and the figures in the compilation come from
//! exactly the counted returns (a rejected or superseded file never counts).

use assert_cmd::Command;
use cchc::agencies::Directory;
use cchc::demo::{embedded, samples};
use cchc::form::indicators::Catalogue;
use cchc::intake::{self, Limits, Setup};
use cchc::period::Schedule;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/2024-Q1");

/// Runs `f` with the intake setup of the demo: embedded plan, quý I 2024,
/// the public demo key, "today" the province's due date.
fn with_demo_setup<R>(f: impl FnOnce(&Setup) -> R) -> R {
    let dir = Directory::embedded();
    let plan = cchc::plan::seed(&dir);
    let schedule = Schedule::embedded();
    let catalogue = Catalogue::embedded();
    let period = schedule.period(samples::PERIOD).unwrap();
    let key = cchc::demo::key();
    let setup = Setup {
        plan: &plan,
        directory: &dir,
        schedule: &schedule,
        catalogue: &catalogue,
        period: Some(&period),
        key: Some(&key),
        today: period.province_due,
    };
    f(&setup)
}

fn rules_of(o: &intake::Outcome) -> Vec<&str> {
    let mut v: Vec<&str> = o.findings.iter().map(|f| f.code).collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn embedded_samples_are_the_samples_folder() {
    let mut on_disk: Vec<String> = std::fs::read_dir(SAMPLES)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "ngay-nhan.csv")
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = embedded::SAMPLES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
    for (name, bytes) in embedded::SAMPLES {
        assert_eq!(
            std::fs::read(Path::new(SAMPLES).join(name)).unwrap(),
            *bytes,
            "{name}"
        );
    }
    for line in embedded::RECEIVED.lines().skip(1) {
        let file = line.split(',').next().unwrap();
        assert!(embedded::SAMPLES.iter().any(|(n, _)| *n == file), "{file}");
    }
}

#[test]
fn scenario_agencies_exist_and_report() {
    let dir = Directory::embedded();
    let units: Vec<String> = dir
        .reporting_units()
        .iter()
        .map(|a| a.code.clone())
        .collect();
    let codes = samples::MISSING
        .iter()
        .chain(samples::LATE)
        .chain(samples::RESUBMITTED)
        .chain(samples::GENERATED_MISTAKES.iter().map(|(c, _)| c));
    for code in codes {
        assert!(
            units.contains(&code.to_string()),
            "{code} is not a reporting unit"
        );
    }
}

#[test]
fn samples_validate_as_documented() {
    let paths = intake::collect_paths(&[PathBuf::from(SAMPLES)]).unwrap();
    let outcomes = with_demo_setup(|setup| {
        intake::validate_paths(&paths, setup, &Limits::default(), |_, _| {})
    });
    let by_name: BTreeMap<String, &intake::Outcome> = outcomes
        .iter()
        .map(|o| {
            (
                Path::new(&o.path)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                o,
            )
        })
        .collect();
    let verdict = |name: &str| {
        by_name
            .get(name)
            .unwrap_or_else(|| panic!("{name} not read"))
    };
    for good in [
        "2024-Q1_STP_so-tu-phap.xlsx",
        "2024-Q1_SNV_so-noi-vu.ods",
        "2024-Q1_H522_ubnd-thanh-pho-quang-ngai.xls",
        "2024-Q1_STC_so-tai-chinh_lan-2.xlsx",
    ] {
        let o = verdict(good);
        assert!(o.accepted(), "{good}: {:?}", o.findings);
    }
    let bdt = verdict("2024-Q1_BDT_ban-dan-toc-tinh.xlsx");
    assert!(bdt.accepted());
    let t001 = bdt
        .findings
        .iter()
        .find(|f| f.code == "T001")
        .expect("TCVN3 found");
    assert!(
        t001.message.contains("Thực hiện") || t001.message.contains("đã"),
        "{}",
        t001.message
    );
    let syt = verdict("2024-Q1_SYT_so-y-te.xlsx");
    assert!(!syt.accepted());
    for code in ["C001", "V001", "V003", "I004"] {
        assert!(
            rules_of(syt).contains(&code),
            "SYT lacks {code}: {:?}",
            rules_of(syt)
        );
    }
    assert!(rules_of(verdict("2024-Q1_STC_so-tai-chinh_lan-1.xlsx")).contains(&"C002"));
    assert!(rules_of(verdict("2024-Q1_SCT_so-cong-thuong.xlsx")).contains(&"M003"));
    assert_eq!(
        rules_of(verdict("2024-Q1_SGTVT_so-giao-thong-van-tai.xlsx")),
        ["F001"]
    );
}

fn demo_out() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo-out");
    let assert = Command::cargo_bin("cchc")
        .unwrap()
        .current_dir(tmp.path())
        .env("CCHC_KEY_FILE", tmp.path().join("khoa"))
        .args(["demo", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("Báo cáo của tỉnh:"), "{stdout}");
    assert!(stdout.contains("bao-cao-2024-Q1.docx"), "{stdout}");
    (tmp, out)
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn demo_produces_report_ledger_and_workbook_with_figures_from_counted_returns() {
    let (_tmp, out) = demo_out();
    let results = out.join("3-ket-qua");
    for f in [
        "bao-cao-2024-Q1.docx",
        "tong-hop-2024-Q1.xlsx",
        "so-tiep-nhan.csv",
        "cong-van-don-doc.txt",
        "kiem-tra.txt",
    ] {
        assert!(results.join(f).is_file(), "{f} missing");
    }
    assert_eq!(
        std::fs::read_dir(out.join("1-bieu-mau")).unwrap().count(),
        34,
        "33 templates + manifest"
    );

    // The ledger lists every file received, nothing dropped.
    let returns = out.join("2-bao-cao-nhan");
    let files = intake::collect_paths(std::slice::from_ref(&returns)).unwrap();
    let ledger = json(&results.join("so-tiep-nhan.json"));
    let entries = ledger["entries"].as_array().unwrap();
    assert_eq!(entries.len(), files.len());
    let status_of = |name: &str| {
        entries
            .iter()
            .find(|e| e["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not in ledger"))["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status_of("2024-Q1_SYT_so-y-te.xlsx"), "rejected");
    assert_eq!(status_of("2024-Q1_STC_so-tai-chinh_lan-1.xlsx"), "rejected");
    assert_eq!(status_of("2024-Q1_STC_so-tai-chinh_lan-2.xlsx"), "accepted");
    assert_eq!(
        status_of("2024-Q1_SKHDT_so-ke-hoach-va-dau-tu_ban-dau.xlsx"),
        "superseded"
    );
    assert_eq!(
        status_of("2024-Q1_SKHDT_so-ke-hoach-va-dau-tu.xlsx"),
        "accepted"
    );

    // Completeness: the missing unit and the late ones.
    let c = json(&results.join("tong-hop-2024-Q1.json"));
    let units = c["completeness"]["units"].as_array().unwrap();
    let state = |code: &str| {
        units.iter().find(|u| u["code"] == code).unwrap()["state"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(state("H536"), "missing");
    for late in samples::LATE {
        assert_eq!(state(late), "late", "{late}");
    }
    assert_eq!(c["completeness"]["expected"], 33);
    let reminder = std::fs::read_to_string(results.join("cong-van-don-doc.txt")).unwrap();
    assert!(
        reminder.contains("huyện Lý Sơn") && reminder.contains("Sở Y tế"),
        "{reminder}"
    );

    // Figures: recompute the indicator totals from the counted files alone.
    let counted: Vec<&str> = entries
        .iter()
        .filter(|e| e["status"] == "accepted")
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    let subs = with_demo_setup(|setup| {
        counted
            .iter()
            .map(|path| intake::validate_file(Path::new(path), setup, &Limits::default()).0)
            .map(|o| o.submission.expect("counted files are accepted"))
            .collect::<Vec<_>>()
    });
    let mut sums: BTreeMap<String, f64> = BTreeMap::new();
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for s in subs {
        for (code, v) in s.indicators {
            *sums.entry(code).or_default() += v;
        }
        for t in s.tasks {
            *statuses
                .entry(format!("{:?}", t.status.unwrap()))
                .or_default() += 1;
        }
    }
    let totals = c["indicators"].as_array().unwrap();
    for code in [
        "HS_DAGIAIQUYET",
        "HS_TRUOCHAN",
        "NV_KEHOACH",
        "PAKN_TIEPNHAN",
    ] {
        let t = totals.iter().find(|t| t["code"] == code).unwrap();
        assert_eq!(t["total"].as_f64().unwrap(), sums[code], "{code}");
    }
    let rate = totals
        .iter()
        .find(|t| t["code"] == "HS_TYLE_DUNGHAN")
        .unwrap()["total"]
        .as_f64()
        .unwrap();
    let expected = (sums["HS_TRUOCHAN"] + sums["HS_DUNGHAN"]) * 100.0 / sums["HS_DAGIAIQUYET"];
    assert!(
        (rate - expected).abs() < 0.05,
        "rate {rate} vs {expected}: recomputed from sums"
    );

    // The flat answers are exactly the counted returns' rows; SYT (rejected) never appears.
    let answers = c["answers"].as_array().unwrap();
    assert_eq!(answers.len(), statuses.values().sum::<usize>());
    assert!(answers.iter().all(|a| a["agency"] != "SYT"));
    assert!(answers.iter().all(|a| a["agency"] != "H536"));

    // The DOCX carries the title and names the missing unit.
    let docx = std::fs::read(results.join("bao-cao-2024-Q1.docx")).unwrap();
    let text = cchc::plan::docx::text_of(&docx).unwrap();
    assert!(text.contains("BÁO CÁO"));
    assert!(
        text.contains("Kết quả thực hiện công tác cải cách hành chính quý I năm 2024"),
        "title"
    );
    assert!(text.contains("Lý Sơn"));
    assert!(text.contains("TM. ỦY BAN NHÂN DÂN"));
}

#[test]
fn demo_is_repeatable() {
    let (_a, out_a) = demo_out();
    let (_b, out_b) = demo_out();
    let strip = |p: &Path| {
        let v = json(&p.join("3-ket-qua/tong-hop-2024-Q1.json"));
        // Paths differ between the two folders; compare everything else.
        v.to_string().replace(p.to_str().unwrap(), "")
    };
    assert_eq!(strip(&out_a), strip(&out_b));
}

fn demo_key_file(dir: &Path) -> PathBuf {
    // The same bytes as `cchc::demo::key()`, as a key file.
    let path = dir.join("khoa-demo.key");
    std::fs::write(&path, hex_of(b"cchc-demo-khoa-cong-khai-khong-dung-that")).unwrap();
    path
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn run_on_the_samples_folder_writes_everything_and_exits_1_while_units_owe() {
    let tmp = tempfile::tempdir().unwrap();
    let key = demo_key_file(tmp.path());
    let out = tmp.path().join("ket-qua");
    let before: Vec<Vec<u8>> = embedded::SAMPLES
        .iter()
        .map(|(n, _)| std::fs::read(Path::new(SAMPLES).join(n)).unwrap())
        .collect();
    let output = Command::cargo_bin("cchc")
        .unwrap()
        .arg("--key")
        .arg(&key)
        .args(["run", "--period", "2024-Q1", "--returns", SAMPLES, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("Đã đọc 9 tệp: 5 đạt, 4 phải sửa"),
        "{stdout}"
    );
    for f in [
        "bao-cao-2024-Q1.docx",
        "tong-hop-2024-Q1.xlsx",
        "so-tiep-nhan.csv",
        "cong-van-don-doc.txt",
        "kiem-tra.json",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    // Received times come from the folder's ngay-nhan.csv.
    let ledger = json(&out.join("so-tiep-nhan.json"));
    let stp = ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["agency"] == "STP")
        .unwrap();
    assert_eq!(stp["received"], "2024-03-12T09:00:00");
    // Feedback copies for the files that must be fixed, inputs untouched.
    assert!(out.join("gop-y").read_dir().unwrap().count() >= 3);
    let after: Vec<Vec<u8>> = embedded::SAMPLES
        .iter()
        .map(|(n, _)| std::fs::read(Path::new(SAMPLES).join(n)).unwrap())
        .collect();
    assert_eq!(before, after, "input files are never modified");
}

#[test]
fn a_bad_received_list_names_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let list = tmp.path().join("nhan.csv");
    std::fs::write(
        &list,
        "tệp,ngày nhận\n2024-Q1_STP_so-tu-phap.xlsx,hôm qua\n",
    )
    .unwrap();
    let output = Command::cargo_bin("cchc")
        .unwrap()
        .env("CCHC_KEY_FILE", tmp.path().join("k"))
        .args([
            "run",
            "--period",
            "2024-Q1",
            "--returns",
            SAMPLES,
            "--received",
        ])
        .arg(&list)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("dòng 2") && err.contains("hôm qua"), "{err}");
}

#[test]
fn committed_xlsx_samples_are_reproduced_byte_for_byte() {
    let dir = Directory::embedded();
    let plan = cchc::plan::seed(&dir);
    let catalogue = Catalogue::embedded();
    let period = Schedule::embedded().period(samples::PERIOD).unwrap();
    let key = cchc::demo::key();
    let batch = cchc::template::Batch {
        plan: &plan,
        directory: &dir,
        catalogue: &catalogue,
        period: &period,
        key: &key,
        generated_at: samples::generated_at(),
        password: None,
    };
    let built = samples::build(&batch).unwrap();
    let mut compared = 0;
    for s in built.iter().filter(|s| s.convert.is_none()) {
        let committed = std::fs::read(Path::new(SAMPLES).join(&s.name)).unwrap();
        assert!(
            committed == s.xlsx,
            "{} differs from what samples/make.sh would write",
            s.name
        );
        compared += 1;
    }
    assert_eq!(compared, 6);
    // The LibreOffice-saved ones exist under their converted names.
    for s in built.iter().filter(|s| s.convert.is_some()) {
        assert!(Path::new(SAMPLES).join(&s.name).is_file(), "{}", s.name);
    }
}
