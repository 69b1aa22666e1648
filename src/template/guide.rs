//! The guide sheet ("Hướng dẫn"): who reports, for which period, the data
//! window and deadline, how to fill in, what each status word means, and what
//! intake checks on return — generated from the rule table
//! ([`crate::form::rules::instructions`]) and the indicator catalogue's
//! identities, the same sources the validator uses.

use super::style::{self, Styles};
use super::TemplateInput;
use crate::form::rules::{self, Scope};
use crate::form::{Status, SHEET_FIGURES, SHEET_TASKS};
use crate::period::dmy;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

const WIDTHS: [f64; 3] = [8.0, 40.0, 80.0];

/// Writes rows top to bottom.
struct Writer<'a> {
    ws: &'a mut Worksheet,
    s: &'a Styles,
    row: u32,
}

impl Writer<'_> {
    fn section(&mut self, text: &str) -> Result<(), XlsxError> {
        self.row += 1;
        self.ws
            .write_string_with_format(self.row, 0, text, &self.s.section)?;
        self.row += 1;
        Ok(())
    }

    /// A row of up to three cells (empty strings are left blank).
    fn line(&mut self, cells: [&str; 3], bold_first: bool) -> Result<(), XlsxError> {
        for (c, text) in cells.iter().enumerate() {
            if text.is_empty() {
                continue;
            }
            let f = if bold_first && c < 2 {
                &self.s.label
            } else {
                &self.s.text
            };
            self.ws
                .write_string_with_format(self.row, c as u16, *text, f)?;
        }
        let fit: Vec<(&str, f64)> = cells.iter().copied().zip(WIDTHS).collect();
        style::fit_row(self.ws, self.row, &fit)?;
        self.row += 1;
        Ok(())
    }

    /// A label spanning columns A–B and its value in C.
    fn info(&mut self, label: &str, value: &str) -> Result<(), XlsxError> {
        self.ws
            .merge_range(self.row, 0, self.row, 1, label, &self.s.label)?;
        self.ws
            .write_string_with_format(self.row, 2, value, &self.s.text)?;
        let fit = [(label, WIDTHS[0] + WIDTHS[1]), (value, WIDTHS[2])];
        style::fit_row(self.ws, self.row, &fit)?;
        self.row += 1;
        Ok(())
    }
}

/// Adds the guide sheet.
pub fn add(wb: &mut Workbook, input: &TemplateInput, s: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(crate::form::SHEET_GUIDE)?;
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let title = "HƯỚNG DẪN ĐIỀN BIỂU MẪU BÁO CÁO CẢI CÁCH HÀNH CHÍNH";
    style::merged(ws, 0, 2, title, &s.title)?;
    let sub = format!("{} — {}", input.period.title(), input.agency.name);
    style::merged(ws, 1, 2, &sub, &s.subtitle)?;
    ws.set_row_height(0, 24)?.set_row_height(1, 20)?;
    let mut w = Writer { ws, s, row: 2 };
    information(&mut w, input)?;
    how_to(&mut w)?;
    statuses(&mut w)?;
    checks(&mut w)?;
    identities(&mut w, input)?;
    style::page_setup(w.ws, &input.agency.name, None, style::Fit::Width);
    style::protect(w.ws, input.password);
    Ok(())
}

fn information(w: &mut Writer, input: &TemplateInput) -> Result<(), XlsxError> {
    let p = input.period;
    let m = &input.plan.meta;
    let tasks = input.plan.tasks_for(&input.agency.code, input.directory);
    let due_now = tasks.iter().filter(|a| p.is_due(&a.task.deadline)).count();
    let grace = (p.due_with_grace - p.due).num_days();
    let decision = match (&m.decision_number, m.decision_date) {
        (Some(n), Some(d)) => format!(" (ban hành kèm theo Quyết định số {n} ngày {})", dmy(d)),
        (Some(n), None) => format!(" (Quyết định số {n})"),
        _ => String::new(),
    };
    w.section("I. THÔNG TIN BIỂU MẪU")?;
    w.info(
        "Đơn vị báo cáo",
        &format!("{} (mã {})", input.agency.name, input.agency.code),
    )?;
    w.info("Kỳ báo cáo", &p.title())?;
    w.info(
        "Thời gian chốt số liệu",
        &format!(
            "Từ ngày {} đến ngày {}",
            dmy(p.window_start),
            dmy(p.window_end)
        ),
    )?;
    w.info(
        "Hạn gửi báo cáo về Sở Nội vụ",
        &format!(
            "Ngày {}; được gửi trễ tối đa {grace} ngày, tức chậm nhất ngày {}. Báo cáo gửi sau ngày này bị ghi nhận là trễ hạn.",
            dmy(p.due),
            dmy(p.due_with_grace)
        ),
    )?;
    w.info("Kế hoạch", &format!("{}{decision}", m.title))?;
    w.info(
        "Số nhiệm vụ phải báo cáo",
        &format!("{} nhiệm vụ (trong đó {due_now} nhiệm vụ đến hạn hoặc thực hiện thường xuyên trong kỳ)", tasks.len()),
    )?;
    w.info("Ngày lập biểu mẫu", &dmy(input.generated_at.date()))?;
    Ok(())
}

