//! Pass 1 of plan reading: the document's lines — text lines, or .docx
//! paragraphs and table rows — become uniform [`Block`]s: a list marker
//! (`II.`, `1.1.`, `a)`, `-`, `+`), the text after it, bold/italic, and the
//! cells of a table row. Hard-wrapped continuation lines are joined; tables are
//! recognised in every form they take in copied text (TAB- or `|`-separated
//! cells, or one cell per line under a header of column labels). Nothing here
//! knows what a task is: pass 2 ([`super::parse`]) classifies blocks by content.

use crate::text::{clean, fold};

/// One line of a source document before pass 1: a text line or a .docx
/// paragraph (with its formatting) or table row (with its cells).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceLine {
    /// One-based line (text) or paragraph/row (docx) number.
    pub line: usize,
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// The cells of a table row, when the line is one.
    pub cells: Option<Vec<String>>,
}

/// A list marker at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    None,
    /// `I.`, `II.`, `IV-`.
    Roman(String),
    /// `A.`, `B)`.
    Upper(String),
    /// `1.`, `1.1.`, `2)` — the number as printed, without trailing dot.
    Number(String),
    /// `a)`, `đ)`, `b.`.
    Letter(String),
    /// `-`, `–`, `•`, `*`.
    Dash,
    /// `+`.
    Plus,
}

impl Marker {
    /// Kind used to nest blocks: markers of one kind are siblings.
    pub fn kind(&self) -> u8 {
        match self {
            Marker::None => 0,
            Marker::Roman(_) => 1,
            Marker::Upper(_) => 2,
            Marker::Number(n) => 10 + n.split('.').count().min(5) as u8,
            Marker::Letter(_) => 20,
            Marker::Dash => 21,
            Marker::Plus => 22,
        }
    }

    /// The marker as a label part (`"1.1"`, `"a"`, `"II"`); empty for bullets.
    pub fn label(&self) -> &str {
        match self {
            Marker::Roman(s) | Marker::Upper(s) | Marker::Number(s) | Marker::Letter(s) => s,
            _ => "",
        }
    }
}

/// A unit of the document for pass 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// First and last source line.
    pub line: usize,
    pub last: usize,
    pub marker: Marker,
    /// Text after the marker, cleaned.
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// Table cells (cleaned), for table rows.
    pub cells: Option<Vec<String>>,
}

impl Block {
    /// Text with its marker, as printed (for messages).
    pub fn printed(&self) -> String {
        if let Some(c) = &self.cells {
            return c.join(" | ");
        }
        match &self.marker {
            Marker::None => self.text.clone(),
            Marker::Dash => format!("- {}", self.text),
            Marker::Plus => format!("+ {}", self.text),
            Marker::Letter(l) => format!("{l}) {}", self.text),
            m => format!("{}. {}", m.label(), self.text),
        }
    }
}

/// Source lines of a plain text: table rows where cells are separated by TAB
/// or `|` (a `|` row broken over several lines is joined first).
pub fn text_lines(text: &str) -> Vec<SourceLine> {
    let mut out: Vec<SourceLine> = Vec::new();
    let mut pending: Option<SourceLine> = None;
    for (i, raw) in text.lines().enumerate() {
        let no = i + 1;
        if let Some(mut p) = pending.take() {
            p.text.push(' ');
            p.text.push_str(raw.trim());
            if raw.trim_end().ends_with('|') || p.text.len() > 20_000 {
                out.push(pipe_row(p));
            } else {
                pending = Some(p);
            }
            continue;
        }
        let t = raw.trim();
        if t.starts_with('|') && t.len() > 1 {
            let l = SourceLine {
                line: no,
                text: t.to_string(),
                ..SourceLine::default()
            };
            if t.ends_with('|') {
                out.push(pipe_row(l));
            } else {
                pending = Some(l);
            }
            continue;
        }
        let tabbed = raw.split('\t').filter(|c| !c.trim().is_empty()).count() >= 2;
        let piped = !tabbed && t.matches(" | ").count() >= 2;
        let cells = if tabbed {
            Some(raw.split('\t').map(clean).collect())
        } else if piped {
            Some(t.split('|').map(clean).collect())
        } else {
            None
        };
        out.push(SourceLine {
            line: no,
            text: raw.to_string(),
            cells,
            ..SourceLine::default()
        });
    }
    if let Some(p) = pending {
        out.push(pipe_row(p));
    }
    terminated_cells(out)
}

