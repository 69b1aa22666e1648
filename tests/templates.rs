//! Templates built in memory and read back with calamine (and their XML
//! parts with zip + quick-xml): sheets, header, task rows, figures, metadata
//! in its three places, protection and validation, prefilled answers,
//! determinism; and the `cchc templates` command end to end.

mod templates_util;

use assert_cmd::Command;
use calamine::{Reader, SheetVisible};
use cchc::form::{meta, FigureColumn, Metadata, Status, TaskColumn, TaskReport, TEMPLATE_VERSION};
use cchc::form::{SHEET_FIGURES, SHEET_GUIDE, SHEET_LISTS, SHEET_META, SHEET_TASKS};
use cchc::plan::Role;
use cchc::template::{self, Answers, Cell, FIGURE_HEADER_ROW, TASK_HEADER_ROW};
use chrono::NaiveDate;
use templates_util::*;

fn task_headers() -> Vec<&'static str> {
    TaskColumn::ALL.iter().map(|c| c.header()).collect()
}

#[test]
fn workbook_has_the_contract_sheets_with_the_right_visibility() {
    let f = fixture();
    let book = open(f.build("STP", None));
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            SHEET_GUIDE,
            SHEET_TASKS,
            SHEET_FIGURES,
            SHEET_LISTS,
            SHEET_META
        ]
    );
    let vis = |name: &str| {
        book.sheets_metadata()
            .iter()
            .find(|s| s.name == name)
            .unwrap()
            .visible
    };
    assert_eq!(vis(SHEET_TASKS), SheetVisible::Visible);
    assert_eq!(vis(SHEET_LISTS), SheetVisible::Hidden);
    assert_eq!(vis(SHEET_META), SheetVisible::VeryHidden);
}

#[test]
fn task_header_row_is_findable_by_its_texts() {
    let f = fixture();
    let mut book = open(f.build("STP", None));
    let tasks = sheet(&mut book, SHEET_TASKS);
    let row = find_row(&tasks, &task_headers()).expect("header row found by content");
    assert_eq!(row, TASK_HEADER_ROW);
    for col in TaskColumn::ALL {
        assert_eq!(text(&tasks, row, col.index() as u32), col.header());
    }
}

#[test]
fn stp_lists_its_own_tasks_and_those_of_all_departments() {
    let f = fixture();
    let mut book = open(f.build("STP", None));
    let tasks = sheet(&mut book, SHEET_TASKS);
    let ids = column_below(&tasks, TASK_HEADER_ROW, TaskColumn::Id.index() as u32);
    let expected: Vec<String> = f
        .plan
        .tasks_for("STP", &f.directory)
        .iter()
        .map(|a| a.task.id.clone())
        .collect();
    assert_eq!(ids, expected);
    // Sở Tư pháp leads the whole of area 1 (1.a–1.g) …
    let role_col = TaskColumn::Role.index() as u32;
    for id in ["1.a", "1.b", "1.c", "1.d", "1.dd", "1.e", "1.g"] {
        let i = ids
            .iter()
            .position(|x| x == id)
            .unwrap_or_else(|| panic!("{id}"));
        let role = text(&tasks, TASK_HEADER_ROW + 1 + i as u32, role_col);
        assert!(role.starts_with("Chủ trì"), "{id}: {role}");
    }
    // … and every task given to "các sở, ban ngành".
    let generic: Vec<&str> = f
        .plan
        .tasks
        .iter()
        .filter(|t| cchc::text::fold(&t.lead.raw).contains("cac so, ban nganh"))
        .map(|t| t.id.as_str())
        .collect();
    assert!(generic.len() >= 20, "{generic:?}");
    for id in generic {
        assert!(ids.iter().any(|x| x == id), "task {id} missing for STP");
    }
    // Plan texts are printed as in the plan.
    let t1a = f.plan.task("1.a").unwrap();
    let content = text(
        &tasks,
        TASK_HEADER_ROW + 1,
        TaskColumn::Content.index() as u32,
    );
    assert_eq!(content, t1a.content);
    let deadline = text(
        &tasks,
        TASK_HEADER_ROW + 1,
        TaskColumn::Deadline.index() as u32,
    );
    assert_eq!(deadline, t1a.deadline.raw);
}

