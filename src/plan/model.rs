//! The task registry: what a parsed plan is made of. Pure data, serialisable;
//! the JSON export (`cchc plan export --format json`) is built from these types.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Severity of a parser diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "ghi chú",
            Severity::Warning => "cảnh báo",
            Severity::Error => "lỗi",
        }
    }
}

/// What a diagnostic is about: `plan check` counts them by kind.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DiagKind {
    /// A line of the task section that fits nowhere.
    UnreadLine,
    /// A table row the parser cannot place.
    Table,
    /// A name that is not in the agency directory.
    UnknownAgency,
    /// A task without a lead agency (or one naming no known agency).
    NoLead,
    /// A task without a deadline, or one whose deadline names no time.
    Deadline,
    /// Letters out of order, repeated ids or area numbers.
    Numbering,
    /// A task without products, cooperating agencies or content.
    MissingField,
    /// Prose, lists and boilerplate that are not tasks (skipped on purpose).
    Skipped,
    /// The document as a whole (no tasks, no year, layout declined).
    #[default]
    Document,
}

impl DiagKind {
    /// Heading of the kind in `plan check`.
    pub fn title(self) -> &'static str {
        match self {
            DiagKind::UnreadLine => "Dòng không đọc được trong phần nhiệm vụ",
            DiagKind::Table => "Dòng bảng không đọc được",
            DiagKind::UnknownAgency => "Tên cơ quan không có trong danh mục",
            DiagKind::NoLead => "Nhiệm vụ không có cơ quan chủ trì nhận ra được",
            DiagKind::Deadline => "Thời hạn thiếu hoặc không đọc được",
            DiagKind::Numbering => "Đánh số mục",
            DiagKind::MissingField => "Nhiệm vụ thiếu trường (sản phẩm, phối hợp, nội dung)",
            DiagKind::Skipped => "Đoạn văn, danh sách không phải nhiệm vụ (bỏ qua)",
            DiagKind::Document => "Văn bản",
        }
    }
}

/// Something the parser noticed: a line it could not place, a field it could
/// not read, an assignee it could not resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    #[serde(default)]
    pub kind: DiagKind,
    /// One-based line number in the plan text (0 when not tied to a line).
    pub line: usize,
    /// The line's text (trimmed).
    pub text: String,
    /// What is wrong and what to do, in Vietnamese.
    pub message: String,
}

/// One-based inclusive range of source lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRange {
    pub first: usize,
    pub last: usize,
}

/// Decision metadata read from the document's head.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanMeta {
    /// e.g. `1879/QĐ-UBND`.
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    /// e.g. `Chủ tịch UBND tỉnh Quảng Ngãi`.
    pub issuer: Option<String>,
    pub year: i32,
    /// e.g. `Kế hoạch cải cách hành chính năm 2024 tỉnh Quảng Ngãi`.
    pub title: String,
    /// Hash of the parsed registry (areas and tasks): templates carry it.
    pub fingerprint: String,
}

/// An area (lĩnh vực) of section II.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    /// Stable unique id: `LV` + position (`LV1` … `LV8`), independent of the
    /// printed number, which the seed repeats ("7." twice).
    pub id: String,
    /// The number shown to users: as printed, except that a number the plan
    /// prints a second time is shown as the next one (the seed's second
    /// "7." is shown as "8."; see [`Plan::show_repeated_area_numbers`]).
    pub number: String,
    pub title: String,
    pub lines: LineRange,
}

/// An agency an assignment resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub code: String,
    pub name: String,
    /// Sub-role texts: the `+` bullet that names the agency, a sub-unit
    /// ("Phòng Tư pháp") or a parenthesised remark. Empty when the agency is
    /// named plainly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_roles: Vec<String>,
}

/// One assignee field (chủ trì or phối hợp) as printed and as resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The field's text as printed; `+` bullets joined by newlines.
    pub raw: String,
    pub members: Vec<Member>,
    /// Text that names no agency of the directory: generic groups such as
    /// "các cơ quan, đơn vị có liên quan", or names to add as aliases.
    pub unresolved: Vec<String>,
}

impl Assignment {
    pub fn has(&self, code: &str) -> bool {
        self.members.iter().any(|m| m.code == code)
    }

    pub fn member(&self, code: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.code == code)
    }
}

/// When a milestone falls due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum When {
    /// A fixed date (`chậm nhất ngày 31/01/2024`).
    Date { date: NaiveDate },
    /// A month (`Tháng 12 năm 2024`).
    Month { year: i32, month: u32 },
    /// A quarter (`Quý I năm 2024`).
    Quarter { year: i32, quarter: u32 },
    /// Within the year, with an end (`Trong năm 2024`).
    Year { year: i32 },
    /// Every month (`Định kỳ hàng tháng`).
    Monthly { year: i32 },
    /// Every quarter (`Hàng quý`).
    Quarterly { year: i32 },
    /// Ongoing through the year (`Thường xuyên trong năm 2024`): never overdue.
    Ongoing { year: i32 },
    /// Periodic reporting with no date (`định kỳ báo cáo kết quả thực hiện`).
    Periodic,
    /// By reference to another document (`Theo Kế hoạch số 140/KH-UBND…`).
    Reference { document: String },
    /// No recognisable time expression.
    Unspecified,
}

/// One thing due, with when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// The part of the deadline text this milestone comes from.
    pub text: String,
    pub when: When,
    /// Last day it may be done: the date itself, or the last day of the month,
    /// quarter or year; `None` for ongoing, recurring, periodic and referenced.
    pub due_by: Option<NaiveDate>,
}

/// The deadline field of a task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub raw: String,
    pub milestones: Vec<Milestone>,
}

