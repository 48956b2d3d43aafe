//! Jiceng domain: the vocabulary and rules of grassroots Party organization work.
//!
//! Pure types and functions, no IO, so that every rule can be tested exhaustively.
//! Names are the area names used in every layer (docs/architecture.md).

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod age;
pub mod appraisal;
pub mod calendar;
pub mod codes;
pub mod credit_code;
pub mod development;
pub mod ethnicity;
pub mod floating;
pub mod idcard;
pub mod member;
pub mod new_org;
pub mod org;
pub mod org_life;
pub mod pinyin_key;
pub mod rating;
pub mod region;
pub mod rules;
pub mod secretary_eval;
pub mod vote;
pub mod warnings;

pub use chrono::NaiveDate;
