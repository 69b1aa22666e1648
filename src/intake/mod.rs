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
use crate::form::{
    Source, Submission, SHEET_FIGURES, SHEET_GUIDE, SHEET_LISTS, SHEET_TASKS, TEMPLATE_VERSION,
};
use checks::{figures, identity, structure, tasks, text};
use rayon::prelude::*;
use serde::Serialize;
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

    /// A file that could not be read, with the one finding that says why.
    pub fn failed(path: String, finding: Finding) -> Outcome {
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
            let plan_number = setup
                .plan
                .meta
                .decision_number
                .as_deref()
                .map(crate::text::fold);
            let cx = tasks::Context {
                setup,
                period: id.period.as_ref(),
                month_first: tasks::month_first_locale(t),
                plan_number: plan_number.as_deref(),
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

/// Where a file came from: path (shown losslessly, see [`display_path`]),
/// SHA-256 (hex) and modification time.
pub fn source_of(path: &Path, sha256: String) -> Source {
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
        path: display_path(path),
        sha256,
        modified,
    }
}

/// A path as text without losing anything: valid UTF-8 as is; each byte of
/// a name that is not UTF-8 (common after unzipping a Windows archive) as
/// `\xNN`, so two different names never show the same and the exact path
/// can be found again ([`path_of_display`]).
pub fn display_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.contains("\\x") => s.to_string(),
        _ => {
            let mut out = String::new();
            for chunk in bytes.utf8_chunks() {
                out += &chunk.valid().replace("\\x", "\\x5cx");
                for b in chunk.invalid() {
                    out += &format!("\\x{b:02X}");
                }
            }
            out
        }
    }
}

/// The exact path behind a [`display_path`] text.
pub fn path_of_display(shown: &str) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    if !shown.contains("\\x") {
        return PathBuf::from(shown);
    }
    let mut out = Vec::new();
    let b = shown.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'x') && i + 4 <= b.len() {
            if let Ok(v) = u8::from_str_radix(&shown[i + 2..i + 4], 16) {
                out.push(v);
                i += 4;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    PathBuf::from(std::ffi::OsString::from_vec(out))
}

/// Reads (sandboxed) and checks one file; the read workbook is returned for
/// the feedback copy.
pub fn validate_file(path: &Path, setup: &Setup, limits: &Limits) -> (Outcome, Option<Book>) {
    match read::read_path_skipping(path, limits, &UNREAD_SHEETS) {
        Ok((book, sha256, skipped)) => {
            let outcome = validate(&book, source_of(path, sha256), setup);
            if !skipped || !needs_whole_book(&outcome) {
                return (outcome, Some(book));
            }
        }
        Err(f) => return (Outcome::failed(display_path(path), f), None),
    }
    match read_path(path, limits) {
        Ok((book, sha256)) => {
            let outcome = validate(&book, source_of(path, sha256), setup);
            (outcome, Some(book))
        }
        Err(f) => (Outcome::failed(display_path(path), f), None),
    }
}

/// Sheets of the template that no check reads: the guide and the lists
/// behind the drop-downs. A return is first read without their cells, and
/// read again whole when the checks show that it may not be the template as
/// sent (see [`needs_whole_book`]).
const UNREAD_SHEETS: [&str; 2] = [SHEET_GUIDE, SHEET_LISTS];

/// Could the cells left unread change the outcome? Yes when the workbook
/// looked empty (F006), a table was not in its own sheet (S001–S003), or the
/// file is not proven to be the unit's template (its feedback copy then
/// copies every sheet).
fn needs_whole_book(o: &Outcome) -> bool {
    o.findings.iter().any(|f| {
        matches!(f.code, "F006" | "S001" | "S002" | "S003") || feedback::NOT_OWN.contains(&f.code)
    })
}

/// Ledger note of a return counted on the office's explicit decision.
pub const ACCEPTED_BY_CONTENT: &str = "Được tính theo quyết định của người tổng hợp (tùy chọn --nhan-theo-noi-dung): tệp không còn thông tin nhận diện và mã xác thực, đơn vị được nhận ra theo nội dung.";

/// The token policy: a return without any identification (no metadata, so
/// no token; the unit recognised from its content, M001) is not an official
/// return by default — its M001 becomes an error and it is not counted.
/// With `accept_by_content` (the office's explicit decision) it stays a
/// warning and is counted; the ledger records the decision.
pub fn apply_token_policy(o: &mut Outcome, accept_by_content: bool) {
    if accept_by_content || o.agency.is_none() {
        return;
    }
    let mut escalated = false;
    for f in o
        .findings
        .iter_mut()
        .filter(|f| f.code == "M001" && !f.is_error())
    {
        f.severity = Severity::Error;
        f.message += " Tệp không có mã xác thực nên không được tính là báo cáo chính thức của đơn vị: hãy nhập số liệu vào đúng biểu mẫu Sở Nội vụ đã gửi rồi gửi lại. (Người tổng hợp: nếu đã xác minh tệp này, chạy lại với --nhan-theo-noi-dung để tính.)";
        escalated = true;
    }
    if escalated {
        o.submission = None;
        o.findings.sort_by_key(|f| f.severity != Severity::Error);
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
    read::pool::shutdown();
    mark_duplicates(&mut outcomes);
    outcomes
}

/// Checks many files in parallel without keeping their outcomes: `each`
/// gets every file's index in `paths`, its outcome and its workbook, in any
/// order. Duplicates are not marked (see [`duplicate_finding`]).
pub fn validate_each<F>(paths: &[PathBuf], setup: &Setup, limits: &Limits, each: F)
where
    F: Fn(usize, Outcome, Option<&Book>) + Sync,
{
    paths.par_iter().enumerate().for_each(|(i, p)| {
        let (o, book) = validate_file(p, setup, limits);
        each(i, o, book.as_ref());
    });
    read::pool::shutdown();
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
                .map(String::as_str)
                .filter(|n| *n != outcomes[*i].path)
                .take(3)
                .collect();
            let f = duplicate_finding(&agency, &period, names.len(), &others);
            outcomes[*i].findings.push(f);
        }
    }
}

