//! The annotated copy sent back to an agency. When the return is proven to
//! be the unit's own template (identified by its metadata, token verified),
//! the copy IS that template, rebuilt by the template builder for the same
//! unit, period and plan — same sheets, layout, column widths, wrapping,
//! print setup, protection, very hidden identification, defined names,
//! custom properties, token and live «Kiểm tra» formulas — holding the
//! values the unit typed, with a first sheet «Lỗi cần sửa» listing the fixes
//! and, on every cell with a finding, a note with the messages and a fill
//! (red for errors, yellow for warnings, as a conditional format so the
//! cell's own format stays). Sent back after fixing, it validates as the same
//! unit. Cells are placed by task id, column header and indicator code, so a
//! return with inserted rows or columns comes back in the template's layout.
//! Any other file (unidentified, another unit's token) gets a plain copy of
//! its values with the same notes and list. The input file is never touched.
//! Copies are named `…-can-sua.xlsx` when there are errors, `…-luu-y.xlsx`
//! when there are only warnings.

use super::checks::{figures, structure, Setup};
use super::finding::{a1, parse_a1, Finding};
use super::locate;
use super::read::{Book, Sheet};
use super::values::{self, Value};
use super::Outcome;
use crate::form::{FigureColumn, TaskColumn, SHEET_FIGURES, SHEET_LISTS, SHEET_META, SHEET_TASKS};
use crate::template::{self, Answers, Cell, Extra, TemplateInput};
use crate::text::sanitize::cell_text;
use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, Format, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Name of the sheet listing the findings.
pub const SHEET_FINDINGS: &str = "Lỗi cần sửa";

/// Builds the annotated copy in memory.
///
/// # Errors
/// When the spreadsheet writer refuses a value.
pub fn build(book: &Book, outcome: &Outcome, setup: &Setup) -> anyhow::Result<Vec<u8>> {
    match own_template(book, outcome, setup) {
        Some(bytes) => bytes,
        None => Ok(plain_copy(book, outcome)?),
    }
}

/// Error type of the plain copy.
pub type XlsError = XlsxError;

