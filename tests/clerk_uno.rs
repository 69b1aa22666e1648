//! Returns typed by hand, the way clerks type them: blank templates from the
//! tool are filled through LibreOffice (UNO, `tests/uno/clerk.py`) with every
//! value typed through `FormulaLocal` under a vi-VN or an en-US profile, then
//! saved as .xlsx, .xls or .ods. The planted mistakes cover every class the
//! intake checks (values, consistency, evidence, impossible and swapped
//! dates, relations between figures, identity); each must be reported at its
//! cell with its rule — and nothing else. The clean returns must have no
//! finding at all. Then the feedback round trip: a return with mistakes →
//! its feedback copy → fixed in LibreOffice → accepted as the same unit,
//! token intact. One soffice process per locale.

mod intake_util;

use cchc::form::{FigureColumn, TaskColumn, SHEET_FIGURES, SHEET_TASKS};
use cchc::intake::finding::a1;
use cchc::period::Period;
use cchc::template::{Answers, FIGURE_HEADER_ROW, TASK_HEADER_ROW};
use intake_util::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const P: &str = "2024-Q1";
const PYTHON: &str = "/usr/bin/python3";

#[derive(Clone, Copy, PartialEq)]
enum Locale {
    Vi,
    En,
}

impl Locale {
    fn tag(self) -> &'static str {
        match self {
            Locale::Vi => "vi-VN",
            Locale::En => "en-US",
        }
    }

    /// A date typed the way this locale reads it as `d` March/January 2024.
    fn date(self, day: u32, month: u32) -> String {
        match self {
            Locale::Vi => format!("{day:02}/{month:02}/2024"),
            Locale::En => format!("{month}/{day}/2024"),
        }
    }

    /// A whole number with a thousands separator, as typed.
    fn thousands(self, n: u32) -> String {
        let sep = if self == Locale::Vi { '.' } else { ',' };
        if n >= 1000 {
            format!("{}{sep}{:03}", n / 1000, n % 1000)
        } else {
            n.to_string()
        }
    }

    fn decimal(self, whole: u32, tenth: u32) -> String {
        let sep = if self == Locale::Vi { ',' } else { '.' };
        format!("{whole}{sep}{tenth}")
    }
}

/// One return being typed: the edits (last one per cell wins) and the
/// findings it must produce.
struct Return {
    file: String,
    template_of: String,
    locale: Locale,
    filter: &'static str,
    edits: BTreeMap<(String, String), (String, bool)>,
    expect: BTreeSet<(String, String)>,
    ids: Vec<String>,
    codes: Vec<String>,
}

const EVIDENCE: [&str; 6] = [
    "Kế hoạch số 15/KH-STP ngày 05/3/2024",
    "Quyết định số 123/QĐ-UBND ngày 12/01/2024 của UBND tỉnh",
    "Công văn 45/STP-HCTP",
    "Báo cáo số 12/BC-SNV",
    "15/KH-SXD",
    "Quyết định 1880/QĐ-UBND ngày 05/3/2024",
];

impl Return {
    fn new(w: &World, agency: &str, file: &str, locale: Locale, ext: &str) -> Return {
        let filter = match ext {
            "xlsx" => "Calc MS Excel 2007 XML",
            "xls" => "MS Excel 97",
            _ => "calc8",
        };
        let level = w.dir.get(agency).unwrap().level;
        Return {
            file: format!("{file}.{ext}"),
            template_of: agency.to_string(),
            locale,
            filter,
            edits: BTreeMap::new(),
            expect: BTreeSet::new(),
            ids: w
                .plan
                .tasks_for(agency, &w.dir)
                .iter()
                .map(|a| a.task.id.clone())
                .collect(),
            codes: w
                .catalogue
                .for_level(level)
                .iter()
                .map(|i| i.code.clone())
                .collect(),
        }
    }

    fn task_cell(&self, i: usize, c: TaskColumn) -> String {
        a1(TASK_HEADER_ROW + 1 + i as u32, c.index() as u32)
    }

    fn fig_cell(&self, code: &str) -> String {
        let i = self.codes.iter().position(|c| c == code).unwrap();
        a1(
            FIGURE_HEADER_ROW + 1 + i as u32,
            FigureColumn::Value.index() as u32,
        )
    }

