//! 组织关系转接 (issue 5): inboxes, issue, receive, reject, cancel. The rules are in the
//! store (`jiceng_store::transfer`); handlers pass the caller's scope along.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::org::OrgHits;
use jiceng_store::transfer::{NewTransfer, TransferAction, TransferFilter, TransferView};
use jiceng_store::Page;
use serde::Deserialize;

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::AppState;

/// Transfers into (`direction=in`) or out of (`direction=out`) an org's subtree, or both,
/// within the caller's scope, newest first. Pending internal transfers appear in both the
/// sender's and the receiver's inbox.
#[utoipa::path(get, operation_id = "transfer_list", path = "/api/v1/transfers", tag = "transfer", params(TransferFilter),
    responses((status = 200, body = Page<TransferView>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(f): Query<TransferFilter>,
) -> ApiResult<axum::Json<Page<TransferView>>> {
    Ok(axum::Json(s.store.list_transfers(&c.scope, &f).await?))
}

/// Issues a transfer (`internal`: the member stays on the roster until received;
/// `outbound`: the member leaves the roster on the issue date) or records an `inbound`
/// one (the member joins the receiving org's roster). A member in transit cannot be
/// transferred again (`transfer.in_transit`); a stale member `version` gets 409.
#[utoipa::path(post, operation_id = "transfer_create", path = "/api/v1/transfers", tag = "transfer", request_body = NewTransfer,
    responses((status = 201, body = TransferView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    c: Caller,
    Json(n): Json<NewTransfer>,
) -> ApiResult<(StatusCode, axum::Json<TransferView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_transfer(&c.scope, &n).await?),
    ))
}

/// One transfer.
#[utoipa::path(get, operation_id = "transfer_get", path = "/api/v1/transfers/{id}", tag = "transfer", params(("id" = i64, Path)),
    responses((status = 200, body = TransferView), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<TransferView>> {
    Ok(axum::Json(s.store.get_transfer(&c.scope, id).await?))
}

/// Receives a pending transfer: internal — the receiving org confirms and the member moves
/// on that date; outbound — the sending org records the receipt slip (回执).
#[utoipa::path(post, operation_id = "transfer_receive", path = "/api/v1/transfers/{id}/receive", tag = "transfer", params(("id" = i64, Path)), request_body = TransferAction,
    responses((status = 200, body = TransferView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn receive(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(a): Json<TransferAction>,
) -> ApiResult<axum::Json<TransferView>> {
    Ok(axum::Json(
        s.store.receive_transfer(&c.scope, id, &a).await?,
    ))
}

/// The receiving org refuses a pending internal transfer, with a reason; nothing moves.
#[utoipa::path(post, operation_id = "transfer_reject", path = "/api/v1/transfers/{id}/reject", tag = "transfer", params(("id" = i64, Path)), request_body = TransferAction,
    responses((status = 200, body = TransferView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reject(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(a): Json<TransferAction>,
) -> ApiResult<axum::Json<TransferView>> {
    Ok(axum::Json(s.store.reject_transfer(&c.scope, id, &a).await?))
}

/// The sending org withdraws a pending internal transfer.
#[utoipa::path(post, operation_id = "transfer_cancel", path = "/api/v1/transfers/{id}/cancel", tag = "transfer", params(("id" = i64, Path)), request_body = TransferAction,
    responses((status = 200, body = TransferView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(a): Json<TransferAction>,
) -> ApiResult<axum::Json<TransferView>> {
    Ok(axum::Json(s.store.cancel_transfer(&c.scope, id, &a).await?))
}

/// Destination search query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DestinationQuery {
    /// Name, short name, pinyin initials or pinyin.
    pub q: Option<String>,
    /// At most this many (default 20, ≤ 50).
    pub limit: Option<i64>,
}

/// Where an internal transfer may go: orgs of the whole deployment that hold members,
/// answering only id, name, kind and the names along the path (the receiving org need not
/// be in the sender's scope). Only callers who may issue transfers (403 otherwise).
#[utoipa::path(get, operation_id = "transfer_destinations", path = "/api/v1/transfers/destinations", tag = "transfer", params(DestinationQuery),
    responses((status = 200, body = OrgHits), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn destinations(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<DestinationQuery>,
) -> ApiResult<axum::Json<OrgHits>> {
    Ok(axum::Json(
        s.store
            .transfer_destinations(&c.scope, q.q.as_deref().unwrap_or(""), q.limit)
            .await?,
    ))
}
