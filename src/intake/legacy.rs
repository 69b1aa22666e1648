//! Legacy Vietnamese encodings read as if they were Unicode: TCVN3/ABC
//! (fonts `.VnTime`; `Së Néi vô`) and VNI (`Xin chaøo`). Detection and
//! conversion to NFC Unicode.
//!
//! Several TCVN3 and VNI code points are also ordinary Vietnamese letters
//! (`á`, `ô`, `é`…), so a text is only suspected when (1) it holds no letter
//! that exists only in Vietnamese Unicode (`ơ ư ă đ` and U+1EA0–U+1EF9), and
//! (2) it holds a character no Vietnamese Unicode text uses (`¶ · ¸ µ ë ø û
//! ï`…). The conversion must then produce Vietnamese letters only. Real
//! Unicode Vietnamese text of any length contains (1) and never (2): the
//! whole seed plan gives zero detections (tested).

use unicode_normalization::UnicodeNormalization;

/// Which legacy encoding a text was typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    Tcvn3,
    Vni,
}

impl Legacy {
    pub fn label(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3 (ABC, phông .VnTime)",
            Legacy::Vni => "VNI (phông VNI-Times)",
        }
    }
}

/// TCVN3 code points (as Latin-1 characters) and the Unicode letters.
const TCVN3: &[(char, char)] = &[
    ('µ', 'à'),
    ('¸', 'á'),
    ('¶', 'ả'),
    ('·', 'ã'),
    ('¹', 'ạ'),
    ('¨', 'ă'),
    ('»', 'ằ'),
    ('¾', 'ắ'),
    ('¼', 'ẳ'),
    ('½', 'ẵ'),
    ('Æ', 'ặ'),
    ('©', 'â'),
    ('Ç', 'ầ'),
    ('Ê', 'ấ'),
    ('È', 'ẩ'),
    ('É', 'ẫ'),
    ('Ë', 'ậ'),
    ('®', 'đ'),
    ('Ì', 'è'),
    ('Ð', 'é'),
    ('Î', 'ẻ'),
    ('Ï', 'ẽ'),
    ('Ñ', 'ẹ'),
    ('ª', 'ê'),
    ('Ò', 'ề'),
    ('Õ', 'ế'),
    ('Ó', 'ể'),
    ('Ô', 'ễ'),
    ('Ö', 'ệ'),
    ('×', 'ì'),
    ('Ý', 'í'),
    ('Ø', 'ỉ'),
    ('Ü', 'ĩ'),
    ('Þ', 'ị'),
    ('ß', 'ò'),
    ('ã', 'ó'),
    ('á', 'ỏ'),
    ('â', 'õ'),
    ('ä', 'ọ'),
    ('«', 'ô'),
    ('å', 'ồ'),
    ('è', 'ố'),
    ('æ', 'ổ'),
    ('ç', 'ỗ'),
    ('é', 'ộ'),
    ('¬', 'ơ'),
    ('ê', 'ờ'),
    ('í', 'ớ'),
    ('ë', 'ở'),
    ('ì', 'ỡ'),
    ('î', 'ợ'),
    ('ï', 'ù'),
    ('ó', 'ú'),
    ('ñ', 'ủ'),
    ('ò', 'ũ'),
    ('ô', 'ụ'),
    ('\u{ad}', 'ư'),
    ('õ', 'ừ'),
    ('ø', 'ứ'),
    ('ö', 'ử'),
    ('÷', 'ữ'),
    ('ù', 'ự'),
    ('ú', 'ỳ'),
    ('ý', 'ý'),
    ('û', 'ỷ'),
    ('ü', 'ỹ'),
    ('þ', 'ỵ'),
    ('¡', 'Ă'),
    ('¢', 'Â'),
    ('§', 'Đ'),
    ('£', 'Ê'),
    ('¤', 'Ô'),
    ('¥', 'Ơ'),
    ('¦', 'Ư'),
];

/// Latin-1 letters that Vietnamese Unicode text uses itself.
const VIETNAMESE_LATIN1: &str = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý";

/// Strong VNI marks: never in Vietnamese Unicode text.
const VNI_STRONG: &str = "øûïåäëüöæñÑØÛÏÅÄËÜÖÆ";

