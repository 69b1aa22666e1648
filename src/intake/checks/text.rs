//! Text hygiene (T001, T002): every text cell is checked for a legacy
//! encoding (TCVN3, VNI) and for decomposed Unicode (NFD). The checks that
//! follow read the cleaned copy of the workbook, so a status typed in TCVN3
//! (`§· hoµn thµnh`) is still understood — with a warning showing the text
//! as converted.

use crate::intake::finding::Finding;
use crate::intake::legacy;
use crate::intake::read::Book;
use crate::intake::values::Value;
use std::borrow::Cow;
use unicode_normalization::{is_nfc, UnicodeNormalization};

/// Shortens a text for a message.
pub fn excerpt(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= 70 {
        s
    } else {
        s.chars().take(67).collect::<String>() + "…"
    }
}

/// What a text cell becomes: converted from a legacy encoding, or
/// normalised to NFC; `None` when it is clean (most cells).
fn repair(s: &str) -> Option<(&'static str, String)> {
    if s.is_ascii() {
        return None;
    }
    if let Some((enc, converted)) = legacy::detect(s) {
        return Some((enc.label(), converted));
    }
    if !crate::text::is_nfc_fast(s) && !is_nfc(s) {
        return Some(("", s.nfc().collect()));
    }
    None
}

/// Returns the workbook with text converted to NFC Unicode, and the
/// findings. The workbook is copied only when a cell had to change.
pub fn clean(book: &Book) -> (Cow<'_, Book>, Vec<Finding>) {
    let mut out: Cow<Book> = Cow::Borrowed(book);
    let mut findings = Vec::new();
    for (si, sheet) in book.sheets.iter().enumerate() {
        for (ci, cell) in sheet.cells.iter().enumerate() {
            let Value::Text(s) = &cell.value else {
                continue;
            };
            let Some((enc, converted)) = repair(s) else {
                continue;
            };
            let finding = if enc.is_empty() {
                Finding::new(
                    "T002",
                    format!(
                        "Ô này gõ Unicode dạng tổ hợp (dấu tách rời chữ, thường do máy Mac): «{}». Chương trình đã chuẩn hóa về dạng dựng sẵn; không cần sửa, nhưng nên gõ bằng bảng mã Unicode dựng sẵn.",
                        excerpt(&converted)
                    ),
                )
            } else {
                Finding::new(
                    "T001",
                    format!(
                        "Ô này gõ bằng bảng mã cũ {}: «{}». Chương trình đã đọc thành «{}». Hãy gõ lại bằng Unicode (Unikey/EVKey chọn bảng mã Unicode, phông Times New Roman).",
                        enc,
                        excerpt(s),
                        excerpt(&converted)
                    ),
                )
            };
            findings.push(finding.at(&sheet.name, cell.row, cell.col));
            out.to_mut().sheets[si].cells[ci].value = Value::Text(converted);
        }
    }
    (out, findings)
}
