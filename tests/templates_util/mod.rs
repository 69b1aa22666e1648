//! Helpers shared by the template tests: a fixture with the embedded plan,
//! directory and catalogue, building a template in memory and reading it
//! back with calamine by absolute cell position.
#![allow(dead_code)]

use calamine::{open_workbook_auto_from_rs, Data, Range, Reader, Sheets};
use cchc::agencies::Directory;
use cchc::form::indicators::Catalogue;
use cchc::form::token::Key;
use cchc::period::{Period, Schedule};
use cchc::plan::{self, Plan};
use cchc::template::{self, Answers, TemplateInput};
use chrono::NaiveDateTime;
use std::io::Cursor;

pub struct Fixture {
    pub directory: Directory,
    pub plan: Plan,
    pub catalogue: Catalogue,
    pub period: Period,
    pub key: Key,
}

pub fn fixture() -> Fixture {
    let directory = Directory::embedded();
    let plan = plan::seed(&directory);
    Fixture {
        plan,
        directory,
        catalogue: Catalogue::embedded(),
        period: Schedule::embedded().period("2024-Q1").unwrap(),
        key: Key::from_bytes(b"test key for templates, 32 bytes"),
    }
}

pub fn generated_at() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2024-03-01T08:00:00", "%Y-%m-%dT%H:%M:%S").unwrap()
}

impl Fixture {
    pub fn input<'a>(&'a self, code: &str) -> TemplateInput<'a> {
        TemplateInput {
            plan: &self.plan,
            directory: &self.directory,
            catalogue: &self.catalogue,
            period: &self.period,
            agency: self.directory.get(code).expect("agency in directory"),
            key: &self.key,
            generated_at: generated_at(),
            password: None,
        }
    }

    pub fn build(&self, code: &str, answers: Option<&Answers>) -> Vec<u8> {
        template::build(&self.input(code), answers).expect("template builds")
    }
}

pub type Book = Sheets<Cursor<Vec<u8>>>;

pub fn open(bytes: Vec<u8>) -> Book {
    open_workbook_auto_from_rs(Cursor::new(bytes)).expect("calamine opens the template")
}

pub fn open_path(path: &std::path::Path) -> Book {
    open(std::fs::read(path).unwrap())
}

pub fn sheet(book: &mut Book, name: &str) -> Range<Data> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

/// The text of a cell at an absolute (zero-based) position; numbers in
/// General form, empty for a missing cell.
pub fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{f:.0}"),
        Some(d) => d.to_string(),
    }
}

/// The absolute row whose cells contain all these texts, searched by content.
pub fn find_row(range: &Range<Data>, texts: &[&str]) -> Option<u32> {
    let (r0, c0) = range.start()?;
    let (r1, c1) = range.end()?;
    (r0..=r1).find(|&r| {
        texts
            .iter()
            .all(|t| (c0..=c1).any(|c| text(range, r, c) == *t))
    })
}

/// The absolute column holding `header` on row `row`.
pub fn find_col(range: &Range<Data>, row: u32, header: &str) -> u32 {
    let (_, c0) = range.start().unwrap();
    let (_, c1) = range.end().unwrap();
    (c0..=c1)
        .find(|&c| text(range, row, c) == header)
        .unwrap_or_else(|| panic!("header «{header}» not on row {row}"))
}

/// Column values below a header row until the first empty cell.
pub fn column_below(range: &Range<Data>, header_row: u32, col: u32) -> Vec<String> {
    let (r1, _) = range.end().unwrap();
    (header_row + 1..=r1)
        .map(|r| text(range, r, col))
        .take_while(|t| !t.is_empty())
        .collect()
}

/// The text of one part of an xlsx package.
pub fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut part = zip.by_name(name).unwrap_or_else(|_| panic!("part {name}"));
    let mut s = String::new();
    std::io::Read::read_to_string(&mut part, &mut s).unwrap();
    s
}

/// Sheet name → xml part path, from the workbook's relationships.
pub fn sheet_part(bytes: &[u8], sheet_name: &str) -> String {
    let wb = zip_part(bytes, "xl/workbook.xml");
    let rels = zip_part(bytes, "xl/_rels/workbook.xml.rels");
    let rid = attr_of_tag_with(&wb, "sheet", "name", &xml_escape(sheet_name), "r:id")
        .unwrap_or_else(|| panic!("sheet {sheet_name} in workbook.xml"));
    let target = attr_of_tag_with(&rels, "Relationship", "Id", &rid, "Target").unwrap();
    let target = target.trim_start_matches('/');
    if target.starts_with("xl/") {
        target.to_string()
    } else {
        format!("xl/{target}")
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;")
}

/// Reads the attributes of XML start tags with quick-xml: the value of `want`
/// on the first `<tag>` whose `key` attribute equals `value`.
pub fn attr_of_tag_with(
    xml: &str,
    tag: &str,
    key: &str,
    value: &str,
    want: &str,
) -> Option<String> {
    tags(xml, tag).into_iter().find_map(|attrs| {
        let has = attrs.iter().any(|(k, v)| k == key && v == value);
        has.then(|| {
            attrs
                .iter()
                .find(|(k, _)| k == want)
                .map(|(_, v)| v.clone())
        })
        .flatten()
    })
}

/// All start (or empty) tags named `tag` (local name), each as its attributes
/// (qualified key, unescaped value).
pub fn tags(xml: &str, tag: &str) -> Vec<Vec<(String, String)>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == tag => {
                let attrs = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        (
                            a.key.as_ref().to_string(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map(|v| v.into_owned())
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                out.push(attrs);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

pub fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Indices of the cell styles (`cellXfs/xf`) that unlock cells
/// (`locked="0"` as rust_xlsxwriter writes it, `locked="false"` as
/// LibreOffice does).
pub fn unlocked_style_ids(styles: &str) -> Vec<usize> {
    let start = styles.find("<cellXfs").unwrap();
    let end = styles[start..].find("</cellXfs>").unwrap() + start;
    styles[start..end]
        .split("<xf ")
        .skip(1)
        .enumerate()
        .filter(|(_, xf)| xf.contains("locked=\"0\"") || xf.contains("locked=\"false\""))
        .map(|(i, _)| i)
        .collect()
}
