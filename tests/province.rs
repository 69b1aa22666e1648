//! The province as it is today: directory versions chosen by period, units
//! reporting at any level (15 provincial units and 96 communes from
//! 1/7/2025), commune templates, the structure checks of a plan, the plan
//! year against the period, and the 2026 demo.

mod templates_util;

use assert_cmd::Command;
use cchc::agencies::successors::Successors;
use cchc::agencies::versions::Versions;
use cchc::agencies::{Directory, Level};
use cchc::cli::context::{Context, Inputs, Seed};
use cchc::form::TaskColumn;
use cchc::plan::{self, Severity};
use cchc::template::{self, TASK_HEADER_ROW};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use templates_util::{column_below, open, sheet};

const PLAN_2026: &str = "seeds/ke-hoach-cchc-2026-minh-hoa.txt";

fn cchc(key: &Path) -> Command {
    let mut c = Command::cargo_bin("cchc").unwrap();
    c.arg("--key").arg(key);
    c
}

fn context_2026(key: &Path) -> Context {
    let inputs = Inputs {
        plan: Some(PathBuf::from(PLAN_2026)),
        key: Some(key.to_path_buf()),
        ..Inputs::default()
    };
    Context::load_for(&inputs, Some("2026-Q1"), Seed::default()).unwrap()
}

fn folded(s: &str) -> String {
    cchc::text::fold(s)
}

#[test]
fn quarter_one_2026_gives_111_templates_15_provincial_and_96_communes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("bieu-mau");
    let o = cchc(&tmp.path().join("key"))
        .args([
            "templates",
            "--plan",
            PLAN_2026,
            "--period",
            "2026-Q1",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".xlsx"))
        .collect();
    assert_eq!(names.len(), 111);
    let communes = names.iter().filter(|n| n.starts_with("2026-Q1_X")).count();
    assert_eq!(communes, 96);
    assert!(names.iter().any(|n| n.starts_with("2026-Q1_SNNMT_")));
    assert!(
        names.iter().any(|n| n.starts_with("2026-Q1_X21548_")),
        "đặc khu Lý Sơn"
    );
    assert!(
        !names.iter().any(|n| n.contains("_H5")),
        "no district in 2026"
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("Đã lập 111 biểu mẫu"), "{stdout}");
}

/// The task ids the plan gives a commune, read from the plan's own text:
/// a commune group ("UBND các xã, phường, đặc khu", "UBND cấp xã") or the
/// commune's name in the lead or cooperating field.
fn commune_tasks_from_text(p: &plan::Plan, commune_name: &str) -> BTreeSet<String> {
    let name = folded(commune_name);
    p.tasks
        .iter()
        .filter(|t| {
            let f = folded(&format!("{}\n{}", t.lead.raw, t.cooperating.raw));
            f.contains("xa, phuong, dac khu") || f.contains("cap xa") || f.contains(&name)
        })
        .map(|t| t.id.clone())
        .collect()
}

