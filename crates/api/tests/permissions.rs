//! Every endpoint × role × scope: a permission table drives in-process requests against a
//! real store on SQLite (the store suite itself runs on both SQLite and PostgreSQL).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use common::{login, new_org as org, send as call};
use http_body_util::BodyExt;
use jiceng_domain::member::Gender;
use jiceng_store::auth::NewUser;
use jiceng_store::member::NewMember;
use jiceng_store::{Scope, Store};
use serde_json::{json, Value};
use std::net::SocketAddr;
use tower::ServiceExt;

struct World {
    app: Router,
    root: i64,
    town_a: i64,
    town_b: i64,
    branch_a: i64,
    branch_b: i64,
    member_a: i64,
    member_b: i64,
    unit_a: i64,
    unit_b: i64,
    person_a: i64,
    person_b: i64,
    _dir: tempfile::TempDir,
}

fn member(org: i64, name: &str, seq: u16) -> NewMember {
    let birth = chrono::NaiveDate::from_ymd_opt(1970, 5, 6).unwrap();
    NewMember {
        org_id: org,
        name: name.into(),
        gender: "1".into(),
        birth_date: "1970-05-06".into(),
        id_number: Some(jiceng_domain::idcard::generate(
            "341523",
            birth,
            seq,
            Gender::Male,
        )),
        education: "high_school".into(),
        occupation: "farmer".into(),
        join_date: "1995-07-01".into(),
        full_date: Some("1996-07-01".into()),
        phone: Some(format!("1380000{seq:04}")),
        ..Default::default()
    }
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/api.db", dir.path().display());
    let store = Store::open(&url, jiceng_store::crypto::Crypto::new(&[9u8; 32]).unwrap())
        .await
        .unwrap();
    let sys = Scope::system("test");
    let root = store
        .create_org(&sys, &org(None, "中共测试县委员会", "committee", "organ"))
        .await
        .unwrap()
        .id;
    let town_a = store
        .create_org(&sys, &org(Some(root), "甲镇党委", "committee", "rural"))
        .await
        .unwrap()
        .id;
    let town_b = store
        .create_org(&sys, &org(Some(root), "乙镇党委", "committee", "rural"))
        .await
        .unwrap()
        .id;
    let branch_a = store
        .create_org(&sys, &org(Some(town_a), "甲村党支部", "branch", "rural"))
        .await
        .unwrap()
        .id;
    let branch_b = store
        .create_org(&sys, &org(Some(town_b), "乙村党支部", "branch", "rural"))
        .await
        .unwrap()
        .id;
    let member_a = store
        .create_member(&sys, &member(branch_a, "张三", 11))
        .await
        .unwrap()
        .id;
    let member_b = store
        .create_member(&sys, &member(branch_b, "李四", 23))
        .await
        .unwrap()
        .id;
    let unit = |org_id: i64, name: &str| jiceng_store::new_org::NewNewOrg {
        org_id,
        name: name.into(),
        kind: "non_public_enterprise".into(),
        headcount: 20,
        full_members: 1,
        coverage: "none".into(),
        registered: "2020-01-01".into(),
        ..Default::default()
    };
    let unit_a = store
        .create_new_org(&sys, &unit(town_a, "甲镇某公司"))
        .await
        .unwrap()
        .id;
    let unit_b = store
        .create_new_org(&sys, &unit(town_b, "乙镇某公司"))
        .await
        .unwrap()
        .id;
    let applicant = |org_id: i64, name: &str| jiceng_store::development::NewApplicant {
        org_id,
        name: name.into(),
        gender: "2".into(),
        birth_date: "1999-09-09".into(),
        education: "bachelor".into(),
        occupation: "professional".into(),
        application_date: "2024-03-01".into(),
        ..Default::default()
    };
    let person_a = store
        .create_applicant(&sys, &applicant(branch_a, "申请人甲"))
        .await
        .unwrap()
        .id;
    let person_b = store
        .create_applicant(&sys, &applicant(branch_b, "申请人乙"))
        .await
        .unwrap()
        .id;
    for (u, role, o, m) in [
        ("admin", "admin", root, None),
        ("orgdept", "org_dept", root, None),
        ("towna", "committee", town_a, None),
        ("brancha", "branch", branch_a, None),
        ("selfa", "member", branch_a, Some(member_a)),
    ] {
        store
            .create_user(
                &sys,
                &NewUser {
                    username: u.into(),
                    display_name: u.into(),
                    password: "Test@12345".into(),
                    role: role.into(),
                    org_id: o,
                    member_id: m,
                    temporary: false,
                },
            )
            .await
            .unwrap();
    }
    let app = jiceng_api::router(jiceng_api::AppState::new(store))
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 4000))));
    World {
        app,
        root,
        town_a,
        town_b,
        branch_a,
        branch_b,
        member_a,
        member_b,
        unit_a,
        unit_b,
        person_a,
        person_b,
        _dir: dir,
    }
}

