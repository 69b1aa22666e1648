//! `cchc run`: the quarter-end batch. Reads and validates every return in a
//! folder (in parallel, with a progress bar on a terminal and plain lines
//! otherwise), records every file in the intake ledger with its received
//! time, compiles the counted returns and writes the report, the summary
//! workbook, the ledger, the reminder letter, the findings and an annotated
//! copy of each return that must be fixed. Exit 1 while units are owed or
//! files were rejected.

use super::{Context, EXIT_FINDINGS, EXIT_OK};
use crate::compile::{self, ledger, Inputs, Ledger, LedgerInput};
use crate::document::ReportConfig;
use crate::form::token::Key;
use crate::form::Submission;
use crate::intake::{self, feedback, render, Limits, Outcome, Setup};
use crate::period::Period;
use anyhow::Context as _;
use chrono::{NaiveDate, NaiveDateTime};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Name of the optional received-dates list inside the returns folder.
pub const RECEIVED_LIST: &str = "ngay-nhan.csv";
/// Sub-folder of the output with the annotated copies.
pub const FEEDBACK_DIR: &str = "gop-y";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Kỳ báo cáo, ví dụ 2024-Q1.
    #[arg(long, value_name = "KỲ")]
    pub period: String,
    /// Thư mục chứa các báo cáo đơn vị gửi về (duyệt cả thư mục con).
    #[arg(long, value_name = "THƯ_MỤC")]
    pub returns: PathBuf,
    /// Thư mục ghi kết quả.
    #[arg(long, value_name = "THƯ_MỤC")]
    pub out: PathBuf,
    /// Danh sách ngày nhận (CSV hai cột: tệp, ngày giờ nhận dạng 2024-03-14 09:30). Mặc định: tệp ngay-nhan.csv trong thư mục báo cáo nếu có; không có thì lấy ngày ghi trong tên tệp, rồi ngày sửa đổi của tệp.
    #[arg(long, value_name = "TỆP")]
    pub received: Option<PathBuf>,
    /// Khung báo cáo (như templates/report.toml). Mặc định: của thư mục làm việc, hoặc khung có sẵn.
    #[arg(long, value_name = "TỆP")]
    pub report_config: Option<PathBuf>,
    /// Thời gian tối đa đọc một tệp (giây).
    #[arg(long, default_value_t = 20, value_name = "GIÂY")]
    pub timeout: u64,
}

/// What one batch run needs.
pub struct Job<'a> {
    pub period: Period,
    pub returns: &'a Path,
    pub out: &'a Path,
    pub received: BTreeMap<String, NaiveDateTime>,
    pub key: &'a Key,
    pub config: ReportConfig,
    pub today: NaiveDate,
    pub timeout: Duration,
}

