//! The OpenAPI document (served at `/api/openapi.json`).

use utoipa::OpenApi;

use crate::routes::*;

/// Jiceng API.
#[derive(OpenApi)]
#[openapi(
    info(title = "Jiceng 基层党建综合管理平台 API", description = "JSON under /api/v1. Writes (except login) need the header `X-Requested-With: jiceng`. Errors are application/problem+json with a stable `code` and a Chinese `detail`."),
    paths(
        auth::login, auth::logout, auth::change_password, auth::me,
        users::list, users::create, users::update, users::reset_password, users::unlock,
        org::list, org::create, org::get, org::update, org::move_org, org::dissolve,
        org::children, org::events, org::committee, org::add_seat, org::end_seat, org::warnings, org::alerts, org::search,
        member::list, member::create, member::export, member::get, member::update, member::events, member::add_event, member::documents, member::add_document, member::reveal_id,
        stats::summary, stats::summary_csv, stats::summary_xlsx, stats::members,
        stats::annual, stats::annual_drill, stats::annual_csv, stats::annual_xlsx,
        new_org::list, new_org::create, new_org::get, new_org::update, new_org::coverage,
        appraisal::list, appraisal::slip, appraisal::open, appraisal::get, appraisal::tokens, appraisal::ballot, appraisal::decide, appraisal::review,
        secretary_eval::list, secretary_eval::open, secretary_eval::get, secretary_eval::reports, secretary_eval::tokens, secretary_eval::ballot, secretary_eval::named, secretary_eval::close,
        rating::schemes, rating::rounds, rating::open, rating::ratings, rating::round_orgs, rating::score, rating::approve, rating::publish, rating::withdraw, rating::publications, rating::distribution, rating::ledger, rating::ledger_xlsx, rating::plans, rating::plan_create, rating::plan_update, audit::list, codes::codes,
        rules::calendar_add, rules::calendar_years, rules::calendar_set_year, rules::vote_check, rules::votes, rules::sets,
        development::overlays, development::add_overlay,
        development::list, development::apply, development::get, development::step, development::board, development::due, development::stats,
        transfer::list, transfer::create, transfer::get, transfer::receive, transfer::reject, transfer::cancel, transfer::destinations,
        floating::list, floating::register, floating::suggestions, floating::get, floating::contact, floating::return_, floating::lost, floating::cancel,
        org_life::meetings, org_life::record, org_life::meeting, org_life::member_dues, org_life::member_attendance, org_life::record_dues, org_life::proposals, org_life::decide, org_life::roster,
    ),
    components(schemas(crate::error::Problem, jiceng_store::annual::HitPage, jiceng_store::annual::HitRow)),
    tags(
        (name = "auth", description = "登录与用户"),
        (name = "org", description = "党组织"),
        (name = "member", description = "党员"),
        (name = "development", description = "发展党员"),
        (name = "transfer", description = "组织关系转接"),
        (name = "floating", description = "流动党员"),
        (name = "org_life", description = "组织生活、党费与自行脱党处置"),
        (name = "stats", description = "党内统计"),
        (name = "rating", description = "分类定级、升级晋位"),
        (name = "new_org", description = "两新组织及党的覆盖"),
        (name = "audit", description = "审计日志"),
        (name = "codes", description = "代码表"),
        (name = "rules", description = "规则引擎：工作日历、表决计算、规则集"),
    )
)]
pub struct ApiDoc;
