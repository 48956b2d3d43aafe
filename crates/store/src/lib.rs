//! Jiceng store: the database behind every capability.
//!
//! One code path over SQLite and PostgreSQL; one repository module per business area,
//! each taking the caller's [`auth::Scope`] and writing its audit entry in the same
//! transaction as the change.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod alerts;
pub mod annual;
pub mod appraisal;
pub mod audit;
pub mod auth;
pub mod bulk;
pub mod calendar;
pub mod crypto;
pub mod db;
pub mod development;
pub mod engine_load;
pub mod error;
pub mod floating;
pub mod member;
pub mod migrate;
pub mod new_org;
pub mod org;
pub mod org_life;
pub mod rating;
pub mod rectification;
pub mod report;
pub mod secretary_eval;
pub mod settings;
pub mod sql;
pub mod stats_handle;
pub mod transfer;

pub use auth::{Action, Role, Scope};
pub use db::{Backend, Db};
pub use error::{Result, StoreError};

use serde::Serialize;

/// The store: database plus the field-encryption keys.
#[derive(Clone, Debug)]
pub struct Store {
    /// Database handle.
    pub db: Db,
    /// Field encryption.
    pub crypto: crypto::Crypto,
    /// The statistics engine (off until [`Store::enable_engine`]; shared by clones).
    pub stats: stats_handle::StatsHandle,
}

impl Store {
    /// Opens a database, applies migrations.
    pub async fn open(url: &str, crypto: crypto::Crypto) -> Result<Store> {
        let db = Db::connect(url).await?;
        migrate::migrate(&db).await?;
        let store = Store {
            db,
            crypto,
            stats: stats_handle::StatsHandle::default(),
        };
        store.check_key().await?;
        Ok(store)
    }

    /// Refuses a key that does not belong to this database (e.g. a restored copy opened
    /// without its key file): the first open records a check value, later opens compare.
    async fn check_key(&self) -> Result<()> {
        let check = self.crypto.blind_index("jiceng/key-check/v1");
        let stored: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind("key_check")
                .fetch_optional(self.db.pool())
                .await?;
        match stored {
            Some(s) if s == check => Ok(()),
            Some(_) => Err(StoreError::Crypto(
                "加密密钥与该数据库不符：请使用创建该数据库时生成的密钥文件（JICENG_KEY_FILE / JICENG_KEY）".into(),
            )),
            None => {
                sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
                    .bind("key_check")
                    .bind(check)
                    .execute(self.db.pool())
                    .await?;
                Ok(())
            }
        }
    }

    /// Whether the database holds any org yet (demo refuses to overwrite a used database).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orgs")
            .fetch_one(self.db.pool())
            .await?;
        let u: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(self.db.pool())
            .await?;
        Ok(n == 0 && u == 0)
    }
}

/// Now as stored: RFC 3339 UTC with milliseconds (sorts as text).
pub fn now_ts() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Today's date (UTC+8, China Standard Time, which is what dates mean to users).
pub fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// Paging request (1-based page).
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// Page number, from 1.
    pub page: i64,
    /// Items per page (1–500).
    pub page_size: i64,
}

impl Paging {
    /// Clamped paging.
    pub fn new(page: Option<i64>, page_size: Option<i64>) -> Paging {
        Paging {
            page: page.unwrap_or(1).max(1),
            page_size: page_size.unwrap_or(20).clamp(1, 500),
        }
    }
    /// SQL LIMIT.
    pub fn limit(&self) -> i64 {
        self.page_size
    }
    /// SQL OFFSET.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.page_size
    }
}

impl Default for Paging {
    fn default() -> Self {
        Paging::new(None, None)
    }
}

/// A page of results: `{"items":[…],"total":N,"page":P,"page_size":S}`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Total matching items.
    pub total: i64,
    /// Page number (from 1).
    pub page: i64,
    /// Page size.
    pub page_size: i64,
}

impl<T> Page<T> {
    /// Wraps items.
    pub fn new(items: Vec<T>, total: i64, p: Paging) -> Page<T> {
        Page {
            items,
            total,
            page: p.page,
            page_size: p.page_size,
        }
    }
}

/// A trimmed optional text, `None` when empty (form fields arrive as "" or "  ").
pub(crate) fn opt_trim(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
}

/// Parses `YYYY-MM-DD` with a field-specific error.
pub fn parse_date(text: &str, field: &'static str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        StoreError::invalid(
            "date_invalid",
            format!("{field}日期格式应为 YYYY-MM-DD：{text}"),
        )
    })
}
