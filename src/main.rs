//! The `cchc` binary: parses arguments, runs the command, maps the outcome to
//! exit codes 0 (fine), 1 (findings), 2 (could not run).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cchc::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                cchc::cli::EXIT_FAILURE
            } else {
                0
            });
        }
    };
    match cchc::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::from(cchc::cli::EXIT_FAILURE)
        }
    }
}