    fn type_in(&mut self, sheet: &str, cell: &str, text: &str) {
        self.edits.insert(
            (sheet.to_string(), cell.to_string()),
            (text.to_string(), false),
        );
    }

    fn task(&mut self, i: usize, c: TaskColumn, text: &str) {
        let cell = self.task_cell(i, c);
        self.type_in(SHEET_TASKS, &cell, text);
    }

    fn figure(&mut self, code: &str, text: &str) {
        let cell = self.fig_cell(code);
        self.type_in(SHEET_FIGURES, &cell, text);
    }

    fn expect_task(&mut self, code: &str, i: usize, c: TaskColumn) {
        let cell = self.task_cell(i, c);
        self.expect
            .insert((code.into(), format!("{SHEET_TASKS}!{cell}")));
    }

    fn expect_figure(&mut self, code: &str, figure: &str) {
        let cell = self.fig_cell(figure);
        self.expect
            .insert((code.into(), format!("{SHEET_FIGURES}!{cell}")));
    }

    /// A clean, realistic fill: dated tasks due by the cut-off completed with
    /// evidence, some later ones in progress (no reason needed yet), some
    /// completed; figures that hold together, typed the locale's way.
    fn clean(mut self, w: &World, p: &Period) -> Return {
        let l = self.locale;
        let due: Vec<bool> = w
            .plan
            .tasks_for(&self.template_of, &w.dir)
            .iter()
            .map(|a| {
                a.task
                    .deadline
                    .milestones
                    .iter()
                    .any(|m| m.due_by.is_some_and(|d| d <= p.window_end))
            })
            .collect();
        for i in 0..self.ids.len() {
            if completed(&due, i) {
                self.task(i, TaskColumn::Status, "Hoàn thành");
                self.task(i, TaskColumn::Percent, "100");
                self.task(
                    i,
                    TaskColumn::Result,
                    "Đã ban hành văn bản và triển khai đến các phòng, đơn vị trực thuộc.",
                );
                self.task(i, TaskColumn::Evidence, EVIDENCE[i % EVIDENCE.len()]);
                let date = if i % 2 == 0 {
                    l.date(5, 3)
                } else {
                    l.date(12, 1)
                };
                self.task(i, TaskColumn::EvidenceDate, &date);
            } else {
                self.task(i, TaskColumn::Status, "Đang thực hiện");
                self.task(i, TaskColumn::Percent, "60");
                self.task(
                    i,
                    TaskColumn::Result,
                    "Đang triển khai, đã hoàn thành dự thảo và lấy ý kiến các đơn vị.",
                );
            }
        }
        let figures: Vec<(&str, String)> = vec![
            ("NV_KEHOACH", "30".into()),
            ("NV_HOANTHANH", "12".into()),
            ("HS_KYTRUOC", l.thousands(1200)),
            ("HS_TIEPNHAN_TRUCTUYEN", l.thousands(2345)),
            ("HS_TIEPNHAN_TRUCTIEP", l.thousands(1000)),
            ("HS_TIEPNHAN_BUUCHINH", "55".into()),
            ("HS_DAGIAIQUYET", l.thousands(4500)),
            ("HS_TRUOCHAN", l.thousands(1500)),
            ("HS_DUNGHAN", l.thousands(2950)),
            ("HS_QUAHAN", "50".into()),
            ("HS_DANGGIAIQUYET_TRONGHAN", "90".into()),
            ("HS_DANGGIAIQUYET_QUAHAN", "10".into()),
            ("HS_XINLOI", "40".into()),
            // 4450 / 4500 = 98,9 %, typed with the % sign (stored as 0.989).
            ("HS_TYLE_DUNGHAN", format!("{}%", l.decimal(98, 9))),
            // 2345 / 3400 = 69 %.
            ("DVC_HS_TRUCTUYEN_TYLE", "69".into()),
        ];
        let codes = self.codes.clone();
        for code in &codes {
            let v = figures
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| "3".into());
            self.figure(code, &v);
        }
        self
    }

    /// Index of the first task matching `pred`, not in `used`.
    fn pick(&self, used: &mut Vec<usize>, pred: impl Fn(usize) -> bool) -> usize {
        let i = (0..self.ids.len())
            .find(|i| !used.contains(i) && pred(*i))
            .expect("a task for this mistake");
        used.push(i);
        i
    }
}

