//! `cchc validate PATH…`: checks returned workbooks (files or folders, any
//! mix of .xlsx .xlsm .xls .xlsb .ods) in parallel; prints the findings as
//! human text, JSON or CSV; optionally writes an annotated copy per file
//! (`--feedback DIR`) and the accepted submissions as JSON
//! (`--submissions FILE`, what compilation reads). Exit 0 when every file is
//! accepted, 1 when some file has errors, 2 when the run could not start.

use super::{Context, EXIT_FINDINGS, EXIT_OK};
use crate::form::Submission;
use crate::intake::{self, feedback, render, Limits, Setup};
use anyhow::Context as _;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Tệp hoặc thư mục chứa báo cáo (.xlsx, .xlsm, .xls, .xlsb, .ods); thư mục được duyệt cả thư mục con.
    #[arg(required = true, value_name = "ĐƯỜNG_DẪN")]
    pub paths: Vec<PathBuf>,
    /// Kỳ đang tổng hợp, ví dụ 2024-Q1. Mặc định: kỳ ghi trong từng tệp.
    #[arg(long, value_name = "KỲ")]
    pub period: Option<String>,
    /// Định dạng kết quả.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Thư mục ghi bản góp ý cho từng tệp (ô lỗi tô màu, có ghi chú, sheet «Lỗi cần sửa»).
    #[arg(long, value_name = "THƯ_MỤC")]
    pub feedback: Option<PathBuf>,
    /// Ghi nội dung các báo cáo đạt (JSON) vào tệp này, để tổng hợp.
    #[arg(long, value_name = "TỆP")]
    pub submissions: Option<PathBuf>,
    /// Thời gian tối đa đọc một tệp (giây).
    #[arg(long, default_value_t = 20, value_name = "GIÂY")]
    pub timeout: u64,
    /// Ngày «hôm nay» khi kiểm tra ngày ở tương lai (dd/mm/yyyy hoặc yyyy-mm-dd). Mặc định: ngày máy.
    #[arg(long, value_name = "NGÀY", hide = true)]
    pub today: Option<String>,
    /// Tính là đạt cả các tệp mất thông tin nhận diện mà chương trình nhận ra đơn vị theo nội dung (mặc định: lỗi).
    #[arg(long)]
    pub nhan_theo_noi_dung: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Csv,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<u8> {
    let period = args
        .period
        .as_deref()
        .map(|p| ctx.schedule.period(p))
        .transpose()?;
    if !ctx.key_path.exists() {
        eprintln!(
            "Cảnh báo: chưa có tệp khóa {}; chương trình tạo khóa mới nên mã xác thực của mọi biểu mẫu đã gửi sẽ không khớp (M003). Hãy dùng --key trỏ tới tệp khóa đã dùng khi lập biểu mẫu.",
            ctx.key_path.display()
        );
    }
    let key = ctx.key()?;
    let today = match &args.today {
        Some(t) => crate::intake::values::text_date(t)
            .with_context(|| format!("Ngày «{t}» không hợp lệ"))?,
        None => chrono::Local::now().date_naive(),
    };
    let setup = Setup {
        plan: &ctx.plan,
        directory: &ctx.directory,
        schedule: &ctx.schedule,
        catalogue: &ctx.catalogue,
        period: period.as_ref(),
        key: Some(&key),
        today,
    };
    let walked = intake::walk(&args.paths, &[super::run::RECEIVED_LIST])?;
    anyhow::ensure!(
        !walked.files.is_empty() || !walked.unreadable.is_empty(),
        "Không tìm thấy tệp nào trong các đường dẫn đã cho."
    );
    if let Some(dir) = &args.feedback {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("Không tạo được thư mục {}", dir.display()))?;
    }
    let limits = Limits {
        timeout: Duration::from_secs(args.timeout.max(1)),
        isolate: std::env::current_exe().ok(),
        ..Limits::default()
    };
    let errors = Mutex::new(Vec::new());
    let keep = args.submissions.is_some();
    let mut outcomes = intake::validate_paths(&walked.files, &setup, &limits, |o, book| {
        intake::apply_token_policy(o, args.nhan_theo_noi_dung);
        if let (Some(dir), Some(book), false) = (&args.feedback, book, o.findings.is_empty()) {
            if let Err(e) = feedback::write(dir, book, o, &setup) {
                errors.lock().expect("not poisoned").push(e.to_string());
            }
        }
        if !keep {
            o.submission = None;
        }
    });
    outcomes.extend(walked.unreadable_outcomes());
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
    for e in errors.into_inner().expect("not poisoned") {
        eprintln!("Lỗi: {}", crate::text::sanitize::terminal(&e));
    }
    let text = match args.format {
        Format::Human => render::human::render(&outcomes),
        Format::Json => render::json::render(&outcomes),
        Format::Csv => render::csv::render(&outcomes),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    if let Some(out) = &args.submissions {
        let subs: Vec<&Submission> = outcomes
            .iter()
            .filter_map(|o| o.submission.as_ref())
            .collect();
        let json = serde_json::to_string_pretty(&subs)? + "\n";
        crate::document::files::write_atomic(out, json.as_bytes())?;
    }
    Ok(if outcomes.iter().all(|o| o.accepted()) {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}

/// `cchc __read --serve` (hidden): a reader child of the sandbox.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// Answer one file path (hex) per line on standard input.
    #[arg(long)]
    pub serve: bool,
    /// The limits as JSON (`intake::Limits`).
    #[arg(long)]
    pub limits: Option<String>,
}

pub fn run_read(args: ReadArgs) -> anyhow::Result<u8> {
    let limits: Limits = match &args.limits {
        Some(json) => serde_json::from_str(json)?,
        None => Limits::default(),
    };
    anyhow::ensure!(args.serve, "cchc __read chỉ dùng nội bộ (--serve).");
    crate::intake::read::pool::serve(&limits)?;
    Ok(EXIT_OK)
}
