//! The reading sandbox's child processes. A batch keeps a few long-lived
//! children `cchc __read --serve` (one per worker thread at most, spawned
//! on first use, ended by [`shutdown`]); each file is read by an idle one,
//! which is sent the file path (hex of the path's bytes, so a
//! non-UTF-8 name travels unchanged) and answers one JSON line: the
//! workbook and the SHA-256 of the bytes it parsed, or the finding.
//!
//! The child caps its own heap (`RLIMIT_DATA`, [`Limits::max_memory`]) when
//! it starts and silences panics (they become F005 through `catch_unwind`).
//! When the cap refuses memory the child dies; the parent sees its standard
//! error say so ([`OUT_OF_MEMORY`]) and gives the file F004 with the limit. A child that does not
//! answer within [`Limits::timeout`] is killed (the work really stops), and
//! the next file gets a new child. A child whose parent has gone exits on
//! its own.

use super::{
    corrupt, parse, precheck, read_capped, reader_crashed, sha256_hex, timed_out, Book, Limits,
};
use crate::intake::finding::Finding;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One answer of the child.
#[derive(serde::Serialize, serde::Deserialize)]
enum Wire {
    Book {
        book: Book,
        sha256: String,
    },
    Failed {
        code: String,
        message: String,
        sha256: Option<String>,
    },
}

/// What the parent hears from a child.
enum Msg {
    Reply(Vec<u8>),
    OutOfMemory,
    Closed,
}

enum Answer {
    Reply(Vec<u8>),
    TimedOut,
    Died { out_of_memory: bool },
}

struct Worker {
    key: String,
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Msg>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Idle children, taken by a worker thread for one file and given back.
static IDLE: Mutex<Vec<Worker>> = Mutex::new(Vec::new());

/// Ends every idle child and waits for it (so its CPU time is accounted to
/// the batch). Called when a batch has been read; the next read spawns anew.
pub fn shutdown() {
    let idle: Vec<Worker> = std::mem::take(&mut *IDLE.lock().unwrap_or_else(|p| p.into_inner()));
    drop(idle);
}

/// Reads `path` in a reader child; returns the workbook and the SHA-256 of
/// the bytes the child parsed.
pub fn read(exe: &Path, path: &Path, limits: &Limits) -> Result<(Book, String), Finding> {
    let child_limits = Limits {
        isolate: None,
        ..limits.clone()
    };
    let config = serde_json::to_string(&child_limits).expect("serialisable");
    let key = format!("{}\u{0}{config}", exe.display());
    let idle = {
        let mut idle = IDLE.lock().unwrap_or_else(|p| p.into_inner());
        idle.iter()
            .position(|w| w.key == key)
            .map(|i| idle.swap_remove(i))
    };
    let mut worker = match idle {
        Some(w) => w,
        None => Worker::spawn(exe, &config, key).map_err(|_| no_reader())?,
    };
    {
        let answer = worker.ask(path, limits.timeout);
        // A child that answered stays; one that timed out, died or answered
        // garbage is killed and the next file gets a fresh one.
        let (result, keep) = match answer {
            Answer::Reply(line) => decode(&line),
            Answer::TimedOut => (Err(timed_out(limits)), false),
            Answer::Died { out_of_memory } if out_of_memory => {
                (Err(self::out_of_memory(limits)), false)
            }
            Answer::Died { .. } => (Err(reader_crashed()), false),
        };
        if keep {
            IDLE.lock().unwrap_or_else(|p| p.into_inner()).push(worker);
        }
        result
    }
}

fn decode(line: &[u8]) -> (Result<(Book, String), Finding>, bool) {
    match serde_json::from_slice::<Wire>(line) {
        Ok(Wire::Book { book, sha256 }) => (Ok((book, sha256)), true),
        Ok(Wire::Failed { code, message, .. }) => match crate::form::rules::rule(&code) {
            Some(r) => (Err(Finding::new(r.code, message)), true),
            None => (Err(reader_crashed()), false),
        },
        Err(_) => (Err(reader_crashed()), false),
    }
}

fn no_reader() -> Finding {
    Finding::new(
        "F005",
        "Không khởi động được tiến trình đọc tệp (máy thiếu tài nguyên). Hãy chạy lại sau.",
    )
}

fn out_of_memory(limits: &Limits) -> Finding {
    Finding::new(
        "F004",
        format!(
            "Đọc tệp cần hơn {} MB bộ nhớ, vượt giới hạn cho một báo cáo (tệp khai báo kích thước bất thường, hoặc có rất nhiều dòng, cột lặp lại). Hãy mở tệp bằng Excel hoặc LibreOffice, xóa các dòng, cột, sheet thừa, lưu lại thành .xlsx rồi gửi lại.",
            limits.max_memory >> 20
        ),
    )
}

impl Worker {
    fn spawn(exe: &Path, config: &str, key: String) -> std::io::Result<Worker> {
        let mut child = Command::new(exe)
            .envs(CHILD_ALLOCATOR)
            .arg("__read")
            .arg("--serve")
            .arg("--limits")
            .arg(config)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        let tx_err = tx.clone();
        std::thread::spawn(move || forward_replies(stdout, tx));
        std::thread::spawn(move || watch_stderr(stderr, tx_err));
        Ok(Worker {
            key,
            child,
            stdin,
            rx,
        })
    }

