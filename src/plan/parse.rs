//! The plan document → [`Plan`]. Reads the decision's metadata from the
//! head, then walks section II ("NHIỆM VỤ…") line by line: area headings
//! (`1.`), lettered items (`a)`, or `1.1`), their fields (`- Cơ quan chủ trì:`),
//! `+` bullets and `-` sub-tasks, and tables (cells separated by TAB, as
//! extracted from .docx). Every line of the section ends up in an element or in
//! a diagnostic; the parser never panics on any input.

use super::deadline;
use super::model::*;
use crate::agencies::resolve::Resolver;
use crate::agencies::Directory;
use crate::text::{clean, fold};
use sha2::{Digest, Sha256};

/// Vietnamese item letters in order (no f, j, w, z).
const LETTERS: [&str; 23] = [
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
    "u", "v", "x", "y",
];

/// Parses plan text (UTF-8, any normalisation) against the agency directory.
pub fn parse_text(text: &str, directory: &Directory) -> Plan {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    // Normalise once, so that every later `clean` takes its fast path.
    let nfc: String;
    let text = if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text
    } else {
        nfc = text.nfc().collect();
        &nfc
    };
    let lines: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect();
    let mut p = Parser::new(directory);
    let heads: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
    let (meta, year_found) = super::meta::read(&heads);
    p.meta = meta;
    if !year_found {
        p.diag(
            Severity::Warning,
            0,
            "",
            format!("Không thấy năm của kế hoạch (ví dụ «Kế hoạch cải cách hành chính năm 2025») ở đầu văn bản; các thời hạn không ghi năm được hiểu là năm {}.", p.meta.year),
        );
    }
    let (section, roman_areas) = find_section(&lines, &mut p.diagnostics);
    for (no, raw) in section {
        p.line(*no, raw, roman_areas);
    }
    p.finish_item();
    p.into_plan()
}

/// Parses a .docx plan (bytes) by extracting its paragraphs and table rows.
pub fn parse_docx(bytes: &[u8], directory: &Directory) -> anyhow::Result<Plan> {
    let text = super::docx::text_of(bytes)?;
    Ok(parse_text(&text, directory))
}

// ----------------------------------------------------------------- section --

/// Finds section II (the tasks). Returns its lines and whether areas are
/// roman-numbered (a plan without a "NHIỆM VỤ" section heading).
fn find_section<'l>(
    lines: &'l [(usize, String)],
    diags: &mut Vec<Diagnostic>,
) -> (&'l [(usize, String)], bool) {
    let roman: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, (_, l))| roman_heading(&clean(l)).is_some())
        .map(|(i, _)| i)
        .collect();
    let tasks_heading = roman
        .iter()
        .position(|&i| fold(&lines[i].1).contains("nhiem vu"));
    match tasks_heading {
        Some(k) => {
            let start = roman[k] + 1;
            let value =
                |i: usize| roman_heading(&clean(&lines[i].1)).map_or(0, |(n, _)| roman_value(n));
            // Areas numbered I., II., … inside the tasks section restart the
            // numbering; the section then ends at a closing heading.
            let nested = roman
                .get(k + 1)
                .is_some_and(|&i| value(i) <= value(roman[k]));
            let end = if nested {
                roman[k + 1..]
                    .iter()
                    .copied()
                    .find(|&i| is_closing_heading(&lines[i].1))
            } else {
                roman.get(k + 1).copied()
            };
            (&lines[start..end.unwrap_or(lines.len())], nested)
        }
        None => {
            diags.push(Diagnostic {
                severity: Severity::Warning,
                line: 0,
                text: String::new(),
                message: "Không tìm thấy mục «II. NHIỆM VỤ…»; đọc cả văn bản, coi các tiêu đề số La Mã là lĩnh vực.".into(),
            });
            (lines, !roman.is_empty())
        }
    }
}

/// The value of a roman numeral (`IV` → 4); 0 when it is not one.
fn roman_value(n: &str) -> u32 {
    let ds: Vec<i32> = n
        .chars()
        .map(|c| match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            _ => 0,
        })
        .collect();
    let total: i32 = ds
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if ds.get(i + 1).is_some_and(|&next| next > d) {
                -d
            } else {
                d
            }
        })
        .sum();
    total.max(0) as u32
}

