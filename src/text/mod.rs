//! Vietnamese text handling shared by every stage: Unicode normalisation (NFC),
//! accent- and case-insensitive folding for matching, and word tokens with their
//! byte offsets so that matches can be mapped back to the original text.

pub mod sanitize;

use unicode_normalization::UnicodeNormalization;

/// Returns `s` in Unicode NFC with runs of white space (including NO-BREAK SPACE
/// and TAB) collapsed to one ASCII space and trimmed.
pub fn clean(s: &str) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    let nfc;
    let s = if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s
    } else {
        nfc = s.nfc().collect::<String>();
        &nfc
    };
    let mut out = String::with_capacity(s.len());
    for w in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Folds one character to its lower-case base letter: accents and tone marks
/// removed, `đ`/`Đ` to `d`. Old and new tone placement (`Hoà`/`Hòa`) fold alike.
pub fn fold_char(c: char) -> char {
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
    clean(s).chars().map(fold_char).collect()
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
