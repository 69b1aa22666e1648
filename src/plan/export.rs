//! The registry as data. The JSON shape is a documented public interface
//! (README): `{plan, areas, tasks}` with the leaf tasks flat, in plan order.

use super::model::*;
use serde_json::{json, Value};

/// The documented JSON export.
pub fn to_json(plan: &Plan) -> Value {
    json!({
        "plan": {
            "decision_number": plan.meta.decision_number,
            "decision_date": plan.meta.decision_date,
            "issuer": plan.meta.issuer,
            "year": plan.meta.year,
            "title": plan.meta.title,
            "fingerprint": plan.meta.fingerprint,
        },
        "areas": plan.areas.iter().map(|a| json!({
            "id": a.id, "number": a.number, "title": a.title,
            "lines": [a.lines.first, a.lines.last],
        })).collect::<Vec<_>>(),
        "tasks": plan.tasks.iter().map(task_json).collect::<Vec<_>>(),
        "diagnostics": plan.diagnostics,
    })
}

fn members(a: &Assignment) -> Value {
    a.members
        .iter()
        .map(|m| {
            let mut v = json!({"code": m.code, "name": m.name});
            if !m.sub_roles.is_empty() {
                v["sub_roles"] = json!(m.sub_roles);
            }
            v
        })
        .collect()
}

fn task_json(t: &Task) -> Value {
    json!({
        "id": t.id,
        "area_id": t.area_id,
        "label": t.label,
        "parent": t.parent,
        "content": t.content,
        "lead": members(&t.lead),
        "cooperating": members(&t.cooperating),
        "unresolved": {"lead": t.lead.unresolved, "cooperating": t.cooperating.unresolved},
        "lead_raw": t.lead.raw,
        "cooperating_raw": t.cooperating.raw,
        "products": t.products,
        "deadline": {
            "raw": t.deadline.raw,
            "milestones": t.deadline.milestones.iter().map(|m| json!({
                "text": m.text, "due_by": m.due_by, "when": m.when,
            })).collect::<Vec<_>>(),
        },
        "lines": [t.lines.first, t.lines.last],
    })
}

const CSV_HEADER: [&str; 11] = [
    "id",
    "area_id",
    "label",
    "content",
    "lead_codes",
    "cooperating_codes",
    "unresolved",
    "products",
    "deadline",
    "due_by",
    "lines",
];

/// One row per task; agency lists as `;`-separated codes.
fn rows(plan: &Plan) -> Vec<[String; 11]> {
    let codes = |a: &Assignment| {
        a.members
            .iter()
            .map(|m| m.code.as_str())
            .collect::<Vec<_>>()
            .join(";")
    };
    plan.tasks
        .iter()
        .map(|t| {
            let unresolved: Vec<&str> = t
                .lead
                .unresolved
                .iter()
                .chain(&t.cooperating.unresolved)
                .map(String::as_str)
                .collect();
            [
                t.id.clone(),
                t.area_id.clone(),
                t.label.clone(),
                t.content.clone(),
                codes(&t.lead),
                codes(&t.cooperating),
                unresolved.join("; "),
                t.products.join("; "),
                t.deadline.raw.clone(),
                t.deadline
                    .final_due()
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                format!("{}-{}", t.lines.first, t.lines.last),
            ]
        })
        .collect()
}

/// CSV (UTF-8 with BOM so that Excel shows Vietnamese correctly).
pub fn to_csv(plan: &Plan) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(CSV_HEADER)?;
    for r in rows(plan) {
        w.write_record(&r)?;
    }
    Ok(w.into_inner()?)
}

/// A sortable, filterable Excel table for staff, which `--plan FILE.xlsx`
/// reads back after they edit it ([`super::import`]): owners and deadlines
/// as printed (so they can be corrected as text), areas as "1. Title", and a
/// second sheet with the plan's number, date, issuer, year and title.
pub fn to_xlsx(plan: &Plan) -> anyhow::Result<Vec<u8>> {
    use super::import::{HEADERS as headers, META_LABELS, META_SHEET, TASKS_SHEET};
    use rust_xlsxwriter::{Format, FormatAlign, Table, TableColumn, Workbook};
    let widths = [
        8.0, 22.0, 7.0, 60.0, 40.0, 40.0, 30.0, 40.0, 30.0, 12.0, 9.0,
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name(TASKS_SHEET)?;
    let text = Format::new()
        .set_font_name("Times New Roman")
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let names = |a: &Assignment| a.raw.clone();
    for (i, t) in plan.tasks.iter().enumerate() {
        let r = (i + 1) as u32;
        let area = plan
            .area(&t.area_id)
            .map(|a| format!("{}. {}", a.number, a.title))
            .unwrap_or_default();
        let unresolved: Vec<&str> = t
            .lead
            .unresolved
            .iter()
            .chain(&t.cooperating.unresolved)
            .map(String::as_str)
            .collect();
        let values = [
            t.id.clone(),
            area,
            t.label.clone(),
            t.content.clone(),
            names(&t.lead),
            names(&t.cooperating),
            unresolved.join("; "),
            t.products.join("\n"),
            t.deadline.raw.clone(),
            t.deadline
                .final_due()
                .map(crate::period::dmy)
                .unwrap_or_default(),
            format!("{}-{}", t.lines.first, t.lines.last),
        ];
        for (c, v) in values.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, v, &text)?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let columns: Vec<TableColumn> = headers
        .iter()
        .map(|h| TableColumn::new().set_header(*h))
        .collect();
    let table = Table::new().set_columns(&columns);
    ws.add_table(
        0,
        0,
        plan.tasks.len().max(1) as u32,
        (headers.len() - 1) as u16,
        &table,
    )?;
    ws.set_freeze_panes(1, 0)?;
    let m = &plan.meta;
    let values = [
        m.decision_number.clone().unwrap_or_default(),
        m.decision_date.map(crate::period::dmy).unwrap_or_default(),
        m.issuer.clone().unwrap_or_default(),
        m.year.to_string(),
        m.title.clone(),
    ];
    let info = wb.add_worksheet().set_name(META_SHEET)?;
    for (r, (label, value)) in META_LABELS.iter().zip(values).enumerate() {
        info.write_string(r as u32, 0, *label)?;
        info.write_string(r as u32, 1, value)?;
    }
    info.set_column_width(0, 20.0)?;
    info.set_column_width(1, 70.0)?;
    Ok(wb.save_to_buffer()?)
}
