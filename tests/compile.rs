//! Compilation against the synthetic returns it came from: ledger statuses
//! and determinism, completeness and the reminder, task buckets, area counts,
//! indicator totals and recomputed rates; superseded or rejected files never
//! contribute.

#[path = "support/synthetic.rs"]
mod synthetic;

use cchc::agencies::Directory;
use cchc::compile::{
    self, completeness, Compilation, Derived, EntryStatus, Inputs, Ledger, LedgerInput, Outcome,
    UnitState,
};
use cchc::form::indicators::Catalogue;
use cchc::form::{Status, Submission};
use cchc::period::{ymd, Period, Schedule};
use cchc::plan::{self, Plan};
use chrono::{NaiveDate, NaiveDateTime};

struct World {
    dir: Directory,
    plan: Plan,
    schedule: Schedule,
    cat: Catalogue,
    period: Period,
}

fn world() -> World {
    let dir = Directory::embedded();
    let plan = plan::seed(&dir);
    let schedule = Schedule::embedded();
    let period = schedule.period("2024-Q1").unwrap();
    World {
        dir,
        plan,
        schedule,
        cat: Catalogue::embedded(),
        period,
    }
}

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    ymd(y, m, d).and_hms_opt(9, 0, 0).unwrap()
}

impl World {
    fn inputs(&self) -> Inputs<'_> {
        Inputs::new(
            &self.plan,
            &self.dir,
            &self.schedule,
            &self.cat,
            &self.period,
        )
    }
    fn units(&self) -> Vec<String> {
        self.inputs().expected
    }
    fn sub(&self, agency: &str, status: Status, evidence: Option<NaiveDate>) -> Submission {
        synthetic::submission(
            &self.plan,
            &self.dir,
            &self.cat,
            &self.period,
            agency,
            status,
            evidence,
        )
    }
    fn run(&self, inputs: Vec<LedgerInput>, subs: Vec<Submission>) -> Compilation {
        let ledger = Ledger::build(&self.period.id, inputs);
        compile::compile(&self.inputs(), ledger, subs)
    }
}

fn input(s: &Submission, received: NaiveDateTime, accepted: bool) -> LedgerInput {
    LedgerInput {
        path: s.source.path.clone(),
        sha256: s.source.sha256.clone(),
        agency: Some(s.agency.clone()),
        period: Some(s.period.clone()),
        received,
        accepted,
        reasons: if accepted {
            vec![]
        } else {
            vec!["Nhiệm vụ!I12: tình trạng «xong rồi» không thuộc danh sách".into()]
        },
    }
}

/// Everyone completes everything with evidence dated 1/2/2024, except the last
/// three districts, which send nothing.
fn mostly_complete(w: &World) -> (Compilation, Vec<String>) {
    let units = w.units();
    let (sending, missing) = units.split_at(units.len() - 3);
    let subs = synthetic::all(
        &w.plan,
        &w.dir,
        &w.cat,
        &w.period,
        sending,
        Status::Completed,
        Some(ymd(2024, 2, 1)),
    );
    let inputs = synthetic::inputs_at(&subs, at(2024, 3, 14));
    (w.run(inputs, subs), missing.to_vec())
}

#[test]
fn multi_owner_task_with_missing_owners_stays_open_and_lists_them() {
    let w = world();
    let (c, missing) = mostly_complete(&w);
    let t = c.task("1.d").unwrap();
    // Sở Tư pháp and the 13 districts lead 1.d (due 31/01/2024).
    assert_eq!(t.deciders, 14);
    assert_eq!(t.completed_by, 11);
    assert_eq!(t.owners_line(), "11/14 đơn vị hoàn thành");
    assert_eq!(t.missing, missing);
    assert!(t.behind.is_empty());
    assert_eq!(t.status, Derived::InProgress);
    assert_eq!(t.outcome, Outcome::OpenOverdue);
    // 2.a: Văn phòng UBND tỉnh alone, due in quý I, completed 01/02 ⇒ on time.
    let t = c.task("2.a").unwrap();
    assert_eq!((t.deciders, t.completed_by), (1, 1));
    assert_eq!(t.outcome, Outcome::DoneOnTime);
    assert_eq!(t.completed_on, Some(ymd(2024, 2, 1)));
}