#[test]
fn district_gets_tasks_of_district_and_commune_level() {
    let f = fixture();
    let mut book = open(f.build("H522", None));
    let tasks = sheet(&mut book, SHEET_TASKS);
    let ids = column_below(&tasks, TASK_HEADER_ROW, TaskColumn::Id.index() as u32);
    let roles = column_below(&tasks, TASK_HEADER_ROW, TaskColumn::Role.index() as u32);
    // 2.e: "Các sở, ban ngành; UBND cấp huyện; UBND cấp xã" — the district
    // leads, and reports for its communes too.
    let i = ids
        .iter()
        .position(|x| x == "2.e")
        .expect("2.e in district template");
    assert!(
        roles[i].starts_with("Chủ trì\n(gồm cả UBND cấp xã)"),
        "{}",
        roles[i]
    );
    // 3.a is given to departments only.
    assert!(!ids.iter().any(|x| x == "3.a"));
}

#[test]
fn task_given_only_to_communes_is_reported_by_their_district() {
    let mut f = fixture();
    // Make 2.e a task of the communes alone.
    let task = f.plan.tasks.iter_mut().find(|t| t.id == "2.e").unwrap();
    task.lead.members.retain(|m| m.code != "H522");
    let mut book = open(f.build("H522", None));
    let tasks = sheet(&mut book, SHEET_TASKS);
    let ids = column_below(&tasks, TASK_HEADER_ROW, TaskColumn::Id.index() as u32);
    let i = ids
        .iter()
        .position(|x| x == "2.e")
        .expect("2.e still listed");
    let role = text(
        &tasks,
        TASK_HEADER_ROW + 1 + i as u32,
        TaskColumn::Role.index() as u32,
    );
    assert_eq!(role, Role::ForCommunes.label());
}

#[test]
fn role_shows_the_plans_sub_role_text() {
    let f = fixture();
    // Find an agency with a sub-role somewhere in the plan.
    let (code, task_id, sub) = f
        .directory
        .reporting_units()
        .iter()
        .find_map(|a| {
            f.plan
                .tasks_for(&a.code, &f.directory)
                .into_iter()
                .find(|t| !t.sub_roles.is_empty())
                .map(|t| (a.code.clone(), t.task.id.clone(), t.sub_roles[0].clone()))
        })
        .expect("the seed has sub-roles (2.d, 2.g, 2.đ)");
    let mut book = open(f.build(&code, None));
    let tasks = sheet(&mut book, SHEET_TASKS);
    let ids = column_below(&tasks, TASK_HEADER_ROW, TaskColumn::Id.index() as u32);
    let i = ids.iter().position(|x| *x == task_id).unwrap();
    let role = text(
        &tasks,
        TASK_HEADER_ROW + 1 + i as u32,
        TaskColumn::Role.index() as u32,
    );
    assert!(role.contains(&sub), "{code} {task_id}: {role} lacks {sub}");
}

#[test]
fn due_column_follows_the_period() {
    let f = fixture();
    let q1 = &f.period;
    let q3 = cchc::period::Schedule::embedded()
        .period("2024-Q3")
        .unwrap();
    let due_jan = &f.plan.task("1.d").unwrap().deadline; // Chậm nhất 31/01/2024
    let ongoing = &f.plan.task("1.a").unwrap().deadline; // Thường xuyên
    assert_eq!(template::due_note(q1, due_jan), "Có");
    assert_eq!(template::due_note(&q3, due_jan), "Hạn trước kỳ");
    assert_eq!(template::due_note(q1, ongoing), "Thường xuyên");
    assert_eq!(template::due_note(&q3, ongoing), "Thường xuyên");
    let december = f
        .plan
        .tasks
        .iter()
        .find(|t| t.deadline.raw.starts_with("Tháng 12"))
        .expect("a task due in December");
    assert_eq!(template::due_note(q1, &december.deadline), "Chưa đến hạn");
}

