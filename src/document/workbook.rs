//! The summary workbook (tong-hop-….xlsx): an overview with native Excel
//! charts (completion by area, returns by status), then one filterable table
//! per view: per area, per agency, per task, every task's unfinished units
//! (one row per task and unit), every agency's answers flat, indicator
//! totals, every figure reported, and the ledger (a filtered list streamed
//! row by row: it grows with the batch). Times New Roman, Vietnamese
//! headers, fixed creation date. A text too wide for its column wraps, and
//! its row gets the height it needs ([`text_height`]): the writer records
//! none by itself, and neither Excel nor LibreOffice grows a row on opening,
//! so wrapped lines would print over one another.
//!
//! Nothing is cut off in print: a unit list too long for the tasks sheet
//! shows its count and first names ([`unit_list`]), the whole list being on
//! the unfinished-units sheet; any other text taller than Excel's tallest
//! row shows its beginning and where the rest is, and is kept whole, one
//! paragraph a row, on the «Toàn văn» sheet ([`FullTexts`]), once however
//! many cells hold it. Every printed
//! sheet fits one A4 landscape page wide at 75–80 % (columns at most some 170
//! widths in all), so that its text prints at about 9 pt.

use super::prose::prose_name;
use crate::agencies::Directory;
use crate::compile::{Compilation, Outcome, UnitState};
use crate::text::sanitize::{cell_text, xml_text};
use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartType, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Table, TableColumn, TableStyle, Workbook, Worksheet, XlsxError,
};
use std::collections::HashMap;

const FONT: &str = "Times New Roman";

/// One line of 11 pt Times New Roman: Excel's row height for the font.
const LINE_PT: f64 = 15.0;
/// Excel's tallest row is 409 pt; the writer rounds heights to whole pixels
/// (0.75 pt), and 545 px = 408.75 pt is the tallest within it.
const MAX_ROW_PT: f64 = 408.75;
/// Excel measures column widths in digits of the workbook's default font
/// (Calibri 11): 7 px each. LibreOffice draws the same widths a little wider.
const PX_PER_WIDTH: f64 = 7.0;
/// Pixels per em of 11 pt type at 96 dpi.
const PX_PER_EM: f64 = 11.0 * 96.0 / 72.0;
/// Bold Times New Roman runs about 8 % wider than regular.
const BOLD_WIDER: f64 = 1.08;
/// Lines of text in Excel's tallest row.
const MAX_LINES: u32 = (MAX_ROW_PT / LINE_PT) as u32;
/// Lines a unit list takes at most on the tasks sheet; a longer one shows
/// its count and first names.
const LIST_LINES: u32 = 6;
/// Lines a text too tall for any row shows of its beginning (with where the
/// rest is): a quarter of a printed page, not all of it.
const SHOWN_LINES: u32 = 12;

/// Sheet names (also what tests look for).
pub const SHEET_OVERVIEW: &str = "Tổng quan";
pub const SHEET_AREAS: &str = "Theo lĩnh vực";
pub const SHEET_AGENCIES: &str = "Theo đơn vị";
pub const SHEET_TASKS: &str = "Theo nhiệm vụ";
pub const SHEET_BEHIND: &str = "Đơn vị chưa hoàn thành";
pub const SHEET_ANSWERS: &str = "Trả lời của đơn vị";
pub const SHEET_INDICATORS: &str = "Chỉ số toàn tỉnh";
pub const SHEET_FIGURES: &str = "Số liệu đơn vị";
pub const SHEET_LEDGER: &str = "Sổ tiếp nhận";
pub const SHEET_CHARTS: &str = "Biểu đồ";
/// Texts too tall for any row, whole (only when there are some).
pub const SHEET_FULL: &str = "Toàn văn";

/// A cell value.
enum V {
    T(String),
    N(f64),
    Opt(Option<f64>),
}

fn t(s: impl Into<String>) -> V {
    V::T(s.into())
}

fn n(v: usize) -> V {
    V::N(v as f64)
}

struct Formats {
    text: Format,
    wrap: Format,
    num: Format,
    dec: Format,
    title: Format,
    bold: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name(FONT).set_font_size(11);
        // Body cells sit at the top of rows that wrapped text makes taller.
        let top = base.clone().set_align(FormatAlign::Top);
        Formats {
            text: top.clone(),
            wrap: top.clone().set_text_wrap(),
            num: top.clone().set_num_format("#,##0"),
            dec: top.set_num_format("#,##0.0"),
            title: base.clone().set_bold().set_font_size(14),
            bold: base
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
        }
    }
}

/// A4 landscape, fitted to one page wide, the header row (if any) repeated
/// on every printed page, page numbers in the footer.
fn print_setup(ws: &mut Worksheet, header_row: Option<u32>) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    if let Some(row) = header_row {
        ws.set_repeat_rows(row, row)?;
    }
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_footer("&CTrang &P/&N");
    Ok(())
}

/// The height in points a row needs to show `text` wrapped in a column
/// `width` characters wide, in 11 pt Times New Roman: 15 pt a line, at most
/// Excel's 409. Each line of the text is wrapped as Excel wraps it, at
/// spaces and after hyphens, a word wider than the column broken between
/// letters; letters are measured by their class (Times New Roman's average
/// over Vietnamese text, rounded up), the column as Excel draws it, the
/// narrower of the two programs.
pub fn text_height(text: &str, width: f64) -> f64 {
    (f64::from(text_lines(text, width)) * LINE_PT).min(MAX_ROW_PT)
}

/// Lines `text` takes wrapped in a column `width` characters wide, however
/// many ([`text_height`] stops at Excel's tallest row).
pub fn text_lines(text: &str, width: f64) -> u32 {
    Lines::new(width).with(text).count()
}

/// Whether `text` fits a row of a column `width` wide.
fn fits_a_row(text: &str, width: f64) -> bool {
    text_lines(text, width) <= MAX_LINES
}

/// A text's lines in a column, counted as the text is written, a character
/// at a time: after any beginning of a text it holds what [`text_lines`]
/// gives for that beginning, so that a text grown a word or a name at a
/// time is measured once, not again from its start at each step. Each line
/// of the text wraps greedily at spaces and after hyphens; a word wider
/// than the room left starts a line, and a word wider than the whole column
/// breaks between letters. The word being written is laid two ways, where
/// it starts and from a new line, until its width decides between them.
#[derive(Clone, Copy)]
struct Lines {
    /// Room a line has, in em.
    room: f64,
    /// Lines of the text's earlier lines (before its last line break).
    before: u32,
    /// Lines and room used on this line where the current word starts.
    start: (u32, f64),
    /// Whether the current word has begun (a word starts no line before
    /// its first letter) and its ink: its width without the space ending it.
    begun: bool,
    ink: f64,
    /// The current word laid from where it starts ...
    stay: (u32, f64),
    /// ... and from the start of a new line.
    moved: (u32, f64),
}

impl Lines {
    fn new(width: f64) -> Lines {
        let room = width * PX_PER_WIDTH / PX_PER_EM;
        let line = (1, 0.0);
        Lines {
            room,
            before: 0,
            start: line,
            begun: false,
            ink: 0.0,
            stay: line,
            moved: (2, 0.0),
        }
    }

    /// Where the text written so far ends: lines of this line, room used.
    fn end(&self) -> (u32, f64) {
        let (_, used) = self.start;
        if self.begun && used > 0.0 && used + self.ink > self.room {
            self.moved
        } else {
            self.stay
        }
    }

    /// Lines of the text written so far.
    fn count(&self) -> u32 {
        self.before + self.end().0
    }

