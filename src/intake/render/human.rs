//! Human output: one block per file (errors first), then counts per rule.

use super::{status_label, Outcome};
use crate::form::rules;
use std::collections::BTreeMap;
use std::io::Write;

pub fn render(outcomes: &[Outcome]) -> String {
    let mut out = Vec::new();
    let mut w = Human::new(&mut out);
    for o in outcomes {
        w.file(o).expect("in memory");
    }
    w.finish().expect("in memory");
    String::from_utf8(out).expect("UTF-8")
}

/// The human output written file by file: only the counts for the closing
/// summary are kept.
pub struct Human<W: Write> {
    out: W,
    files: usize,
    accepted: usize,
    counts: BTreeMap<&'static str, usize>,
}

impl<W: Write> Human<W> {
    pub fn new(out: W) -> Human<W> {
        Human {
            out,
            files: 0,
            accepted: 0,
            counts: BTreeMap::new(),
        }
    }

    /// Writes the block of one file.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn file(&mut self, o: &Outcome) -> std::io::Result<()> {
        self.files += 1;
        self.accepted += usize::from(o.accepted());
        for f in &o.findings {
            *self.counts.entry(f.code).or_default() += 1;
        }
        self.put(&file_block(o))
    }

    /// Writes the summary and returns the output.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn finish(mut self) -> std::io::Result<W> {
        let s = summary(self.files, self.accepted, &self.counts);
        self.put(&s)?;
        Ok(self.out)
    }

    // File names and quoted cell text may carry escape sequences.
    fn put(&mut self, s: &str) -> std::io::Result<()> {
        self.out
            .write_all(crate::text::sanitize::terminal(s).as_bytes())
    }
}

fn file_block(o: &Outcome) -> String {
    let who = match (&o.agency, &o.period) {
        (Some(a), Some(p)) => format!(" — đơn vị {a}, kỳ {p}"),
        (Some(a), None) => format!(" — đơn vị {a}"),
        _ => String::new(),
    };
    let mut s = format!(
        "{}{}: {} ({} lỗi, {} cảnh báo)\n",
        o.path,
        who,
        status_label(o).to_uppercase(),
        o.errors(),
        o.warnings()
    );
    for f in &o.findings {
        let place = f.place();
        let place = if place.is_empty() {
            String::new()
        } else {
            format!(" {place}")
        };
        s += &format!(
            "  {} [{}]{}: {}\n",
            f.severity.label(),
            f.code,
            place,
            f.message
        );
    }
    s += "\n";
    s
}

fn summary(files: usize, accepted: usize, counts: &BTreeMap<&'static str, usize>) -> String {
    let mut s = format!(
        "Tổng cộng {} tệp: {} đạt, {} không đạt.\n",
        files,
        accepted,
        files - accepted
    );
    if !counts.is_empty() {
        s += "Số lần gặp theo quy tắc:\n";
        for (code, n) in counts {
            let title = rules::rule(code).map(|r| r.title).unwrap_or("");
            s += &format!("  {code} {title}: {n}\n");
        }
        s += "Xem giải thích: cchc explain MÃ (ví dụ cchc explain C001).\n";
    }
    s
}
