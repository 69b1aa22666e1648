//! The one sanitising layer between what submissions say and every writer.
//! Text typed by a unit (or a file name it chose) reaches the DOCX report,
//! the summary workbook, the feedback copies, the CSV files, the text files
//! and the terminal; each writer passes it through the function for its
//! kind of output here, so no text can make an output ill-formed or act on
//! the reader:
//! - [`xml_text`]: characters XML 1.0 forbids (C0 controls but tab and line
//!   breaks, U+FFFE, U+FFFF) become visible control pictures (U+0007 → ␇);
//! - [`cell_text`]: the same, and text longer than Excel's 32,767-character
//!   cell limit is cut with a visible mark saying so;
//! - [`csv_cell`]: a cell starting with `= + - @` (or tab, carriage return)
//!   is prefixed with `'` so a spreadsheet never runs it as a formula;
//! - [`terminal`]: control characters, escape sequences (ANSI colours,
//!   cursor moves) and bidirectional overrides are shown as placeholders.
//!
//! [`docx_bytes`] applies [`xml_text`] to every XML part of a finished DOCX
//! (or XLSX) package, whatever code wrote it.

use std::borrow::Cow;

/// Excel's limit on the characters of one cell.
pub const EXCEL_CELL_LIMIT: usize = 32_767;

fn picture(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1F => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

fn xml_illegal(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Text safe inside an XML document.
pub fn xml_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(xml_illegal) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if xml_illegal(c) { picture(c) } else { c })
            .collect(),
    )
}

/// Text safe in one spreadsheet cell: XML-legal and at most 32,767
/// characters (counted as Excel counts them, in UTF-16 units), cut with a
/// visible mark when longer.
pub fn cell_text(s: &str) -> Cow<'_, str> {
    let clean = xml_text(s);
    let units: usize = clean.chars().map(char::len_utf16).sum();
    if units <= EXCEL_CELL_LIMIT {
        return clean;
    }
    let mark = format!(
        " … [đã cắt bớt: nội dung dài {} ký tự, vượt giới hạn {} ký tự một ô của Excel; xem đầy đủ trong tệp JSON]",
        clean.chars().count(),
        EXCEL_CELL_LIMIT
    );
    let room = EXCEL_CELL_LIMIT - mark.chars().map(char::len_utf16).sum::<usize>();
    let mut out = String::new();
    let mut used = 0;
    for c in clean.chars() {
        if used + c.len_utf16() > room {
            break;
        }
        used += c.len_utf16();
        out.push(c);
    }
    out += &mark;
    Cow::Owned(out)
}

/// A CSV field a spreadsheet will not run as a formula, with control
/// characters shown.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let shown = terminal(s);
    if shown.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        return Cow::Owned(format!("'{shown}"));
    }
    shown
}

fn hidden_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Text safe on a terminal and in a plain text file: line breaks and tabs
/// kept, every other control character (ESC of an ANSI sequence included)
/// and bidirectional override shown as a visible placeholder.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c as u32 {
            _ if !hidden_control(c) => out.push(c),
            0..=0x1F | 0x7F => out.push(picture(c)),
            n => out += &format!("<U+{n:04X}>"),
        }
    }
    Cow::Owned(out)
}

/// A DOCX/XLSX package whose XML parts hold no character XML forbids. The
/// package is returned unchanged when it is clean (the usual case).
///
/// # Errors
/// The bytes are not a readable zip package.
pub fn docx_bytes(bytes: Vec<u8>) -> anyhow::Result<Vec<u8>> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes))?;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::with_capacity(zip.len());
    let mut dirty = false;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        let name = entry.name()?.to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            if let Ok(text) = std::str::from_utf8(&data) {
                if let Cow::Owned(fixed) = xml_text(text) {
                    data = fixed.into_bytes();
                    dirty = true;
                }
            }
        }
        parts.push((name, data));
    }
    if !dirty {
        return Ok(bytes);
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        out.start_file(name, opts)?;
        out.write_all(&data)?;
    }
    Ok(out.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_illegal_characters_become_visible_pictures() {
        assert_eq!(xml_text("a\u{1}b\u{7}c\td\ne"), "a␁b␇c\td\ne");
        assert!(matches!(xml_text("Sở Tư pháp"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_cells_are_cut_with_a_mark_within_excel_limit() {
        let long = "😀".repeat(20_000);
        let cut = cell_text(&long);
        let units: usize = cut.chars().map(char::len_utf16).sum();
        assert!(units <= EXCEL_CELL_LIMIT, "{units}");
        assert!(cut.contains("đã cắt bớt: nội dung dài 20000 ký tự"));
        assert_eq!(cell_text("ngắn"), "ngắn");
    }

    #[test]
    fn csv_formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-5"), "'-5");
        assert_eq!(csv_cell("Nhiệm vụ"), "Nhiệm vụ");
    }

    #[test]
    fn escape_sequences_are_shown_not_run() {
        assert_eq!(terminal("\u{1b}[31mđỏ\u{1b}[0m"), "␛[31mđỏ␛[0m");
        assert_eq!(terminal("a\u{202E}b"), "a<U+202E>b");
        assert_eq!(terminal("dòng 1\ndòng 2\tcột"), "dòng 1\ndòng 2\tcột");
    }
}
