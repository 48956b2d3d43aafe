//! Org tree endpoints.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::org::{
    NewOrg, NewSeat, OrgEvent, OrgFilter, OrgFit, OrgHits, OrgPatch, OrgView, Seat,
};
use jiceng_store::report::OrgWarning;
use jiceng_store::{Page, Paging};
use serde::Deserialize;

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::AppState;

/// Org list query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OrgQuery {
    /// Limit to this subtree.
    pub under: Option<i64>,
    /// Name contains.
    pub q: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// Field code.
    pub field: Option<String>,
    /// Include dissolved orgs.
    pub include_dissolved: Option<bool>,
    /// Page (from 1).
    pub page: Option<i64>,
    /// Page size (≤ 500).
    pub page_size: Option<i64>,
}

/// Org picker search query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OrgSearchQuery {
    /// Name, short name, pinyin initials (`zsc`) or pinyin; empty: the first orgs in tree order.
    pub q: Option<String>,
    /// `basic` = only orgs that hold members (not 党小组); `any` (default) = every live org.
    pub fit: Option<String>,
    /// At most this many (default 20, ≤ 50).
    pub limit: Option<i64>,
}

/// Move request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MoveRequest {
    /// New parent.
    pub parent_id: i64,
    /// Effective date.
    pub date: String,
    /// Version read.
    pub version: i64,
}

/// Dissolve request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DissolveRequest {
    /// Effective date.
    pub date: String,
    /// Version read.
    pub version: i64,
}

/// End-of-seat request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EndSeatRequest {
    /// Date the person left the post.
    pub date: String,
}

/// Warnings query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct WarningQuery {
    /// Limit to this subtree.
    pub org: Option<i64>,
    /// Date the rules run on (default: the deployment's today).
    pub as_of: Option<String>,
}

/// Lists the caller's orgs in tree order, the top of its scope first.
#[utoipa::path(get, operation_id = "org_list", path = "/api/v1/orgs", tag = "org", params(OrgQuery),
    responses((status = 200, body = Page<OrgView>), (status = 401, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<OrgQuery>,
) -> ApiResult<axum::Json<Page<OrgView>>> {
    let f = OrgFilter {
        under: q.under,
        q: q.q,
        kind: q.kind,
        field: q.field,
        include_dissolved: q.include_dissolved.unwrap_or(false),
    };
    Ok(axum::Json(
        s.store
            .list_orgs(&c.scope, &f, Paging::new(q.page, q.page_size))
            .await?,
    ))
}

/// The org picker's search within the caller's scope: live orgs by name, short name,
/// pinyin initials or pinyin, best matches first, each with the names along its path.
#[utoipa::path(get, operation_id = "org_search", path = "/api/v1/orgs/search", tag = "org", params(OrgSearchQuery),
    responses((status = 200, body = OrgHits), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn search(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<OrgSearchQuery>,
) -> ApiResult<axum::Json<OrgHits>> {
    let fit = OrgFit::parse(q.fit.as_deref())?;
    Ok(axum::Json(
        s.store
            .search_orgs(&c.scope, q.q.as_deref().unwrap_or(""), fit, q.limit)
            .await?,
    ))
}

/// Creates an org under a parent in scope.
#[utoipa::path(post, operation_id = "org_create", path = "/api/v1/orgs", tag = "org", request_body = NewOrg,
    responses((status = 201, body = OrgView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    c: Caller,
    Json(n): Json<NewOrg>,
) -> ApiResult<(StatusCode, axum::Json<OrgView>)> {
    if n.parent_id.is_none() {
        return Err(crate::error::ApiError::bad_request(
            "org.parent_required",
            "请指定上级党组织",
        ));
    }
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_org(&c.scope, &n).await?),
    ))
}

