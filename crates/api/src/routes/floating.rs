//! 流动党员 (issue 5): outbound registrations, contact log, return, cancellation, 失联 and
//! temporary-branch suggestions. The rules are in `jiceng_domain::floating` and the store.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::floating::{
    FloatingAction, FloatingDetail, FloatingFilter, FloatingView, NewFloating, NewFloatingContact,
    TemporaryBranchSuggestions,
};
use jiceng_store::Page;
use serde::Deserialize;

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::AppState;

/// Registrations of the home side (`direction=out`), the receiving side (`in`) or either,
/// with the last contact, the days since and `due_lost_contact` (6 months without contact:
/// proposed for 失联 confirmation).
#[utoipa::path(get, operation_id = "floating_list", path = "/api/v1/floating", tag = "floating", params(FloatingFilter),
    responses((status = 200, body = Page<FloatingView>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(f): Query<FloatingFilter>,
) -> ApiResult<axum::Json<Page<FloatingView>>> {
    Ok(axum::Json(s.store.list_floating(&c.scope, &f).await?))
}

/// Registers a member going away with a 流动党员活动证 (writes their `floating_out` event);
/// a stale member `version` gets 409.
#[utoipa::path(post, operation_id = "floating_register", path = "/api/v1/floating", tag = "floating", request_body = NewFloating,
    responses((status = 201, body = FloatingDetail), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    State(s): State<AppState>,
    c: Caller,
    Json(n): Json<NewFloating>,
) -> ApiResult<(StatusCode, axum::Json<FloatingDetail>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.register_floating(&c.scope, &n).await?),
    ))
}

/// Suggestion query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SuggestionQuery {
    /// Subtree (default: the caller's scope).
    pub org: Option<i64>,
}

/// Groups of ≥3 members away from one org to the same place (by division code when given,
/// else by the normalized destination): a temporary branch or group is suggested.
#[utoipa::path(get, operation_id = "floating_suggestions", path = "/api/v1/floating/suggestions", tag = "floating", params(SuggestionQuery),
    responses((status = 200, body = TemporaryBranchSuggestions), (status = 404, body = Problem)))]
pub async fn suggestions(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<SuggestionQuery>,
) -> ApiResult<axum::Json<TemporaryBranchSuggestions>> {
    Ok(axum::Json(
        s.store.floating_suggestions(&c.scope, q.org).await?,
    ))
}

/// One registration with its contact log.
#[utoipa::path(get, operation_id = "floating_get", path = "/api/v1/floating/{id}", tag = "floating", params(("id" = i64, Path)),
    responses((status = 200, body = FloatingDetail), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<FloatingDetail>> {
    Ok(axum::Json(s.store.get_floating(&c.scope, id).await?))
}

/// Logs a contact (home or receiving org); a contact on or after the 失联 date ends it.
#[utoipa::path(post, operation_id = "floating_contact", path = "/api/v1/floating/{id}/contacts", tag = "floating", params(("id" = i64, Path)), request_body = NewFloatingContact,
    responses((status = 201, body = FloatingDetail), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn contact(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(n): Json<NewFloatingContact>,
) -> ApiResult<(StatusCode, axum::Json<FloatingDetail>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.add_floating_contact(&c.scope, id, &n).await?),
    ))
}

/// The member came back (writes `floating_back`).
#[utoipa::path(post, operation_id = "floating_return", path = "/api/v1/floating/{id}/return", tag = "floating", params(("id" = i64, Path)), request_body = FloatingAction,
    responses((status = 200, body = FloatingDetail), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn return_(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(a): Json<FloatingAction>,
) -> ApiResult<axum::Json<FloatingDetail>> {
    Ok(axum::Json(s.store.return_floating(&c.scope, id, &a).await?))
}

/// Confirms 失联 with a cause code, once 6 months have passed without contact.
#[utoipa::path(post, operation_id = "floating_lost", path = "/api/v1/floating/{id}/lost", tag = "floating", params(("id" = i64, Path)), request_body = FloatingAction,
    responses((status = 200, body = FloatingDetail), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn lost(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(a): Json<FloatingAction>,
) -> ApiResult<axum::Json<FloatingDetail>> {
    Ok(axum::Json(
        s.store.mark_floating_lost(&c.scope, id, &a).await?,
    ))
}

/// Ends a registration without a return, with a reason (e.g. the membership was
/// transferred to the destination).
#[utoipa::path(post, operation_id = "floating_cancel", path = "/api/v1/floating/{id}/cancel", tag = "floating", params(("id" = i64, Path)), request_body = FloatingAction,
    responses((status = 200, body = FloatingDetail), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(a): Json<FloatingAction>,
) -> ApiResult<axum::Json<FloatingDetail>> {
    Ok(axum::Json(s.store.cancel_floating(&c.scope, id, &a).await?))
}
