//! Pass 2 of plan reading: blocks ([`super::blocks`]) → [`Plan`].
//!
//! Blocks are nested by their markers (a kind of marker seen first under a
//! block nests below it; the same kind again is a sibling) into a tree per
//! section. Field blocks (`Cơ quan chủ trì: …`, whatever their marker, italic
//! or lettered) attach to the item above them; table rows carry their fields
//! in cells. A block is a **task when it carries an owner or a time field**,
//! whatever its marker; blocks above tasks are areas (the top-most) or parent
//! items; blocks without fields are prose, except under an agency heading
//! (agency-first documents), where each duty is led by the heading's unit.
//! Every line of a task section ends up in an element or a diagnostic; the
//! parser never panics on any input.

use super::blocks::{self, column_of, marker_of, Block, Column, Marker, SourceLine};
use super::deadline;
use super::model::*;
use crate::agencies::resolve::Resolver;
use crate::agencies::Directory;
use crate::text::fold;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Vietnamese item letters in order (no f, j, w, z).
const LETTERS: [&str; 23] = [
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
    "u", "v", "x", "y",
];

/// Parses plan text (UTF-8, any normalisation) against the agency directory.
pub fn parse_text(text: &str, directory: &Directory) -> Plan {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    let nfc: String;
    let text = if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text
    } else {
        nfc = text.nfc().collect();
        &nfc
    };
    parse_lines(&blocks::text_lines(text), directory)
}

/// Parses a .docx plan (bytes): paragraphs with their bold/italic and table
/// rows with their cells.
pub fn parse_docx(bytes: &[u8], directory: &Directory) -> anyhow::Result<Plan> {
    let lines = super::docx::source_lines(bytes)?;
    Ok(parse_lines(&lines, directory))
}

/// Parses source lines (from text or .docx).
pub fn parse_lines(lines: &[SourceLine], directory: &Directory) -> Plan {
    let heads: Vec<&str> = lines.iter().take(150).map(|l| l.text.as_str()).collect();
    let (meta, year_found) = super::meta::read(&heads);
    let mut b = Builder::new(directory, meta);
    if !year_found {
        b.diag(
            Severity::Warning,
            DiagKind::Document,
            0,
            "",
            format!("Không thấy năm của kế hoạch (ví dụ «Kế hoạch cải cách hành chính năm 2025») ở đầu văn bản; các thời hạn không ghi năm được hiểu là năm {}.", b.meta.year),
        );
    }
    let blocks = blocks::blocks(lines);
    for block in &blocks {
        b.block(block);
    }
    b.assemble();
    b.into_plan()
}

// ------------------------------------------------------------------ fields --

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    Lead,
    Executor,
    Cooperating,
    Products,
    Deadline,
    Content,
}

/// `Cơ quan chủ trì thực hiện: value` → (Lead, value). The label must open
/// the block and name a field of the vocabulary.
fn field_of(text: &str) -> Option<(FieldKind, String)> {
    let (label, value) = text.split_once([':', '：'])?;
    let f = fold(label);
    let f = f.trim_matches(|c: char| !c.is_alphanumeric());
    if label.chars().count() > 70 || f.split_whitespace().count() > 10 {
        return None;
    }
    const OPENERS: [&str; 14] = [
        "co quan",
        "don vi",
        "cac co quan",
        "chu tri",
        "phoi hop",
        "thoi gian",
        "thoi han",
        "san pham",
        "ket qua dau ra",
        "noi dung",
        "nhiem vu",
        "tien do",
        "trach nhiem",
        "bo phan",
    ];
    if !OPENERS.iter().any(|o| f.starts_with(o)) {
        return None;
    }
    let kind = if f.contains("chu tri") {
        FieldKind::Lead
    } else if f.contains("phoi hop") {
        FieldKind::Cooperating
    } else if f.starts_with("thoi gian") || f.starts_with("thoi han") || f.starts_with("tien do") {
        FieldKind::Deadline
    } else if f.starts_with("san pham") || f.starts_with("ket qua dau ra") {
        FieldKind::Products
    } else if f.contains("thuc hien")
        || f.starts_with("trach nhiem")
        || f == "co quan"
        || f == "don vi"
    {
        if f.starts_with("noi dung") || f.starts_with("nhiem vu") {
            FieldKind::Content
        } else {
            FieldKind::Executor
        }
    } else if (f.starts_with("noi dung") || f.starts_with("nhiem vu"))
        && f.split_whitespace().count() <= 4
    {
        FieldKind::Content
    } else {
        return None;
    };
    Some((kind, value.trim().to_string()))
}

#[derive(Debug, Default, Clone)]
struct Field {
    inline: String,
    bullets: Vec<String>,
    line: usize,
}

impl Field {
    fn new(inline: String, line: usize) -> Field {
        Field {
            inline,
            bullets: Vec::new(),
            line,
        }
    }

    /// The last text written into the field.
    fn tail(&self) -> &str {
        self.bullets.last().unwrap_or(&self.inline)
    }

    fn push_text(&mut self, t: &str) {
        let target = match self.bullets.last_mut() {
            Some(b) => b,
            None => &mut self.inline,
        };
        if !target.is_empty() {
            target.push(' ');
        }
        target.push_str(t);
    }
}

#[derive(Debug, Default, Clone)]
struct Fields {
    lead: Option<Field>,
    executor: Option<Field>,
    cooperating: Option<Field>,
    products: Option<Field>,
    deadline: Option<Field>,
    content: Option<Field>,
}

impl Fields {
    fn slot(&mut self, k: FieldKind) -> &mut Option<Field> {
        match k {
            FieldKind::Lead => &mut self.lead,
            FieldKind::Executor => &mut self.executor,
            FieldKind::Cooperating => &mut self.cooperating,
            FieldKind::Products => &mut self.products,
            FieldKind::Deadline => &mut self.deadline,
            FieldKind::Content => &mut self.content,
        }
    }

