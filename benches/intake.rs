//! Intake speed. Criterion measures validating the 33 quarterly returns of
//! the province (departments and districts, filled correctly, from real
//! templates) read from disk in parallel, as `cchc validate DIR` does.
//!
//! `cargo bench --bench intake -- --generate DIR N` instead writes N filled
//! returns (the 33 cycled, in subfolders) and the key file `DIR/khoa.key`,
//! for the whole-run measurement in `scripts/bench-intake.sh`.

#[path = "../tests/intake_util/mod.rs"]
mod intake_util;

use cchc::intake::{self, Limits};
use criterion::{criterion_group, Criterion};
use intake_util::{build, good_answers, World};
use std::path::Path;

/// Writes the 33 returns (or `n`, cycling) under `dir`; returns how many.
fn generate(w: &World, dir: &Path, n: usize) -> usize {
    let p = w.period("2024-Q1");
    let units: Vec<_> = w
        .dir
        .reporting_units()
        .into_iter()
        .filter(|a| a.reports_quarterly())
        .collect();
    let files: Vec<(String, Vec<u8>)> = units
        .iter()
        .map(|a| {
            (
                a.code.clone(),
                build(w, &a.code, &p, &good_answers(w, &a.code, &p)),
            )
        })
        .collect();
    for i in 0..n {
        let (code, bytes) = &files[i % files.len()];
        let sub = dir.join(format!("lo-{:03}", i / 500));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("{code}-{i:05}.xlsx")), bytes).unwrap();
    }
    std::fs::write(
        dir.join("khoa.key"),
        hex::encode(b"test key for intake fixtures"),
    )
    .unwrap();
    files.len()
}

fn province(c: &mut Criterion) {
    let w = World::new();
    let dir = tempfile::tempdir().unwrap();
    let n = generate(&w, dir.path(), 0);
    generate(&w, dir.path(), n);
    let p = w.period("2024-Q1");
    let paths = intake::collect_paths(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(
        paths.len(),
        33,
        "the province has 33 quarterly reporting units"
    );
    let setup = w.setup(Some(&p));
    let limits = Limits::default();
    let out = intake::validate_paths(&paths, &setup, &limits, |_, _| {});
    assert!(out.iter().all(|o| o.accepted()));
    c.bench_function("validate 33 province returns", |b| {
        b.iter(|| intake::validate_paths(&paths, &setup, &limits, |_, _| {}))
    });
}

/// One return read into a workbook: the intake's own reader against
/// calamine, the reader it replaced for `.xlsx` (same bytes, in memory).
fn one_return(c: &mut Criterion) {
    let w = World::new();
    let p = w.period("2024-Q1");
    let bytes = build(&w, "STP", &p, &good_answers(&w, "STP", &p));
    let limits = Limits::default();
    let mut g = c.benchmark_group("read one return");
    g.bench_function("own reader", |b| {
        b.iter(|| intake::read_bytes(bytes.clone(), &limits).unwrap())
    });
    g.bench_function("calamine", |b| {
        b.iter(|| intake::read::read_xlsx_with_calamine(bytes.clone(), &limits).unwrap())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = province, one_return
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        let dir = Path::new(&args[i + 1]);
        let n: usize = args[i + 2].parse().expect("a number of files");
        generate(&World::new(), dir, n);
        eprintln!("{n} returns written to {}", dir.display());
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
