//! Statistics endpoints (党内统计): the summary of any subtree on any date, the annual
//! report (年报) with its reconciliation, checks and exception lists, the drill-down from
//! any figure to the names behind it, and both reports as CSV or XLSX.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use jiceng_stats::annual::{Filter, Hit};
use jiceng_store::annual::{AnnualWithNames, HitPage};
use serde::Deserialize;

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Caller, Query};
use crate::AppState;

/// Summary query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SummaryQuery {
    /// Subtree root (default: the top of the caller's scope).
    pub org: Option<i64>,
    /// As-of date (default: the deployment's today).
    pub as_of: Option<String>,
}

/// The top of the caller's scope for statistics.
pub(crate) fn default_org(c: &Caller) -> ApiResult<i64> {
    c.user
        .roles
        .iter()
        .find(|g| c.scope.allows(jiceng_store::Action::StatsRead, &g.path))
        .map(|g| g.org_id)
        .ok_or_else(ApiError::not_found)
}

pub(crate) async fn as_of_or_today(s: &AppState, d: Option<&str>) -> ApiResult<chrono::NaiveDate> {
    Ok(match d {
        Some(d) => jiceng_store::parse_date(d, "统计截止")?,
        None => s.store.reference_date().await?,
    })
}

/// The summary report of a subtree on a date: members by status, gender, age, education,
/// occupation, join era; orgs by kind, field and setup mode; village cadres.
#[utoipa::path(get, operation_id = "stats_summary", path = "/api/v1/stats/summary", tag = "stats", params(SummaryQuery),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
pub async fn summary(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<SummaryQuery>,
) -> ApiResult<axum::Json<jiceng_stats::summary::Summary>> {
    let as_of = as_of_or_today(&s, q.as_of.as_deref()).await?;
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    Ok(axum::Json(s.store.summary(&c.scope, org, as_of).await?))
}

/// A download: content type and a disposition with an ASCII and a UTF-8 file name.
pub(crate) fn file(name_ascii: &str, name: &str, content_type: &str, body: Vec<u8>) -> Response {
    let disposition = format!(
        "attachment; filename=\"{name_ascii}\"; filename*=UTF-8''{}",
        crate::routes::member::percent_encode(name)
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv; charset=utf-8";

fn export_failed(e: rust_xlsxwriter::XlsxError) -> ApiError {
    tracing::error!(error = %e, "xlsx export failed");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "export.failed",
        "导出失败，请稍后重试",
    )
}

/// The summary as CSV (UTF-8 with BOM).
#[utoipa::path(get, operation_id = "stats_summary_csv", path = "/api/v1/stats/summary.csv", tag = "stats", params(SummaryQuery),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 404, body = Problem)))]
pub async fn summary_csv(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<SummaryQuery>,
) -> ApiResult<Response> {
    let as_of = as_of_or_today(&s, q.as_of.as_deref()).await?;
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    let sum = s.store.summary(&c.scope, org, as_of).await?;
    let body = crate::export::summary_csv(&sum).into_bytes();
    Ok(file(
        "summary.csv",
        &format!("党员和党组织基本情况-{}-{as_of}.csv", sum.org_name),
        CSV,
        body,
    ))
}

/// The summary as an XLSX table.
#[utoipa::path(get, operation_id = "stats_summary_xlsx", path = "/api/v1/stats/summary.xlsx", tag = "stats", params(SummaryQuery),
    responses((status = 200, description = "XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = Problem)))]
pub async fn summary_xlsx(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<SummaryQuery>,
) -> ApiResult<Response> {
    let as_of = as_of_or_today(&s, q.as_of.as_deref()).await?;
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    let sum = s.store.summary(&c.scope, org, as_of).await?;
    let body = crate::export::summary_xlsx(&sum).map_err(export_failed)?;
    Ok(file(
        "summary.xlsx",
        &format!("党员和党组织基本情况-{}-{as_of}.xlsx", sum.org_name),
        XLSX,
        body,
    ))
}

/// Drill-down query: the members behind a summary figure.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MembersQuery {
    /// Subtree root (default: the top of the caller's scope).
    pub org: Option<i64>,
    /// As-of date (default: the deployment's today).
    pub as_of: Option<String>,
    /// The figure, as a report predicate in JSON, e.g. `"female"`,
    /// `{"age":{"min":31,"max":35}}`, `{"education":["bachelor"]}`,
    /// `{"and":[{"field":["rural"]},"probationary"]}`; everyone when absent.
    pub filter: Option<String>,
    /// Offset (default 0).
    pub offset: Option<usize>,
    /// Page size (default 50, at most 1000).
    pub limit: Option<usize>,
}

/// The names behind a figure of the summary: members on the roster of the subtree on
/// the date who satisfy `filter`, counted by the same rules as the summary (so `total`
/// equals the figure). Needs statistics and member reading on the subtree.
#[utoipa::path(get, operation_id = "stats_members", path = "/api/v1/stats/members", tag = "stats", params(MembersQuery),
    responses((status = 200, body = HitPage), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn members(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<MembersQuery>,
) -> ApiResult<axum::Json<HitPage>> {
    let filter: Filter = match q.filter.as_deref() {
        None | Some("") => Filter::All,
        Some(f) => serde_json::from_str(f).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "stats.filter",
                format!("统计口径格式错误：{e}"),
            )
        })?,
    };
    let as_of = as_of_or_today(&s, q.as_of.as_deref()).await?;
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    let hits = s.store.stock_hits(&c.scope, org, as_of, &filter).await?;
    Ok(axum::Json(
        s.store
            .hit_page(
                &hits,
                q.offset.unwrap_or(0),
                q.limit.unwrap_or(50).min(MAX_PAGE),
            )
            .await?,
    ))
}