/// Whether the clean fill completes task `i` (see `Return::clean`).
fn completed(due: &[bool], i: usize) -> bool {
    due[i] || !i.is_multiple_of(3)
}

/// Whether task `i` of `agency` has a fixed due date by the cut-off.
fn due_by_cutoff(w: &World, agency: &str, p: &Period) -> Vec<bool> {
    w.plan
        .tasks_for(agency, &w.dir)
        .iter()
        .map(|a| {
            a.task
                .deadline
                .milestones
                .iter()
                .any(|m| m.due_by.is_some_and(|d| d <= p.window_end))
        })
        .collect()
}

/// Status + the cells that make the row otherwise consistent.
fn in_progress(r: &mut Return, i: usize, pct: &str) {
    r.task(i, TaskColumn::Status, "Đang thực hiện");
    r.task(i, TaskColumn::Percent, pct);
    r.task(
        i,
        TaskColumn::Difficulties,
        "Chờ ý kiến thẩm định của Sở Tư pháp.",
    );
}

/// Sở Tư pháp, vi-VN, .xlsx: task values and consistency, evidence, dates,
/// figures.
fn return_a(w: &World, p: &Period) -> Return {
    let mut r = Return::new(w, "STP", "2024-Q1_STP_so-tu-phap", Locale::Vi, "xlsx").clean(w, p);
    let due = due_by_cutoff(w, "STP", p);
    let mut used = Vec::new();
    let any = |i: usize| !due[i];
    let i = r.pick(&mut used, any);
    r.task(i, TaskColumn::Status, "Cơ bản xong");
    r.expect_task("V001", i, TaskColumn::Status);
    let i = r.pick(&mut used, any);
    r.task(i, TaskColumn::Status, "");
    r.edits
        .remove(&(SHEET_TASKS.to_string(), r.task_cell(i, TaskColumn::Status)));
    r.expect_task("V002", i, TaskColumn::Status);
    let i = r.pick(&mut used, |i| !due[i] && completed(&due, i));
    r.task(i, TaskColumn::Status, "Hoàn thành");
    r.task(i, TaskColumn::Percent, "80");
    r.expect_task("C001", i, TaskColumn::Percent);
    let i = r.pick(&mut used, |i| !due[i] && completed(&due, i));
    r.edits.remove(&(
        SHEET_TASKS.to_string(),
        r.task_cell(i, TaskColumn::Evidence),
    ));
    r.expect_task("C002", i, TaskColumn::Evidence);
    for text in [
        "chưa có văn bản",
        "Dự thảo Kế hoạch đang trình UBND tỉnh",
        "Quyết định 1879/QĐ-UBND",
    ] {
        let i = r.pick(&mut used, |i| !due[i] && completed(&due, i));
        r.task(i, TaskColumn::Evidence, text);
        r.expect_task("C008", i, TaskColumn::Evidence);
    }
    // After the 14/3 cut-off; a year typo; unreadable.
    for (text, code) in [
        ("18/03/2024", "V006"),
        ("05/03/2014", "V006"),
        ("tháng 3/2024", "V005"),
    ] {
        let i = r.pick(&mut used, |i| !due[i] && completed(&due, i));
        r.task(i, TaskColumn::EvidenceDate, text);
        r.expect_task(code, i, TaskColumn::EvidenceDate);
    }
    let i = r.pick(&mut used, any);
    r.task(i, TaskColumn::Status, "Chưa thực hiện");
    r.task(i, TaskColumn::Percent, "30");
    r.task(i, TaskColumn::Difficulties, "Chưa bố trí được kinh phí.");
    r.expect_task("C003", i, TaskColumn::Percent);
    let i = r.pick(&mut used, any);
    r.task(i, TaskColumn::Status, "Không thực hiện");
    r.task(i, TaskColumn::Percent, "0");
    r.expect_task("C005", i, TaskColumn::Difficulties);
    let i = r.pick(&mut used, any);
    in_progress(&mut r, i, "50");
    r.edits
        .remove(&(SHEET_TASKS.to_string(), r.task_cell(i, TaskColumn::Result)));
    r.expect_task("C006", i, TaskColumn::Result);
    let i = r.pick(&mut used, any);
    in_progress(&mut r, i, "100");
    r.expect_task("C007", i, TaskColumn::Percent);
    let i = r.pick(&mut used, any);
    in_progress(&mut r, i, "khoảng 80");
    r.expect_task("V003", i, TaskColumn::Percent);
    let i = r.pick(&mut used, |i| due[i]);
    in_progress(&mut r, i, "50");
    r.edits.remove(&(
        SHEET_TASKS.to_string(),
        r.task_cell(i, TaskColumn::Difficulties),
    ));
    r.expect_task("C004", i, TaskColumn::Difficulties);
    r.figure("NV_HOANTHANH", "40");
    r.expect_figure("I007", "NV_HOANTHANH");
    r.figure("VB_TRAIPHAP", "5");
    r.expect_figure("I007", "VB_TRAIPHAP");
    r.figure("CV_DAOTAO", "chưa thống kê");
    r.expect_figure("I001", "CV_DAOTAO");
    r.figure("CV_KYLUAT", "-5");
    r.expect_figure("I002", "CV_KYLUAT");
    r
}

