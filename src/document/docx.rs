//! The province's quarterly report as a Word document, in the NĐ 30/2020
//! format (domain README §5–6): A4, margins 20/20/30/15 mm, Times New Roman,
//! header table, title, sections I–V, recipients and signature, annexes with
//! repeated table header rows, page numbers from page 2. The content comes
//! from a [`Compilation`] and the editable skeleton ([`ReportConfig`]); the
//! same inputs give the same document content (fixed dates and properties).

use super::config::ReportConfig;
use super::config::ReportDate;
use super::prose::{self, Prose};
use crate::agencies::Directory;
use crate::compile::Compilation;
use docx_rs::*;

/// Twips per millimetre.
const MM: f64 = 56.7;
/// A4 in twips.
pub(super) const A4: (u32, u32) = (11906, 16838);
/// Text width: A4 less left 30 mm and right 15 mm.
pub(super) const TEXT_WIDTH: usize = 11906 - 1701 - 850;
/// Text width of the landscape annex pages.
const WIDE_TEXT_WIDTH: usize = 16838 - 1701 - 850;
const FONT: &str = "Times New Roman";
/// The style id marking annex tables (their first row repeats on each page).
const ANNEX_STYLE: &str = "CchcBangPhuLuc";

pub(super) fn mm(v: f64) -> i32 {
    (v * MM).round() as i32
}

pub(super) fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .east_asia(FONT)
        .cs(FONT)
}

/// Run styling.
#[derive(Clone, Copy, Default)]
pub(super) struct Look {
    size: usize,
    bold: bool,
    italic: bool,
}

/// The body paragraph's shape in every document: justified, first-line
/// indent 1.27 cm (NĐ 30).
pub(super) trait BodyShape {
    fn justified_indented(self) -> Self;
}

impl BodyShape for Paragraph {
    fn justified_indented(self) -> Self {
        self.align(AlignmentType::Both).indent(
            None,
            Some(SpecialIndentType::FirstLine(mm(12.7))),
            None,
            None,
        )
    }
}

pub(super) fn look(size: usize) -> Look {
    Look {
        size,
        ..Look::default()
    }
}

impl Look {
    pub(super) fn bold(mut self) -> Look {
        self.bold = true;
        self
    }
    pub(super) fn italic(mut self) -> Look {
        self.italic = true;
        self
    }
}

pub(super) fn run(text: &str, l: Look) -> Run {
    let mut r = Run::new().add_text(text).fonts(fonts()).size(l.size * 2);
    if l.bold {
        r = r.bold();
    }
    if l.italic {
        r = r.italic();
    }
    r
}

pub(super) fn spacing(before_pt: u32, after_pt: u32) -> LineSpacing {
    LineSpacing::new()
        .before(before_pt * 20)
        .after(after_pt * 20)
        .line(276)
        .line_rule(LineSpacingType::Auto)
}

pub(super) fn centred(text: &str, l: Look) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, l))
        .align(AlignmentType::Center)
        .line_spacing(spacing(0, 0).line(240))
}

pub(super) fn left(text: &str, l: Look) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, l))
        .align(AlignmentType::Left)
        .line_spacing(spacing(0, 0).line(240))
}

/// A short horizontal rule: an empty paragraph with a bottom border, narrowed
/// by equal indents on both sides.
pub(super) fn rule(width_twips: i32, cell_width: i32) -> Paragraph {
    let side = ((cell_width - width_twips) / 2).max(0);
    let mut p = Paragraph::new()
        .add_run(run("", look(2)))
        .indent(Some(side), None, Some(side), None)
        .line_spacing(
            LineSpacing::new()
                .before(0)
                .after(60)
                .line(60)
                .line_rule(LineSpacingType::Exact),
        );
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(6)
                .space(1),
        ),
    );
    p
}

/// Document builder: the portrait part (letter, body, signature) goes into
/// its own section; the annexes follow in the landscape final section.
struct Doc {
    docx: Docx,
    portrait: Option<Section>,
    size: usize,
}

impl Doc {
    fn push(&mut self, p: Paragraph) {
        match self.portrait.take() {
            Some(s) => self.portrait = Some(s.add_paragraph(p)),
            None => self.docx = std::mem::take(&mut self.docx).add_paragraph(p),
        }
    }

    fn table(&mut self, t: Table) {
        match self.portrait.take() {
            Some(s) => self.portrait = Some(s.add_table(t)),
            None => self.docx = std::mem::take(&mut self.docx).add_table(t),
        }
    }

    /// Closes the portrait section; what follows is landscape.
    fn end_portrait(&mut self) {
        if let Some(s) = self.portrait.take() {
            self.docx = std::mem::take(&mut self.docx).add_section(s);
        }
    }

