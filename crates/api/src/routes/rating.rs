//! Ratings (分类定级, 升级晋位): schemes, rounds, scoring, approval, publication,
//! the distribution and the ledger.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::rating::{
    ApproveInput, Distribution, LedgerRow, PublicationView, PublishInput, RatingView,
    RoundOrgFilter, RoundOrgs, RoundView, ScoreInput, WithdrawInput,
};
use jiceng_store::rectification::{NewPlan, PlanUpdate, PlanView};
use jiceng_store::Paging;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::routes::stats::default_org;
use crate::AppState;

/// The embedded rating schemes (dimensions, indicators, tiers).
#[utoipa::path(get, operation_id = "rating_schemes", path = "/api/v1/ratings/schemes", tag = "rating",
    responses((status = 200, body = Object), (status = 401, body = Problem)))]
pub async fn schemes(_c: Caller) -> ApiResult<axum::Json<Vec<jiceng_domain::rating::Scheme>>> {
    jiceng_domain::rating::schemes()
        .map(axum::Json)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string()))
}

/// Opening a round.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OpenRound {
    /// Org whose subtree is rated.
    pub org_id: i64,
    /// Year.
    pub year: i32,
    /// Scheme code.
    pub scheme: String,
}

/// Rounds visible to the caller.
#[utoipa::path(get, operation_id = "rating_rounds", path = "/api/v1/ratings/rounds", tag = "rating",
    responses((status = 200, body = [RoundView]), (status = 401, body = Problem)))]
pub async fn rounds(State(s): State<AppState>, c: Caller) -> ApiResult<axum::Json<Vec<RoundView>>> {
    Ok(axum::Json(s.store.rounds(&c.scope).await?))
}

/// Opens a round (organization departments and administrators).
#[utoipa::path(post, operation_id = "rating_open", path = "/api/v1/ratings/rounds", tag = "rating", request_body = OpenRound,
    responses((status = 201, body = RoundView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn open(
    State(s): State<AppState>,
    c: Caller,
    Json(o): Json<OpenRound>,
) -> ApiResult<(StatusCode, axum::Json<RoundView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(
            s.store
                .open_round(&c.scope, o.org_id, o.year, &o.scheme)
                .await?,
        ),
    ))
}

/// The ratings of a round within the caller's scope.
#[utoipa::path(get, operation_id = "rating_round_ratings", path = "/api/v1/ratings/rounds/{id}/ratings", tag = "rating", params(("id" = i64, Path)),
    responses((status = 200, body = [RatingView]), (status = 404, body = Problem)))]
pub async fn ratings(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<RatingView>>> {
    Ok(axum::Json(s.store.round_ratings(&c.scope, id).await?))
}

/// Round org list query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RoundOrgsQuery {
    /// `pending` (not scored), `scored`, `approved`, or `proposed` (a tier proposal).
    pub status: Option<String>,
    /// Name contains.
    pub q: Option<String>,
    /// One org only.
    pub org: Option<i64>,
    /// Page (from 1).
    pub page: Option<i64>,
    /// Page size (≤ 500, default 20).
    pub page_size: Option<i64>,
}