/// The copy's file name: the return's stem (without an earlier copy's
/// suffix) + `-can-sua` (errors) or `-luu-y` (warnings only), `.xlsx`.
pub fn copy_name(outcome: &Outcome) -> String {
    let stem = Path::new(&outcome.path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("bao-cao");
    let stem = stem
        .strip_suffix("-can-sua")
        .or_else(|| stem.strip_suffix("-luu-y"))
        .unwrap_or(stem);
    let suffix = if outcome.accepted() {
        "luu-y"
    } else {
        "can-sua"
    };
    format!("{stem}-{suffix}.xlsx")
}

/// Writes the annotated copy of one file with findings into `dir`; returns
/// its path. A file without findings gets no copy.
///
/// # Errors
/// No findings, or the copy cannot be built or written.
pub fn write(dir: &Path, book: &Book, outcome: &Outcome, setup: &Setup) -> anyhow::Result<PathBuf> {
    anyhow::ensure!(
        !outcome.findings.is_empty(),
        "Tệp {} không có lỗi hay cảnh báo: không cần bản góp ý.",
        outcome.path
    );
    let out = dir.join(copy_name(outcome));
    let bytes = build(book, outcome, setup)
        .map_err(|e| anyhow::anyhow!("Không tạo được tệp góp ý cho {}: {e}", outcome.path))?;
    std::fs::write(&out, bytes)
        .map_err(|e| anyhow::anyhow!("Không ghi được {}: {e}", out.display()))?;
    Ok(out)
}

/// Findings that mean the file is not proven to be this unit's template.
pub(crate) const NOT_OWN: [&str; 6] = ["M001", "M002", "M003", "M004", "M006", "M008"];

/// A finding's place in the copy (sheet, zero-based row and column).
type Place = (String, u32, u32);

/// The unit's own template, rebuilt with its values and annotated; `None`
/// when the file is not proven to be that template.
fn own_template(book: &Book, outcome: &Outcome, setup: &Setup) -> Option<anyhow::Result<Vec<u8>>> {
    if outcome.findings.iter().any(|f| NOT_OWN.contains(&f.code)) {
        return None;
    }
    let key = setup.key?;
    let agency = setup.directory.get(outcome.agency.as_deref()?)?;
    let period = setup.schedule.period(outcome.period.as_deref()?).ok()?;
    let meta = super::checks::identity::metadata(book);
    let generated_at = meta
        .generated_at
        .as_deref()
        .and_then(|t| chrono::NaiveDateTime::parse_from_str(t, template::GENERATED_AT_FORMAT).ok())
        .unwrap_or_else(|| chrono::Local::now().naive_local());
    let input = TemplateInput {
        plan: setup.plan,
        directory: setup.directory,
        catalogue: setup.catalogue,
        period: &period,
        agency,
        key,
        generated_at,
        password: None,
    };
    let (answers, moved) = answers_and_places(book, &input);
    let placed: Vec<(Option<Place>, &Finding)> = outcome
        .findings
        .iter()
        .map(|f| (place_of(f, &moved), f))
        .collect();
    let first = |wb: &mut Workbook| list_sheet(wb.add_worksheet(), outcome, &placed);
    let last = |wb: &mut Workbook| {
        annotate(wb, &placed)?;
        wb.worksheet_from_name(SHEET_TASKS)?.set_active(false);
        wb.worksheet_from_name(SHEET_FINDINGS)?.set_active(true);
        Ok(())
    };
    let extra = Extra {
        first: Some(&first),
        last: Some(&last),
    };
    Some(template::build_with(&input, Some(&answers), &extra))
}

/// The finding's cell in the copy: moved to the template's layout when the
/// return's cell maps there, else where it was.
fn place_of(f: &Finding, moved: &BTreeMap<Place, Place>) -> Option<Place> {
    let sheet = f.sheet.clone()?;
    let (r, c) = parse_a1(f.cell.as_deref()?)?;
    moved
        .get(&(sheet.clone(), r, c))
        .cloned()
        .or(Some((sheet, r, c)))
}

/// The values typed in the return as template answers, and where each of the
/// return's task and figure cells sits in the template.
fn answers_and_places(book: &Book, input: &TemplateInput) -> (Answers, BTreeMap<Place, Place>) {
    let mut answers = Answers::default();
    let mut moved = BTreeMap::new();
    let assigned = input.plan.tasks_for(&input.agency.code, input.directory);
    if let Ok(t) = locate::table(
        book,
        SHEET_TASKS,
        &structure::headers(),
        &structure::REQUIRED,
    ) {
        let id_col = t.col(TaskColumn::Id.index() as usize);
        for r in t.data_rows() {
            let id = id_col.map(|c| t.sheet.text(r, c)).unwrap_or_default();
            let Some(i) = assigned.iter().position(|a| a.task.id == id) else {
                continue;
            };
            let row = template::TASK_HEADER_ROW + 1 + i as u32;
            for c in TaskColumn::ALL {
                let Some(col) = t.col(c.index() as usize) else {
                    continue;
                };
                moved.insert(
                    (t.sheet.name.clone(), r, col),
                    (SHEET_TASKS.to_string(), row, c.index() as u32),
                );
                if let Some(v) = t.sheet.get(r, col).filter(|_| c.is_entry()) {
                    answers.task(&id, c, cell(v));
                }
            }
        }
    }
    let indicators = input.catalogue.for_level(input.agency.level);
    if let Ok(t) = locate::table(book, SHEET_FIGURES, &figures::headers(), &figures::REQUIRED) {
        let code_col = t.col(FigureColumn::Code.index() as usize);
        for r in t.data_rows() {
            let code = code_col.map(|c| t.sheet.text(r, c)).unwrap_or_default();
            let Some(i) = indicators
                .iter()
                .position(|x| x.code.eq_ignore_ascii_case(&code))
            else {
                continue;
            };
            let row = template::FIGURE_HEADER_ROW + 1 + i as u32;
            for c in FigureColumn::ALL {
                let Some(col) = t.col(c.index() as usize) else {
                    continue;
                };
                moved.insert(
                    (t.sheet.name.clone(), r, col),
                    (SHEET_FIGURES.to_string(), row, c.index() as u32),
                );
            }
            if let Some(v) = t
                .col(FigureColumn::Value.index() as usize)
                .and_then(|c| t.sheet.get(r, c))
            {
                answers.figure(&indicators[i].code, cell(v));
            }
        }
    }
    (answers, moved)
}

/// A read value as a template answer, as typed (text stays text).
fn cell(v: &Value) -> Cell {
    match v {
        Value::Number(n) => Cell::Number(*n),
        Value::Date(_) | Value::DateIso(_) => match values::date(v) {
            Some(d) => Cell::Date(d.date()),
            None => Cell::Text(cell_text(&v.text()).into_owned()),
        },
        other => Cell::Text(cell_text(&other.display()).into_owned()),
    }
}

/// Notes and fills on every placed finding, grouped per cell.
fn annotate(wb: &mut Workbook, placed: &[(Option<Place>, &Finding)]) -> Result<(), XlsxError> {
    let mut marks: BTreeMap<&Place, Vec<&Finding>> = BTreeMap::new();
    for (p, f) in placed {
        if let Some(p) = p {
            marks.entry(p).or_default().push(f);
        }
    }
    let error = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006));
    let warning = Format::new().set_background_color(Color::RGB(0xFFEB9C));
    for ((sheet, r, c), fs) in marks {
        let Ok(ws) = wb.worksheet_from_name(sheet) else {
            continue;
        };
        let fmt = if fs.iter().any(|f| f.is_error()) {
            &error
        } else {
            &warning
        };
        let cf = ConditionalFormatFormula::new()
            .set_rule("=TRUE")
            .set_format(fmt);
        ws.add_conditional_format(*r, *c as u16, *r, *c as u16, &cf)?;
        ws.insert_note(*r, *c as u16, &note(&fs))?;
    }
    Ok(())
}

