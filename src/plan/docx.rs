//! Plain text of a Word (.docx) plan: one line per paragraph, table rows as
//! one line with cells joined by TAB. Reads `word/document.xml` with zip and
//! quick-xml (docx-rs's reader hangs or panics on damaged input). Entry sizes
//! are checked before inflating.

use anyhow::{bail, Context};
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// Largest `word/document.xml` we inflate (a plan is well under 5 MB).
const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;

/// Extracts the text lines of a .docx given as bytes.
pub fn text_of(bytes: &[u8]) -> anyhow::Result<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .context("tệp không phải .docx hợp lệ (không mở được dạng nén zip)")?;
    let mut entry = zip
        .by_name("word/document.xml")
        .context("tệp .docx thiếu phần word/document.xml")?;
    if entry.size() > MAX_DOCUMENT_XML {
        bail!(
            "phần nội dung của tệp .docx quá lớn ({} byte)",
            entry.size()
        );
    }
    let mut xml = String::new();
    entry
        .by_ref()
        .take(MAX_DOCUMENT_XML + 1)
        .read_to_string(&mut xml)
        .context("không đọc được nội dung word/document.xml")?;
    lines_of(&xml)
}

/// Walks the document XML and emits paragraphs and table rows as lines.
fn lines_of(xml: &str) -> anyhow::Result<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut para = String::new();
    let mut cells: Vec<String> = Vec::new();
    let mut table_depth = 0usize;
    let mut in_text = false;
    loop {
        match reader
            .read_event()
            .context("nội dung .docx bị hỏng (XML không hợp lệ)")?
        {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "tbl" => table_depth += 1,
                "tr" if table_depth == 1 => cells.clear(),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => para.push('\t'),
                "br" | "cr" => para.push(' '),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let raw = t.as_ref().to_string();
                para.push_str(&unescape(&raw));
            }
            Event::GeneralRef(r) if in_text => {
                para.push_str(&entity(r.as_ref()));
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    let p = std::mem::take(&mut para);
                    if table_depth > 0 {
                        let cell = cells.last_mut();
                        match cell {
                            Some(c) if !c.is_empty() => {
                                c.push(' ');
                                c.push_str(p.trim());
                            }
                            Some(c) => c.push_str(p.trim()),
                            None => cells.push(p.trim().to_string()),
                        }
                    } else {
                        out.push_str(&p);
                        out.push('\n');
                    }
                }
                "tc" if table_depth == 1 => cells.push(String::new()),
                "tr" if table_depth == 1 => {
                    cells.pop_if(|c| c.is_empty());
                    out.push_str(&cells.join("\t"));
                    out.push('\n');
                    cells.clear();
                }
                "tbl" => table_depth = table_depth.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn entity(name: &str) -> String {
    match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from)
            .unwrap_or_default(),
        n if n.starts_with('#') => n[1..]
            .parse()
            .ok()
            .and_then(char::from_u32)
            .map(String::from)
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        match rest[i..].find(';') {
            Some(j) => {
                out.push_str(&entity(&rest[i + 1..i + j]));
                rest = &rest[i + j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Builds a minimal .docx holding `text` (one paragraph per line; lines with
/// TABs become table rows). Used by tests and the demo to exercise `.docx` input.
pub fn docx_from_text(text: &str) -> anyhow::Result<Vec<u8>> {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
    let mut doc = Docx::new();
    let mut rows: Vec<TableRow> = Vec::new();
    let flush = |doc: Docx, rows: &mut Vec<TableRow>| {
        if rows.is_empty() {
            doc
        } else {
            doc.add_table(Table::new(std::mem::take(rows)))
        }
    };
    for line in text.lines() {
        if line.contains('\t') && !line.trim().is_empty() && line.trim_start() == line {
            let cells = line
                .split('\t')
                .map(|c| {
                    TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(c)))
                })
                .collect();
            rows.push(TableRow::new(cells));
            continue;
        }
        doc = flush(doc, &mut rows);
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(line)));
    }
    doc = flush(doc, &mut rows);
    let mut buf = Cursor::new(Vec::new());
    doc.build().pack(&mut buf)?;
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_table_rows_come_back_as_lines() {
        let text = "KẾ HOẠCH\na) Nhiệm vụ & việc\nNhiệm vụ\tĐơn vị chủ trì\tThời hạn\n";
        let bytes = docx_from_text(text).unwrap();
        let back = text_of(&bytes).unwrap();
        let lines: Vec<&str> = back.lines().collect();
        assert_eq!(
            lines,
            [
                "KẾ HOẠCH",
                "a) Nhiệm vụ & việc",
                "Nhiệm vụ\tĐơn vị chủ trì\tThời hạn"
            ]
        );
    }

    #[test]
    fn non_docx_is_an_error_not_a_panic() {
        assert!(text_of(b"not a zip").is_err());
        let e = text_of(&[b'P', b'K', 3, 4, 0, 0]).unwrap_err();
        assert!(e.to_string().contains("docx"));
    }
}
