//! The reminder letter (công văn đôn đốc) of Sở Nội vụ as a Word document in
//! the NĐ 30/2020 format: header table with "Số: …/SNV-CCHC" and the "V/v"
//! line, Kính gửi, per-unit reasons in plain words with the feedback file to
//! open, Nơi nhận and signature. It counts only the files received by its
//! date ([`letter_completeness`]), as does the text version.

use super::config::ReportConfig;
use super::docx::{self as d, look, BodyShape, Properties};
use crate::compile::completeness::{place_date, plain_reason};
use crate::compile::{Compilation, Completeness, UnitReport, UnitState};
use crate::period::dmy;
use chrono::NaiveDate;
use docx_rs::*;
use std::path::Path;

/// The letter's date and the returns as they stood at the end of it, with
/// each unit's reasons in plain words (no rule codes, task labels as shown).
pub fn letter_completeness(c: &Compilation, cfg: &ReportConfig) -> (NaiveDate, Completeness) {
    // Configured, or the day after the grace deadline; when returns were
    // received after that day, the letter is dated at the latest receipt so
    // that its date and its counts agree.
    let date = if cfg.don_doc.ngay.trim().is_empty() {
        let latest = c.ledger.entries().map(|e| e.received.date()).max();
        let day_after = cfg.letter_date(&c.period);
        latest.map_or(day_after, |l| l.max(day_after))
    } else {
        cfg.letter_date(&c.period)
    };
    let mut k = c.completeness.as_of(&c.ledger, &c.period, date);
    let labels: Vec<(String, String)> = c
        .tasks
        .iter()
        .map(|t| (t.task_id.clone(), t.label.clone()))
        .collect();
    for u in &mut k.units {
        u.reasons = u
            .reasons
            .iter()
            .map(|r| plain_reason(r, &labels))
            .filter(|r| !r.is_empty())
            .collect();
    }
    (date, k)
}

/// The feedback copy intake wrote for a unit's rejected file, by name.
pub fn feedback_file(c: &Compilation, code: &str) -> Option<String> {
    let e = Completeness::rejected_file(&c.ledger, code)?;
    let stem = Path::new(&e.path)
        .file_stem()?
        .to_string_lossy()
        .into_owned();
    Some(format!("{}/{stem}-can-sua.xlsx", FEEDBACK_DIR))
}

/// Folder of the feedback copies (as `cchc run` writes them).
const FEEDBACK_DIR: &str = "gop-y";

/// What a unit still owes, in words.
fn owed_phrase(u: &UnitReport) -> &'static str {
    match u.state {
        UnitState::Missing => "chưa gửi báo cáo.",
        _ if u.unreadable => "đã gửi báo cáo nhưng tệp không đọc được, đề nghị gửi lại.",
        _ => "báo cáo đã gửi chưa đạt yêu cầu, đề nghị sửa và gửi lại.",
    }
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(d::run(text, look(14)))
        .justified_indented()
        .line_spacing(d::spacing(0, 6))
}

fn item(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(d::run(text, look(14)))
        .align(AlignmentType::Both)
        .indent(Some(d::mm(12.7)), None, None, None)
        .line_spacing(d::spacing(0, 3))
}