    /// Starts the next word at `at`.
    fn word_at(&mut self, at: (u32, f64)) {
        self.start = at;
        self.begun = false;
        self.ink = 0.0;
        self.stay = at;
        self.moved = (at.0 + 1, 0.0);
    }

    fn push(&mut self, c: char) {
        if c == '\n' {
            self.before += self.end().0;
            self.word_at((1, 0.0));
            return;
        }
        let em = char_em(c);
        let room = self.room;
        let lay = |(lines, used): (u32, f64)| {
            // Only a word wider than the whole column breaks here.
            if used > 0.0 && used + em > room && c != ' ' {
                (lines + 1, em)
            } else {
                (lines, used + em)
            }
        };
        self.stay = lay(self.stay);
        self.moved = lay(self.moved);
        self.begun = true;
        if c != ' ' {
            self.ink += em;
        }
        if c == ' ' || c == '-' {
            self.word_at(self.end());
        }
    }

    fn push_str(&mut self, s: &str) {
        s.chars().for_each(|c| self.push(c));
    }

    /// These lines with `s` written after them.
    fn with(mut self, s: &str) -> Lines {
        self.push_str(s);
        self
    }
}

/// What the tasks sheet shows of a list of units in a column `width` wide:
/// the whole list when it takes at most [`LIST_LINES`] lines, else the count,
/// as many first names as fit and where the whole list is ("97 đơn vị:
/// Sở Nội vụ, Sở Tư pháp và 95 đơn vị khác — xem sheet «…»").
pub fn unit_list(names: &[String], width: f64) -> String {
    let whole = names.join(", ");
    if text_lines(&whole, width) <= LIST_LINES {
        return whole;
    }
    // The count and a name more at a time, while the rest's count and
    // pointer still fit after them.
    let n = names.len();
    let mut head = Lines::new(width).with(&list_head(n));
    let mut k = 0;
    for (i, name) in names[..n - 1].iter().enumerate() {
        head.push_str(if i == 0 { ": " } else { ", " });
        head.push_str(name);
        if head.with(&list_tail(n, i + 1)).count() > LIST_LINES {
            break;
        }
        k = i + 1;
    }
    short_list(names, k)
}

/// A list's count ("97 đơn vị").
fn list_head(n: usize) -> String {
    format!("{n} đơn vị")
}

/// After the first `k` of `n` names: how many more and where they are.
fn list_tail(n: usize, k: usize) -> String {
    format!(" và {} đơn vị khác — xem sheet «{SHEET_BEHIND}»", n - k)
}

/// The count of `names`, the first `k` of them and where the rest are.
fn short_list(names: &[String], k: usize) -> String {
    let n = names.len();
    match k {
        0 => format!("{} — xem sheet «{SHEET_BEHIND}»", list_head(n)),
        _ => format!(
            "{}: {}{}",
            list_head(n),
            names[..k].join(", "),
            list_tail(n, k)
        ),
    }
}

/// The beginning of `text`, cut between words, followed by `note`: as much
/// as fits [`SHOWN_LINES`] lines of a column `width` wide.
fn beginning(text: &str, width: f64, note: &str) -> String {
    let with = |k: usize| format!("{}{note}", text[..k].trim_end());
    let fits = |inked: Lines| inked.with(note).count() <= SHOWN_LINES;
    // The text written so far, and up to its last letter (a beginning is
    // shown without the white space ending it).
    let (mut lines, mut inked) = (Lines::new(width), Lines::new(width));
    // The longest beginning that fits, ending at a word end: the height
    // grows with the beginning, so the first that does not fit ends it.
    let mut shown = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, ' ' | '\n') {
            if !fits(inked) {
                return with(shown);
            }
            shown = i;
        }
        lines.push(c);
        if !c.is_whitespace() {
            inked = lines;
        }
    }
    with(if fits(inked) { text.len() } else { shown })
}

/// `text` in pieces each of which fits a row of a column `width` wide: its
/// paragraphs (blank lines left out), a longer one cut between words (a
/// word longer than a row between letters). Each word (or letter) is
/// measured once, after the piece it joins.
fn pieces(text: &str, width: f64) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n').filter(|p| !p.trim().is_empty()) {
        let (mut cur, mut lines) = (String::new(), Lines::new(width));
        for word in para.split_inclusive(' ') {
            let more = lines.with(word);
            if more.count() <= MAX_LINES {
                cur.push_str(word);
                lines = more;
                continue;
            }
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur).trim_end().to_string());
                lines = Lines::new(width);
            }
            for c in word.chars() {
                let mut more = lines;
                more.push(c);
                if more.count() > MAX_LINES {
                    out.push(std::mem::take(&mut cur));
                    more = Lines::new(width);
                    more.push(c);
                }
                cur.push(c);
                lines = more;
            }
        }
        if !cur.trim().is_empty() {
            out.push(cur.trim_end().to_string());
        }
    }
    out
}

/// Texts too tall for any row of their sheet, kept whole for the
/// «Toàn văn» sheet: one row per paragraph (or piece of one), with the cell
/// it belongs to, its column and the row's keys (agency, task). A text
/// found again (a unit pasting one long text into every row) is kept once:
/// each cell holding it points at the same rows, which say how many other
/// cells hold it.
#[derive(Default)]
struct FullTexts {
    rows: Vec<Vec<V>>,
    kept: HashMap<String, Kept>,
}

/// Where a kept text's rows start, how many they are and how many cells
/// beside the first hold the same text.
struct Kept {
    at: usize,
    rows: usize,
    more: usize,
}

/// The «Toàn văn» sheet's columns; the text's is the widest.
const FULL_COLS: [(&str, f64); 5] = [
    ("Ô", 22.0),
    ("Cột", 16.0),
    ("Thuộc dòng", 24.0),
    ("Phần", 6.0),
    ("Nội dung", 90.0),
];

impl FullTexts {
    /// Keeps `text`, from `cell` of the sheet (column `column`, row about
    /// `keys`), whole; returns what the cell shows instead in its column
    /// `width` wide: the beginning, and where the whole text is.
    fn keep(&mut self, cell: String, column: &str, keys: String, text: &str, width: f64) -> String {
        let at = match self.kept.get_mut(text) {
            Some(kept) => {
                kept.more += 1;
                kept.at
            }
            None => self.add(cell, column, keys, text),
        };
        let note = format!(
            " … [còn tiếp: toàn văn ở sheet «{SHEET_FULL}», từ dòng {}]",
            at + 2
        );
        beginning(text, width, &note)
    }

    /// Adds the rows of a text not kept yet; returns where they start.
    fn add(&mut self, cell: String, column: &str, keys: String, text: &str) -> usize {
        let at = self.rows.len();
        let parts = pieces(text, FULL_COLS[4].1);
        let n = parts.len();
        for (i, p) in parts.into_iter().enumerate() {
            self.rows.push(vec![
                t(cell.clone()),
                t(column),
                t(keys.clone()),
                t(format!("{}/{n}", i + 1)),
                t(p),
            ]);
        }
        let kept = Kept {
            at,
            rows: n,
            more: 0,
        };
        self.kept.insert(text.to_string(), kept);
        at
    }

    /// The sheet's rows, a text held by more than one cell saying so
    /// beside its first cell.
    fn into_rows(mut self) -> Vec<Vec<V>> {
        for k in self.kept.values().filter(|k| k.more > 0) {
            for row in &mut self.rows[k.at..k.at + k.rows] {
                if let V::T(cell) = &row[0] {
                    row[0] = t(format!("{cell} (và {} ô khác cùng nội dung)", k.more));
                }
            }
        }
        self.rows
    }
}

