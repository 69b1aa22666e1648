//! The intake's own `.xlsx` reader against calamine, the reference: the
//! same workbook must come out of both — every sheet, its visibility, every
//! cell value at its position, the defined names and custom properties —
//! for returns written by rust_xlsxwriter (the templates), saved again by
//! LibreOffice, and the sample returns; then the cases where the two differ
//! on purpose (1904 dates, references past the sheet, parts over the cap)
//! and the XML forms Excel, LibreOffice and WPS write (rich text with
//! phonetic runs, inline strings, cells without references, escapes).

mod intake_util;

use cchc::intake::read::{read_bytes, read_xlsx_with_calamine, Book, Limits};
use cchc::intake::values::Value;
use intake_util::{build, good_answers, soffice_convert, World};
use std::io::Write;
use std::path::{Path, PathBuf};

fn ours(bytes: &[u8]) -> Book {
    read_bytes(bytes.to_vec(), &Limits::default()).expect("our reader reads it")
}

fn theirs(bytes: &[u8]) -> Book {
    read_xlsx_with_calamine(bytes.to_vec(), &Limits::default()).expect("calamine reads it")
}

fn assert_same(name: &str, bytes: &[u8]) {
    let (a, b) = (ours(bytes), theirs(bytes));
    assert!(!a.sheets.is_empty(), "{name}: no sheet read");
    assert_eq!(
        a.sheets
            .iter()
            .map(|s| (&s.name, s.hidden))
            .collect::<Vec<_>>(),
        b.sheets
            .iter()
            .map(|s| (&s.name, s.hidden))
            .collect::<Vec<_>>(),
        "{name}: sheets"
    );
    for (x, y) in a.sheets.iter().zip(&b.sheets) {
        assert_eq!(
            x.cells.len(),
            y.cells.len(),
            "{name}/{}: cell count",
            x.name
        );
        for (c, d) in x.cells.iter().zip(&y.cells) {
            assert_eq!(c, d, "{name}/{}: cell", x.name);
        }
    }
    assert_eq!(a.defined_names, b.defined_names, "{name}: defined names");
    assert_eq!(a.properties, b.properties, "{name}: properties");
}

fn returns(w: &World) -> Vec<(String, Vec<u8>)> {
    let p = w.period("2024-Q1");
    w.dir
        .reporting_units()
        .into_iter()
        .filter(|a| a.reports_quarterly())
        .map(|a| {
            (
                a.code.clone(),
                build(w, &a.code, &p, &good_answers(w, &a.code, &p)),
            )
        })
        .collect()
}

#[test]
fn the_templates_returns_read_the_same_as_with_calamine() {
    let w = World::new();
    let all = returns(&w);
    assert_eq!(all.len(), 33);
    let mut cells = 0;
    for (code, bytes) in &all {
        assert_same(code, bytes);
        cells += ours(bytes)
            .sheets
            .iter()
            .map(|s| s.cells.len())
            .sum::<usize>();
    }
    // Real content, not empty books that trivially agree.
    assert!(cells > 33 * 300, "only {cells} cells read");
}

#[test]
fn the_samples_read_the_same_as_with_calamine() {
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "xlsx") {
            let bytes = std::fs::read(path).unwrap();
            if theirs_reads(&bytes) {
                assert_same(&path.display().to_string(), &bytes);
                seen += 1;
            }
        }
    }
    assert!(seen >= 3, "only {seen} samples compared");
}

fn theirs_reads(bytes: &[u8]) -> bool {
    read_xlsx_with_calamine(bytes.to_vec(), &Limits::default()).is_ok()
}

#[test]
fn returns_saved_by_libreoffice_read_the_same_as_with_calamine() {
    let w = World::new();
    let all = returns(&w);
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&src).unwrap();
    let mut files: Vec<PathBuf> = Vec::new();
    for (code, bytes) in all.iter().take(3) {
        // Saved as .ods first, so LibreOffice writes the .xlsx from scratch.
        let p = src.join(format!("{code}.xlsx"));
        std::fs::write(&p, bytes).unwrap();
        files.push(p);
    }
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    soffice_convert(&refs, "xlsx:Calc MS Excel 2007 XML", &out);
    let mut seen = 0;
    for f in &files {
        let saved = out.join(f.file_name().unwrap());
        let bytes = std::fs::read(&saved).expect("LibreOffice wrote the copy");
        assert_same(&saved.display().to_string(), &bytes);
        seen += 1;
    }
    assert_eq!(seen, 3);
}

