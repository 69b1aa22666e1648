//! One task row's values (V001–V008) and their consistency (C001–C008):
//! status from the closed set, progress percent in any form people type,
//! the evidence date in any form, then the rules that tie them together —
//! including whether a "Hoàn thành" task's evidence is a real, issued
//! document dated when it could have been. One finding per mistake per cell.
//! Produces the normalised `TaskReport` for the submission.

use super::structure::{col, TaskRow};
use super::Setup;
use crate::form::{Status, TaskColumn, TaskReport};
use crate::intake::finding::Finding;
use crate::intake::locate::Table;
use crate::intake::values::{self, format_number, DateRead, Percent};
use crate::period::{dmy, Period};
use crate::text::fold;
use chrono::{Datelike, NaiveDate};

/// What a row check needs besides the row.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub setup: &'a Setup<'a>,
    pub period: Option<&'a Period>,
    /// The file shows it was saved under a month-first locale (V008).
    pub month_first: bool,
    /// The plan's decision number, folded (C008).
    pub plan_number: Option<&'a str>,
}

/// True when the task sheet holds a date typed as text `d/m/yyyy` with a
/// day above 12 in the evidence-date column: a spreadsheet reading dates
/// month first (English locale) could not take it as a date, so its other
/// dates may have day and month swapped.
pub fn month_first_locale(t: &Table) -> bool {
    let Some(c) = col(t, TaskColumn::EvidenceDate) else {
        return false;
    };
    t.data_rows().iter().any(|r| match t.sheet.get(*r, c) {
        Some(values::Value::Text(s)) => {
            values::text_date(s).is_some_and(|d| d.day() > 12)
                && s.trim()
                    .split(['/', '-', '.'])
                    .next()
                    .is_some_and(|x| x.len() <= 2)
        }
        _ => false,
    })
}

/// Reads and checks one task row.
pub fn check_row(t: &Table, row: &TaskRow, cx: Context) -> (TaskReport, Vec<Finding>) {
    let (setup, period) = (cx.setup, cx.period);
    let mut f = Vec::new();
    let cell = |c: TaskColumn| col(t, c).map(|c| (c, t.sheet.get(row.row, c)));
    let text = |c: TaskColumn| {
        cell(c)
            .and_then(|(_, v)| v)
            .map(|v| v.text())
            .unwrap_or_default()
    };
    let at = |c: TaskColumn, fi: Finding| match col(t, c) {
        Some(c) => fi.at(&t.sheet.name, row.row, c),
        None => fi.on(&t.sheet.name),
    };
    let id = &row.task.id;
    let status = read_status(id, &text(TaskColumn::Status))
        .map_err(|e| f.push(at(TaskColumn::Status, e)))
        .ok();
    let percent = read_percent(
        id,
        cell(TaskColumn::Percent).and_then(|(_, v)| v),
        &mut |e| f.push(at(TaskColumn::Percent, e)),
    );
    let date_cell = cell(TaskColumn::EvidenceDate).and_then(|(_, v)| v);
    let date_read = read_date(id, date_cell, setup, &mut |e| {
        f.push(at(TaskColumn::EvidenceDate, e))
    });
    let evidence_date = date_read.map(DateRead::date);
    let report = TaskReport {
        task_id: id.clone(),
        status,
        percent,
        result: text(TaskColumn::Result),
        evidence: text(TaskColumn::Evidence),
        evidence_date,
        difficulties: text(TaskColumn::Difficulties),
        proposals: text(TaskColumn::Proposals),
    };
    let date_flagged = f.iter().any(|x| matches!(x.code, "V005" | "V007"));
    for (c, fi) in consistency(&report, row, period, date_cell.is_some()) {
        f.push(at(c, fi));
    }
    if report.status == Some(Status::Completed) {
        if let Some(fi) = evidence_plausible(id, &report.evidence, cx.plan_number) {
            f.push(at(TaskColumn::Evidence, fi));
        }
    }
    if report.status == Some(Status::Completed) && !date_flagged {
        if let (Some(d), Some(p)) = (date_read, period) {
            if let Some(fi) = date_plausible(id, d, p, cx) {
                f.push(at(TaskColumn::EvidenceDate, fi));
            }
        }
    }
    (report, f)
}

