//! The report's words, before any layout: the title line, sections I–V as
//! headings and paragraphs, and the annex tables as rows of text. Built from a
//! [`Compilation`] and the skeleton; the DOCX renderer only lays them out.

use super::config::ReportConfig;
use super::wording;
use crate::agencies::Directory;
use crate::compile::{AreaSummary, Attributed, Compilation, Counts, Outcome, TaskResult};
use crate::period::dmy;
use crate::plan::Role;
use crate::text::fold;
use chrono::NaiveDate;
use std::collections::HashMap;

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

pub use crate::text::number;

/// `80%` or `66,7%`; a dash when there is nothing to divide.
pub fn percent(v: Option<f64>) -> String {
    v.map(|r| format!("{}%", number((r * 10.0).round() / 10.0)))
        .unwrap_or_else(|| "–".into())
}

/// The sentence counting an area's (or the province's) tasks, by the one
/// counting method (domain README §4): the rate over tasks due by the data
/// cut-off, a due task without a report counted as not completed.
pub fn counts_sentence(k: &Counts, as_of: NaiveDate) -> String {
    let mut s = format!("Tổng số {} nhiệm vụ", k.tasks);
    if k.due() == 0 {
        s += &format!("; đến ngày {} chưa có nhiệm vụ đến hạn", dmy(as_of));
    } else {
        s += &format!(
            "; đến ngày {} có {} nhiệm vụ đến hạn: hoàn thành {} (đúng hạn {}, quá hạn {}); chưa hoàn thành {} (còn trong hạn {}, quá hạn {}, chưa có báo cáo {}); tỷ lệ hoàn thành {}",
            dmy(as_of),
            k.due(),
            k.done(),
            k.done_on_time,
            k.done_late,
            k.not_done(),
            k.open_in_time,
            k.open_overdue,
            k.no_report,
            percent(k.rate())
        );
    }
    let mut apart = Vec::new();
    if k.open_ended > 0 {
        apart.push(format!("{} nhiệm vụ thực hiện thường xuyên", k.open_ended));
    }
    if k.not_yet_due > 0 {
        apart.push(format!("{} nhiệm vụ chưa đến hạn", k.not_yet_due));
    }
    if k.not_applicable > 0 {
        apart.push(format!("{} nhiệm vụ không phát sinh", k.not_applicable));
    }
    if !apart.is_empty() {
        s += &format!("; ngoài ra {} (theo dõi riêng)", apart.join(", "));
    }
    s + "."
}

/// First sentence of a task's content, cut at a clause (never with "…").
pub fn gist(content: &str) -> String {
    wording::short_title(content)
}

struct Ctx<'a> {
    c: &'a Compilation,
    cfg: &'a ReportConfig,
    dir: &'a Directory,
    decision: String,
    /// (task, agency) → evidence and its date, from the counted returns.
    evidence: HashMap<(&'a str, &'a str), (&'a str, Option<NaiveDate>)>,
}

/// How many units, in words.
fn units(n: usize) -> String {
    format!("{n} cơ quan, đơn vị")
}

