//! Serves the built console page: `GET /console` redirects to `/console/`, which answers
//! `console.html` from the UI build directory (`--console-dir`, default `ui/dist`) with a
//! strict Content-Security-Policy, and `/console/assets/*` serves the bundles beside it
//! (the Vite build uses relative asset paths).

use std::path::PathBuf;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tower_http::services::ServeDir;

use crate::state::AppState;

/// The console page's policy: everything from this origin, no inline scripts, no eval,
/// no framing. Inline styles are allowed because Element Plus sets them.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The default UI build directory, relative to the working directory.
pub const DEFAULT_DIR: &str = "ui/dist";

/// The console page routes over the UI build directory `dir`.
pub fn routes(dir: PathBuf) -> Router<AppState> {
    Router::new()
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .route("/console/", get(page))
        .nest_service("/console/assets", ServeDir::new(dir.join("assets")))
}

async fn page(State(state): State<AppState>) -> Response {
    let path = state.console.ui_dir().join("console.html");
    match tokio::fs::read(&path).await {
        Ok(html) => {
            let mut resp = html.into_response();
            let h = resp.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            );
            resp
        }
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "console page missing");
            (
                StatusCode::NOT_FOUND,
                "console UI not built: run `npm --prefix ui run build`",
            )
                .into_response()
        }
    }
}
