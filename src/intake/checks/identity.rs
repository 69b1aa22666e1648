//! Identification (M001–M006): which agency and period a return belongs to,
//! from whichever copy of the metadata survived — the very hidden sheet
//! `_cchc`, the defined names, the custom document properties — and, when
//! all are lost (data copied into a new workbook), from the content: the
//! agency named in the title block, or the one agency whose assigned task ids
//! are exactly the ids in the task sheet. The token proves the file is the
//! template sent to that agency for that period and plan.

use super::Setup;
use crate::form::{meta, Metadata, SHEET_META, TEMPLATE_VERSION};
use crate::intake::finding::{parse_a1, Finding};
use crate::intake::locate::Table;
use crate::intake::read::Book;
use crate::period::Period;
use crate::text::fold;
use std::collections::BTreeSet;

/// Who and when a return is for, as far as it could be established.
#[derive(Debug, Clone)]
pub struct Identified {
    pub metadata: Metadata,
    pub agency: Option<String>,
    pub period: Option<Period>,
    pub findings: Vec<Finding>,
}

/// Reads the metadata from the sheet, then defined names, then properties.
pub fn metadata(book: &Book) -> Metadata {
    let get = |key: &str| {
        from_sheet(book, key)
            .or_else(|| from_names(book, key))
            .or_else(|| from_properties(book, key))
    };
    Metadata {
        agency: get(meta::AGENCY),
        period: get(meta::PERIOD),
        plan_fingerprint: get(meta::PLAN_FINGERPRINT),
        template_version: get(meta::TEMPLATE_VERSION).map(|v| v.trim_end_matches(".0").to_string()),
        generated_at: get(meta::GENERATED_AT),
        token: get(meta::TOKEN),
    }
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim().to_string();
    (!t.is_empty()).then_some(t)
}

fn from_sheet(book: &Book, key: &str) -> Option<String> {
    let sheet = book.sheets.iter().find(|s| s.name == SHEET_META)?;
    let cell = sheet.cells.iter().find(|c| c.value.text() == key)?;
    non_empty(sheet.text(cell.row, cell.col + 1))
}

fn from_names(book: &Book, key: &str) -> Option<String> {
    let wanted = meta::defined_name(key);
    let (_, formula) = book
        .defined_names
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(&wanted))?;
    let f = formula.trim().trim_start_matches('=');
    if let Some(inner) = f.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        return non_empty(inner.replace("\"\"", "\""));
    }
    resolve_reference(book, f)
}

/// `_cchc!$B$2`, `'_cchc'!$B$2` or ODF `$_cchc.$B$2`.
fn resolve_reference(book: &Book, f: &str) -> Option<String> {
    let f = f.trim_start_matches('$');
    let (sheet, cell) = f.rsplit_once('!').or_else(|| f.rsplit_once('.'))?;
    let sheet = sheet.trim_matches('\'').trim_start_matches('$');
    let (row, col) = parse_a1(cell)?;
    non_empty(book.sheet(sheet)?.text(row, col))
}

fn from_properties(book: &Book, key: &str) -> Option<String> {
    book.properties
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| non_empty(v.clone()))
}

fn has_any(m: &Metadata) -> bool {
    m.agency.is_some() || m.period.is_some() || m.token.is_some() || m.plan_fingerprint.is_some()
}

/// Establishes agency and period and checks the metadata.
pub fn identify(book: &Book, setup: &Setup, tasks: Option<&Table>) -> Identified {
    let metadata = metadata(book);
    let mut findings = Vec::new();
    let agency = if has_any(&metadata) {
        agency_from_metadata(&metadata, setup, &mut findings)
    } else {
        agency_from_content(setup, tasks, &mut findings)
    };
    let period = period(&metadata, setup, &mut findings);
    if has_any(&metadata) {
        check_plan_and_version(&metadata, setup, &mut findings);
        if let (Some(a), Some(key)) = (&agency, setup.key) {
            check_token(&metadata, a, key, &mut findings);
        }
    }
    Identified {
        metadata,
        agency,
        period,
        findings,
    }
}

fn agency_from_metadata(
    m: &Metadata,
    setup: &Setup,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    match &m.agency {
        Some(code) if setup.directory.get(code).is_some() => Some(code.clone()),
        Some(code) => {
            findings.push(Finding::new("M002", format!(
                "Mã đơn vị «{code}» ghi trong tệp không có trong danh mục cơ quan. Hãy dùng đúng biểu mẫu Sở Nội vụ gửi cho đơn vị mình.")));
            None
        }
        None => {
            findings.push(Finding::new("M002", "Tệp không còn mã đơn vị (thông tin nhận diện bị xóa một phần). Hãy dùng đúng biểu mẫu Sở Nội vụ gửi cho đơn vị mình."));
            None
        }
    }
}

fn agency_from_content(
    setup: &Setup,
    tasks: Option<&Table>,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let found = tasks.and_then(|t| {
        by_title(setup, t)
            .map(|a| (a, "tên đơn vị ở phần tiêu đề"))
            .or_else(|| by_task_set(setup, t).map(|a| (a, "danh sách nhiệm vụ")))
    });
    match found {
        Some((code, how)) => {
            let name = setup
                .directory
                .get(&code)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            findings.push(Finding::new("M001", format!(
                "Tệp không còn thông tin nhận diện biểu mẫu (có thể số liệu đã được chép sang bảng tính mới). Chương trình nhận ra đơn vị «{name}» ({code}) theo {how}; không kiểm tra được mã xác thực. Lần sau hãy nhập trực tiếp vào biểu mẫu đã nhận.")));
            Some(code)
        }
        None => {
            findings.push(Finding::new("M001", "Tệp không còn thông tin nhận diện biểu mẫu (có thể số liệu đã được chép sang bảng tính mới)."));
            findings.push(Finding::new("M002", "Không xác định được đơn vị báo cáo: tệp không có thông tin nhận diện, tiêu đề không ghi tên đơn vị và danh sách nhiệm vụ không khớp đơn vị nào. Hãy nhập số liệu vào đúng biểu mẫu Sở Nội vụ đã gửi."));
            None
        }
    }
}

