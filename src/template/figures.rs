//! The figure sheet ("Số liệu"): the catalogue's indicators for the agency's
//! level, one per row (code, name, unit locked; value unlocked and validated by
//! kind), and the catalogue's relations between them (identities and part ≤
//! whole, from [`Catalogue::checks_for`], the list the intake checks) as live
//! check formulas in the "Kiểm tra" column. Each check formula also carries its cached result, so a
//! reader that does not recalculate still shows the right text.

use super::answers::{Answers, Cell};
use super::style::{self, Styles};
use super::tasks::write_cell;
use super::TemplateInput;
use crate::form::indicators::{Check, Compare, Indicator, Kind, Side};
use crate::form::{FigureColumn, SHEET_FIGURES};
use crate::period::dmy;
use rust_xlsxwriter::{
    utility::row_col_to_cell, DataValidation, DataValidationErrorStyle, DataValidationRule,
    Formula, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeMap;

/// Zero-based row of the header on the figure sheet (row 5 in Excel).
pub const FIGURE_HEADER_ROW: u32 = 4;

const LAST_COL: u16 = FigureColumn::ALL.len() as u16 - 1;

fn width(col: FigureColumn) -> f64 {
    match col {
        FigureColumn::Code => 34.0,
        FigureColumn::Name => 56.0,
        FigureColumn::Unit => 13.0,
        FigureColumn::Value => 14.0,
        FigureColumn::Check => 48.0,
    }
}

/// Adds the figure sheet.
pub fn add(
    wb: &mut Workbook,
    input: &TemplateInput,
    answers: &Answers,
    s: &Styles,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(SHEET_FIGURES)?;
    title_block(ws, input, s)?;
    for col in FigureColumn::ALL {
        ws.set_column_width(col.index(), width(col))?;
        ws.write_string_with_format(FIGURE_HEADER_ROW, col.index(), col.header(), &s.header)?;
    }
    ws.set_row_height(FIGURE_HEADER_ROW, 30)?;
    let level = input.agency.level;
    let indicators = input.catalogue.for_level(level);
    let rows: BTreeMap<&str, u32> = indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| (ind.code.as_str(), FIGURE_HEADER_ROW + 1 + i as u32))
        .collect();
    let relations = input.catalogue.checks_for(level);
    let communes = input.directory.communes_of(&input.agency.code).count();
    let checks = place_checks(&relations, &rows);
    for ind in &indicators {
        let row = rows[ind.code.as_str()];
        write_indicator(ws, row, ind, answers, s)?;
        let check = checks.iter().find(|(r, _)| *r == row).map(|(_, c)| c);
        let cached = check
            .map(|c| cached_check(c, answers, communes))
            .unwrap_or_default();
        if let Some(c) = check {
            write_check(ws, row, c, &rows, communes, &cached, s)?;
        }
        let fit = [
            (ind.name.as_str(), width(FigureColumn::Name)),
            (cached.as_str(), width(FigureColumn::Check)),
        ];
        style::fit_row(ws, row, &fit)?;
    }
    add_validations(ws, &indicators, &rows)?;
    ws.set_freeze_panes(FIGURE_HEADER_ROW + 1, 0)?;
    style::page_setup(
        ws,
        &input.agency.name,
        Some(FIGURE_HEADER_ROW),
        style::Fit::Width,
    );
    style::protect(ws, input.password);
    Ok(())
}

fn title_block(ws: &mut Worksheet, input: &TemplateInput, s: &Styles) -> Result<(), XlsxError> {
    let p = input.period;
    let title = format!("SỐ LIỆU CẢI CÁCH HÀNH CHÍNH {}", p.label().to_uppercase());
    style::merged(ws, 0, LAST_COL, &title, &s.title)?;
    let unit = format!("Đơn vị báo cáo: {}", input.agency.name);
    style::merged(ws, 1, LAST_COL, &unit, &s.subtitle)?;
    let note = format!(
        "Số liệu tính từ {} đến {}. Không phát sinh thì ghi 0. Cột «Kiểm tra» tự đối chiếu các số liệu có liên quan.",
        dmy(p.window_start),
        dmy(p.window_end)
    );
    style::merged(ws, 2, LAST_COL, &note, &s.note)?;
    ws.set_row_height(0, 24)?.set_row_height(1, 20)?;
    ws.set_row_height(2, 20)?.set_row_height(3, 8)?;
    Ok(())
}

