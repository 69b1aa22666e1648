//! The batch's per-file records on disk. Every file's outcome (path, unit,
//! period, findings) and ledger input are appended to one anonymous
//! temporary file in the output folder as soon as the file is checked;
//! memory keeps only where each record is. The findings outputs
//! (kiem-tra.txt, .json, .csv) and the ledger are then made from it one file
//! at a time, so a run's memory does not grow with the number of files. The
//! file has no name: nothing is left behind, even by a killed run.

use crate::compile::LedgerInput;
use crate::form::rules::{self, Severity};
use crate::intake::{Finding, Outcome};
use serde::Deserialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Mutex;

/// Where one file's record (its outcome, then its ledger input) is in the
/// spill file.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    offset: u64,
    outcome: u32,
    input: u32,
}

pub struct Spill {
    file: File,
    /// The writer and the length written so far.
    writer: Mutex<(BufWriter<File>, u64)>,
}

impl Spill {
    /// Creates the spill file in `dir`.
    ///
    /// # Errors
    /// The folder cannot be written.
    pub fn create(dir: &Path) -> anyhow::Result<Spill> {
        let fail = |e: std::io::Error| {
            anyhow::anyhow!(
                "Không ghi được tệp tạm trong {} ({}).",
                crate::intake::display_path(dir),
                crate::intake::read::io_reason(&e)
            )
        };
        let file = tempfile::tempfile_in(dir).map_err(fail)?;
        let writer = file.try_clone().map_err(fail)?;
        Ok(Spill {
            file,
            writer: Mutex::new((BufWriter::new(writer), 0)),
        })
    }

    /// Appends a file's outcome (its submission is not kept) and ledger
    /// input.
    ///
    /// # Errors
    /// The spill file cannot be written.
    pub fn put(&self, o: &Outcome, f: &LedgerInput) -> std::io::Result<Place> {
        let mut line = serde_json::to_vec(o).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let outcome = line.len();
        serde_json::to_writer(&mut line, f).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let input = line.len() - outcome;
        let len = |n: usize| u32::try_from(n).map_err(std::io::Error::other);
        let (outcome, input) = (len(outcome)?, len(input)?);
        let mut w = self.writer.lock().expect("not poisoned");
        let offset = w.1;
        w.0.write_all(&line)?;
        w.1 += line.len() as u64;
        Ok(Place {
            offset,
            outcome,
            input,
        })
    }

    /// Makes everything written readable.
    ///
    /// # Errors
    /// The spill file cannot be written.
    pub fn flush(&self) -> std::io::Result<()> {
        self.writer.lock().expect("not poisoned").0.flush()
    }

    /// The outcome stored at `at` (after [`Spill::flush`]).
    ///
    /// # Errors
    /// The spill file cannot be read.
    pub fn outcome(&self, at: Place) -> std::io::Result<Outcome> {
        let bytes = self.read(at.offset, at.outcome)?;
        let s: Stored = serde_json::from_slice(&bytes).map_err(std::io::Error::other)?;
        s.outcome()
    }

    /// The ledger input stored at `at` (after [`Spill::flush`]).
    ///
    /// # Errors
    /// The spill file cannot be read.
    pub fn input(&self, at: Place) -> std::io::Result<LedgerInput> {
        let bytes = self.read(at.offset + u64::from(at.outcome), at.input)?;
        serde_json::from_slice(&bytes).map_err(std::io::Error::other)
    }

    fn read(&self, offset: u64, len: u32) -> std::io::Result<Vec<u8>> {
        let mut buf = vec![0; len as usize];
        self.file.read_exact_at(&mut buf, offset)?;
        Ok(buf)
    }
}

/// An outcome as serialised (`Outcome`'s own `Serialize`).
#[derive(Deserialize)]
struct Stored {
    path: String,
    agency: Option<String>,
    period: Option<String>,
    findings: Vec<StoredFinding>,
}

#[derive(Deserialize)]
struct StoredFinding {
    sheet: Option<String>,
    cell: Option<String>,
    code: String,
    severity: String,
    message: String,
}

impl Stored {
    fn outcome(self) -> std::io::Result<Outcome> {
        let findings = self
            .findings
            .into_iter()
            .map(|f| {
                let rule = rules::rule(&f.code).ok_or_else(|| {
                    std::io::Error::other(format!("mã quy tắc lạ «{}» trong tệp tạm", f.code))
                })?;
                Ok(Finding {
                    sheet: f.sheet,
                    cell: f.cell,
                    code: rule.code,
                    severity: if f.severity == "error" {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    message: f.message,
                })
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(Outcome {
            path: self.path,
            agency: self.agency,
            period: self.period,
            findings,
            submission: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_as_they_went_in_and_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::create(dir.path()).unwrap();
        let a = Outcome {
            path: "/a/2024-Q1_STP_\\xEAx.xlsx".into(),
            agency: Some("STP".into()),
            period: Some("2024-Q1".into()),
            findings: vec![
                Finding::new("C001", "Ô «Tỷ lệ»\nghi \"50%\"").at("Nhiệm vụ", 11, 6),
                Finding::new("M007", "cảnh báo"),
            ],
            submission: None,
        };
        let b = Outcome::failed("/a/b".into(), Finding::new("F001", "không phải Excel"));
        let f = LedgerInput {
            path: "/a/b".into(),
            sha256: "ab".repeat(32),
            agency: None,
            period: None,
            received: chrono::NaiveDate::from_ymd_opt(2024, 3, 14)
                .unwrap()
                .and_hms_opt(9, 30, 0)
                .unwrap(),
            accepted: false,
            reasons: vec!["F001 không phải Excel".into()],
        };
        let pa = spill.put(&a, &f).unwrap();
        let pb = spill.put(&b, &f).unwrap();
        spill.flush().unwrap();
        assert_eq!(spill.outcome(pb).unwrap(), b);
        assert_eq!(spill.input(pb).unwrap(), f);
        assert_eq!(spill.outcome(pa).unwrap(), a);
        assert_eq!(spill.input(pa).unwrap(), f);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no name");
    }
}
