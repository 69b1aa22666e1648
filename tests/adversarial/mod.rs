//! The adversarial corpus (more than 100 crafted entries covering every
//! class of hostile or careless input) and the helpers that make it, shared
//! by the hardening tests and the whole-batch memory test.
#![allow(dead_code)]

use crate::intake_util::{self, Fixture, World};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

pub const P: &str = "2024-Q1";

pub fn key_file(dir: &Path) -> PathBuf {
    let path = dir.join("khoa.key");
    std::fs::write(&path, hex::encode(b"test key for intake fixtures")).unwrap();
    path
}

/// Adds `--key KEY run --period P --returns RETURNS --out OUT` to a `cchc`
/// command: the batch every test here runs.
pub fn batch(
    cmd: &mut std::process::Command,
    key: impl AsRef<std::ffi::OsStr>,
    returns: impl AsRef<std::ffi::OsStr>,
    out: impl AsRef<std::ffi::OsStr>,
) -> &mut std::process::Command {
    cmd.arg("--key")
        .arg(key)
        .args(["run", "--period", P, "--returns"])
        .arg(returns)
        .arg("--out")
        .arg(out)
}

/// Rewrites a zip package: `edit` may replace an entry's bytes.
pub fn rezip(bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut e = zin.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if let Some(d) = edit(&name, data) {
            zout.start_file(name, opts).unwrap();
            zout.write_all(&d).unwrap();
        }
    }
    zout.finish().unwrap().into_inner()
}

pub fn replace_in(
    name: &'static str,
    from: &'static str,
    to: String,
) -> impl Fn(&str, Vec<u8>) -> Option<Vec<u8>> {
    move |n, d| {
        if n == name {
            let s = String::from_utf8(d).unwrap();
            Some(s.replacen(from, &to, 1).into_bytes())
        } else {
            Some(d)
        }
    }
}

/// A minimal .ods whose one row is repeated a thousand times over every
/// column (under 1 KB on disk, 16 million cells — gigabytes — when
/// expanded; a million rows would be refused as damage before any memory
/// is spent).
pub fn ods_repeated() -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("META-INF/manifest.xml", deflated).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    z.start_file("content.xml", deflated).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Nhiem vu"><table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#).unwrap();
    z.finish().unwrap().into_inner()
}

/// A deterministic byte generator (no rand dependency).
pub struct Lcg(pub u64);
impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// What one corpus entry must end as in the ledger (JSON status), when the
/// corpus says so; `None`: any status, but exactly one line.
pub type Expect = Option<&'static str>;

