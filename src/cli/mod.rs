//! Command-line interface: argument parsing (clap) and one module per
//! subcommand, each with its own args struct and `run`. Every message a user
//! sees is Vietnamese. Exit codes: 0 fine, 1 findings, 2 could not run.

pub mod agencies;
pub mod compile;
pub mod context;
pub mod demo;
pub mod explain;
pub mod help;
pub mod init;
pub mod plan;
pub mod run;
pub mod templates;
pub mod validate;
pub mod workspace;

use clap::{Parser, Subcommand};
pub use context::{Context, Inputs};

/// Exit code: everything fine.
pub const EXIT_OK: u8 = 0;
/// Exit code: the run worked and found problems (errors in a plan or a return).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: the tool could not run (bad arguments, unreadable input).
pub const EXIT_FAILURE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "cchc",
    version,
    about = "Tổng hợp báo cáo cải cách hành chính (CCHC) hằng quý: đọc kế hoạch, gửi biểu mẫu, kiểm tra báo cáo của các đơn vị, lập báo cáo chung của tỉnh.",
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Kế hoạch CCHC: xem, kiểm tra, xuất danh mục nhiệm vụ.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// Danh mục cơ quan, đơn vị và các nhiệm vụ mỗi đơn vị chủ trì, phối hợp.
    Agencies(agencies::Args),
    /// Lập biểu mẫu báo cáo (Excel, có bảo vệ) cho từng đơn vị theo kỳ báo cáo.
    Templates(templates::Args),
    /// Kiểm tra các báo cáo (bảng tính) đơn vị gửi về; mã thoát 1 nếu có tệp không đạt.
    Validate(validate::Args),
    /// Giải thích một quy tắc kiểm tra (ví dụ C001), hoặc liệt kê mọi quy tắc.
    Explain(explain::Args),
    /// Internal: reads one workbook in a child process for `validate`.
    #[command(name = "__read", hide = true)]
    Read(validate::ReadArgs),
    /// Tổng hợp báo cáo của kỳ: báo cáo DOCX, bảng tổng hợp XLSX, sổ tiếp nhận, công văn đôn đốc.
    Compile(compile::Args),
    /// Tạo thư mục làm việc: cchc.toml và bản sao các danh mục, khung báo cáo để sửa.
    Init(init::Args),
    /// Chạy đợt tổng hợp cuối quý: đọc, kiểm tra mọi báo cáo trong thư mục, tổng hợp, lập báo cáo của tỉnh.
    Run(run::Args),
    /// Chạy thử toàn bộ quy trình trên kế hoạch và bộ báo cáo mẫu có sẵn (không cần tệp nào khác).
    Demo(demo::Args),
}

/// Parses the process's arguments with Vietnamese help and errors. `Err`
/// carries the exit code after the message was printed (0 for `--help`).
pub fn parse_args() -> Result<Cli, u8> {
    use clap::{CommandFactory, FromArgMatches};
    let cmd = help::localise(Cli::command());
    let parsed = cmd
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    parsed.map_err(|e| {
        if e.use_stderr() {
            eprintln!("{}", help::message(&e));
            EXIT_FAILURE
        } else {
            let _ = e.print();
            EXIT_OK
        }
    })
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    let command = match cli.command {
        // The intake's child reader and `init` need no plan.
        Command::Read(args) => return validate::run_read(args),
        Command::Init(args) => return init::run(args),
        other => other,
    };
    let (period, seed) = match &command {
        Command::Templates(a) => (Some(a.period.clone()), context::Seed::default()),
        Command::Compile(a) => (Some(a.period.clone()), context::Seed::default()),
        Command::Run(a) => (Some(a.period.clone()), context::Seed::default()),
        Command::Validate(a) => (a.period.clone(), context::Seed::default()),
        Command::Demo(a) => (Some(a.period().to_string()), a.seed()),
        _ => (None, context::Seed::default()),
    };
    let ctx = Context::load_for(&cli.inputs, period.as_deref(), seed)?;
    match command {
        Command::Plan(cmd) => plan::run(&ctx, cmd),
        Command::Agencies(args) => agencies::run(&ctx, args),
        Command::Templates(args) => templates::run(&ctx, args),
        Command::Validate(args) => validate::run(&ctx, args),
        Command::Explain(args) => explain::run(&ctx, args),
        Command::Compile(args) => compile::run(&ctx, args),
        Command::Run(args) => run::run(&ctx, args),
        Command::Demo(args) => demo::run(&ctx, args),
        Command::Read(_) | Command::Init(_) => unreachable!("handled before loading the context"),
    }
}
