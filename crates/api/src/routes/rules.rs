//! Rule engine endpoints: the working-day calendar, the vote
//! calculator secretaries use before they record a meeting, and the central rule sets.
//! Any logged-in user may call them; they read no records, so there is no scope to check.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use jiceng_domain::calendar::{self, CalendarError, CONVENTION_ZH};
use jiceng_domain::codes::Coded;
use jiceng_domain::rules::{RuleSet, RULE_SETS};
use jiceng_domain::vote::{self, VoteError, VoteRule, VOTE_RULES};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::AppState;

/// Largest N accepted by the calendar calculator (about 27 years of calendar days).
pub const MAX_DAYS: u32 = 10_000;

fn unprocessable(code: &str, detail: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail)
}

impl From<VoteError> for ApiError {
    fn from(e: VoteError) -> Self {
        unprocessable(e.code(), e.to_string())
    }
}

impl From<CalendarError> for ApiError {
    fn from(e: CalendarError) -> Self {
        unprocessable(e.code(), e.to_string())
    }
}

/// Calendar query: `from` and exactly one of `working_days` / `calendar_days`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CalendarAddQuery {
    /// Starting date, `YYYY-MM-DD` (the period starts the day after).
    pub from: Option<String>,
    /// Number of working days (0–10000).
    pub working_days: Option<String>,
    /// Number of calendar days (0–10000).
    pub calendar_days: Option<String>,
}

/// The day on which the period is complete.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarAnswer {
    /// The due date, `YYYY-MM-DD`.
    pub date: String,
    /// The starting date.
    pub from: String,
    /// `working_days` or `calendar_days`.
    pub unit: String,
    /// N.
    pub days: u32,
    /// Whether the due date is a working day.
    pub working_day: bool,
    /// The deadline convention, in Chinese.
    pub convention: String,
    /// Set when a working-day count crosses a year whose holidays are not published or not
    /// in the calendar (weekends only were counted).
    pub warning: Option<String>,
}

fn parse_days(name: &str, v: &str) -> ApiResult<u32> {
    let n: u32 = v.trim().parse().map_err(|_| {
        unprocessable(
            "calendar.invalid_days",
            format!("{name} 应为 0 至 {MAX_DAYS} 之间的整数，收到“{v}”"),
        )
    })?;
    if n > MAX_DAYS {
        return Err(unprocessable(
            "calendar.too_many_days",
            format!("{name} 不能超过 {MAX_DAYS}"),
        ));
    }
    Ok(n)
}

/// The day on which a period of N working days or N calendar days that starts the day after
/// `from` is complete (N = 0: `from` itself). Working days follow the State Council's
/// holiday notices; years not yet published count weekends only and the answer carries a
/// warning.
#[utoipa::path(get, operation_id = "rules_calendar_add", path = "/api/v1/calendar/add", tag = "rules", params(CalendarAddQuery),
    responses((status = 200, body = CalendarAnswer), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn calendar_add(
    State(s): State<AppState>,
    _c: Caller,
    Query(q): Query<CalendarAddQuery>,
) -> ApiResult<axum::Json<CalendarAnswer>> {
    let from_text = q.from.as_deref().map(str::trim).unwrap_or_default();
    if from_text.is_empty() {
        return Err(unprocessable(
            "calendar.from_required",
            "请提供起算日期 from（格式 YYYY-MM-DD）",
        ));
    }
    let from = NaiveDate::parse_from_str(from_text, "%Y-%m-%d").map_err(|_| {
        unprocessable(
            "calendar.invalid_from",
            format!("起算日期“{from_text}”无效，格式应为 YYYY-MM-DD"),
        )
    })?;
    let (unit, days) = match (q.working_days.as_deref(), q.calendar_days.as_deref()) {
        (Some(w), None) => ("working_days", parse_days("working_days", w)?),
        (None, Some(c)) => ("calendar_days", parse_days("calendar_days", c)?),
        (None, None) => {
            return Err(unprocessable(
                "calendar.days_required",
                "请提供 working_days（工作日数）或 calendar_days（自然日数）",
            ))
        }
        (Some(_), Some(_)) => {
            return Err(unprocessable(
                "calendar.days_ambiguous",
                "working_days 与 calendar_days 只能提供其一",
            ))
        }
    };
    let cal = &s.store.work_calendar().await?;
    let (date, warning) = if unit == "working_days" {
        let date = cal.add_working_days(from, days)?;
        (date, cal.warning(from, date))
    } else {
        (calendar::add_calendar_days(from, days)?, None)
    };
    Ok(axum::Json(CalendarAnswer {
        date: date.to_string(),
        from: from.to_string(),
        unit: unit.to_string(),
        days,
        working_day: cal.is_working_day(date),
        convention: CONVENTION_ZH.to_string(),
        warning,
    }))
}

/// Vote calculator request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct VoteCheckRequest {
    /// Vote rule code (see `GET /api/v1/rules/votes`).
    pub rule: String,
    /// Entitled to attend and vote (应到).
    pub entitled: u64,
    /// Present with the right to vote (实到).
    pub present: u64,
    /// Ayes cast at the meeting.
    pub ayes: u64,
    /// Ayes in written opinions of absent entitled members (only where the rule counts
    /// them; default 0).
    #[serde(default)]
    pub written_ayes: u64,
}