#[test]
fn metadata_is_in_the_sheet_the_names_and_the_properties() {
    let f = fixture();
    let input = f.input("STP");
    let expected = template::metadata(&input);
    assert_eq!(expected.agency.as_deref(), Some("STP"));
    assert_eq!(expected.period.as_deref(), Some("2024-Q1"));
    assert_eq!(expected.template_version.as_deref(), Some(TEMPLATE_VERSION));
    assert_eq!(
        expected.generated_at.as_deref(),
        Some("2024-03-01T08:00:00")
    );
    let token = expected.token.clone().unwrap();
    assert!(f
        .key
        .verify(&token, "STP", "2024-Q1", &f.plan.meta.fingerprint));
    let want = pairs(&expected);

    let mut book = open(f.build("STP", None));
    // 1. The very hidden sheet: A = key, B = value.
    let m = sheet(&mut book, SHEET_META);
    let from_sheet: Vec<(String, String)> = (0..meta::ALL.len() as u32)
        .map(|r| (text(&m, r, 0), text(&m, r, 1)))
        .collect();
    assert_eq!(from_sheet, want);
    // 2. Defined names holding constants.
    for (key, value) in &want {
        let name = meta::defined_name(key);
        let (_, formula) = book
            .defined_names()
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("defined name {name}"));
        assert_eq!(
            formula.trim_start_matches('='),
            format!("\"{value}\""),
            "{name}"
        );
    }
    // 3. Custom document properties.
    let props = book.workbook_properties().unwrap().custom_properties;
    for (key, value) in &want {
        assert_eq!(props.get(key.as_str()), Some(value), "{key}");
    }
}

fn pairs(m: &Metadata) -> Vec<(String, String)> {
    let v = |x: &Option<String>| x.clone().unwrap();
    vec![
        (meta::AGENCY.into(), v(&m.agency)),
        (meta::PERIOD.into(), v(&m.period)),
        (meta::PLAN_FINGERPRINT.into(), v(&m.plan_fingerprint)),
        (meta::TEMPLATE_VERSION.into(), v(&m.template_version)),
        (meta::GENERATED_AT.into(), v(&m.generated_at)),
        (meta::TOKEN.into(), v(&m.token)),
    ]
}

#[test]
fn the_key_is_never_written_into_a_template() {
    let f = fixture();
    let bytes = f.build("STP", None);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let key_hex = hex::encode(b"test key for templates, 32 bytes");
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = format!("{:?}", part.name());
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut s).unwrap();
        let s = String::from_utf8_lossy(&s);
        assert!(!s.contains("test key for templates"), "{name}");
        assert!(!s.contains(&key_hex), "{name}");
    }
}

#[test]
fn status_dropdown_reads_the_closed_list_from_the_hidden_sheet() {
    let f = fixture();
    let bytes = f.build("STP", None);
    let mut book = open(bytes.clone());
    let lists = sheet(&mut book, SHEET_LISTS);
    let words: Vec<String> = (1..=Status::ALL.len() as u32)
        .map(|r| text(&lists, r, 0))
        .collect();
    let labels: Vec<String> = Status::ALL.iter().map(|s| s.label().to_string()).collect();
    assert_eq!(words, labels);
    let (_, range) = book
        .defined_names()
        .iter()
        .find(|(n, _)| n == template::STATUS_LIST_NAME)
        .expect("list name");
    assert!(
        range.contains("_danhmuc") && range.contains("$A$2:$A$5"),
        "{range}"
    );
    let xml = zip_part(&bytes, &sheet_part(&bytes, SHEET_TASKS));
    let list = tags(&xml, "dataValidation")
        .into_iter()
        .find(|a| attr(a, "type") == Some("list"))
        .expect("list validation");
    assert!(attr(&list, "error").unwrap().contains("Hoàn thành"));
    assert!(xml.contains(&format!(
        "<formula1>{}</formula1>",
        template::STATUS_LIST_NAME
    )));
}