/// Annual report query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AnnualQuery {
    /// Subtree root (default: the top of the caller's scope).
    pub org: Option<i64>,
    /// Report year (default: the year of the deployment's today when that is 31
    /// December, else the year before).
    pub year: Option<i32>,
    /// CSV only: one table (`T2`); all when absent.
    pub table: Option<String>,
}

async fn year_or_default(s: &AppState, y: Option<i32>) -> ApiResult<i32> {
    if let Some(y) = y {
        if !(1921..=9999).contains(&y) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "stats.year",
                format!("统计年度不正确：{y}"),
            ));
        }
        return Ok(y);
    }
    let today = s.store.reference_date().await?;
    Ok(if (today.month(), today.day()) == (12, 31) {
        today.year()
    } else {
        today.year() - 1
    })
}

/// Rows shown with each exception list in the JSON report (the rest through
/// `/stats/annual/drill?list=`).
const LIST_PREVIEW: usize = 20;

/// Largest page of names.
const MAX_PAGE: usize = 1000;

/// The annual statistical report (党内统计年报) of a subtree: the tables of the year's
/// definition (T1 reconciliation, T2–T7, T10, T15, T16; tables whose data is not
/// collected carry the reason), the check relationships and the exception lists with
/// their first names. Counting follows formal membership; flows count at the org that
/// handled them.
#[utoipa::path(get, operation_id = "stats_annual", path = "/api/v1/stats/annual", tag = "stats", params(AnnualQuery),
    responses((status = 200, body = Object), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn annual(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<AnnualQuery>,
) -> ApiResult<axum::Json<AnnualWithNames>> {
    let year = year_or_default(&s, q.year).await?;
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    let (r, _) = s
        .store
        .annual_report(&c.scope, org, year, None, true)
        .await?;
    Ok(axum::Json(s.store.name_lists(r, LIST_PREVIEW).await?))
}

/// Drill-down into the annual report.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AnnualDrillQuery {
    /// Subtree root (default: the top of the caller's scope).
    pub org: Option<i64>,
    /// Report year.
    pub year: Option<i32>,
    /// A cell, `table/row/column` (e.g. `T1/13/A`), or
    pub cell: Option<String>,
    /// an exception list code (e.g. `T2-1`).
    pub list: Option<String>,
    /// Offset (default 0).
    pub offset: Option<usize>,
    /// Page size (default 50, at most 1000).
    pub limit: Option<usize>,
}