#[test]
fn each_commune_template_holds_exactly_the_commune_tasks_and_indicators() {
    let tmp = tempfile::tempdir().unwrap();
    let ctx = context_2026(&tmp.path().join("key"));
    let key = ctx.key().unwrap();
    let period = ctx.period.clone().unwrap();
    let group_only = commune_tasks_from_text(&ctx.plan, "phường không có tên này");
    assert!(group_only.len() >= 10, "{group_only:?}");
    let mut seen_named = false;
    for a in ctx.directory.at_level(Level::Xa) {
        let expected = commune_tasks_from_text(&ctx.plan, &a.short_name.replace("UBND ", ""));
        let from_plan: BTreeSet<String> = ctx
            .plan
            .tasks_for(&a.code, &ctx.directory)
            .iter()
            .map(|x| x.task.id.clone())
            .collect();
        assert_eq!(from_plan, expected, "{}", a.code);
        seen_named |= expected.len() > group_only.len();
    }
    assert!(seen_named, "some commune is named on its own (2.đ)");
    // The workbook itself, for a named ward and an ordinary commune.
    let catalogue_codes: Vec<String> = ctx
        .catalogue
        .for_level(Level::Xa)
        .iter()
        .map(|i| i.code.clone())
        .collect();
    assert!(catalogue_codes.contains(&"XA_HS_PHIDIAGIOI".to_string()));
    assert!(catalogue_codes.contains(&"HS_DAGIAIQUYET".to_string()));
    assert!(!catalogue_codes.contains(&"BM_PHONG".to_string()));
    assert!(!catalogue_codes.contains(&"XA_SODONVI".to_string()));
    for code in ["X21025", "X21154"] {
        let agency = ctx.directory.get(code).unwrap();
        let input = template::TemplateInput {
            plan: &ctx.plan,
            directory: &ctx.directory,
            catalogue: &ctx.catalogue,
            period: &period,
            agency,
            key: &key,
            generated_at: templates_util::generated_at(),
            password: None,
        };
        let bytes = template::build(&input, None).unwrap();
        let mut book = open(bytes);
        let tasks = sheet(&mut book, cchc::form::SHEET_TASKS);
        let ids: BTreeSet<String> =
            column_below(&tasks, TASK_HEADER_ROW, TaskColumn::Id.index() as u32)
                .into_iter()
                .collect();
        let expected = commune_tasks_from_text(&ctx.plan, &agency.short_name.replace("UBND ", ""));
        assert_eq!(ids, expected, "{code}");
        let figures = sheet(&mut book, cchc::form::SHEET_FIGURES);
        let row = templates_util::find_row(&figures, &["Mã chỉ số"]).unwrap();
        let col = templates_util::find_col(&figures, row, "Mã chỉ số");
        let codes: Vec<String> = (row + 1..=figures.end().unwrap().0)
            .map(|r| templates_util::text(&figures, r, col))
            .filter(|c| !c.is_empty())
            .collect();
        for c in &catalogue_codes {
            assert!(
                codes.contains(c),
                "{code}: figure {c} missing from {codes:?}"
            );
        }
        assert!(!codes.iter().any(|c| c == "BM_PHONG"), "{codes:?}");
    }
    // Cẩm Thành is named in 2.đ; Tây Trà is not.
    let named = ctx.plan.tasks_for("X21025", &ctx.directory).len();
    let plain = ctx.plan.tasks_for("X21154", &ctx.directory).len();
    assert_eq!(named, plain + 1);
}

#[test]
fn every_lead_of_the_2026_plan_resolves_or_is_named_in_a_diagnostic() {
    let tmp = tempfile::tempdir().unwrap();
    let ctx = context_2026(&tmp.path().join("key"));
    assert_eq!(ctx.plan.tasks.len(), 25);
    for t in &ctx.plan.tasks {
        let diagnosed = ctx
            .plan
            .diagnostics
            .iter()
            .any(|d| d.message.contains(&format!("Nhiệm vụ {}", t.label)));
        assert!(!t.lead.members.is_empty() || diagnosed, "{}", t.label);
    }
    // New names and short forms of the merged departments resolve.
    let lead = |label: &str| -> Vec<String> {
        let t = ctx.plan.tasks.iter().find(|t| t.label == label).unwrap();
        t.lead.members.iter().map(|m| m.code.clone()).collect()
    };
    assert_eq!(lead("6.c"), ["SNNMT"]);
    assert_eq!(lead("3.c"), ["SNNMT", "SDTTG", "SYT"]);
    // "Chủ tịch UBND các xã, phường, đặc khu" is the communes' group.
    let d = lead("2.d");
    assert_eq!(d.iter().filter(|c| c.starts_with('X')).count(), 96);
    assert!(d.contains(&"VPUBND".to_string()) && d.contains(&"STP".to_string()));
    // Communes only lead 2.c.
    assert_eq!(lead("2.c").len(), 96);
    let coop = ctx.plan.tasks.iter().find(|t| t.label == "8.d").unwrap();
    assert!(coop.cooperating.has("SDTTG"), "«Sở DT&TG»");
    assert!(ctx.plan.errors().next().is_none());
}

/// The 2026 directory with a plan written for the old structure.
fn plan_against(dir: &Directory, text: &str) -> plan::Plan {
    let versions = Versions::embedded();
    let successors = Successors::embedded();
    let date = cchc::period::ymd(2026, 3, 14);
    let (prepared, label) = versions.prepared(date, &successors);
    assert_eq!(
        prepared.reporting_units().len(),
        dir.reporting_units().len()
    );
    let mut p = plan::parse::parse_text(text, &prepared);
    cchc::agencies::structure::check_plan(
        &mut p,
        &cchc::agencies::structure::Structure {
            directory: &prepared,
            label: &label,
            versions: &versions,
            successors: &successors,
            date,
        },
    );
    p
}