/// A line that ends a table cell in copied text: `|` alone, or `text |`.
fn terminator(l: &SourceLine) -> bool {
    let t = l.text.trim();
    l.cells.is_none() && (t == "|" || t.ends_with(" |") && !t.starts_with('|'))
}

/// Some websites copy a table one cell at a time, each cell's lines ended by
/// a `|` line (or by ` |` at its end). Cells under a header of column labels
/// are regrouped into rows; other cells (the document's header block) become
/// plain lines.
fn terminated_cells(lines: Vec<SourceLine>) -> Vec<SourceLine> {
    if !lines.iter().any(terminator) {
        return lines;
    }
    let mut out: Vec<SourceLine> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if !terminator(&lines[i]) {
            out.push(lines[i].clone());
            i += 1;
            continue;
        }
        // The first cell: the short lines just before this terminator.
        let mut start = out.len();
        while start > 0
            && out.len() - start < 4
            && out[start - 1].cells.is_none()
            && !out[start - 1].text.trim().is_empty()
            && out[start - 1].text.chars().count() < 60
            && marker_of(out[start - 1].text.trim()).0 == Marker::None
            && !out[start - 1].text.trim_end().ends_with(['.', ';', ':'])
        {
            start -= 1;
        }
        let first_lines: Vec<SourceLine> = out.drain(start..).collect();
        let mut cells: Vec<(usize, String)> = Vec::new();
        let mut cell = Cell::from(&first_lines);
        let mut j = i;
        let mut since = 0;
        while j < lines.len() && since <= 4 {
            let l = &lines[j];
            let t = l.text.trim();
            if !terminator(l) && marker_of(t).0 != Marker::None {
                break;
            }
            if terminator(l) {
                cell.add(l.line, t.trim_end_matches('|').trim());
                cells.push(cell.take());
                since = 0;
            } else if l.cells.is_some() {
                break;
            } else {
                cell.add(l.line, t);
                since += 1;
            }
            j += 1;
        }
        // Lines read after the last cell go back to the stream.
        let rest_from = j - since;
        regroup(cells, &mut out);
        out.extend(lines[rest_from..j].iter().cloned());
        i = j;
    }
    out
}

#[derive(Default)]
struct Cell {
    line: usize,
    text: String,
}

impl Cell {
    fn from(lines: &[SourceLine]) -> Cell {
        let mut c = Cell::default();
        for l in lines {
            c.add(l.line, l.text.trim());
        }
        c
    }

    fn add(&mut self, line: usize, t: &str) {
        if self.line == 0 {
            self.line = line;
        }
        if t.is_empty() || t.chars().all(|c| c == '-' || c == '_') {
            return;
        }
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(t);
    }

    fn take(&mut self) -> (usize, String) {
        let c = std::mem::take(self);
        (c.line, c.text)
    }
}

/// Cells under a header of column labels → rows of that width; other cells
/// → one line each.
fn regroup(cells: Vec<(usize, String)>, out: &mut Vec<SourceLine>) {
    let width = cells
        .iter()
        .take_while(|(_, t)| column_of(t).is_some())
        .count();
    if width < 3 {
        for (line, text) in cells {
            out.push(SourceLine {
                line,
                text,
                ..SourceLine::default()
            });
        }
        return;
    }
    for row in cells.chunks(width) {
        let texts: Vec<String> = row.iter().map(|(_, t)| t.clone()).collect();
        out.push(SourceLine {
            line: row[0].0,
            text: texts.join("\t"),
            cells: Some(texts),
            ..SourceLine::default()
        });
    }
}

fn pipe_row(mut l: SourceLine) -> SourceLine {
    let t = l.text.trim().trim_start_matches('|').trim_end_matches('|');
    let cells: Vec<String> = t.split('|').map(clean).collect();
    // A Markdown separator row (`|---|:---|`) carries nothing.
    let rule = cells
        .iter()
        .all(|c| c.chars().all(|ch| "-:= ".contains(ch)));
    l.cells = (!rule).then_some(cells);
    if rule {
        l.text.clear();
    }
    l
}