#[tokio::test]
async fn permission_table() {
    let w = world().await;
    let roles = ["admin", "orgdept", "towna", "brancha", "selfa"];
    let mut cookies = std::collections::HashMap::new();
    for r in roles {
        cookies.insert(r, login(&w.app, r).await);
    }
    // (method, uri, body, [expected status for admin, orgdept, towna, brancha, selfa])
    let ma = w.member_a;
    let mb = w.member_b;
    type Row = (Method, String, Option<Value>, [u16; 5]);
    let rows: Vec<Row> = vec![
        (
            Method::GET,
            "/api/v1/me".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/{}", w.root),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/{}", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/{}", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/{}", w.branch_a),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/{}", w.branch_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/{}/children", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/{}/events", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/{}/committee", w.branch_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        // The org picker's search is scoped like every org read; an unknown fit is 422.
        (
            Method::GET,
            "/api/v1/orgs/search?q=cun&fit=basic".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/orgs/search?fit=nope".into(),
            None,
            [422, 422, 422, 422, 422],
        ),
        // Transfer destinations (the whole deployment): only those who may issue transfers.
        (
            Method::GET,
            "/api/v1/transfers/destinations?q=%E4%B9%99".into(),
            None,
            [200, 200, 200, 200, 403],
        ),
        // A meeting's roster: MemberRead on the org, 404 outside.
        (
            Method::GET,
            format!("/api/v1/org-life/meetings/roster?org={}", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/org-life/meetings/roster?org={}", w.branch_a),
            None,
            [200, 200, 200, 200, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/org-life/meetings/roster?org={}", w.branch_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/members/{ma}"),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/members/{mb}"),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/members/{mb}/events"),
            None,
            [200, 200, 404, 404, 404],
        ),
        // Revealing one full ID number: admin and the organization department only (403 for
        // roles that may read the member, 404 out of scope); audited.
        (
            Method::POST,
            format!("/api/v1/members/{ma}/reveal-id"),
            Some(json!({"reason": "核对身份"})),
            [200, 200, 403, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/v1/members/{mb}/reveal-id"),
            Some(json!({})),
            [200, 200, 404, 404, 404],
        ),
        (
            Method::PATCH,
            format!("/api/v1/members/{mb}"),
            Some(json!({"version": 1, "phone": "13900000000"})),
            [200, 409, 404, 404, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/members/{mb}/events"),
            Some(json!({"version": 1, "kind": "floating_out", "date": "2020-01-01"})),
            [409, 409, 404, 404, 404],
        ),
        (
            Method::PATCH,
            format!("/api/v1/members/{ma}"),
            Some(json!({"version": 1, "address": "甲村一组"})),
            [200, 409, 409, 409, 403],
        ),
        (
            Method::POST,
            "/api/v1/orgs".into(),
            Some(
                json!({"parent_id": w.town_b, "name": "乙村第二党支部", "kind": "branch", "field": "rural", "founded": "2010-01-01"}),
            ),
            [201, 409, 404, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/orgs".into(),
            Some(
                json!({"parent_id": w.town_a, "name": "甲村第二党支部", "kind": "branch", "field": "rural", "founded": "2010-01-01"}),
            ),
            [201, 409, 409, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/orgs".into(),
            Some(
                json!({"parent_id": w.branch_a, "name": "第一党小组", "kind": "group", "field": "rural", "founded": "2010-01-01"}),
            ),
            [201, 409, 409, 403, 404],
        ),
        (
            Method::PATCH,
            format!("/api/v1/orgs/{}", w.branch_b),
            Some(json!({"version": 1, "phone": "0550-1234567"})),
            [200, 409, 404, 404, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/orgs/{}/dissolve", w.branch_b),
            Some(json!({"version": 99, "date": "2020-01-01"})),
            [409, 409, 404, 404, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/orgs/{}/move", w.town_a),
            Some(json!({"version": 99, "parent_id": w.town_b, "date": "2020-01-01"})),
            [409, 409, 403, 404, 404],
        ),
        (
            Method::GET,
            "/api/v1/audit".into(),
            None,
            [200, 200, 403, 403, 403],
        ),
        (
            Method::GET,
            "/api/v1/users".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(
                json!({"username": "x_new", "display_name": "新用户", "password": "Abc@12345", "role": "branch", "org_id": w.branch_b}),
            ),
            [201, 404, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/summary?org={}", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/summary?org={}", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/summary.csv?org={}", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/summary.csv?org={}", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/summary.xlsx?org={}", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/summary.xlsx?org={}", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/members?org={}&filter=%22female%22", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/members?org={}&filter=%22female%22", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/annual?org={}&year=2024", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/annual?org={}&year=2024", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!(
                "/api/v1/stats/annual/drill?org={}&year=2024&cell=T1/16/A",
                w.town_a
            ),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!(
                "/api/v1/stats/annual/drill?org={}&year=2024&cell=T1/16/A",
                w.town_b
            ),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!(
                "/api/v1/stats/annual/drill?org={}&year=2024&list=T3-1",
                w.town_a
            ),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!(
                "/api/v1/stats/annual/drill?org={}&year=2024&list=T3-1",
                w.town_b
            ),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!(
                "/api/v1/stats/annual.csv?org={}&year=2024&table=T2",
                w.town_a
            ),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!(
                "/api/v1/stats/annual.csv?org={}&year=2024&table=T2",
                w.town_b
            ),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/annual.xlsx?org={}&year=2024", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/annual.xlsx?org={}&year=2024", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!(
                "/api/v1/stats/annual/drill?org={}&year=2024&cell=T2/1/C",
                w.branch_a
            ),
            None,
            [200, 200, 200, 200, 404],
        ),
        (
            Method::GET,
            format!(
                "/api/v1/stats/annual/drill?org={}&year=2024&cell=T9/1/A",
                w.branch_a
            ),
            None,
            [422, 422, 422, 422, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/members?org={}&filter=%7Bbad", w.branch_a),
            None,
            [422, 422, 422, 422, 422],
        ),
        (
            Method::GET,
            "/api/v1/new-orgs".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/new-orgs/{}", w.unit_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/new-orgs/{}", w.unit_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::PATCH,
            format!("/api/v1/new-orgs/{}", w.unit_a),
            Some(json!({"version": 1, "headcount": 30})),
            [200, 409, 409, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/new-orgs".into(),
            Some(
                json!({"org_id": w.town_b, "name": "新登记公司", "kind": "social_org", "headcount": 5,
                "full_members": 0, "coverage": "none", "registered": "2021-05-01"}),
            ),
            [201, 201, 404, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/new-orgs".into(),
            Some(
                json!({"org_id": w.town_a, "name": "坏数据", "kind": "spaceship", "headcount": 5,
                "full_members": 0, "coverage": "none", "registered": "2021-05-01"}),
            ),
            [422, 422, 422, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/coverage?org={}", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/stats/coverage?org={}", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            "/api/v1/development/people".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/development/people/{}", w.person_a),
            None,
            [200, 200, 200, 200, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/development/people/{}", w.person_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/development/people/{}/steps", w.person_a),
            Some(json!({"version": 1, "kind": "talk", "date": "2024-03-15"})),
            [201, 409, 409, 409, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/development/people/{}/steps", w.person_b),
            Some(json!({"version": 1, "kind": "candidate", "date": "2024-03-15"})),
            [422, 422, 404, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/development/people".into(),
            Some(
                json!({"org_id": w.branch_a, "name": "新申请人", "gender": "1", "birth_date": "2001-01-01",
                "education": "college", "occupation": "worker", "application_date": "2024-05-01"}),
            ),
            [201, 201, 201, 201, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/development/board?org={}", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/development/due?org={}", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            "/api/v1/rules/overlays".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/rules/overlays".into(),
            Some(
                json!({"code": "county.test", "name_zh": "测试县补充规定", "effective": "2024-01-01",
                "source_document": "测试县委组织部〔2024〕1号",
                "added_rules": [{"key": "local.development.activist_min_months", "value": 6, "unit": "months", "source": "第三条"}]}),
            ),
            [201, 409, 403, 403, 403],
        ),
        (
            Method::GET,
            "/api/v1/ratings/schemes".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/ratings/rounds".into(),
            Some(json!({"org_id": w.town_a, "year": 2011, "scheme": "village.five_tier"})),
            [201, 409, 403, 404, 404],
        ),
        (
            // The round just opened over town_a (id 1): its villages, scored or not, within
            // each caller's scope (a plain member sees no round); a bad status filter is
            // explained.
            Method::GET,
            "/api/v1/ratings/rounds/1/orgs?page_size=50".into(),
            None,
            [200, 200, 200, 200, 404],
        ),
        (
            Method::GET,
            "/api/v1/ratings/rounds/1/orgs?status=nope".into(),
            None,
            [422, 422, 422, 422, 404],
        ),
        (
            // Publishing and withdrawing decide: the department (and admin) only — here
            // refused on the merits (nothing approved; nothing published).
            Method::POST,
            "/api/v1/ratings/rounds/1/publish".into(),
            Some(json!({"partial": true, "reason": "先公布已审定的部分村的结果"})),
            [422, 422, 403, 403, 404],
        ),
        (
            Method::POST,
            "/api/v1/ratings/rounds/1/withdraw".into(),
            Some(json!({"reason": "公布有误，撤回后重新审定"})),
            [422, 422, 403, 403, 404],
        ),
        (
            Method::GET,
            "/api/v1/ratings/rounds/1/publications".into(),
            None,
            [200, 200, 200, 200, 404],
        ),
        (
            Method::GET,
            "/api/v1/ratings/rounds".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/ratings/distribution?org={}&year=2011", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/ratings/ledger?org={}&year=2011", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!(
                "/api/v1/stats/annual.csv?org={}&year=2024&table=T8",
                w.town_a
            ),
            None,
            [422, 422, 422, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/ratings/rectifications?org={}&year=2011", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/ratings/rectifications".into(),
            Some(
                json!({"org_id": w.branch_b, "year": 2011, "problems": "x", "measures": "y", "owner": "z", "deadline": "2012-05-31"}),
            ),
            [422, 422, 404, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/appraisals".into(),
            Some(json!({"org_id": w.branch_a, "year": 2024})),
            [201, 409, 409, 409, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/appraisals?org={}&year=2024", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/appraisals?org={}", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/appraisals?org={}&year=2024", w.branch_a),
            None,
            [200, 200, 200, 200, 404],
        ),
        (
            Method::GET,
            "/api/v1/appraisals".into(),
            None,
            [200, 200, 200, 200, 404],
        ),
        (
            Method::POST,
            "/api/v1/ballots/slip".into(),
            Some(json!({"token": "NOTATOKEN1"})),
            [422, 422, 422, 422, 422],
        ),
        (
            Method::POST,
            "/api/v1/appraisals/ballots".into(),
            Some(json!({"token": "NOTATOKEN1", "grades": {}})),
            [422, 422, 422, 422, 422],
        ),
        (
            Method::GET,
            format!("/api/v1/development/stats?org={}&year=2024", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/ratings/ledger.xlsx?org={}&year=2011", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/secretary-evals".into(),
            Some(json!({"org_id": w.branch_a, "year": 2024, "secretary": "张书记"})),
            [201, 409, 409, 403, 403],
        ),
        (
            Method::GET,
            format!("/api/v1/secretary-evals?org={}&year=2024", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/secretary-evals?org={}", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/secretary-evals?org={}", w.branch_a),
            None,
            [200, 200, 200, 200, 404],
        ),
        (
            Method::POST,
            "/api/v1/secretary-evals/ballots".into(),
            Some(json!({"token": "NOTATOKEN1", "grade": "excellent"})),
            [422, 422, 422, 422, 422],
        ),
        (
            Method::GET,
            format!("/api/v1/org-life/meetings?org={}", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/org-life/meetings".into(),
            Some(
                json!({"org_id": w.branch_a, "kind": "theme_day", "held_on": "2024-01-10", "topic": "学习党章",
                "attendance": [{"member_id": w.member_a, "status": "present"}]}),
            ),
            [201, 201, 201, 201, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/org-life/meetings?org={}", w.branch_a),
            None,
            [200, 200, 200, 200, 404],
        ),
        (
            Method::POST,
            "/api/v1/dues".into(),
            Some(
                json!({"member_id": w.member_a, "months": ["2024-01"], "amount_fen": 100, "paid_on": "2024-01-10"}),
            ),
            [201, 409, 409, 409, 403],
        ),
        (
            Method::GET,
            format!("/api/v1/members/{}/dues", w.member_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/members/{}/org-life", w.member_a),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/members/{}/org-life", w.member_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/org-life/self-withdrawal?org={}", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/members/{}/self-withdrawal", w.member_b),
            Some(
                json!({"version": 1, "meeting_date": "2024-03-01", "entitled": 5, "present": 5, "ayes": 5,
                "approved_on": "2024-03-10", "approved_by": "乙镇党委"}),
            ),
            [422, 422, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/alerts?org={}", w.town_a),
            None,
            [200, 200, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/warnings?org={}", w.town_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            "/api/v1/codes".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
    ];
    for (method, uri, body, expect) in rows {
        for (i, r) in roles.iter().enumerate() {
            // Fresh world per write row would be slow; writes above are arranged so that the
            // first role that may write succeeds and later ones meet the bumped version (409)
            // or a duplicate name (409) — proving they passed the scope check.
            let (status, v) = call(
                &w.app,
                method.clone(),
                &uri,
                Some(&cookies[r]),
                body.clone(),
                true,
            )
            .await;
            assert_eq!(status.as_u16(), expect[i], "{method} {uri} as {r}: {v}");
            if status.is_client_error() {
                assert!(
                    v["code"].is_string() && v["detail"].is_string(),
                    "problem+json body for {method} {uri} as {r}: {v}"
                );
            }
        }
    }
}

#[tokio::test]
async fn round_orgs_are_the_villages_in_scope() {
    let w = world().await;
    let admin = login(&w.app, "admin").await;
    let town = login(&w.app, "towna").await;
    let (s, r) = call(
        &w.app,
        Method::POST,
        "/api/v1/ratings/rounds",
        Some(&admin),
        Some(json!({"org_id": w.root, "year": 2012, "scheme": "village.five_tier"})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let id = r["id"].as_i64().unwrap();
    let ids = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["org_id"].as_i64().unwrap())
            .collect()
    };
    let uri = format!("/api/v1/ratings/rounds/{id}/orgs");
    // The villages, not the townships above them (they have villages the scheme applies to).
    let (_, all) = call(&w.app, Method::GET, &uri, Some(&admin), None, false).await;
    assert_eq!(ids(&all), vec![w.branch_a, w.branch_b], "{all}");
    assert_eq!(all["counts"]["pending"], 2);
    assert!(all["items"][0]["rating"].is_null());
    // A township sees its own villages only.
    let (_, mine) = call(&w.app, Method::GET, &uri, Some(&town), None, false).await;
    assert_eq!(ids(&mine), vec![w.branch_a]);
    // Scored by the township: counted and filtered as scored, with the rating.
    let (s, v) = call(
        &w.app,
        Method::PUT,
        &format!("{uri}/{}", w.branch_a),
        Some(&town),
        Some(json!({"scores": {"1.1": 5, "4.1": 8}, "proposed_tier": "达标", "reason": "换届"})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, scored) = call(
        &w.app,
        Method::GET,
        &format!("{uri}?status=scored"),
        Some(&admin),
        None,
        false,
    )
    .await;
    assert_eq!(ids(&scored), vec![w.branch_a]);
    assert_eq!(scored["items"][0]["rating"]["total"], 13);
    assert_eq!(scored["counts"]["scored"], 1);
    assert_eq!(scored["counts"]["pending"], 1);
    let (_, proposed) = call(
        &w.app,
        Method::GET,
        &format!("{uri}?status=proposed"),
        Some(&admin),
        None,
        false,
    )
    .await;
    assert_eq!(ids(&proposed), vec![w.branch_a]);
    let (_, pending) = call(
        &w.app,
        Method::GET,
        &format!("{uri}?status=pending&page_size=1"),
        Some(&admin),
        None,
        false,
    )
    .await;
    assert_eq!(ids(&pending), vec![w.branch_b]);
    assert_eq!(pending["total"], 1);
}

#[tokio::test]
async fn ballot_slips_need_no_session_and_work_once() {
    let w = world().await;
    let admin = login(&w.app, "admin").await;
    let (s, a) = call(
        &w.app,
        Method::POST,
        "/api/v1/appraisals",
        Some(&admin),
        Some(json!({"org_id": w.branch_a, "year": 2024})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let (s, t) = call(
        &w.app,
        Method::POST,
        &format!("/api/v1/appraisals/{}/tokens", a["id"]),
        Some(&admin),
        Some(json!({"count": 1})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let token = t["tokens"][0].as_str().unwrap().to_string();
    // No cookie at all: the slip shows what is rated, then takes one ballot.
    let (s, slip) = call(
        &w.app,
        Method::POST,
        "/api/v1/ballots/slip",
        None,
        Some(json!({"token": token})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{slip}");
    assert_eq!(slip["kind"], "appraisal");
    assert_eq!(slip["org_name"], "甲村党支部");
    assert_eq!(slip["participants"][0]["member_id"], w.member_a);
    assert_eq!(slip["participants"][0]["name"], "张三");
    let ballot = json!({"token": token, "grades": {w.member_a.to_string(): "excellent"}});
    let (s, v) = call(
        &w.app,
        Method::POST,
        "/api/v1/appraisals/ballots",
        None,
        Some(ballot.clone()),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    for uri in ["/api/v1/appraisals/ballots", "/api/v1/ballots/slip"] {
        let (s, v) = call(&w.app, Method::POST, uri, None, Some(ballot.clone()), true).await;
        assert_eq!(s, StatusCode::CONFLICT, "{uri}: {v}");
        assert_eq!(v["code"], "duplicate");
        assert!(v["detail"].as_str().unwrap().contains("已经投过"), "{v}");
    }
    let (_, v) = call(
        &w.app,
        Method::GET,
        &format!("/api/v1/appraisals?org={}&year=2024", w.town_a),
        Some(&admin),
        None,
        false,
    )
    .await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["ballots_cast"], 1);
    assert_eq!(v["items"][0]["org_name"], "甲村党支部");
}

#[tokio::test]
async fn township_sees_only_its_township() {
    let w = world().await;
    let c = login(&w.app, "towna").await;
    let (s, v) = call(
        &w.app,
        Method::GET,
        "/api/v1/members",
        Some(&c),
        None,
        false,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["id"], w.member_a);
    assert!(
        v["items"][0]["id_number"].as_str().unwrap().contains("***"),
        "masked for township roles"
    );
    let (_, orgs) = call(&w.app, Method::GET, "/api/v1/orgs", Some(&c), None, false).await;
    let ids: Vec<i64> = orgs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![w.town_a, w.branch_a],
        "tree order, top of scope first"
    );
    let (s, _) = call(
        &w.app,
        Method::GET,
        &format!("/api/v1/members?org={}", w.town_b),
        Some(&c),
        None,
        false,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let admin = login(&w.app, "admin").await;
    let (_, v) = call(
        &w.app,
        Method::GET,
        &format!("/api/v1/members/{}", w.member_a),
        Some(&admin),
        None,
        false,
    )
    .await;
    assert!(
        v["id_number"].as_str().unwrap().contains("***"),
        "masked for admin too: revealing is an explicit, audited action"
    );
    assert_eq!(v["id_masked"], true);
    let (_, v) = call(
        &w.app,
        Method::GET,
        "/api/v1/members?q=zs",
        Some(&admin),
        None,
        false,
    )
    .await;
    assert_eq!(v["total"], 1, "pinyin initials search");
}

#[tokio::test]
async fn writes_need_session_and_header() {
    let w = world().await;
    let (s, v) = call(&w.app, Method::GET, "/api/v1/me", None, None, false).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["code"], "auth.required");
    let c = login(&w.app, "admin").await;
    let body = json!({"version": 1, "address": "x"});
    let (s, v) = call(
        &w.app,
        Method::PATCH,
        &format!("/api/v1/members/{}", w.member_a),
        Some(&c),
        Some(body),
        false,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(v["code"], "request.csrf_header_missing");
    let (s, _) = call(
        &w.app,
        Method::POST,
        "/api/v1/auth/logout",
        Some(&c),
        None,
        true,
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = call(&w.app, Method::GET, "/api/v1/me", Some(&c), None, false).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "session ended by logout");
}

#[tokio::test]
async fn stale_version_conflicts_and_bad_input_is_explained() {
    let w = world().await;
    let c = login(&w.app, "admin").await;
    let uri = format!("/api/v1/members/{}", w.member_a);
    let (s, v) = call(
        &w.app,
        Method::PATCH,
        &uri,
        Some(&c),
        Some(json!({"version": 1, "phone": "13911112222"})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["version"], 2);
    let (s, v) = call(
        &w.app,
        Method::PATCH,
        &uri,
        Some(&c),
        Some(json!({"version": 1, "phone": "13911113333"})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["code"], "conflict");
    assert_eq!(v["current_version"], 2);
    assert!(v["detail"].as_str().unwrap().contains("已被他人修改"));
    let (s, v) = call(
        &w.app,
        Method::PATCH,
        &uri,
        Some(&c),
        Some(json!({"version": 2, "id_number": "11010519491231002Y"})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["code"].as_str().unwrap().starts_with("member.id_card"),
        "{v}"
    );
    let (s, v) = call(
        &w.app,
        Method::POST,
        "/api/v1/members",
        Some(&c),
        Some(json!({"org_id": w.branch_a})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["code"], "request.invalid_json");
}

#[tokio::test]
async fn lockout_after_five_failures() {
    let w = world().await;
    for i in 0..5 {
        let (s, v) = call(
            &w.app,
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "towna", "password": "wrong"})),
            false,
        )
        .await;
        if i < 4 {
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
        } else {
            assert_eq!(s, StatusCode::LOCKED, "{v}");
        }
    }
    let (s, v) = call(
        &w.app,
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"username": "towna", "password": "Test@12345"})),
        false,
    )
    .await;
    assert_eq!(s, StatusCode::LOCKED);
    assert_eq!(v["code"], "auth.locked");
}

/// Finds a user's id and version in `GET /users` as seen by `cookie`.
async fn user_row(app: &Router, cookie: &str, name: &str) -> Option<Value> {
    let (s, v) = call(app, Method::GET, "/api/v1/users", Some(cookie), None, false).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == name)
        .cloned()
}

/// Creates a user through the API as `cookie` (password [`common::PASSWORD`]).
async fn api_user(app: &Router, cookie: &str, body: Value) -> (StatusCode, Value) {
    let mut body = body;
    body["display_name"] = body["username"].clone();
    body["password"] = json!(common::PASSWORD);
    call(
        app,
        Method::POST,
        "/api/v1/users",
        Some(cookie),
        Some(body),
        true,
    )
    .await
}

/// Issue 11 (S1, S3, S4a): account administration by role and scope, and the member a
/// user is linked to kept inside the creator's scope.
#[tokio::test]
async fn user_accounts_by_role_and_scope() {
    let w = world().await;
    let roles = ["admin", "orgdept", "towna", "brancha", "selfa"];
    let mut cookies = Vec::new();
    for r in roles {
        cookies.push(login(&w.app, r).await);
    }
    let admin = cookies[0].clone();
    for (name, org) in [("t_a", w.branch_a), ("t_b", w.branch_b)] {
        let (s, v) = api_user(
            &w.app,
            &admin,
            json!({"username": name, "role": "branch", "org_id": org}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(
            v["must_change_password"], true,
            "an administrator's password is temporary"
        );
    }
    let t_a = user_row(&w.app, &admin, "t_a").await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let t_b = user_row(&w.app, &admin, "t_b").await.unwrap()["id"]
        .as_i64()
        .unwrap();
    // (method, uri, body, [admin, orgdept, towna, brancha, selfa])
    type Row = (Method, String, Option<Value>, [u16; 5]);
    let rows: Vec<Row> = vec![
        (
            Method::PATCH,
            format!("/api/v1/users/{t_b}"),
            Some(json!({"version": 1, "display_name": "乙村支书"})),
            [200, 404, 404, 404, 404],
        ),
        (
            Method::PATCH,
            format!("/api/v1/users/{t_a}"),
            Some(json!({"version": 1, "roles": [{"role": "branch", "org_id": w.branch_a}]})),
            [200, 404, 404, 404, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/users/{t_a}/unlock"),
            None,
            [200, 404, 404, 404, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/users/{t_a}/reset-password"),
            None,
            [200, 404, 404, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/users/999999/unlock".into(),
            None,
            [404, 404, 404, 404, 404],
        ),
        // The member file (routed now): read in scope and by the member, written by staff.
        (
            Method::GET,
            format!("/api/v1/members/{}/documents", w.member_a),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/members/{}/documents", w.member_b),
            None,
            [200, 200, 404, 404, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/members/{}/documents", w.member_a),
            Some(json!({"kind": "application", "title": "入党申请书", "doc_date": "1994-03-01"})),
            [201, 201, 201, 201, 403],
        ),
        (
            Method::POST,
            format!("/api/v1/members/{}/documents", w.member_b),
            Some(json!({"kind": "application", "title": "入党申请书", "doc_date": "1994-03-01"})),
            [201, 201, 404, 404, 404],
        ),
    ];
    for (method, uri, body, expect) in rows {
        for (i, r) in roles.iter().enumerate() {
            let (s, v) = call(
                &w.app,
                method.clone(),
                &uri,
                Some(&cookies[i]),
                body.clone(),
                true,
            )
            .await;
            assert_eq!(s.as_u16(), expect[i], "{method} {uri} as {r}: {v}");
        }
    }
    // A township administrator (created by the county's, temporary password changed first).
    let (s, v) = api_user(
        &w.app,
        &admin,
        json!({"username": "town_admin", "role": "admin", "org_id": w.town_a}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let town = login(&w.app, "town_admin").await;
    let (s, v) = call(
        &w.app,
        Method::GET,
        "/api/v1/users",
        Some(&town),
        None,
        false,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(v["code"], "auth.password_change_required");
    let (s, v) = call(
        &w.app,
        Method::POST,
        "/api/v1/auth/password",
        Some(&town),
        Some(json!({"old_password": common::PASSWORD, "new_password": "Town@54321"})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    // S1: a member of the other township cannot be linked (absent to it); nor an unknown one
    // (S4a: was a 500); the township's own member can.
    for (mid, expect) in [(w.member_b, 404), (999_999, 404), (w.member_a, 201)] {
        let (s, v) = api_user(&w.app, &town, json!({"username": format!("self_{mid}"), "role": "member", "org_id": w.branch_a, "member_id": mid})).await;
        assert_eq!(s.as_u16(), expect, "member {mid}: {v}");
    }
    // Even the county administrator cannot link a member outside the user's org.
    let (s, v) = api_user(&w.app, &admin, json!({"username": "self_x", "role": "member", "org_id": w.branch_a, "member_id": w.member_b})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["code"], "auth.member_outside_org");
    // The township manages its own users only, and grants only inside its subtree.
    assert!(user_row(&w.app, &town, "t_b").await.is_none());
    let ta = user_row(&w.app, &town, "t_a").await.unwrap();
    let ver = ta["version"].as_i64().unwrap();
    for roles in [
        json!([{"role": "branch", "org_id": w.branch_b}]),
        json!([{"role": "admin", "org_id": w.root}]),
    ] {
        let (s, v) = call(
            &w.app,
            Method::PATCH,
            &format!("/api/v1/users/{t_a}"),
            Some(&town),
            Some(json!({"version": ver, "roles": roles})),
            true,
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    }
    let (s, _) = call(
        &w.app,
        Method::PATCH,
        &format!("/api/v1/users/{t_b}"),
        Some(&town),
        Some(json!({"version": 2, "disabled": true, "reason": "x"})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Disable t_a: its live session ends at once; stale versions conflict.
    let (s, v) = call(
        &w.app,
        Method::POST,
        &format!("/api/v1/users/{t_a}/reset-password"),
        Some(&town),
        None,
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let temp = v["temporary_password"].as_str().unwrap().to_string();
    let ver = v["user"]["version"].as_i64().unwrap();
    let (s, v) = call(
        &w.app,
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"username": "t_a", "password": temp})),
        false,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["must_change_password"], true);
    let (s, v) = call(
        &w.app,
        Method::PATCH,
        &format!("/api/v1/users/{t_a}"),
        Some(&town),
        Some(json!({"version": ver - 1, "disabled": true, "reason": "调离"})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["current_version"], ver);
    let (s, v) = call(
        &w.app,
        Method::PATCH,
        &format!("/api/v1/users/{t_a}"),
        Some(&town),
        Some(json!({"version": ver, "disabled": true, "reason": "调离"})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["disabled"], true);
    assert_eq!(v["disabled_reason"], "调离");
    let (s, v) = call(
        &w.app,
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"username": "t_a", "password": temp})),
        false,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["code"], "auth.disabled");
}

/// Issue 11 (S2): guessing the old password from a session is counted, locked, audited and
/// ends the sessions, like failed logins.
#[tokio::test]
async fn wrong_old_password_locks_like_login() {
    let w = world().await;
    let c = login(&w.app, "brancha").await;
    let other = login(&w.app, "brancha").await;
    let body = json!({"old_password": "Wrong@pass1", "new_password": "Branch@54321"});
    for i in 0..5 {
        let (s, v) = call(
            &w.app,
            Method::POST,
            "/api/v1/auth/password",
            Some(&c),
            Some(body.clone()),
            true,
        )
        .await;
        if i < 4 {
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            assert_eq!(v["code"], "auth.wrong_password");
        } else {
            assert_eq!(s, StatusCode::LOCKED, "{v}");
            assert_eq!(v["code"], "auth.locked");
        }
    }
    for cookie in [&c, &other] {
        let (s, _) = call(&w.app, Method::GET, "/api/v1/me", Some(cookie), None, false).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "locking ends every session");
    }
    let admin = login(&w.app, "admin").await;
    let (s, v) = call(
        &w.app,
        Method::GET,
        "/api/v1/audit?page_size=100",
        Some(&admin),
        None,
        false,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let actions: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "auth.password_failed")
            .count(),
        4,
        "{actions:?}"
    );
    assert!(actions.contains(&"auth.locked"));
    assert!(!v.to_string().contains("Wrong@pass1"));
    let row = user_row(&w.app, &admin, "brancha").await.unwrap();
    assert!(row["locked_until"].is_string(), "{row}");
    let id = row["id"].as_i64().unwrap();
    let (s, _) = call(
        &w.app,
        Method::POST,
        &format!("/api/v1/users/{id}/unlock"),
        Some(&admin),
        None,
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    login(&w.app, "brancha").await;
    // The per-address limiter covers password attempts too.
    let fresh = login(&w.app, "towna").await;
    let mut limited = false;
    for _ in 0..25 {
        let (s, _) = call(
            &w.app,
            Method::POST,
            "/api/v1/auth/password",
            Some(&fresh),
            Some(json!({"old_password": common::PASSWORD, "new_password": "weak"})),
            true,
        )
        .await;
        if s == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(limited, "password attempts are rate-limited");
}

/// Issue 11 (S4c): behind --trust-proxy, login and lockout rows record the client's
/// address, not the proxy's.
#[tokio::test]
async fn audit_records_the_client_behind_a_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/proxy.db", dir.path().display());
    let store = Store::open(&url, jiceng_store::crypto::Crypto::new(&[9u8; 32]).unwrap())
        .await
        .unwrap();
    let sys = Scope::system("test");
    let root = store
        .create_org(&sys, &org(None, "中共测试县委员会", "committee", "organ"))
        .await
        .unwrap()
        .id;
    for name in ["admin", "victim"] {
        store
            .create_user(
                &sys,
                &NewUser {
                    username: name.into(),
                    display_name: name.into(),
                    password: common::PASSWORD.into(),
                    role: "admin".into(),
                    org_id: root,
                    member_id: None,
                    temporary: false,
                },
            )
            .await
            .unwrap();
    }
    let mut state = jiceng_api::AppState::new(store);
    state.trust_proxy = true;
    let app =
        jiceng_api::router(state).layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 1], 4000))));
    let send = |user: &str, pw: &str, xff: &str| {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", xff)
            .body(Body::from(
                json!({"username": user, "password": pw}).to_string(),
            ))
            .unwrap();
        app.clone().oneshot(req)
    };
    let res = send("admin", common::PASSWORD, "203.0.113.7")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    for _ in 0..5 {
        send("victim", "Wrong@pass1", "198.51.100.9").await.unwrap();
    }
    let (s, v) = call(
        &app,
        Method::GET,
        "/api/v1/audit?page_size=100",
        Some(&cookie),
        None,
        false,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let addr_of = |action: &str| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["action"] == action)
            .map(|r| r["client_addr"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(addr_of("auth.login"), vec!["203.0.113.7"]);
    assert_eq!(addr_of("auth.login_failed"), vec!["198.51.100.9"; 4]);
    assert_eq!(addr_of("auth.locked"), vec!["198.51.100.9"]);
}

#[tokio::test]
async fn openapi_lists_the_contract() {
    let w = world().await;
    let (s, v) = call(&w.app, Method::GET, "/api/openapi.json", None, None, false).await;
    assert_eq!(s, StatusCode::OK);
    for p in [
        "/api/v1/auth/login",
        "/api/v1/orgs",
        "/api/v1/orgs/{id}",
        "/api/v1/orgs/{id}/children",
        "/api/v1/members",
        "/api/v1/members/{id}",
        "/api/v1/warnings",
        "/api/v1/me",
        "/api/v1/auth/logout",
    ] {
        assert!(v["paths"][p].is_object(), "missing {p}");
    }
}

#[tokio::test]
async fn export_is_scoped_masked_and_audited() {
    let w = world().await;
    let raw = |cookie: String, uri: String| {
        let app = w.app.clone();
        async move {
            let req = Request::builder()
                .uri(uri)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap();
            let res = app.oneshot(req).await.unwrap();
            let status = res.status();
            let ct = res
                .headers()
                .get(header::CONTENT_TYPE)
                .map(|v| v.to_str().unwrap().to_string());
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            (status, ct, bytes)
        }
    };
    let admin = login(&w.app, "admin").await;
    let town = login(&w.app, "towna").await;
    let (s, ct, bytes) = raw(
        town.clone(),
        "/api/v1/members/export.xlsx?reveal=true".into(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.unwrap().contains("spreadsheetml"));
    assert_eq!(&bytes[..2], b"PK", "an XLSX (zip) workbook");
    let (s, _, _) = raw(
        town.clone(),
        format!("/api/v1/members/export.xlsx?org={}", w.town_b),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another township's subtree");
    let (s, _, _) = raw(admin.clone(), "/api/v1/members/export.xlsx".into()).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = raw(
        admin.clone(),
        "/api/v1/members/export.xlsx?reveal=true".into(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, log) = call(
        &w.app,
        Method::GET,
        "/api/v1/audit?entity=member",
        Some(&admin),
        None,
        false,
    )
    .await;
    let exports: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "member.export")
        .collect();
    assert_eq!(exports.len(), 3, "every export is audited: {log}");
    // Newest first: admin with reveal (2 full numbers), admin masked (0), township asking to reveal (0: not allowed).
    assert_eq!(exports[0]["after"]["full_id_numbers"], 2);
    assert_eq!(exports[1]["after"]["full_id_numbers"], 0);
    assert_eq!(exports[2]["after"]["full_id_numbers"], 0);
    assert_eq!(exports[2]["after"]["rows"], 1);
}

#[tokio::test]
async fn swagger_ui_is_served() {
    let w = world().await;
    let req = Request::builder()
        .uri("/api/docs/")
        .body(Body::empty())
        .unwrap();
    let res = w.app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert!(
        String::from_utf8_lossy(&body).contains("swagger"),
        "Swagger UI page"
    );
}

#[tokio::test]
async fn appraisal_reviews_by_role_and_scope() {
    let w = world().await;
    let admin = login(&w.app, "admin").await;
    let mut ids = Vec::new();
    for org in [w.branch_a, w.branch_b] {
        let (s, a) = call(
            &w.app,
            Method::POST,
            "/api/v1/appraisals",
            Some(&admin),
            Some(json!({"org_id": org, "year": 2024})),
            true,
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        ids.push(a["id"].as_i64().unwrap());
    }
    let body = |m: i64| {
        Some(json!({"member_id": m, "kind": "self", "date": "2024-12-10", "text": "自评"}))
    };
    // Own branch's appraisal: every role that may write members there records; the plain
    // member cannot see it.
    for (role, want) in [
        ("admin", StatusCode::CREATED),
        ("orgdept", StatusCode::CREATED),
        ("towna", StatusCode::CREATED),
        ("brancha", StatusCode::CREATED),
        ("selfa", StatusCode::NOT_FOUND),
    ] {
        let who = login(&w.app, role).await;
        let uri = format!("/api/v1/appraisals/{}/reviews", ids[0]);
        let (s, v) = call(
            &w.app,
            Method::POST,
            &uri,
            Some(&who),
            body(w.member_a),
            true,
        )
        .await;
        assert_eq!(s, want, "{role}: {v}");
        // The other township's appraisal: out of scope for the township and branch users.
        let uri = format!("/api/v1/appraisals/{}/reviews", ids[1]);
        let (s, v) = call(
            &w.app,
            Method::POST,
            &uri,
            Some(&who),
            body(w.member_b),
            true,
        )
        .await;
        let want_b = if matches!(role, "admin" | "orgdept") {
            StatusCode::CREATED
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(s, want_b, "{role} on the other township: {v}");
    }
    let (_, v) = call(
        &w.app,
        Method::GET,
        &format!("/api/v1/appraisals/{}", ids[0]),
        Some(&admin),
        None,
        false,
    )
    .await;
    assert_eq!(v["participants"][0]["self_review"]["text"], "自评");
}

#[tokio::test]
async fn org_search_and_transfer_destinations() {
    let w = world().await;
    let town = login(&w.app, "towna").await;
    let get = |c: &str, uri: &str| {
        let (app, c, uri) = (w.app.clone(), c.to_string(), uri.to_string());
        async move { call(&app, Method::GET, &uri, Some(&c), None, false).await }
    };
    // Scoped: the township finds its own village by pinyin initials, never the other one.
    let (s, v) = get(&town, "/api/v1/orgs/search?q=cdzb").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let found: Vec<i64> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(found, vec![w.branch_a], "{v}");
    assert_eq!(
        v["items"][0]["path_names"],
        json!(["中共测试县委员会", "甲镇党委", "甲村党支部"])
    );
    // Destinations: the other township's branch, with names only.
    let (s, v) = get(&town, "/api/v1/transfers/destinations?q=%E4%B9%99%E6%9D%91").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["items"][0]["id"], w.branch_b, "{v}");
    let keys: Vec<&String> = v["items"][0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        vec![
            "holds_members",
            "id",
            "kind",
            "kind_zh",
            "name",
            "path_names"
        ],
        "only what is needed to choose"
    );
    // …and the township may issue a transfer to it; the other side's org stays out of reach.
    let (_, m) = get(&town, &format!("/api/v1/members/{}", w.member_a)).await;
    let (s, t) = call(
        &w.app,
        Method::POST,
        "/api/v1/transfers",
        Some(&town),
        Some(
            json!({"kind": "internal", "member_id": w.member_a, "version": m["version"],
            "to_org_id": w.branch_b, "issued": "2024-01-10"}),
        ),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    assert_eq!(t["to_org_name"], "乙村党支部");
    let (s, _) = get(&town, &format!("/api/v1/orgs/{}", w.branch_b)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
#[tokio::test]
async fn id_numbers_are_masked_and_revealed_one_at_a_time() {
    let w = world().await;
    let dept = login(&w.app, "orgdept").await;
    let ma = w.member_a;
    // Masked on the member page and in the roster, for the organization department too.
    let (_, v) = call(
        &w.app,
        Method::GET,
        &format!("/api/v1/members/{ma}"),
        Some(&dept),
        None,
        false,
    )
    .await;
    let masked = v["id_number"].as_str().unwrap().to_string();
    assert_eq!(masked.len(), 18);
    assert_eq!(
        &masked[3..14],
        "***********",
        "110***********123X: {masked}"
    );
    assert_eq!(v["id_masked"], true);
    let (_, list) = call(
        &w.app,
        Method::GET,
        "/api/v1/members",
        Some(&dept),
        None,
        false,
    )
    .await;
    for m in list["items"].as_array().unwrap() {
        assert!(m["id_number"].as_str().unwrap().contains("***********"));
    }
    // Revealing is an explicit write: the full number, and an audit row with the reason.
    let (s, r) = call(
        &w.app,
        Method::POST,
        &format!("/api/v1/members/{ma}/reveal-id"),
        Some(&dept),
        Some(json!({"reason": "核对身份"})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let full = r["id_number"].as_str().unwrap();
    assert!(!full.contains('*'));
    assert_eq!(jiceng_domain::member::mask_id(full), masked);
    let admin = login(&w.app, "admin").await;
    let (_, log) = call(
        &w.app,
        Method::GET,
        "/api/v1/audit?entity=member",
        Some(&admin),
        None,
        false,
    )
    .await;
    let reveals: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "member.reveal_id")
        .collect();
    assert_eq!(reveals.len(), 1, "{log}");
    assert_eq!(reveals[0]["entity_id"], ma.to_string());
    assert_eq!(reveals[0]["after"]["reason"], "核对身份");
    assert!(
        !reveals[0].to_string().contains(full),
        "the audit row never holds the full number"
    );
    // Without the right: 403 (township), no audit row; the header is required (a write).
    let town = login(&w.app, "towna").await;
    let (s, v) = call(
        &w.app,
        Method::POST,
        &format!("/api/v1/members/{ma}/reveal-id"),
        Some(&town),
        Some(json!({})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(v["code"], "forbidden");
    let (s, _) = call(
        &w.app,
        Method::POST,
        &format!("/api/v1/members/{ma}/reveal-id"),
        Some(&dept),
        Some(json!({})),
        false,
    )
    .await;
    assert_ne!(
        s,
        StatusCode::OK,
        "a write needs the X-Requested-With header"
    );
    let (s, v) = call(
        &w.app,
        Method::POST,
        &format!("/api/v1/members/{ma}/reveal-id"),
        Some(&dept),
        Some(json!({"reason": "长".repeat(201)})),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["code"], "member.reveal_reason_length");
}