fn read_status(id: &str, typed: &str) -> Result<Status, Finding> {
    if typed.is_empty() {
        return Err(Finding::new(
            "V002",
            format!(
                "Nhiệm vụ {id} chưa có «Tình trạng». Hãy chọn một giá trị trong danh sách: {}.",
                labels()
            ),
        ));
    }
    Status::parse(typed).ok_or_else(|| {
        Finding::new("V001", format!("Tình trạng «{typed}» của nhiệm vụ {id} không thuộc danh sách. Hãy chọn một trong: {}.", labels()))
    })
}

fn labels() -> String {
    Status::ALL
        .iter()
        .map(|s| s.label())
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_percent(id: &str, v: Option<&values::Value>, push: &mut dyn FnMut(Finding)) -> Option<f64> {
    let v = v?;
    let Some(p) = values::percent(v) else {
        push(Finding::new("V003", format!("Tỷ lệ hoàn thành «{}» của nhiệm vụ {id} không phải là số. Hãy nhập số từ 0 đến 100 (ví dụ 80 hoặc 80,5).", v.text())));
        return None;
    };
    let n = p.value();
    if !(0.0..=100.0).contains(&n) {
        push(Finding::new("V003", format!("Tỷ lệ hoàn thành của nhiệm vụ {id} là {}, ngoài khoảng 0–100. Hãy nhập số từ 0 đến 100.", format_number(n))));
        return None;
    }
    if let Percent::FromText(_) = p {
        push(Finding::new("V004", format!("Tỷ lệ hoàn thành của nhiệm vụ {id} được nhập dạng chữ «{}»; chương trình đã hiểu là {}%. Nếu đúng thì không cần sửa; lần sau hãy nhập số.", v.text(), format_number(n))));
    }
    Some(n)
}

fn read_date(
    id: &str,
    v: Option<&values::Value>,
    setup: &Setup,
    push: &mut dyn FnMut(Finding),
) -> Option<DateRead> {
    let v = v?;
    let Some(d) = values::date(v) else {
        push(Finding::new("V005", format!("Ngày văn bản «{}» của nhiệm vụ {id} không đọc được. Hãy nhập ngày dạng ngày/tháng/năm, ví dụ 05/3/2024.", v.text())));
        return None;
    };
    let date = d.date();
    if date > setup.today {
        push(Finding::new("V007", format!("Ngày văn bản {} của nhiệm vụ {id} ở sau ngày hôm nay ({}). Hãy kiểm tra lại năm, tháng.", dmy(date), dmy(setup.today))));
    }
    Some(d)
}

/// The earliest evidence date a completed task of this period can carry:
/// the start of the plan year, or of the period's data window if earlier.
fn earliest(setup: &Setup, p: &Period) -> NaiveDate {
    let year_start = NaiveDate::from_ymd_opt(setup.plan.meta.year, 1, 1).unwrap_or(p.window_start);
    year_start.min(p.window_start)
}

/// The same date with day and month swapped, when both are ≤ 12 and differ.
fn swapped(d: NaiveDate) -> Option<NaiveDate> {
    (d.day() <= 12 && d.day() != d.month())
        .then(|| NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()))
        .flatten()
}

/// V006 (impossible for a completed task) or V008 (day and month may be
/// swapped by a month-first spreadsheet): at most one finding.
fn date_plausible(id: &str, d: DateRead, p: &Period, cx: Context) -> Option<Finding> {
    let date = d.date();
    let (low, high) = (earliest(cx.setup, p), p.window_end);
    let possible = |x: NaiveDate| x >= low && x <= high;
    let swap = swapped(date).filter(|_| cx.month_first);
    if possible(date) {
        let other = swap.filter(|x| possible(*x))?;
        return Some(Finding::new("V008", format!(
            "Ngày văn bản của nhiệm vụ {id} có thể bị đảo ngày và tháng: tệp được lưu trên máy đặt ngôn ngữ đọc tháng trước ngày (tiếng Anh). Chương trình hiểu là {} (ngày {} tháng {}); nếu ý là {} (ngày {} tháng {}) thì hãy sửa lại.",
            dmy(date), date.day(), date.month(), dmy(other), other.day(), other.month())));
    }
    let why = if date > high {
        format!(
            "sau ngày chốt số liệu {} của {}: nhiệm vụ hoàn thành sau ngày chốt báo cáo ở kỳ sau",
            dmy(high),
            p.label()
        )
    } else {
        format!(
            "trước năm kế hoạch (trước {}): có thể gõ nhầm năm",
            dmy(low)
        )
    };
    let hint = match swap.filter(|x| possible(*x)) {
        Some(x) => format!(" Có thể ngày và tháng đã bị đảo (máy đặt ngôn ngữ tiếng Anh): nếu ý là {} thì hãy sửa lại.", dmy(x)),
        None => " Hãy kiểm tra lại ngày, tháng, năm; nếu nhiệm vụ chưa hoàn thành trong kỳ thì chọn «Đang thực hiện».".to_string(),
    };
    Some(Finding::new(
        "V006",
        format!(
            "Nhiệm vụ {id} ghi «Hoàn thành» với văn bản ngày {}, {why}.{hint}",
            dmy(date)
        ),
    ))
}

