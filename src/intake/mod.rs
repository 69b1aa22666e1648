//! Intake: returned workbooks → findings and submissions.
//!
//! [`read`] turns a file into a [`Book`] inside a sandbox (magic-byte
//! sniffing, size and zip limits, a worker thread under `catch_unwind` with a
//! time bound); [`validate`] is pure: it checks a `Book` against the plan, the
//! agency directory, the period and the indicator catalogue and returns an
//! [`Outcome`] — findings (rule codes from `form::rules::RULES`), and the
//! canonical [`Submission`] when the file has no errors. [`validate_paths`]
//! runs a batch in parallel, in a stable order, and marks duplicate returns
//! (M007). Renderers (`render`) and the annotated copy (`feedback`) sit at
//! the edge.

pub mod checks;
pub mod feedback;
pub mod finding;
pub mod legacy;
pub mod locate;
pub mod read;
pub mod render;
pub mod values;

pub use checks::Setup;
pub use finding::Finding;
pub use read::{read_bytes, read_path, Book, Limits};

use crate::form::rules::Severity;
use crate::form::{Source, Submission, SHEET_FIGURES, SHEET_TASKS, TEMPLATE_VERSION};
use checks::{figures, identity, structure, tasks, text};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Extensions taken from folders.
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// The verdict on one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub path: String,
    pub agency: Option<String>,
    pub period: Option<String>,
    pub findings: Vec<Finding>,
    /// The canonical content; `None` when the file has errors.
    #[serde(skip)]
    pub submission: Option<Submission>,
}

impl Outcome {
    /// No errors (warnings allowed).
    pub fn accepted(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }

    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }

    fn failed(path: String, finding: Finding) -> Outcome {
        Outcome {
            path,
            agency: None,
            period: None,
            findings: vec![finding],
            submission: None,
        }
    }
}

/// Checks a read workbook. Pure: no I/O.
pub fn validate(book: &Book, source: Source, setup: &Setup) -> Outcome {
    let path = source.path.clone();
    if book.sheets.iter().all(|s| s.is_empty()) {
        return Outcome::failed(path, Finding::new("F006", "Tệp không có dữ liệu: mọi sheet đều trống. Hãy gửi lại đúng tệp biểu mẫu đã nhập số liệu."));
    }
    let (book, mut findings) = text::clean(book);
    let task_table = locate::table(
        &book,
        SHEET_TASKS,
        &structure::headers(),
        &structure::REQUIRED,
    );
    let figure_table = locate::table(
        &book,
        SHEET_FIGURES,
        &figures::headers(),
        &figures::REQUIRED,
    );
    let seen = identity::Seen {
        tasks: task_table.as_ref().ok(),
        figures: figure_table.as_ref().ok(),
        path: &path,
    };
    let id = identity::identify(&book, setup, seen);
    findings.extend(id.findings.iter().cloned());
    let mut reports = Vec::new();
    match &task_table {
        Ok(t) => {
            findings.extend(renamed(t, SHEET_TASKS));
            let (rows, f) = structure::task_rows(t, setup, id.agency.as_deref());
            findings.extend(f);
            let cx = tasks::Context {
                setup,
                period: id.period.as_ref(),
                month_first: tasks::month_first_locale(t),
            };
            for row in &rows {
                let (report, f) = tasks::check_row(t, row, cx);
                findings.extend(f);
                reports.push(report);
            }
        }
        Err(f) => findings.push(f.clone()),
    }
    let mut indicators = BTreeMap::new();
    match (
        &figure_table,
        id.agency.as_deref().and_then(|a| setup.directory.get(a)),
    ) {
        (Ok(t), Some(agency)) => {
            findings.extend(renamed(t, SHEET_FIGURES));
            let communes = setup.directory.communes_of(&agency.code).count();
            let (v, f) = figures::check(t, setup.catalogue, agency.level, communes);
            indicators = v;
            findings.extend(f);
        }
        (Ok(t), None) => findings.extend(renamed(t, SHEET_FIGURES)),
        (Err(f), _) => findings.push(f.clone()),
    }
    findings.sort_by_key(|f| f.severity != Severity::Error);
    let submission = match (&id.agency, &id.period) {
        (Some(agency), Some(period)) if !findings.iter().any(Finding::is_error) => {
            Some(Submission {
                agency: agency.clone(),
                period: period.id.clone(),
                plan_fingerprint: id
                    .metadata
                    .plan_fingerprint
                    .clone()
                    .unwrap_or_else(|| setup.plan.meta.fingerprint.clone()),
                template_version: id
                    .metadata
                    .template_version
                    .clone()
                    .unwrap_or_else(|| TEMPLATE_VERSION.to_string()),
                source,
                tasks: reports,
                indicators,
            })
        }
        _ => None,
    };
    Outcome {
        path,
        agency: id.agency,
        period: id.period.map(|p| p.id),
        findings,
        submission,
    }
}

