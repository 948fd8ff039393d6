//! The HTTP client: sign-in and the one sync round trip, with retries and byte counts.
//!
//! The [`Session`] holds the server URL and the device token. The token stays in Rust:
//! the shell keeps the session (in the OS keystore, say) and the UI only ever sees
//! [`SessionInfo`], which has no token.
//!
//! A sync request is MessagePack sent with `Content-Type` [`CONTENT_TYPE`], gzipped with
//! `Content-Encoding: gzip` when it is large ([`encode_body`]); the answer comes back the
//! same way, with `Content-Encoding` telling which. The transport does not decompress on
//! its own, so the bytes counted are the bytes on the wire.

use gridwalk_core::protocol::{
    CONTENT_TYPE, ErrorBody, SyncRequest, SyncResponse, decode, decompress, encode_body,
};
use gridwalk_core::reference::Role;
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::error::{Call, SyncError};
use crate::progress::{Traffic, request_bytes, response_bytes};
use crate::retry::{RetryPolicy, retryable_status};

/// A signed-in device: where the server is, and the token that proves who it is.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The server's base URL (`https://grid.example.cn`).
    pub server_url: String,
    /// The device token. Never sent to the UI.
    token: String,
    /// The device id: the node of the device's hybrid logical clock.
    pub device_id: String,
    /// The signed-in user.
    pub user_id: String,
    /// Their role.
    pub role: Role,
    /// Their display name.
    pub name: String,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("server_url", &self.server_url)
            .field("token", &"<redacted>")
            .field("device_id", &self.device_id)
            .field("user_id", &self.user_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// What the UI may know about the session: everything but the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    /// The server's base URL.
    pub server_url: String,
    /// The device id.
    pub device_id: String,
    /// The signed-in user.
    pub user_id: String,
    /// Their role.
    pub role: Role,
    /// Their display name.
    pub name: String,
}

impl Session {
    /// A session restored from the shell's secure storage.
    pub fn restore(
        server_url: impl Into<String>,
        token: impl Into<String>,
        device_id: impl Into<String>,
        user_id: impl Into<String>,
        role: Role,
        name: impl Into<String>,
    ) -> Session {
        Session {
            server_url: server_url.into(),
            token: token.into(),
            device_id: device_id.into(),
            user_id: user_id.into(),
            role,
            name: name.into(),
        }
    }

    /// The token, for the shell's secure storage only: never hand it to the UI.
    pub fn token_for_secure_storage(&self) -> &str {
        &self.token
    }

    /// Everything but the token.
    pub fn info(&self) -> SessionInfo {
        SessionInfo {
            server_url: self.server_url.clone(),
            device_id: self.device_id.clone(),
            user_id: self.user_id.clone(),
            role: self.role,
            name: self.name.clone(),
        }
    }
}

#[derive(Serialize)]
struct LoginBody<'a> {
    username: &'a str,
    password: &'a str,
    device_name: &'a str,
}

#[derive(Deserialize)]
struct LoginAnswer {
    token: String,
    device_id: String,
    user_id: String,
    role: Role,
    name: String,
}

/// An answer read off the wire.
struct Answer {
    headers: HeaderMap,
    body: Vec<u8>,
}

/// The HTTP client of one engine.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    retry: RetryPolicy,
    max_response_bytes: usize,
}

/// The connection settings of a [`Client`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// Retries on network errors, 5xx and 429.
    pub retry: RetryPolicy,
    /// How long one request may take, connection included.
    pub timeout: Duration,
    /// How long connecting may take.
    pub connect_timeout: Duration,
    /// The largest answer accepted after decompression.
    pub max_response_bytes: usize,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(15),
            max_response_bytes: 512 << 20,
        }
    }
}

impl Client {
    /// A client with these settings.
    pub fn new(opts: &ClientOptions) -> Client {
        let http = reqwest::Client::builder()
            .timeout(opts.timeout)
            .connect_timeout(opts.connect_timeout)
            .build()
            .unwrap_or_default();
        Client {
            http,
            retry: opts.retry.clone(),
            max_response_bytes: opts.max_response_bytes,
        }
    }

    /// A link to the console API for `session` over this client's connections.
    pub fn console(&self, session: &Session) -> crate::console::ConsoleLink {
        crate::console::ConsoleLink {
            http: self.http.clone(),
            session: session.clone(),
            max_response_bytes: self.max_response_bytes,
        }
    }