const OLD_STYLE: &str = "KẾ HOẠCH\nCẢI CÁCH HÀNH CHÍNH NĂM 2026\nII. NHIỆM VỤ CỤ THỂ\n1. Cải cách thể chế\n\
a) Việc một.\n- Cơ quan chủ trì: Sở Tư pháp; UBND cấp huyện.\n- Thời gian thực hiện: Thường xuyên trong năm 2026.\n\
b) Việc hai.\n- Cơ quan chủ trì: Sở Kế hoạch và Đầu tư.\n- Cơ quan phối hợp: UBND các huyện, thị xã, thành phố.\n- Thời gian thực hiện: Thường xuyên trong năm 2026.\n\
c) Việc ba.\n- Cơ quan chủ trì: UBND cấp huyện.\n- Thời gian thực hiện: Thường xuyên trong năm 2026.\n";

#[test]
fn a_district_group_in_a_plan_without_districts_gives_one_clear_diagnostic() {
    let dir = Versions::embedded()
        .in_force(cchc::period::ymd(2026, 1, 1))
        .directory
        .clone();
    let p = plan_against(&dir, OLD_STYLE);
    let district: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("không còn cấp huyện"))
        .collect();
    assert_eq!(district.len(), 1, "{:#?}", p.diagnostics);
    let m = &district[0].message;
    assert!(m.contains("3 nhiệm vụ (1.a, 1.b, 1.c)"), "{m}");
    assert!(
        m.contains("UBND các xã, phường, đặc khu") && m.contains("agencies-2025-07.csv"),
        "{m}"
    );
    assert_eq!(district[0].severity, Severity::Warning);
    // The predecessor's task went to its successor, and the plan says so.
    let b = p.tasks.iter().find(|t| t.label == "1.b").unwrap();
    assert!(b.lead.has("STC"), "{:?}", b.lead);
    let note = p
        .diagnostics
        .iter()
        .find(|d| d.message.contains("Sở Kế hoạch và Đầu tư"))
        .expect("a note on the predecessor");
    assert!(note.message.contains("Sở Tài chính") && note.message.contains("01/03/2025"));
    // The 2024 directory still knows the districts: no such diagnostic.
    let old = Directory::embedded();
    let p2024 = plan::parse::parse_text(&OLD_STYLE.replace("2026", "2024"), &old);
    assert_eq!(p2024.tasks[0].lead.members.len(), 1 + 13);
}

#[test]
fn a_2024_plan_with_a_2026_period_is_a_clear_error_naming_both() {
    let tmp = tempfile::tempdir().unwrap();
    let o = cchc(&tmp.path().join("key"))
        .args(["templates", "--period", "2026-Q1", "--out"])
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("năm 2024") && err.contains("2026-Q1") && err.contains("năm 2026"),
        "{err}"
    );
    assert!(!tmp.path().join("out").exists(), "nothing written");
}