/// The M007 of one of the `count` files of `agency` for `period`; `others`:
/// the first (up to three) of the other files, in path order.
pub fn duplicate_finding(agency: &str, period: &str, count: usize, others: &[&str]) -> Finding {
    let mut list = others
        .iter()
        .take(3)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if count > 4 {
        list += &format!(" và {} tệp khác", count - 4);
    }
    Finding::new("M007", format!(
        "Đơn vị {agency} có {count} tệp cho kỳ {period}; tệp khác: {list}. Khi tổng hợp chỉ tính một tệp hợp lệ mới nhất; hãy báo Sở Nội vụ tệp nào là bản chính thức."))
}

/// What a walk over the folders found: every file to read (whatever its
/// name or extension — content decides), and every entry that cannot be
/// read at all with the finding that says why (a dangling link, a folder
/// without read permission, a FIFO or device, a hidden or Office lock file).
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub unreadable: Vec<(PathBuf, Finding)>,
}

impl Walk {
    /// The unreadable entries as outcomes, one per entry.
    pub fn unreadable_outcomes(&self) -> Vec<Outcome> {
        self.unreadable
            .iter()
            .map(|(p, f)| Outcome::failed(display_path(p), f.clone()))
            .collect()
    }
}

/// Walks files and folders (recursively, following links). File names in
/// `skip` (e.g. the received-dates list) are not returns and are left out.
///
/// # Errors
/// A path given that does not exist.
pub fn walk(inputs: &[PathBuf], skip: &[&str]) -> anyhow::Result<Walk> {
    let mut out = Walk::default();
    for input in inputs {
        anyhow::ensure!(
            input.exists() || input.symlink_metadata().is_ok(),
            "Không tìm thấy «{}». Hãy kiểm tra đường dẫn tệp hoặc thư mục.",
            display_path(input)
        );
        if !input.is_dir() {
            out.files.push(input.clone());
            continue;
        }
        for entry in walkdir::WalkDir::new(input).follow_links(true) {
            match entry {
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => take_entry(&mut out, e.path(), skip),
                Err(e) => {
                    let path = e.path().map(Path::to_path_buf).unwrap_or(input.clone());
                    out.unreadable.push((path, walk_error(&e)));
                }
            }
        }
    }
    out.files.sort();
    out.files.dedup();
    // Kept for the whole run: no spare room.
    out.files.shrink_to_fit();
    out.unreadable.sort_by(|a, b| a.0.cmp(&b.0));
    out.unreadable.dedup_by(|a, b| a.0 == b.0);
    Ok(out)
}

fn take_entry(out: &mut Walk, p: &Path, skip: &[&str]) {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if skip.contains(&name.as_ref()) {
        return;
    }
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => {
            out.unreadable
                .push((p.to_path_buf(), unreadable_entry(read::io_reason(&e))));
            return;
        }
    };
    if !meta.is_file() {
        out.unreadable
            .push((p.to_path_buf(), read::not_regular(&meta)));
    } else if name.starts_with("~$") || name.starts_with(".~lock.") {
        out.unreadable.push((p.to_path_buf(), Finding::new("F001", "Tệp khóa tạm do Excel hoặc LibreOffice tạo khi đang mở một bảng tính, không phải báo cáo; chương trình bỏ qua. Có thể xóa tệp này.")));
    } else {
        out.files.push(p.to_path_buf());
    }
}

fn unreadable_entry(reason: &str) -> Finding {
    Finding::new(
        "F002",
        format!("Không đọc được ({reason}). Hãy kiểm tra quyền truy cập hoặc đặt lại đúng tệp vào thư mục, rồi chạy lại."),
    )
}

fn walk_error(e: &walkdir::Error) -> Finding {
    if e.loop_ancestor().is_some() {
        return unreadable_entry("liên kết thư mục vòng lặp, trỏ ngược về thư mục cha");
    }
    let dangling = e.path().is_some_and(|p| {
        p.symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
            && !p.exists()
    });
    if dangling {
        return unreadable_entry("liên kết hỏng, trỏ tới tệp không còn tồn tại");
    }
    let is_dir = e.path().is_some_and(Path::is_dir);
    match e.io_error() {
        Some(io) if is_dir => unreadable_entry(&format!(
            "thư mục: {}; các tệp bên trong chưa được đọc",
            read::io_reason(io)
        )),
        Some(io) => unreadable_entry(read::io_reason(io)),
        None => unreadable_entry("lỗi hệ thống khi duyệt thư mục"),
    }
}

/// Expands files and folders (recursively) into the paths that look like
/// workbooks: a spreadsheet extension, or zip/OLE content whatever the
/// name. [`walk`] gives every file, for the batch's ledger.
///
/// # Errors
/// A path that does not exist.
pub fn collect_paths(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let walked = walk(inputs, &[])?;
    Ok(walked
        .files
        .into_iter()
        .filter(|p| {
            let ext_ok = p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.trim().to_ascii_lowercase().as_str()));
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            (ext_ok && !hidden) || looks_like_workbook(p)
        })
        .collect())
}

/// Zip or OLE magic bytes at the start of the file.
pub fn looks_like_workbook(p: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 4];
    std::fs::File::open(p)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|_| head == *b"PK\x03\x04" || head == [0xD0, 0xCF, 0x11, 0xE0])
}
