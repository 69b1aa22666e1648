//! Output formats for a batch of outcomes, one module each: `human` (for the
//! person running the tool), `json` (for programs) and `csv` (for Excel).
//! Renderers build a string; the caller writes it.

pub mod csv;
pub mod human;
pub mod json;

use super::Outcome;

/// "đạt" / "không đạt".
pub fn status_label(o: &Outcome) -> &'static str {
    if o.accepted() {
        "đạt"
    } else {
        "không đạt"
    }
}

/// Machine status: `accepted` / `rejected`.
pub fn status_code(o: &Outcome) -> &'static str {
    if o.accepted() {
        "accepted"
    } else {
        "rejected"
    }
}