/// Width in em of a Times New Roman character (Liberation Serif has the
/// same metrics).
fn char_em(c: char) -> f64 {
    match c {
        '\u{300}'..='\u{36f}' | '\r' => 0.0,
        ' ' => 0.25,
        '0'..='9' => 0.5,
        c if c.is_uppercase() => 0.7,
        c if c.is_lowercase() => 0.48,
        _ => 0.34,
    }
}

/// A header's height: bold, so as in a column that much narrower.
fn header_height(text: &str, width: f64) -> f64 {
    text_height(text, width / BOLD_WIDER)
}

/// Sets the header row's height when it differs from the sheet's `usual`.
fn header_row(
    ws: &mut Worksheet,
    row: u32,
    cols: &[(&str, f64)],
    usual: f64,
) -> Result<(), XlsxError> {
    let h = cols
        .iter()
        .map(|(h, w)| header_height(h, *w))
        .fold(LINE_PT, f64::max);
    if h != usual {
        ws.set_row_height(row, h)?;
    }
    Ok(())
}

/// The folder all received files share (the returns folder), so that paths
/// are shown relative to it.
fn common_folder<S: AsRef<str>>(paths: impl IntoIterator<Item = S>) -> String {
    let mut it = paths.into_iter();
    let Some(first) = it.next() else {
        return String::new();
    };
    let first = first.as_ref();
    let mut base = first.rfind('/').map_or("", |i| &first[..=i]).to_string();
    for p in it {
        while !base.is_empty() && !p.as_ref().starts_with(base.as_str()) {
            let trimmed = &base[..base.len() - 1];
            let cut = trimmed.rfind('/').map_or(0, |i| i + 1);
            base.truncate(cut);
        }
    }
    base
}

fn relative(path: &str, base: &str) -> String {
    path.strip_prefix(base).unwrap_or(path).to_string()
}

/// The returns folder: the one all ledger paths share.
fn returns_folder(c: &Compilation) -> String {
    common_folder(c.ledger.entries().map(|e| e.into_owned().path))
}

/// "1. Cải cách thể chế" for an area id.
fn area_name(c: &Compilation, id: &str) -> String {
    c.area(id)
        .map(|a| format!("{}. {}", a.number, a.title))
        .unwrap_or_default()
}

/// Writes a table with a header row and autofilter at (row, 0). The table
/// (its header row) is declared first and the rows follow in order;
/// returns the row after the table.
fn table<I>(
    ws: &mut Worksheet,
    f: &Formats,
    name: &str,
    row: u32,
    cols: &Cols,
    rows: I,
    full: &mut FullTexts,
) -> Result<u32, XlsxError>
where
    I: IntoIterator<Item = Vec<V>>,
    I::IntoIter: ExactSizeIterator,
{
    let (cols, spec) = (cols.cols, cols);
    widths(ws, cols)?;
    let rows = rows.into_iter();
    // An empty table keeps one blank data row.
    let last = row + rows.len().max(1) as u32;
    let columns: Vec<TableColumn> = cols
        .iter()
        .map(|(h, _)| TableColumn::new().set_header(*h).set_header_format(&f.bold))
        .collect();
    let tbl = Table::new()
        .set_name(name)
        .set_style(TableStyle::Light9)
        .set_columns(&columns);
    ws.add_table(row, 0, last, cols.len() as u16 - 1, &tbl)?;
    header_row(ws, row, cols, LINE_PT)?;
    body(ws, f, row + 1, spec, rows, LINE_PT, full)?;
    Ok(last + 1)
}

/// Writes a header row with filter buttons at (row, 0) and the rows below
/// it, in order, so that a constant-memory sheet streams them: for the
/// ledger, the one list that grows with the batch. (An Excel table would
/// make the writer keep every cell of its range in a map: some 200 bytes a
/// file.) `usual` is the sheet's default row height: only rows taller than
/// it carry their own, as the writer keeps each row height it is given to
/// the end, constant memory or not. Returns the row after the last.
fn filtered<I>(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    cols: &Cols,
    rows: I,
    usual: f64,
    full: &mut FullTexts,
) -> Result<u32, XlsxError>
where
    I: IntoIterator<Item = Vec<V>>,
    I::IntoIter: ExactSizeIterator,
{
    let (cols, spec) = (cols.cols, cols);
    widths(ws, cols)?;
    ws.set_default_row_height(usual);
    // Constant memory: a row's height is set before its cells move the
    // writer past it.
    header_row(ws, row, cols, usual)?;
    for (i, (h, _)) in cols.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &f.bold)?;
    }
    let rows = rows.into_iter();
    let last = row + rows.len().max(1) as u32;
    body(ws, f, row + 1, spec, rows, usual, full)?;
    ws.autofilter(row, 0, last, cols.len() as u16 - 1)?;
    Ok(last + 1)
}

fn widths(ws: &mut Worksheet, cols: &[(&str, f64)]) -> Result<(), XlsxError> {
    for (i, (_, w)) in cols.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    Ok(())
}

/// A table's columns (header, width) and which of them name a row (the
/// «Toàn văn» sheet quotes them beside a text moved there).
struct Cols<'a> {
    cols: &'a [(&'a str, f64)],
    keys: &'a [usize],
}

/// The rows of a table from `first` down; an empty table gets one blank row.
/// A text too wide for its column wraps, and a row taller than the sheet's
/// `usual` height is made as tall as its tallest text (set before the row's
/// cells, as a constant-memory sheet needs). A text taller than any row
/// shows its beginning, and is kept whole in `full`.
fn body(
    ws: &mut Worksheet,
    f: &Formats,
    first: u32,
    cols: &Cols,
    rows: impl Iterator<Item = Vec<V>>,
    usual: f64,
    full: &mut FullTexts,
) -> Result<(), XlsxError> {
    let sheet = ws.name();
    let mut r = first;
    for values in rows {
        debug_assert_eq!(values.len(), cols.cols.len(), "one value a column");
        let texts: Vec<Option<String>> = values
            .iter()
            .zip(cols.cols)
            .enumerate()
            .map(|(c, (v, (head, w)))| match v {
                V::T(s) if !fits_a_row(&cell_text(s), *w) => {
                    let cell = format!("{sheet}!{}", row_col_to_cell(r, c as u16));
                    let keys = row_keys(&values, cols.keys);
                    // Whole, even past Excel's 32,767 characters a cell:
                    // each piece fits a cell.
                    Some(full.keep(cell, head, keys, &xml_text(s), *w))
                }
                V::T(s) => Some(cell_text(s).into_owned()),
                _ => None,
            })
            .collect();
        let heights: Vec<f64> = texts
            .iter()
            .zip(cols.cols)
            .map(|(s, (_, w))| cell_height(s.as_deref(), *w))
            .collect();
        let tallest = heights.iter().copied().fold(LINE_PT, f64::max);
        if tallest > usual {
            ws.set_row_height(r, tallest)?;
        }
        for (c, (v, (s, h))) in values.iter().zip(texts.iter().zip(&heights)).enumerate() {
            let c = c as u16;
            match (v, s) {
                (_, Some(s)) if *h > LINE_PT => ws.write_string_with_format(r, c, s, &f.wrap)?,
                (_, Some(s)) => ws.write_string_with_format(r, c, s, &f.text)?,
                (V::N(x), _) if x.fract() == 0.0 => {
                    ws.write_number_with_format(r, c, *x, &f.num)?
                }
                (V::N(x), _) | (V::Opt(Some(x)), _) => {
                    ws.write_number_with_format(r, c, *x, &f.dec)?
                }
                _ => ws.write_blank(r, c, &f.text)?,
            };
        }
        r += 1;
    }
    if r == first {
        ws.write_blank(r, 0, &f.text)?;
    }
    Ok(())
}

