//! The task sheet ("Nhiệm vụ"): a title block, the header row (texts and
//! widths from [`TaskColumn`]) and one row per task the agency reports on.
//! Plan columns are locked; entry columns are unlocked, filled pale, and carry
//! data validation with Vietnamese input and error messages. The status
//! dropdown reads its closed list from the hidden list sheet through a
//! defined name.

use super::answers::{Answers, Cell};
use super::style::{self, Styles};
use super::{excel_time_date, TemplateInput, STATUS_LIST_NAME};
use crate::agencies::Directory;
use crate::form::{Status, TaskColumn, SHEET_LISTS, SHEET_TASKS};
use crate::period::{dmy, Period};
use crate::plan::{Assigned, Deadline, Plan, Role};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, Formula, Workbook,
    Worksheet, XlsxError,
};

/// Zero-based row of the header on the task sheet (row 5 in Excel).
pub const TASK_HEADER_ROW: u32 = 4;

/// Adds the task sheet.
pub fn add(
    wb: &mut Workbook,
    input: &TemplateInput,
    answers: &Answers,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(SHEET_TASKS)?;
    title_block(ws, input, styles)?;
    for col in TaskColumn::ALL {
        ws.set_column_width(col.index(), col.width())?;
        ws.write_string_with_format(TASK_HEADER_ROW, col.index(), col.header(), &styles.header)?;
    }
    let headers: Vec<(&str, f64)> = TaskColumn::ALL
        .iter()
        .map(|c| (c.header(), c.width() - 2.0))
        .collect();
    style::fit_row(ws, TASK_HEADER_ROW, &headers)?;
    let assigned = input.plan.tasks_for(&input.agency.code, input.directory);
    for (i, a) in assigned.iter().enumerate() {
        let row = TASK_HEADER_ROW + 1 + i as u32;
        let texts = write_plan_cells(ws, row, a, input, styles)?;
        write_entry_cells(ws, row, &a.task.id, answers, styles)?;
        fit_task_row(ws, row, &texts, &a.task.id, answers)?;
    }
    if !assigned.is_empty() {
        let last = TASK_HEADER_ROW + assigned.len() as u32;
        add_validations(ws, TASK_HEADER_ROW + 1, last, input.period)?;
    }
    ws.set_freeze_panes(TASK_HEADER_ROW + 1, TaskColumn::Content.index())?;
    let widths: Vec<f64> = TaskColumn::ALL.iter().map(|c| c.width()).collect();
    let fit = style::Fit::Bands {
        breaks: &[TaskColumn::Status.index()],
        repeat: TaskColumn::Label.index() + 1,
        widths: &widths,
    };
    style::page_setup(ws, &input.agency.name, Some(TASK_HEADER_ROW), fit);
    style::protect(ws, input.password);
    ws.set_active(true);
    Ok(())
}

/// The title block, written twice so that each printed band has one: over
/// the plan columns (after the repeated id columns) and over the entry columns.
fn title_block(ws: &mut Worksheet, input: &TemplateInput, s: &Styles) -> Result<(), XlsxError> {
    let p = input.period;
    let title = format!(
        "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH {}",
        p.label().to_uppercase()
    );
    let unit = format!("Đơn vị báo cáo: {}", input.agency.name);
    let window = format!(
        "Thời gian chốt số liệu: từ {} đến {}. Hạn gửi Sở Nội vụ: {} (chậm nhất {}).",
        dmy(p.window_start),
        dmy(p.window_end),
        dmy(p.due),
        dmy(p.due_with_grace)
    );
    let entry = "Phần đơn vị điền: chỉ nhập vào các ô nền vàng; các cột nội dung kế hoạch đã ghi sẵn, không sửa.";
    let bands = [
        (
            TaskColumn::Area.index(),
            TaskColumn::DueThisPeriod.index(),
            window.as_str(),
        ),
        (
            TaskColumn::Status.index(),
            TaskColumn::Proposals.index(),
            entry,
        ),
    ];
    for (first, last, note) in bands {
        ws.merge_range(0, first, 0, last, &title, &s.title)?;
        ws.merge_range(1, first, 1, last, &unit, &s.subtitle)?;
        ws.merge_range(2, first, 2, last, note, &s.note)?;
    }
    ws.set_row_height(0, 24)?.set_row_height(1, 20)?;
    ws.set_row_height(2, 20)?.set_row_height(3, 8)?;
    Ok(())
}

