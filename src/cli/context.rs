//! Resolves the global options (`--plan`, `--agencies`, …) into the loaded
//! plan, directory, schedule and indicator catalogue that every subcommand
//! works on. The embedded defaults serve when no option is given.

use super::workspace::Workspace;
use crate::agencies::Directory;
use crate::form::indicators::Catalogue;
use crate::form::token::{self, Key};
use crate::period::Schedule;
use crate::plan::{self, Plan};
use anyhow::Context as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, clap::Args)]
pub struct Inputs {
    /// Thư mục làm việc (có tệp cchc.toml, tạo bằng «cchc init»). Mặc định: thư mục hiện tại nếu có cchc.toml.
    #[arg(long, global = true, value_name = "THƯ_MỤC")]
    pub dir: Option<PathBuf>,
    /// Tệp kế hoạch CCHC (.txt, .docx, hoặc bảng tính .xlsx/.ods theo mẫu «cchc plan export --format xlsx»). Mặc định: kế hoạch 2024 của Quảng Ngãi có sẵn trong chương trình.
    #[arg(long, global = true, value_name = "TỆP")]
    pub plan: Option<PathBuf>,
    /// Danh mục cơ quan (CSV, cùng cột với templates/agencies.csv).
    #[arg(long, global = true, value_name = "TỆP")]
    pub agencies: Option<PathBuf>,
    /// Lịch kỳ báo cáo và hạn nộp (TOML, như templates/periods.toml).
    #[arg(long, global = true, value_name = "TỆP")]
    pub periods: Option<PathBuf>,
    /// Danh mục chỉ số (TOML, như templates/indicators.toml).
    #[arg(long, global = true, value_name = "TỆP")]
    pub indicators: Option<PathBuf>,
    /// Tệp khóa bí mật dùng tạo và kiểm tra mã xác thực biểu mẫu (tự tạo lần đầu). Mặc định: biến CCHC_KEY_FILE, hoặc ~/.config/cchc/khoa-xac-thuc.key.
    #[arg(long, global = true, value_name = "TỆP")]
    pub key: Option<PathBuf>,
}

/// Everything a subcommand needs, loaded once.
pub struct Context {
    pub directory: Directory,
    pub plan: Plan,
    /// Where the plan came from, for messages.
    pub plan_source: String,
    pub schedule: Schedule,
    pub catalogue: Catalogue,
    /// Where the authenticity key lives; read (or created) on first use.
    pub key_path: PathBuf,
    /// The working folder, when one is in use (`--dir` or `cchc.toml` here).
    pub workspace: Option<Workspace>,
}

impl Context {
    pub fn load(inputs: &Inputs) -> anyhow::Result<Context> {
        let workspace = Workspace::find(inputs.dir.as_deref())?;
        let filled = workspace.as_ref().map(|w| w.fill(inputs));
        let inputs = filled.as_ref().unwrap_or(inputs);
        let directory = match &inputs.agencies {
            Some(p) => Directory::load(p)?,
            None => Directory::embedded(),
        };
        let (plan, plan_source) = match &inputs.plan {
            Some(p) => (load_plan(p, &directory)?, p.display().to_string()),
            None => (plan::seed(&directory), plan::SEED_NAME.to_string()),
        };
        let schedule = match &inputs.periods {
            Some(p) => Schedule::load(p)?,
            None => Schedule::embedded(),
        };
        let catalogue = match &inputs.indicators {
            Some(p) => Catalogue::load(p)?,
            None => Catalogue::embedded(),
        };
        Ok(Context {
            directory,
            plan,
            plan_source,
            schedule,
            catalogue,
            key_path: inputs.key.clone().unwrap_or_else(token::default_key_path),
            workspace,
        })
    }

    /// The authenticity key, created on first use.
    pub fn key(&self) -> anyhow::Result<Key> {
        Key::load_or_create(&self.key_path)
    }
}

/// A plan document is a few hundred KB; nothing larger is read.
pub const MAX_PLAN_BYTES: u64 = 50 << 20;

/// The plan file's bytes: only a regular file (a FIFO would block forever,
/// `/dev/zero` never ends), and never more than [`MAX_PLAN_BYTES`].
fn read_plan_bytes(path: &Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Read as _;
    let shown = crate::intake::display_path(path);
    let fail = |e: std::io::Error| {
        anyhow::anyhow!(
            "Không đọc được tệp kế hoạch {shown} ({}).",
            crate::intake::read::io_reason(&e)
        )
    };
    let meta = std::fs::metadata(path).map_err(fail)?;
    anyhow::ensure!(
        meta.is_file(),
        "«{shown}» không phải một tệp thường (là thư mục, thiết bị hoặc ống dẫn): hãy chỉ đến tệp kế hoạch .docx hoặc .txt."
    );
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_PLAN_BYTES + 1).read_to_end(&mut bytes))
        .map_err(fail)?;
    anyhow::ensure!(
        bytes.len() as u64 <= MAX_PLAN_BYTES,
        "Tệp kế hoạch {shown} lớn hơn {} MB, không phải một văn bản kế hoạch. Hãy kiểm tra lại tệp.",
        MAX_PLAN_BYTES >> 20
    );
    Ok(bytes)
}

/// Reads a plan file: `.docx` by its zip content, anything else as UTF-8 text.
pub fn load_plan(path: &Path, directory: &Directory) -> anyhow::Result<Plan> {
    let bytes = read_plan_bytes(path)?;
    let name = path.display().to_string();
    if plan::import::is_workbook(&bytes, &name) {
        return plan::import::read(&bytes, &name, directory);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return plan::parse::parse_docx(&bytes, directory)
            .with_context(|| format!("Tệp kế hoạch {} không đọc được dạng .docx", path.display()));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "Tệp kế hoạch {} không phải văn bản UTF-8 hay .docx. Hãy lưu lại dưới dạng .docx hoặc văn bản Unicode (UTF-8).",
            path.display()
        )
    })?;
    Ok(plan::parse::parse_text(&text, directory))
}
