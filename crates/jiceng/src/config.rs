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

/// The key: `JICENG_KEY` (64 hex) if set, else the key file (created when missing).
pub fn load_key(db_url: &str, key_file: Option<&Path>) -> Result<Crypto, StoreError> {
    if let Ok(hex) = std::env::var("JICENG_KEY") {
        return Crypto::from_hex(&hex);
    }
    let path = key_file
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_key_path(db_url));
    Crypto::load_or_create(&path)
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
