//! Realistic answers for an agency's template: what a careful agency would
//! type for each of its tasks and indicators in a period, chosen
//! deterministically from the agency code (same inputs, same answers), plus
//! the mistakes agencies really make, planted on request. Used by `cchc demo`
//! to fill the agencies that have no sample return, by the samples generator
//! and by tests.

use crate::agencies::{Agency, Level};
use crate::form::indicators::{Catalogue, Kind};
use crate::form::{Status, TaskColumn, TaskReport};
use crate::period::Period;
use crate::plan::{Assigned, Plan, Role};
use crate::template::{Answers, Cell};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

/// A small deterministic generator (SplitMix64) seeded from text.
pub struct Rng(u64);

impl Rng {
    pub fn seeded(parts: &[&str]) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in parts.iter().flat_map(|p| p.bytes().chain([0x1f])) {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next_u64() as usize % items.len()]
    }
}

/// One agency's answers as data: the task rows and the figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Filled {
    pub tasks: Vec<TaskReport>,
    pub figures: BTreeMap<String, f64>,
}

impl Filled {
    /// The answers as template cells, the way a careful agency types them.
    pub fn answers(&self) -> Answers {
        let mut a = Answers::default();
        for t in &self.tasks {
            a.report(t);
        }
        for (code, v) in &self.figures {
            a.figure(code, *v);
        }
        a
    }
}

const RESULT_DONE: &[&str] = &[
    "Đã ban hành {p}; triển khai đến các phòng, đơn vị trực thuộc.",
    "Đã hoàn thành {p} đúng nội dung kế hoạch.",
    "Đã tổ chức thực hiện, kết quả: {p}.",
];
const RESULT_DOING: &[&str] = &[
    "Đang triển khai; đã hoàn thành khoảng {n}% khối lượng công việc ({p}).",
    "Đã xây dựng dự thảo {p}, đang lấy ý kiến các cơ quan liên quan.",
    "Đang tổ chức thực hiện; trong kỳ đã {p}.",
];
const RESULT_ONGOING: &[&str] = &[
    "Thực hiện thường xuyên; trong kỳ đã triển khai đầy đủ các nội dung được giao.",
    "Duy trì thực hiện thường xuyên; đã lồng ghép vào chương trình công tác của đơn vị.",
    "Thực hiện thường xuyên, kết quả trong kỳ: {p}.",
];
const RESULT_COOP: &[&str] = &[
    "Đã phối hợp với {lead} cung cấp thông tin, số liệu theo yêu cầu.",
    "Đã cử cán bộ tham gia và góp ý dự thảo theo đề nghị của {lead}.",
];
const DIFFICULTIES: &[&str] = &[
    "Chậm do chờ hướng dẫn của bộ, ngành Trung ương.",
    "Thiếu cán bộ chuyên trách, kinh phí thực hiện còn hạn chế.",
    "Hạ tầng công nghệ thông tin chưa đồng bộ, phần mềm chưa kết nối liên thông.",
];
const PROPOSALS: &[&str] = &[
    "Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ CCHC cho công chức đầu mối.",
    "Đề nghị UBND tỉnh bố trí kinh phí cho nhiệm vụ chuyển đổi số năm 2024.",
    "Đề nghị Văn phòng UBND tỉnh hướng dẫn thống nhất cách số hóa hồ sơ TTHC.",
];

/// Answers for every task and indicator of `agency` in `period`.
pub fn realistic(
    plan: &Plan,
    directory: &crate::agencies::Directory,
    catalogue: &Catalogue,
    period: &Period,
    agency: &Agency,
) -> Filled {
    let mut rng = Rng::seeded(&[&agency.code, &period.id]);
    let assigned = plan.tasks_for(&agency.code, directory);
    let tasks: Vec<TaskReport> = assigned
        .iter()
        .map(|a| task_answer(a, directory, period, agency, &mut rng))
        .collect();
    let done = tasks
        .iter()
        .filter(|t| t.status == Some(Status::Completed))
        .count();
    let mut figures = figures(catalogue, agency, tasks.len(), done, &mut rng);
    let communes = directory.communes_of(&agency.code).count();
    keep_parts_within_wholes(catalogue, agency, communes, &mut figures);
    Filled { tasks, figures }
}

