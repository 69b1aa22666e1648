//! A finding: one problem in one returned file, as data. It carries the rule
//! code (from `form::rules::RULES`), the severity the rule table gives, the
//! place the user sees (sheet name and absolute A1 cell) and a Vietnamese
//! message saying what is wrong and how to fix it. Renderers format findings;
//! nothing here prints.

use crate::form::rules::{self, Severity};
use serde::Serialize;

/// One problem found in a returned workbook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Sheet name as it appears in the file; `None` for file-level findings.
    pub sheet: Option<String>,
    /// A1 address, absolute (as the user sees it); `None` when no single cell.
    pub cell: Option<String>,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

impl Finding {
    /// A finding for rule `code` (which must be in the rule table).
    pub fn new(code: &'static str, message: impl Into<String>) -> Finding {
        let rule = rules::rule(code).unwrap_or_else(|| panic!("rule {code} is in RULES"));
        Finding {
            sheet: None,
            cell: None,
            code: rule.code,
            severity: rule.severity,
            message: message.into(),
        }
    }

    /// Places the finding on a sheet.
    pub fn on(mut self, sheet: &str) -> Finding {
        self.sheet = Some(sheet.to_string());
        self
    }

    /// Places the finding on a cell (zero-based absolute row and column).
    pub fn at(mut self, sheet: &str, row: u32, col: u32) -> Finding {
        self.sheet = Some(sheet.to_string());
        self.cell = Some(a1(row, col));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `Nhiệm vụ!G12`, `Nhiệm vụ` or empty.
    pub fn place(&self) -> String {
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => format!("{s}!{c}"),
            (Some(s), None) => s.clone(),
            _ => String::new(),
        }
    }
}

/// Column letters for a zero-based column index: 0 → `A`, 26 → `AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// A1 address of a zero-based cell: (11, 6) → `G12`.
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// Excel's last row and column (1-based).
pub const MAX_ROW: u32 = 1_048_576;
pub const MAX_COL: u32 = 16_384;

/// Parses an A1 address back to zero-based (row, col); `$` signs ignored.
pub fn parse_a1(s: &str) -> Option<(u32, u32)> {
    cell_ref(s.replace('$', "").as_bytes())
}

/// A cell reference as a cell's `r` attribute holds it (`B7` → (6, 1),
/// zero-based): one to three letters, then the row number; `None` when
/// malformed or outside Excel's sheet (never wrapped around).
pub fn cell_ref(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &r[letters..];
    if !(1..=3).contains(&letters)
        || !(1..=10).contains(&digits.len())
        || !digits.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let col = r[..letters].iter().fold(0u32, |acc, b| {
        acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    // At most ten digits: no overflow in a u64.
    let row = digits
        .iter()
        .fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    (col <= MAX_COL && (1..=u64::from(MAX_ROW)).contains(&row)).then(|| (row as u32 - 1, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses_round_trip() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 6), "G12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
        for (r, c) in [(0, 0), (99, 27), (5, 702)] {
            assert_eq!(parse_a1(&a1(r, c)), Some((r, c)));
        }
        assert_eq!(parse_a1("$B$3"), Some((2, 1)));
        assert_eq!(parse_a1("3B"), None);
        // Outside the sheet or too long: refused, never wrapped.
        assert_eq!(parse_a1("XFD1048576"), Some((1_048_575, 16_383)));
        for bad in [
            "XFE1",
            "A1048577",
            "A0",
            "AAAAAAAAAAAAAAA1",
            "A99999999999",
            "A-1",
            "A",
        ] {
            assert_eq!(parse_a1(bad), None, "{bad}");
        }
    }

    #[test]
    fn severity_comes_from_the_rule_table() {
        let f = Finding::new("C004", "x").at("Nhiệm vụ", 11, 6);
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.place(), "Nhiệm vụ!G12");
        assert!(Finding::new("C001", "x").is_error());
    }
}
