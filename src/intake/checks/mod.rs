//! The checks, one file per rule group: `text` (T), `identity` (M),
//! `structure` (S), `tasks` (V and C) and `figures` (I). Each takes the read
//! workbook and what the plan says, and returns findings; none does I/O.

pub mod figures;
pub mod identity;
pub mod structure;
pub mod tasks;
pub mod text;

use crate::agencies::Directory;
use crate::form::indicators::Catalogue;
use crate::form::token::Key;
use crate::period::{Period, Schedule};
use crate::plan::Plan;
use chrono::NaiveDate;

/// What every check needs to know besides the workbook.
#[derive(Clone)]
pub struct Setup<'a> {
    pub plan: &'a Plan,
    pub directory: &'a Directory,
    pub schedule: &'a Schedule,
    pub catalogue: &'a Catalogue,
    /// The period being compiled (`--period`); `None` takes each file's own.
    pub period: Option<&'a Period>,
    /// The authenticity key; `None` skips the token check (M003).
    pub key: Option<&'a Key>,
    /// "Now" for V007 (dates in the future).
    pub today: NaiveDate,
}
