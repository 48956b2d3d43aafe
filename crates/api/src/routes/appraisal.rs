//! Democratic appraisal of members (民主评议党员): open, issue ballot slips, cast anonymous
//! ballots, tally, decide.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::appraisal::{
    AppraisalSummary, AppraisalView, BallotInput, DecisionInput, EvalListQuery, ReviewInput, Slip,
};
use jiceng_store::Page;
use serde::{Deserialize, Serialize};

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::routes::stats::default_org;
use crate::AppState;

/// Opening an appraisal.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OpenAppraisal {
    /// The org (branch) whose members are appraised.
    pub org_id: i64,
    /// Year.
    pub year: i32,
}

/// Opens the appraisal of a branch for a year; its members on the roster take part.
#[utoipa::path(post, operation_id = "appraisal_open", path = "/api/v1/appraisals", tag = "rating", request_body = OpenAppraisal,
    responses((status = 201, body = AppraisalView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn open(
    State(s): State<AppState>,
    c: Caller,
    Json(o): Json<OpenAppraisal>,
) -> ApiResult<(StatusCode, axum::Json<AppraisalView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.open_appraisal(&c.scope, o.org_id, o.year).await?),
    ))
}

/// Appraisals of a subtree (`org`, default the top of the caller's scope; `year` optional),
/// newest year first, paged. An org outside the caller's scope answers 404.
#[utoipa::path(get, operation_id = "appraisal_list", path = "/api/v1/appraisals", tag = "rating", params(EvalListQuery),
    responses((status = 200, body = Page<AppraisalSummary>), (status = 404, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<EvalListQuery>,
) -> ApiResult<axum::Json<Page<AppraisalSummary>>> {
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    Ok(axum::Json(
        s.store.list_appraisals(&c.scope, org, &q).await?,
    ))
}

/// A slip's token.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SlipRequest {
    /// The token printed on the slip.
    pub token: String,
}

/// What an unused ballot slip is for (member appraisal: the members to rate; secretary
/// evaluation: the secretary and the group). No login: the token is the only credential;
/// nothing is claimed or recorded. Unknown 422, used 409, closed 422.
#[utoipa::path(post, operation_id = "ballot_slip", path = "/api/v1/ballots/slip", tag = "rating", request_body = SlipRequest,
    responses((status = 200, body = Slip), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn slip(
    State(s): State<AppState>,
    Json(r): Json<SlipRequest>,
) -> ApiResult<axum::Json<Slip>> {
    Ok(axum::Json(s.store.ballot_slip(&r.token).await?))
}

/// An appraisal with the ballots per participant and the decision.
#[utoipa::path(get, operation_id = "appraisal_get", path = "/api/v1/appraisals/{id}", tag = "rating", params(("id" = i64, Path)),
    responses((status = 200, body = AppraisalView), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<AppraisalView>> {
    Ok(axum::Json(s.store.appraisal(&c.scope, id).await?))
}

/// How many slips to print.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    /// Number of slips (1–1000).
    pub count: u32,
}

/// Slips to print and hand out at random.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Tokens {
    /// One-time tokens (only their hashes are stored; they are shown this once).
    pub tokens: Vec<String>,
}

/// Issues one-time ballot tokens for the rating ballot (民主测评).
#[utoipa::path(post, operation_id = "appraisal_tokens", path = "/api/v1/appraisals/{id}/tokens", tag = "rating", params(("id" = i64, Path)), request_body = TokenRequest,
    responses((status = 201, body = Tokens), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn tokens(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(t): Json<TokenRequest>,
) -> ApiResult<(StatusCode, axum::Json<Tokens>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(Tokens {
            tokens: s.store.issue_tokens(&c.scope, id, t.count).await?,
        }),
    ))
}

/// Casts an anonymous ballot with a slip's token. No login: the token is the only
/// credential, and nothing about the voter is taken or stored. One ballot per token (409).
#[utoipa::path(post, operation_id = "appraisal_ballot", path = "/api/v1/appraisals/ballots", tag = "rating", request_body = BallotInput,
    responses((status = 204), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn ballot(
    State(s): State<AppState>,
    Json(b): Json<BallotInput>,
) -> ApiResult<StatusCode> {
    s.store.cast_ballot(&b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records a participant's self-review (个人自评) or the opinions of fellow members
/// (党员互评), named and dated, while the appraisal is open.
#[utoipa::path(post, operation_id = "appraisal_review", path = "/api/v1/appraisals/{id}/reviews", tag = "rating", params(("id" = i64, Path)), request_body = ReviewInput,
    responses((status = 201, body = AppraisalView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn review(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(r): Json<ReviewInput>,
) -> ApiResult<(StatusCode, axum::Json<AppraisalView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.add_appraisal_review(&c.scope, id, &r).await?),
    ))
}

/// Records the branch's decision (every participant graded, 优秀 at most one third, the
/// committee's vote passed).
#[utoipa::path(post, operation_id = "appraisal_decide", path = "/api/v1/appraisals/{id}/decide", tag = "rating", params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = AppraisalView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(d): Json<DecisionInput>,
) -> ApiResult<axum::Json<AppraisalView>> {
    Ok(axum::Json(
        s.store.decide_appraisal(&c.scope, id, &d).await?,
    ))
}