/// Pass 1: source lines → blocks.
pub fn blocks(lines: &[SourceLine]) -> Vec<Block> {
    let lines = cell_per_line_tables(lines);
    let wrap = wrap_width(&lines);
    let mut out: Vec<Block> = Vec::new();
    let mut prev_wrapped = false;
    for l in &lines {
        let was_wrapped = prev_wrapped;
        let len = l.text.trim().chars().count();
        prev_wrapped = wrap.is_some_and(|w| len >= w)
            && !l.text.trim_end().ends_with(['.', ';', ':', '!', '?']);
        if let Some(cells) = &l.cells {
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            out.push(Block {
                line: l.line,
                last: l.line,
                marker: Marker::None,
                text: String::new(),
                bold: l.bold,
                italic: l.italic,
                cells: Some(cells.clone()),
            });
            continue;
        }
        let t = clean(&l.text);
        if t.is_empty() {
            continue;
        }
        let (marker, rest) = marker_of(&t);
        if marker == Marker::None && (continues(&t) || was_wrapped) {
            if let Some(prev) = out.last_mut().filter(|b| b.cells.is_none()) {
                prev.text.push(' ');
                prev.text.push_str(&t);
                prev.last = l.line;
                continue;
            }
        }
        out.push(Block {
            line: l.line,
            last: l.line,
            marker,
            text: rest.to_string(),
            bold: l.bold,
            italic: l.italic,
            cells: None,
        });
    }
    out
}

/// Text copied from some websites is hard-wrapped at a fixed width: when
/// many lines end near the same length, a line that long without a final
/// stop continues on the next. Returns the length from which a line counts as
/// wrapped.
fn wrap_width(lines: &[SourceLine]) -> Option<usize> {
    let mut lens: Vec<usize> = lines
        .iter()
        .filter(|l| l.cells.is_none())
        .map(|l| l.text.trim().chars().count())
        .filter(|&n| n > 0)
        .collect();
    if lens.len() < 20 {
        return None;
    }
    lens.sort_unstable();
    let p90 = lens[lens.len() * 9 / 10];
    let near = lens
        .iter()
        .filter(|&&n| n + 15 >= p90 && n <= p90 + 5)
        .count();
    let longest = *lens.last().unwrap_or(&0);
    // Unwrapped documents have long paragraphs well past the 90th percentile.
    (p90 <= 110 && near * 4 >= lens.len() && longest <= p90 + 30).then_some(p90.saturating_sub(20))
}

/// A hard-wrapped continuation: starts with a lower-case letter or a
/// closing bracket/punctuation (a sentence or a label never does).
fn continues(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || ")],;".contains(c))
}

/// `II. Text` → (Roman, "Text"); `1.1. Text` → (Number("1.1"), "Text");
/// `a) Text` → (Letter("a"), "Text"); `- Text` → (Dash, "Text").
pub fn marker_of(t: &str) -> (Marker, &str) {
    let first = match t.chars().next() {
        Some(c) => c,
        None => return (Marker::None, t),
    };
    if "-–—•*·".contains(first) {
        let rest = t[first.len_utf8()..].trim_start_matches(['-', ' ']);
        return (Marker::Dash, rest);
    }
    if first == '+' {
        return (Marker::Plus, t[1..].trim_start());
    }
    let end = t
        .find(|c: char| !(c.is_alphanumeric() || c == '.'))
        .unwrap_or(t.len());
    let head = &t[..end];
    let after = &t[end..];
    let (token, closer) = match after.chars().next() {
        Some(')') => (head, ')'),
        Some(' ') | None if head.ends_with('.') && head.len() > 1 => (&head[..head.len() - 1], '.'),
        Some(' ') | None if head.contains('.') => (head, '.'),
        _ => return (Marker::None, t),
    };
    let rest = after
        .trim_start_matches([')', ' '])
        .trim_start_matches(['-', ':', ' ']);
    let rest = rest.trim();
    if token.is_empty() {
        return (Marker::None, t);
    }
    let roman = token.len() <= 5 && token.chars().all(|c| "IVX".contains(c));
    if roman {
        return (Marker::Roman(token.to_string()), rest);
    }
    if token.chars().count() == 1 {
        let c = token.chars().next().unwrap_or(' ');
        if c.is_uppercase() && c.is_alphabetic() && !rest.is_empty() {
            return (Marker::Upper(token.to_string()), rest);
        }
        if c.is_lowercase() && c.is_alphabetic() {
            return (Marker::Letter(token.to_string()), rest);
        }
    }
    let parts: Vec<&str> = token.split('.').collect();
    let numeric = parts.len() <= 5
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()));
    // `1 Text` without a dot is no marker; `2025.` is a year, not a number.
    if numeric && (closer == ')' || t[..end].ends_with('.') || parts.len() > 1) {
        // `1.1 Text` starting a number, but not a decimal figure like `1.5 tỷ`.
        return (Marker::Number(token.to_string()), rest);
    }
    (Marker::None, t)
}