/// Sở Nội vụ, en-US, .xls: dates read month first, a thousands separator
/// taken for a decimal point, relations.
fn return_b(w: &World, p: &Period) -> Return {
    let mut r = Return::new(w, "SNV", "2024-Q1_SNV_so-noi-vu", Locale::En, "xls").clean(w, p);
    let due = due_by_cutoff(w, "SNV", p);
    let mut used = Vec::new();
    let mut done = |r: &mut Return| r.pick(&mut used, |i| !due[i] && completed(&due, i));
    let i = done(&mut r);
    r.task(i, TaskColumn::EvidenceDate, "3/18/2024");
    r.expect_task("V006", i, TaskColumn::EvidenceDate);
    // Typed the Vietnamese way on an English machine: 25/02 stays text (the
    // sign of a month-first locale), 02/03 becomes 3 February (both readings
    // possible: V008), 05/03 becomes 3 May (in the future: V007).
    let i = done(&mut r);
    r.task(i, TaskColumn::EvidenceDate, "25/02/2024");
    let i = done(&mut r);
    r.task(i, TaskColumn::EvidenceDate, "02/03/2024");
    r.expect_task("V008", i, TaskColumn::EvidenceDate);
    let i = done(&mut r);
    r.task(i, TaskColumn::EvidenceDate, "05/03/2024");
    r.expect_task("V007", i, TaskColumn::EvidenceDate);
    let i = done(&mut r);
    r.task(i, TaskColumn::Evidence, "không có");
    r.expect_task("C008", i, TaskColumn::Evidence);
    let i = done(&mut r);
    r.edits.remove(&(
        SHEET_TASKS.to_string(),
        r.task_cell(i, TaskColumn::EvidenceDate),
    ));
    r.expect_task("C002", i, TaskColumn::EvidenceDate);
    let i = r.pick(&mut used, |i| !due[i]);
    in_progress(&mut r, i, "0");
    r.expect_task("C007", i, TaskColumn::Percent);
    // "1.317" meant as 1317 hồ sơ: a decimal number on an English machine.
    r.figure("HS_TIEPNHAN_TRUCTIEP", "1.317");
    r.expect_figure("I002", "HS_TIEPNHAN_TRUCTIEP");
    r.figure("HS_XINLOI", "90");
    r.expect_figure("I007", "HS_XINLOI");
    r.figure("HS_TRUOCHAN", "1,501");
    r.expect_figure("I004", "HS_DAGIAIQUYET");
    r
}

