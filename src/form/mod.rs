//! The return form: the one contract between the templates we send, the
//! intake that reads them back and the compilation that consumes them. Sheet
//! names, columns, the closed status set, metadata keys and the canonical
//! [`Submission`] live here and nowhere else.

pub mod indicators;
pub mod rules;
pub mod status;
pub mod token;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use status::Status;

/// Version of the template layout; intake refuses layouts it does not know.
pub const TEMPLATE_VERSION: &str = "1";

pub const SHEET_GUIDE: &str = "Hướng dẫn";
pub const SHEET_TASKS: &str = "Nhiệm vụ";
pub const SHEET_FIGURES: &str = "Số liệu";
/// Very hidden sheet with the metadata as key/value rows (A = key, B = value).
pub const SHEET_META: &str = "_cchc";
/// Hidden sheet holding the long dropdown lists.
pub const SHEET_LISTS: &str = "_danhmuc";

/// Metadata keys: used as custom document property names, as defined names
/// (upper-cased, `.` → `_`) and as keys on the metadata sheet.
pub mod meta {
    pub const AGENCY: &str = "cchc.agency";
    pub const PERIOD: &str = "cchc.period";
    pub const PLAN_FINGERPRINT: &str = "cchc.plan_fingerprint";
    pub const TEMPLATE_VERSION: &str = "cchc.template_version";
    pub const GENERATED_AT: &str = "cchc.generated_at";
    pub const TOKEN: &str = "cchc.token";
    pub const ALL: [&str; 6] = [
        AGENCY,
        PERIOD,
        PLAN_FINGERPRINT,
        TEMPLATE_VERSION,
        GENERATED_AT,
        TOKEN,
    ];

    /// The defined-name spelling of a key: `cchc.agency` → `CCHC_AGENCY`.
    pub fn defined_name(key: &str) -> String {
        key.to_ascii_uppercase().replace('.', "_")
    }
}

/// Columns of the task sheet, left to right. Plan columns are locked; entry
/// columns are the only unlocked cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaskColumn {
    Id,
    Label,
    Area,
    Content,
    Role,
    Product,
    Deadline,
    DueThisPeriod,
    Status,
    Percent,
    Result,
    Evidence,
    EvidenceDate,
    Difficulties,
    Proposals,
}

impl TaskColumn {
    pub const ALL: [TaskColumn; 15] = [
        TaskColumn::Id,
        TaskColumn::Label,
        TaskColumn::Area,
        TaskColumn::Content,
        TaskColumn::Role,
        TaskColumn::Product,
        TaskColumn::Deadline,
        TaskColumn::DueThisPeriod,
        TaskColumn::Status,
        TaskColumn::Percent,
        TaskColumn::Result,
        TaskColumn::Evidence,
        TaskColumn::EvidenceDate,
        TaskColumn::Difficulties,
        TaskColumn::Proposals,
    ];

    /// Header text printed in the template and searched for on intake.
    pub fn header(self) -> &'static str {
        match self {
            TaskColumn::Id => "Mã NV",
            TaskColumn::Label => "Mục",
            TaskColumn::Area => "Lĩnh vực",
            TaskColumn::Content => "Nội dung nhiệm vụ",
            TaskColumn::Role => "Vai trò",
            TaskColumn::Product => "Sản phẩm",
            TaskColumn::Deadline => "Thời hạn",
            TaskColumn::DueThisPeriod => "Đến hạn kỳ này",
            TaskColumn::Status => "Tình trạng",
            TaskColumn::Percent => "Tỷ lệ hoàn thành (%)",
            TaskColumn::Result => "Kết quả đạt được",
            TaskColumn::Evidence => "Văn bản minh chứng (số, ký hiệu)",
            TaskColumn::EvidenceDate => "Ngày văn bản",
            TaskColumn::Difficulties => "Khó khăn, vướng mắc",
            TaskColumn::Proposals => "Đề xuất, kiến nghị",
        }
    }

    /// True for the columns the agency fills in.
    pub fn is_entry(self) -> bool {
        self >= TaskColumn::Status
    }

    /// Zero-based column index in the template.
    pub fn index(self) -> u16 {
        TaskColumn::ALL.iter().position(|c| *c == self).unwrap() as u16
    }

    /// Column width in characters for Times New Roman 11.
    pub fn width(self) -> f64 {
        match self {
            TaskColumn::Id | TaskColumn::Label => 7.0,
            TaskColumn::Area => 16.0,
            TaskColumn::Content => 48.0,
            TaskColumn::Role => 14.0,
            TaskColumn::Product => 30.0,
            TaskColumn::Deadline => 22.0,
            TaskColumn::DueThisPeriod => 9.0,
            TaskColumn::Status => 18.0,
            TaskColumn::Percent => 11.0,
            TaskColumn::Result => 40.0,
            TaskColumn::Evidence => 24.0,
            TaskColumn::EvidenceDate => 12.0,
            TaskColumn::Difficulties => 30.0,
            TaskColumn::Proposals => 30.0,
        }
    }
}

/// Columns of the indicator sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FigureColumn {
    Code,
    Name,
    Unit,
    Value,
    Check,
}

impl FigureColumn {
    pub const ALL: [FigureColumn; 5] = [
        FigureColumn::Code,
        FigureColumn::Name,
        FigureColumn::Unit,
        FigureColumn::Value,
        FigureColumn::Check,
    ];

    pub fn header(self) -> &'static str {
        match self {
            FigureColumn::Code => "Mã chỉ số",
            FigureColumn::Name => "Chỉ tiêu",
            FigureColumn::Unit => "Đơn vị tính",
            FigureColumn::Value => "Số liệu",
            FigureColumn::Check => "Kiểm tra",
        }
    }

    pub fn index(self) -> u16 {
        FigureColumn::ALL.iter().position(|c| *c == self).unwrap() as u16
    }
}

/// One task row as read from a return, values normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskReport {
    pub task_id: String,
    pub status: Option<Status>,
    /// 0–100.
    pub percent: Option<f64>,
    pub result: String,
    pub evidence: String,
    pub evidence_date: Option<NaiveDate>,
    pub difficulties: String,
    pub proposals: String,
}

/// Where a submission came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// The file's modification time, as a local date-time (ISO).
    pub modified: Option<String>,
}

/// The canonical content of one accepted return: what compilation consumes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    pub agency: String,
    /// Period id, e.g. `2024-Q1`.
    pub period: String,
    pub plan_fingerprint: String,
    pub template_version: String,
    pub source: Source,
    pub tasks: Vec<TaskReport>,
    /// Indicator code → value.
    pub indicators: BTreeMap<String, f64>,
}

/// The metadata a template carries, as read back from a return.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub agency: Option<String>,
    pub period: Option<String>,
    pub plan_fingerprint: Option<String>,
    pub template_version: Option<String>,
    pub generated_at: Option<String>,
    pub token: Option<String>,
}
