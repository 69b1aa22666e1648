//! `cchc agencies`: the directory, and for each agency the tasks it leads and
//! cooperates on.

use super::{Context, EXIT_OK};
use crate::agencies::Level;
use crate::plan::Role;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Chỉ in các đơn vị này (theo mã, ví dụ STP H522).
    #[arg(value_name = "MÃ")]
    pub codes: Vec<String>,
    /// In cả các xã, phường, thị trấn.
    #[arg(long)]
    pub communes: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<u8> {
    for code in &args.codes {
        anyhow::ensure!(
            ctx.directory.get(code).is_some(),
            "Không có đơn vị mã «{code}» trong danh mục cơ quan"
        );
    }
    print!("{}", listing(ctx, &args));
    Ok(EXIT_OK)
}

pub fn listing(ctx: &Context, args: &Args) -> String {
    let mut s = String::new();
    for level in [Level::Tinh, Level::TrungUong, Level::Huyen, Level::Xa] {
        if level == Level::Xa && !args.communes && args.codes.is_empty() {
            continue;
        }
        let units: Vec<_> = ctx
            .directory
            .at_level(level)
            .filter(|a| args.codes.is_empty() || args.codes.contains(&a.code))
            .collect();
        if units.is_empty() {
            continue;
        }
        s += &format!("\n== {} ({} đơn vị) ==\n", level.label(), units.len());
        for a in units {
            let tasks = ctx.plan.tasks_for(&a.code, &ctx.directory);
            let of = |r: Role| {
                tasks
                    .iter()
                    .filter(|t| t.role == r)
                    .map(|t| t.task.label.as_str())
                    .collect::<Vec<_>>()
            };
            let (lead, coop, communes) =
                (of(Role::Lead), of(Role::Cooperating), of(Role::ForCommunes));
            let reports = if a.reports_quarterly() {
                "báo cáo hằng quý"
            } else {
                "không tự báo cáo"
            };
            s += &format!("{:<11} {} ({reports})\n", a.code, a.name);
            s += &format!("            chủ trì {}: {}\n", lead.len(), lead.join(", "));
            s += &format!("            phối hợp {}: {}\n", coop.len(), coop.join(", "));
            if !communes.is_empty() {
                s += &format!(
                    "            giao cấp xã {}: {}\n",
                    communes.len(),
                    communes.join(", ")
                );
            }
        }
    }
    s
}