#[test]
fn completion_after_the_due_date_is_late_and_open_ended_tasks_are_apart() {
    let w = world();
    let units = w.units();
    let mut subs = synthetic::all(
        &w.plan,
        &w.dir,
        &w.cat,
        &w.period,
        &units,
        Status::Completed,
        Some(ymd(2024, 1, 15)),
    );
    let stp = subs.iter_mut().find(|s| s.agency == "STP").unwrap();
    stp.tasks
        .iter_mut()
        .find(|t| t.task_id == "1.d")
        .unwrap()
        .evidence_date = Some(ymd(2024, 2, 15));
    let inputs = synthetic::inputs_at(&subs, at(2024, 3, 14));
    let c = w.run(inputs, subs);
    let t = c.task("1.d").unwrap();
    assert_eq!(t.status, Derived::Completed);
    assert_eq!(t.completed_on, Some(ymd(2024, 2, 15)));
    assert_eq!(t.outcome, Outcome::DoneLate);
    assert_eq!(c.task("1.a").unwrap().outcome, Outcome::OpenEnded);
    // 2.k.2 is due in quý III: not yet due in quý I.
    assert_eq!(c.task("2.k.2").unwrap().outcome, Outcome::NotYetDue);
    assert_eq!(c.total.done_late, 1);
}

#[test]
fn area_and_total_counts_match_the_task_buckets_and_the_plan() {
    let w = world();
    let (c, _) = mostly_complete(&w);
    assert_eq!(c.total.tasks, w.plan.tasks.len());
    for a in &c.areas {
        for o in Outcome::ALL {
            let n = c
                .tasks
                .iter()
                .filter(|t| t.area_id == a.area_id && t.outcome == o)
                .count();
            assert_eq!(a.counts.of(o), n, "{} {:?}", a.area_id, o);
        }
    }
    for o in Outcome::ALL {
        let sum: usize = c.areas.iter().map(|a| a.counts.of(o)).sum();
        assert_eq!(sum, c.total.of(o), "{o:?}");
    }
    // Independent of the compile code: open-ended tasks are those without any dated milestone.
    let open = w
        .plan
        .tasks
        .iter()
        .filter(|t| t.deadline.final_due().is_none())
        .count();
    assert_eq!(c.total.open_ended, open);
    let later = w
        .plan
        .tasks
        .iter()
        .filter(|t| {
            t.deadline.final_due().is_some_and(|d| d > w.period.end)
                && !w.period.is_due(&t.deadline)
        })
        .count();
    assert_eq!(c.total.not_yet_due, later);
    let rate = c.total.rate().unwrap();
    let expect = 100.0 * c.total.done() as f64 / c.total.due() as f64;
    assert!((rate - expect).abs() < 1e-9);
}

#[test]
fn missing_and_late_units_are_listed_and_the_reminder_names_them() {
    let w = world();
    let units = w.units();
    let mut subs = synthetic::all(
        &w.plan,
        &w.dir,
        &w.cat,
        &w.period,
        &units[..units.len() - 2],
        Status::Completed,
        None,
    );
    let mut inputs = synthetic::inputs_at(&subs, at(2024, 3, 15));
    // SNV late (after due + grace = 17/3); H522's only file was rejected.
    inputs
        .iter_mut()
        .find(|i| i.agency.as_deref() == Some("SNV"))
        .unwrap()
        .received = at(2024, 3, 19);
    let h = units[units.len() - 2].clone();
    let bad = w.sub(&h, Status::Completed, None);
    inputs.push(input(&bad, at(2024, 3, 14), false));
    subs.push(bad);
    let c = w.run(inputs, subs);
    let k = &c.completeness;
    assert_eq!(k.expected, 33);
    assert_eq!((k.on_time, k.late, k.rejected, k.missing), (30, 1, 1, 1));
    let state = |code: &str| k.units.iter().find(|u| u.code == code).unwrap().state;
    assert_eq!(state("SNV"), UnitState::Late);
    assert_eq!(state(&h), UnitState::Rejected);
    assert_eq!(state(units.last().unwrap()), UnitState::Missing);
    let head = completeness::Letterhead {
        superior: "UBND TỈNH QUẢNG NGÃI".into(),
        issuer: "SỞ NỘI VỤ".into(),
        number: "Số: …/SNV-CCHC".into(),
        place: "Quảng Ngãi".into(),
        signer_title: "GIÁM ĐỐC".into(),
        signer_name: "Nguyễn Văn A".into(),
    };
    let text = completeness::reminder(k, &w.period, &head, ymd(2024, 3, 18));
    let name = |c: &str| w.dir.get(c).unwrap().name.clone();
    assert!(
        text.contains(&format!(
            "{}: chưa gửi báo cáo",
            name(units.last().unwrap())
        )),
        "{text}"
    );
    assert!(text.contains(&format!(
        "{}: báo cáo đã gửi chưa đạt yêu cầu, phải gửi lại",
        name(&h)
    )));
    assert!(text.contains("tình trạng «xong rồi»"));
    assert!(
        text.contains("31/33 cơ quan, đơn vị đã gửi báo cáo hợp lệ"),
        "{text}"
    );
    assert!(text.contains("Quảng Ngãi, ngày 18 tháng 3 năm 2024"));
    assert!(!text.contains(&name("STP")));
    // The rejected return contributes nothing.
    assert!(c.answers.iter().all(|a| a.agency != h));
}

