//! One route module per business area (same names as the store's).

pub mod appraisal;
pub mod audit;
pub mod auth;
pub mod codes;
pub mod development;
pub mod floating;
pub mod member;
pub mod new_org;
pub mod org;
pub mod org_life;
pub mod rating;
pub mod rules;
pub mod secretary_eval;
pub mod stats;
pub mod transfer;
pub mod users;
