//! Jiceng statistics (党内统计): report definitions over a snapshot of the roster.
//!
//! The store produces a snapshot (who was on the roster in which org at the as-of date);
//! this crate turns it into figures. Keeping the counting rules here, apart from SQL,
//! lets the same definitions later run on the in-memory columnar engine.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod summary;