/// A threshold evaluated on numbers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ThresholdView {
    /// The count compared.
    pub count: u64,
    /// `>` or `≥`.
    pub comparison: String,
    /// Numerator.
    pub num: u64,
    /// Denominator.
    pub den: u64,
    /// `entitled`, `present`, `cast` or `valid`.
    pub base: String,
    /// The base's value.
    pub base_count: u64,
    /// Smallest count that meets it.
    pub minimum: Option<u64>,
    /// Met.
    pub met: bool,
}

impl From<&vote::ThresholdCheck> for ThresholdView {
    fn from(t: &vote::ThresholdCheck) -> Self {
        ThresholdView {
            count: t.count,
            comparison: t.cmp.symbol().to_string(),
            num: t.num,
            den: t.den,
            base: t.base.code().to_string(),
            base_count: t.base_count,
            minimum: t.minimum,
            met: t.met,
        }
    }
}

/// Vote calculator answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VoteCheckAnswer {
    /// Rule code.
    pub rule: String,
    /// Rule name.
    pub name_zh: String,
    /// Quorum met (会议有效).
    pub quorum_met: bool,
    /// Adopted.
    pub passed: bool,
    /// The derivation as a Chinese sentence.
    pub derivation: String,
    /// Entitled.
    pub entitled: u64,
    /// Present.
    pub present: u64,
    /// Ayes at the meeting.
    pub ayes: u64,
    /// Written ayes counted.
    pub written_ayes: u64,
    /// Ayes compared with the adoption threshold.
    pub total_ayes: u64,
    /// The quorum as numbers.
    pub quorum: ThresholdView,
    /// The adoption as numbers.
    pub adoption: ThresholdView,
    /// Source of the rule.
    pub source: String,
}

/// Checks a vote from counts before it is recorded: quorum, adoption and the derivation
/// (e.g. "应到 37 人，实到 31 人，31 > 37×1/2 ✔ 达到法定人数；赞成 20 人（含书面意见 2 人），
/// 20 > 37×1/2 ✔ → 通过"). `ayes` are the ayes at the meeting; `written_ayes` the written
/// ayes of absent members where the rule counts them.
#[utoipa::path(post, operation_id = "rules_vote_check", path = "/api/v1/rules/vote-check", tag = "rules", request_body = VoteCheckRequest,
    responses((status = 200, body = VoteCheckAnswer), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn vote_check(
    _c: Caller,
    Json(r): Json<VoteCheckRequest>,
) -> ApiResult<axum::Json<VoteCheckAnswer>> {
    let rule = vote::vote_rule(&r.rule).ok_or_else(|| VoteError::UnknownRule(r.rule.clone()))?;
    let res = vote::check(rule, r.entitled, r.present, r.ayes, r.written_ayes)?;
    Ok(axum::Json(VoteCheckAnswer {
        rule: rule.code.to_string(),
        name_zh: rule.name_zh.to_string(),
        quorum_met: res.quorum_met,
        passed: res.passed,
        derivation: res.derivation_zh.clone(),
        entitled: res.entitled,
        present: res.present,
        ayes: res.ayes,
        written_ayes: res.written_ayes,
        total_ayes: res.total_ayes,
        quorum: (&res.quorum).into(),
        adoption: (&res.adoption).into(),
        source: rule.source.to_string(),
    }))
}

/// A threshold as data.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ThresholdRule {
    /// `>` or `≥`.
    pub comparison: String,
    /// Numerator.
    pub num: u64,
    /// Denominator.
    pub den: u64,
    /// `entitled`, `present`, `cast` or `valid`.
    pub base: String,
}

impl From<&vote::Threshold> for ThresholdRule {
    fn from(t: &vote::Threshold) -> Self {
        ThresholdRule {
            comparison: t.cmp.symbol().to_string(),
            num: t.frac.num,
            den: t.frac.den,
            base: t.base.code().to_string(),
        }
    }
}

/// A statutory vote.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VoteRuleView {
    /// Code for `vote-check`.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// Quorum in Chinese.
    pub quorum: String,
    /// Adoption in Chinese.
    pub adoption: String,
    /// Quorum as data.
    pub quorum_rule: ThresholdRule,
    /// Adoption as data.
    pub adoption_rule: ThresholdRule,
    /// Written opinions of absent members count.
    pub written_opinions_count: bool,
    /// Secret ballot.
    pub secret_ballot: bool,
    /// Document and article.
    pub source: String,
}

