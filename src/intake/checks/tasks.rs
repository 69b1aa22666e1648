//! One task row's values (V001–V007) and their consistency (C001–C007):
//! status from the closed set, progress percent in any form people type,
//! the evidence date in any form, then the rules that tie them together.
//! Produces the normalised `TaskReport` for the submission.

use super::structure::{col, TaskRow};
use super::Setup;
use crate::form::{Status, TaskColumn, TaskReport};
use crate::intake::finding::Finding;
use crate::intake::locate::Table;
use crate::intake::values::{self, format_number, Percent};
use crate::period::{dmy, Period};

/// Reads and checks one task row.
pub fn check_row(
    t: &Table,
    row: &TaskRow,
    setup: &Setup,
    period: Option<&Period>,
) -> (TaskReport, Vec<Finding>) {
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
    let evidence_date = read_date(
        id,
        cell(TaskColumn::EvidenceDate).and_then(|(_, v)| v),
        setup,
        period,
        &mut |e| f.push(at(TaskColumn::EvidenceDate, e)),
    );
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
    for (c, fi) in consistency(&report, row, period) {
        f.push(at(c, fi));
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
    period: Option<&Period>,
    push: &mut dyn FnMut(Finding),
) -> Option<chrono::NaiveDate> {
    let v = v?;
    let Some(d) = values::date(v) else {
        push(Finding::new("V005", format!("Ngày văn bản «{}» của nhiệm vụ {id} không đọc được. Hãy nhập ngày dạng ngày/tháng/năm, ví dụ 05/3/2024.", v.text())));
        return None;
    };
    let date = d.date();
    if date > setup.today {
        push(Finding::new("V007", format!("Ngày văn bản {} của nhiệm vụ {id} ở sau ngày hôm nay ({}). Hãy kiểm tra lại năm, tháng.", dmy(date), dmy(setup.today))));
    } else if let Some(p) = period.filter(|p| !p.in_window(date)) {
        push(Finding::new("V006", format!("Ngày văn bản {} của nhiệm vụ {id} nằm ngoài thời gian chốt số liệu của {} ({} – {}). Kết quả ngoài kỳ báo cáo ở kỳ tương ứng; nếu nhập nhầm ngày thì sửa lại.", dmy(date), p.label(), dmy(p.window_start), dmy(p.window_end))));
    }
    Some(date)
}

/// C001–C007 for one normalised row, with the column each finding points at.
fn consistency(
    r: &TaskReport,
    row: &TaskRow,
    period: Option<&Period>,
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
            if r.evidence.is_empty() || r.evidence_date.is_none() {
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
    if let Some(p) = period
        .filter(|p| overdue(row, p) && matches!(status, Status::InProgress | Status::NotStarted))
    {
        out.push((TaskColumn::Status, Finding::new("C004", format!(
            "Nhiệm vụ {id} có thời hạn «{}» (đến hạn trong hoặc trước {}) nhưng chưa hoàn thành. Hãy nêu rõ nguyên nhân và giải pháp ở cột «Khó khăn, vướng mắc».",
            row.task.deadline.raw.trim_end_matches('.'), p.label()))));
    }
    out
}

/// A dated task due within or before the period (ongoing and recurring tasks
/// are never overdue).
fn overdue(row: &TaskRow, p: &Period) -> bool {
    let d = &row.task.deadline;
    if d.is_open_ended() || d.is_recurring() {
        return false;
    }
    p.is_due(d) || d.final_due().is_some_and(|due| due < p.start)
}
