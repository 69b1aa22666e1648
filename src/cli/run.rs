//! `cchc run`: the quarter-end batch. Reads and validates every return in a
//! folder (in parallel, with a progress bar on a terminal and plain lines
//! otherwise), records every file in the intake ledger with its received
//! time, compiles the counted returns and writes the report, the summary
//! workbook, the ledger, the reminder letter, the findings and an annotated
//! copy of each return that must be fixed. Exit 1 while units are owed or
//! files were rejected, 2 when an output could not be written.
//!
//! Nothing is left out or half-written: every entry of the returns folder
//! gets one ledger line (unreadable files, dangling links and locked
//! folders included, with the reason); only one run at a time writes to an
//! output folder (a lock file); every output is written atomically, one
//! failing output never stops the others, and the feedback copies a
//! previous run left that this run did not make are moved aside.

use super::{Context, EXIT_FINDINGS, EXIT_OK};
use crate::compile::rollup::Admitter;
use crate::compile::{self, ledger, Inputs, Ledger, LedgerInput};
use crate::document::ReportConfig;
use crate::form::token::Key;
use crate::form::Submission;
use crate::intake::{self, feedback, render, Finding, Limits, Outcome, Setup};
use crate::period::Period;
use chrono::{NaiveDate, NaiveDateTime};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Name of the optional received-dates list inside the returns folder.
pub const RECEIVED_LIST: &str = "ngay-nhan.csv";
/// Sub-folder of the output with the annotated copies.
pub const FEEDBACK_DIR: &str = "gop-y";

mod lock;
mod spill;
mod stale;

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
    /// Tính cả các tệp mất thông tin nhận diện (không có mã xác thực) mà chương trình nhận ra đơn vị theo nội dung. Mặc định không tính; quyết định được ghi vào sổ tiếp nhận.
    #[arg(long)]
    pub nhan_theo_noi_dung: bool,
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
    /// Count returns identified by content only (no token): the office's
    /// explicit decision, recorded in the ledger.
    pub accept_by_content: bool,
}

/// What a batch run produced.
pub struct Done {
    /// Files seen (every entry of the returns folder).
    pub files: usize,
    /// Files accepted.
    pub accepted: usize,
    pub compilation: compile::Compilation,
    pub written: Vec<PathBuf>,
    /// Outputs that could not be made or written (Vietnamese lines).
    pub failures: Vec<String>,
    /// What the run did besides (stale outputs moved aside, a stale lock).
    pub notes: Vec<String>,
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
        accept_by_content: args.nhan_theo_noi_dung,
    };
    let done = execute(ctx, &job)?;
    print!("{}", crate::text::sanitize::terminal(&summary(&done)));
    Ok(exit_code(&done))
}

