//! CSV output: one row per finding (a file without findings still gets one
//! row), with a UTF-8 BOM so that Excel shows Vietnamese correctly. Every
//! field passes `text::sanitize::csv_cell`: a sheet name or message starting
//! with `=` is never run as a formula.

use super::{status_code, Outcome};
use crate::text::sanitize::csv_cell;

pub const HEADER: [&str; 9] = [
    "path", "agency", "period", "status", "sheet", "cell", "code", "severity", "message",
];

pub fn render(outcomes: &[Outcome]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).expect("in memory");
    for o in outcomes {
        let head = [
            o.path.as_str(),
            o.agency.as_deref().unwrap_or(""),
            o.period.as_deref().unwrap_or(""),
            status_code(o),
        ];
        if o.findings.is_empty() {
            w.write_record(
                head.iter()
                    .chain(&["", "", "", "", ""])
                    .map(|f| csv_cell(f).into_owned()),
            )
            .expect("in memory");
        }
        for f in &o.findings {
            let sev = match f.severity {
                crate::form::rules::Severity::Error => "error",
                crate::form::rules::Severity::Warning => "warning",
            };
            let tail = [
                f.sheet.as_deref().unwrap_or(""),
                f.cell.as_deref().unwrap_or(""),
                f.code,
                sev,
                f.message.as_str(),
            ];
            w.write_record(head.iter().chain(&tail).map(|f| csv_cell(f).into_owned()))
                .expect("in memory");
        }
    }
    let bytes = w.into_inner().expect("in memory");
    format!("\u{feff}{}", String::from_utf8(bytes).expect("UTF-8"))
}