/// The reporting unit whose full name appears in the title block (longest wins).
fn by_title(setup: &Setup, t: &Table) -> Option<String> {
    let titles: Vec<String> = t.title_texts().iter().map(|s| fold(s)).collect();
    setup
        .directory
        .reporting_units()
        .into_iter()
        .filter(|a| {
            let n = fold(&a.name);
            titles.iter().any(|t| contains_words(t, &n))
        })
        .max_by_key(|a| a.name.chars().count())
        .map(|a| a.code.clone())
}

fn contains_words(hay: &str, needle: &str) -> bool {
    let hay = format!(
        " {} ",
        hay.replace(|c: char| !c.is_alphanumeric(), " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    hay.contains(&format!(" {needle} "))
}

/// The one reporting unit whose assigned task ids equal the sheet's ids.
fn by_task_set(setup: &Setup, t: &Table) -> Option<String> {
    let col = t.col(0)?;
    let ids: BTreeSet<String> = t
        .data_rows()
        .iter()
        .map(|r| t.sheet.text(*r, col))
        .filter(|s| !s.is_empty())
        .collect();
    if ids.is_empty() {
        return None;
    }
    let matches: Vec<String> = setup
        .directory
        .reporting_units()
        .into_iter()
        .filter(|a| {
            let assigned: BTreeSet<String> = setup
                .plan
                .tasks_for(&a.code, setup.directory)
                .iter()
                .map(|x| x.task.id.clone())
                .collect();
            assigned == ids
        })
        .map(|a| a.code.clone())
        .collect();
    (matches.len() == 1).then(|| matches[0].clone())
}

fn period(m: &Metadata, setup: &Setup, findings: &mut Vec<Finding>) -> Option<Period> {
    let own = m.period.as_deref().map(|p| (p, setup.schedule.period(p)));
    match (setup.period, own) {
        (Some(want), Some((text, parsed))) => {
            if parsed.as_ref().map(|p| p.id != want.id).unwrap_or(true) {
                let label = parsed
                    .as_ref()
                    .map(|p| p.label())
                    .unwrap_or_else(|_| format!("«{text}»"));
                findings.push(Finding::new("M004", format!(
                    "Biểu mẫu này của kỳ {label}, không phải kỳ đang tổng hợp ({}). Hãy dùng biểu mẫu kỳ {} Sở Nội vụ đã gửi.", want.label(), want.label())));
            }
            // The file keeps its own period, so the ledger lists it as
            // "không thuộc kỳ này" rather than rejected for this period.
            Some(parsed.unwrap_or_else(|_| want.clone()))
        }
        (Some(want), None) => Some(want.clone()),
        (None, Some((_, Ok(p)))) => Some(p),
        (None, Some((text, Err(_)))) => {
            findings.push(Finding::new("M004", format!("Kỳ báo cáo «{text}» ghi trong tệp không hợp lệ. Hãy dùng đúng biểu mẫu Sở Nội vụ gửi cho kỳ này.")));
            None
        }
        (None, None) => {
            findings.push(Finding::new("M004", "Không xác định được kỳ báo cáo của tệp (mất thông tin nhận diện). Người tổng hợp: chạy lại với --period, ví dụ --period 2024-Q1."));
            None
        }
    }
}

fn check_plan_and_version(m: &Metadata, setup: &Setup, findings: &mut Vec<Finding>) {
    if let Some(fp) = &m.plan_fingerprint {
        if *fp != setup.plan.meta.fingerprint {
            findings.push(Finding::new("M005", format!(
                "Biểu mẫu lập theo một phiên bản kế hoạch khác (mã {fp}, kế hoạch đang dùng: {}). Nhiệm vụ nào đã thay đổi sẽ được báo riêng; nếu kế hoạch đã điều chỉnh, hãy dùng biểu mẫu mới.", setup.plan.meta.fingerprint)));
        }
    }
    if let Some(v) = &m.template_version {
        if v != TEMPLATE_VERSION {
            findings.push(Finding::new("M006", format!(
                "Biểu mẫu phiên bản «{v}», chương trình chỉ đọc phiên bản «{TEMPLATE_VERSION}». Hãy nhập số liệu vào biểu mẫu mới Sở Nội vụ đã gửi cho kỳ này.")));
        }
    }
}

fn check_token(
    m: &Metadata,
    agency: &str,
    key: &crate::form::token::Key,
    findings: &mut Vec<Finding>,
) {
    let ok = match (&m.token, &m.period, &m.plan_fingerprint) {
        (Some(t), Some(p), Some(fp)) => key.verify(t, agency, p, fp),
        _ => false,
    };
    if !ok {
        let why = if m.token.is_none() {
            "Tệp không còn mã xác thực"
        } else {
            "Mã xác thực trong tệp không khớp với đơn vị, kỳ và kế hoạch ghi trong tệp"
        };
        findings.push(Finding::new("M003", format!(
            "{why} (đơn vị {agency}): tệp không phải biểu mẫu đã gửi cho đơn vị này, hoặc thông tin nhận diện đã bị sửa. Hãy dùng đúng biểu mẫu Sở Nội vụ gửi cho đơn vị mình.")));
    }
}
