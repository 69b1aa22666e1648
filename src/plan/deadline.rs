//! Time expressions of a plan's deadline field (`Thời gian thực hiện`,
//! `Thời hạn hoàn thành`…) → milestones. The text is split on `;`, each part
//! read for the time expression it holds, in an order that puts "ongoing" and
//! "by reference" before any date they quote. A part naming several dated
//! expressions joined by "và" or commas ("trước ngày 15/6/2026 và trước ngày
//! 15/12/2026") gives one milestone each.
//!
//! Phrases read (folded, accents and case ignored): `d/m/yyyy`, `d-m-yyyy`,
//! `d.m.yyyy`, `ngày d tháng m năm yyyy`, `ngày d/m` (plan year); `Quý I` … `Quý
//! IV` / `Quí 1` … with `năm yyyy`, `/yyyy` or `-yyyy`; `Tháng m`, `Tháng m/yyyy`;
//! `6 tháng đầu năm`; `năm yyyy`, a bare `yyyy`, a range `2026 - 2030` (its
//! end); `hằng năm`, `Tháng 12 hằng năm` (in the plan year); `hằng quý`,
//! `hằng tháng` (recurring); `thường xuyên`, `liên tục` (ongoing); `theo …`
//! (by reference); `định kỳ` (periodic).

use super::model::{Deadline, Milestone, When};
use crate::period::{last_day_of_month, last_day_of_quarter};
use crate::text::fold;
use chrono::NaiveDate;

/// Parses a deadline text; `year` is the plan year, used when a part names no year.
pub fn parse(raw: &str, year: i32) -> Deadline {
    let raw = crate::text::clean(raw);
    let milestones = raw
        .split(';')
        .map(str::trim)
        .map(|p| p.trim_end_matches(['.', ',']).trim())
        .filter(|p| !p.is_empty())
        .flat_map(|p| milestones_of(p, year))
        .collect();
    Deadline { raw, milestones }
}

/// One part (between `;`) → one milestone, or one per dated expression when
/// the part joins several ("Quý II và Quý IV năm 2026").
fn milestones_of(part: &str, plan_year: i32) -> Vec<Milestone> {
    let whole = classify(part, plan_year);
    if is_dated(&whole) {
        let year = Scan::new(&fold(part)).explicit_year().unwrap_or(plan_year);
        for sep in [" và ", ", ", " - "] {
            if let Some(pieces) = split_dated(part, sep, year) {
                return pieces;
            }
        }
    }
    vec![milestone(part, whole)]
}

/// Splits `part` on `sep` when every piece holds its own date, month or quarter.
fn split_dated(part: &str, sep: &str, year: i32) -> Option<Vec<Milestone>> {
    let pieces: Vec<&str> = part
        .split(sep)
        .map(|p| p.trim().trim_end_matches(['.', ',']))
        .collect();
    if pieces.len() < 2 {
        return None;
    }
    let whens: Vec<When> = pieces.iter().map(|p| classify(p, year)).collect();
    let all = whens.iter().all(|w| {
        matches!(
            w,
            When::Date { .. } | When::Month { .. } | When::Quarter { .. }
        )
    });
    all.then(|| {
        pieces
            .iter()
            .zip(whens)
            .map(|(p, w)| milestone(p, w))
            .collect()
    })
}

fn is_dated(w: &When) -> bool {
    matches!(
        w,
        When::Date { .. } | When::Month { .. } | When::Quarter { .. } | When::Year { .. }
    )
}

fn milestone(part: &str, when: When) -> Milestone {
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
        When::Year { year } => NaiveDate::from_ymd_opt(year, 12, 31),
        _ => None,
    }
}