fn note(fs: &[&Finding]) -> Note {
    let text = fs
        .iter()
        .map(|f| format!("[{}] {}", f.code, f.message))
        .collect::<Vec<_>>()
        .join("\n");
    let lines = text.chars().count().div_ceil(60).max(3) as u32;
    Note::new(cell_text(&text))
        .set_author("cchc")
        .set_width(420)
        .set_height((16 * lines).min(400))
}

/// The plain copy for a file not proven to be the unit's template: its
/// sheets' values (internal sheets left out), annotated the same way.
fn plain_copy(book: &Book, outcome: &Outcome) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let placed: Vec<(Option<Place>, &Finding)> = outcome
        .findings
        .iter()
        .map(|f| (place_of(f, &BTreeMap::new()), f))
        .collect();
    list_sheet(wb.add_worksheet(), outcome, &placed)?;
    for sheet in book
        .sheets
        .iter()
        .filter(|s| s.name != SHEET_META && s.name != SHEET_LISTS)
    {
        copy_sheet(wb.add_worksheet(), sheet)?;
    }
    annotate(&mut wb, &placed)?;
    wb.save_to_buffer()
}

fn list_sheet(
    ws: &mut Worksheet,
    o: &Outcome,
    placed: &[(Option<Place>, &Finding)],
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_FINDINGS)?
        .set_active(true)
        .set_tab_color(Color::Red);
    print_setup(ws);
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let verdict = if o.accepted() {
        "ĐẠT, còn cảnh báo nên xem lại"
    } else {
        "KHÔNG ĐẠT: sửa các lỗi dưới đây rồi gửi lại"
    };
    ws.write_string_with_format(
        0,
        0,
        cell_text(&format!(
            "Kết quả kiểm tra tệp {}: {verdict}",
            file_name(&o.path)
        )),
        &bold,
    )?;
    ws.write_string(
        1,
        0,
        "Sửa ngay trong tệp này (các ô cần xem được tô màu và có ghi chú), lưu lại rồi gửi Sở Nội vụ; không cần xóa sheet này.",
    )?;
    for (c, (h, w)) in [
        ("Mức độ", 10.0),
        ("Mã", 7.0),
        ("Sheet", 14.0),
        ("Ô", 8.0),
        ("Nội dung cần sửa", 90.0),
    ]
    .into_iter()
    .enumerate()
    {
        ws.write_string_with_format(2, c as u16, h, &head)?;
        ws.set_column_width(c as u16, w)?;
    }
    for (i, (p, f)) in placed.iter().enumerate() {
        let r = 3 + i as u32;
        let (sheet, cell) = match p {
            Some((s, row, col)) => (s.clone(), a1(*row, *col)),
            None => (f.sheet.clone().unwrap_or_default(), String::new()),
        };
        ws.write_string_with_format(r, 0, f.severity.label(), &wrap)?;
        ws.write_string_with_format(r, 1, f.code, &wrap)?;
        ws.write_string_with_format(r, 2, cell_text(&sheet), &wrap)?;
        ws.write_string_with_format(r, 3, &cell, &wrap)?;
        ws.write_string_with_format(r, 4, cell_text(&f.message), &wrap)?;
        let lines = f.message.chars().count().div_ceil(95).max(1);
        ws.set_row_height(r, 15.0 * lines as f64)?;
    }
    ws.set_repeat_rows(2, 2)?;
    Ok(())
}

/// A4 landscape, fitted to the page width.
fn print_setup(ws: &mut Worksheet) {
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
}

fn copy_sheet(ws: &mut Worksheet, sheet: &Sheet) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    print_setup(ws);
    let last_col = sheet.cells.iter().map(|c| c.col).max().unwrap_or(0);
    for c in 0..=last_col.min(60) {
        ws.set_column_width(c as u16, 18)?;
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let plain = Format::new().set_text_wrap();
    for cell in &sheet.cells {
        let fmt = if matches!(cell.value, Value::Date(_)) {
            &date
        } else {
            &plain
        };
        write_value(ws, cell.row, cell.col, &cell.value, fmt)?;
    }
    Ok(())
}

fn write_value(
    ws: &mut Worksheet,
    r: u32,
    c: u32,
    v: &Value,
    fmt: &Format,
) -> Result<(), XlsxError> {
    let c = c as u16;
    match v {
        Value::Number(n) | Value::Date(n) => ws.write_number_with_format(r, c, *n, fmt)?,
        Value::Bool(b) => ws.write_boolean_with_format(r, c, *b, fmt)?,
        Value::Text(s) | Value::DateIso(s) | Value::Error(s) => {
            ws.write_string_with_format(r, c, cell_text(s), fmt)?
        }
    };
    Ok(())
}

fn file_name(path: &str) -> &str {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}
