//! `cchc compile`: the period's compilation from returns already read (a JSON
//! array of `form::Submission`), with an optional ledger input; writes the
//! DOCX report, the summary workbook, the ledger (CSV, JSON), the reminder
//! letter and the compilation as JSON. Exit code 1 when units are still owed.

use super::{Context, EXIT_FINDINGS, EXIT_OK};
use crate::compile::{self, Inputs, Ledger, LedgerInput};
use crate::document::{self, files::Names, ReportConfig};
use crate::form::Submission;
use anyhow::Context as _;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Kỳ báo cáo, ví dụ 2024-Q1.
    #[arg(long, value_name = "KỲ")]
    pub period: String,
    /// Tệp JSON: danh sách nội dung báo cáo của các đơn vị (kết quả đọc biểu mẫu).
    #[arg(long, value_name = "TỆP")]
    pub submissions: PathBuf,
    /// Tệp JSON: danh sách mọi tệp đã nhận (đơn vị, kỳ, thời điểm nhận, hợp lệ hay không, lý do). Mặc định: coi mọi báo cáo trong --submissions là hợp lệ.
    #[arg(long, value_name = "TỆP")]
    pub ledger_input: Option<PathBuf>,
    /// Khung báo cáo (như templates/report.toml). Mặc định: của thư mục làm việc, hoặc khung có sẵn.
    #[arg(long, value_name = "TỆP")]
    pub report_config: Option<PathBuf>,
    /// Thư mục ghi kết quả. Mặc định: thư mục «ket_qua» của thư mục làm việc.
    #[arg(long, value_name = "THƯ_MỤC")]
    pub out: Option<PathBuf>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("Không đọc được {what} {}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{what} {} không đúng định dạng JSON (dòng {}, cột {}): {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// The report skeleton: the file given, else the working folder's, else the
/// embedded one.
/// The recipients follow the directory of the period: no "UBND các huyện…"
/// once the district level is gone.
pub fn report_config(ctx: &Context, explicit: Option<&Path>) -> anyhow::Result<ReportConfig> {
    let mut cfg = match (explicit, &ctx.workspace) {
        (Some(p), _) => ReportConfig::load(p)?,
        (None, Some(w)) => w.report_config()?,
        (None, None) => ReportConfig::embedded(),
    };
    crate::agencies::structure::adapt_recipients(&mut cfg.noi_nhan.danh_sach, &ctx.directory);
    Ok(cfg)
}

fn out_dir(ctx: &Context, args: &Args) -> anyhow::Result<PathBuf> {
    let from_ws = ctx
        .workspace
        .as_ref()
        .and_then(|w| w.path(&w.settings.ket_qua));
    args.out.clone().or(from_ws).ok_or_else(|| {
        anyhow::anyhow!("Chưa chỉ thư mục ghi kết quả: thêm --out THƯ_MỤC (hoặc chạy trong thư mục tạo bằng «cchc init»)")
    })
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<u8> {
    let period = ctx.schedule.period(&args.period)?;
    let subs: Vec<Submission> = read_json(&args.submissions, "tệp nội dung báo cáo")?;
    let inputs: Vec<LedgerInput> = match &args.ledger_input {
        Some(p) => read_json(p, "tệp sổ tiếp nhận")?,
        None => compile::ledger_inputs_from(&subs, &period),
    };
    let cfg = report_config(ctx, args.report_config.as_deref())?;
    let out = out_dir(ctx, &args)?;
    let mut inputs = inputs;
    let admission = admit(ctx, &period, &mut inputs);
    let ledger = Ledger::build(&period.id, inputs);
    let mut inp = Inputs::new(
        &ctx.plan,
        &ctx.directory,
        &ctx.schedule,
        &ctx.catalogue,
        &period,
    );
    inp.ended = admission.ended;
    let mut c = compile::compile(&inp, ledger, subs);
    c.notes.extend(admission.notes);
    let written = write_all(&c, &cfg, ctx, &out)?;
    print!("{}", summary(&c, &written));
    let owed = c.completeness.missing + c.completeness.rejected;
    Ok(if owed > 0 { EXIT_FINDINGS } else { EXIT_OK })
}

/// Returns across a change of structure (see [`compile::rollup`]): a
/// cumulative period admits its predecessors' earlier returns, a
/// predecessor's return is attributed to its successor.
pub fn admit(
    ctx: &Context,
    period: &crate::period::Period,
    inputs: &mut [LedgerInput],
) -> compile::rollup::Admission {
    compile::rollup::admit(
        inputs,
        period,
        &ctx.schedule,
        &ctx.directory,
        &ctx.successors,
        &|code| unit_name(ctx, code),
    )
}

/// A unit's name from any directory version (its code when unknown).
pub fn unit_name(ctx: &Context, code: &str) -> String {
    ctx.versions
        .find(code)
        .map(|a| a.name.clone())
        .unwrap_or_else(|| code.to_string())
}

/// Renders and writes every output; returns the paths written.
///
/// # Errors
/// The first output that could not be made or written (the others are
/// still written).
pub fn write_all(
    c: &compile::Compilation,
    cfg: &ReportConfig,
    ctx: &Context,
    out: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let (written, failures) = write_each(c, cfg, ctx, out);
    match failures.into_iter().next() {
        Some(e) => Err(anyhow::anyhow!(e)),
        None => Ok(written),
    }
}

/// Renders and writes every output, each on its own: one that cannot be
/// made (a renderer error or panic) or written never stops the others. The
/// ledger comes first. Each file is written atomically (temporary file,
/// then rename). Returns the paths written and a Vietnamese line per failure.
pub fn write_each(
    c: &compile::Compilation,
    cfg: &ReportConfig,
    ctx: &Context,
    out: &Path,
) -> (Vec<PathBuf>, Vec<String>) {
    let mut written = Vec::new();
    let mut failures = Vec::new();
    if let Err(e) = std::fs::create_dir_all(out) {
        failures.push(format!(
            "Không tạo được thư mục kết quả {} ({}).",
            crate::intake::display_path(out),
            crate::intake::read::io_reason(&e)
        ));
        return (written, failures);
    }
    let names = Names::for_period(&c.period.id);
    // Each output is written as it is made, straight into its temporary
    // file: none is held whole in memory.
    type Render<'a> = Box<dyn Fn(&mut (dyn Write + Send)) -> anyhow::Result<()> + 'a>;
    let bytes = |made: anyhow::Result<Vec<u8>>, w: &mut (dyn Write + Send)| -> anyhow::Result<()> {
        Ok(w.write_all(&made?)?)
    };
    let parts: Vec<(String, Render)> = vec![
        (
            names.ledger_csv,
            Box::new(|w| document::files::write_ledger_csv(&c.ledger, w)),
        ),
        (
            names.ledger_json,
            Box::new(|w| document::files::write_ledger_json(&c.ledger, w)),
        ),
        (
            names.report,
            Box::new(|w| {
                let docx = document::docx::report(c, cfg, &ctx.directory)?;
                bytes(crate::text::sanitize::docx_bytes(docx), w)
            }),
        ),
        (
            names.workbook,
            Box::new(|w| document::workbook::write_workbook(c, &ctx.directory, w)),
        ),
        (
            names.reminder,
            Box::new(|w| {
                let text = document::files::reminder_text(c, cfg);
                Ok(w.write_all(crate::text::sanitize::terminal(&text).as_bytes())?)
            }),
        ),
        (
            names.reminder_docx,
            Box::new(|w| {
                let docx = document::letter::letter_docx(c, cfg)?;
                bytes(crate::text::sanitize::docx_bytes(docx), w)
            }),
        ),
        (
            names.compilation,
            Box::new(|w| document::files::write_compilation_json(c, w)),
        ),
    ];
    for (name, render) in parts {
        let path = out.join(&name);
        let result = document::files::write_atomic_with(&path, |w| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render(w)))
                .unwrap_or_else(|_| Err(anyhow::anyhow!("lỗi nội bộ của chương trình")))
                .map_err(|e| anyhow::anyhow!("Không tạo được {name}: {e:#}"))
        });
        match result {
            Ok(()) => written.push(path),
            Err(e) => failures.push(format!("{e:#}")),
        }
    }
    (written, failures)
}

