//! The demonstration run: realistic returns for the embedded plan, so that
//! `cchc demo` shows the whole quarter-end job on a fresh machine. The demo
//! signs its templates with a published demo key, never the office's key.

pub mod embedded;
pub mod fill;
pub mod samples;

use crate::form::token::Key;

/// The demo's authenticity key. Public on purpose: demo files prove nothing.
pub fn key() -> Key {
    Key::from_bytes(b"cchc-demo-khoa-cong-khai-khong-dung-that")
}