/// The height a cell needs: its text's in a column `width` wide, one line
/// for a number or a blank.
fn cell_height(text: Option<&str>, width: f64) -> f64 {
    text.map_or(LINE_PT, |s| text_height(s, width))
}

/// A row's key values ("SNV, 2.a"), for the «Toàn văn» sheet.
fn row_keys(values: &[V], keys: &[usize]) -> String {
    keys.iter()
        .filter_map(|k| match values.get(*k) {
            Some(V::T(s)) => Some(cell_text(s).into_owned()),
            Some(V::N(x)) => Some(x.to_string()),
            _ => None,
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renders the workbook to .xlsx bytes.
pub fn workbook(c: &Compilation, dir: &Directory) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    write_workbook(c, dir, &mut out)?;
    Ok(out)
}

/// Writes the workbook to `out`. The ledger sheet (one row per file
/// received, the only sheet that grows with the batch) is a constant-memory
/// sheet: its rows go to a temporary file as they are written.
pub fn write_workbook(
    c: &Compilation,
    dir: &Directory,
    out: &mut (dyn std::io::Write + Send),
) -> anyhow::Result<()> {
    build(c, dir, out).map_err(|e| anyhow::anyhow!("không tạo được bảng tổng hợp .xlsx: {e}"))
}

fn build(
    c: &Compilation,
    dir: &Directory,
    out: &mut (dyn std::io::Write + Send),
) -> Result<(), XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let d = c.period.province_due;
    use chrono::Datelike;
    let created = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Tổng hợp báo cáo CCHC {}", c.period.label()))
            .set_creation_datetime(&created),
    );
    let full = &mut FullTexts::default();
    let status_rows = overview(wb.add_worksheet(), &f, c, full)?;
    charts(wb.add_worksheet(), &f, c, status_rows)?;
    areas(wb.add_worksheet(), &f, c, full)?;
    agencies(wb.add_worksheet(), &f, c, dir, full)?;
    tasks(wb.add_worksheet(), &f, c, dir, full)?;
    behind(wb.add_worksheet(), &f, c, dir, full)?;
    answers(wb.add_worksheet(), &f, c, dir, full)?;
    indicators(wb.add_worksheet(), &f, c, full)?;
    figures(wb.add_worksheet(), &f, c, dir, full)?;
    ledger(wb.add_worksheet_with_constant_memory()?, &f, c, full)?;
    if !full.rows.is_empty() {
        full_texts(wb.add_worksheet(), &f, std::mem::take(full))?;
    }
    wb.save_to_writer(out)
}

/// The overview's tables: a label column wide enough for "Tỷ lệ hoàn thành
/// nhiệm vụ đến hạn (%)" on one line, and a count column.
const LABEL_WIDTH: f64 = 38.0;
const COUNT_WIDTH: f64 = 12.0;
/// The overview's heading spans columns A:H (the tables' two, six more at
/// Excel's default width) so that it prints whole, not cut at column B.
const HEADING_LAST_COL: u16 = 7;
const HEADING_WIDTH: f64 = LABEL_WIDTH + COUNT_WIDTH + 6.0 * DEFAULT_WIDTH;
const DEFAULT_WIDTH: f64 = 8.43;
/// A 14 pt title's row.
const TITLE_ROW_PT: f64 = 21.0;

fn overview(
    ws: &mut Worksheet,
    f: &Formats,
    c: &Compilation,
    full: &mut FullTexts,
) -> Result<u32, XlsxError> {
    ws.set_name(SHEET_OVERVIEW)?;
    ws.set_column_range_width(2, HEADING_LAST_COL, DEFAULT_WIDTH)?;
    let title = format!(
        "TỔNG HỢP BÁO CÁO CẢI CÁCH HÀNH CHÍNH {}",
        c.period.label().to_uppercase()
    );
    ws.set_row_height(0, TITLE_ROW_PT)?;
    ws.merge_range(0, 0, 0, HEADING_LAST_COL, &title, &f.title)?;
    let subtitle = format!(
        "{}; số liệu đến ngày {}",
        cell_text(&c.plan_title),
        crate::period::dmy(c.as_of)
    );
    ws.set_row_height(1, text_height(&subtitle, HEADING_WIDTH))?;
    ws.merge_range(1, 0, 1, HEADING_LAST_COL, &subtitle, &f.wrap)?;
    let k = &c.completeness;
    let status_rows: Vec<Vec<V>> = UnitState::ALL
        .iter()
        .map(|s| {
            let count = k.units.iter().filter(|u| u.state == *s).count();
            vec![t(s.label()), n(count)]
        })
        .collect();
    let end = table(
        ws,
        f,
        "TinhTrangGui",
        3,
        &Cols {
            cols: &[
                ("Tình trạng gửi báo cáo", LABEL_WIDTH),
                ("Số đơn vị", COUNT_WIDTH),
            ],
            keys: &[],
        },
        status_rows,
        full,
    )?;
    let tot = &c.total;
    let buckets: Vec<Vec<V>> = Outcome::ALL
        .iter()
        .map(|o| vec![t(o.label()), n(tot.of(*o))])
        .chain([vec![
            t("Tỷ lệ hoàn thành nhiệm vụ đến hạn (%)"),
            V::Opt(tot.rate()),
        ]])
        .collect();
    let start2 = end + 2;
    table(
        ws,
        f,
        "PhanLoaiNhiemVu",
        start2,
        &Cols {
            cols: &[
                ("Phân loại nhiệm vụ (toàn tỉnh)", LABEL_WIDTH),
                ("Số nhiệm vụ", COUNT_WIDTH),
            ],
            keys: &[],
        },
        buckets,
        full,
    )?;
    print_setup(ws, None)?;
    Ok(end)
}

/// The charts, alone on an A4 landscape sheet that prints as one page:
/// returns by status, and due tasks by area and outcome (with "chưa có báo
/// cáo", which the completion rate counts as not completed).
fn charts(ws: &mut Worksheet, f: &Formats, c: &Compilation, end: u32) -> Result<(), XlsxError> {
    ws.set_name(SHEET_CHARTS)?;
    ws.set_row_height(0, TITLE_ROW_PT)?;
    ws.write_string_with_format(
        0,
        0,
        format!(
            "BIỂU ĐỒ TỔNG HỢP BÁO CÁO CCHC {}",
            c.period.label().to_uppercase()
        ),
        &f.title,
    )?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 1);
    ws.set_print_area(0, 0, 44, 16)?;
    let mut font = ChartFont::new();
    font.set_name(FONT);
    let mut bars = Chart::new(ChartType::Column);
    bars.add_series()
        .set_name("Số đơn vị")
        .set_categories((SHEET_OVERVIEW, 4, 0, end - 1, 0))
        .set_values((SHEET_OVERVIEW, 4, 1, end - 1, 1));
    bars.title()
        .set_name("Tình trạng gửi báo cáo")
        .set_font(&font);
    bars.x_axis().set_font(&font);
    bars.legend().set_hidden();
    bars.set_width(640).set_height(300);
    ws.insert_chart(2, 0, &bars)?;
    let mut col = Chart::new(ChartType::BarStacked);
    let last = c.areas.len() as u32;
    for (i, name) in [
        (3u16, "Hoàn thành đúng hạn"),
        (4, "Hoàn thành quá hạn"),
        (5, "Chưa hoàn thành, trong hạn"),
        (6, "Chưa hoàn thành, quá hạn"),
        (9, "Chưa có báo cáo"),
    ] {
        col.add_series()
            .set_name(name)
            .set_categories((SHEET_AREAS, 1, 0, last, 0))
            .set_values((SHEET_AREAS, 1, i, last, i));
    }
    col.title()
        .set_name("Nhiệm vụ đến hạn theo lĩnh vực")
        .set_font(&font);
    col.x_axis().set_font(&font);
    col.y_axis().set_font(&font).set_reverse();
    col.legend().set_font(&font);
    col.set_width(1000).set_height(440);
    ws.insert_chart(18, 0, &col)?;
    Ok(())
}