    /// Owner or time: what makes a block a task.
    fn makes_task(&self) -> bool {
        self.lead.is_some() || self.executor.is_some() || self.deadline.is_some()
    }

    fn any(&self) -> bool {
        self.makes_task()
            || self.cooperating.is_some()
            || self.products.is_some()
            || self.content.is_some()
    }

    /// Own fields first, then the inherited ones.
    fn or(self, inh: &Fields) -> Fields {
        Fields {
            lead: self.lead.or_else(|| inh.lead.clone()),
            executor: self.executor.or_else(|| inh.executor.clone()),
            cooperating: self.cooperating.or_else(|| inh.cooperating.clone()),
            products: self.products.or_else(|| inh.products.clone()),
            deadline: self.deadline.or_else(|| inh.deadline.clone()),
            content: self.content,
        }
    }
}

// ---------------------------------------------------------------- sections --

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before any heading (decision text), or a directive without sections.
    Preamble,
    /// "NHIỆM VỤ…", annexes ("PHỤ LỤC"), or a heading of unknown kind.
    Tasks,
    /// "MỤC ĐÍCH, YÊU CẦU", "GIẢI PHÁP", decision articles.
    Prose,
    /// "TỔ CHỨC THỰC HIỆN", "KINH PHÍ", "Nơi nhận": duties and boilerplate.
    Closing,
}

/// The section a heading opens, by its words; `None` for other headings.
fn section_of(title: &str) -> Option<Section> {
    let f = fold(title);
    let has = |ks: &[&str]| ks.iter().any(|k| f.contains(k));
    if has(&[
        "to chuc thuc hien",
        "kinh phi",
        "che do bao cao",
        "dieu khoan",
        "trach nhiem thi hanh",
    ]) {
        return Some(Section::Closing);
    }
    if has(&["nhiem vu", "danh muc", "phu luc", "noi dung"]) {
        return Some(Section::Tasks);
    }
    if has(&[
        "muc dich",
        "yeu cau",
        "muc tieu",
        "quan diem",
        "giai phap",
        "danh gia",
        "ket qua thuc hien",
        "can cu",
    ]) {
        return Some(Section::Prose);
    }
    None
}

// -------------------------------------------------------------------- tree --

/// Kind of a section root in the stack.
const KIND_SECTION: u8 = 0;
/// Unnumbered heading (bold in .docx, capitals in text).
const KIND_HEADING: u8 = 5;
/// Table rows nest among themselves, below the text around the table.
const KIND_TABLE: u8 = 100;

#[derive(Debug, Default)]
struct Node {
    parent: usize,
    kind: u8,
    marker: Option<Marker>,
    content: String,
    fields: Fields,
    children: Vec<usize>,
    first: usize,
    last: usize,
    section: Option<Section>,
    is_section: bool,
    /// The lead given by an agency heading above (agency-first layout).
    heading_lead: Option<Field>,
}

/// Column roles of a task table.
#[derive(Debug, Default, Clone, PartialEq)]
struct TableCols {
    number: Option<usize>,
    content: Option<usize>,
    lead: Option<usize>,
    executor: Option<usize>,
    cooperating: Option<usize>,
    products: Option<usize>,
    deadline: Option<usize>,
    width: usize,
}

impl TableCols {
    fn set(&mut self, i: usize, c: Column) {
        let slot = match c {
            Column::Number => &mut self.number,
            Column::Content => &mut self.content,
            Column::Lead => &mut self.lead,
            Column::Executor => &mut self.executor,
            Column::Cooperating => &mut self.cooperating,
            Column::Deadline => &mut self.deadline,
            Column::Products => &mut self.products,
            Column::Note => return,
        };
        slot.get_or_insert(i);
    }
}

/// A header row: at least a content column and an owner or time column.
fn table_header(cells: &[String]) -> Option<TableCols> {
    let mut c = TableCols {
        width: cells.len(),
        ..TableCols::default()
    };
    let mut labels = 0;
    for (i, cell) in cells.iter().enumerate() {
        if let Some(col) = column_of(cell) {
            c.set(i, col);
            labels += 1;
        }
    }
    let owner_or_time = c.lead.is_some() || c.executor.is_some() || c.deadline.is_some();
    (c.content.is_some() && owner_or_time && labels >= 2).then_some(c)
}

/// The second row of a two-row header ("Cơ quan thực hiện" over "Chủ trì |
/// Phối hợp"): every non-empty cell is a column label.
fn header_continuation(cells: &[String], cols: &mut TableCols) -> bool {
    let filled: Vec<(usize, &String)> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .collect();
    let labels: Vec<(usize, Column)> = filled
        .iter()
        .filter_map(|(i, c)| column_of(c).map(|col| (*i, col)))
        .collect();
    if labels.is_empty() || labels.len() != filled.len() {
        return false;
    }
    for (i, col) in labels {
        for slot in [&mut cols.lead, &mut cols.executor, &mut cols.cooperating] {
            if *slot == Some(i) {
                *slot = None;
            }
        }
        if col == Column::Lead && cols.executor == Some(i) {
            cols.executor = None;
        }
        match col {
            Column::Lead => cols.lead = Some(i),
            Column::Cooperating => cols.cooperating = Some(i),
            Column::Executor => cols.executor = Some(i),
            other => cols.set(i, other),
        }
    }
    true
}

/// A row of column numbers under a header: "(1) | (2) | (3)".
fn is_column_numbers(cells: &[String]) -> bool {
    cells.iter().filter(|c| !c.is_empty()).count() >= 2
        && cells.iter().all(|c| {
            c.trim_matches(['(', ')', ' ', '.'])
                .chars()
                .all(|ch| ch.is_ascii_digit())
        })
}