impl<'a> Ctx<'a> {
    fn new(c: &'a Compilation, cfg: &'a ReportConfig, dir: &'a Directory) -> Ctx<'a> {
        let evidence = c
            .answers
            .iter()
            .filter(|a| !a.evidence.trim().is_empty())
            .map(|a| {
                (
                    (a.task_id.as_str(), a.agency.as_str()),
                    (a.evidence.trim(), a.evidence_date),
                )
            })
            .collect();
        Ctx {
            c,
            cfg,
            dir,
            decision: c.plan_decision.clone().unwrap_or_else(|| "…".into()),
            evidence,
        }
    }

    fn fill(&self, t: &str) -> String {
        self.cfg
            .fill(t, &self.c.period, &self.c.next_span.label, &self.decision)
    }

    /// The short title of a task: configured for its label, or the plan's first clause.
    fn title(&self, t: &TaskResult) -> String {
        self.cfg
            .bao_cao
            .ten_ngan
            .get(&t.label)
            .cloned()
            .unwrap_or_else(|| gist(&t.content))
    }

    /// Names (at most `few`) or a count.
    fn who(&self, codes: &[String], few: usize) -> String {
        if codes.len() <= few {
            names(self.dir, codes)
        } else {
            units(codes.len())
        }
    }

    /// The deciding owners of a task (leads, or cooperators when no lead reports).
    fn deciders(&self, t: &'a TaskResult) -> Vec<&'a str> {
        t.owners
            .iter()
            .filter(|o| (o.role == Role::Cooperating) == (t.decided_by == Role::Cooperating))
            .map(|o| o.agency.as_str())
            .collect()
    }

    /// One concrete result of a task for the area's highlights, with its weight.
    fn highlight(&self, t: &'a TaskResult) -> Option<(usize, String)> {
        // What is behind is said once, under "chưa hoàn thành".
        if matches!(t.outcome, Outcome::OpenOverdue | Outcome::NoReport) {
            return None;
        }
        let head = format!("{} ({})", self.title(t), t.label);
        let deciders = self.deciders(t);
        if matches!(t.outcome, Outcome::DoneOnTime | Outcome::DoneLate) {
            let when = if t.outcome == Outcome::DoneLate {
                "đã hoàn thành (quá hạn)"
            } else {
                "đã hoàn thành"
            };
            if deciders.len() <= 3 {
                let docs: Vec<String> = deciders
                    .iter()
                    .map(|a| {
                        let doc =
                            self.evidence
                                .get(&(t.task_id.as_str(), *a))
                                .map(|(e, d)| match d {
                                    Some(d) => format!(" (văn bản số {e} ngày {})", dmy(*d)),
                                    None => format!(" (văn bản số {e})"),
                                });
                        format!(
                            "{} {when}{}",
                            prose_name(self.dir, a),
                            doc.unwrap_or_default()
                        )
                    })
                    .collect();
                let weight = 100 + 10 * docs.iter().filter(|d| d.contains("văn bản")).count();
                return Some((weight, format!("- {head}: {}.", docs.join("; "))));
            }
            return Some((
                100,
                format!(
                    "- {head}: {}/{} đơn vị chủ trì {when}.",
                    t.completed_by, t.deciders
                ),
            ));
        }
        // Otherwise the most concrete whole sentence the deciders reported.
        let mut best: Option<(usize, String, Vec<&String>)> = None;
        for g in &t.results {
            let by: Vec<&String> = g
                .agencies
                .iter()
                .filter(|a| deciders.contains(&a.as_str()))
                .collect();
            if by.is_empty() {
                continue;
            }
            for s in wording::sentences(&g.text) {
                let w = wording::significance(&s);
                if w >= 3 && best.as_ref().is_none_or(|b| w > b.0) {
                    best = Some((w, s, by.clone()));
                }
            }
        }
        let (w, s, by) = best?;
        let source = match by.as_slice() {
            [one] => prose_name(self.dir, one),
            _ => units(by.len()),
        };
        Some((
            w,
            format!("- {head}: {} ({source}).", s.trim_end_matches('.')),
        ))
    }

    /// The most significant results of an area, at most the configured number.
    fn highlights(&self, area: &str) -> Vec<String> {
        let mut found: Vec<(usize, usize, String)> = self
            .c
            .tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.area_id == area)
            .filter_map(|(i, t)| self.highlight(t).map(|(w, s)| (w, i, s)))
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found.truncate(self.cfg.bao_cao.so_ket_qua_toi_da);
        found.sort_by_key(|f| f.1);
        found.into_iter().map(|f| f.2).collect()
    }

    /// Why a task is behind: its deciders' difficulties, grouped, most cited first.
    fn reasons(&self, t: &TaskResult) -> String {
        let deciders = self.deciders(t);
        let mut groups: Vec<(usize, String)> = t
            .difficulties
            .iter()
            .filter_map(|g| {
                let n = g
                    .agencies
                    .iter()
                    .filter(|a| deciders.contains(&a.as_str()))
                    .count();
                let s = wording::sentences(&g.text).into_iter().next()?;
                (n > 0).then(|| (n, wording::lower_first(s.trim_end_matches('.'))))
            })
            .collect();
        groups.sort_by_key(|g| std::cmp::Reverse(g.0));
        groups.truncate(2);
        if groups.is_empty() {
            return String::new();
        }
        let list: Vec<String> = groups
            .iter()
            .map(|(n, s)| {
                if deciders.len() > 1 {
                    format!("{s} ({n} đơn vị nêu)")
                } else {
                    s.clone()
                }
            })
            .collect();
        format!("; lý do: {}", list.join("; "))
    }

    /// A due task not completed: by whom, and why.
    fn behind_line(&self, t: &TaskResult) -> String {
        let due = t
            .due
            .map(|d| format!("; hạn {}", dmy(d)))
            .unwrap_or_default();
        let head = format!("- {} ({}{due}): ", self.title(t), t.label);
        let mut parts = Vec::new();
        if t.outcome == Outcome::NoReport {
            parts.push(format!(
                "chưa có báo cáo của đơn vị chủ trì ({})",
                self.who(&t.missing, 3)
            ));
        } else {
            if !t.behind.is_empty() {
                parts.push(if t.behind.len() <= 3 {
                    format!("{} chưa hoàn thành", names(self.dir, &t.behind))
                } else {
                    format!(
                        "{}/{} đơn vị chủ trì chưa hoàn thành",
                        t.behind.len(),
                        t.deciders
                    )
                });
            }
            if !t.missing.is_empty() {
                parts.push(format!("{} chưa báo cáo", self.who(&t.missing, 3)));
            }
        }
        format!("{head}{}{}.", parts.join(", "), self.reasons(t))
    }

    /// Indicator figures quoted under an area (configured groups).
    fn indicator_line(&self, title: &str) -> Option<String> {
        let t = fold(title);
        let groups: Vec<&String> = self
            .cfg
            .bao_cao
            .chi_so_theo_linh_vuc
            .iter()
            .filter(|(k, _)| t.contains(&fold(k)))
            .flat_map(|(_, g)| g)
            .collect();
        let items: Vec<String> = self
            .c
            .indicators
            .iter()
            .filter(|i| groups.contains(&&i.group) && i.reporters > 0)
            .filter(|i| !self.c.suspect_indicators.contains(&i.code))
            .filter(|i| !fold(&i.name).starts_with("trong do"))
            .take(self.cfg.bao_cao.so_chi_so_toi_da)
            .filter_map(|i| {
                let v = i.total?;
                let value = if i.is_rate() {
                    percent(Some(v))
                } else {
                    format!("{} {}", number(v), i.unit)
                };
                Some(format!("{}: {value}", wording::lower_first(&i.name)))
            })
            .collect();
        (!items.is_empty()).then(|| format!("{}.", items.join("; ")))
    }

    /// Everything said about one area: counts, results, what is behind, figures.
    fn area_blocks(&self, area: &AreaSummary, out: &mut Vec<Block>) {
        out.push(Block::Para(counts_sentence(&area.counts, self.c.as_of)));
        let found = self.highlights(&area.area_id);
        if !found.is_empty() {
            out.push(Block::Lead("Kết quả nổi bật:".into(), String::new()));
            out.extend(found.into_iter().map(Block::Para));
        }
        let tasks: Vec<&TaskResult> = self
            .c
            .tasks
            .iter()
            .filter(|t| t.area_id == area.area_id)
            .collect();
        let late: Vec<&&TaskResult> = tasks
            .iter()
            .filter(|t| matches!(t.outcome, Outcome::OpenOverdue | Outcome::NoReport))
            .collect();
        if !late.is_empty() {
            out.push(Block::Lead(
                "Nhiệm vụ đến hạn chưa hoàn thành, quá hạn hoặc chưa có báo cáo:".into(),
                String::new(),
            ));
            out.extend(late.iter().map(|t| Block::Para(self.behind_line(t))));
        }
        let in_time: Vec<String> = tasks
            .iter()
            .filter(|t| t.outcome == Outcome::OpenInTime)
            .map(|t| format!("{} ({})", self.title(t), t.label))
            .collect();
        if !in_time.is_empty() {
            out.push(Block::Lead(
                "Đang thực hiện, còn trong hạn: ".into(),
                format!("{}.", in_time.join("; ")),
            ));
        }
        if let Some(line) = self.indicator_line(&area.title) {
            out.push(Block::Lead("Một số chỉ tiêu chủ yếu: ".into(), line));
        }
    }
}

impl Prose {
    pub fn new(c: &Compilation, cfg: &ReportConfig, dir: &Directory) -> Prose {
        let x = Ctx::new(c, cfg, dir);
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
                "(Kèm theo Báo cáo số {} ngày {} của {})",
                cfg.bao_cao
                    .so_ky_hieu
                    .trim_start_matches("Số:")
                    .trim_start_matches(|c: char| c.is_whitespace() && c != ' ')
                    .trim_start(),
                date.short(),
                issuer_in_a_sentence(cfg)
            )
            .replace("số  ", "số       ")
            .replace("số /", "số       /"),
            annexes: vec![annex_tasks(&x), annex_units(&x), annex_indicators(&x)],
        }
    }
}

