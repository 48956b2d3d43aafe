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

    /// Loads the key file, or creates it (mode 0600) when it does not exist yet.
    pub fn load_or_create(path: &Path) -> Result<Self, StoreError> {
        if path.exists() {
            let text = std::fs::read_to_string(path).map_err(|e| {
                StoreError::Crypto(format!("无法读取密钥文件 {}: {e}", path.display()))
            })?;
            return Self::from_hex(&text);
        }
        let mut key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        write_private(path, &hex::encode(key))?;
        Self::new(&key)
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
        }
    }
}