    /// Justified body paragraph, first-line indent 1.27 cm, 6 pt after.
    fn body(&mut self, text: &str) {
        let p = Paragraph::new()
            .add_run(run(text, look(self.size)))
            .justified_indented()
            .line_spacing(spacing(0, 6));
        self.push(p);
    }

    /// Body paragraph with a bold lead-in.
    fn body_lead(&mut self, lead: &str, text: &str) {
        let p = Paragraph::new()
            .add_run(run(lead, look(self.size).italic()))
            .add_run(run(text, look(self.size)))
            .justified_indented()
            .line_spacing(spacing(0, 6));
        self.push(p);
    }

    /// `I. …` (caps bold), `1. …` (bold), `a) …` (italic bold).
    fn heading(&mut self, level: u8, text: &str) {
        let l = match level {
            1 => look(self.size).bold(),
            2 => look(self.size).bold(),
            _ => look(self.size).bold().italic(),
        };
        let p = Paragraph::new()
            .add_run(run(text, l))
            .justified_indented()
            .line_spacing(spacing(6, 6))
            .keep_next(true);
        self.push(p);
    }
}

/// The page number, centred in the top margin.
pub(super) fn page_number(size: usize) -> Header {
    Header::new().add_paragraph(
        Paragraph::new()
            .add_page_num(PageNum::new())
            .align(AlignmentType::Center)
            .size(size * 2)
            .fonts(fonts()),
    )
}

/// Renders the report to .docx bytes.
pub fn report(c: &Compilation, cfg: &ReportConfig, dir: &Directory) -> anyhow::Result<Vec<u8>> {
    let prose = Prose::new(c, cfg, dir);
    let date = cfg.report_date(&c.period);
    let stamp = format!("{}T00:00:00Z", date.date.format("%Y-%m-%d"));
    let page_number = || page_number(cfg.bao_cao.co_chu);
    let portrait = Section::new()
        .page_size(PageSize::new().size(A4.0, A4.1))
        .page_margin(margins())
        .header(page_number())
        .first_header(Header::new())
        .title_pg();
    let docx = Docx::new()
        .page_size(A4.1, A4.0)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(margins())
        .page_num_type(PageNumType::new().start(1))
        .default_fonts(fonts())
        .default_size(cfg.bao_cao.co_chu * 2)
        .header(page_number())
        .add_style(Style::new(ANNEX_STYLE, StyleType::Table).name("Bảng phụ lục CCHC"))
        .created_at(&stamp)
        .updated_at(&stamp)
        .custom_property("cchc.period", &c.period.id)
        .custom_property("cchc.plan_fingerprint", &c.plan_fingerprint);
    let mut doc = Doc {
        docx,
        portrait: Some(portrait),
        size: cfg.bao_cao.co_chu,
    };
    head(&mut doc, cfg, &prose, date);
    body(&mut doc, &prose);
    closing(&mut doc, cfg);
    doc.end_portrait();
    annexes(&mut doc, &prose);
    let props = Properties {
        title: format!("{} {}", cfg.bao_cao.ten_loai, prose.summary),
        author: cfg.bao_cao.co_quan_ban_hanh.join(" "),
    };
    pack(doc.docx, &props)
}

