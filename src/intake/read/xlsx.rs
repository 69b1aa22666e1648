//! The `.xlsx` reader: a reader of its own (zip + a small XML scanner, see
//! [`scan`](super::scan)) that reads only what the intake uses — the
//! workbook (sheet names, visibility, defined names, the 1904 date flag),
//! the shared strings, the date number formats of the cell styles, the
//! custom document properties and the cells of the worksheets (all of them,
//! or all but those the caller names) — in one pass over each part, nothing
//! else (no theme, fonts, fills, borders, formulas, drawings). A shared
//! string is decoded when a cell refers to it. The forms nearly every file
//! uses (`<c …><v>…</v></c>`, `<si><t>…</t></si>` with nothing to decode)
//! are taken as slices, without the general event loop.
//!
//! It is built to be run inside the batch process on untrusted files:
//! - no declared count or size drives an allocation (`uniqueCount`,
//!   `<dimension>`, `count` attributes are never read; vectors grow with
//!   what is really there);
//! - every part is inflated through a cap ([`Limits::max_part_bytes`]);
//! - shared strings and cell text are charged to the text budget, cells to
//!   the cell budget, as they are read;
//! - work is linear in the inflated bytes, so a verdict never depends on
//!   the machine's load, and there is nothing to time out.
//!
//! Together that bounds one file's memory at about the part cap + twice the
//! text budget + the cells (≈ 210 MB with the defaults), under the 256 MB a
//! reader child may use. Cell positions beyond Excel's sheet (row 1,048,576,
//! column XFD) are refused as damage, never wrapped (`finding::cell_ref`).

use super::scan::{attr, attr_text, attrs, decode, local, push_text, Ev, Scan};
use super::{corrupt, text_value, Book, Budget, Cell, Format, Limits, Sheet};
use crate::intake::finding::{cell_ref, Finding, MAX_ROW};
use crate::intake::values::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

/// Days between the 1900 and 1904 date systems.
const DAYS_1904: f64 = 1462.0;

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Reads the workbook in `bytes` (already sniffed as `.xlsx`).
pub(super) fn parse(bytes: &[u8], budget: &mut Budget) -> Result<Book, Finding> {
    parse_skipping(bytes, budget, &[]).map(|(book, _)| book)
}

/// Reads the workbook in `bytes`, except the cells of the worksheets named
/// in `skip` (listed, empty; their parts are still inflated and checked);
/// the flag tells whether one was skipped.
pub(super) fn parse_skipping(
    bytes: &[u8],
    budget: &mut Budget,
    skip: &[&str],
) -> Result<(Book, bool), Finding> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| corrupt("gói nén bị cắt cụt hoặc sai cấu trúc"))?;
    let parts = Parts::index(&zip);
    let limits = budget.limits;
    let part = |zip: &mut Zip, i: usize| read_part(zip, bytes, i, limits);

    let rels = match parts.find("xl/_rels/workbook.xml.rels") {
        Some(i) => relationships(&part(&mut zip, i)?, "xl/")?,
        None => HashMap::new(),
    };
    let workbook = parts
        .find("xl/workbook.xml")
        .ok_or_else(|| corrupt("thiếu phần mô tả sổ làm việc"))?;
    let wb = workbook_part(&part(&mut zip, workbook)?)?;
    let dates = match parts.find("xl/styles.xml") {
        Some(i) => date_styles(&part(&mut zip, i)?)?,
        None => Vec::new(),
    };
    let strings_part = match parts.find("xl/sharedStrings.xml") {
        Some(i) => part(&mut zip, i)?,
        None => Vec::new(),
    };
    let strings = Strings::index(&strings_part, budget)?;
    let properties = match parts.find("docProps/custom.xml") {
        Some(i) => custom_properties(&part(&mut zip, i)?)?,
        None => BTreeMap::new(),
    };
    let context = Context {
        strings: &strings,
        dates: &dates,
        date1904: wb.date1904,
    };
    let mut sheets = Vec::with_capacity(wb.sheets.len().min(256));
    let mut skipped = false;
    for entry in &wb.sheets {
        let cells = match rels.get(&entry.rel) {
            Some(rel) if !rel.kind.ends_with("/worksheet") => Vec::new(),
            Some(rel) => {
                let i = parts
                    .find(&rel.target)
                    .ok_or_else(|| corrupt("một sheet không đọc được"))?;
                let xml = part(&mut zip, i)?;
                if skip.contains(&entry.name.as_str()) {
                    // Inflated, so that damage to it is still found (a
                    // checksum, the cap), but not scanned.
                    skipped = true;
                    Vec::new()
                } else {
                    sheet_cells(&xml, &context, budget)?
                }
            }
            None => return Err(corrupt("một sheet không đọc được")),
        };
        let mut sheet = Sheet::new(&entry.name, cells);
        sheet.hidden = entry.hidden;
        sheets.push(sheet);
    }
    let book = Book {
        format: Format::Xlsx,
        sheets,
        defined_names: wb.names,
        properties,
    };
    Ok((book, skipped))
}