    /// Signs in and registers this device. Wrong passwords and throttled sign-ins are
    /// not retried.
    pub async fn login(
        &self,
        server_url: &str,
        username: &str,
        password: &str,
        device_name: &str,
        traffic: &mut Traffic,
    ) -> Result<Session, SyncError> {
        let base = server_url.trim_end_matches('/');
        let url = endpoint(base, "/api/v1/login")?;
        let body = serde_json::to_vec(&LoginBody {
            username,
            password,
            device_name,
        })
        .map_err(|e| bad_response(e.to_string()))?;
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let answer = self
            .send(Call::Login, &url, headers, &body, traffic)
            .await?;
        let a: LoginAnswer =
            serde_json::from_slice(&answer.body).map_err(|e| bad_response(e.to_string()))?;
        Ok(Session {
            server_url: base.to_string(),
            token: a.token,
            device_id: a.device_id,
            user_id: a.user_id,
            role: a.role,
            name: a.name,
        })
    }

    /// One sync round trip (with retries).
    pub async fn sync(
        &self,
        session: &Session,
        req: &SyncRequest,
        traffic: &mut Traffic,
    ) -> Result<SyncResponse, SyncError> {
        let url = endpoint(&session.server_url, "/api/v1/sync")?;
        // Small bodies go plain; no Accept or Accept-Encoding: the endpoint answers in one
        // encoding only, so they would be bytes for nothing on every sync.
        let (body, gzipped) = encode_body(req);
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        if gzipped {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        let bearer = HeaderValue::from_str(&format!("Bearer {}", session.token))
            .map_err(|_| SyncError::SignedOut("bad_token".into()))?;
        headers.insert(header::AUTHORIZATION, bearer);
        let answer = self.send(Call::Sync, &url, headers, &body, traffic).await?;
        let gzipped = answer
            .headers
            .get(header::CONTENT_ENCODING)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"gzip"));
        let plain = if gzipped {
            decompress(&answer.body, self.max_response_bytes)
                .map_err(|e| bad_response(e.to_string()))?
        } else {
            answer.body
        };
        decode(&plain).map_err(|e| bad_response(e.to_string()))
    }

    /// Sends one request, retrying network errors, 5xx and 429 (except a throttled
    /// sign-in), and returns a 2xx answer or the typed error.
    async fn send(
        &self,
        call: Call,
        url: &reqwest::Url,
        headers: HeaderMap,
        body: &[u8],
        traffic: &mut Traffic,
    ) -> Result<Answer, SyncError> {
        let mut attempt = 1;
        loop {
            traffic.requests += 1;
            traffic.bytes_up += request_bytes("POST", url, &headers, body.len());
            let sent = self
                .http
                .post(url.clone())
                .headers(headers.clone())
                .body(body.to_vec())
                .send()
                .await;
            let (error, retry_after) = match sent {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let resp_headers = resp.headers().clone();
                    match resp.bytes().await {
                        Ok(bytes) => {
                            traffic.bytes_down +=
                                response_bytes(status, &resp_headers, bytes.len());
                            if (200..300).contains(&status) {
                                return Ok(Answer {
                                    headers: resp_headers,
                                    body: bytes.to_vec(),
                                });
                            }
                            let err_body: Option<ErrorBody> = serde_json::from_slice(&bytes).ok();
                            let err = SyncError::from_status(call, status, err_body.as_ref());
                            let retry =
                                retryable_status(status) && !(call == Call::Login && status == 429);
                            if !retry {
                                return Err(err);
                            }
                            (err, retry_after(&resp_headers))
                        }
                        Err(e) => (SyncError::Unreachable(e.to_string()), None),
                    }
                }
                Err(e) => (SyncError::Unreachable(e.to_string()), None),
            };
            attempt += 1;
            if !self.retry.allows(attempt) {
                return Err(error);
            }
            let wait = self.retry.delay(attempt, retry_after, &mut rand::rng());
            tracing::debug!(%error, ?wait, attempt, "sync request failed; retrying");
            tokio::time::sleep(wait).await;
        }
    }
}

fn endpoint(base: &str, path: &str) -> Result<reqwest::Url, SyncError> {
    reqwest::Url::parse(&format!("{}{path}", base.trim_end_matches('/')))
        .map_err(|e| SyncError::Unreachable(format!("bad server address {base}: {e}")))
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

fn bad_response(detail: String) -> SyncError {
    SyncError::Protocol {
        code: "bad_response".into(),
        detail,
    }
}