/// Title and author of the document (docProps/core.xml).
pub struct Properties {
    pub title: String,
    pub author: String,
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Sets the author and title docx-rs has no setter for.
fn set_properties(core: &str, p: &Properties) -> String {
    let author = xml_escape(&p.author);
    let title = xml_escape(&p.title);
    let out = core
        .replace(
            "<dc:creator>unknown</dc:creator>",
            &format!("<dc:creator>{author}</dc:creator>"),
        )
        .replace(
            "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
            &format!("<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"),
        );
    match out.rfind("</cp:coreProperties>") {
        Some(i) if !out.contains("<dc:title>") => {
            format!("{}<dc:title>{title}</dc:title>{}", &out[..i], &out[i..])
        }
        _ => out,
    }
}

/// Orders custom properties by name and renumbers their `pid`s: docx-rs
/// keeps them in a HashMap, whose order differs between runs.
pub fn sort_custom_properties(xml: &str) -> String {
    let (Some(first), Some(end)) = (xml.find("<property "), xml.rfind("</property>")) else {
        return xml.to_string();
    };
    let end = end + "</property>".len();
    let mut props: Vec<&str> = xml[first..end].split_inclusive("</property>").collect();
    let name = |p: &str| p.split("name=\"").nth(1).unwrap_or("").to_string();
    props.sort_by_key(|p| name(p));
    let mut body = String::new();
    for (i, p) in props.iter().enumerate() {
        let pid = p
            .split("pid=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("");
        body.push_str(&p.replacen(&format!("pid=\"{pid}\""), &format!("pid=\"{}\"", i + 2), 1));
    }
    format!("{}{body}{}", &xml[..first], &xml[end..])
}

/// Builds the package, marks annex header rows, sets properties, zips.
pub fn pack(docx: Docx, props: &Properties) -> anyhow::Result<Vec<u8>> {
    let mut xml = docx.build();
    let core = String::from_utf8(std::mem::take(&mut xml.doc_props.core))?;
    xml.doc_props.core = set_properties(&core, props).into_bytes();
    let custom = String::from_utf8(std::mem::take(&mut xml.doc_props.custom))?;
    xml.doc_props.custom = sort_custom_properties(&custom).into_bytes();
    let document = String::from_utf8(std::mem::take(&mut xml.document))?;
    xml.document = renumber_paragraph_ids(&repeat_header_rows(&document)).into_bytes();
    for h in xml.headers.iter_mut() {
        let text = String::from_utf8(std::mem::take(h))?;
        *h = renumber_paragraph_ids(&text).into_bytes();
    }
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out)
        .map_err(|e| anyhow::anyhow!("không ghi được tệp .docx: {e}"))?;
    Ok(out.into_inner())
}

/// Adds `<w:tblHeader/>` to the first row of every annex table, so that
/// Word and LibreOffice repeat it on each page (docx-rs has no setter).
pub fn repeat_header_rows(xml: &str) -> String {
    let marker = format!("<w:tblStyle w:val=\"{ANNEX_STYLE}\" />");
    let marker2 = format!("<w:tblStyle w:val=\"{ANNEX_STYLE}\"/>");
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut rest = xml;
    loop {
        let found = [&marker, &marker2]
            .iter()
            .filter_map(|m| rest.find(m.as_str()).map(|i| (i, m.len())))
            .min();
        let Some((i, len)) = found else {
            out.push_str(rest);
            return out;
        };
        let (before, after) = rest.split_at(i + len);
        out.push_str(before);
        match after.find("<w:trPr>") {
            Some(j) => {
                out.push_str(&after[..j + "<w:trPr>".len()]);
                out.push_str("<w:tblHeader />");
                rest = &after[j + "<w:trPr>".len()..];
            }
            None => rest = after,
        }
    }
}

/// NĐ 30 margins: top and bottom 20 mm, left 30 mm, right 15 mm.
pub(super) fn margins() -> PageMargin {
    PageMargin::new()
        .top(mm(20.0))
        .bottom(mm(20.0))
        .left(mm(30.0))
        .right(mm(15.0))
        .header(mm(10.0))
        .footer(mm(10.0))
}

/// Rewrites `w14:paraId` values as 1, 2, 3…: docx-rs draws them from a
/// per-thread counter, which would make two renders of the same report differ.
pub fn renumber_paragraph_ids(xml: &str) -> String {
    const KEY: &str = "w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    let mut n = 0u32;
    while let Some(i) = rest.find(KEY) {
        let start = i + KEY.len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        n += 1;
        out.push_str(&rest[..start]);
        out.push_str(&format!("{n:08X}"));
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

pub(super) fn cell(width: usize) -> TableCell {
    TableCell::new().width(width, WidthType::Dxa)
}

fn head(doc: &mut Doc, cfg: &ReportConfig, prose: &Prose, date: ReportDate) {
    let b = &cfg.bao_cao;
    let (lw, rw) = (3500usize, TEXT_WIDTH - 3500);
    let mut l = cell(lw);
    if !b.co_quan_chu_quan.trim().is_empty() {
        l = l.add_paragraph(centred(&b.co_quan_chu_quan, look(13)));
    }
    for line in &b.co_quan_ban_hanh {
        l = l.add_paragraph(centred(line, look(13).bold()));
    }
    l = l
        .add_paragraph(rule(mm(22.0), lw as i32))
        .add_paragraph(centred(&b.so_ky_hieu, look(13)));
    let r = cell(rw)
        .add_paragraph(centred(
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            look(12).bold(),
        ))
        .add_paragraph(centred("Độc lập - Tự do - Hạnh phúc", look(14).bold()))
        .add_paragraph(rule(mm(60.0), rw as i32))
        .add_paragraph(centred(&date.place_date(&cfg.dia_danh), look(14).italic()));
    doc.table(
        Table::without_borders(vec![TableRow::new(vec![l, r])])
            .set_grid(vec![lw, rw])
            .width(TEXT_WIDTH, WidthType::Dxa)
            .layout(TableLayoutType::Fixed),
    );
    doc.push(centred("", look(doc.size)));
    doc.push(centred(&b.ten_loai, look(14).bold()).line_spacing(spacing(12, 0)));
    doc.push(centred(&prose.summary, look(14).bold()));
    doc.push(rule(mm(40.0), TEXT_WIDTH as i32));
    let to: Vec<&str> = b
        .kinh_gui
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if !to.is_empty() {
        doc.push(
            centred(&format!("Kính gửi: {}.", to.join("; ")), look(14)).line_spacing(spacing(6, 0)),
        );
    }
    doc.push(centred("", look(6)));
}

fn body(doc: &mut Doc, p: &Prose) {
    doc.body(&p.intro);
    for section in &p.sections {
        doc.heading(1, &section.title);
        for block in &section.blocks {
            match block {
                prose::Block::Heading(level, t) => doc.heading(*level, t),
                prose::Block::Para(t) => doc.body(t),
                prose::Block::Lead(lead, t) => doc.body_lead(lead, t),
            }
        }
    }
    doc.body(&p.ending);
}

fn closing(doc: &mut Doc, cfg: &ReportConfig) {
    let (lw, rw) = (4700usize, TEXT_WIDTH - 4700);
    let mut l = cell(lw).add_paragraph(left("Nơi nhận:", look(12).bold().italic()));
    for r in &cfg.noi_nhan.danh_sach {
        l = l.add_paragraph(left(&format!("- {r}"), look(11)));
    }
    let s = &cfg.nguoi_ky;
    let mut r = cell(rw);
    for line in [&s.tm, &s.kt, &s.chuc_vu] {
        if !line.trim().is_empty() {
            r = r.add_paragraph(centred(line, look(14).bold()));
        }
    }
    for _ in 0..4 {
        r = r.add_paragraph(centred("", look(14)));
    }
    r = r.add_paragraph(centred(&s.ho_ten, look(14).bold()));
    doc.push(centred("", look(6)));
    doc.table(
        Table::without_borders(vec![TableRow::new(vec![l, r]).cant_split()])
            .set_grid(vec![lw, rw])
            .width(TEXT_WIDTH, WidthType::Dxa)
            .layout(TableLayoutType::Fixed),
    );
}

fn annexes(doc: &mut Doc, p: &Prose) {
    for (i, annex) in p.annexes.iter().enumerate() {
        // Each annex starts a page; the first one starts the landscape section.
        doc.push(centred(&annex.number, look(14).bold()).page_break_before(i > 0));
        doc.push(centred(&annex.title, look(13).bold()));
        doc.push(centred(&p.annex_note, look(13).italic()).line_spacing(spacing(0, 6)));
        doc.table(annex_table(&annex.widths, &annex.header, &annex.rows));
    }
}

fn annex_table(widths: &[usize], header: &[String], rows: &[Vec<String>]) -> Table {
    let total: usize = widths.iter().sum();
    let scale = |w: usize| w * WIDE_TEXT_WIDTH / total;
    let grid: Vec<usize> = widths.iter().map(|w| scale(*w)).collect();
    let head_row = TableRow::new(
        header
            .iter()
            .zip(&grid)
            .map(|(h, w)| {
                cell(*w)
                    .add_paragraph(centred(h, look(11).bold()))
                    .vertical_align(VAlignType::Center)
                    .shading(Shading::new().fill("E7E6E6"))
            })
            .collect(),
    )
    .cant_split();
    let mut table_rows = vec![head_row];
    for r in rows {
        let cells = r
            .iter()
            .zip(&grid)
            .enumerate()
            .map(|(i, (t, w))| {
                let para = if i == 0 || t.len() <= 6 {
                    centred(t, look(11))
                } else {
                    left(t, look(11))
                };
                cell(*w).add_paragraph(para)
            })
            .collect();
        // Rows may break across pages: a long row never leaves a half-empty page.
        table_rows.push(TableRow::new(cells));
    }
    Table::new(table_rows)
        .set_grid(grid)
        .width(WIDE_TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .style(ANNEX_STYLE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_properties_are_sorted_by_name() {
        let xml = r#"<Properties><property fmtid="x" pid="2" name="b"><v>2</v></property><property fmtid="x" pid="3" name="a"><v>1</v></property></Properties>"#;
        assert_eq!(
            sort_custom_properties(xml),
            r#"<Properties><property fmtid="x" pid="2" name="a"><v>1</v></property><property fmtid="x" pid="3" name="b"><v>2</v></property></Properties>"#
        );
    }

    #[test]
    fn header_rows_marked_only_in_annex_tables() {
        let xml = format!(
            "<w:tbl><w:tblPr></w:tblPr><w:tr><w:trPr></w:trPr></w:tr></w:tbl>\
             <w:tbl><w:tblPr><w:tblStyle w:val=\"{ANNEX_STYLE}\" /></w:tblPr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr></w:trPr></w:tr></w:tbl>"
        );
        let out = repeat_header_rows(&xml);
        assert_eq!(out.matches("<w:tblHeader />").count(), 1);
        assert!(out.contains("<w:trPr><w:tblHeader /><w:cantSplit />"));
        assert!(out.starts_with("<w:tbl><w:tblPr></w:tblPr><w:tr><w:trPr></w:trPr>"));
    }
}