fn areas(
    ws: &mut Worksheet,
    f: &Formats,
    c: &Compilation,
    full: &mut FullTexts,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_AREAS)?;
    let rows: Vec<Vec<V>> = c
        .areas
        .iter()
        .map(|a| {
            let k = &a.counts;
            vec![
                t(format!("{}. {}", a.number, a.title)),
                n(k.tasks),
                n(k.due()),
                n(k.done_on_time),
                n(k.done_late),
                n(k.open_in_time),
                n(k.open_overdue),
                n(k.open_ended),
                n(k.not_yet_due),
                n(k.no_report),
                V::Opt(k.rate()),
            ]
        })
        .collect();
    table(
        ws,
        f,
        "TheoLinhVuc",
        0,
        &Cols {
            cols: &[
                ("Lĩnh vực", 40.0),
                ("Số nhiệm vụ", 10.0),
                ("Đến hạn", 10.0),
                ("Hoàn thành đúng hạn", 12.0),
                ("Hoàn thành quá hạn", 12.0),
                ("Chưa HT trong hạn", 12.0),
                ("Chưa HT quá hạn", 12.0),
                ("Thường xuyên", 11.0),
                ("Chưa đến hạn", 11.0),
                ("Chưa có báo cáo", 11.0),
                ("Tỷ lệ HT (%)", 11.0),
            ],
            keys: &[0],
        },
        rows,
        full,
    )?;
    print_setup(ws, Some(0))?;
    ws.set_freeze_panes(1, 1)?;
    Ok(())
}

fn agencies(
    ws: &mut Worksheet,
    f: &Formats,
    c: &Compilation,
    dir: &Directory,
    full: &mut FullTexts,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_AGENCIES)?;
    let base = returns_folder(c);
    let rows: Vec<Vec<V>> = c
        .completeness
        .units
        .iter()
        .map(|u| {
            let a = c.agencies.iter().find(|a| a.code == u.code);
            let g = |f: fn(&crate::compile::AgencyTasks) -> usize| n(a.map(f).unwrap_or(0));
            vec![
                t(&u.code),
                t(prose_name(dir, &u.code)),
                t(u.label()),
                t(u.received
                    .map(crate::compile::ledger::when)
                    .unwrap_or_default()),
                t(u.file
                    .as_deref()
                    .map(|p| relative(p, &base))
                    .unwrap_or_default()),
                g(|a| a.lead),
                g(|a| a.cooperating),
                g(|a| a.completed),
                g(|a| a.in_progress),
                g(|a| a.not_started),
                g(|a| a.not_applicable),
                g(|a| a.blank),
                g(|a| a.overdue),
                g(|a| a.due),
                g(|a| a.due_done),
                V::Opt(a.and_then(|a| a.due_rate())),
                t(u.reasons.join("; ")),
            ]
        })
        .collect();
    table(
        ws,
        f,
        "TheoDonVi",
        0,
        &Cols {
            cols: &[
                ("Mã", CODE_WIDTH),
                ("Cơ quan, đơn vị", 23.0),
                ("Gửi báo cáo", 11.0),
                ("Thời điểm nhận", WHEN_WIDTH),
                ("Tệp được tính", 17.0),
                ("NV chủ trì", 7.0),
                ("NV phối hợp", 7.0),
                ("Hoàn thành", 7.0),
                ("Đang thực hiện", 7.0),
                ("Chưa thực hiện", 7.0),
                ("Không thực hiện", 7.0),
                ("Để trống", 7.0),
                ("Quá hạn", 7.0),
                ("NV đến hạn", 7.0),
                ("Đã HT NV đến hạn", 7.0),
                ("Tỷ lệ HT NV đến hạn (%)", 8.0),
                ("Lý do phải gửi lại", AGENCY_REASON_WIDTH),
            ],
            keys: &[0],
        },
        rows,
        full,
    )?;
    print_setup(ws, Some(0))?;
    ws.set_freeze_panes(1, 2)?;
    Ok(())
}

fn tasks(
    ws: &mut Worksheet,
    f: &Formats,
    c: &Compilation,
    dir: &Directory,
    full: &mut FullTexts,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_TASKS)?;
    let list = |codes: &[String], width: f64| {
        let names: Vec<String> = codes.iter().map(|c| prose_name(dir, c)).collect();
        unit_list(&names, width)
    };
    let rows: Vec<Vec<V>> = c
        .tasks
        .iter()
        .map(|x| {
            vec![
                t(&x.label),
                t(area_name(c, &x.area_id)),
                t(&x.content),
                t(&x.deadline),
                t(x.due.map(crate::period::dmy).unwrap_or_default()),
                t(x.status.label()),
                t(x.outcome.label()),
                n(x.deciders),
                n(x.completed_by),
                t(list(&x.behind, UNITS_WIDTH)),
                t(list(&x.missing, UNITS_WIDTH)),
            ]
        })
        .collect();
    table(
        ws,
        f,
        "TheoNhiemVu",
        0,
        &Cols {
            cols: &[
                ("Mục", LABEL_COL_WIDTH),
                ("Lĩnh vực", 14.0),
                ("Nội dung nhiệm vụ", 38.0),
                ("Thời hạn", 18.0),
                ("Hạn cuối", DATE_WIDTH),
                ("Tình trạng", 12.0),
                ("Phân loại", 15.0),
                ("Số ĐV chủ trì", 7.0),
                ("Số ĐV hoàn thành", 8.0),
                ("Đơn vị chưa hoàn thành", UNITS_WIDTH),
                ("Đơn vị chưa báo cáo", UNITS_WIDTH),
            ],
            keys: &[0],
        },
        rows,
        full,
    )?;
    print_setup(ws, Some(0))?;
    ws.set_freeze_panes(1, 2)?;
    Ok(())
}

fn answers(
    ws: &mut Worksheet,
    f: &Formats,
    c: &Compilation,
    dir: &Directory,
    full: &mut FullTexts,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_ANSWERS)?;
    let rows: Vec<Vec<V>> = c
        .answers
        .iter()
        .map(|a| {
            vec![
                t(&a.agency),
                t(prose_name(dir, &a.agency)),
                t(&a.label),
                t(area_name(c, &a.area)),
                t(a.role.map(|r| r.label()).unwrap_or("Không được giao")),
                t(a.status.map(|s| s.label()).unwrap_or("")),
                V::Opt(a.percent),
                t(&a.result),
                t(&a.evidence),
                t(a.evidence_date.map(crate::period::dmy).unwrap_or_default()),
                t(&a.difficulties),
                t(&a.proposals),
            ]
        })
        .collect();
    table(
        ws,
        f,
        "TraLoi",
        0,
        &Cols {
            cols: &[
                ("Mã ĐV", CODE_WIDTH),
                ("Cơ quan, đơn vị", 20.0),
                ("Mục", LABEL_COL_WIDTH),
                ("Lĩnh vực", 14.0),
                ("Vai trò", 10.0),
                ("Tình trạng", 11.0),
                ("Tỷ lệ (%)", 7.0),
                ("Kết quả đạt được", ANSWER_WIDTH),
                ("Văn bản minh chứng", 16.0),
                ("Ngày văn bản", DATE_WIDTH),
                ("Khó khăn, vướng mắc", 17.0),
                ("Đề xuất, kiến nghị", 17.0),
            ],
            keys: &[0, 2],
        },
        rows,
        full,
    )?;
    print_setup(ws, Some(0))?;
    ws.set_freeze_panes(1, 2)?;
    Ok(())
}

