//! Sandboxed reading of one returned file into a [`Book`]. Untrusted files
//! are checked before parsing: size, magic bytes (`PK` zip vs `D0 CF 11 E0`
//! OLE — the extension is not trusted), encryption (an encrypted OOXML file
//! is an OLE container holding an `EncryptionInfo` stream), the kind of zip
//! package (a Word document renamed `.xlsx` is refused), and every zip
//! entry's uncompressed size and compression ratio (zip bombs). While
//! parsing, cells are counted and text bytes summed (an 8 KB file whose 1 MB
//! shared string fills 1,000 cells is refused instead of costing 1 GB).
//!
//! Where parsing runs:
//! - `.xlsx` — nearly every return — is read by the intake's own reader
//!   ([`xlsx`]), in the calling thread: it never trusts a declared count,
//!   caps every part it inflates and charges text and cells to the budget as
//!   it reads, so one file's memory is bounded by construction and its work
//!   is linear in its bytes (no time limit needed, no verdict that depends
//!   on the machine's load). Reading it there costs no process hop: this is
//!   what keeps reading near the unzip + tokenise floor.
//! - `.xls`, `.xlsb`, `.ods` are read by calamine, whose readers do trust
//!   declared sizes. When [`Limits::isolate`] names a `cchc` executable (the
//!   CLI sets it to itself), they are read by a long-lived child process
//!   `cchc __read --serve` (see [`pool`]), one per worker thread, that caps
//!   its own heap at [`Limits::max_memory`] with `setrlimit`: a declared
//!   count the reader trusts (a row repeated over 16,384 columns) then fails
//!   an allocation in the child, not in the batch; the file gets F004
//!   ("vượt giới hạn bộ nhớ") and the next file a fresh child. A child that
//!   does not answer within [`Limits::timeout`] is killed, so timed-out work
//!   really stops. Without `isolate` (library use, tests from memory) they
//!   are parsed in a worker thread under `catch_unwind`, which checks its
//!   deadline as it goes and once more at the end.
//!
//! Input files are only ever opened for reading, and never more than
//! [`Limits::max_file_bytes`] of them is read into memory; the SHA-256 is
//! computed from the same bytes that were parsed.

use super::finding::Finding;
use super::values::Value;
use calamine::{Data, DataRef, Reader};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Cursor, Read as _};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub mod pool;
mod scan;
mod xlsx;

/// Bounds on what one file may cost.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    pub max_file_bytes: u64,
    /// Sum of uncompressed zip entry sizes.
    pub max_unzipped_bytes: u64,
    /// Highest compression ratio accepted for an entry above 1 MB.
    pub max_ratio: u64,
    /// Non-empty cells over all sheets.
    pub max_cells: usize,
    /// Bytes of cell text over all sheets (and, separately, of the
    /// shared-strings table).
    pub max_text_bytes: usize,
    /// Inflated bytes of any one part of an `.xlsx` package.
    #[serde(default = "default_part_bytes")]
    pub max_part_bytes: u64,
    pub timeout: Duration,
    /// Heap a reader child may use for one file (its `RLIMIT_DATA`).
    pub max_memory: u64,
    /// A `cchc` executable to read files in child processes
    /// (`cchc __read --serve`); `None` reads them in a worker thread.
    pub isolate: Option<std::path::PathBuf>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 30 << 20,
            max_unzipped_bytes: 300 << 20,
            max_ratio: 200,
            max_cells: 300_000,
            max_text_bytes: 64 << 20,
            max_part_bytes: default_part_bytes(),
            timeout: Duration::from_secs(20),
            max_memory: 256 << 20,
            isolate: None,
        }
    }
}

fn default_part_bytes() -> u64 {
    64 << 20
}

/// Spreadsheet formats the intake reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

/// One non-empty cell at its absolute zero-based position.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
    pub value: Value,
}

/// One sheet: its name, visibility and non-empty cells sorted by position.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    pub cells: Vec<Cell>,
}

impl Sheet {
    pub fn new(name: &str, mut cells: Vec<Cell>) -> Sheet {
        cells.sort_by_key(|c| (c.row, c.col));
        Sheet {
            name: name.to_string(),
            hidden: false,
            cells,
        }
    }

