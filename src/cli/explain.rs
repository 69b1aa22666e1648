//! `cchc explain CODE | --all`: prints a rule of the rule table (code,
//! severity, title, what it checks, why, an example, what to do).

use super::{Context, EXIT_FAILURE, EXIT_OK};
use crate::form::rules::{self, Rule, RULES};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Mã quy tắc, ví dụ C001.
    #[arg(value_name = "MÃ", required_unless_present = "all")]
    pub code: Option<String>,
    /// Liệt kê mọi quy tắc.
    #[arg(long)]
    pub all: bool,
}

pub fn run(_ctx: &Context, args: Args) -> anyhow::Result<u8> {
    if args.all {
        print!("{}", list());
        return Ok(EXIT_OK);
    }
    let code = args.code.unwrap_or_default();
    match rules::rule(&code) {
        Some(r) => {
            print!("{}", explain(r));
            Ok(EXIT_OK)
        }
        None => {
            eprintln!("Lỗi: không có quy tắc mã «{code}». Xem danh sách: cchc explain --all");
            Ok(EXIT_FAILURE)
        }
    }
}

/// The full text of one rule.
pub fn explain(r: &Rule) -> String {
    let mut s = format!(
        "{} — {} ({})\n\n{}\n",
        r.code,
        r.title,
        r.severity.label(),
        r.doc
    );
    if !r.instruction.is_empty() {
        s += &format!("Cách sửa: {}\n", r.instruction);
    }
    s
}

/// One line per rule, grouped by scope.
pub fn list() -> String {
    let mut s = String::new();
    let mut scope = None;
    for r in RULES {
        if scope != Some(r.scope) {
            s += &format!("\n{}\n", r.scope.label());
            scope = Some(r.scope);
        }
        s += &format!("  {}  {:<9} {}\n", r.code, r.severity.label(), r.title);
    }
    s
}
