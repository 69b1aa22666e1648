//! The report skeleton (`templates/report.toml`, embedded as default): issuing
//! body, number, signer, recipients, section titles and fixed sentences.
//! Field names are the Vietnamese keys a user edits.

use crate::compile::Letterhead;
use crate::period::Period;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const DEFAULT_TOML: &str = include_str!("../../templates/report.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportConfig {
    pub tinh: String,
    pub dia_danh: String,
    pub bao_cao: Report,
    pub nguoi_ky: Signer,
    pub noi_nhan: Recipients,
    pub don_doc: Reminder,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub co_quan_chu_quan: String,
    pub co_quan_ban_hanh: Vec<String>,
    pub so_ky_hieu: String,
    /// `YYYY-MM-DD`, empty for the period's province due date.
    pub ngay: String,
    pub ten_loai: String,
    pub trich_yeu: String,
    pub co_chu: usize,
    /// Most reported results quoted per task in the body; the others are
    /// named and left to the workbook.
    #[serde(default = "default_results")]
    pub so_ket_qua_toi_da: usize,
    pub cau_chu: Sentences,
    pub muc: Sections,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentences {
    pub mo_dau: String,
    pub chi_dao: String,
    pub uu_diem: String,
    pub ton_tai: String,
    pub nguyen_nhan: String,
    pub phuong_huong: String,
    pub khong_kien_nghi: String,
    pub ket_thuc: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sections {
    pub i: String,
    pub ii: String,
    pub iii: String,
    pub iv: String,
    pub v: String,
    pub uu_diem: String,
    pub ton_tai: String,
    pub linh_vuc_chi_dao: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signer {
    pub tm: String,
    pub kt: String,
    pub chuc_vu: String,
    pub ho_ten: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recipients {
    pub danh_sach: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reminder {
    pub co_quan_chu_quan: String,
    pub co_quan_ban_hanh: String,
    pub so_ky_hieu: String,
    pub chuc_vu_nguoi_ky: String,
    pub ho_ten_nguoi_ky: String,
}

fn default_results() -> usize {
    5
}

impl ReportConfig {
    pub fn embedded() -> ReportConfig {
        ReportConfig::from_toml(DEFAULT_TOML).expect("the embedded report.toml is valid")
    }

    pub fn load(path: &Path) -> anyhow::Result<ReportConfig> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("Không đọc được khung báo cáo {}: {e}", path.display()))?;
        ReportConfig::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    pub fn from_toml(text: &str) -> anyhow::Result<ReportConfig> {
        let c: ReportConfig = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!("khung báo cáo không đúng cú pháp TOML: {e}"))?;
        anyhow::ensure!(
            (11..=14).contains(&c.bao_cao.co_chu),
            "bao_cao.co_chu = {}: cỡ chữ phải từ 11 đến 14",
            c.bao_cao.co_chu
        );
        c.date_override()?;
        Ok(c)
    }

    fn date_override(&self) -> anyhow::Result<Option<NaiveDate>> {
        let s = self.bao_cao.ngay.trim();
        if s.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                anyhow::anyhow!(
                    "bao_cao.ngay = «{s}»: ghi ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2024-03-20"
                )
            })
    }

    /// The report's date: the configured one, or the period's province due date.
    pub fn report_date(&self, period: &Period) -> NaiveDate {
        self.date_override()
            .ok()
            .flatten()
            .unwrap_or(period.province_due)
    }

    /// Fills the placeholders of a configured sentence.
    pub fn fill(&self, text: &str, period: &Period, next: &Period, decision: &str) -> String {
        text.replace("{ky}", &period.label())
            .replace("{Ky}", &period.title())
            .replace("{ky_toi}", &next.label())
            .replace("{KY_TOI}", &next.label().to_uppercase())
            .replace("{ke_hoach}", decision)
            .replace("{nam}", &period.year.to_string())
            .replace("{tinh}", &self.tinh)
    }

    /// The reminder letter's head.
    pub fn letterhead(&self) -> Letterhead {
        let d = &self.don_doc;
        Letterhead {
            superior: d.co_quan_chu_quan.clone(),
            issuer: d.co_quan_ban_hanh.clone(),
            number: d.so_ky_hieu.clone(),
            place: self.dia_danh.clone(),
            signer_title: d.chuc_vu_nguoi_ky.clone(),
            signer_name: d.ho_ten_nguoi_ky.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_skeleton_loads_and_fills() {
        let c = ReportConfig::embedded();
        let s = crate::period::Schedule::embedded();
        let p = s.period("2024-Q1").unwrap();
        let n = s.next_after(&p);
        assert_eq!(
            c.fill(&c.bao_cao.trich_yeu, &p, &n, "1879/QĐ-UBND"),
            "Kết quả thực hiện công tác cải cách hành chính quý I năm 2024"
        );
        assert_eq!(c.report_date(&p), crate::period::ymd(2024, 3, 20));
        assert!(c.noi_nhan.danh_sach.last().unwrap().starts_with("Lưu"));
    }

    #[test]
    fn bad_values_are_explained() {
        let t = DEFAULT_TOML.replace("ngay = \"\"", "ngay = \"20/3/2024\"");
        let e = ReportConfig::from_toml(&t).unwrap_err().to_string();
        assert!(e.contains("NĂM-THÁNG-NGÀY"), "{e}");
    }
}
