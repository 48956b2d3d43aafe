//! Development of new members (发展党员): the pipeline, its steps, the board
//! and the due list; local rule overlays.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::development::{
    BoardColumn, DevStats, DueRow, NewApplicant, NewStep, PersonFilter, PersonView,
};
use jiceng_store::Page;
use serde::Deserialize;

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::routes::stats::default_org;
use crate::AppState;

/// People in the pipeline within the caller's scope.
#[utoipa::path(get, operation_id = "development_list", path = "/api/v1/development/people", tag = "development", params(PersonFilter),
    responses((status = 200, body = Page<PersonView>), (status = 404, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(f): Query<PersonFilter>,
) -> ApiResult<axum::Json<Page<PersonView>>> {
    Ok(axum::Json(s.store.list_dev_people(&c.scope, &f).await?))
}

/// Registers an application (入党申请书); refused under 18 (党章第一条).
#[utoipa::path(post, operation_id = "development_apply", path = "/api/v1/development/people", tag = "development", request_body = NewApplicant,
    responses((status = 201, body = PersonView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn apply(
    State(s): State<AppState>,
    c: Caller,
    Json(n): Json<NewApplicant>,
) -> ApiResult<(StatusCode, axum::Json<PersonView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_applicant(&c.scope, &n).await?),
    ))
}

/// One person: steps, stage and what is due next.
#[utoipa::path(get, operation_id = "development_get", path = "/api/v1/development/people/{id}", tag = "development", params(("id" = i64, Path)),
    responses((status = 200, body = PersonView), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PersonView>> {
    Ok(axum::Json(s.store.dev_person(&c.scope, id).await?))
}

/// Records a step. A step whose precondition fails is refused (422) with a message naming
/// the rule and its article; the approval admits the person as a probationary member, the
/// conversion approval makes them full from the end of probation.
#[utoipa::path(post, operation_id = "development_step", path = "/api/v1/development/people/{id}/steps", tag = "development", params(("id" = i64, Path)), request_body = NewStep,
    responses((status = 201, body = PersonView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn step(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(n): Json<NewStep>,
) -> ApiResult<(StatusCode, axum::Json<PersonView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.record_step(&c.scope, id, &n).await?),
    ))
}

/// Board and due-list query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct BoardQuery {
    /// Subtree (default: the top of the caller's scope).
    pub org: Option<i64>,
    /// Due list: items due within this many days (default 30); overdue ones always.
    pub days: Option<i64>,
}

/// Counts per stage in a subtree (the pipeline board).
#[utoipa::path(get, operation_id = "development_board", path = "/api/v1/development/board", tag = "development", params(BoardQuery),
    responses((status = 200, body = [BoardColumn]), (status = 404, body = Problem)))]
pub async fn board(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<BoardQuery>,
) -> ApiResult<axum::Json<Vec<BoardColumn>>> {
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    Ok(axum::Json(s.store.dev_board(&c.scope, org).await?))
}

/// What is due soon or overdue in a subtree (overdue first).
#[utoipa::path(get, operation_id = "development_due", path = "/api/v1/development/due", tag = "development", params(BoardQuery),
    responses((status = 200, body = [DueRow]), (status = 404, body = Problem)))]
pub async fn due(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<BoardQuery>,
) -> ApiResult<axum::Json<Vec<DueRow>>> {
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    Ok(axum::Json(
        s.store.dev_due(&c.scope, org, q.days.unwrap_or(30)).await?,
    ))
}

/// The deployment's local rule overlays, oldest first.
#[utoipa::path(get, operation_id = "rules_overlays", path = "/api/v1/rules/overlays", tag = "rules",
    responses((status = 200, body = Object), (status = 401, body = Problem)))]
pub async fn overlays(
    State(s): State<AppState>,
    _c: Caller,
) -> ApiResult<axum::Json<Vec<jiceng_domain::rules::Overlay>>> {
    Ok(axum::Json(s.store.rule_overlays().await?))
}

/// Adds a local overlay (e.g. a minimum time between application and activist), in force
/// from its date; validated against the central keys and units; audited. Administrators and
/// organization departments only.
#[utoipa::path(post, operation_id = "rules_add_overlay", path = "/api/v1/rules/overlays", tag = "rules", request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_overlay(
    State(s): State<AppState>,
    c: Caller,
    Json(o): Json<jiceng_domain::rules::Overlay>,
) -> ApiResult<(StatusCode, axum::Json<jiceng_domain::rules::Overlay>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.add_rule_overlay(&c.scope, &o).await?),
    ))
}

/// Development statistics query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    /// Subtree (default: the top of the caller's scope).
    pub org: Option<i64>,
    /// Year.
    pub year: i32,
}

/// New members of a year by gender, ethnicity, age, education and occupation; probation
/// outcomes and the on-time conversion rate (按期转正率); the pipeline now. Counted as the
/// 年报 counts them (T16, T15).
#[utoipa::path(get, operation_id = "development_stats", path = "/api/v1/development/stats", tag = "development", params(StatsQuery),
    responses((status = 200, body = DevStats), (status = 404, body = Problem)))]
pub async fn stats(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<StatsQuery>,
) -> ApiResult<axum::Json<DevStats>> {
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    Ok(axum::Json(s.store.dev_stats(&c.scope, org, q.year).await?))
}
