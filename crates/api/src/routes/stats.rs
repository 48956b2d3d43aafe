//! Statistics endpoints (党内统计).

use axum::extract::State;
use serde::Deserialize;

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Query};
use crate::AppState;

/// Summary query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SummaryQuery {
    /// Subtree root (default: the top of the caller's scope).
    pub org: Option<i64>,
    /// As-of date (default: the deployment's today).
    pub as_of: Option<String>,
}

/// The summary report of a subtree on a date: members by status, gender, age, education,
/// occupation, join era; orgs by kind, field and setup mode; village cadres.
#[utoipa::path(get, operation_id = "stats_summary", path = "/api/v1/stats/summary", tag = "stats", params(SummaryQuery),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
pub async fn summary(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<SummaryQuery>,
) -> ApiResult<axum::Json<jiceng_stats::summary::Summary>> {
    let as_of = match q.as_of {
        Some(d) => jiceng_store::parse_date(&d, "统计截止")?,
        None => s.store.reference_date().await?,
    };
    let org = match q.org {
        Some(o) => o,
        None => c
            .user
            .roles
            .iter()
            .find(|g| c.scope.allows(jiceng_store::Action::StatsRead, &g.path))
            .map(|g| g.org_id)
            .ok_or_else(crate::error::ApiError::not_found)?,
    };
    Ok(axum::Json(s.store.summary(&c.scope, org, as_of).await?))
}
