//! Directory versions: the province's structure changes (mergers on
//! 1/3/2025, two-level local government from 1/7/2025), so the agency
//! directory is a series of files, each in force from a date written in its
//! name: `agencies.csv` (the base, in force until the first dated file) and
//! `agencies-2025-07.csv` or `agencies-2025-07-01.csv` (from that day). A
//! period uses the one version in force at its data cut-off; versions are
//! never mixed inside a period. A user starting a new structure adds one file.

use super::successors::Successors;
use super::Directory;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The post-1/7/2025 directory shipped with the tool.
pub const CSV_2025_07: &str = include_str!("../../templates/agencies-2025-07.csv");

/// One directory file and the day it takes effect (`None`: the base file).
#[derive(Debug, Clone)]
pub struct Version {
    pub file: String,
    pub from: Option<NaiveDate>,
    pub directory: Directory,
}

impl Version {
    /// "agencies-2025-07.csv (áp dụng từ 01/07/2025)".
    pub fn label(&self) -> String {
        match self.from {
            Some(d) => format!("{} (áp dụng từ {})", self.file, crate::period::dmy(d)),
            None => self.file.clone(),
        }
    }
}

/// The series, oldest first; `fixed` when one file was chosen for every period.
#[derive(Debug, Clone)]
pub struct Versions {
    versions: Vec<Version>,
    pub fixed: bool,
}

impl Versions {
    /// The two directories shipped with the tool: 2024 (base) and from 1/7/2025.
    pub fn embedded() -> Versions {
        let later = Directory::from_csv(CSV_2025_07).expect("agencies-2025-07.csv is valid");
        Versions {
            versions: vec![
                Version {
                    file: "agencies.csv".into(),
                    from: None,
                    directory: Directory::embedded(),
                },
                Version {
                    file: "agencies-2025-07.csv".into(),
                    from: NaiveDate::from_ymd_opt(2025, 7, 1),
                    directory: later,
                },
            ],
            fixed: false,
        }
    }

    /// One file for every period (`--agencies TỆP`).
    pub fn fixed(path: &Path) -> anyhow::Result<Versions> {
        Ok(Versions {
            versions: vec![Version {
                file: file_name(path),
                from: None,
                directory: Directory::load(path)?,
            }],
            fixed: true,
        })
    }

