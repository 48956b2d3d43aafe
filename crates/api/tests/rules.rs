//! Rule engine endpoints: the working-day calendar, the vote calculator and the rule sets,
//! in-process against a real store on SQLite. Any logged-in user may use them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Method, StatusCode};
use axum::Router;
use common::{login, new_org as org};
use jiceng_domain::member::Gender;
use jiceng_store::auth::NewUser;
use jiceng_store::member::NewMember;
use jiceng_store::{Scope, Store};
use serde_json::{json, Value};
use std::net::SocketAddr;

struct World {
    app: Router,
    _dir: tempfile::TempDir,
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
    let branch = store
        .create_org(&sys, &org(Some(root), "甲村党支部", "branch", "rural"))
        .await
        .unwrap()
        .id;
    let birth = chrono::NaiveDate::from_ymd_opt(1970, 5, 6).unwrap();
    let member = store
        .create_member(
            &sys,
            &NewMember {
                org_id: branch,
                name: "张三".into(),
                gender: "1".into(),
                birth_date: "1970-05-06".into(),
                id_number: Some(jiceng_domain::idcard::generate(
                    "341523",
                    birth,
                    11,
                    Gender::Male,
                )),
                education: "high_school".into(),
                occupation: "farmer".into(),
                join_date: "1995-07-01".into(),
                full_date: Some("1996-07-01".into()),
                phone: Some("13800000011".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    for (u, role, o, m) in [
        ("admin", "admin", root, None),
        ("brancha", "branch", branch, None),
        ("selfa", "member", branch, Some(member)),
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
    World { app, _dir: dir }
}

async fn get(w: &World, cookie: &str, uri: &str) -> (StatusCode, Value) {
    call(&w.app, Method::GET, uri, Some(cookie), None).await
}

async fn vote(w: &World, cookie: &str, body: Value) -> (StatusCode, Value) {
    call(
        &w.app,
        Method::POST,
        "/api/v1/rules/vote-check",
        Some(cookie),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn login_is_required() {
    let w = world().await;
    for (method, uri, body) in [
        (
            Method::GET,
            "/api/v1/calendar/add?from=2024-09-27&working_days=5",
            None,
        ),
        (
            Method::POST,
            "/api/v1/rules/vote-check",
            Some(json!({"rule": "committee.meeting", "entitled": 5, "present": 3, "ayes": 3})),
        ),
        (Method::GET, "/api/v1/rules/votes", None),
        (Method::GET, "/api/v1/rules/sets", None),
    ] {
        let (s, v) = call(&w.app, method.clone(), uri, None, body).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{method} {uri}");
        assert_eq!(v["code"], "auth.required");
    }
    // Any role may use them, down to a member's self-service account.
    for user in ["brancha", "selfa"] {
        let c = login(&w.app, user).await;
        let (s, _) = get(&w, &c, "/api/v1/rules/votes").await;
        assert_eq!(s, StatusCode::OK, "{user}");
        let (s, _) = vote(
            &w,
            &c,
            json!({"rule": "committee.meeting", "entitled": 5, "present": 3, "ayes": 3}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{user}");
    }
}

#[tokio::test]
async fn calendar_counts_across_holidays() {
    let w = world().await;
    let c = login(&w.app, "brancha").await;
    // 5 working days after Friday 2024-09-27: 9/29 (Sunday, 调休), 9/30, then 国庆 10/1–7,
    // then 10/8, 10/9, 10/10.
    let (s, v) = get(
        &w,
        &c,
        "/api/v1/calendar/add?from=2024-09-27&working_days=5",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["date"], "2024-10-10");
    assert_eq!(v["unit"], "working_days");
    assert_eq!(v["days"], 5);
    assert_eq!(v["working_day"], true);
    assert!(v["warning"].is_null());
    assert!(v["convention"].as_str().unwrap().contains("次日开始计算"));
    // Calendar days ignore holidays and are not moved off them.
    let (_, v) = get(
        &w,
        &c,
        "/api/v1/calendar/add?from=2024-09-27&calendar_days=5",
    )
    .await;
    assert_eq!(v["date"], "2024-10-02");
    assert_eq!(v["working_day"], false);
    assert!(v["warning"].is_null());
    // 春节 2025 starts on 除夕: the next working day after Monday 1/27 is 2/5.
    let (_, v) = get(
        &w,
        &c,
        "/api/v1/calendar/add?from=2025-01-27&working_days=1",
    )
    .await;
    assert_eq!(v["date"], "2025-02-05");
    // N = 0 is the day itself.
    let (_, v) = get(
        &w,
        &c,
        "/api/v1/calendar/add?from=2024-10-01&working_days=0",
    )
    .await;
    assert_eq!(v["date"], "2024-10-01");
    // Into 2027: not yet published, weekends only, with a warning.
    let (s, v) = get(
        &w,
        &c,
        "/api/v1/calendar/add?from=2026-12-31&working_days=1",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["date"], "2027-01-01");
    assert_eq!(v["warning"], "2027年节假日安排尚未发布，按周末计算");
}

#[tokio::test]
async fn calendar_rejects_bad_input() {
    let w = world().await;
    let c = login(&w.app, "brancha").await;
    for (query, code) in [
        ("working_days=5", "calendar.from_required"),
        ("from=2024-13-01&working_days=5", "calendar.invalid_from"),
        ("from=2024/09/27&working_days=5", "calendar.invalid_from"),
        ("from=2024-09-27", "calendar.days_required"),
        (
            "from=2024-09-27&working_days=5&calendar_days=5",
            "calendar.days_ambiguous",
        ),
        ("from=2024-09-27&working_days=-1", "calendar.invalid_days"),
        ("from=2024-09-27&working_days=abc", "calendar.invalid_days"),
        (
            "from=2024-09-27&calendar_days=10001",
            "calendar.too_many_days",
        ),
        (
            "from=%2B262142-12-31&calendar_days=1",
            "calendar.out_of_range",
        ),
    ] {
        let (s, v) = get(&w, &c, &format!("/api/v1/calendar/add?{query}")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {v}");
        assert_eq!(v["code"], code, "{query}");
        assert!(!v["detail"].as_str().unwrap().is_empty(), "{query}");
    }
}

#[tokio::test]
async fn vote_check_at_the_boundaries() {
    let w = world().await;
    let c = login(&w.app, "brancha").await;
    // Branch general meeting on an admission: quorum > ½ of 36 needs 19.
    let (s, v) = vote(
        &w,
        &c,
        json!({"rule": "development.admission", "entitled": 36, "present": 18, "ayes": 18}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["quorum_met"], false);
    assert_eq!(v["passed"], false);
    assert_eq!(v["quorum"]["minimum"], 19);
    let (_, v) = vote(
        &w,
        &c,
        json!({"rule": "development.admission", "entitled": 36, "present": 19, "ayes": 19}),
    )
    .await;
    assert_eq!(
        (v["quorum_met"].clone(), v["passed"].clone()),
        (json!(true), json!(true))
    );
    // Written opinions of absent full members count.
    let (_, v) = vote(
        &w,
        &c,
        json!({"rule": "development.admission", "entitled": 37, "present": 31, "ayes": 18, "written_ayes": 2}),
    )
    .await;
    assert_eq!(v["passed"], true);
    assert_eq!(v["total_ayes"], 20);
    assert_eq!(
        v["derivation"],
        "应到 37 人，实到 31 人，31 > 37×1/2 ✔ 达到法定人数；赞成 20 人（含书面意见 2 人），20 > 37×1/2 ✔ → 通过"
    );
    assert_eq!(v["adoption"]["comparison"], ">");
    assert_eq!(v["adoption"]["base"], "entitled");
    // ≥ ⅔ of those present: 6 of 9 passes, 5 fails.
    for (ayes, passed) in [(6, true), (5, false)] {
        let (_, v) = vote(
            &w,
            &c,
            json!({"rule": "four_two.proposal", "entitled": 9, "present": 9, "ayes": ayes}),
        )
        .await;
        assert_eq!(v["passed"], passed, "{v}");
        assert_eq!(v["adoption"]["comparison"], "≥");
    }
    // Election quorum > 4/5 of 40: 32 is not enough.
    let (_, v) = vote(
        &w,
        &c,
        json!({"rule": "party.election", "entitled": 40, "present": 32, "ayes": 30}),
    )
    .await;
    assert_eq!(v["quorum_met"], false);
}

#[tokio::test]
async fn vote_check_rejects_bad_input() {
    let w = world().await;
    let c = login(&w.app, "brancha").await;
    for (body, code) in [
        (
            json!({"rule": "nope", "entitled": 5, "present": 3, "ayes": 3}),
            "vote.unknown_rule",
        ),
        (
            json!({"rule": "committee.meeting", "entitled": 5, "present": 6, "ayes": 3}),
            "vote.present_exceeds_entitled",
        ),
        (
            json!({"rule": "committee.meeting", "entitled": 5, "present": 3, "ayes": 4}),
            "vote.ayes_exceed_present",
        ),
        (
            json!({"rule": "committee.meeting", "entitled": 5, "present": 3, "ayes": 3, "written_ayes": 1}),
            "vote.written_not_counted",
        ),
        (
            json!({"rule": "development.conversion", "entitled": 5, "present": 3, "ayes": 3, "written_ayes": 3}),
            "vote.written_exceeds_absent",
        ),
        (
            json!({"rule": "committee.meeting", "entitled": 0, "present": 0, "ayes": 0}),
            "vote.no_entitled",
        ),
    ] {
        let (s, v) = vote(&w, &c, body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert_eq!(v["code"], code, "{body}");
        assert!(!v["detail"].as_str().unwrap().is_empty());
    }
    // Malformed JSON (a negative count) is a 400 like every other body.
    let (s, v) = vote(
        &w,
        &c,
        json!({"rule": "committee.meeting", "entitled": -1, "present": 0, "ayes": 0}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["code"], "request.invalid_json");
}

#[tokio::test]
async fn rule_lists() {
    let w = world().await;
    let c = login(&w.app, "selfa").await;
    let (s, v) = get(&w, &c, "/api/v1/rules/votes").await;
    assert_eq!(s, StatusCode::OK);
    let codes: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    for code in [
        "development.admission",
        "development.conversion",
        "party.election",
        "four_two.proposal",
        "four_two.joint_meeting",
        "four_two.members_council",
        "four_two.representatives",
        "committee.meeting",
    ] {
        assert!(codes.contains(&code), "{code}");
    }
    let admission = &v[0];
    assert_eq!(admission["code"], "development.admission");
    assert_eq!(
        admission["quorum"],
        "到会人数超过应到人数的半数（实到 > 应到×1/2）"
    );
    assert!(admission["source"].as_str().unwrap().contains("第二十一条"));
    assert_eq!(admission["written_opinions_count"], true);

    let (s, v) = get(&w, &c, "/api/v1/rules/sets").await;
    assert_eq!(s, StatusCode::OK);
    let sets = v.as_array().unwrap();
    let dues = sets.iter().find(|s| s["code"] == "dues.2008").unwrap();
    assert_eq!(dues["effective"], "2008-04-01");
    let rate = dues["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "dues.salaried_rate1")
        .unwrap();
    assert_eq!(rate["default"], json!({"num": 5, "den": 1000}));
    assert_eq!(rate["unit"], "ratio");
    let dev = sets
        .iter()
        .find(|s| s["code"] == "development.2014")
        .unwrap();
    let notice = dev["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "development.notice_working_days")
        .unwrap();
    assert_eq!(notice["default"], 5);
    assert_eq!(notice["unit"], "working_days");
}

#[tokio::test]
async fn openapi_lists_the_rule_endpoints() {
    let w = world().await;
    let (s, v) = call(&w.app, Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(s, StatusCode::OK);
    for p in [
        "/api/v1/calendar/add",
        "/api/v1/rules/vote-check",
        "/api/v1/rules/votes",
        "/api/v1/rules/sets",
    ] {
        assert!(v["paths"][p].is_object(), "missing {p}");
    }
}

async fn call(
    app: &Router,
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    common::send(app, method, uri, cookie, body, true).await
}

/// The next year's notice is data: an administrator stores it, every deadline then counts
/// its holidays and make-up days; branch secretaries cannot change it.
#[tokio::test]
async fn calendar_years_are_editable_data() {
    let w = world().await;
    let admin = login(&w.app, "admin").await;
    let branch = login(&w.app, "brancha").await;
    // An illustrative arrangement for 2027: New Year 1–3 January off, Saturday 9 January
    // worked.
    let year = json!({
        "year": 2027, "published": true, "source": "测试用2027年节假日安排",
        "holidays": [{"name": "元旦", "first": "2027-01-01", "last": "2027-01-03"}],
        "make_up_days": [{"name": "元旦", "date": "2027-01-09"}]
    });
    let (s, v) = put(&w, &branch, year.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = put(
        &w,
        &admin,
        json!({"year": 2028, "published": true, "source": "x", "holidays": [], "make_up_days": []}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["code"], "calendar.year_mismatch");
    let (s, v) = put(&w, &admin, year).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // 31 Dec 2026 + 1 working day: 1–3 Jan are holidays, 4 Jan (Monday) is the day.
    let (s, v) = get(
        &w,
        &branch,
        "/api/v1/calendar/add?from=2026-12-31&working_days=1",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["date"], "2027-01-04");
    assert!(v["warning"].is_null(), "2027 is now published: {v}");
    // The Saturday make-up day counts: from Friday 8 Jan, one working day is Saturday 9 Jan.
    let (_, v) = get(
        &w,
        &branch,
        "/api/v1/calendar/add?from=2027-01-08&working_days=1",
    )
    .await;
    assert_eq!(v["date"], "2027-01-09");
    let (s, v) = get(&w, &branch, "/api/v1/calendar/years").await;
    assert_eq!(s, StatusCode::OK);
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|y| y["year"] == 2027 && y["published"] == true));
}

async fn put(w: &World, cookie: &str, body: Value) -> (StatusCode, Value) {
    call(
        &w.app,
        Method::PUT,
        "/api/v1/calendar/years/2027",
        Some(cookie),
        Some(body),
    )
    .await
}
