//! Vietnamese help and argument errors. clap writes English headings
//! ("Usage:", "Options:") and error texts; this module rewrites the command
//! tree's help layout and translates the common parse errors, so a user never
//! meets English.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// Applies the Vietnamese help layout to a command and all its subcommands.
pub fn localise(cmd: Command) -> Command {
    let cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("Lệnh")
        .subcommand_value_name("LỆNH")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In hướng dẫn sử dụng"),
        )
        .mut_args(|a| a.help_heading("Tùy chọn"))
        .mut_subcommands(localise);
    if cmd.get_version().is_some() {
        cmd.arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("In phiên bản")
                .help_heading("Tùy chọn"),
        )
    } else {
        cmd
    }
}

/// A Vietnamese message for an argument error.
pub fn message(err: &clap::Error) -> String {
    let ctx = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    let hint = "Xem hướng dẫn: cchc --help";
    match err.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "Lỗi: không có lệnh «{}». {hint}",
            ctx(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => format!(
            "Lỗi: không có tùy chọn «{}». {hint}",
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::InvalidValue => format!(
            "Lỗi: giá trị «{}» không hợp lệ cho {}; các giá trị được nhận: {}.",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::ValidValue)
        ),
        ErrorKind::MissingRequiredArgument => format!(
            "Lỗi: thiếu tùy chọn bắt buộc: {}. {hint}",
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            format!("Lỗi: cần chọn một lệnh. {hint}")
        }
        ErrorKind::ValueValidation => format!(
            "Lỗi: giá trị không hợp lệ cho {}: {}",
            ctx(ContextKind::InvalidArg),
            std::error::Error::source(err)
                .map(|s| s.to_string())
                .unwrap_or_default()
        ),
        _ => format!("Lỗi: dòng lệnh không hợp lệ. {hint}\n{err}"),
    }
}
