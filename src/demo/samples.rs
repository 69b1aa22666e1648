//! The committed sample returns (`samples/`), as a scenario: which agency
//! sends what, good and bad. `cchc demo --write-samples DIR` writes the .xlsx
//! files of the scenario; `samples/make.sh` then has LibreOffice re-save the
//! ones marked for it as .xls or .ods. The demo takes these files as the
//! returns of their agencies and fills the rest itself.

use super::fill::{self, Mistake};
use crate::form::token::Key;
use crate::form::TaskColumn;
use crate::template::{self, Batch, Cell, TemplateInput};
use chrono::NaiveDateTime;

/// The period the samples report on.
pub const PERIOD: &str = "2024-Q1";

/// One sample file of the scenario.
#[derive(Debug, Clone)]
pub struct Sample {
    /// File name as committed (after any LibreOffice conversion).
    pub name: String,
    /// The .xlsx bytes as generated (before conversion).
    pub xlsx: Vec<u8>,
    /// `Some("xls" | "ods")` when LibreOffice re-saves it in that format.
    pub convert: Option<&'static str>,
    /// When the Sở Nội vụ received it.
    pub received: NaiveDateTime,
    /// What the sample shows (Vietnamese, for samples/README.md).
    pub note: &'static str,
}

/// Agencies that send no return in the demo.
pub const MISSING: &[&str] = &["H536"];

/// Returns the demo generates with a mistake (beside the samples), and which.
pub const GENERATED_MISTAKES: &[(&str, Mistake)] = &[
    ("SXD", Mistake::FutureDate),
    ("H531", Mistake::NotApplicableNoReason),
];

/// Agencies that send an accepted return, then a corrected one that replaces
/// it (the first is superseded and must never count).
pub const RESUBMITTED: &[&str] = &["SKHDT"];

/// Agencies whose return arrives after the deadline in the demo.
pub const LATE: &[&str] = &["H527", "SGDDT", "H534"];

fn at(d: (i32, u32, u32), h: u32) -> NaiveDateTime {
    crate::period::ymd(d.0, d.1, d.2)
        .and_hms_opt(h, 0, 0)
        .expect("valid time")
}

/// When the demo's templates were made.
pub fn generated_at() -> NaiveDateTime {
    at((2024, 2, 26), 8)
}