fn how_to(w: &mut Writer) -> Result<(), XlsxError> {
    w.section("II. CÁCH ĐIỀN")?;
    let steps: [(&str, String); 7] = [
        ("Nhiệm vụ", format!("Sheet «{SHEET_TASKS}» liệt kê mọi nhiệm vụ kế hoạch giao cho đơn vị (chủ trì hoặc phối hợp; với UBND cấp huyện gồm cả nhiệm vụ giao UBND cấp xã). Nhiệm vụ thực hiện thường xuyên được báo cáo ở mọi kỳ. Cột «Đến hạn kỳ này» cho biết nhiệm vụ có đến hạn trong kỳ hay không.")),
        ("Ô cần nhập", "Chỉ nhập vào các ô nền vàng, từ cột «Tình trạng» đến cột «Đề xuất, kiến nghị». Các cột nội dung kế hoạch đã được khóa, không sửa được.".to_string()),
        ("Tình trạng", "Chọn một giá trị trong danh sách thả xuống (xem mục III). Mọi dòng nhiệm vụ đều phải có tình trạng.".to_string()),
        ("Tỷ lệ, ngày", "Tỷ lệ hoàn thành là số từ 0 đến 100, không gõ dấu %. Ngày văn bản nhập dạng ngày/tháng/năm, ví dụ 05/03/2024.".to_string()),
        ("Số liệu", format!("Sheet «{SHEET_FIGURES}»: nhập số cho từng chỉ số; không phát sinh thì ghi 0. Cột «Kiểm tra» tự đối chiếu các số liệu liên quan; sửa các dòng báo «Không khớp» trước khi gửi.")),
        ("Không thay đổi biểu mẫu", "Không đổi tên, xóa hay thêm sheet, dòng, cột; không chép sang bảng tính mới; không đặt mật khẩu mở tệp. Ô dài có thể kéo giãn chiều cao dòng.".to_string()),
        ("Gửi báo cáo", "Lưu tệp (định dạng .xlsx; cũng nhận .xls, .ods) và gửi lại đúng tệp này. Nếu gửi lại bản sửa, chỉ bản hợp lệ gửi sau cùng được tính.".to_string()),
    ];
    for (i, (head, text)) in steps.iter().enumerate() {
        w.line([&format!("{}.", i + 1), head, text], true)?;
    }
    Ok(())
}

fn statuses(w: &mut Writer) -> Result<(), XlsxError> {
    w.section("III. TÌNH TRẠNG NHIỆM VỤ (cột «Tình trạng»)")?;
    for st in Status::ALL {
        w.line(["", st.label(), st.meaning()], true)?;
    }
    Ok(())
}

fn checks(w: &mut Writer) -> Result<(), XlsxError> {
    w.section("IV. NHỮNG NỘI DUNG ĐƯỢC KIỂM TRA KHI TIẾP NHẬN BÁO CÁO")?;
    w.line(["", "", "«Lỗi»: báo cáo chưa được tiếp nhận, đơn vị phải sửa và gửi lại. «Cảnh báo»: báo cáo được tiếp nhận nhưng cần xem lại."], false)?;
    let mut scopes: Vec<Scope> = rules::instructions().map(|r| r.scope).collect();
    scopes.dedup();
    for scope in scopes {
        w.line(["", scope.label(), ""], true)?;
        for r in rules::instructions().filter(|r| r.scope == scope) {
            let title = format!("{} ({})", r.title, r.severity.label());
            w.line([r.code, &title, r.instruction], false)?;
        }
    }
    Ok(())
}

fn identities(w: &mut Writer, input: &TemplateInput) -> Result<(), XlsxError> {
    let checks = input.catalogue.checks_for(input.agency.level);
    if checks.is_empty() {
        return Ok(());
    }
    w.section(&format!(
        "V. ĐỐI CHIẾU SỐ LIỆU (sheet «{SHEET_FIGURES}», cột «Kiểm tra»)"
    ))?;
    for c in checks {
        let detail = format!("{}: {}", c.description, c.formula_text());
        w.line(["", c.code, &detail], false)?;
    }
    Ok(())
}
