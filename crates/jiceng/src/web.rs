//! The web UI. Until the Vue app is built and embedded (web/dist), `/` answers with a
//! page that says how to build it, so `cargo build` never needs npm.

use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

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

/// Fallback for everything outside `/api`.
pub async fn serve(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "application/problem+json")],
            r#"{"type":"about:blank","title":"Not Found","status":404,"code":"not_found","detail":"接口不存在"}"#,
        )
            .into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        NOT_BUILT,
    )
        .into_response()
}
