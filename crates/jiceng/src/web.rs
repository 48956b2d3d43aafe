//! The web UI: the Vue app built by Vite into `web/dist`, embedded in the binary and served
//! at `/` with SPA fallback. Hashed assets (`/assets/…`) get long cache headers; the
//! index is never cached. When the UI was not built, `/` answers with a page that says how
//! to build it, so `cargo build` never needs npm.

use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "$JICENG_WEB_DIST"]
struct Assets;

const NOT_BUILT: &str = r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>基层党建综合管理平台</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#333}
h1{color:#c8161d}code{background:#f4f4f4;padding:.1rem .3rem}</style></head>
<body><h1>基层党建综合管理平台 Jiceng</h1>
<p>服务已启动。网页界面尚未构建：在源码目录运行 <code>make run</code> 会先构建界面再启动。</p>
<p>The server is running, but the web UI was not built into this binary. Run <code>make run</code> from the source tree.</p>
<ul><li>API 文档 / API docs: <a href="/api/docs/">/api/docs/</a></li>
<li>OpenAPI: <a href="/api/openapi.json">/api/openapi.json</a></li></ul>
</body></html>"#;

fn asset(path: &str) -> Option<Response> {
    let file = Assets::get(path)?;
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut res = file.data.into_owned().into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Some(res)
}

/// Whether the UI was built into this binary.
pub fn ui_built() -> bool {
    Assets::get("index.html").is_some()
}

/// Fallback for everything outside the API routes.
pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if uri.path().starts_with("/api/") {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "application/problem+json")],
            r#"{"type":"about:blank","title":"Not Found","status":404,"code":"not_found","detail":"接口不存在"}"#,
        )
            .into_response();
    }
    if !path.is_empty() {
        if let Some(r) = asset(path) {
            return r;
        }
        // A missing hashed asset is a real 404, not the SPA.
        if path.starts_with("assets/") {
            return StatusCode::NOT_FOUND.into_response();
        }
    }
    // SPA fallback: client-side routes get the index.
    match asset("index.html") {
        Some(r) => r,
        None => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            NOT_BUILT,
        )
            .into_response(),
    }
}
