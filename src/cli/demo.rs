//! `cchc demo`: the whole quarter-end job on the embedded plan, from any
//! folder, needing nothing but the binary. Writes the templates for quý I
//! 2024, takes the sample returns embedded from `samples/` and fills the
//! other agencies' templates with realistic answers (a few late, a few with
//! mistakes, one agency missing), then runs the batch: validation,
//! compilation, report. Signed with the public demo key, never the office's.

use super::run::{self, Job, RECEIVED_LIST};
use super::{Context, EXIT_OK};
use crate::demo::fill::{self, Rng};
use crate::demo::{embedded, samples};
use crate::document::ReportConfig;
use crate::template::{self, Batch};
use anyhow::Context as _;
use chrono::{Days, NaiveDateTime};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Sub-folders of the demo's output.
const TEMPLATES: &str = "1-bieu-mau";
const RETURNS: &str = "2-bao-cao-nhan";
const RESULTS: &str = "3-ket-qua";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Thư mục ghi kết quả chạy thử (tạo mới nếu chưa có).
    #[arg(long, value_name = "THƯ_MỤC", default_value = "demo-out")]
    pub out: PathBuf,
    /// Chỉ ghi các tệp .xlsx của bộ báo cáo mẫu vào thư mục này (dùng bởi samples/make.sh).
    #[arg(long, value_name = "THƯ_MỤC", hide = true)]
    pub write_samples: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<u8> {
    let key = crate::demo::key();
    let period = ctx.schedule.period(samples::PERIOD)?;
    let batch = Batch {
        plan: &ctx.plan,
        directory: &ctx.directory,
        catalogue: &ctx.catalogue,
        period: &period,
        key: &key,
        generated_at: samples::generated_at(),
        password: None,
    };
    if let Some(dir) = &args.write_samples {
        return write_samples(&batch, dir);
    }
    let out = &args.out;
    for sub in [TEMPLATES, RETURNS, RESULTS] {
        let d = out.join(sub);
        if d.exists() {
            std::fs::remove_dir_all(&d)
                .with_context(|| format!("Không xóa được thư mục cũ {}", d.display()))?;
        }
    }
    let units = ctx.directory.reporting_units();
    let rows = template::write_all(&batch, &units, &out.join(TEMPLATES))?;
    println!(
        "1. Đã lập {} biểu mẫu {} trong {}",
        rows.len(),
        period.label(),
        out.join(TEMPLATES).display()
    );
    let returns = out.join(RETURNS);
    let n = write_returns(&batch, &returns)?;
    println!(
        "2. Đã chuẩn bị {n} tệp báo cáo nhận về trong {} (mẫu có sẵn và báo cáo giả lập; 1 đơn vị không gửi)",
        returns.display()
    );
    let job = Job {
        period: period.clone(),
        returns: &returns,
        out: &out.join(RESULTS),
        received: run::read_received(&returns.join(RECEIVED_LIST))?,
        key: &key,
        config: ReportConfig::embedded(),
        today: period.province_due,
        timeout: Duration::from_secs(20),
        accept_by_content: false,
    };
    let done = run::execute(ctx, &job)?;
    println!("3. Kiểm tra và tổng hợp:");
    print!("{}", run::summary(&done));
    let report = done
        .written
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "docx"))
        .cloned()
        .unwrap_or_default();
    println!("\nBáo cáo của tỉnh: {}", report.display());
    Ok(EXIT_OK)
}