/// Entry columns are the only unlocked cells; every sheet is protected; every
/// validation has a Vietnamese prompt and error, stop style.
#[test]
fn protection_and_validation_are_in_the_sheet_xml() {
    let f = fixture();
    let bytes = f.build("STP", None);
    for name in [
        SHEET_GUIDE,
        SHEET_TASKS,
        SHEET_FIGURES,
        SHEET_LISTS,
        SHEET_META,
    ] {
        let xml = zip_part(&bytes, &sheet_part(&bytes, name));
        let prot = tags(&xml, "sheetProtection");
        assert_eq!(prot.len(), 1, "{name} protected");
        assert_eq!(
            attr(&prot[0], "formatRows"),
            Some("0"),
            "{name}: rows resizable"
        );
        assert!(
            attr(&prot[0], "password").is_none(),
            "no password by default"
        );
    }
    let xml = zip_part(&bytes, &sheet_part(&bytes, SHEET_TASKS));
    let dvs = tags(&xml, "dataValidation");
    assert_eq!(dvs.len(), 7, "one per entry column");
    for dv in &dvs {
        assert!(
            attr(dv, "prompt").is_some_and(|p| p
                .chars()
                .any(|c| "ạảãấầẩẫậăắằẳẵặđêếềểễệôốồổỗộơớờởỡợưứừửữự".contains(c))),
            "{dv:?}"
        );
        assert!(attr(dv, "error").is_some(), "{dv:?}");
        // Stop is the default error style: no errorStyle attribute.
        assert!(attr(dv, "errorStyle").is_none(), "{dv:?}");
    }
    let percent = dvs
        .iter()
        .find(|a| attr(a, "type") == Some("decimal"))
        .expect("percent validation");
    let pcol = rust_xlsxwriter::utility::column_number_to_name(TaskColumn::Percent.index());
    assert!(attr(percent, "sqref")
        .unwrap()
        .starts_with(&format!("{pcol}{}", TASK_HEADER_ROW + 2)));
    assert!(attr(percent, "error").unwrap().contains("từ 0 đến 100"));
    assert!(dvs.iter().any(|a| attr(a, "type") == Some("date")));
    // Unlocked cells: the entry columns' style, and no other.
    let styles = zip_part(&bytes, "xl/styles.xml");
    let unlocked = unlocked_style_ids(&styles);
    assert!(!unlocked.is_empty());
    let first = TASK_HEADER_ROW + 2;
    for col in TaskColumn::ALL {
        let name = rust_xlsxwriter::utility::column_number_to_name(col.index());
        let cell = tags(&xml, "c")
            .into_iter()
            .find(|a| attr(a, "r") == Some(&format!("{name}{first}")))
            .unwrap();
        let s: usize = attr(&cell, "s").unwrap_or("0").parse().unwrap();
        assert_eq!(unlocked.contains(&s), col.is_entry(), "{}", col.header());
    }
}

#[test]
fn password_protects_every_sheet_when_given() {
    let f = fixture();
    let mut input = f.input("STP");
    input.password = Some("mật khẩu");
    let bytes = template::build(&input, None).unwrap();
    for name in [
        SHEET_GUIDE,
        SHEET_TASKS,
        SHEET_FIGURES,
        SHEET_LISTS,
        SHEET_META,
    ] {
        let xml = zip_part(&bytes, &sheet_part(&bytes, name));
        let prot = tags(&xml, "sheetProtection");
        assert!(attr(&prot[0], "password").is_some(), "{name}");
    }
}

fn xml_has_bound(bytes: &[u8], communes: usize) -> bool {
    let xml = zip_part(bytes, &sheet_part(bytes, SHEET_FIGURES));
    xml.contains(&format!("&lt;={communes}+0.000001"))
        || xml.contains(&format!("<={communes}+0.000001"))
}

