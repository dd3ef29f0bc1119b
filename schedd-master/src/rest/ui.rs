//! The web UI at `/`: the files of `web/dist` (built by `scripts/bootstrap`, or `npm run
//! build` in `web/`), embedded in release builds and read from disk in debug builds. Paths
//! that are not files get `index.html`, so the UI's own routes survive a reload. A master
//! built before the UI was says how to build it instead.

use axum::Router;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get};

#[derive(rust_embed::RustEmbed)]
#[folder = "../web/dist"]
#[allow_missing = true]
struct Assets;

pub fn router() -> Router {
    Router::new()
        .route("/", get(asset))
        .route("/{*path}", any(asset))
}

const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>schedd</title>\
<body style=\"font-family:sans-serif;max-width:40em;margin:4em auto\">\
<h1>schedd</h1><p>The web UI is not built into this master. Build it with \
<code>scripts/bootstrap</code> (or <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>) \
and build the master again.</p><p>The REST API is at <a href=\"/api/v1/info\">/api/v1</a>, \
described by <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>; \
<code>schedctl</code> speaks gRPC on this same address.</p>";

async fn asset(method: Method, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    // `/api/v1/…` routes that do not exist land here, past the API's own fallback.
    if path == "api" || path.starts_with("api/") {
        return super::no_route(method, uri).await.into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    if let Some(file) = Assets::get(path).filter(|_| !path.is_empty()) {
        // Vite names built assets by their hash: they never change under one name.
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return (
            [
                (header::CONTENT_TYPE, file.metadata.mimetype().to_owned()),
                (header::CACHE_CONTROL, cache.to_owned()),
            ],
            file.data,
        )
            .into_response();
    }
    if path.starts_with("assets/") {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    }
    match Assets::get("index.html") {
        Some(index) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            index.data,
        )
            .into_response(),
        None => Html(NOT_BUILT).into_response(),
    }
}
