//! Audit trail: every write records who, when, from where, which record, before and after,
//! in the same transaction as the change. Rows are hash-chained so that any edit, deletion
//! or truncation is detected by [`verify`].

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::auth::Scope;
use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::sql::{path_upper, Sql};

/// The genesis hash (before the first row).
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry about to be written.
pub struct Entry<'a> {
    /// Dotted action, e.g. `member.update`.
    pub action: &'a str,
    /// Entity table, e.g. `member`.
    pub entity: &'a str,
    /// Entity id.
    pub entity_id: Option<String>,
    /// Org path the record belongs to (for scoped reading of the log).
    pub scope_path: Option<String>,
    /// State before the change.
    pub before: Option<Value>,
    /// State after the change.
    pub after: Option<Value>,
}

#[allow(clippy::too_many_arguments)]
fn row_hash(
    prev: &str,
    seq: i64,
    at: &str,
    actor_id: Option<i64>,
    actor_name: &str,
    client_addr: Option<&str>,
    action: &str,
    entity: &str,
    entity_id: Option<&str>,
    scope_path: Option<&str>,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let canonical = serde_json::json!([
        prev,
        seq,
        at,
        actor_id,
        actor_name,
        client_addr,
        action,
        entity,
        entity_id,
        scope_path,
        before,
        after
    ])
    .to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Appends an entry inside the caller's transaction. Taking the head row first serializes
/// writers on PostgreSQL so that the chain never forks.
pub async fn record(tx: &mut Tx, scope: &Scope, e: Entry<'_>) -> Result<i64> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = head.try_get(0)?;
    let prev: String = head.try_get(1)?;
    let at = crate::now_ts();
    let before = e.before.map(|v| v.to_string());
    let after = e.after.map(|v| v.to_string());
    let hash = row_hash(
        &prev,
        seq,
        &at,
        scope.user_id,
        &scope.username,
        scope.client_addr.as_deref(),
        e.action,
        e.entity,
        e.entity_id.as_deref(),
        e.scope_path.as_deref(),
        before.as_deref(),
        after.as_deref(),
    );
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, actor_name, client_addr, action, entity, entity_id, scope_path, before_json, after_json, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(seq)
    .bind(&at)
    .bind(scope.user_id)
    .bind(&scope.username)
    .bind(scope.client_addr.clone())
    .bind(e.action)
    .bind(e.entity)
    .bind(e.entity_id)
    .bind(e.scope_path)
    .bind(before)
    .bind(after)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(seq)
}

/// Result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Rows checked.
    pub rows: i64,
    /// First bad row and why, if any.
    pub first_bad: Option<(i64, String)>,
}

/// Re-computes the whole chain.
pub async fn verify(db: &Db) -> Result<VerifyReport> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query(
        "SELECT seq, at, actor_id, actor_name, client_addr, action, entity, entity_id, scope_path, before_json, after_json, prev_hash, hash FROM audit_log ORDER BY seq",
    )
    .fetch(db.pool());
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    let mut n = 0i64;
    while let Some(r) = rows.try_next().await? {
        n += 1;
        let seq: i64 = r.try_get(0)?;
        if seq != expected_seq {
            return Ok(VerifyReport {
                rows: n,
                first_bad: Some((
                    expected_seq,
                    format!("第 {expected_seq} 条缺失（下一条为 {seq}）"),
                )),
            });
        }
        let stored_prev: String = r.try_get(11)?;
        let stored_hash: String = r.try_get(12)?;
        let actor_id: Option<i64> = r.try_get(2)?;
        let client: Option<String> = r.try_get(4)?;
        let entity_id: Option<String> = r.try_get(7)?;
        let scope_path: Option<String> = r.try_get(8)?;
        let before: Option<String> = r.try_get(9)?;
        let after: Option<String> = r.try_get(10)?;
        let h = row_hash(
            &prev,
            seq,
            &r.try_get::<String, _>(1)?,
            actor_id,
            &r.try_get::<String, _>(3)?,
            client.as_deref(),
            &r.try_get::<String, _>(5)?,
            &r.try_get::<String, _>(6)?,
            entity_id.as_deref(),
            scope_path.as_deref(),
            before.as_deref(),
            after.as_deref(),
        );
        if stored_prev != prev {
            return Ok(VerifyReport {
                rows: n,
                first_bad: Some((seq, format!("第 {seq} 条的前序哈希与链不符"))),
            });
        }
        if h != stored_hash {
            return Ok(VerifyReport {
                rows: n,
                first_bad: Some((seq, format!("第 {seq} 条内容被修改（哈希不符）"))),
            });
        }
        prev = stored_hash;
        expected_seq += 1;
    }
    drop(rows);
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(db.pool())
        .await?;
    let head_seq: i64 = head.try_get(0)?;
    let head_hash: String = head.try_get(1)?;
    if head_seq != expected_seq - 1 || head_hash != prev {
        return Ok(VerifyReport {
            rows: n,
            first_bad: Some((
                expected_seq,
                format!("日志在第 {} 条之后被截断或链头被修改", expected_seq - 1),
            )),
        });
    }
    Ok(VerifyReport {
        rows: n,
        first_bad: None,
    })
}