/// UBND thành phố Quảng Ngãi, vi-VN, .ods: district relations (communes
/// from the directory), rates, and task mistakes.
fn return_c(w: &World, p: &Period) -> Return {
    let mut r = Return::new(
        w,
        "H522",
        "2024-Q1_H522_ubnd-thanh-pho-quang-ngai",
        Locale::Vi,
        "ods",
    )
    .clean(w, p);
    let due = due_by_cutoff(w, "H522", p);
    let communes = w.dir.communes_of("H522").count();
    r.figure("XA_SODONVI", &(communes + 1).to_string());
    r.expect_figure("I007", "XA_SODONVI");
    r.figure("TC_DVSN_TUCHU", "4");
    r.expect_figure("I007", "TC_DVSN_TUCHU");
    r.figure("KT_VANDE_XULY", "5");
    r.expect_figure("I007", "KT_VANDE_XULY");
    r.figure("DVC_HS_TRUCTUYEN_TYLE", "80");
    r.expect_figure("I005", "DVC_HS_TRUCTUYEN_TYLE");
    let mut used = Vec::new();
    let i = r.pick(&mut used, |i| !due[i] && completed(&due, i));
    r.task(i, TaskColumn::Evidence, "Dự thảo đang trình ký");
    r.expect_task("C008", i, TaskColumn::Evidence);
    let i = r.pick(&mut used, |i| !due[i]);
    r.task(i, TaskColumn::Status, "Tạm dừng");
    r.expect_task("V001", i, TaskColumn::Status);
    let i = r.pick(&mut used, |i| !due[i] && completed(&due, i));
    r.task(i, TaskColumn::EvidenceDate, "05/03/2014");
    r.expect_task("V006", i, TaskColumn::EvidenceDate);
    let i = r.pick(&mut used, |i| !due[i]);
    in_progress(&mut r, i, "abc");
    r.expect_task("V003", i, TaskColumn::Percent);
    let i = r.pick(&mut used, |i| !due[i] && completed(&due, i));
    r.task(i, TaskColumn::Percent, "90");
    r.expect_task("C001", i, TaskColumn::Percent);
    let i = r.pick(&mut used, |i| due[i]);
    in_progress(&mut r, i, "40");
    r.edits.remove(&(
        SHEET_TASKS.to_string(),
        r.task_cell(i, TaskColumn::Difficulties),
    ));
    r.expect_task("C004", i, TaskColumn::Difficulties);
    let i = r.pick(&mut used, |i| !due[i]);
    r.task(i, TaskColumn::Status, "Chưa thực hiện");
    r.task(i, TaskColumn::Percent, "20");
    r.task(i, TaskColumn::Difficulties, "Chờ hướng dẫn của Sở Nội vụ.");
    r.expect_task("C003", i, TaskColumn::Percent);
    let i = r.pick(&mut used, |i| !due[i]);
    r.task(i, TaskColumn::Status, "Không thực hiện");
    r.task(i, TaskColumn::Percent, "0");
    r.expect_task("C005", i, TaskColumn::Difficulties);
    r
}

/// Sở Xây dựng took Sở Y tế's template, typed its own name over the visible
/// unit names and named the file as its own: caught, not counted for SYT.
fn return_d(w: &World, p: &Period) -> Return {
    let mut r = Return::new(w, "SYT", "2024-Q1_SXD_so-xay-dung", Locale::En, "xlsx").clean(w, p);
    for (sheet, cell) in [
        (SHEET_TASKS, a1(1, TaskColumn::Area.index() as u32)),
        (SHEET_TASKS, a1(1, TaskColumn::Status.index() as u32)),
        (SHEET_FIGURES, a1(1, 0)),
    ] {
        r.edits.insert(
            (sheet.to_string(), cell.clone()),
            ("Đơn vị báo cáo: Sở Xây dựng".to_string(), true),
        );
        r.expect.insert(("M008".into(), format!("{sheet}!{cell}")));
    }
    r.expect.insert(("M008".into(), String::new()));
    let due = due_by_cutoff(w, "SYT", p);
    let i = (0..r.ids.len()).find(|i| completed(&due, *i)).unwrap();
    r.task(
        i,
        TaskColumn::Evidence,
        "Quyết định 1879/QĐ-UBND ngày 15/12/2023",
    );
    r.expect_task("C008", i, TaskColumn::Evidence);
    r
}

/// Sở Tài chính, vi-VN, .xls: more evidence that proves nothing, dates that
/// cannot be read, a count with a decimal.
fn return_e(w: &World, p: &Period) -> Return {
    let mut r = Return::new(w, "STC", "2024-Q1_STC_so-tai-chinh", Locale::Vi, "xls").clean(w, p);
    let due = due_by_cutoff(w, "STC", p);
    let mut used = Vec::new();
    for text in ["chưa có", "x", "Đang hoàn thiện dự thảo"] {
        let i = r.pick(&mut used, |i| !due[i] && completed(&due, i));
        r.task(i, TaskColumn::Evidence, text);
        r.expect_task("C008", i, TaskColumn::Evidence);
    }
    for text in ["tháng 3/2024", "31/02/2024"] {
        let i = r.pick(&mut used, |i| !due[i] && completed(&due, i));
        r.task(i, TaskColumn::EvidenceDate, text);
        r.expect_task("V005", i, TaskColumn::EvidenceDate);
    }
    r.figure("VB_BANHANH", "2,5");
    r.expect_figure("I002", "VB_BANHANH");
    r
}

