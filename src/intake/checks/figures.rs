//! The indicator sheet (I001–I006, and V004 for numbers typed as text):
//! every catalogue indicator of the agency's level must have a value of the
//! right kind, the identities between figures must hold, and a declared rate
//! must match the rate computed from its numerator and denominator.

use super::text::excerpt;
use crate::agencies::Level;
use crate::form::indicators::{Catalogue, Indicator, Kind};
use crate::form::FigureColumn;
use crate::intake::finding::Finding;
use crate::intake::locate::Table;
use crate::intake::values::{self, format_number, Num};
use std::collections::BTreeMap;

/// The headers searched for on the figure sheet, in `FigureColumn::ALL` order.
pub fn headers() -> Vec<&'static str> {
    FigureColumn::ALL.iter().map(|c| c.header()).collect()
}

/// Code and value columns must be present.
pub const REQUIRED: [usize; 2] = [0, 3];

/// Tolerance for I005, in percentage points.
pub const RATE_TOLERANCE: f64 = 0.5;

/// Reads and checks the figure sheet; returns code → value and findings.
pub fn check(
    t: &Table,
    catalogue: &Catalogue,
    level: Level,
) -> (BTreeMap<String, f64>, Vec<Finding>) {
    let mut values = BTreeMap::new();
    let mut cells: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut f = Vec::new();
    let sheet = &t.sheet.name;
    let (Some(code_col), Some(value_col)) = (
        t.col(FigureColumn::Code.index() as usize),
        t.col(FigureColumn::Value.index() as usize),
    ) else {
        return (values, f);
    };
    let wanted = catalogue.for_level(level);
    for r in t.data_rows() {
        let code = t.sheet.text(r, code_col);
        if code.is_empty() {
            continue;
        }
        let Some(ind) = wanted.iter().find(|i| i.code.eq_ignore_ascii_case(&code)) else {
            f.push(Finding::new("I006", format!("Mã chỉ số «{code}» không có trong danh mục chỉ số của cấp đơn vị; dòng này không được tổng hợp. Không thêm dòng chỉ số mới.")).at(sheet, r, code_col));
            continue;
        };
        cells.insert(ind.code.clone(), (r, value_col));
        if let Some(v) = read_value(ind, t.sheet.get(r, value_col), &mut |e: Finding| {
            f.push(e.at(sheet, r, value_col))
        }) {
            values.insert(ind.code.clone(), v);
        }
    }
    for ind in &wanted {
        if !cells.contains_key(&ind.code) {
            f.push(Finding::new("I003", format!("Thiếu dòng chỉ số {} («{}»). Hãy chép lại dòng này từ biểu mẫu gốc và nhập số liệu (không phát sinh thì ghi 0).", ind.code, excerpt(&ind.name))).on(sheet));
        }
    }
    f.extend(identities(catalogue, level, &values, &cells, sheet));
    f.extend(rates(&wanted, &values, &cells, sheet));
    (values, f)
}

fn read_value(
    ind: &Indicator,
    v: Option<&values::Value>,
    push: &mut dyn FnMut(Finding),
) -> Option<f64> {
    let name = excerpt(&ind.name);
    let Some(v) = v else {
        push(Finding::new(
            "I003",
            format!("Chưa nhập số liệu «{name}». Nếu không phát sinh thì ghi 0."),
        ));
        return None;
    };
    let Some(n) = values::number(v) else {
        push(Finding::new("I001", format!("Số liệu «{name}» là «{}», không phải là số. Hãy chỉ nhập số (không phát sinh thì ghi 0).", v.text())));
        return None;
    };
    let x = n.value();
    let bad = match ind.kind {
        Kind::Count => (x < 0.0 || x.fract() != 0.0).then_some("số đếm phải là số nguyên không âm"),
        Kind::Percent => (!(0.0..=100.0).contains(&x)).then_some("tỷ lệ phải từ 0 đến 100"),
        Kind::Decimal => (x < 0.0).then_some("số liệu không được âm"),
    };
    if let Some(why) = bad {
        push(Finding::new(
            "I002",
            format!(
                "Số liệu «{name}» là {}: {why}. Hãy sửa lại.",
                format_number(x)
            ),
        ));
        return None;
    }
    if let Num::FromText(_) = n {
        push(Finding::new("V004", format!("Số liệu «{name}» được nhập dạng chữ «{}»; chương trình đã hiểu là {} {}. Nếu đúng thì không cần sửa; lần sau hãy nhập số (dấu phẩy là dấu thập phân).", v.text(), format_number(x), ind.unit)));
    }
    Some(x)
}

fn sum(codes: &[String], values: &BTreeMap<String, f64>) -> Option<f64> {
    codes.iter().map(|c| values.get(c).copied()).sum()
}

fn identities(
    catalogue: &Catalogue,
    level: Level,
    values: &BTreeMap<String, f64>,
    cells: &BTreeMap<String, (u32, u32)>,
    sheet: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for id in catalogue.identities_for(level) {
        let (Some(l), Some(r)) = (sum(&id.left, values), sum(&id.right, values)) else {
            continue;
        };
        if (l - r).abs() > 1e-9 {
            let fi = Finding::new("I004", format!(
                "Các số liệu không khớp: {} — vế trái ({}) = {}, vế phải ({}) = {}. Hãy kiểm tra và sửa các số liệu này.",
                id.description, id.left.join(" + "), format_number(l), id.right.join(" + "), format_number(r)));
            out.push(match id.right.first().and_then(|c| cells.get(c)) {
                Some((row, col)) => fi.at(sheet, *row, *col),
                None => fi.on(sheet),
            });
        }
    }
    out
}

fn rates(
    wanted: &[&Indicator],
    values: &BTreeMap<String, f64>,
    cells: &BTreeMap<String, (u32, u32)>,
    sheet: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for ind in wanted.iter().filter(|i| !i.numerator.is_empty()) {
        let (Some(declared), Some(num), Some(den)) = (
            values.get(&ind.code),
            sum(&ind.numerator, values),
            sum(&ind.denominator, values),
        ) else {
            continue;
        };
        if den <= 0.0 {
            continue;
        }
        let computed = num / den * 100.0;
        if (declared - computed).abs() > RATE_TOLERANCE {
            let (row, col) = cells[&ind.code];
            out.push(Finding::new("I005", format!(
                "Tỷ lệ «{}» ghi {}% nhưng tính từ số liệu là {}% ({} / {}). Hãy kiểm tra tỷ lệ hoặc các số liệu thành phần.",
                excerpt(&ind.name), format_number(*declared), format_number((computed * 10.0).round() / 10.0), format_number(num), format_number(den))).at(sheet, row, col));
        }
    }
    out
}
