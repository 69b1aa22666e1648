//! The annotated copy sent back to an agency: the workbook rebuilt from the
//! values read (the input file is never touched), every cell with a finding
//! highlighted (red for errors, yellow for warnings) with a note carrying the
//! messages, and a first sheet «Lỗi cần sửa» listing all findings. The
//! internal sheets (`_cchc`, `_danhmuc`) are left out.

use super::finding::{parse_a1, Finding};
use super::read::{Book, Sheet};
use super::values::Value;
use super::Outcome;
use crate::form::{SHEET_LISTS, SHEET_META};
use crate::text::sanitize::cell_text;
use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Workbook, Worksheet, XlsxError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Name of the sheet listing the findings.
pub const SHEET_FINDINGS: &str = "Lỗi cần sửa";

/// Builds the annotated copy in memory.
pub fn build(book: &Book, outcome: &Outcome) -> Result<Vec<u8>, XlsError> {
    let mut wb = Workbook::new();
    list_sheet(wb.add_worksheet(), outcome)?;
    for sheet in book
        .sheets
        .iter()
        .filter(|s| s.name != SHEET_META && s.name != SHEET_LISTS)
    {
        let ws = wb.add_worksheet();
        copy_sheet(ws, sheet, &outcome.findings)?;
    }
    wb.save_to_buffer()
}

/// Error type of this module.
pub type XlsError = XlsxError;

/// Writes the annotated copy of one file into `dir`; returns its path.
pub fn write(dir: &Path, book: &Book, outcome: &Outcome) -> anyhow::Result<PathBuf> {
    let stem = Path::new(&outcome.path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bao-cao".into());
    let out = dir.join(format!("{stem}-can-sua.xlsx"));
    let bytes = build(book, outcome)
        .map_err(|e| anyhow::anyhow!("Không tạo được tệp góp ý cho {}: {e}", outcome.path))?;
    crate::document::files::write_atomic(&out, &bytes)?;
    Ok(out)
}

fn list_sheet(ws: &mut Worksheet, o: &Outcome) -> Result<(), XlsxError> {
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
        "ĐẠT (còn cảnh báo nên xem)"
    } else {
        "KHÔNG ĐẠT: sửa các lỗi dưới đây rồi gửi lại"
    };
    ws.write_string_with_format(
        0,
        0,
        format!("Kết quả kiểm tra tệp {}: {verdict}", file_name(&o.path)),
        &bold,
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
    for (i, f) in o.findings.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string_with_format(r, 0, f.severity.label(), &wrap)?;
        ws.write_string_with_format(r, 1, f.code, &wrap)?;
        let sheet = f.sheet.as_deref().unwrap_or("");
        ws.write_string_with_format(r, 2, cell_text(sheet), &wrap)?;
        ws.write_string_with_format(r, 3, f.cell.as_deref().unwrap_or(""), &wrap)?;
        ws.write_string_with_format(r, 4, cell_text(&f.message), &wrap)?;
        let lines = f.message.chars().count().div_ceil(95).max(1);
        ws.set_row_height(r, 15.0 * lines as f64)?;
    }
    Ok(())
}

/// A4 landscape, fitted to the page width.
fn print_setup(ws: &mut Worksheet) {
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
}

fn copy_sheet(ws: &mut Worksheet, sheet: &Sheet, findings: &[Finding]) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    print_setup(ws);
    let last_col = sheet.cells.iter().map(|c| c.col).max().unwrap_or(0);
    for c in 0..=last_col.min(60) {
        ws.set_column_width(c as u16, 18)?;
    }
    let mut marks: BTreeMap<(u32, u32), Vec<&Finding>> = BTreeMap::new();
    for f in findings
        .iter()
        .filter(|f| f.sheet.as_deref() == Some(&sheet.name))
    {
        if let Some(pos) = f.cell.as_deref().and_then(parse_a1) {
            marks.entry(pos).or_default().push(f);
        }
    }
    let error = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::Red);
    let warning = Format::new().set_background_color(Color::RGB(0xFFEB9C));
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let plain = Format::new();
    for cell in &sheet.cells {
        let fmt = match marks.get(&(cell.row, cell.col)) {
            Some(fs) if fs.iter().any(|f| f.is_error()) => &error,
            Some(_) => &warning,
            None if matches!(cell.value, Value::Date(_)) => &date,
            None => &plain,
        };
        write_value(ws, cell.row, cell.col, &cell.value, fmt)?;
    }
    for ((r, c), fs) in &marks {
        if sheet.get(*r, *c).is_none() {
            let fmt = if fs.iter().any(|f| f.is_error()) {
                &error
            } else {
                &warning
            };
            ws.write_blank(*r, *c as u16, fmt)?;
        }
        let text = fs
            .iter()
            .map(|f| format!("[{}] {}", f.code, f.message))
            .collect::<Vec<_>>()
            .join("\n");
        ws.insert_note(
            *r,
            *c as u16,
            &Note::new(cell_text(&text))
                .set_author("cchc")
                .set_width(420)
                .set_height(160),
        )?;
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
