//! The ledger as CSV (UTF-8 with BOM, so Excel shows Vietnamese) and JSON,
//! the compilation as JSON, and the reminder letter as text.

use super::config::ReportConfig;
use crate::compile::{completeness, Compilation, Ledger};

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
            w.write_record([
                e.seq.to_string(),
                e.path.clone(),
                e.sha256.clone(),
                e.agency.clone().unwrap_or_default(),
                e.period.clone().unwrap_or_default(),
                crate::compile::ledger::when(e.received),
                e.status.label().to_string(),
                e.reason.clone(),
                e.related.clone().unwrap_or_default(),
            ])?;
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

/// The reminder letter to the units still owed, dated the day after the
/// period's grace deadline.
pub fn reminder_text(c: &Compilation, cfg: &ReportConfig) -> String {
    let date = c
        .period
        .due_with_grace
        .succ_opt()
        .unwrap_or(c.period.due_with_grace);
    completeness::reminder(&c.completeness, &c.period, &cfg.letterhead(), date)
}

/// Output file names for a period: `bao-cao-2024-Q1.docx`, ….
pub struct Names {
    pub report: String,
    pub workbook: String,
    pub ledger_csv: String,
    pub ledger_json: String,
    pub reminder: String,
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
            compilation: format!("tong-hop-{id}.json"),
        }
    }
}