/// 2 when an output could not be written; 1 while a unit is owed a return
/// or a file was rejected.
pub fn exit_code(done: &Done) -> u8 {
    let k = &done.compilation.completeness;
    if !done.failures.is_empty() {
        super::EXIT_FAILURE
    } else if k.missing + k.rejected > 0 || done.accepted < done.files {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Validates, records, compiles and writes everything.
///
/// # Errors
/// The returns folder does not exist, the output folder cannot be created,
/// or another run holds it; a bad return is a finding, never an error, and
/// an output that cannot be written is listed in [`Done::failures`].
pub fn execute(ctx: &Context, job: &Job) -> anyhow::Result<Done> {
    std::fs::create_dir_all(job.out).map_err(|e| {
        anyhow::anyhow!(
            "Không tạo được thư mục kết quả {} ({}).",
            intake::display_path(job.out),
            intake::read::io_reason(&e)
        )
    })?;
    let (_lock, mut notes) = lock::OutLock::acquire(job.out)?;
    let walked = intake::walk(&[job.returns.to_path_buf()], &[RECEIVED_LIST])?;
    let setup = Setup {
        plan: &ctx.plan,
        directory: &ctx.directory,
        schedule: &ctx.schedule,
        catalogue: &ctx.catalogue,
        period: Some(&job.period),
        key: Some(job.key),
        today: job.today,
    };
    // Every file is read in a reader child with its own memory cap.
    let limits = Limits {
        timeout: job.timeout,
        isolate: std::env::current_exe().ok(),
        ..Limits::default()
    };
    let feedback_dir = job.out.join(FEEDBACK_DIR);
    std::fs::create_dir_all(&feedback_dir).map_err(|e| {
        anyhow::anyhow!(
            "Không tạo được thư mục {} ({}).",
            intake::display_path(&feedback_dir),
            intake::read::io_reason(&e)
        )
    })?;
    let spill = spill::Spill::create(job.out)?;
    let progress = Progress::new(walked.files.len());
    let failures = Mutex::new(Vec::new());
    let made = Mutex::new(BTreeSet::new());
    let names = |code: &str| super::compile::unit_name(ctx, code);
    let admitter = Mutex::new(Admitter::new(
        &job.period,
        &ctx.schedule,
        &ctx.directory,
        &ctx.successors,
        &names,
    ));
    // Memory stays flat: a file checked leaves only a few dozen bytes (where
    // its outcome and ledger input are in the spill file, what the ledger
    // decides on, its place in a duplicate group); the counted returns are
    // read again once the ledger is known.
    let kept: Mutex<Vec<Option<Kept>>> =
        Mutex::new(vec![None; walked.files.len() + walked.unreadable.len()]);
    let agencies = Mutex::new(Interner::default());
    let groups: Mutex<BTreeMap<(String, String), Vec<usize>>> = Mutex::new(BTreeMap::new());
    let record = |i: usize, mut o: Outcome| {
        intake::apply_token_policy(&mut o, job.accept_by_content);
        attribute_by_name(&mut o, &ctx.directory, &ctx.schedule);
        let mut input = ledger_input(&o, &job.received, &job.period, job.accept_by_content);
        admitter.lock().expect("not poisoned").admit(&mut input);
        o.submission = None;
        match spill.put(&o, &input) {
            Ok(at) => {
                let agency = input
                    .agency
                    .as_deref()
                    .map(|a| agencies.lock().expect("not poisoned").id(a));
                kept.lock().expect("not poisoned")[i] = Some(Kept {
                    at,
                    accepted: o.accepted(),
                    received: input.received,
                    status: ledger::status_alone(&input, &job.period.id),
                    sha: hex_sha(&input.sha256),
                    agency,
                });
            }
            Err(e) => failures.lock().expect("not poisoned").push(format!(
                "Không ghi được kết quả kiểm tra tệp {} vào tệp tạm ({}).",
                o.path,
                intake::read::io_reason(&e)
            )),
        }
        o
    };
    intake::validate_each(&walked.files, &setup, &limits, |i, o, book| {
        let o = record(i, o);
        if let (Some(a), Some(p)) = (&o.agency, &o.period) {
            let mut g = groups.lock().expect("not poisoned");
            g.entry((a.clone(), p.clone())).or_default().push(i);
        }
        if let (false, Some(book)) = (o.findings.is_empty(), book) {
            match feedback::write(&feedback_dir, book, &o, &setup) {
                Ok(p) => {
                    made.lock().expect("not poisoned").insert(p);
                }
                Err(e) => failures
                    .lock()
                    .expect("not poisoned")
                    .push(format!("{e:#}")),
            }
        }
        progress.tick(&o.path);
    });
    progress.finish();
    for (j, o) in walked.unreadable_outcomes().into_iter().enumerate() {
        record(walked.files.len() + j, o);
    }
    let kept = kept.into_inner().expect("not poisoned");
    let mut failures = failures.into_inner().expect("not poisoned");
    let files = kept.len();
    let accepted = kept.iter().flatten().filter(|k| k.accepted).count();
    notes.extend(stale::move_aside(
        &feedback_dir,
        &made.into_inner().expect("not poisoned"),
        job.out,
    ));
    let admission = admitter.into_inner().expect("not poisoned").finish();
    let order = output_order(&walked);
    let ledger = build_ledger(
        &job.period.id,
        &kept,
        &order,
        &agencies.into_inner().expect("not poisoned"),
        &spill,
        job.out,
    );
    let ledger = match ledger {
        Ok(l) => l,
        Err(e) => anyhow::bail!(
            "Không lập được sổ tiếp nhận: tệp tạm trong {} không ghi hoặc đọc được ({}).",
            intake::display_path(job.out),
            intake::read::io_reason(&e)
        ),
    };
    let failures_mx = Mutex::new(std::mem::take(&mut failures));
    let subs = counted_submissions(&ledger, &setup, &limits, &failures_mx);
    let mut failures = failures_mx.into_inner().expect("not poisoned");
    intake::read::pool::shutdown();
    let mut inp = Inputs::new(
        &ctx.plan,
        &ctx.directory,
        &ctx.schedule,
        &ctx.catalogue,
        &job.period,
    );
    inp.ended = admission.ended;
    let mut compilation = compile::compile(&inp, ledger, subs);
    compilation.notes.extend(admission.notes);
    let (mut written, write_failures) =
        super::compile::write_each(&compilation, &job.config, ctx, job.out);
    failures.extend(write_failures);
    let findings = Findings {
        spill: &spill,
        kept: &kept,
        walked: &walked,
        order,
        duplicates: Duplicates::new(files, groups.into_inner().expect("not poisoned")),
    };
    let (w, f) = findings.write_all(job.out);
    written.extend(w);
    failures.extend(f);
    for e in &failures {
        eprintln!("Lỗi: {}", crate::text::sanitize::terminal(e));
    }
    Ok(Done {
        files,
        accepted,
        compilation,
        written,
        failures,
        notes,
    })
}

/// What memory keeps of a file checked.
#[derive(Debug, Clone, Copy)]
struct Kept {
    /// Where its outcome and its ledger input are in the spill file.
    at: spill::Place,
    accepted: bool,
    /// What the ledger decides on.
    received: chrono::NaiveDateTime,
    status: ledger::EntryStatus,
    /// The first 8 bytes of its SHA-256 (the whole is in the spill file).
    sha: Option<u64>,
    agency: Option<u32>,
}

/// The first 8 bytes of a SHA-256 in hex; `None` for a file not hashed.
fn hex_sha(hex: &str) -> Option<u64> {
    let mut out = [0u8; 8];
    hex::decode_to_slice(hex.get(..16)?, &mut out).ok()?;
    Some(u64::from_be_bytes(out))
}

/// Agency codes as small numbers.
#[derive(Default)]
struct Interner {
    ids: BTreeMap<String, u32>,
}

impl Interner {
    fn id(&mut self, code: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(code.to_string()).or_insert(next)
    }

    /// Each id's rank in the codes' sorted order.
    fn ranks(&self) -> Vec<u32> {
        let mut out = vec![0; self.ids.len()];
        for (rank, id) in self.ids.values().enumerate() {
            out[*id as usize] = rank as u32;
        }
        out
    }
}

/// Each file's hash as a rank (equal for equal hashes, in the hashes'
/// order): sorted on the 8 bytes kept, ties settled on the whole hash read
/// back from the spill file.
fn sha_ranks(kept: &[Option<Kept>], spill: &spill::Spill) -> std::io::Result<Vec<Option<u32>>> {
    let mut by_sha: Vec<(u64, usize)> = kept
        .iter()
        .enumerate()
        .filter_map(|(i, k)| Some((k.as_ref()?.sha?, i)))
        .collect();
    by_sha.sort_unstable();
    let mut rank: Vec<Option<u32>> = vec![None; kept.len()];
    let mut next = 0u32;
    for run in by_sha.chunk_by(|a, b| a.0 == b.0) {
        let mut whole: Vec<(String, usize)> = Vec::with_capacity(run.len());
        for (_, i) in run {
            let sha = match run.len() {
                1 => String::new(),
                _ => spill.input(kept[*i].expect("hashed").at)?.sha256,
            };
            whole.push((sha, *i));
        }
        whole.sort();
        for (n, (sha, i)) in whole.iter().enumerate() {
            if n > 0 && whole[n - 1].0 != *sha {
                next += 1;
            }
            rank[*i] = Some(next);
        }
        next += 1;
    }
    Ok(rank)
}

/// The ledger, decided on the files' keys and written to a temporary file;
/// a file whose record could not be kept is missing from it (its failure is
/// reported).
fn build_ledger(
    period: &str,
    kept: &[Option<Kept>],
    order: &[usize],
    agencies: &Interner,
    spill: &spill::Spill,
    dir: &Path,
) -> std::io::Result<Ledger> {
    spill.flush()?;
    let mut path_rank = vec![0u32; kept.len()];
    for (rank, i) in order.iter().enumerate() {
        path_rank[*i] = rank as u32;
    }
    let sha_rank = sha_ranks(kept, spill)?;
    let agency_rank = agencies.ranks();
    let present: Vec<usize> = (0..kept.len()).filter(|i| kept[*i].is_some()).collect();
    let keys: Vec<ledger::Key> = present
        .iter()
        .map(|&i| {
            let k = kept[i].expect("present");
            ledger::Key {
                received: k.received,
                status: k.status,
                path: path_rank[i],
                sha: sha_rank[i],
                agency: k.agency.map(|a| agency_rank[a as usize]),
            }
        })
        .collect();
    drop((path_rank, sha_rank));
    Ledger::on_disk(
        period,
        &keys,
        |n| spill.input(kept[present[n]].expect("present").at),
        dir,
    )
}

/// Every entry's index in the findings outputs' order (by path as shown).
fn output_order(walked: &intake::Walk) -> Vec<usize> {
    let path = |i: usize| match walked.files.get(i) {
        Some(p) => p.as_path(),
        None => walked.unreadable[i - walked.files.len()].0.as_path(),
    };
    let mut order: Vec<usize> = (0..walked.files.len() + walked.unreadable.len()).collect();
    order.sort_by(|a, b| shown(path(*a)).cmp(&shown(path(*b))));
    order
}

/// A path as shown ([`intake::display_path`]), borrowed when it can be.
fn shown(p: &Path) -> std::borrow::Cow<'_, str> {
    match p.to_str() {
        Some(s) if !s.contains("\\x") => s.into(),
        _ => intake::display_path(p).into(),
    }
}

/// The units that sent several files for one period: each group's files
/// (in the order they were checked, by path), and each file's group. The
/// M007 of a file is made when it is written.
struct Duplicates {
    groups: Vec<((String, String), Vec<usize>)>,
    of: Vec<u32>,
}

impl Duplicates {
    const NONE: u32 = u32::MAX;

    fn new(files: usize, groups: BTreeMap<(String, String), Vec<usize>>) -> Duplicates {
        let mut of = vec![Self::NONE; files];
        let groups: Vec<_> = groups
            .into_iter()
            .filter(|(_, v)| v.len() > 1)
            .enumerate()
            .map(|(g, (key, mut idx))| {
                idx.sort_unstable();
                for i in &idx {
                    of[*i] = g as u32;
                }
                (key, idx)
            })
            .collect();
        Duplicates { groups, of }
    }

    /// The M007 of file `i`, if its unit sent several.
    fn finding(&self, i: usize, walked: &intake::Walk) -> Option<Finding> {
        let ((agency, period), idx) = self.groups.get(*self.of.get(i)? as usize)?;
        let others: Vec<String> = idx
            .iter()
            .filter(|j| **j != i)
            .take(3)
            .map(|j| intake::display_path(&walked.files[*j]))
            .collect();
        let others: Vec<&str> = others.iter().map(String::as_str).collect();
        Some(intake::duplicate_finding(
            agency,
            period,
            idx.len(),
            &others,
        ))
    }
}

/// The findings outputs, written from the spill file one file at a time.
struct Findings<'a> {
    spill: &'a spill::Spill,
    kept: &'a [Option<Kept>],
    walked: &'a intake::Walk,
    order: Vec<usize>,
    duplicates: Duplicates,
}

