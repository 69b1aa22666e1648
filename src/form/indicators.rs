//! The indicator catalogue (`templates/indicators.toml`): the figures each
//! level reports, their types and the identities between them. Templates
//! draw the figure sheet and its live checks from it; intake checks the same
//! types, ranges and identities; compilation sums the figures.

use crate::agencies::Level;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The catalogue shipped with the tool.
pub const DEFAULT_TOML: &str = include_str!("../../templates/indicators.toml");

/// Value type of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Whole number ≥ 0.
    Count,
    /// 0–100.
    Percent,
    /// Any number ≥ 0.
    Decimal,
}

/// Which levels report an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Departments (sở, ban, ngành).
    Department,
    /// Districts (UBND cấp huyện).
    District,
    /// Departments and districts.
    Both,
    /// Communes, wards and special zones (UBND cấp xã).
    Commune,
    /// Districts and communes (local governments).
    Local,
    /// Every level.
    All,
}

impl Scope {
    pub fn includes(self, level: Level) -> bool {
        let provincial = matches!(level, Level::Tinh | Level::TrungUong);
        match self {
            Scope::Both => provincial || level == Level::Huyen,
            Scope::Department => provincial,
            Scope::District => level == Level::Huyen,
            Scope::Commune => level == Level::Xa,
            Scope::Local => matches!(level, Level::Huyen | Level::Xa),
            Scope::All => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable code, e.g. `HS_GQ_DUNGHAN`.
    pub code: String,
    /// Group heading (e.g. "Giải quyết hồ sơ TTHC").
    pub group: String,
    pub name: String,
    pub unit: String,
    pub kind: Kind,
    pub scope: Scope,
    /// For a percentage computed from counts: the numerator codes (summed)
    /// and the denominator codes (summed). Compilation recomputes the rate from
    /// the province-wide sums, never averages it. Empty for plain figures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub numerator: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub denominator: Vec<String>,
}

/// `sum(left) == sum(right)` must hold between reported figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub code: String,
    pub left: Vec<String>,
    pub right: Vec<String>,
    /// Vietnamese description, e.g. "Sớm hạn + đúng hạn + quá hạn = đã giải quyết".
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    #[serde(rename = "indicator")]
    pub indicators: Vec<Indicator>,
    #[serde(rename = "identity", default)]
    pub identities: Vec<Identity>,
}

impl Catalogue {
    pub fn embedded() -> Catalogue {
        Catalogue::from_toml(DEFAULT_TOML).expect("the embedded indicators.toml is valid")
    }

    pub fn load(path: &Path) -> anyhow::Result<Catalogue> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!("Không đọc được danh mục chỉ số {}: {e}", path.display())
        })?;
        Catalogue::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// Parses and checks the catalogue: unique codes, identities and ratios that
    /// name known indicators.
    pub fn from_toml(text: &str) -> anyhow::Result<Catalogue> {
        let cat: Catalogue = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!("danh mục chỉ số không đúng cú pháp TOML: {e}"))?;
        let mut seen = std::collections::HashSet::new();
        for i in &cat.indicators {
            anyhow::ensure!(
                seen.insert(i.code.as_str()),
                "mã chỉ số «{}» bị trùng",
                i.code
            );
        }
        let known = |c: &String| cat.indicators.iter().any(|i| &i.code == c);
        for id in &cat.identities {
            for c in id.left.iter().chain(&id.right) {
                anyhow::ensure!(
                    known(c),
                    "đẳng thức «{}» dùng mã chỉ số «{c}» không có trong danh mục",
                    id.code
                );
            }
        }
        for i in &cat.indicators {
            for c in i.numerator.iter().chain(&i.denominator) {
                anyhow::ensure!(
                    known(c),
                    "chỉ số «{}» tính tỷ lệ từ mã «{c}» không có trong danh mục",
                    i.code
                );
            }
            anyhow::ensure!(
                i.numerator.is_empty() == i.denominator.is_empty(),
                "chỉ số «{}» phải có cả numerator và denominator, hoặc không có cả hai",
                i.code
            );
        }
        Ok(cat)
    }

    pub fn get(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// Indicators reported at one level, in catalogue order.
    pub fn for_level(&self, level: Level) -> Vec<&Indicator> {
        self.indicators
            .iter()
            .filter(|i| i.scope.includes(level))
            .collect()
    }

    /// Identities whose indicators are all reported at this level.
    pub fn identities_for(&self, level: Level) -> Vec<&Identity> {
        self.identities
            .iter()
            .filter(|id| {
                id.left
                    .iter()
                    .chain(&id.right)
                    .all(|c| self.get(c).is_some_and(|i| i.scope.includes(level)))
            })
            .collect()
    }
}
