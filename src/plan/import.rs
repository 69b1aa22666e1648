//! The plan workbook as input (`--plan FILE.xlsx`): the layout that `cchc plan
//! export --format xlsx` writes — sheet «Danh mục nhiệm vụ», one task per row,
//! owners and deadlines as printed — read back after staff edit it (add or
//! fix tasks, owners, deadlines). The way in for any document the parser
//! cannot read, and the way to correct its output. Owners and deadlines are
//! read again through the same resolver and deadline reader as a document.

use super::model::*;
use super::parse::{self, WorkbookRow};
use crate::agencies::Directory;
use crate::text::fold;
use anyhow::Context as _;
use calamine::{Data, Reader};
use std::io::Cursor;

/// The tasks sheet.
pub const TASKS_SHEET: &str = "Danh mục nhiệm vụ";
/// The plan's metadata sheet.
pub const META_SHEET: &str = "Thông tin kế hoạch";

/// Column headers of the tasks sheet, in order (the export writes them).
pub const HEADERS: [&str; 11] = [
    "Mã NV",
    "Lĩnh vực",
    "Mục",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Chưa xác định",
    "Sản phẩm",
    "Thời gian thực hiện",
    "Hạn cuối",
    "Dòng",
];

/// Labels of the metadata sheet (column A; values in column B).
pub const META_LABELS: [&str; 5] = [
    "Số văn bản",
    "Ngày ban hành",
    "Cơ quan ban hành",
    "Năm kế hoạch",
    "Tên kế hoạch",
];

/// True when the bytes are a spreadsheet (xlsx, xls, ods) rather than .docx.
pub fn is_workbook(bytes: &[u8], name: &str) -> bool {
    let ext = name.rsplit('.').next().unwrap_or("").to_lowercase();
    if ["xlsx", "xlsm", "xls", "xlsb", "ods"].contains(&ext.as_str()) {
        return true;
    }
    bytes.starts_with(b"PK\x03\x04")
        && zip::ZipArchive::new(Cursor::new(bytes))
            .map(|z| {
                z.file_names()
                    .any(|n| n.is_ok_and(|n| n == "xl/workbook.xml"))
            })
            .unwrap_or(false)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Int(i) => i.to_string(),
        Data::DateTime(dt) => {
            // Excel serial day number (1900 system).
            let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
            base.checked_add_signed(chrono::Duration::days(dt.as_f64() as i64))
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default()
        }
        other => other.to_string().trim().to_string(),
    }
}

/// Reads a plan workbook (bytes) against the directory.
pub fn read(bytes: &[u8], name: &str, directory: &Directory) -> anyhow::Result<Plan> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .with_context(|| format!("Không mở được bảng tính kế hoạch {name}"))?;
    let sheets = wb.sheet_names().to_vec();
    let tasks_sheet = sheets
        .iter()
        .find(|s| fold(s) == fold(TASKS_SHEET))
        .or_else(|| sheets.first())
        .cloned()
        .with_context(|| format!("Bảng tính {name} không có trang nào"))?;
    let range = wb
        .worksheet_range(&tasks_sheet)
        .with_context(|| format!("Không đọc được trang «{tasks_sheet}» của {name}"))?;
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    let start_row = range.start().map_or(0, |(r, _)| r as usize);
    let header_at = rows
        .iter()
        .position(|r| r.iter().any(|c| fold(c) == fold("Nội dung nhiệm vụ")))
        .with_context(|| {
            format!("Trang «{tasks_sheet}» của {name} không có dòng tiêu đề với cột «Nội dung nhiệm vụ». Hãy dùng bảng tính do «cchc plan export --format xlsx» tạo ra.")
        })?;
    let col = |h: &str| rows[header_at].iter().position(|c| fold(c) == fold(h));
    let cols: Vec<Option<usize>> = HEADERS.iter().map(|h| col(h)).collect();
    let get = |r: &[String], i: usize| -> String {
        cols[i].and_then(|c| r.get(c)).cloned().unwrap_or_default()
    };
    let mut out = Vec::new();
    for (k, r) in rows.iter().enumerate().skip(header_at + 1) {
        if r.iter().all(|c| c.is_empty()) {
            continue;
        }
        let (area_number, area_title) = split_area(&get(r, 1));
        out.push(WorkbookRow {
            row: start_row + k + 1,
            sheet: tasks_sheet.clone(),
            id: get(r, 0),
            area_number,
            area_title,
            label: get(r, 2),
            content: get(r, 3),
            lead: get(r, 4),
            cooperating: get(r, 5),
            products: get(r, 7),
            deadline: get(r, 8),
        });
    }
    let meta = read_meta(&mut wb, &sheets, &out);
    Ok(parse::from_workbook(meta, out, directory))
}

/// "1. Cải cách thể chế" → ("1", "Cải cách thể chế").
fn split_area(s: &str) -> (String, String) {
    match s.split_once(". ") {
        Some((n, t)) if !n.is_empty() && n.len() <= 6 && !n.contains(' ') => {
            (n.to_string(), t.trim().to_string())
        }
        _ => (String::new(), s.trim().to_string()),
    }
}

fn read_meta<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    sheets: &[String],
    rows: &[WorkbookRow],
) -> (PlanMeta, bool) {
    let mut meta = PlanMeta::default();
    let mut year = None;
    if let Some(s) = sheets.iter().find(|s| fold(s) == fold(META_SHEET)) {
        if let Ok(range) = wb.worksheet_range(s) {
            for r in range.rows() {
                let (k, v) = (
                    r.first().map(cell_text).unwrap_or_default(),
                    r.get(1).map(cell_text).unwrap_or_default(),
                );
                let v = (!v.is_empty()).then_some(v);
                match META_LABELS.iter().position(|l| fold(l) == fold(&k)) {
                    Some(0) => meta.decision_number = v,
                    Some(1) => {
                        meta.decision_date =
                            v.and_then(|v| chrono::NaiveDate::parse_from_str(&v, "%d/%m/%Y").ok())
                    }
                    Some(2) => meta.issuer = v,
                    Some(3) => year = v.and_then(|v| v.parse().ok()),
                    Some(4) => meta.title = v.unwrap_or_default(),
                    _ => {}
                }
            }
        }
    }
    // Without the metadata sheet, the year most deadlines name.
    let year = year.or_else(|| {
        let mut counts = std::collections::HashMap::new();
        for r in rows {
            if let Some(y) = super::meta::year_of(&r.deadline) {
                *counts.entry(y).or_insert(0) += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|&(y, n)| (n, y))
            .map(|(y, _)| y)
    });
    meta.year = year.unwrap_or(2024);
    (meta, year.is_some())
}