fn write_indicator(
    ws: &mut Worksheet,
    row: u32,
    ind: &Indicator,
    answers: &Answers,
    s: &Styles,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, FigureColumn::Code.index(), &ind.code, &s.cell)?;
    ws.write_string_with_format(row, FigureColumn::Name.index(), &ind.name, &s.cell)?;
    ws.write_string_with_format(row, FigureColumn::Unit.index(), &ind.unit, &s.cell_center)?;
    let value = answers.figures.get(&ind.code);
    write_cell(
        ws,
        row,
        FigureColumn::Value.index(),
        value,
        &s.entry_number,
        s,
    )?;
    ws.write_blank(row, FigureColumn::Check.index(), &s.check)?;
    Ok(())
}

/// One validation per kind over all the value cells of that kind.
fn add_validations(
    ws: &mut Worksheet,
    indicators: &[&Indicator],
    rows: &BTreeMap<&str, u32>,
) -> Result<(), XlsxError> {
    let col = FigureColumn::Value.index();
    for kind in [Kind::Count, Kind::Percent, Kind::Decimal] {
        let cells: Vec<u32> = indicators
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| rows[i.code.as_str()])
            .collect();
        let Some(&first) = cells.first() else {
            continue;
        };
        let range: Vec<String> = cells.iter().map(|&r| row_col_to_cell(r, col)).collect();
        let dv = validation(kind)?.set_multi_range(range.join(" "));
        ws.add_data_validation(first, col, first, col, &dv)?;
    }
    Ok(())
}

fn validation(kind: Kind) -> Result<DataValidation, XlsxError> {
    let (dv, title, input, error) = match kind {
        Kind::Count => (
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
            "Số đếm",
            "Nhập số nguyên từ 0 trở lên (ví dụ 0, 12, 1500). Không phát sinh thì ghi 0.",
            "Số đếm phải là số nguyên từ 0 trở lên; không gõ chữ, số thập phân hay đơn vị tính.",
        ),
        Kind::Percent => (
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0)),
            "Tỷ lệ (%)",
            "Nhập tỷ lệ phần trăm là số từ 0 đến 100 (ví dụ 98,5), không gõ dấu %.",
            "Tỷ lệ phải là số từ 0 đến 100 (ví dụ 98,5); không gõ chữ hay dấu %.",
        ),
        Kind::Decimal => (
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            "Số liệu",
            "Nhập số từ 0 trở lên; dấu phẩy là dấu thập phân.",
            "Số liệu phải là số từ 0 trở lên; không gõ chữ hay đơn vị tính.",
        ),
    };
    Ok(dv
        .set_input_title(title)?
        .set_input_message(input)?
        .set_error_title("Số liệu không hợp lệ")?
        .set_error_message(error)?
        .set_error_style(DataValidationErrorStyle::Stop))
}

/// Puts each relation's check on the row of its first indicator (in sheet
/// order) whose check cell is still free.
fn place_checks<'a>(checks: &[Check<'a>], rows: &BTreeMap<&str, u32>) -> Vec<(u32, Check<'a>)> {
    let mut used = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for c in checks {
        let mut candidates: Vec<u32> = c
            .codes()
            .filter_map(|code| rows.get(code.as_str()).copied())
            .collect();
        candidates.sort_unstable();
        if let Some(&row) = candidates.iter().find(|r| !used.contains(*r)) {
            used.insert(row);
            out.push((row, *c));
        }
    }
    out
}

