//! Plan registry speed: parsing the embedded seed (target: well under 10 ms)
//! and the .docx path.

use cchc::agencies::Directory;
use cchc::plan::{self, parse};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench_plan(c: &mut Criterion) {
    let dir = Directory::embedded();
    c.bench_function("plan/parse_seed_text", |b| {
        b.iter(|| parse::parse_text(black_box(plan::SEED_TEXT), &dir))
    });
    let docx = plan::docx::docx_from_text(plan::SEED_TEXT).unwrap();
    c.bench_function("plan/parse_seed_docx", |b| {
        b.iter(|| parse::parse_docx(black_box(&docx), &dir).unwrap())
    });
    c.bench_function("agencies/load_directory", |b| b.iter(Directory::embedded));
    c.bench_function("agencies/build_resolver", |b| {
        b.iter(|| cchc::agencies::resolve::Resolver::new(black_box(&dir)))
    });
}

criterion_group!(benches, bench_plan);
criterion_main!(benches);
