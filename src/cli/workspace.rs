//! A working folder (`cchc init DIR`): `cchc.toml` naming the plan, agency
//! directory, periods, indicators and report skeleton files (relative to the
//! folder), and the issuing body, signer and recipients that override the
//! skeleton. Found through `--dir DIR`, or in the current folder.

use crate::document::ReportConfig;
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "cchc.toml";

/// `cchc.toml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub tinh: Option<String>,
    #[serde(default)]
    pub ke_hoach: Option<String>,
    #[serde(default)]
    pub co_quan: Option<String>,
    #[serde(default)]
    pub ky_bao_cao: Option<String>,
    #[serde(default)]
    pub chi_so: Option<String>,
    #[serde(default)]
    pub khung_bao_cao: Option<String>,
    #[serde(default)]
    pub ket_qua: Option<String>,
    #[serde(default)]
    pub van_ban: Letter,
}

/// Overrides of the report skeleton's issuing body, number, signer, recipients.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Letter {
    pub co_quan_ban_hanh: Option<Vec<String>>,
    pub so_ky_hieu: Option<String>,
    pub chuc_vu: Option<String>,
    pub nguoi_ky: Option<String>,
    pub noi_nhan: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    pub dir: PathBuf,
    pub settings: Settings,
}

impl Workspace {
    /// The folder given by `--dir`, which must hold `cchc.toml`, or else the
    /// current folder when it holds one.
    pub fn find(explicit: Option<&Path>) -> anyhow::Result<Option<Workspace>> {
        match explicit {
            Some(dir) => {
                let file = dir.join(FILE_NAME);
                anyhow::ensure!(
                    file.is_file(),
                    "Thư mục {} không có tệp {FILE_NAME}. Tạo thư mục làm việc bằng lệnh: cchc init {}",
                    dir.display(),
                    dir.display()
                );
                Workspace::load(dir).map(Some)
            }
            None if Path::new(FILE_NAME).is_file() => Workspace::load(Path::new(".")).map(Some),
            None => Ok(None),
        }
    }

    pub fn load(dir: &Path) -> anyhow::Result<Workspace> {
        let file = dir.join(FILE_NAME);
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("Không đọc được {}", file.display()))?;
        let settings: Settings = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{} không đúng cú pháp: {e}", file.display()))?;
        Ok(Workspace {
            dir: dir.to_path_buf(),
            settings,
        })
    }

    /// A path setting resolved against the folder; empty means "not set".
    pub fn path(&self, value: &Option<String>) -> Option<PathBuf> {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| self.dir.join(v))
    }

    /// Command-line inputs with the folder's files filling what is not given.
    pub fn fill(&self, inputs: &super::Inputs) -> super::Inputs {
        let s = &self.settings;
        let mut out = inputs.clone();
        out.plan = out.plan.or_else(|| self.path(&s.ke_hoach));
        out.agencies = out.agencies.or_else(|| self.path(&s.co_quan));
        out.periods = out.periods.or_else(|| self.path(&s.ky_bao_cao));
        out.indicators = out.indicators.or_else(|| self.path(&s.chi_so));
        out
    }

    /// The report skeleton: the folder's file (or the embedded one), with the
    /// `[van_ban]` overrides applied.
    pub fn report_config(&self) -> anyhow::Result<ReportConfig> {
        let mut c = match self.path(&self.settings.khung_bao_cao) {
            Some(p) => ReportConfig::load(&p)?,
            None => ReportConfig::embedded(),
        };
        apply(&mut c, &self.settings);
        Ok(c)
    }
}

