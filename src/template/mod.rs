//! Report templates: one protected Excel workbook per agency and reporting
//! period, built in memory from the plan, the agency directory, the indicator
//! catalogue and the shared return-form contract ([`crate::form`]). A workbook
//! has a guide sheet ("Hướng dẫn"), the task sheet ("Nhiệm vụ"), the figure
//! sheet ("Số liệu"), a hidden list sheet and a very hidden metadata sheet; the
//! metadata is also stored as defined names and custom document properties.
//! [`build`] is pure (bytes out); [`batch`] writes many files in parallel.

pub mod answers;
pub mod batch;
mod figures;
mod guide;
mod meta;
mod style;
mod tasks;

use crate::agencies::{Agency, Directory};
use crate::form::indicators::Catalogue;
use crate::form::token::Key;
use crate::period::Period;
use crate::plan::Plan;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

pub use answers::{Answers, Cell};
pub use batch::{write_all, write_one, Batch, ManifestRow, MANIFEST_NAME};
pub use figures::{at_most_check_text, identity_check_text, FIGURE_HEADER_ROW};
pub use meta::{identity, metadata, GENERATED_AT_FORMAT};
pub use tasks::{due_note, role_text, TASK_HEADER_ROW};

/// Defined name of the status list on the hidden list sheet.
pub const STATUS_LIST_NAME: &str = "DS_TINHTRANG";

/// Everything one template is made from.
#[derive(Debug, Clone, Copy)]
pub struct TemplateInput<'a> {
    pub plan: &'a Plan,
    pub directory: &'a Directory,
    pub catalogue: &'a Catalogue,
    pub period: &'a Period,
    pub agency: &'a Agency,
    /// The authenticity key: only the token derived from it goes into the file.
    pub key: &'a Key,
    /// The creation time written into the file (fixed → identical bytes).
    pub generated_at: NaiveDateTime,
    /// Sheet protection password; `None` protects without a password.
    pub password: Option<&'a str>,
}

/// Builds one template as xlsx bytes, optionally with entry cells prefilled
/// (demos and intake tests).
///
/// # Errors
/// Only when the spreadsheet writer refuses a value (a bug, or a catalogue or
/// plan text longer than a cell can hold).
pub fn build(input: &TemplateInput, answers: Option<&Answers>) -> anyhow::Result<Vec<u8>> {
    build_with(input, answers, &Extra::default())
}

/// A step run on the workbook being built.
pub type Step<'a> = &'a dyn Fn(&mut Workbook) -> Result<(), rust_xlsxwriter::XlsxError>;

/// What [`build_with`] adds to a template: `first` runs before any sheet is
/// added (a sheet it adds comes first), `last` on the finished workbook
/// before it is saved. The feedback copy adds its list of fixes and its
/// annotations this way, so that the copy is the unit's own template.
#[derive(Default)]
pub struct Extra<'a> {
    pub first: Option<Step<'a>>,
    pub last: Option<Step<'a>>,
}

/// Builds one template like [`build`], with `extra` steps.
///
/// # Errors
/// As [`build`], or when a step fails.
pub fn build_with(
    input: &TemplateInput,
    answers: Option<&Answers>,
    extra: &Extra,
) -> anyhow::Result<Vec<u8>> {
    let empty = Answers::default();
    let answers = answers.unwrap_or(&empty);
    let mut wb = Workbook::new();
    let styles = style::Styles::new();
    wb.set_default_format(&styles.default, 20, 64)?;
    wb.set_properties(&properties(input)?);
    if let Some(first) = extra.first {
        first(&mut wb)?;
    }
    guide::add(&mut wb, input, &styles)?;
    tasks::add(&mut wb, input, answers, &styles)?;
    figures::add(&mut wb, input, answers, &styles)?;
    tasks::add_lists(&mut wb, input, &styles)?;
    meta::add(&mut wb, input, &styles)?;
    if let Some(last) = extra.last {
        last(&mut wb)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// ASCII file name: `2024-Q1_STP_so-tu-phap.xlsx`,
/// `2024-Q1_H522_ubnd-thanh-pho-quang-ngai.xlsx`.
pub fn file_name(period: &Period, agency: &Agency) -> String {
    let name = crate::text::slug(&agency.name);
    let name = match name.strip_prefix("uy-ban-nhan-dan-") {
        Some(rest) => format!("ubnd-{rest}"),
        None => name,
    };
    format!(
        "{}_{}_{name}.xlsx",
        period.id,
        crate::text::slug(&agency.code).to_ascii_uppercase(),
    )
}

/// The creation time as the spreadsheet writer wants it.
fn excel_time(t: NaiveDateTime) -> anyhow::Result<ExcelDateTime> {
    Ok(
        ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)?.and_hms(
            t.hour() as u16,
            t.minute() as u8,
            t.second(),
        )?,
    )
}

/// A date as the spreadsheet writer wants it.
fn excel_time_date(d: NaiveDate) -> Result<ExcelDateTime, rust_xlsxwriter::XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

fn properties(input: &TemplateInput) -> anyhow::Result<DocProperties> {
    let mut p = DocProperties::new()
        .set_title(format!(
            "Biểu mẫu báo cáo CCHC {} — {}",
            input.period.label(),
            input.agency.name
        ))
        .set_subject(input.plan.meta.title.clone())
        .set_author("Sở Nội vụ")
        .set_company("Sở Nội vụ")
        .set_category("Báo cáo cải cách hành chính")
        .set_creation_datetime(&excel_time(input.generated_at)?);
    for (key, value) in meta::pairs(&metadata(input)) {
        p = p.set_custom_property(key, value);
    }
    Ok(p)
}
