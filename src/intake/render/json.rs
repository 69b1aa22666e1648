//! JSON output: `{files: [{path, agency, period, status, findings: [{sheet,
//! cell, code, severity, message}]}]}` (documented in the README).

use super::{status_code, Outcome};
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    files: Vec<File<'a>>,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    agency: Option<&'a str>,
    period: Option<&'a str>,
    status: &'static str,
    findings: &'a [crate::intake::Finding],
}

pub fn render(outcomes: &[Outcome]) -> String {
    let files = outcomes
        .iter()
        .map(|o| File {
            path: &o.path,
            agency: o.agency.as_deref(),
            period: o.period.as_deref(),
            status: status_code(o),
            findings: &o.findings,
        })
        .collect();
    serde_json::to_string_pretty(&Report { files }).expect("serialisable") + "\n"
}