fn is_vietnamese_only(c: char) -> bool {
    matches!(
        c,
        'ă' | 'Ă' | 'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | 'ĩ' | 'Ĩ' | 'ũ' | 'Ũ'
    ) || ('\u{1EA0}'..='\u{1EF9}').contains(&c)
        || ('\u{300}'..='\u{323}').contains(&c)
}

fn tcvn3(c: char) -> Option<char> {
    TCVN3.iter().find(|(k, _)| *k == c).map(|(_, v)| *v)
}

fn is_tcvn3_strong(c: char) -> bool {
    tcvn3(c).is_some() && !VIETNAMESE_LATIN1.contains(c) && c != '«' && c != '»'
}

const VNI_MARK: u8 = 1;
const TCVN3_MARK: u8 = 2;

/// For U+0080–U+00FF (where every strong mark is): whether the character
/// is a strong VNI mark, a strong TCVN3 one, or both.
fn strong_marks() -> &'static [u8; 128] {
    static MARKS: std::sync::OnceLock<[u8; 128]> = std::sync::OnceLock::new();
    MARKS.get_or_init(|| {
        std::array::from_fn(|i| {
            let c = char::from_u32(0x80 + i as u32).unwrap_or(' ');
            u8::from(VNI_STRONG.contains(c)) * VNI_MARK + u8::from(is_tcvn3_strong(c)) * TCVN3_MARK
        })
    })
}

/// Detects a legacy encoding and returns it with the converted text.
pub fn detect(s: &str) -> Option<(Legacy, String)> {
    if s.is_ascii() {
        return None;
    }
    // One pass: a Vietnamese-only letter ends it; the strong marks seen
    // (all Latin-1) are noted from a table.
    let marks = strong_marks();
    let (mut vni, mut tcvn3) = (false, false);
    for c in s.chars() {
        if is_vietnamese_only(c) {
            return None;
        }
        if let Some(&m) = (c as usize).checked_sub(0x80).and_then(|i| marks.get(i)) {
            vni |= m & VNI_MARK != 0;
            tcvn3 |= m & TCVN3_MARK != 0;
        }
    }
    if vni {
        if let Some(out) = from_vni(s).filter(|o| looks_vietnamese(o)) {
            return Some((Legacy::Vni, out));
        }
    }
    if tcvn3 {
        let out = from_tcvn3(s);
        if looks_vietnamese(&out) {
            return Some((Legacy::Tcvn3, out));
        }
    }
    None
}

/// True when every non-ASCII letter of `s` is a Vietnamese letter.
fn looks_vietnamese(s: &str) -> bool {
    let vietnamese = |c: char| is_vietnamese_only(c) || VIETNAMESE_LATIN1.contains(c);
    s.chars().any(vietnamese)
        && s.chars()
            .filter(|c| !c.is_ascii())
            .all(|c| vietnamese(c) || (!c.is_alphabetic() && c != '\u{ad}'))
}

/// Converts TCVN3 text (read as Latin-1) to NFC Unicode.
pub fn from_tcvn3(s: &str) -> String {
    s.chars()
        .map(|c| tcvn3(c).unwrap_or(c))
        .collect::<String>()
        .nfc()
        .collect()
}

/// Combining marks for a VNI mark character following a vowel.
fn vni_mark(c: char) -> Option<&'static str> {
    Some(match c.to_lowercase().next()? {
        'ù' => "\u{301}",
        'ø' => "\u{300}",
        'û' => "\u{309}",
        'õ' => "\u{303}",
        'ï' => "\u{323}",
        'â' => "\u{302}",
        'á' => "\u{302}\u{301}",
        'à' => "\u{302}\u{300}",
        'å' => "\u{302}\u{309}",
        'ã' => "\u{302}\u{303}",
        'ä' => "\u{302}\u{323}",
        'ê' => "\u{306}",
        'é' => "\u{306}\u{301}",
        'è' => "\u{306}\u{300}",
        'ú' => "\u{306}\u{309}",
        'ü' => "\u{306}\u{303}",
        'ë' => "\u{306}\u{323}",
        _ => return None,
    })
}