fn renamed(t: &locate::Table, name: &str) -> Option<Finding> {
    t.renamed.then(|| {
        Finding::new("S002", format!("Sheet «{name}» đã bị đổi tên thành «{}»; chương trình vẫn tìm thấy theo nội dung. Lần sau đừng đổi tên sheet.", t.sheet.name)).on(&t.sheet.name)
    })
}

/// Where a file came from: path, SHA-256, modification time.
pub fn source_of(path: &Path, bytes: &[u8]) -> Source {
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| {
            chrono::DateTime::<chrono::Local>::from(t)
                .naive_local()
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string()
        });
    Source {
        path: path.display().to_string(),
        sha256: hex::encode(Sha256::digest(bytes)),
        modified,
    }
}

/// Reads (sandboxed) and checks one file; the read workbook is returned for
/// the feedback copy.
pub fn validate_file(path: &Path, setup: &Setup, limits: &Limits) -> (Outcome, Option<Book>) {
    match read_path(path, limits) {
        Ok((book, bytes)) => {
            let outcome = validate(&book, source_of(path, &bytes), setup);
            (outcome, Some(book))
        }
        Err(f) => (Outcome::failed(path.display().to_string(), f), None),
    }
}

/// Checks many files in parallel; results sorted by path, duplicates marked.
/// `each` sees every outcome with its workbook (for feedback copies) and may
/// drop what the caller does not keep (e.g. the submission) to save memory.
pub fn validate_paths<F>(paths: &[PathBuf], setup: &Setup, limits: &Limits, each: F) -> Vec<Outcome>
where
    F: Fn(&mut Outcome, Option<&Book>) + Sync,
{
    let mut sorted = paths.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut outcomes: Vec<Outcome> = sorted
        .par_iter()
        .map(|p| {
            let (mut o, book) = validate_file(p, setup, limits);
            each(&mut o, book.as_ref());
            o
        })
        .collect();
    mark_duplicates(&mut outcomes);
    outcomes
}

/// M007 on every file of an agency that sent more than one for a period.
pub fn mark_duplicates(outcomes: &mut [Outcome]) {
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, o) in outcomes.iter().enumerate() {
        if let (Some(a), Some(p)) = (&o.agency, &o.period) {
            groups.entry((a.clone(), p.clone())).or_default().push(i);
        }
    }
    for ((agency, period), idx) in groups.into_iter().filter(|(_, v)| v.len() > 1) {
        let names: Vec<String> = idx.iter().map(|i| outcomes[*i].path.clone()).collect();
        for i in &idx {
            let others: Vec<&str> = names
                .iter()
                .filter(|n| **n != outcomes[*i].path)
                .map(String::as_str)
                .collect();
            let mut list = others
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            if others.len() > 3 {
                list += &format!(" và {} tệp khác", others.len() - 3);
            }
            outcomes[*i].findings.push(Finding::new("M007", format!(
                "Đơn vị {agency} có {} tệp cho kỳ {period}; tệp khác: {list}. Khi tổng hợp chỉ tính một tệp hợp lệ mới nhất; hãy báo Sở Nội vụ tệp nào là bản chính thức.", idx.len())));
        }
    }
}

/// Expands files and folders (recursively) into spreadsheet paths.
///
/// # Errors
/// A path that does not exist.
pub fn collect_paths(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        anyhow::ensure!(
            input.exists(),
            "Không tìm thấy «{}». Hãy kiểm tra đường dẫn tệp hoặc thư mục.",
            input.display()
        );
        if input.is_file() {
            out.push(input.clone());
            continue;
        }
        for entry in walkdir::WalkDir::new(input)
            .follow_links(true)
            .into_iter()
            .filter_map(Result::ok)
        {
            let p = entry.path();
            let hidden = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.') || n.starts_with("~$"));
            let ext_ok = p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            if entry.file_type().is_file() && ext_ok && !hidden {
                out.push(p.to_path_buf());
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
