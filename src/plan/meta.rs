//! The plan's own metadata — number, date, issuer, title and year — read
//! from the document's head as printed: the attached-plan line ("Ban hành
//! kèm theo Quyết định số … ngày … của …"), or the header of a plan issued on
//! its own ("ỦY BAN NHÂN DÂN TỈNH … / Số: …/KH-UBND / …, ngày … tháng … năm …"),
//! and the title ("KẾ HOẠCH / Cải cách hành chính năm 2025").

use super::deadline;
use super::model::{PlanMeta, When};
use crate::text::{clean, fold};

/// How many leading lines hold the head of a document.
const HEAD_LINES: usize = 120;

/// Reads the metadata; `year` is `None` when the document names none.
pub fn read(lines: &[&str]) -> (PlanMeta, bool) {
    let head: Vec<String> = lines
        .iter()
        .take(HEAD_LINES)
        .flat_map(|l| l.split(['\t', '|']))
        .map(clean)
        .filter(|l| !l.is_empty())
        .collect();
    let mut meta = PlanMeta::default();
    attached_to(&head, &mut meta);
    if meta.decision_number.is_none() {
        meta.decision_number = own_number(&head);
    }
    if meta.decision_date.is_none() {
        meta.decision_date = place_date(&head);
    }
    if meta.issuer.is_none() {
        meta.issuer = header_issuer(&head);
    }
    meta.title = title(&head);
    let year = year_of(&meta.title)
        .or_else(|| head.iter().find_map(|l| reform_year(l)))
        .or_else(|| {
            meta.decision_date.map(|d| {
                use chrono::Datelike;
                // A plan signed in the last quarter is for the next year.
                d.year() + i32::from(d.month() >= 10)
            })
        });
    meta.year = year.unwrap_or(2024);
    (meta, year.is_some())
}

/// "(Ban hành kèm theo Quyết định số 1879/QĐ-UBND ngày 15/12/2023 của Chủ tịch UBND tỉnh Quảng Ngãi)".
fn attached_to(head: &[String], meta: &mut PlanMeta) {
    for l in head {
        let f = fold(l);
        let Some(at) = ["kem theo quyet dinh so", "kem theo quyet dinh"]
            .iter()
            .find_map(|k| f.find(k).map(|i| i + k.len()))
        else {
            continue;
        };
        let after = chars_from(l, f[..at].chars().count());
        let number = after.split_whitespace().next().filter(|n| n.contains('/'));
        let Some(number) = number else { continue };
        meta.decision_number = Some(number.trim_end_matches([',', '.', ')']).to_string());
        meta.decision_date = first_date(&after);
        if let Some(i) = f.find(" cua ") {
            let issuer = chars_from(l, f[..i + 5].chars().count());
            meta.issuer = Some(issuer.trim_end_matches([')', '.']).trim().to_string());
        }
        return;
    }
}

/// "Số: 256/KH-UBND" in the header.
fn own_number(head: &[String]) -> Option<String> {
    head.iter().take(30).find_map(|l| {
        let f = fold(l);
        let rest = f.strip_prefix("so")?;
        let rest = rest.trim_start_matches([':', ' ', '.']);
        let n = rest.split_whitespace().next()?;
        if !n.contains('/') || !n.starts_with(|c: char| c.is_ascii_digit() || c == '/') {
            return None;
        }
        // The same token in the original spelling (đ, Đ kept).
        let start = l.chars().count() - rest.chars().count();
        let orig: String = l.chars().skip(start).take(n.chars().count()).collect();
        Some(orig.trim_end_matches([',', '.', ';']).to_string())
    })
}

/// "Lai Châu, ngày 20 tháng 12 năm 2024".
fn place_date(head: &[String]) -> Option<chrono::NaiveDate> {
    head.iter().take(40).find_map(|l| {
        let f = fold(l);
        let dated = f.contains(", ngay ") || f.starts_with("ngay ");
        (dated && f.contains("thang") && l.chars().count() < 90)
            .then(|| first_date(l))
            .flatten()
    })
}

/// "ỦY BAN NHÂN DÂN / TỈNH LAI CHÂU" → "Ủy ban nhân dân tỉnh Lai Châu".
fn header_issuer(head: &[String]) -> Option<String> {
    let is_body = |f: &str| {
        [
            "uy ban nhan dan",
            "ubnd",
            "van phong",
            "thu tuong",
            "chu tich",
            "bo ",
            "so ",
        ]
        .iter()
        .any(|k| f.starts_with(k))
    };
    let upper = |l: &str| l.chars().any(char::is_alphabetic) && l.to_uppercase() == l;
    for (i, l) in head.iter().take(8).enumerate() {
        let f = fold(l);
        if !upper(l) || !is_body(&f) || f.starts_with("cong hoa") {
            continue;
        }
        let mut name = l.clone();
        if let Some(next) = head.get(i + 1) {
            let nf = fold(next);
            let place = ["tinh ", "thanh pho ", "huyen ", "xa ", "phuong "];
            if upper(next) && place.iter().any(|p| nf.starts_with(p)) {
                name = format!("{name} {next}");
            }
        }
        return Some(sentence_case_first(&name));
    }
    None
}