/// "Ủy ban nhân dân tỉnh Quảng Ngãi" from the capitalised header lines.
fn issuer_in_a_sentence(cfg: &ReportConfig) -> String {
    let caps = cfg.bao_cao.co_quan_ban_hanh.join(" ");
    let lower = caps.to_lowercase();
    let mut out = wording::upper_initial(&lower);
    let tinh = cfg.tinh.to_lowercase();
    if !tinh.is_empty() {
        out = out.replace(&tinh, &cfg.tinh);
    }
    out
}

fn is_direction_area(x: &Ctx, title: &str) -> bool {
    let key = fold(&x.cfg.bao_cao.muc.linh_vuc_chi_dao);
    !key.is_empty() && fold(title).contains(&key)
}

fn section_i(x: &Ctx) -> Section {
    let mut blocks = vec![Block::Para(x.fill(&x.cfg.bao_cao.cau_chu.chi_dao))];
    for area in x.c.areas.iter().filter(|a| is_direction_area(x, &a.title)) {
        x.area_blocks(area, &mut blocks);
    }
    let line = reporting_sentence(&x.c.completeness);
    let rest = line.trim_start_matches("Về chế độ báo cáo: ");
    blocks.push(Block::Lead("Về chế độ báo cáo: ".into(), rest.to_string()));
    Section {
        title: format!("I. {}", x.fill(&x.cfg.bao_cao.muc.i)),
        blocks,
    }
}