/// Zip entry names, looked up the way Office does: case-insensitively, `\`
/// read as `/`, a leading `/` ignored.
struct Parts(HashMap<String, usize>);

impl Parts {
    fn index(zip: &Zip) -> Parts {
        let mut map = HashMap::new();
        for i in 0..zip.len() {
            if let Some(Ok(name)) = zip.name_for_index(i) {
                map.entry(normal(&name)).or_insert(i);
            }
        }
        Parts(map)
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.0.get(&normal(name)).copied()
    }
}

fn normal(name: &str) -> String {
    name.trim_start_matches(['/', '\\'])
        .replace('\\', "/")
        .to_ascii_lowercase()
}

/// One part inflated, never more than the part cap, its checksum checked.
fn read_part(
    zip: &mut Zip,
    bytes: &[u8],
    index: usize,
    limits: &Limits,
) -> Result<Vec<u8>, Finding> {
    if let Some(out) = inflate_whole(zip, bytes, index, limits) {
        return Ok(out);
    }
    let file = zip
        .by_index(index)
        .map_err(|_| corrupt("một phần nén bị hỏng"))?;
    let mut buf = Vec::new();
    let cap = limits.max_part_bytes;
    // The declared size only sizes the first allocation, and never past 4 MB.
    buf.reserve(file.size().min(4 << 20) as usize);
    file.take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|_| corrupt("một phần nén bị hỏng"))?;
    if buf.len() as u64 > cap {
        return Err(Finding::new("F004", format!(
            "Một phần của tệp giải nén ra hơn {} MB, quá lớn so với một biểu mẫu báo cáo. Hãy xóa các dòng, cột, sheet thừa, lưu lại thành .xlsx rồi gửi lại.",
            cap >> 20)));
    }
    Ok(buf)
}

/// A deflated part as nearly every file has it — its declared size within
/// the cap and true, its checksum right — inflated at once (libdeflate, a
/// buffer of the declared size, one inflater a worker thread). `None` for
/// anything else, which the streaming path reads and judges.
fn inflate_whole(zip: &mut Zip, bytes: &[u8], index: usize, limits: &Limits) -> Option<Vec<u8>> {
    thread_local! {
        static INFLATER: std::cell::RefCell<libdeflater::Decompressor> =
            std::cell::RefCell::new(libdeflater::Decompressor::new());
    }
    let file = zip.by_index_raw(index).ok()?;
    let size = file.size();
    if file.compression() != zip::CompressionMethod::Deflated
        || file.encrypted()
        || size > limits.max_part_bytes.min(16 << 20)
    {
        return None;
    }
    let start = usize::try_from(file.data_start()?).ok()?;
    let raw =
        bytes.get(start..start.checked_add(usize::try_from(file.compressed_size()).ok()?)?)?;
    let crc = file.crc32();
    let mut out = vec![0; usize::try_from(size).ok()?];
    let n = INFLATER
        .with_borrow_mut(|d| d.deflate_decompress(raw, &mut out))
        .ok()?;
    (n == out.len() && libdeflater::crc32(&out) == crc).then_some(out)
}

fn malformed(_: super::scan::Malformed) -> Finding {
    corrupt("dữ liệu XML bên trong bị lỗi")
}

struct Rel {
    target: String,
    kind: String,
}

/// `Id` → target part (resolved against `base`) and relationship type.
fn relationships(xml: &[u8], base: &str) -> Result<HashMap<String, Rel>, Finding> {
    let mut out = HashMap::new();
    let mut sc = Scan::new(xml).map_err(malformed)?;
    while let Some(ev) = sc.next().map_err(malformed)? {
        if let Ev::Start { name, attrs: a, .. } = ev {
            if local(name) == b"Relationship" {
                if let (Some(id), Some(target)) = (attr_text(a, b"Id"), attr_text(a, b"Target")) {
                    let kind = attr_text(a, b"Type").unwrap_or_default();
                    out.insert(
                        id,
                        Rel {
                            target: resolve(base, &target),
                            kind,
                        },
                    );
                }
            }
        }
    }
    Ok(out)
}

