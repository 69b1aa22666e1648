//! The template's identity (agency, period, plan fingerprint, layout version,
//! creation time, authenticity token), stored three times so that it survives
//! what people and programs do to a workbook: the very hidden sheet `_cchc`
//! (column A key, column B value, one row per key of [`meta::ALL`], no header),
//! workbook defined names (`CCHC_AGENCY` = `="STP"`) and custom document
//! properties (named by the keys themselves). [`metadata`] is the pure source
//! of all three, and what intake compares a return against.

use super::style::{self, Styles};
use super::TemplateInput;
use crate::form::token::Key;
use crate::form::{meta, Metadata, TEMPLATE_VERSION};
use rust_xlsxwriter::{Workbook, XlsxError};

/// Format of `generated_at` in the metadata.
pub const GENERATED_AT_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// The metadata a template for this agency and period carries.
pub fn metadata(input: &TemplateInput) -> Metadata {
    let fingerprint = &input.plan.meta.fingerprint;
    Metadata {
        generated_at: Some(input.generated_at.format(GENERATED_AT_FORMAT).to_string()),
        ..identity(input.key, &input.agency.code, &input.period.id, fingerprint)
    }
}

/// What any template for this agency, period and plan carries, whenever it
/// was made (`generated_at` is `None`): agency, period, fingerprint, layout
/// version and token. Intake compares a return's metadata against this.
pub fn identity(key: &Key, agency: &str, period: &str, fingerprint: &str) -> Metadata {
    Metadata {
        agency: Some(agency.to_string()),
        period: Some(period.to_string()),
        plan_fingerprint: Some(fingerprint.to_string()),
        template_version: Some(TEMPLATE_VERSION.to_string()),
        generated_at: None,
        token: Some(key.token(agency, period, fingerprint)),
    }
}

/// Key/value pairs in [`meta::ALL`] order (missing values as empty text).
pub fn pairs(m: &Metadata) -> Vec<(&'static str, String)> {
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    meta::ALL
        .iter()
        .map(|&k| {
            let v = match k {
                meta::AGENCY => value(&m.agency),
                meta::PERIOD => value(&m.period),
                meta::PLAN_FINGERPRINT => value(&m.plan_fingerprint),
                meta::TEMPLATE_VERSION => value(&m.template_version),
                meta::GENERATED_AT => value(&m.generated_at),
                meta::TOKEN => value(&m.token),
                _ => String::new(),
            };
            (k, v)
        })
        .collect()
}

/// Adds the metadata sheet and the defined names.
pub fn add(wb: &mut Workbook, input: &TemplateInput, styles: &Styles) -> Result<(), XlsxError> {
    let pairs = pairs(&metadata(input));
    let ws = wb.add_worksheet().set_name(crate::form::SHEET_META)?;
    for (row, (key, value)) in pairs.iter().enumerate() {
        ws.write_string_with_format(row as u32, 0, *key, &styles.default)?;
        ws.write_string_with_format(row as u32, 1, value, &styles.default)?;
    }
    ws.set_column_width(0, 24)?.set_column_width(1, 40)?;
    ws.set_very_hidden(true);
    style::protect(ws, input.password);
    for (key, value) in &pairs {
        let constant = format!("=\"{}\"", value.replace('"', "\"\""));
        wb.define_name(meta::defined_name(key), &constant)?;
    }
    Ok(())
}
