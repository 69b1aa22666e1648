//! One run at a time per output folder: a lock file holding the process id
//! and start time, created exclusively, removed when the run ends. A lock
//! left by a run that was killed (its process is gone) is taken over with a
//! note; one held by a live run stops this run with a clear message.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Name of the lock file inside the output folder.
pub const LOCK_FILE: &str = ".cchc-dang-chay.lock";

pub struct OutLock {
    path: PathBuf,
}

impl OutLock {
    /// Takes the output folder's lock; returns it with notes (a stale lock
    /// taken over).
    ///
    /// # Errors
    /// Another live run holds the folder, or the lock cannot be created.
    pub fn acquire(out: &Path) -> anyhow::Result<(OutLock, Vec<String>)> {
        let path = out.join(LOCK_FILE);
        let mut notes = Vec::new();
        for _ in 0..3 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let now = chrono::Local::now().format("%d/%m/%Y %H:%M:%S");
                    let _ = writeln!(f, "{}\n{now}", std::process::id());
                    super::stale::remove_temporaries(out);
                    return Ok((OutLock { path }, notes));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    let mut lines = text.lines();
                    let pid = lines.next().and_then(|l| l.trim().parse::<u32>().ok());
                    let since = lines.next().unwrap_or("?").trim().to_string();
                    if let Some(pid) = pid.filter(|p| alive(*p)) {
                        anyhow::bail!(
                            "Thư mục kết quả {} đang được một lần chạy khác của cchc ghi vào (tiến trình {pid}, bắt đầu lúc {since}). Hãy đợi lần chạy đó xong, hoặc chọn thư mục khác bằng --out. Nếu chắc chắn không còn lần chạy nào, hãy xóa tệp {}.",
                            crate::intake::display_path(out),
                            crate::intake::display_path(&path)
                        );
                    }
                    let _ = std::fs::remove_file(&path);
                    notes.push(format!(
                        "lần chạy trước (bắt đầu lúc {since}) đã dừng giữa chừng; đã gỡ tệp khóa nó để lại. Các kết quả của lần chạy này thay thế toàn bộ."
                    ));
                }
                Err(e) => anyhow::bail!(
                    "Không tạo được tệp khóa trong thư mục kết quả {} ({}).",
                    crate::intake::display_path(out),
                    crate::intake::read::io_reason(&e)
                ),
            }
        }
        anyhow::bail!(
            "Không giữ được thư mục kết quả {}: nhiều lần chạy cùng lúc. Hãy chạy lại.",
            crate::intake::display_path(out)
        )
    }
}

/// Is a cchc process with this id running (not this one)?
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .is_ok_and(|c| c.windows(4).any(|w| w == b"cchc") || c.windows(8).any(|w| w == b"run_demo"))
}

impl Drop for OutLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