#[derive(Debug)]
struct Table {
    cols: TableCols,
    /// Node the rows nest under.
    parent: usize,
    /// The previous task row, which a continuation row extends.
    last_row: Option<usize>,
}

/// The field a block continues.
#[derive(Debug, Clone, Copy)]
struct OpenField {
    node: usize,
    kind: FieldKind,
    marker_kind: u8,
}

struct Builder<'d> {
    resolver: Resolver<'d>,
    meta: PlanMeta,
    nodes: Vec<Node>,
    stack: Vec<usize>,
    open: Option<OpenField>,
    table: Option<Table>,
    diagnostics: Vec<Diagnostic>,
    areas: Vec<Area>,
    parents: Vec<Item>,
    tasks: Vec<Task>,
    ids: HashSet<String>,
    area_numbers: HashMap<String, String>,
    area_of_node: HashMap<usize, usize>,
}

impl<'d> Builder<'d> {
    fn new(directory: &'d Directory, meta: PlanMeta) -> Builder<'d> {
        let root = Node {
            section: Some(Section::Preamble),
            is_section: true,
            ..Node::default()
        };
        Builder {
            resolver: Resolver::new(directory),
            meta,
            nodes: vec![root],
            stack: vec![0],
            open: None,
            table: None,
            diagnostics: Vec::new(),
            areas: Vec::new(),
            parents: Vec::new(),
            tasks: Vec::new(),
            ids: HashSet::new(),
            area_numbers: HashMap::new(),
            area_of_node: HashMap::new(),
        }
    }

    fn diag(
        &mut self,
        severity: Severity,
        kind: DiagKind,
        line: usize,
        text: &str,
        message: impl Into<String>,
    ) {
        let text: String = text.chars().take(300).collect();
        self.diagnostics.push(Diagnostic {
            severity,
            kind,
            line,
            text,
            message: message.into(),
        });
    }

    fn section(&self) -> Section {
        self.nodes[self.stack[0]]
            .section
            .unwrap_or(Section::Preamble)
    }

    fn top(&self) -> usize {
        *self.stack.last().unwrap_or(&0)
    }

    // ------------------------------------------------------------ blocks --

    fn block(&mut self, b: &Block) {
        if let Some(cells) = &b.cells {
            return self.row(b, cells);
        }
        if let Some(kind) = self.section_heading(b) {
            return self.open_section(b, kind);
        }
        if let Some((kind, value)) = field_of(&b.text) {
            return self.field(b, kind, value);
        }
        if self.continue_field(b) {
            return;
        }
        self.open = None;
        let heading = b.marker == Marker::None && is_heading(b);
        if b.marker == Marker::None && !heading {
            return self.prose(b);
        }
        if self.section() == Section::Tasks || self.section() == Section::Preamble {
            if let Marker::Roman(_) = b.marker {
                if self.section() == Section::Preamble {
                    // A roman heading of unknown kind opens a section of its own.
                    return self.open_section(b, Section::Tasks);
                }
            }
        } else if let Marker::Roman(_) = b.marker {
            return self.open_section(b, Section::Tasks);
        }
        let kind = if heading {
            KIND_HEADING
        } else {
            b.marker.kind()
        };
        self.push_node(b, kind, b.marker.clone(), b.text.clone());
    }

    /// A heading that opens a section: a roman heading naming one, "PHỤ
    /// LỤC", "Nơi nhận", "Điều 1.".
    fn section_heading(&self, b: &Block) -> Option<Section> {
        let f = fold(&b.text);
        match &b.marker {
            Marker::Roman(_) => {
                let s = section_of(&b.text)?;
                // Inside a tasks section, roman areas ("I. CẢI CÁCH THỂ CHẾ")
                // stay areas; only section words open a new section.
                Some(s)
            }
            Marker::None => {
                if f.starts_with("noi nhan") {
                    Some(Section::Closing)
                } else if f.starts_with("phu luc") && b.text.chars().count() < 120 {
                    Some(Section::Tasks)
                } else if f.starts_with("dieu ") && f[5..].starts_with(|c: char| c.is_ascii_digit())
                {
                    Some(Section::Prose)
                } else if (f.starts_with("danh muc nhiem vu") || f.starts_with("nhiem vu cu the"))
                    && is_upper(&b.text)
                {
                    Some(Section::Tasks)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    fn open_section(&mut self, b: &Block, kind: Section) {
        self.open = None;
        self.table = None;
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent: 0,
            kind: KIND_SECTION,
            marker: Some(b.marker.clone()),
            content: trim_title(&b.text),
            first: b.line,
            last: b.last,
            section: Some(kind),
            is_section: true,
            ..Node::default()
        });
        self.stack = vec![id];
    }

    fn push_node(&mut self, b: &Block, kind: u8, marker: Marker, content: String) -> usize {
        if let Some(pos) = self
            .stack
            .iter()
            .skip(1)
            .position(|&n| self.nodes[n].kind == kind)
        {
            self.stack.truncate(pos + 1);
        }
        let parent = self.top();
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent,
            kind,
            marker: Some(marker),
            content,
            first: b.line,
            last: b.last,
            ..Node::default()
        });
        self.nodes[parent].children.push(id);
        self.stack.push(id);
        id
    }

    /// The item a field with this marker belongs to: the nearest open item of
    /// another marker kind (a `-` field is a sibling of `-` items, so it
    /// belongs to their parent).
    fn field_target(&self, marker_kind: u8) -> usize {
        let mut candidates = self.stack.iter().rev();
        let pick = candidates
            .find(|&&n| marker_kind == 0 || self.nodes[n].kind != marker_kind)
            .copied();
        pick.unwrap_or(0)
    }

    fn field(&mut self, b: &Block, kind: FieldKind, value: String) {
        let mk = b.marker.kind();
        // `+ Cơ quan chủ trì:` under a `- sub-task:` belongs to the sub-task;
        // a field under an open field of another kind is still a field.
        let node = self.field_target(mk);
        let n = &mut self.nodes[node];
        let slot = n.fields.slot(kind);
        if slot.is_some() {
            let text = b.printed();
            self.diag(
                Severity::Warning,
                DiagKind::Numbering,
                b.line,
                &text,
                "Trường này xuất hiện hai lần trong cùng một nhiệm vụ; giữ giá trị đầu, bỏ qua dòng này.",
            );
            self.open = None;
            return;
        }
        *slot = Some(Field::new(value, b.line));
        n.last = n.last.max(b.last);
        self.extend_last(node, b.last);
        self.open = Some(OpenField {
            node,
            kind,
            marker_kind: mk,
        });
    }

    fn extend_last(&mut self, node: usize, last: usize) {
        let mut n = node;
        loop {
            let x = &mut self.nodes[n];
            x.last = x.last.max(last);
            if n == 0 || x.is_section {
                break;
            }
            n = x.parent;
        }
    }

    /// A bullet or wrapped line that continues the open field.
    fn continue_field(&mut self, b: &Block) -> bool {
        let Some(open) = self.open else { return false };
        let bk = b.marker.kind();
        let field = self.nodes[open.node].fields.slot(open.kind).clone();
        let Some(mut field) = field else { return false };
        let bullet = matches!(b.marker, Marker::Dash | Marker::Plus);
        let ok = if bullet {
            field.inline.is_empty() && field.bullets.is_empty()
                || open.marker_kind != 0 && bk > open.marker_kind
                || !field.bullets.is_empty() && bk == Marker::Plus.kind()
        } else if b.marker == Marker::None {
            let tail = field.tail().trim_end();
            let ended = tail.ends_with(['.', ';', '!', '?']);
            !is_heading(b) && (!ended || b.text.starts_with(char::is_lowercase))
        } else {
            false
        };
        if !ok {
            return false;
        }
        if bullet {
            field.bullets.push(b.text.clone());
        } else {
            field.push_text(&b.text);
        }
        *self.nodes[open.node].fields.slot(open.kind) = Some(field);
        self.extend_last(open.node, b.last);
        true
    }

    /// An unmarked paragraph: the continuation of an item's text, or prose.
    fn prose(&mut self, b: &Block) {
        let top = self.top();
        let n = &mut self.nodes[top];
        if !n.is_section && !n.fields.any() && n.children.is_empty() {
            n.content.push(' ');
            n.content.push_str(&b.text);
            n.last = b.last;
            return;
        }
        let text = b.printed();
        let after_fields = n.fields.any();
        if self.section() == Section::Tasks && after_fields {
            self.diag(
                Severity::Warning,
                DiagKind::UnreadLine,
                b.line,
                &text,
                "Dòng đứng sau các trường của nhiệm vụ nhưng không phải trường nào (thiếu «- Tên trường:»?); nội dung dòng không được đọc.",
            );
        } else {
            self.skipped(b.line, &text);
        }
    }

    fn skipped(&mut self, line: usize, text: &str) {
        self.diag(
            Severity::Info,
            DiagKind::Skipped,
            line,
            text,
            "Đoạn văn không phải nhiệm vụ (không có cơ quan chủ trì, thời hạn); bỏ qua.",
        );
    }

    // ------------------------------------------------------------ tables --

    fn row(&mut self, b: &Block, cells: &[String]) {
        self.open = None;
        if let Some(cols) = table_header(cells) {
            if self.table.as_ref().is_some_and(|t| t.cols == cols) {
                return; // the header repeated on a new page
            }
            // Rows nest under the heading above the table, not under a task.
            while self.stack.len() > 1 {
                let n = &self.nodes[self.top()];
                if n.fields.any() || n.kind >= 20 {
                    self.stack.pop();
                } else {
                    break;
                }
            }
            self.table = Some(Table {
                cols,
                parent: self.top(),
                last_row: None,
            });
            return;
        }
        let Some(table) = self.table.as_mut() else {
            return self.diag(
                Severity::Info,
                DiagKind::Table,
                b.line,
                &b.printed(),
                "Dòng bảng không nằm dưới dòng tiêu đề cột (Nội dung / Cơ quan chủ trì / Thời gian…); không coi là nhiệm vụ.",
            );
        };
        if header_continuation(cells, &mut table.cols) || is_column_numbers(cells) {
            return;
        }
        let cols = table.cols.clone();
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        let mut number = cell(cols.number);
        let mut content = cell(cols.content);
        let filled = cells.iter().filter(|c| !c.is_empty()).count();
        // A group row merged across the table, or copied with fewer cells.
        if cells.len() < cols.width.min(3) || filled == 1 && number.is_empty() && content.is_empty()
        {
            let joined: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
            number = joined.first().map(|s| s.to_string()).unwrap_or_default();
            content = joined.get(1).map(|s| s.to_string()).unwrap_or_default();
        }
        let mut fields = Fields::default();
        let mut put = |k: FieldKind, i: Option<usize>| {
            let v = cell(i);
            if !v.is_empty() && i.is_some() && i != cols.content && i != cols.number {
                *fields.slot(k) = Some(Field::new(v, b.line));
            }
        };
        put(FieldKind::Lead, cols.lead);
        put(FieldKind::Executor, cols.executor);
        put(FieldKind::Cooperating, cols.cooperating);
        put(FieldKind::Products, cols.products);
        put(FieldKind::Deadline, cols.deadline);
        // The number may be printed inside the content cell ("1. Rà soát").
        let (mut marker, mut text) = row_marker(&number);
        if text.is_empty() {
            text = content.clone();
        } else if !content.is_empty() {
            text = format!("{text} {content}");
        }
        if marker == Marker::None {
            let (m, rest) = marker_of(&content);
            if !matches!(m, Marker::Dash | Marker::Plus) {
                marker = m;
                text = rest.to_string();
            }
        }
        // A row without number continuing the previous task row (wrapped).
        if cols.number.is_some() && number.is_empty() && marker == Marker::None {
            if let Some(prev) = self.table.as_ref().and_then(|t| t.last_row) {
                return self.extend_row(prev, b, &text, fields);
            }
        }
        if text.is_empty() && !fields.makes_task() {
            return;
        }
        let kind = KIND_TABLE
            + match &marker {
                Marker::None => 3,
                m => m.kind(),
            };
        let parent = self.table.as_ref().map_or(0, |t| t.parent);
        if let Some(pos) = self.stack.iter().position(|&n| n == parent) {
            // Keep the table's own rows above; drop text items opened since.
            let keep = self
                .stack
                .iter()
                .skip(pos + 1)
                .take_while(|&&n| self.nodes[n].kind >= KIND_TABLE)
                .count();
            self.stack.truncate(pos + 1 + keep);
        }
        let id = self.push_node(b, kind, marker, text);
        let task = fields.makes_task();
        self.nodes[id].fields = fields;
        self.extend_last(id, b.last);
        if let Some(t) = self.table.as_mut() {
            t.last_row = task.then_some(id);
        }
    }

    fn extend_row(&mut self, prev: usize, b: &Block, text: &str, fields: Fields) {
        let n = &mut self.nodes[prev];
        if !text.is_empty() {
            n.content.push(' ');
            n.content.push_str(text);
        }
        for k in [
            FieldKind::Lead,
            FieldKind::Executor,
            FieldKind::Cooperating,
            FieldKind::Products,
            FieldKind::Deadline,
        ] {
            let mut extra = fields.clone();
            let Some(add) = extra.slot(k).take() else {
                continue;
            };
            match n.fields.slot(k) {
                Some(f) => f.push_text(&add.inline),
                slot => *slot = Some(add),
            }
        }
        self.extend_last(prev, b.last);
    }

    // ---------------------------------------------------------- assembly --

    /// Walks the tree: tasks, their areas and parents, agency headings.
    fn assemble(&mut self) {
        self.mark_agency_headings();
        let order: Vec<usize> = (0..self.nodes.len()).collect();
        let is_task: Vec<bool> = order.iter().map(|&i| self.is_task(i)).collect();
        let mut has_task_below = vec![false; self.nodes.len()];
        for i in (0..self.nodes.len()).rev() {
            if is_task[i] || has_task_below[i] {
                let p = self.nodes[i].parent;
                if p != i {
                    has_task_below[p] = true;
                }
            }
        }
        self.check_letters();
        for i in 0..self.nodes.len() {
            if self.nodes[i].is_section {
                continue;
            }
            if is_task[i] && !has_task_below[i] {
                self.emit_task(i, &is_task, &has_task_below);
            } else if !is_task[i] && !has_task_below[i] {
                self.report_fieldless(i);
            }
        }
        if self.tasks.is_empty() {
            self.diag(
                Severity::Error,
                DiagKind::Document,
                0,
                "",
                "Không đọc được nhiệm vụ nào. Văn bản cần có các mục nhiệm vụ kèm «Cơ quan chủ trì: …» và «Thời gian thực hiện: …», hoặc một bảng có cột «Nội dung», «Cơ quan chủ trì», «Thời gian». Nếu không đọc được văn bản này, hãy nhập danh mục nhiệm vụ bằng bảng tính (xem README, mục «Kế hoạch dạng bảng tính»).",
            );
        }
    }

    fn is_task(&self, i: usize) -> bool {
        let n = &self.nodes[i];
        !n.is_section
            && (n.fields.makes_task() || n.heading_lead.is_some() && n.children.is_empty())
    }

    /// Agency-first layout: a heading naming a unit ("1. Sở Nội vụ:") over
    /// duties without fields. Its duties are tasks led by that unit.
    fn mark_agency_headings(&mut self) {
        for i in 0..self.nodes.len() {
            let n = &self.nodes[i];
            let section = self.section_of_node(i);
            if n.is_section
                || n.fields.any()
                || !matches!(section, Section::Tasks | Section::Preamble)
                || n.kind >= 20 && n.kind < KIND_TABLE
            {
                continue;
            }
            let (name, duty) = match n.content.split_once(':') {
                Some((a, d)) => (a.trim().to_string(), d.trim().to_string()),
                None => (n.content.trim().to_string(), String::new()),
            };
            if !self.is_agency_name(&name) {
                continue;
            }
            let leaves = self.fieldless_leaves(i);
            if leaves.is_empty() && duty.chars().count() < 10 {
                continue;
            }
            let lead = Field::new(name.trim_end_matches(['.', ',']).to_string(), n.first);
            if leaves.is_empty() {
                self.nodes[i].content = duty;
                self.nodes[i].heading_lead = Some(lead);
            } else {
                for l in leaves {
                    self.nodes[l].heading_lead = Some(lead.clone());
                }
            }
        }
    }

    fn section_of_node(&self, mut i: usize) -> Section {
        loop {
            let n = &self.nodes[i];
            if n.is_section || i == 0 {
                return n.section.unwrap_or(Section::Preamble);
            }
            i = n.parent;
        }
    }

    /// Descendants without children and without fields, when no descendant
    /// carries fields of its own.
    fn fieldless_leaves(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut todo = self.nodes[i].children.clone();
        while let Some(c) = todo.pop() {
            let n = &self.nodes[c];
            if n.fields.any() {
                return Vec::new();
            }
            if n.children.is_empty() {
                out.push(c);
            } else {
                todo.extend(n.children.iter().copied());
            }
        }
        out.sort_unstable();
        out
    }

    /// "Sở Nội vụ", "Giám đốc Sở Tư pháp", "UBND các huyện": a short text
    /// that names known units and little else.
    fn is_agency_name(&self, name: &str) -> bool {
        let f = fold(name);
        let words = f.split_whitespace().count();
        if words == 0 || words > 14 {
            return false;
        }
        const UNITS: [&str; 14] = [
            "so ",
            "ban ",
            "uy ban",
            "ubnd",
            "van phong",
            "cong an",
            "bo chi huy",
            "thanh tra",
            "cac so",
            "giam doc",
            "thu truong",
            "chu tich",
            "chanh van phong",
            "dai ",
        ];
        if !UNITS.iter().any(|u| f.starts_with(u)) {
            return false;
        }
        let a = self.resolver.resolve(name, &[]);
        !a.members.is_empty()
    }

    /// Fieldless items of a tasks section are reported once each, as skipped.
    fn report_fieldless(&mut self, i: usize) {
        let n = &self.nodes[i];
        if n.kind == KIND_HEADING || n.content.is_empty() {
            return;
        }
        let (line, text) = (n.first, n.content.clone());
        let section = self.section_of_node(i);
        if section == Section::Tasks && n.parent != 0 && !n.children.is_empty() {
            return; // a group heading without tasks: reported via its items
        }
        self.skipped(line, &text);
    }

    fn check_letters(&mut self) {
        let mut warnings = Vec::new();
        for n in &self.nodes {
            let mut last: Option<&str> = None;
            for &c in &n.children {
                let Some(Marker::Letter(l)) = &self.nodes[c].marker else {
                    continue;
                };
                let l = l.as_str();
                let expected = match last {
                    None => LETTERS.first().copied(),
                    Some(prev) => LETTERS
                        .iter()
                        .position(|x| *x == prev)
                        .and_then(|i| LETTERS.get(i + 1).copied()),
                };
                if expected.is_some_and(|e| e != l) {
                    warnings.push((self.nodes[c].first, l.to_string(), expected.unwrap_or("?")));
                }
                last = Some(l);
            }
        }
        for (line, letter, expected) in warnings {
            self.diag(
                Severity::Warning,
                DiagKind::Numbering,
                line,
                &format!("{letter})"),
                format!("Mục «{letter})» không theo thứ tự chữ cái tiếng Việt (mong đợi «{expected})»); kiểm tra văn bản có thiếu hoặc trùng mục không."),
            );
        }
    }

    /// Ancestors of a node below its section, top-most first.
    fn path(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut n = self.nodes[i].parent;
        while n != 0 && !self.nodes[n].is_section {
            out.push(n);
            n = self.nodes[n].parent;
        }
        out.reverse();
        out
    }

    fn section_root(&self, i: usize) -> usize {
        let mut n = i;
        while n != 0 && !self.nodes[n].is_section {
            n = self.nodes[n].parent;
        }
        n
    }

    fn emit_task(&mut self, i: usize, is_task: &[bool], _below: &[bool]) {
        let path = self.path(i);
        let groups: Vec<usize> = path.iter().copied().filter(|&g| !is_task[g]).collect();
        // The area: the top-most group; past an "A. …" group over roman areas.
        let mut at = 0;
        while at + 1 < groups.len()
            && !matches!(self.nodes[groups[at]].marker, Some(Marker::Roman(_)))
            && matches!(self.nodes[groups[at + 1]].marker, Some(Marker::Roman(_)))
        {
            at += 1;
        }
        let area_node = groups
            .get(at)
            .copied()
            .unwrap_or_else(|| self.section_root(i));
        let area_idx = self.area_for(area_node, i);
        let below: Vec<usize> = path
            .iter()
            .copied()
            .skip_while(|&g| g != area_node)
            .skip(usize::from(groups.get(at).is_some()))
            .collect();
        // Inherited fields: from task ancestors (nearest first).
        let mut inherited = Fields::default();
        for &a in path.iter().rev() {
            inherited = inherited.or(&self.nodes[a].fields.clone());
        }
        let (area_id, area_num) = {
            let a = &self.areas[area_idx];
            (a.id.clone(), a.number.clone())
        };
        let seq = area_id.trim_start_matches("LV").to_string();
        let mut parts: Vec<String> = Vec::new();
        let mut parent_id: Option<String> = None;
        for &g in below.iter().chain(std::iter::once(&i)) {
            let part = self.part(g);
            match parts.last() {
                Some(prev) if part.starts_with(&format!("{prev}.")) => {
                    let l = parts.len() - 1;
                    parts[l] = part;
                }
                _ => parts.push(part),
            }
            if g != i {
                let label = label_of(&area_num, &parts);
                let id = id_of(&seq, &area_num, &parts);
                if !self.parents.iter().any(|p| p.id == id) {
                    let n = &self.nodes[g];
                    self.parents.push(Item {
                        id: id.clone(),
                        area_id: area_id.clone(),
                        label,
                        content: n.content.trim().to_string(),
                        lines: LineRange {
                            first: n.first,
                            last: n.last,
                        },
                    });
                    self.ids.insert(id.clone());
                }
                parent_id = Some(id);
            }
        }
        let label = label_of(&area_num, &parts);
        let id = self.unique_id(id_of(&seq, &area_num, &parts), self.nodes[i].first);
        let n = &self.nodes[i];
        let mut fields = n.fields.clone().or(&inherited);
        if fields.lead.is_none() && fields.executor.is_none() {
            fields.lead = n.heading_lead.clone();
        }
        let content = task_content(&n.content, fields.content.as_ref());
        let lines = LineRange {
            first: n.first,
            last: n.last,
        };
        if let Some(a) = self.areas.get_mut(area_idx) {
            a.lines.last = a.lines.last.max(lines.last);
        }
        let task = self.build_task(TaskParts {
            id,
            area_id,
            label,
            parent: parent_id,
            content,
            fields,
            lines,
        });
        self.tasks.push(task);
    }

    /// A node's part of a task label: its marker, or its place among its
    /// siblings of the same kind (bullets, unnumbered rows).
    fn part(&self, g: usize) -> String {
        let n = &self.nodes[g];
        match &n.marker {
            Some(m) if !m.label().is_empty() => m.label().to_string(),
            _ => {
                let p = &self.nodes[n.parent];
                let k = p
                    .children
                    .iter()
                    .filter(|&&c| self.nodes[c].kind == n.kind)
                    .position(|&c| c == g)
                    .unwrap_or(0);
                (k + 1).to_string()
            }
        }
    }

    /// The area for a node, created on first use.
    fn area_for(&mut self, node: usize, task: usize) -> usize {
        if let Some(&a) = self.area_of_node.get(&node) {
            return a;
        }
        let n = &self.nodes[node];
        let seq = self.areas.len() + 1;
        let number = match &n.marker {
            Some(m) if !m.label().is_empty() => m.label().to_string(),
            _ => seq.to_string(),
        };
        let title = if node == 0 {
            "Chưa phân loại".to_string()
        } else {
            trim_title(&n.content)
        };
        let first = if node == 0 {
            self.nodes[task].first
        } else {
            n.first
        };
        // A number printed a second time is shown as the next one, with one
        // diagnostic (`Plan::show_repeated_area_numbers`, after parsing).
        if !self.area_numbers.contains_key(&number) {
            self.area_numbers.insert(number.clone(), title.clone());
        }
        if node == 0 {
            self.diag(
                Severity::Warning,
                DiagKind::Document,
                first,
                "",
                "Nhiệm vụ đứng trước mọi tiêu đề lĩnh vực; được xếp vào lĩnh vực «Chưa phân loại».",
            );
        }
        self.areas.push(Area {
            id: format!("LV{seq}"),
            number,
            title,
            lines: LineRange { first, last: first },
        });
        self.area_of_node.insert(node, self.areas.len() - 1);
        self.areas.len() - 1
    }

    fn unique_id(&mut self, id: String, line: usize) -> String {
        if self.ids.insert(id.clone()) {
            return id;
        }
        let mut n = 2;
        while self.ids.contains(&format!("{id}-{n}")) {
            n += 1;
        }
        let new = format!("{id}-{n}");
        self.ids.insert(new.clone());
        self.diag(
            Severity::Warning,
            DiagKind::Numbering,
            line,
            "",
            format!("Mục {id} bị trùng trong cùng lĩnh vực; mục sau được đánh mã {new}."),
        );
        new
    }

    fn build_task(&mut self, p: TaskParts) -> Task {
        let TaskParts {
            id,
            area_id,
            label,
            parent,
            content,
            fields,
            lines,
        } = p;
        let ctx = format!("Nhiệm vụ {label}");
        let lead_field = fields.lead.or(fields.executor);
        let lead = self.assignment(&ctx, "Cơ quan chủ trì", lead_field, lines.first, true);
        let cooperating = self.assignment(
            &ctx,
            "Cơ quan phối hợp",
            fields.cooperating,
            lines.first,
            false,
        );
        if fields.products.is_none() {
            self.diag(
                Severity::Info,
                DiagKind::MissingField,
                lines.first,
                &label,
                format!("{ctx} không ghi «Sản phẩm»."),
            );
        }
        let products = fields
            .products
            .map(|f| {
                f.inline
                    .split(';')
                    .map(|s| s.trim().trim_end_matches('.').trim().to_string())
                    .chain(
                        f.bullets
                            .iter()
                            .map(|b| b.trim_end_matches('.').to_string()),
                    )
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let deadline = self.deadline(&ctx, &label, fields.deadline, lines.first);
        if content.trim().is_empty() {
            self.diag(
                Severity::Warning,
                DiagKind::MissingField,
                lines.first,
                &label,
                format!("{ctx} không có nội dung."),
            );
        }
        Task {
            id,
            area_id,
            label,
            parent,
            content: content.trim().to_string(),
            lead,
            cooperating,
            products,
            deadline,
            lines,
        }
    }

    fn deadline(&mut self, ctx: &str, label: &str, f: Option<Field>, line: usize) -> Deadline {
        let Some(f) = f else {
            self.diag(
                Severity::Warning,
                DiagKind::Deadline,
                line,
                label,
                format!(
                    "{ctx} không ghi «Thời gian thực hiện»; nhiệm vụ được coi là không có hạn."
                ),
            );
            return Deadline::default();
        };
        let text = std::iter::once(f.inline.clone())
            .chain(f.bullets.clone())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        let d = deadline::parse(&text, self.meta.year);
        if d.milestones.iter().any(|m| m.when == When::Unspecified) {
            self.diag(
                Severity::Warning,
                DiagKind::Deadline,
                f.line,
                &text,
                format!("{ctx}: không nhận ra mốc thời gian trong «{text}»; nhiệm vụ được coi là không có hạn cụ thể."),
            );
        }
        d
    }

    fn assignment(
        &mut self,
        ctx: &str,
        name: &str,
        field: Option<Field>,
        line: usize,
        required: bool,
    ) -> Assignment {
        let Some(f) = field else {
            let (sev, kind) = if required {
                (Severity::Warning, DiagKind::NoLead)
            } else {
                (Severity::Info, DiagKind::MissingField)
            };
            self.diag(sev, kind, line, "", format!("{ctx} không ghi «{name}»."));
            return Assignment::default();
        };
        let a = self.resolver.resolve(&f.inline, &f.bullets);
        for u in &a.unresolved {
            if !is_generic(u) {
                self.diag(
                    Severity::Warning,
                    DiagKind::UnknownAgency,
                    f.line,
                    u,
                    format!(
                        "{ctx}, «{name}»: không nhận ra cơ quan «{u}» trong danh mục; thêm tên này vào cột aliases của templates/agencies.csv nếu đó là một cơ quan."
                    ),
                );
            }
        }
        if a.members.is_empty() && required {
            self.diag(
                Severity::Warning,
                DiagKind::NoLead,
                f.line,
                &f.inline,
                format!("{ctx}: «{name}» không chỉ ra cơ quan nào trong danh mục; nhiệm vụ sẽ không có trong biểu mẫu của đơn vị nào."),
            );
        }
        a
    }

    fn into_plan(mut self) -> Plan {
        self.meta.fingerprint = fingerprint(&self.areas, &self.tasks);
        let mut plan = Plan {
            meta: self.meta,
            areas: self.areas,
            parents: self.parents,
            tasks: self.tasks,
            diagnostics: self.diagnostics,
        };
        plan.show_repeated_area_numbers();
        plan
    }
}

struct TaskParts {
    id: String,
    area_id: String,
    label: String,
    parent: Option<String>,
    content: String,
    fields: Fields,
    lines: LineRange,
}

/// `1.a`, `2.1` (a number already carrying the area's), `I.1`.
fn label_of(area: &str, parts: &[String]) -> String {
    match parts.first() {
        Some(p) if p.starts_with(&format!("{area}.")) => parts.join("."),
        _ => std::iter::once(area.to_string())
            .chain(parts.iter().cloned())
            .collect::<Vec<_>>()
            .join("."),
    }
}

/// `1.a`, `2.k.1`, `8.a` (area position, ASCII letters).
fn id_of(seq: &str, area: &str, parts: &[String]) -> String {
    let mut ps: Vec<String> = parts.to_vec();
    if let Some(first) = ps.first_mut() {
        if let Some(rest) = first.strip_prefix(&format!("{area}.")) {
            *first = rest.to_string();
        }
    }
    std::iter::once(seq.to_string())
        .chain(ps.iter().map(|p| p.replace('đ', "dd")))
        .collect::<Vec<_>>()
        .join(".")
}

/// The task's text: the item's own text, or the "Nội dung/Nhiệm vụ" field
/// when the item has none or only a label ("Nhiệm vụ 1").
fn task_content(own: &str, field: Option<&Field>) -> String {
    let own = own.trim();
    let Some(f) = field else {
        return own.to_string();
    };
    let value = std::iter::once(f.inline.as_str())
        .chain(f.bullets.iter().map(String::as_str))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let fo = fold(own);
    let label_only = own.is_empty()
        || fo.split_whitespace().count() <= 3
            && (fo.starts_with("nhiem vu") || fo.starts_with("noi dung"));
    if label_only {
        value
    } else {
        own.to_string()
    }
}

/// An unmarked block that heads what follows: bold in .docx, or a short line
/// in capitals.
fn is_heading(b: &Block) -> bool {
    let words = b.text.split_whitespace().count();
    let ended = b.text.trim_end().ends_with(['.', ';', ',']);
    (b.bold && !b.italic && words <= 25 && !ended)
        || ((2..=20).contains(&words) && is_upper(&b.text))
}

fn is_upper(t: &str) -> bool {
    t.chars().any(char::is_alphabetic) && t.to_uppercase() == t
}

/// A row number cell: `1`, `1.1`, `I`, `A`, `I.` → marker, rest of the cell.
fn row_marker(cell: &str) -> (Marker, String) {
    let t = cell.trim();
    let bare = t.trim_end_matches(['.', ')']);
    if !bare.is_empty() && bare.len() <= 8 && !bare.contains(' ') {
        let numeric = bare
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()));
        if numeric {
            return (Marker::Number(bare.to_string()), String::new());
        }
        if bare.len() <= 5 && bare.chars().all(|c| "IVX".contains(c)) {
            return (Marker::Roman(bare.to_string()), String::new());
        }
        if bare.chars().count() == 1 && bare.chars().all(|c| c.is_ascii_uppercase()) {
            return (Marker::Upper(bare.to_string()), String::new());
        }
        if bare.chars().count() == 1 && bare.chars().all(char::is_lowercase) {
            return (Marker::Letter(bare.to_string()), String::new());
        }
    }
    let (m, rest) = marker_of(t);
    match m {
        Marker::Dash | Marker::Plus => (Marker::None, t.to_string()),
        m => (m, rest.to_string()),
    }
}

/// "CẢI CÁCH THỂ CHẾ." → "CẢI CÁCH THỂ CHẾ".
fn trim_title(t: &str) -> String {
    t.trim().trim_end_matches(['.', ':']).trim().to_string()
}

/// Generic groups ("các cơ quan liên quan") are expected to stay unresolved.
fn is_generic(u: &str) -> bool {
    let f = fold(u);
    f.contains("lien quan")
        || f.starts_with("cac co quan")
        || f.starts_with("cac to chuc")
        || f.contains("don vi su nghiep")
        || f.contains("duoc kiem tra")
}

/// Hash of the registry (areas and tasks, as JSON): 16 hex digits.
pub fn fingerprint(areas: &[Area], tasks: &[Task]) -> String {
    let json = serde_json::to_vec(&(areas, tasks)).unwrap_or_default();
    let digest = Sha256::digest(&json);
    hex::encode(&digest[..8])
}