/// The orgs to rate in a round within the caller's scope — scored or not yet — with their
/// ratings, filtered and paged, and the counts per status.
#[utoipa::path(get, operation_id = "rating_round_orgs", path = "/api/v1/ratings/rounds/{id}/orgs", tag = "rating", params(("id" = i64, Path), RoundOrgsQuery),
    responses((status = 200, body = RoundOrgs), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn round_orgs(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Query(q): Query<RoundOrgsQuery>,
) -> ApiResult<axum::Json<RoundOrgs>> {
    let f = RoundOrgFilter {
        status: q.status,
        q: q.q,
        org: q.org,
    };
    Ok(axum::Json(
        s.store
            .round_orgs(&c.scope, id, &f, Paging::new(q.page, q.page_size))
            .await?,
    ))
}

/// Scores an org (township committee or above, while the rating is not approved).
#[utoipa::path(put, operation_id = "rating_score", path = "/api/v1/ratings/rounds/{id}/orgs/{org_id}", tag = "rating", params(("id" = i64, Path), ("org_id" = i64, Path)), request_body = ScoreInput,
    responses((status = 200, body = RatingView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn score(
    State(s): State<AppState>,
    c: Caller,
    Path((id, org_id)): Path<(i64, i64)>,
    Json(i): Json<ScoreInput>,
) -> ApiResult<axum::Json<RatingView>> {
    Ok(axum::Json(
        s.store.score_org(&c.scope, id, org_id, &i).await?,
    ))
}

/// Approves (审定) an org's tier: organization departments and administrators only, so a
/// township never approves its own ratings.
#[utoipa::path(post, operation_id = "rating_approve", path = "/api/v1/ratings/rounds/{id}/orgs/{org_id}/approve", tag = "rating", params(("id" = i64, Path), ("org_id" = i64, Path)), request_body = ApproveInput,
    responses((status = 200, body = RatingView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn approve(
    State(s): State<AppState>,
    c: Caller,
    Path((id, org_id)): Path<(i64, i64)>,
    Json(a): Json<ApproveInput>,
) -> ApiResult<axum::Json<RatingView>> {
    Ok(axum::Json(
        s.store.approve_rating(&c.scope, id, org_id, &a).await?,
    ))
}

/// Publication.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Publish {
    /// First day of the notice period (default: the deployment's today): 1 January after the
    /// rated year at the earliest, today at the latest.
    #[schema(format = Date)]
    pub from: Option<String>,
    /// Calendar days of the notice period (default 7, at least 1).
    pub notice_days: Option<u32>,
    /// Publish the approved part of an incomplete round (部分公布); needs `reason`.
    #[serde(default)]
    pub partial: bool,
    /// Why a partial publication (at least 10 characters).
    pub reason: Option<String>,
}

/// Publishes a round: every applicable org approved, or a reasoned partial publication; the
/// notice period starts after the rated year and not after today. Refusals:
/// `rating.incomplete` ("尚有 N 个村未审定…"), `rating.partial_reason_required`,
/// `rating.nothing_approved`, `rating.notice_too_early`, `rating.notice_in_future`,
/// `rating.notice_days_invalid`, `rating.round_closed`.
#[utoipa::path(post, operation_id = "rating_publish", path = "/api/v1/ratings/rounds/{id}/publish", tag = "rating", params(("id" = i64, Path)), request_body = Publish,
    responses((status = 200, body = RoundView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn publish(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(p): Json<Publish>,
) -> ApiResult<axum::Json<RoundView>> {
    let from = match p.from {
        Some(d) => jiceng_store::parse_date(&d, "公示")?,
        None => s.store.reference_date().await?,
    };
    let input = PublishInput {
        from,
        notice_days: p
            .notice_days
            .unwrap_or(jiceng_domain::rating::publication::DEFAULT_NOTICE_DAYS),
        partial: p.partial,
        reason: p.reason,
    };
    Ok(axum::Json(
        s.store.publish_round_with(&c.scope, id, &input).await?,
    ))
}

/// Withdraws the publication in force (撤回公布) with a reason (at least 10 characters):
/// audited, the publication kept on record as withdrawn, the round back to its approved
/// state, ready to be published again. Organization departments and administrators only.
#[utoipa::path(post, operation_id = "rating_withdraw", path = "/api/v1/ratings/rounds/{id}/withdraw", tag = "rating", params(("id" = i64, Path)), request_body = WithdrawInput,
    responses((status = 200, body = RoundView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn withdraw(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(w): Json<WithdrawInput>,
) -> ApiResult<axum::Json<RoundView>> {
    Ok(axum::Json(s.store.withdraw_round(&c.scope, id, &w).await?))
}

/// The publications of a round, oldest first, withdrawn ones included (kind, notice period,
/// approved x of y, reasons).
#[utoipa::path(get, operation_id = "rating_publications", path = "/api/v1/ratings/rounds/{id}/publications", tag = "rating", params(("id" = i64, Path)),
    responses((status = 200, body = [PublicationView]), (status = 404, body = Problem)))]
pub async fn publications(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<PublicationView>>> {
    Ok(axum::Json(s.store.round_publications(&c.scope, id).await?))
}

/// Distribution and ledger query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    /// Subtree (default: the top of the caller's scope).
    pub org: Option<i64>,
    /// Year.
    pub year: i32,
}

/// Tier distribution of a subtree and year (approved tiers, with percentages).
#[utoipa::path(get, operation_id = "rating_distribution", path = "/api/v1/ratings/distribution", tag = "rating", params(YearQuery),
    responses((status = 200, body = Distribution), (status = 404, body = Problem)))]
pub async fn distribution(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<YearQuery>,
) -> ApiResult<axum::Json<Distribution>> {
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    Ok(axum::Json(
        s.store.rating_distribution(&c.scope, org, q.year).await?,
    ))
}

/// The ledger (分类管理台账): tier this year and last, movement, awards, weak tiers.
#[utoipa::path(get, operation_id = "rating_ledger", path = "/api/v1/ratings/ledger", tag = "rating", params(YearQuery),
    responses((status = 200, body = [LedgerRow]), (status = 404, body = Problem)))]
pub async fn ledger(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<YearQuery>,
) -> ApiResult<axum::Json<Vec<LedgerRow>>> {
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    Ok(axum::Json(
        s.store.rating_ledger(&c.scope, org, q.year).await?,
    ))
}

/// Rectification list query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PlansQuery {
    /// Subtree (default: the top of the caller's scope).
    pub org: Option<i64>,
    /// Rating year (all years when absent; with a year, weak orgs without a plan are listed).
    pub year: Option<i32>,
}

/// A weak org still without a plan.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MissingPlan {
    /// Org.
    pub org_id: i64,
    /// Org name.
    pub org_name: String,
    /// Its weak tier.
    pub tier: String,
}

