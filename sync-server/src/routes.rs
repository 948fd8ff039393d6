//! The HTTP surface. Handlers only extract, call and map errors; the work runs on the
//! blocking pool because storage is synchronous and Automerge is CPU work.
//!
//! | route | body | answer |
//! |---|---|---|
//! | `GET /api/v1/health` | | `{"status":"ok","protocol":1}` |
//! | `POST /api/v1/login` | JSON [`LoginRequest`] | JSON [`crate::auth::LoginResponse`] |
//! | `/api/v1/console/…`, `/console/` | JSON, session cookie | the supervisor console ([`crate::console`]) |
//! | `POST /api/v1/sync` | MessagePack(`SyncRequest`), gzipped with `Content-Encoding: gzip` when large, `Content-Type: application/vnd.gridwalk.sync.v1+msgpack`, `Authorization: Bearer <token>` | MessagePack(`SyncResponse`), gzipped the same way ([`protocol::encode_body`]) |
//!
//! Every failure is a JSON `ErrorBody` ([`AppError`]). A 200 answer to a sync is always
//! the sync media type, so it carries no `Content-Type` (57 bytes a round trip saved);
//! headers are only `Content-Length`, `Content-Encoding` when gzipped, and hyper's `Date`.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gridwalk_core::protocol::{self, CONTENT_TYPE, CodecError, PROTOCOL_VERSION, SyncRequest};

use crate::auth::{self, LoginRequest};
use crate::error::AppError;
use crate::state::AppState;

/// The router over a state.
pub fn app(state: AppState) -> Router {
    let limit = state.limits.max_body_bytes;
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/login", post(login))
        .route("/api/v1/sync", post(sync))
        .route("/api/v1/docs/{doc_id}", get(crate::read::get_doc))
        .merge(crate::console::routes(&state))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

async fn health() -> impl IntoResponse {
    axum::Json(serde_json::json!({ "status": "ok", "protocol": PROTOCOL_VERSION }))
}

async fn login(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let addr = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string());
    let body = axum::body::to_bytes(req.into_body(), 64 * 1024)
        .await
        .map_err(|_| AppError::TooLarge("login body".into()))?;
    let body: LoginRequest =
        serde_json::from_slice(&body).map_err(|e| AppError::Malformed(e.to_string()))?;
    let resp = tokio::task::spawn_blocking(move || auth::login(&state, &body, &addr)).await??;
    Ok(axum::Json(resp).into_response())
}

fn header_is(headers: &HeaderMap, name: header::HeaderName, want: &str) -> bool {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(want))
}

async fn sync(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let st = state.clone();
    let authed =
        tokio::task::spawn_blocking(move || auth::authenticate(&st, bearer.as_deref())).await??;
    if !state.take_token(&authed.device.id) {
        return Err(AppError::RateLimited);
    }
    if !header_is(&headers, header::CONTENT_TYPE, CONTENT_TYPE) {
        return Err(AppError::Malformed(format!(
            "Content-Type must be {CONTENT_TYPE}"
        )));
    }
    let gzipped = match headers.get(header::CONTENT_ENCODING) {
        None => false,
        Some(_) if header_is(&headers, header::CONTENT_ENCODING, "gzip") => true,
        Some(_) if header_is(&headers, header::CONTENT_ENCODING, "identity") => false,
        Some(_) => {
            return Err(AppError::Malformed(
                "Content-Encoding must be gzip or absent".into(),
            ));
        }
    };
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge(format!("body over {} bytes", state.limits.max_body_bytes))
        } else {
            AppError::Malformed(r.body_text())
        }
    })?;
    let (out, gzip_out) = tokio::task::spawn_blocking(move || -> Result<_, AppError> {
        let limit = state.limits.max_decompressed_bytes;
        let raw = if gzipped {
            protocol::decompress(&body, limit).map_err(|e| match e {
                CodecError::TooLarge(n) => AppError::TooLarge(format!("over {n} bytes inflated")),
                e => AppError::Malformed(e.to_string()),
            })?
        } else {
            body.to_vec()
        };
        let req: SyncRequest =
            protocol::decode(&raw).map_err(|e| AppError::Malformed(e.to_string()))?;
        let resp = crate::sync::handle(&state, &authed, req)?;
        Ok(protocol::encode_body(&resp))
    })
    .await??;
    // Not `into_response()` on the bytes: that would add `Content-Type: application/octet-stream`.
    let mut resp = Response::new(axum::body::Body::from(out));
    if gzip_out {
        let h = resp.headers_mut();
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    Ok(resp)
}
