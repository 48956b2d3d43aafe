//! The summary endpoint served by the statistics engine: writes through the API update it,
//! its answers equal the plain-SQL summary, and scope checks are unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Method, StatusCode};
use axum::Router;
use common::login;
use jiceng_store::auth::NewUser;
use jiceng_store::org::NewOrg;
use jiceng_store::stats_handle::EngineStatus;
use jiceng_store::{Scope, Store};
use serde_json::{json, Value};
use std::net::SocketAddr;

fn org(parent: Option<i64>, name: &str, kind: &str) -> NewOrg {
    NewOrg {
        parent_id: parent,
        name: name.into(),
        short_name: None,
        kind: kind.into(),
        field: "rural".into(),
        setup_mode: None,
        founded: "2000-01-01".into(),
        region_code: None,
        credit_code: None,
        address: None,
        phone: None,
        term_start: None,
    }
}

#[tokio::test]
async fn summary_endpoint_is_served_by_the_engine_and_follows_writes() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/api.db", dir.path().display());
    let store = Store::open(&url, jiceng_store::crypto::Crypto::new(&[9u8; 32]).unwrap())
        .await
        .unwrap();
    let sys = Scope::system("test");
    let root = store
        .create_org(&sys, &org(None, "中共测试县委员会", "committee"))
        .await
        .unwrap();
    let town_a = store
        .create_org(&sys, &org(Some(root.id), "甲镇党委", "committee"))
        .await
        .unwrap();
    let town_b = store
        .create_org(&sys, &org(Some(root.id), "乙镇党委", "committee"))
        .await
        .unwrap();
    let branch = store
        .create_org(&sys, &org(Some(town_a.id), "甲村党支部", "branch"))
        .await
        .unwrap();
    for (u, role, o) in [
        ("admin", "admin", root.id),
        ("towna", "committee", town_a.id),
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
                    member_id: None,
                    temporary: false,
                },
            )
            .await
            .unwrap();
    }
    store.enable_engine().await.unwrap();
    let app = jiceng_api::router(jiceng_api::AppState::new(store.clone()))
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 4000))));
    let admin = login(&app, "admin").await;
    let summary = |org: i64, cookie: String| {
        let app = app.clone();
        async move {
            call(
                &app,
                Method::GET,
                &format!("/api/v1/stats/summary?org={org}&as_of=2004-12-31"),
                &cookie,
                None,
            )
            .await
        }
    };
    let (st, before) = summary(root.id, admin.clone()).await;
    assert_eq!(st, StatusCode::OK, "{before}");
    assert_eq!(before["members"]["total"], 0);

    // A member created through the API counts at once.
    let (st, m) = call(
        &app,
        Method::POST,
        "/api/v1/members",
        &admin,
        Some(json!({
            "org_id": branch.id,
            "name": "王五",
            "gender": "2",
            "birth_date": "1980-03-03",
            "education": "bachelor",
            "occupation": "farmer",
            "join_date": "2004-07-01",
        })),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{m}");
    let (_, after) = summary(root.id, admin.clone()).await;
    assert_eq!(after["members"]["total"], 1);
    assert_eq!(after["members"]["female"], 1);
    assert_eq!(after["members"]["probationary"], 1);

    // An event through the API (a transfer out) is seen too.
    let (st, v) = call(
        &app,
        Method::POST,
        &format!("/api/v1/members/{}/events", m["id"]),
        &admin,
        Some(json!({"version": m["version"], "kind": "transferred_out", "date": "2004-10-01"})),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let (_, gone) = summary(root.id, admin.clone()).await;
    assert_eq!(gone["members"]["total"], 0);
    let (_, earlier) = call(
        &app,
        Method::GET,
        &format!("/api/v1/stats/summary?org={}&as_of=2004-08-01", root.id),
        &admin,
        None,
    )
    .await;
    assert_eq!(earlier["members"]["total"], 1);

    // The engine served all of it, and equals SQL; scope is unchanged (404 outside it).
    assert_eq!(store.stats.status(), EngineStatus::Ready);
    for (o, day) in [(root.id, "2004-12-31"), (town_a.id, "2004-08-01")] {
        let (_, api) = call(
            &app,
            Method::GET,
            &format!("/api/v1/stats/summary?org={o}&as_of={day}"),
            &admin,
            None,
        )
        .await;
        let sql = store
            .summary_sql(&sys, o, jiceng_store::parse_date(day, "t").unwrap())
            .await
            .unwrap();
        assert_eq!(api, serde_json::to_value(&sql).unwrap());
    }
    let towna = login(&app, "towna").await;
    let (st, _) = summary(town_a.id, towna.clone()).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = summary(town_b.id, towna).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

async fn call(
    app: &Router,
    method: Method,
    uri: &str,
    cookie: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    common::send(app, method, uri, Some(cookie), body, true).await
}