    /// The value at an absolute position.
    pub fn get(&self, row: u32, col: u32) -> Option<&Value> {
        self.cells
            .binary_search_by_key(&(row, col), |c| (c.row, c.col))
            .ok()
            .map(|i| &self.cells[i].value)
    }

    /// The trimmed text at a position ("" when empty).
    pub fn text(&self, row: u32, col: u32) -> String {
        self.get(row, col).map(Value::text).unwrap_or_default()
    }

    /// Cells of one row, in column order.
    pub fn row(&self, row: u32) -> &[Cell] {
        let start = self.cells.partition_point(|c| c.row < row);
        let end = self.cells.partition_point(|c| c.row <= row);
        &self.cells[start..end]
    }

    /// Distinct row numbers holding cells, ascending.
    pub fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.cells.iter().map(|c| c.row).collect();
        rows.dedup();
        rows
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

/// A workbook as read: sheets, defined names, custom document properties.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Book {
    pub format: Format,
    pub sheets: Vec<Sheet>,
    pub defined_names: Vec<(String, String)>,
    pub properties: BTreeMap<String, String>,
}

impl Book {
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }
}

/// Reads a file from disk, sandboxed; returns the workbook and the SHA-256
/// (hex) of the bytes read. A bad file gives one finding F00x.
pub fn read_path(path: &Path, limits: &Limits) -> Result<(Book, String), Finding> {
    read_path_skipping(path, limits, &[]).map(|(book, sha, _)| (book, sha))
}

/// As [`read_path`], except that the cells of the sheets named in `skip`
/// are left out of an `.xlsx` (the sheets are listed, empty); the flag
/// tells whether one was. Other formats are read whole.
pub fn read_path_skipping(
    path: &Path,
    limits: &Limits,
    skip: &[&str],
) -> Result<(Book, String, bool), Finding> {
    let meta = std::fs::metadata(path).map_err(|e| unopenable(&e))?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    if meta.len() > limits.max_file_bytes {
        return Err(too_big(meta.len(), limits));
    }
    let bytes = read_capped(path, limits)?;
    let sha = sha256_hex(&bytes);
    let format = precheck(&bytes, limits)?;
    match (&limits.isolate, format) {
        // `.xlsx` is read here, by a reader that bounds what it allocates
        // (see [`xlsx`]); the other formats' readers trust declared sizes,
        // so they run in a reader child when one is configured.
        (_, Format::Xlsx) => {
            let (book, skipped) = read_xlsx(&bytes, limits, skip)?;
            Ok((book, sha, skipped))
        }
        (Some(exe), _) => pool::read(exe, path, limits).map(|(book, sha)| (book, sha, false)),
        (None, _) => Ok((read_in_thread(format, bytes, limits)?, sha, false)),
    }
}

/// Reads an `.xlsx` in this thread with the bounded reader; a panic is a
/// finding.
fn read_xlsx(bytes: &[u8], limits: &Limits, skip: &[&str]) -> Result<(Book, bool), Finding> {
    quiet_worker_panics();
    let mut budget = Budget::new(limits, None);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        xlsx::parse_skipping(bytes, &mut budget, skip)
    }))
    .unwrap_or_else(|_| Err(reader_crashed()))
}

/// The same workbook read by calamine, for comparing the two readers
/// (tests and benchmarks only; the intake uses [`xlsx`]).
#[doc(hidden)]
pub fn read_xlsx_with_calamine(bytes: Vec<u8>, limits: &Limits) -> Result<Book, Finding> {
    let mut budget = Budget::new(limits, None);
    let wb = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| open_error(&e.to_string()))?;
    parse_xlsx(wb, &mut budget)
}

