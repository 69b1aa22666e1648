//! The `cchc` binary: parses arguments, runs the command, maps the outcome to
//! exit codes 0 (fine), 1 (findings), 2 (could not run).

use std::process::ExitCode;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match cchc::cli::parse_args() {
        Ok(c) => c,
        Err(code) => return ExitCode::from(code),
    };
    match cchc::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::from(cchc::cli::EXIT_FAILURE)
        }
    }
}