/// A minimal package around the given sheet XML, shared strings and styles.
fn package(sheet: &str, strings: Option<&str>, styles: Option<&str>, workbook_pr: &str) -> Vec<u8> {
    package_declaring(sheet, strings, styles, workbook_pr, 5)
}

/// The same, its shared-strings table declaring `unique` strings.
fn package_declaring(
    sheet: &str,
    strings: Option<&str>,
    styles: Option<&str>,
    workbook_pr: &str,
    unique: u64,
) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let mut put = |name: &str, body: &str| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    };
    put(
        "[Content_Types].xml",
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
    );
    put(
        "_rels/.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    put(
        "xl/workbook.xml",
        &format!(
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{workbook_pr}<sheets><sheet name="S &amp; 1" sheetId="1" r:id="rId1"/><sheet name="An" sheetId="2" state="hidden" r:id="rId2"/></sheets><definedNames><definedName name="_cchc_x">"a&amp;b"</definedName></definedNames></workbook>"#
        ),
    );
    put(
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>"#,
    );
    put(
        "xl/worksheets/sheet1.xml",
        &format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet}</sheetData></worksheet>"#
        ),
    );
    put(
        "xl/worksheets/sheet2.xml",
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ẩn</t></is></c></row></sheetData></worksheet>"#,
    );
    if let Some(s) = strings {
        put(
            "xl/sharedStrings.xml",
            &format!(
                r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{unique}">{s}</sst>"#
            ),
        );
    }
    if let Some(s) = styles {
        put(
            "xl/styles.xml",
            &format!(
                r#"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{s}</styleSheet>"#
            ),
        );
    }
    zip.finish().unwrap().into_inner()
}

const STYLES: &str = r##"<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="&quot;ngày&quot;\ 0"/><numFmt numFmtId="166" formatCode="#,##0.00;[Red]-#,##0.00"/></numFmts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs>""##;

fn cell(b: &Book, sheet: usize, r: u32, c: u32) -> Option<&Value> {
    b.sheets[sheet].get(r, c)
}

