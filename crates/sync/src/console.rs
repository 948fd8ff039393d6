//! [`ConsoleLink`]: the app's supervisor views reaching the console API
//! (`/api/v1/console/…`) with the device token, so a grid head or township supervisor can
//! review, dispatch and read the dashboard inside the app when online.
//!
//! The link holds the token; what it hands back is the HTTP status and the body, never
//! a header that could carry the token. It does not retry: a console write (an approval,
//! an incident action) is a person's decision, which they repeat themselves if the
//! network dropped it. Answers larger than the client's limit are refused while reading.

use reqwest::header::{self, HeaderValue};

use crate::client::Session;
use crate::error::SyncError;

/// The methods the app's supervisor views use (the console API's sign-in and sign-out
/// are the browser's, not the app's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleMethod {
    /// Reads.
    Get,
    /// Decisions: reviews, incident actions, exports.
    Post,
}

/// One answer of the console API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// A signed-in device's way to the console API. Made by [`crate::SyncEngine::console`].
#[derive(Clone)]
pub struct ConsoleLink {
    pub(crate) http: reqwest::Client,
    pub(crate) session: Session,
    pub(crate) max_response_bytes: usize,
}

impl std::fmt::Debug for ConsoleLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleLink")
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl ConsoleLink {
    /// The session the link speaks for (the token stays inside).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Sends `method path` (a path under the server's base URL, query included) with an
    /// optional JSON body, and returns whatever the server answered, errors included:
    /// the caller reads the server's error body. Only a failure to reach the server, or
    /// an answer too large, is an `Err`.
    pub async fn send(
        &self,
        method: ConsoleMethod,
        path: &str,
        json: Option<Vec<u8>>,
    ) -> Result<ConsoleAnswer, SyncError> {
        let base = self.session.server_url.trim_end_matches('/');
        let url = reqwest::Url::parse(&format!("{base}{path}"))
            .map_err(|e| SyncError::Unreachable(format!("bad server address {base}: {e}")))?;
        let bearer = HeaderValue::from_str(&format!(
            "Bearer {}",
            self.session.token_for_secure_storage()
        ))
        .map_err(|_| SyncError::SignedOut("bad_token".into()))?;
        let mut req = self
            .http
            .request(
                match method {
                    ConsoleMethod::Get => reqwest::Method::GET,
                    ConsoleMethod::Post => reqwest::Method::POST,
                },
                url,
            )
            .header(header::AUTHORIZATION, bearer)
            .header(header::ACCEPT, "application/json");
        if let Some(body) = json {
            req = req
                .header(header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let mut resp = req
            .send()
            .await
            .map_err(|e| SyncError::Unreachable(e.to_string()))?;
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let mut body = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| SyncError::Unreachable(e.to_string()))?
        {
            if body.len() + chunk.len() > self.max_response_bytes {
                return Err(SyncError::Protocol {
                    code: "bad_response".into(),
                    detail: format!("answer larger than {} bytes", self.max_response_bytes),
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(ConsoleAnswer {
            status,
            content_type,
            body,
        })
    }
}
