//! Identification (M001–M006): which agency and period a return belongs to,
//! from whichever copy of the metadata survived — the very hidden sheet
//! `_cchc`, the defined names, the custom document properties — and, when
//! all are lost (data copied into a new workbook), from the content: the
//! agency named in the title block's «Đơn vị báo cáo:» cell, or the one
//! agency whose assigned task ids are exactly the ids in the task sheet. The
//! token proves the file is the template sent to that agency for that period
//! and plan. Then every source that names a unit — the three metadata copies,
//! the visible unit-name cells of each sheet, the template's file name and
//! the task list — must agree (M008): a unit that took another unit's
//! template and changed the visible names is caught, not counted for the
//! other unit. Visible text is read from the unit-name cells only, never from
//! instructions such as «Hạn gửi Sở Nội vụ».

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

/// The tables whose title blocks and rows identify the unit.
#[derive(Clone, Copy, Default)]
pub struct Seen<'a, 'b> {
    pub tasks: Option<&'a Table<'b>>,
    pub figures: Option<&'a Table<'b>>,
    /// The file's path as received.
    pub path: &'a str,
}

/// Establishes agency and period and checks the metadata.
pub fn identify(book: &Book, setup: &Setup, seen: Seen) -> Identified {
    let metadata = metadata(book);
    let mut findings = Vec::new();
    let tasks = seen.tasks;
    let agency = if has_any(&metadata) {
        agency_from_metadata(&metadata, setup, &mut findings)
    } else {
        agency_from_content(setup, tasks, &mut findings)
    };
    if let Some(a) = &agency {
        cross_check(book, setup, seen, a, &mut findings);
    }
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

/// The reporting unit named in the title block's unit-name cell.
fn by_title(setup: &Setup, t: &Table) -> Option<String> {
    unit_name_cells(t)
        .iter()
        .find_map(|(name, _, _)| agency_named(setup, name))
}

/// The label of the unit-name cell in every template title block.
const UNIT_LABEL: &str = "don vi bao cao";

/// The «Đơn vị báo cáo: …» cells above a table's header: (name, row, col).
/// Only these cells identify a unit; the rest of the title block holds
/// instructions that name other bodies («Hạn gửi Sở Nội vụ»).
pub fn unit_name_cells(t: &Table) -> Vec<(String, u32, u32)> {
    t.sheet
        .cells
        .iter()
        .take_while(|c| c.row < t.header_row)
        .filter_map(|c| {
            let text = c.value.text();
            let (label, name) = text.split_once(':')?;
            (fold(label) == UNIT_LABEL && !name.trim().is_empty())
                .then(|| (name.trim().to_string(), c.row, c.col))
        })
        .collect()
}

/// The reporting unit a visible name refers to: its full name or an alias,
/// else the longest unit name contained word for word.
fn agency_named(setup: &Setup, name: &str) -> Option<String> {
    let n = fold(name);
    let units = setup.directory.reporting_units();
    units
        .iter()
        .find(|a| fold(&a.name) == n || a.aliases.iter().any(|x| fold(x) == n))
        .or_else(|| {
            units
                .iter()
                .filter(|a| contains_words(&n, &fold(&a.name)))
                .max_by_key(|a| a.name.chars().count())
        })
        .map(|a| a.code.clone())
}

/// M008: every other source that names a unit must name `agency`.
fn cross_check(book: &Book, setup: &Setup, seen: Seen, agency: &str, out: &mut Vec<Finding>) {
    let name = |code: &str| {
        setup
            .directory
            .get(code)
            .map(|a| format!("«{}» ({code})", a.name))
            .unwrap_or_else(|| format!("«{code}»"))
    };
    let ours = name(agency);
    let copies = [
        ("sheet ẩn «_cchc»", from_sheet(book, meta::AGENCY)),
        ("tên định nghĩa", from_names(book, meta::AGENCY)),
        ("thuộc tính tệp", from_properties(book, meta::AGENCY)),
    ];
    for (where_, code) in &copies {
        if let Some(code) = code.as_deref().filter(|c| *c != agency) {
            out.push(Finding::new("M008", format!(
                "Thông tin nhận diện mâu thuẫn: {where_} ghi đơn vị {}, trong khi tệp được nhận diện là của {ours}. Thông tin nhận diện đã bị sửa; hãy dùng đúng biểu mẫu Sở Nội vụ gửi cho đơn vị mình.", name(code))));
        }
    }
    // The unit's own names, folded once: a cell naming the unit itself needs
    // no search through the directory (the common, correct case).
    let own: Vec<String> = setup
        .directory
        .get(agency)
        .map(|a| {
            std::iter::once(&a.name)
                .chain(&a.aliases)
                .map(|n| fold(n))
                .collect()
        })
        .unwrap_or_default();
    for t in [seen.tasks, seen.figures].into_iter().flatten() {
        for (text, row, col) in unit_name_cells(t) {
            if own.contains(&fold(&text)) {
                continue;
            }
            let text = super::text::excerpt(&text);
            if let Some(other) = agency_named(setup, &text).filter(|c| c != agency) {
                out.push(Finding::new("M008", format!(
                    "Ô «Đơn vị báo cáo» ghi «{text}» ({}), nhưng thông tin nhận diện và mã xác thực của tệp là của {ours}. Tệp này là biểu mẫu của {ours}: không được tính cho {}. Đơn vị nào thì dùng đúng biểu mẫu Sở Nội vụ gửi cho đơn vị đó.", other, name(&other))).at(&t.sheet.name, row, col));
            }
        }
    }
    if let Some(code) = file_name_agency(setup, seen.path).filter(|c| c != agency) {
        out.push(Finding::new("M008", format!(
            "Tên tệp «{}» mang mã đơn vị {} nhưng nội dung tệp là của {ours}. Hãy gửi đúng biểu mẫu của đơn vị mình, không đổi tên tệp sang đơn vị khác.",
            file_name(seen.path), name(&code))));
    }
    if let Some(other) = seen
        .tasks
        .filter(|t| !own_task_set(setup, t, agency))
        .and_then(|t| by_task_set(setup, t))
        .filter(|c| c != agency)
    {
        out.push(Finding::new("M008", format!(
            "Danh sách nhiệm vụ trong sheet là danh sách được giao cho {}, không phải của {ours} ghi trong thông tin nhận diện. Hãy dùng đúng biểu mẫu của đơn vị mình.", name(&other))).on(&seen.tasks.map(|t| t.sheet.name.clone()).unwrap_or_default()));
    }
}

fn file_name(path: &str) -> &str {
    std::path::Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}

/// The agency code in a template file name `KỲ_MÃ_tên…` (as the tool names
/// the templates it sends), when its first part is a period id.
fn file_name_agency(setup: &Setup, path: &str) -> Option<String> {
    let stem = std::path::Path::new(path).file_stem()?.to_str()?;
    let mut parts = stem.split('_');
    let period = parts.next()?;
    let code = parts.next()?;
    setup.schedule.period(period).ok()?;
    setup
        .directory
        .reporting_units()
        .into_iter()
        .find(|a| crate::text::slug(&a.code).eq_ignore_ascii_case(code))
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

/// The task ids listed in the sheet.
fn sheet_ids(t: &Table) -> Option<BTreeSet<String>> {
    let col = t.col(0)?;
    let ids: BTreeSet<String> = t
        .data_rows()
        .iter()
        .map(|r| t.sheet.text(*r, col))
        .filter(|s| !s.is_empty())
        .collect();
    (!ids.is_empty()).then_some(ids)
}

/// Does the sheet list exactly the tasks of `agency`, a reporting unit?
/// Then [`by_task_set`] can only name `agency` or nobody, and the cross-check
/// need not compare every unit's assignments (the costly part of reading a
/// correct return).
fn own_task_set(setup: &Setup, t: &Table, agency: &str) -> bool {
    let reporting = setup
        .directory
        .reporting_units()
        .iter()
        .any(|a| a.code == agency);
    let assigned: BTreeSet<String> = setup
        .plan
        .tasks_for(agency, setup.directory)
        .iter()
        .map(|x| x.task.id.clone())
        .collect();
    reporting && sheet_ids(t).is_some_and(|ids| ids == assigned)
}

/// The one reporting unit whose assigned task ids equal the sheet's ids.
fn by_task_set(setup: &Setup, t: &Table) -> Option<String> {
    let ids = sheet_ids(t)?;
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