/// The embedded samples, then a realistic return for every other reporting
/// unit except the missing one, and the received-dates list.
fn write_returns(batch: &Batch, dir: &Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("Không tạo được {}", dir.display()))?;
    let mut received = String::from("tệp,ngày nhận\n");
    let mut sent: Vec<&str> = Vec::new();
    for (name, bytes) in embedded::SAMPLES {
        write(&dir.join(name), bytes)?;
        // File names are `PERIOD_CODE_name.ext`.
        sent.extend(name.split('_').nth(1));
    }
    for line in embedded::RECEIVED.lines().skip(1) {
        received.push_str(line);
        received.push('\n');
    }
    let mut count = embedded::SAMPLES.len();
    for agency in batch.directory.reporting_units() {
        if sent.contains(&agency.code.as_str()) || samples::MISSING.contains(&agency.code.as_str())
        {
            continue;
        }
        let filled = fill::realistic(
            batch.plan,
            batch.directory,
            batch.catalogue,
            batch.period,
            agency,
        );
        let mut answers = filled.answers();
        if let Some((_, m)) = samples::GENERATED_MISTAKES
            .iter()
            .find(|(c, _)| *c == agency.code)
        {
            fill::plant(&filled, &mut answers, *m, 0);
        }
        let when = received_time(batch, &agency.code);
        if samples::RESUBMITTED.contains(&agency.code.as_str()) {
            // A first version with wrong complaint figures, replaced two days later.
            let mut first = answers.clone();
            let wrong = filled.figures.get("PAKN_TIEPNHAN").copied().unwrap_or(0.0) + 500.0;
            first.figure("PAKN_TIEPNHAN", wrong);
            let bytes = template::build(&batch.input(agency), Some(&first))?;
            let name = template::file_name(batch.period, agency).replace(".xlsx", "_ban-dau.xlsx");
            write(&dir.join(&name), bytes)?;
            let earlier = when - chrono::Duration::days(2);
            received.push_str(&format!("{name},{}\n", earlier.format("%Y-%m-%d %H:%M")));
            count += 1;
        }
        let bytes = template::build(&batch.input(agency), Some(&answers))?;
        let name = template::file_name(batch.period, agency);
        write(&dir.join(&name), bytes)?;
        received.push_str(&format!("{name},{}\n", when.format("%Y-%m-%d %H:%M")));
        count += 1;
    }
    write(&dir.join(RECEIVED_LIST), received)?;
    Ok(count)
}

/// On time for most, after the deadline and grace days for the late ones.
fn received_time(batch: &Batch, code: &str) -> NaiveDateTime {
    let mut rng = Rng::seeded(&[code, "nhan"]);
    let p = batch.period;
    let day = if samples::LATE.contains(&code) {
        p.due_with_grace + Days::new(rng.range(1, 3))
    } else {
        p.due - Days::new(rng.range(0, 4))
    };
    day.and_hms_opt(rng.range(7, 16) as u32, rng.range(0, 59) as u32, 0)
        .expect("valid time")
}

/// Writes the scenario's .xlsx files, the conversion list and the received list.
fn write_samples(batch: &Batch, dir: &Path) -> anyhow::Result<u8> {
    std::fs::create_dir_all(dir).with_context(|| format!("Không tạo được {}", dir.display()))?;
    let mut convert = String::new();
    let mut received = String::from("tệp,ngày nhận\n");
    for s in samples::build(batch)? {
        let stem = s.name.rsplit_once('.').map_or(s.name.as_str(), |(a, _)| a);
        let xlsx = format!("{stem}.xlsx");
        write(&dir.join(&xlsx), &s.xlsx)?;
        if let Some(fmt) = s.convert {
            convert.push_str(&format!("{xlsx} {fmt}\n"));
        }
        received.push_str(&format!(
            "{},{}\n",
            s.name,
            s.received.format("%Y-%m-%d %H:%M")
        ));
    }
    let (name, bytes, _) = samples::renamed_docx()?;
    write(&dir.join(&name), bytes)?;
    received.push_str(&format!("{name},2024-03-15 10:00\n"));
    write(&dir.join("chuyen-dinh-dang.txt"), convert)?;
    write(&dir.join(RECEIVED_LIST), received)?;
    println!("Đã ghi bộ báo cáo mẫu vào {}", dir.display());
    Ok(EXIT_OK)
}

/// Writes a file, saying in Vietnamese which one could not be written.
fn write(path: &Path, bytes: impl AsRef<[u8]>) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("Không ghi được tệp {}", path.display()))
}
