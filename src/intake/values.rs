//! Normalisers for what agencies type into cells: numbers written the
//! Vietnamese way, percentages in every form Excel and people produce, and
//! dates as serials, ISO text or d/m/yyyy text. Pure functions; the checks
//! turn their outcomes into findings.
//!
//! Number text: `.` groups thousands and `,` is the decimal mark
//! (`16.051` = 16051, `98,6` = 98.6, `1.234,5` = 1234.5). A single `.`
//! followed by other than exactly three digits is read as a decimal point
//! (`98.6` = 98.6), since nobody groups thousands that way.
//!
//! Percent rule (documented for users in rule V003): a number cell holding a
//! value in (0, 1] is a fraction — Excel stores `80%` typed into a cell as 0.8
//! — and is multiplied by 100. A task's progress of 1 % or less is not
//! plausible, so the rule cannot misread a real answer. Text with a `%` sign
//! is taken literally (`0,5%` = 0.5).

use chrono::{Duration, NaiveDate};

/// A cell value as read, independent of the file format.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
    /// An Excel date serial (1900 system).
    Date(f64),
    /// A date as ISO text (ODS).
    DateIso(String),
    /// An error value such as `#N/A`.
    Error(String),
}

impl Value {
    /// The value as the user sees it, roughly.
    pub fn display(&self) -> String {
        match self {
            Value::Text(s) | Value::DateIso(s) | Value::Error(s) => s.clone(),
            Value::Number(n) => format_number(*n),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Date(d) => serial_to_date(*d)
                .map(crate::period::dmy)
                .unwrap_or_else(|| format_number(*d)),
        }
    }

    /// Text content, trimmed; numbers rendered.
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) | Value::DateIso(s) | Value::Error(s) => s.trim().to_string(),
            _ => self.display().trim().to_string(),
        }
    }
}

/// A number read from a cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// A real number cell.
    Number(f64),
    /// Text that reads as a number (Vietnamese style): warn with the value.
    FromText(f64),
}

impl Num {
    pub fn value(self) -> f64 {
        match self {
            Num::Number(v) | Num::FromText(v) => v,
        }
    }
}

/// Formats a number the Vietnamese way: `16.051`, `98,6`.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let digits = format!("{}", v.abs() as i64);
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push('.');
            }
            out.push(c);
        }
        return if v < 0.0 { format!("-{out}") } else { out };
    }
    let s = format!("{:.4}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

/// Reads Vietnamese-style number text; `None` when it is not a number.
pub fn parse_number_text(s: &str) -> Option<f64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let (neg, t) = match t.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest.to_string()),
        None => (false, t.trim_start_matches('+').to_string()),
    };
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    if !t.starts_with(|c: char| c.is_ascii_digit()) || !t.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let canonical = canonical_number(&t)?;
    let v: f64 = canonical.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// Turns `1.234,5` / `16.051` / `98,6` / `98.6` into Rust float syntax.
fn canonical_number(t: &str) -> Option<String> {
    let dots = t.matches('.').count();
    let commas = t.matches(',').count();
    match (dots, commas) {
        (0, 0) => Some(t.to_string()),
        (0, 1) => Some(t.replace(',', ".")),
        (_, 0) if grouped(t, '.') => Some(t.replace('.', "")),
        (1, 0) => Some(t.to_string()),
        (_, 1) if grouped(t.split(',').next()?, '.') => Some(t.replace('.', "").replace(',', ".")),
        _ => None,
    }
}

/// True when `.`-separated groups after the first have exactly 3 digits.
fn grouped(t: &str, sep: char) -> bool {
    let mut parts = t.split(sep);
    let first = parts.next().unwrap_or("");
    !first.is_empty()
        && first.len() <= 3
        && parts.clone().count() > 0
        && parts.all(|p| p.len() == 3)
}

/// Reads a number cell or number text.
pub fn number(v: &Value) -> Option<Num> {
    match v {
        Value::Number(n) => Some(Num::Number(*n)),
        Value::Text(s) => parse_number_text(s).map(Num::FromText),
        _ => None,
    }
}

/// Outcome of reading a percent cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Percent {
    /// A number cell, 0–100 after the fraction rule.
    Number(f64),
    /// Read from text (`80%`, `80,5`): warn V004 with the value.
    FromText(f64),
}

impl Percent {
    pub fn value(self) -> f64 {
        match self {
            Percent::Number(v) | Percent::FromText(v) => v,
        }
    }
}

/// Reads a percentage (not range-checked): `80`, `0.8`, `"80%"`, `"80,5"`.
pub fn percent(v: &Value) -> Option<Percent> {
    match v {
        Value::Number(n) => Some(Percent::Number(fraction_rule(*n))),
        Value::Text(s) => {
            let t = s.trim();
            match t.strip_suffix('%') {
                Some(body) => parse_number_text(body).map(Percent::FromText),
                None => parse_number_text(t).map(|n| Percent::FromText(fraction_rule(n))),
            }
        }
        _ => None,
    }
}

/// True for a non-integer count that is an integer once its decimal point is
/// read as a thousands separator (`1.317` from `1.317` typed under an English
/// locale, meant as 1317).
pub fn looks_like_thousands_slip(x: f64) -> bool {
    let k = x * 1000.0;
    x > 0.0
        && x < 1000.0
        && x.fract() != 0.0
        && (k - k.round()).abs() < 1e-6
        && (k.round() as i64) % 10 != 0
}