impl From<&VoteRule> for VoteRuleView {
    fn from(r: &VoteRule) -> Self {
        VoteRuleView {
            code: r.code.to_string(),
            name_zh: r.name_zh.to_string(),
            quorum: r.quorum_zh(),
            adoption: r.adoption_zh(),
            quorum_rule: (&r.quorum).into(),
            adoption_rule: (&r.adoption).into(),
            written_opinions_count: r.written_opinions_count,
            secret_ballot: r.secret_ballot,
            source: r.source.to_string(),
        }
    }
}

/// The statutory votes the calculator knows.
#[utoipa::path(get, operation_id = "rules_votes", path = "/api/v1/rules/votes", tag = "rules",
    responses((status = 200, body = [VoteRuleView]), (status = 401, body = Problem)))]
pub async fn votes(_c: Caller) -> axum::Json<Vec<VoteRuleView>> {
    axum::Json(VOTE_RULES.iter().map(VoteRuleView::from).collect())
}

/// One parameter of a rule set.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleParamView {
    /// Key in `rule_params`.
    pub key: String,
    /// Default: an integer, or `{"num": …, "den": …}` for ratios.
    #[schema(value_type = Object)]
    pub default: serde_json::Value,
    /// Unit code (`calendar_days`, `working_days`, `months`, `years`, `hours`, `count`,
    /// `ratio`, `yuan`, `fen`).
    pub unit: String,
    /// Unit in Chinese.
    pub unit_zh: String,
    /// Document and article.
    pub source: String,
    /// What it means.
    pub note: String,
}

/// A central rule set.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleSetView {
    /// Code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// In force from, `YYYY-MM-DD`.
    pub effective: String,
    /// The document.
    pub source_document: String,
    /// Parameters.
    pub params: Vec<RuleParamView>,
}

impl From<&RuleSet> for RuleSetView {
    fn from(s: &RuleSet) -> Self {
        RuleSetView {
            code: s.code.to_string(),
            name_zh: s.name_zh.to_string(),
            effective: s.effective.to_string(),
            source_document: s.source_document.to_string(),
            params: s
                .params
                .iter()
                .map(|p| RuleParamView {
                    key: p.key.to_string(),
                    default: serde_json::to_value(p.default).unwrap_or_default(),
                    unit: p.unit.code().to_string(),
                    unit_zh: p.unit.zh().to_string(),
                    source: p.source.to_string(),
                    note: p.note.to_string(),
                })
                .collect(),
        }
    }
}

/// The central rule sets (细则 2014, 党章, 党费规定 2008, 支部条例 2018, 选举条例 2020) with
/// their parameters, defaults, units and sources.
#[utoipa::path(get, operation_id = "rules_sets", path = "/api/v1/rules/sets", tag = "rules",
    responses((status = 200, body = [RuleSetView]), (status = 401, body = Problem)))]
pub async fn sets(_c: Caller) -> axum::Json<Vec<RuleSetView>> {
    axum::Json(RULE_SETS.iter().map(RuleSetView::from).collect())
}

/// The calendar's years as in force: central notices, replaced by the deployment's own.
#[utoipa::path(get, operation_id = "rules_calendar_years", path = "/api/v1/calendar/years", tag = "rules",
    responses((status = 200, body = Object), (status = 401, body = Problem)))]
pub async fn calendar_years(
    State(s): State<AppState>,
    _c: Caller,
) -> ApiResult<axum::Json<Vec<calendar::CalendarYear>>> {
    let cal = s.store.work_calendar().await?;
    Ok(axum::Json(cal.years().cloned().collect()))
}

/// Stores a year's holiday arrangement (e.g. the State Council's notice for the next year,
/// with its holidays and make-up working days); validated, audited; administrators and
/// organization departments only.
#[utoipa::path(put, operation_id = "rules_calendar_set_year", path = "/api/v1/calendar/years/{year}", tag = "rules", params(("year" = i32, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn calendar_set_year(
    State(s): State<AppState>,
    c: Caller,
    axum::extract::Path(year): axum::extract::Path<i32>,
    Json(y): Json<calendar::CalendarYear>,
) -> ApiResult<axum::Json<calendar::CalendarYear>> {
    if y.year != year {
        return Err(unprocessable(
            "calendar.year_mismatch",
            format!("路径中的年份 {year} 与内容中的年份 {} 不一致", y.year),
        ));
    }
    s.store.set_calendar_year(&c.scope, &y).await?;
    Ok(axum::Json(y))
}
