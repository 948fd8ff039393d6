//! Console sign-in (DESIGN.md §5): a browser session cookie with a CSRF token, separate
//! from device tokens.
//!
//! - `POST /session` checks the password through the device login's throttle
//!   ([`crate::auth::check_credentials`]), refuses roles that may not use the console
//!   (`role_not_allowed`), and sets `gw_console=<256 random bits>; HttpOnly;
//!   SameSite=Strict; Path=/; Max-Age=28800`, plus `Secure` when the request came over
//!   TLS: the server itself speaks plain HTTP behind a TLS-terminating proxy, which says so
//!   with `X-Forwarded-Proto: https` or `Forwarded: proto=https` (marking a cookie Secure is
//!   never unsafe, so the header needs no trust). Only the token's SHA-256 is stored, with the
//!   user, a CSRF token and the expiry (8 h), so any node can read a session.
//! - [`ConsoleUser`] is the extractor every console handler takes: cookie → session →
//!   active user with a console role. On every request whose method is not GET or HEAD
//!   it also requires `X-CSRF-Token` equal to the session's token (`csrf_failed`).
//! - The same extractor accepts a device token (`Authorization: Bearer`), for the
//!   supervisor views inside the app: the app's Rust side calls the console API with the
//!   token it syncs with, which never reaches the web view. A bearer header is not sent
//!   by a browser on its own, so such requests need no CSRF token; when the header is
//!   present the cookie is ignored, and a bad token is refused rather than falling back.
//! - `GET /session` answers who is signed in (with an empty CSRF token for a device);
//!   `DELETE /session` ends a browser session (a device signs out in the app).

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use gridwalk_core::reference::Role;

use super::dto::{ConsoleUserView, LoginRequest, SessionBody};
use crate::auth;
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::{ConsoleSessionRow, UserRow};

/// The session cookie's name.
pub const COOKIE: &str = "gw_console";
/// The header carrying the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a console session lives, ms (8 hours).
pub const SESSION_TTL_MS: i64 = 8 * 3600 * 1000;

/// Roles that may sign in to the console.
pub fn may_use_console(role: Role) -> bool {
    matches!(
        role,
        Role::GridHead
            | Role::TownshipSupervisor
            | Role::Dispatcher
            | Role::HandlingUnit
            | Role::Admin
    )
}

/// The signed-in console user of a request (see the module docs).
#[derive(Debug, Clone)]
pub struct ConsoleUser {
    /// The user.
    pub user: UserRow,
    /// The browser session, or `None` when the request came with a device token.
    pub session: Option<ConsoleSessionRow>,
    /// The device, when the request came with a device token.
    pub device_id: Option<String>,
}

/// The value of the session cookie in a request's `Cookie` headers.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Resolves a session token to its user, refusing expired sessions, disabled accounts and
/// roles without console access.
pub fn resolve(state: &AppState, token: &str) -> Result<ConsoleUser, AppError> {
    let session = state
        .storage
        .console_session(&auth::token_hash(token))?
        .ok_or(AppError::Unauthorized)?;
    if session.expires_at <= state.now() {
        return Err(AppError::Unauthorized);
    }
    let user = state
        .storage
        .user(&session.user_id)?
        .filter(|u| u.active)
        .ok_or(AppError::Unauthorized)?;
    if !may_use_console(user.role) {
        return Err(AppError::RoleNotAllowed);
    }
    Ok(ConsoleUser {
        user,
        session: Some(session),
        device_id: None,
    })
}

/// Resolves a device token (the app's supervisor views) to its user, refusing revoked or
/// expired devices like the sync endpoint does, and roles without console access.
pub fn resolve_device(state: &AppState, authorization: &str) -> Result<ConsoleUser, AppError> {
    let authed = auth::authenticate(state, Some(authorization))?;
    if !may_use_console(authed.user.role) {
        return Err(AppError::RoleNotAllowed);
    }
    Ok(ConsoleUser {
        user: authed.user,
        session: None,
        device_id: Some(authed.device.id),
    })
}