/// Who sent a return that counts, on time or late, and who is still owed:
/// counts only (the units are listed in Phụ lục II).
pub fn reporting_sentence(k: &crate::compile::Completeness) -> String {
    let mut s = format!(
        "Về chế độ báo cáo: {}/{} cơ quan, đơn vị đã gửi báo cáo hợp lệ ({} đúng hạn, {} trễ hạn)",
        k.received(),
        k.expected,
        k.on_time,
        k.late
    );
    if k.rejected > 0 {
        s += &format!(
            "; {} đã gửi nhưng báo cáo chưa đạt yêu cầu, phải gửi lại",
            units(k.rejected)
        );
    }
    if k.missing > 0 {
        s += &format!("; {} chưa gửi báo cáo", units(k.missing));
    }
    s + " (chi tiết tại Phụ lục II)."
}

fn section_ii(x: &Ctx) -> Section {
    let mut blocks = vec![Block::Para(format!(
        "Toàn tỉnh: {}",
        wording::lower_first(&counts_sentence(&x.c.total, x.c.as_of))
    ))];
    let mut n = 0;
    for area in x.c.areas.iter().filter(|a| !is_direction_area(x, &a.title)) {
        n += 1;
        blocks.push(Block::Heading(2, format!("{n}. {}", area.title)));
        x.area_blocks(area, &mut blocks);
    }
    Section {
        title: format!("II. {}", x.fill(&x.cfg.bao_cao.muc.ii)),
        blocks,
    }
}

