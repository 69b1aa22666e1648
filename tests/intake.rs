//! Intake: rules on in-memory returns (fast), one triggering test and one
//! near-miss per rule.

mod intake_util;

use cchc::form::TaskColumn;

use intake_util::*;

#[test]
fn a_correct_return_is_accepted_with_no_findings() {
    let w = World::new();
    let p = w.period("2024-Q1");
    let f = Fixture::good(&w, "STP", "2024-Q1");
    let o = w.check(f.xlsx(), Some(&p));
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
    assert!(o.accepted());
    let s = o.submission.expect("submission");
    assert_eq!(s.agency, "STP");
    assert_eq!(s.period, "2024-Q1");
    assert_eq!(s.tasks.len(), f.rows.len());
    assert_eq!(s.indicators["HS_DAGIAIQUYET"], 90.0);
}

const P: &str = "2024-Q1";

fn run(agency: &str, change: impl FnOnce(&mut Fixture)) -> (Fixture, cchc::intake::Outcome) {
    let w = World::new();
    let p = w.period(P);
    let mut f = Fixture::good(&w, agency, P);
    change(&mut f);
    let o = w.check(f.xlsx(), Some(&p));
    (f, o)
}

fn stp(change: impl FnOnce(&mut Fixture)) -> (Fixture, cchc::intake::Outcome) {
    run("STP", change)
}

fn first_task(f: &Fixture) -> String {
    f.rows[0].id.clone()
}

/// Asserts exactly one finding `code` at the cell of task `id`, column `c`.
fn at(f: &Fixture, o: &cchc::intake::Outcome, code: &str, id: &str, c: TaskColumn) -> String {
    let x = only(o, code);
    assert_eq!(x.sheet.as_deref(), Some(f.task_sheet.as_str()));
    assert_eq!(x.cell.as_deref(), Some(f.cell(id, c).as_str()), "{x:?}");
    x.message.clone()
}

// --- File -------------------------------------------------------------------

#[test]
fn f001_text_and_renamed_docx_are_not_spreadsheets() {
    let w = World::new();
    let o = w.check(b"Bao cao quy I".to_vec(), None);
    assert_eq!(codes(&o), ["F001"]);
    let mut docx = std::io::Cursor::new(Vec::new());
    docx_rs::Docx::new()
        .add_paragraph(docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text("Báo cáo")))
        .build()
        .pack(&mut docx)
        .unwrap();
    let o = w.check(docx.into_inner(), None);
    assert_eq!(codes(&o), ["F001"]);
    assert!(
        o.findings[0].message.contains("Word"),
        "{}",
        o.findings[0].message
    );
    assert!(!o.accepted());
}

#[test]
fn f002_truncated_file_is_corrupt_but_whole_file_reads() {
    let w = World::new();
    let bytes = Fixture::good(&w, "STP", P).xlsx();
    let o = w.check(bytes[..bytes.len() / 2].to_vec(), None);
    assert_eq!(codes(&o), ["F002"]);
    assert!(!codes(&w.check(bytes, None)).contains(&"F002"));
}

#[test]
fn f003_encrypted_ole_container_is_reported() {
    let w = World::new();
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(vec![0u8; 504]);
    bytes.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    let o = w.check(bytes, None);
    assert_eq!(codes(&o), ["F003"]);
    assert!(o.findings[0].message.contains("mật khẩu"));
}

#[test]
fn f004_zip_bomb_and_huge_sheet_are_refused_before_costing_memory() {
    use std::io::Write;
    let w = World::new();
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zw.start_file("xl/workbook.xml", opts).unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..40 {
        zw.write_all(&block).unwrap();
    }
    let bomb = zw.finish().unwrap().into_inner();
    assert!(bomb.len() < 200_000);
    let o = w.check(bomb, None);
    assert_eq!(codes(&o), ["F004"]);
    assert!(
        o.findings[0].message.contains("bom zip"),
        "{}",
        o.findings[0].message
    );

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..310_000u32 {
        ws.write_number(r, 0, r as f64).unwrap();
    }
    let o = w.check(wb.save_to_buffer().unwrap(), None);
    assert_eq!(codes(&o), ["F004"]);
}

/// A minimal one-sheet .ods (read by calamine, under the time bound).
fn tiny_ods() -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    z.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="A"><table:table-row><table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#).unwrap();
    z.finish().unwrap().into_inner()
}

