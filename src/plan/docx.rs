//! Plain text of a Word (.docx) plan: one line per paragraph, table rows as
//! one line with cells joined by TAB. Reads `word/document.xml` with zip and
//! quick-xml (docx-rs's reader hangs or panics on damaged input). Entry sizes
//! are checked before inflating.

use super::blocks::SourceLine;
use anyhow::{bail, Context};
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// Largest `word/document.xml` we inflate (a plan is well under 5 MB).
const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;

/// Extracts the text lines of a .docx given as bytes (table cells joined by TAB).
pub fn text_of(bytes: &[u8]) -> anyhow::Result<String> {
    let lines = source_lines(bytes)?;
    let mut out = String::new();
    for l in lines {
        out.push_str(&l.text);
        out.push('\n');
    }
    Ok(out)
}

/// The paragraphs (with bold/italic) and table rows (with cells) of a .docx.
pub fn source_lines(bytes: &[u8]) -> anyhow::Result<Vec<SourceLine>> {
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

/// A cell continuing a vertical merge: takes the text of the cell above.
const MERGED_ABOVE: &str = "\u{1}";

#[derive(Default)]
struct Para {
    text: String,
    /// Characters in bold / italic runs, and in all runs.
    bold: usize,
    italic: usize,
    total: usize,
}

/// Walks the document XML and emits paragraphs and table rows as lines.
fn lines_of(xml: &str) -> anyhow::Result<Vec<SourceLine>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<SourceLine> = Vec::new();
    let mut para = Para::default();
    let mut cells: Vec<String> = Vec::new();
    let mut above: Vec<String> = Vec::new();
    let mut cell_text = String::new();
    let mut span = 1usize;
    let mut merged = false;
    let mut table_depth = 0usize;
    let mut in_text = false;
    let (mut run_bold, mut run_italic, mut in_rpr) = (false, false, false);
    loop {
        match reader
            .read_event()
            .context("nội dung .docx bị hỏng (XML không hợp lệ)")?
        {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "tbl" => {
                    table_depth += 1;
                    if table_depth == 1 {
                        above.clear();
                    }
                }
                "tr" if table_depth == 1 => cells.clear(),
                "tc" if table_depth == 1 => {
                    cell_text.clear();
                    span = 1;
                    merged = false;
                }
                "r" => (run_bold, run_italic) = (false, false),
                "rPr" => in_rpr = true,
                "vMerge" if table_depth == 1 => merged = is_continue(&e),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => para.text.push('\t'),
                "br" | "cr" => para.text.push(' '),
                "b" if in_rpr => run_bold = on(&e),
                "i" if in_rpr => run_italic = on(&e),
                "gridSpan" if table_depth == 1 => span = attr_usize(&e).unwrap_or(1).clamp(1, 64),
                "vMerge" if table_depth == 1 => merged = is_continue(&e),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let raw = unescape(t.as_ref());
                para.add(&raw, run_bold, run_italic);
            }
            Event::GeneralRef(r) if in_text => {
                para.add(&entity(r.as_ref()), run_bold, run_italic);
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "rPr" => in_rpr = false,
                "p" => {
                    let p = std::mem::take(&mut para);
                    if table_depth > 0 {
                        let t = p.text.trim();
                        if !t.is_empty() {
                            if !cell_text.is_empty() {
                                cell_text.push(' ');
                            }
                            cell_text.push_str(t);
                        }
                    } else {
                        out.push(SourceLine {
                            line: out.len() + 1,
                            bold: p.total > 0 && p.bold * 2 > p.total,
                            italic: p.total > 0 && p.italic * 2 > p.total,
                            text: p.text,
                            cells: None,
                        });
                    }
                }
                "tc" if table_depth == 1 => {
                    let text = if merged && cell_text.is_empty() {
                        MERGED_ABOVE.to_string()
                    } else {
                        std::mem::take(&mut cell_text)
                    };
                    cells.push(text);
                    for _ in 1..span {
                        cells.push(String::new());
                    }
                }
                "tr" if table_depth == 1 => {
                    for (i, c) in cells.iter_mut().enumerate() {
                        if c == MERGED_ABOVE {
                            *c = above.get(i).cloned().unwrap_or_default();
                        }
                    }
                    above = cells.clone();
                    let mut row = std::mem::take(&mut cells);
                    while row.last().is_some_and(|c| c.is_empty()) && row.len() > 1 {
                        row.pop();
                    }
                    out.push(SourceLine {
                        line: out.len() + 1,
                        text: row.join("\t"),
                        cells: Some(row),
                        ..SourceLine::default()
                    });
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

impl Para {
    fn add(&mut self, s: &str, bold: bool, italic: bool) {
        let n = s.chars().filter(|c| !c.is_whitespace()).count();
        self.total += n;
        if bold {
            self.bold += n;
        }
        if italic {
            self.italic += n;
        }
        self.text.push_str(s);
    }
}

/// `<w:b/>` or `<w:b w:val="1"/>` is on; `w:val="0"`/`"false"` is off.
fn on(e: &quick_xml::events::BytesStart) -> bool {
    !e.attributes().flatten().any(|a| {
        a.key.local_name().as_ref() == "val" && matches!(a.value.as_ref(), "0" | "false" | "none")
    })
}

/// `<w:vMerge/>` or `w:val="continue"` continues the cell above.
fn is_continue(e: &quick_xml::events::BytesStart) -> bool {
    !e.attributes()
        .flatten()
        .any(|a| a.key.local_name().as_ref() == "val" && a.value.as_ref() == "restart")
}

fn attr_usize(e: &quick_xml::events::BytesStart) -> Option<usize> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "val")
        .and_then(|a| a.value.parse().ok())
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
