//! Field encryption for ID numbers (PIPL): AES-256-GCM at rest, an HMAC blind index for
//! exact search, and the key file kept beside the database with owner-only permissions.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::path::Path;

use crate::error::StoreError;

type HmacSha256 = Hmac<Sha256>;

/// Keys derived from one 32-byte master key.
#[derive(Clone)]
pub struct Crypto {
    enc: [u8; 32],
    mac: [u8; 32],
}

impl std::fmt::Debug for Crypto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Crypto(**redacted**)")
    }
}

fn derive(master: &[u8; 32], label: &[u8]) -> Result<[u8; 32], StoreError> {
    let mut m = <HmacSha256 as Mac>::new_from_slice(master)
        .map_err(|e| StoreError::Crypto(e.to_string()))?;
    m.update(label);
    Ok(m.finalize().into_bytes().into())
}

impl Crypto {
    /// From a master key.
    pub fn new(master: &[u8; 32]) -> Result<Self, StoreError> {
        Ok(Crypto {
            enc: derive(master, b"jiceng/enc/v1")?,
            mac: derive(master, b"jiceng/mac/v1")?,
        })
    }

    /// From 64 hex characters.
    pub fn from_hex(hex_key: &str) -> Result<Self, StoreError> {
        let bytes = hex::decode(hex_key.trim())
            .map_err(|_| StoreError::Crypto("密钥应为 64 位十六进制字符".into()))?;
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| StoreError::Crypto("密钥应为 32 字节（64 位十六进制字符）".into()))?;
        Self::new(&arr)
    }

    /// Loads the key file, or creates it (mode 0600) when it does not exist yet. Callers
    /// that open an existing database use [`Crypto::load`] and [`Crypto::generate`] instead,
    /// so that a key file is only created for a database that has none yet.
    pub fn load_or_create(path: &Path) -> Result<Self, StoreError> {
        if let Some(c) = Self::load(path)? {
            return Ok(c);
        }
        let (c, hex_key) = Self::generate()?;
        write_key_file(path, &hex_key)?;
        Ok(c)
    }

    /// Reads the key file; `None` when it does not exist.
    pub fn load(path: &Path) -> Result<Option<Self>, StoreError> {
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| StoreError::Crypto(format!("无法读取密钥文件 {}: {e}", path.display())))?;
        Self::from_hex(&text).map(Some)
    }

    /// A new random key and its hex form (to be written with [`write_key_file`]).
    pub fn generate() -> Result<(Self, String), StoreError> {
        let mut key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        Ok((Self::new(&key)?, hex::encode(key)))
    }

    /// Encrypts a value; output is base64(nonce ‖ ciphertext).
    pub fn encrypt(&self, plain: &str) -> Result<String, StoreError> {
        let cipher =
            Aes256Gcm::new_from_slice(&self.enc).map_err(|e| StoreError::Crypto(e.to_string()))?;
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .map_err(|_| StoreError::Crypto("加密失败".into()))?;
        let mut out = nonce.to_vec();
        out.extend(ct);
        Ok(base64::engine::general_purpose::STANDARD.encode(out))
    }

    /// Decrypts what [`Crypto::encrypt`] produced.
    pub fn decrypt(&self, stored: &str) -> Result<String, StoreError> {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(stored)
            .map_err(|_| StoreError::Crypto("密文格式错误".into()))?;
        if raw.len() < 13 {
            return Err(StoreError::Crypto("密文过短".into()));
        }
        let cipher =
            Aes256Gcm::new_from_slice(&self.enc).map_err(|e| StoreError::Crypto(e.to_string()))?;
        let plain = cipher
            .decrypt(Nonce::from_slice(&raw[..12]), &raw[12..])
            .map_err(|_| StoreError::Crypto("解密失败（密钥不符？）".into()))?;
        String::from_utf8(plain).map_err(|_| StoreError::Crypto("解密结果不是文本".into()))
    }

    /// Keyed hash for exact-match search without storing the plain value.
    pub fn blind_index(&self, value: &str) -> String {
        match <HmacSha256 as Mac>::new_from_slice(&self.mac) {
            Ok(mut m) => {
                m.update(value.as_bytes());
                hex::encode(m.finalize().into_bytes())
            }
            Err(_) => String::new(),
        }
    }
}

/// Whether the database already holds data tied to a key: the key check value written at
/// its first opening, or member records (whose ID numbers are encrypted). A missing SQLite
/// file or a schema not created yet hold none.
pub async fn database_has_key(db_url: &str) -> Result<bool, StoreError> {
    if let Some(p) = crate::db::sqlite_path(db_url) {
        if !p.exists() || std::fs::metadata(&p).is_ok_and(|m| m.len() == 0) {
            return Ok(false);
        }
    } else if db_url.starts_with("sqlite:") {
        return Ok(false);
    }
    let db = crate::db::Db::connect(db_url).await?;
    let check: Result<i64, _> =
        sqlx::query_scalar("SELECT COUNT(*) FROM settings WHERE key = 'key_check'")
            .fetch_one(db.pool())
            .await;
    let members: Result<i64, _> = sqlx::query_scalar("SELECT COUNT(*) FROM members")
        .fetch_one(db.pool())
        .await;
    db.close().await;
    // Absent tables (a database never opened by Jiceng) hold no key.
    Ok(check.unwrap_or(0) > 0 || members.unwrap_or(0) > 0)
}

/// Whether a file can be read or written by users other than its owner (group or other
/// permission bits set; always false off Unix).
pub fn readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Writes a new key file (hex), readable by its owner only (0600); refuses to overwrite.
pub fn write_key_file(path: &Path, hex_key: &str) -> Result<(), StoreError> {
    write_private(path, hex_key)
}

/// Writes a file readable by its owner only.
fn write_private(path: &Path, content: &str) -> Result<(), StoreError> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Crypto(format!("无法创建目录 {}: {e}", dir.display())))?;
        }
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| StoreError::Crypto(format!("无法创建密钥文件 {}: {e}", path.display())))?;
    f.write_all(content.as_bytes())
        .map_err(|e| StoreError::Crypto(format!("无法写入密钥文件: {e}")))?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_index() {
        let c = Crypto::new(&[7u8; 32]).unwrap();
        let a = c.encrypt("11010519491231002X").unwrap();
        let b = c.encrypt("11010519491231002X").unwrap();
        assert_ne!(a, b, "random nonce");
        assert_eq!(c.decrypt(&a).unwrap(), "11010519491231002X");
        assert_eq!(c.blind_index("x"), c.blind_index("x"));
        assert_ne!(c.blind_index("x"), c.blind_index("y"));
        let other = Crypto::new(&[8u8; 32]).unwrap();
        assert!(other.decrypt(&a).is_err());
    }

    #[test]
    fn key_file_is_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.key");
        let c1 = Crypto::load_or_create(&p).unwrap();
        let c2 = Crypto::load_or_create(&p).unwrap();
        assert_eq!(c1.blind_index("a"), c2.blind_index("a"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            assert!(!readable_by_others(&p));
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(readable_by_others(&p));
        }
        assert!(Crypto::load(&dir.path().join("none.key"))
            .unwrap()
            .is_none());
        assert!(!dir.path().join("none.key").exists(), "load never creates");
    }
}
