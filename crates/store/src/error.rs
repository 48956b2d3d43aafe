//! Store errors. Each variant maps to one stable API code (see `code`).

/// What can go wrong in the data layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Record absent or outside the caller's scope (the two are indistinguishable on purpose).
    #[error("记录不存在")]
    NotFound,
    /// The caller may see the record but not do this to it.
    #[error("没有权限执行此操作")]
    Forbidden,
    /// Optimistic concurrency: the record changed since the caller read it.
    #[error("已被他人修改，请刷新后重试（当前版本 {current}）")]
    Conflict {
        /// The version now stored.
        current: i64,
    },
    /// Input that breaks a rule; `code` is stable, `message` is Chinese.
    #[error("{message}")]
    Invalid {
        /// Stable machine code, e.g. `member.id_card_check_digit`.
        code: &'static str,
        /// Chinese message for people.
        message: String,
    },
    /// Something already exists (unique key).
    #[error("{0}")]
    Duplicate(String),
    /// Bad configuration (URL, key file, migrations).
    #[error("配置错误: {0}")]
    Config(String),
    /// Encryption key problems.
    #[error("密钥错误: {0}")]
    Crypto(String),
    /// The database failed.
    #[error("数据库错误")]
    Database(#[from] sqlx::Error),
    /// Stored JSON failed to (de)serialize.
    #[error("数据格式错误")]
    Json(#[from] serde_json::Error),
}

impl StoreError {
    /// Shorthand for a rule violation.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            code,
            message: message.into(),
        }
    }

    /// Stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound => "not_found",
            StoreError::Forbidden => "forbidden",
            StoreError::Conflict { .. } => "conflict",
            StoreError::Invalid { code, .. } => code,
            StoreError::Duplicate(_) => "duplicate",
            StoreError::Config(_) => "config",
            StoreError::Crypto(_) => "crypto",
            StoreError::Database(_) => "database",
            StoreError::Json(_) => "internal",
        }
    }
}

/// Store result.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
