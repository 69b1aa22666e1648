//! Compilation speed: the quarter for 33 agencies and for 111 reporting
//! units (the province from 1/7/2025: 15 + 96), compiled and rendered (report
//! DOCX, summary XLSX, reminder letter DOCX; target < 1 s), and aggregation alone over 10,000 synthetic
//! returns (a directory of 10,000 reporting units, every one leading every
//! task), which streams the returns once.

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

use cchc::agencies::Directory;
use cchc::compile::{self, Inputs, Ledger};
use cchc::document::{self, ReportConfig};
use cchc::form::indicators::Catalogue;
use cchc::form::{Status, Submission};
use cchc::period::{ymd, Schedule};
use cchc::plan::{self, Member};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

fn bench_quarter(c: &mut Criterion) {
    let dir = Directory::embedded();
    let plan = plan::seed(&dir);
    let schedule = Schedule::embedded();
    let cat = Catalogue::embedded();
    let period = schedule.period("2024-Q1").unwrap();
    let inputs = Inputs::new(&plan, &dir, &schedule, &cat, &period);
    let subs = synthetic::mixed(&plan, &dir, &cat, &period, &inputs.expected);
    let at = ymd(2024, 3, 14).and_hms_opt(9, 0, 0).unwrap();
    let ledger_in = synthetic::inputs_at(&subs, at);
    let cfg = ReportConfig::embedded();
    c.bench_function("compile/33_agencies_compile_only", |b| {
        b.iter_batched(
            || (ledger_in.clone(), subs.clone()),
            |(l, s)| compile::compile(&inputs, Ledger::build(&period.id, l), s),
            BatchSize::SmallInput,
        )
    });
    c.bench_function("compile/33_agencies_compile_and_render", |b| {
        b.iter_batched(
            || (ledger_in.clone(), subs.clone()),
            |(l, s)| {
                let k = compile::compile(&inputs, Ledger::build(&period.id, l), s);
                let d = document::docx::report(&k, &cfg, &dir).unwrap();
                let x = document::workbook::workbook(&k, &dir).unwrap();
                (d.len(), x.len())
            },
            BatchSize::SmallInput,
        )
    });
}

fn bench_111(c: &mut Criterion) {
    let dir = Directory::embedded();
    let plan = plan::seed(&dir);
    let schedule = Schedule::embedded();
    let cat = Catalogue::embedded();
    let period = schedule.period("2024-Q1").unwrap();
    let mut inputs = Inputs::new(&plan, &dir, &schedule, &cat, &period);
    let communes = dir
        .all()
        .iter()
        .filter(|a| a.level == cchc::agencies::Level::Xa)
        .map(|a| a.code.clone());
    let need = 111 - inputs.expected.len();
    inputs.expected.extend(communes.take(need));
    assert_eq!(inputs.expected.len(), 111);
    let sending: Vec<String> = inputs.expected.iter().skip(2).cloned().collect();
    let subs = synthetic::mixed(&plan, &dir, &cat, &period, &sending);
    let at = ymd(2024, 3, 14).and_hms_opt(9, 0, 0).unwrap();
    let ledger_in = synthetic::inputs_at(&subs, at);
    let cfg = ReportConfig::embedded();
    c.bench_function("compile/111_units_compile_and_render", |b| {
        b.iter_batched(
            || (ledger_in.clone(), subs.clone()),
            |(l, s)| {
                let k = compile::compile(&inputs, Ledger::build(&period.id, l), s);
                let d = document::docx::report(&k, &cfg, &dir).unwrap();
                let x = document::workbook::workbook(&k, &dir).unwrap();
                let letter = document::letter::letter_docx(&k, &cfg).unwrap();
                (d.len(), x.len(), letter.len())
            },
            BatchSize::SmallInput,
        )
    });
}

fn bench_10k(c: &mut Criterion) {
    const N: usize = 10_000;
    let mut csv =
        String::from("code,level,kind,name,short_name,parent,gso_code,reports_quarterly,aliases\n");
    for i in 0..N {
        csv += &format!("U{i:05},tinh,so,Đơn vị {i},ĐV{i},,,yes,\n");
    }
    let dir = Directory::from_csv(&csv).unwrap();
    let mut plan = plan::seed(&Directory::embedded());
    let members: Vec<Member> = dir
        .all()
        .iter()
        .map(|a| Member {
            code: a.code.clone(),
            name: a.name.clone(),
            sub_roles: vec![],
        })
        .collect();
    for t in &mut plan.tasks {
        t.lead.members = members.clone();
        t.cooperating.members.clear();
    }
    let schedule = Schedule::embedded();
    let cat = Catalogue::embedded();
    let period = schedule.period("2024-Q1").unwrap();
    let inputs = Inputs::new(&plan, &dir, &schedule, &cat, &period);
    let statuses = [
        Status::Completed,
        Status::Completed,
        Status::InProgress,
        Status::NotStarted,
    ];
    let subs: Vec<Submission> = dir
        .all()
        .iter()
        .enumerate()
        .map(|(u, a)| Submission {
            agency: a.code.clone(),
            period: period.id.clone(),
            plan_fingerprint: plan.meta.fingerprint.clone(),
            template_version: "1".into(),
            source: synthetic::source(&format!("{}.xlsx", a.code), "x"),
            tasks: plan
                .tasks
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    synthetic::report(&t.id, statuses[(u + i) % 4], Some(ymd(2024, 2, 1)), &a.code)
                })
                .collect(),
            indicators: cat
                .indicators
                .iter()
                .enumerate()
                .map(|(i, ind)| (ind.code.clone(), synthetic::figure(&a.code, i, ind.kind)))
                .collect(),
        })
        .collect();
    let at = ymd(2024, 3, 14).and_hms_opt(9, 0, 0).unwrap();
    let ledger_in = synthetic::inputs_at(&subs, at);
    let mut g = c.benchmark_group("compile");
    g.sample_size(10);
    g.bench_function("aggregate_10000_returns", |b| {
        b.iter_batched(
            || (ledger_in.clone(), subs.clone()),
            |(l, s)| {
                let k = compile::compile(&inputs, Ledger::build(&period.id, l), s);
                assert_eq!(k.completeness.received(), N);
                k.answers.len()
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench_quarter, bench_111, bench_10k);
criterion_main!(benches);
