//! Key–value deployment settings kept in the database (e.g. the reference date of a demo).

use crate::audit::{self, Entry};
use crate::auth::Scope;
use crate::error::Result;
use crate::Store;

impl Store {
    /// Reads a setting.
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(self.db.pool())
                .await?,
        )
    }

    /// Writes a setting (audited).
    pub async fn set_setting(&self, scope: &Scope, key: &str, value: &str) -> Result<()> {
        let before = self.setting(key).await?;
        let mut tx = self.db.begin().await?;
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "settings.set",
                entity: "setting",
                entity_id: Some(key.to_string()),
                scope_path: None,
                before: before.map(serde_json::Value::String),
                after: Some(serde_json::Value::String(value.to_string())),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The date that "today" means for this deployment: the `reference_date` setting when
    /// present (a historical demo), otherwise the real date.
    pub async fn reference_date(&self) -> Result<chrono::NaiveDate> {
        Ok(self
            .setting("reference_date")
            .await?
            .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
            .unwrap_or_else(crate::today))
    }
}
