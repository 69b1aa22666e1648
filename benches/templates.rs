//! Template generation speed. Criterion: all 33 default templates built in
//! memory, one after another and in parallel (target: under 1 s).
//!
//! Bulk mode (`CCHC_BENCH_BULK=N`, used by `scripts/bench-templates.sh` under
//! `/usr/bin/time -v`): writes N templates, cycling through the reporting
//! units, into a temporary folder (or `CCHC_BENCH_DIR`) exactly as
//! `cchc templates` does — built in parallel, each buffer written and dropped
//! — and prints the time taken; peak memory must not grow with N.

use cchc::agencies::Directory;
use cchc::form::indicators::Catalogue;
use cchc::form::token::Key;
use cchc::period::Schedule;
use cchc::plan;
use cchc::template::{self, Batch};
use criterion::{criterion_group, Criterion};
use rayon::prelude::*;
use std::hint::black_box;
use std::time::Instant;

struct Inputs {
    directory: Directory,
    plan: plan::Plan,
    catalogue: Catalogue,
    period: cchc::period::Period,
    key: Key,
}

fn inputs() -> Inputs {
    let directory = Directory::embedded();
    Inputs {
        plan: plan::seed(&directory),
        directory,
        catalogue: Catalogue::embedded(),
        period: Schedule::embedded().period("2024-Q1").unwrap(),
        key: Key::from_bytes(b"benchmark key, not a secret 0123"),
    }
}

impl Inputs {
    fn batch(&self) -> Batch<'_> {
        Batch {
            plan: &self.plan,
            directory: &self.directory,
            catalogue: &self.catalogue,
            period: &self.period,
            key: &self.key,
            generated_at: chrono::NaiveDate::from_ymd_opt(2024, 3, 1)
                .unwrap()
                .and_hms_opt(8, 0, 0)
                .unwrap(),
            password: None,
        }
    }
}

fn bench_in_memory(c: &mut Criterion) {
    let inp = inputs();
    let batch = inp.batch();
    let units = inp.directory.reporting_units();
    let mut group = c.benchmark_group("templates");
    group.sample_size(10);
    group.bench_function("33 in memory, sequential", |b| {
        b.iter(|| {
            for a in &units {
                black_box(template::build(&batch.input(a), None).unwrap());
            }
        })
    });
    group.bench_function("33 in memory, parallel", |b| {
        b.iter(|| {
            units.par_iter().for_each(|a| {
                black_box(template::build(&batch.input(a), None).unwrap());
            })
        })
    });
    group.finish();
}

criterion_group!(benches, bench_in_memory);

/// Writes `n` templates to disk the way `cchc templates` does.
fn bulk(n: usize) {
    let inp = inputs();
    let batch = inp.batch();
    let units = inp.directory.reporting_units();
    let tmp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("CCHC_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let start = Instant::now();
    let bytes: u64 = (0..n)
        .into_par_iter()
        .map(|i| {
            let a = units[i % units.len()];
            let path = dir.join(format!("{i:05}_{}", template::file_name(&inp.period, a)));
            template::write_one(&batch.input(a), &path).unwrap();
            std::fs::metadata(&path).unwrap().len()
        })
        .sum();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{n} templates, {:.1} MB, in {secs:.2} s ({:.0} per second, {} threads)",
        bytes as f64 / 1e6,
        n as f64 / secs,
        rayon::current_num_threads()
    );
}

fn main() {
    if let Some(n) = std::env::var("CCHC_BENCH_BULK")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        bulk(n);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