/// The plan columns of one row (locked); returns their texts.
fn write_plan_cells(
    ws: &mut Worksheet,
    row: u32,
    a: &Assigned,
    input: &TemplateInput,
    s: &Styles,
) -> Result<Vec<(TaskColumn, String)>, XlsxError> {
    let mut texts = Vec::new();
    for col in TaskColumn::ALL.into_iter().filter(|c| !c.is_entry()) {
        let text = plan_cell_text(col, a, input);
        let format = match col {
            TaskColumn::Id | TaskColumn::Label | TaskColumn::DueThisPeriod => &s.cell_center,
            _ => &s.cell,
        };
        ws.write_string_with_format(row, col.index(), &text, format)?;
        texts.push((col, text));
    }
    Ok(texts)
}

/// Fits a task row's height to its longest plan text or prefilled answer.
fn fit_task_row(
    ws: &mut Worksheet,
    row: u32,
    plan: &[(TaskColumn, String)],
    task_id: &str,
    answers: &Answers,
) -> Result<(), XlsxError> {
    let mut cells: Vec<(&str, f64)> = plan.iter().map(|(c, t)| (t.as_str(), c.width())).collect();
    for col in TaskColumn::ALL.into_iter().filter(|c| c.is_entry()) {
        if let Some(Cell::Text(t)) = answers.task_cell(task_id, col) {
            cells.push((t.as_str(), col.width()));
        }
    }
    style::fit_row(ws, row, &cells)
}

/// The text of a plan column for one assigned task.
fn plan_cell_text(col: TaskColumn, a: &Assigned, input: &TemplateInput) -> String {
    let t = a.task;
    match col {
        TaskColumn::Id => t.id.clone(),
        TaskColumn::Label => t.label.clone(),
        TaskColumn::Area => area_text(input.plan, &t.area_id),
        TaskColumn::Content => t.content.clone(),
        TaskColumn::Role => role_text(a, &input.agency.code, input.directory),
        TaskColumn::Product => t
            .products
            .iter()
            .map(|p| format!("- {p}"))
            .collect::<Vec<_>>()
            .join("\n"),
        TaskColumn::Deadline => t.deadline.raw.clone(),
        TaskColumn::DueThisPeriod => due_note(input.period, &t.deadline).to_string(),
        _ => String::new(),
    }
}

fn area_text(plan: &Plan, area_id: &str) -> String {
    plan.area(area_id)
        .map(|a| format!("{}. {}", a.number, a.title))
        .unwrap_or_default()
}

/// The role shown to the agency: "Chủ trì" / "Phối hợp" / "Chủ trì (cấp
/// xã)", the plan's own wording of a sub-role (`+` bullet) on the next lines,
/// and for a district that leads together with its communes a note that the
/// report covers them too.
pub fn role_text(a: &Assigned, agency: &str, directory: &Directory) -> String {
    let mut lines = vec![a.role.label().to_string()];
    if a.role == Role::Lead
        && directory
            .communes_of(agency)
            .any(|c| a.task.lead.has(&c.code))
    {
        lines.push("(gồm cả UBND cấp xã)".to_string());
    }
    lines.extend(a.sub_roles.iter().cloned());
    lines.join("\n")
}

/// Whether a task falls due in the period, as printed in "Đến hạn kỳ này":
/// `Có`, `Thường xuyên` (ongoing or recurring: reported every period),
/// `Hạn trước kỳ` (its last date is before the period: overdue if not done),
/// `Chưa đến hạn`, or `Không ghi hạn` (no date at all).
pub fn due_note(period: &Period, deadline: &Deadline) -> &'static str {
    if deadline.is_recurring() && period.is_due(deadline) {
        return "Thường xuyên";
    }
    if period.is_due(deadline) {
        return "Có";
    }
    match deadline.final_due() {
        Some(d) if d < period.start => "Hạn trước kỳ",
        Some(_) => "Chưa đến hạn",
        None => "Không ghi hạn",
    }
}

/// The entry columns of one row (unlocked), prefilled when answers say so.
fn write_entry_cells(
    ws: &mut Worksheet,
    row: u32,
    task_id: &str,
    answers: &Answers,
    s: &Styles,
) -> Result<(), XlsxError> {
    for col in TaskColumn::ALL.into_iter().filter(|c| c.is_entry()) {
        let format = match col {
            TaskColumn::Percent => &s.entry_number,
            TaskColumn::EvidenceDate => &s.entry_date,
            _ => &s.entry_text,
        };
        write_cell(
            ws,
            row,
            col.index(),
            answers.task_cell(task_id, col),
            format,
            s,
        )?;
    }
    Ok(())
}

/// Writes a raw answer cell (or a formatted blank).
pub(super) fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<&Cell>,
    format: &Format,
    s: &Styles,
) -> Result<(), XlsxError> {
    match value {
        None => ws.write_blank(row, col, format)?,
        Some(Cell::Text(t)) => ws.write_string_with_format(row, col, t, format)?,
        Some(Cell::Number(n)) => ws.write_number_with_format(row, col, *n, format)?,
        Some(Cell::Date(d)) => {
            ws.write_datetime_with_format(row, col, excel_time_date(*d)?, &s.entry_date)?
        }
    };
    Ok(())
}

