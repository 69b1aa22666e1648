//! Time expressions of a plan's deadline field (`Thời gian thực hiện`,
//! `Thời hạn hoàn thành`…) → milestones. The text is split on `;`, each part
//! read for the first time expression it holds, in an order that puts
//! "ongoing" and "by reference" before any date they quote.

use super::model::{Deadline, Milestone, When};
use crate::period::{last_day_of_month, last_day_of_quarter, ymd};
use crate::text::fold;
use chrono::NaiveDate;

/// Parses a deadline text; `year` is the plan year, used when a part names no year.
pub fn parse(raw: &str, year: i32) -> Deadline {
    let raw = crate::text::clean(raw);
    let milestones = raw
        .split(';')
        .map(str::trim)
        .map(|p| p.trim_end_matches('.').trim())
        .filter(|p| !p.is_empty())
        .map(|p| milestone(p, year))
        .collect();
    Deadline { raw, milestones }
}

fn milestone(part: &str, year: i32) -> Milestone {
    let when = classify(part, year);
    Milestone {
        text: part.to_string(),
        due_by: due_by(&when),
        when,
    }
}

/// Last day a milestone may be met, when it has one.
pub fn due_by(when: &When) -> Option<NaiveDate> {
    match *when {
        When::Date { date } => Some(date),
        When::Month { year, month } => Some(last_day_of_month(year, month)),
        When::Quarter { year, quarter } => Some(last_day_of_quarter(year, quarter)),
        When::Year { year } => Some(ymd(year, 12, 31)),
        _ => None,
    }
}

fn classify(part: &str, plan_year: i32) -> When {
    let f = fold(part);
    let year = year_in(&f).unwrap_or(plan_year);
    if f.starts_with("theo ") {
        return When::Reference {
            document: part.to_string(),
        };
    }
    if f.starts_with("thuong xuyen") {
        return When::Ongoing { year };
    }
    if f.contains("hang thang") {
        return When::Monthly { year };
    }
    if f.contains("hang quy") {
        return When::Quarterly { year };
    }
    if let Some(date) = date_in(&f) {
        return When::Date { date };
    }
    if let Some(quarter) = quarter_in(&f) {
        return When::Quarter { year, quarter };
    }
    if let Some(month) = month_in(&f) {
        return When::Month { year, month };
    }
    if f.contains("trong nam") || f.starts_with("nam ") {
        return When::Year { year };
    }
    if f.contains("dinh ky") || f.starts_with("bao cao") {
        return When::Periodic;
    }
    if f.contains("theo quy dinh") || f.contains("theo ke hoach") || f.contains("theo yeu cau") {
        return When::Reference {
            document: part.to_string(),
        };
    }
    When::Unspecified
}

