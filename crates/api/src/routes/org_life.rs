//! Org life (三会一课) and dues (党费) records, and the self-withdrawal proposal and decision
//! (党章 第九条). The rule is `jiceng_domain::org_life`; scope and checks are in the store.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::org_life::{
    DuesView, MeetingFilter, MeetingRoster, MeetingView, MemberAttendance, NewDues, NewMeeting,
    Proposals, RemovalDecision, RemovalView,
};
use serde::Deserialize;

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::AppState;

/// Meetings of a subtree, newest first (at most 500), with attendance counts.
#[utoipa::path(get, operation_id = "org_life_meetings", path = "/api/v1/org-life/meetings", tag = "org_life", params(MeetingFilter),
    responses((status = 200, body = Vec<MeetingView>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn meetings(
    State(s): State<AppState>,
    c: Caller,
    Query(f): Query<MeetingFilter>,
) -> ApiResult<axum::Json<Vec<MeetingView>>> {
    Ok(axum::Json(s.store.meetings(&c.scope, &f).await?))
}

/// Records a meeting with the list of members expected and their attendance. A committee
/// meeting needs more than half of the committee present; a 党课 names its lecturer.
#[utoipa::path(post, operation_id = "org_life_record", path = "/api/v1/org-life/meetings", tag = "org_life", request_body = NewMeeting,
    responses((status = 201, body = MeetingView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn record(
    State(s): State<AppState>,
    c: Caller,
    Json(n): Json<NewMeeting>,
) -> ApiResult<(StatusCode, axum::Json<MeetingView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.record_meeting(&c.scope, &n).await?),
    ))
}

/// One meeting with its attendance list.
#[utoipa::path(get, operation_id = "org_life_meeting", path = "/api/v1/org-life/meetings/{id}", tag = "org_life", params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 404, body = Problem)))]
pub async fn meeting(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<MeetingView>> {
    Ok(axum::Json(s.store.meeting(&c.scope, id).await?))
}

/// A member's dues ledger, newest month first.
#[utoipa::path(get, operation_id = "dues_member", path = "/api/v1/members/{id}/dues", tag = "org_life", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DuesView>), (status = 404, body = Problem)))]
pub async fn member_dues(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<DuesView>>> {
    Ok(axum::Json(s.store.member_dues(&c.scope, id).await?))
}

/// The meetings a member was listed for, newest first, with their attendance.
#[utoipa::path(get, operation_id = "org_life_member", path = "/api/v1/members/{id}/org-life", tag = "org_life", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MemberAttendance>), (status = 404, body = Problem)))]
pub async fn member_attendance(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<MemberAttendance>>> {
    Ok(axum::Json(s.store.member_attendance(&c.scope, id).await?))
}

/// Records dues for months of a member; a month already recorded answers 409.
#[utoipa::path(post, operation_id = "dues_record", path = "/api/v1/dues", tag = "org_life", request_body = NewDues,
    responses((status = 201, body = Vec<DuesView>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn record_dues(
    State(s): State<AppState>,
    c: Caller,
    Json(n): Json<NewDues>,
) -> ApiResult<(StatusCode, axum::Json<Vec<DuesView>>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.record_dues(&c.scope, &n).await?),
    ))
}

/// Proposal query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ProposalQuery {
    /// Subtree.
    pub org: i64,
    /// Day assessed (default and at most: today).
    pub as_of: Option<String>,
}

/// Members whom the records show as self-withdrawn (党章 第九条: 6 consecutive months
/// without org life or dues), with the findings, for the branch meeting to decide on.
#[utoipa::path(get, operation_id = "self_withdrawal_proposals", path = "/api/v1/org-life/self-withdrawal", tag = "org_life", params(ProposalQuery),
    responses((status = 200, body = Proposals), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn proposals(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ProposalQuery>,
) -> ApiResult<axum::Json<Proposals>> {
    let as_of = match q.as_of.as_deref().filter(|x| !x.is_empty()) {
        Some(t) => Some(jiceng_store::parse_date(t, "评估日期")?),
        None => None,
    };
    Ok(axum::Json(
        s.store
            .self_withdrawal_proposals(&c.scope, q.org, as_of)
            .await?,
    ))
}

/// Records the branch meeting's removal (除名) of a self-withdrawn member, approved by the
/// level above: the grounds are re-checked on the meeting's date, the vote under
/// `member.removal`; the member leaves the roster on the approval date.
#[utoipa::path(post, operation_id = "self_withdrawal_decide", path = "/api/v1/members/{id}/self-withdrawal", tag = "org_life", params(("id" = i64, Path)), request_body = RemovalDecision,
    responses((status = 201, body = RemovalView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(d): Json<RemovalDecision>,
) -> ApiResult<(StatusCode, axum::Json<RemovalView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.decide_self_withdrawal(&c.scope, id, &d).await?),
    ))
}

/// Roster query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RosterQuery {
    /// The org holding the meeting.
    pub org: i64,
}

/// Everyone a meeting of the org lists (members on the roster of the org and below), all of
/// them up to a cap of 5000 with the total and `truncated` when over it; each with what
/// tells namesakes apart (gender, birth year, masked ID tail, org). The org is named with
/// its path.
#[utoipa::path(get, operation_id = "org_life_roster", path = "/api/v1/org-life/meetings/roster", tag = "org_life", params(RosterQuery),
    responses((status = 200, body = MeetingRoster), (status = 404, body = Problem)))]
pub async fn roster(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<RosterQuery>,
) -> ApiResult<axum::Json<MeetingRoster>> {
    Ok(axum::Json(s.store.meeting_roster(&c.scope, q.org).await?))
}
