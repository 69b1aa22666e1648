//! The `cchc demo --nam 2026` scenario: the province as it is today (15
//! provincial units and 96 xã, phường, đặc khu reporting directly, directory
//! in force from 1/7/2025) on the illustrative 2026 plan, quý I/2026. Every
//! return is generated; a few arrive late, a few carry mistakes, one is
//! replaced by a corrected copy, and a few units send nothing.

use super::fill::Mistake;
use chrono::NaiveDateTime;

pub const PERIOD: &str = "2026-Q1";

/// Units that send no return.
pub const MISSING: &[&str] = &["X23392", "X21548", "SNGV"];

/// Returns generated with a mistake, and which.
pub const MISTAKES: &[(&str, Mistake)] = &[
    ("SXD", Mistake::FutureDate),
    ("X21154", Mistake::NotApplicableNoReason),
    ("X21361", Mistake::IdentityBroken),
    ("X23504", Mistake::StatusInvalid),
];

/// Units that send an accepted return, then a corrected one.
pub const RESUBMITTED: &[&str] = &["SNNMT"];

/// Units whose return arrives after the deadline and grace days.
pub const LATE: &[&str] = &["X21520", "SDTTG", "X21025", "X21040"];

/// When the scenario's templates were made.
pub fn generated_at() -> NaiveDateTime {
    crate::period::ymd(2026, 2, 25)
        .and_hms_opt(8, 0, 0)
        .expect("valid time")
}
