//! A tiny portable SQL builder: text with `$n` placeholders plus typed arguments, so that
//! dynamic filters (scope, search) are written once for both databases.

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::Any;

/// A bound value.
#[derive(Debug, Clone)]
pub enum Val {
    /// Integer.
    I64(i64),
    /// Nullable integer.
    OptI64(Option<i64>),
    /// Text.
    Str(String),
    /// Nullable text.
    OptStr(Option<String>),
    /// Boolean (stored as 0/1 in both dialects).
    Bool(bool),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::I64(v)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::OptI64(v)
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Str(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Str(v.to_string())
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Val::Str(v.clone())
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::OptStr(v)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Self {
        Val::OptStr(v.map(str::to_string))
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Val::Bool(v)
    }
}

/// SQL text and its arguments, built together so placeholders always match.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    text: String,
    args: Vec<Val>,
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a.clone() {
                Val::I64(v) => q.bind(v),
                Val::OptI64(v) => q.bind(v),
                Val::Str(v) => q.bind(v),
                Val::OptStr(v) => q.bind(v),
                Val::Bool(v) => q.bind(i64::from(v)),
            };
        }
        q
    }};
}

impl Sql {
    /// Starts with fixed text.
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }
    /// Appends fixed text.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }
    /// Appends a placeholder bound to `v`.
    pub fn bind(&mut self, v: impl Into<Val>) -> &mut Self {
        self.args.push(v.into());
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }
    /// The SQL text.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// A query with all arguments bound.
    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        bind_all!(sqlx::query(&self.text), &self.args)
    }
    /// A typed query with all arguments bound.
    pub fn query_as<T>(&self) -> QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        bind_all!(sqlx::query_as::<Any, T>(&self.text), &self.args)
    }
    /// A scalar query with all arguments bound.
    pub fn scalar<T>(&self) -> QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        bind_all!(sqlx::query_scalar::<Any, T>(&self.text), &self.args)
    }
}

/// The exclusive upper bound of a materialized-path subtree: every descendant path
/// starts with `path` and sorts below this bound (`/1/17/` → `/1/170`).
pub fn path_upper(path: &str) -> String {
    let mut s = path.to_string();
    if s.ends_with('/') {
        s.pop();
        s.push('0');
    } else {
        s.push('\u{7f}');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn placeholders_count_up() {
        let mut s = Sql::new("SELECT 1 WHERE a = ");
        s.bind(1i64).push(" AND b = ").bind("x");
        assert_eq!(s.text(), "SELECT 1 WHERE a = $1 AND b = $2");
    }

    proptest! {
        /// Every descendant path lies in [path, upper) and no sibling with a longer
        /// number (e.g. /1/170/ next to /1/17/) does.
        #[test]
        fn subtree_bounds(a in 1u32..500, b in 1u32..500, c in 0u32..500, d in 0u32..9) {
            let p = format!("/{a}/{b}/");
            let up = path_upper(&p);
            let child = format!("/{a}/{b}/{c}/");
            prop_assert!(child.as_str() >= p.as_str() && child < up);
            let sibling = format!("/{a}/{b}{d}/");
            prop_assert!(!(sibling.as_str() >= p.as_str() && sibling < up));
        }
    }
}
