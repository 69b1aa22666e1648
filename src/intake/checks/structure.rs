//! Structure of the task sheet (S004–S008): which rows are which tasks.
//! Rows are matched by task id, so reordered rows are fine; a task must
//! appear once (S004), be in the plan (S005), be assigned to this agency
//! (S008) and every assigned task must be there (S006). The plan columns
//! (content, deadline) must not have been edited (S007).

use super::text::excerpt;
use super::Setup;
use crate::form::TaskColumn;
use crate::intake::finding::{a1, Finding};
use crate::intake::locate::Table;
use crate::plan::Task;
use crate::text::fold;
use std::collections::{BTreeMap, BTreeSet};

/// The headers searched for on the task sheet, in `TaskColumn::ALL` order.
pub fn headers() -> Vec<&'static str> {
    TaskColumn::ALL.iter().map(|c| c.header()).collect()
}

/// Headers that must be present for the sheet to be read.
pub const REQUIRED: [usize; 2] = [0, 8];

/// Absolute column of a task column in a found table.
pub fn col(t: &Table, c: TaskColumn) -> Option<u32> {
    t.col(c.index() as usize)
}

/// One row of an assigned task.
#[derive(Debug, Clone)]
pub struct TaskRow<'p> {
    pub row: u32,
    pub task: &'p Task,
}

/// Matches rows to tasks and checks S004–S008.
pub fn task_rows<'p>(
    t: &Table,
    setup: &Setup<'p>,
    agency: Option<&str>,
) -> (Vec<TaskRow<'p>>, Vec<Finding>) {
    let sheet = &t.sheet.name;
    let mut findings = Vec::new();
    let Some(id_col) = col(t, TaskColumn::Id) else {
        return (Vec::new(), findings);
    };
    let assigned: Option<BTreeSet<&str>> = agency.map(|a| {
        setup
            .plan
            .tasks_for(a, setup.directory)
            .iter()
            .map(|x| x.task.id.as_str())
            .collect()
    });
    let mut seen: BTreeMap<&str, u32> = BTreeMap::new();
    let mut rows = Vec::new();
    for r in t.data_rows() {
        let id = t.sheet.text(r, id_col);
        if id.is_empty() {
            if has_entry(t, r) {
                findings.push(Finding::new("S005", "Dòng có số liệu nhưng không có mã nhiệm vụ ở cột «Mã NV». Hãy báo cáo trên đúng dòng của nhiệm vụ; không thêm dòng mới.").at(sheet, r, id_col));
            }
            continue;
        }
        let Some(task) = setup
            .plan
            .tasks
            .iter()
            .find(|x| x.id.eq_ignore_ascii_case(&id))
        else {
            findings.push(Finding::new("S005", format!("Mã nhiệm vụ «{id}» không có trong kế hoạch. Không thêm dòng nhiệm vụ mới; nhiệm vụ phát sinh ghi vào cột «Kết quả đạt được» của nhiệm vụ gần nhất.")).at(sheet, r, id_col));
            continue;
        };
        if let Some(first) = seen.get(task.id.as_str()) {
            findings.push(Finding::new("S004", format!("Nhiệm vụ {} đã có ở dòng {}; dòng này là bản trùng. Hãy giữ một dòng duy nhất cho mỗi nhiệm vụ và xóa dòng thừa.", task.id, first + 1)).at(sheet, r, id_col));
            continue;
        }
        seen.insert(task.id.as_str(), r);
        if assigned
            .as_ref()
            .is_some_and(|a| !a.contains(task.id.as_str()))
        {
            findings.push(Finding::new("S008", format!("Nhiệm vụ {} không được kế hoạch giao cho đơn vị này; dòng này không được tổng hợp. Nếu là nhầm dòng, hãy xóa dòng; nếu đơn vị có tham gia, ghi kết quả vào nhiệm vụ được giao.", task.id)).at(sheet, r, id_col));
            continue;
        }
        findings.extend(plan_text_edited(t, r, task));
        rows.push(TaskRow { row: r, task });
    }
    if let Some(a) = &assigned {
        for id in a.iter().filter(|id| !seen.contains_key(*id)) {
            let task = setup.plan.task(id).expect("assigned tasks are plan tasks");
            findings.push(Finding::new("S006", format!("Thiếu dòng của nhiệm vụ {id} («{}») được kế hoạch giao cho đơn vị. Hãy chép lại dòng này từ biểu mẫu gốc và báo cáo tình trạng, kể cả khi chưa thực hiện.", excerpt(&task.content))).on(sheet));
        }
    }
    (rows, findings)
}

fn has_entry(t: &Table, r: u32) -> bool {
    [TaskColumn::Status, TaskColumn::Percent]
        .iter()
        .any(|c| col(t, *c).is_some_and(|c| !t.sheet.text(r, c).is_empty()))
}

fn plan_text_edited(t: &Table, r: u32, task: &Task) -> Option<Finding> {
    let c = col(t, TaskColumn::Content)?;
    let typed = t.sheet.text(r, c);
    if typed == task.content.trim() || fold(&typed) == fold(&task.content) {
        return None;
    }
    Some(Finding::new("S007", format!(
        "Nội dung nhiệm vụ {} ở ô {} khác với kế hoạch («{}»). Chương trình tổng hợp theo kế hoạch; hãy kiểm tra có nhầm dòng không và không sửa các cột nội dung kế hoạch.",
        task.id, a1(r, c), excerpt(&task.content))).at(&t.sheet.name, r, c))
}
