//! The one API error: every area's error converts into it once; the body is
//! `application/problem+json` with a stable `code` and a Chinese `detail`.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use jiceng_store::auth::LoginError;
use jiceng_store::StoreError;
use serde::Serialize;

/// Problem details (RFC 9457) with Jiceng's stable code.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `about:blank` or a code URI.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short title.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// Stable machine code (e.g. `member.id_card_check_digit`).
    pub code: String,
    /// Chinese message for people.
    pub detail: String,
    /// For 409: the version now stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code.
    pub code: String,
    /// Chinese message.
    pub detail: String,
    /// Current version (409).
    pub current_version: Option<i64>,
}

impl ApiError {
    /// Builds an error.
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_string(),
            detail: detail.into(),
            current_version: None,
        }
    }
    /// 401.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "auth.required",
            "请先登录，或登录已超时，请重新登录",
        )
    }
    /// 400 for malformed input.
    pub fn bad_request(code: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }
    /// 404.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "记录不存在")
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let status = match &e {
            StoreError::NotFound => StatusCode::NOT_FOUND,
            StoreError::Forbidden => StatusCode::FORBIDDEN,
            StoreError::Conflict { .. } => StatusCode::CONFLICT,
            StoreError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            StoreError::Duplicate(_) => StatusCode::CONFLICT,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if let StoreError::Database(db) = &e {
            // A unique key raced by two writers: the second one is told, not given a 500.
            if db
                .as_database_error()
                .is_some_and(|d| d.is_unique_violation())
            {
                return ApiError::new(
                    StatusCode::CONFLICT,
                    "duplicate",
                    "记录已存在（可能刚被他人创建），请刷新后重试",
                );
            }
        }
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            // Internals are logged, never returned.
            tracing::error!(error = ?e, "internal error");
            return ApiError::new(status, "internal", "服务器内部错误，请稍后重试或联系管理员");
        }
        let current_version = match &e {
            StoreError::Conflict { current } => Some(*current),
            _ => None,
        };
        ApiError {
            status,
            code: e.code().to_string(),
            detail: e.to_string(),
            current_version,
        }
    }
}

impl From<LoginError> for ApiError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::BadCredentials => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "auth.bad_credentials",
                e.to_string(),
            ),
            LoginError::Locked { .. } => {
                ApiError::new(StatusCode::LOCKED, "auth.locked", e.to_string())
            }
            LoginError::Disabled => {
                ApiError::new(StatusCode::FORBIDDEN, "auth.disabled", e.to_string())
            }
            LoginError::Store(s) => s.into(),
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        ApiError::bad_request(
            "request.invalid_json",
            format!("请求内容格式错误：{}", e.body_text()),
        )
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::bad_request(
            "request.invalid_query",
            format!("查询参数错误：{}", e.body_text()),
        )
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(_: axum::extract::rejection::PathRejection) -> Self {
        ApiError::not_found()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            kind: "about:blank".into(),
            title: self
                .status
                .canonical_reason()
                .unwrap_or("error")
                .to_string(),
            status: self.status.as_u16(),
            code: self.code,
            detail: self.detail,
            current_version: self.current_version,
        };
        let json = serde_json::to_vec(&body).unwrap_or_default();
        (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            json,
        )
            .into_response()
    }
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;