/// Words of a folded text, split on anything not alphanumeric or `/`.
fn words(f: &str) -> Vec<&str> {
    f.split(|c: char| !(c.is_alphanumeric() || c == '/'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// First `d/m/yyyy` date (any zero padding).
fn date_in(f: &str) -> Option<NaiveDate> {
    words(f).into_iter().find_map(|w| {
        let mut it = w.split('/');
        let (d, m, y) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || y.len() != 4 {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    })
}

/// Year after "năm" (`năm 2024`); bare years in quoted document titles
/// ("giai đoạn 2022 - 2025") are not deadlines.
fn year_in(f: &str) -> Option<i32> {
    let w = words(f);
    w.windows(2)
        .find(|p| p[0] == "nam" && p[1].len() == 4)
        .and_then(|p| p[1].parse().ok())
}

/// `quý I` … `quý IV` or `quý 1` … `quý 4`.
fn quarter_in(f: &str) -> Option<u32> {
    let w = words(f);
    w.windows(2)
        .find(|p| p[0] == "quy")
        .and_then(|p| match p[1] {
            "i" | "1" => Some(1),
            "ii" | "2" => Some(2),
            "iii" | "3" => Some(3),
            "iv" | "4" => Some(4),
            _ => None,
        })
}

/// `tháng 12` (but not "hàng tháng", handled before).
fn month_in(f: &str) -> Option<u32> {
    let w = words(f);
    w.windows(2)
        .find(|p| p[0] == "thang")
        .and_then(|p| p[1].parse().ok())
        .filter(|m| (1..=12).contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(text: &str) -> Vec<When> {
        parse(text, 2024)
            .milestones
            .into_iter()
            .map(|m| m.when)
            .collect()
    }

    #[test]
    fn fixed_date_with_inconsistent_padding() {
        let d = parse("Chậm nhất là ngày 31/01/2024.", 2024);
        assert_eq!(d.milestones.len(), 1);
        assert_eq!(d.milestones[0].due_by, Some(ymd(2024, 1, 31)));
    }

    #[test]
    fn two_milestones_in_one_item() {
        let d = parse(
            "Quyết định công bố chậm nhất ngày 01/3/2024; Báo cáo kết quả hệ thống hóa chậm nhất ngày 20/3/2024.",
            2024,
        );
        let due: Vec<_> = d.milestones.iter().map(|m| m.due_by).collect();
        assert_eq!(due, [Some(ymd(2024, 3, 1)), Some(ymd(2024, 3, 20))]);
        assert!(d.milestones[0].text.starts_with("Quyết định công bố"));
    }

    #[test]
    fn quarter_then_periodic_reporting() {
        let w = when(
            "Quý I năm 2024 ban hành kế hoạch; định kỳ báo cáo kết quả thực hiện theo quy định.",
        );
        assert_eq!(
            w,
            [
                When::Quarter {
                    year: 2024,
                    quarter: 1
                },
                When::Periodic
            ]
        );
        assert_eq!(
            when("Quý III, năm 2024."),
            [When::Quarter {
                year: 2024,
                quarter: 3
            }]
        );
        let d = parse("Thời gian hoàn thành: Quý I năm 2024.", 2024);
        assert_eq!(d.final_due(), Some(ymd(2024, 3, 31)));
    }

    #[test]
    fn months_and_recurrences() {
        assert_eq!(
            when("Tháng 12 năm 2024."),
            [When::Month {
                year: 2024,
                month: 12
            }]
        );
        assert_eq!(
            parse("Tháng 1 năm 2024.", 2024).final_due(),
            Some(ymd(2024, 1, 31))
        );
        assert_eq!(
            when("Định kỳ hàng tháng trong năm 2024."),
            [When::Monthly { year: 2024 }]
        );
        assert_eq!(
            when("Hàng quý (Theo Chương trình công tác của UBND tỉnh)."),
            [When::Quarterly { year: 2024 }]
        );
    }

    #[test]
    fn ongoing_wins_over_quoted_dates() {
        let d = parse(
            "Thường xuyên trong năm, theo Kế hoạch rà soát ban hành kèm theo Quyết định số 1648/QĐ-UBND ngày 30/11/2022 của Chủ tịch UBND tỉnh.",
            2024,
        );
        assert_eq!(d.milestones[0].when, When::Ongoing { year: 2024 });
        assert!(d.is_open_ended() && d.is_recurring());
        let d = parse(
            "Thường xuyên trong năm, theo Kế hoạch giai đoạn 2022 - 2025",
            2024,
        );
        assert_eq!(d.milestones[0].when, When::Ongoing { year: 2024 });
    }

    #[test]
    fn references_and_year() {
        let w = when("Theo Kế hoạch số 140/KH-UBND ngày 14/10/2021 của UBND tỉnh đối với những nhiệm vụ giao thực hiện trong năm 2024.");
        assert!(matches!(w[0], When::Reference { .. }));
        let w = when("Theo quy định của Chính phủ và hướng dẫn của Sở Thông tin và Truyền thông.");
        assert!(matches!(w[0], When::Reference { .. }));
        assert_eq!(
            parse("Trong năm 2024.", 2024).final_due(),
            Some(ymd(2024, 12, 31))
        );
        assert_eq!(when("Khi có yêu cầu"), [When::Unspecified]);
    }
}
