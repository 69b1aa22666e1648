//! Rendering at the edge: the province's report (DOCX, [`docx`]) from its
//! words ([`prose`]) and skeleton ([`config`]), the summary workbook
//! ([`workbook`]), and the ledger and reminder files ([`files`]). Everything
//! here turns a [`crate::compile::Compilation`] into bytes; writing them to
//! disk is the caller's.

pub mod config;
pub mod docx;
pub mod files;
pub mod prose;
pub mod wording;
pub mod workbook;

pub use config::ReportConfig;
