//! Resolves the global options (`--plan`, `--agencies`, …) into the loaded
//! plan, directory, schedule and indicator catalogue that every subcommand
//! works on. The embedded defaults serve when no option is given.

use super::workspace::Workspace;
use crate::agencies::structure::{self, Structure};
use crate::agencies::successors::{self, Successors};
use crate::agencies::versions::Versions;
use crate::agencies::Directory;
use crate::form::indicators::Catalogue;
use crate::form::token::{self, Key};
use crate::period::{Period, Schedule};
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
    /// Danh mục cơ quan (CSV, cùng cột với templates/agencies.csv), dùng cho mọi kỳ. Mặc định: danh mục có hiệu lực tại ngày chốt số liệu của kỳ (2024, hoặc từ 01/07/2025).
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
    /// The directory in force for the period (or the plan), with the names
    /// of predecessors its units took over as aliases.
    pub directory: Directory,
    /// Which directory file that is, for messages and the report.
    pub directory_label: String,
    /// Every directory version known, for predecessors' names and levels.
    pub versions: Versions,
    pub successors: Successors,
    /// The period asked on the command line, when there is one.
    pub period: Option<Period>,
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

/// Which embedded plan serves when none is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seed {
    /// The 2024 plan of Quảng Ngãi (the default).
    #[default]
    Y2024,
    /// The illustrative 2026 plan of the demo (`cchc demo --nam 2026`).
    Y2026,
}

impl Context {
    /// Loads everything for a command without a period.
    pub fn load(inputs: &Inputs) -> anyhow::Result<Context> {
        Context::load_for(inputs, None, Seed::default())
    }

    /// Loads everything for a period (`2026-Q1`): the directory is the one in
    /// force at the period's data cut-off, and the plan's year must be the
    /// period's. Without a period the directory is the one in force when the
    /// plan was issued.
    pub fn load_for(inputs: &Inputs, period: Option<&str>, seed: Seed) -> anyhow::Result<Context> {
        let workspace = Workspace::find(inputs.dir.as_deref())?;
        let filled = workspace.as_ref().map(|w| w.fill(inputs));
        let from_workspace = workspace.as_ref().and_then(|w| w.path(&w.settings.co_quan));
        let inputs = filled.as_ref().unwrap_or(inputs);
        let schedule = match &inputs.periods {
            Some(p) => Schedule::load(p)?,
            None => Schedule::embedded(),
        };
        let period = period.map(|p| schedule.period(p)).transpose()?;
        let (versions, successors) = match (&inputs.agencies, &from_workspace) {
            // The folder's directory series, unless the command line chose one file.
            (Some(p), Some(w)) if p == w => (Versions::series(p)?, load_successors(p)?),
            (Some(p), _) => (Versions::fixed(p)?, load_successors(p)?),
            (None, _) => (Versions::embedded(), Successors::embedded()),
        };
        let plan_text = match &inputs.plan {
            Some(p) => Some(read_plan(p)?),
            None => None,
        };
        let parse = |dir: &Directory| match &plan_text {
            Some(text) => text.parse(dir),
            None => Ok(match seed {
                Seed::Y2024 => plan::seed(dir),
                Seed::Y2026 => plan::parse::parse_text(crate::demo::PLAN_2026_TEXT, dir),
            }),
        };
        let plan_source = match (&inputs.plan, seed) {
            (Some(p), _) => p.display().to_string(),
            (None, Seed::Y2024) => plan::SEED_NAME.to_string(),
            (None, Seed::Y2026) => crate::demo::PLAN_2026_NAME.to_string(),
        };
        let date = match &period {
            Some(p) => p.window_end,
            None => {
                // The plan's own date decides; parse once to learn it.
                let probe = parse(&versions.all()[versions.all().len() - 1].directory)?;
                probe
                    .meta
                    .decision_date
                    .unwrap_or_else(|| crate::period::ymd(probe.meta.year.clamp(2000, 2100), 1, 1))
            }
        };
        let (directory, directory_label) = versions.prepared(date, &successors);
        let mut plan = parse(&directory)?;
        if let Some(p) = &period {
            check_year(&plan, &plan_source, p)?;
        }
        structure::check_plan(
            &mut plan,
            &Structure {
                directory: &directory,
                label: &directory_label,
                versions: &versions,
                successors: &successors,
                date,
            },
        );
        let catalogue = match &inputs.indicators {
            Some(p) => Catalogue::load(p)?,
            None => Catalogue::embedded(),
        };
        Ok(Context {
            directory,
            directory_label,
            versions,
            successors,
            period,
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

/// The successor map beside a directory file (`successors.csv`), or the
/// embedded one when there is none.
fn load_successors(directory_file: &Path) -> anyhow::Result<Successors> {
    let beside = directory_file
        .parent()
        .unwrap_or(Path::new("."))
        .join(successors::FILE_NAME);
    if beside.is_file() {
        Successors::load(&beside)
    } else {
        Ok(Successors::embedded())
    }
}

/// A 2024 plan cannot serve a 2026 period: say so, naming both.
fn check_year(plan: &Plan, source: &str, period: &Period) -> anyhow::Result<()> {
    let year = plan.meta.year;
    anyhow::ensure!(
        year == period.year,
        "Kế hoạch {source} là kế hoạch CCHC năm {year}, nhưng kỳ báo cáo {} ({}) thuộc năm {}. Hãy chọn kế hoạch năm {} (--plan TỆP, hoặc ke_hoach trong cchc.toml), hoặc kỳ báo cáo của năm {year} (ví dụ --period {year}-Q1).",
        period.id,
        period.label(),
        period.year,
        period.year
    );
    Ok(())
}

/// A plan file read but not yet parsed (parsing needs the directory).
enum PlanText {
    Docx(PathBuf, Vec<u8>),
    /// The workbook of `cchc plan export --format xlsx`, edited and read back.
    Workbook(String, Vec<u8>),
    Text(String),
}

impl PlanText {
    fn parse(&self, directory: &Directory) -> anyhow::Result<Plan> {
        match self {
            PlanText::Docx(path, bytes) => {
                plan::parse::parse_docx(bytes, directory).with_context(|| {
                    format!("Tệp kế hoạch {} không đọc được dạng .docx", path.display())
                })
            }
            PlanText::Workbook(name, bytes) => plan::import::read(bytes, name, directory),
            PlanText::Text(text) => Ok(plan::parse::parse_text(text, directory)),
        }
    }
}

fn read_plan(path: &Path) -> anyhow::Result<PlanText> {
    let bytes = read_plan_bytes(path)?;
    let name = path.display().to_string();
    if plan::import::is_workbook(&bytes, &name) {
        return Ok(PlanText::Workbook(name, bytes));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(PlanText::Docx(path.to_path_buf(), bytes));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "Tệp kế hoạch {} không phải văn bản UTF-8 hay .docx. Hãy lưu lại dưới dạng .docx hoặc văn bản Unicode (UTF-8).",
            path.display()
        )
    })?;
    Ok(PlanText::Text(text))
}

/// Reads a plan file: `.docx` by its zip content, anything else as UTF-8 text.
pub fn load_plan(path: &Path, directory: &Directory) -> anyhow::Result<Plan> {
    read_plan(path)?.parse(directory)
}
