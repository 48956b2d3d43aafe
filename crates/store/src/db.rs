//! The database handle: one code path over SQLite and PostgreSQL (sqlx `Any`).
//!
//! SQL is written once with `$n` placeholders, which both SQLite and PostgreSQL accept.
//! Dialect differences live in the migrations folders only.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::str::FromStr;
use std::time::Duration;

use crate::error::StoreError;

/// Which engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (default for a county).
    Sqlite,
    /// PostgreSQL server (city, province and national deployments).
    Postgres,
}

/// Pool plus the backend it runs on.
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) pool: AnyPool,
    backend: Backend,
    url: String,
}

/// A write transaction (SQLite: `BEGIN IMMEDIATE`, so read-then-write never deadlocks).
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

impl Db {
    /// Connects to `url` (`sqlite://file.db`, `sqlite::memory:`, `postgres://…`).
    /// SQLite files are created when missing, with WAL and foreign keys on.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url)?;
        if let Some(path) = sqlite_path(url) {
            create_private(&path)?;
        }
        let (url_fixed, max) = match backend {
            Backend::Sqlite => {
                let mut u = url.to_string();
                if !u.contains("mode=") && !u.contains(":memory:") {
                    u.push_str(if u.contains('?') {
                        "&mode=rwc"
                    } else {
                        "?mode=rwc"
                    });
                }
                (u, if url.contains(":memory:") { 1 } else { 8 })
            }
            Backend::Postgres => (url.to_string(), 16),
        };
        let opts = AnyConnectOptions::from_str(&url_fixed)
            .map_err(|e| StoreError::Config(format!("数据库地址无效: {e}")))?
            .disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await?;
        Ok(Db {
            pool,
            backend,
            url: url.to_string(),
        })
    }

    /// The engine behind this handle.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL it was opened with.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    /// The pool, for reads.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes the pool (checkpoints SQLite's WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Picks the backend from a URL scheme.
pub fn backend_of(url: &str) -> Result<Backend, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::Config(format!(
            "不支持的数据库地址（应为 sqlite://文件 或 postgres://…）: {}",
            redact_url(url)
        )))
    }
}

/// The URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// Creates a missing SQLite file empty and readable by its owner only (0600) before SQLite
/// opens it: SQLite then gives its `-wal` and `-shm` files the same permissions. An
/// existing file is left as it is.
fn create_private(path: &std::path::Path) -> Result<(), StoreError> {
    if path.exists() {
        return Ok(());
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        // Raced by another opener: theirs stands.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Config(format!(
            "无法创建数据库文件 {}: {e}",
            path.display()
        ))),
    }
}

/// The SQLite file behind a `sqlite:` URL, if any.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let file = rest.split('?').next()?;
    if file.is_empty() || file.contains(":memory:") {
        return None;
    }
    Some(std::path::PathBuf::from(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(backend_of("sqlite://a.db").ok(), Some(Backend::Sqlite));
        assert_eq!(
            backend_of("postgres://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert!(backend_of("mysql://x").is_err());
        assert_eq!(
            redact_url("postgres://u:secret@h:5/db"),
            "postgres://u:***@h:5/db"
        );
        assert_eq!(
            sqlite_path("sqlite://data/j.db?mode=rwc"),
            Some(std::path::PathBuf::from("data/j.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn new_sqlite_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("p.db");
        let db = Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .expect("connect");
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(db.pool())
            .await
            .expect("write");
        for name in ["p.db", "p.db-wal", "p.db-shm"] {
            let mode = std::fs::metadata(dir.path().join(name))
                .expect(name)
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
        db.close().await;
    }
}