#[test]
fn figure_sheet_lists_the_levels_indicators_with_live_checks() {
    let f = fixture();
    let bytes = f.build("H522", None);
    let mut book = open(bytes.clone());
    let figs = sheet(&mut book, SHEET_FIGURES);
    let headers: Vec<&str> = FigureColumn::ALL.iter().map(|c| c.header()).collect();
    assert_eq!(find_row(&figs, &headers), Some(FIGURE_HEADER_ROW));
    let codes = column_below(&figs, FIGURE_HEADER_ROW, FigureColumn::Code.index() as u32);
    let level = f.directory.get("H522").unwrap().level;
    let expected: Vec<String> = f
        .catalogue
        .for_level(level)
        .iter()
        .map(|i| i.code.clone())
        .collect();
    assert_eq!(codes, expected);
    // Every identity of the level has a check cell whose cached text reads
    // "Chưa nhập" on an empty form.
    let check_col = FigureColumn::Check.index() as u32;
    let checks: Vec<String> = (0..codes.len() as u32)
        .map(|i| text(&figs, FIGURE_HEADER_ROW + 1 + i, check_col))
        .filter(|t| !t.is_empty())
        .collect();
    // Every relation of the level (identities and part ≤ whole, the list the
    // intake checks) has a check cell.
    let relations = f.catalogue.checks_for(level);
    assert_eq!(checks.len(), relations.len());
    assert!(relations.len() > f.catalogue.identities_for(level).len());
    for r in relations {
        assert!(
            checks.contains(&format!("Chưa nhập — {}", r.description)),
            "{checks:?}"
        );
    }
    // The communes bound is the directory's count for this district.
    let communes = f.directory.communes_of("H522").count();
    assert!(xml_has_bound(&bytes, communes), "communes bound {communes}");
    // Validation by kind, with Vietnamese errors.
    let xml = zip_part(&bytes, &sheet_part(&bytes, SHEET_FIGURES));
    let dvs = tags(&xml, "dataValidation");
    let whole = dvs
        .iter()
        .find(|a| attr(a, "type") == Some("whole"))
        .unwrap();
    assert_eq!(attr(whole, "operator"), Some("greaterThanOrEqual"));
    assert!(attr(whole, "error").unwrap().contains("số nguyên"));
    assert!(dvs.iter().any(|a| attr(a, "type") == Some("decimal")));
    assert!(xml.contains("<f>IF(COUNT("), "live formula");
}

#[test]
fn identity_check_text_matches_the_formula_logic() {
    let d = "a + b = c";
    assert_eq!(
        template::identity_check_text(&[None], &[None], d),
        "Chưa nhập — a + b = c"
    );
    assert_eq!(
        template::identity_check_text(&[Some(2.0), Some(3.0)], &[Some(5.0)], d),
        "Khớp — a + b = c"
    );
    assert_eq!(
        template::identity_check_text(&[Some(2.0), None], &[Some(7.0)], d),
        "Không khớp: lệch 5 — a + b = c"
    );
    assert_eq!(
        template::identity_check_text(&[Some(2.5)], &[Some(0.0)], d),
        "Không khớp: lệch 2,5 — a + b = c"
    );
}