impl Deadline {
    /// The latest fixed due date, if any milestone has one.
    pub fn final_due(&self) -> Option<NaiveDate> {
        self.milestones.iter().filter_map(|m| m.due_by).max()
    }

    /// "Không hạn": no milestone carries a date (ongoing, recurring or by reference).
    pub fn is_open_ended(&self) -> bool {
        self.final_due().is_none()
    }

    /// True when a milestone recurs every month or quarter, or the task is ongoing:
    /// it is reported in every period.
    pub fn is_recurring(&self) -> bool {
        self.milestones.iter().any(|m| {
            matches!(
                m.when,
                When::Monthly { .. } | When::Quarterly { .. } | When::Ongoing { .. }
            )
        })
    }
}

/// A leaf task of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Stable unique id: area position, item letter in ASCII, sub-task number
    /// (`1.a`, `1.dd`, `2.k.1`, `8.a` for the second printed "7.").
    pub id: String,
    pub area_id: String,
    /// The label as printed: `1.đ`, `2.k.1`, `7.a`.
    pub label: String,
    /// For sub-tasks, the id of the lettered item holding them (`2.k`).
    pub parent: Option<String>,
    pub content: String,
    pub lead: Assignment,
    pub cooperating: Assignment,
    pub products: Vec<String>,
    pub deadline: Deadline,
    pub lines: LineRange,
}

/// A lettered item that holds sub-tasks (only its header; the sub-tasks are tasks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub area_id: String,
    pub label: String,
    pub content: String,
    pub lines: LineRange,
}

/// A parsed plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub meta: PlanMeta,
    pub areas: Vec<Area>,
    /// Lettered items that hold sub-tasks.
    pub parents: Vec<Item>,
    /// Leaf tasks in plan order.
    pub tasks: Vec<Task>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Plan {
    /// Shows an area whose printed number repeats an earlier one under the
    /// number after the area before it (the seed prints "7." twice: the
    /// second is shown as "8."), relabels its items and tasks (`7.a` → `8.a`)
    /// and says so in one diagnostic per area. Ids and the fingerprint do not
    /// change, so templates already sent stay valid.
    pub fn show_repeated_area_numbers(&mut self) {
        let mut seen: Vec<String> = Vec::new();
        for i in 0..self.areas.len() {
            let printed = self.areas[i].number.clone();
            let prev: Option<u32> = (i > 0)
                .then(|| self.areas[i - 1].number.parse().ok())
                .flatten();
            let repeated = seen.contains(&printed);
            seen.push(printed.clone());
            let (true, Some(prev)) = (repeated, prev) else {
                continue;
            };
            let shown = (prev + 1).to_string();
            if seen.contains(&shown) {
                continue;
            }
            seen.push(shown.clone());
            let id = self.areas[i].id.clone();
            self.areas[i].number = shown.clone();
            let relabel = |label: &mut String| {
                if let Some(rest) = label.strip_prefix(&format!("{printed}.")) {
                    *label = format!("{shown}.{rest}");
                }
            };
            self.tasks
                .iter_mut()
                .filter(|t| t.area_id == id)
                .for_each(|t| relabel(&mut t.label));
            self.parents
                .iter_mut()
                .filter(|t| t.area_id == id)
                .for_each(|t| relabel(&mut t.label));
            let a = &self.areas[i];
            self.diagnostics.push(Diagnostic {
                severity: Severity::Info,
                kind: DiagKind::Numbering,
                line: a.lines.first,
                text: format!("{printed}. {}", a.title),
                message: format!(
                    "Số lĩnh vực «{printed}.» được in hai lần; lĩnh vực «{}» được hiểu là lĩnh vực {shown} và trình bày là «{shown}.» (nhiệm vụ «{printed}.a» thành «{shown}.a») trong biểu mẫu, thông báo và báo cáo.",
                    a.title
                ),
            });
        }
    }
}

/// How an agency takes part in a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Chủ trì.
    Lead,
    /// Phối hợp.
    Cooperating,
    /// Given to the communes (UBND cấp xã): the district reports for them.
    ForCommunes,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "Chủ trì",
            Role::Cooperating => "Phối hợp",
            Role::ForCommunes => "Chủ trì (cấp xã)",
        }
    }
}

/// A task as seen by one agency.
#[derive(Debug, Clone)]
pub struct Assigned<'a> {
    pub task: &'a Task,
    pub role: Role,
    pub sub_roles: Vec<String>,
}

impl Plan {
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// Diagnostics of severity error.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// The tasks an agency reports on, in plan order: those it leads, then
    /// (if it leads none of a task) those it cooperates on. A district also gets
    /// the tasks given to its communes, with role [`Role::ForCommunes`].
    pub fn tasks_for(
        &self,
        agency: &str,
        directory: &crate::agencies::Directory,
    ) -> Vec<Assigned<'_>> {
        let communes: Vec<&str> = directory
            .communes_of(agency)
            .map(|a| a.code.as_str())
            .collect();
        let mut out = Vec::new();
        for task in &self.tasks {
            let pick = |a: &Assignment, role| {
                a.member(agency).map(|m| Assigned {
                    task,
                    role,
                    sub_roles: m.sub_roles.clone(),
                })
            };
            let assigned = pick(&task.lead, Role::Lead)
                .or_else(|| {
                    communes
                        .iter()
                        .find_map(|c| task.lead.member(c))
                        .map(|m| Assigned {
                            task,
                            role: Role::ForCommunes,
                            sub_roles: m.sub_roles.clone(),
                        })
                })
                .or_else(|| pick(&task.cooperating, Role::Cooperating));
            out.extend(assigned);
        }
        out
    }
}