pub fn summary(c: &compile::Compilation, written: &[PathBuf]) -> String {
    let k = &c.completeness;
    let t = &c.total;
    let mut s = format!(
        "Tổng hợp {}: {}/{} đơn vị đã gửi báo cáo hợp lệ ({} đúng hạn, {} trễ hạn), {} phải gửi lại, {} chưa gửi.\n",
        c.period.label(),
        k.received(),
        k.expected,
        k.on_time,
        k.late,
        k.rejected,
        k.missing
    );
    s += &format!(
        "Nhiệm vụ: {} đến hạn, {} hoàn thành ({} đúng hạn, {} quá hạn), tỷ lệ {}; {} thường xuyên, {} chưa đến hạn, {} chưa có báo cáo.\n",
        t.due(),
        t.done(),
        t.done_on_time,
        t.done_late,
        document::prose::percent(t.rate()),
        t.open_ended,
        t.not_yet_due,
        t.no_report
    );
    for n in &c.notes {
        s += &format!("Lưu ý: {n}\n");
    }
    s += "Đã ghi:\n";
    for p in written {
        s += &format!("  {}\n", p.display());
    }
    if k.missing + k.rejected > 0 {
        s += "Còn đơn vị chưa gửi hoặc phải gửi lại: xem cong-van-don-doc.txt.\n";
    }
    s
}