fn task_answer(
    a: &Assigned,
    directory: &crate::agencies::Directory,
    period: &Period,
    agency: &Agency,
    rng: &mut Rng,
) -> TaskReport {
    let t = a.task;
    let due = period.is_due(&t.deadline) && !t.deadline.is_open_ended();
    let open = t.deadline.is_open_ended();
    let roll = rng.unit();
    let status = if due {
        if roll < 0.8 {
            Status::Completed
        } else {
            Status::InProgress
        }
    } else if open {
        if roll < 0.15 {
            Status::Completed
        } else {
            Status::InProgress
        }
    } else if roll < 0.55 {
        Status::InProgress
    } else if roll < 0.9 {
        Status::NotStarted
    } else {
        Status::Completed
    };
    let product = product_phrase(t.products.first().map(String::as_str).unwrap_or(&t.content));
    let percent = match status {
        Status::Completed => 100.0,
        Status::NotStarted => 0.0,
        _ => rng.range(3, 9) as f64 * 10.0,
    };
    let lead_name = t
        .lead
        .members
        .first()
        .and_then(|m| directory.get(&m.code))
        .map(|l| l.short_name.clone())
        .unwrap_or_else(|| "cơ quan chủ trì".into());
    let result = match (status, a.role) {
        (Status::NotStarted, _) => String::new(),
        (_, Role::Cooperating) => rng.pick(RESULT_COOP).replace("{lead}", &lead_name),
        (Status::Completed, _) => rng.pick(RESULT_DONE).replace("{p}", &product),
        (_, _) if open => rng.pick(RESULT_ONGOING).replace("{p}", &product),
        _ => rng
            .pick(RESULT_DOING)
            .replace("{p}", &product)
            .replace("{n}", &format!("{percent}")),
    };
    let (evidence, evidence_date) = if status == Status::Completed {
        let n = rng.range(12, 480);
        let kind = rng.pick(&["KH", "QĐ", "BC", "CV"]);
        let who = if agency.level == Level::Huyen {
            "UBND"
        } else {
            &agency.short_name
        };
        (
            format!("{n}/{kind}-{who}"),
            Some(evidence_date(period, t, rng)),
        )
    } else {
        (String::new(), None)
    };
    let late = due && status != Status::Completed;
    let difficulties = if late || rng.unit() < 0.1 {
        rng.pick(DIFFICULTIES).to_string()
    } else {
        String::new()
    };
    let proposals = if rng.unit() < 0.12 {
        rng.pick(PROPOSALS).to_string()
    } else {
        String::new()
    };
    TaskReport {
        task_id: t.id.clone(),
        status: Some(status),
        percent: Some(percent),
        result,
        evidence,
        evidence_date,
        difficulties,
        proposals,
    }
}

/// A date inside the data window, before the task's deadline when it has one.
fn evidence_date(period: &Period, t: &crate::plan::Task, rng: &mut Rng) -> NaiveDate {
    let start = period
        .window_start
        .max(crate::period::ymd(period.year, 1, 2));
    let mut end = period.window_end;
    if let Some(d) = t.deadline.final_due() {
        if d >= start && d < end {
            end = d;
        }
    }
    let span = (end - start).num_days().max(0) as u64;
    start + Days::new(rng.range(0, span))
}

