//! The batch's findings on disk. Every file's outcome (path, unit, period,
//! findings) is appended to one temporary JSON-lines file in the output
//! folder as soon as the file is checked; memory keeps only where each line
//! is. The findings outputs (kiem-tra.txt, .json, .csv) are then written
//! from it one file at a time, so a run's memory does not grow with the
//! number of files. The file is removed when the run ends (and, after a
//! killed run, by the next run's clean-up of temporary files).

use crate::form::rules::{self, Severity};
use crate::intake::{Finding, Outcome};
use serde::Deserialize;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where one outcome is in the spill file.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    offset: u64,
    len: u32,
}

pub struct Spill {
    path: PathBuf,
    writer: Mutex<(BufWriter<File>, u64)>,
}

impl Spill {
    /// Creates the spill file in `dir` (named like the other temporary
    /// files, `.NAME.tmp-PID-…`).
    ///
    /// # Errors
    /// The folder cannot be written.
    pub fn create(dir: &Path) -> anyhow::Result<Spill> {
        let path = dir.join(format!(".kiem-tra.jsonl.tmp-{}-spill", std::process::id()));
        let file = File::options()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| {
                anyhow::anyhow!(
                    "Không ghi được tệp tạm {} ({}).",
                    crate::intake::display_path(&path),
                    crate::intake::read::io_reason(&e)
                )
            })?;
        Ok(Spill {
            path,
            writer: Mutex::new((BufWriter::new(file), 0)),
        })
    }

    /// Appends an outcome (its submission is not kept).
    ///
    /// # Errors
    /// The spill file cannot be written.
    pub fn put(&self, o: &Outcome) -> std::io::Result<Place> {
        let mut line = serde_json::to_vec(o).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut w = self.writer.lock().expect("not poisoned");
        let offset = w.1;
        w.0.write_all(&line)?;
        w.1 += line.len() as u64;
        Ok(Place {
            offset,
            len: u32::try_from(line.len()).map_err(std::io::Error::other)?,
        })
    }

    /// A reader over the outcomes written (all writes are flushed first).
    ///
    /// # Errors
    /// The spill file cannot be flushed or opened again.
    pub fn reader(&self) -> std::io::Result<Outcomes> {
        self.writer.lock().expect("not poisoned").0.flush()?;
        Ok(Outcomes {
            file: File::open(&self.path)?,
            buf: Vec::new(),
        })
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Reads outcomes back from the spill file.
pub struct Outcomes {
    file: File,
    buf: Vec<u8>,
}

impl Outcomes {
    /// The outcome stored at `at`.
    ///
    /// # Errors
    /// The spill file cannot be read, or holds something else (it was
    /// changed by someone else during the run).
    pub fn get(&mut self, at: Place) -> std::io::Result<Outcome> {
        self.buf.resize(at.len as usize, 0);
        self.file.seek(SeekFrom::Start(at.offset))?;
        self.file.read_exact(&mut self.buf)?;
        let s: Stored = serde_json::from_slice(&self.buf).map_err(std::io::Error::other)?;
        s.outcome()
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
    fn outcomes_come_back_as_they_went_in() {
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
        let pa = spill.put(&a).unwrap();
        let pb = spill.put(&b).unwrap();
        let mut r = spill.reader().unwrap();
        assert_eq!(r.get(pb).unwrap(), b);
        assert_eq!(r.get(pa).unwrap(), a);
        let path = spill.path.clone();
        assert!(path.is_file());
        drop((r, spill));
        assert!(!path.exists(), "the spill file is removed");
    }
}