/// The file's bytes, never more than the size limit (a file that grows
/// while being read is refused, not read to the end).
pub fn read_capped(path: &Path, limits: &Limits) -> Result<Vec<u8>, Finding> {
    let file = std::fs::File::open(path).map_err(|e| unopenable(&e))?;
    // Sized from the file's length as it is now, never past the limit.
    let now = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(now.min(limits.max_file_bytes) as usize + 1);
    file.take(limits.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unopenable(&e))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(too_big(bytes.len() as u64, limits));
    }
    Ok(bytes)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// SHA-256 of a file read in blocks (a 4 GB file costs 64 KB of memory).
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// What an operating-system error means, in Vietnamese (never the OS's
/// English text).
pub fn io_reason(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "tệp không còn tồn tại hoặc là liên kết hỏng",
        K::PermissionDenied => "không có quyền truy cập",
        K::IsADirectory => "đây là thư mục, không phải tệp",
        K::InvalidInput | K::InvalidData => "tên hoặc nội dung tệp không hợp lệ",
        K::UnexpectedEof => "tệp bị cắt cụt",
        K::Interrupted | K::TimedOut | K::WouldBlock => "việc đọc bị gián đoạn",
        K::OutOfMemory => "máy thiếu bộ nhớ",
        _ if e.raw_os_error() == Some(5) => "lỗi đọc ghi đĩa (tệp hoặc ổ đĩa bị hỏng)",
        _ if e.raw_os_error() == Some(28) => "ổ đĩa đã đầy",
        _ if e.raw_os_error() == Some(30) => "ổ đĩa chỉ cho đọc",
        _ => "lỗi hệ thống khi đọc, ghi tệp",
    }
}

fn unopenable(e: &std::io::Error) -> Finding {
    Finding::new(
        "F002",
        format!(
            "Không đọc được tệp ({}). Kiểm tra tệp còn tồn tại, có quyền đọc, rồi chạy lại; nếu tệp hỏng, đề nghị đơn vị gửi lại.",
            io_reason(e)
        ),
    )
}

pub(crate) fn not_regular(meta: &std::fs::Metadata) -> Finding {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    let what = if t.is_dir() {
        "thư mục"
    } else if t.is_fifo() {
        "ống dẫn (FIFO)"
    } else if t.is_socket() {
        "socket"
    } else if t.is_block_device() || t.is_char_device() {
        "thiết bị"
    } else {
        "không phải tệp thường"
    };
    Finding::new(
        "F001",
        format!("Đây không phải tệp bảng tính mà là {what}; chương trình không đọc. Hãy đặt đúng tệp báo cáo vào thư mục."),
    )
}

fn too_big(len: u64, limits: &Limits) -> Finding {
    Finding::new(
        "F004",
        format!(
            "Tệp nặng {} MB, vượt giới hạn {} MB. Biểu mẫu báo cáo chỉ vài trăm KB: hãy gửi đúng biểu mẫu đã nhận, không chèn ảnh hay dữ liệu khác.",
            len >> 20,
            limits.max_file_bytes >> 20
        ),
    )
}

/// Reads a workbook from memory, sandboxed (pre-checks, then the reader
/// child when [`Limits::isolate`] is set, else a worker thread under
/// `catch_unwind` with a deadline).
pub fn read_bytes(bytes: Vec<u8>, limits: &Limits) -> Result<Book, Finding> {
    let format = precheck(&bytes, limits)?;
    if format == Format::Xlsx {
        return read_xlsx(&bytes, limits, &[]).map(|(book, _)| book);
    }
    if let Some(exe) = &limits.isolate {
        let mut file = tempfile::NamedTempFile::new().map_err(|_| reader_crashed())?;
        std::io::Write::write_all(&mut file, &bytes).map_err(|_| reader_crashed())?;
        return pool::read(exe, file.path(), limits).map(|(book, _)| book);
    }
    read_in_thread(format, bytes, limits)
}

/// Empty, too large, or not a workbook: decided before any parsing.
pub(crate) fn precheck(bytes: &[u8], limits: &Limits) -> Result<Format, Finding> {
    if bytes.is_empty() {
        return Err(Finding::new(
            "F006",
            "Tệp rỗng (0 byte). Hãy gửi lại tệp biểu mẫu đã nhập số liệu.",
        ));
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(too_big(bytes.len() as u64, limits));
    }
    sniff(bytes, limits)
}