fn classify(part: &str, plan_year: i32) -> When {
    let f = fold(part);
    let scan = Scan::new(&f);
    // Recurring and ongoing work takes only a year stated for it ("trong năm
    // 2024"), not one quoted from a programme ("giai đoạn 2022 - 2025").
    let stated = scan.stated_year().unwrap_or(plan_year);
    let year = scan.explicit_year().unwrap_or(plan_year);
    if f.starts_with("theo ") || f.starts_with("can cu ") {
        return When::Reference {
            document: part.to_string(),
        };
    }
    let dated = scan.date(year).is_some() || scan.quarter().is_some() || scan.month().is_some();
    if f.starts_with("thuong xuyen")
        || f.starts_with("lien tuc")
        || (!dated && (f.contains("thuong xuyen") || f.contains("lien tuc")))
    {
        return When::Ongoing { year: stated };
    }
    if f.contains("hang thang") && scan.month().is_none() {
        return When::Monthly { year: stated };
    }
    if f.contains("hang quy") && scan.quarter().is_none() {
        return When::Quarterly { year: stated };
    }
    // "hằng năm": every year, so in the plan's year.
    let year = if f.contains("hang nam") {
        plan_year
    } else {
        year
    };
    if let Some(date) = scan.date(year) {
        return When::Date { date };
    }
    if let Some((quarter, y)) = scan.quarter() {
        return When::Quarter {
            year: y.unwrap_or(year),
            quarter,
        };
    }
    if let Some((month, y)) = scan.month() {
        return When::Month {
            year: y.unwrap_or(year),
            month,
        };
    }
    if f.contains("hang nam") || f.contains("ca nam") || f.contains("trong nam") {
        return When::Year { year };
    }
    if let Some(y) = scan.explicit_year() {
        return When::Year { year: y };
    }
    if f.starts_with("nam ") {
        return When::Year { year };
    }
    if f.contains("dinh ky") || f.starts_with("bao cao") {
        return When::Periodic;
    }
    if f.contains("theo quy dinh")
        || f.contains("theo ke hoach")
        || f.contains("theo yeu cau")
        || f.contains("theo chi dao")
        || f.contains("theo huong dan")
        || f.contains("theo tien do")
    {
        return When::Reference {
            document: part.to_string(),
        };
    }
    When::Unspecified
}

/// Tokens of a folded text: runs of letters and digits, and single
/// punctuation characters (white space dropped).
struct Scan {
    toks: Vec<String>,
}