impl Findings<'_> {
    /// Writes kiem-tra.txt, .json and .csv, each on its own (atomically).
    fn write_all(&self, out: &Path) -> (Vec<PathBuf>, Vec<String>) {
        let mut written = Vec::new();
        let mut failures = Vec::new();
        type Write<'w> = dyn FnMut(&mut (dyn std::io::Write + Send)) -> anyhow::Result<()> + 'w;
        let mut human = |w: &mut (dyn std::io::Write + Send)| {
            let mut r = render::human::Human::new(w);
            self.each(|o| Ok(r.file(o)?))?;
            r.finish()?;
            Ok(())
        };
        let mut json = |w: &mut (dyn std::io::Write + Send)| {
            let mut r = render::json::Json::new(w);
            self.each(|o| Ok(r.file(o)?))?;
            r.finish()?;
            Ok(())
        };
        let mut csv = |w: &mut (dyn std::io::Write + Send)| {
            let mut r = render::csv::Csv::new(w)?;
            self.each(|o| Ok(r.file(o)?))?;
            r.finish()?;
            Ok(())
        };
        let parts: [(&str, &mut Write); 3] = [
            ("kiem-tra.txt", &mut human),
            ("kiem-tra.json", &mut json),
            ("kiem-tra.csv", &mut csv),
        ];
        for (name, fill) in parts {
            let path = out.join(name);
            let result = if self.kept.iter().any(Option::is_none) {
                Err(anyhow::anyhow!(
                    "Không ghi được {name}: thiếu kết quả kiểm tra của một số tệp (xem các dòng «Lỗi:» ở trên)."
                ))
            } else {
                crate::document::files::write_atomic_with(&path, |w| fill(w))
            };
            match result {
                Ok(()) => written.push(path),
                Err(e) => failures.push(format!("{e:#}")),
            }
        }
        (written, failures)
    }

    /// Every outcome in output order, with its M007 when it has one.
    fn each(&self, mut f: impl FnMut(&Outcome) -> anyhow::Result<()>) -> anyhow::Result<()> {
        self.spill.flush()?;
        for &i in &self.order {
            let Some(k) = self.kept[i] else {
                continue;
            };
            let mut o = self.spill.outcome(k.at)?;
            o.findings.extend(self.duplicates.finding(i, self.walked));
            f(&o)?;
        }
        Ok(())
    }
}

