//! `cchc` — quarterly administrative-reform (CCHC) reporting for a Vietnamese
//! province. The modules follow the data: `plan` (the yearly plan → task
//! registry, with `agencies`) → `template` (one workbook per agency and
//! period) → `intake` (returned workbooks → submissions and findings) →
//! `compile` (aggregation, ledger) → `document` (DOCX report, summary
//! workbook). `form` is the contract between templates and intake; `text`
//! and `period` are shared helpers.

pub mod agencies;
pub mod cli;
pub mod compile;
pub mod demo;
pub mod document;
pub mod form;
pub mod intake;
pub mod period;
pub mod plan;
pub mod template;
pub mod text;
