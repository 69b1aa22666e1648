//! Prefilled entry values for a template: what a demo or a test wants an
//! agency to have typed. Values are raw cells (text, number, date) so that a
//! test can plant the mistakes people make — "80%" typed as text, "Đã HT"
//! instead of a dropdown word, a date typed as text — exactly as they would
//! appear in a returned file. Data validation does not stop values written by
//! a program, just as it does not stop pasted values.

use crate::form::{TaskColumn, TaskReport};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One raw cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Number(n)
    }
}

impl From<i32> for Cell {
    fn from(n: i32) -> Cell {
        Cell::Number(n as f64)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

/// Entry values by task id and column, and figure values by indicator code.
/// Values for non-entry columns, unknown tasks or unknown indicators are
/// ignored by the builder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    pub tasks: BTreeMap<String, BTreeMap<TaskColumn, Cell>>,
    pub figures: BTreeMap<String, Cell>,
}

impl Answers {
    /// Sets one entry cell of a task row.
    pub fn task(&mut self, id: &str, column: TaskColumn, value: impl Into<Cell>) -> &mut Self {
        self.tasks
            .entry(id.to_string())
            .or_default()
            .insert(column, value.into());
        self
    }

    /// Sets the value of one indicator.
    pub fn figure(&mut self, code: &str, value: impl Into<Cell>) -> &mut Self {
        self.figures.insert(code.to_string(), value.into());
        self
    }

    /// Fills a whole task row the way a careful agency would: the status
    /// label from the dropdown, numbers as numbers, dates as dates; empty
    /// texts and missing values leave the cell blank.
    pub fn report(&mut self, report: &TaskReport) -> &mut Self {
        let id = report.task_id.as_str();
        if let Some(s) = report.status {
            self.task(id, TaskColumn::Status, s.label());
        }
        if let Some(p) = report.percent {
            self.task(id, TaskColumn::Percent, p);
        }
        if let Some(d) = report.evidence_date {
            self.task(id, TaskColumn::EvidenceDate, d);
        }
        let texts = [
            (TaskColumn::Result, &report.result),
            (TaskColumn::Evidence, &report.evidence),
            (TaskColumn::Difficulties, &report.difficulties),
            (TaskColumn::Proposals, &report.proposals),
        ];
        for (col, text) in texts {
            if !text.is_empty() {
                self.task(id, col, text.as_str());
            }
        }
        self
    }

    /// The prefilled value of one task cell.
    pub fn task_cell(&self, id: &str, column: TaskColumn) -> Option<&Cell> {
        self.tasks.get(id).and_then(|row| row.get(&column))
    }
}