fn indicators(
    ws: &mut Worksheet,
    f: &Formats,
    c: &Compilation,
    full: &mut FullTexts,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_INDICATORS)?;
    let rows: Vec<Vec<V>> = c
        .indicators
        .iter()
        .map(|i| {
            vec![
                t(&i.group),
                t(&i.name),
                t(&i.unit),
                V::Opt(i.total),
                n(i.reporters),
                V::Opt(i.numerator),
                V::Opt(i.denominator),
            ]
        })
        .collect();
    table(
        ws,
        f,
        "ChiSoToanTinh",
        0,
        &Cols {
            cols: &[
                ("Nhóm", 24.0),
                ("Chỉ tiêu", 50.0),
                ("Đơn vị tính", 11.0),
                ("Toàn tỉnh", 12.0),
                ("Số ĐV báo cáo", 10.0),
                ("Tử số (tổng)", 12.0),
                ("Mẫu số (tổng)", 12.0),
            ],
            keys: &[1],
        },
        rows,
        full,
    )?;
    print_setup(ws, Some(0))?;
    ws.set_freeze_panes(1, 1)?;
    Ok(())
}

fn figures(
    ws: &mut Worksheet,
    f: &Formats,
    c: &Compilation,
    dir: &Directory,
    full: &mut FullTexts,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_FIGURES)?;
    let rows: Vec<Vec<V>> = c
        .figures
        .iter()
        .map(|x| {
            let name = c
                .indicators
                .iter()
                .find(|i| i.code == x.code)
                .map(|i| i.name.clone())
                .unwrap_or_else(|| "(không có trong danh mục)".into());
            vec![
                t(&x.agency),
                t(prose_name(dir, &x.agency)),
                t(name),
                V::N(x.value),
            ]
        })
        .collect();
    table(
        ws,
        f,
        "SoLieuDonVi",
        0,
        &Cols {
            cols: &[
                ("Mã ĐV", CODE_WIDTH),
                ("Cơ quan, đơn vị", 30.0),
                ("Chỉ tiêu", 50.0),
                ("Giá trị", 12.0),
            ],
            keys: &[0],
        },
        rows,
        full,
    )?;
    print_setup(ws, Some(0))?;
    ws.set_freeze_panes(1, 2)?;
    Ok(())
}

/// The ledger's hash column: 64 hex digits on two lines.
pub const HASH_WIDTH: f64 = 34.0;
/// The ledger's reason column.
pub const LEDGER_REASON_WIDTH: f64 = 44.0;

fn ledger(
    ws: &mut Worksheet,
    f: &Formats,
    c: &Compilation,
    full: &mut FullTexts,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_LEDGER)?;
    let base = returns_folder(c);
    // Rows are made one at a time as the sheet streams them.
    let rows = || c.ledger.entries().map(|e| ledger_row(&e, &base));
    // The sheet's usual height is the one most rows need (a first pass over
    // the ledger, which streams from disk): the writer keeps every other
    // row's height in memory, and a batch of thousands of returns must not
    // give each row its own.
    let usual = usual_height(rows(), LEDGER_COLS);
    filtered(
        ws,
        f,
        0,
        &Cols {
            cols: LEDGER_COLS,
            keys: &[0, 1],
        },
        rows(),
        usual,
        full,
    )?;
    print_setup(ws, Some(0))?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The ledger's columns.
const LEDGER_COLS: &[(&str, f64)] = &[
    ("STT", 5.0),
    ("Tệp", 26.0),
    ("Mã ĐV", CODE_WIDTH),
    ("Kỳ", 8.0),
    ("Thời điểm nhận", WHEN_WIDTH),
    ("Trạng thái", 13.0),
    ("Lý do", LEDGER_REASON_WIDTH),
    ("Tệp liên quan", 18.0),
    ("Mã băm SHA-256", HASH_WIDTH),
];

fn ledger_row(e: &crate::compile::ledger::LedgerEntry, base: &str) -> Vec<V> {
    vec![
        n(e.seq),
        t(relative(&e.path, base)),
        t(e.agency.clone().unwrap_or_default()),
        t(e.period.clone().unwrap_or_default()),
        t(crate::compile::ledger::when(e.received)),
        t(e.status.label()),
        t(&e.reason),
        t(e.related.clone().unwrap_or_default()),
        t(&e.sha256),
    ]
}

/// The row height most of `rows` need in columns `cols` (the smaller on a
/// tie), one line at least.
fn usual_height(rows: impl Iterator<Item = Vec<V>>, cols: &[(&str, f64)]) -> f64 {
    // Heights are whole multiples of a line (or the cap): few distinct ones.
    let mut count: std::collections::BTreeMap<u64, usize> = Default::default();
    for values in rows {
        let tallest = values
            .iter()
            .zip(cols)
            .map(|(v, (_, w))| match v {
                V::T(s) => cell_height(Some(&cell_text(s)), *w),
                _ => cell_height(None, *w),
            })
            .fold(LINE_PT, f64::max);
        *count.entry((tallest * 100.0) as u64).or_default() += 1;
    }
    let most = count
        .iter()
        .max_by_key(|(h, n)| (**n, std::cmp::Reverse(**h)));
    most.map_or(LINE_PT, |(h, _)| *h as f64 / 100.0)
}

/// Every task's deciding owners that have not completed it, one row per
/// task and unit: reported but not completed ("Chưa hoàn thành", with what
/// the unit reported), then not reported ("Chưa báo cáo"). The tasks sheet
/// shows only the count and first names of a long list; this is the whole.
fn behind(
    ws: &mut Worksheet,
    f: &Formats,
    c: &Compilation,
    dir: &Directory,
    full: &mut FullTexts,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_BEHIND)?;
    let rows: Vec<Vec<V>> = c
        .tasks
        .iter()
        .flat_map(|x| {
            let behind = x.behind.iter().map(|a| (a, "Chưa hoàn thành"));
            let missing = x.missing.iter().map(|a| (a, "Chưa báo cáo"));
            behind.chain(missing).map(move |(a, state)| {
                // The owner in its deciding role (a unit may hold two).
                let o = x
                    .owners
                    .iter()
                    .filter(|o| &o.agency == a)
                    .max_by_key(|o| o.role == x.decided_by);
                vec![
                    t(&x.label),
                    t(&x.content),
                    t(x.due.map(crate::period::dmy).unwrap_or_default()),
                    t(a),
                    t(prose_name(dir, a)),
                    t(o.map(|o| o.role.label()).unwrap_or_default()),
                    t(state),
                    t(o.and_then(|o| o.status).map(|s| s.label()).unwrap_or("")),
                    V::Opt(o.and_then(|o| o.percent)),
                ]
            })
        })
        .collect();
    table(
        ws,
        f,
        "DonViChuaHoanThanh",
        0,
        &Cols {
            cols: &[
                ("Mục", LABEL_COL_WIDTH),
                ("Nội dung nhiệm vụ", 66.0),
                ("Hạn cuối", DATE_WIDTH),
                ("Mã ĐV", CODE_WIDTH),
                ("Cơ quan, đơn vị", 28.0),
                ("Vai trò", 10.0),
                ("Tình hình", 15.0),
                ("Đơn vị báo tình trạng", 14.0),
                ("Tỷ lệ (%)", 7.0),
            ],
            keys: &[0, 3],
        },
        rows,
        full,
    )?;
    print_setup(ws, Some(0))?;
    ws.set_freeze_panes(1, 1)?;
    Ok(())
}

