//! The report skeleton (`templates/report.toml`, embedded as default): issuing
//! body, number, signer, recipients, section titles and fixed sentences.
//! Field names are the Vietnamese keys a user edits.

use super::wording::Theme;
use crate::compile::Letterhead;
use crate::period::Period;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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
    /// Most results quoted per reform area in the body, chosen by
    /// significance; everything per task and unit is in the annexes.
    #[serde(default = "default_results")]
    pub so_ket_qua_toi_da: usize,
    /// Most indicator figures quoted per area.
    #[serde(default = "default_indicators")]
    pub so_chi_so_toi_da: usize,
    /// "Kính gửi" of the report.
    #[serde(default = "default_addressees")]
    pub kinh_gui: Vec<String>,
    /// Short task titles by label as shown (`"2.k.1" = "…"`); others take the
    /// plan's first clause.
    #[serde(default)]
    pub ten_ngan: BTreeMap<String, String>,
    /// Indicator groups quoted under each area (key: words of the area's
    /// title, matched without accents).
    #[serde(default)]
    pub chi_so_theo_linh_vuc: BTreeMap<String, Vec<String>>,
    /// Words that mark a proposal as addressed to a central body (section V);
    /// other proposals become directions in section IV.
    #[serde(default = "default_upward")]
    pub cap_tren: Vec<String>,
    /// Themes proposals and difficulties are grouped under.
    #[serde(default)]
    pub chu_de: Vec<Theme>,
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
    /// Directions of UBND tỉnh for the next period (section IV), each a sentence.
    #[serde(default)]
    pub chi_dao_ky_toi: Vec<String>,
    /// The request made upward when returns say they wait for central
    /// guidance (`{so_don_vi}`: how many units said so); empty: none.
    #[serde(default)]
    pub kien_nghi_huong_dan: String,
    /// Words of a difficulty that waits for central guidance.
    #[serde(default)]
    pub tu_khoa_cho_huong_dan: Vec<String>,
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
    /// The letter's date `YYYY-MM-DD`; empty: the day after the grace
    /// deadline. Only files received by the end of that day are counted.
    #[serde(default)]
    pub ngay: String,
}

fn default_results() -> usize {
    4
}

fn default_indicators() -> usize {
    8
}

fn default_addressees() -> Vec<String> {
    vec!["Bộ Nội vụ".into()]
}

fn default_upward() -> Vec<String> {
    [
        "bộ nội vụ",
        "chính phủ",
        "thủ tướng",
        "trung ương",
        "các bộ",
        "bộ, ngành",
        "bộ ngành",
        "đề nghị bộ ",
        "kiến nghị bộ ",
    ]
    .map(String::from)
    .to_vec()
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
        date_in("bao_cao.ngay", &c.bao_cao.ngay)?;
        date_in("don_doc.ngay", &c.don_doc.ngay)?;
        Ok(c)
    }

    /// The report's date: the configured one (`Some` day), or the period's
    /// province due date with the day left blank for signing (`None` day).
    pub fn report_date(&self, period: &Period) -> ReportDate {
        match date_in("bao_cao.ngay", &self.bao_cao.ngay).ok().flatten() {
            Some(d) => ReportDate {
                date: d,
                day_set: true,
            },
            None => ReportDate {
                date: period.province_due,
                day_set: false,
            },
        }
    }

    /// The reminder letter's date: configured, or the day after the grace deadline.
    pub fn letter_date(&self, period: &Period) -> NaiveDate {
        date_in("don_doc.ngay", &self.don_doc.ngay)
            .ok()
            .flatten()
            .unwrap_or_else(|| {
                period
                    .due_with_grace
                    .succ_opt()
                    .unwrap_or(period.due_with_grace)
            })
    }

    /// Fills the placeholders of a configured sentence; `next` names the span
    /// section IV looks ahead to ("quý II năm 2024").
    pub fn fill(&self, text: &str, period: &Period, next: &str, decision: &str) -> String {
        text.replace("{ky}", &period.label())
            .replace("{Ky}", &period.title())
            .replace("{ky_toi}", next)
            .replace("{KY_TOI}", &next.to_uppercase())
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

/// A date read from the skeleton, or a message naming the key.
fn date_in(key: &str, s: &str) -> anyhow::Result<Option<NaiveDate>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            anyhow::anyhow!("{key} = «{s}»: ghi ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2024-03-20")
        })
}

/// The date a report carries: the day may be left blank for signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportDate {
    pub date: NaiveDate,
    pub day_set: bool,
}

impl ReportDate {
    /// "Quảng Ngãi, ngày 20 tháng 3 năm 2024" or "Quảng Ngãi, ngày      tháng 3 năm 2024".
    pub fn place_date(&self, place: &str) -> String {
        let full = crate::compile::completeness::place_date(place, self.date);
        if self.day_set {
            return full;
        }
        let (head, tail) = full.split_once(" tháng ").unwrap_or((&full, ""));
        let head = head.rsplit_once(' ').map(|(h, _)| h).unwrap_or(head);
        format!("{head}       tháng {tail}")
    }

    /// "20/3/2024" or "     /3/2024" (annex captions).
    pub fn short(&self) -> String {
        use chrono::Datelike;
        let d = &self.date;
        let day = if self.day_set {
            d.day().to_string()
        } else {
            "     ".to_string()
        };
        format!("{day}/{}/{}", d.month(), d.year())
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
        assert_eq!(
            c.fill(&c.bao_cao.trich_yeu, &p, "quý II năm 2024", "1879/QĐ-UBND"),
            "Kết quả thực hiện công tác cải cách hành chính quý I năm 2024"
        );
        let d = c.report_date(&p);
        assert_eq!(d.date, crate::period::ymd(2024, 3, 20));
        assert_eq!(
            d.place_date("Quảng Ngãi"),
            "Quảng Ngãi, ngày       tháng 3 năm 2024"
        );
        assert_eq!(d.short(), "     /3/2024");
        let set = ReportDate {
            date: d.date,
            day_set: true,
        };
        assert_eq!(
            set.place_date("Quảng Ngãi"),
            "Quảng Ngãi, ngày 20 tháng 3 năm 2024"
        );
        assert_eq!(c.letter_date(&p), crate::period::ymd(2024, 3, 18));
        assert!(c.noi_nhan.danh_sach.last().unwrap().starts_with("Lưu"));
    }

    #[test]
    fn bad_values_are_explained() {
        let t = DEFAULT_TOML.replace("ngay = \"\"", "ngay = \"20/3/2024\"");
        let e = ReportConfig::from_toml(&t).unwrap_err().to_string();
        assert!(e.contains("NĂM-THÁNG-NGÀY"), "{e}");
    }
}