/// Words that say there is no issued document yet (folded, padded with
/// spaces so they match whole words).
const NOT_ISSUED: [&str; 7] = [
    " dang trinh ",
    " cho ky ",
    " trinh ky ",
    " chua ky ",
    " chua ban hanh ",
    " dang xay dung ",
    " dang hoan thien ",
];

/// One searcher for each of [`NOT_ISSUED`], built once.
fn not_issued_finders() -> &'static [memchr::memmem::Finder<'static>] {
    static FINDERS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    FINDERS.get_or_init(|| NOT_ISSUED.iter().map(memchr::memmem::Finder::new).collect())
}

/// Whole-cell placeholders (folded, punctuation removed).
const PLACEHOLDERS: [&str; 14] = [
    "x",
    "chua co",
    "khong co",
    "chua",
    "khong",
    "na",
    "n a",
    "khong co van ban",
    "chua co van ban",
    "dang cap nhat",
    "bo sung sau",
    "cap nhat sau",
    "chua co so",
    "khong co so",
];

/// Document numbers in a folded text: `15/kh-stp`, `123/2024/qd-ubnd`.
fn document_numbers(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | ':'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| {
            w.starts_with(|c: char| c.is_ascii_digit())
                && w.split_once('/')
                    .is_some_and(|(_, rest)| rest.chars().any(|c| c.is_alphabetic()))
        })
}

/// C008: evidence of a "Hoàn thành" task that cannot prove completion.
fn evidence_plausible(id: &str, evidence: &str, plan_number: Option<&str>) -> Option<Finding> {
    if evidence.trim().is_empty() {
        return None; // C002 reports it.
    }
    let folded = fold(evidence);
    // The words (letters and digits) one space apart, with a space before
    // and after each, so that phrases match whole words.
    let mut padded = String::with_capacity(folded.len() + 2);
    padded.push(' ');
    for w in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        padded.push_str(w);
        padded.push(' ');
    }
    let bare = padded.trim_matches(' ');
    let mut numbers = document_numbers(&folded).peekable();
    let numbered = numbers.peek().is_some();
    let shown = super::text::Excerpt(evidence.trim());
    let why = if bare.is_empty() || PLACEHOLDERS.contains(&bare) {
        format!("«{}» không phải là văn bản", shown)
    } else if bare.starts_with("chua co") || bare.starts_with("khong co") {
        format!("«{}» cho biết chưa có văn bản", shown)
    } else if let Some(w) = NOT_ISSUED
        .iter()
        .zip(not_issued_finders())
        .find_map(|(w, f)| f.find(padded.as_bytes()).map(|_| w))
    {
        format!(
            "«{}» cho biết văn bản chưa ban hành («{}»)",
            shown,
            w.trim()
        )
    } else if bare.starts_with("du thao") || (!numbered && padded.contains(" du thao ")) {
        format!("«{}» là dự thảo, chưa phải văn bản đã ban hành", shown)
    } else if let Some(plan) = plan_number.filter(|n| numbered && numbers.all(|x| x == *n)) {
        format!("«{}» là chính quyết định ban hành kế hoạch ({plan}), không phải văn bản thể hiện kết quả của nhiệm vụ", shown)
    } else {
        return None;
    };
    Some(Finding::new("C008", format!(
        "Nhiệm vụ {id} ghi «Hoàn thành» nhưng minh chứng không chứng minh được việc hoàn thành: {why}. Hãy ghi số, ký hiệu văn bản đã ban hành thể hiện kết quả (ví dụ Kế hoạch số 15/KH-STP); nếu chưa có thì chọn «Đang thực hiện».")))
}