#[test]
fn the_xml_forms_office_suites_write_are_read_as_calamine_reads_them() {
    let strings = concat!(
        r#"<si><t>Sở Tư pháp</t></si>"#,
        r#"<si><r><rPr><b/></rPr><t xml:space="preserve">Hoàn </t></r><r><t>thành</t></r><rPh sb="0" eb="1"><t>ホ</t></rPh></si>"#,
        r#"<si><t>  cắt  </t></si>"#,
        r#"<si><t>dòng_x000D_mới &amp; &#x1EA1;</t></si>"#,
        r#"<si/>"#,
    );
    let sheet = concat!(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>"#,
        r#"<row r="2"><c r="A2"><v>16051</v></c><c r="B2" s="1"><v>45366</v></c><c r="C2" s="2"><v>45367.5</v></c><c r="D2" s="3"><v>7</v></c><c r="E2" s="4"><v>98.6</v></c></row>"#,
        r#"<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="e"><v>#N/A</v></c><c r="C3" t="str"><f>A1&amp;""</f><v>công thức</v></c><c r="D3" t="inlineStr"><is><t>nội tuyến</t></is></c><c r="E3"><f>1+1</f></c></row>"#,
        r#"<row><c t="s"><v>0</v></c><c><v>5</v></c><c r="E4"><v>6</v></c></row>"#,
        r#"<row r="7"><c r="C7" s="1"/><c r="D7"><v></v></c><c r="E7" t="s"><v>4</v></c></row>"#,
    );
    let bytes = package(sheet, Some(strings), Some(STYLES), "");
    assert_same("crafted", &bytes);
    let b = ours(&bytes);
    assert_eq!(b.sheets[0].name, "S & 1");
    assert!(!b.sheets[0].hidden && b.sheets[1].hidden);
    assert_eq!(cell(&b, 1, 0, 0), Some(&Value::Text("ẩn".into())));
    assert_eq!(cell(&b, 0, 0, 1), Some(&Value::Text("Hoàn thành".into())));
    assert_eq!(cell(&b, 0, 0, 2), Some(&Value::Text("cắt".into())));
    assert_eq!(
        cell(&b, 0, 0, 3),
        Some(&Value::Text("dòng\rmới & ạ".into()))
    );
    assert_eq!(
        cell(&b, 0, 0, 4),
        None,
        "an empty shared string is no value"
    );
    assert_eq!(cell(&b, 0, 1, 0), Some(&Value::Number(16051.0)));
    assert_eq!(cell(&b, 0, 1, 1), Some(&Value::Date(45366.0)));
    assert_eq!(cell(&b, 0, 1, 2), Some(&Value::Date(45367.5)));
    assert_eq!(
        cell(&b, 0, 1, 3),
        Some(&Value::Number(7.0)),
        "a quoted \"ngày\" is no date format"
    );
    assert_eq!(cell(&b, 0, 1, 4), Some(&Value::Number(98.6)));
    assert_eq!(cell(&b, 0, 2, 0), Some(&Value::Bool(true)));
    assert_eq!(cell(&b, 0, 2, 1), Some(&Value::Error("#N/A".into())));
    assert_eq!(cell(&b, 0, 2, 2), Some(&Value::Text("công thức".into())));
    assert_eq!(cell(&b, 0, 2, 3), Some(&Value::Text("nội tuyến".into())));
    assert_eq!(cell(&b, 0, 2, 4), None, "a formula without a cached value");
    // Row 4 has no numbers: it follows row 3; cells without `r` follow each other.
    assert_eq!(cell(&b, 0, 3, 0), Some(&Value::Text("Sở Tư pháp".into())));
    assert_eq!(cell(&b, 0, 3, 1), Some(&Value::Number(5.0)));
    assert_eq!(cell(&b, 0, 3, 4), Some(&Value::Number(6.0)));
    assert_eq!(
        b.sheets[0].row(6).len(),
        0,
        "styled empty cells are no values"
    );
    assert_eq!(
        b.defined_names,
        vec![("_cchc_x".to_string(), "\"a&b\"".to_string())]
    );
}

#[test]
fn dates_in_the_1904_system_are_moved_to_the_1900_system() {
    let sheet = r#"<row r="1"><c r="A1" s="1"><v>43904</v></c><c r="B1"><v>43904</v></c></row>"#;
    let b = ours(&package(
        sheet,
        None,
        Some(STYLES),
        r#"<workbookPr date1904="1"/>"#,
    ));
    // 43904 days after 1/1/1904 is 15/3/2024, serial 45366 in the 1900 system.
    assert_eq!(cell(&b, 0, 0, 0), Some(&Value::Date(45366.0)));
    assert_eq!(cell(&b, 0, 0, 0).unwrap().text(), "15/03/2024");
    assert_eq!(
        cell(&b, 0, 0, 1),
        Some(&Value::Number(43904.0)),
        "numbers stay numbers"
    );
}

