//! `cchc templates`: one protected Excel template per reporting agency for a
//! period, written into a folder with a manifest, and a one-line summary.

use super::{Context, EXIT_OK};
use crate::agencies::{Agency, Level, Reporting};
use crate::template::{self, Batch, MANIFEST_NAME};
use chrono::{NaiveDateTime, Timelike};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Kỳ báo cáo, ví dụ 2024-Q1 (quý I), 2024-H1 (6 tháng), 2024-Q3, 2024-9M, 2024-Y (năm).
    #[arg(long, value_name = "KỲ")]
    pub period: String,
    /// Thư mục ghi các biểu mẫu (tạo mới nếu chưa có).
    #[arg(long, value_name = "THƯ_MỤC")]
    pub out: PathBuf,
    /// Chỉ lập biểu mẫu cho các đơn vị này (theo mã, ví dụ STP H522 CTHUE). Mặc định: mọi đơn vị báo cáo trực tiếp trong danh mục cơ quan của kỳ (năm 2024: các sở, ban ngành và UBND cấp huyện; từ 01/07/2025: 15 đơn vị cấp tỉnh và 96 xã, phường, đặc khu).
    #[arg(long, value_name = "MÃ", num_args = 1..)]
    pub agency: Vec<String>,
    /// Lập cho mọi đơn vị có thể báo cáo, kể cả cơ quan Trung ương đóng trên địa bàn.
    #[arg(long, conflicts_with = "agency")]
    pub all: bool,
    /// Mật khẩu bảo vệ sheet (mặc định: bảo vệ không mật khẩu).
    #[arg(long, value_name = "MẬT_KHẨU")]
    pub password: Option<String>,
    /// Ghi đè các biểu mẫu cùng tên đã có trong thư mục (mặc định: dừng lại, vì đó có thể là báo cáo đơn vị đã gửi về).
    #[arg(long)]
    pub overwrite: bool,
    /// Thời điểm lập ghi vào biểu mẫu, dạng 2024-03-01T08:00:00 (mặc định: bây giờ). Cùng thời điểm thì cùng nội dung tệp.
    #[arg(long, value_name = "THỜI_ĐIỂM", value_parser = parse_time)]
    pub generated_at: Option<NaiveDateTime>,
}

fn parse_time(s: &str) -> Result<NaiveDateTime, String> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight"))
        })
        .map_err(|_| format!("«{s}» không phải thời điểm dạng 2024-03-01T08:00:00"))
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<u8> {
    let period = ctx.schedule.period(&args.period)?;
    let agencies = select(ctx, &args)?;
    if !args.overwrite {
        refuse_to_overwrite(&args.out, &period, &agencies)?;
    }
    let key = ctx.key()?;
    let generated_at = args.generated_at.unwrap_or_else(|| {
        let now = chrono::Local::now().naive_local();
        now.with_nanosecond(0).unwrap_or(now)
    });
    let batch = Batch {
        plan: &ctx.plan,
        directory: &ctx.directory,
        catalogue: &ctx.catalogue,
        period: &period,
        key: &key,
        generated_at,
        password: args.password.as_deref(),
    };
    let rows = template::write_all(&batch, &agencies, &args.out)?;
    println!(
        "Đã lập {} biểu mẫu báo cáo {} trong thư mục {} (danh sách: {MANIFEST_NAME}).",
        rows.len(),
        period.label(),
        args.out.display()
    );
    Ok(EXIT_OK)
}

/// Stops before writing anything when a template's file name is already
/// taken: a returned report keeps the template's name, and must never be
/// overwritten by accident.
fn refuse_to_overwrite(
    dir: &std::path::Path,
    period: &crate::period::Period,
    agencies: &[&Agency],
) -> anyhow::Result<()> {
    let taken: Vec<String> = agencies
        .iter()
        .map(|a| template::file_name(period, a))
        .filter(|name| dir.join(name).exists())
        .collect();
    if let Some(first) = taken.first() {
        anyhow::bail!(
            "Thư mục {} đã có {} tệp trùng tên biểu mẫu (ví dụ {first}); đó có thể là báo cáo đơn vị đã gửi về. Hãy chọn thư mục khác, hoặc thêm --overwrite để ghi đè.",
            dir.display(),
            taken.len()
        );
    }
    Ok(())
}

/// The agencies to write templates for, in directory order.
fn select<'a>(ctx: &'a Context, args: &Args) -> anyhow::Result<Vec<&'a Agency>> {
    let dir = &ctx.directory;
    if args.all {
        let central = dir.at_level(Level::TrungUong);
        return Ok(dir.reporting_units().into_iter().chain(central).collect());
    }
    if args.agency.is_empty() {
        return Ok(dir.reporting_units());
    }
    let mut out: Vec<&Agency> = Vec::new();
    for code in &args.agency {
        let a = dir.get(code).ok_or_else(|| {
            anyhow::anyhow!(
                "Không có đơn vị mã «{code}» trong danh mục cơ quan. Xem danh sách mã bằng lệnh `cchc agencies`."
            )
        })?;
        anyhow::ensure!(
            a.reporting != Reporting::ViaDistrict,
            "{} ({code}) là đơn vị cấp xã, báo cáo qua UBND cấp huyện ({}) theo danh mục cơ quan {}: hãy lập biểu mẫu cho đơn vị cấp huyện.",
            a.name,
            a.parent.as_deref().unwrap_or("?"),
            ctx.directory_label
        );
        if !out.iter().any(|o| o.code == a.code) {
            out.push(a);
        }
    }
    Ok(out)
}
