//! Request extractors: the caller's session → [`Caller`] (scope with the client address),
//! JSON and query bodies whose rejections become problem+json.

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiceng_store::auth::UserInfo;
use jiceng_store::Scope;
use std::net::SocketAddr;

use crate::error::ApiError;
use crate::AppState;

/// Cookie carrying the session token.
pub const SESSION_COOKIE: &str = "jiceng_session";
/// Header every write must carry (CSRF defence beside SameSite=Strict).
pub const CSRF_HEADER: &str = "x-requested-with";
/// Its required value.
pub const CSRF_VALUE: &str = "jiceng";

/// The authenticated caller.
pub struct Caller {
    /// What they may touch.
    pub scope: Scope,
    /// Who they are.
    pub user: UserInfo,
    /// Their session token (for logout).
    pub token: String,
}

/// Reads the session cookie.
pub fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// The client's address: the socket peer, or — when the deployment says a reverse proxy
/// sits in front (`trust_proxy`) — the last address that proxy appended to
/// `X-Forwarded-For` (else its `X-Real-IP`). Only the proxy's own hop is trusted; earlier
/// hops are client-supplied. Every address Jiceng records (sessions, the audit log, the
/// login limiter) comes from here.
pub fn client_ip(
    headers: &axum::http::HeaderMap,
    peer: Option<SocketAddr>,
    trust_proxy: bool,
) -> Option<String> {
    if trust_proxy {
        let mut hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok());
        let forwarded = hops.next_back().map(str::to_string).or_else(|| {
            headers
                .get("x-real-ip")
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
                .map(str::to_string)
        });
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer.map(|p| p.ip().to_string())
}

/// The client's address for a request (see [`client_ip`]).
pub fn client_addr(parts: &Parts, trust_proxy: bool) -> Option<String> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    client_ip(&parts.headers, peer, trust_proxy)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(parts).ok_or_else(ApiError::unauthorized)?;
        let (scope, user) = state
            .store
            .session(&token, &state.policy)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let scope = scope.with_addr(client_addr(parts, state.trust_proxy));
        // A user with a temporary password may only change it.
        if user.must_change_password
            && !(parts.uri.path().ends_with("/auth/password")
                || parts.uri.path().ends_with("/auth/logout")
                || parts.uri.path().ends_with("/me"))
        {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "auth.password_change_required",
                "首次登录须先修改初始密码",
            ));
        }
        Ok(Caller { scope, user, token })
    }
}

/// JSON body whose errors are problem+json.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(v) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Json(v))
    }
}

/// Query string whose errors are problem+json.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(v) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(v))
    }
}

/// Refuses API writes without the `X-Requested-With: jiceng` header (login included
/// only when it comes from a browser form elsewhere: the header is required on every
/// write except login, per the API contract).
pub async fn require_csrf_header(req: Request, next: Next) -> Response {
    let is_write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let path = req.uri().path();
    let exempt = path == "/api/v1/auth/login";
    if is_write && path.starts_with("/api/") && !exempt {
        let ok = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case(CSRF_VALUE));
        if !ok {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                "request.csrf_header_missing",
                "请求缺少 X-Requested-With: jiceng 头，已拒绝",
            )
            .into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_only_when_trusted() {
        let mut h = axum::http::HeaderMap::new();
        h.insert("x-forwarded-for", "1.2.3.4, 10.0.0.7".parse().unwrap());
        let peer = Some(SocketAddr::from(([127, 0, 0, 1], 9)));
        assert_eq!(client_ip(&h, peer, false).as_deref(), Some("127.0.0.1"));
        assert_eq!(client_ip(&h, peer, true).as_deref(), Some("10.0.0.7"));
        h.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(client_ip(&h, peer, true).as_deref(), Some("127.0.0.1"));
        h.insert("x-real-ip", "10.0.0.9".parse().unwrap());
        assert_eq!(client_ip(&h, peer, true).as_deref(), Some("10.0.0.9"));
        assert_eq!(client_ip(&h, peer, false).as_deref(), Some("127.0.0.1"));
    }
}