/// Parses in a worker thread under `catch_unwind`, waiting at most the timeout.
fn read_in_thread(format: Format, bytes: Vec<u8>, limits: &Limits) -> Result<Book, Finding> {
    quiet_worker_panics();
    let (tx, rx) = mpsc::channel();
    let budget = limits.clone();
    let deadline = Instant::now() + limits.timeout;
    let spawned = std::thread::Builder::new()
        .name(WORKER.into())
        .spawn(move || {
            let out = std::panic::catch_unwind(|| {
                let result = parse(format, bytes, &budget, Some(deadline));
                // A reading that ended past its deadline is late however it
                // ended: the verdict does not depend on which thread won.
                if Instant::now() > deadline {
                    return Err(timed_out(&budget));
                }
                result
            });
            let _ = tx.send(out);
        });
    if spawned.is_err() {
        return Err(Finding::new(
            "F005",
            "Không tạo được luồng đọc tệp (máy thiếu tài nguyên). Chạy lại sau.",
        ));
    }
    // The worker checks its own deadline; this wait only abandons one stuck
    // inside a parser that never returns to the cell loop.
    match rx.recv_timeout(limits.timeout + Duration::from_secs(1)) {
        Ok(Ok(result)) => result,
        Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => Err(reader_crashed()),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(timed_out(limits)),
    }
}

pub(crate) fn reader_crashed() -> Finding {
    Finding::new(
        "F005",
        "Bộ đọc bảng tính gặp lỗi khi đọc tệp (tệp hỏng cấu trúc bên trong). Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại thành .xlsx rồi gửi lại.",
    )
}

pub(crate) fn timed_out(limits: &Limits) -> Finding {
    Finding::new(
        "F005",
        format!(
            "Không đọc xong tệp sau {} giây (tệp có thể bị cắt cụt hoặc hỏng). Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại thành .xlsx rồi gửi lại.",
            limits.timeout.as_secs()
        ),
    )
}

const WORKER: &str = "cchc-intake-read";

/// Panics in reader workers become findings; keep them off the terminal.
fn quiet_worker_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(WORKER) {
                previous(info);
            }
        }));
    });
}

/// Decides the format from the bytes (never the extension).
pub fn sniff(bytes: &[u8], limits: &Limits) -> Result<Format, Finding> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes, limits);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return sniff_ole(bytes);
    }
    Err(not_a_spreadsheet(describe_unknown(bytes)))
}

fn not_a_spreadsheet(what: &str) -> Finding {
    Finding::new(
        "F001",
        format!("Tệp không phải bảng tính ({what}). Hãy gửi đúng tệp Excel biểu mẫu đã nhận (.xlsx; có thể lưu dạng .xls hoặc .ods)."),
    )
}

fn describe_unknown(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"%PDF") {
        "tệp PDF"
    } else if bytes.starts_with(b"{\\rtf") {
        "tệp RTF"
    } else if bytes.iter().take(512).all(|b| b.is_ascii() || *b >= 0x80)
        && std::str::from_utf8(&bytes[..bytes.len().min(512)]).is_ok()
    {
        "tệp văn bản"
    } else {
        "định dạng không nhận ra"
    }
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn sniff_ole(bytes: &[u8]) -> Result<Format, Finding> {
    if contains(bytes, &utf16("EncryptionInfo")) || contains(bytes, &utf16("EncryptedPackage")) {
        return Err(encrypted());
    }
    let workbook = contains(bytes, &utf16("Workbook")) || contains(bytes, &utf16("Book"));
    if !workbook && !contains(bytes, &utf16("Root Entry")) {
        // The directory (at the end of the container) is missing: a .xls
        // cut short in transfer, not some other kind of file.
        return Err(corrupt(
            "tệp Excel .xls bị cắt cụt, thiếu phần mục lục bên trong",
        ));
    }
    if !workbook && contains(bytes, &utf16("WordDocument")) {
        return Err(not_a_spreadsheet("tệp Word .doc đổi tên"));
    }
    if !workbook {
        return Err(not_a_spreadsheet("tệp Office không phải Excel"));
    }
    Ok(Format::Xls)
}

fn encrypted() -> Finding {
    Finding::new(
        "F003",
        "Tệp được đặt mật khẩu mở nên không đọc được. Hãy mở tệp, bỏ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu: để trống) rồi gửi lại.",
    )
}

pub(crate) fn corrupt(detail: &str) -> Finding {
    Finding::new(
        "F002",
        format!("Tệp bị hỏng, không đọc được ({detail}). Có thể tệp tải về hoặc đính kèm chưa trọn vẹn: hãy gửi lại tệp gốc."),
    )
}

