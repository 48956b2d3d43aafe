//! User management (admin role).

use axum::extract::State;
use axum::http::StatusCode;
use jiceng_store::auth::{NewUser, UserInfo};

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json};
use crate::AppState;

/// Users with roles inside the caller's user-management scope.
#[utoipa::path(get, operation_id = "users_list", path = "/api/v1/users", tag = "auth", responses((status = 200, body = Vec<UserInfo>), (status = 401, body = Problem)))]
pub async fn list(State(s): State<AppState>, c: Caller) -> ApiResult<axum::Json<Vec<UserInfo>>> {
    Ok(axum::Json(s.store.list_users(&c.scope).await?))
}

/// Creates a user with a role on an org in scope.
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
