//! Member endpoints (SPEC §4.2).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::member::{
    MemberEvent, MemberFilter, MemberPatch, MemberView, NewMember, NewMemberEvent,
};
use jiceng_store::Page;

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::AppState;

/// Searches the roster within scope (`org` limits to a subtree, `q` searches).
#[utoipa::path(get, path = "/api/v1/members", tag = "member", params(MemberFilter),
    responses((status = 200, body = Page<MemberView>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(f): Query<MemberFilter>,
) -> ApiResult<axum::Json<Page<MemberView>>> {
    Ok(axum::Json(s.store.list_members(&c.scope, &f).await?))
}

/// Creates a member record with its entry events.
#[utoipa::path(post, path = "/api/v1/members", tag = "member", request_body = NewMember,
    responses((status = 201, body = MemberView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    c: Caller,
    Json(n): Json<NewMember>,
) -> ApiResult<(StatusCode, axum::Json<MemberView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_member(&c.scope, &n).await?),
    ))
}

/// Reads a member (ID number masked unless the role may see it).
#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "member", params(("id" = i64, Path)),
    responses((status = 200, body = MemberView), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<MemberView>> {
    Ok(axum::Json(s.store.get_member(&c.scope, id).await?))
}

/// Edits a member's attributes (stale `version` → 409).
#[utoipa::path(patch, path = "/api/v1/members/{id}", tag = "member", params(("id" = i64, Path)), request_body = MemberPatch,
    responses((status = 200, body = MemberView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(p): Json<MemberPatch>,
) -> ApiResult<axum::Json<MemberView>> {
    Ok(axum::Json(s.store.update_member(&c.scope, id, &p).await?))
}

/// The member's dated history.
#[utoipa::path(get, path = "/api/v1/members/{id}/events", tag = "member", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MemberEvent>), (status = 404, body = Problem)))]
pub async fn events(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<MemberEvent>>> {
    Ok(axum::Json(s.store.member_events(&c.scope, id).await?))
}

/// Records a lifecycle event (conversion, move, transfer, death…).
#[utoipa::path(post, path = "/api/v1/members/{id}/events", tag = "member", params(("id" = i64, Path)), request_body = NewMemberEvent,
    responses((status = 201, body = MemberView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_event(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(e): Json<NewMemberEvent>,
) -> ApiResult<(StatusCode, axum::Json<MemberView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.add_member_event(&c.scope, id, &e).await?),
    ))
}