/// A relationship target as a part name: absolute (`/xl/…`) or relative
/// to `base`, with `..` resolved.
fn resolve(base: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{base}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

struct SheetEntry {
    name: String,
    hidden: bool,
    rel: String,
}

struct WorkbookPart {
    sheets: Vec<SheetEntry>,
    names: Vec<(String, String)>,
    date1904: bool,
}

fn workbook_part(xml: &[u8]) -> Result<WorkbookPart, Finding> {
    let mut wb = WorkbookPart {
        sheets: Vec::new(),
        names: Vec::new(),
        date1904: false,
    };
    let mut name: Option<(String, String)> = None;
    let mut sc = Scan::new(xml).map_err(malformed)?;
    while let Some(ev) = sc.next().map_err(malformed)? {
        match ev {
            Ev::Start {
                name: tag,
                attrs: a,
                empty,
            } => match local(tag) {
                b"workbookPr" => {
                    wb.date1904 = attr(a, b"date1904").is_some_and(|v| v == b"1" || v == b"true");
                }
                b"sheet" => wb.sheets.push(SheetEntry {
                    name: attr_text(a, b"name").unwrap_or_default(),
                    hidden: attr(a, b"state").is_some_and(|s| s != b"visible"),
                    rel: attr_text(a, b"id").unwrap_or_default(),
                }),
                b"definedName" if !empty => {
                    name = attr_text(a, b"name").map(|n| (n, String::new()));
                }
                _ => {}
            },
            Ev::Text(_) | Ev::CData(_) => {
                if let Some((_, v)) = &mut name {
                    push_text(&ev, v).map_err(malformed)?;
                }
            }
            Ev::End { name: tag } if local(tag) == b"definedName" => {
                if let Some(n) = name.take() {
                    wb.names.push(n);
                }
            }
            Ev::End { .. } => {}
        }
    }
    Ok(wb)
}

/// For each cell style (`cellXfs` entry), whether its number format shows a
/// date or time.
fn date_styles(xml: &[u8]) -> Result<Vec<bool>, Finding> {
    let mut formats: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    let mut in_xfs = false;
    let mut sc = Scan::new(xml).map_err(malformed)?;
    while let Some(ev) = sc.next().map_err(malformed)? {
        match ev {
            Ev::Start {
                name,
                attrs: a,
                empty,
            } => match local(name) {
                b"numFmt" => {
                    if let (Some(id), Some(code)) =
                        (attr_text(a, b"numFmtId"), attr_text(a, b"formatCode"))
                    {
                        formats.insert(id, code);
                    }
                }
                b"cellXfs" => in_xfs = !empty,
                b"xf" if in_xfs => {
                    out.push(
                        attr_text(a, b"numFmtId").is_some_and(|id| match formats.get(&id) {
                            Some(code) => custom_is_date(code),
                            None => builtin_is_date(&id),
                        }),
                    )
                }
                _ => {}
            },
            Ev::End { name } if local(name) == b"cellXfs" => in_xfs = false,
            _ => {}
        }
    }
    Ok(out)
}

/// Built-in number formats that show dates or times (ECMA-376 18.8.30,
/// with the East Asian ones).
fn builtin_is_date(id: &str) -> bool {
    matches!(id.parse::<u32>(), Ok(14..=22 | 27..=36 | 45..=47 | 50..=58))
}

/// A custom format code shows a date or time: a d, m, y, h or s outside
/// quotes, brackets and escapes in its first section, an AM/PM marker, or
/// an elapsed-time bracket (`[h]`).
fn custom_is_date(code: &str) -> bool {
    let mut escaped = false;
    let mut quoted = false;
    let mut bracket = String::new();
    let mut in_bracket = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        if quoted {
            quoted = c != '"';
            continue;
        }
        if in_bracket {
            if c == ']' {
                in_bracket = false;
                let b = bracket.to_ascii_lowercase();
                if !b.is_empty() && b.chars().all(|c| matches!(c, 'h' | 'm' | 's')) {
                    return true;
                }
                bracket.clear();
            } else {
                bracket.push(c);
            }
            continue;
        }
        match c {
            '\\' | '_' | '*' => escaped = true,
            '"' => quoted = true,
            '[' => in_bracket = true,
            ';' => return false,
            'd' | 'D' | 'm' | 'M' | 'y' | 'Y' | 'h' | 'H' | 's' | 'S' => return true,
            'a' | 'A' => {
                let rest: String = code.chars().skip_while(|&x| x != c).take(5).collect();
                let r = rest.to_ascii_uppercase();
                if r.starts_with("AM/PM") || r.starts_with("A/P") {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// The shared strings, indexed: where each `<si>` element is in the part.
/// A string is decoded when a cell refers to it, so texts no cell that is
/// read refers to (a skipped sheet's) cost no more than finding their end.
struct Strings<'a> {
    xml: &'a str,
    /// Byte span of each `<si>` element's content and end tag (empty for
    /// `<si/>`).
    spans: Vec<(usize, usize)>,
}

impl<'a> Strings<'a> {
    /// Indexes the part, charging each string's XML to the text budget (its
    /// decoded text is never longer).
    fn index(xml: &'a [u8], budget: &mut Budget) -> Result<Strings<'a>, Finding> {
        let limits = budget.limits;
        let mut spans = Vec::new();
        let mut total = 0usize;
        let mut sc = Scan::new(xml).map_err(malformed)?;
        loop {
            // A string's start tag: `<si>` as nearly every one is written,
            // taken without the event loop; any other piece from it.
            let empty = if sc.rest().starts_with("<si>") {
                sc.skip(4);
                false
            } else {
                match sc.next().map_err(malformed)? {
                    Some(Ev::Start { name, empty, .. }) if local(name) == b"si" => empty,
                    Some(_) => continue,
                    None => break,
                }
            };
            let start = sc.pos();
            if let Some((_, _, n)) = (!empty).then(|| one_run(sc.rest())).flatten() {
                sc.skip(n);
            } else if !empty {
                loop {
                    match sc.next().map_err(malformed)? {
                        Some(Ev::End { name }) if local(name) == b"si" => break,
                        Some(_) => {}
                        None => return Err(corrupt("dữ liệu chữ bị cắt cụt")),
                    }
                }
            }
            total += sc.pos() - start;
            if total > limits.max_text_bytes {
                return Err(budget.too_much());
            }
            spans.push((start, sc.pos()));
        }
        Ok(Strings {
            xml: sc.source(),
            spans,
        })
    }

    /// String `i`, decoded; `None` when the table has no such string.
    fn get(&self, i: usize) -> Option<Result<String, Finding>> {
        let &(start, end) = self.spans.get(i)?;
        let xml = &self.xml[start..end];
        Some(match plain_run(xml) {
            Some(text) => Ok(text.to_string()),
            None if start == end => Ok(String::new()),
            None => rich_text(&mut Scan::over(xml), b"si"),
        })
    }
}

/// The text of a string written the way nearly every one is — one run,
/// `<t>…</t></si>` or `<t xml:space="preserve">…</t></si>`, with nothing to
/// decode in it — as [`rich_text`] would give it; `None` for any other form.
fn plain_run(xml: &str) -> Option<&str> {
    let (text, keep, _) = one_run(xml)?;
    // `_` may start an `_xHHHH_` escape.
    if needs_decoding(text) || memchr::memchr(b'_', text.as_bytes()).is_some() {
        return None;
    }
    Some(if keep {
        text
    } else {
        text.trim_matches([' ', '\t', '\r', '\n'])
    })
}

/// The text of an `<si>` or `<is>` element: its `<t>` runs joined, phonetic
/// runs (`<rPh>`) left out; `_xHHHH_` escapes decoded; a run without
/// `xml:space="preserve"` trimmed of XML white space.
fn rich_text(sc: &mut Scan, closing: &[u8]) -> Result<String, Finding> {
    let mut out = String::new();
    let mut run = String::new();
    let mut in_t = false;
    let mut preserve = false;
    let mut phonetic = 0usize;
    while let Some(ev) = sc.next().map_err(malformed)? {
        match ev {
            Ev::Start {
                name,
                attrs: a,
                empty,
            } => match local(name) {
                b"rPh" if !empty => phonetic += 1,
                b"t" if phonetic == 0 && !empty => {
                    in_t = true;
                    preserve = attr(a, b"space").is_some_and(|v| v == b"preserve");
                    run.clear();
                }
                _ => {}
            },
            Ev::Text(_) | Ev::CData(_) if in_t => push_text(&ev, &mut run).map_err(malformed)?,
            Ev::End { name } => match local(name) {
                b"rPh" => phonetic = phonetic.saturating_sub(1),
                b"t" if in_t => {
                    in_t = false;
                    let text = if preserve {
                        run.as_str()
                    } else {
                        run.trim_matches([' ', '\t', '\r', '\n'])
                    };
                    out.push_str(&unescape_x(text));
                }
                n if n == closing => return Ok(out),
                _ => {}
            },
            _ => {}
        }
    }
    Err(corrupt("dữ liệu chữ bị cắt cụt"))
}

/// Decodes OOXML's `_xHHHH_` escapes (UTF-16 units; a lone surrogate
/// becomes U+FFFD).
pub(crate) fn unescape_x(s: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memmem::find(s.as_bytes(), b"_x").is_none() {
        return s.into();
    }
    let unit = |i: usize| -> Option<u16> {
        let b = s.as_bytes();
        if i + 7 <= b.len()
            && &b[i..i + 2] == b"_x"
            && b[i + 6] == b'_'
            && b[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit)
        {
            u16::from_str_radix(&s[i + 2..i + 6], 16).ok()
        } else {
            None
        }
    };
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match unit(i) {
            Some(hi @ 0xD800..=0xDBFF) => match unit(i + 7) {
                Some(lo @ 0xDC00..=0xDFFF) => {
                    let c = 0x10000 + ((u32::from(hi) - 0xD800) << 10) + (u32::from(lo) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                    i += 14;
                }
                _ => {
                    out.push(char::REPLACEMENT_CHARACTER);
                    i += 7;
                }
            },
            Some(u) => {
                out.push(char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER));
                i += 7;
            }
            None => {
                let c = s[i..].chars().next().expect("in bounds");
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out.into()
}

fn custom_properties(xml: &[u8]) -> Result<BTreeMap<String, String>, Finding> {
    let mut out = BTreeMap::new();
    let mut name: Option<String> = None;
    let mut value = String::new();
    let mut in_value = false;
    let mut sc = Scan::new(xml).map_err(malformed)?;
    while let Some(ev) = sc.next().map_err(malformed)? {
        match ev {
            Ev::Start {
                name: tag,
                attrs: a,
                empty,
            } if local(tag) == b"property" => {
                name = attr_text(a, b"name");
                value.clear();
                if empty {
                    name = None;
                }
            }
            Ev::Start { empty, .. } => in_value = name.is_some() && !empty,
            Ev::Text(t) if in_value => decode(t, &mut value).map_err(malformed)?,
            Ev::End { name: tag } => {
                in_value = false;
                if local(tag) == b"property" {
                    if let Some(n) = name.take() {
                        out.insert(n, std::mem::take(&mut value));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

struct Context<'a> {
    strings: &'a Strings<'a>,
    dates: &'a [bool],
    date1904: bool,
}

/// Decimal digits only, no overflow.
fn number(d: &[u8]) -> Option<u64> {
    if d.is_empty() || d.len() > 10 || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    d.iter().try_fold(0u64, |n, b| {
        n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

fn bad_reference(what: &str) -> Finding {
    if what.is_empty() || what.len() > 24 || !what.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return corrupt("một ô có địa chỉ không hợp lệ");
    }
    corrupt(&format!("ô có địa chỉ «{what}» nằm ngoài trang tính Excel"))
}

/// The cells of one worksheet, in document order.
fn sheet_cells(xml: &[u8], cx: &Context, budget: &mut Budget) -> Result<Vec<Cell>, Finding> {
    let mut cells = Vec::new();
    let mut v = String::new();
    let (mut row, mut col) = (0u32, 0u32);
    let mut sc = Scan::new(xml).map_err(malformed)?;
    // Up to <sheetData>.
    loop {
        match sc.next().map_err(malformed)? {
            Some(Ev::Start { name, empty, .. }) if local(name) == b"sheetData" => {
                if empty {
                    return Ok(cells);
                }
                break;
            }
            Some(_) => {}
            None => return Ok(cells),
        }
    }
    // A cell's value, read after its start tag; pushed unless empty.
    let mut read_cell = |sc: &mut Scan, (pos, style, kind): CellAttrs| {
        let value = match plain_value(sc) {
            Some(_) if kind == Some(Kind::Inline) => None,
            Some(raw) if !needs_decoding(raw) => read_v(raw, cx, style, kind)?,
            Some(raw) => {
                v.clear();
                decode(raw, &mut v).map_err(malformed)?;
                read_v(&v, cx, style, kind)?
            }
            None => cell_value(sc, cx, style, kind, &mut v)?,
        };
        if let Some(value) = value {
            budget.take(&value)?;
            cells.push(Cell {
                row: pos.0,
                col: pos.1,
                value,
            });
        }
        Ok::<_, Finding>(())
    };
    loop {
        if let Some((attrs, empty, n)) = plain_cell_tag(sc.rest().as_bytes(), (row, col)) {
            sc.skip(n);
            let attrs = attrs?;
            (row, col) = (attrs.0 .0, attrs.0 .1.saturating_add(1));
            if !empty {
                read_cell(&mut sc, attrs)?;
            }
            continue;
        }
        // A row's end as the event loop would give it (see `Ev::End` below).
        if sc.rest().starts_with("</row>") {
            sc.skip(6);
            row = row.saturating_add(1);
            col = 0;
            continue;
        }
        let Some(ev) = sc.next().map_err(malformed)? else {
            break;
        };
        match ev {
            Ev::Start {
                name,
                attrs: a,
                empty,
            } => match local(name) {
                b"row" => {
                    if let Some(r) = attr(a, b"r") {
                        let n = number(r)
                            .filter(|n| (1..=u64::from(MAX_ROW)).contains(n))
                            .ok_or_else(|| bad_reference(&String::from_utf8_lossy(r)))?;
                        // An empty row: the next row without a number follows it.
                        row = if empty { n as u32 } else { n as u32 - 1 };
                    }
                    col = 0;
                }
                b"c" => {
                    let attrs = cell_attrs(a, (row, col))?;
                    (row, col) = (attrs.0 .0, attrs.0 .1.saturating_add(1));
                    if !empty {
                        read_cell(&mut sc, attrs)?;
                    }
                }
                _ => {}
            },
            Ev::End { name } => match local(name) {
                b"row" => {
                    row = row.saturating_add(1);
                    col = 0;
                }
                b"sheetData" => return Ok(cells),
                _ => {}
            },
            _ => {}
        }
    }
    Err(corrupt("dữ liệu một sheet bị cắt cụt"))
}

/// A cell's type (`t`).
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Number,
    Shared,
    Str,
    Inline,
    Bool,
    Error,
    IsoDate,
    Other,
}

impl Kind {
    fn of(t: &[u8]) -> Kind {
        match t {
            b"n" => Kind::Number,
            b"s" => Kind::Shared,
            b"str" => Kind::Str,
            b"inlineStr" => Kind::Inline,
            b"b" => Kind::Bool,
            b"e" => Kind::Error,
            b"d" => Kind::IsoDate,
            _ => Kind::Other,
        }
    }
}

/// A cell's position, style index and type.
type CellAttrs = ((u32, u32), Option<usize>, Option<Kind>);

/// A cell's position (its `r`, else the one after the previous cell), style
/// index and type (`None` when not given).
fn cell_attrs(raw: &[u8], next: (u32, u32)) -> Result<CellAttrs, Finding> {
    let mut found = (next, None, None);
    for (name, value) in attrs(raw) {
        cell_attr(&mut found, name, value)?;
    }
    Ok(found)
}

/// Takes one attribute of a cell's start tag (by local name) into `found`:
/// `r` the position (a malformed one is damage), `s` the style, `t` the
/// type; any other is ignored. Inlined: it runs for every attribute of
/// every cell.
#[inline(always)]
fn cell_attr(found: &mut CellAttrs, name: &[u8], value: &[u8]) -> Result<(), Finding> {
    match name {
        b"r" => {
            found.0 =
                cell_ref(value).ok_or_else(|| bad_reference(&String::from_utf8_lossy(value)))?;
        }
        b"s" => found.1 = number(value).map(|n| n as usize),
        b"t" => found.2 = Some(Kind::of(value)),
        _ => {}
    }
    Ok(())
}

/// A cell's start tag written the way nearly every one is — `<c` then
/// attributes `name="value"` one space apart, then `>` or `/>`, no `<` in
/// a value — with its attributes read in the same pass: what [`cell_attrs`]
/// gives, whether the tag is self-closing, and the bytes it takes. `None`
/// (for the general scanner) for any other form, so a damaged tag is judged
/// there as before.
fn plain_cell_tag(
    rest: &[u8],
    next: (u32, u32),
) -> Option<(Result<CellAttrs, Finding>, bool, usize)> {
    const OPEN: &[u8] = b"<c ";
    let b = rest.strip_prefix(OPEN)?;
    // The first damage found is kept; it is given only once the whole tag
    // is known to be plain (else the general path judges it).
    let mut found = Ok((next, None, None));
    let mut i = 0;
    // Names and values are short; looking no further keeps a damaged tag
    // from being searched to the part's end at every cell.
    let near = |from: usize, limit: usize, c: u8| {
        b.get(from..)?
            .iter()
            .take(limit)
            .position(|&x| x == c)
            .map(|k| from + k)
    };
    loop {
        let eq = near(i, 32, b'=')?;
        let name = &b[i..eq];
        if name.is_empty() || !name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b':') {
            return None;
        }
        let from = eq + 2;
        if b.get(eq + 1) != Some(&b'"') {
            return None;
        }
        let close = near(from, 256, b'"')?;
        let value = &b[from..close];
        if value.contains(&b'<') {
            return None;
        }
        if let Ok(attrs) = &mut found {
            if let Err(f) = cell_attr(attrs, local(name), value) {
                found = Err(f);
            }
        }
        i = close + 1;
        let (empty, end) = match (b.get(i)?, b.get(i + 1)) {
            (b' ', _) => {
                i += 1;
                continue;
            }
            (b'>', _) => (false, i + 1),
            (b'/', Some(b'>')) => (true, i + 2),
            _ => return None,
        };
        return Some((found, empty, OPEN.len() + end));
    }
}

/// The raw text of a cell written the way nearly every cell is, `<v>…</v></c>`
/// right after its start tag, with the scanner moved past the cell; `None`
/// (nothing moved) for any other form, which [`cell_value`] reads.
fn plain_value<'a>(sc: &mut Scan<'a>) -> Option<&'a str> {
    const OPEN: &str = "<v>";
    const CLOSE: &str = "</v></c>";
    let text = bare(sc.rest(), OPEN, CLOSE)?;
    sc.skip(OPEN.len() + text.len() + CLOSE.len());
    Some(text)
}

/// One run, `<t>…</t></si>` or `<t xml:space="preserve">…</t></si>`, at the
/// start of `rest`, its text without markup — the usual shared string: the
/// raw text, whether its margins are kept, and the bytes it takes.
fn one_run(rest: &str) -> Option<(&str, bool, usize)> {
    const CLOSE: &str = "</t></si>";
    [("<t>", false), (r#"<t xml:space="preserve">"#, true)]
        .into_iter()
        .find_map(|(open, keep)| {
            let text = bare(rest, open, CLOSE)?;
            Some((text, keep, open.len() + text.len() + CLOSE.len()))
        })
}

/// The text between `open` and `close` at the start of `rest`, when it holds
/// no markup (no `<`).
fn bare<'a>(rest: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let body = rest.strip_prefix(open)?;
    let k = memchr::memchr(b'<', body.as_bytes())?;
    body[k..].starts_with(close).then(|| &body[..k])
}

/// Text holding what [`decode`] would change or refuse (an entity, a
/// carriage return, a NUL), or markup.
fn needs_decoding(text: &str) -> bool {
    // In blocks, without stopping early inside one: the compiler turns the
    // comparisons into vector instructions.
    text.as_bytes().chunks(32).any(|block| {
        block.iter().fold(false, |seen, &b| {
            seen | matches!(b, b'&' | b'\r' | 0 | b'<')
        })
    })
}

/// The value of a `<c>` element, read to its end: `<v>` interpreted by the
/// cell type (shared string, boolean, error, ISO date, formula text, number
/// — a date when the style's format is one), or the inline `<is>` text.
/// Formulas are skipped; an empty or blank value is `None`.
fn cell_value(
    sc: &mut Scan,
    cx: &Context,
    style: Option<usize>,
    kind: Option<Kind>,
    v: &mut String,
) -> Result<Option<Value>, Finding> {
    let mut value = None;
    let mut in_v = false;
    let mut depth = 0usize;
    while let Some(ev) = sc.next().map_err(malformed)? {
        match ev {
            Ev::Start { name, empty, .. } => match local(name) {
                b"is" if depth == 0 && !empty => {
                    value = text_value(rich_text(sc, b"is")?);
                }
                b"v" if depth == 0 && !empty => {
                    in_v = true;
                    v.clear();
                }
                _ if !empty => depth += 1,
                _ => {}
            },
            Ev::Text(t) if in_v => decode(t, v).map_err(malformed)?,
            Ev::End { name } => match local(name) {
                b"v" if in_v => {
                    in_v = false;
                    if kind != Some(Kind::Inline) {
                        value = read_v(v, cx, style, kind)?;
                    }
                }
                b"c" if depth == 0 => return Ok(value),
                _ => depth = depth.saturating_sub(1),
            },
            _ => {}
        }
    }
    Err(corrupt("dữ liệu một sheet bị cắt cụt"))
}

fn read_v(
    v: &str,
    cx: &Context,
    style: Option<usize>,
    kind: Option<Kind>,
) -> Result<Option<Value>, Finding> {
    let bad = || corrupt("giá trị một ô không đúng kiểu khai báo");
    // Trimmed; a value that starts and ends with a digit or letter (nearly
    // every one) has nothing to trim.
    let t = match v.as_bytes() {
        [a, .., b] | [a @ b] if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() => v,
        _ => v.trim(),
    };
    Ok(match kind {
        Some(Kind::Shared) => {
            if t.is_empty() {
                return Ok(None);
            }
            let i = number(t.as_bytes()).ok_or_else(bad)?;
            let s = cx.strings.get(i as usize).ok_or_else(|| {
                corrupt("một ô trỏ tới chuỗi chữ không có trong bảng chuỗi dùng chung")
            })??;
            text_value(s)
        }
        Some(Kind::Str) => text_value(unescape_x(v).into_owned()),
        Some(Kind::Bool) => match t {
            "" => None,
            "0" => Some(Value::Bool(false)),
            "1" => Some(Value::Bool(true)),
            t if t.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
            t if t.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
            _ => return Err(bad()),
        },
        Some(Kind::Error) => (!t.is_empty()).then(|| Value::Error(t.to_string())),
        Some(Kind::IsoDate) => (!t.is_empty()).then(|| Value::DateIso(t.to_string())),
        Some(Kind::Number) | None => {
            if t.is_empty() {
                return Ok(None);
            }
            match t.parse::<f64>() {
                Ok(n) if n.is_finite() => {
                    let date = style
                        .and_then(|s| cx.dates.get(s).copied())
                        .unwrap_or(false);
                    Some(match (date, cx.date1904) {
                        (true, true) => Value::Date(n + DAYS_1904),
                        (true, false) => Value::Date(n),
                        (false, _) => Value::Number(n),
                    })
                }
                _ if kind.is_none() => text_value(v),
                _ => return Err(bad()),
            }
        }
        Some(Kind::Inline | Kind::Other) => return Err(bad()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoded text of one `<si>` element by the general path.
    fn general(si: &str) -> String {
        let mut sc = Scan::over(si);
        rich_text(&mut sc, b"si").unwrap()
    }

    #[test]
    fn the_plain_string_shortcut_agrees_with_the_general_reader() {
        let plain = [
            "<t>Hoàn thành</t></si>",
            "<t>  lề hai bên  </t></si>",
            "<t xml:space=\"preserve\">  lề giữ nguyên  </t></si>",
            "<t>dòng 1\ndòng 2</t></si>",
            "<t></t></si>",
        ];
        for si in plain {
            assert_eq!(plain_run(si), Some(general(si).as_str()), "{si}");
        }
        // Anything to decode, or any other shape, takes the general reader.
        let other = [
            "<t>a &amp; b</t></si>",
            "<t>CR\r\nLF</t></si>",
            "<t>_x0041_</t></si>",
            "<t>a_b</t></si>",
            "<t>nul\0</t></si>",
            "<t><![CDATA[x]]></t></si>",
            "<r><t>a</t></r><r><t>b</t></r></si>",
            "<t>a</t><rPh><t>ア</t></rPh></si>",
            "<x:t>a</x:t></si>",
        ];
        for si in other {
            assert_eq!(plain_run(si), None, "{si}");
        }
        assert_eq!(general("<t>a &amp; b</t></si>"), "a & b");
    }

    #[test]
    fn the_index_finds_a_usual_string_s_end_as_the_event_loop_does() {
        let xml = "<sst><si><t>a &amp; b</t></si><si><t xml:space=\"preserve\"> c </t></si><si><r><t>d</t></r></si><si/><si><t>e</t><rPh><t>f</t></rPh></si></sst>";
        let limits = Limits::default();
        let mut budget = Budget::new(&limits, None);
        let s = Strings::index(xml.as_bytes(), &mut budget).unwrap();
        let got: Vec<String> = (0..5).map(|i| s.get(i).unwrap().unwrap()).collect();
        assert_eq!(got, ["a & b", " c ", "d", "", "e"]);
        assert!(s.get(5).is_none());
        assert_eq!(one_run("<t>x</t></si><si>"), Some(("x", false, 13)));
        assert_eq!(one_run("<t>x</t><rPh/></si>"), None);
        assert_eq!(one_run("<t>x"), None);
    }

    #[test]
    fn the_plain_value_shortcut_takes_only_a_lone_v() {
        let mut sc = Scan::over("<v>12</v></c><c r=\"B1\"/>");
        assert_eq!(plain_value(&mut sc), Some("12"));
        assert_eq!(sc.rest(), "<c r=\"B1\"/>");
        for other in [
            "<f>A1</f><v>2</v></c>",
            "<v>1</v><extLst/></c>",
            "<is><t>x</t></is></c>",
            "<v>1</v>",
            "<v>1",
        ] {
            let mut sc = Scan::over(other);
            assert_eq!(plain_value(&mut sc), None, "{other}");
            assert_eq!(sc.rest(), other, "nothing moved");
        }
        assert!(needs_decoding("a&amp;b") && needs_decoding("x\r") && needs_decoding("\0"));
        assert!(!needs_decoding(&"Hoàn thành ".repeat(20)));
        assert!(needs_decoding(&format!("{}<", "x".repeat(70))));
    }

    /// What the general path gives for a cell tag: the scanner's start tag,
    /// then `cell_attrs`.
    fn general_tag(
        tag: &str,
        next: (u32, u32),
    ) -> Option<(Result<CellAttrs, String>, bool, usize)> {
        let mut sc = Scan::over(tag);
        match sc.next() {
            Ok(Some(Ev::Start { name, attrs, empty })) if local(name) == b"c" => Some((
                cell_attrs(attrs, next).map_err(|f| f.message),
                empty,
                sc.pos(),
            )),
            _ => None,
        }
    }

    #[test]
    fn the_plain_cell_tag_reads_as_the_general_path_does() {
        let next = (4, 2);
        let mut taken = 0;
        for tag in [
            r#"<c r="B7" s="3" t="s"><v>1</v></c>"#,
            r#"<c r="AB12" s="1"/><c r="AC12"/>"#,
            r#"<c s="5" t="n">"#,
            r#"<c t="inlineStr" r="C3"><is><t>x</t></is></c>"#,
            r#"<c r="XFD1048576" t="b"/>"#,
            r#"<c r="I4294967302" s="1"/>"#,
            r#"<c r="ZZZZ1"/>"#,
            r#"<c r="" t="s">"#,
            r#"<c r="A1" r="B2"/>"#,
            r#"<c r="A0" r="ZZZZ9"/>"#,
            r#"<c x:r="D4" cm="1" vm="2" ph="1">"#,
            r#"<c r="A1" t="s" >"#,
            r#"<c r="A1" s="1" />"#,
        ] {
            let (general_attrs, general_empty, general_len) = general_tag(tag, next).expect(tag);
            // Some forms are left to the general path; the rest agree with it.
            if let Some((attrs, empty, len)) = plain_cell_tag(tag.as_bytes(), next) {
                assert_eq!(attrs.map_err(|f| f.message), general_attrs, "{tag}");
                assert_eq!((empty, len), (general_empty, general_len), "{tag}");
                taken += 1;
            }
        }
        // All but the two with a space before the tag's end.
        assert_eq!(taken, 11);
        // The usual forms take the shortcut.
        for tag in [
            r#"<c r="B7" s="3" t="s">"#,
            r#"<c r="D1" s="1"/>"#,
            r#"<c r="ZZZZ1"/>"#,
        ] {
            assert!(plain_cell_tag(tag.as_bytes(), next).is_some(), "{tag}");
        }
        // Anything else is left to the general path, which judges damage.
        for tag in [
            r#"<c r='B7'>"#,
            r#"<c r="B7" s="<">"#,
            r#"<c  r="B7">"#,
            r#"<c r="B7"s="1">"#,
            r#"<c r="B7" a-b="1">"#,
            r#"<c>"#,
            r#"<cx r="B7">"#,
            r#"<c r="B7""#,
            &format!(r#"<c r="{}">"#, "1".repeat(300)),
            &format!(r#"<c {}="1">"#, "a".repeat(40)),
        ] {
            assert!(plain_cell_tag(tag.as_bytes(), next).is_none(), "{tag}");
        }
    }
}
