//! Jiceng statistics (党内统计): report definitions over a snapshot of the roster, and the
//! in-memory columnar engine that computes the same reports at national scale.
//!
//! The store produces a snapshot (who was on the roster in which org at the as-of date);
//! [`summary`] turns it into figures. Keeping the counting rules here, apart from SQL,
//! lets the same definitions run on the [`engine`], whose answers must equal them.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod annual;
pub mod engine;
pub mod summary;