fn sniff_zip(bytes: &[u8], limits: &Limits) -> Result<Format, Finding> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| corrupt("gói nén bị cắt cụt hoặc sai cấu trúc"))?;
    let mut names = Vec::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|_| corrupt("mục nén bị hỏng"))?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > (1 << 20) && size / packed > limits.max_ratio {
            return Err(Finding::new("F004", format!(
                "Tệp chứa một phần nén bất thường (giải nén ra {} MB từ {} KB — dấu hiệu «bom zip»). Tệp không được đọc; hãy gửi lại đúng biểu mẫu.",
                size >> 20, packed >> 10)));
        }
        names.push(entry.name().map(|n| n.to_string()).unwrap_or_default());
    }
    if total > limits.max_unzipped_bytes {
        return Err(Finding::new("F004", format!(
            "Tệp giải nén ra {} MB, vượt giới hạn {} MB. Hãy xóa dữ liệu thừa (các dòng, sheet không thuộc biểu mẫu) rồi gửi lại.",
            total >> 20, limits.max_unzipped_bytes >> 20)));
    }
    zip_kind(&names, bytes)
}

fn zip_kind(names: &[String], bytes: &[u8]) -> Result<Format, Finding> {
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.xml") {
        Ok(Format::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("content.xml") && contains(&bytes[..bytes.len().min(200)], b"spreadsheet") {
        Ok(Format::Ods)
    } else if has("word/document.xml") {
        Err(not_a_spreadsheet("tệp Word .docx đổi tên"))
    } else if has("ppt/presentation.xml") {
        Err(not_a_spreadsheet("tệp PowerPoint đổi tên"))
    } else if has("content.xml") {
        Err(not_a_spreadsheet(
            "tài liệu OpenDocument không phải bảng tính",
        ))
    } else {
        Err(not_a_spreadsheet("tệp nén .zip"))
    }
}

/// Running totals against the cell and text budgets.
struct Budget<'a> {
    limits: &'a Limits,
    cells: usize,
    text: usize,
    deadline: Option<Instant>,
}