/// Builds the scenario's files.
///
/// # Errors
/// An agency of the scenario is missing from the directory, or a template
/// cannot be written.
pub fn build(batch: &Batch) -> anyhow::Result<Vec<Sample>> {
    let mut out = Vec::new();
    let mut make = |code: &str,
                    suffix: &str,
                    key: &Key,
                    edit: &dyn Fn(&fill::Filled, &mut template::Answers),
                    convert: Option<&'static str>,
                    received: NaiveDateTime,
                    note: &'static str|
     -> anyhow::Result<()> {
        let agency = batch
            .directory
            .get(code)
            .ok_or_else(|| anyhow::anyhow!("Danh mục cơ quan không có đơn vị {code}"))?;
        let filled = fill::realistic(
            batch.plan,
            batch.directory,
            batch.catalogue,
            batch.period,
            agency,
        );
        let mut answers = filled.answers();
        edit(&filled, &mut answers);
        let input = TemplateInput {
            key,
            ..batch.input(agency)
        };
        let xlsx = template::build(&input, Some(&answers))?;
        let base = template::file_name(batch.period, agency);
        let stem = base.trim_end_matches(".xlsx");
        let ext = convert.unwrap_or("xlsx");
        out.push(Sample {
            name: format!("{stem}{suffix}.{ext}"),
            xlsx,
            convert,
            received,
            note,
        });
        Ok(())
    };
    let none = |_: &fill::Filled, _: &mut template::Answers| {};
    make(
        "STP",
        "",
        batch.key,
        &none,
        None,
        at((2024, 3, 12), 9),
        "Sở Tư pháp: điền đúng, lưu bằng Excel (.xlsx) — được chấp nhận.",
    )?;
    make(
        "SNV",
        "",
        batch.key,
        &none,
        Some("ods"),
        at((2024, 3, 13), 15),
        "Sở Nội vụ: điền đúng, LibreOffice lưu dạng .ods — được chấp nhận.",
    )?;
    make(
        "H522",
        "",
        batch.key,
        &none,
        Some("xls"),
        at((2024, 3, 14), 10),
        "UBND thành phố Quảng Ngãi: điền đúng, lưu dạng Excel 97-2003 (.xls) — được chấp nhận.",
    )?;
    make("SYT", "", batch.key, &|f, a| {
            for m in [Mistake::CompletedNot100, Mistake::StatusInvalid, Mistake::PercentNotNumber, Mistake::IdentityBroken] {
                fill::plant(f, a, m, 0);
            }
        }, None, at((2024, 3, 14), 16),
        "Sở Y tế: nhiều lỗi (Hoàn thành nhưng 80%, tình trạng «Cơ bản xong», tỷ lệ «abc», số liệu hồ sơ không khớp) — bị trả lại.")?;
    make("BDT", "", batch.key, &|f, a| {
            if let Some(t) = f.tasks.iter().find(|t| !t.result.is_empty()) {
                a.task(&t.task_id, TaskColumn::Result, Cell::Text(to_tcvn3(&t.result)));
            }
        }, None, at((2024, 3, 13), 8),
        "Ban Dân tộc: một ô «Kết quả» gõ bằng bảng mã TCVN3 (.VnTime) — được chuyển sang Unicode, cảnh báo T001, vẫn chấp nhận.")?;
    make(
        "STC",
        "_lan-1",
        batch.key,
        &|f, a| {
            fill::plant(f, a, Mistake::CompletedNoEvidence, 0);
        },
        None,
        at((2024, 3, 11), 9),
        "Sở Tài chính, lần 1: hoàn thành nhưng thiếu văn bản minh chứng — bị trả lại.",
    )?;
    make(
        "STC",
        "_lan-2",
        batch.key,
        &none,
        None,
        at((2024, 3, 14), 14),
        "Sở Tài chính, lần 2 (đã sửa) — được chấp nhận, thay cho lần 1.",
    )?;
    let forged = Key::from_bytes(b"khoa-cua-mot-bieu-mau-khac");
    make("SCT", "", &forged, &none, None, at((2024, 3, 14), 11),
        "«Sở Công Thương»: thực chất là biểu mẫu của đơn vị khác bị sửa mã đơn vị, mã xác thực không khớp — bị từ chối (M003).")?;
    Ok(out)
}

/// A file that is not a spreadsheet at all: a Word document renamed .xlsx.
pub fn renamed_docx() -> anyhow::Result<(String, Vec<u8>, &'static str)> {
    let bytes =
        crate::plan::docx::docx_from_text("Báo cáo CCHC quý I năm 2024\nSở Giao thông vận tải")?;
    Ok((
        "2024-Q1_SGTVT_so-giao-thong-van-tai.xlsx".to_string(),
        bytes,
        "Sở Giao thông vận tải: gửi nhầm tệp Word đổi đuôi thành .xlsx — bị từ chối (F001).",
    ))
}

/// Encodes Unicode Vietnamese as TCVN3 (ABC) bytes read as Latin-1: what a
/// cell typed with the .VnTime font looks like. Upper-case letters have no
/// TCVN3 code in .VnTime and are lowered, as the font users did.
pub fn to_tcvn3(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let table: Vec<(char, char)> = (0xA0u32..=0xFF)
        .filter_map(char::from_u32)
        .filter_map(|c| {
            let u = crate::intake::legacy::from_tcvn3(&c.to_string());
            let mut it = u.chars();
            match (it.next(), it.next()) {
                (Some(v), None) if v != c => Some((v, c)),
                _ => None,
            }
        })
        .collect();
    s.nfc()
        .map(|c| {
            let lower = if c.is_ascii() {
                c
            } else {
                c.to_lowercase().next().unwrap_or(c)
            };
            table
                .iter()
                .find(|(u, _)| *u == lower)
                .map(|(_, t)| *t)
                .unwrap_or(lower)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_round_trips_through_the_intake_converter() {
        let s = "Đã tổ chức hội nghị triển khai kế hoạch cải cách hành chính";
        let t = to_tcvn3(s);
        assert_ne!(t, s);
        assert!(t.contains("c¶i c¸ch hµnh chÝnh"), "{t}");
        assert_eq!(crate::intake::legacy::from_tcvn3(&t), s.to_lowercase());
    }
}