fn apply(c: &mut ReportConfig, s: &Settings) {
    if let Some(t) = &s.tinh {
        c.tinh = t.clone();
        c.dia_danh = t.clone();
    }
    let l = &s.van_ban;
    if let Some(v) = &l.co_quan_ban_hanh {
        c.bao_cao.co_quan_ban_hanh = v.clone();
    }
    if let Some(v) = &l.so_ky_hieu {
        c.bao_cao.so_ky_hieu = v.clone();
    }
    if let Some(v) = &l.chuc_vu {
        c.nguoi_ky.chuc_vu = v.clone();
    }
    if let Some(v) = &l.nguoi_ky {
        c.nguoi_ky.ho_ten = v.clone();
    }
    if let Some(v) = &l.noi_nhan {
        c.noi_nhan.danh_sach = v.clone();
    }
}

/// The `cchc.toml` that `cchc init` writes.
pub fn default_settings_toml() -> String {
    let c = ReportConfig::embedded();
    let recipients: Vec<String> = c
        .noi_nhan
        .danh_sach
        .iter()
        .map(|r| format!("  \"{r}\","))
        .collect();
    format!(
        r#"# Thư mục làm việc của cchc (tạo bởi «cchc init»). Các đường dẫn tính từ thư mục này.
# Chạy các lệnh cchc trong thư mục này (hoặc thêm --dir THƯ_MỤC) để dùng các tệp dưới đây.

tinh = "{tinh}"
# Kế hoạch CCHC năm (.txt hoặc .docx). Để trống: dùng kế hoạch 2024 của Quảng Ngãi có sẵn.
ke_hoach = ""
# Danh mục cơ quan, đơn vị (sửa khi có sáp nhập, đổi tên). Các tệp cùng thư mục tên
# agencies-NĂM-THÁNG.csv hoặc agencies-NĂM-THÁNG-NGÀY.csv là danh mục áp dụng từ ngày đó
# (có sẵn agencies-2025-07.csv: từ 01/07/2025, không còn cấp huyện). Mỗi kỳ báo cáo dùng
# một danh mục duy nhất: danh mục có hiệu lực tại ngày chốt số liệu của kỳ. Khi tỉnh đổi
# cơ cấu, thêm một tệp mới; đơn vị cũ → đơn vị kế thừa ghi trong successors.csv.
co_quan = "agencies.csv"
# Kỳ báo cáo, hạn nộp, số ngày cho phép trễ.
ky_bao_cao = "periods.toml"
# Danh mục chỉ số.
chi_so = "indicators.toml"
# Khung báo cáo: tên các mục, câu chữ cố định.
khung_bao_cao = "report.toml"
# Thư mục ghi kết quả tổng hợp khi không chỉ rõ --out.
ket_qua = "ket-qua"

# Cơ quan ban hành, số ký hiệu, người ký, nơi nhận của báo cáo.
# Các giá trị ở đây được dùng thay cho giá trị tương ứng trong report.toml.
[van_ban]
co_quan_ban_hanh = [{issuer}]
so_ky_hieu = "{number}"
chuc_vu = "{title}"
nguoi_ky = "{name}"
noi_nhan = [
{recipients}
]
"#,
        tinh = c.tinh,
        issuer = c
            .bao_cao
            .co_quan_ban_hanh
            .iter()
            .map(|l| format!("\"{l}\""))
            .collect::<Vec<_>>()
            .join(", "),
        number = c.bao_cao.so_ky_hieu,
        title = c.nguoi_ky.chuc_vu,
        name = c.nguoi_ky.ho_ten,
        recipients = recipients.join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_settings_parse_and_override_the_skeleton() {
        let s: Settings = toml::from_str(&default_settings_toml()).unwrap();
        assert_eq!(s.co_quan.as_deref(), Some("agencies.csv"));
        let mut s = s;
        s.van_ban.nguoi_ky = Some("Trần Văn B".into());
        let mut c = ReportConfig::embedded();
        apply(&mut c, &s);
        assert_eq!(c.nguoi_ky.ho_ten, "Trần Văn B");
        assert_eq!(
            c.noi_nhan.danh_sach,
            ReportConfig::embedded().noi_nhan.danh_sach
        );
    }
}
