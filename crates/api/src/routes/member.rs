//! Member endpoints.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiceng_store::member::{
    MemberDocument, MemberEvent, MemberFilter, MemberPatch, MemberView, NewMember,
    NewMemberDocument, NewMemberEvent,
};
use jiceng_store::Page;

use crate::error::{ApiResult, Problem};
use crate::extract::{Caller, Json, Query};
use crate::AppState;

/// Searches the roster within scope (`org` limits to a subtree, `q` searches).
#[utoipa::path(get, operation_id = "member_list", path = "/api/v1/members", tag = "member", params(MemberFilter),
    responses((status = 200, body = Page<MemberView>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(f): Query<MemberFilter>,
) -> ApiResult<axum::Json<Page<MemberView>>> {
    Ok(axum::Json(s.store.list_members(&c.scope, &f).await?))
}

/// Creates a member record with its entry events.
#[utoipa::path(post, operation_id = "member_create", path = "/api/v1/members", tag = "member", request_body = NewMember,
    responses((status = 201, body = MemberView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    c: Caller,
    Json(n): Json<NewMember>,
) -> ApiResult<(StatusCode, axum::Json<MemberView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_member(&c.scope, &n).await?),
    ))
}

/// Reads a member (ID number always masked; see `reveal_id`).
#[utoipa::path(get, operation_id = "member_get", path = "/api/v1/members/{id}", tag = "member", params(("id" = i64, Path)),
    responses((status = 200, body = MemberView), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<MemberView>> {
    Ok(axum::Json(s.store.get_member(&c.scope, id).await?))
}

/// What a reveal asks (the reason is optional and goes into the audit log).
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct RevealIdRequest {
    /// Why the full number is needed (optional, at most 200 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// A member's full ID number, revealed on request.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RevealIdResponse {
    /// The member.
    pub member_id: i64,
    /// The full ID number (none when no number is on file).
    pub id_number: Option<String>,
}

/// Shows one member's full ID number (screens and lists always mask it). Only roles that may
/// see full numbers (admin, organization department within their grant; 403 otherwise, 404
/// out of scope); every reveal is audited as `member.reveal_id` with the optional reason.
#[utoipa::path(post, operation_id = "member_reveal_id", path = "/api/v1/members/{id}/reveal-id", tag = "member", params(("id" = i64, Path)), request_body = RevealIdRequest,
    responses((status = 200, body = RevealIdResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reveal_id(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(r): Json<RevealIdRequest>,
) -> ApiResult<axum::Json<RevealIdResponse>> {
    let id_number = s
        .store
        .reveal_member_id(&c.scope, id, r.reason.as_deref())
        .await?;
    Ok(axum::Json(RevealIdResponse {
        member_id: id,
        id_number,
    }))
}

/// Edits a member's attributes (stale `version` → 409).
#[utoipa::path(patch, operation_id = "member_update", path = "/api/v1/members/{id}", tag = "member", params(("id" = i64, Path)), request_body = MemberPatch,
    responses((status = 200, body = MemberView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(p): Json<MemberPatch>,
) -> ApiResult<axum::Json<MemberView>> {
    Ok(axum::Json(s.store.update_member(&c.scope, id, &p).await?))
}

/// The member's dated history.
#[utoipa::path(get, operation_id = "member_events", path = "/api/v1/members/{id}/events", tag = "member", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MemberEvent>), (status = 404, body = Problem)))]
pub async fn events(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<MemberEvent>>> {
    Ok(axum::Json(s.store.member_events(&c.scope, id).await?))
}

/// Records a lifecycle event (conversion, move, transfer, death…).
#[utoipa::path(post, operation_id = "member_add_event", path = "/api/v1/members/{id}/events", tag = "member", params(("id" = i64, Path)), request_body = NewMemberEvent,
    responses((status = 201, body = MemberView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_event(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(e): Json<NewMemberEvent>,
) -> ApiResult<(StatusCode, axum::Json<MemberView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.add_member_event(&c.scope, id, &e).await?),
    ))
}

/// Column headers of the member ledger (党员花名册) export.
const LEDGER_HEADERS: [&str; 20] = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号码",
    "籍贯",
    "学历",
    "职业类别",
    "所在党组织",
    "人员类别",
    "入党时间",
    "转正时间",
    "联系电话",
    "家庭住址",
    "村干部职务",
    "流动党员",
    "离退休",
    "建国前老党员",
    "困难党员",
];

fn label<T: jiceng_domain::codes::Coded>(code: &str) -> String {
    T::from_code(code)
        .map(|v| v.zh().to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Builds the ledger workbook.
fn ledger_xlsx(rows: &[MemberView]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use jiceng_domain::member::{Education, Gender, MemberStatus, Occupation, VillagePost};
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("党员花名册")?;
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_background_color("#F2DCDB");
    let cell = Format::new().set_border(FormatBorder::Thin);
    ws.merge_range(
        0,
        0,
        0,
        (LEDGER_HEADERS.len() - 1) as u16,
        "党员花名册",
        &title,
    )?;
    for (c, h) in LEDGER_HEADERS.iter().enumerate() {
        ws.write_with_format(1, c as u16, *h, &head)?;
    }
    let yes = |b: bool| if b { "是" } else { "" };
    for (i, m) in rows.iter().enumerate() {
        let r = (i + 2) as u32;
        let vals: [String; 20] = [
            (i + 1).to_string(),
            m.name.clone(),
            label::<Gender>(&m.gender),
            m.ethnicity_zh.clone(),
            m.birth_date.clone(),
            m.id_number.clone().unwrap_or_default(),
            m.native_place.clone().unwrap_or_default(),
            label::<Education>(&m.education),
            label::<Occupation>(&m.occupation),
            m.org_name.clone().unwrap_or_default(),
            m.status
                .as_deref()
                .map(label::<MemberStatus>)
                .unwrap_or_else(|| "已出党/转出".into()),
            m.join_date.clone().unwrap_or_default(),
            m.full_date.clone().unwrap_or_default(),
            m.phone.clone().unwrap_or_default(),
            m.address.clone().unwrap_or_default(),
            m.village_post
                .as_deref()
                .map(label::<VillagePost>)
                .unwrap_or_default(),
            yes(m.floating).into(),
            yes(m.retired).into(),
            yes(m.pre1949_veteran).into(),
            yes(m.in_difficulty).into(),
        ];
        for (c, v) in vals.iter().enumerate() {
            ws.write_with_format(r, c as u16, v.as_str(), &cell)?;
        }
    }
    let widths = [
        6, 10, 6, 8, 12, 22, 12, 12, 16, 28, 10, 12, 12, 14, 24, 14, 8, 8, 10, 8,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(2, 2)?;
    wb.save_to_buffer()
}

/// Exports the current roster view as an XLSX ledger (党员花名册). ID numbers are masked
/// unless `reveal=true` and the role may see them; every export is audited.
#[utoipa::path(get, operation_id = "member_export", path = "/api/v1/members/export.xlsx", tag = "member", params(MemberFilter),
    responses((status = 200, description = "XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn export(
    State(s): State<AppState>,
    c: Caller,
    Query(f): Query<MemberFilter>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let rows = s
        .store
        .export_members(&c.scope, &f, f.reveal.unwrap_or(false), 100_000)
        .await?;
    let bytes = ledger_xlsx(&rows).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        crate::error::ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "export.failed",
            "导出失败，请稍后重试",
        )
    })?;
    let name = format!("党员花名册-{}.xlsx", chrono::Utc::now().format("%Y%m%d"));
    let disposition = format!(
        "attachment; filename=\"members.xlsx\"; filename*=UTF-8''{}",
        percent_encode(&name)
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

pub(crate) fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The member's file (党员档案): catalogue of documents with their dates.
#[utoipa::path(get, operation_id = "member_documents", path = "/api/v1/members/{id}/documents", tag = "member", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MemberDocument>), (status = 404, body = Problem)))]
pub async fn documents(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<MemberDocument>>> {
    Ok(axum::Json(s.store.member_documents(&c.scope, id).await?))
}

/// Adds a document to the member's file.
#[utoipa::path(post, operation_id = "member_add_document", path = "/api/v1/members/{id}/documents", tag = "member", params(("id" = i64, Path)), request_body = NewMemberDocument,
    responses((status = 201, body = MemberDocument), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_document(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(d): Json<NewMemberDocument>,
) -> ApiResult<(StatusCode, axum::Json<MemberDocument>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.add_member_document(&c.scope, id, &d).await?),
    ))
}