/// The texts too tall for their rows, whole.
fn full_texts(ws: &mut Worksheet, f: &Formats, full: FullTexts) -> Result<(), XlsxError> {
    ws.set_name(SHEET_FULL)?;
    let cols = Cols {
        cols: &FULL_COLS,
        keys: &[],
    };
    // Every piece fits a row: nothing moves on from here.
    let rest = &mut FullTexts::default();
    table(ws, f, "ToanVan", 0, &cols, full.into_rows(), rest)?;
    debug_assert!(rest.rows.is_empty());
    print_setup(ws, Some(0))?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Column widths shared by the sheets, narrow enough that each prints one
/// page wide at 75–80 %: unit codes ("BQLKKT"), task labels ("10.a"),
/// dates, "dd/mm/yyyy hh:mm" on two lines.
const CODE_WIDTH: f64 = 9.0;
const LABEL_COL_WIDTH: f64 = 6.0;
const DATE_WIDTH: f64 = 11.0;
const WHEN_WIDTH: f64 = 11.0;
/// The tasks sheet's unit lists.
pub const UNITS_WIDTH: f64 = 20.0;
/// The agencies sheet's "Lý do phải gửi lại".
pub const AGENCY_REASON_WIDTH: f64 = 20.0;
/// The answers sheet's "Kết quả đạt được".
pub const ANSWER_WIDTH: f64 = 32.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_height_is_the_one_most_rows_need() {
        let cols = [("A", 10.0), ("B", 35.0)];
        let row = |a: &str, b: &str| vec![t(a), t(b)];
        let hash = "0".repeat(64);
        // Three rows of a two-line hash, one of four lines: 30 pt.
        let rows = vec![
            row("x", &hash),
            row("y", &hash),
            row("z", &hash),
            row("a\nb\nc\nd", &hash),
        ];
        assert_eq!(usual_height(rows.into_iter(), &cols), 30.0);
        // A tie takes the smaller; no rows, one line.
        let rows = vec![row("x", ""), row("a\nb", "")];
        assert_eq!(usual_height(rows.into_iter(), &cols), 15.0);
        assert_eq!(usual_height(std::iter::empty(), &cols), 15.0);
    }

    const HASH: &str = "9c1185a5c5e9fc54612808977ee8f42b1e3b5f0d2a8c4e6f7a9b0c1d2e3f4a5b";

    #[test]
    fn a_text_that_fits_keeps_one_line() {
        assert_eq!(text_height("", 10.0), 15.0);
        assert_eq!(text_height("Đúng hạn", 30.0), 15.0);
        assert_eq!(
            text_height("Đơn vị chưa hoàn thành", 36.0 / BOLD_WIDER),
            15.0
        );
    }

    #[test]
    fn wrapped_text_takes_fifteen_points_a_line() {
        let pci = "7. Nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)";
        assert_eq!(text_height(pci, 40.0), 30.0);
        assert_eq!(text_height(pci, 24.0), 45.0);
        let done = "Thực hiện thường xuyên; trong kỳ đã triển khai đầy đủ các nội dung được giao.";
        assert_eq!(text_height(done, 50.0), 30.0);
        assert_eq!(text_height(done, 30.0), 45.0);
        assert_eq!(header_height("Tỷ lệ HT NV đến hạn (%)", 11.0), 45.0);
        assert_eq!(header_height("Hoàn thành đúng hạn", 12.0), 30.0);
    }

    #[test]
    fn each_line_break_starts_a_line() {
        assert_eq!(text_height("a\nb\nc", 10.0), 45.0);
        assert_eq!(text_height("Khó khăn:\n\nkhông có", 30.0), 45.0);
    }

    #[test]
    fn a_word_wider_than_the_column_breaks_between_letters() {
        assert_eq!(text_height(HASH, 35.0), 30.0);
        assert_eq!(text_height(HASH, 20.0), 60.0);
        assert_eq!(text_height(&"0".repeat(64), 35.0), 30.0);
        assert_eq!(text_height(&"x".repeat(100), 10.0), 180.0);
        let file = "2024-Q1_HQLKKT_ban-quan-ly-khu-kinh-te-dung-quat.xlsx";
        assert_eq!(text_height(file, 36.0), 30.0);
    }

    #[test]
    fn decomposed_accents_take_no_room() {
        use unicode_normalization::UnicodeNormalization;
        let pci = "7. Nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)";
        let nfd: String = pci.nfd().collect();
        assert_eq!(text_height(&nfd, 24.0), text_height(pci, 24.0));
    }

    #[test]
    fn rows_stop_at_excels_tallest() {
        let long = "Đã tổ chức thực hiện theo kế hoạch. ".repeat(200);
        assert_eq!(text_height(&long, 50.0), 408.75);
        // 408.75 pt is a whole number of pixels: the writer keeps it exact.
        assert_eq!((MAX_ROW_PT * 4.0 / 3.0).fract(), 0.0);
    }

    fn names(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("UBND xã số {i}")).collect()
    }

    #[test]
    fn a_short_unit_list_is_shown_whole() {
        let two = vec!["Sở Nội vụ".to_string(), "Sở Tư pháp".to_string()];
        assert_eq!(unit_list(&two, 20.0), "Sở Nội vụ, Sở Tư pháp");
        assert_eq!(unit_list(&[], 20.0), "");
    }

    #[test]
    fn a_long_unit_list_shows_its_count_first_names_and_where_the_rest_is() {
        assert_eq!(
            short_list(&names(90), 2),
            "90 đơn vị: UBND xã số 1, UBND xã số 2 và 88 đơn vị khác \
             — xem sheet «Đơn vị chưa hoàn thành»"
        );
        assert_eq!(
            short_list(&names(90), 0),
            "90 đơn vị — xem sheet «Đơn vị chưa hoàn thành»"
        );
        // 20 wide: as many names as leave the pointer room in six lines.
        let shown = unit_list(&names(90), 20.0);
        assert_eq!(shown, short_list(&names(90), 4));
        assert_eq!(text_lines(&shown, 20.0), 6);
        assert_eq!(text_lines(&short_list(&names(90), 5), 20.0), 7);
        // Wider, more names.
        assert_eq!(unit_list(&names(90), 40.0), short_list(&names(90), 12));
        // A list that just misses six lines.
        assert!(text_lines(&names(12).join(", "), 20.0) > LIST_LINES);
        assert!(unit_list(&names(12), 20.0).starts_with("12 đơn vị: "));
    }

    #[test]
    fn text_lines_counts_past_the_tallest_row() {
        assert_eq!(text_lines(&"x".repeat(100), 10.0), 12);
        let long = "Đã tổ chức thực hiện theo kế hoạch. ".repeat(200);
        assert_eq!(text_lines(&long, 50.0), 134);
        assert!(!fits_a_row(&long, 50.0));
        assert!(fits_a_row("Đúng hạn", 10.0));
    }

    #[test]
    fn a_text_too_tall_for_a_row_shows_its_beginning_and_where_the_rest_is() {
        let long = "Đã tổ chức thực hiện theo kế hoạch. ".repeat(200);
        let note = " … [còn tiếp]";
        let shown = beginning(&long, 50.0, note);
        assert_eq!(text_lines(&shown, 50.0), 12);
        let kept = shown.strip_suffix(note).unwrap();
        assert!(long.starts_with(kept));
        // Cut between words ("… Đã tổ chức thực hiện"), as long as twelve
        // lines allow: one word more would not fit.
        assert!(long[kept.len()..].starts_with(" theo"), "{shown}");
        assert_eq!(kept.matches("Đã tổ chức").count(), 18);
        assert_eq!(text_lines(&format!("{kept} theo{note}"), 50.0), 13);
    }

    #[test]
    fn pieces_of_a_long_text_each_fit_a_row_and_keep_every_word() {
        let para = "Đã tổ chức thực hiện theo kế hoạch. ".repeat(200);
        let text = format!("Mở đầu.\n\n{para}\n{}", "0".repeat(3000));
        let parts = pieces(&text, 90.0);
        assert!(parts.iter().all(|p| fits_a_row(p, 90.0)));
        assert_eq!(parts[0], "Mở đầu.");
        let words = |s: &str| s.split_whitespace().collect::<String>();
        assert_eq!(words(&parts.concat()), words(&text));
        assert_eq!(
            parts.len(),
            1 + 3 + 2,
            "{:?}",
            parts.iter().map(|p| p.len()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn full_texts_number_their_rows_and_point_the_cell_at_them() {
        let mut full = FullTexts::default();
        let long = "Đã tổ chức thực hiện theo kế hoạch. ".repeat(200);
        let shown = full.keep(
            "Trả lời của đơn vị!H5".into(),
            "Kết quả đạt được",
            "SNV, 1.a".into(),
            &long,
            32.0,
        );
        assert!(shown.ends_with(" … [còn tiếp: toàn văn ở sheet «Toàn văn», từ dòng 2]"));
        let n = full.rows.len();
        assert!(n >= 2);
        let other = long.replace("theo", "đúng");
        let shown = full.keep("Sổ tiếp nhận!G3".into(), "Lý do", "1".into(), &other, 38.0);
        assert!(shown.ends_with(&format!("từ dòng {}]", n + 2)), "{shown}");
        assert!(matches!(&full.rows[0][3], V::T(s) if s == &format!("1/{n}")));
        assert!(matches!(&full.rows[n][0], V::T(s) if s == "Sổ tiếp nhận!G3"));
    }

    /// Lines of one line of text wrapped greedily in `room` em, measured
    /// whole, word by word: what [`Lines`] must give for every beginning.
    fn wrapped_lines(line: &str, room: f64) -> u32 {
        let (mut lines, mut used) = (1, 0.0);
        for word in line.split_inclusive([' ', '-']) {
            let ink: f64 = word.trim_end_matches(' ').chars().map(char_em).sum();
            if used > 0.0 && used + ink > room {
                (lines, used) = (lines + 1, 0.0);
            }
            for c in word.chars() {
                if used > 0.0 && used + char_em(c) > room && c != ' ' {
                    (lines, used) = (lines + 1, 0.0);
                }
                used += char_em(c);
            }
        }
        lines
    }

    #[test]
    fn lines_counted_a_letter_at_a_time_are_the_lines_of_the_whole() {
        let texts = [
            "7. Nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)".to_string(),
            format!("Khó khăn:\n\nkhông có  hai  dấu cách - và gạch-nối-dài {HASH}"),
            "2024-Q1_HQLKKT_ban-quan-ly-khu-kinh-te-dung-quat.xlsx".to_string(),
            format!("Kế hoạch số 15/KH-SNV {}", "😀".repeat(300)),
            "Đã tổ chức thực hiện theo kế hoạch. ".repeat(20),
        ];
        for text in &texts {
            for width in [6.0, 20.0, 32.0, 90.0] {
                let room = width * PX_PER_WIDTH / PX_PER_EM;
                let mut lines = Lines::new(width);
                for (i, c) in text.char_indices() {
                    lines.push(c);
                    let done = &text[..i + c.len_utf8()];
                    let whole: u32 = done.split('\n').map(|l| wrapped_lines(l, room)).sum();
                    assert_eq!(lines.count(), whole, "{width}: {done:?}");
                }
            }
        }
        assert_eq!(Lines::new(10.0).count(), 1);
    }

    #[test]
    fn pieces_of_a_word_longer_than_a_row_each_fit_and_give_it_back() {
        let emoji = format!("Kế hoạch số 15/KH-SNV {}", "😀".repeat(20_000));
        let parts = pieces(&emoji, 90.0);
        assert!(parts.iter().all(|p| fits_a_row(p, 90.0)));
        assert_eq!(parts[0], "Kế hoạch số 15/KH-SNV");
        assert_eq!(parts[1..].concat(), "😀".repeat(20_000));
        // Each full piece takes every line of a row.
        assert_eq!(text_lines(&parts[1], 90.0), MAX_LINES);
        assert_eq!(
            parts.len(),
            7,
            "{:?}",
            parts.iter().map(|p| p.len()).collect::<Vec<_>>()
        );
        assert_eq!(pieces("", 90.0), Vec::<String>::new());
    }

    #[test]
    fn a_text_in_many_cells_is_kept_once_and_each_cell_points_at_it() {
        let mut full = FullTexts::default();
        let long = "Dài ".repeat(10_000);
        let first = full.keep(
            "Trả lời của đơn vị!I2".into(),
            "Văn bản",
            "BDT, 1.a".into(),
            &long,
            16.0,
        );
        let n = full.rows.len();
        assert_eq!(n, 17);
        for r in 3..=50 {
            let again = full.keep(
                format!("Trả lời của đơn vị!I{r}"),
                "Văn bản",
                "BDT".into(),
                &long,
                16.0,
            );
            assert_eq!(again, first);
        }
        assert!(first.ends_with("từ dòng 2]"), "{first}");
        let other = full.keep(
            "Sổ tiếp nhận!G3".into(),
            "Lý do",
            "1".into(),
            &"Khác ".repeat(2_000),
            38.0,
        );
        assert!(other.ends_with(&format!("từ dòng {}]", n + 2)), "{other}");
        let rows = full.into_rows();
        assert!(rows[..n].iter().all(|r| matches!(&r[0],
            V::T(s) if s == "Trả lời của đơn vị!I2 (và 48 ô khác cùng nội dung)")));
        assert!(matches!(&rows[n][0], V::T(s) if s == "Sổ tiếp nhận!G3"));
    }

    #[test]
    fn a_text_past_excels_cell_limit_is_kept_whole() {
        let long = "Đã tổ chức thực hiện theo kế hoạch. ".repeat(1_000);
        assert!(long.chars().count() > 32_767);
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Trả lời").unwrap();
        let cols = Cols {
            cols: &[("Mã", 9.0), ("Kết quả", 32.0)],
            keys: &[0],
        };
        let mut full = FullTexts::default();
        let rows = [vec![t("SNV"), t(long.clone())]].into_iter();
        body(ws, &Formats::new(), 1, &cols, rows, LINE_PT, &mut full).unwrap();
        let text = |r: &Vec<V>, c: usize| match &r[c] {
            V::T(s) => s.clone(),
            _ => String::new(),
        };
        assert!(full.rows.iter().all(|r| text(r, 0) == "Trả lời!B2"));
        assert!(full.rows.iter().all(|r| text(r, 2) == "SNV"));
        let kept: Vec<String> = full.rows.iter().map(|r| text(r, 4)).collect();
        assert_eq!(kept.join(" "), long.trim_end());
    }
}