fn clean_returns(w: &World, p: &Period) -> Vec<Return> {
    [
        ("STP", Locale::En, "xlsx"),
        ("SNV", Locale::Vi, "ods"),
        ("SYT", Locale::Vi, "xlsx"),
        ("SXD", Locale::En, "xls"),
        ("STC", Locale::En, "ods"),
        ("H522", Locale::En, "xlsx"),
        ("H531", Locale::Vi, "xls"),
        ("BDT", Locale::En, "xlsx"),
        ("SCT", Locale::Vi, "ods"),
        ("SGTVT", Locale::Vi, "xlsx"),
        ("SXD", Locale::Vi, "xlsx"),
    ]
    .into_iter()
    .map(|(a, l, ext)| {
        let file = format!("sach_{a}_{}", l.tag());
        Return::new(w, a, &file, l, ext).clean(w, p)
    })
    .collect()
}

/// One typed value: sheet, cell, text, unprotect the sheet first.
type Edit = (String, String, String, bool);

/// One file to type: template, output, LibreOffice filter, edits.
type Job<'a> = (PathBuf, PathBuf, &'a str, Vec<Edit>);

/// Runs the UNO clerk over `files` in one soffice.
fn type_with_libreoffice(locale: Locale, files: &[Job]) {
    let profile = tempfile::tempdir().unwrap();
    let job = serde_json::json!({
        "profile": profile.path(),
        "locale": locale.tag(),
        "files": files.iter().map(|(src, out, filter, edits)| serde_json::json!({
            "src": src, "out": out, "filter": filter,
            "edits": edits.iter().map(|(s, c, t, u)| serde_json::json!({
                "sheet": s, "cell": c, "text": t, "unprotect": u})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let job_path = profile.path().join("job.json");
    std::fs::write(&job_path, serde_json::to_vec(&job).unwrap()).unwrap();
    let out = std::process::Command::new(PYTHON)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/uno/clerk.py"))
        .arg(&job_path)
        .output()
        .expect("python3 with the uno module (apt: python3-uno) runs");
    assert!(
        out.status.success(),
        "UNO clerk failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn found(o: &cchc::intake::Outcome) -> BTreeSet<(String, String)> {
    o.findings
        .iter()
        .map(|f| {
            let place = match (&f.sheet, &f.cell) {
                (Some(s), Some(c)) => format!("{s}!{c}"),
                _ => String::new(),
            };
            (f.code.to_string(), place)
        })
        .collect()
}

fn show(o: &cchc::intake::Outcome) -> String {
    o.findings
        .iter()
        .map(|f| format!("{} {} {}", f.code, f.place(), f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

fn blank(w: &World, agency: &str, p: &Period, dir: &Path) -> PathBuf {
    let path = dir.join(format!("mau-{agency}.xlsx"));
    if !path.exists() {
        std::fs::write(&path, build(w, agency, p, &Answers::default())).unwrap();
    }
    path
}

#[test]
fn clerk_typed_returns_through_libreoffice_in_two_locales() {
    let w = World::new();
    let p = w.period(P);
    let dir = tempfile::tempdir().unwrap();
    let mut returns = vec![
        return_a(&w, &p),
        return_b(&w, &p),
        return_c(&w, &p),
        return_d(&w, &p),
        return_e(&w, &p),
    ];
    let planted: usize = returns.iter().map(|r| r.expect.len()).sum();
    assert!(planted >= 40, "{planted} planted mistakes");
    let clean = clean_returns(&w, &p);
    assert!(clean.len() >= 10);
    returns.extend(clean);
    // The round-trip return: three mistakes, fixed later in its feedback copy.
    let mut trip = Return::new(&w, "STP", "vong-lai_STP", Locale::Vi, "xlsx").clean(&w, &p);
    let due = due_by_cutoff(&w, "STP", &p);
    let d0 = (0..trip.ids.len()).find(|i| completed(&due, *i)).unwrap();
    let d1 = (d0 + 1..trip.ids.len())
        .find(|i| completed(&due, *i))
        .unwrap();
    trip.task(d0, TaskColumn::Percent, "80");
    trip.task(d1, TaskColumn::Evidence, "chưa có");
    trip.figure("VB_TRAIPHAP", "5");
    returns.push(trip);

    for locale in [Locale::Vi, Locale::En] {
        let files: Vec<_> = returns
            .iter()
            .filter(|r| r.locale == locale)
            .map(|r| {
                let edits = r
                    .edits
                    .iter()
                    .map(|((s, c), (t, u))| (s.clone(), c.clone(), t.clone(), *u))
                    .collect();
                (
                    blank(&w, &r.template_of, &p, dir.path()),
                    dir.path().join(&r.file),
                    r.filter,
                    edits,
                )
            })
            .collect();
        type_with_libreoffice(locale, &files);
    }

    let setup = w.setup(Some(&p));
    let mut caught = 0;
    let mut clean_ok = 0;
    for r in returns.iter().filter(|r| !r.file.starts_with("vong-lai")) {
        let path = dir.path().join(&r.file);
        let (o, _) = cchc::intake::validate_file(&path, &setup, &Default::default());
        assert_eq!(found(&o), r.expect, "{}:\n{}", r.file, show(&o));
        if r.expect.is_empty() {
            assert!(o.accepted() && o.findings.is_empty(), "{}", r.file);
            assert_eq!(o.agency.as_deref(), Some(r.template_of.as_str()));
            clean_ok += 1;
        }
        caught += r.expect.len();
    }
    assert!(
        caught >= 40 && clean_ok >= 10,
        "{caught} caught, {clean_ok} clean"
    );
    eprintln!("{caught} planted mistakes reported at their cells with their rules; {clean_ok} clean returns without any finding");
    // The percent typed «98,9%» (stored 0.989) reads as 98.9, like a task's.
    let (o, _) = cchc::intake::validate_file(
        &dir.path().join("sach_SNV_vi-VN.ods"),
        &setup,
        &Default::default(),
    );
    assert_eq!(o.submission.unwrap().indicators["HS_TYLE_DUNGHAN"], 98.9);

    // Round trip: feedback copy → fixed in LibreOffice → accepted, same unit.
    let trip_path = dir.path().join("vong-lai_STP.xlsx");
    let (o, book) = cchc::intake::validate_file(&trip_path, &setup, &Default::default());
    let mut codes: Vec<&str> = o.findings.iter().map(|f| f.code).collect();
    codes.sort();
    assert_eq!(codes, ["C001", "C008", "I007"], "{}", show(&o));
    let fb = dir.path().join("gop-y");
    std::fs::create_dir(&fb).unwrap();
    let copy = cchc::intake::feedback::write(&fb, &book.unwrap(), &o, &setup).unwrap();
    assert!(copy.ends_with("vong-lai_STP-can-sua.xlsx"), "{copy:?}");
    let fixes: Vec<Edit> = o
        .findings
        .iter()
        .map(|f| {
            let text = match f.code {
                "C001" => "100",
                "C008" => "Kế hoạch số 20/KH-STP ngày 01/3/2024",
                _ => "2",
            };
            (
                f.sheet.clone().unwrap(),
                f.cell.clone().unwrap(),
                text.to_string(),
                false,
            )
        })
        .collect();
    let fixed = dir.path().join("vong-lai_STP-da-sua.xlsx");
    type_with_libreoffice(
        Locale::Vi,
        &[(copy.clone(), fixed.clone(), "Calc MS Excel 2007 XML", fixes)],
    );
    let (o, book) = cchc::intake::validate_file(&fixed, &setup, &Default::default());
    assert!(o.findings.is_empty(), "{}", show(&o));
    assert!(o.accepted());
    assert_eq!(o.agency.as_deref(), Some("STP"));
    let meta = cchc::intake::checks::identity::metadata(&book.unwrap());
    assert_eq!(
        meta.token,
        Some(w.key.token("STP", P, &w.plan.meta.fingerprint))
    );
    assert_eq!(meta.agency.as_deref(), Some("STP"));
}
