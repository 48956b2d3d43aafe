//! Login, logout, password change, and who-am-I.

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jiceng_store::auth::UserInfo;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Caller, Json, SESSION_COOKIE};
use crate::AppState;

/// Login request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// Login answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    /// The user.
    pub user: UserInfo,
    /// Must change the password before anything else.
    pub must_change_password: bool,
}

/// Password change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    /// Current password.
    pub old_password: String,
    /// New password.
    pub new_password: String,
}

/// Who is logged in and what the deployment's "today" is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    /// The user.
    pub user: UserInfo,
    /// The reference date (YYYY-MM-DD) reports default to.
    pub today: String,
    /// May read the audit log.
    pub can_read_audit: bool,
    /// May manage users.
    pub can_manage_users: bool,
    /// Session idle timeout in minutes.
    pub idle_timeout_minutes: i64,
}

fn cookie(state: &AppState, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.cookie_secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// Logs in and sets the session cookie.
#[utoipa::path(post, operation_id = "auth_login", path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = Problem), (status = 423, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Response> {
    let client = crate::extract::client_ip(&headers, Some(addr), state.trust_proxy);
    let ip = client
        .as_deref()
        .and_then(|c| c.parse().ok())
        .unwrap_or(addr.ip());
    if !state.login_limiter.allow(ip) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "auth.rate_limited",
            "登录尝试过于频繁，请一分钟后再试",
        ));
    }
    let (token, user) = state
        .store
        .login(
            req.username.trim(),
            &req.password,
            // The client's address (behind --trust-proxy: the forwarded one), never the proxy's.
            client,
            &state.policy,
        )
        .await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        cookie(&state, &token, state.policy.max_hours * 3600),
    );
    let must = user.must_change_password;
    Ok((
        headers,
        axum::Json(LoginResponse {
            user,
            must_change_password: must,
        }),
    )
        .into_response())
}

/// Ends the session.
#[utoipa::path(post, operation_id = "auth_logout", path = "/api/v1/auth/logout", tag = "auth", responses((status = 204), (status = 401, body = Problem)))]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    state.store.logout(&caller.token).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookie(&state, "", 0));
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

/// Changes the caller's password. A wrong old password counts as a failed login: the same
/// per-address limiter (429), the same per-account counter and lockout (423 at the
/// threshold, every session of the account ended), audited.
#[utoipa::path(post, operation_id = "auth_change_password", path = "/api/v1/auth/password", tag = "auth", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem), (status = 423, body = Problem), (status = 429, body = Problem)))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<PasswordChange>,
) -> ApiResult<StatusCode> {
    let ip = caller
        .scope
        .client_addr
        .as_deref()
        .and_then(|c| c.parse().ok())
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    if !state.login_limiter.allow(ip) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "auth.rate_limited",
            "密码尝试过于频繁，请一分钟后再试",
        ));
    }
    state
        .store
        .change_password(
            &caller.scope,
            &req.old_password,
            &req.new_password,
            Some(&caller.token),
            &state.policy,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in user.
#[utoipa::path(get, operation_id = "auth_me", path = "/api/v1/me", tag = "auth", responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<axum::Json<Me>> {
    let today = state.store.reference_date().await?;
    Ok(axum::Json(Me {
        can_read_audit: caller.scope.may_read_audit(),
        can_manage_users: !caller
            .scope
            .roots_for(jiceng_store::Action::UserManage)
            .is_empty(),
        user: caller.user,
        today: today.to_string(),
        idle_timeout_minutes: state.policy.idle_minutes,
    }))
}
