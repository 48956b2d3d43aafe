//! Helpers shared by the API test files: requests against the in-process router and login.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use jiceng_store::org::NewOrg;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The password every test user gets.
pub const PASSWORD: &str = "Test@12345";

/// A new org founded 2000-01-01.
pub fn new_org(parent: Option<i64>, name: &str, kind: &str, field: &str) -> NewOrg {
    NewOrg {
        parent_id: parent,
        name: name.into(),
        short_name: None,
        kind: kind.into(),
        field: field.into(),
        setup_mode: None,
        founded: "2000-01-01".into(),
        region_code: None,
        credit_code: None,
        address: None,
        phone: None,
        term_start: None,
    }
}

/// One request; `csrf` adds the `X-Requested-With: jiceng` header writes need.
pub async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    body: Option<Value>,
    csrf: bool,
) -> (StatusCode, Value) {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    if csrf {
        b = b.header("X-Requested-With", "jiceng");
    }
    let req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    };
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Logs in with [`PASSWORD`] and returns the `jiceng_session=…` cookie pair, checking the
/// cookie's HttpOnly and SameSite=Strict flags on the way.
pub async fn login(app: &Router, user: &str) -> String {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": user, "password": PASSWORD}).to_string(),
        ))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "login {user}");
    let set = res
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}