#[test]
fn prefilled_answers_are_written_as_raw_cells() {
    let f = fixture();
    let mut answers = Answers::default();
    answers
        .task("1.a", TaskColumn::Status, "Đã HT")
        .task("1.a", TaskColumn::Percent, "80%")
        .task("1.a", TaskColumn::EvidenceDate, "5/3/2024")
        .report(&TaskReport {
            task_id: "1.b".into(),
            status: Some(Status::Completed),
            percent: Some(100.0),
            result: "Đã ban hành 3 văn bản".into(),
            evidence: "12/KH-STP".into(),
            evidence_date: NaiveDate::from_ymd_opt(2024, 2, 20),
            difficulties: String::new(),
            proposals: String::new(),
        })
        .figure("HS_TRUOCHAN", 10)
        .figure("HS_DUNGHAN", 80)
        .figure("HS_QUAHAN", 5)
        .figure("HS_DAGIAIQUYET", 100)
        .figure("HS_KYTRUOC", Cell::Text("16.051".into()));
    let mut book = open(f.build("STP", Some(&answers)));
    let tasks = sheet(&mut book, SHEET_TASKS);
    let col = |c: TaskColumn| c.index() as u32;
    let (r1, r2) = (TASK_HEADER_ROW + 1, TASK_HEADER_ROW + 2);
    assert_eq!(text(&tasks, r1, col(TaskColumn::Status)), "Đã HT");
    assert_eq!(
        tasks.get_value((r1, col(TaskColumn::Percent))),
        Some(&calamine::Data::String("80%".into()))
    );
    assert_eq!(text(&tasks, r1, col(TaskColumn::EvidenceDate)), "5/3/2024");
    assert_eq!(text(&tasks, r2, col(TaskColumn::Status)), "Hoàn thành");
    assert_eq!(
        tasks.get_value((r2, col(TaskColumn::Percent))),
        Some(&calamine::Data::Float(100.0))
    );
    assert_eq!(text(&tasks, r2, col(TaskColumn::Evidence)), "12/KH-STP");
    let date = tasks
        .get_value((r2, col(TaskColumn::EvidenceDate)))
        .unwrap();
    let serial = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 2, 20)
        .unwrap()
        .to_excel();
    match date {
        calamine::Data::DateTime(d) => assert_eq!(d.as_f64(), serial),
        other => panic!("not a date: {other:?}"),
    }
    assert_eq!(text(&tasks, r2, col(TaskColumn::Difficulties)), "");
    let figs = sheet(&mut book, SHEET_FIGURES);
    let codes = column_below(&figs, FIGURE_HEADER_ROW, 0);
    let row_of =
        |c: &str| FIGURE_HEADER_ROW + 1 + codes.iter().position(|x| x == c).unwrap() as u32;
    let value_col = FigureColumn::Value.index() as u32;
    assert_eq!(text(&figs, row_of("HS_DUNGHAN"), value_col), "80");
    assert_eq!(text(&figs, row_of("HS_KYTRUOC"), value_col), "16.051");
    // 10 + 80 + 5 ≠ 100: the cached check says so.
    let checks: Vec<String> = codes
        .iter()
        .map(|c| text(&figs, row_of(c), FigureColumn::Check.index() as u32))
        .collect();
    assert!(
        checks
            .iter()
            .any(|c| c.starts_with("Không khớp: lệch 5 — Giải quyết trước hạn")),
        "{checks:?}"
    );
}

#[test]
fn guide_is_generated_from_the_rule_table_statuses_and_identities() {
    let f = fixture();
    let mut book = open(f.build("H522", None));
    let guide = sheet(&mut book, SHEET_GUIDE);
    let all: Vec<String> = guide.cells().map(|(_, _, d)| d.to_string()).collect();
    let has = |s: &str| all.iter().any(|c| c.contains(s));
    for r in cchc::form::rules::instructions() {
        assert!(has(r.code), "rule {}", r.code);
        assert!(has(r.instruction), "instruction of {}", r.code);
    }
    assert!(!has("F002"), "rules without an instruction are not listed");
    for s in Status::ALL {
        assert!(has(s.label()) && has(s.meaning()), "{}", s.label());
    }
    for id in f.catalogue.identities_for(cchc::agencies::Level::Huyen) {
        assert!(has(&id.code) && has(&id.description), "{}", id.code);
    }
    assert!(has("Quý I năm 2024"));
    assert!(has("Từ ngày 15/12/2023 đến ngày 14/03/2024"));
    assert!(has(
        "Ngày 15/03/2024; được gửi trễ tối đa 2 ngày, tức chậm nhất ngày 17/03/2024"
    ));
    assert!(has("Ủy ban nhân dân thành phố Quảng Ngãi (mã H522)"));
}

#[test]
fn same_inputs_give_identical_bytes() {
    let f = fixture();
    assert_eq!(f.build("STP", None), f.build("STP", None));
    let mut later = f.input("STP");
    later.generated_at += chrono::Duration::days(1);
    assert_ne!(template::build(&later, None).unwrap(), f.build("STP", None));
}

