//! The `plan` and `agencies` subcommands as a user runs them: exit codes,
//! Vietnamese output, and the documented JSON export.

use assert_cmd::Command;
use serde_json::Value;

fn cchc() -> Command {
    let mut c = Command::cargo_bin("cchc").unwrap();
    c.env("CCHC_KEY_FILE", std::env::temp_dir().join("cchc-test-key"));
    c
}

#[test]
fn plan_show_summarises_areas_tasks_and_owners() {
    let out = cchc().args(["plan", "show"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("1879/QĐ-UBND"), "{s}");
    assert!(s.contains("8 lĩnh vực, 56 nhiệm vụ"), "{s}");
    assert!(s.contains("Cải cách thể chế"));
    assert!(s.contains("Sở Tư pháp"));
}

#[test]
fn plan_check_exits_0_on_the_seed_and_1_on_a_plan_with_errors() {
    cchc().args(["plan", "check"]).assert().code(0);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "Biên bản họp\nkhông có nhiệm vụ\n").unwrap();
    let out = cchc()
        .arg("--plan")
        .arg(&bad)
        .args(["plan", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("[lỗi]") && s.contains("Không đọc được nhiệm vụ nào"),
        "{s}"
    );
}

#[test]
fn missing_or_binary_plan_file_exits_2_with_a_vietnamese_message() {
    let out = cchc()
        .args(["--plan", "/khong/co/tep.txt", "plan", "show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Không đọc được tệp kế hoạch"));
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("plan.bin");
    std::fs::write(&bin, [0xff, 0xfe, 0x00, 0x81]).unwrap();
    let out = cchc()
        .arg("--plan")
        .arg(&bin)
        .args(["plan", "show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("UTF-8"));
}

#[test]
fn json_export_follows_the_documented_shape() {
    let out = cchc()
        .args(["plan", "export", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["plan"]["decision_number"], "1879/QĐ-UBND");
    assert_eq!(v["areas"].as_array().unwrap().len(), 8);
    let tasks = v["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 56);
    let t = tasks.iter().find(|t| t["id"] == "1.d").unwrap();
    for key in [
        "id",
        "area_id",
        "label",
        "content",
        "lead",
        "cooperating",
        "unresolved",
        "products",
        "deadline",
    ] {
        assert!(!t[key].is_null(), "missing {key}");
    }
    assert_eq!(t["lead"][0]["code"], "STP");
    assert_eq!(t["lead"][0]["name"], "Sở Tư pháp");
    assert_eq!(t["deadline"]["milestones"][0]["due_by"], "2024-01-31");
    let ongoing = tasks.iter().find(|t| t["id"] == "1.a").unwrap();
    assert!(ongoing["deadline"]["milestones"][0]["due_by"].is_null());
    assert_eq!(tasks[0]["id"], "1.a", "plan order");
}

#[test]
fn csv_and_xlsx_exports_write_files() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("nv.csv");
    cchc()
        .args(["plan", "export", "--format", "csv", "--out"])
        .arg(&csv)
        .assert()
        .code(0);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'), "BOM for Excel");
    assert_eq!(text.lines().count(), 57, "header + 56 tasks");
    let xlsx = dir.path().join("nv.xlsx");
    cchc()
        .args(["plan", "export", "--format", "xlsx", "--out"])
        .arg(&xlsx)
        .assert()
        .code(0);
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    assert_eq!(range.height(), 57);
}

#[test]
fn agencies_lists_tasks_led_and_cooperated() {
    let out = cchc().args(["agencies", "STP"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("Sở Tư pháp"));
    assert!(s.contains("1.d"), "{s}");
    let out = cchc().args(["agencies", "KHONGCO"]).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
}

#[test]
fn bad_agency_directory_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("dv.csv");
    let mut text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/agencies.csv"
    ))
    .unwrap();
    text.push_str("STP,tinh,so,Sở Tư pháp trùng,STP,,,yes,\n");
    std::fs::write(&csv, text).unwrap();
    let out = cchc()
        .arg("--agencies")
        .arg(&csv)
        .args(["agencies"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dòng 221"), "{err}");
    assert!(err.contains("STP"), "{err}");
}

#[test]
fn help_and_argument_errors_are_vietnamese() {
    let out = cchc().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("Cách dùng:") && s.contains("Lệnh:") && s.contains("Tùy chọn:"),
        "{s}"
    );
    assert!(!s.contains("Print help"), "{s}");
    let out = cchc().args(["plan", "exprt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("không có lệnh «exprt»"));
    let out = cchc()
        .args(["plan", "export", "--format", "pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("«pdf» không hợp lệ") && err.contains("json, csv, xlsx"),
        "{err}"
    );
}

#[test]
fn plan_check_fits_one_screen_and_all_lists_every_line() {
    // A plan with thousands of findings: grouped by kind in at most 40 lines.
    let mut text = String::from("KẾ HOẠCH\nCải cách hành chính năm 2025\nII. NHIỆM VỤ CỤ THỂ\n");
    for i in 1..=300 {
        text += &format!("{i}. Lĩnh vực {i}\na) Việc {i}.\n- Cơ quan chủ trì: Sở Không Có {i}.\n- Thời gian thực hiện: khi nào xong.\nDòng lạ {i}.\n");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ke-hoach.txt");
    std::fs::write(&path, text).unwrap();
    let run = |all: bool| {
        let mut c = cchc();
        c.arg("--plan").arg(&path).args(["plan", "check"]);
        if all {
            c.arg("--all");
        }
        String::from_utf8(c.output().unwrap().stdout).unwrap()
    };
    let short = run(false);
    assert!(short.lines().count() <= 40, "{short}");
    assert!(
        short.contains("Tên cơ quan không có trong danh mục: 300"),
        "{short}"
    );
    assert!(
        short.contains("Thời hạn thiếu hoặc không đọc được: 300"),
        "{short}"
    );
    assert!(
        short.contains("Dòng không đọc được trong phần nhiệm vụ: 300"),
        "{short}"
    );
    assert!(short.contains("cchc plan check --all"), "{short}");
    // An unknown name once, with the directory names closest to it.
    assert!(short.contains("«Sở Không Có 1» (1 lần)"), "{short}");
    assert!(short.contains("Nhiệm vụ thiếu trường"), "{short}");
    let long = run(true);
    assert!(long.lines().count() > 900, "{}", long.lines().count());
    assert!(long.contains("Dòng lạ 300."));
}
