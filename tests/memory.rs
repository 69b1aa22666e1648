//! Peak memory of a whole quarter-end batch: `cchc run` over the
//! adversarial corpus (memory bombs, huge texts, damaged and mutated files,
//! entries that are not files; see `adversarial::corpus`) must stay within
//! 512 MB.
//!
//! What is measured: this test binary holds this one test, so the only
//! children it ever waits for are `mkfifo` (making the corpus) and that
//! `cchc run`. After the wait,
//! `getrusage(RUSAGE_CHILDREN).ru_maxrss` is the largest peak resident set
//! of any single process in that tree: `cchc` itself, or any reader child it
//! started (each file is read in a child with its own memory cap) and waited
//! for. A peak is recorded by the kernel, so the figure does not depend on
//! timing or sampling. Whole runs at scale are measured by
//! `scripts/bench-run.sh` (peak memory flat in the number of returns).

mod adversarial;
mod intake_util;

use adversarial::{batch, corpus, key_file};
use intake_util::World;

const LIMIT_KB: i64 = 512 * 1024;

#[test]
fn a_whole_adversarial_batch_peaks_under_512_mb() {
    let w = World::new();
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("bao-cao");
    std::fs::create_dir(&returns).unwrap();
    let corpus = corpus(&w, &returns);
    assert!(corpus.len() >= 100, "{} entries", corpus.len());
    let before = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .unwrap()
        .max_rss();
    // Only `mkfifo` (making the corpus) ran before: a tiny peak.
    assert!(
        before < 16 * 1024,
        "a child of {before} kB ran before the batch"
    );
    let out = root.path().join("ket-qua");
    let run = batch(
        &mut std::process::Command::new(env!("CARGO_BIN_EXE_cchc")),
        key_file(root.path()),
        &returns,
        &out,
    )
    .output()
    .unwrap();
    let peak_kb = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .unwrap()
        .max_rss();
    let stderr = String::from_utf8_lossy(&run.stderr);
    // The batch ran to its end: findings (exit 1), every entry in the ledger.
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let ledger: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("so-tiep-nhan.json")).unwrap()).unwrap();
    assert_eq!(
        ledger["entries"].as_array().unwrap().len(),
        corpus.len(),
        "one ledger line per entry"
    );
    let findings = std::fs::read_to_string(out.join("kiem-tra.txt")).unwrap();
    assert!(
        findings.contains(&format!("Tổng cộng {} tệp", corpus.len())),
        "{}",
        &findings[findings.len().saturating_sub(600)..]
    );
    // The memory bombs were really read (and refused for memory).
    assert!(
        findings.contains("MB bộ nhớ"),
        "no file was refused for memory"
    );
    eprintln!(
        "peak resident set of the batch (cchc or a reader child): {} MB",
        peak_kb / 1024
    );
    assert!(peak_kb > 0, "the kernel reported a peak");
    assert!(
        peak_kb <= LIMIT_KB,
        "peak {} MB over the 512 MB budget",
        peak_kb / 1024
    );
}
