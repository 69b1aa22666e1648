//! Wording rules the report's text is made with: short task titles that are
//! never cut mid-sentence, whole cleaned sentences from returns (fragments
//! dropped), how significant a sentence is, grouping texts by theme, and who
//! a proposal is addressed to. Pure functions on strings, tested here.

use crate::text::fold;

/// Longest short title taken from a plan sentence before cutting at a clause.
const TITLE_MAX: usize = 140;
/// Shortest piece a cut may leave.
const TITLE_MIN: usize = 40;

/// A task's short title: the plan's first sentence, or its first clause when
/// that sentence is long (cut at a comma or semicolon, or before a linking
/// word such as "theo", "để"), never with "…".
pub fn short_title(content: &str) -> String {
    let content = content.trim();
    let first = first_sentence(content);
    let first = first.split(';').next().unwrap_or(first).trim();
    let first = first.trim_end_matches(['.', ',', ':', ';']).trim();
    if first.chars().count() <= TITLE_MAX {
        return first.to_string();
    }
    let limit = byte_at(first, TITLE_MAX);
    let min = byte_at(first, TITLE_MIN);
    let head = &first[..limit];
    for sep in [": ", ", "] {
        if let Some(i) = head.rfind(sep).filter(|i| *i >= min) {
            return without_dangling_tail(&first[..i]);
        }
    }
    for w in [
        " theo ",
        " để ",
        " nhằm ",
        " đảm bảo ",
        " bảo đảm ",
        " ban hành ",
        " trong ",
        " tại ",
        " đối với ",
        " về ",
    ] {
        if let Some(i) = head.rfind(w).filter(|i| *i >= min) {
            return first[..i].to_string();
        }
    }
    first.to_string()
}

/// Drops linking words a cut leaves at the end ("… doanh nghiệp đối với").
fn without_dangling_tail(s: &str) -> String {
    let mut out = s.trim().to_string();
    loop {
        let Some((head, last)) = out.rsplit_once(' ') else {
            return out;
        };
        let tail2 = head.rsplit_once(' ').map(|(_, w)| format!("{w} {last}"));
        if tail2.as_deref() == Some("đối với") {
            out = head
                .rsplit_once(' ')
                .map(|(h, _)| h)
                .unwrap_or(head)
                .to_string();
        } else if DANGLING.contains(&last) || last == "như" {
            out = head.to_string();
        } else {
            return out;
        }
    }
}

/// Byte offset of the `n`th character (or the end).
fn byte_at(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map(|(i, _)| i).unwrap_or(s.len())
}

/// The text up to the first full stop that ends a sentence (". " followed by
/// an upper-case letter, or the end).
fn first_sentence(s: &str) -> &str {
    let mut from = 0;
    while let Some(i) = s[from..].find(". ") {
        let at = from + i;
        let next = s[at + 2..].chars().next();
        if next.is_some_and(|c| c.is_uppercase()) {
            return &s[..at];
        }
        from = at + 2;
    }
    s
}

/// Words that cannot end a sentence: a sentence ending on one was cut off
/// ("… theo quy.", "… của."). Compared exactly (lower case), not folded, so
/// that "liên thông" or "giải quyết" still end a sentence.
const DANGLING: [&str; 21] = [
    "của", "và", "các", "theo", "về", "cho", "với", "trong", "được", "những", "để", "tại", "từ",
    "quy", "đến", "hoặc", "là", "trên", "nhằm", "đối", "gồm",
];

/// First syllables of document types ("Quyết định", "Kế hoạch"): capitalised
/// at the end of a sentence they mean the text was cut.
const DANGLING_CAPS: [&str; 7] = ["Quyết", "Nghị", "Kế", "Chỉ", "Thông", "Công", "Chương"];

/// Splits a returned text into whole, cleaned sentences: white space and
/// doubled punctuation tidied, each ending with a full stop; fragments
/// (text cut mid-word or mid-list, a bare heading) are left out.
pub fn sentences(text: &str) -> Vec<String> {
    let text = crate::text::clean(text);
    let mut out = Vec::new();
    for piece in split_sentences(&text) {
        let s = tidy(piece);
        if s.is_empty() || is_fragment(&s) {
            continue;
        }
        let mut s = upper_initial(&s);
        s.push('.');
        out.push(s);
    }
    out
}

fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let end_here = match c {
            ';' => true,
            '.' => {
                let next = text[i + 1..].chars().next();
                let prev_digit = i > 0 && bytes[i - 1].is_ascii_digit();
                let next_digit = next.is_some_and(|c| c.is_ascii_digit());
                // "1.234", "Nghị định 45/2020." keep numbers whole.
                !(prev_digit && next_digit) && next.is_none_or(|c| c == ' ')
            }
            _ => false,
        };
        if end_here {
            out.push(&text[start..i]);
            start = i + 1;
        }
    }
    out.push(&text[start..]);
    out
}

/// Trims a sentence and removes doubled or dangling punctuation.
fn tidy(s: &str) -> String {
    let mut s = s.trim().to_string();
    for (from, to) in [
        (",,", ","),
        (" ,", ","),
        (",.", "."),
        (",;", ";"),
        (",)", ")"),
        ("( ", "("),
        (" )", ")"),
        ("..", "."),
    ] {
        while s.contains(from) {
            s = s.replace(from, to);
        }
    }
    s.trim_matches(|c: char| c == ',' || c == ';' || c == ':' || c == '-' || c.is_whitespace())
        .to_string()
}

/// A piece that is not a sentence: too short, ending on a syllable that
/// cannot end one, on a conjunction before a cut list, or with an opening
/// bracket left open.
fn is_fragment(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < 4 {
        return true;
    }
    let last = words[words.len() - 1].trim_end_matches(['.', ',', ';', ':']);
    if DANGLING.contains(&last) || DANGLING_CAPS.contains(&last) {
        return true;
    }
    if s.matches('(').count() != s.matches(')').count() {
        return true;
    }
    // "… kết quả trong kỳ: các văn bản" says nothing after its colon.
    if let Some((_, after)) = s.split_once(": ") {
        if after.split_whitespace().count() < 4 {
            return true;
        }
    }
    false
}

pub fn upper_initial(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Keep acronyms ("UBND", "TTHC") and names as written.
        Some(_) if c.clone().next().is_some_and(|n| n.is_uppercase()) => s.to_string(),
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// How much a sentence says: document numbers, dates and figures weigh most,
/// stock phrases nothing.
pub fn significance(s: &str) -> usize {
    let f = fold(s);
    const STOCK: [&str; 6] = [
        "da phoi hop",
        "da cu can bo",
        "thuc hien thuong xuyen; trong ky da trien khai day du",
        "duy tri thuc hien thuong xuyen",
        "trien khai day du cac noi dung duoc giao",
        "dung noi dung ke hoach",
    ];
    if STOCK.iter().any(|k| f.contains(k)) {
        return 0;
    }
    let mut score = 1;
    let has_doc = s
        .split_whitespace()
        .any(|w| w.contains('/') && w.chars().next().is_some_and(|c| c.is_ascii_digit()));
    if has_doc {
        score += 4;
    }
    let digits = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| !d.is_empty())
        .count();
    score += digits.min(4);
    if s.contains('%') {
        score += 2;
    }
    score
}

/// A theme texts are grouped under (configured keywords, folded).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Theme {
    /// "Đào tạo, bồi dưỡng".
    pub ten: String,
    pub tu_khoa: Vec<String>,
}

/// Index of the first theme whose keyword the text contains.
pub fn theme_of(themes: &[Theme], text: &str) -> Option<usize> {
    let f = fold(text);
    themes
        .iter()
        .position(|t| t.tu_khoa.iter().any(|k| f.contains(&fold(k))))
}

/// Who a proposal is addressed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addressee {
    /// A central body (Bộ Nội vụ, a ministry, Chính phủ): section V.
    Upward,
    /// The province or one of its bodies, or nobody named: section IV, as a
    /// direction ("UBND tỉnh chỉ đạo / giao …").
    Province,
}

/// Folded keywords naming central bodies (configurable).
pub fn addressee(upward: &[String], text: &str) -> Addressee {
    let f = format!(" {} ", fold(text));
    if upward.iter().any(|k| f.contains(&fold(k))) {
        Addressee::Upward
    } else {
        Addressee::Province
    }
}

