//! Transfers (组织关系转接) and floating members (流动党员): every endpoint × role × scope, in
//! the manner of `permissions.rs` (in-process requests against a real SQLite store; the
//! store's own suite runs both databases). Roles: admin and org_dept on the county,
//! committee on township A, branch on branch A, self-service member of branch A.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::Method;
use axum::Router;
use common::{login, new_org as org, send as call};
use jiceng_domain::member::Gender;
use jiceng_store::auth::NewUser;
use jiceng_store::floating::NewFloating;
use jiceng_store::member::NewMember;
use jiceng_store::transfer::NewTransfer;
use jiceng_store::{Scope, Store};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;

const ROLES: [&str; 5] = ["admin", "orgdept", "towna", "brancha", "selfa"];

struct World {
    app: Router,
    town_b: i64,
    branch_a: i64,
    branch_b: i64,
    m: HashMap<&'static str, i64>,
    t: HashMap<&'static str, i64>,
    f: HashMap<&'static str, i64>,
    _dir: tempfile::TempDir,
}

fn person(org: i64, name: &str) -> NewMember {
    NewMember {
        org_id: org,
        name: name.into(),
        gender: "1".into(),
        birth_date: "1975-05-06".into(),
        education: "high_school".into(),
        occupation: "farmer".into(),
        join_date: "2000-07-01".into(),
        full_date: Some("2001-07-01".into()),
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
    // "Today" for the rules (six months without contact, dates not in the future).
    store
        .set_setting(&sys, "reference_date", "2025-03-31")
        .await
        .unwrap();
    let mk_org = |parent: Option<i64>, name: &'static str, kind: &'static str| {
        let store = store.clone();
        let sys = sys.clone();
        async move {
            store
                .create_org(&sys, &org(parent, name, kind, "rural"))
                .await
                .unwrap()
                .id
        }
    };
    let root = mk_org(None, "中共测试县委员会", "committee").await;
    let town_a = mk_org(Some(root), "甲镇党委", "committee").await;
    let town_b = mk_org(Some(root), "乙镇党委", "committee").await;
    let branch_a = mk_org(Some(town_a), "甲村党支部", "branch").await;
    let branch_b = mk_org(Some(town_b), "乙村党支部", "branch").await;
    let branch_b2 = mk_org(Some(town_b), "乙二村党支部", "branch").await;
    let mut m = HashMap::new();
    for (key, org_id) in [
        ("a", branch_a),
        ("a_t1", branch_a),
        ("a_t4", branch_a),
        ("a_issue", branch_a),
        ("a_reg", branch_a),
        ("a_f1", branch_a),
        ("a_f5", branch_a),
        ("a_f6", branch_a),
        ("a_f7", branch_a),
        ("b_t2", branch_b),
        ("b_t3", branch_b),
        ("b_t5", branch_b),
        ("b_issue", branch_b),
        ("b_reg", branch_b),
        ("b_f2", branch_b),
        ("b_f3", branch_b),
        ("b_f4", branch_b),
        ("b_f8", branch_b),
    ] {
        let id = store
            .create_member(&sys, &person(org_id, key))
            .await
            .unwrap()
            .id;
        m.insert(key, id);
    }
    let version = |id: i64| {
        let store = store.clone();
        let sys = sys.clone();
        async move { store.get_member(&sys, id).await.unwrap().version }
    };
    let mut t = HashMap::new();
    for (key, member, to) in [
        ("t1", "a_t1", branch_b),
        ("t2", "b_t2", branch_a),
        ("t3", "b_t3", branch_b2),
        ("t4", "a_t4", branch_b),
        ("t5", "b_t5", branch_a),
    ] {
        let id = m[member];
        let n = NewTransfer {
            kind: "internal".into(),
            member_id: Some(id),
            version: Some(version(id).await),
            to_org_id: Some(to),
            letter_no: Some(format!("L-{key}")),
            issued: "2024-03-01".into(),
            ..Default::default()
        };
        t.insert(key, store.create_transfer(&sys, &n).await.unwrap().id);
    }
    let mut f = HashMap::new();
    for (key, member, out, receiving) in [
        ("f1", "a_f1", "2025-01-01", None),
        ("f2", "b_f2", "2025-01-01", Some(branch_a)),
        ("f3", "b_f3", "2020-01-01", None),
        ("f4", "b_f4", "2025-01-01", Some(branch_a)),
        ("f5", "a_f5", "2025-01-01", None),
        ("f6", "a_f6", "2020-01-01", None),
        ("f7", "a_f7", "2025-01-01", None),
        ("f8", "b_f8", "2025-01-01", None),
    ] {
        let id = m[member];
        let n = NewFloating {
            member_id: id,
            version: version(id).await,
            out_date: out.into(),
            certificate_no: format!("C-{key}"),
            destination: "广东省深圳市".into(),
            reason: "务工".into(),
            receiving_org_id: receiving,
            ..Default::default()
        };
        f.insert(
            key,
            store.register_floating(&sys, &n).await.unwrap().record.id,
        );
    }
    for (u, role, o, member) in [
        ("admin", "admin", root, None),
        ("orgdept", "org_dept", root, None),
        ("towna", "committee", town_a, None),
        ("brancha", "branch", branch_a, None),
        ("selfa", "member", branch_a, Some(m["a"])),
    ] {
        store
            .create_user(
                &sys,
                &NewUser {
                    username: u.into(),
                    display_name: u.into(),
                    password: common::PASSWORD.into(),
                    role: role.into(),
                    org_id: o,
                    member_id: member,
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
        town_b,
        branch_a,
        branch_b,
        m,
        t,
        f,
        _dir: dir,
    }
}

async fn cookies(app: &Router) -> HashMap<&'static str, String> {
    let mut out = HashMap::new();
    for r in ROLES {
        out.insert(r, login(app, r).await);
    }
    out
}

/// Runs the rows: each role in turn; writes are arranged so that the first role that may
/// write succeeds and the later ones, having passed the scope checks, meet the bumped
/// version (409) or the taken ID number (409).
async fn run(app: &Router, rows: Vec<(Method, String, Option<Value>, [u16; 5])>) {
    let c = cookies(app).await;
    for (method, uri, body, expect) in rows {
        for (i, r) in ROLES.iter().enumerate() {
            let (status, v) =
                call(app, method.clone(), &uri, Some(&c[r]), body.clone(), true).await;
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
async fn transfer_permission_table() {
    let w = world().await;
    let (t, m) = (&w.t, &w.m);
    let get = |uri: String, e: [u16; 5]| (Method::GET, uri, None, e);
    let post = |uri: String, body: Value, e: [u16; 5]| (Method::POST, uri, Some(body), e);
    let inbound = |to: i64, seq: u16| {
        json!({"kind": "inbound", "to_org_id": to, "letter_no": format!("IN-{seq}"),
            "origin": "外省某县某村党支部", "issued": "2024-05-01", "dues_paid_until": "2024-04",
            "person": {"name": format!("转入{seq}"), "gender": "1", "birth_date": "1980-01-02",
                "id_number": jiceng_domain::idcard::generate("341523",
                    chrono::NaiveDate::from_ymd_opt(1980, 1, 2).unwrap(), seq, Gender::Male),
                "education": "college", "occupation": "worker",
                "join_date": "2005-06-01", "full_date": "2006-06-01"}})
    };
    let rows = vec![
        get("/api/v1/transfers".into(), [200, 200, 200, 200, 200]),
        get(
            format!("/api/v1/transfers?org={}", w.town_b),
            [200, 200, 404, 404, 404],
        ),
        get(
            format!("/api/v1/transfers?org={}&direction=in", w.branch_a),
            [200, 200, 200, 200, 200],
        ),
        get(
            "/api/v1/transfers?direction=sideways".into(),
            [422, 422, 422, 422, 422],
        ),
        get(
            format!("/api/v1/transfers/{}", t["t1"]),
            [200, 200, 200, 200, 404],
        ),
        get(
            format!("/api/v1/transfers/{}", t["t2"]),
            [200, 200, 200, 200, 404],
        ),
        get(
            format!("/api/v1/transfers/{}", t["t3"]),
            [200, 200, 404, 404, 404],
        ),
        post(
            "/api/v1/transfers".into(),
            json!({"kind": "internal", "member_id": m["a_issue"], "version": 1,
                "to_org_id": w.branch_b, "issued": "2024-06-01"}),
            [201, 409, 409, 409, 404],
        ),
        post(
            "/api/v1/transfers".into(),
            json!({"kind": "internal", "member_id": m["b_issue"], "version": 1,
                "to_org_id": w.branch_a, "issued": "2024-06-01"}),
            [201, 409, 404, 404, 404],
        ),
        post(
            "/api/v1/transfers".into(),
            json!({"kind": "spaceship", "issued": "2024-06-01"}),
            [422, 422, 422, 422, 422],
        ),
        post(
            "/api/v1/transfers".into(),
            inbound(w.branch_a, 101),
            [201, 409, 409, 409, 404],
        ),
        post(
            "/api/v1/transfers".into(),
            inbound(w.branch_b, 102),
            [201, 409, 404, 404, 404],
        ),
        // Receiving is the receiving side's: township A and branch A see the transfer from
        // their side but may not receive it (403).
        post(
            format!("/api/v1/transfers/{}/receive", t["t1"]),
            json!({"version": 1, "date": "2024-04-01"}),
            [200, 409, 403, 403, 404],
        ),
        post(
            format!("/api/v1/transfers/{}/reject", t["t2"]),
            json!({"version": 1, "reason": "介绍信抬头有误"}),
            [200, 409, 409, 409, 404],
        ),
        post(
            format!("/api/v1/transfers/{}/cancel", t["t4"]),
            json!({"version": 1}),
            [200, 409, 409, 409, 404],
        ),
        // Cancelling is the sender's: township A receives t5 but may not cancel it.
        post(
            format!("/api/v1/transfers/{}/cancel", t["t5"]),
            json!({"version": 1}),
            [200, 409, 403, 403, 404],
        ),
        post(
            format!("/api/v1/transfers/{}/receive", t["t3"]),
            json!({"version": 1}),
            [200, 409, 404, 404, 404],
        ),
    ];
    run(&w.app, rows).await;
}

#[tokio::test]
async fn floating_permission_table() {
    let w = world().await;
    let (f, m) = (&w.f, &w.m);
    let get = |uri: String, e: [u16; 5]| (Method::GET, uri, None, e);
    let post = |uri: String, body: Value, e: [u16; 5]| (Method::POST, uri, Some(body), e);
    let register = |member: i64, cert: &str| {
        json!({"member_id": member, "version": 1, "out_date": "2025-03-01",
            "certificate_no": cert, "destination": "浙江省义乌市", "region_code": "330782",
            "reason": "经商", "until_date": "2025-08-31"})
    };
    let rows = vec![
        get("/api/v1/floating".into(), [200, 200, 200, 200, 200]),
        get(
            format!("/api/v1/floating?org={}", w.town_b),
            [200, 200, 404, 404, 404],
        ),
        get(
            "/api/v1/floating?status=bogus".into(),
            [422, 422, 422, 422, 422],
        ),
        get(
            "/api/v1/floating/suggestions".into(),
            [200, 200, 200, 200, 200],
        ),
        get(
            format!("/api/v1/floating/suggestions?org={}", w.town_b),
            [200, 200, 404, 404, 404],
        ),
        get(
            format!("/api/v1/floating/{}", f["f1"]),
            [200, 200, 200, 200, 404],
        ),
        // Home in town B, received in branch A: visible to both sides.
        get(
            format!("/api/v1/floating/{}", f["f2"]),
            [200, 200, 200, 200, 404],
        ),
        get(
            format!("/api/v1/floating/{}", f["f3"]),
            [200, 200, 404, 404, 404],
        ),
        post(
            "/api/v1/floating".into(),
            register(m["a_reg"], "R-a"),
            [201, 409, 409, 409, 404],
        ),
        post(
            "/api/v1/floating".into(),
            register(m["b_reg"], "R-b"),
            [201, 409, 404, 404, 404],
        ),
        post(
            format!("/api/v1/floating/{}/contacts", f["f1"]),
            json!({"version": 1, "way": "phone", "note": "在外务工，近况良好"}),
            [201, 409, 409, 409, 404],
        ),
        // The receiving side may log contacts…
        post(
            format!("/api/v1/floating/{}/contacts", f["f2"]),
            json!({"version": 1, "way": "visit"}),
            [201, 409, 409, 409, 404],
        ),
        // …but returning, cancelling and 失联 are the home org's (403 for the receiver).
        post(
            format!("/api/v1/floating/{}/return", f["f4"]),
            json!({"version": 1}),
            [200, 409, 403, 403, 404],
        ),
        post(
            format!("/api/v1/floating/{}/return", f["f5"]),
            json!({"version": 1}),
            [200, 409, 409, 409, 404],
        ),
        post(
            format!("/api/v1/floating/{}/lost", f["f6"]),
            json!({"version": 1, "cause": "unknown_after_graduation"}),
            [200, 409, 409, 409, 404],
        ),
        post(
            format!("/api/v1/floating/{}/lost", f["f3"]),
            json!({"version": 1, "cause": "working_away"}),
            [200, 409, 404, 404, 404],
        ),
        post(
            format!("/api/v1/floating/{}/cancel", f["f7"]),
            json!({"version": 1, "reason": "已转移组织关系"}),
            [200, 409, 409, 409, 404],
        ),
        post(
            format!("/api/v1/floating/{}/cancel", f["f8"]),
            json!({"version": 1, "reason": "登记有误"}),
            [200, 409, 404, 404, 404],
        ),
    ];
    run(&w.app, rows).await;
}

#[tokio::test]
async fn refusals_carry_their_codes() {
    let w = world().await;
    let c = login(&w.app, "brancha").await;
    let ma = w.m["a"];
    let (s, v) = call(
        &w.app,
        Method::POST,
        "/api/v1/transfers",
        Some(&c),
        Some(json!({"kind": "internal", "member_id": ma, "version": 1,
            "to_org_id": w.branch_b, "issued": "2024-06-01", "dues_paid_until": "2024-05"})),
        true,
    )
    .await;
    assert_eq!(s.as_u16(), 201, "{v}");
    assert_eq!(v["status"], "pending");
    assert_eq!(v["kind_zh"], "系统内转接");
    // In transit: a move is refused with its code, in Chinese for people.
    let (s, v) = call(
        &w.app,
        Method::POST,
        &format!("/api/v1/members/{ma}/events"),
        Some(&c),
        Some(json!({"version": 2, "kind": "moved", "date": "2024-06-02", "org_id": w.town_b})),
        true,
    )
    .await;
    assert_eq!(s.as_u16(), 422, "{v}");
    assert_eq!(v["code"], "transfer.in_transit");
    assert!(v["detail"].as_str().unwrap().contains("转接"));
    // The same transfer once more.
    let (s, v) = call(
        &w.app,
        Method::POST,
        "/api/v1/transfers",
        Some(&c),
        Some(json!({"kind": "internal", "member_id": ma, "version": 2,
            "to_org_id": w.branch_b, "issued": "2024-06-01"})),
        true,
    )
    .await;
    assert_eq!(
        (s.as_u16(), v["code"].as_str()),
        (422, Some("transfer.in_transit"))
    );
    // 失联 before six months without contact is refused with the rule's source.
    let f1 = w.f["f1"];
    let (s, v) = call(
        &w.app,
        Method::GET,
        &format!("/api/v1/floating/{f1}"),
        Some(&c),
        None,
        false,
    )
    .await;
    assert_eq!(s.as_u16(), 200);
    let due = v["record"]["lost_due_date"].as_str().unwrap().to_string();
    assert_eq!(due, "2025-07-01");
    let (s, v) = call(
        &w.app,
        Method::POST,
        &format!("/api/v1/floating/{f1}/lost"),
        Some(&c),
        Some(json!({"version": 1, "cause": "abroad", "date": "2025-03-30"})),
        true,
    )
    .await;
    assert_eq!(
        (s.as_u16(), v["code"].as_str()),
        (422, Some("floating.lost_not_due"))
    );
    assert!(v["detail"].as_str().unwrap().contains("6个月"), "{v}");
    // Lists carry the proposal flag; the old registration (2020) is due.
    let (_, v) = call(
        &w.app,
        Method::GET,
        "/api/v1/floating?due=true",
        Some(&c),
        None,
        false,
    )
    .await;
    let due_ids: Vec<i64> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    assert_eq!(due_ids, vec![w.f["f6"]]);
    assert_eq!(v["items"][0]["due_lost_contact"], true);
    // Code tables for the forms.
    let (_, v) = call(&w.app, Method::GET, "/api/v1/codes", Some(&c), None, false).await;
    assert_eq!(v["lost_cause"].as_array().unwrap().len(), 7);
    assert_eq!(v["contact_way"].as_array().unwrap().len(), 4);
    assert_eq!(v["transfer_status"].as_array().unwrap().len(), 4);
    // The rule parameters are listed with the central sets.
    let (_, v) = call(
        &w.app,
        Method::GET,
        "/api/v1/rules/sets",
        Some(&c),
        None,
        false,
    )
    .await;
    let set = v
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "floating.platform")
        .cloned()
        .unwrap();
    assert_eq!(set["params"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn openapi_lists_the_lifecycle_endpoints() {
    let w = world().await;
    let (s, v) = call(&w.app, Method::GET, "/api/openapi.json", None, None, false).await;
    assert_eq!(s.as_u16(), 200);
    for p in [
        "/api/v1/transfers",
        "/api/v1/transfers/{id}",
        "/api/v1/transfers/{id}/receive",
        "/api/v1/transfers/{id}/reject",
        "/api/v1/transfers/{id}/cancel",
        "/api/v1/floating",
        "/api/v1/floating/suggestions",
        "/api/v1/floating/{id}",
        "/api/v1/floating/{id}/contacts",
        "/api/v1/floating/{id}/return",
        "/api/v1/floating/{id}/lost",
        "/api/v1/floating/{id}/cancel",
    ] {
        assert!(v["paths"][p].is_object(), "missing {p}");
    }
}
