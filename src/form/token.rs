//! The authenticity token: a keyed hash (HMAC-SHA256) of agency + period +
//! plan fingerprint under a secret kept in a local key file. The template
//! carries the token, never the key; intake recomputes it to prove a returned
//! file is the one sent to that agency.

use anyhow::Context as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::{Path, PathBuf};

/// Environment variable naming the key file (overrides the default place).
pub const KEY_ENV: &str = "CCHC_KEY_FILE";

/// The secret key.
#[derive(Clone)]
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// A key from raw bytes (tests, benchmarks).
    pub fn from_bytes(bytes: &[u8]) -> Key {
        Key(bytes.to_vec())
    }

    /// Reads the key file, creating it with 32 random bytes (hex) on first use.
    ///
    /// # Errors
    /// The file cannot be read or created, or does not hold a hex key.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Key> {
        if path.exists() {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("Không đọc được tệp khóa {}", path.display()))?;
            let bytes = hex::decode(text.trim()).map_err(|_| {
                anyhow::anyhow!(
                    "Tệp khóa {} bị hỏng (không phải chuỗi hex). Hãy khôi phục tệp khóa cũ; nếu tạo khóa mới thì các biểu mẫu đã gửi sẽ không còn xác thực được.",
                    path.display()
                )
            })?;
            anyhow::ensure!(
                bytes.len() >= 16,
                "Tệp khóa {} quá ngắn (cần ít nhất 16 byte).",
                path.display()
            );
            return Ok(Key(bytes));
        }
        let mut bytes = vec![0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| anyhow::anyhow!("Không tạo được khóa ngẫu nhiên: {e}"))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("Không tạo được thư mục {}", dir.display()))?;
        }
        std::fs::write(path, hex::encode(&bytes) + "\n")
            .with_context(|| format!("Không ghi được tệp khóa {}", path.display()))?;
        Ok(Key(bytes))
    }

    /// The token for one agency, period and plan: 32 hex characters.
    pub fn token(&self, agency: &str, period: &str, fingerprint: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        for part in [agency, period, fingerprint] {
            mac.update(part.as_bytes());
            mac.update(b"\x1f");
        }
        hex::encode(&mac.finalize().into_bytes()[..16])
    }

    /// True when `token` is the one this key gives for agency, period, plan.
    pub fn verify(&self, token: &str, agency: &str, period: &str, fingerprint: &str) -> bool {
        let expected = self.token(agency, period, fingerprint);
        let given = token.trim().to_ascii_lowercase();
        // Constant-time comparison.
        expected.len() == given.len()
            && expected
                .bytes()
                .zip(given.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

/// Where the key lives when no `--key` is given: `$CCHC_KEY_FILE`, else
/// `~/.config/cchc/khoa-xac-thuc.key` (or beside the current folder when
/// there is no home).
pub fn default_key_path() -> PathBuf {
    if let Some(p) = std::env::var_os(KEY_ENV) {
        return PathBuf::from(p);
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("cchc").join("khoa-xac-thuc.key")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_depends_on_every_part_and_the_key() {
        let k = Key::from_bytes(b"0123456789abcdef0123");
        let t = k.token("STP", "2024-Q1", "abc");
        assert_eq!(t.len(), 32);
        assert!(k.verify(&t, "STP", "2024-Q1", "abc"));
        assert!(k.verify(&t.to_ascii_uppercase(), "STP", "2024-Q1", "abc"));
        assert!(!k.verify(&t, "SNV", "2024-Q1", "abc"));
        assert!(!k.verify(&t, "STP", "2024-H1", "abc"));
        assert!(!k.verify(&t, "STP", "2024-Q1", "abd"));
        let other = Key::from_bytes(b"another key of 20 b.");
        assert!(!other.verify(&t, "STP", "2024-Q1", "abc"));
    }

    #[test]
    fn key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/key");
        let a = Key::load_or_create(&path).unwrap();
        let b = Key::load_or_create(&path).unwrap();
        assert_eq!(a.token("X", "P", "F"), b.token("X", "P", "F"));
        assert_eq!(std::fs::read_to_string(&path).unwrap().trim().len(), 64);
    }

    #[test]
    fn corrupt_key_file_is_refused_in_vietnamese() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "not hex").unwrap();
        let err = Key::load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("bị hỏng"), "{err}");
    }
}
