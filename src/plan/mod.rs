//! The plan registry: reading the yearly CCHC plan (text or .docx) into areas,
//! tasks, owners and deadlines, with diagnostics for every line it could not
//! place. [`parse`] owns the document structure, [`deadline`] the time
//! expressions, [`docx`] the extraction of paragraph text from Word files.

pub mod blocks;
pub mod deadline;
pub mod docx;
pub mod export;
pub mod import;
pub mod meta;
pub mod model;
pub mod parse;

pub use model::*;

/// The plan shipped with the tool: Quyết định 1879/QĐ-UBND, Quảng Ngãi 2024.
pub const SEED_TEXT: &str = include_str!("../../seeds/ke-hoach-cchc-2024-quang-ngai.txt");
/// File name of the embedded plan, for messages.
pub const SEED_NAME: &str = "seeds/ke-hoach-cchc-2024-quang-ngai.txt";

/// Parses the embedded seed plan against a directory.
pub fn seed(directory: &crate::agencies::Directory) -> Plan {
    parse::parse_text(SEED_TEXT, directory)
}
