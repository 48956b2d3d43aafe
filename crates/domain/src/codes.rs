//! A small trait shared by every coded enum: a stable code for storage and APIs and a
//! Chinese label for people.

/// A closed set of coded values (stored as the `code`, shown as the `zh` label).
pub trait Coded: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// Stable machine code (what the database and the API carry).
    fn code(self) -> &'static str;
    /// Chinese label shown in the UI and reports.
    fn zh(self) -> &'static str;
    /// Parses a code; `None` for anything unknown.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
    /// Parses a code or a Chinese label (imports carry either).
    fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.code() == t || v.zh() == t)
    }
}

/// Declares a coded enum with serde (snake_case codes) and the [`Coded`] impl.
#[macro_export]
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $zh:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }
        impl $crate::codes::Coded for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str { match self { $(Self::$variant => $code),+ } }
            fn zh(self) -> &'static str { match self { $(Self::$variant => $zh),+ } }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::codes::Coded::code(*self))
            }
        }
        impl std::str::FromStr for $name {
            type Err = $crate::codes::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::codes::Coded>::parse(s).ok_or_else(|| $crate::codes::UnknownCode {
                    kind: stringify!($name),
                    value: s.to_string(),
                })
            }
        }
    };
}

/// A code that is not in its table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code: {value}")]
pub struct UnknownCode {
    /// Which table was consulted.
    pub kind: &'static str,
    /// The value given.
    pub value: String,
}