impl<'a> Budget<'a> {
    fn new(limits: &'a Limits, deadline: Option<Instant>) -> Budget<'a> {
        Budget {
            limits,
            cells: 0,
            text: 0,
            deadline,
        }
    }

    fn too_much(&self) -> Finding {
        Finding::new("F004", format!(
            "Tệp có quá nhiều dữ liệu (trên {} ô hoặc {} MB chữ) so với một biểu mẫu báo cáo. Hãy xóa các dòng, cột, sheet thừa rồi gửi lại.",
            self.limits.max_cells, self.limits.max_text_bytes >> 20))
    }

    fn take(&mut self, v: &Value) -> Result<(), Finding> {
        self.cells += 1;
        if self.cells.is_multiple_of(1024) && self.deadline.is_some_and(|d| Instant::now() > d) {
            return Err(timed_out(self.limits));
        }
        if let Value::Text(s) = v {
            self.text += s.len();
        }
        if self.cells > self.limits.max_cells || self.text > self.limits.max_text_bytes {
            return Err(self.too_much());
        }
        Ok(())
    }
}

pub(crate) fn parse(
    format: Format,
    bytes: Vec<u8>,
    limits: &Limits,
    deadline: Option<Instant>,
) -> Result<Book, Finding> {
    let mut budget = Budget::new(limits, deadline);
    let cursor = Cursor::new(bytes);
    match format {
        Format::Xlsx => xlsx::parse(cursor.get_ref(), &mut budget),
        Format::Xls => {
            let mut wb = calamine::Xls::new(cursor).map_err(|e| open_error(&e.to_string()))?;
            let props = wb
                .workbook_properties()
                .map(|p| p.custom_properties)
                .unwrap_or_default();
            parse_ranges(wb, Format::Xls, props, &mut budget)
        }
        Format::Xlsb => {
            let mut wb = calamine::Xlsb::new(cursor).map_err(|e| open_error(&e.to_string()))?;
            let props = wb
                .workbook_properties()
                .map(|p| p.custom_properties)
                .unwrap_or_default();
            parse_ranges(wb, Format::Xlsb, props, &mut budget)
        }
        Format::Ods => {
            let wb = calamine::Ods::new(cursor).map_err(|e| open_error(&e.to_string()))?;
            let props = wb
                .workbook_properties()
                .map(|p| p.custom_properties)
                .unwrap_or_default();
            parse_ranges(wb, Format::Ods, props, &mut budget)
        }
    }
}

fn open_error(detail: &str) -> Finding {
    if detail.to_ascii_lowercase().contains("password") || detail.contains("encrypt") {
        encrypted()
    } else {
        corrupt("cấu trúc bảng tính bên trong bị lỗi")
    }
}

fn hidden(v: calamine::SheetVisible) -> bool {
    v != calamine::SheetVisible::Visible
}

fn parse_xlsx(
    mut wb: calamine::Xlsx<Cursor<Vec<u8>>>,
    budget: &mut Budget,
) -> Result<Book, Finding> {
    let metas = wb.sheets_metadata().to_vec();
    let defined_names = wb.defined_names().to_vec();
    let properties = wb
        .workbook_properties()
        .map(|p| p.custom_properties)
        .unwrap_or_default();
    let mut sheets = Vec::new();
    for meta in metas {
        let mut cells = Vec::new();
        let mut reader = wb
            .worksheet_cells_reader(&meta.name)
            .map_err(|_| corrupt("một sheet không đọc được"))?;
        while let Some(cell) = reader
            .next_cell()
            .map_err(|_| corrupt("dữ liệu một sheet bị lỗi"))?
        {
            let Some(value) = from_ref(cell.get_value()) else {
                continue;
            };
            budget.take(&value)?;
            let (row, col) = cell.get_position();
            cells.push(Cell { row, col, value });
        }
        drop(reader);
        let mut sheet = Sheet::new(&meta.name, cells);
        sheet.hidden = hidden(meta.visible);
        sheets.push(sheet);
    }
    Ok(Book {
        format: Format::Xlsx,
        sheets,
        defined_names,
        properties: properties.into_iter().collect(),
    })
}

fn parse_ranges<R: Reader<Cursor<Vec<u8>>>>(
    mut wb: R,
    format: Format,
    properties: std::collections::HashMap<String, String>,
    budget: &mut Budget,
) -> Result<Book, Finding> {
    let metas = wb.sheets_metadata().to_vec();
    let defined_names = wb.defined_names().to_vec();
    let mut sheets = Vec::new();
    for meta in metas {
        let range = wb
            .worksheet_range(&meta.name)
            .map_err(|_| corrupt("một sheet không đọc được"))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for (r, c, data) in range.used_cells() {
            let Some(value) = from_data(data) else {
                continue;
            };
            budget.take(&value)?;
            cells.push(Cell {
                row: r0 + r as u32,
                col: c0 + c as u32,
                value,
            });
        }
        let mut sheet = Sheet::new(&meta.name, cells);
        sheet.hidden = hidden(meta.visible);
        sheets.push(sheet);
    }
    Ok(Book {
        format,
        sheets,
        defined_names,
        properties: properties.into_iter().collect(),
    })
}

/// A text cell's value; blank text is no value.
fn text_value<S: AsRef<str> + Into<String>>(s: S) -> Option<Value> {
    // A text starting with a visible ASCII character is not blank: the
    // usual case, decided without trimming.
    let t = s.as_ref();
    let blank = !t.as_bytes().first().is_some_and(u8::is_ascii_graphic) && t.trim().is_empty();
    (!blank).then(|| Value::Text(s.into()))
}

fn from_ref(d: &DataRef) -> Option<Value> {
    Some(match d {
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) => return text_value(s),
        DataRef::SharedString(s) => return text_value(*s),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) => Value::Date(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::DateIso(s.clone()),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => return None,
    })
}

fn from_data(d: &Data) -> Option<Value> {
    Some(match d {
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s)
            if s.starts_with('#') && s.ends_with(['A', '!', '?', '0']) && s.len() <= 8 =>
        {
            Value::Error(s.clone())
        }
        Data::String(s) => return text_value(s),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => Value::Date(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::DateIso(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => return None,
    })
}