#[test]
fn file_names_are_ascii() {
    let f = fixture();
    let name = |code: &str| template::file_name(&f.period, f.directory.get(code).unwrap());
    assert_eq!(name("SNV"), "2024-Q1_SNV_so-noi-vu.xlsx");
    assert_eq!(name("H522"), "2024-Q1_H522_ubnd-thanh-pho-quang-ngai.xlsx");
    for a in f.directory.reporting_units() {
        assert!(name(&a.code).is_ascii());
    }
}

fn cchc(key: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("cchc").unwrap();
    c.arg("--key").arg(key);
    c
}

#[test]
fn cli_writes_one_template_per_reporting_unit_and_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bieu-mau");
    let key = dir.path().join("key");
    let assert = cchc(&key)
        .args([
            "templates",
            "--period",
            "2024-Q1",
            "--generated-at",
            "2024-03-01T08:00:00",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.starts_with("Đã lập 33 biểu mẫu báo cáo quý I năm 2024"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1);
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.iter().filter(|f| f.ends_with(".xlsx")).count(), 33);
    assert!(files.contains(&"2024-Q1_STP_so-tu-phap.xlsx".to_string()));
    assert!(files.contains(&template::MANIFEST_NAME.to_string()));
    // The manifest: one row per file, with its task count and checksum.
    let manifest = std::fs::read_to_string(out.join(template::MANIFEST_NAME)).unwrap();
    let mut rdr = csv::Reader::from_reader(manifest.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 33);
    let stp = rows.iter().find(|r| &r[0] == "STP").unwrap();
    assert_eq!(&stp[2], "2024-Q1_STP_so-tu-phap.xlsx");
    let bytes = std::fs::read(out.join(&stp[2])).unwrap();
    use sha2::Digest;
    assert_eq!(&stp[5], hex::encode(sha2::Sha256::digest(&bytes)));
    let f = fixture();
    assert_eq!(
        stp[3].parse::<usize>().unwrap(),
        f.plan.tasks_for("STP", &f.directory).len()
    );
    // The key was created on first use and the token verifies with it.
    let key = cchc::form::token::Key::load_or_create(&key).unwrap();
    let mut book = open(bytes);
    let props = book.workbook_properties().unwrap().custom_properties;
    let token = &props[meta::TOKEN];
    assert!(key.verify(token, "STP", "2024-Q1", &f.plan.meta.fingerprint));
}

