//! Audit log reading (auditor roles only, within their subtrees).

use axum::extract::State;
use jiceng_store::audit::{AuditFilter, AuditRow};
use jiceng_store::{Page, Paging};
use serde::Deserialize;

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Query};
use crate::AppState;

/// Audit query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Actor user name.
    pub actor: Option<String>,
    /// Entity kind (`org`, `member`, `user`, …).
    pub entity: Option<String>,
    /// Entity id.
    pub entity_id: Option<String>,
    /// From date (YYYY-MM-DD, inclusive).
    pub from: Option<String>,
    /// To date (YYYY-MM-DD, inclusive).
    pub to: Option<String>,
    /// Page.
    pub page: Option<i64>,
    /// Page size.
    pub page_size: Option<i64>,
}

/// Reads the audit log, newest first.
#[utoipa::path(get, operation_id = "audit_list", path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Page<AuditRow>), (status = 403, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<AuditQuery>,
) -> ApiResult<axum::Json<Page<AuditRow>>> {
    for d in [&q.from, &q.to].into_iter().flatten() {
        jiceng_store::parse_date(d, "查询")?;
    }
    let f = AuditFilter {
        actor: q.actor,
        entity: q.entity,
        entity_id: q.entity_id,
        from: q.from,
        to: q.to,
    };
    Ok(axum::Json(
        jiceng_store::audit::list(&s.store.db, &c.scope, &f, Paging::new(q.page, q.page_size))
            .await?,
    ))
}
