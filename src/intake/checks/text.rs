//! Text hygiene (T001, T002): every text cell is checked for a legacy
//! encoding (TCVN3, VNI) and for decomposed Unicode (NFD). The checks that
//! follow read the cleaned copy of the workbook, so a status typed in TCVN3
//! (`§· hoµn thµnh`) is still understood — with a warning showing the text
//! as converted.

use crate::intake::finding::Finding;
use crate::intake::legacy;
use crate::intake::read::Book;
use crate::intake::values::Value;
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

/// Returns the workbook with text converted to NFC Unicode, and the findings.
pub fn clean(book: &Book) -> (Book, Vec<Finding>) {
    let mut out = book.clone();
    let mut findings = Vec::new();
    for sheet in &mut out.sheets {
        let name = sheet.name.clone();
        for cell in &mut sheet.cells {
            let Value::Text(s) = &cell.value else {
                continue;
            };
            if let Some((enc, converted)) = legacy::detect(s) {
                findings.push(
                    Finding::new(
                        "T001",
                        format!(
                            "Ô này gõ bằng bảng mã cũ {}: «{}». Chương trình đã đọc thành «{}». Hãy gõ lại bằng Unicode (Unikey/EVKey chọn bảng mã Unicode, phông Times New Roman).",
                            enc.label(),
                            excerpt(s),
                            excerpt(&converted)
                        ),
                    )
                    .at(&name, cell.row, cell.col),
                );
                cell.value = Value::Text(converted);
            } else if !is_nfc(s) {
                let nfc: String = s.nfc().collect();
                findings.push(
                    Finding::new(
                        "T002",
                        format!(
                            "Ô này gõ Unicode dạng tổ hợp (dấu tách rời chữ, thường do máy Mac): «{}». Chương trình đã chuẩn hóa về dạng dựng sẵn; không cần sửa, nhưng nên gõ bằng bảng mã Unicode dựng sẵn.",
                            excerpt(&nfc)
                        ),
                    )
                    .at(&name, cell.row, cell.col),
                );
                cell.value = Value::Text(nfc);
            }
        }
    }
    (out, findings)
}
