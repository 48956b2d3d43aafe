//! 两新组织 registry and Party coverage.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::new_org::{CoverageReport, NewNewOrg, NewOrgFilter, NewOrgPatch, NewOrgView};
use jiceng_store::Page;

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::routes::stats::{as_of_or_today, default_org, SummaryQuery};
use crate::AppState;

/// The registry within the caller's scope: units with their coverage and the rules their
/// coverage breaks (≥3 full members without an org of their own; joint branches over 5 units).
#[utoipa::path(get, operation_id = "new_org_list", path = "/api/v1/new-orgs", tag = "new_org", params(NewOrgFilter),
    responses((status = 200, body = Page<NewOrgView>), (status = 404, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(f): Query<NewOrgFilter>,
) -> ApiResult<axum::Json<Page<NewOrgView>>> {
    Ok(axum::Json(s.store.list_new_orgs(&c.scope, &f).await?))
}

/// Registers a unit under an org the caller may edit.
#[utoipa::path(post, operation_id = "new_org_create", path = "/api/v1/new-orgs", tag = "new_org", request_body = NewNewOrg,
    responses((status = 201, body = NewOrgView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    c: Caller,
    Json(n): Json<NewNewOrg>,
) -> ApiResult<(StatusCode, axum::Json<NewOrgView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_new_org(&c.scope, &n).await?),
    ))
}

/// One unit.
#[utoipa::path(get, operation_id = "new_org_get", path = "/api/v1/new-orgs/{id}", tag = "new_org", params(("id" = i64, Path)),
    responses((status = 200, body = NewOrgView), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<NewOrgView>> {
    Ok(axum::Json(s.store.get_new_org(&c.scope, id).await?))
}

/// Changes a unit; a coverage change needs its effective date; stale `version` → 409.
#[utoipa::path(patch, operation_id = "new_org_update", path = "/api/v1/new-orgs/{id}", tag = "new_org", params(("id" = i64, Path)), request_body = NewOrgPatch,
    responses((status = 200, body = NewOrgView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(p): Json<NewOrgPatch>,
) -> ApiResult<axum::Json<NewOrgView>> {
    Ok(axum::Json(s.store.update_new_org(&c.scope, id, &p).await?))
}

/// Coverage rates of a subtree on a date (组织覆盖率 = own + joint, 工作覆盖率 = + liaison),
/// by kind of unit and for units above designated size.
#[utoipa::path(get, operation_id = "stats_coverage", path = "/api/v1/stats/coverage", tag = "stats", params(SummaryQuery),
    responses((status = 200, body = CoverageReport), (status = 404, body = Problem)))]
pub async fn coverage(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<SummaryQuery>,
) -> ApiResult<axum::Json<CoverageReport>> {
    let as_of = as_of_or_today(&s, q.as_of.as_deref()).await?;
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    Ok(axum::Json(s.store.coverage(&c.scope, org, as_of).await?))
}