#[test]
fn f005_reading_beyond_the_time_bound_is_abandoned() {
    // The time bound applies to the readers that trust declared sizes
    // (.ods, .xls, .xlsb); the worker checks its deadline at the end too,
    // so a 1 ns bound is always exceeded — no race.
    let tight = cchc::intake::Limits {
        timeout: std::time::Duration::from_nanos(1),
        ..Default::default()
    };
    let f = cchc::intake::read_bytes(tiny_ods(), &tight).unwrap_err();
    assert_eq!(f.code, "F005");
    assert!(f.message.contains("Không đọc xong tệp"), "{}", f.message);
    let book = cchc::intake::read_bytes(tiny_ods(), &Default::default()).unwrap();
    assert_eq!(book.sheets[0].text(0, 0), "7");
    // An .xlsx is read by a reader whose work is bounded by its bytes, not
    // by the clock: the same verdict whatever the machine's load.
    let w = World::new();
    let bytes = Fixture::good(&w, "STP", P).xlsx();
    assert!(cchc::intake::read_bytes(bytes, &tight).is_ok());
}

#[test]
fn f006_empty_file_and_empty_workbook() {
    let w = World::new();
    assert_eq!(codes(&w.check(Vec::new(), None)), ["F006"]);
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet();
    assert_eq!(
        codes(&w.check(wb.save_to_buffer().unwrap(), None)),
        ["F006"]
    );
}

// --- Identity ---------------------------------------------------------------

#[test]
fn m001_agency_recognised_from_title_when_metadata_lost() {
    let (_, o) = stp(|f| *f = f.clone().no_metadata());
    assert_eq!(codes(&o), ["M001"]);
    assert_eq!(o.agency.as_deref(), Some("STP"));
    assert!(o.accepted());
    assert!(only(&o, "M001").message.contains("Sở Tư pháp"));
}