/// Reads an org.
#[utoipa::path(get, operation_id = "org_get", path = "/api/v1/orgs/{id}", tag = "org", params(("id" = i64, Path)),
    responses((status = 200, body = OrgView), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<OrgView>> {
    Ok(axum::Json(s.store.get_org(&c.scope, id).await?))
}

/// Edits or renames an org (stale `version` → 409).
#[utoipa::path(patch, operation_id = "org_update", path = "/api/v1/orgs/{id}", tag = "org", params(("id" = i64, Path)), request_body = OrgPatch,
    responses((status = 200, body = OrgView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(p): Json<OrgPatch>,
) -> ApiResult<axum::Json<OrgView>> {
    Ok(axum::Json(s.store.update_org(&c.scope, id, &p).await?))
}

/// Moves an org and its subtree.
#[utoipa::path(post, operation_id = "org_move_org", path = "/api/v1/orgs/{id}/move", tag = "org", params(("id" = i64, Path)), request_body = MoveRequest,
    responses((status = 200, body = OrgView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn move_org(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(r): Json<MoveRequest>,
) -> ApiResult<axum::Json<OrgView>> {
    Ok(axum::Json(
        s.store
            .move_org(&c.scope, id, r.parent_id, &r.date, r.version)
            .await?,
    ))
}

/// Dissolves an org.
#[utoipa::path(post, operation_id = "org_dissolve", path = "/api/v1/orgs/{id}/dissolve", tag = "org", params(("id" = i64, Path)), request_body = DissolveRequest,
    responses((status = 200, body = OrgView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn dissolve(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(r): Json<DissolveRequest>,
) -> ApiResult<axum::Json<OrgView>> {
    Ok(axum::Json(
        s.store
            .dissolve_org(&c.scope, id, &r.date, r.version)
            .await?,
    ))
}

/// Live children with member counts.
#[utoipa::path(get, operation_id = "org_children", path = "/api/v1/orgs/{id}/children", tag = "org", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<OrgView>), (status = 404, body = Problem)))]
pub async fn children(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<OrgView>>> {
    Ok(axum::Json(s.store.children(&c.scope, id).await?))
}

/// The org's dated history.
#[utoipa::path(get, operation_id = "org_events", path = "/api/v1/orgs/{id}/events", tag = "org", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<OrgEvent>), (status = 404, body = Problem)))]
pub async fn events(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<OrgEvent>>> {
    Ok(axum::Json(s.store.org_events(&c.scope, id).await?))
}

/// The committee (班子).
#[utoipa::path(get, operation_id = "org_committee", path = "/api/v1/orgs/{id}/committee", tag = "org", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Seat>), (status = 404, body = Problem)))]
pub async fn committee(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Seat>>> {
    Ok(axum::Json(s.store.committee(&c.scope, id).await?))
}

/// Adds a committee seat.
#[utoipa::path(post, operation_id = "org_add_seat", path = "/api/v1/orgs/{id}/committee", tag = "org", params(("id" = i64, Path)), request_body = NewSeat,
    responses((status = 201, body = Seat), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_seat(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(n): Json<NewSeat>,
) -> ApiResult<(StatusCode, axum::Json<Seat>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.add_seat(&c.scope, id, &n).await?),
    ))
}

/// Ends a committee seat.
#[utoipa::path(post, operation_id = "org_end_seat", path = "/api/v1/orgs/{id}/committee/{seat_id}/end", tag = "org",
    params(("id" = i64, Path), ("seat_id" = i64, Path)), request_body = EndSeatRequest,
    responses((status = 200, body = Seat), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn end_seat(
    State(s): State<AppState>,
    c: Caller,
    Path((id, seat)): Path<(i64, i64)>,
    Json(r): Json<EndSeatRequest>,
) -> ApiResult<axum::Json<Seat>> {
    Ok(axum::Json(
        s.store.end_seat(&c.scope, id, seat, &r.date).await?,
    ))
}

/// Structural and re-election warnings (预警) for the caller's orgs.
#[utoipa::path(get, operation_id = "org_warnings", path = "/api/v1/warnings", tag = "org", params(WarningQuery),
    responses((status = 200, body = Vec<OrgWarning>), (status = 401, body = Problem)))]
pub async fn warnings(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<WarningQuery>,
) -> ApiResult<axum::Json<Vec<OrgWarning>>> {
    let today = match q.as_of {
        Some(d) => jiceng_store::parse_date(&d, "预警")?,
        None => s.store.reference_date().await?,
    };
    Ok(axum::Json(s.store.warnings(&c.scope, q.org, today).await?))
}

/// Alerts query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AlertsQuery {
    /// Subtree (default: the top of the caller's scope).
    pub org: Option<i64>,
    /// Items due within this many days (default 30); overdue ones always.
    pub days: Option<i64>,
}

/// The 预警 list of a subtree: org structure, development steps, floating members out of
/// contact, transfers long in transit, rectification plans — overdue first, then by date.
#[utoipa::path(get, operation_id = "org_alerts", path = "/api/v1/alerts", tag = "org", params(AlertsQuery),
    responses((status = 200, body = [jiceng_store::alerts::Alert]), (status = 404, body = Problem)))]
pub async fn alerts(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<AlertsQuery>,
) -> ApiResult<axum::Json<Vec<jiceng_store::alerts::Alert>>> {
    let org = q
        .org
        .map_or_else(|| crate::routes::stats::default_org(&c), Ok)?;
    Ok(axum::Json(
        s.store.alerts(&c.scope, org, q.days.unwrap_or(30)).await?,
    ))
}