/// Data validation of the entry columns over the task rows.
fn add_validations(
    ws: &mut Worksheet,
    first: u32,
    last: u32,
    period: &Period,
) -> Result<(), XlsxError> {
    for col in TaskColumn::ALL.into_iter().filter(|c| c.is_entry()) {
        let dv = validation(col, period)?;
        ws.add_data_validation(first, col.index(), last, col.index(), &dv)?;
    }
    Ok(())
}

fn validation(col: TaskColumn, period: &Period) -> Result<DataValidation, XlsxError> {
    let (rule, input, error) = match col {
        TaskColumn::Status => (
            DataValidation::new().allow_list_formula(Formula::new(format!("={STATUS_LIST_NAME}"))),
            "Chọn tình trạng trong danh sách thả xuống: Hoàn thành, Đang thực hiện, Chưa thực hiện hoặc Không thực hiện (nêu lý do ở cột «Khó khăn, vướng mắc»).".to_string(),
            format!("Tình trạng phải là một trong: {}. Hãy chọn trong danh sách thả xuống.", status_words()),
        ),
        TaskColumn::Percent => (
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0)),
            "Nhập số từ 0 đến 100, không gõ dấu %. Hoàn thành: 100; Chưa thực hiện: 0; Đang thực hiện: 1–99.".to_string(),
            "Tỷ lệ hoàn thành phải là số từ 0 đến 100 (ví dụ 80 hoặc 80,5), không gõ chữ hay dấu %.".to_string(),
        ),
        TaskColumn::EvidenceDate => {
            let y = period.year as u16;
            let from = rust_xlsxwriter::ExcelDateTime::from_ymd(y - 1, 1, 1)?;
            let to = rust_xlsxwriter::ExcelDateTime::from_ymd(y + 1, 12, 31)?;
            (
                DataValidation::new().allow_date(DataValidationRule::Between(from, to)),
                format!("Nhập ngày ban hành văn bản dạng ngày/tháng/năm, ví dụ 05/03/{y}. Văn bản phải trong thời gian chốt số liệu: từ {} đến {}.", dmy(period.window_start), dmy(period.window_end)),
                format!("Ngày không hợp lệ. Nhập ngày dạng ngày/tháng/năm (ví dụ 05/03/{y}), trong khoảng năm {} – {}.", y - 1, y + 1),
            )
        }
        _ => (
            DataValidation::new().allow_any_value(),
            text_hint(col).to_string(),
            "Nội dung không hợp lệ.".to_string(),
        ),
    };
    rule.set_input_title(col.header().chars().take(32).collect::<String>())?
        .set_input_message(input)?
        .set_error_title("Giá trị không hợp lệ")?
        .set_error_message(error)
        .map(|dv| dv.set_error_style(DataValidationErrorStyle::Stop))
}

fn text_hint(col: TaskColumn) -> &'static str {
    match col {
        TaskColumn::Result => "Ghi ngắn gọn kết quả đạt được đến ngày chốt số liệu (bắt buộc với nhiệm vụ Hoàn thành hoặc Đang thực hiện).",
        TaskColumn::Evidence => "Ghi số, ký hiệu văn bản minh chứng, ví dụ: 123/KH-STP. Bắt buộc với nhiệm vụ Hoàn thành.",
        TaskColumn::Difficulties => "Ghi khó khăn, vướng mắc; bắt buộc nêu lý do nếu «Không thực hiện» hoặc nhiệm vụ đến hạn mà chưa hoàn thành.",
        _ => "Ghi đề xuất, kiến nghị với UBND tỉnh, Sở Nội vụ (nếu có).",
    }
}

/// "Hoàn thành, Đang thực hiện, …" from the closed status set.
fn status_words() -> String {
    Status::ALL
        .iter()
        .map(|s| s.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds the hidden list sheet (status words and their meanings) and the
/// defined name the status dropdown refers to.
pub fn add_lists(wb: &mut Workbook, input: &TemplateInput, s: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(SHEET_LISTS)?;
    ws.write_string_with_format(0, 0, TaskColumn::Status.header(), &s.label)?;
    ws.write_string_with_format(0, 1, "Ý nghĩa", &s.label)?;
    for (i, st) in Status::ALL.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 1, 0, st.label(), &s.default)?;
        ws.write_string_with_format(i as u32 + 1, 1, st.meaning(), &s.default)?;
    }
    ws.set_column_width(0, 20)?.set_column_width(1, 80)?;
    ws.set_hidden(true);
    style::protect(ws, input.password);
    let range = format!("='{SHEET_LISTS}'!$A$2:$A${}", Status::ALL.len() + 1);
    wb.define_name(STATUS_LIST_NAME, &range)?;
    Ok(())
}