#[test]
fn superseded_rejected_and_duplicate_files_never_contribute() {
    let w = world();
    let mut early = w.sub("STP", Status::NotStarted, None);
    early.source = synthetic::source("STP_lan1.xlsx", "1");
    early.indicators.insert("VB_BANHANH".into(), 1000.0);
    let mut counted = w.sub("STP", Status::Completed, Some(ymd(2024, 1, 20)));
    counted.source = synthetic::source("STP_lan2.xlsx", "2");
    counted.indicators.insert("VB_BANHANH".into(), 7.0);
    let mut rejected = w.sub("STP", Status::InProgress, None);
    rejected.source = synthetic::source("STP_lan3.xlsx", "3");
    rejected.indicators.insert("VB_BANHANH".into(), 5000.0);
    let mut dup = early.clone();
    dup.source.path = "STP_lan1 - Copy.xlsx".into();
    let mut other = w.sub("STP", Status::InProgress, None);
    other.source = synthetic::source("STP_quy3.xlsx", "4");
    other.period = "2024-Q3".into();
    other.indicators.insert("VB_BANHANH".into(), 9000.0);
    let mut inputs = vec![
        input(&early, at(2024, 3, 10), true),
        input(&counted, at(2024, 3, 12), true),
        input(&rejected, at(2024, 3, 13), false),
        input(&dup, at(2024, 3, 14), true),
        input(&other, at(2024, 3, 14), true),
    ];
    inputs[4].period = Some("2024-Q3".into());
    let c = w.run(inputs, vec![early, counted.clone(), rejected, dup, other]);
    let status = |p: &str| c.ledger.entries().find(|e| e.path == p).unwrap().status;
    assert_eq!(status("STP_lan1.xlsx"), EntryStatus::Superseded);
    assert_eq!(status("STP_lan2.xlsx"), EntryStatus::Accepted);
    assert_eq!(status("STP_lan3.xlsx"), EntryStatus::Rejected);
    assert_eq!(status("STP_lan1 - Copy.xlsx"), EntryStatus::Duplicate);
    assert_eq!(status("STP_quy3.xlsx"), EntryStatus::OtherPeriod);
    let vb = c
        .indicators
        .iter()
        .find(|i| i.code == "VB_BANHANH")
        .unwrap();
    assert_eq!(vb.total, Some(7.0));
    assert_eq!(vb.reporters, 1);
    let stp_rows: Vec<_> = c.answers.iter().filter(|a| a.agency == "STP").collect();
    assert_eq!(stp_rows.len(), counted.tasks.len());
    assert!(stp_rows.iter().all(|a| a.status == Some(Status::Completed)));
    let owner = c
        .task("1.d")
        .unwrap()
        .owners
        .iter()
        .find(|o| o.agency == "STP")
        .unwrap()
        .clone();
    assert_eq!(owner.status, Some(Status::Completed));
    let superseded = c
        .ledger
        .entries()
        .find(|e| e.path == "STP_lan1.xlsx")
        .unwrap();
    assert_eq!(superseded.related.as_deref(), Some("STP_lan2.xlsx"));
    assert!(superseded.reason.contains("STP_lan2.xlsx"));
}

