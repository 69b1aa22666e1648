//! The report's words, before any layout: the title line, sections I–V as
//! headings and paragraphs, and the annex tables as rows of text. Built from a
//! [`Compilation`] and the skeleton; the DOCX renderer only lays them out.

use super::config::ReportConfig;
use crate::agencies::Directory;
use crate::compile::{Attributed, Compilation, Counts, Derived, Outcome, TaskResult, UnitState};
use crate::period::dmy;
use crate::text::fold;

/// A piece of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 2 (`1. …`) or 3 (`a) …`).
    Heading(u8, String),
    Para(String),
    /// A paragraph opening with a bold lead-in.
    Lead(String, String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `I. CÔNG TÁC …`.
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Annex {
    /// `Phụ lục I`.
    pub number: String,
    pub title: String,
    /// Relative column widths.
    pub widths: Vec<usize>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The report's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Prose {
    pub summary: String,
    pub intro: String,
    pub sections: Vec<Section>,
    pub ending: String,
    pub annex_note: String,
    pub annexes: Vec<Annex>,
}

/// How an agency is named in running text: districts by their short name
/// ("UBND huyện Bình Sơn"), others by their full name.
pub fn prose_name(dir: &Directory, code: &str) -> String {
    match dir.get(code) {
        Some(a) if fold(&a.name).starts_with("uy ban nhan dan") => a.short_name.clone(),
        Some(a) => a.name.clone(),
        None => code.to_string(),
    }
}

/// Short names (`STP`, `UBND huyện Bình Sơn`), for tables.
fn short_names(dir: &Directory, codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| {
            dir.get(c)
                .map(|a| a.short_name.clone())
                .unwrap_or_else(|| c.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn names(dir: &Directory, codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| prose_name(dir, c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `12,5` (Vietnamese decimal comma), one decimal; whole numbers without.
pub fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        group_thousands(v.round() as i64)
    } else {
        format!("{v:.1}").replace('.', ",")
    }
}

fn group_thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// `80%` or `66,7%`; a dash when there is nothing to divide.
pub fn percent(v: Option<f64>) -> String {
    v.map(|r| format!("{}%", number((r * 10.0).round() / 10.0)))
        .unwrap_or_else(|| "–".into())
}

/// The sentence counting an area's (or the plan's) tasks.
pub fn counts_sentence(k: &Counts) -> String {
    let mut s = format!(
        "Tổng số {} nhiệm vụ; {} nhiệm vụ đến hạn đã có báo cáo, trong đó: hoàn thành đúng hạn {}, hoàn thành quá hạn {}, chưa hoàn thành trong hạn {}, chưa hoàn thành quá hạn {}; tỷ lệ hoàn thành nhiệm vụ đến hạn {}",
        k.tasks,
        k.due(),
        k.done_on_time,
        k.done_late,
        k.open_in_time,
        k.open_overdue,
        percent(k.rate())
    );
    if k.open_ended > 0 {
        s += &format!(
            "; {} nhiệm vụ thường xuyên, không có thời hạn cụ thể (tính riêng, {} nhiệm vụ các đơn vị chủ trì đều báo cáo đã hoàn thành trong kỳ)",
            k.open_ended, k.open_ended_completed
        );
    }
    if k.not_yet_due > 0 {
        s += &format!("; {} nhiệm vụ chưa đến hạn", k.not_yet_due);
    }
    if k.no_report > 0 {
        s += &format!(
            "; {} nhiệm vụ đến hạn chưa có báo cáo của đơn vị chủ trì",
            k.no_report
        );
    }
    if k.not_applicable > 0 {
        s += &format!("; {} nhiệm vụ không phát sinh", k.not_applicable);
    }
    s + "."
}

/// First sentence of a task's content, at most ~160 characters.
pub fn gist(content: &str) -> String {
    let first = content
        .split(". ")
        .next()
        .unwrap_or(content)
        .trim_end_matches('.');
    if first.chars().count() <= 160 {
        return first.to_string();
    }
    let cut: String = first.chars().take(157).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

struct Ctx<'a> {
    c: &'a Compilation,
    cfg: &'a ReportConfig,
    dir: &'a Directory,
    decision: String,
}

impl Ctx<'_> {
    fn fill(&self, t: &str) -> String {
        self.cfg
            .fill(t, &self.c.period, &self.c.next_period, &self.decision)
    }

    fn attributed(&self, groups: &[Attributed]) -> Vec<String> {
        groups
            .iter()
            .map(|g| {
                let text = g.text.trim_end_matches(['.', ';']);
                let who = if g.agencies.len() <= 6 {
                    names(self.dir, &g.agencies)
                } else {
                    format!(
                        "{} đơn vị: {}",
                        g.agencies.len(),
                        short_names(self.dir, &g.agencies)
                    )
                };
                format!("{text} ({who}).")
            })
            .collect()
    }

    fn task_line(&self, t: &TaskResult) -> String {
        let mut s = format!("{}: {}", t.status.label(), t.owners_line());
        if t.outcome != Outcome::OpenEnded && t.outcome != Outcome::NotYetDue {
            s += &format!(" — {}", t.outcome.label().to_lowercase());
        }
        if !t.behind.is_empty() {
            s += &format!("; chưa hoàn thành: {}", self.few(&t.behind, "đơn vị"));
        }
        if !t.missing.is_empty() {
            s += &format!("; chưa báo cáo: {}", self.few(&t.missing, "đơn vị"));
        }
        s + "."
    }

    /// Up to six agencies by name; more as a count pointing to Annex I.
    fn few(&self, codes: &[String], noun: &str) -> String {
        if codes.len() <= 6 {
            names(self.dir, codes)
        } else {
            format!("{} {noun} (danh sách tại Phụ lục I)", codes.len())
        }
    }

    fn task_blocks(&self, t: &TaskResult, out: &mut Vec<Block>) {
        out.push(Block::Lead(
            format!("- {} ({}): ", gist(&t.content), t.label),
            self.task_line(t),
        ));
        // The deciding owners' own results first, then the cooperators'.
        let decides = |g: &Attributed| {
            g.agencies.iter().any(|a| {
                t.owners
                    .iter()
                    .any(|o| &o.agency == a && o.role != crate::plan::Role::Cooperating)
            })
        };
        let mut results = t.results.clone();
        results.sort_by_key(|g| !decides(g));
        let cap = self.cfg.bao_cao.so_ket_qua_toi_da;
        let (quoted, rest) = results.split_at(results.len().min(cap));
        for line in self.attributed(quoted) {
            out.push(Block::Para(format!("+ {line}")));
        }
        if !rest.is_empty() {
            let others: Vec<String> = rest.iter().flat_map(|g| g.agencies.clone()).collect();
            out.push(Block::Para(format!(
                "+ Kết quả của {}: xem bảng tổng hợp, sheet «Trả lời của đơn vị».",
                self.few(&others, "đơn vị khác")
            )));
        }
    }
}

impl Prose {
    pub fn new(c: &Compilation, cfg: &ReportConfig, dir: &Directory) -> Prose {
        let x = Ctx {
            c,
            cfg,
            dir,
            decision: c.plan_decision.clone().unwrap_or_else(|| "…".into()),
        };
        let date = cfg.report_date(&c.period);
        Prose {
            summary: x.fill(&cfg.bao_cao.trich_yeu),
            intro: x.fill(&cfg.bao_cao.cau_chu.mo_dau),
            sections: vec![
                section_i(&x),
                section_ii(&x),
                section_iii(&x),
                section_iv(&x),
                section_v(&x),
            ],
            ending: x.fill(&cfg.bao_cao.cau_chu.ket_thuc),
            annex_note: format!(
                "(Kèm theo Báo cáo {} ngày {} của {})",
                cfg.bao_cao.so_ky_hieu.trim_start_matches("Số:").trim(),
                dmy(date),
                cfg.bao_cao
                    .co_quan_ban_hanh
                    .iter()
                    .map(|l| l.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
                    .replace("ủy ban nhân dân tỉnh", "UBND tỉnh")
                    .replace(&cfg.tinh.to_lowercase(), &cfg.tinh)
            ),
            annexes: vec![annex_tasks(&x), annex_units(&x), annex_indicators(&x)],
        }
    }
}

fn is_direction_area(x: &Ctx, title: &str) -> bool {
    let key = fold(&x.cfg.bao_cao.muc.linh_vuc_chi_dao);
    !key.is_empty() && fold(title).contains(&key)
}

fn section_i(x: &Ctx) -> Section {
    let mut blocks = vec![Block::Para(x.fill(&x.cfg.bao_cao.cau_chu.chi_dao))];
    for area in x.c.areas.iter().filter(|a| is_direction_area(x, &a.title)) {
        blocks.push(Block::Para(counts_sentence(&area.counts)));
        for t in x.c.tasks.iter().filter(|t| t.area_id == area.area_id) {
            x.task_blocks(t, &mut blocks);
        }
    }
    let k = &x.c.completeness;
    let mut s = format!(
        "Về chế độ báo cáo: {}/{} cơ quan, đơn vị đã gửi báo cáo hợp lệ ({} đúng hạn, {} trễ hạn)",
        k.received(),
        k.expected,
        k.on_time,
        k.late
    );
    let list = |state: UnitState| -> Vec<String> {
        k.units
            .iter()
            .filter(|u| u.state == state)
            .map(|u| u.code.clone())
            .collect()
    };
    for (state, what) in [
        (UnitState::Late, "gửi trễ hạn"),
        (
            UnitState::Rejected,
            "phải gửi lại do báo cáo chưa đạt yêu cầu",
        ),
        (UnitState::Missing, "chưa gửi báo cáo"),
    ] {
        let codes = list(state);
        if !codes.is_empty() {
            s += &format!("; {} đơn vị {what}: {}", codes.len(), names(x.dir, &codes));
        }
    }
    blocks.push(Block::Para(s + "."));
    Section {
        title: format!("I. {}", x.fill(&x.cfg.bao_cao.muc.i)),
        blocks,
    }
}

fn section_ii(x: &Ctx) -> Section {
    let mut blocks = vec![Block::Para(format!(
        "Toàn tỉnh: {}",
        counts_sentence(&x.c.total)
    ))];
    let mut n = 0;
    for area in x.c.areas.iter().filter(|a| !is_direction_area(x, &a.title)) {
        n += 1;
        blocks.push(Block::Heading(2, format!("{n}. {}", area.title)));
        blocks.push(Block::Para(counts_sentence(&area.counts)));
        for t in x.c.tasks.iter().filter(|t| t.area_id == area.area_id) {
            x.task_blocks(t, &mut blocks);
        }
    }
    n += 1;
    blocks.push(Block::Heading(2, format!("{n}. Một số chỉ số chủ yếu")));
    for i in x.c.indicators.iter().filter(|i| i.total.is_some()) {
        let v = i.total.unwrap_or_default();
        let value = if i.is_rate() {
            format!(
                "{} (tính từ tổng số liệu: {}/{})",
                percent(Some(v)),
                number(i.numerator.unwrap_or_default()),
                number(i.denominator.unwrap_or_default())
            )
        } else {
            format!("{} {}", number(v), i.unit)
        };
        blocks.push(Block::Para(format!(
            "- {}: {value}; {} đơn vị báo cáo.",
            i.name, i.reporters
        )));
    }
    Section {
        title: format!("II. {}", x.fill(&x.cfg.bao_cao.muc.ii)),
        blocks,
    }
}

fn section_iii(x: &Ctx) -> Section {
    let c = x.c;
    let cc = &x.cfg.bao_cao;
    let mut blocks = vec![Block::Heading(2, format!("1. {}", cc.muc.uu_diem))];
    blocks.push(Block::Para(x.fill(&cc.cau_chu.uu_diem)));
    blocks.push(Block::Para(format!(
        "Tỷ lệ hoàn thành nhiệm vụ đến hạn toàn tỉnh đạt {} ({}/{} nhiệm vụ), trong đó {} nhiệm vụ hoàn thành đúng hạn.",
        percent(c.total.rate()),
        c.total.done(),
        c.total.due(),
        c.total.done_on_time
    )));
    let full: Vec<String> = c
        .areas
        .iter()
        .filter(|a| a.counts.due() > 0 && a.counts.rate() == Some(100.0))
        .map(|a| a.title.clone())
        .collect();
    if !full.is_empty() {
        blocks.push(Block::Para(format!(
            "Các lĩnh vực hoàn thành toàn bộ nhiệm vụ đến hạn: {}.",
            full.join("; ")
        )));
    }
    blocks.push(Block::Heading(2, format!("2. {}", cc.muc.ton_tai)));
    blocks.push(Block::Para(x.fill(&cc.cau_chu.ton_tai)));
    for (outcome, what) in [
        (Outcome::OpenOverdue, "Nhiệm vụ chưa hoàn thành, quá hạn"),
        (
            Outcome::NoReport,
            "Nhiệm vụ đến hạn chưa có báo cáo của đơn vị chủ trì",
        ),
    ] {
        let ts: Vec<&TaskResult> = c.tasks.iter().filter(|t| t.outcome == outcome).collect();
        if ts.is_empty() {
            continue;
        }
        blocks.push(Block::Para(format!("- {what} ({}):", ts.len())));
        for t in ts {
            blocks.push(Block::Para(format!(
                "+ {} ({}; hạn {}): {}",
                gist(&t.content),
                t.label,
                t.due.map(dmy).unwrap_or_default(),
                x.task_line(t)
            )));
        }
    }
    let idle: Vec<&TaskResult> = c
        .tasks
        .iter()
        .filter(|t| t.status == Derived::NotStarted && t.outcome != Outcome::NotYetDue)
        .collect();
    if !idle.is_empty() {
        let labels: Vec<&str> = idle.iter().map(|t| t.label.as_str()).collect();
        blocks.push(Block::Para(format!(
            "- Nhiệm vụ chưa triển khai ({}): {}.",
            idle.len(),
            labels.join(", ")
        )));
    }
    let k = &c.completeness;
    if k.missing + k.rejected + k.late > 0 {
        blocks.push(Block::Para(format!(
            "- Chế độ báo cáo: {} đơn vị chưa gửi, {} đơn vị phải gửi lại, {} đơn vị gửi trễ hạn (chi tiết tại Phụ lục II).",
            k.missing, k.rejected, k.late
        )));
    }
    if !c.difficulties.is_empty() {
        blocks.push(Block::Para(
            "- Khó khăn, vướng mắc các cơ quan, đơn vị phản ánh:".into(),
        ));
        for line in x.attributed(&c.difficulties) {
            blocks.push(Block::Para(format!("+ {line}")));
        }
    }
    blocks.push(Block::Para(x.fill(&cc.cau_chu.nguyen_nhan)));
    Section {
        title: format!("III. {}", x.fill(&cc.muc.iii)),
        blocks,
    }
}

fn section_iv(x: &Ctx) -> Section {
    let mut blocks = vec![Block::Para(x.fill(&x.cfg.bao_cao.cau_chu.phuong_huong))];
    for id in &x.c.next_tasks {
        let Some(t) = x.c.task(id) else { continue };
        let leads: Vec<String> = t
            .owners
            .iter()
            .filter(|o| o.role == t.decided_by || o.role == crate::plan::Role::ForCommunes)
            .map(|o| o.agency.clone())
            .collect();
        let carried = if t.outcome == Outcome::OpenOverdue {
            " (chuyển tiếp, đã quá hạn)"
        } else {
            ""
        };
        blocks.push(Block::Para(format!(
            "- {} ({}){carried}; thời hạn: {}; chủ trì: {}.",
            gist(&t.content),
            t.label,
            t.deadline.trim_end_matches('.'),
            if leads.is_empty() {
                "(chưa xác định)".to_string()
            } else {
                names(x.dir, &leads)
            }
        )));
    }
    Section {
        title: format!("IV. {}", x.fill(&x.cfg.bao_cao.muc.iv)),
        blocks,
    }
}

fn section_v(x: &Ctx) -> Section {
    let mut blocks = Vec::new();
    if x.c.proposals.is_empty() {
        blocks.push(Block::Para(x.fill(&x.cfg.bao_cao.cau_chu.khong_kien_nghi)));
    }
    for line in x.attributed(&x.c.proposals) {
        blocks.push(Block::Para(format!("- {line}")));
    }
    Section {
        title: format!("V. {}", x.fill(&x.cfg.bao_cao.muc.v)),
        blocks,
    }
}

fn annex_tasks(x: &Ctx) -> Annex {
    let rows =
        x.c.tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                vec![
                    (i + 1).to_string(),
                    t.label.clone(),
                    gist(&t.content),
                    t.due.map(dmy).unwrap_or_else(|| "Thường xuyên".into()),
                    format!("{}/{}", t.completed_by, t.deciders),
                    t.status.label().to_string(),
                    t.outcome.label().to_string(),
                    [
                        (!t.behind.is_empty())
                            .then(|| format!("Chưa HT: {}", short_names(x.dir, &t.behind))),
                        (!t.missing.is_empty())
                            .then(|| format!("Chưa BC: {}", short_names(x.dir, &t.missing))),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("; "),
                ]
            })
            .collect();
    Annex {
        number: "Phụ lục I".into(),
        title: format!(
            "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH {}",
            x.c.period.label().to_uppercase()
        ),
        widths: vec![5, 6, 30, 10, 8, 11, 12, 22],
        header: [
            "STT",
            "Mục",
            "Nhiệm vụ",
            "Thời hạn",
            "Số ĐV HT/chủ trì",
            "Tình trạng",
            "Phân loại",
            "Đơn vị chưa hoàn thành, chưa báo cáo",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

fn annex_units(x: &Ctx) -> Annex {
    let rows =
        x.c.completeness
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let a = x.c.agencies.iter().find(|a| a.code == u.code);
                let n = |f: fn(&crate::compile::AgencyTasks) -> usize| {
                    a.map(|a| f(a).to_string()).unwrap_or_default()
                };
                vec![
                    (i + 1).to_string(),
                    prose_name(x.dir, &u.code),
                    u.label().to_string(),
                    u.received
                        .map(|t| t.format("%d/%m/%Y").to_string())
                        .unwrap_or_default(),
                    n(|a| a.lead),
                    n(|a| a.completed),
                    n(|a| a.in_progress),
                    n(|a| a.not_started),
                    n(|a| a.overdue),
                    percent(a.and_then(|a| if a.reported { a.rate() } else { None })),
                ]
            })
            .collect();
    Annex {
        number: "Phụ lục II".into(),
        title: format!(
            "TÌNH HÌNH GỬI BÁO CÁO VÀ THỰC HIỆN NHIỆM VỤ CỦA CÁC CƠ QUAN, ĐƠN VỊ {}",
            x.c.period.label().to_uppercase()
        ),
        widths: vec![5, 28, 11, 11, 8, 8, 8, 8, 8, 9],
        header: [
            "STT",
            "Cơ quan, đơn vị",
            "Gửi báo cáo",
            "Ngày nhận",
            "NV chủ trì",
            "Hoàn thành",
            "Đang thực hiện",
            "Chưa thực hiện",
            "Quá hạn",
            "Tỷ lệ HT/NV chủ trì",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

fn annex_indicators(x: &Ctx) -> Annex {
    let rows =
        x.c.indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| {
                let total = match (ind.total, ind.is_rate()) {
                    (Some(v), true) => percent(Some(v)),
                    (Some(v), false) => number(v),
                    (None, _) => "–".into(),
                };
                let note = if ind.is_rate() {
                    format!(
                        "Tính lại từ tổng: {}/{}",
                        number(ind.numerator.unwrap_or_default()),
                        number(ind.denominator.unwrap_or_default())
                    )
                } else {
                    String::new()
                };
                vec![
                    (i + 1).to_string(),
                    ind.group.clone(),
                    ind.name.clone(),
                    ind.unit.clone(),
                    total,
                    ind.reporters.to_string(),
                    note,
                ]
            })
            .collect();
    Annex {
        number: "Phụ lục III".into(),
        title: format!(
            "SỐ LIỆU CẢI CÁCH HÀNH CHÍNH {} TOÀN TỈNH",
            x.c.period.label().to_uppercase()
        ),
        widths: vec![5, 16, 36, 9, 11, 9, 16],
        header: [
            "STT",
            "Nhóm",
            "Chỉ tiêu",
            "Đơn vị tính",
            "Toàn tỉnh",
            "Số ĐV báo cáo",
            "Ghi chú",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_vietnamese_way() {
        assert_eq!(number(16051.0), "16.051");
        assert_eq!(number(98.62), "98,6");
        assert_eq!(percent(Some(66.666)), "66,7%");
        assert_eq!(percent(Some(100.0)), "100%");
        assert_eq!(percent(None), "–");
    }
}