    /// The series of a base file: `base` itself and every file beside it
    /// named `<stem>-YYYY-MM.csv` or `<stem>-YYYY-MM-DD.csv`.
    pub fn series(base: &Path) -> anyhow::Result<Versions> {
        let mut versions = vec![Version {
            file: file_name(base),
            from: None,
            directory: Directory::load(base)?,
        }];
        let stem = base
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let folder = base
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut dated: Vec<(NaiveDate, PathBuf)> = std::fs::read_dir(folder)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter_map(|p| effective_from(&stem, &file_name(&p)).map(|d| (d, p)))
                    .collect()
            })
            .unwrap_or_default();
        dated.sort();
        for (from, path) in dated {
            versions.push(Version {
                file: file_name(&path),
                from: Some(from),
                directory: Directory::load(&path)?,
            });
        }
        Ok(Versions {
            versions,
            fixed: false,
        })
    }

    pub fn all(&self) -> &[Version] {
        &self.versions
    }

    /// The version in force on `date`: the latest that took effect on or
    /// before it (the base when none did).
    pub fn in_force(&self, date: NaiveDate) -> &Version {
        self.versions
            .iter()
            .rev()
            .find(|v| v.from.is_none_or(|f| f <= date))
            .unwrap_or(&self.versions[0])
    }

    /// The directory in force on `date`, ready for a period: the names of
    /// predecessors its units took over (from older versions, through the
    /// successor map) are added as aliases, so a plan or a return naming
    /// "Sở Kế hoạch và Đầu tư" reaches Sở Tài chính.
    pub fn prepared(&self, date: NaiveDate, successors: &Successors) -> (Directory, String) {
        let v = self.in_force(date);
        let mut dir = v.directory.clone();
        for c in successors.changes.iter().filter(|c| c.from <= date) {
            let Some(new) = successors.heir_on(&c.old, date) else {
                continue;
            };
            if dir.get(&c.old).is_some() || dir.get(&new).is_none() {
                continue;
            }
            let Some(old) = self.versions.iter().find_map(|v| v.directory.get(&c.old)) else {
                continue;
            };
            let names: Vec<String> = std::iter::once(old.name.clone())
                .chain(std::iter::once(old.short_name.clone()))
                .chain(old.aliases.iter().cloned())
                .collect();
            for n in names {
                dir.add_alias(&new, &n);
            }
        }
        (dir, v.label())
    }

    /// The agency a code named in some version (for predecessors no longer
    /// in the directory of the period).
    pub fn find(&self, code: &str) -> Option<&super::Agency> {
        self.versions
            .iter()
            .rev()
            .find_map(|v| v.directory.get(code))
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// `agencies-2025-07.csv` → 1/7/2025; `agencies-2025-07-15.csv` → 15/7/2025
/// (for the stem `agencies`); anything else → `None`.
pub fn effective_from(stem: &str, file: &str) -> Option<NaiveDate> {
    let rest = file.strip_prefix(stem)?.strip_prefix('-')?;
    let date = rest
        .strip_suffix(".csv")
        .or_else(|| rest.strip_suffix(".CSV"))?;
    let parts: Vec<&str> = date.split('-').collect();
    let num = |s: &str| s.parse::<u32>().ok();
    match parts.as_slice() {
        [y, m] if y.len() == 4 && m.len() == 2 => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, num(m)?, 1)
        }
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, num(m)?, num(d)?)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::ymd;

    #[test]
    fn file_names_carry_the_date() {
        assert_eq!(
            effective_from("agencies", "agencies-2025-07.csv"),
            Some(ymd(2025, 7, 1))
        );
        assert_eq!(
            effective_from("agencies", "agencies-2026-01-15.csv"),
            Some(ymd(2026, 1, 15))
        );
        assert_eq!(effective_from("agencies", "agencies.csv"), None);
        assert_eq!(effective_from("agencies", "agencies-cu.csv"), None);
        assert_eq!(effective_from("agencies", "agencies-2025-13.csv"), None);
        assert_eq!(effective_from("agencies", "other-2025-07.csv"), None);
    }

    #[test]
    fn a_period_gets_the_version_in_force_at_its_cut_off() {
        let v = Versions::embedded();
        assert_eq!(v.in_force(ymd(2024, 3, 14)).file, "agencies.csv");
        assert_eq!(v.in_force(ymd(2025, 6, 14)).file, "agencies.csv");
        assert_eq!(v.in_force(ymd(2025, 9, 14)).file, "agencies-2025-07.csv");
        let later = &v.in_force(ymd(2026, 3, 14)).directory;
        assert_eq!(later.reporting_units().len(), 111);
        assert_eq!(later.districts().count(), 0);
    }

    #[test]
    fn predecessors_names_reach_their_successor() {
        let v = Versions::embedded();
        let (dir, label) = v.prepared(ymd(2026, 3, 14), &Successors::embedded());
        assert!(label.contains("01/07/2025"), "{label}");
        let stc = dir.get("STC").unwrap();
        assert!(stc.aliases.iter().any(|a| a == "Sở Kế hoạch và Đầu tư"));
        let r = super::super::resolve::Resolver::new(&dir);
        let a = r.resolve(
            "Sở Tài nguyên và Môi trường; Sở NN&PTNT; Ban Dân tộc tỉnh",
            &[],
        );
        let codes: Vec<&str> = a.members.iter().map(|m| m.code.as_str()).collect();
        assert_eq!(codes, ["SNNMT", "SDTTG"]);
        // The 2024 directory is left as it was.
        let (old, _) = v.prepared(ymd(2024, 3, 14), &Successors::embedded());
        assert!(old.get("SKHDT").is_some());
        assert!(old.get("STC").unwrap().aliases.is_empty());
    }
}