fn write_check(
    ws: &mut Worksheet,
    row: u32,
    check: &Check,
    rows: &BTreeMap<&str, u32>,
    communes: usize,
    cached: &str,
    s: &Styles,
) -> Result<(), XlsxError> {
    let col = FigureColumn::Value.index();
    let cells = |codes: &[String]| -> Vec<String> {
        codes
            .iter()
            .map(|c| row_col_to_cell(rows[c.as_str()], col))
            .collect()
    };
    let l = cells(check.left).join(",");
    let desc = check.description.replace('"', "\"\"");
    let formula = match (check.compare, check.right) {
        (Compare::Equal, Side::Codes(right)) => {
            let r = cells(right).join(",");
            let diff = format!("(SUM({l})-SUM({r}))");
            format!("=IF(COUNT({l},{r})=0,\"Chưa nhập\",IF(ABS{diff}<0.000001,\"Khớp\",\"Không khớp: lệch \"&ROUND(ABS{diff},2)))&\" — {desc}\"")
        }
        (_, right) => {
            let (count, r) = match right {
                Side::Codes(right) => {
                    let r = cells(right).join(",");
                    (format!("COUNT({l},{r})"), format!("SUM({r})"))
                }
                Side::Communes => (format!("COUNT({l})"), communes.to_string()),
            };
            format!("=IF({count}=0,\"Chưa nhập\",IF(SUM({l})<={r}+0.000001,\"Khớp\",\"Không khớp: vượt \"&ROUND(SUM({l})-{r},2)))&\" — {desc}\"")
        }
    };
    let f = Formula::new(formula).set_result(cached);
    ws.write_formula_with_format(row, FigureColumn::Check.index(), f, &s.check)?;
    Ok(())
}

/// What the check formula evaluates to for the prefilled values.
fn cached_check(check: &Check, answers: &Answers, communes: usize) -> String {
    let values = |codes: &[String]| -> Vec<Option<f64>> {
        codes
            .iter()
            .map(|c| figure_number(answers.figures.get(c)))
            .collect()
    };
    let left = values(check.left);
    match (check.compare, check.right) {
        (Compare::Equal, Side::Codes(right)) => {
            identity_check_text(&left, &values(right), check.description)
        }
        (_, Side::Codes(right)) => at_most_check_text(&left, &values(right), check.description),
        (_, Side::Communes) if left.iter().all(Option::is_none) => {
            at_most_check_text(&[], &[], check.description)
        }
        (_, Side::Communes) => {
            at_most_check_text(&left, &[Some(communes as f64)], check.description)
        }
    }
}

/// What an at-most check formula shows: `Chưa nhập — …` when no value is
/// entered, `Khớp — …` when the part does not exceed the whole, `Không khớp:
/// vượt N — …` otherwise.
pub fn at_most_check_text(
    part: &[Option<f64>],
    whole: &[Option<f64>],
    description: &str,
) -> String {
    let status = if part.iter().chain(whole).all(Option::is_none) {
        "Chưa nhập".to_string()
    } else {
        let sum = |v: &[Option<f64>]| v.iter().flatten().sum::<f64>();
        let over = sum(part) - sum(whole);
        if over <= 0.000001 {
            "Khớp".to_string()
        } else {
            format!(
                "Không khớp: vượt {}",
                general_number((over * 100.0).round() / 100.0)
            )
        }
    };
    format!("{status} — {description}")
}

/// The number a spreadsheet's SUM and COUNT see in a prefilled cell (text
/// is ignored, a date is its serial number).
fn figure_number(cell: Option<&Cell>) -> Option<f64> {
    match cell? {
        Cell::Number(n) => Some(*n),
        Cell::Text(_) => None,
        Cell::Date(d) => super::excel_time_date(*d).ok().map(|x| x.to_excel()),
    }
}

/// What the check formula shows for these values: `Chưa nhập — …` when no
/// value is entered, `Khớp — …` when the sums agree, `Không khớp: lệch N — …`
/// otherwise (N the absolute difference, rounded to 2 decimals).
pub fn identity_check_text(
    left: &[Option<f64>],
    right: &[Option<f64>],
    description: &str,
) -> String {
    let status = if left.iter().chain(right).all(Option::is_none) {
        "Chưa nhập".to_string()
    } else {
        let sum = |v: &[Option<f64>]| v.iter().flatten().sum::<f64>();
        let diff = (sum(left) - sum(right)).abs();
        if diff < 0.000001 {
            "Khớp".to_string()
        } else {
            format!(
                "Không khớp: lệch {}",
                general_number((diff * 100.0).round() / 100.0)
            )
        }
    };
    format!("{status} — {description}")
}

/// A number the way a spreadsheet shows it in General format (Vietnamese
/// decimal comma): `5`, `2,5`.
fn general_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}").replace('.', ",")
    }
}
