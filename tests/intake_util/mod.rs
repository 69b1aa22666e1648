//! Test fixtures for intake: returns filled the way agencies fill them,
//! written with rust_xlsxwriter following the `form` contract (sheet names,
//! header texts, metadata keys in the `_cchc` sheet, defined names and custom
//! properties), with knobs for the mistakes agencies make.
#![allow(dead_code)]

use cchc::agencies::Directory;
use cchc::form::indicators::Catalogue;
use cchc::form::token::Key;
use cchc::form::{
    meta, FigureColumn, TaskColumn, SHEET_FIGURES, SHEET_GUIDE, SHEET_LISTS, SHEET_META,
    SHEET_TASKS, TEMPLATE_VERSION,
};
use cchc::intake::{self, finding::a1, Limits, Outcome, Setup};
use cchc::period::{Period, Schedule};
use cchc::plan::Plan;
use chrono::Datelike;
use chrono::{Duration, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use std::path::Path;

pub struct World {
    pub dir: Directory,
    pub plan: Plan,
    pub schedule: Schedule,
    pub catalogue: Catalogue,
    pub key: Key,
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, 20).unwrap()
}

impl World {
    pub fn new() -> World {
        let dir = Directory::embedded();
        let plan = cchc::plan::seed(&dir);
        World {
            dir,
            plan,
            schedule: Schedule::embedded(),
            catalogue: Catalogue::embedded(),
            key: Key::from_bytes(b"test key for intake fixtures"),
        }
    }

    pub fn period(&self, id: &str) -> Period {
        self.schedule.period(id).unwrap()
    }

    pub fn setup<'a>(&'a self, period: Option<&'a Period>) -> Setup<'a> {
        Setup {
            plan: &self.plan,
            directory: &self.dir,
            schedule: &self.schedule,
            catalogue: &self.catalogue,
            period,
            key: Some(&self.key),
            today: today(),
        }
    }

    /// Reads and validates in-memory bytes (sandboxed reader included).
    pub fn check(&self, bytes: Vec<u8>, period: Option<&Period>) -> Outcome {
        let book = match intake::read_bytes(bytes, &Limits::default()) {
            Ok(b) => b,
            Err(f) => {
                return Outcome {
                    path: "mem.xlsx".into(),
                    agency: None,
                    period: None,
                    findings: vec![f],
                    submission: None,
                }
            }
        };
        let source = cchc::form::Source {
            path: "mem.xlsx".into(),
            sha256: String::new(),
            modified: None,
        };
        intake::validate(&book, source, &self.setup(period))
    }

    pub fn check_path(&self, path: &Path, period: Option<&Period>) -> Outcome {
        intake::validate_file(path, &self.setup(period), &Limits::default()).0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Empty,
    Text(String),
    Num(f64),
    Date(NaiveDate),
}

pub fn t(s: &str) -> V {
    V::Text(s.to_string())
}

#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub label: String,
    pub content: String,
    pub deadline: String,
    pub status: V,
    pub percent: V,
    pub result: V,
    pub evidence: V,
    pub date: V,
    pub difficulties: V,
    pub proposals: V,
}

#[derive(Debug, Clone)]
pub struct Fixture {
    pub agency: String,
    pub agency_name: String,
    pub period: Period,
    pub fingerprint: String,
    pub token: String,
    pub version: String,
    pub rows: Vec<Row>,
    pub figures: Vec<(String, String, V)>,
    pub row_offset: u32,
    pub col_offset: u16,
    pub task_sheet: String,
    /// The guide sheet's name (the template's, unless a test moves it).
    pub guide_sheet: String,
    pub figure_sheet: String,
    pub meta_sheet: bool,
    pub meta_names: bool,
    pub meta_props: bool,
    pub title: bool,
    pub header: bool,
    pub with_figures: bool,
}