#[test]
fn a_reference_past_the_sheet_is_damage_not_a_wrapped_row() {
    for r in [
        "I4294967302",
        "A1048577",
        "XFE1",
        "AAAA1",
        "A0",
        "1A",
        "A-1",
    ] {
        let sheet = format!(r#"<row><c r="{r}"><v>1</v></c></row>"#);
        let f = read_bytes(package(&sheet, None, None, ""), &Limits::default()).expect_err(r);
        assert_eq!(f.code, "F002", "{r}");
        if r.bytes().all(|b| b.is_ascii_alphanumeric()) {
            assert!(f.message.contains(r), "{r}: {}", f.message);
        } else {
            assert!(
                f.message.contains("địa chỉ không hợp lệ"),
                "{r}: {}",
                f.message
            );
        }
    }
    let f = read_bytes(
        package(
            r#"<row r="4294967302"><c><v>1</v></c></row>"#,
            None,
            None,
            "",
        ),
        &Limits::default(),
    )
    .expect_err("row number past the sheet");
    assert_eq!(f.code, "F002");
    // The last cell of the sheet is fine.
    let b = ours(&package(
        r#"<row><c r="XFD1048576"><v>1</v></c></row>"#,
        None,
        None,
        "",
    ));
    assert_eq!(cell(&b, 0, 1_048_575, 16_383), Some(&Value::Number(1.0)));
}

#[test]
fn declared_counts_allocate_nothing_and_big_parts_are_refused() {
    // Two billion shared strings declared (calamine would reserve 48 GB):
    // read as the table really is.
    let b = ours(&package_declaring(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
        Some("<si><t>x</t></si>"),
        None,
        "",
        2_000_000_000,
    ));
    assert_eq!(cell(&b, 0, 0, 0), Some(&Value::Text("x".into())));
    // A sheet part over the cap is too much data (F004), named in MB.
    let limits = Limits {
        max_part_bytes: 64 << 10,
        ..Limits::default()
    };
    let row = r#"<row><c><v>1</v></c></row>"#.repeat(4000);
    let f = read_bytes(package(&row, None, None, ""), &limits).expect_err("over the cap");
    assert_eq!(f.code, "F004");
    // A shared string index past the table is damage.
    let f = read_bytes(
        package(
            r#"<row><c t="s"><v>7</v></c></row>"#,
            Some("<si><t>x</t></si>"),
            None,
            "",
        ),
        &Limits::default(),
    )
    .expect_err("index past the table");
    assert_eq!(f.code, "F002");
    // A sheet cut short is damage.
    let mut bytes = package(r#"<row><c><v>1</v></c></row>"#, None, None, "");
    let cut = String::from_utf8_lossy(&bytes).len();
    bytes.truncate(cut / 2);
    assert!(read_bytes(bytes, &Limits::default()).is_err());
}

/// The package with one part's bytes replaced.
fn with_part(bytes: &[u8], part: &str, edit: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::Read;
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == part {
            data = edit(data);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn one_return() -> Vec<u8> {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES
        .get_or_init(|| {
            let w = World::new();
            let p = w.period("2024-Q1");
            build(&w, "STP", &p, &good_answers(&w, "STP", &p))
        })
        .clone()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

    /// Damage inside the XML (not only the zip around it): flipped bytes,
    /// a cut, a repeated stretch, in any part the reader reads. The reader
    /// gives a workbook or a Vietnamese file finding — never a panic (which
    /// the sandbox would turn into F005) and never a cell outside the sheet.
    #[test]
    fn damaged_xml_is_read_or_refused_never_a_panic(
        part in 0usize..5,
        flips in proptest::collection::vec((0usize..200_000, proptest::num::u8::ANY), 0..16),
        cut in proptest::option::of(0usize..200_000),
        repeat in proptest::option::of((0usize..200_000, 1usize..400, 1usize..50)),
    ) {
        let name = ["xl/worksheets/sheet2.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
            "xl/styles.xml", "xl/_rels/workbook.xml.rels"][part];
        let bytes = with_part(&one_return(), name, |mut d| {
            for (at, b) in &flips {
                let i = at % d.len();
                d[i] = *b;
            }
            if let Some((at, len, times)) = repeat {
                let at = at % d.len();
                let piece = d[at..(at + len).min(d.len())].to_vec();
                for _ in 0..times {
                    d.splice(at..at, piece.iter().copied());
                }
            }
            if let Some(c) = cut {
                d.truncate(c % d.len());
            }
            d
        });
        match read_bytes(bytes, &Limits::default()) {
            Ok(book) => {
                // Every cell inside Excel's sheet: nothing wrapped around.
                for s in &book.sheets {
                    proptest::prop_assert!(s.cells.iter().all(|c| c.row < 1_048_576 && c.col < 16_384));
                }
            }
            Err(f) => {
                proptest::prop_assert!(f.code == "F002" || f.code == "F004", "{} {}", f.code, f.message);
                proptest::prop_assert!(f.message.contains("Tệp"), "{}", f.message);
            }
        }
    }
}
