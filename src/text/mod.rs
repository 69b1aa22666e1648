//! Vietnamese text handling shared by every stage: Unicode normalisation (NFC),
//! accent- and case-insensitive folding for matching, and word tokens with their
//! byte offsets so that matches can be mapped back to the original text.

pub mod sanitize;

use unicode_normalization::UnicodeNormalization;

/// Returns `s` in Unicode NFC with runs of white space (including NO-BREAK SPACE
/// and TAB) collapsed to one ASCII space and trimmed.
pub fn clean(s: &str) -> String {
    collapsed(&to_nfc(s), |c| c)
}

/// `s` in NFC (borrowed when it already is).
fn to_nfc(s: &str) -> std::borrow::Cow<'_, str> {
    if is_nfc_fast(s) {
        s.into()
    } else {
        s.nfc().collect::<String>().into()
    }
}

/// The characters of `s`, each mapped by `f`, with runs of white space
/// collapsed to one ASCII space, leading and trailing white space left out.
fn collapsed(s: &str, f: impl Fn(char) -> char) -> String {
    let mut out = String::with_capacity(s.len());
    // A word at a time: every word gives at least one character, so a
    // non-empty result means a word came before.
    for w in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().map(&f));
    }
    out
}

/// Folds one character to its lower-case base letter: accents and tone marks
/// removed, `đ`/`Đ` to `d`. Old and new tone placement (`Hoà`/`Hòa`) fold alike.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    // Latin letters with diacritics (Vietnamese included) sit below U+1F00:
    // folded once into a table, then looked up.
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    match TABLE
        .get_or_init(|| {
            (0..0x1F00u32)
                .map(|u| fold_slow(char::from_u32(u).unwrap_or(' ')))
                .collect()
        })
        .get(c as usize)
    {
        Some(&f) => f,
        _ => fold_slow(c),
    }
}

fn fold_slow(c: char) -> char {
    match c {
        _ if c.is_ascii() => c.to_ascii_lowercase(),
        'đ' | 'Đ' => 'd',
        _ => {
            let base = c.nfd().next().unwrap_or(c);
            base.to_lowercase().next().unwrap_or(base)
        }
    }
}

/// Folds a whole string for matching: NFC, accents removed, lower case, white
/// space collapsed. `fold("  Ủy  ban ") == "uy ban"`.
pub fn fold(s: &str) -> String {
    collapsed(&to_nfc(s), fold_char)
}

