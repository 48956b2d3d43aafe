//! Embedded, versioned SQL migrations, one folder per dialect with matching versions.

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{Backend, Db};
use crate::error::StoreError;

/// One migration: version, name and the SQL of each dialect.
pub struct Migration {
    /// Increasing version number (the file's numeric prefix).
    pub version: i64,
    /// File name without prefix.
    pub name: &'static str,
    /// SQLite dialect.
    pub sqlite: &'static str,
    /// PostgreSQL dialect.
    pub postgres: &'static str,
}

/// All migrations, in order. Add new ones to both folders with the same number.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "member_documents",
        sqlite: include_str!("../migrations/sqlite/0002_member_documents.sql"),
        postgres: include_str!("../migrations/postgres/0002_member_documents.sql"),
    },
    Migration {
        version: 3,
        name: "member_suspended",
        sqlite: include_str!("../migrations/sqlite/0003_member_suspended.sql"),
        postgres: include_str!("../migrations/postgres/0003_member_suspended.sql"),
    },
    Migration {
        version: 4,
        name: "new_orgs",
        sqlite: include_str!("../migrations/sqlite/0004_new_orgs.sql"),
        postgres: include_str!("../migrations/postgres/0004_new_orgs.sql"),
    },
    Migration {
        version: 5,
        name: "development",
        sqlite: include_str!("../migrations/sqlite/0005_development.sql"),
        postgres: include_str!("../migrations/postgres/0005_development.sql"),
    },
    Migration {
        version: 6,
        name: "transfers",
        sqlite: include_str!("../migrations/sqlite/0006_transfers.sql"),
        postgres: include_str!("../migrations/postgres/0006_transfers.sql"),
    },
    Migration {
        version: 7,
        name: "floating",
        sqlite: include_str!("../migrations/sqlite/0007_floating.sql"),
        postgres: include_str!("../migrations/postgres/0007_floating.sql"),
    },
    Migration {
        version: 8,
        name: "ratings",
        sqlite: include_str!("../migrations/sqlite/0008_ratings.sql"),
        postgres: include_str!("../migrations/postgres/0008_ratings.sql"),
    },
    Migration {
        version: 9,
        name: "rectifications",
        sqlite: include_str!("../migrations/sqlite/0009_rectifications.sql"),
        postgres: include_str!("../migrations/postgres/0009_rectifications.sql"),
    },
    Migration {
        version: 10,
        name: "appraisals",
        sqlite: include_str!("../migrations/sqlite/0010_appraisals.sql"),
        postgres: include_str!("../migrations/postgres/0010_appraisals.sql"),
    },
    Migration {
        version: 11,
        name: "secretary_evals",
        sqlite: include_str!("../migrations/sqlite/0011_secretary_evals.sql"),
        postgres: include_str!("../migrations/postgres/0011_secretary_evals.sql"),
    },
    Migration {
        version: 12,
        name: "org_life",
        sqlite: include_str!("../migrations/sqlite/0012_org_life.sql"),
        postgres: include_str!("../migrations/postgres/0012_org_life.sql"),
    },
    Migration {
        version: 13,
        name: "appraisal_reviews",
        sqlite: include_str!("../migrations/sqlite/0013_appraisal_reviews.sql"),
        postgres: include_str!("../migrations/postgres/0013_appraisal_reviews.sql"),
    },
    Migration {
        version: 14,
        name: "rating_evidence",
        sqlite: include_str!("../migrations/sqlite/0014_rating_evidence.sql"),
        postgres: include_str!("../migrations/postgres/0014_rating_evidence.sql"),
    },
    Migration {
        version: 15,
        name: "user_admin",
        sqlite: include_str!("../migrations/sqlite/0015_user_admin.sql"),
        postgres: include_str!("../migrations/postgres/0015_user_admin.sql"),
    },
    Migration {
        version: 16,
        name: "rating_publications",
        sqlite: include_str!("../migrations/sqlite/0016_rating_publications.sql"),
        postgres: include_str!("../migrations/postgres/0016_rating_publications.sql"),
    },
];

fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

/// Applies pending migrations; refuses to run when an applied one was edited afterwards.
pub async fn migrate(db: &Db) -> Result<Vec<i64>, StoreError> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(db.pool())
    .await?;
    let rows = sqlx::query("SELECT version, checksum FROM schema_migrations ORDER BY version")
        .fetch_all(db.pool())
        .await?;
    let mut applied = std::collections::HashMap::new();
    for r in rows {
        applied.insert(r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?);
    }
    let mut done = Vec::new();
    for m in MIGRATIONS {
        let sql = match db.backend() {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        let sum = checksum(sql);
        if let Some(old) = applied.get(&m.version) {
            if *old != sum {
                return Err(StoreError::Config(format!(
                    "迁移 {} ({}) 在应用后被修改过（校验和不符）",
                    m.version, m.name
                )));
            }
            continue;
        }
        let mut tx = db.begin().await?;
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(sum)
        .bind(crate::now_ts())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        done.push(m.version);
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both dialect folders must carry the same versions (parity), and the list above
    /// must name every file in them.
    #[test]
    fn dialect_parity() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let list = |d: &str| -> Vec<String> {
            let mut v: Vec<String> = std::fs::read_dir(dir.join(d))
                .map(|it| {
                    it.filter_map(|e| e.ok())
                        .map(|e| e.file_name().to_string_lossy().to_string())
                        .collect()
                })
                .unwrap_or_default();
            v.sort();
            v
        };
        let (s, p) = (list("sqlite"), list("postgres"));
        assert!(!s.is_empty());
        assert_eq!(s, p, "sqlite and postgres migration files differ");
        assert_eq!(s.len(), MIGRATIONS.len());
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
            assert!(s[i].starts_with(&format!("{:04}_", m.version)));
        }
    }
}
