//! The quarter-end batch against a hostile and careless world: an
//! adversarial corpus of more than 100 crafted entries (generated here, see
//! `corpus`) run through `cchc run` as one batch, a property test over
//! mutated workbooks read through the sandbox, and runs killed at several
//! points. What must hold: every entry gets exactly one ledger line with a
//! Vietnamese reason, no run aborts, the outputs stay well-formed (and open
//! in LibreOffice), a killed run leaves complete outputs, and counted data
//! reaches the report whatever the file is called.

mod adversarial;
mod intake_util;

use adversarial::{corpus, key_file, P};
use intake_util::{Fixture, World};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

fn display(p: &Path) -> String {
    cchc::intake::display_path(p)
}

/// Parses every XML part of a package fully; panics on the first error.
fn assert_well_formed_package(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("{}: not a zip: {e}", path.display()));
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        if !name.ends_with(".xml") {
            continue;
        }
        let mut xml = String::new();
        e.read_to_string(&mut xml).unwrap();
        let mut r = quick_xml::Reader::from_str(&xml);
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(err) => panic!("{}: {name} ill-formed: {err}", path.display()),
            }
        }
        assert!(
            !xml.chars()
                .any(|c| (c as u32) < 0x20 && !"\t\n\r".contains(c)),
            "{}: {name} holds a control character",
            path.display()
        );
    }
}

fn vietnamese(s: &str) -> bool {
    s.chars()
        .any(|c| "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĐ".contains(c))
}

fn cchc() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_cchc"))
}

