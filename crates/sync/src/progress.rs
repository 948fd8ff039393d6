//! Progress events for the sync screen, and the byte accounting behind them.
//!
//! Every event carries the phase, what is done of what is known, and the bytes sent and
//! received so far. Bytes are counted as they cross the wire: the compressed bodies
//! exactly, plus the HTTP/1.1 request and status lines and headers, rebuilt from what was
//! sent and received (the transport does not expose its raw header bytes, so the count
//! is an estimate within a few bytes per request).

use reqwest::header::HeaderMap;
use serde::Serialize;

/// What the engine is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Sending the device's changes; `done`/`total` count user actions.
    Push,
    /// Downloading the scope for the first time; `done` counts documents.
    FirstSync,
    /// Receiving changes since the last sync; `done` counts documents.
    Pull,
    /// Writing a received page into the store; `done`/`total` count its documents.
    Apply,
    /// Finished.
    Done,
}

/// One progress event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The phase.
    pub phase: Phase,
    /// Units done in this phase.
    pub done: u64,
    /// Units in all, when known.
    pub total: Option<u64>,
    /// Bytes sent so far in this sync, headers included.
    pub bytes_up: u64,
    /// Bytes received so far in this sync, headers included.
    pub bytes_down: u64,
    /// Requests made so far in this sync (retries included).
    pub requests: u64,
}

/// Bytes and requests of one sync (or one login).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Traffic {
    /// Bytes sent, headers included.
    pub bytes_up: u64,
    /// Bytes received, headers included.
    pub bytes_down: u64,
    /// HTTP requests made, retries included.
    pub requests: u64,
}

impl Traffic {
    /// A progress event in `phase` with these counters.
    pub fn event(&self, phase: Phase, done: u64, total: Option<u64>) -> Progress {
        Progress {
            phase,
            done,
            total,
            bytes_up: self.bytes_up,
            bytes_down: self.bytes_down,
            requests: self.requests,
        }
    }
}

/// The size of a header block on the wire: `name: value\r\n` per header, then `\r\n`.
pub fn header_bytes(headers: &HeaderMap) -> u64 {
    let fields: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + 2 + v.len() + 2)
        .sum();
    (fields + 2) as u64
}

/// The bytes of a request on the wire: request line, the headers set on it plus the
/// `host` and `content-length` the transport adds, and the body.
pub fn request_bytes(method: &str, url: &reqwest::Url, headers: &HeaderMap, body: usize) -> u64 {
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let line = method.len() + 1 + path.len() + " HTTP/1.1\r\n".len();
    let host = url.host_str().unwrap_or("").len()
        + url.port().map(|p| p.to_string().len() + 1).unwrap_or(0);
    let mut added =
        "host: \r\n".len() + host + "content-length: \r\n".len() + body.to_string().len();
    if !headers.contains_key(reqwest::header::ACCEPT) {
        // reqwest's default `accept: */*`.
        added += "accept: */*\r\n".len();
    }
    (line + added) as u64 + header_bytes(headers) + body as u64
}

/// The bytes of a response on the wire: status line, headers and body.
pub fn response_bytes(status: u16, headers: &HeaderMap, body: usize) -> u64 {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let line = "HTTP/1.1 000 \r\n".len() + reason.len();
    line as u64 + header_bytes(headers) + body as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{CONTENT_TYPE, HeaderValue};

    #[test]
    fn a_request_counts_its_line_headers_and_body_as_on_the_wire() {
        let url = reqwest::Url::parse("http://127.0.0.1:8080/api/v1/sync").unwrap();
        let mut h = HeaderMap::new();
        h.insert(CONTENT_TYPE, HeaderValue::from_static("a/b"));
        let wire = "POST /api/v1/sync HTTP/1.1\r\n\
                    content-type: a/b\r\n\
                    accept: */*\r\n\
                    host: 127.0.0.1:8080\r\n\
                    content-length: 100\r\n\
                    \r\n";
        assert_eq!(
            request_bytes("POST", &url, &h, 100),
            wire.len() as u64 + 100,
            "the estimate must equal the bytes an HTTP/1.1 client writes"
        );
    }

    #[test]
    fn a_response_counts_its_status_line_headers_and_body() {
        let mut h = HeaderMap::new();
        h.insert("content-length", HeaderValue::from_static("42"));
        let wire = "HTTP/1.1 200 OK\r\ncontent-length: 42\r\n\r\n";
        assert_eq!(response_bytes(200, &h, 42), wire.len() as u64 + 42);
    }

    #[test]
    fn an_event_carries_the_counters_of_the_moment() {
        let t = Traffic {
            bytes_up: 10,
            bytes_down: 20,
            requests: 2,
        };
        let e = t.event(Phase::Push, 3, Some(5));
        assert_eq!(
            (e.done, e.total, e.bytes_up, e.bytes_down, e.requests),
            (3, Some(5), 10, 20, 2)
        );
    }
}
