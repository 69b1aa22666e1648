//! The rendered report and workbook against the compilation and the
//! returns they came from: DOCX read back (zip + document.xml text) for
//! header texts, section titles, counts, margins, repeated header rows; the
//! workbook read back with calamine; LibreOffice opens the DOCX (→ PDF).

#[path = "support/synthetic.rs"]
mod synthetic;

use cchc::agencies::Directory;
use cchc::compile::{self, Compilation, Inputs, Ledger, LedgerInput, UnitState};
use cchc::document::{self, prose, ReportConfig};
use cchc::form::indicators::Catalogue;
use cchc::form::Submission;
use cchc::period::{ymd, Schedule};
use cchc::plan;
use std::io::Read;

struct Case {
    dir: Directory,
    c: Compilation,
    counted: Vec<Submission>,
}

/// 33 units: two send nothing, one only a rejected file, SNV late, and one
/// superseded file whose figures must not count.
fn case() -> Case {
    let dir = Directory::embedded();
    let plan = plan::seed(&dir);
    let schedule = Schedule::embedded();
    let cat = Catalogue::embedded();
    let period = schedule.period("2024-Q1").unwrap();
    let inputs = Inputs::new(&plan, &dir, &schedule, &cat, &period);
    let units = inputs.expected.clone();
    let sending = &units[..units.len() - 2];
    let mut subs = synthetic::mixed(&plan, &dir, &cat, &period, sending);
    let at = |d: u32| ymd(2024, 3, d).and_hms_opt(10, 0, 0).unwrap();
    let mut ledger: Vec<LedgerInput> = synthetic::inputs_at(&subs, at(14));
    ledger
        .iter_mut()
        .find(|i| i.agency.as_deref() == Some("SNV"))
        .unwrap()
        .received = at(19);
    let rejected = units[units.len() - 3].clone();
    let r = ledger
        .iter_mut()
        .find(|i| i.agency.as_deref() == Some(rejected.as_str()))
        .unwrap();
    r.accepted = false;
    r.reasons = vec![
        "Số liệu!D18: số hồ sơ đã giải quyết không bằng tổng sớm hạn + đúng hạn + quá hạn".into(),
    ];
    let mut old = subs[1].clone();
    old.source = synthetic::source("cu.xlsx", "old");
    old.indicators.insert("HS_DAGIAIQUYET".into(), 1_000_000.0);
    let mut old_in = synthetic::inputs_at(std::slice::from_ref(&old), at(2));
    ledger.append(&mut old_in);
    subs.push(old);
    let counted: Vec<Submission> = subs
        .iter()
        .filter(|s| s.agency != rejected && s.source.path != "cu.xlsx")
        .cloned()
        .collect();
    let c = compile::compile(&inputs, Ledger::build(&period.id, ledger), subs);
    Case { dir, c, counted }
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Text of document.xml, one line per paragraph.
fn paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| {
            let mut out = String::new();
            let mut rest = p;
            while let Some(i) = rest.find("<w:t") {
                let after = &rest[i..];
                let Some(open_end) = after.find('>') else {
                    break;
                };
                let tag = &after[..open_end];
                if !(tag.starts_with("<w:t>") || tag.starts_with("<w:t ")) && tag != "<w:t" {
                    rest = &after[open_end..];
                    continue;
                }
                let body = &after[open_end + 1..];
                let end = body.find("</w:t>").unwrap_or(body.len());
                out.push_str(&body[..end]);
                rest = &body[end..];
            }
            out.replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn report_has_the_nd30_header_title_sections_and_signature() {
    let k = case();
    let cfg = ReportConfig::embedded();
    let bytes = document::docx::report(&k.c, &cfg, &k.dir).unwrap();
    let xml = unzip(&bytes, "word/document.xml");
    let p = paragraphs(&xml);
    let has = |s: &str| p.iter().any(|x| x == s);
    for line in [
        "ỦY BAN NHÂN DÂN",
        "TỈNH QUẢNG NGÃI",
        "Số:        /BC-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Quảng Ngãi, ngày       tháng 3 năm 2024",
        "BÁO CÁO",
        "Kết quả thực hiện công tác cải cách hành chính quý I năm 2024",
        "Kính gửi: Bộ Nội vụ.",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "1. Cải cách thể chế",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2024",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
        "Nơi nhận:",
        "- Lưu: VT, NC.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Phụ lục I",
        "Phụ lục II",
        "Phụ lục III",
    ] {
        assert!(has(line), "missing paragraph «{line}»");
    }
    // Section I (direction area) sits before II; every other area is a sub-section of II.
    let pos = |s: &str| p.iter().position(|x| x == s).unwrap();
    assert!(pos("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH") < pos("1. Cải cách thể chế"));
    assert!(!has("8. Công tác chỉ đạo, điều hành cải cách hành chính"));
    // Counts as compiled; the reporting picture counts units and names none
    // (they are listed in Annex II).
    let total = format!(
        "Toàn tỉnh: {}",
        document::wording::lower_first(&prose::counts_sentence(&k.c.total, k.c.as_of))
    );
    assert!(has(&total), "{total}");
    let kk = &k.c.completeness;
    assert_eq!(
        (kk.on_time, kk.late, kk.rejected, kk.missing),
        (29, 1, 1, 2)
    );
    let reporting = p
        .iter()
        .find(|x| x.starts_with("Về chế độ báo cáo"))
        .unwrap();
    assert!(reporting.starts_with("Về chế độ báo cáo: 30/33 cơ quan, đơn vị đã gửi báo cáo hợp lệ (29 đúng hạn, 1 trễ hạn)"), "{reporting}");
    assert!(
        reporting.contains("2 cơ quan, đơn vị chưa gửi báo cáo (chi tiết tại Phụ lục II)"),
        "{reporting}"
    );
    for u in kk.units.iter().filter(|u| u.state == UnitState::Missing) {
        let name = prose::prose_name(&k.dir, &u.code);
        assert!(!reporting.contains(&name), "{name} named in «{reporting}»");
    }
    // Page setup: A4, margins 20/20/30/15 mm, first page without number.
    assert!(
        xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
        "A4 portrait letter"
    );
    assert!(
        xml.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape""#),
        "A4 landscape annexes"
    );
    for m in [
        r#"w:top="1134""#,
        r#"w:bottom="1134""#,
        r#"w:left="1701""#,
        r#"w:right="851""#,
    ] {
        assert!(xml.contains(m), "margin {m}");
    }
    assert!(xml.contains("<w:titlePg"), "title page");
    // Annex tables: header row repeated and kept whole; other rows may break
    // across pages; header tables untouched.
    assert_eq!(xml.matches("<w:tblHeader />").count(), 3);
    assert_eq!(
        xml.matches("<w:tblHeader /><w:cantSplit />").count(),
        3,
        "annex header rows kept whole"
    );
    // Only the 3 annex header rows and the signature row are kept whole.
    assert_eq!(xml.matches("<w:cantSplit />").count(), 4);
    assert!(
        xml.contains(r#"w:ascii="Times New Roman""#)
            && xml.contains(r#"w:hAnsi="Times New Roman""#)
    );
    assert!(xml.contains(r#"w:val="both""#), "justified body");
    let header = unzip(&bytes, "word/header1.xml");
    assert!(header.contains("PAGE"), "page number field in the header");
}

#[test]
fn annex_rows_follow_tasks_units_and_indicators() {
    let k = case();
    let cfg = ReportConfig::embedded();
    let pr = prose::Prose::new(&k.c, &cfg, &k.dir);
    let [tasks, units, inds] = &pr.annexes[..] else {
        panic!("three annexes")
    };
    assert_eq!(tasks.rows.len(), k.c.tasks.len());
    let d = k.c.task("1.d").unwrap();
    let row = tasks.rows.iter().find(|r| r[1] == "1.d").unwrap();
    assert_eq!(row[6], format!("{}/{}", d.completed_by, d.deciders));
    assert_eq!(row[5], d.outcome.label());
    // The date shown is the one the task is judged against.
    assert_eq!(row[4], cchc::period::dmy(d.due.unwrap()));
    assert_eq!(tasks.rows.iter().filter(|r| r[1] == "8.a").count(), 1);
    assert_eq!(units.rows.len(), 33);
    let missing: Vec<_> = units.rows.iter().filter(|r| r[2] == "Chưa gửi").collect();
    assert_eq!(missing.len(), 2);
    // Indicator totals: the superseded file's 1,000,000 is not in the sum; the rate is recomputed.
    let sum = |code: &str| {
        k.counted
            .iter()
            .filter_map(|s| s.indicators.get(code))
            .sum::<f64>()
    };
    let row = inds
        .rows
        .iter()
        .find(|r| r[2] == "Số hồ sơ đã giải quyết")
        .unwrap();
    assert_eq!(row[4], prose::number(sum("HS_DAGIAIQUYET")));
    let rate = 100.0 * (sum("HS_TRUOCHAN") + sum("HS_DUNGHAN")) / sum("HS_DAGIAIQUYET");
    let row = inds
        .rows
        .iter()
        .find(|r| r[2].starts_with("Tỷ lệ hồ sơ giải quyết đúng hạn"))
        .unwrap();
    assert_eq!(row[4], prose::percent(Some(rate)));
    assert_eq!(row[5], k.counted.len().to_string());
}

#[test]
fn same_inputs_give_the_same_document() {
    let a = case();
    let b = case();
    let cfg = ReportConfig::embedded();
    let da = document::docx::report(&a.c, &cfg, &a.dir).unwrap();
    let db = document::docx::report(&b.c, &cfg, &b.dir).unwrap();
    for part in ["word/document.xml", "docProps/core.xml", "word/header1.xml"] {
        assert!(
            unzip(&da, part) == unzip(&db, part),
            "{part} differs between two renders"
        );
    }
    let core = unzip(&da, "docProps/core.xml");
    assert!(core.contains("2024-03-20T00:00:00Z"));
    assert!(
        core.contains("<dc:creator>ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI</dc:creator>"),
        "{core}"
    );
    assert!(core.contains("<dc:title>BÁO CÁO Kết quả thực hiện công tác cải cách hành chính quý I năm 2024</dc:title>"), "{core}");
    let parts = |b: &[u8]| {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(b.to_vec())).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut v = Vec::new();
                f.read_to_end(&mut v).unwrap();
                (f.name().unwrap().to_string(), v)
            })
            .collect::<Vec<_>>()
    };
    for ((na, va), (_, vb)) in parts(&da).iter().zip(parts(&db).iter()) {
        assert!(va == vb, "{na} differs");
    }
    assert!(da == db, "byte-identical .docx");
}

#[test]
fn workbook_tables_match_the_compilation() {
    use calamine::{Data, DataType, Reader, Xlsx};
    let k = case();
    let bytes = document::workbook::workbook(&k.c, &k.dir).unwrap();
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let answers = wb
        .worksheet_range(document::workbook::SHEET_ANSWERS)
        .unwrap();
    let expected_rows: usize = k.counted.iter().map(|s| s.tasks.len()).sum();
    assert_eq!(answers.height() - 1, expected_rows);
    assert_eq!(answers.get((0, 0)), Some(&Data::String("Mã ĐV".into())));
    let areas = wb.worksheet_range(document::workbook::SHEET_AREAS).unwrap();
    for (i, a) in k.c.areas.iter().enumerate() {
        let row = i + 1;
        assert_eq!(
            areas.get((row, 1)).and_then(|d| d.as_f64()),
            Some(a.counts.tasks as f64)
        );
        assert_eq!(
            areas.get((row, 3)).and_then(|d| d.as_f64()),
            Some(a.counts.done_on_time as f64)
        );
        assert_eq!(
            areas.get((row, 6)).and_then(|d| d.as_f64()),
            Some(a.counts.open_overdue as f64)
        );
    }
    let ind = wb
        .worksheet_range(document::workbook::SHEET_INDICATORS)
        .unwrap();
    let sum = |code: &str| {
        k.counted
            .iter()
            .filter_map(|s| s.indicators.get(code))
            .sum::<f64>()
    };
    // Indicators by name (no code column a reader would meet).
    let row = (0..ind.height())
        .find(|r| ind.get((*r, 1)) == Some(&Data::String("Số hồ sơ đã giải quyết".into())))
        .unwrap();
    assert_eq!(
        ind.get((row, 3)).and_then(|d| d.as_f64()),
        Some(sum("HS_DAGIAIQUYET"))
    );
    let agencies = wb
        .worksheet_range(document::workbook::SHEET_AGENCIES)
        .unwrap();
    let missing = (1..agencies.height())
        .filter(|r| agencies.get((*r, 2)) == Some(&Data::String("Chưa gửi".into())))
        .count();
    assert_eq!(missing, 2);
    // Native charts, tables with autofilter, Times New Roman.
    let names: Vec<String> = {
        let z = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        z.file_names()
            .filter_map(|n| n.ok())
            .map(|n| n.to_string())
            .collect()
    };
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("xl/charts/chart"))
            .count(),
        2
    );
    assert!(
        names
            .iter()
            .filter(|n| n.starts_with("xl/tables/table"))
            .count()
            >= 8
    );
    assert!(unzip(&bytes, "xl/tables/table4.xml").contains("autoFilter"));
    assert!(unzip(&bytes, "xl/styles.xml").contains("Times New Roman"));
}

/// The worksheet XML of the sheet named `name` (through workbook.xml and
/// its relationships).
fn sheet_xml(bytes: &[u8], name: &str) -> String {
    let between = |s: &str, after: &str, key: &str| -> String {
        let rest = &s[s
            .find(after)
            .unwrap_or_else(|| panic!("{after} in workbook"))..];
        let v = &rest[rest.find(key).unwrap() + key.len()..];
        v[..v.find('"').unwrap()].to_string()
    };
    let wb = unzip(bytes, "xl/workbook.xml");
    let id = between(&wb, &format!("<sheet name=\"{name}\""), "r:id=\"");
    let rels = unzip(bytes, "xl/_rels/workbook.xml.rels");
    let target = between(&rels, &format!("Id=\"{id}\""), "Target=\"");
    unzip(bytes, &format!("xl/{target}"))
}

/// The height (points) and customHeight flag of one-based row `r`.
fn row_height(sheet: &str, r: usize) -> (Option<f64>, bool) {
    let start = sheet
        .find(&format!("<row r=\"{r}\""))
        .unwrap_or_else(|| panic!("row {r} written"));
    let tag = &sheet[start..start + sheet[start..].find('>').unwrap()];
    let ht = tag
        .split(" ht=\"")
        .nth(1)
        .map(|v| v[..v.find('"').unwrap()].parse::<f64>().unwrap());
    (ht, tag.contains("customHeight=\"1\""))
}

/// Regression: rows of wrapped text kept the default 15 pt, so LibreOffice
/// and Excel printed the lines over one another. A long answer's row, and
/// every ledger row (the constant-memory sheet: the 64-digit hash takes two
/// lines, a long reason more), carry at least the estimated height.
#[test]
fn rows_with_wrapped_text_are_tall_enough_to_print() {
    use calamine::{Data, Reader, Xlsx};
    use document::workbook::{
        text_height, ANSWER_WIDTH, HASH_WIDTH, LEDGER_REASON_WIDTH, SHEET_ANSWERS, SHEET_LEDGER,
    };
    let mut k = case();
    let long = "Đã ban hành Kế hoạch số 15/KH-UBND ngày 12/01/2024 triển khai công tác cải cách \
                hành chính năm 2024; tổ chức 02 hội nghị tập huấn cho 150 lượt cán bộ, công chức.\n\
                - Rà soát, đơn giản hóa 12 thủ tục hành chính.\n\
                - Số hóa 100% hồ sơ tiếp nhận tại Bộ phận Một cửa.";
    let i = 3;
    k.c.answers[i].result = long.into();
    // A long reason on the first ledger line (through the ledger's JSON).
    let reason = "F001 Tệp không phải bảng tính (tệp Word .docx đổi tên). Hãy gửi đúng tệp \
                  Excel biểu mẫu đã nhận (.xlsx; có thể lưu dạng .xls hoặc .ods). \
                  Nếu không mở được biểu mẫu, liên hệ Sở Nội vụ để được gửi lại.";
    let mut json = serde_json::to_value(&k.c.ledger).unwrap();
    json["entries"][0]["reason"] = reason.into();
    k.c.ledger = serde_json::from_value(json).unwrap();
    let bytes = document::workbook::workbook(&k.c, &k.dir).unwrap();
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let answers = wb.worksheet_range(SHEET_ANSWERS).unwrap();
    // Header on row 1, answer i on row i + 2; "Kết quả đạt được" is column H.
    assert_eq!(answers.get((i + 1, 7)), Some(&Data::String(long.into())));
    let need = text_height(long, ANSWER_WIDTH);
    assert!(need >= 75.0, "two wrapped lines and two more lines: {need}");
    let (ht, custom) = row_height(&sheet_xml(&bytes, SHEET_ANSWERS), i + 2);
    let ht = ht.expect("the long answer's row has a height");
    assert!(custom && ht >= need && ht <= 409.0, "ht {ht}, needs {need}");

    let ledger = sheet_xml(&bytes, SHEET_LEDGER);
    let entries: Vec<_> = k.c.ledger.entries().map(|e| e.into_owned()).collect();
    assert!(!entries.is_empty());
    assert_eq!(entries[0].reason, reason);
    // "Lý do" is column G; the hash column I.
    assert!(text_height(reason, LEDGER_REASON_WIDTH) >= 45.0);
    for (j, e) in entries.iter().enumerate() {
        assert_eq!(text_height(&e.sha256, HASH_WIDTH), 30.0, "{}", e.sha256);
        let need = text_height(&e.reason, LEDGER_REASON_WIDTH).max(30.0);
        let (ht, custom) = row_height(&ledger, j + 2);
        assert!(
            custom && ht.is_some_and(|h| h >= need),
            "ledger row {}: {ht:?}, needs {need}",
            j + 2
        );
    }
}

/// Regression: a task some 90 units had not completed listed them all in
/// one cell of «Theo nhiệm vụ», taller than Excel's tallest row (409 pt), so
/// the list was cut off in print. The cell now shows the count, the first
/// names and where the list is, within the row; the «Đơn vị chưa hoàn
/// thành» sheet lists every task and unit, one row each.
#[test]
fn a_long_unit_list_shows_its_count_and_every_unit_gets_a_row_of_its_own() {
    use calamine::{Data, Reader, Xlsx};
    use document::workbook::{text_height, SHEET_BEHIND, SHEET_TASKS, UNITS_WIDTH};
    let mut k = case();
    let communes: Vec<String> = k
        .dir
        .all()
        .iter()
        .filter(|a| a.level == cchc::agencies::Level::Xa)
        .map(|a| a.code.clone())
        .take(90)
        .collect();
    assert_eq!(communes.len(), 90);
    let i = 2;
    k.c.tasks[i].behind = communes.clone();
    let label = k.c.tasks[i].label.clone();
    let names: Vec<String> = communes
        .iter()
        .map(|c| prose::prose_name(&k.dir, c))
        .collect();
    // The whole list would need more than Excel's tallest row.
    assert_eq!(text_height(&names.join(", "), UNITS_WIDTH), 408.75);
    let bytes = document::workbook::workbook(&k.c, &k.dir).unwrap();
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();

    let tasks = wb.worksheet_range(SHEET_TASKS).unwrap();
    assert_eq!(
        tasks.get((0, 9)),
        Some(&Data::String("Đơn vị chưa hoàn thành".into()))
    );
    assert_eq!(tasks.get((i + 1, 0)), Some(&Data::String(label.clone())));
    let Some(Data::String(cell)) = tasks.get((i + 1, 9)) else {
        panic!("a list in J{}", i + 2)
    };
    let shown = format!("90 đơn vị: {}, {} và ", names[0], names[1]);
    assert!(cell.starts_with(&shown), "{cell}");
    assert!(
        cell.ends_with(" đơn vị khác — xem sheet «Đơn vị chưa hoàn thành»"),
        "{cell}"
    );
    let need = text_height(cell, UNITS_WIDTH);
    assert!(need <= 90.0, "six lines at most: {need}");
    let (ht, _) = row_height(&sheet_xml(&bytes, SHEET_TASKS), i + 2);
    assert!(ht.is_some_and(|h| h >= need && h < 409.0), "{ht:?}");

    let behind = wb.worksheet_range(SHEET_BEHIND).unwrap();
    let header: Vec<String> = (0..9)
        .map(|c| behind.get((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header,
        [
            "Mục",
            "Nội dung nhiệm vụ",
            "Hạn cuối",
            "Mã ĐV",
            "Cơ quan, đơn vị",
            "Vai trò",
            "Tình hình",
            "Đơn vị báo tình trạng",
            "Tỷ lệ (%)"
        ]
    );
    let text = |r: usize, c: usize| {
        behind
            .get((r, c))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let rows: Vec<usize> = (1..behind.height())
        .filter(|r| text(*r, 0) == label && text(*r, 6) == "Chưa hoàn thành")
        .collect();
    assert_eq!(rows.len(), 90);
    for (r, (code, name)) in rows.iter().zip(communes.iter().zip(&names)) {
        assert_eq!(text(*r, 1), k.c.tasks[i].content);
        assert_eq!(&text(*r, 3), code);
        assert_eq!(&text(*r, 4), name);
    }
    // Every task's units, and nothing else.
    let all: usize =
        k.c.tasks
            .iter()
            .map(|t| t.behind.len() + t.missing.len())
            .sum();
    assert_eq!(behind.height() - 1, all);
    let missing = &k.c.tasks.iter().find(|t| !t.missing.is_empty()).unwrap();
    assert!((1..behind.height()).any(|r| text(r, 0) == missing.label
        && text(r, 3) == missing.missing[0]
        && text(r, 6) == "Chưa báo cáo"));
}

/// Any other text taller than Excel's tallest row (a long answer here)
/// shows its beginning and where the rest is; the «Toàn văn» sheet keeps it
/// whole, one paragraph a row, each within a row's height.
#[test]
fn a_text_taller_than_any_row_is_kept_whole_on_its_own_sheet() {
    use calamine::{Data, Reader, Xlsx};
    use document::workbook::{text_height, ANSWER_WIDTH, SHEET_ANSWERS, SHEET_FULL};
    let mut k = case();
    let para = |n: usize| {
        format!(
            "Đợt {n}: đã tổ chức {n} hội nghị tập huấn về cải cách hành chính cho cán bộ, \
             công chức cấp xã; rà soát, đơn giản hóa thủ tục hành chính theo kế hoạch."
        )
    };
    let long: String = (1..=30).map(para).collect::<Vec<_>>().join("\n");
    let i = 5;
    k.c.answers[i].result = long.clone();
    let (agency, label) = (k.c.answers[i].agency.clone(), k.c.answers[i].label.clone());
    let bytes = document::workbook::workbook(&k.c, &k.dir).unwrap();
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let answers = wb.worksheet_range(SHEET_ANSWERS).unwrap();
    let Some(Data::String(cell)) = answers.get((i + 1, 7)) else {
        panic!("the answer in H{}", i + 2)
    };
    assert!(cell.starts_with(&para(1)), "{cell}");
    assert!(
        cell.ends_with(" … [còn tiếp: toàn văn ở sheet «Toàn văn», từ dòng 2]"),
        "{cell}"
    );
    assert!(text_height(cell, ANSWER_WIDTH) <= 408.75);
    let full = wb.worksheet_range(SHEET_FULL).unwrap();
    assert_eq!(full.height(), 1 + 30);
    let text = |r: usize, c: usize| full.get((r, c)).map(|d| d.to_string()).unwrap_or_default();
    for r in 1..=30 {
        assert_eq!(text(r, 0), format!("{SHEET_ANSWERS}!H{}", i + 2));
        assert_eq!(text(r, 1), "Kết quả đạt được");
        assert_eq!(text(r, 2), format!("{agency}, {label}"));
        assert_eq!(text(r, 3), format!("{r}/30"));
        assert_eq!(text(r, 4), para(r));
    }
    // Without such a text, no such sheet.
    let plain = document::workbook::workbook(&case().c, &k.dir).unwrap();
    let wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(plain)).unwrap();
    assert!(!wb.sheet_names().contains(&SHEET_FULL.to_string()));
}

#[test]
fn ledger_files_list_every_file_with_its_status() {
    let k = case();
    let csv = String::from_utf8(document::files::ledger_csv(&k.c.ledger).unwrap()).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + k.c.ledger.len());
    assert!(lines[0].contains("Trạng thái") && lines[0].contains("Lý do"));
    assert!(csv.contains("Đã được thay thế") && csv.contains("Bị từ chối"));
    let json: Ledger =
        serde_json::from_slice(&document::files::ledger_json(&k.c.ledger).unwrap()).unwrap();
    assert_eq!(json, k.c.ledger);
    let text = document::files::reminder_text(&k.c, &ReportConfig::embedded());
    assert!(text.contains("SỞ NỘI VỤ") && text.contains("Số:        /SNV-CCHC"));
    assert!(text.contains("Số liệu!D18"));
}

/// LibreOffice opens the report and prints it to PDF; pages are rendered to
/// PNG when CCHC_KEEP_OUTPUT names a folder (for looking at them).
#[test]
fn libreoffice_converts_the_report_to_pdf() {
    let k = case();
    let bytes = document::docx::report(&k.c, &ReportConfig::embedded(), &k.dir).unwrap();
    let keep = std::env::var_os("CCHC_KEEP_OUTPUT").map(std::path::PathBuf::from);
    let tmp = tempfile::tempdir().unwrap();
    let dir = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let docx = dir.join("bao-cao-2024-Q1.docx");
    std::fs::write(&docx, &bytes).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx)
        .output()
        .expect("soffice is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(dir.join("bao-cao-2024-Q1.pdf")).expect("a PDF was written");
    assert!(pdf.starts_with(b"%PDF"));
    let pages = String::from_utf8_lossy(&pdf)
        .matches("/Type /Page\n")
        .count()
        + String::from_utf8_lossy(&pdf).matches("/Type/Page/").count();
    assert!(
        pdf.len() > 20_000,
        "PDF looks empty ({} bytes, {pages} pages)",
        pdf.len()
    );
    if keep.is_some() {
        let wb = document::workbook::workbook(&k.c, &k.dir).unwrap();
        std::fs::write(dir.join("tong-hop-2024-Q1.xlsx"), wb).unwrap();
        let letter = document::files::reminder_text(&k.c, &ReportConfig::embedded());
        std::fs::write(dir.join("cong-van-don-doc.txt"), letter).unwrap();
        let _ = std::process::Command::new("pdftoppm")
            .args(["-png", "-r", "60"])
            .arg(dir.join("bao-cao-2024-Q1.pdf"))
            .arg(dir.join("trang"))
            .status();
    }
}

#[test]
fn highlights_quote_only_deciding_owners_and_at_most_the_cap_per_area() {
    let k = case();
    let mut cfg = ReportConfig::embedded();
    cfg.bao_cao.so_ket_qua_toi_da = 2;
    let pr = prose::Prose::new(&k.c, &cfg, &k.dir);
    let blocks: Vec<String> = pr
        .sections
        .iter()
        .flat_map(|s| s.blocks.iter())
        .map(|b| match b {
            prose::Block::Para(t) | prose::Block::Heading(_, t) => t.clone(),
            prose::Block::Lead(a, b) => format!("{a}{b}"),
        })
        .collect();
    let mut runs = 0;
    for (i, b) in blocks.iter().enumerate() {
        if b != "Kết quả nổi bật:" {
            continue;
        }
        runs += 1;
        let lines: Vec<&String> = blocks[i + 1..]
            .iter()
            .take_while(|l| l.starts_with("- "))
            .collect();
        assert!(!lines.is_empty() && lines.len() <= 2, "{lines:?}");
        for l in lines {
            let t =
                k.c.tasks
                    .iter()
                    .find(|t| l.contains(&format!("({}): ", t.label)))
                    .unwrap_or_else(|| panic!("no task label in «{l}»"));
            for o in &t.owners {
                let named = l.contains(&prose::prose_name(&k.dir, &o.agency));
                let decides = (o.role == cchc::plan::Role::Cooperating)
                    == (t.decided_by == cchc::plan::Role::Cooperating);
                assert!(!named || decides, "cooperator {} quoted in «{l}»", o.agency);
            }
        }
    }
    assert!(runs >= 3, "highlights in several areas");
}
