//! Writing many templates: one file per agency, built and written in parallel
//! (rayon), each buffer dropped as soon as it is on disk so memory does not
//! grow with the number of files, plus the manifest listing every file with
//! its SHA-256.

use super::{build, file_name, TemplateInput};
use crate::agencies::{Agency, Directory};
use crate::form::indicators::Catalogue;
use crate::form::token::Key;
use crate::period::Period;
use crate::plan::Plan;
use anyhow::Context as _;
use chrono::NaiveDateTime;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::Path;

/// File name of the manifest written beside the templates.
pub const MANIFEST_NAME: &str = "danh-sach-bieu-mau.csv";

/// What a batch of templates shares.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    pub plan: &'a Plan,
    pub directory: &'a Directory,
    pub catalogue: &'a Catalogue,
    pub period: &'a Period,
    pub key: &'a Key,
    pub generated_at: NaiveDateTime,
    pub password: Option<&'a str>,
}

impl<'a> Batch<'a> {
    /// The input for one agency's template.
    pub fn input(&self, agency: &'a Agency) -> TemplateInput<'a> {
        TemplateInput {
            plan: self.plan,
            directory: self.directory,
            catalogue: self.catalogue,
            period: self.period,
            agency,
            key: self.key,
            generated_at: self.generated_at,
            password: self.password,
        }
    }
}

/// One line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestRow {
    pub agency: String,
    pub name: String,
    pub file: String,
    pub tasks: usize,
    pub indicators: usize,
    pub sha256: String,
}

/// Builds one template and writes it to `path`; the bytes are dropped on return.
///
/// # Errors
/// The template cannot be built or the file cannot be written.
pub fn write_one(input: &TemplateInput, path: &Path) -> anyhow::Result<ManifestRow> {
    let bytes = build(input, None)?;
    std::fs::write(path, &bytes)
        .with_context(|| format!("Không ghi được tệp {}", path.display()))?;
    Ok(ManifestRow {
        agency: input.agency.code.clone(),
        name: input.agency.name.clone(),
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        tasks: input
            .plan
            .tasks_for(&input.agency.code, input.directory)
            .len(),
        indicators: input.catalogue.for_level(input.agency.level).len(),
        sha256: hex::encode(Sha256::digest(&bytes)),
    })
}

/// Writes one template per agency into `dir` (created if missing) in
/// parallel, then the manifest; returns the manifest rows in agency order.
///
/// # Errors
/// The folder cannot be created, or any template cannot be built or written
/// (the message names the file).
pub fn write_all(
    batch: &Batch,
    agencies: &[&Agency],
    dir: &Path,
) -> anyhow::Result<Vec<ManifestRow>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("Không tạo được thư mục {}", dir.display()))?;
    let rows = agencies
        .par_iter()
        .map(|a| write_one(&batch.input(a), &dir.join(file_name(batch.period, a))))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let manifest = dir.join(MANIFEST_NAME);
    std::fs::write(&manifest, manifest_csv(&rows)?)
        .with_context(|| format!("Không ghi được tệp {}", manifest.display()))?;
    Ok(rows)
}

/// The manifest as CSV (UTF-8 with BOM so that Excel shows Vietnamese).
pub fn manifest_csv(rows: &[ManifestRow]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record([
        "Mã đơn vị",
        "Tên đơn vị",
        "Tệp",
        "Số nhiệm vụ",
        "Số chỉ số",
        "SHA-256",
    ])?;
    for r in rows {
        w.write_record([
            r.agency.as_str(),
            &r.name,
            &r.file,
            &r.tasks.to_string(),
            &r.indicators.to_string(),
            &r.sha256,
        ])?;
    }
    Ok(w.into_inner()?)
}