fn num(t: &str) -> Option<u32> {
    (t.len() <= 4 && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

fn year_num(t: &str) -> Option<i32> {
    (t.len() == 4)
        .then(|| num(t))
        .flatten()
        .filter(|y| (1990..=2100).contains(y))
        .map(|y| y as i32)
}

fn roman_or_digit(t: &str) -> Option<u32> {
    match t {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

const DATE_SEPS: [&str; 3] = ["/", "-", "."];

impl Scan {
    fn new(f: &str) -> Scan {
        let mut toks = Vec::new();
        let mut word = String::new();
        for c in f.chars() {
            if c.is_alphanumeric() {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                toks.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                toks.push(c.to_string());
            }
        }
        if !word.is_empty() {
            toks.push(word);
        }
        Scan { toks }
    }

    fn at(&self, i: usize) -> &str {
        self.toks.get(i).map(String::as_str).unwrap_or("")
    }

    /// `d/m/yyyy` (also `-`, `.`) or `ngày d tháng m năm yyyy`; `ngày d/m`
    /// or `trước d/m` without a year takes `year`.
    fn date(&self, year: i32) -> Option<NaiveDate> {
        (0..self.toks.len()).find_map(|i| self.date_at(i, year))
    }

    fn date_at(&self, i: usize, year: i32) -> Option<NaiveDate> {
        let d = num(self.at(i)).filter(|d| (1..=31).contains(d))?;
        if self.at(i + 1) == "thang" && self.at(i.wrapping_sub(1)) == "ngay" {
            let m = num(self.at(i + 2))?;
            let y = match (self.at(i + 3), year_num(self.at(i + 4))) {
                ("nam", Some(y)) => y,
                _ => year,
            };
            return NaiveDate::from_ymd_opt(y, m, d);
        }
        let sep = self.at(i + 1);
        if !DATE_SEPS.contains(&sep) || i > 0 && DATE_SEPS.contains(&self.at(i - 1)) {
            return None;
        }
        let m = num(self.at(i + 2)).filter(|m| (1..=12).contains(m))?;
        if self.at(i + 3) == sep {
            let y = year_num(self.at(i + 4))?;
            return NaiveDate::from_ymd_opt(y, m, d);
        }
        // `15/6` without a year, only after a word that introduces a date.
        let before = self.at(i.wrapping_sub(1));
        let introduced = i == 0 || ["ngay", "truoc", "den", "nhat", "han"].contains(&before);
        (sep == "/" && introduced && !DATE_SEPS.contains(&self.at(i + 3)))
            .then(|| NaiveDate::from_ymd_opt(year, m, d))
            .flatten()
    }

    /// A year written right after position `i`: `năm yyyy`, `/yyyy`, `-yyyy`,
    /// `, năm yyyy`.
    fn year_after(&self, i: usize) -> Option<i32> {
        let mut j = i;
        if self.at(j) == "," {
            j += 1;
        }
        match self.at(j) {
            "nam" | "/" | "-" => year_num(self.at(j + 1)),
            _ => None,
        }
    }

    /// `quý I` … `quý IV`, `quí 4`, with the year written after it if any.
    fn quarter(&self) -> Option<(u32, Option<i32>)> {
        (0..self.toks.len()).find_map(|i| {
            if !matches!(self.at(i), "quy" | "qui") {
                return None;
            }
            let q = roman_or_digit(self.at(i + 1))?;
            Some((q, self.year_after(i + 2)))
        })
    }

    /// `tháng 12`, `tháng 12/2026`; `6 tháng đầu năm` is June. Not "hằng
    /// tháng" nor "6 tháng cuối năm".
    fn month(&self) -> Option<(u32, Option<i32>)> {
        (0..self.toks.len()).find_map(|i| {
            if self.at(i) != "thang" || matches!(self.at(i.wrapping_sub(1)), "hang" | "moi") {
                return None;
            }
            if let Some(n) = num(self.at(i.wrapping_sub(1))) {
                // "6 tháng đầu năm" → June; "9 tháng" → September.
                let head = self.at(i + 1) == "dau" || self.at(i + 1) == "nam";
                return (head && (1..=12).contains(&n)).then_some((n, None));
            }
            let m = num(self.at(i + 1)).filter(|m| (1..=12).contains(m))?;
            Some((m, self.year_after(i + 2)))
        })
    }

    /// A year written after "năm" or after a quarter or month.
    fn stated_year(&self) -> Option<i32> {
        (1..self.toks.len()).find_map(|i| {
            let y = year_num(self.at(i))?;
            let prev = self.at(i - 1);
            let p2 = self.at(i.wrapping_sub(2));
            let after_period = matches!(prev, "/" | "-")
                && (roman_or_digit(p2).is_some() || num(p2).is_some_and(|m| m <= 12))
                && matches!(self.at(i.wrapping_sub(3)), "quy" | "qui" | "thang");
            (prev == "nam" || after_period).then_some(y)
        })
    }

    /// The year the text names: after "năm", after a quarter or month
    /// (`Quý I/2026`), the end of a range (`2026 - 2030`, `2026 đến 2030`), or
    /// a bare four-digit year. Years inside full dates and document numbers
    /// (`1648/QĐ-UBND`) are not it.
    fn explicit_year(&self) -> Option<i32> {
        let n = self.toks.len();
        let mut bare = None;
        for i in 0..n {
            let Some(y) = year_num(self.at(i)) else {
                continue;
            };
            let prev = self.at(i.wrapping_sub(1));
            if prev == "nam" {
                return Some(self.range_end(i).unwrap_or(y));
            }
            if DATE_SEPS.contains(&prev) || DATE_SEPS.contains(&self.at(i + 1)) {
                // `Quý I/2026`, `Tháng 12/2026`, `IV-2025`: a year; `31/12/2025`,
                // `1648/QĐ`: not one (a date is read by `date`).
                let p2 = self.at(i.wrapping_sub(2));
                let after_period = roman_or_digit(p2).is_some()
                    && matches!(self.at(i.wrapping_sub(3)), "quy" | "qui")
                    || num(p2).is_some_and(|m| (1..=12).contains(&m))
                        && self.at(i.wrapping_sub(3)) == "thang";
                if after_period {
                    return Some(y);
                }
                if let Some(end) = self.range_end(i) {
                    bare.get_or_insert(end);
                }
                continue;
            }
            bare.get_or_insert(self.range_end(i).unwrap_or(y));
        }
        bare
    }

    /// `2026 - 2030`, `2026 đến 2030`: the end year when `i` starts a range.
    fn range_end(&self, i: usize) -> Option<i32> {
        let start = year_num(self.at(i))?;
        let sep = self.at(i + 1);
        let joined = sep == "-" || sep == "–" || sep == "den" || sep == "/";
        let end = year_num(self.at(i + 2)).filter(|&e| e > start && joined)?;
        Some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::ymd;

    fn when(text: &str) -> Vec<When> {
        parse(text, 2024)
            .milestones
            .into_iter()
            .map(|m| m.when)
            .collect()
    }

    fn due(text: &str, year: i32) -> Vec<Option<NaiveDate>> {
        parse(text, year)
            .milestones
            .iter()
            .map(|m| m.due_by)
            .collect()
    }

    #[test]
    fn fixed_date_with_inconsistent_padding() {
        let d = parse("Chậm nhất là ngày 31/01/2024.", 2024);
        assert_eq!(d.milestones.len(), 1);
        assert_eq!(d.milestones[0].due_by, Some(ymd(2024, 1, 31)));
        assert_eq!(due("Trước ngày 30-6-2025", 2025), [Some(ymd(2025, 6, 30))]);
        assert_eq!(
            due("Trước ngày 15 tháng 11 năm 2025", 2025),
            [Some(ymd(2025, 11, 15))]
        );
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
    fn two_milestones_joined_by_va() {
        let d = parse("trước ngày 15/6/2026 và trước ngày 15/12/2026", 2026);
        let dues: Vec<_> = d.milestones.iter().map(|m| m.due_by).collect();
        assert_eq!(dues, [Some(ymd(2026, 6, 15)), Some(ymd(2026, 12, 15))]);
        assert_eq!(d.milestones[1].text, "trước ngày 15/12/2026");
        assert_eq!(
            due("Quý II và Quý IV năm 2025", 2024),
            [Some(ymd(2025, 6, 30)), Some(ymd(2025, 12, 31))]
        );
        assert_eq!(
            due("Trước ngày 15/6 và 15/12 hằng năm", 2026),
            [Some(ymd(2026, 6, 15)), Some(ymd(2026, 12, 15))]
        );
        // A comma inside one expression does not split it.
        assert_eq!(due("Quý III, năm 2024", 2023), [Some(ymd(2024, 9, 30))]);
    }

    #[test]
    fn quarters_in_every_spelling() {
        assert_eq!(due("Quý I/2026", 2025), [Some(ymd(2026, 3, 31))]);
        assert_eq!(due("Quý IV/2026", 2025), [Some(ymd(2026, 12, 31))]);
        assert_eq!(due("Quí IV-2025", 2024), [Some(ymd(2025, 12, 31))]);
        assert_eq!(due("Quý 2 năm 2025", 2024), [Some(ymd(2025, 6, 30))]);
        assert_eq!(due("Trong Quý III", 2025), [Some(ymd(2025, 9, 30))]);
        assert_eq!(
            when("Quý I/2026"),
            [When::Quarter {
                year: 2026,
                quarter: 1
            }]
        );
    }

    #[test]
    fn months_years_and_ranges() {
        assert_eq!(due("Tháng 12/2026", 2025), [Some(ymd(2026, 12, 31))]);
        assert_eq!(due("Tháng 12 hằng năm", 2025), [Some(ymd(2025, 12, 31))]);
        assert_eq!(due("2025", 2024), [Some(ymd(2025, 12, 31))]);
        assert_eq!(due("Năm 2025", 2024), [Some(ymd(2025, 12, 31))]);
        assert_eq!(due("2026 - 2030", 2026), [Some(ymd(2030, 12, 31))]);
        assert_eq!(due("Giai đoạn 2026-2030", 2026), [Some(ymd(2030, 12, 31))]);
        assert_eq!(
            due("Năm 2025 và các năm tiếp theo", 2025),
            [Some(ymd(2025, 12, 31))]
        );
        assert_eq!(due("6 tháng đầu năm 2025", 2025), [Some(ymd(2025, 6, 30))]);
        assert_eq!(due("hằng năm", 2027), [Some(ymd(2027, 12, 31))]);
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
        assert_eq!(when("Hằng quý"), [When::Quarterly { year: 2024 }]);
        assert_eq!(
            parse("hằng quý", 2026).milestones[0].when,
            When::Quarterly { year: 2026 }
        );
        assert_eq!(
            when("Thực hiện thường xuyên"),
            [When::Ongoing { year: 2024 }]
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
        assert_eq!(d.milestones.len(), 1);
        assert!(matches!(d.milestones[0].when, When::Ongoing { .. }));
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

    #[test]
    fn document_numbers_are_not_years_or_dates() {
        assert_eq!(when("Sau khi có Quyết định 34/2022"), [When::Unspecified]);
        assert!(parse("", 2024).milestones.is_empty());
        // Absurd numbers never panic.
        let _ = parse("ngày 99 tháng 99 năm 9999; Quý 9/0000; 31/02/2024", 2024);
    }
}