#[test]
fn m001_agency_recognised_from_its_task_set_without_title() {
    let w = World::new();
    let units = w.dir.reporting_units();
    let set = |a: &str| {
        w.plan
            .tasks_for(a, &w.dir)
            .iter()
            .map(|x| x.task.id.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let unique = units
        .iter()
        .find(|a| {
            !set(&a.code).is_empty()
                && units
                    .iter()
                    .filter(|b| set(&b.code) == set(&a.code))
                    .count()
                    == 1
        })
        .expect("some agency has a unique task set");
    let (_, o) = run(&unique.code.clone(), |f| {
        *f = f.clone().no_metadata();
        f.title = false;
    });
    assert_eq!(codes(&o), ["M001"]);
    assert_eq!(o.agency.as_deref(), Some(unique.code.as_str()));
    assert!(only(&o, "M001").message.contains("danh sách nhiệm vụ"));
}

#[test]
fn m001_near_miss_metadata_in_properties_only_is_enough() {
    let (_, o) = stp(|f| {
        f.meta_sheet = false;
        f.meta_names = false;
    });
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
}

#[test]
fn m002_unknown_agency_code() {
    let (_, o) = stp(|f| f.agency = "XYZ".into());
    assert!(codes(&o).contains(&"M002"), "{:?}", codes(&o));
    assert!(!o.accepted());
}

#[test]
fn m003_token_of_another_agency_and_near_miss() {
    let (_, o) = stp(|f| f.agency = "SNV".into());
    let m = only(&o, "M003");
    assert!(m.message.contains("SNV"));
    let (_, good) = stp(|_| {});
    assert!(!codes(&good).contains(&"M003"));
}

#[test]
fn m004_wrong_period() {
    let w = World::new();
    let q1 = w.period(P);
    let mut f = Fixture::good(&w, "STP", "2024-H1");
    f.period = w.period("2024-H1");
    let o = w.check(f.xlsx(), Some(&q1));
    assert!(
        only(&o, "M004").message.contains("6 tháng"),
        "{}",
        only(&o, "M004").message
    );
    let o = w.check(f.xlsx(), None);
    assert!(!codes(&o).contains(&"M004"));
    assert_eq!(o.period.as_deref(), Some("2024-H1"));
}

#[test]
fn m005_older_plan_is_a_warning_only() {
    let w = World::new();
    let (_, o) = stp(|f| {
        f.fingerprint = "0000older".into();
        f.token = w.key.token("STP", P, "0000older");
    });
    assert_eq!(codes(&o), ["M005"]);
    assert!(o.accepted());
}

#[test]
fn m006_unknown_template_version() {
    let (_, o) = stp(|f| f.version = "0".into());
    assert_eq!(codes(&o), ["M006"]);
    assert!(!o.accepted());
}

#[test]
fn m007_two_files_for_one_agency_are_both_marked() {
    let w = World::new();
    let p = w.period(P);
    let dir = tempfile::tempdir().unwrap();
    let f = Fixture::good(&w, "STP", P);
    f.save(&dir.path().join("stp.xlsx"));
    f.save(&dir.path().join("stp-lan2.xlsx"));
    Fixture::good(&w, "SNV", P).save(&dir.path().join("snv.xlsx"));
    let paths = cchc::intake::collect_paths(&[dir.path().to_path_buf()]).unwrap();
    let out =
        cchc::intake::validate_paths(&paths, &w.setup(Some(&p)), &Default::default(), |_, _| {});
    let names: Vec<_> = out
        .iter()
        .map(|o| {
            std::path::Path::new(&o.path)
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["snv.xlsx", "stp-lan2.xlsx", "stp.xlsx"]);
    assert_eq!(codes(&out[0]), Vec::<&str>::new());
    assert_eq!(codes(&out[1]), ["M007"]);
    assert_eq!(codes(&out[2]), ["M007"]);
    assert!(out[1].message_contains("stp.xlsx"));
}

trait Msg {
    fn message_contains(&self, s: &str) -> bool;
}

impl Msg for cchc::intake::Outcome {
    fn message_contains(&self, s: &str) -> bool {
        self.findings.iter().any(|f| f.message.contains(s))
    }
}

// --- Structure --------------------------------------------------------------

#[test]
fn s001_missing_figure_sheet() {
    let (_, o) = stp(|f| f.with_figures = false);
    assert!(only(&o, "S001").message.contains("Số liệu"));
    assert!(!o.accepted());
}

#[test]
fn s002_renamed_sheet_found_by_content_and_accepted() {
    let (_, o) = stp(|f| f.task_sheet = "Sheet1".into());
    assert_eq!(codes(&o), ["S002"]);
    assert!(o.accepted());
    assert_eq!(o.submission.unwrap().tasks.len(), 29 + 22 - count_dupes());
}

/// A return is read first without the cells of the guide and list sheets,
/// which no check reads: for the template as sent that gives the outcome a
/// whole read gives, and the guide's cells are really left unread.
#[test]
fn guide_sheet_left_unread_for_the_template_as_sent() {
    let w = World::new();
    let f = Fixture::good(&w, "STP", "2024-Q1");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stp.xlsx");
    f.save(&path);
    let limits = cchc::intake::Limits::default();
    let skip = [cchc::form::SHEET_GUIDE, cchc::form::SHEET_LISTS];
    let (part, _, skipped) = cchc::intake::read::read_path_skipping(&path, &limits, &skip).unwrap();
    let (whole, _) = cchc::intake::read_path(&path, &limits).unwrap();
    assert!(skipped);
    let guide = |b: &cchc::intake::Book| b.sheet(cchc::form::SHEET_GUIDE).unwrap().cells.len();
    assert_eq!((guide(&part), guide(&whole)), (0, 1));
    let tasks = cchc::form::SHEET_TASKS;
    assert_eq!(part.sheet(tasks), whole.sheet(tasks));
    assert!(!part.sheet(tasks).unwrap().cells.is_empty());

    let period = w.period("2024-Q1");
    let by_file = w.check_path(&path, Some(&period));
    let whole_read = w.check(f.xlsx(), Some(&period));
    assert!(by_file.accepted(), "{:?}", codes(&by_file));
    assert_eq!(codes(&by_file), codes(&whole_read));
    assert_eq!(
        by_file.submission.unwrap().tasks,
        whole_read.submission.unwrap().tasks
    );
}

/// When the task table is in the sheet named as the guide (sheets renamed),
/// the first read cannot find it; the file is then read whole and the table
/// found by its content, as before.
#[test]
fn table_in_the_guide_sheet_is_found_by_a_whole_read() {
    let w = World::new();
    let mut f = Fixture::good(&w, "STP", "2024-Q1");
    f.guide_sheet = "Ghi chú".into();
    f.task_sheet = cchc::form::SHEET_GUIDE.into();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stp.xlsx");
    f.save(&path);
    let period = w.period("2024-Q1");
    let o = w.check_path(&path, Some(&period));
    assert_eq!(codes(&o), ["S002"]);
    assert!(only(&o, "S002").message.contains(cchc::form::SHEET_GUIDE));
    assert!(o.accepted());
    let whole_read = w.check(f.xlsx(), Some(&period));
    assert_eq!(
        o.submission.unwrap().tasks,
        whole_read.submission.unwrap().tasks
    );
}

fn count_dupes() -> usize {
    let w = World::new();
    let n = w.plan.tasks_for("STP", &w.dir).len();
    29 + 22 - n
}

#[test]
fn s003_header_row_removed() {
    let (_, o) = stp(|f| f.header = false);
    let s = only(&o, "S003");
    assert_eq!(s.sheet.as_deref(), Some("Nhiệm vụ"));
}

#[test]
fn s004_duplicate_row() {
    let (f, o) = stp(|f| {
        let r = f.rows[2].clone();
        f.rows.push(r);
    });
    let x = only(&o, "S004");
    let dup_row = f.rows.len() as u32 + 3;
    assert_eq!(
        x.cell.as_deref(),
        Some(format!("A{}", dup_row + 1).as_str())
    );
    assert!(
        x.message.contains(&format!("dòng {}", 3 + 1 + 2 + 1)),
        "{}",
        x.message
    );
}

#[test]
fn s005_unknown_task_id_and_s008_task_of_another_agency() {
    let w = World::new();
    let mine: Vec<String> = w
        .plan
        .tasks_for("STP", &w.dir)
        .iter()
        .map(|x| x.task.id.clone())
        .collect();
    let foreign = w
        .plan
        .tasks
        .iter()
        .find(|t| !mine.contains(&t.id))
        .unwrap()
        .clone();
    let (f, o) = stp(|f| {
        let mut r = f.rows[0].clone();
        r.id = "9.a".into();
        f.rows.push(r);
        let mut r = f.rows[0].clone();
        r.id = foreign.id.clone();
        r.content = foreign.content.clone();
        f.rows.push(r);
    });
    let n = f.rows.len() as u32;
    assert_eq!(
        only(&o, "S005").cell.as_deref(),
        Some(format!("A{}", 3 + n - 1 + 1).as_str())
    );
    assert_eq!(
        only(&o, "S008").cell.as_deref(),
        Some(format!("A{}", 3 + n + 1).as_str())
    );
    assert!(!o.accepted());
    assert_eq!(codes(&o).len(), 2, "{:?}", codes(&o));
}

#[test]
fn s006_missing_assigned_task() {
    let (_, o) = stp(|f| {
        f.rows.remove(1);
    });
    assert!(only(&o, "S006").message.contains("1.b"));
}

#[test]
fn s007_plan_text_edited_but_not_whitespace_or_case() {
    let (f, o) = stp(|f| f.rows[0].content = "Nội dung đã bị gõ đè".into());
    at(&f, &o, "S007", &first_task(&f), TaskColumn::Content);
    assert!(o.accepted());
    let (_, o) = stp(|f| f.rows[0].content = format!("  {}  ", f.rows[0].content.to_uppercase()));
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
}

// --- Values -----------------------------------------------------------------

#[test]
fn v001_status_not_in_list_and_typed_variants_accepted() {
    let (f, o) = stp(|f| f.rows[0].status = t("Cơ bản xong"));
    assert!(at(&f, &o, "V001", &first_task(&f), TaskColumn::Status).contains("Cơ bản xong"));
    let (_, o) = stp(|f| {
        f.rows[0].status = t("ĐÃ HT");
        f.rows[1].status = t("hoan thanh");
    });
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
}

#[test]
fn v002_status_missing() {
    let (f, o) = stp(|f| f.rows[0].status = V::Empty);
    at(&f, &o, "V002", &first_task(&f), TaskColumn::Status);
}

#[test]
fn v003_percent_invalid_and_forms_accepted() {
    let (f, o) = stp(|f| f.rows[0].percent = t("khoảng 80"));
    at(&f, &o, "V003", &first_task(&f), TaskColumn::Percent);
    let (f, o) = stp(|f| f.rows[0].percent = V::Num(150.0));
    assert!(at(&f, &o, "V003", &first_task(&f), TaskColumn::Percent).contains("150"));
    let (_, o) = stp(|f| {
        f.rows[0].status = t("Đang thực hiện");
        f.rows[0].percent = V::Num(0.8);
        f.rows[1].percent = V::Num(1.0);
    });
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
    let s = o.submission.unwrap();
    assert_eq!(s.tasks[0].percent, Some(80.0));
    assert_eq!(s.tasks[1].percent, Some(100.0));
}

#[test]
fn v004_numbers_typed_as_text_show_the_value_understood() {
    let (f, o) = stp(|f| {
        f.rows[0].status = t("Đang thực hiện");
        f.rows[0].percent = t("80,5");
    });
    assert!(at(&f, &o, "V004", &first_task(&f), TaskColumn::Percent).contains("80,5%"));
    assert!(o.accepted());
    let (f, o) = stp(|f| *f.figure("VB_RASOAT") = t("16.051"));
    let x = only(&o, "V004");
    assert_eq!(x.cell.as_deref(), Some(f.figure_cell("VB_RASOAT").as_str()));
    assert!(x.message.contains("16.051 văn bản"), "{}", x.message);
    assert_eq!(o.submission.unwrap().indicators["VB_RASOAT"], 16051.0);
    let (_, o) = stp(|f| *f.figure("VB_RASOAT") = V::Num(16051.0));
    assert!(o.findings.is_empty());
}

#[test]
fn v005_unreadable_date_and_text_dates_accepted() {
    let (f, o) = stp(|f| f.rows[0].date = t("tháng 3"));
    at(&f, &o, "V005", &first_task(&f), TaskColumn::EvidenceDate);
    let (_, o) = stp(|f| {
        f.rows[0].date = t("5/3/2024");
        f.rows[1].date = t("2024-03-05");
    });
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
    assert_eq!(
        o.submission.unwrap().tasks[0].evidence_date,
        chrono::NaiveDate::from_ymd_opt(2024, 3, 5)
    );
}

#[test]
fn v006_date_outside_data_window_and_last_day_inside() {
    let (f, o) = stp(|f| f.rows[0].date = t("20/3/2024"));
    assert!(at(&f, &o, "V006", &first_task(&f), TaskColumn::EvidenceDate).contains("14/03/2024"));
    let (_, o) = stp(|f| f.rows[0].date = t("14/3/2024"));
    assert!(o.findings.is_empty());
}

#[test]
fn v007_date_in_future_and_today_is_fine() {
    let (f, o) = stp(|f| f.rows[0].date = t("15/12/2030"));
    at(&f, &o, "V007", &first_task(&f), TaskColumn::EvidenceDate);
    assert!(!o.accepted());
    let (_, o) = stp(|f| f.rows[0].date = t("20/3/2024"));
    assert!(!codes(&o).contains(&"V007"));
}

// --- Consistency ------------------------------------------------------------

fn progress(f: &mut Fixture, i: usize, status: &str, pct: V) {
    f.rows[i].status = t(status);
    f.rows[i].percent = pct;
}

#[test]
fn c001_completed_not_100() {
    let (f, o) = stp(|f| progress(f, 0, "Hoàn thành", V::Num(80.0)));
    at(&f, &o, "C001", &first_task(&f), TaskColumn::Percent);
    let (_, o) = stp(|f| progress(f, 0, "Hoàn thành", t("100%")));
    assert_eq!(codes(&o), ["V004"]);
}

#[test]
fn c002_completed_without_evidence() {
    let (f, o) = stp(|f| f.rows[0].evidence = V::Empty);
    at(&f, &o, "C002", &first_task(&f), TaskColumn::Evidence);
    let (f, o) = stp(|f| f.rows[0].date = V::Empty);
    at(&f, &o, "C002", &first_task(&f), TaskColumn::EvidenceDate);
    let (_, o) = stp(|f| {
        progress(f, 0, "Chưa thực hiện", V::Num(0.0));
        f.rows[0].evidence = V::Empty;
        f.rows[0].result = V::Empty;
    });
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
}

#[test]
fn c003_not_started_with_progress() {
    let (f, o) = stp(|f| progress(f, 0, "Chưa thực hiện", V::Num(30.0)));
    at(&f, &o, "C003", &first_task(&f), TaskColumn::Percent);
}

#[test]
fn c004_overdue_dated_task_but_not_an_ongoing_one() {
    let w = World::new();
    let p = w.period(P);
    let assigned = w.plan.tasks_for("STP", &w.dir);
    let dated = assigned
        .iter()
        .position(|x| {
            !x.task.deadline.is_open_ended()
                && !x.task.deadline.is_recurring()
                && x.task.deadline.final_due().unwrap() <= p.end
        })
        .expect("a task due by Q1");
    let ongoing = assigned
        .iter()
        .position(|x| x.task.deadline.is_recurring())
        .expect("an ongoing task");
    let (f, o) = stp(|f| progress(f, dated, "Đang thực hiện", V::Num(50.0)));
    let id = f.rows[dated].id.clone();
    // The finding sits where the fix goes: the reason column.
    assert!(at(&f, &o, "C004", &id, TaskColumn::Difficulties).contains("quý I"));
    assert!(o.accepted());
    // A reason already given silences it.
    let (_, o) = stp(|f| {
        progress(f, dated, "Đang thực hiện", V::Num(50.0));
        f.rows[dated].difficulties = t("Chờ ý kiến thẩm định của Sở Tư pháp.");
    });
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
    let (_, o) = stp(|f| progress(f, ongoing, "Đang thực hiện", V::Num(50.0)));
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
}

#[test]
fn c004_silent_for_a_task_due_after_the_cut_off() {
    let w = World::new();
    let p = w.period(P);
    let assigned = w.plan.tasks_for("STP", &w.dir);
    // Due inside the quarter but after the 14/3 data cut-off (e.g. 31/3).
    let later = assigned
        .iter()
        .position(|x| {
            x.task
                .deadline
                .milestones
                .iter()
                .all(|m| m.due_by.is_none_or(|d| d > p.window_end))
                && x.task.deadline.final_due().is_some_and(|d| d <= p.end)
        })
        .expect("a task due between the cut-off and the quarter end");
    let (_, o) = stp(|f| progress(f, later, "Đang thực hiện", V::Num(50.0)));
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
}

#[test]
fn c008_evidence_that_proves_nothing_and_no_false_alarm_on_real_numbers() {
    for clean in [
        "15/KH-STP",
        "Kế hoạch số 15/KH-STP",
        "Quyết định số 123/QĐ-UBND ngày 05/3/2024",
        "Công văn 45/STP-HCTP ngày 01/02/2024 góp ý dự thảo Nghị quyết",
        "Báo cáo số 12/BC-SNV",
        "Kế hoạch 20/KH-STP triển khai Quyết định 1879/QĐ-UBND",
        "Quyết định 1880/QĐ-UBND",
        "Thông báo số 08/TB-UBND; Kế hoạch số 31/KH-UBND",
    ] {
        let (_, o) = stp(|f| f.rows[0].evidence = t(clean));
        assert!(o.findings.is_empty(), "{clean}: {:#?}", o.findings);
    }
    for bad in [
        "chưa có",
        "Chưa có văn bản",
        "không có",
        "x",
        "-",
        "Dự thảo Kế hoạch",
        "Đang trình UBND tỉnh ký ban hành",
        "Tờ trình 12/TTr-STP, chờ ký",
        "Quyết định 1879/QĐ-UBND",
        "QĐ số 1879/QĐ-UBND ngày 15/12/2023",
    ] {
        let (f, o) = stp(|f| f.rows[0].evidence = t(bad));
        at(&f, &o, "C008", &first_task(&f), TaskColumn::Evidence);
    }
    // Only for completed tasks.
    let (_, o) = stp(|f| {
        progress(f, 0, "Đang thực hiện", V::Num(50.0));
        f.rows[0].evidence = t("Dự thảo đang trình");
    });
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
}

#[test]
fn v006_impossible_dates_for_completed_tasks_are_errors() {
    use chrono::NaiveDate;
    let d = |y, m, dd| V::Date(NaiveDate::from_ymd_opt(y, m, dd).unwrap());
    for date in [d(2024, 3, 18), d(2014, 3, 5)] {
        let (f, o) = stp(|f| f.rows[0].date = date.clone());
        at(&f, &o, "V006", &first_task(&f), TaskColumn::EvidenceDate);
        assert!(!o.accepted());
    }
    // The window's start (15/12/2023) and the cut-off (14/3/2024) are fine.
    for date in [d(2023, 12, 15), d(2024, 3, 14)] {
        let (_, o) = stp(|f| f.rows[0].date = date.clone());
        assert!(o.findings.is_empty(), "{:#?}", o.findings);
    }
    // Future: V007 only (one finding per cell).
    let (f, o) = stp(|f| f.rows[0].date = d(2024, 4, 2));
    at(&f, &o, "V007", &first_task(&f), TaskColumn::EvidenceDate);
}

#[test]
fn c005_not_applicable_needs_a_reason() {
    let (f, o) = stp(|f| progress(f, 0, "Không thực hiện", V::Empty));
    at(&f, &o, "C005", &first_task(&f), TaskColumn::Difficulties);
    let (_, o) = stp(|f| {
        progress(f, 0, "Không thực hiện", V::Empty);
        f.rows[0].difficulties = t("Không phát sinh trong kỳ");
    });
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
}

#[test]
fn c006_result_missing() {
    let (f, o) = stp(|f| {
        progress(f, 0, "Đang thực hiện", V::Num(50.0));
        f.rows[0].result = V::Empty;
    });
    at(&f, &o, "C006", &first_task(&f), TaskColumn::Result);
}

#[test]
fn c007_in_progress_at_0_or_100() {
    let (f, o) = stp(|f| progress(f, 0, "Đang thực hiện", V::Num(100.0)));
    at(&f, &o, "C007", &first_task(&f), TaskColumn::Percent);
    let (_, o) = stp(|f| progress(f, 0, "Đang thực hiện", V::Num(99.0)));
    assert!(o.findings.is_empty());
}

// --- Figures ----------------------------------------------------------------

fn fig(code: &str, v: V) -> (Fixture, cchc::intake::Outcome) {
    stp(|f| *f.figure(code) = v)
}

#[test]
fn i001_figure_not_a_number() {
    let (f, o) = fig("VB_RASOAT", t("chưa thống kê"));
    assert_eq!(
        only(&o, "I001").cell.as_deref(),
        Some(f.figure_cell("VB_RASOAT").as_str())
    );
}

#[test]
fn i002_out_of_range_by_kind() {
    for v in [V::Num(-5.0), V::Num(3.5)] {
        let (f, o) = fig("VB_RASOAT", v);
        assert_eq!(
            only(&o, "I002").cell.as_deref(),
            Some(f.figure_cell("VB_RASOAT").as_str())
        );
    }
    let (_, o) = stp(|f| {
        *f.figure("HS_TYLE_DUNGHAN") = V::Num(120.0);
    });
    assert!(codes(&o).contains(&"I002"));
    let (_, o) = fig("VB_RASOAT", V::Num(0.0));
    assert!(o.findings.is_empty());
}

#[test]
fn i003_figure_missing() {
    let (f, o) = fig("VB_RASOAT", V::Empty);
    assert_eq!(
        only(&o, "I003").cell.as_deref(),
        Some(f.figure_cell("VB_RASOAT").as_str())
    );
    assert!(o.accepted());
}

#[test]
fn i007_part_exceeds_whole_names_both_cells_and_values() {
    let (f, o) = fig("VB_TRAIPHAP", V::Num(7.0));
    let x = only(&o, "I007");
    assert_eq!(
        x.cell.as_deref(),
        Some(f.figure_cell("VB_TRAIPHAP").as_str())
    );
    for part in [
        f.figure_cell("VB_TRAIPHAP"),
        f.figure_cell("VB_RASOAT"),
        "= 7".to_string(),
        "= 0".to_string(),
    ] {
        assert!(x.message.contains(&part), "{part}: {}", x.message);
    }
    assert!(!o.accepted());
    // Equal is fine.
    let (_, o) = stp(|f| {
        *f.figure("VB_RASOAT") = V::Num(7.0);
        *f.figure("VB_TRAIPHAP") = V::Num(7.0);
    });
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
    // Apology letters against both kinds of overdue dossiers (5 + 2).
    let (_, o) = fig("HS_XINLOI", V::Num(7.0));
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
    let (_, o) = fig("HS_XINLOI", V::Num(8.0));
    assert!(
        only(&o, "I007").message.contains("tổng 7"),
        "{:#?}",
        o.findings
    );
}

#[test]
fn i007_communes_reporting_bounded_by_the_directory() {
    let w = World::new();
    let district = w
        .dir
        .districts()
        .find(|d| w.dir.communes_of(&d.code).count() > 3)
        .unwrap();
    let n = w.dir.communes_of(&district.code).count();
    let code = district.code.clone();
    let (f, o) = run(&code, |f| *f.figure("XA_SODONVI") = V::Num(n as f64 + 1.0));
    let x = only(&o, "I007");
    assert_eq!(
        x.cell.as_deref(),
        Some(f.figure_cell("XA_SODONVI").as_str())
    );
    assert!(
        x.message.contains(&format!("danh mục cơ quan = {n}")),
        "{}",
        x.message
    );
    let (_, o) = run(&code, |f| *f.figure("XA_SODONVI") = V::Num(n as f64));
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
}

#[test]
fn one_percent_reading_for_tasks_and_indicators() {
    // 81,5% typed into a cell is stored as 0.815 by the spreadsheet.
    let (_, o) = fig("HS_TYLE_DUNGHAN", V::Num(0.944));
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
    assert_eq!(o.submission.unwrap().indicators["HS_TYLE_DUNGHAN"], 94.4);
    let (_, o) = stp(|f| progress(f, 0, "Đang thực hiện", V::Num(0.815)));
    assert_eq!(o.submission.unwrap().tasks[0].percent, Some(81.5));
}

#[test]
fn a_count_with_three_decimals_says_thousands_separator() {
    let (f, o) = fig("VB_RASOAT", V::Num(1.317));
    let x = only(&o, "I002");
    assert_eq!(x.cell.as_deref(), Some(f.figure_cell("VB_RASOAT").as_str()));
    assert!(
        x.message.contains("hàng nghìn") && x.message.contains("1317"),
        "{}",
        x.message
    );
}

#[test]
fn i004_identity_broken() {
    let (f, o) = fig("HS_QUAHAN", V::Num(15.0));
    let x = only(&o, "I004");
    assert_eq!(
        x.cell.as_deref(),
        Some(f.figure_cell("HS_DAGIAIQUYET").as_str())
    );
    assert!(
        x.message.contains("100") && x.message.contains("90"),
        "{}",
        x.message
    );
}

#[test]
fn i005_rate_inconsistent_within_tolerance_fine() {
    let (f, o) = fig("HS_TYLE_DUNGHAN", V::Num(98.0));
    assert_eq!(
        only(&o, "I005").cell.as_deref(),
        Some(f.figure_cell("HS_TYLE_DUNGHAN").as_str())
    );
    let (_, o) = fig("HS_TYLE_DUNGHAN", V::Num(94.0));
    assert!(o.findings.is_empty());
}

#[test]
fn i006_unknown_figure_code() {
    let (_, o) = stp(|f| {
        f.figures
            .push(("XYZ".into(), "Chỉ số tự thêm".into(), V::Num(1.0)))
    });
    assert!(only(&o, "I006").message.contains("XYZ"));
    assert!(o.accepted());
}

// --- Text -------------------------------------------------------------------

#[test]
fn t001_tcvn3_text_converted_and_reported() {
    let (f, o) = stp(|f| f.rows[0].result = t("§· ban hµnh kÕ ho¹ch c¶i c¸ch hµnh chÝnh"));
    let m = at(&f, &o, "T001", &first_task(&f), TaskColumn::Result);
    assert!(
        m.contains("Đã ban hành kế hoạch cải cách hành chính"),
        "{m}"
    );
    assert_eq!(
        o.submission.unwrap().tasks[0].result,
        "Đã ban hành kế hoạch cải cách hành chính"
    );
}

#[test]
fn t001_tcvn3_status_is_still_understood() {
    let (_, o) = stp(|f| f.rows[0].status = t("§· hoµn thµnh"));
    assert_eq!(codes(&o), ["T001"]);
}

#[test]
fn t001_near_miss_the_whole_seed_plan_gives_no_detection() {
    for line in cchc::plan::SEED_TEXT.lines() {
        assert_eq!(cchc::intake::legacy::detect(line), None, "{line}");
    }
}

#[test]
fn t002_decomposed_unicode_normalised() {
    use unicode_normalization::UnicodeNormalization;
    let nfd: String = "Đã hoàn thành kế hoạch".nfd().collect();
    let (f, o) = stp(|f| f.rows[0].result = V::Text(nfd));
    at(&f, &o, "T002", &first_task(&f), TaskColumn::Result);
    assert_eq!(
        o.submission.unwrap().tasks[0].result,
        "Đã hoàn thành kế hoạch"
    );
}

// --- Layout -----------------------------------------------------------------

#[test]
fn cells_are_absolute_after_inserted_rows_and_columns_and_reordered_rows() {
    let (f, o) = stp(|f| {
        f.row_offset = 5;
        f.col_offset = 3;
        f.rows.reverse();
        let i = f.rows.len() - 1;
        progress(f, i, "Hoàn thành", V::Num(70.0));
    });
    let id = f.rows.last().unwrap().id.clone();
    let m = only(&o, "C001");
    let expected = f.cell(&id, TaskColumn::Percent);
    assert_eq!(m.cell.as_deref(), Some(expected.as_str()));
    assert!(expected.starts_with('M'), "{expected}");
    assert_eq!(codes(&o), ["C001"]);
}

// --- Near misses for file and structure rules ----------------------------------

#[test]
fn near_misses_extension_is_not_trusted_and_empty_sheets_are_fine() {
    let w = World::new();
    let p = w.period(P);
    let dir = tempfile::tempdir().unwrap();
    let f = Fixture::good(&w, "STP", P);
    // F001 near miss: a real workbook without the usual extension is read by its bytes.
    for name in ["BAO-CAO.XLSX", "bao-cao"] {
        let path = dir.path().join(name);
        f.save(&path);
        let o = w.check_path(&path, Some(&p));
        assert!(o.findings.is_empty(), "{name}: {:#?}", o.findings);
    }
    // F006 near miss: one sheet with data among empty ones.
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet();
    wb.add_worksheet().write_string(3, 3, "x").unwrap();
    let o = w.check(wb.save_to_buffer().unwrap(), Some(&p));
    assert!(!codes(&o).contains(&"F006"), "{:?}", codes(&o));
    assert!(codes(&o).contains(&"S001"));
}

#[test]
fn near_misses_renamed_figure_sheet_and_header_moved_down() {
    let (_, o) = stp(|f| f.figure_sheet = "Bieu 2".into());
    assert_eq!(codes(&o), ["S002"]);
    let (_, o) = stp(|f| f.row_offset = 40);
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
}

#[test]
fn f004_one_large_shared_string_in_many_cells_is_refused_by_the_text_budget() {
    let w = World::new();
    let mut seed = 7u64;
    let big: String = (0..32_000)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (b'a' + (seed >> 59) as u8 % 26) as char
        })
        .collect();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..3000 {
        ws.write_string(r, 0, &big).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    let o = w.check(bytes, None);
    assert_eq!(codes(&o), ["F004"]);
    assert!(o.findings[0].message.contains("quá nhiều dữ liệu"));
}