/// Texts grouped under the configured themes (then by wording), with how
/// many distinct units raised each group, most raised first.
fn by_theme(x: &Ctx, groups: &[Attributed]) -> Vec<(String, Vec<String>, usize)> {
    let themes = &x.cfg.bao_cao.chu_de;
    let mut out: Vec<(String, Vec<String>, std::collections::BTreeSet<&str>)> = Vec::new();
    for g in groups {
        let Some(text) = wording::sentences(&g.text).into_iter().next() else {
            continue;
        };
        let key = match wording::theme_of(themes, &text) {
            Some(i) => themes[i].ten.clone(),
            None => text.clone(),
        };
        let i = match out.iter().position(|o| o.0 == key) {
            Some(i) => i,
            None => {
                out.push((key, Vec::new(), Default::default()));
                out.len() - 1
            }
        };
        if !out[i].1.iter().any(|t| fold(t) == fold(&text)) {
            out[i].1.push(text);
        }
        out[i].2.extend(g.agencies.iter().map(String::as_str));
    }
    let mut out: Vec<(String, Vec<String>, usize)> = out
        .into_iter()
        .map(|(k, texts, who)| (k, texts, who.len()))
        .collect();
    out.sort_by_key(|o| std::cmp::Reverse(o.2));
    out
}

/// Texts de-duplicated by their cleaned wording, with how many distinct
/// units wrote each, most written first.
fn distinct(groups: &[Attributed]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, std::collections::BTreeSet<&str>)> = Vec::new();
    for g in groups {
        for text in wording::sentences(&g.text) {
            let i = match out.iter().position(|o| fold(&o.0) == fold(&text)) {
                Some(i) => i,
                None => {
                    out.push((text, Default::default()));
                    out.len() - 1
                }
            };
            out[i].1.extend(g.agencies.iter().map(String::as_str));
        }
    }
    let mut out: Vec<(String, usize)> = out.into_iter().map(|(t, w)| (t, w.len())).collect();
    out.sort_by_key(|o| std::cmp::Reverse(o.1));
    out
}

fn section_iii(x: &Ctx) -> Section {
    let c = x.c;
    let cc = &x.cfg.bao_cao;
    let k = &c.total;
    let mut blocks = vec![Block::Heading(2, format!("1. {}", cc.muc.uu_diem))];
    blocks.push(Block::Para(x.fill(&cc.cau_chu.uu_diem)));
    if k.due() > 0 {
        blocks.push(Block::Para(format!(
            "Đến ngày {}, toàn tỉnh hoàn thành {}/{} nhiệm vụ đến hạn, đạt {}; trong đó {} nhiệm vụ hoàn thành đúng hạn.",
            dmy(c.as_of),
            k.done(),
            k.due(),
            percent(k.rate()),
            k.done_on_time
        )));
    }
    let full: Vec<String> = c
        .areas
        .iter()
        .filter(|a| a.counts.due() > 0 && a.counts.not_done() == 0)
        .map(|a| a.title.clone())
        .collect();
    if !full.is_empty() {
        blocks.push(Block::Para(format!(
            "Các lĩnh vực đã hoàn thành toàn bộ nhiệm vụ đến hạn: {}.",
            full.join("; ")
        )));
    }
    let r = &c.completeness;
    if r.on_time > 0 {
        blocks.push(Block::Para(format!(
            "{}/{} cơ quan, đơn vị gửi báo cáo đúng hạn, đúng biểu mẫu.",
            r.on_time, r.expected
        )));
    }
    blocks.push(Block::Heading(2, format!("2. {}", cc.muc.ton_tai)));
    blocks.push(Block::Para(x.fill(&cc.cau_chu.ton_tai)));
    if k.not_done() > 0 {
        let mut low: Vec<(&AreaSummary, f64)> = c
            .areas
            .iter()
            .filter_map(|a| a.counts.rate().map(|r| (a, r)))
            .filter(|(_, r)| *r < 50.0)
            .collect();
        low.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut s = format!(
            "- {} nhiệm vụ đến hạn chưa hoàn thành (quá hạn {}, còn trong hạn {}, chưa có báo cáo {})",
            k.not_done(),
            k.open_overdue,
            k.open_in_time,
            k.no_report
        );
        if !low.is_empty() {
            let list: Vec<String> = low
                .iter()
                .map(|(a, r)| format!("{} ({})", a.title, percent(Some(*r))))
                .collect();
            s += &format!(
                "; tỷ lệ hoàn thành còn thấp ở các lĩnh vực: {}",
                list.join("; ")
            );
        }
        blocks.push(Block::Para(s + "."));
    }
    if r.late + r.rejected + r.missing > 0 {
        blocks.push(Block::Para(format!(
            "- Chế độ báo cáo chưa nghiêm: {} gửi trễ hạn, {} phải gửi lại, {} chưa gửi báo cáo.",
            units(r.late),
            units(r.rejected),
            units(r.missing)
        )));
    }
    let causes = by_theme(x, &c.difficulties);
    if !causes.is_empty() {
        blocks.push(Block::Para(
            "- Nguyên nhân, theo phản ánh của các cơ quan, đơn vị:".into(),
        ));
        for (_, texts, n) in causes.iter().take(5) {
            let texts: Vec<String> = texts
                .iter()
                .take(2)
                .map(|t| t.trim_end_matches('.').to_string())
                .collect();
            blocks.push(Block::Para(format!(
                "+ {} ({} nêu).",
                texts.join("; "),
                units(*n)
            )));
        }
    }
    blocks.push(Block::Para(x.fill(&cc.cau_chu.nguyen_nhan)));
    Section {
        title: format!("III. {}", x.fill(&cc.muc.iii)),
        blocks,
    }
}