/// Good figures: identities and rates hold.
fn good_figure(code: &str) -> f64 {
    match code {
        "HS_KYTRUOC" => 10.0,
        "HS_TIEPNHAN_TRUCTUYEN" => 60.0,
        "HS_TIEPNHAN_TRUCTIEP" => 30.0,
        "HS_DAGIAIQUYET" => 90.0,
        "HS_TRUOCHAN" => 20.0,
        "HS_DUNGHAN" => 65.0,
        "HS_QUAHAN" => 5.0,
        "HS_DANGGIAIQUYET_TRONGHAN" => 8.0,
        "HS_DANGGIAIQUYET_QUAHAN" => 2.0,
        "HS_TYLE_DUNGHAN" => 94.4,
        "DVC_HS_TRUCTUYEN_TYLE" => 66.7,
        "NV_KEHOACH" => 30.0,
        "NV_HOANTHANH" => 12.0,
        _ => 0.0,
    }
}

impl Fixture {
    /// A correct return: every assigned task completed with evidence.
    pub fn good(w: &World, agency: &str, period: &str) -> Fixture {
        let period = w.period(period);
        let a = w.dir.get(agency).expect("known agency");
        let date = period.window_end - Duration::days(3);
        let rows = w
            .plan
            .tasks_for(agency, &w.dir)
            .iter()
            .map(|x| Row {
                id: x.task.id.clone(),
                label: x.task.label.clone(),
                content: x.task.content.clone(),
                deadline: x.task.deadline.raw.clone(),
                status: t("Hoàn thành"),
                percent: V::Num(100.0),
                result: t("Đã ban hành kế hoạch và triển khai đến các phòng, đơn vị."),
                evidence: t("Kế hoạch số 15/KH-SNV"),
                date: V::Date(date),
                difficulties: V::Empty,
                proposals: V::Empty,
            })
            .collect();
        let figures = w
            .catalogue
            .for_level(a.level)
            .iter()
            .map(|i| (i.code.clone(), i.name.clone(), V::Num(good_figure(&i.code))))
            .collect();
        let fingerprint = w.plan.meta.fingerprint.clone();
        Fixture {
            agency: agency.to_string(),
            agency_name: a.name.clone(),
            token: w.key.token(agency, &period.id, &fingerprint),
            period,
            fingerprint,
            version: TEMPLATE_VERSION.to_string(),
            rows,
            figures,
            row_offset: 0,
            col_offset: 0,
            task_sheet: SHEET_TASKS.to_string(),
            guide_sheet: SHEET_GUIDE.to_string(),
            figure_sheet: SHEET_FIGURES.to_string(),
            meta_sheet: true,
            meta_names: true,
            meta_props: true,
            title: true,
            header: true,
            with_figures: true,
        }
    }