/// One row of the audit log as shown to auditors.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    /// Sequence number.
    pub seq: i64,
    /// Time (RFC 3339, UTC).
    pub at: String,
    /// Acting user id.
    pub actor_id: Option<i64>,
    /// Acting user name.
    pub actor_name: String,
    /// Client address.
    pub client_addr: Option<String>,
    /// Action code.
    pub action: String,
    /// Entity kind.
    pub entity: String,
    /// Entity id.
    pub entity_id: Option<String>,
    /// Before (JSON).
    #[schema(value_type = Object)]
    pub before: Option<Value>,
    /// After (JSON).
    #[schema(value_type = Object)]
    pub after: Option<Value>,
}

/// Filters for reading the log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Actor user name (exact).
    pub actor: Option<String>,
    /// Entity kind.
    pub entity: Option<String>,
    /// Entity id.
    pub entity_id: Option<String>,
    /// From date (inclusive, YYYY-MM-DD).
    pub from: Option<String>,
    /// To date (inclusive, YYYY-MM-DD).
    pub to: Option<String>,
}

/// Reads the log within the caller's scope (auditor roles only), newest first.
pub async fn list(
    db: &Db,
    scope: &Scope,
    f: &AuditFilter,
    page: crate::Paging,
) -> Result<crate::Page<AuditRow>> {
    if !scope.may_read_audit() {
        return Err(StoreError::Forbidden);
    }
    let build = |w: &mut Sql| {
        w.push(" FROM audit_log WHERE 1=1");
        if !scope.is_system() {
            w.push(" AND (");
            let roots = scope.audit_roots();
            if roots.is_empty() {
                w.push("1=0");
            }
            // Deployment-wide rows (settings, system jobs) belong to whoever audits the root.
            if roots.iter().any(|r| r.matches('/').count() == 2) {
                w.push("scope_path IS NULL OR ");
            }
            for (i, p) in roots.iter().enumerate() {
                if i > 0 {
                    w.push(" OR ");
                }
                w.push("(scope_path >= ")
                    .bind(p.as_str())
                    .push(" AND scope_path < ")
                    .bind(path_upper(p))
                    .push(")");
            }
            w.push(")");
        }
        if let Some(a) = &f.actor {
            w.push(" AND actor_name = ").bind(a.as_str());
        }
        if let Some(e) = &f.entity {
            w.push(" AND entity = ").bind(e.as_str());
        }
        if let Some(e) = &f.entity_id {
            w.push(" AND entity_id = ").bind(e.as_str());
        }
        if let Some(d) = &f.from {
            w.push(" AND at >= ").bind(d.as_str());
        }
        if let Some(d) = &f.to {
            w.push(" AND at < ").bind(format!("{d}T99"));
        }
    };
    let mut count = Sql::new("SELECT COUNT(*)");
    build(&mut count);
    let total: i64 = count.scalar::<i64>().fetch_one(db.pool()).await?;
    let mut q = Sql::new(
        "SELECT seq, at, actor_id, actor_name, client_addr, action, entity, entity_id, before_json, after_json",
    );
    build(&mut q);
    q.push(" ORDER BY seq DESC LIMIT ")
        .bind(page.limit())
        .push(" OFFSET ")
        .bind(page.offset());
    let rows = q.query().fetch_all(db.pool()).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let before: Option<String> = r.try_get(8)?;
        let after: Option<String> = r.try_get(9)?;
        items.push(AuditRow {
            seq: r.try_get(0)?,
            at: r.try_get(1)?,
            actor_id: r.try_get(2)?,
            actor_name: r.try_get(3)?,
            client_addr: r.try_get(4)?,
            action: r.try_get(5)?,
            entity: r.try_get(6)?,
            entity_id: r.try_get(7)?,
            before: before.and_then(|s| serde_json::from_str(&s).ok()),
            after: after.and_then(|s| serde_json::from_str(&s).ok()),
        });
    }
    Ok(crate::Page::new(items, total, page))
}