#[test]
fn adversarial_corpus_every_entry_one_ledger_line_outputs_well_formed() {
    let w = World::new();
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("bao-cao");
    std::fs::create_dir(&returns).unwrap();
    let corpus = corpus(&w, &returns);
    assert!(corpus.len() >= 100, "{} entries", corpus.len());
    let before: BTreeMap<PathBuf, Vec<u8>> = corpus
        .keys()
        .filter(|p| p.is_file())
        .map(|p| (p.clone(), std::fs::read(p).unwrap()))
        .collect();
    let out = root.path().join("ket-qua");
    let run = cchc()
        .arg("--key")
        .arg(key_file(root.path()))
        .args(["run", "--period", P, "--returns"])
        .arg(&returns)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("đã thay đổi"), "{stderr}");
    // Every entry exactly one ledger line, with a Vietnamese reason.
    let ledger: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("so-tiep-nhan.json")).unwrap()).unwrap();
    let entries = ledger["entries"].as_array().unwrap();
    let mut seen: BTreeMap<String, &serde_json::Value> = BTreeMap::new();
    for e in entries {
        let path = e["path"].as_str().unwrap().to_string();
        assert!(seen.insert(path.clone(), e).is_none(), "{path} twice");
        let reason = e["reason"].as_str().unwrap();
        assert!(vietnamese(reason), "{path}: {reason}");
        assert!(
            !reason.contains("os error") && !reason.contains("EOCD"),
            "{reason}"
        );
    }
    if std::env::var_os("CCHC_CORPUS_SHOW").is_some() {
        for (p, e) in &seen {
            eprintln!(
                "{p}\t{}\t{}",
                e["status"],
                e["reason"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .take(150)
                    .collect::<String>()
            );
        }
    }
    let wanted: BTreeSet<String> = corpus.keys().map(|p| display(p)).collect();
    let got: BTreeSet<String> = seen.keys().cloned().collect();
    assert_eq!(got, wanted);
    for (path, expect) in &corpus {
        if let Some(status) = expect {
            let e = seen[&display(path)];
            assert_eq!(e["status"], *status, "{}: {e}", display(path));
        }
    }
    // The memory bombs were refused for memory, in a reader child.
    let bomb = seen[&display(&returns.join("2024-Q1_SLDTBXH_unique-count.xlsx"))];
    assert!(
        bomb["reason"].as_str().unwrap().contains("MB bộ nhớ"),
        "{bomb}"
    );
    assert_eq!(bomb["agency"], "SLDTBXH");
    // The unit whose file was unreadable sent one: never "chưa gửi".
    let c: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("tong-hop-2024-Q1.json")).unwrap()).unwrap();
    let unit = c["completeness"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "SLDTBXH")
        .unwrap();
    assert_eq!(unit["state"], "rejected", "{unit}");
    assert_eq!(unit["unreadable"], true, "{unit}");
    let letter = std::fs::read_to_string(out.join("cong-van-don-doc.txt")).unwrap();
    assert!(
        letter.contains("đã gửi báo cáo nhưng tệp không đọc được"),
        "{letter}"
    );
    // The file with a non-UTF-8 name is counted and its data reaches the report.
    let sct = seen[&display(&returns.join(std::ffi::OsStr::from_bytes(
        b"2024-Q1_SCT_T\xEAn-Windows.xlsx",
    )))];
    assert_eq!(sct["status"], "accepted");
    let sct_unit = c["completeness"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "SCT")
        .unwrap();
    assert_eq!(
        sct_unit["file"].as_str(),
        Some(
            display(&returns.join(std::ffi::OsStr::from_bytes(
                b"2024-Q1_SCT_T\xEAn-Windows.xlsx"
            )))
            .as_str()
        ),
        "{sct_unit}"
    );
    assert!(
        sct_unit["state"] == "on_time" || sct_unit["state"] == "late",
        "{sct_unit}"
    );
    // Outputs well-formed, text sanitised.
    assert_well_formed_package(&out.join("bao-cao-2024-Q1.docx"));
    assert_well_formed_package(&out.join("tong-hop-2024-Q1.xlsx"));
    let docx_text = {
        let mut z =
            zip::ZipArchive::new(std::fs::File::open(out.join("bao-cao-2024-Q1.docx")).unwrap())
                .unwrap();
        let mut s = String::new();
        z.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    if seen[&display(&returns.join("2024-Q1_SGTVT_ky-tu-dieu-khien.xlsx"))]["status"] == "accepted"
    {
        assert!(
            docx_text.contains('␇') || !docx_text.contains("có ký tự"),
            "control picture shown"
        );
    }
    let mut csv = csv::Reader::from_path(out.join("kiem-tra.csv")).unwrap();
    for rec in csv.records() {
        for field in rec.unwrap().iter() {
            let field = field.trim_start_matches('\u{feff}');
            assert!(
                !field.starts_with(['=', '+', '@']),
                "formula in CSV: {field}"
            );
        }
    }
    let txt = std::fs::read(out.join("kiem-tra.txt")).unwrap();
    assert!(!txt.contains(&0x1b), "escape byte in kiem-tra.txt");
    assert!(!run.stdout.contains(&0x1b));
    // The summary workbook opens with a reader.
    calamine::open_workbook_auto(out.join("tong-hop-2024-Q1.xlsx")).expect("workbook opens");
    // Inputs untouched.
    for (p, b) in before {
        assert_eq!(std::fs::read(&p).unwrap(), b, "{} modified", p.display());
    }
    // LibreOffice opens the report and the workbook.
    if std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok()
    {
        let pdf = root.path().join("pdf");
        intake_util::soffice_convert(
            &[
                &out.join("bao-cao-2024-Q1.docx"),
                &out.join("tong-hop-2024-Q1.xlsx"),
            ],
            "pdf",
            &pdf,
        );
        for n in ["bao-cao-2024-Q1.pdf", "tong-hop-2024-Q1.pdf"] {
            let len = std::fs::metadata(pdf.join(n)).map(|m| m.len()).unwrap_or(0);
            assert!(len > 1000, "{n}: {len} bytes");
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    /// Any mutation of a good workbook read through the sandbox gives a
    /// workbook or one file-level finding in Vietnamese; the reading
    /// process never dies.
    #[test]
    fn mutated_workbooks_read_or_refused_in_vietnamese(
        flips in proptest::collection::vec((0usize..1_000_000, 0u8..8), 1..12),
        cut in proptest::option::of(0usize..1_000_000),
    ) {
        let bytes = good_bytes();
        let mut b = bytes.clone();
        for (at, bit) in flips {
            let i = at % b.len();
            b[i] ^= 1 << bit;
        }
        if let Some(c) = cut {
            b.truncate(c % b.len());
        }
        let limits = cchc::intake::Limits {
            isolate: Some(PathBuf::from(env!("CARGO_BIN_EXE_cchc"))),
            ..Default::default()
        };
        match cchc::intake::read_bytes(b, &limits) {
            Ok(book) => {
                // Read as what it is, cells in order.
                proptest::prop_assert_eq!(book.format, cchc::intake::read::Format::Xlsx);
                for s in &book.sheets {
                    proptest::prop_assert!(s.cells.windows(2).all(|w| (w[0].row, w[0].col) <= (w[1].row, w[1].col)));
                }
            }
            Err(f) => {
                proptest::prop_assert!(f.code.starts_with('F'), "{}", f.code);
                proptest::prop_assert!(vietnamese(&f.message), "{}", f.message);
            }
        }
    }
}

fn good_bytes() -> Vec<u8> {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES
        .get_or_init(|| Fixture::good(&World::new(), "STP", P).xlsx())
        .clone()
}

#[test]
fn a_killed_run_leaves_complete_outputs_and_the_next_run_takes_over() {
    let w = World::new();
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("bao-cao");
    std::fs::create_dir(&returns).unwrap();
    for code in ["STP", "SNV", "STC", "SYT"] {
        Fixture::good(&w, code, P).save(&returns.join(format!("2024-Q1_{code}.xlsx")));
    }
    let key = key_file(root.path());
    let out = root.path().join("ket-qua");
    let run = || {
        let mut c = cchc();
        c.arg("--key")
            .arg(&key)
            .args(["run", "--period", P, "--returns"])
            .arg(&returns)
            .arg("--out")
            .arg(&out)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        c
    };
    assert_eq!(run().status().unwrap().code(), Some(1));
    for delay_ms in [0u64, 15, 40, 80, 150, 250, 400] {
        let mut child = run().spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        for name in ["bao-cao-2024-Q1.docx", "tong-hop-2024-Q1.xlsx"] {
            assert_well_formed_package(&out.join(name));
        }
        for name in [
            "so-tiep-nhan.json",
            "tong-hop-2024-Q1.json",
            "kiem-tra.json",
        ] {
            let text = std::fs::read(out.join(name)).unwrap();
            serde_json::from_slice::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{name} after kill at {delay_ms} ms: {e}"));
        }
    }
    let last = run().output().unwrap();
    assert_eq!(
        last.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    assert!(!out.join(".cchc-dang-chay.lock").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_second_run_on_the_same_output_folder_is_refused_with_a_clear_message() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("ket-qua");
    std::fs::create_dir(&out).unwrap();
    // A live cchc process (a reader child waiting on its input) holds the lock.
    let mut holder = cchc()
        .args(["__read", "--serve"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::fs::write(
        out.join(".cchc-dang-chay.lock"),
        format!("{}\n01/12/2026 09:00:00\n", holder.id()),
    )
    .unwrap();
    let returns = root.path().join("bao-cao");
    std::fs::create_dir(&returns).unwrap();
    let run = cchc()
        .arg("--key")
        .arg(key_file(root.path()))
        .args(["run", "--period", P, "--returns"])
        .arg(&returns)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let _ = holder.kill();
    let _ = holder.wait();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("đang được một lần chạy khác"), "{stderr}");
    assert!(stderr.contains(&holder.id().to_string()), "{stderr}");
    // The holder gone, the stale lock is taken over with a note.
    let again = cchc()
        .arg("--key")
        .arg(key_file(root.path()))
        .args(["run", "--period", P, "--returns"])
        .arg(&returns)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("đã dừng giữa chừng"), "{stdout}");
    assert!(out.join("so-tiep-nhan.csv").exists());
}

#[test]
fn stale_feedback_copies_are_moved_aside_with_a_note() {
    let w = World::new();
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("bao-cao");
    std::fs::create_dir(&returns).unwrap();
    let mut bad = Fixture::good(&w, "STP", P);
    bad.rows[0].status = intake_util::t("Đang làm gì đó");
    bad.save(&returns.join("2024-Q1_STP.xlsx"));
    let out = root.path().join("ket-qua");
    let key = key_file(root.path());
    let run = || {
        cchc()
            .arg("--key")
            .arg(&key)
            .args(["run", "--period", P, "--returns"])
            .arg(&returns)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    run();
    assert!(out.join("gop-y/2024-Q1_STP-can-sua.xlsx").exists());
    Fixture::good(&w, "STP", P).save(&returns.join("2024-Q1_STP.xlsx"));
    let second = run();
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(!out.join("gop-y/2024-Q1_STP-can-sua.xlsx").exists());
    assert!(out.join("gop-y-cu/2024-Q1_STP-can-sua.xlsx").exists());
    assert!(
        stdout.contains("1 bản góp ý của lần chạy trước"),
        "{stdout}"
    );
}

#[test]
fn plan_from_a_fifo_or_dev_zero_is_refused_not_read_forever() {
    let root = tempfile::tempdir().unwrap();
    let fifo = root.path().join("ke-hoach.txt");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for plan in [fifo.as_path(), Path::new("/dev/zero")] {
        let out = cchc()
            .arg("--plan")
            .arg(plan)
            .args(["plan", "check"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("không phải một tệp thường"), "{stderr}");
    }
}

#[test]
fn a_return_without_identification_counts_only_on_the_offices_explicit_decision() {
    let w = World::new();
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("bao-cao");
    std::fs::create_dir(&returns).unwrap();
    Fixture::good(&w, "STP", P)
        .no_metadata()
        .save(&returns.join("stp-chep-sang-tep-moi.xlsx"));
    let key = key_file(root.path());
    let run = |out: &str, accept: bool| {
        let mut c = cchc();
        c.arg("--key")
            .arg(&key)
            .args(["run", "--period", P, "--returns"])
            .arg(&returns)
            .arg("--out")
            .arg(root.path().join(out));
        if accept {
            c.arg("--nhan-theo-noi-dung");
        }
        c.output().unwrap();
        let ledger: serde_json::Value = serde_json::from_slice(
            &std::fs::read(root.path().join(out).join("so-tiep-nhan.json")).unwrap(),
        )
        .unwrap();
        ledger["entries"][0].clone()
    };
    let strict = run("mac-dinh", false);
    assert_eq!(strict["status"], "rejected", "{strict}");
    let reason = strict["reason"].as_str().unwrap();
    assert!(reason.starts_with("M001"), "{reason}");
    assert!(
        reason.contains("không được tính là báo cáo chính thức"),
        "{reason}"
    );
    assert!(reason.contains("--nhan-theo-noi-dung"), "{reason}");
    let accepted = run("chap-nhan", true);
    assert_eq!(accepted["status"], "accepted", "{accepted}");
    assert_eq!(accepted["agency"], "STP");
    assert!(
        accepted["reason"]
            .as_str()
            .unwrap()
            .contains("Được tính theo quyết định của người tổng hợp"),
        "{accepted}"
    );
}
