//! Configuration helpers: logging and the encryption key.

use std::path::{Path, PathBuf};

use jiceng_store::crypto::Crypto;
use jiceng_store::StoreError;

/// Logs to stderr; `JICENG_LOG` (or `RUST_LOG`) sets the filter. Never logs request bodies.
pub fn init_tracing() {
    let filter = std::env::var("JICENG_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .try_init();
}

/// Where the key file lives when none is configured: beside the SQLite file, or in the
/// working directory for PostgreSQL.
pub fn default_key_path(db_url: &str) -> PathBuf {
    match jiceng_store::db::sqlite_path(db_url) {
        Some(p) => {
            let mut s = p.into_os_string();
            s.push(".key");
            PathBuf::from(s)
        }
        None => PathBuf::from("jiceng.key"),
    }
}

/// The key to open the database with.
pub enum Key {
    /// From `JICENG_KEY` or an existing key file.
    Ready(Crypto),
    /// No key file yet: a new key, to be written to `path` only once the database is known
    /// to hold none (see `jiceng_store::crypto::database_has_key`).
    New {
        /// The new key.
        crypto: Crypto,
        /// Its hex form, the file's content.
        hex: String,
        /// Where the key file goes.
        path: PathBuf,
    },
}

/// The key: `JICENG_KEY` (64 hex) if set, else the key file; when the file is missing, a
/// new key that is not written yet. An existing key file (or SQLite file) that other users
/// may read is reported on stderr and in the log.
pub fn load_key(db_url: &str, key_file: Option<&Path>) -> Result<Key, StoreError> {
    if let Ok(hex) = std::env::var("JICENG_KEY") {
        return Crypto::from_hex(&hex).map(Key::Ready);
    }
    let path = key_file
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_key_path(db_url));
    if let Some(db) = jiceng_store::db::sqlite_path(db_url) {
        warn_if_exposed(&db, "数据库文件");
    }
    match Crypto::load(&path)? {
        Some(c) => {
            warn_if_exposed(&path, "密钥文件");
            Ok(Key::Ready(c))
        }
        None => {
            let (crypto, hex) = Crypto::generate()?;
            Ok(Key::New { crypto, hex, path })
        }
    }
}

fn warn_if_exposed(path: &Path, what: &str) {
    if jiceng_store::crypto::readable_by_others(path) {
        tracing::warn!(path = %path.display(), "{what} readable by other users; set its mode to 0600");
        eprintln!(
            "警告：{what} {} 可被其他用户读取，请执行 chmod 600 {}",
            path.display(),
            path.display()
        );
    }
}

/// Resolves the key for opening `db_url`: a new key file is written only for a database
/// that holds no encrypted data yet; otherwise the open is refused and no file is touched.
pub async fn key_for(db_url: &str, key_file: Option<&Path>) -> Result<Crypto, String> {
    match load_key(db_url, key_file).map_err(|e| e.to_string())? {
        Key::Ready(c) => Ok(c),
        Key::New { crypto, hex, path } => {
            if jiceng_store::crypto::database_has_key(db_url)
                .await
                .map_err(|e| match e {
                    StoreError::Database(inner) => format!(
                        "无法打开数据库 {}: {inner}",
                        jiceng_store::db::redact_url(db_url)
                    ),
                    other => other.to_string(),
                })?
            {
                return Err(format!(
                    "密钥错误: 找不到密钥文件 {}，而数据库 {} 已用另一把密钥初始化（已有加密数据）。\
                     未生成新密钥、未改动任何文件；请用 --key-file / JICENG_KEY_FILE 指向创建该数据库时生成的密钥文件，或设置 JICENG_KEY",
                    path.display(),
                    jiceng_store::db::redact_url(db_url)
                ));
            }
            jiceng_store::crypto::write_key_file(&path, &hex).map_err(|e| e.to_string())?;
            tracing::info!(path = %path.display(), "new encryption key file written");
            Ok(crypto)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_path_beside_sqlite() {
        assert_eq!(
            default_key_path("sqlite://data/j.db"),
            PathBuf::from("data/j.db.key")
        );
        assert_eq!(
            default_key_path("postgres://u@h/db"),
            PathBuf::from("jiceng.key")
        );
    }
}