/// True when `s` is certainly NFC already (ASCII, or the quick check says
/// so); false means "normalise to be sure".
pub fn is_nfc_fast(s: &str) -> bool {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    if s.is_ascii() {
        return true;
    }
    // Characters below U+3000 (Latin with every Vietnamese letter, Greek,
    // Cyrillic, general punctuation “…” –, symbols) that are NFC by themselves and combine with nothing before
    // them: a text of only those is NFC. The table is computed once from
    // the Unicode data; any other character takes the full quick check.
    static SIMPLE: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    let simple = SIMPLE.get_or_init(|| {
        (0..0x3000u32)
            .map(|u| {
                char::from_u32(u).is_some_and(|c| {
                    unicode_normalization::char::canonical_combining_class(c) == 0
                        && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
                })
            })
            .collect()
    });
    simple_text(s, simple) || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// Every character of `s` is simple (see [`is_nfc_fast`]). U+0000–U+02FF
/// and U+1E00–U+1EFF (the precomposed Latin letters, every Vietnamese one
/// among them) are all simple — a test checks it against the table — so
/// their UTF-8 bytes are recognised without decoding.
fn simple_text(s: &str, simple: &[bool]) -> bool {
    let b = s.as_bytes();
    if only_shortcut_bytes(b) {
        return true;
    }
    let mut i = 0;
    loop {
        // Bytes below 0xCC: ASCII, continuation bytes, and the lead bytes of
        // U+0080–U+02FF.
        match b[i..].iter().position(|&x| x >= 0xCC) {
            None => return true,
            Some(k) => i += k,
        }
        if b[i] == 0xE1 && matches!(b.get(i + 1), Some(0xB8..=0xBB)) {
            i += 3;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
        if !simple.get(c as usize).copied().unwrap_or(false) {
            return false;
        }
        i += c.len_utf8();
    }
}

/// Every character of `b` is one the byte shortcuts of [`simple_text`]
/// recognise — a lead byte below 0xCC, or `E1 B8..BB` (U+1E00–U+1EFF) — so
/// the text is simple. Checked in blocks without stopping early inside one,
/// which the compiler turns into vector instructions; `false` means "look
/// character by character".
fn only_shortcut_bytes(b: &[u8]) -> bool {
    let Some((&last, _)) = b.split_last() else {
        return true;
    };
    // Each byte with the one after it: a byte from 0xCC up is allowed only
    // as E1 followed by B8..BB. (A continuation byte is below 0xC0.)
    let bad = |x: u8, next: u8| x >= 0xCC && (x != 0xE1 || !(0xB8..=0xBB).contains(&next));
    let (head, tail) = (&b[..b.len() - 1], &b[1..]);
    last < 0xCC
        && !head.chunks(32).zip(tail.chunks(32)).any(|(h, t)| {
            h.iter()
                .zip(t)
                .fold(false, |seen, (&x, &next)| seen | bad(x, next))
        })
}

/// A word or punctuation token of a text, with its folded form and its byte
/// span in the original string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub folded: String,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// True for punctuation tokens (`,`, `;`, `.`, `(`, `-`, …).
    pub fn is_punct(&self) -> bool {
        !self.folded.chars().any(char::is_alphanumeric)
    }
}

/// Splits `s` into word tokens (letters, digits, `&`, `/`) and single
/// punctuation tokens, skipping white space. Offsets refer to `s` itself.
pub fn tokens(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word_start: Option<usize> = None;
    let is_word = |c: char| c.is_alphanumeric() || c == '&' || c == '/' || is_combining(c);
    for (i, c) in s.char_indices() {
        if is_word(c) {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(ws) = word_start.take() {
            out.push(word_token(s, ws, i));
        }
        if !c.is_whitespace() {
            out.push(Token {
                folded: c.to_string(),
                start: i,
                end: i + c.len_utf8(),
            });
        }
    }
    if let Some(ws) = word_start {
        out.push(word_token(s, ws, s.len()));
    }
    out
}

fn word_token(s: &str, start: usize, end: usize) -> Token {
    Token {
        folded: fold(&s[start..end]),
        start,
        end,
    }
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Turns a Vietnamese label into a lower-case ASCII slug for file names:
/// `"Sở Nội vụ"` → `"so-noi-vu"`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// `12,5` (Vietnamese decimal comma), one decimal; whole numbers without.
pub fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        group_thousands(v.round() as i64)
    } else {
        format!("{v:.1}").replace('.', ",")
    }
}

fn group_thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folding_table_agrees_with_folding_each_character() {
        for u in 0..0x2000u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(fold_char(c), fold_slow(c), "U+{u:04X}");
            }
        }
        assert_eq!(fold_char('Ự'), 'u');
        assert_eq!(fold_char('Đ'), 'd');
    }

    #[test]
    fn the_fast_nfc_check_never_calls_a_decomposed_text_normal() {
        use unicode_normalization::UnicodeNormalization;
        for s in [
            "Hòa",
            "Ho\u{300}a",
            "ệ",
            "e\u{323}\u{302}",
            "Ấp",
            "A\u{301}",
            "\u{1E00}\u{300}",
            "Ω Å",
            "\u{212B}",
        ] {
            let nfc: String = s.nfc().collect();
            if is_nfc_fast(s) {
                assert_eq!(nfc, s, "{s:?} called NFC");
            }
        }
        // Precomposed Vietnamese takes the fast path; decomposed never does.
        assert!(is_nfc_fast("Ủy ban nhân dân tỉnh Quảng Ngãi"));
        assert!(!is_nfc_fast("Ho\u{300}a"));
    }

    #[test]
    fn the_block_check_agrees_with_the_character_walk() {
        use unicode_normalization::UnicodeNormalization;
        let walk = |s: &str| {
            s.chars()
                .all(|c| (c as u32) < 0x300 || (0x1E00..0x1F00).contains(&(c as u32)))
        };
        let long =
            "Ủy ban nhân dân tỉnh Quảng Ngãi triển khai kế hoạch cải cách hành chính ".repeat(3);
        for s in [
            "",
            "a",
            "à",
            "ệ",
            "Hoàn thành",
            long.as_str(),
            "Ho\u{300}a",
            "–",
            "Kế hoạch – số 15",
            "\u{1E00}",
            "\u{1DFF}x",
            "\u{1F00}",
            "x\u{2C6}",
            "\u{2FF}\u{300}",
            "中文",
            "ệ😀",
        ] {
            assert_eq!(only_shortcut_bytes(s.as_bytes()), walk(s), "{s:?}");
            if only_shortcut_bytes(s.as_bytes()) {
                assert_eq!(s.nfc().collect::<String>(), s, "{s:?}");
            }
        }
        // Every character up to U+3000, alone and after a long prefix (the
        // blocks' edges).
        for u in 0..0x3000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            for s in [c.to_string(), format!("{}{c}", "ạ".repeat(11))] {
                assert_eq!(only_shortcut_bytes(s.as_bytes()), walk(&s), "U+{u:04X}");
            }
        }
    }

    #[test]
    fn the_byte_shortcuts_of_the_nfc_check_cover_only_simple_characters() {
        use unicode_normalization::{is_nfc_quick, IsNormalized};
        for u in (0x80..0x300u32).chain(0x1E00..0x1F00) {
            let c = char::from_u32(u).unwrap();
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(c),
                0,
                "U+{u:04X}"
            );
            assert_eq!(
                is_nfc_quick(std::iter::once(c)),
                IsNormalized::Yes,
                "U+{u:04X}"
            );
        }
    }

    #[test]
    fn folding_in_one_pass_is_cleaning_then_folding_each_character() {
        let samples = [
            "",
            " ",
            "  Ủy\u{a0} ban\tNHÂN dân ",
            "Hoà",
            "Hòa",
            "Ho\u{300}a",
            "a\u{2003}\u{2003}b",
            "Sở Tư pháp\n",
            "\u{feff}x",
            "TỈNH  QUẢNG NGÃI",
            "ệ\u{301}",
            "Ⅻ ǅ ß ﬁ",
        ];
        for s in samples {
            let slow: String = clean(s).chars().map(fold_slow).collect();
            assert_eq!(fold(s), slow, "{s:?}");
        }
    }

    #[test]
    fn fold_ignores_accents_case_spacing_and_tone_placement() {
        assert_eq!(fold("  Ủy\u{a0} ban\tNHÂN dân "), "uy ban nhan dan");
        assert_eq!(fold("Hoà"), fold("Hòa"));
        assert_eq!(fold("Uỷ"), fold("Ủy"));
        let nfd: String = "Quảng Ngãi".nfd().collect();
        assert_eq!(fold(&nfd), "quang ngai");
        assert_eq!(fold("Đức Phổ"), "duc pho");
    }

    #[test]
    fn tokens_keep_offsets_into_the_original() {
        let s = "Sở Tư pháp, UBND cấp huyện;";
        let t = tokens(s);
        let words: Vec<_> = t.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(
            words,
            ["so", "tu", "phap", ",", "ubnd", "cap", "huyen", ";"]
        );
        assert_eq!(&s[t[4].start..t[6].end], "UBND cấp huyện");
        assert!(t[3].is_punct());
    }

    #[test]
    fn slug_is_ascii() {
        assert_eq!(slug("Sở Nội vụ"), "so-noi-vu");
        assert_eq!(
            slug("Ủy ban nhân dân thị xã Đức Phổ"),
            "uy-ban-nhan-dan-thi-xa-duc-pho"
        );
    }
}
