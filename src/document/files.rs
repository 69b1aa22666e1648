//! The ledger as CSV (UTF-8 with BOM, so Excel shows Vietnamese) and JSON,
//! the compilation as JSON, the reminder letter as text, and the one way
//! every output reaches the disk: [`write_atomic`].

use super::config::ReportConfig;
use crate::compile::{completeness, Compilation, Ledger};
use crate::text::sanitize::csv_cell;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Writes `bytes` to `path` so that a reader (or a run killed at any point)
/// sees either the previous complete file or the new complete one: a
/// temporary file in the same folder, flushed to disk, then renamed over.
///
/// # Errors
/// The folder cannot be written; the message says why in Vietnamese.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic_with(path, |w| Ok(w.write_all(bytes)?))
}

/// [`write_atomic`] for an output written piece by piece (never held whole
/// in memory): `fill` writes into the temporary file, which is renamed over
/// `path` only when `fill` succeeded; otherwise it is removed.
///
/// # Errors
/// `fill` failed (its error is returned as is), or the folder cannot be
/// written (the message says why in Vietnamese).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let fail = |e: std::io::Error| {
        anyhow::anyhow!(
            "Không ghi được {} ({}).",
            crate::intake::display_path(path),
            crate::intake::read::io_reason(&e)
        )
    };
    let file = match std::fs::File::create(&tmp) {
        Ok(f) => f,
        Err(e) => return Err(fail(e)),
    };
    let mut w = Watched {
        inner: std::io::BufWriter::new(file),
        error: None,
    };
    // A write error inside `fill` (a full disk) is reported as such, whatever
    // the serialiser made of it.
    let filled = fill(&mut w).map_err(|e| match w.error.take() {
        Some(io) => fail(io),
        None => e,
    });
    let done = filled.and_then(|()| {
        w.inner
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(fail)
    });
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

/// A writer that remembers its first I/O error.
struct Watched<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Write for Watched<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).inspect_err(|e| self.keep(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().inspect_err(|e| self.keep(e))
    }
}

impl<W> Watched<W> {
    fn keep(&mut self, e: &std::io::Error) {
        if self.error.is_none() {
            self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
        }
    }
}

/// Column headers of `so-tiep-nhan.csv`.
pub const LEDGER_HEADERS: [&str; 9] = [
    "STT",
    "Tệp",
    "Mã băm SHA-256",
    "Mã đơn vị",
    "Kỳ báo cáo",
    "Thời điểm nhận",
    "Trạng thái",
    "Lý do",
    "Tệp liên quan",
];

/// The ledger as CSV bytes (see [`write_ledger_csv`]).
pub fn ledger_csv(ledger: &Ledger) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    write_ledger_csv(ledger, &mut out)?;
    Ok(out)
}

/// Writes `so-tiep-nhan.csv`: a header, then one row per ledger entry.
pub fn write_ledger_csv(ledger: &Ledger, out: &mut (dyn Write + Send)) -> anyhow::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    {
        let mut w = csv::Writer::from_writer(&mut *out);
        w.write_record(LEDGER_HEADERS)?;
        for e in ledger.entries() {
            let fields = [
                e.seq.to_string(),
                e.path.clone(),
                e.sha256.clone(),
                e.agency.clone().unwrap_or_default(),
                e.period.clone().unwrap_or_default(),
                crate::compile::ledger::when(e.received),
                e.status.label().to_string(),
                e.reason.clone(),
                e.related.clone().unwrap_or_default(),
            ];
            w.write_record(fields.iter().map(|f| csv_cell(f).into_owned()))?;
        }
        w.flush()?;
    }
    Ok(())
}

pub fn ledger_json(ledger: &Ledger) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    write_ledger_json(ledger, &mut out)?;
    Ok(out)
}

/// Writes `so-tiep-nhan.json` (pretty JSON, streamed).
pub fn write_ledger_json(ledger: &Ledger, out: &mut (dyn Write + Send)) -> anyhow::Result<()> {
    Ok(serde_json::to_writer_pretty(out, ledger)?)
}

pub fn compilation_json(c: &Compilation) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    write_compilation_json(c, &mut out)?;
    Ok(out)
}

/// Writes `tong-hop-….json` (pretty JSON, streamed).
pub fn write_compilation_json(c: &Compilation, out: &mut (dyn Write + Send)) -> anyhow::Result<()> {
    Ok(serde_json::to_writer_pretty(out, c)?)
}

/// The reminder letter to the units still owed, as text: dated and counted
/// like the .docx version ([`super::letter::letter_completeness`]).
pub fn reminder_text(c: &Compilation, cfg: &ReportConfig) -> String {
    let (date, k) = super::letter::letter_completeness(c, cfg);
    completeness::reminder(&k, &c.period, &cfg.letterhead(), date)
}

/// Output file names for a period: `bao-cao-2024-Q1.docx`, ….
pub struct Names {
    pub report: String,
    pub workbook: String,
    pub ledger_csv: String,
    pub ledger_json: String,
    pub reminder: String,
    pub reminder_docx: String,
    pub compilation: String,
}

impl Names {
    pub fn for_period(id: &str) -> Names {
        Names {
            report: format!("bao-cao-{id}.docx"),
            workbook: format!("tong-hop-{id}.xlsx"),
            ledger_csv: "so-tiep-nhan.csv".into(),
            ledger_json: "so-tiep-nhan.json".into(),
            reminder: "cong-van-don-doc.txt".into(),
            reminder_docx: "cong-van-don-doc.docx".into(),
            compilation: format!("tong-hop-{id}.json"),
        }
    }
}
