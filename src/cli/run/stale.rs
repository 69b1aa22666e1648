//! Outputs of a previous run that this run did not produce: feedback copies
//! of files since corrected, replaced or withdrawn are moved aside (never
//! silently kept beside the new ones, never deleted), and temporary files a
//! killed run left behind are removed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Where stale feedback copies go, inside the output folder.
pub const ASIDE_DIR: &str = "gop-y-cu";

/// Moves every file of `dir` that is not in `made` to `out/gop-y-cu/`;
/// returns a note for the summary when it moved any.
pub fn move_aside(dir: &Path, made: &BTreeSet<PathBuf>, out: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let stale: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && !made.contains(p))
        .collect();
    if stale.is_empty() {
        return Vec::new();
    }
    let aside = out.join(ASIDE_DIR);
    if std::fs::create_dir_all(&aside).is_err() {
        return vec![format!(
            "{} bản góp ý của lần chạy trước vẫn nằm trong {} vì không tạo được thư mục {}.",
            stale.len(),
            crate::intake::display_path(dir),
            crate::intake::display_path(&aside)
        )];
    }
    let moved = stale
        .iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| std::fs::rename(p, aside.join(n)).is_ok())
        })
        .count();
    vec![format!(
        "{moved} bản góp ý của lần chạy trước không ứng với tệp nào của lần này (tệp đã được sửa, thay hoặc rút) nên đã chuyển sang {}.",
        crate::intake::display_path(&aside)
    )]
}

/// Removes the temporary files (`.NAME.tmp-PID-N`) a killed run left in
/// the output folder and its feedback folder.
pub fn remove_temporaries(out: &Path) {
    for dir in [out.to_path_buf(), out.join(super::FEEDBACK_DIR)] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.contains(".tmp-") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}
