//! JSON output: `{files: [{path, agency, period, status, findings: [{sheet,
//! cell, code, severity, message}]}]}` (documented in the README), pretty
//! printed, written file by file: the text is exactly what serialising the
//! whole report at once gives (see the test).

use super::{status_code, Outcome};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    agency: Option<&'a str>,
    period: Option<&'a str>,
    status: &'static str,
    findings: &'a [crate::intake::Finding],
}

impl<'a> File<'a> {
    fn of(o: &'a Outcome) -> File<'a> {
        File {
            path: &o.path,
            agency: o.agency.as_deref(),
            period: o.period.as_deref(),
            status: status_code(o),
            findings: &o.findings,
        }
    }
}

pub fn render(outcomes: &[Outcome]) -> String {
    let mut out = Vec::new();
    let mut w = Json::new(&mut out);
    for o in outcomes {
        w.file(o).expect("in memory");
    }
    w.finish().expect("in memory");
    String::from_utf8(out).expect("UTF-8")
}

/// The JSON output written file by file.
pub struct Json<W: Write> {
    out: W,
    files: usize,
}

/// Indentation of a file object inside `{"files": [...]}`.
const INDENT: &str = "    ";

impl<W: Write> Json<W> {
    pub fn new(out: W) -> Json<W> {
        Json { out, files: 0 }
    }

    /// Writes one file's object.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn file(&mut self, o: &Outcome) -> std::io::Result<()> {
        let head = if self.files == 0 {
            "{\n  \"files\": [\n"
        } else {
            ",\n"
        };
        self.files += 1;
        // Strings never hold a raw line break in JSON: every line break is
        // layout, indented one level deeper at this depth.
        let item = serde_json::to_string_pretty(&File::of(o)).map_err(std::io::Error::other)?;
        self.out.write_all(head.as_bytes())?;
        self.out.write_all(INDENT.as_bytes())?;
        self.out
            .write_all(item.replace('\n', &format!("\n{INDENT}")).as_bytes())
    }

    /// Closes the report and returns the output.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn finish(mut self) -> std::io::Result<W> {
        let tail = if self.files == 0 {
            "{\n  \"files\": []\n}\n"
        } else {
            "\n  ]\n}\n"
        };
        self.out.write_all(tail.as_bytes())?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::Finding;

    /// The text serde gives for the whole report at once.
    fn whole(outcomes: &[Outcome]) -> String {
        #[derive(Serialize)]
        struct Report<'a> {
            files: Vec<File<'a>>,
        }
        let files = outcomes.iter().map(File::of).collect();
        serde_json::to_string_pretty(&Report { files }).unwrap() + "\n"
    }

    fn outcome(path: &str, findings: Vec<Finding>) -> Outcome {
        Outcome {
            path: path.into(),
            agency: Some("STP".into()),
            period: None,
            findings,
            submission: None,
        }
    }

    #[test]
    fn written_file_by_file_is_the_whole_report_serialised_at_once() {
        let f = Finding::new("C001", "Ô «Tỷ lệ»\nghi \"50%\"").at("Nhiệm vụ", 11, 6);
        let cases = [
            vec![],
            vec![outcome("/a/b.xlsx", vec![])],
            vec![
                outcome("/a/b.xlsx", vec![f.clone(), Finding::new("M007", "x")]),
                outcome("/a/c\\x.xlsx", vec![]),
                outcome("/a/d.xlsx", vec![f]),
            ],
        ];
        for outcomes in cases {
            assert_eq!(render(&outcomes), whole(&outcomes));
        }
    }
}