/// A unit's proposal to the province turned into a direction of UBND tỉnh.
fn direction(request: &str) -> String {
    let f = fold(request);
    for head in ["ubnd tinh ", "uy ban nhan dan tinh "] {
        if f.starts_with(head) {
            let rest: String = request.chars().skip(head.chars().count()).collect();
            return format!("UBND tỉnh chỉ đạo các cơ quan chức năng tham mưu {rest}");
        }
    }
    const BODIES: [&str; 8] = [
        "so ",
        "van phong",
        "ban ",
        "thanh tra",
        "ubnd cap",
        "ubnd cac",
        "cac so",
        "cong an",
    ];
    if BODIES.iter().any(|b| f.starts_with(b)) {
        return format!("Giao {request}");
    }
    format!(
        "UBND tỉnh chỉ đạo các cơ quan chức năng nghiên cứu, giải quyết đề xuất: {}",
        wording::lower_first(request)
    )
}

fn section_iv(x: &Ctx) -> Section {
    let c = x.c;
    let mut blocks = vec![Block::Para(x.fill(&x.cfg.bao_cao.cau_chu.phuong_huong))];
    let span = &c.next_span;
    let carried: Vec<&TaskResult> = c.tasks.iter().filter(|t| t.outcome.is_behind()).collect();
    if !carried.is_empty() {
        let labels: Vec<&str> = carried.iter().map(|t| t.label.as_str()).collect();
        blocks.push(Block::Para(format!(
            "- Khẩn trương hoàn thành {} nhiệm vụ đến hạn trong {} nhưng chưa hoàn thành (các mục {}; chi tiết tại Phụ lục I).",
            carried.len(),
            c.period.label(),
            labels.join(", ")
        )));
    }
    for id in &c.next_tasks {
        let Some(t) = c.task(id) else { continue };
        if t.outcome.is_behind() {
            continue;
        }
        let task = x.deciders(t);
        let leads: Vec<String> = task.iter().map(|s| s.to_string()).collect();
        let lead = if leads.is_empty() {
            String::new()
        } else {
            format!("; chủ trì: {}", x.who(&leads, 3))
        };
        let due = t
            .final_due
            .filter(|d| span.contains(*d))
            .or(t.due)
            .map(|d| format!(", hạn {}", dmy(d)))
            .unwrap_or_default();
        blocks.push(Block::Para(format!(
            "- {} ({}){due}{lead}.",
            x.title(t),
            t.label
        )));
    }
    let upward = &x.cfg.bao_cao.cap_tren;
    let to_province: Vec<Attributed> = c
        .proposals
        .iter()
        .filter(|g| wording::addressee(upward, &g.text) == wording::Addressee::Province)
        .cloned()
        .collect();
    for (text, n) in distinct(&to_province) {
        let r = wording::request(&text);
        blocks.push(Block::Para(format!(
            "- {} (đề xuất của {}).",
            direction(&r),
            units(n)
        )));
    }
    for s in &x.cfg.bao_cao.cau_chu.chi_dao_ky_toi {
        blocks.push(Block::Para(format!("- {}", x.fill(s))));
    }
    Section {
        title: format!("IV. {}", x.fill(&x.cfg.bao_cao.muc.iv)),
        blocks,
    }
}