impl FromRequestParts<AppState> for ConsoleUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(h) = parts.headers.get(header::AUTHORIZATION) {
            let h = h.to_str().map_err(|_| AppError::Unauthorized)?.to_string();
            let st = state.clone();
            return tokio::task::spawn_blocking(move || resolve_device(&st, &h)).await?;
        }
        let token = cookie_token(&parts.headers).ok_or(AppError::Unauthorized)?;
        let st = state.clone();
        let cu = tokio::task::spawn_blocking(move || resolve(&st, &token)).await??;
        if parts.method != Method::GET && parts.method != Method::HEAD {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let want = cu.session.as_ref().map_or("", |s| s.csrf_token.as_str());
            if want.is_empty() || !same_secret(sent, want) {
                return Err(AppError::CsrfFailed);
            }
        }
        Ok(cu)
    }
}

/// The session routes, relative to `/api/v1/console`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/session", post(sign_in).get(current).delete(sign_out))
}

fn body_of(state: &AppState, user: &UserRow, csrf: &str) -> Result<SessionBody, AppError> {
    let area_name = match &user.area_id {
        Some(a) => state.storage.area(a)?.map(|a| a.name),
        None => None,
    };
    Ok(SessionBody {
        user: ConsoleUserView {
            id: user.id.clone(),
            username: user.username.clone(),
            name: user.name.clone(),
            role: user.role.code().to_string(),
            area_id: user.area_id.clone(),
            area_name,
        },
        csrf_token: csrf.to_string(),
    })
}

/// Did the request reach the TLS-terminating proxy over HTTPS?
pub fn over_tls(headers: &HeaderMap) -> bool {
    let forwarded_proto = headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(',').next())
        .any(|v| v.trim().eq_ignore_ascii_case("https"));
    let forwarded = headers
        .get_all(header::FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split([';', ',']))
        .filter_map(|kv| kv.trim().split_once('='))
        .any(|(k, v)| {
            k.trim().eq_ignore_ascii_case("proto")
                && v.trim().trim_matches('"').eq_ignore_ascii_case("https")
        });
    forwarded_proto || forwarded
}

fn set_cookie(value: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_s}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("gw_console=; Max-Age=0"))
}

async fn sign_in(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let addr = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string());
    let secure = over_tls(req.headers());
    let body = axum::body::to_bytes(req.into_body(), 64 * 1024)
        .await
        .map_err(|_| AppError::TooLarge("sign-in body".into()))?;
    let req: LoginRequest =
        serde_json::from_slice(&body).map_err(|e| AppError::Malformed(e.to_string()))?;
    let (token, body) = tokio::task::spawn_blocking(move || {
        let user = auth::check_credentials(&state, &req.username, &req.password, &addr)?;
        if !may_use_console(user.role) {
            return Err(AppError::RoleNotAllowed);
        }
        let token = auth::new_token();
        let now = state.now();
        let row = ConsoleSessionRow {
            token_sha256: auth::token_hash(&token),
            user_id: user.id.clone(),
            csrf_token: auth::new_token(),
            created_at: now,
            expires_at: now + SESSION_TTL_MS,
        };
        state.storage.create_console_session(&row)?;
        state.storage.audit(&[crate::storage::AuditRow {
            at: now,
            user_id: Some(user.id.clone()),
            device_id: None,
            action: "console:sign_in".into(),
            doc_id: None,
            target: None,
            event_id: None,
        }])?;
        Ok((token, body_of(&state, &user, &row.csrf_token)?))
    })
    .await??;
    let mut resp = axum::Json(body).into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(&token, SESSION_TTL_MS / 1000, secure),
    );
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

async fn current(State(state): State<AppState>, cu: ConsoleUser) -> Result<Response, AppError> {
    let body = tokio::task::spawn_blocking(move || {
        let csrf = cu.session.as_ref().map_or("", |s| s.csrf_token.as_str());
        body_of(&state, &cu.user, csrf)
    })
    .await??;
    let mut resp = axum::Json(body).into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    cu: ConsoleUser,
) -> Result<Response, AppError> {
    let Some(hash) = cu.session.map(|s| s.token_sha256) else {
        return Err(AppError::ActionNotAllowed {
            zh: "设备登录不能在这里退出，请在应用的设置中退出登录。".into(),
            en: "A device session is not ended here: sign out in the app's settings.".into(),
        });
    };
    tokio::task::spawn_blocking(move || state.storage.delete_console_session(&hash)).await??;
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, set_cookie("", 0, over_tls(&headers)));
    Ok(resp)
}