    pub fn row(&mut self, id: &str) -> &mut Row {
        self.rows
            .iter_mut()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("row {id}"))
    }

    pub fn figure(&mut self, code: &str) -> &mut V {
        &mut self
            .figures
            .iter_mut()
            .find(|f| f.0 == code)
            .unwrap_or_else(|| panic!("figure {code}"))
            .2
    }

    pub fn no_metadata(mut self) -> Fixture {
        self.meta_sheet = false;
        self.meta_names = false;
        self.meta_props = false;
        self
    }

    fn header_row(&self) -> u32 {
        self.row_offset + 3
    }

    /// Absolute A1 cell of a task's column, as written.
    pub fn cell(&self, id: &str, c: TaskColumn) -> String {
        let i = self.rows.iter().position(|r| r.id == id).unwrap() as u32;
        a1(
            self.header_row() + 1 + i,
            self.col_offset as u32 + c.index() as u32,
        )
    }

    pub fn figure_cell(&self, code: &str) -> String {
        let i = self.figures.iter().position(|f| f.0 == code).unwrap() as u32;
        a1(3 + i, FigureColumn::Value.index() as u32)
    }

    pub fn xlsx(&self) -> Vec<u8> {
        let mut wb = Workbook::new();
        self.write(&mut wb).unwrap();
        wb.save_to_buffer().unwrap()
    }

    pub fn save(&self, path: &Path) {
        std::fs::write(path, self.xlsx()).unwrap();
    }

    fn meta(&self) -> Vec<(&'static str, String)> {
        vec![
            (meta::AGENCY, self.agency.clone()),
            (meta::PERIOD, self.period.id.clone()),
            (meta::PLAN_FINGERPRINT, self.fingerprint.clone()),
            (meta::TEMPLATE_VERSION, self.version.clone()),
            (meta::GENERATED_AT, "2024-03-01T08:00:00".to_string()),
            (meta::TOKEN, self.token.clone()),
        ]
    }

    fn write(&self, wb: &mut Workbook) -> Result<(), rust_xlsxwriter::XlsxError> {
        let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
        let guide = wb.add_worksheet().set_name(&self.guide_sheet)?;
        guide.write_string(0, 0, "HƯỚNG DẪN NHẬP BÁO CÁO")?;
        let ws = wb.add_worksheet().set_name(&self.task_sheet)?;
        let (r0, c0) = (self.row_offset, self.col_offset);
        if self.title {
            ws.write_string(
                r0,
                c0,
                format!(
                    "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH {}",
                    self.period.title().to_uppercase()
                ),
            )?;
            ws.write_string(r0 + 1, c0, format!("Đơn vị báo cáo: {}", self.agency_name))?;
        }
        let h = self.header_row();
        for c in TaskColumn::ALL.iter().filter(|_| self.header) {
            ws.write_string(h, c0 + c.index(), c.header())?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = h + 1 + i as u32;
            let cells = [
                (TaskColumn::Id, t(&row.id)),
                (TaskColumn::Label, t(&row.label)),
                (TaskColumn::Content, t(&row.content)),
                (TaskColumn::Deadline, t(&row.deadline)),
                (TaskColumn::Status, row.status.clone()),
                (TaskColumn::Percent, row.percent.clone()),
                (TaskColumn::Result, row.result.clone()),
                (TaskColumn::Evidence, row.evidence.clone()),
                (TaskColumn::EvidenceDate, row.date.clone()),
                (TaskColumn::Difficulties, row.difficulties.clone()),
                (TaskColumn::Proposals, row.proposals.clone()),
            ];
            for (c, v) in cells {
                let col = c0 + c.index();
                match v {
                    V::Empty => {}
                    V::Text(s) => {
                        ws.write_string(r, col, s)?;
                    }
                    V::Num(n) => {
                        ws.write_number(r, col, n)?;
                    }
                    V::Date(d) => {
                        ws.write_datetime_with_format(
                            r,
                            col,
                            ExcelDateTime::from_ymd(
                                d.year() as u16,
                                d.month() as u8,
                                d.day() as u8,
                            )?,
                            &date_fmt,
                        )?;
                    }
                }
            }
        }
        if !self.with_figures {
            return self.write_meta(wb);
        }
        let fs = wb.add_worksheet().set_name(&self.figure_sheet)?;
        fs.write_string(0, 0, "SỐ LIỆU CẢI CÁCH HÀNH CHÍNH")?;
        for c in FigureColumn::ALL {
            fs.write_string(2, c.index(), c.header())?;
        }
        for (i, (code, name, v)) in self.figures.iter().enumerate() {
            let r = 3 + i as u32;
            fs.write_string(r, 0, code)?;
            fs.write_string(r, 1, name)?;
            match v {
                V::Empty => {}
                V::Text(s) => {
                    fs.write_string(r, 3, s)?;
                }
                V::Num(n) => {
                    fs.write_number(r, 3, *n)?;
                }
                V::Date(_) => unreachable!(),
            }
        }
        self.write_meta(wb)
    }

    fn write_meta(&self, wb: &mut Workbook) -> Result<(), rust_xlsxwriter::XlsxError> {
        if self.meta_sheet {
            let ms = wb.add_worksheet().set_name(SHEET_META)?;
            for (i, (k, v)) in self.meta().iter().enumerate() {
                ms.write_string(i as u32, 0, *k)?;
                ms.write_string(i as u32, 1, v)?;
            }
            ms.set_very_hidden(true);
        }
        let ls = wb.add_worksheet().set_name(SHEET_LISTS)?;
        for (i, s) in cchc::form::Status::ALL.iter().enumerate() {
            ls.write_string(i as u32, 0, s.label())?;
        }
        ls.set_hidden(true);
        if self.meta_names {
            for (k, v) in self.meta() {
                wb.define_name(meta::defined_name(k), &format!("=\"{v}\""))?;
            }
        }
        if self.meta_props {
            let mut props = DocProperties::new();
            for (k, v) in self.meta() {
                props = props.set_custom_property(k, v.as_str());
            }
            wb.set_properties(&props);
        }
        Ok(())
    }
}