// ------------------------------------------------------ cell-per-line tables --

/// What a table header cell names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Number,
    Content,
    Lead,
    Executor,
    Cooperating,
    Deadline,
    Products,
    Note,
}

/// The column a header label names, if any.
pub fn column_of(label: &str) -> Option<Column> {
    let f = fold(label);
    let f = f.trim_matches(|c: char| !c.is_alphanumeric());
    if f.is_empty() || f.split_whitespace().count() > 10 {
        return None;
    }
    if ["tt", "stt", "so tt", "so thu tu", "thu tu", "muc"].contains(&f) {
        return Some(Column::Number);
    }
    Some(if f.contains("chu tri") {
        Column::Lead
    } else if f.contains("phoi hop") {
        Column::Cooperating
    } else if f.starts_with("thoi gian")
        || f.starts_with("thoi han")
        || f.starts_with("tien do")
        || f.starts_with("moc thoi gian")
    {
        Column::Deadline
    } else if f.starts_with("san pham") || f.starts_with("ket qua") || f.starts_with("hinh thuc") {
        Column::Products
    } else if f.contains("thuc hien") && (f.contains("co quan") || f.contains("don vi"))
        || f.starts_with("trach nhiem")
        || f == "co quan"
        || f == "don vi"
    {
        Column::Executor
    } else if f.starts_with("noi dung")
        || f.contains("nhiem vu") && f.split_whitespace().count() <= 6
        || f.starts_with("cong viec")
        || f.starts_with("hoat dong")
        || f.starts_with("ten ")
    {
        Column::Content
    } else if f.starts_with("ghi chu") {
        Column::Note
    } else {
        return None;
    })
}

/// A row number on its own line: `1`, `1.1`, `2.`, `I`, `II.`, `A`.
fn row_number(t: &str) -> bool {
    let t = t.trim().trim_end_matches('.');
    if t.is_empty() || t.len() > 8 {
        return false;
    }
    let numeric = t
        .split('.')
        .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()));
    let roman = t.chars().all(|c| "IVX".contains(c));
    let upper = t.chars().count() == 1 && t.chars().all(|c| c.is_ascii_uppercase());
    numeric || roman || upper
}