#[test]
fn a_period_takes_the_directory_in_force_at_its_cut_off() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("key");
    let at = |period: &str, plan: Option<&str>| {
        let inputs = Inputs {
            plan: plan.map(PathBuf::from),
            key: Some(key.clone()),
            ..Inputs::default()
        };
        Context::load_for(&inputs, Some(period), Seed::default()).unwrap()
    };
    let q1 = at("2024-Q1", None);
    assert_eq!(q1.directory.reporting_units().len(), 33);
    assert_eq!(q1.directory_label, "agencies.csv");
    let c = at("2026-H1", Some(PLAN_2026));
    assert_eq!(c.directory.reporting_units().len(), 111);
    assert!(c.directory_label.contains("01/07/2025"));
    // A commune of the 2024 directory reporting directly is data too.
    let csv: String = cchc::agencies::DEFAULT_CSV
        .lines()
        .map(|l| {
            if l.starts_with("X21010,") {
                l.replace(",via-district,", ",yes,")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let dir = Directory::from_csv(&csv).unwrap();
    let units = dir.reporting_units();
    assert_eq!(units.len(), 34);
    assert_eq!(units.last().unwrap().code, "X21010");
}

#[test]
fn the_2026_demo_expects_111_units() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo");
    let o = Command::cargo_bin("cchc")
        .unwrap()
        .args(["demo", "--nam", "2026", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("Đã lập 111 biểu mẫu quý I năm 2026"),
        "{stdout}"
    );
    assert!(stdout.contains("MINH HỌA"), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("3-ket-qua/tong-hop-2026-Q1.json")).unwrap(),
    )
    .unwrap();
    let c = &json["completeness"];
    assert_eq!(c["expected"], 111);
    assert_eq!(c["missing"], 3);
    assert_eq!(c["late"], 4);
    // Only the returns with a planted mistake must be resent (names that
    // fold alike, "xã Sơn Hà" / "xã Sơn Hạ", are not confused).
    let mut resend: Vec<&str> = c["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["state"] == "rejected")
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    resend.sort();
    let mut planted: Vec<&str> = cchc::demo::today::MISTAKES
        .iter()
        .map(|(c, _)| *c)
        .collect();
    planted.sort();
    assert_eq!(resend, planted);
    let units = c["units"].as_array().unwrap();
    assert_eq!(units.len(), 111);
    let communes = units
        .iter()
        .filter(|u| u["code"].as_str().unwrap().starts_with('X'))
        .count();
    assert_eq!(communes, 96);
    // The recipients follow the structure: communes, no districts.
    let letter = std::fs::read_to_string(out.join("3-ket-qua/cong-van-don-doc.txt")).unwrap();
    assert!(
        letter.contains("X23392") || letter.contains("Sa Loong"),
        "{letter}"
    );
    // Rates per level: the commune satisfaction rate is recomputed from sums.
    let ind = json["indicators"].as_array().unwrap();
    let rate = ind.iter().find(|i| i["code"] == "XA_HAILONG_TYLE").unwrap();
    assert!(rate["total"].as_f64().unwrap() > 80.0, "{rate}");
    assert!(rate["denominator"].as_f64().unwrap() > 1000.0, "{rate}");
    // Per level: the communes' on-time rate recomputed from their own sums.
    let levels = json["indicators_by_level"].as_array().unwrap();
    let labels: Vec<&str> = levels
        .iter()
        .map(|l| l["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Cấp tỉnh", "Cấp xã"]);
    let communes = &levels[1]["totals"];
    let level_rate = communes
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "HS_TYLE_DUNGHAN")
        .unwrap();
    let summed = |code: &str| -> f64 {
        json["figures"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["agency"].as_str().unwrap().starts_with('X') && f["code"] == code)
            .map(|f| f["value"].as_f64().unwrap())
            .sum()
    };
    let expect = 100.0 * (summed("HS_TRUOCHAN") + summed("HS_DUNGHAN")) / summed("HS_DAGIAIQUYET");
    let got = level_rate["total"].as_f64().unwrap();
    assert!((got - expect).abs() < 1e-9, "{got} vs {expect}");
    assert!(
        !levels[0]["totals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["code"] == "XA_HAILONG_TYLE"),
        "a commune-only indicator is not in the provincial level"
    );
}

#[test]
fn init_copies_the_directories_and_a_new_file_starts_a_new_structure() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("cchc");
    let key = tmp.path().join("key");
    let o = cchc(&key).arg("init").arg(&ws).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    for f in ["agencies.csv", "agencies-2025-07.csv", "successors.csv"] {
        assert!(ws.join(f).is_file(), "{f}");
    }
    let count = |period: &str| {
        let out = tmp.path().join(format!("out-{period}"));
        let _ = std::fs::remove_dir_all(&out);
        let o = cchc(&key)
            .arg("--dir")
            .arg(&ws)
            .args([
                "templates",
                "--plan",
                PLAN_2026,
                "--period",
                period,
                "--out",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::read_dir(&out)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "xlsx")
            })
            .count()
    };
    assert_eq!(count("2026-Q1"), 111);
    // From 1/6/2026 (a made-up change) one commune less: only periods whose
    // cut-off is on or after that day use the new file.
    let later: String = std::fs::read_to_string(ws.join("agencies-2025-07.csv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("X21548,"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(ws.join("agencies-2026-06-01.csv"), later).unwrap();
    assert_eq!(count("2026-H1"), 110);
    assert_eq!(count("2026-Q1"), 111);
}