#[test]
fn indicator_totals_are_sums_and_rates_are_recomputed_not_averaged() {
    let w = world();
    let (c, missing) = mostly_complete(&w);
    let units = w.units();
    let sending: Vec<_> = units
        .iter()
        .filter(|u| !missing.contains(u))
        .cloned()
        .collect();
    let subs = synthetic::all(
        &w.plan,
        &w.dir,
        &w.cat,
        &w.period,
        &sending,
        Status::Completed,
        None,
    );
    let sum = |code: &str| {
        subs.iter()
            .filter_map(|s| s.indicators.get(code))
            .sum::<f64>()
    };
    let total = |code: &str| {
        c.indicators
            .iter()
            .find(|i| i.code == code)
            .unwrap()
            .clone()
    };
    assert_eq!(total("HS_DAGIAIQUYET").total, Some(sum("HS_DAGIAIQUYET")));
    assert_eq!(total("TTHC_CONGBO_MOI").reporters, 20);
    let rate = total("HS_TYLE_DUNGHAN");
    let expect = 100.0 * (sum("HS_TRUOCHAN") + sum("HS_DUNGHAN")) / sum("HS_DAGIAIQUYET");
    assert!((rate.total.unwrap() - expect).abs() < 1e-9);
    assert_eq!(rate.denominator, Some(sum("HS_DAGIAIQUYET")));
    let mean = sum("HS_TYLE_DUNGHAN") / sending.len() as f64;
    assert!(
        (rate.total.unwrap() - mean).abs() > 1e-6,
        "rate must not be the mean"
    );
}

#[test]
fn ledger_is_the_same_whatever_order_files_arrive_in() {
    let w = world();
    let units = w.units();
    let subs = synthetic::all(
        &w.plan,
        &w.dir,
        &w.cat,
        &w.period,
        &units,
        Status::Completed,
        None,
    );
    let mut inputs: Vec<LedgerInput> = subs
        .iter()
        .enumerate()
        .map(|(i, s)| input(s, at(2024, 3, 1 + (i % 20) as u32), i % 5 != 0))
        .collect();
    let mut resend = inputs[3].clone();
    resend.path = "resend.xlsx".into();
    resend.received = at(2024, 3, 16);
    inputs.push(resend);
    let a = Ledger::build("2024-Q1", inputs.clone());
    inputs.reverse();
    let b = Ledger::build("2024-Q1", inputs.clone());
    inputs.rotate_left(7);
    let c = Ledger::build("2024-Q1", inputs.clone());
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(a.len(), 34, "nothing dropped");
    assert_eq!(a.count(EntryStatus::Duplicate), 1);
    assert_eq!(a.counted().count(), a.count(EntryStatus::Accepted));
    let seqs: Vec<usize> = a.entries().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=34).collect::<Vec<_>>());
}

#[test]
fn compilation_is_deterministic_and_serialises() {
    let w = world();
    let (a, _) = mostly_complete(&w);
    let (b, _) = mostly_complete(&w);
    let ja = serde_json::to_string(&a).unwrap();
    assert_eq!(ja, serde_json::to_string(&b).unwrap());
    assert!(ja.contains("\"outcome\":\"open_overdue\""));
    assert_eq!(a.next_period.id, "2024-H1");
    // Completed already (even early): not a focus task; overdue ones carry over.
    assert!(!a.next_tasks.contains(&"2.k.1".to_string()));
    assert!(a.next_tasks.contains(&"1.d".to_string()));
    let units = w.units();
    let mut subs = synthetic::all(
        &w.plan,
        &w.dir,
        &w.cat,
        &w.period,
        &units,
        Status::Completed,
        None,
    );
    let vp = subs.iter_mut().find(|s| s.agency == "VPUBND").unwrap();
    vp.tasks
        .iter_mut()
        .find(|t| t.task_id == "2.k.1")
        .unwrap()
        .status = Some(Status::InProgress);
    let inputs = synthetic::inputs_at(&subs, at(2024, 3, 14));
    let c = w.run(inputs, subs);
    // 2.k.1 is due in quý II, the next period, and still open: a focus task.
    assert_eq!(c.next_tasks, ["2.k.1"]);
}
