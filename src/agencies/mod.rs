//! The agency directory: every unit that can be named in a plan or report,
//! loaded from `templates/agencies.csv` (embedded as default) and checked row by
//! row. Resolution of assignee text to agencies lives in [`resolve`].

pub mod resolve;
pub mod structure;
pub mod successors;
pub mod versions;

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The directory shipped with the tool (`templates/agencies.csv`).
pub const DEFAULT_CSV: &str = include_str!("../../templates/agencies.csv");

/// Administrative level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Provincial departments and equivalents.
    Tinh,
    /// Central agencies located in the province.
    TrungUong,
    /// Districts, towns and the city.
    Huyen,
    /// Communes, wards and townships.
    Xa,
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        match s {
            "tinh" => Some(Level::Tinh),
            "trung-uong" => Some(Level::TrungUong),
            "huyen" => Some(Level::Huyen),
            "xa" => Some(Level::Xa),
            _ => None,
        }
    }

    /// Vietnamese name of the level.
    pub fn label(self) -> &'static str {
        match self {
            Level::Tinh => "Cấp tỉnh",
            Level::TrungUong => "Cơ quan Trung ương",
            Level::Huyen => "Cấp huyện",
            Level::Xa => "Cấp xã",
        }
    }
}

/// Whether a unit sends its own quarterly report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reporting {
    Yes,
    No,
    Optional,
    ViaDistrict,
}

/// One row of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub code: String,
    pub level: Level,
    pub kind: String,
    pub name: String,
    pub short_name: String,
    pub parent: Option<String>,
    pub gso_code: Option<String>,
    pub reporting: Reporting,
    pub aliases: Vec<String>,
}

impl Agency {
    /// True for the units that send their own quarterly report
    /// (`reports_quarterly = yes`), at any level.
    pub fn reports_quarterly(&self) -> bool {
        self.reporting == Reporting::Yes
    }
}

/// A problem in the directory file, with its one-based line and the column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryError {
    pub line: usize,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for DirectoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "dòng {}, cột «{}»: {}",
            self.line, self.column, self.message
        )
    }
}

/// The loaded directory, in file order, indexed by code.
#[derive(Debug, Clone)]
pub struct Directory {
    agencies: Vec<Agency>,
    by_code: BTreeMap<String, usize>,
}

const COLUMNS: [&str; 9] = [
    "code",
    "level",
    "kind",
    "name",
    "short_name",
    "parent",
    "gso_code",
    "reports_quarterly",
    "aliases",
];

impl Directory {
    /// The embedded default directory.
    pub fn embedded() -> Directory {
        Directory::from_csv(DEFAULT_CSV).expect("the embedded agencies.csv is valid")
    }

