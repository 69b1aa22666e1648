//! A small XML scanner for the parts of an `.xlsx` package: start and end
//! tags (name, raw attributes, self-closing or not), text and CDATA, with
//! comments, processing instructions and the document type skipped. It
//! borrows everything from the inflated part and decodes only the text the
//! reader keeps, so reading a worksheet costs little more than finding its
//! `<` signs.
//!
//! It is lenient where Office files never differ (end-tag names are not
//! matched against start tags) and strict where a damaged file would be
//! misread (a tag, comment or CDATA section that never ends, a `<` inside a
//! tag). Entities are the five predefined ones and character references;
//! line ends are normalised as XML 1.0 says.

use memchr::{memchr, memchr3, memmem};

/// One piece of the document.
#[derive(Debug, PartialEq)]
pub(super) enum Ev<'a> {
    /// A start tag, `empty` when self-closing (`<c r="A1"/>`).
    Start {
        name: &'a [u8],
        attrs: &'a [u8],
        empty: bool,
    },
    End {
        name: &'a [u8],
    },
    /// Raw text between tags (entities not yet decoded).
    Text(&'a str),
    /// The content of a CDATA section (taken literally).
    CData(&'a str),
}

/// The malformed document.
#[derive(Debug)]
pub(super) struct Malformed;

pub(super) struct Scan<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Scan<'a> {
    /// A scanner over one part, checked as UTF-8 once, whole (a part that
    /// is not UTF-8 is malformed): every piece is then a slice of it.
    pub(super) fn new(b: &'a [u8]) -> Result<Scan<'a>, Malformed> {
        let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
        let s = simdutf8::basic::from_utf8(b).map_err(|_| Malformed)?;
        Ok(Scan { s, i: 0 })
    }

    /// A scanner over a piece of a part already checked (see [`Scan::new`]).
    pub(super) fn over(s: &'a str) -> Scan<'a> {
        Scan { s, i: 0 }
    }

    /// The byte position of the next piece.
    pub(super) fn pos(&self) -> usize {
        self.i
    }

    /// What is left to scan.
    pub(super) fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    /// Skips `n` bytes of what is left, which the caller has read itself
    /// (a whole number of pieces).
    pub(super) fn skip(&mut self, n: usize) {
        self.i = (self.i + n).min(self.s.len());
    }

    /// The scanned text (a whole part or a piece of one).
    pub(super) fn source(&self) -> &'a str {
        self.s
    }

    /// The next piece, `None` at the end.
    pub(super) fn next(&mut self) -> Result<Option<Ev<'a>>, Malformed> {
        let (s, b) = (self.s, self.s.as_bytes());
        loop {
            let i = self.i;
            if i >= b.len() {
                return Ok(None);
            }
            if b[i] != b'<' {
                let j = memchr(b'<', &b[i..]).map_or(b.len(), |k| i + k);
                self.i = j;
                return Ok(Some(Ev::Text(&s[i..j])));
            }
            match b.get(i + 1) {
                Some(b'/') => {
                    let end = i + 2 + memchr(b'>', &b[i + 2..]).ok_or(Malformed)?;
                    self.i = end + 1;
                    let name = trim(&b[i + 2..end]);
                    return Ok(Some(Ev::End { name }));
                }
                Some(b'?') => {
                    let end = memmem::find(&b[i + 2..], b"?>").ok_or(Malformed)?;
                    self.i = i + 2 + end + 2;
                }
                Some(b'!') if b[i..].starts_with(b"<!--") => {
                    let end = memmem::find(&b[i + 4..], b"-->").ok_or(Malformed)?;
                    self.i = i + 4 + end + 3;
                }
                Some(b'!') if b[i..].starts_with(b"<![CDATA[") => {
                    let from = i + 9;
                    let end = memmem::find(&b[from..], b"]]>").ok_or(Malformed)?;
                    self.i = from + end + 3;
                    return Ok(Some(Ev::CData(&s[from..from + end])));
                }
                Some(b'!') => {
                    // <!DOCTYPE …>, possibly with an internal subset […].
                    let rest = &b[i..];
                    let close = memchr(b'>', rest).ok_or(Malformed)?;
                    let end = match memchr(b'[', &rest[..close]) {
                        Some(_) => memmem::find(rest, b"]>").ok_or(Malformed)? + 1,
                        None => close,
                    };
                    self.i = i + end + 1;
                }
                Some(_) => {
                    let end = tag_end(b, i + 1)?;
                    self.i = end + 1;
                    let mut inner = &b[i + 1..end];
                    let empty = inner.last() == Some(&b'/');
                    if empty {
                        inner = &inner[..inner.len() - 1];
                    }
                    let n = inner
                        .iter()
                        .position(|c| c.is_ascii_whitespace())
                        .unwrap_or(inner.len());
                    if n == 0 {
                        return Err(Malformed);
                    }
                    return Ok(Some(Ev::Start {
                        name: &inner[..n],
                        attrs: &inner[n..],
                        empty,
                    }));
                }
                None => return Err(Malformed),
            }
        }
    }
}

/// The `>` closing the tag that starts at `from`, quotes respected; a `<`
/// inside a tag is damage. Tags are short, so a plain loop beats searching.
fn tag_end(b: &[u8], from: usize) -> Result<usize, Malformed> {
    let mut quote = 0u8;
    for (k, &c) in b[from..].iter().enumerate() {
        match c {
            b'<' => return Err(Malformed),
            b'>' if quote == 0 => return Ok(from + k),
            b'"' | b'\'' if quote == 0 => quote = c,
            _ if c == quote => quote = 0,
            _ => {}
        }
    }
    Err(Malformed)
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end]
}