/// The title: the line after "KẾ HOẠCH" (and any continuing capitals), or a
/// line that is itself "Kế hoạch … năm yyyy".
fn title(head: &[String]) -> String {
    for (i, l) in head.iter().enumerate() {
        let f = fold(l);
        if f == "ke hoach" {
            let mut parts = Vec::new();
            for next in head.iter().skip(i + 1).take(3) {
                let upper = |s: &str| s.to_uppercase() == s;
                let heading = next.split_once(". ").is_some_and(|(n, _)| {
                    !n.is_empty() && n.chars().all(|c| "IVX0123456789".contains(c))
                });
                let joins = parts
                    .last()
                    .is_none_or(|p: &String| upper(p) && upper(next));
                if next.starts_with('(') || heading || !joins {
                    break;
                }
                parts.push(next.clone());
            }
            return format!("Kế hoạch {}", sentence_case(&parts.join(" ")))
                .trim()
                .to_string();
        }
        if f.starts_with("ke hoach ") && f.contains("cai cach") && year_of(l).is_some() {
            return sentence_case_first(l);
        }
    }
    String::new()
}

/// A line about the reform naming a year: "… cải cách hành chính năm 2025 …".
fn reform_year(l: &str) -> Option<i32> {
    let f = fold(l);
    (f.contains("cai cach hanh chinh") && !f.starts_with("can cu"))
        .then(|| year_of(l))
        .flatten()
}

/// The year after "năm" in a text.
pub fn year_of(t: &str) -> Option<i32> {
    let f = fold(t);
    let w: Vec<&str> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    w.windows(2)
        .find(|p| p[0] == "nam" && p[1].len() == 4)
        .and_then(|p| p[1].parse().ok())
        .filter(|y| (1990..=2100).contains(y))
}

fn chars_from(l: &str, chars: usize) -> String {
    l.chars().skip(chars).collect()
}

fn first_date(s: &str) -> Option<chrono::NaiveDate> {
    deadline::parse(s, 2000)
        .milestones
        .iter()
        .find_map(|m| match m.when {
            When::Date { date } => Some(date),
            _ => None,
        })
}

/// "Kế hoạch CẢI CÁCH …" → first letter kept, the rest through [`sentence_case`].
fn sentence_case_first(s: &str) -> String {
    let lower = sentence_case(s);
    let mut c = lower.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Words kept in capitals.
const ABBREVIATIONS: [&str; 8] = ["ubnd", "hdnd", "cchc", "tthc", "pci", "par", "sipas", "qd"];

/// "CẢI CÁCH HÀNH CHÍNH NĂM 2024 TỈNH QUẢNG NGÃI" → "cải cách hành chính năm
/// 2024 tỉnh Quảng Ngãi" (words after "tỉnh"/"thành phố" keep a capital).
/// Text already in mixed case is kept as it is.
pub fn sentence_case(s: &str) -> String {
    if s.to_uppercase() != s {
        return s.to_string();
    }
    let mut out = Vec::new();
    let mut proper = false;
    for w in s.split_whitespace() {
        let lower = w.to_lowercase();
        if ABBREVIATIONS.contains(&fold(w).as_str()) {
            out.push(w.to_string());
        } else if proper {
            let mut c = lower.chars();
            out.push(
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default(),
            );
        } else {
            out.push(lower.clone());
        }
        if matches!(
            fold(&lower).as_str(),
            "tinh" | "pho" | "huyen" | "xa" | "phuong"
        ) {
            proper = true;
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::ymd;

    fn meta(text: &str) -> PlanMeta {
        let lines: Vec<&str> = text.lines().collect();
        read(&lines).0
    }

    #[test]
    fn a_plan_issued_on_its_own() {
        let m = meta("ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\n-------\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 256/KH-UBND\tLai Châu, ngày 20 tháng 12 năm 2024\nKẾ HOẠCH\nCải cách hành chính năm 2025\nI. MỤC ĐÍCH, YÊU CẦU\n");
        assert_eq!(m.decision_number.as_deref(), Some("256/KH-UBND"));
        assert_eq!(m.decision_date, Some(ymd(2024, 12, 20)));
        assert_eq!(m.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Lai Châu"));
        assert_eq!(m.year, 2025);
        assert_eq!(m.title, "Kế hoạch Cải cách hành chính năm 2025");
    }

    #[test]
    fn copied_with_pipes_and_one_line_title() {
        let m = meta("| UBND TỈNH BẮC NINH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n| Số: 12/KH-UBND | Bắc Ninh, ngày 05 tháng 01 năm 2026 |\nKẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC NĂM 2026\n");
        assert_eq!(m.decision_number.as_deref(), Some("12/KH-UBND"));
        assert_eq!(m.decision_date, Some(ymd(2026, 1, 5)));
        assert_eq!(m.year, 2026);
        assert_eq!(m.issuer.as_deref(), Some("UBND tỉnh Bắc Ninh"));
    }

    #[test]
    fn year_from_the_signing_date_when_no_title_names_one() {
        let (m, found) = read(&["Số: 9/KH-UBND", "Hà Nội, ngày 28 tháng 11 năm 2025"]);
        assert_eq!(m.year, 2026);
        assert!(found);
        let (_, found) = read(&["Biên bản"]);
        assert!(!found);
    }
}
