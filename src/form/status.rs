//! The closed set of task statuses an agency may report, with the variants
//! agencies actually type and what each means. The template's dropdown and
//! instructions and the validator's matching all come from this table.

use crate::text::fold;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Hoàn thành.
    Completed,
    /// Đang thực hiện.
    InProgress,
    /// Chưa thực hiện.
    NotStarted,
    /// Không thực hiện (with a reason).
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Completed,
        Status::InProgress,
        Status::NotStarted,
        Status::NotApplicable,
    ];

    /// The word shown in the dropdown.
    pub fn label(self) -> &'static str {
        match self {
            Status::Completed => "Hoàn thành",
            Status::InProgress => "Đang thực hiện",
            Status::NotStarted => "Chưa thực hiện",
            Status::NotApplicable => "Không thực hiện",
        }
    }

    /// What the status means, for the instructions sheet.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Completed => {
                "Đã xong toàn bộ nhiệm vụ: tỷ lệ 100%, ghi văn bản minh chứng (số, ký hiệu) và ngày văn bản."
            }
            Status::InProgress => {
                "Đã bắt đầu nhưng chưa xong: ghi tỷ lệ hoàn thành ước tính (1–99%) và kết quả đạt được đến nay."
            }
            Status::NotStarted => "Chưa bắt đầu thực hiện: tỷ lệ 0%.",
            Status::NotApplicable => {
                "Nhiệm vụ không phát sinh hoặc không thuộc trường hợp của đơn vị: bắt buộc nêu lý do ở cột «Khó khăn, vướng mắc»."
            }
        }
    }

    /// Folded spellings accepted for this status besides the label.
    fn variants(self) -> &'static [&'static str] {
        match self {
            Status::Completed => &[
                "hoan thanh",
                "da hoan thanh",
                "da ht",
                "ht",
                "xong",
                "da xong",
                "hoan thanh dung han",
                "hoan thanh qua han",
                "da thuc hien",
            ],
            Status::InProgress => &[
                "dang thuc hien",
                "dang trien khai",
                "dang thuc hien qua han",
                "dang trien khai qua han",
                "dang th",
                "dang lam",
                "chua hoan thanh",
            ],
            Status::NotStarted => &[
                "chua thuc hien",
                "chua trien khai",
                "chua bat dau",
                "chua th",
            ],
            Status::NotApplicable => &[
                "khong thuc hien",
                "khong thuc hien (neu ly do)",
                "khong phat sinh",
                "khong trien khai",
            ],
        }
    }

    /// Matches what an agency typed, accent-, case- and spacing-insensitively.
    pub fn parse(typed: &str) -> Option<Status> {
        // The value picked from the list, as nearly every return has it.
        if let Some(s) = Status::ALL.into_iter().find(|s| s.label() == typed) {
            return Some(s);
        }
        let f = fold(typed);
        let f = f.trim_end_matches(['.', ';', ',']).trim();
        Status::ALL
            .into_iter()
            .find(|s| fold(s.label()) == f || s.variants().contains(&f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_label_is_its_own_status_by_either_path() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.label()), Some(s));
            assert_eq!(Status::parse(&format!(" {} ", s.label())), Some(s));
        }
    }

    #[test]
    fn variants_agencies_type_are_matched() {
        assert_eq!(Status::parse("Hoàn thành"), Some(Status::Completed));
        assert_eq!(Status::parse("ĐÃ HT"), Some(Status::Completed));
        assert_eq!(
            Status::parse(" đang  triển khai "),
            Some(Status::InProgress)
        );
        assert_eq!(
            Status::parse("Đang thực hiện quá hạn"),
            Some(Status::InProgress)
        );
        assert_eq!(Status::parse("Chưa triển khai"), Some(Status::NotStarted));
        assert_eq!(
            Status::parse("Không thực hiện (nêu lý do)"),
            Some(Status::NotApplicable)
        );
    }

    #[test]
    fn near_misses_are_not_matched() {
        assert_eq!(Status::parse("Hoàn"), None);
        assert_eq!(Status::parse("80%"), None);
        assert_eq!(Status::parse(""), None);
    }
}
