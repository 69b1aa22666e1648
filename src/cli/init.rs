//! `cchc init DIR`: a working folder with `cchc.toml` and editable copies of
//! the agency directories (2024 and the one in force from 1/7/2025) and the
//! successor map, indicator catalogue, periods and report skeleton.
//! Existing files are never overwritten.

use super::workspace::{self, FILE_NAME};
use super::EXIT_OK;
use anyhow::Context as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Thư mục làm việc cần tạo (có thể đã có; tệp đã có được giữ nguyên).
    #[arg(value_name = "THƯ_MỤC")]
    pub dir: PathBuf,
}

/// The files a working folder starts with.
pub fn files() -> Vec<(&'static str, String)> {
    vec![
        (FILE_NAME, workspace::default_settings_toml()),
        ("agencies.csv", crate::agencies::DEFAULT_CSV.to_string()),
        (
            "agencies-2025-07.csv",
            crate::agencies::versions::CSV_2025_07.to_string(),
        ),
        (
            crate::agencies::successors::FILE_NAME,
            crate::agencies::successors::DEFAULT_CSV.to_string(),
        ),
        (
            "indicators.toml",
            crate::form::indicators::DEFAULT_TOML.to_string(),
        ),
        ("periods.toml", crate::period::DEFAULT_TOML.to_string()),
        (
            "report.toml",
            crate::document::config::DEFAULT_TOML.to_string(),
        ),
    ]
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let dir = &args.dir;
    std::fs::create_dir_all(dir.join("ket-qua"))
        .with_context(|| format!("Không tạo được thư mục {}", dir.display()))?;
    println!("Thư mục làm việc: {}", dir.display());
    for (name, text) in files() {
        let path = dir.join(name);
        if path.exists() {
            println!("  giữ nguyên  {name} (đã có)");
            continue;
        }
        std::fs::write(&path, text)
            .with_context(|| format!("Không ghi được {}", path.display()))?;
        println!("  đã tạo      {name}");
    }
    println!(
        "Sửa cchc.toml (người ký, nơi nhận, kế hoạch) và các danh mục cho đúng năm báo cáo; sau đó chạy các lệnh cchc trong thư mục này, hoặc thêm --dir {}.",
        dir.display()
    );
    Ok(EXIT_OK)
}
