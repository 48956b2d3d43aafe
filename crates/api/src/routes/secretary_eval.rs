//! Secretary evaluation (双述双评联考): open, reports, ballots, result.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::appraisal::EvalListQuery;
use jiceng_store::secretary_eval::{EvalSummary, EvalView, NewEval, Reports};
use jiceng_store::Page;
use serde::{Deserialize, Serialize};

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::routes::stats::default_org;
use crate::AppState;

/// Opens the evaluation of an org's secretary for a year (run from the level above).
#[utoipa::path(post, operation_id = "secretary_eval_open", path = "/api/v1/secretary-evals", tag = "rating", request_body = NewEval,
    responses((status = 201, body = EvalView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn open(
    State(s): State<AppState>,
    c: Caller,
    Json(n): Json<NewEval>,
) -> ApiResult<(StatusCode, axum::Json<EvalView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.open_eval(&c.scope, &n).await?),
    ))
}

/// Secretary evaluations of a subtree (`org`, default the top of the caller's scope; `year`
/// optional), newest year first, paged, with the grade kept at closing. An org outside the
/// caller's scope answers 404.
#[utoipa::path(get, operation_id = "secretary_eval_list", path = "/api/v1/secretary-evals", tag = "rating", params(EvalListQuery),
    responses((status = 200, body = Page<EvalSummary>), (status = 404, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<EvalListQuery>,
) -> ApiResult<axum::Json<Page<EvalSummary>>> {
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    Ok(axum::Json(s.store.list_evals(&c.scope, org, &q).await?))
}

/// An evaluation with its ballots per group and the weighted result.
#[utoipa::path(get, operation_id = "secretary_eval_get", path = "/api/v1/secretary-evals/{id}", tag = "rating", params(("id" = i64, Path)),
    responses((status = 200, body = EvalView), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<EvalView>> {
    Ok(axum::Json(s.store.eval(&c.scope, id).await?))
}

/// Records the two reports (双述).
#[utoipa::path(put, operation_id = "secretary_eval_reports", path = "/api/v1/secretary-evals/{id}/reports", tag = "rating", params(("id" = i64, Path)), request_body = Reports,
    responses((status = 200, body = EvalView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reports(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(r): Json<Reports>,
) -> ApiResult<axum::Json<EvalView>> {
    Ok(axum::Json(s.store.eval_reports(&c.scope, id, &r).await?))
}

/// Slips for one anonymous group.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EvalTokenRequest {
    /// `members` or `representatives`.
    pub group: String,
    /// Number of slips (1–1000).
    pub count: u32,
}

/// Tokens to print.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvalTokens {
    /// One-time tokens (shown this once; only hashes are stored).
    pub tokens: Vec<String>,
}

/// Issues one-time tokens for members or villager representatives.
#[utoipa::path(post, operation_id = "secretary_eval_tokens", path = "/api/v1/secretary-evals/{id}/tokens", tag = "rating", params(("id" = i64, Path)), request_body = EvalTokenRequest,
    responses((status = 201, body = EvalTokens), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn tokens(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(t): Json<EvalTokenRequest>,
) -> ApiResult<(StatusCode, axum::Json<EvalTokens>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(EvalTokens {
            tokens: s.store.eval_tokens(&c.scope, id, &t.group, t.count).await?,
        }),
    ))
}

/// An anonymous ballot.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EvalBallot {
    /// The slip's token.
    pub token: String,
    /// `excellent`, `competent`, `basically_competent` or `incompetent`.
    pub grade: String,
}

/// Casts an anonymous ballot with a token (no login; one ballot per token, 409 after).
#[utoipa::path(post, operation_id = "secretary_eval_ballot", path = "/api/v1/secretary-evals/ballots", tag = "rating", request_body = EvalBallot,
    responses((status = 204), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn ballot(State(s): State<AppState>, Json(b): Json<EvalBallot>) -> ApiResult<StatusCode> {
    s.store.eval_ballot(&b.token, &b.grade).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A named ballot of the township leadership.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NamedBallot {
    /// Who rates.
    pub rater: String,
    /// Grade code.
    pub grade: String,
}

/// Records a named ballot of a member of the township leadership (one per person).
#[utoipa::path(post, operation_id = "secretary_eval_named", path = "/api/v1/secretary-evals/{id}/named", tag = "rating", params(("id" = i64, Path)), request_body = NamedBallot,
    responses((status = 201, body = EvalView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn named(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(b): Json<NamedBallot>,
) -> ApiResult<(StatusCode, axum::Json<EvalView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.eval_named(&c.scope, id, &b.rater, &b.grade).await?),
    ))
}

/// Closing with the version read.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CloseEval {
    /// Version read.
    pub version: i64,
}

/// Closes the evaluation and keeps the weighted result and grade.
#[utoipa::path(post, operation_id = "secretary_eval_close", path = "/api/v1/secretary-evals/{id}/close", tag = "rating", params(("id" = i64, Path)), request_body = CloseEval,
    responses((status = 200, body = EvalView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn close(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(b): Json<CloseEval>,
) -> ApiResult<axum::Json<EvalView>> {
    Ok(axum::Json(
        s.store.close_eval(&c.scope, id, b.version).await?,
    ))
}