#[test]
fn cli_takes_agencies_by_code_and_explains_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    let out = dir.path().join("out");
    cchc(&key)
        .args([
            "templates",
            "--period",
            "2024-H1",
            "--agency",
            "CTHUE",
            "STP",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let n = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(n, 3, "two templates and the manifest");
    assert!(out
        .join("2024-H1_CTHUE_cuc-thue-tinh-quang-ngai.xlsx")
        .exists());

    // A second run into the same folder stops before touching anything …
    let before = std::fs::read(out.join("2024-H1_STP_so-tu-phap.xlsx")).unwrap();
    let again = cchc(&key)
        .args([
            "templates",
            "--period",
            "2024-H1",
            "--agency",
            "STP",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8(again.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("2024-H1_STP_so-tu-phap.xlsx") && err.contains("--overwrite"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(out.join("2024-H1_STP_so-tu-phap.xlsx")).unwrap(),
        before
    );
    // … unless told to overwrite.
    cchc(&key)
        .args([
            "templates",
            "--period",
            "2024-H1",
            "--agency",
            "STP",
            "--overwrite",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();

    let bad = cchc(&key)
        .args([
            "templates",
            "--period",
            "2024-Q1",
            "--agency",
            "XYZ",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8(bad.get_output().stderr.clone()).unwrap();
    assert!(err.contains("Không có đơn vị mã «XYZ»"), "{err}");

    let commune = cchc(&key)
        .args([
            "templates",
            "--period",
            "2024-Q1",
            "--agency",
            "X21010",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8(commune.get_output().stderr.clone()).unwrap();
    assert!(err.contains("cấp xã") && err.contains("H522"), "{err}");

    let period = cchc(&key)
        .args(["templates", "--period", "2024-Q5", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8(period.get_output().stderr.clone()).unwrap();
    assert!(err.contains("2024-Q5"), "{err}");
}

#[test]
fn cli_all_adds_the_central_agencies() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    cchc(&dir.path().join("key"))
        .args(["templates", "--period", "2024-Y", "--all", "--out"])
        .arg(&out)
        .assert()
        .success();
    let xlsx = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "xlsx")
        })
        .count();
    let f = fixture();
    let central = f
        .directory
        .at_level(cchc::agencies::Level::TrungUong)
        .count();
    assert_eq!(xlsx, 33 + central);
}

#[test]
fn identity_is_what_every_template_of_the_agency_and_period_carries() {
    let f = fixture();
    let fp = &f.plan.meta.fingerprint;
    let id = template::identity(&f.key, "STP", "2024-Q1", fp);
    let full = template::metadata(&f.input("STP"));
    assert_eq!(id.generated_at, None);
    assert_eq!(
        Metadata {
            generated_at: None,
            ..full
        },
        id
    );
    assert_ne!(
        template::identity(&f.key, "SNV", "2024-Q1", fp).token,
        id.token
    );
}

#[test]
fn every_font_is_times_new_roman() {
    let f = fixture();
    let styles = zip_part(&f.build("STP", None), "xl/styles.xml");
    let fonts = tags(&styles, "name");
    assert!(!fonts.is_empty());
    for font in fonts {
        assert_eq!(attr(&font, "val"), Some("Times New Roman"), "{font:?}");
    }
}

#[test]
fn sheets_print_on_a4_landscape_with_repeated_headers() {
    let f = fixture();
    let bytes = f.build("STP", None);
    for name in [SHEET_GUIDE, SHEET_TASKS, SHEET_FIGURES] {
        let xml = zip_part(&bytes, &sheet_part(&bytes, name));
        let setup = &tags(&xml, "pageSetup")[0];
        assert_eq!(attr(setup, "paperSize"), Some("9"), "{name}: A4");
        assert_eq!(attr(setup, "orientation"), Some("landscape"), "{name}");
        let footer: String = xml
            .split("<oddFooter>")
            .nth(1)
            .and_then(|s| s.split("</oddFooter>").next())
            .unwrap_or_default()
            .to_string();
        assert!(
            footer.contains("Sở Tư pháp") && footer.contains("Trang &amp;P/&amp;N"),
            "{name}: {footer}"
        );
        assert_eq!(
            tags(&xml, "pane").len(),
            usize::from(name != SHEET_GUIDE),
            "{name}: frozen header"
        );
    }
    // The task sheet prints in two column bands at a readable scale, the
    // id columns and the header row repeated.
    let xml = zip_part(&bytes, &sheet_part(&bytes, SHEET_TASKS));
    let scale: u32 = attr(&tags(&xml, "pageSetup")[0], "scale")
        .unwrap()
        .parse()
        .unwrap();
    assert!((60..=100).contains(&scale), "{scale}");
    let breaks = tags(&xml, "brk");
    assert_eq!(breaks.len(), 1);
    assert_eq!(
        attr(&breaks[0], "id"),
        Some(TaskColumn::Status.index().to_string().as_str())
    );
    let wb = zip_part(&bytes, "xl/workbook.xml");
    assert!(
        wb.contains("'Nhiệm vụ'!$A:$B,'Nhiệm vụ'!$5:$5"),
        "print titles"
    );
    // The guide and the figures fit one page wide.
    let guide = zip_part(&bytes, &sheet_part(&bytes, SHEET_GUIDE));
    assert_eq!(
        attr(&tags(&guide, "pageSetup")[0], "fitToHeight"),
        Some("0")
    );
    assert_eq!(
        attr(&tags(&guide, "pageSetUpPr")[0], "fitToPage"),
        Some("1")
    );
}