    fn ask(&mut self, path: &Path, timeout: Duration) -> Answer {
        let line = hex::encode(path.as_os_str().as_bytes()) + "\n";
        let sent = self
            .stdin
            .write_all(line.as_bytes())
            .and_then(|_| self.stdin.flush());
        if sent.is_err() {
            return self.died(false);
        }
        let deadline = Instant::now() + timeout;
        let mut out_of_memory = false;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(Msg::Reply(s)) => return Answer::Reply(s),
                Ok(Msg::OutOfMemory) => out_of_memory = true,
                Ok(Msg::Closed) | Err(RecvTimeoutError::Disconnected) => {
                    return self.died(out_of_memory)
                }
                Err(RecvTimeoutError::Timeout) => return Answer::TimedOut,
            }
        }
    }

    /// The child ended: waits for it and for what it said on standard error.
    fn died(&mut self, mut out_of_memory: bool) -> Answer {
        let _ = self.child.wait();
        while let Ok(msg) = self.rx.recv_timeout(Duration::from_secs(2)) {
            if matches!(msg, Msg::OutOfMemory) {
                out_of_memory = true;
            }
        }
        Answer::Died { out_of_memory }
    }
}

fn forward_replies(stdout: impl Read, tx: Sender<Msg>) {
    let mut reader = BufReader::with_capacity(1 << 20, stdout);
    loop {
        let mut line = Vec::new();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                if tx.send(Msg::Reply(line)).is_err() {
                    return;
                }
            }
        }
    }
    let _ = tx.send(Msg::Closed);
}

/// Reads the child's standard error to its end (so it never blocks) and
/// reports an allocation failure (see [`OUT_OF_MEMORY`]).
fn watch_stderr(mut stderr: impl Read, tx: Sender<Msg>) {
    let mut buf = vec![0u8; 8192];
    let mut tail: Vec<u8> = Vec::new();
    while let Ok(n) = stderr.read(&mut buf) {
        if n == 0 {
            break;
        }
        tail.extend_from_slice(&buf[..n]);
        if OUT_OF_MEMORY
            .iter()
            .any(|m| tail.windows(m.len()).any(|w| w == *m))
        {
            let _ = tx.send(Msg::OutOfMemory);
            tail.clear();
        }
        let keep = tail.len().saturating_sub(32);
        tail.drain(..keep);
    }
}

/// The child side: caps its heap, then answers one path per line until its
/// standard input closes (or its parent is gone).
pub fn serve(limits: &Limits) -> std::io::Result<()> {
    restart_with_child_allocator();
    std::panic::set_hook(Box::new(|_| {}));
    cap_memory(limits.max_memory);
    exit_with_parent();
    let stdin = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    for line in stdin.lines() {
        let line = line?;
        let wire = match hex::decode(line.trim()) {
            Ok(raw) => serve_one(&PathBuf::from(std::ffi::OsString::from_vec(raw)), limits),
            Err(_) => failed(corrupt("yêu cầu đọc không hợp lệ"), None),
        };
        // One write per answer (the JSON has no raw line break).
        let mut json = serde_json::to_vec(&wire).expect("serialisable");
        json.push(b'\n');
        out.write_all(&json)?;
        out.flush()?;
    }
    Ok(())
}

/// Reads and parses one file inside the child.
fn serve_one(path: &Path, limits: &Limits) -> Wire {
    let bytes = match read_capped(path, limits) {
        Ok(b) => b,
        Err(f) => return failed(f, None),
    };
    let sha256 = sha256_hex(&bytes);
    let format = match precheck(&bytes, limits) {
        Ok(f) => f,
        Err(f) => return failed(f, Some(sha256)),
    };
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        parse(format, bytes, limits, None)
    }));
    match parsed {
        Ok(Ok(book)) => Wire::Book { book, sha256 },
        Ok(Err(f)) => failed(f, Some(sha256)),
        Err(_) => failed(reader_crashed(), Some(sha256)),
    }
}

fn failed(f: Finding, sha256: Option<String>) -> Wire {
    Wire::Failed {
        code: f.code.to_string(),
        message: f.message,
        sha256,
    }
}

/// The allocator's options (mimalloc reads them when a process starts) for
/// a reader child: arena memory committed as it is used — by default a
/// large arena is committed at once, which the heap cap would count whole,
/// leaving the child nothing — and its errors shown: when the cap refuses
/// memory, mimalloc says "cannot commit OS memory" before the child dies,
/// which tells the parent the file needed too much memory (F004).
const CHILD_ALLOCATOR: [(&str, &str); 2] = [
    ("MIMALLOC_ARENA_EAGER_COMMIT", "0"),
    ("MIMALLOC_SHOW_ERRORS", "1"),
];

/// What a reader child's standard error says when memory ran out: Rust's
/// message for a refused allocation, mimalloc's for a refused commit.
const OUT_OF_MEMORY: [&[u8]; 2] = [b"memory allocation", b"cannot commit OS memory"];

/// A reader child started without [`CHILD_ALLOCATOR`] (not by [`Worker`])
/// starts itself again with it, keeping its process id and pipes.
fn restart_with_child_allocator() {
    let set = |(var, value): &(&str, &str)| std::env::var_os(var).is_some_and(|v| v == *value);
    if CHILD_ALLOCATOR.iter().all(set) {
        return;
    }
    if let Ok(exe) = std::env::current_exe() {
        use std::os::unix::process::CommandExt;
        // Returns only when the restart failed; reading goes on as it can.
        let _ = Command::new(exe)
            .args(std::env::args_os().skip(1))
            .envs(CHILD_ALLOCATOR)
            .exec();
    }
}

/// Caps this process's heap. A reader child only: the batch itself is never
/// capped.
fn cap_memory(bytes: u64) {
    let _ = rlimit::setrlimit(rlimit::Resource::DATA, bytes, bytes);
}

/// Exits when the parent process has gone (a killed batch leaves no reader
/// running on, even one stuck in a parser).
fn exit_with_parent() {
    let parent = std::os::unix::process::parent_id();
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(500));
        if std::os::unix::process::parent_id() != parent {
            std::process::exit(0);
        }
    });
}
