//! The indicator sheet (I001–I007, and V004 for numbers typed as text):
//! every catalogue indicator of the agency's level must have a value of the
//! right kind, the catalogue's relations between figures must hold (parts sum
//! to their total, a part never exceeds its whole or the unit's number of
//! communes), and a declared rate must match the rate computed from its
//! numerator and denominator. Each break names both cells and both values.

use super::text::excerpt;
use crate::agencies::Level;
use crate::form::indicators::{Catalogue, Check, Compare, Indicator, Kind, Side};
use crate::form::FigureColumn;
use crate::intake::finding::{a1, Finding};
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
/// `communes` is the number of communes the directory lists under the unit
/// (for relations bounded by it).
pub fn check(
    t: &Table,
    catalogue: &Catalogue,
    level: Level,
    communes: usize,
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
    let place = Place {
        catalogue,
        cells: &cells,
        sheet,
    };
    f.extend(relations(&place, level, &values, communes));
    f.extend(rates(&wanted, &values, &cells, sheet));
    (values, f)
}

fn read_value(
    ind: &Indicator,
    v: Option<&values::Value>,
    push: &mut dyn FnMut(Finding),
) -> Option<f64> {
    let name = super::text::Excerpt(&ind.name);
    let Some(v) = v else {
        push(Finding::new(
            "I003",
            format!("Chưa nhập số liệu «{name}». Nếu không phát sinh thì ghi 0."),
        ));
        return None;
    };
    let read = match ind.kind {
        Kind::Percent => values::percent(v).map(|p| match p {
            values::Percent::Number(x) => Num::Number(x),
            values::Percent::FromText(x) => Num::FromText(x),
        }),
        _ => values::number(v),
    };
    let Some(n) = read else {
        push(Finding::new("I001", format!("Số liệu «{name}» là «{}», không phải là số. Hãy chỉ nhập số (không phát sinh thì ghi 0).", v.text())));
        return None;
    };
    let x = n.value();
    let bad = match ind.kind {
        Kind::Count if values::looks_like_thousands_slip(x) => {
            let meant = (x * 1000.0).round();
            Some(format!(
                "số đếm phải là số nguyên; nhiều khả năng dấu chấm phân cách hàng nghìn đã bị hiểu là dấu thập phân (máy tính đặt ngôn ngữ tiếng Anh hiểu «{x}» là {} chứ không phải {}). Nếu là {} {} thì hãy nhập {meant} (không gõ dấu chấm)",
                format_number(x), format_number(meant), format_number(meant), ind.unit))
        }
        Kind::Count => {
            (x < 0.0 || x.fract() != 0.0).then(|| "số đếm phải là số nguyên không âm".to_string())
        }
        Kind::Percent => {
            (!(0.0..=100.0).contains(&x)).then(|| "tỷ lệ phải từ 0 đến 100".to_string())
        }
        Kind::Decimal => (x < 0.0).then(|| "số liệu không được âm".to_string()),
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

/// Where the figures are, for messages that name cells.
struct Place<'a> {
    catalogue: &'a Catalogue,
    cells: &'a BTreeMap<String, (u32, u32)>,
    sheet: &'a str,
}

impl Place<'_> {
    /// `«Số văn bản …» (D12) = 5`; sums list every term.
    fn describe(&self, codes: &[String], values: &BTreeMap<String, f64>) -> String {
        let terms: Vec<String> = codes
            .iter()
            .map(|c| {
                let name = self
                    .catalogue
                    .get(c)
                    .map(|i| excerpt(&i.name))
                    .unwrap_or_else(|| c.clone());
                let cell = self
                    .cells
                    .get(c)
                    .map(|(r, col)| format!(" ({})", a1(*r, *col)))
                    .unwrap_or_default();
                format!("«{name}»{cell} = {}", format_number(values[c]))
            })
            .collect();
        terms.join(" + ")
    }

    fn at(&self, fi: Finding, code: Option<&String>) -> Finding {
        match code.and_then(|c| self.cells.get(c)) {
            Some((row, col)) => fi.at(self.sheet, *row, *col),
            None => fi.on(self.sheet),
        }
    }
}

/// I004 (parts sum to a total) and I007 (a part exceeds its whole).
fn relations(
    place: &Place,
    level: Level,
    values: &BTreeMap<String, f64>,
    communes: usize,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for check in place.catalogue.checks_for(level) {
        let Some(l) = sum(check.left, values) else {
            continue;
        };
        let (r, right_text) = match check.right {
            Side::Codes(codes) => match sum(codes, values) {
                Some(r) => (r, place.describe(codes, values)),
                None => continue,
            },
            Side::Communes => (
                communes as f64,
                format!(
                    "số xã, phường, thị trấn trực thuộc đơn vị theo danh mục cơ quan = {communes}"
                ),
            ),
        };
        if check.holds(l, r) {
            continue;
        }
        // An identity points at its total, a part-of relation at the part.
        let cell = match (check.compare, check.right) {
            (Compare::Equal, Side::Codes(right)) => right.first(),
            _ => check.left.first(),
        };
        let left_text = place.describe(check.left, values);
        out.push(place.at(broken(&check, l, r, &left_text, &right_text), cell));
    }
    out
}

fn broken(check: &Check, l: f64, r: f64, left: &str, right: &str) -> Finding {
    let sums = |n: usize, v: f64| {
        if n > 1 {
            format!(" (tổng {})", format_number(v))
        } else {
            String::new()
        }
    };
    let n_right = match check.right {
        Side::Codes(c) => c.len(),
        Side::Communes => 1,
    };
    let message = match check.compare {
        Compare::Equal => format!(
            "Các số liệu không khớp: {} — {left}{} nhưng {right}{}. Hãy kiểm tra và sửa các số liệu này.",
            check.description, sums(check.left.len(), l), sums(n_right, r)),
        Compare::AtMost => format!(
            "Phần lớn hơn toàn bộ: {left}{} lớn hơn {right}{}. {} — hãy kiểm tra và sửa các số liệu này.",
            sums(check.left.len(), l), sums(n_right, r), check.description),
    };
    Finding::new(check.rule(), message)
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
