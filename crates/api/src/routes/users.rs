//! User management (administrators, within their own subtree): list, create, disable or
//! enable, replace roles, reset the password, lift a lockout.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::auth::{NewUser, UserInfo, UserPatch};
use serde::Serialize;

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json};
use crate::AppState;

/// Users the caller may manage (every role inside its user-management scope), with their
/// disabled, locked and must-change-password state.
#[utoipa::path(get, operation_id = "users_list", path = "/api/v1/users", tag = "auth", responses((status = 200, body = Vec<UserInfo>), (status = 401, body = Problem)))]
pub async fn list(State(s): State<AppState>, c: Caller) -> ApiResult<axum::Json<Vec<UserInfo>>> {
    Ok(axum::Json(s.store.list_users(&c.scope).await?))
}

/// Creates a user with a role on an org in scope. The password is temporary: the user must
/// change it at first login. A linked member must lie in the caller's scope (404) and in the
/// org of the role (`auth.member_outside_org`).
#[utoipa::path(post, operation_id = "users_create", path = "/api/v1/users", tag = "auth", request_body = NewUser,
    responses((status = 201, body = UserInfo), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    c: Caller,
    Json(u): Json<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<UserInfo>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_user(&c.scope, &u).await?),
    ))
}

/// Disables (with a reason; ends the user's sessions at once) or enables an account,
/// replaces its roles (never stronger than the caller's own) or renames it.
#[utoipa::path(patch, operation_id = "users_update", path = "/api/v1/users/{id}", tag = "auth", params(("id" = i64, Path)), request_body = UserPatch,
    responses((status = 200, body = UserInfo), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(p): Json<UserPatch>,
) -> ApiResult<axum::Json<UserInfo>> {
    Ok(axum::Json(s.store.update_user(&c.scope, id, &p).await?))
}

/// A new temporary password, shown once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PasswordReset {
    /// The user afterwards (must change the password at next login).
    pub user: UserInfo,
    /// The temporary password: give it to the user; it is not stored in clear anywhere.
    pub temporary_password: String,
}

/// Issues a random temporary password (must be changed at next login), clears the lockout
/// and ends every session of the user.
#[utoipa::path(post, operation_id = "users_reset_password", path = "/api/v1/users/{id}/reset-password", tag = "auth", params(("id" = i64, Path)),
    responses((status = 200, body = PasswordReset), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reset_password(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PasswordReset>> {
    let (user, temporary_password) = s.store.reset_password(&c.scope, id).await?;
    Ok(axum::Json(PasswordReset {
        user,
        temporary_password,
    }))
}

/// Lifts a lockout after failed password attempts.
#[utoipa::path(post, operation_id = "users_unlock", path = "/api/v1/users/{id}/unlock", tag = "auth", params(("id" = i64, Path)),
    responses((status = 200, body = UserInfo), (status = 404, body = Problem)))]
pub async fn unlock(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<UserInfo>> {
    Ok(axum::Json(s.store.unlock_user(&c.scope, id).await?))
}