    /// Reads a directory file; errors name the file.
    pub fn load(path: &Path) -> anyhow::Result<Directory> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!("Không đọc được danh mục cơ quan {}: {e}", path.display())
        })?;
        Directory::from_csv(&text).map_err(|errs| {
            let lines: Vec<String> = errs.iter().map(|e| format!("  - {e}")).collect();
            anyhow::anyhow!(
                "Danh mục cơ quan {} có {} lỗi, hãy sửa rồi chạy lại:\n{}",
                path.display(),
                errs.len(),
                lines.join("\n")
            )
        })
    }

    /// Parses CSV text, collecting every error (not just the first).
    pub fn from_csv(text: &str) -> Result<Directory, Vec<DirectoryError>> {
        let mut errors = Vec::new();
        let body = text.trim_start_matches('\u{feff}');
        // One-based line where a record starts, as an editor shows it (the
        // reader may place a record at the line break before it).
        let line_at = |byte: u64| {
            let bytes = body.as_bytes();
            let mut at = (byte as usize).min(bytes.len());
            while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
                at += 1;
            }
            bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(body.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
            Err(e) => {
                return Err(vec![DirectoryError {
                    line: 1,
                    column: "-".into(),
                    message: format!("không đọc được dòng tiêu đề: {e}"),
                }])
            }
        };
        let index: Vec<Option<usize>> = COLUMNS
            .iter()
            .map(|c| header.iter().position(|h| h == c))
            .collect();
        for (c, i) in COLUMNS.iter().zip(&index) {
            if i.is_none() && *c != "aliases" && *c != "gso_code" {
                errors.push(DirectoryError {
                    line: 1,
                    column: c.to_string(),
                    message: "thiếu cột này trong dòng tiêu đề".into(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut agencies = Vec::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| line_at(p.byte()));
                    errors.push(DirectoryError {
                        line,
                        column: "-".into(),
                        message: format!("dòng CSV không hợp lệ: {e}"),
                    });
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| line_at(p.byte()));
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let field = |name: &str| -> String {
                let i = COLUMNS.iter().position(|c| *c == name).unwrap();
                index[i]
                    .and_then(|i| record.get(i))
                    .map(crate::text::clean)
                    .unwrap_or_default()
            };
            match row_to_agency(&field, line) {
                Ok(a) => agencies.push((line, a)),
                Err(e) => errors.extend(e),
            }
        }
        let mut by_code = BTreeMap::new();
        for (i, (line, a)) in agencies.iter().enumerate() {
            if let Some(first) = by_code.get(&a.code).map(|&j: &usize| agencies[j].0) {
                errors.push(DirectoryError {
                    line: *line,
                    column: "code".into(),
                    message: format!(
                        "mã «{}» bị trùng với dòng {first}; mỗi đơn vị cần một mã riêng",
                        a.code
                    ),
                });
            } else {
                by_code.insert(a.code.clone(), i);
            }
        }
        for (line, a) in &agencies {
            if let Some(p) = &a.parent {
                if !by_code.contains_key(p) {
                    errors.push(DirectoryError {
                        line: *line,
                        column: "parent".into(),
                        message: format!("đơn vị cấp trên «{p}» không có trong danh mục"),
                    });
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Directory {
            agencies: agencies.into_iter().map(|(_, a)| a).collect(),
            by_code,
        })
    }

    /// All agencies in file order.
    pub fn all(&self) -> &[Agency] {
        &self.agencies
    }

    /// The agency with this code.
    pub fn get(&self, code: &str) -> Option<&Agency> {
        self.by_code.get(code).map(|&i| &self.agencies[i])
    }

    /// Agencies of one level, in file order.
    pub fn at_level(&self, level: Level) -> impl Iterator<Item = &Agency> {
        self.agencies.iter().filter(move |a| a.level == level)
    }

    /// The reporting departments (provincial level, `reports_quarterly = yes`).
    pub fn departments(&self) -> impl Iterator<Item = &Agency> {
        self.at_level(Level::Tinh).filter(|a| a.reports_quarterly())
    }

    /// The district-level units.
    pub fn districts(&self) -> impl Iterator<Item = &Agency> {
        self.at_level(Level::Huyen)
    }

    /// The units that report every quarter: every unit marked
    /// `reports_quarterly = yes`, whatever its level, ordered by level
    /// (provincial, central, district, commune) and then as in the file.
    /// Who reports is data: a commune marked `yes` reports directly; one
    /// marked `via-district` is covered by its district's return.
    pub fn reporting_units(&self) -> Vec<&Agency> {
        let mut units: Vec<&Agency> = self
            .agencies
            .iter()
            .filter(|a| a.reports_quarterly())
            .collect();
        units.sort_by_key(|a| a.level);
        units
    }

    /// Adds a name the unit was known by before (a predecessor's name,
    /// from the successor map) as an alias, so that a plan or a return
    /// naming the predecessor resolves to this unit.
    pub fn add_alias(&mut self, code: &str, alias: &str) {
        if let Some(&i) = self.by_code.get(code) {
            let a = &mut self.agencies[i];
            if !a.aliases.iter().any(|x| x == alias) && a.name != alias {
                a.aliases.push(alias.to_string());
            }
        }
    }

    /// The communes of one district.
    pub fn communes_of<'a>(&'a self, district: &'a str) -> impl Iterator<Item = &'a Agency> {
        self.at_level(Level::Xa)
            .filter(move |a| a.parent.as_deref() == Some(district))
    }
}

fn row_to_agency(
    field: &dyn Fn(&str) -> String,
    line: usize,
) -> Result<Agency, Vec<DirectoryError>> {
    let mut errors = Vec::new();
    let err = |column: &str, message: String| DirectoryError {
        line,
        column: column.into(),
        message,
    };
    let code = field("code");
    if code.is_empty() {
        errors.push(err("code", "mã đơn vị bị trống".into()));
    } else if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        errors.push(err(
            "code",
            format!("mã «{code}» chỉ được gồm chữ cái không dấu, chữ số, '-' hoặc '_'"),
        ));
    }
    let level = Level::parse(&field("level"));
    if level.is_none() {
        errors.push(err(
            "level",
            format!(
                "cấp «{}» không hợp lệ; dùng một trong: tinh, trung-uong, huyen, xa",
                field("level")
            ),
        ));
    }
    let name = field("name");
    if name.is_empty() {
        errors.push(err("name", "tên đơn vị bị trống".into()));
    }
    let reporting = match field("reports_quarterly").as_str() {
        "yes" => Some(Reporting::Yes),
        "no" => Some(Reporting::No),
        "optional" => Some(Reporting::Optional),
        "via-district" => Some(Reporting::ViaDistrict),
        other => {
            errors.push(err(
                "reports_quarterly",
                format!("giá trị «{other}» không hợp lệ; dùng yes, no, optional hoặc via-district"),
            ));
            None
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let opt = |s: String| if s.is_empty() { None } else { Some(s) };
    Ok(Agency {
        code,
        level: level.unwrap(),
        kind: field("kind"),
        short_name: opt(field("short_name")).unwrap_or_else(|| name.clone()),
        name,
        parent: opt(field("parent")),
        gso_code: opt(field("gso_code")),
        reporting: reporting.unwrap(),
        aliases: field("aliases")
            .split(';')
            .map(crate::text::clean)
            .filter(|s| !s.is_empty())
            .collect(),
    })
}

/// Codes that appear more than once in `codes`, for callers that merge lists.
pub fn dedup_codes(codes: &mut Vec<String>) {
    let mut seen = HashSet::new();
    codes.retain(|c| seen.insert(c.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_directory_has_the_expected_units() {
        let d = Directory::embedded();
        assert_eq!(d.departments().count(), 20);
        assert_eq!(d.districts().count(), 13);
        assert_eq!(d.at_level(Level::Xa).count(), 173);
        assert_eq!(d.reporting_units().len(), 33);
        assert_eq!(d.get("STP").unwrap().name, "Sở Tư pháp");
        assert_eq!(d.communes_of("H522").count(), 23);
    }

    #[test]
    fn errors_name_line_and_column() {
        let csv = "code,level,kind,name,short_name,parent,gso_code,reports_quarterly,aliases\n\
                   A,tinh,so,Sở A,,,,yes,\n\
                   A,tinh,so,Sở B,,,,yes,\n\
                   C,tinh,so,Sở C,,ZZZ,,yes,\n\
                   D,tỉnh,so,Sở D,,,,maybe,\n";
        let errs = Directory::from_csv(csv).unwrap_err();
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(text
            .iter()
            .any(|e| e.starts_with("dòng 3, cột «code»") && e.contains("trùng")));
        assert!(text
            .iter()
            .any(|e| e.starts_with("dòng 4, cột «parent»") && e.contains("ZZZ")));
        assert!(text.iter().any(|e| e.starts_with("dòng 5, cột «level»")));
        assert!(text
            .iter()
            .any(|e| e.starts_with("dòng 5, cột «reports_quarterly»")));
    }

    #[test]
    fn missing_column_is_reported() {
        let errs = Directory::from_csv("code,level,name\nA,tinh,Sở A\n").unwrap_err();
        assert!(errs
            .iter()
            .any(|e| e.column == "reports_quarterly" && e.line == 1));
    }
}
