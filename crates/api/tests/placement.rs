//! Members are placed only in orgs that can hold members (issue 11): through the API a
//! 县委 or 镇党委 is refused as a member's org with `member.org_cannot_hold_members` (422,
//! problem+json, Chinese detail), and the org view says `holds_members` so pickers can
//! offer only membership orgs. In-process requests against a real SQLite store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::Method;
use common::{login, new_org as org, send as call};
use jiceng_store::auth::NewUser;
use jiceng_store::{Scope, Store};
use serde_json::json;
use std::net::SocketAddr;

#[tokio::test]
async fn committees_are_refused_as_a_members_org() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/api.db", dir.path().display());
    let store = Store::open(&url, jiceng_store::crypto::Crypto::new(&[9u8; 32]).unwrap())
        .await
        .unwrap();
    let sys = Scope::system("test");
    store
        .set_setting(&sys, "reference_date", "2025-03-31")
        .await
        .unwrap();
    let mk = |parent: Option<i64>, name: &'static str, kind: &'static str| {
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
    let county = mk(None, "中共测试县委员会", "committee").await;
    let town = mk(Some(county), "甲镇党委", "committee").await;
    let branch = mk(Some(town), "甲村党支部", "branch").await;
    store
        .create_user(
            &sys,
            &NewUser {
                username: "orgdept".into(),
                display_name: "组织部".into(),
                password: common::PASSWORD.into(),
                role: "org_dept".into(),
                org_id: county,
                member_id: None,
                temporary: false,
            },
        )
        .await
        .unwrap();
    let app = jiceng_api::router(jiceng_api::AppState::new(store))
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 4000))));
    let c = login(&app, "orgdept").await;

    for (id, holds) in [(county, false), (town, false), (branch, true)] {
        let (s, v) = call(
            &app,
            Method::GET,
            &format!("/api/v1/orgs/{id}"),
            Some(&c),
            None,
            false,
        )
        .await;
        assert_eq!(s.as_u16(), 200, "{v}");
        assert_eq!(v["holds_members"], holds, "{v}");
    }
    let body = |org_id: i64| {
        json!({"org_id": org_id, "name": "王一", "gender": "1", "birth_date": "1975-05-06",
            "education": "high_school", "occupation": "farmer", "join_date": "2000-07-01",
            "full_date": "2001-07-01"})
    };
    for id in [county, town] {
        let (s, v) = call(
            &app,
            Method::POST,
            "/api/v1/members",
            Some(&c),
            Some(body(id)),
            true,
        )
        .await;
        assert_eq!(s.as_u16(), 422, "{v}");
        assert_eq!(v["code"], "member.org_cannot_hold_members");
        assert!(
            v["detail"]
                .as_str()
                .unwrap()
                .contains("不能作为党员的组织关系所在单位"),
            "{v}"
        );
    }
    let (s, v) = call(
        &app,
        Method::POST,
        "/api/v1/members",
        Some(&c),
        Some(body(branch)),
        true,
    )
    .await;
    assert_eq!(s.as_u16(), 201, "{v}");
    // Moving the member into the county committee itself (the reported case) is refused.
    let id = v["id"].as_i64().unwrap();
    let version = v["version"].as_i64().unwrap();
    let (s, v) = call(
        &app,
        Method::POST,
        &format!("/api/v1/members/{id}/events"),
        Some(&c),
        Some(json!({"version": version, "kind": "moved", "date": "2025-03-01", "org_id": county})),
        true,
    )
    .await;
    assert_eq!(
        (s.as_u16(), v["code"].as_str()),
        (422, Some("member.org_cannot_hold_members")),
        "{v}"
    );
}