/// The local part of a name (`x:c` → `c`).
pub(super) fn local(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&c| c == b':') {
        Some(k) => &name[k + 1..],
        None => name,
    }
}

/// The attributes of a start tag: (local name, raw value) pairs; stops at
/// the first malformed one.
pub(super) fn attrs(raw: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut i = 0;
    std::iter::from_fn(move || {
        let skip = |mut j: usize| {
            while raw.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            j
        };
        i = skip(i);
        let eq = i + raw[i..].iter().position(|&c| c == b'=')?;
        let name = trim(&raw[i..eq]);
        let j = skip(eq + 1);
        let q = *raw.get(j)?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let close = j + 1 + raw[j + 1..].iter().position(|&c| c == q)?;
        i = close + 1;
        Some((local(name), &raw[j + 1..close]))
    })
}

/// One attribute's raw value by local name.
pub(super) fn attr<'a>(raw: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    attrs(raw).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// One attribute's value by local name, decoded (entities; white space
/// characters as spaces, as XML normalises attribute values).
pub(super) fn attr_text(raw: &[u8], name: &[u8]) -> Option<String> {
    let v = std::str::from_utf8(attr(raw, name)?).ok()?;
    let mut out = String::new();
    decode(v, &mut out).ok()?;
    if out.contains(['\t', '\n', '\r']) {
        out = out.replace(['\t', '\n', '\r'], " ");
    }
    Some(out)
}

/// Appends raw text to `out`: entities and character references decoded
/// (an unknown entity is kept as written), line ends normalised (`\r\n`
/// and a lone `\r` become `\n`).
pub(super) fn decode(raw: &str, out: &mut String) -> Result<(), Malformed> {
    let mut rest = raw;
    while let Some(k) = memchr3(b'&', b'\r', b'\0', rest.as_bytes()) {
        out.push_str(&rest[..k]);
        let tail = &rest[k..];
        match tail.as_bytes()[0] {
            b'\r' => {
                out.push('\n');
                rest = tail.strip_prefix("\r\n").unwrap_or(&tail[1..]);
            }
            b'\0' => return Err(Malformed),
            _ => match tail[1..].find(';').filter(|e| *e <= 10) {
                Some(e) => {
                    let name = &tail[1..1 + e];
                    match entity(name) {
                        Some(c) => out.push(c),
                        None => out.push_str(&tail[..e + 2]),
                    }
                    rest = &tail[e + 2..];
                }
                None => {
                    out.push('&');
                    rest = &tail[1..];
                }
            },
        }
    }
    out.push_str(rest);
    Ok(())
}

/// Appends the text of a text piece (decoded, see [`decode`]) or a CDATA
/// section (taken literally); other pieces add nothing.
pub(super) fn push_text(ev: &Ev, out: &mut String) -> Result<(), Malformed> {
    match ev {
        Ev::Text(t) => decode(t, out),
        Ev::CData(t) => {
            out.push_str(t);
            Ok(())
        }
        _ => Ok(()),
    }
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &str) -> Vec<Ev<'_>> {
        let mut sc = Scan::new(s.as_bytes()).unwrap();
        let mut v = Vec::new();
        while let Some(e) = sc.next().unwrap() {
            v.push(e);
        }
        v
    }

    #[test]
    fn tags_text_and_cdata_with_the_rest_skipped() {
        let evs = all(
            r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><!-- c > d --><x:row r="1" a='>'><c r="A1"/>t&amp;<![CDATA[<z>]]></x:row >"#,
        );
        assert_eq!(
            evs,
            vec![
                Ev::Start {
                    name: b"x:row",
                    attrs: br#" r="1" a='>'"#,
                    empty: false
                },
                Ev::Start {
                    name: b"c",
                    attrs: br#" r="A1""#,
                    empty: true
                },
                Ev::Text("t&amp;"),
                Ev::CData("<z>"),
                Ev::End { name: b"x:row" },
            ]
        );
        assert_eq!(local(b"x:row"), b"row");
    }

    #[test]
    fn attributes_by_local_name_decoded() {
        let raw = br#" r:id="rId1" name="S &amp; T&#x1EA1;" state = 'hidden' bad"#;
        assert_eq!(attr(raw, b"id"), Some(&b"rId1"[..]));
        assert_eq!(attr_text(raw, b"name").as_deref(), Some("S & Tạ"));
        assert_eq!(attr(raw, b"state"), Some(&b"hidden"[..]));
        assert_eq!(attr(raw, b"bad"), None);
    }

    #[test]
    fn text_entities_and_line_ends() {
        let mut s = String::new();
        decode("a&lt;b&gt;&#65;&#x42;&unknown;&amp\r\nc\rd", &mut s).unwrap();
        assert_eq!(s, "a<b>AB&unknown;&amp\nc\nd");
        assert!(Scan::new(b"<a>\xFF</a>").is_err());
        assert!(Scan::new(b"<a t=\"\xC3\">x</a>").is_err());
    }

    #[test]
    fn unterminated_pieces_are_malformed() {
        for bad in [
            "<a",
            "<a b=\"c>",
            "<!-- x",
            "<![CDATA[ x",
            "<?xml ",
            "</a",
            "<a <b>",
            "< >",
        ] {
            let mut sc = Scan::new(bad.as_bytes()).unwrap();
            let mut r = Ok(None);
            for _ in 0..4 {
                r = sc.next();
                if !matches!(r, Ok(Some(_))) {
                    break;
                }
            }
            assert!(r.is_err(), "{bad}");
        }
    }
}