/// Codes of an outcome's findings.
pub fn codes(o: &Outcome) -> Vec<&'static str> {
    o.findings.iter().map(|f| f.code).collect()
}

/// The one finding with `code`, panicking with all findings otherwise.
pub fn only<'a>(o: &'a Outcome, code: &str) -> &'a cchc::intake::Finding {
    let hits: Vec<_> = o.findings.iter().filter(|f| f.code == code).collect();
    assert_eq!(hits.len(), 1, "expected one {code}, got {:#?}", o.findings);
    hits[0]
}

/// Converts files with LibreOffice headless (one call for all), into `out`.
pub fn soffice_convert(files: &[&Path], filter: &str, out: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            filter,
            "--outdir",
        ])
        .arg(out)
        .args(files)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("soffice runs");
    assert!(status.success(), "soffice failed");
}

// --- Real templates (cchc::template) ------------------------------------

use cchc::form::{Status, TaskReport};
use cchc::template::{self, Answers, TemplateInput};

pub fn generated_at() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 3, 1)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
}

/// Correct answers for every assigned task and figure.
pub fn good_answers(w: &World, agency: &str, period: &cchc::period::Period) -> Answers {
    let mut a = Answers::default();
    for x in w.plan.tasks_for(agency, &w.dir) {
        a.report(&TaskReport {
            task_id: x.task.id.clone(),
            status: Some(Status::Completed),
            percent: Some(100.0),
            result: "Đã ban hành kế hoạch và triển khai thực hiện.".into(),
            evidence: "Kế hoạch số 15/KH-UBND".into(),
            evidence_date: Some(period.window_end - chrono::Duration::days(3)),
            difficulties: String::new(),
            proposals: String::new(),
        });
    }
    let level = w.dir.get(agency).unwrap().level;
    let communes = w.dir.communes_of(agency).count() as f64;
    for i in w.catalogue.for_level(level) {
        let v = match i.code.as_str() {
            // Never more communes reporting than the unit has (Lý Sơn has none).
            "XA_SODONVI" => good_figure_value(&i.code).min(communes),
            code => good_figure_value(code),
        };
        a.figure(&i.code, v);
    }
    a
}

pub fn good_figure_value(code: &str) -> f64 {
    match code {
        "HS_KYTRUOC" => 10.0,
        "HS_TIEPNHAN_TRUCTUYEN" => 60.0,
        "HS_TIEPNHAN_TRUCTIEP" => 30.0,
        "HS_DAGIAIQUYET" => 90.0,
        "HS_TRUOCHAN" => 20.0,
        "HS_DUNGHAN" => 65.0,
        "HS_QUAHAN" => 5.0,
        "HS_DANGGIAIQUYET_TRONGHAN" => 8.0,
        "HS_DANGGIAIQUYET_QUAHAN" => 2.0,
        "HS_TYLE_DUNGHAN" => 94.4,
        "DVC_HS_TRUCTUYEN_TYLE" => 66.7,
        "HS_TIEPNHAN_BUUCHINH" | "HS_XINLOI" => 0.0,
        _ => 3.0,
    }
}

pub fn build(w: &World, agency: &str, period: &cchc::period::Period, answers: &Answers) -> Vec<u8> {
    let input = TemplateInput {
        plan: &w.plan,
        directory: &w.dir,
        catalogue: &w.catalogue,
        period,
        agency: w.dir.get(agency).unwrap(),
        key: &w.key,
        generated_at: generated_at(),
        password: None,
    };
    template::build(&input, Some(answers)).unwrap()
}