/// Writes the adversarial corpus into `dir`; returns every entry's file
/// name with what its ledger status must be.
pub fn corpus(w: &World, dir: &Path) -> BTreeMap<PathBuf, Expect> {
    let mut out: BTreeMap<PathBuf, Expect> = BTreeMap::new();
    let mut put = |name: &[u8], bytes: &[u8], expect: Expect| {
        let path = dir.join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(&path, bytes).unwrap();
        out.insert(path, expect);
    };
    let good = |code: &str| Fixture::good(w, code, P).xlsx();
    let stp = good("STP");
    // Good returns under names a careless world gives them.
    put(b"2024-Q1_STP_so-tu-phap.xlsx", &stp, Some("accepted"));
    put(b"2024-Q1_SNV_khong-duoi", &good("SNV"), Some("accepted"));
    put(b"2024-Q1_STC.xlsx.pdf", &good("STC"), Some("accepted"));
    put(b"2024-Q1_SYT.xlsx ", &good("SYT"), Some("accepted"));
    put(
        b"2024-Q1_SCT_T\xEAn-Windows.xlsx",
        &good("SCT"),
        Some("accepted"),
    );
    put(b"2024-Q1_SXD.XLSX", &good("SXD"), Some("accepted"));
    put(b"ban-sao-STP.xlsx", &stp, Some("duplicate"));
    // Text that must not break an output.
    let mut f = Fixture::good(w, "SGTVT", P);
    for r in &mut f.rows {
        r.result = intake_util::t("Kết quả\u{1} có ký tự\u{7} điều khiển \u{1b}[31mđỏ\u{1b}[0m");
    }
    put(
        b"2024-Q1_SGTVT_ky-tu-dieu-khien.xlsx",
        &f.xlsx(),
        Some("accepted"),
    );
    let long = "Dài ".repeat(10_000);
    let bdt = rezip(
        &good("BDT"),
        replace_in("xl/sharedStrings.xml", "Kế hoạch số 15/KH-SNV", long),
    );
    put(b"2024-Q1_BDT_o-40000-ky-tu.xlsx", &bdt, Some("accepted"));
    // Emoji after a real document number: an all-emoji cell is no evidence (C008).
    let emoji = format!("Kế hoạch số 15/KH-SNV {}", "😀".repeat(20_000));
    let stttt = rezip(
        &good("STTTT"),
        replace_in("xl/sharedStrings.xml", "Kế hoạch số 15/KH-SNV", emoji),
    );
    put(b"2024-Q1_STTTT_emoji.xlsx", &stttt, Some("accepted"));
    let sheet_eq = rezip(&good("SNNPTNT"), |n, d| {
        if n == "xl/workbook.xml" {
            let s = String::from_utf8(d).unwrap();
            Some(
                s.replacen("name=\"Nhiệm vụ\"", "name=\"=HYPERLINK(&quot;x&quot;)\"", 1)
                    .into_bytes(),
            )
        } else {
            Some(d)
        }
    });
    put(
        b"2024-Q1_SNNPTNT_ten-sheet-cong-thuc.xlsx",
        &sheet_eq,
        Some("accepted"),
    );
    // Readers that trust declared counts.
    // A declared count of two billion shared strings: the reader never
    // trusts it, so the unit's return is read and counted as it really is.
    let bomb = rezip(&good("SLDTBXH"), |n, d| {
        if n == "xl/sharedStrings.xml" {
            let s = String::from_utf8(d).unwrap();
            let at = s.find("uniqueCount=\"").unwrap() + 13;
            let end = at + s[at..].find('"').unwrap();
            Some(format!("{}2000000000{}", &s[..at], &s[end..]).into_bytes())
        } else {
            Some(d)
        }
    });
    put(
        b"2024-Q1_SLDTBXH_unique-count.xlsx",
        &bomb,
        Some("accepted"),
    );
    put(
        b"2024-Q1_SVHTTDL_lap-hang.ods",
        &ods_repeated(),
        Some("unreadable"),
    );
    // Damaged and foreign files (from a unit no other entry speaks for).
    let base = good("VPUBND");
    for i in 0..10 {
        let cut = 10 + (base.len() - 20) * i / 10;
        let name = format!("cat-cut-{i}.xlsx");
        put(name.as_bytes(), &base[..cut], Some("unreadable"));
    }
    let mut rng = Lcg(9);
    for i in 0..50 {
        let mut b = base.clone();
        for _ in 0..(1 + i % 8) {
            let at = (rng.next() as usize) % b.len();
            b[at] ^= 1 << (rng.next() % 8);
        }
        put(format!("lat-bit-{i:02}.xlsx").as_bytes(), &b, None);
    }
    for part in [
        "xl/workbook.xml",
        "xl/sharedStrings.xml",
        "xl/worksheets/sheet1.xml",
        "[Content_Types].xml",
    ] {
        let b = rezip(&base, |n, d| (n != part).then_some(d));
        // The guide sheet (sheet1) is not scanned, but a package without it
        // is still damaged.
        let expect = (part == "xl/worksheets/sheet1.xml").then_some("unreadable");
        put(
            format!("thieu-{}.xlsx", part.replace(['/', '[', ']'], "_")).as_bytes(),
            &b,
            expect,
        );
    }
    put(b"rong.xlsx", b"", Some("unreadable"));
    put(
        b"bao-cao.pdf",
        b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n",
        Some("unreadable"),
    );
    put(
        b"ghi-chu.txt",
        "Báo cáo gửi sau".as_bytes(),
        Some("unreadable"),
    );
    put(
        b"anh.xlsx",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        Some("unreadable"),
    );
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 600]);
    put(b"xls-cut-cut.xls", &ole, Some("unreadable"));
    for i in 0..20 {
        let mut b = vec![0u8; 64 + i * 37];
        for x in &mut b {
            *x = rng.next() as u8;
        }
        put(
            format!("rac-{i:02}.xlsx").as_bytes(),
            &b,
            Some("unreadable"),
        );
    }
    put(b"~$2024-Q1_STP.xlsx", b"\x05cchc  ", Some("unreadable"));
    // An unreadable file named for another period is that period's.
    put(
        b"2024-H1_SXD_hong.xlsx",
        &base[..base.len() / 3 + 7],
        Some("other_period"),
    );
    // Identity and period.
    put(
        b"2024-H1_SKHDT_ky-khac.xlsx",
        &good_for(w, "SKHDT", "2024-H1"),
        Some("other_period"),
    );
    let lost = Fixture::good(w, "STNMT", P).no_metadata().xlsx();
    put(b"2024-Q1_STNMT_mat-nhan-dien.xlsx", &lost, Some("rejected"));
    // Entries that are not files.
    let link = dir.join("lien-ket-hong.xlsx");
    std::os::unix::fs::symlink(dir.join("khong-co.xlsx"), &link).unwrap();
    out.insert(link, Some("unreadable"));
    let fifo = dir.join("ong-dan.xlsx");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        out.insert(fifo, Some("unreadable"));
    }
    out
}

pub fn good_for(w: &World, code: &str, period: &str) -> Vec<u8> {
    Fixture::good(w, code, period).xlsx()
}
