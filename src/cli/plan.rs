//! `cchc plan show | check | export`: the task registry for people (a summary),
//! for checking (diagnostics and exit code) and as data (JSON, CSV, XLSX).

use super::{Context, EXIT_FINDINGS, EXIT_OK};
use crate::plan::export;
use crate::plan::{Severity, Task};
use anyhow::Context as _;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum PlanCommand {
    /// Tóm tắt kế hoạch: lĩnh vực, nhiệm vụ, cơ quan chủ trì/phối hợp, thời hạn, các lưu ý.
    Show,
    /// In các lưu ý khi đọc kế hoạch, gộp theo loại (vừa một màn hình); mã thoát 1 nếu có lỗi.
    Check(CheckArgs),
    /// Xuất danh mục nhiệm vụ dạng dữ liệu.
    Export(ExportArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// In từng lưu ý một (mặc định chỉ in số lượng theo loại và vài ví dụ).
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Định dạng: json, csv hoặc xlsx.
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Tệp kết quả. Mặc định: in ra màn hình (json, csv); bắt buộc với xlsx.
    #[arg(long, short, value_name = "TỆP")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

pub fn run(ctx: &Context, cmd: PlanCommand) -> anyhow::Result<u8> {
    match cmd {
        PlanCommand::Show => {
            print!("{}", show(ctx));
            Ok(EXIT_OK)
        }
        PlanCommand::Check(args) => check(ctx, args.all),
        PlanCommand::Export(args) => export_cmd(ctx, args),
    }
}

/// The human summary of the plan.
pub fn show(ctx: &Context) -> String {
    let p = &ctx.plan;
    let mut s = String::new();
    let m = &p.meta;
    s += &format!("{}\n", m.title);
    s += &format!(
        "Quyết định số {} ngày {} của {}\n",
        m.decision_number.as_deref().unwrap_or("(không rõ)"),
        m.decision_date
            .map(crate::period::dmy)
            .unwrap_or_else(|| "(không rõ)".into()),
        m.issuer.as_deref().unwrap_or("(không rõ)")
    );
    s += &format!(
        "Nguồn: {} — mã kế hoạch {}\n",
        ctx.plan_source, m.fingerprint
    );
    let dated = p
        .tasks
        .iter()
        .filter(|t| !t.deadline.is_open_ended())
        .count();
    s += &format!(
        "{} lĩnh vực, {} nhiệm vụ ({} có thời hạn cụ thể, {} thường xuyên/không hạn)\n",
        p.areas.len(),
        p.tasks.len(),
        dated,
        p.tasks.len() - dated
    );
    for area in &p.areas {
        s += &format!("\n{}. {}  [{}]\n", area.number, area.title, area.id);
        for t in p.tasks.iter().filter(|t| t.area_id == area.id) {
            s += &task_lines(ctx, t);
        }
    }
    s += &summary_text(ctx);
    s
}

fn task_lines(ctx: &Context, t: &Task) -> String {
    let content: String = t.content.chars().take(110).collect();
    let ellipsis = if t.content.chars().count() > 110 {
        "…"
    } else {
        ""
    };
    let mut s = format!("  {} ({}) {}{}\n", t.label, t.id, content, ellipsis);
    s += &format!("      Chủ trì: {}\n", owners(ctx, &t.lead));
    if !t.cooperating.raw.is_empty() {
        s += &format!("      Phối hợp: {}\n", owners(ctx, &t.cooperating));
    }
    let due: Vec<String> = t
        .deadline
        .milestones
        .iter()
        .map(|m| match m.due_by {
            Some(d) => format!("{} (hạn {})", m.text, crate::period::dmy(d)),
            None => m.text.clone(),
        })
        .collect();
    s += &format!("      Thời hạn: {}\n", due.join("; "));
    s
}

/// "Sở Tư pháp, 19 sở/ban/ngành, 13 UBND cấp huyện, 173 UBND cấp xã; chưa xác định: …"
fn owners(ctx: &Context, a: &crate::plan::Assignment) -> String {
    use crate::agencies::Level;
    let mut named = Vec::new();
    let mut counts = [0usize; 4];
    for m in &a.members {
        match ctx.directory.get(&m.code).map(|x| x.level) {
            Some(Level::Huyen) => counts[2] += 1,
            Some(Level::Xa) => counts[3] += 1,
            _ => named.push(m.code.clone()),
        }
    }
    let mut parts = Vec::new();
    if named.len() > 4 {
        parts.push(format!("{} cơ quan cấp tỉnh", named.len()));
    } else {
        parts.extend(named.iter().map(|c| {
            ctx.directory
                .get(c)
                .map(|a| a.name.clone())
                .unwrap_or_default()
        }));
    }
    if counts[2] > 0 {
        parts.push(format!("{} UBND cấp huyện", counts[2]));
    }
    if counts[3] > 0 {
        parts.push(format!("{} UBND cấp xã", counts[3]));
    }
    let mut s = parts.join(", ");
    if !a.unresolved.is_empty() {
        if !s.is_empty() {
            s += "; ";
        }
        s += &a.unresolved.join("; ");
    }
    s
}

fn diagnostics_text(ctx: &Context) -> String {
    let d = &ctx.plan.diagnostics;
    if d.is_empty() {
        return "\nKhông có lưu ý nào khi đọc kế hoạch.\n".into();
    }
    let mut s = format!("\nLưu ý khi đọc kế hoạch ({}):\n", d.len());
    let mut sorted: Vec<_> = d.iter().collect();
    sorted.sort_by_key(|d| (std::cmp::Reverse(d.severity), d.line));
    for d in sorted {
        let at = if d.line > 0 {
            format!("{}:{}", ctx.plan_source, d.line)
        } else {
            ctx.plan_source.clone()
        };
        s += &format!("  [{}] {at}: {}\n", d.severity.label(), d.message);
        if !d.text.is_empty() && d.line > 0 {
            s += &format!("      dòng: «{}»\n", d.text);
        }
    }
    s
}

/// Lines of the default `plan check`: one screen.
const SCREEN: usize = 40;

/// Diagnostics grouped by kind: one line per kind with its count, a few
/// examples, unknown agency names once each with the closest directory
/// names. Fits [`SCREEN`] lines.
fn summary_text(ctx: &Context) -> String {
    use crate::plan::DiagKind;
    use std::collections::BTreeMap;
    let d = &ctx.plan.diagnostics;
    if d.is_empty() {
        return "\nKhông có lưu ý nào khi đọc kế hoạch.\n".into();
    }
    let mut kinds: BTreeMap<
        (std::cmp::Reverse<Severity>, DiagKind),
        Vec<&crate::plan::Diagnostic>,
    > = BTreeMap::new();
    let mut worst: BTreeMap<DiagKind, Severity> = BTreeMap::new();
    for x in d {
        let w = worst.entry(x.kind).or_insert(x.severity);
        *w = (*w).max(x.severity);
    }
    for x in d {
        let sev = worst.get(&x.kind).copied().unwrap_or(x.severity);
        kinds
            .entry((std::cmp::Reverse(sev), x.kind))
            .or_default()
            .push(x);
    }
    let mut out = vec![format!(
        "\nLưu ý khi đọc kế hoạch: {} lưu ý, {} loại (xem từng dòng: cchc plan check --all)",
        d.len(),
        kinds.len()
    )];
    // Per kind: its line, the examples, "… và N khác" (and one hint line).
    let budget = SCREEN.saturating_sub(4 + kinds.len() * 3);
    let per_kind = (budget / kinds.len().max(1)).clamp(1, 6);
    for ((sev, kind), list) in &kinds {
        out.push(format!(
            "  [{}] {}: {}",
            sev.0.label(),
            kind.title(),
            list.len()
        ));
        if *kind == DiagKind::UnknownAgency {
            out.extend(unknown_agencies(ctx, list, per_kind));
            continue;
        }
        for x in list.iter().take(per_kind) {
            out.push(format!("      {}", example(ctx, x)));
        }
        if list.len() > per_kind {
            out.push(format!("      … và {} lưu ý khác", list.len() - per_kind));
        }
    }
    out.truncate(SCREEN - 1);
    out.join("\n") + "\n"
}

fn example(ctx: &Context, x: &crate::plan::Diagnostic) -> String {
    let at = if x.line > 0 {
        format!("{}:{}", ctx.plan_source, x.line)
    } else {
        ctx.plan_source.clone()
    };
    let msg: String = x.message.chars().take(160).collect();
    let text: String = x.text.chars().take(60).collect();
    if text.is_empty() || x.line == 0 {
        format!("{at}: {msg}")
    } else {
        format!("{at}: «{text}» — {msg}")
    }
}

/// Unknown names once each, most frequent first, with the closest names of
/// the directory to add as aliases.
fn unknown_agencies(ctx: &Context, list: &[&crate::plan::Diagnostic], max: usize) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for x in list {
        match counts
            .iter_mut()
            .find(|(n, _)| crate::text::fold(n) == crate::text::fold(&x.text))
        {
            Some(c) => c.1 += 1,
            None => counts.push((x.text.clone(), 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    let mut out: Vec<String> = counts
        .iter()
        .take(max)
        .map(|(name, n)| {
            let near = closest_names(ctx, name);
            let near = if near.is_empty() {
                String::new()
            } else {
                format!(" — gần giống: {}", near.join("; "))
            };
            format!("      «{name}» ({n} lần){near}")
        })
        .collect();
    if counts.len() > max {
        out.push(format!("      … và {} tên khác", counts.len() - max));
    }
    out.push(
        "      Thêm tên đúng vào cột aliases của danh mục cơ quan (templates/agencies.csv).".into(),
    );
    out
}

/// Up to two directory names sharing the most words with `name`.
fn closest_names(ctx: &Context, name: &str) -> Vec<String> {
    use std::collections::HashSet;
    let words = |s: &str| -> HashSet<String> {
        crate::text::fold(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    };
    let want = words(name);
    let mut scored: Vec<(f64, &str)> = ctx
        .directory
        .all()
        .iter()
        .map(|a| {
            let have = words(&a.name);
            let common = want.intersection(&have).count() as f64;
            (
                common / (want.len().max(have.len()).max(1)) as f64,
                a.name.as_str(),
            )
        })
        .filter(|(s, _)| *s >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(2)
        .map(|(_, n)| n.to_string())
        .collect()
}

fn check(ctx: &Context, all: bool) -> anyhow::Result<u8> {
    let p = &ctx.plan;
    let count = |s| p.diagnostics.iter().filter(|d| d.severity == s).count();
    if all {
        print!("{}", diagnostics_text(ctx));
    } else {
        print!("{}", summary_text(ctx));
    }
    println!(
        "Tổng cộng: {} lĩnh vực, {} nhiệm vụ; {} lỗi, {} cảnh báo, {} ghi chú.",
        p.areas.len(),
        p.tasks.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    Ok(if count(Severity::Error) > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn export_cmd(ctx: &Context, args: ExportArgs) -> anyhow::Result<u8> {
    let bytes = match args.format {
        Format::Json => {
            let mut v = serde_json::to_vec_pretty(&export::to_json(&ctx.plan))?;
            v.push(b'\n');
            v
        }
        Format::Csv => export::to_csv(&ctx.plan)?,
        Format::Xlsx => export::to_xlsx(&ctx.plan)?,
    };
    match (&args.out, args.format) {
        (Some(path), _) => {
            std::fs::write(path, &bytes)
                .with_context(|| format!("Không ghi được tệp {}", path.display()))?;
            eprintln!("Đã ghi {}", path.display());
        }
        (None, Format::Xlsx) => {
            anyhow::bail!("Xuất dạng xlsx cần chỉ ra tệp kết quả bằng --out TỆP.xlsx")
        }
        (None, _) => std::io::stdout().write_all(&bytes)?,
    }
    Ok(EXIT_OK)
}