/// C001–C007 for one normalised row, with the column each finding points at.
fn consistency(
    r: &TaskReport,
    row: &TaskRow,
    period: Option<&Period>,
    date_typed: bool,
) -> Vec<(TaskColumn, Finding)> {
    let id = &row.task.id;
    let mut out = Vec::new();
    let Some(status) = r.status else { return out };
    let pct = r.percent;
    match status {
        Status::Completed => {
            if let Some(p) = pct.filter(|p| *p != 100.0) {
                out.push((TaskColumn::Percent, Finding::new("C001", format!("Nhiệm vụ {id} ghi «Hoàn thành» nhưng tỷ lệ là {}%. Nếu đã xong thì ghi 100; nếu chưa xong thì chọn «Đang thực hiện».", format_number(p)))));
            }
            // An unreadable date is V005's finding, not a missing one.
            if r.evidence.is_empty() || (r.evidence_date.is_none() && !date_typed) {
                let (c, what) = if r.evidence.is_empty() {
                    (TaskColumn::Evidence, "văn bản minh chứng (số, ký hiệu)")
                } else {
                    (TaskColumn::EvidenceDate, "ngày văn bản minh chứng")
                };
                out.push((c, Finding::new("C002", format!("Nhiệm vụ {id} ghi «Hoàn thành» nhưng thiếu {what}. Hãy ghi số, ký hiệu và ngày của văn bản chứng minh kết quả."))));
            }
        }
        Status::NotStarted => {
            if let Some(p) = pct.filter(|p| *p != 0.0) {
                out.push((TaskColumn::Percent, Finding::new("C003", format!("Nhiệm vụ {id} ghi «Chưa thực hiện» nhưng tỷ lệ là {}%. Nếu đã bắt đầu thì chọn «Đang thực hiện»; nếu chưa thì ghi 0.", format_number(p)))));
            }
        }
        Status::NotApplicable => {
            if r.difficulties.is_empty() {
                out.push((TaskColumn::Difficulties, Finding::new("C005", format!("Nhiệm vụ {id} ghi «Không thực hiện» nhưng chưa nêu lý do. Hãy ghi lý do ở cột «Khó khăn, vướng mắc»."))));
            }
        }
        Status::InProgress => {
            if let Some(p) = pct.filter(|p| *p == 0.0 || *p == 100.0) {
                out.push((TaskColumn::Percent, Finding::new("C007", format!("Nhiệm vụ {id} ghi «Đang thực hiện» nhưng tỷ lệ là {}%. Ghi tỷ lệ ước tính từ 1 đến 99; nếu đã xong thì chọn «Hoàn thành».", format_number(p)))));
            }
        }
    }
    if matches!(status, Status::Completed | Status::InProgress) && r.result.is_empty() {
        out.push((TaskColumn::Result, Finding::new("C006", format!("Nhiệm vụ {id} chưa ghi «Kết quả đạt được». Hãy mô tả ngắn gọn kết quả đã làm được đến nay."))));
    }
    if let Some((p, due)) = period.and_then(|p| overdue(row, p).map(|d| (p, d))) {
        if matches!(status, Status::InProgress | Status::NotStarted) && r.difficulties.is_empty() {
            out.push((TaskColumn::Difficulties, Finding::new("C004", format!(
                "Nhiệm vụ {id} có thời hạn «{}» (hạn {} — trước ngày chốt số liệu {} của {}) nhưng chưa hoàn thành. Hãy nêu rõ nguyên nhân và giải pháp ở cột «Khó khăn, vướng mắc».",
                row.task.deadline.raw.trim_end_matches('.'), dmy(due), dmy(p.window_end), p.label()))));
        }
    }
    out
}

/// The first fixed due date on or before the period's data cut-off, if any
/// (tasks without a fixed date — ongoing, recurring — are never overdue; a
/// task due 31/3 is not overdue at a 14/3 cut-off).
fn overdue(row: &TaskRow, p: &Period) -> Option<chrono::NaiveDate> {
    row.task
        .deadline
        .milestones
        .iter()
        .filter_map(|m| m.due_by)
        .filter(|d| *d <= p.window_end)
        .min()
}
