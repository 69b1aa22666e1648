//! The ledger as CSV (UTF-8 with BOM, so Excel shows Vietnamese) and JSON,
//! the compilation as JSON, the reminder letter as text, and the one way
//! every output reaches the disk: [`write_atomic`].

use super::config::ReportConfig;
use crate::compile::{completeness, Compilation, Ledger};
use crate::text::sanitize::csv_cell;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Writes `bytes` to `path` so that a reader (or a run killed at any point)
/// sees either the previous complete file or the new complete one: a
/// temporary file in the same folder, flushed to disk, then renamed over.
///
/// # Errors
/// The folder cannot be written; the message says why in Vietnamese.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
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
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|_| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
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

pub fn ledger_csv(ledger: &Ledger) -> anyhow::Result<Vec<u8>> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(LEDGER_HEADERS)?;
        for e in &ledger.entries {
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
    Ok(out)
}

pub fn ledger_json(ledger: &Ledger) -> anyhow::Result<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(ledger)?)
}

pub fn compilation_json(c: &Compilation) -> anyhow::Result<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(c)?)
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