/// Copied text often holds a table one cell per line: a run of column
/// labels, then each row as its number and its cells on the following lines.
/// Such runs are turned into rows with cells; everything else passes through.
fn cell_per_line_tables(lines: &[SourceLine]) -> Vec<SourceLine> {
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        match header_run(lines, i) {
            Some(n) => {
                let header: Vec<String> = lines[i..i + n].iter().map(|l| clean(&l.text)).collect();
                out.push(SourceLine {
                    line: lines[i].line,
                    text: header.join("\t"),
                    cells: Some(header),
                    ..SourceLine::default()
                });
                i = rows_after(lines, i + n, n, &mut out);
            }
            None => {
                out.push(lines[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// Length of a header run starting at `i` (≥ 3 column labels on their own
/// lines, a content column and a lead or deadline column among them).
fn header_run(lines: &[SourceLine], i: usize) -> Option<usize> {
    let mut cols = Vec::new();
    for l in lines[i..].iter().take(12) {
        let t = clean(&l.text);
        if l.cells.is_some() || t.is_empty() || t.chars().count() > 45 {
            break;
        }
        if marker_of(&t).0 != Marker::None {
            break;
        }
        match column_of(&t) {
            Some(c) => cols.push(c),
            None => break,
        }
    }
    let has = |c: Column| cols.contains(&c);
    let ok = cols.len() >= 3
        && has(Column::Content)
        && (has(Column::Lead) || has(Column::Executor) || has(Column::Deadline));
    ok.then_some(cols.len())
}

/// Rows of a cell-per-line table with `n` columns from `start`; returns where
/// the table ends. Rows begin at a line holding only a row number.
fn rows_after(lines: &[SourceLine], start: usize, n: usize, out: &mut Vec<SourceLine>) -> usize {
    let mut i = start;
    while i < lines.len() && clean(&lines[i].text).is_empty() {
        i += 1;
    }
    loop {
        let Some(first) = lines.get(i) else { return i };
        let t = clean(&first.text);
        if first.cells.is_some() || !row_number(&t) {
            return i;
        }
        let mut cells = vec![t];
        let mut blanks = Vec::new();
        let mut j = i + 1;
        while let Some(l) = lines.get(j) {
            let c = clean(&l.text);
            let full = cells.len() >= n && !c.is_empty() && !continues(&c);
            if l.cells.is_some() || row_number(&c) && cells.len() >= 2 || full {
                break;
            }
            if c.is_empty() {
                blanks.push(cells.len());
            } else if continues(&c) && cells.len() > 1 {
                let last = cells.len() - 1;
                cells[last].push(' ');
                cells[last].push_str(&c);
            } else {
                cells.push(c);
            }
            j += 1;
        }
        if cells.len() > n + 4 {
            // Prose, not a row: the table ended before this line.
            return i;
        }
        // Blank lines stand for empty cells when that makes the row whole.
        if cells.len() < n && cells.len() + blanks.len() >= n && cells.len() > 2 {
            for &at in blanks.iter().take(n - cells.len()) {
                cells.insert(at.min(cells.len()), String::new());
            }
        }
        out.push(SourceLine {
            line: first.line,
            text: cells.join("\t"),
            cells: Some(cells),
            ..SourceLine::default()
        });
        // Keep line numbering visible to pass 2: the row spans i..j.
        i = j;
        while i < lines.len() && clean(&lines[i].text).is_empty() {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: &str) -> (Marker, String) {
        let (m, r) = marker_of(t);
        (m, r.to_string())
    }

    #[test]
    fn markers() {
        assert_eq!(m("II. NHIỆM VỤ").0, Marker::Roman("II".into()));
        assert_eq!(m("1. Cải cách").0, Marker::Number("1".into()));
        assert_eq!(m("1.1. Rà soát").0, Marker::Number("1.1".into()));
        assert_eq!(m("2.3 Rà soát").0, Marker::Number("2.3".into()));
        assert_eq!(m("a) Việc"), (Marker::Letter("a".into()), "Việc".into()));
        assert_eq!(m("đ) Việc").0, Marker::Letter("đ".into()));
        assert_eq!(m("A. NHIỆM VỤ CHUNG").0, Marker::Upper("A".into()));
        assert_eq!(m("- Cơ quan chủ trì: X").1, "Cơ quan chủ trì: X");
        assert_eq!(m("+ Sở Y tế").0, Marker::Plus);
        assert_eq!(m("2025 là năm").0, Marker::None);
        assert_eq!(m("Căn cứ Luật").0, Marker::None);
        assert_eq!(m("15/6/2026").0, Marker::None);
    }

    #[test]
    fn wrapped_lines_join_and_pipe_rows_split() {
        let b = blocks(&text_lines(
            "- Cơ quan chủ trì: Sở Khoa học\nvà Công nghệ.\n| 1 | Rà soát | Sở Tư pháp |\n",
        ));
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].text, "Cơ quan chủ trì: Sở Khoa học và Công nghệ.");
        assert_eq!(
            b[1].cells.as_deref(),
            Some(&["1".to_string(), "Rà soát".into(), "Sở Tư pháp".into()][..])
        );
    }

    #[test]
    fn one_cell_per_line_table() {
        let text = "TT\nNội dung nhiệm vụ\nCơ quan chủ trì\nThời gian hoàn thành\nI\nCẢI CÁCH THỂ CHẾ\n1\nRà soát văn bản\nSở Tư pháp\nQuý I/2026\n2\nKiểm tra\nSở Nội vụ\n2026\nIV. TỔ CHỨC THỰC HIỆN\n";
        let b = blocks(&text_lines(text));
        let rows: Vec<_> = b.iter().filter_map(|b| b.cells.clone()).collect();
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert_eq!(
            rows[2],
            ["1", "Rà soát văn bản", "Sở Tư pháp", "Quý I/2026"]
        );
        assert_eq!(b.last().unwrap().marker, Marker::Roman("IV".into()));
    }
}
