//! Intake: rules on in-memory returns (fast), one triggering test and one
//! near-miss per rule.

mod intake_util;

use intake_util::*;

#[test]
fn a_correct_return_is_accepted_with_no_findings() {
    let w = World::new();
    let p = w.period("2024-Q1");
    let f = Fixture::good(&w, "STP", "2024-Q1");
    let o = w.check(f.xlsx(), Some(&p));
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
    assert!(o.accepted());
    let s = o.submission.expect("submission");
    assert_eq!(s.agency, "STP");
    assert_eq!(s.period, "2024-Q1");
    assert_eq!(s.tasks.len(), f.rows.len());
    assert_eq!(s.indicators["HS_DAGIAIQUYET"], 90.0);
}