/// What a batch run produced.
pub struct Done {
    pub outcomes: Vec<Outcome>,
    pub compilation: compile::Compilation,
    pub written: Vec<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<u8> {
    let key = ctx.key()?;
    let list = args
        .received
        .clone()
        .or_else(|| Some(args.returns.join(RECEIVED_LIST)).filter(|p| p.is_file()));
    let received = match &list {
        Some(p) => read_received(p)?,
        None => BTreeMap::new(),
    };
    let config = super::compile::report_config(ctx, args.report_config.as_deref())?;
    let job = Job {
        period: ctx.schedule.period(&args.period)?,
        returns: &args.returns,
        out: &args.out,
        received,
        key: &key,
        config,
        today: chrono::Local::now().date_naive(),
        timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let done = execute(ctx, &job)?;
    print!("{}", summary(&done));
    Ok(exit_code(&done))
}

/// 1 while a unit is owed a return or a file was rejected.
pub fn exit_code(done: &Done) -> u8 {
    let k = &done.compilation.completeness;
    if k.missing + k.rejected > 0 || done.outcomes.iter().any(|o| !o.accepted()) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Validates, records, compiles and writes everything.
///
/// # Errors
/// The returns folder cannot be read or the output cannot be written; a bad
/// return is a finding, never an error.
pub fn execute(ctx: &Context, job: &Job) -> anyhow::Result<Done> {
    let paths = intake::collect_paths(&[job.returns.to_path_buf()])?;
    let setup = Setup {
        plan: &ctx.plan,
        directory: &ctx.directory,
        schedule: &ctx.schedule,
        catalogue: &ctx.catalogue,
        period: Some(&job.period),
        key: Some(job.key),
        today: job.today,
    };
    // .xls, .xlsb and .ods are read in a child process that can be killed.
    let limits = Limits {
        timeout: job.timeout,
        isolate: std::env::current_exe().ok(),
        ..Limits::default()
    };
    let feedback_dir = job.out.join(FEEDBACK_DIR);
    std::fs::create_dir_all(&feedback_dir)
        .with_context(|| format!("Không tạo được thư mục {}", feedback_dir.display()))?;
    let progress = Progress::new(paths.len());
    let failures = Mutex::new(Vec::new());
    let inputs = Mutex::new(Vec::with_capacity(paths.len()));
    let outcomes = intake::validate_paths(&paths, &setup, &limits, |o, book| {
        if let (false, Some(book)) = (o.findings.is_empty(), book) {
            if let Err(e) = feedback::write(&feedback_dir, book, o) {
                failures.lock().expect("not poisoned").push(e.to_string());
            }
        }
        // Memory stays flat: every file keeps only its ledger line and its
        // findings; the counted returns are read again once the ledger is known.
        match ledger_input(o, &job.received, &job.period) {
            Ok(input) => inputs.lock().expect("not poisoned").push(input),
            Err(e) => failures
                .lock()
                .expect("not poisoned")
                .push(format!("{e:#}")),
        }
        o.submission = None;
        progress.tick(&o.path);
    });
    progress.finish();
    let ledger = Ledger::build(&job.period.id, inputs.into_inner().expect("not poisoned"));
    let subs = counted_submissions(&ledger, &setup, &limits, &failures);
    for e in failures.into_inner().expect("not poisoned") {
        eprintln!("Lỗi: {e}");
    }
    let inp = Inputs::new(
        &ctx.plan,
        &ctx.directory,
        &ctx.schedule,
        &ctx.catalogue,
        &job.period,
    );
    let compilation = compile::compile(&inp, ledger, subs);
    let mut written = super::compile::write_all(&compilation, &job.config, ctx, job.out)?;
    for (name, text) in [
        ("kiem-tra.txt", render::human::render(&outcomes)),
        ("kiem-tra.json", render::json::render(&outcomes)),
        ("kiem-tra.csv", render::csv::render(&outcomes)),
    ] {
        let path = job.out.join(name);
        std::fs::write(&path, text)
            .with_context(|| format!("Không ghi được {}", path.display()))?;
        written.push(path);
    }
    Ok(Done {
        outcomes,
        compilation,
        written,
    })
}

/// The counted returns' content, read again (one file per agency). A file
/// changed since the first reading is reported and left out.
fn counted_submissions(
    ledger: &Ledger,
    setup: &Setup,
    limits: &Limits,
    failures: &Mutex<Vec<String>>,
) -> Vec<Submission> {
    let counted: Vec<(&str, &str)> = ledger
        .counted()
        .map(|e| (e.path.as_str(), e.sha256.as_str()))
        .collect();
    counted
        .par_iter()
        .filter_map(|(path, sha)| {
            let (o, _) = intake::validate_file(Path::new(path), setup, limits);
            match o.submission {
                Some(s) if s.source.sha256 == *sha => Some(s),
                _ => {
                    failures.lock().expect("not poisoned").push(format!(
                        "Tệp {path} đã thay đổi trong lúc tổng hợp nên không được tính; hãy chạy lại."
                    ));
                    None
                }
            }
        })
        .collect()
}

/// The ledger line of a file seen: accepted or not, with its received time.
fn ledger_input(
    o: &Outcome,
    received: &BTreeMap<String, NaiveDateTime>,
    period: &Period,
) -> anyhow::Result<LedgerInput> {
    let path = Path::new(&o.path);
    let source = match &o.submission {
        Some(s) => s.source.clone(),
        None => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("Không đọc lại được {}", path.display()))?;
            intake::source_of(path, &bytes)
        }
    };
    Ok(LedgerInput {
        path: o.path.clone(),
        sha256: source.sha256,
        agency: o.agency.clone(),
        period: o.period.clone(),
        received: ledger::received_time(
            &o.path,
            path.file_name()
                .and_then(|n| received.get(n.to_string_lossy().as_ref()).copied()),
            source.modified.as_deref(),
            period.due,
        ),
        accepted: o.accepted(),
        reasons: o
            .findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| format!("{} {}", f.code, f.message))
            .collect(),
    })
}

/// Reads the received-dates list: `tệp,ngày nhận` per line (header optional).
pub fn read_received(path: &Path) -> anyhow::Result<BTreeMap<String, NaiveDateTime>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("Không đọc được danh sách ngày nhận {}", path.display()))?;
    let mut out = BTreeMap::new();
    for (i, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((file, when)) = line.rsplit_once(',') else {
            anyhow::bail!(
                "{}, dòng {}: cần hai cột «tệp,ngày nhận», ví dụ «2024-Q1_STP_so-tu-phap.xlsx,2024-03-14 09:30».",
                path.display(),
                i + 1
            );
        };
        match compile::parse_datetime(when) {
            Some(t) => {
                out.insert(file.trim().trim_matches('"').to_string(), t);
            }
            None if i == 0 => {} // header
            None => anyhow::bail!(
                "{}, dòng {}: «{}» không phải ngày giờ dạng 2024-03-14 09:30.",
                path.display(),
                i + 1,
                when.trim()
            ),
        }
    }
    Ok(out)
}

/// A progress bar on a terminal, a plain line per step otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: AtomicUsize,
}

impl Progress {
    fn new(total: usize) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "Đang đọc báo cáo {bar:40} {pos}/{len} tệp ({elapsed})",
            ) {
                b.set_style(style);
            }
            b
        });
        Progress {
            bar,
            total,
            done: AtomicUsize::new(0),
        }
    }

    fn tick(&self, path: &str) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.bar {
            Some(b) => b.inc(1),
            None => {
                let step = (self.total / 10).max(1);
                if n.is_multiple_of(step) || n == self.total {
                    eprintln!("Đã đọc {n}/{} tệp (mới nhất: {path})", self.total);
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// The lines printed at the end of a run.
pub fn summary(done: &Done) -> String {
    let accepted = done.outcomes.iter().filter(|o| o.accepted()).count();
    let mut s = format!(
        "Đã đọc {} tệp: {} đạt, {} phải sửa (chi tiết: kiem-tra.txt; bản góp ý từng tệp: thư mục {FEEDBACK_DIR}).\n",
        done.outcomes.len(),
        accepted,
        done.outcomes.len() - accepted
    );
    s += &super::compile::summary(&done.compilation, &done.written);
    s
}
