//! Code tables for forms and filters (one source: the domain crate).

use jiceng_domain::codes::Coded;
use serde::Serialize;
use std::collections::BTreeMap;

/// A code and its label.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CodeItem {
    /// Stored code.
    pub code: String,
    /// Chinese label.
    pub label: String,
}

fn table<T: Coded>() -> Vec<CodeItem> {
    T::ALL
        .iter()
        .map(|v| CodeItem {
            code: v.code().to_string(),
            label: v.zh().to_string(),
        })
        .collect()
}

/// All code tables, keyed by name.
#[utoipa::path(get, operation_id = "codes_codes", path = "/api/v1/codes", tag = "codes", responses((status = 200, body = Object)))]
pub async fn codes() -> axum::Json<BTreeMap<&'static str, Vec<CodeItem>>> {
    use jiceng_domain::member::*;
    use jiceng_domain::org::*;
    let mut m = BTreeMap::new();
    m.insert("org_kind", table::<OrgKind>());
    m.insert("field", table::<Field>());
    m.insert("setup_mode", table::<SetupMode>());
    m.insert("committee_role", table::<CommitteeRole>());
    m.insert("gender", table::<Gender>());
    m.insert("education", table::<Education>());
    m.insert("occupation", table::<Occupation>());
    m.insert("member_status", table::<MemberStatus>());
    m.insert("village_post", table::<VillagePost>());
    m.insert("member_event_kind", table::<MemberEventKind>());
    m.insert("role", table::<jiceng_store::Role>());
    m.insert("document_kind", table::<DocumentKind>());
    m.insert(
        "new_org_kind",
        table::<jiceng_domain::new_org::NewOrgKind>(),
    );
    m.insert("dev_stage", table::<jiceng_domain::development::Stage>());
    m.insert("dev_step", table::<jiceng_domain::development::StepKind>());
    m.insert(
        "transfer_kind",
        table::<jiceng_store::transfer::TransferKind>(),
    );
    m.insert(
        "transfer_status",
        table::<jiceng_store::transfer::TransferStatus>(),
    );
    m.insert(
        "floating_status",
        table::<jiceng_domain::floating::FloatingStatus>(),
    );
    m.insert(
        "contact_way",
        table::<jiceng_domain::floating::ContactWay>(),
    );
    m.insert("lost_cause", table::<jiceng_domain::floating::LostCause>());
    m.insert(
        "coverage_mode",
        table::<jiceng_domain::new_org::CoverageMode>(),
    );
    m.insert(
        "ethnicity",
        jiceng_domain::ethnicity::ETHNICITIES
            .iter()
            .map(|(c, n)| CodeItem {
                code: c.to_string(),
                label: n.to_string(),
            })
            .collect(),
    );
    axum::Json(m)
}