fn section_v(x: &Ctx) -> Section {
    let c = x.c;
    let cc = &x.cfg.bao_cao;
    let mut blocks = Vec::new();
    let up: Vec<Attributed> = c
        .proposals
        .iter()
        .filter(|g| wording::addressee(&cc.cap_tren, &g.text) == wording::Addressee::Upward)
        .cloned()
        .collect();
    for (_, texts, n) in by_theme(x, &up) {
        let texts: Vec<String> = texts
            .iter()
            .map(|t| t.trim_end_matches('.').to_string())
            .collect();
        blocks.push(Block::Para(format!(
            "- {} ({} đề xuất).",
            texts.join("; "),
            units(n)
        )));
    }
    let waiting: std::collections::BTreeSet<&str> = c
        .difficulties
        .iter()
        .filter(|g| {
            let f = fold(&g.text);
            cc.cau_chu
                .tu_khoa_cho_huong_dan
                .iter()
                .any(|k| f.contains(&fold(k)))
        })
        .flat_map(|g| g.agencies.iter().map(String::as_str))
        .collect();
    if !waiting.is_empty() && !cc.cau_chu.kien_nghi_huong_dan.trim().is_empty() {
        blocks.push(Block::Para(format!(
            "- {}",
            x.fill(&cc.cau_chu.kien_nghi_huong_dan)
                .replace("{so_don_vi}", &waiting.len().to_string())
        )));
    }
    if blocks.is_empty() {
        blocks.push(Block::Para(x.fill(&cc.cau_chu.khong_kien_nghi)));
    }
    Section {
        title: format!("V. {}", x.fill(&cc.muc.v)),
        blocks,
    }
}

fn annex_tasks(x: &Ctx) -> Annex {
    let rows =
        x.c.tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let deciders: Vec<String> = x.deciders(t).iter().map(|s| s.to_string()).collect();
                let lead = if deciders.len() <= 3 {
                    short_names(x.dir, &deciders)
                } else {
                    format!("{} đơn vị", deciders.len())
                };
                let due = match (t.due, t.final_due) {
                    (Some(d), Some(f)) if f > d => {
                        format!("{} (hạn cuối {})", dmy(d), dmy(f))
                    }
                    (Some(d), _) => dmy(d),
                    (None, _) => wording::short_title(&t.deadline),
                };
                let result = match t.outcome {
                    Outcome::OpenEnded | Outcome::NotYetDue => {
                        format!("{}: {}", t.outcome.label(), t.status.label().to_lowercase())
                    }
                    o => o.label().to_string(),
                };
                // Units are named where a due task is behind; otherwise counted.
                let list = |what: &str, codes: &[String], named: bool| {
                    if codes.is_empty() {
                        None
                    } else if named && codes.len() <= 12 {
                        Some(format!("{what}: {}", short_names(x.dir, codes)))
                    } else {
                        Some(format!("{what}: {} đơn vị", codes.len()))
                    }
                };
                let due_task = t.outcome.is_official();
                vec![
                    (i + 1).to_string(),
                    t.label.clone(),
                    x.title(t),
                    lead,
                    due,
                    result,
                    format!("{}/{}", t.completed_by, t.deciders),
                    [
                        list("Chưa hoàn thành", &t.behind, due_task),
                        list("Chưa báo cáo", &t.missing, true),
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
        widths: vec![5, 6, 30, 11, 12, 13, 10, 22],
        header: [
            "STT",
            "Mục",
            "Nhiệm vụ",
            "Chủ trì",
            "Thời hạn tính trong kỳ",
            "Kết quả",
            "Đơn vị hoàn thành / chủ trì",
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
                    n(|a| a.due),
                    n(|a| a.due_done),
                    n(|a| a.due - a.due_done),
                    n(|a| a.overdue),
                    percent(a.and_then(|a| a.due_rate())),
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
            "NV đến hạn",
            "Đã hoàn thành",
            "Chưa hoàn thành",
            "Quá hạn",
            "Tỷ lệ hoàn thành NV đến hạn",
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