/// Renders the letter to .docx bytes.
pub fn letter_docx(c: &Compilation, cfg: &ReportConfig) -> anyhow::Result<Vec<u8>> {
    let (date, k) = letter_completeness(c, cfg);
    let l = &cfg.don_doc;
    let period = &c.period;
    let issuer = cfg.letterhead().issuer_sentence();
    let stamp = format!("{}T00:00:00Z", date.format("%Y-%m-%d"));
    let mut doc = Docx::new()
        .page_size(d::A4.0, d::A4.1)
        .page_margin(d::margins())
        .default_fonts(d::fonts())
        .default_size(28)
        .header(d::page_number(14))
        .first_header(Header::new())
        .created_at(&stamp)
        .updated_at(&stamp);
    // Header: issuing body, number and subject; national motto, place and date.
    let (lw, rw) = (4000usize, d::TEXT_WIDTH - 4000);
    let left = d::cell(lw)
        .add_paragraph(d::centred(&l.co_quan_chu_quan, look(13)))
        .add_paragraph(d::centred(&l.co_quan_ban_hanh, look(13).bold()))
        .add_paragraph(d::rule(d::mm(18.0), lw as i32))
        .add_paragraph(d::centred(&l.so_ky_hieu, look(13)))
        .add_paragraph(d::centred(
            &format!(
                "V/v đôn đốc gửi báo cáo kết quả thực hiện công tác cải cách hành chính {}",
                period.label()
            ),
            look(12),
        ));
    let right = d::cell(rw)
        .add_paragraph(d::centred(
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            look(12).bold(),
        ))
        .add_paragraph(d::centred("Độc lập - Tự do - Hạnh phúc", look(13).bold()))
        .add_paragraph(d::rule(d::mm(58.0), rw as i32))
        .add_paragraph(d::centred(
            &place_date(&cfg.dia_danh, date),
            look(14).italic(),
        ));
    doc = doc.add_table(
        Table::without_borders(vec![TableRow::new(vec![left, right])])
            .set_grid(vec![lw, rw])
            .width(d::TEXT_WIDTH, WidthType::Dxa)
            .layout(TableLayoutType::Fixed),
    );
    doc = doc.add_paragraph(d::centred("", look(10)));
    let owed: Vec<&UnitReport> = k.owed().collect();
    if owed.is_empty() {
        doc = doc.add_paragraph(d::centred(
            "Kính gửi: Các cơ quan, đơn vị thuộc diện báo cáo.",
            look(14),
        ));
    } else if owed.len() <= 6 {
        doc = doc.add_paragraph(kinh_gui_line("Kính gửi:"));
        for (i, u) in owed.iter().enumerate() {
            let end = if i + 1 == owed.len() { "." } else { ";" };
            doc = doc.add_paragraph(kinh_gui_line(&format!("- {}{end}", u.name)).indent(
                Some(d::mm(50.0)),
                None,
                None,
                None,
            ));
        }
    } else {
        doc = doc.add_paragraph(d::centred(
            "Kính gửi: Các cơ quan, đơn vị có tên tại danh sách dưới đây.",
            look(14),
        ));
    }
    doc = doc.add_paragraph(d::centred("", look(8)));
    doc = doc.add_paragraph(body(&format!(
        "Thực hiện Kế hoạch cải cách hành chính năm {} của UBND tỉnh, {issuer} đề nghị các cơ quan, đơn vị báo cáo kết quả thực hiện công tác cải cách hành chính {} theo biểu mẫu đã gửi, hạn chót ngày {}. Đến hết ngày {}, {}/{} cơ quan, đơn vị đã gửi báo cáo hợp lệ; {}",
        period.year,
        period.label(),
        dmy(period.due),
        dmy(date),
        k.received(),
        k.expected,
        if owed.is_empty() {
            "tất cả các cơ quan, đơn vị đã hoàn thành việc báo cáo.".to_string()
        } else {
            format!("{} cơ quan, đơn vị sau chưa hoàn thành việc báo cáo:", owed.len())
        }
    )));
    for (i, u) in owed.iter().enumerate() {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(d::run(&format!("{}. {}: ", i + 1, u.name), look(14).bold()))
                .add_run(d::run(owed_phrase(u), look(14)))
                .justified_indented()
                .line_spacing(d::spacing(3, 3))
                .keep_next(!u.reasons.is_empty()),
        );
        for r in &u.reasons {
            doc = doc.add_paragraph(item(&format!("- {r}")));
        }
        if u.state == UnitState::Rejected && !u.unreadable {
            if let Some(f) = feedback_file(c, &u.code) {
                doc = doc.add_paragraph(item(&format!(
                    "- Tệp góp ý gửi kèm: «{f}» (các ô cần sửa được tô màu và ghi chú ngay trong tệp; sửa trên tệp đó rồi gửi lại)."
                )));
            }
        }
    }
    if !owed.is_empty() {
        doc = doc.add_paragraph(body(&format!(
            "Đề nghị Thủ trưởng các cơ quan, đơn vị nêu trên khẩn trương hoàn thành, gửi báo cáo (tệp Excel theo biểu mẫu, không đổi cấu trúc biểu mẫu) về {issuer} trước ngày {}, để tổng hợp báo cáo UBND tỉnh và Bộ Nội vụ đúng thời gian quy định.",
            dmy(period.province_due.pred_opt().unwrap_or(period.province_due))
        )));
    }
    doc = doc.add_paragraph(body(&format!(
        "{issuer} đề nghị các cơ quan, đơn vị quan tâm thực hiện./."
    )));
    doc = doc.add_paragraph(d::centred("", look(6)));
    let (lw, rw) = (4700usize, d::TEXT_WIDTH - 4700);
    let left = d::cell(lw)
        .add_paragraph(d::left("Nơi nhận:", look(12).bold().italic()))
        .add_paragraph(d::left("- Như trên;", look(11)))
        .add_paragraph(d::left("- Lưu: VT, CCHC.", look(11)));
    let mut right = d::cell(rw).add_paragraph(d::centred(&l.chuc_vu_nguoi_ky, look(14).bold()));
    for _ in 0..4 {
        right = right.add_paragraph(d::centred("", look(14)));
    }
    right = right.add_paragraph(d::centred(&l.ho_ten_nguoi_ky, look(14).bold()));
    doc = doc.add_table(
        Table::without_borders(vec![TableRow::new(vec![left, right]).cant_split()])
            .set_grid(vec![lw, rw])
            .width(d::TEXT_WIDTH, WidthType::Dxa)
            .layout(TableLayoutType::Fixed),
    );
    let props = Properties {
        title: format!(
            "Công văn đôn đốc gửi báo cáo cải cách hành chính {}",
            period.label()
        ),
        author: format!("{} {}", l.co_quan_ban_hanh, l.co_quan_chu_quan),
    };
    d::pack(doc, &props)
}

fn kinh_gui_line(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(d::run(text, look(14)))
        .align(AlignmentType::Left)
        .indent(Some(d::mm(30.0)), None, None, None)
        .line_spacing(d::spacing(0, 0))
}
