//! The demonstration run: realistic returns for the embedded plan, so that
//! `cchc demo` shows the whole quarter-end job on a fresh machine. The demo
//! signs its templates with a published demo key, never the office's key.

pub mod embedded;
pub mod fill;
pub mod samples;
pub mod today;

use crate::form::token::Key;

/// The demo's authenticity key. Public on purpose: demo files prove nothing.
pub fn key() -> Key {
    Key::from_bytes(b"cchc-demo-khoa-cong-khai-khong-dung-that")
}

/// The illustrative 2026 plan of the `--nam 2026` demo: written for this
/// tool in the seed's layout, not an official document.
pub const PLAN_2026_TEXT: &str = include_str!("../../seeds/ke-hoach-cchc-2026-minh-hoa.txt");
pub const PLAN_2026_NAME: &str = "seeds/ke-hoach-cchc-2026-minh-hoa.txt";