/// The first product, shortened at a word boundary, lower-cased first letter.
fn product_phrase(text: &str) -> String {
    let text = text.trim().trim_end_matches(['.', ';']);
    let mut out = String::new();
    for w in text.split_whitespace() {
        if out.chars().count() + w.chars().count() > 90 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    let mut cs = out.chars();
    match cs.next() {
        Some(c) => c.to_lowercase().chain(cs).collect(),
        None => out,
    }
}

/// Plausible figures that satisfy the catalogue's identities and rates.
fn figures(
    catalogue: &Catalogue,
    agency: &Agency,
    tasks: usize,
    done: usize,
    rng: &mut Rng,
) -> BTreeMap<String, f64> {
    let big = if agency.level == Level::Huyen { 4 } else { 1 };
    let mut f = BTreeMap::new();
    for ind in catalogue.for_level(agency.level) {
        let v = match ind.kind {
            Kind::Count => rng.range(0, 12) as f64,
            Kind::Percent => rng.range(80, 100) as f64,
            Kind::Decimal => rng.range(0, 100) as f64 / 10.0,
        };
        f.insert(ind.code.clone(), v);
    }
    let mut set = |code: &str, v: f64| {
        if f.contains_key(code) {
            f.insert(code.to_string(), v);
        }
    };
    set("NV_KEHOACH", tasks as f64);
    set("NV_HOANTHANH", done as f64);
    // Dossiers: carried over + received = resolved + pending; resolved =
    // early + on time + late.
    let carried = rng.range(5, 40) * big;
    let online = rng.range(100, 900) * big;
    let direct = rng.range(50, 600) * big;
    let post = rng.range(0, 30) * big;
    let total = carried + online + direct + post;
    let pending_late = rng.range(0, 3);
    let pending = rng.range(5, 30) * big + pending_late;
    let resolved = total - pending;
    let late = rng.range(0, resolved / 50);
    let early = resolved * rng.range(20, 60) / 100;
    let on_time = resolved - early - late;
    for (code, v) in [
        ("HS_KYTRUOC", carried),
        ("HS_TIEPNHAN_TRUCTUYEN", online),
        ("HS_TIEPNHAN_TRUCTIEP", direct),
        ("HS_TIEPNHAN_BUUCHINH", post),
        ("HS_DAGIAIQUYET", resolved),
        ("HS_TRUOCHAN", early),
        ("HS_DUNGHAN", on_time),
        ("HS_QUAHAN", late),
        ("HS_DANGGIAIQUYET_TRONGHAN", pending - pending_late),
        ("HS_DANGGIAIQUYET_QUAHAN", pending_late),
        ("HS_XINLOI", late),
    ] {
        set(code, v as f64);
    }
    let round1 = |x: f64| (x * 10.0).round() / 10.0;
    set(
        "HS_TYLE_DUNGHAN",
        round1((early + on_time) as f64 * 100.0 / resolved.max(1) as f64),
    );
    set(
        "DVC_HS_TRUCTUYEN_TYLE",
        round1(online as f64 * 100.0 / (online + direct + post).max(1) as f64),
    );
    let found = rng.range(0, 6);
    set("KT_VANDE_PHATHIEN", found as f64);
    set("KT_VANDE_XULY", rng.range(0, found) as f64);
    let pakn = rng.range(0, 15);
    set("PAKN_TIEPNHAN", pakn as f64);
    set("PAKN_DAXULY", rng.range(0, pakn) as f64);
    f
}

/// Lowers the first part of every part ≤ whole relation the random figures
/// break, so that clean demo returns pass I007.
fn keep_parts_within_wholes(
    catalogue: &Catalogue,
    agency: &Agency,
    communes: usize,
    f: &mut BTreeMap<String, f64>,
) {
    use crate::form::indicators::{Compare, Side};
    for c in catalogue.checks_for(agency.level) {
        let whole = match (c.compare, c.right) {
            (Compare::AtMost, Side::Codes(w)) => w.iter().map(|x| f[x]).sum::<f64>(),
            (Compare::AtMost, Side::Communes) => communes as f64,
            _ => continue,
        };
        let part: f64 = c.left.iter().map(|x| f[x]).sum();
        if part > whole {
            let first = &c.left[0];
            let v = (f[first] - (part - whole)).max(0.0);
            f.insert(first.clone(), v);
        }
    }
}

/// A mistake agencies make, planted into answers for demos and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mistake {
    /// "Hoàn thành" with 80 %.
    CompletedNot100,
    /// "Hoàn thành" without an evidence document.
    CompletedNoEvidence,
    /// A status outside the closed set ("Cơ bản xong").
    StatusInvalid,
    /// "abc" in a percentage cell.
    PercentNotNumber,
    /// Early + on time + late ≠ resolved.
    IdentityBroken,
    /// "Không thực hiện" without a reason.
    NotApplicableNoReason,
    /// An evidence date in the future.
    FutureDate,
}

impl Mistake {
    /// The rule code intake reports for this mistake.
    pub fn rule(self) -> &'static str {
        match self {
            Mistake::CompletedNot100 => "C001",
            Mistake::CompletedNoEvidence => "C002",
            Mistake::StatusInvalid => "V001",
            Mistake::PercentNotNumber => "V003",
            Mistake::IdentityBroken => "I004",
            Mistake::NotApplicableNoReason => "C005",
            Mistake::FutureDate => "V007",
        }
    }
}