/// VNI single characters.
fn vni_single(c: char) -> Option<char> {
    Some(match c {
        'ô' => 'ơ',
        'Ô' => 'Ơ',
        'ö' => 'ư',
        'Ö' => 'Ư',
        'ñ' => 'đ',
        'Ñ' => 'Đ',
        'æ' => 'ỉ',
        'Æ' => 'Ỉ',
        'ó' => 'ĩ',
        'Ó' => 'Ĩ',
        'ò' => 'ị',
        'Ò' => 'Ị',
        _ => return None,
    })
}

fn is_vowel(c: char) -> bool {
    "aeiouyAEIOUYơưƠƯ".contains(c)
}

/// Converts VNI text (read as Latin-1) to NFC Unicode; `None` when a mark
/// character follows no vowel (not VNI after all).
pub fn from_vni(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    for c in s.chars() {
        let after_vowel = prev.is_some_and(is_vowel);
        if let (true, Some(mark)) = (after_vowel, vni_mark(c)) {
            out.push_str(mark);
            prev = Some('·');
            continue;
        }
        if VNI_STRONG.contains(c) && vni_single(c).is_none() {
            return None;
        }
        let m = vni_single(c).unwrap_or(c);
        out.push(m);
        prev = Some(m);
    }
    Some(out.nfc().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_examples_are_converted() {
        for (legacy, unicode) in [
            ("Qu¶ng Ng·i", "Quảng Ngãi"),
            ("Së Néi vô", "Sở Nội vụ"),
            ("C¶i c¸ch hµnh chÝnh", "Cải cách hành chính"),
            ("§· hoµn thµnh", "Đã hoàn thành"),
        ] {
            assert_eq!(
                detect(legacy),
                Some((Legacy::Tcvn3, unicode.to_string())),
                "{legacy}"
            );
        }
    }

    #[test]
    fn vni_examples_are_converted() {
        assert_eq!(
            detect("Xin chaøo"),
            Some((Legacy::Vni, "Xin chào".to_string()))
        );
        assert_eq!(
            detect("Ñaõ hoaøn thaønh"),
            Some((Legacy::Vni, "Đã hoàn thành".to_string()))
        );
        assert_eq!(
            detect("Sôû Noäi vuï"),
            Some((Legacy::Vni, "Sở Nội vụ".to_string()))
        );
    }

    #[test]
    fn unicode_and_foreign_text_are_left_alone() {
        for s in [
            "Sở Nội vụ",
            "Cải cách hành chính",
            "Hoàn thành",
            "chính",
            "Quyết định số 1879/QĐ-UBND",
            "Café au lait",
            "30°C",
            "«Nhiệm vụ»",
            "",
            "ABC",
        ] {
            assert_eq!(detect(s), None, "{s}");
        }
    }

    #[test]
    fn the_mark_table_says_what_the_character_tests_say() {
        // The tests the table stands for, character by character.
        let vni = |s: &str| s.chars().any(|c| VNI_STRONG.contains(c));
        let tcvn3 = |s: &str| s.chars().any(is_tcvn3_strong);
        for u in 0x80..0x180u32 {
            let c = char::from_u32(u).unwrap();
            for s in [format!("Xin chao{c}"), format!("{c}o ai")] {
                let marks = strong_marks();
                let m = marks.get(u as usize - 0x80).copied().unwrap_or(0);
                assert_eq!(m & VNI_MARK != 0, vni(&s), "U+{u:04X}");
                assert_eq!(m & TCVN3_MARK != 0, tcvn3(&s), "U+{u:04X}");
                // Detection then agrees with converting whenever a mark says so.
                let expected = if vni(&s) {
                    from_vni(&s)
                        .filter(|o| looks_vietnamese(o))
                        .map(|o| (Legacy::Vni, o))
                } else {
                    None
                }
                .or_else(|| {
                    tcvn3(&s)
                        .then(|| from_tcvn3(&s))
                        .filter(|o| looks_vietnamese(o))
                        .map(|o| (Legacy::Tcvn3, o))
                });
                assert_eq!(detect(&s), expected, "U+{u:04X} in {s:?}");
            }
        }
    }
}