/// Values in (0, 1] are fractions (Excel percent format stores 80% as 0.8).
fn fraction_rule(n: f64) -> f64 {
    if n > 0.0 && n <= 1.0 {
        // 0.944 × 100 is 94.39999…: round away the binary noise.
        (n * 100.0 * 1e9).round() / 1e9
    } else {
        n
    }
}

/// Outcome of reading a date cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DateRead {
    Date(NaiveDate),
    /// Read from text (`5/3/2024`, `2024-03-05`).
    FromText(NaiveDate),
}

impl DateRead {
    pub fn date(self) -> NaiveDate {
        match self {
            DateRead::Date(d) | DateRead::FromText(d) => d,
        }
    }
}

/// Reads a date: Excel serial (date cell or plain number in a plausible
/// range), ISO text, or d/m/yyyy text.
pub fn date(v: &Value) -> Option<DateRead> {
    match v {
        Value::Date(s) => serial_to_date(*s).map(DateRead::Date),
        Value::Number(n) if (20_000.0..80_000.0).contains(n) => {
            serial_to_date(*n).map(DateRead::Date)
        }
        Value::DateIso(s) => iso_date(s).map(DateRead::Date),
        Value::Text(s) => text_date(s).map(DateRead::FromText),
        _ => None,
    }
}

/// Excel 1900-system serial to a date (serial 1 = 1900-01-01, with the
/// phantom 29/02/1900).
pub fn serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = serial.floor() as i64;
    Some(base + Duration::days(days))
}

fn iso_date(s: &str) -> Option<NaiveDate> {
    let head = s.trim().get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

/// `5/3/2024`, `05-03-2024`, `5.3.2024`, `2024-03-05`.
pub fn text_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    if let Some(d) = iso_date(t).filter(|_| t.len() == 10 || t.as_bytes().get(10) == Some(&b'T')) {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let d: u32 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let y: i32 = parts[2].parse().ok()?;
    if parts[2].len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn vietnamese_number_text() {
        assert_eq!(parse_number_text("16.051"), Some(16051.0));
        assert_eq!(parse_number_text("98,6"), Some(98.6));
        assert_eq!(parse_number_text("1.234.567,5"), Some(1234567.5));
        assert_eq!(parse_number_text("98.6"), Some(98.6));
        assert_eq!(parse_number_text(" 42 "), Some(42.0));
        assert_eq!(parse_number_text("-5"), Some(-5.0));
        assert_eq!(parse_number_text("1 234"), Some(1234.0));
        assert_eq!(parse_number_text("khoảng 80"), None);
        assert_eq!(parse_number_text("1,2,3"), None);
        assert_eq!(parse_number_text(""), None);
        assert_eq!(parse_number_text("12."), None);
    }

    #[test]
    fn percent_forms() {
        assert_eq!(percent(&Value::Number(80.0)), Some(Percent::Number(80.0)));
        assert_eq!(percent(&Value::Number(0.8)), Some(Percent::Number(80.0)));
        assert_eq!(percent(&Value::Number(1.0)), Some(Percent::Number(100.0)));
        assert_eq!(percent(&Value::Number(0.0)), Some(Percent::Number(0.0)));
        assert_eq!(
            percent(&Value::Text("80%".into())),
            Some(Percent::FromText(80.0))
        );
        assert_eq!(
            percent(&Value::Text("80,5".into())),
            Some(Percent::FromText(80.5))
        );
        assert_eq!(
            percent(&Value::Text("0,5%".into())),
            Some(Percent::FromText(0.5))
        );
        assert_eq!(percent(&Value::Text("khoảng 80".into())), None);
        assert_eq!(percent(&Value::Number(150.0)), Some(Percent::Number(150.0)));
    }

    #[test]
    fn dates_in_every_form() {
        assert_eq!(serial_to_date(45356.0), Some(ymd(2024, 3, 5)));
        assert_eq!(
            date(&Value::Date(45356.0)),
            Some(DateRead::Date(ymd(2024, 3, 5)))
        );
        assert_eq!(
            date(&Value::Number(45356.0)),
            Some(DateRead::Date(ymd(2024, 3, 5)))
        );
        assert_eq!(
            date(&Value::DateIso("2024-03-05T00:00:00".into())),
            Some(DateRead::Date(ymd(2024, 3, 5)))
        );
        assert_eq!(
            date(&Value::Text("5/3/2024".into())),
            Some(DateRead::FromText(ymd(2024, 3, 5)))
        );
        assert_eq!(
            date(&Value::Text("2024-03-05".into())),
            Some(DateRead::FromText(ymd(2024, 3, 5)))
        );
        assert_eq!(date(&Value::Text("31/02/2024".into())), None);
        assert_eq!(date(&Value::Text("tháng 3".into())), None);
        assert_eq!(date(&Value::Text("5/3/24".into())), None);
        assert_eq!(date(&Value::Number(12.0)), None);
    }

    #[test]
    fn numbers_display_the_vietnamese_way() {
        assert_eq!(format_number(16051.0), "16.051");
        assert_eq!(format_number(98.6), "98,6");
        assert_eq!(format_number(-1200.0), "-1.200");
    }
}