/// The request itself, without its opening verb: "Đề nghị Sở Nội vụ tổ chức
/// tập huấn." → "Sở Nội vụ tổ chức tập huấn".
pub fn request(text: &str) -> String {
    let t = crate::text::clean(text);
    let t = t.trim_end_matches(['.', ';']).trim();
    let f = fold(t);
    for lead in [
        "de nghi ",
        "kien nghi ",
        "de xuat ",
        "xin ",
        "mong ",
        "can ",
    ] {
        if f.starts_with(lead) {
            let n = lead.trim_end().chars().count();
            let rest: String = t.chars().skip(n).collect();
            return rest.trim().to_string();
        }
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_titles_end_at_a_clause_never_with_an_ellipsis() {
        let t = short_title("Tiếp tục nâng cao chất lượng công tác soạn thảo, thẩm định văn bản quy phạm pháp luật thuộc thẩm quyền ban hành của HĐND và UBND các cấp, đảm bảo đúng trình tự, thủ tục theo quy định của pháp luật và Chỉ thị số 05/CT-UBND ngày 24/3/2022 của Chủ tịch UBND tỉnh.");
        assert_eq!(t, "Tiếp tục nâng cao chất lượng công tác soạn thảo, thẩm định văn bản quy phạm pháp luật thuộc thẩm quyền ban hành của HĐND và UBND các cấp");
        let t = short_title(
            "Triển khai thực hiện thống kê, công bố, công khai TTHC nội bộ; tổ chức rà soát.",
        );
        assert_eq!(
            t,
            "Triển khai thực hiện thống kê, công bố, công khai TTHC nội bộ"
        );
        assert_eq!(
            short_title("Thực hiện tinh giản biên chế theo Nghị định của Chính phủ."),
            "Thực hiện tinh giản biên chế theo Nghị định của Chính phủ"
        );
        assert_eq!(
            short_title("Áp dụng Nghị định số 45/2020/NĐ-CP ngày 08/4/2020. Tăng cường"),
            "Áp dụng Nghị định số 45/2020/NĐ-CP ngày 08/4/2020"
        );
    }

    #[test]
    fn sentences_are_whole_and_cleaned() {
        assert_eq!(
            sentences("Đã ban hành kế hoạch về nhiệm vụ rà soát,; triển khai đến các phòng, đơn vị trực thuộc."),
            vec!["Đã ban hành kế hoạch về nhiệm vụ rà soát.", "Triển khai đến các phòng, đơn vị trực thuộc."]
        );
        assert!(sentences("Thực hiện thường xuyên, kết quả trong kỳ: 100% văn bản được ban hành đúng thẩm quyền, trình tự, thủ tục theo quy.").is_empty());
        assert!(sentences("Thực hiện thường xuyên, kết quả trong kỳ: các văn bản.").is_empty());
        assert_eq!(
            sentences("  đã  tiếp nhận 1.234 hồ sơ,, giải quyết 98,5% đúng hạn "),
            vec!["Đã tiếp nhận 1.234 hồ sơ, giải quyết 98,5% đúng hạn."]
        );
        assert!(sentences("Nghị quyết của HĐND tỉnh, Quyết định của UBND tỉnh, Quyết.").is_empty());
        assert_eq!(
            sentences(
                "Hạ tầng công nghệ thông tin chưa đồng bộ, phần mềm chưa kết nối liên thông."
            ),
            vec!["Hạ tầng công nghệ thông tin chưa đồng bộ, phần mềm chưa kết nối liên thông."]
        );
        assert_eq!(
            short_title("Triển khai đánh giá, đo lường mức độ hài lòng của người dân, tổ chức, doanh nghiệp đối với: Dịch vụ khám, chữa bệnh do Bệnh viện Đa khoa tỉnh; Bệnh viện Sản - Nhi và Trung tâm y tế các huyện, thành phố thực hiện, cung cấp."),
            "Triển khai đánh giá, đo lường mức độ hài lòng của người dân, tổ chức, doanh nghiệp"
        );
    }

    #[test]
    fn significance_prefers_documents_and_figures() {
        let doc = significance("Đã ban hành Kế hoạch số 12/KH-UBND ngày 05/02/2024.");
        let fig = significance("Đã tiếp nhận 1.234 hồ sơ, giải quyết 98,5% đúng hạn.");
        let plain = significance("Đã triển khai kế hoạch đến các phòng, đơn vị trực thuộc.");
        let stock = significance("Đã phối hợp với SNV cung cấp thông tin, số liệu theo yêu cầu.");
        assert!(
            doc > plain && fig > plain && plain > stock,
            "{doc} {fig} {plain} {stock}"
        );
    }

    #[test]
    fn proposals_are_sorted_by_addressee() {
        let up: Vec<String> = ["bộ nội vụ", "chính phủ", "đề nghị bộ ", "trung ương"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            addressee(&up, "Đề nghị Bộ Nội vụ ban hành hướng dẫn."),
            Addressee::Upward
        );
        assert_eq!(
            addressee(&up, "Đề nghị Sở Nội vụ tổ chức tập huấn cho cán bộ."),
            Addressee::Province
        );
        assert_eq!(
            request("Đề nghị Sở Nội vụ tổ chức tập huấn."),
            "Sở Nội vụ tổ chức tập huấn"
        );
    }
}