/// A file that could not be read names no unit inside; its file name often
/// does (`2024-Q1_STP_so-tu-phap.xlsx`). When exactly one reporting unit's
/// code is a word of the name, the file is that unit's, so the unit shows
/// "đã gửi, không đọc được — phải gửi lại", never "chưa gửi".
fn attribute_by_name(
    o: &mut Outcome,
    directory: &crate::agencies::Directory,
    schedule: &crate::period::Schedule,
) {
    let unreadable = !o.findings.is_empty() && o.findings.iter().all(|f| f.code.starts_with('F'));
    if o.agency.is_some() || !unreadable {
        return;
    }
    let name = Path::new(&o.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words: BTreeSet<&str> = name.split(|c: char| !c.is_alphanumeric()).collect();
    let found: BTreeSet<String> = directory
        .reporting_units()
        .into_iter()
        .filter(|a| words.contains(a.code.as_str()))
        .map(|a| a.code.clone())
        .collect();
    if found.len() == 1 {
        o.agency = found.into_iter().next();
        // A name that starts with a period id (`2024-H1_STP_…`) says which
        // period the file was for: another period's file is listed as such.
        o.period = name
            .split('_')
            .next()
            .and_then(|p| schedule.period(p).ok())
            .map(|p| p.id);
    }
}

/// The counted returns' content, read again (one file per agency). A file
/// changed since the first reading is reported and left out.
fn counted_submissions(
    ledger: &Ledger,
    setup: &Setup,
    limits: &Limits,
    failures: &Mutex<Vec<String>>,
) -> Vec<Submission> {
    let counted: Vec<(String, String)> = ledger
        .counted()
        .map(|e| (e.path.clone(), e.sha256.clone()))
        .collect();
    counted
        .par_iter()
        .filter_map(|(path, sha)| {
            let (o, _) = intake::validate_file(&intake::path_of_display(path), setup, limits);
            match o.submission {
                Some(s) if s.source.sha256 == *sha => Some(s),
                Some(_) => {
                    failures.lock().expect("not poisoned").push(format!(
                        "Tệp {path} đã thay đổi trong lúc tổng hợp nên không được tính; hãy chạy lại."
                    ));
                    None
                }
                None => {
                    let why = o
                        .findings
                        .iter()
                        .find(|f| f.is_error())
                        .map(|f| format!("{} {}", f.code, f.message))
                        .unwrap_or_default();
                    failures.lock().expect("not poisoned").push(format!(
                        "Tệp {path} không đọc lại được khi tổng hợp nên không được tính ({why}); hãy chạy lại."
                    ));
                    None
                }
            }
        })
        .collect()
}

/// The ledger line of a file seen: accepted or not, with its received time.
/// A file that was not read is hashed in blocks (never read whole).
fn ledger_input(
    o: &Outcome,
    received: &BTreeMap<String, NaiveDateTime>,
    period: &Period,
    accept_by_content: bool,
) -> LedgerInput {
    let path = intake::path_of_display(&o.path);
    let source = match &o.submission {
        Some(s) => s.source.clone(),
        None => {
            let sha = match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => intake::read::hash_file(&path).unwrap_or_default(),
                _ => String::new(),
            };
            intake::source_of(&path, sha)
        }
    };
    let mut reasons: Vec<String> = o
        .findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| format!("{} {}", f.code, f.message))
        .collect();
    if o.accepted() && accept_by_content && o.findings.iter().any(|f| f.code == "M001") {
        reasons.push(intake::ACCEPTED_BY_CONTENT.to_string());
    }
    LedgerInput {
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
        reasons,
    }
}

/// Reads the received-dates list: `tệp,ngày nhận` per line (header optional).
pub fn read_received(path: &Path) -> anyhow::Result<BTreeMap<String, NaiveDateTime>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        anyhow::anyhow!(
            "Không đọc được danh sách ngày nhận {} ({}).",
            intake::display_path(path),
            intake::read::io_reason(&e)
        )
    })?;
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
    let mut s = format!(
        "Đã đọc {} tệp: {} đạt, {} phải sửa (chi tiết: kiem-tra.txt; bản góp ý từng tệp: thư mục {FEEDBACK_DIR}).\n",
        done.files,
        done.accepted,
        done.files - done.accepted
    );
    s += &super::compile::summary(&done.compilation, &done.written);
    for n in &done.notes {
        s += &format!("Lưu ý: {n}\n");
    }
    if !done.failures.is_empty() {
        s += &format!(
            "Có {} kết quả không ghi được (xem các dòng «Lỗi:» ở trên); các kết quả khác đã ghi đủ.\n",
            done.failures.len()
        );
    }
    s
}