/// Plans and the weak orgs still without one.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PlansAnswer {
    /// Plans, overdue first.
    pub plans: Vec<PlanView>,
    /// Weak orgs of the year without a plan.
    pub missing: Vec<MissingPlan>,
}

/// Rectification plans (整改) of a subtree, overdue first, and the weak orgs without one.
#[utoipa::path(get, operation_id = "rating_plans", path = "/api/v1/ratings/rectifications", tag = "rating", params(PlansQuery),
    responses((status = 200, body = PlansAnswer), (status = 404, body = Problem)))]
pub async fn plans(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<PlansQuery>,
) -> ApiResult<axum::Json<PlansAnswer>> {
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    let (plans, missing) = s.store.plans(&c.scope, org, q.year).await?;
    Ok(axum::Json(PlansAnswer {
        plans,
        missing: missing
            .into_iter()
            .map(|(org_id, org_name, tier)| MissingPlan {
                org_id,
                org_name,
                tier,
            })
            .collect(),
    }))
}

/// Draws up the plan of an org approved into a weak tier (one per org and year).
#[utoipa::path(post, operation_id = "rating_plan_create", path = "/api/v1/ratings/rectifications", tag = "rating", request_body = NewPlan,
    responses((status = 201, body = PlanView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn plan_create(
    State(s): State<AppState>,
    c: Caller,
    Json(n): Json<NewPlan>,
) -> ApiResult<(StatusCode, axum::Json<PlanView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_plan(&c.scope, &n).await?),
    ))
}

/// Records progress on a plan or its completion (with evidence).
#[utoipa::path(patch, operation_id = "rating_plan_update", path = "/api/v1/ratings/rectifications/{id}", tag = "rating", params(("id" = i64, Path)), request_body = PlanUpdate,
    responses((status = 200, body = PlanView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn plan_update(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(u): Json<PlanUpdate>,
) -> ApiResult<axum::Json<PlanView>> {
    Ok(axum::Json(s.store.update_plan(&c.scope, id, &u).await?))
}

/// The ledger as an XLSX workbook in ledger layout.
#[utoipa::path(get, operation_id = "rating_ledger_xlsx", path = "/api/v1/ratings/ledger.xlsx", tag = "rating", params(YearQuery),
    responses((status = 200, description = "XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = Problem)))]
pub async fn ledger_xlsx(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<YearQuery>,
) -> ApiResult<axum::response::Response> {
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    let rows = s.store.rating_ledger(&c.scope, org, q.year).await?;
    let name = s.store.get_org(&c.scope, org).await?.name;
    let body = crate::export::ledger_xlsx(&name, q.year, &rows).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "export.failed",
            "导出失败，请稍后重试",
        )
    })?;
    let file = format!("分类管理台账-{name}-{}.xlsx", q.year);
    Ok(crate::routes::stats::file(
        "ledger.xlsx",
        &file,
        crate::routes::stats::XLSX,
        body,
    ))
}