/// Headings that close the tasks section (implementation, funding, reporting).
fn is_closing_heading(l: &str) -> bool {
    let f = fold(l);
    [
        "to chuc thuc hien",
        "kinh phi",
        "che do bao cao",
        "dieu khoan thi hanh",
    ]
    .iter()
    .any(|k| f.contains(k))
}

/// `II. NHIỆM VỤ …` → ("II", rest).
fn roman_heading(l: &str) -> Option<(&str, &str)> {
    let (num, rest) = l.split_once('.')?;
    let ok = !num.is_empty() && num.len() <= 5 && num.chars().all(|c| "IVX".contains(c));
    (ok && rest.starts_with(' ')).then(|| (num, rest.trim()))
}

/// `7. Title` (not `7.1`).
fn area_heading(l: &str) -> Option<(&str, &str)> {
    let (num, rest) = l.split_once('.')?;
    let ok = !num.is_empty() && num.len() <= 2 && num.chars().all(|c| c.is_ascii_digit());
    let rest_ok = rest.starts_with(' ')
        && rest
            .trim()
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii_digit());
    (ok && rest_ok).then(|| (num, rest.trim()))
}

/// `a) text` → ("a", text); `1.2. text` / `1.2 text` → ("2", text).
fn item_heading(l: &str) -> Option<(String, String)> {
    if let Some((letter, rest)) = l.split_once(')') {
        let lf = letter.trim().to_lowercase();
        // Vietnamese item letters (no f, j, w, z) — but a plan typed with
        // Latin letters still parses; the letter-order check warns.
        let latin = lf.len() == 1 && lf.chars().all(|c| c.is_ascii_lowercase());
        if (LETTERS.contains(&lf.as_str()) || latin) && letter.chars().count() <= 2 {
            return Some((lf, rest.trim().to_string()));
        }
    }
    let mut parts = l.splitn(2, ' ');
    let num = parts.next()?.trim_end_matches('.');
    let rest = parts.next().unwrap_or("").trim();
    let (a, b) = num.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.chars().all(|c| c.is_ascii_digit());
    (digits(a) && digits(b) && !rest.is_empty()).then(|| (b.to_string(), rest.to_string()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    Lead,
    Cooperating,
    Products,
    Deadline,
}

/// `- Cơ quan chủ trì thực hiện: value` → (Lead, value, bullet char).
fn field_line(l: &str) -> Option<(FieldKind, String, Option<char>)> {
    let first = l.chars().next()?;
    let bullet = "-+•*–".contains(first).then_some(first);
    let body = if bullet.is_some() {
        l[first.len_utf8()..].trim()
    } else {
        l
    };
    let (label, value) = body.split_once(':')?;
    if label.chars().count() > 60 {
        return None;
    }
    let f = fold(label);
    let kind = if f.contains("chu tri") {
        FieldKind::Lead
    } else if f.contains("phoi hop") {
        FieldKind::Cooperating
    } else if f.starts_with("san pham") || f.starts_with("ket qua dau ra") {
        FieldKind::Products
    } else if f.starts_with("thoi gian") || f.starts_with("thoi han") {
        FieldKind::Deadline
    } else {
        return None;
    };
    Some((kind, value.trim().to_string(), bullet))
}

// ------------------------------------------------------------------ parser --

#[derive(Debug, Default, Clone)]
struct Field {
    inline: String,
    bullets: Vec<String>,
    line: usize,
}

#[derive(Debug, Default, Clone)]
struct Fields {
    lead: Option<Field>,
    cooperating: Option<Field>,
    products: Option<Field>,
    deadline: Option<Field>,
}

impl Fields {
    fn slot(&mut self, k: FieldKind) -> &mut Option<Field> {
        match k {
            FieldKind::Lead => &mut self.lead,
            FieldKind::Cooperating => &mut self.cooperating,
            FieldKind::Products => &mut self.products,
            FieldKind::Deadline => &mut self.deadline,
        }
    }

    fn is_empty(&self) -> bool {
        self.lead.is_none()
            && self.cooperating.is_none()
            && self.products.is_none()
            && self.deadline.is_none()
    }
}

#[derive(Debug, Default)]
struct SubTask {
    content: String,
    fields: Fields,
    first: usize,
    last: usize,
}

#[derive(Debug)]
struct OpenItem {
    letter: String,
    content: String,
    fields: Fields,
    subs: Vec<SubTask>,
    first: usize,
    last: usize,
    /// The field that `+` bullets currently extend.
    open_field: Option<FieldKind>,
}

/// Column roles of a task table.
#[derive(Debug, Default, Clone)]
struct TableCols {
    number: Option<usize>,
    content: Option<usize>,
    lead: Option<usize>,
    cooperating: Option<usize>,
    products: Option<usize>,
    deadline: Option<usize>,
}

struct Parser<'d> {
    directory: &'d Directory,
    resolver: Resolver<'d>,
    meta: PlanMeta,
    areas: Vec<Area>,
    parents: Vec<Item>,
    tasks: Vec<Task>,
    diagnostics: Vec<Diagnostic>,
    item: Option<OpenItem>,
    table: Option<TableCols>,
    table_rows: usize,
    /// Letter of the previous item in the current area.
    last_letter: Option<String>,
}

impl<'d> Parser<'d> {
    fn new(directory: &'d Directory) -> Parser<'d> {
        Parser {
            directory,
            resolver: Resolver::new(directory),
            meta: PlanMeta::default(),
            areas: Vec::new(),
            parents: Vec::new(),
            tasks: Vec::new(),
            diagnostics: Vec::new(),
            item: None,
            table: None,
            table_rows: 0,
            last_letter: None,
        }
    }

    fn diag(&mut self, severity: Severity, line: usize, text: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            severity,
            line,
            text: text.to_string(),
            message: message.into(),
        });
    }

    fn line(&mut self, no: usize, raw: &str, roman_areas: bool) {
        if raw.contains('\t') && raw.split('\t').filter(|c| !c.trim().is_empty()).count() >= 2 {
            return self.table_row(no, raw);
        }
        let l = clean(raw);
        if l.is_empty() {
            return;
        }
        let area = if roman_areas {
            roman_heading(&l).or_else(|| area_heading(&l))
        } else {
            area_heading(&l)
        };
        if let Some((num, title)) = area {
            let (num, title) = (num.to_string(), title.to_string());
            return self.open_area(no, &num, &title);
        }
        if let Some((letter, content)) = item_heading(&l) {
            return self.open_item(no, &l, letter, content);
        }
        if let Some((kind, value, bullet)) = field_line(&l) {
            return self.field(no, &l, kind, value, bullet);
        }
        self.other(no, &l);
    }

    fn open_area(&mut self, no: usize, num: &str, title: &str) {
        self.finish_item();
        self.table = None;
        self.last_letter = None;
        let seq = self.areas.len() + 1;
        self.areas.push(Area {
            id: format!("LV{seq}"),
            number: num.to_string(),
            title: title.trim_end_matches(['.', ':']).to_string(),
            lines: LineRange {
                first: no,
                last: no,
            },
        });
    }

    fn ensure_area(&mut self, no: usize, text: &str) {
        if self.areas.is_empty() {
            self.diag(
                Severity::Warning,
                no,
                text,
                "Nhiệm vụ đứng trước mọi tiêu đề lĩnh vực; được xếp vào lĩnh vực «Chưa phân loại».",
            );
            self.areas.push(Area {
                id: "LV1".into(),
                number: "1".into(),
                title: "Chưa phân loại".into(),
                lines: LineRange {
                    first: no,
                    last: no,
                },
            });
        }
    }

    fn open_item(&mut self, no: usize, line: &str, letter: String, content: String) {
        self.finish_item();
        self.ensure_area(no, line);
        let expected = self.expected_letter();
        let lettered = letter.chars().all(|c| !c.is_ascii_digit());
        if lettered && expected.is_some_and(|e| e != letter) {
            let msg = format!(
                "Mục «{letter})» không theo thứ tự chữ cái tiếng Việt (mong đợi «{})»); kiểm tra văn bản có thiếu hoặc trùng mục không.",
                expected.unwrap_or("?")
            );
            self.diag(Severity::Warning, no, line, msg);
        }
        self.last_letter = lettered.then(|| letter.clone());
        self.item = Some(OpenItem {
            letter,
            content,
            fields: Fields::default(),
            subs: Vec::new(),
            first: no,
            last: no,
            open_field: None,
        });
    }

    /// The letter expected after the previous item of the current area;
    /// `None` after a letter outside the Vietnamese alphabet.
    fn expected_letter(&self) -> Option<&'static str> {
        match &self.last_letter {
            None => LETTERS.first().copied(),
            Some(last) => {
                let i = LETTERS.iter().position(|l| l == last)?;
                LETTERS.get(i + 1).copied()
            }
        }
    }

    fn field(&mut self, no: usize, l: &str, kind: FieldKind, value: String, bullet: Option<char>) {
        let Some(item) = self.item.as_mut() else {
            return self.diag(
                Severity::Warning,
                no,
                l,
                "Dòng thông tin nhiệm vụ không thuộc mục nào (thiếu dòng «a) …» phía trên); dòng này bị bỏ qua.",
            );
        };
        item.last = no;
        // `+` fields belong to the current sub-task when there is one.
        let target = match (bullet, item.subs.last_mut()) {
            (Some('+'), Some(sub)) => {
                sub.last = no;
                &mut sub.fields
            }
            _ => &mut item.fields,
        };
        let slot = target.slot(kind);
        if slot.is_some() {
            self.diag(
                Severity::Warning,
                no,
                l,
                "Trường này xuất hiện hai lần trong cùng một nhiệm vụ; giữ giá trị đầu, bỏ qua dòng này.",
            );
            return;
        }
        *slot = Some(Field {
            inline: value,
            bullets: Vec::new(),
            line: no,
        });
        item.open_field = Some(kind);
    }

    fn other(&mut self, no: usize, l: &str) {
        let Some(item) = self.item.as_mut() else {
            return self.diag(
                Severity::Warning,
                no,
                l,
                "Dòng không thuộc lĩnh vực hay nhiệm vụ nào; không được đưa vào danh mục nhiệm vụ.",
            );
        };
        item.last = no;
        let first = l.chars().next().unwrap_or(' ');
        let body = l[first.len_utf8()..].trim().to_string();
        match first {
            '+' => {
                let open = item.open_field;
                let fields = match item.subs.last_mut() {
                    Some(sub) if open.is_some_and(|k| sub.fields.clone().slot(k).is_some()) => {
                        sub.last = no;
                        &mut sub.fields
                    }
                    _ => &mut item.fields,
                };
                match open.and_then(|k| fields.slot(k).as_mut()) {
                    Some(f) => f.bullets.push(body),
                    None => self.diag(
                        Severity::Warning,
                        no,
                        l,
                        "Dòng «+» không đứng sau trường nào (Cơ quan chủ trì, Cơ quan phối hợp, Sản phẩm…); không đọc được ý nghĩa của dòng.",
                    ),
                }
            }
            '-' | '–' | '•' if item.fields.is_empty() => {
                item.subs.push(SubTask {
                    content: body,
                    fields: Fields::default(),
                    first: no,
                    last: no,
                });
                item.open_field = None;
            }
            _ if item.fields.is_empty() && item.subs.is_empty() => {
                item.content.push(' ');
                item.content.push_str(l);
            }
            _ => self.diag(
                Severity::Warning,
                no,
                l,
                "Dòng đứng sau các trường của nhiệm vụ nhưng không phải trường nào (thiếu «- Tên trường:»?); nội dung dòng không được đọc.",
            ),
        }
    }

    // ----------------------------------------------------------- tables --

    fn table_row(&mut self, no: usize, raw: &str) {
        let cells: Vec<String> = raw.split('\t').map(clean).collect();
        if let Some(cols) = table_header(&cells) {
            self.finish_item();
            self.table = Some(cols);
            return;
        }
        let Some(cols) = self.table.clone() else {
            return self.diag(
                Severity::Warning,
                no,
                raw.trim(),
                "Dòng bảng không có dòng tiêu đề (Nhiệm vụ / Đơn vị chủ trì / Thời hạn…) phía trên; không đọc được.",
            );
        };
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
        let number = cell(cols.number);
        let content = cell(cols.content);
        let rest_empty = [cols.lead, cols.cooperating, cols.products, cols.deadline]
            .iter()
            .all(|&c| cell(c).is_empty());
        if rest_empty {
            // An area row: "1" | "Cải cách thể chế", or "I. Cải cách thể chế" in one cell.
            let text = if content.is_empty() {
                number.clone()
            } else {
                format!("{number}. {content}")
            };
            let heading = clean(text.trim_start_matches('.'));
            match roman_heading(&heading).or_else(|| area_heading(&heading)) {
                Some((n, t)) => {
                    let (n, t) = (n.to_string(), t.to_string());
                    self.open_area(no, &n, &t)
                }
                None if !heading.is_empty() => self.diag(
                    Severity::Warning,
                    no,
                    raw.trim(),
                    "Dòng bảng không có đơn vị chủ trì, thời hạn, và không phải tiêu đề lĩnh vực; không đọc được.",
                ),
                None => {}
            }
            return;
        }
        self.ensure_area(no, raw.trim());
        self.table_rows += 1;
        let letter = item_heading(&format!("{number} x"))
            .map(|(l, _)| l)
            .unwrap_or_else(|| {
                let n = number.trim_end_matches('.');
                if n.is_empty() {
                    self.table_rows.to_string()
                } else {
                    n.to_string()
                }
            });
        let f = |i: Option<usize>| {
            Some(Field {
                inline: cell(i),
                bullets: Vec::new(),
                line: no,
            })
            .filter(|f| !f.inline.is_empty())
        };
        self.item = Some(OpenItem {
            letter,
            content,
            fields: Fields {
                lead: f(cols.lead),
                cooperating: f(cols.cooperating),
                products: f(cols.products),
                deadline: f(cols.deadline),
            },
            subs: Vec::new(),
            first: no,
            last: no,
            open_field: None,
        });
        self.finish_item();
    }

    // --------------------------------------------------------- finishing --

    fn finish_item(&mut self) {
        let Some(item) = self.item.take() else { return };
        let area = self.areas.last().expect("items open after an area");
        let (area_id, area_seq, area_num) = (
            area.id.clone(),
            area.id.trim_start_matches("LV").to_string(),
            area.number.clone(),
        );
        if let Some(a) = self.areas.last_mut() {
            a.lines.last = item.last;
        }
        let base_id = self.unique_id(
            format!("{area_seq}.{}", ascii_letter(&item.letter)),
            item.first,
        );
        let label = format!("{area_num}.{}", item.letter);
        if item.subs.is_empty() {
            let task = self.build_task(TaskParts {
                id: base_id,
                area_id,
                label,
                parent: None,
                content: item.content,
                fields: item.fields,
                inherited: Fields::default(),
                lines: LineRange {
                    first: item.first,
                    last: item.last,
                },
            });
            self.tasks.push(task);
            return;
        }
        self.parents.push(Item {
            id: base_id.clone(),
            area_id: area_id.clone(),
            label: label.clone(),
            content: item.content.clone(),
            lines: LineRange {
                first: item.first,
                last: item.last,
            },
        });
        for (i, sub) in item.subs.into_iter().enumerate() {
            let task = self.build_task(TaskParts {
                id: format!("{base_id}.{}", i + 1),
                area_id: area_id.clone(),
                label: format!("{label}.{}", i + 1),
                parent: Some(base_id.clone()),
                content: sub.content,
                fields: sub.fields,
                inherited: item.fields.clone(),
                lines: LineRange {
                    first: sub.first,
                    last: sub.last,
                },
            });
            self.tasks.push(task);
        }
    }

    fn unique_id(&mut self, id: String, line: usize) -> String {
        let taken = |id: &str, p: &Parser| {
            p.tasks
                .iter()
                .any(|t| t.id == id || t.parent.as_deref() == Some(id))
                || p.parents.iter().any(|t| t.id == id)
        };
        if !taken(&id, self) {
            return id;
        }
        let mut n = 2;
        while taken(&format!("{id}-{n}"), self) {
            n += 1;
        }
        let new = format!("{id}-{n}");
        self.diag(
            Severity::Warning,
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
            inherited,
            lines,
        } = p;
        let pick = |own: Option<Field>, inh: Option<Field>| own.or(inh);
        let lead = pick(fields.lead, inherited.lead);
        let cooperating = pick(fields.cooperating, inherited.cooperating);
        let products = pick(fields.products, inherited.products);
        let deadline = pick(fields.deadline, inherited.deadline);
        let ctx = format!("Nhiệm vụ {label}");
        let lead = self.assignment(
            &ctx,
            "Cơ quan chủ trì",
            lead,
            lines.first,
            Severity::Warning,
        );
        let cooperating = self.assignment(
            &ctx,
            "Cơ quan phối hợp",
            cooperating,
            lines.first,
            Severity::Info,
        );
        if products.is_none() {
            self.diag(
                Severity::Info,
                lines.first,
                &label,
                format!("{ctx} không ghi «Sản phẩm»."),
            );
        }
        let products = products
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
        let deadline = match deadline {
            Some(f) => {
                let text = std::iter::once(f.inline.clone())
                    .chain(f.bullets.clone())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
                let d = deadline::parse(&text, self.meta.year);
                if d.milestones.iter().any(|m| m.when == When::Unspecified) {
                    self.diag(
                        Severity::Warning,
                        f.line,
                        &text,
                        format!("{ctx}: không nhận ra mốc thời gian trong «{text}»; nhiệm vụ được coi là không có hạn cụ thể."),
                    );
                }
                d
            }
            None => {
                self.diag(
                    Severity::Warning,
                    lines.first,
                    &label,
                    format!(
                        "{ctx} không ghi «Thời gian thực hiện»; nhiệm vụ được coi là không có hạn."
                    ),
                );
                Deadline::default()
            }
        };
        if content.trim().is_empty() {
            self.diag(
                Severity::Warning,
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

    fn assignment(
        &mut self,
        ctx: &str,
        name: &str,
        field: Option<Field>,
        line: usize,
        missing: Severity,
    ) -> Assignment {
        let Some(f) = field else {
            self.diag(missing, line, "", format!("{ctx} không ghi «{name}»."));
            return Assignment::default();
        };
        let a = self.resolver.resolve(&f.inline, &f.bullets);
        for u in &a.unresolved {
            if !is_generic(u) {
                self.diag(
                    Severity::Warning,
                    f.line,
                    u,
                    format!(
                        "{ctx}, «{name}»: không nhận ra cơ quan «{u}» trong danh mục; thêm tên này vào cột aliases của templates/agencies.csv nếu đó là một cơ quan."
                    ),
                );
            }
        }
        if a.members.is_empty() && missing == Severity::Warning {
            self.diag(
                Severity::Warning,
                f.line,
                &f.inline,
                format!("{ctx}: «{name}» không chỉ ra cơ quan nào trong danh mục; nhiệm vụ sẽ không có trong biểu mẫu của đơn vị nào."),
            );
        }
        a
    }

    fn into_plan(mut self) -> Plan {
        if self.tasks.is_empty() {
            self.diag(
                Severity::Error,
                0,
                "",
                "Không đọc được nhiệm vụ nào. Văn bản cần có các lĩnh vực «1. …», các mục «a) …» và các trường «- Cơ quan chủ trì: …», hoặc một bảng có cột «Nhiệm vụ», «Đơn vị chủ trì», «Thời hạn».",
            );
        }
        let _ = self.directory;
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
    inherited: Fields,
    lines: LineRange,
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

fn table_header(cells: &[String]) -> Option<TableCols> {
    let mut c = TableCols::default();
    for (i, cell) in cells.iter().enumerate() {
        let f = fold(cell);
        if f == "stt" || f == "tt" || f == "so tt" {
            c.number = Some(i);
        } else if f.contains("chu tri") {
            c.lead.get_or_insert(i);
        } else if f.contains("phoi hop") {
            c.cooperating.get_or_insert(i);
        } else if f.starts_with("san pham") || f.starts_with("ket qua") {
            c.products.get_or_insert(i);
        } else if f.starts_with("thoi gian") || f.starts_with("thoi han") {
            c.deadline.get_or_insert(i);
        } else if f.contains("nhiem vu") || f.starts_with("noi dung") {
            c.content.get_or_insert(i);
        }
    }
    (c.content.is_some() && c.lead.is_some()).then_some(c)
}

/// `đ` → `dd`; other letters and numbers as they are.
fn ascii_letter(l: &str) -> String {
    l.replace('đ', "dd")
}

/// Hash of the registry (areas and tasks, as JSON): 16 hex digits.
pub fn fingerprint(areas: &[Area], tasks: &[Task]) -> String {
    let json = serde_json::to_vec(&(areas, tasks)).unwrap_or_default();
    let digest = Sha256::digest(&json);
    hex::encode(&digest[..8])
}
