//! Jiceng HTTP API: JSON under `/api/v1`, OpenAPI at `/api/openapi.json`, Swagger UI at
//! `/api/docs`, problem+json errors. Scope is enforced by the store; handlers only pass
//! the caller's scope along.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod error;
pub mod export;
pub mod extract;
pub mod limiter;
pub mod openapi;
pub mod routes;

use axum::http::{header, HeaderValue};
use axum::routing::{get, post, put};
use axum::Router;
use jiceng_store::auth::LoginPolicy;
use jiceng_store::Store;
use std::sync::Arc;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// Login and session policy.
    pub policy: LoginPolicy,
    /// Mark cookies `Secure` (when served over HTTPS).
    pub cookie_secure: bool,
    /// Per-address login attempt limiter.
    pub login_limiter: Arc<limiter::Limiter>,
    /// Take the client address from `X-Forwarded-For` (behind a reverse proxy).
    pub trust_proxy: bool,
}

impl AppState {
    /// State with default policy.
    pub fn new(store: Store) -> Self {
        AppState {
            store,
            policy: LoginPolicy::default(),
            cookie_secure: false,
            login_limiter: Arc::new(limiter::Limiter::new(20, Duration::from_secs(60))),
            trust_proxy: false,
        }
    }
}

/// The API router (the binary adds the web UI as fallback).
pub fn router(state: AppState) -> Router {
    use routes::*;
    let api = Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/password", post(auth::change_password))
        .route("/me", get(auth::me))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", axum::routing::patch(users::update))
        .route("/users/{id}/reset-password", post(users::reset_password))
        .route("/users/{id}/unlock", post(users::unlock))
        .route("/orgs", get(org::list).post(org::create))
        .route("/orgs/search", get(org::search))
        .route("/orgs/{id}", get(org::get).patch(org::update))
        .route("/orgs/{id}/move", post(org::move_org))
        .route("/orgs/{id}/dissolve", post(org::dissolve))
        .route("/orgs/{id}/children", get(org::children))
        .route("/orgs/{id}/events", get(org::events))
        .route(
            "/orgs/{id}/committee",
            get(org::committee).post(org::add_seat),
        )
        .route("/orgs/{id}/committee/{seat_id}/end", post(org::end_seat))
        .route("/warnings", get(org::warnings))
        .route("/alerts", get(org::alerts))
        .route("/members", get(member::list).post(member::create))
        .route("/members/export.xlsx", get(member::export))
        .route("/members/{id}", get(member::get).patch(member::update))
        .route("/members/{id}/reveal-id", post(member::reveal_id))
        .route(
            "/members/{id}/events",
            get(member::events).post(member::add_event),
        )
        .route(
            "/members/{id}/documents",
            get(member::documents).post(member::add_document),
        )
        .route("/members/{id}/dues", get(org_life::member_dues))
        .route("/members/{id}/org-life", get(org_life::member_attendance))
        .route("/members/{id}/self-withdrawal", post(org_life::decide))
        .route("/dues", post(org_life::record_dues))
        .route(
            "/org-life/meetings",
            get(org_life::meetings).post(org_life::record),
        )
        .route("/org-life/meetings/roster", get(org_life::roster))
        .route("/org-life/meetings/{id}", get(org_life::meeting))
        .route("/org-life/self-withdrawal", get(org_life::proposals))
        .route("/new-orgs", get(new_org::list).post(new_org::create))
        .route("/new-orgs/{id}", get(new_org::get).patch(new_org::update))
        .route("/stats/coverage", get(new_org::coverage))
        .route("/appraisals", get(appraisal::list).post(appraisal::open))
        .route("/ballots/slip", post(appraisal::slip))
        .route("/appraisals/ballots", post(appraisal::ballot))
        .route("/appraisals/{id}", get(appraisal::get))
        .route("/appraisals/{id}/tokens", post(appraisal::tokens))
        .route("/appraisals/{id}/decide", post(appraisal::decide))
        .route("/appraisals/{id}/reviews", post(appraisal::review))
        .route(
            "/secretary-evals",
            get(secretary_eval::list).post(secretary_eval::open),
        )
        .route("/secretary-evals/ballots", post(secretary_eval::ballot))
        .route("/secretary-evals/{id}", get(secretary_eval::get))
        .route(
            "/secretary-evals/{id}/reports",
            put(secretary_eval::reports),
        )
        .route("/secretary-evals/{id}/tokens", post(secretary_eval::tokens))
        .route("/secretary-evals/{id}/named", post(secretary_eval::named))
        .route("/secretary-evals/{id}/close", post(secretary_eval::close))
        .route("/ratings/schemes", get(rating::schemes))
        .route("/ratings/rounds", get(rating::rounds).post(rating::open))
        .route("/ratings/rounds/{id}/ratings", get(rating::ratings))
        .route("/ratings/rounds/{id}/orgs", get(rating::round_orgs))
        .route("/ratings/rounds/{id}/orgs/{org_id}", put(rating::score))
        .route(
            "/ratings/rounds/{id}/orgs/{org_id}/approve",
            post(rating::approve),
        )
        .route("/ratings/rounds/{id}/publish", post(rating::publish))
        .route("/ratings/rounds/{id}/withdraw", post(rating::withdraw))
        .route(
            "/ratings/rounds/{id}/publications",
            get(rating::publications),
        )
        .route("/ratings/distribution", get(rating::distribution))
        .route("/ratings/ledger", get(rating::ledger))
        .route("/ratings/ledger.xlsx", get(rating::ledger_xlsx))
        .route(
            "/ratings/rectifications",
            get(rating::plans).post(rating::plan_create),
        )
        .route(
            "/ratings/rectifications/{id}",
            axum::routing::patch(rating::plan_update),
        )
        .route("/stats/summary", get(stats::summary))
        .route("/stats/summary.csv", get(stats::summary_csv))
        .route("/stats/summary.xlsx", get(stats::summary_xlsx))
        .route("/stats/members", get(stats::members))
        .route("/stats/annual", get(stats::annual))
        .route("/stats/annual/drill", get(stats::annual_drill))
        .route("/stats/annual.csv", get(stats::annual_csv))
        .route("/stats/annual.xlsx", get(stats::annual_xlsx))
        .route("/audit", get(audit::list))
        .route("/codes", get(codes::codes))
        .route("/calendar/add", get(rules::calendar_add))
        .route("/calendar/years", get(rules::calendar_years))
        .route("/calendar/years/{year}", put(rules::calendar_set_year))
        .route("/rules/vote-check", post(rules::vote_check))
        .route("/rules/votes", get(rules::votes))
        .route("/rules/sets", get(rules::sets))
        .route(
            "/rules/overlays",
            get(development::overlays).post(development::add_overlay),
        )
        .route(
            "/development/people",
            get(development::list).post(development::apply),
        )
        .route("/development/people/{id}", get(development::get))
        .route("/development/people/{id}/steps", post(development::step))
        .route("/development/board", get(development::board))
        .route("/development/due", get(development::due))
        .route("/development/stats", get(development::stats))
        .route("/transfers", get(transfer::list).post(transfer::create))
        .route("/transfers/destinations", get(transfer::destinations))
        .route("/transfers/{id}", get(transfer::get))
        .route("/transfers/{id}/receive", post(transfer::receive))
        .route("/transfers/{id}/reject", post(transfer::reject))
        .route("/transfers/{id}/cancel", post(transfer::cancel))
        .route("/floating", get(floating::list).post(floating::register))
        .route("/floating/suggestions", get(floating::suggestions))
        .route("/floating/{id}", get(floating::get))
        .route("/floating/{id}/contacts", post(floating::contact))
        .route("/floating/{id}/return", post(floating::return_))
        .route("/floating/{id}/lost", post(floating::lost))
        .route("/floating/{id}/cancel", post(floating::cancel))
        .fallback(|| async {
            error::ApiError::new(axum::http::StatusCode::NOT_FOUND, "not_found", "接口不存在")
        });
    Router::new()
        .nest("/api/v1", api)
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi::ApiDoc::openapi()))
        .layer(axum::middleware::from_fn(extract::require_csrf_header))
        .layer(
            // Method, path, status and latency only: never bodies (they carry personal data).
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(
                    tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                ),
        )
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            4 * 1024 * 1024,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state)
}
