//! The template's identity (agency, period, plan fingerprint, layout version,
//! creation time, authenticity token), stored three times so that it survives
//! what people and programs do to a workbook: the very hidden sheet `_cchc`
//! (column A key, column B value, one row per key of [`meta::ALL`], no header),
//! workbook defined names (`CCHC_AGENCY` = `="STP"`) and custom document
//! properties (named by the keys themselves). [`metadata`] is the pure source
//! of all three, and what intake compares a return against.

use super::style::{self, Styles};
use super::TemplateInput;
use crate::form::{meta, Metadata, TEMPLATE_VERSION};
use rust_xlsxwriter::{Workbook, XlsxError};

/// Format of `generated_at` in the metadata.
pub const GENERATED_AT_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// The metadata a template for this agency and period carries.
pub fn metadata(input: &TemplateInput) -> Metadata {
    let fingerprint = &input.plan.meta.fingerprint;
    Metadata {
        agency: Some(input.agency.code.clone()),
        period: Some(input.period.id.clone()),
        plan_fingerprint: Some(fingerprint.clone()),
        template_version: Some(TEMPLATE_VERSION.to_string()),
        generated_at: Some(input.generated_at.format(GENERATED_AT_FORMAT).to_string()),
        token: Some(
            input
                .key
                .token(&input.agency.code, &input.period.id, fingerprint),
        ),
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