/// Plants `mistake` into `answers` (built from `filled`); returns the task id
/// it touched (None for figure mistakes).
pub fn plant(
    filled: &Filled,
    answers: &mut Answers,
    mistake: Mistake,
    nth: usize,
) -> Option<String> {
    let pick = |want: Option<Status>| {
        filled
            .tasks
            .iter()
            .filter(|t| want.is_none() || t.status == want)
            .nth(nth)
            .or_else(|| filled.tasks.get(nth % filled.tasks.len().max(1)))
            .map(|t| t.task_id.clone())
    };
    match mistake {
        Mistake::CompletedNot100 => {
            let id = pick(Some(Status::Completed))?;
            answers.task(&id, TaskColumn::Status, "Hoàn thành");
            answers.task(&id, TaskColumn::Percent, 80.0);
            Some(id)
        }
        Mistake::CompletedNoEvidence => {
            let id = pick(Some(Status::Completed))?;
            answers.task(&id, TaskColumn::Status, "Hoàn thành");
            answers.task(&id, TaskColumn::Percent, 100.0);
            answers.task(&id, TaskColumn::Evidence, Cell::Text(String::new()));
            Some(id)
        }
        Mistake::StatusInvalid => {
            let id = pick(None)?;
            answers.task(&id, TaskColumn::Status, "Cơ bản xong");
            Some(id)
        }
        Mistake::PercentNotNumber => {
            let id = pick(Some(Status::InProgress))?;
            answers.task(&id, TaskColumn::Percent, "abc");
            Some(id)
        }
        Mistake::NotApplicableNoReason => {
            let id = pick(Some(Status::NotStarted))?;
            answers.task(&id, TaskColumn::Status, "Không thực hiện");
            answers.task(&id, TaskColumn::Percent, 0.0);
            answers.task(&id, TaskColumn::Difficulties, Cell::Text(String::new()));
            Some(id)
        }
        Mistake::FutureDate => {
            let id = pick(Some(Status::Completed))?;
            answers.task(
                &id,
                TaskColumn::EvidenceDate,
                crate::period::ymd(2030, 12, 15),
            );
            Some(id)
        }
        Mistake::IdentityBroken => {
            let resolved = filled.figures.get("HS_DAGIAIQUYET").copied().unwrap_or(0.0);
            answers.figure("HS_DAGIAIQUYET", resolved + 7.0);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agencies::Directory;
    use crate::period::Schedule;

    #[test]
    fn answers_are_deterministic_consistent_and_cover_every_task() {
        let dir = Directory::embedded();
        let plan = crate::plan::seed(&dir);
        let cat = Catalogue::embedded();
        let period = Schedule::embedded().period("2024-Q1").unwrap();
        let stp = dir.get("STP").unwrap();
        let a = realistic(&plan, &dir, &cat, &period, stp);
        let b = realistic(&plan, &dir, &cat, &period, stp);
        assert_eq!(a, b);
        assert_eq!(a.tasks.len(), plan.tasks_for("STP", &dir).len());
        for t in &a.tasks {
            match t.status.unwrap() {
                Status::Completed => {
                    assert_eq!(t.percent, Some(100.0));
                    assert!(!t.evidence.is_empty() && t.evidence_date.is_some());
                    assert!(period.in_window(t.evidence_date.unwrap()), "{t:?}");
                }
                Status::NotStarted => assert_eq!(t.percent, Some(0.0)),
                _ => assert!(!t.result.is_empty()),
            }
        }
        let f = &a.figures;
        let sum = |codes: &[&str]| codes.iter().map(|c| f[*c]).sum::<f64>();
        assert_eq!(
            sum(&["HS_TRUOCHAN", "HS_DUNGHAN", "HS_QUAHAN"]),
            f["HS_DAGIAIQUYET"]
        );
        assert_eq!(
            sum(&[
                "HS_DAGIAIQUYET",
                "HS_DANGGIAIQUYET_TRONGHAN",
                "HS_DANGGIAIQUYET_QUAHAN"
            ]),
            sum(&[
                "HS_KYTRUOC",
                "HS_TIEPNHAN_TRUCTUYEN",
                "HS_TIEPNHAN_TRUCTIEP",
                "HS_TIEPNHAN_BUUCHINH"
            ])
        );
        for identity in cat.identities_for(stp.level) {
            let l: f64 = identity.left.iter().map(|c| f[c]).sum();
            let r: f64 = identity.right.iter().map(|c| f[c]).sum();
            assert_eq!(l, r, "{}", identity.code);
        }
    }
}