/// The names (and, for flows, the events) behind one cell or one exception list of the
/// annual report: for T1 this is the explanation of every difference between the two
/// years by the events that caused it.
#[utoipa::path(get, operation_id = "stats_annual_drill", path = "/api/v1/stats/annual/drill", tag = "stats", params(AnnualDrillQuery),
    responses((status = 200, body = HitPage), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn annual_drill(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<AnnualDrillQuery>,
) -> ApiResult<axum::Json<HitPage>> {
    let year = year_or_default(&s, q.year).await?;
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    let hits: Vec<Hit> = match (&q.cell, &q.list) {
        (Some(cell), None) => {
            s.store
                .annual_report(&c.scope, org, year, Some(cell), true)
                .await?
                .1
        }
        (None, Some(code)) => {
            let (r, _) = s
                .store
                .annual_report(&c.scope, org, year, None, true)
                .await?;
            r.lists
                .into_iter()
                .find(|l| &l.code == code)
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "stats.list",
                        format!("没有这个名单：{code}"),
                    )
                })?
                .hits
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "stats.drill",
                "请指定一个单元格（cell）或一个名单（list）",
            ))
        }
    };
    Ok(axum::Json(
        s.store
            .hit_page(
                &hits,
                q.offset.unwrap_or(0),
                q.limit.unwrap_or(50).min(MAX_PAGE),
            )
            .await?,
    ))
}

/// The annual report as an XLSX workbook in the layout of the official forms (a sheet
/// per table, cover with the checks, the exception lists with names).
#[utoipa::path(get, operation_id = "stats_annual_xlsx", path = "/api/v1/stats/annual.xlsx", tag = "stats", params(AnnualQuery),
    responses((status = 200, description = "XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = Problem)))]
pub async fn annual_xlsx(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<AnnualQuery>,
) -> ApiResult<Response> {
    let year = year_or_default(&s, q.year).await?;
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    // The workbook carries names: the caller must also read members here.
    let (r, _) = s
        .store
        .annual_report(&c.scope, org, year, None, true)
        .await?;
    let named = s.store.name_lists(r, usize::MAX).await?;
    let body = crate::export::annual_xlsx(&named).map_err(export_failed)?;
    let name = format!("党内统计年报-{}-{year}.xlsx", named.report.org_name);
    Ok(file("annual.xlsx", &name, XLSX, body))
}

/// The annual report's tables as CSV (UTF-8 with BOM), all or one (`table`).
#[utoipa::path(get, operation_id = "stats_annual_csv", path = "/api/v1/stats/annual.csv", tag = "stats", params(AnnualQuery),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 404, body = Problem)))]
pub async fn annual_csv(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<AnnualQuery>,
) -> ApiResult<Response> {
    let year = year_or_default(&s, q.year).await?;
    let org = q.org.map_or_else(|| default_org(&c), Ok)?;
    let (r, _) = s
        .store
        .annual_report(&c.scope, org, year, None, false)
        .await?;
    if let Some(t) = &q.table {
        let collected = |x: &&jiceng_stats::annual::TableOut| {
            x.kind != jiceng_stats::annual::TableKind::NotCollected
        };
        if let Some(x) = r
            .tables
            .iter()
            .find(|x| &x.code == t)
            .filter(|x| !collected(x))
        {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "stats.table_not_collected",
                format!(
                    "{} {}暂不生成：{}",
                    x.code,
                    x.title,
                    x.reason.as_deref().unwrap_or("")
                ),
            ));
        }
        if !r.tables.iter().any(|x| &x.code == t) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "stats.table",
                format!("没有这张表：{t}"),
            ));
        }
    }
    let body = crate::export::annual_csv(&r, q.table.as_deref()).into_bytes();
    Ok(file(
        "annual.csv",
        &format!("党内统计年报-{}-{year}.csv", r.org_name),
        CSV,
        body,
    ))
}
