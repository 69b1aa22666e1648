//! CSV output: one row per finding (a file without findings still gets one
//! row), with a UTF-8 BOM so that Excel shows Vietnamese correctly. Every
//! field passes `text::sanitize::csv_cell`: a sheet name or message starting
//! with `=` is never run as a formula.

use super::{status_code, Outcome};
use crate::text::sanitize::csv_cell;
use std::io::Write;

pub const HEADER: [&str; 9] = [
    "path", "agency", "period", "status", "sheet", "cell", "code", "severity", "message",
];

pub fn render(outcomes: &[Outcome]) -> String {
    let mut out = Vec::new();
    let mut w = Csv::new(&mut out).expect("in memory");
    for o in outcomes {
        w.file(o).expect("in memory");
    }
    w.finish().expect("in memory");
    String::from_utf8(out).expect("UTF-8")
}

/// The CSV output written file by file.
pub struct Csv<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> Csv<W> {
    /// Writes the BOM and the header.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn new(mut out: W) -> csv::Result<Csv<W>> {
        out.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::Writer::from_writer(out);
        w.write_record(HEADER)?;
        Ok(Csv { w })
    }

    /// Writes the rows of one file.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn file(&mut self, o: &Outcome) -> csv::Result<()> {
        let head = [
            o.path.as_str(),
            o.agency.as_deref().unwrap_or(""),
            o.period.as_deref().unwrap_or(""),
            status_code(o),
        ];
        if o.findings.is_empty() {
            self.w.write_record(
                head.iter()
                    .chain(&["", "", "", "", ""])
                    .map(|f| csv_cell(f).into_owned()),
            )?;
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
            self.w
                .write_record(head.iter().chain(&tail).map(|f| csv_cell(f).into_owned()))?;
        }
        Ok(())
    }

    /// Flushes and returns the output.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}
