//! Human output: one block per file (errors first), then counts per rule.

use super::{status_label, Outcome};
use crate::form::rules;
use std::collections::BTreeMap;

pub fn render(outcomes: &[Outcome]) -> String {
    let mut s = String::new();
    for o in outcomes {
        s += &file_block(o);
    }
    s += &summary(outcomes);
    // File names and quoted cell text may carry escape sequences.
    crate::text::sanitize::terminal(&s).into_owned()
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

fn summary(outcomes: &[Outcome]) -> String {
    let accepted = outcomes.iter().filter(|o| o.accepted()).count();
    let mut s = format!(
        "Tổng cộng {} tệp: {} đạt, {} không đạt.\n",
        outcomes.len(),
        accepted,
        outcomes.len() - accepted
    );
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in outcomes.iter().flat_map(|o| &o.findings) {
        *counts.entry(f.code).or_default() += 1;
    }
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
