//! A console client for the tests: signs in through `POST /api/v1/console/session`, keeps
//! the cookie and CSRF token, and sends JSON through the real router.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use gridwalk_datagen::model::User;
use gridwalk_server::demo::DEMO_PASSWORD;
use serde_json::Value;

use crate::support::Server;

/// A signed-in console user.
pub struct Console<'a> {
    pub server: &'a Server,
    pub cookie: String,
    pub csrf: String,
    pub session: Value,
}

/// Signs in; the status, the body and the headers.
pub async fn sign_in_raw(
    server: &Server,
    username: &str,
    password: &str,
) -> (StatusCode, Value, HeaderMap) {
    let body = serde_json::json!({ "username": username, "password": password });
    let req = Request::post("/api/v1/console/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (status, body, headers) = server.send(req).await;
    let v = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, v, headers)
}

/// The cookie pair (`gw_console=…`) of a `Set-Cookie` header.
pub fn cookie_pair(headers: &HeaderMap) -> String {
    let set = headers
        .get(header::SET_COOKIE)
        .expect("a session cookie is set")
        .to_str()
        .unwrap();
    set.split(';').next().unwrap().trim().to_string()
}

impl<'a> Console<'a> {
    /// Signs a dataset user in with the demo password.
    pub async fn sign_in(server: &'a Server, user: &User) -> Console<'a> {
        Console::sign_in_as(server, &server.username(&user.id), DEMO_PASSWORD).await
    }

    /// Signs in with a username and password.
    pub async fn sign_in_as(server: &'a Server, username: &str, password: &str) -> Console<'a> {
        let (status, v, headers) = sign_in_raw(server, username, password).await;
        assert_eq!(status, StatusCode::OK, "console sign-in works: {v}");
        Console {
            server,
            cookie: cookie_pair(&headers),
            csrf: v["csrf_token"].as_str().unwrap().to_string(),
            session: v,
        }
    }

    /// A request with the cookie and, unless `csrf` is false, the CSRF header.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        csrf: bool,
    ) -> (StatusCode, Value) {
        let mut b = Request::builder()
            .method(method)
            .uri(format!("/api/v1/console{path}"))
            .header(header::COOKIE, &self.cookie);
        if csrf {
            b = b.header("X-CSRF-Token", &self.csrf);
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        }
        .unwrap();
        let (status, body, _) = self.server.send(req).await;
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send("GET", path, None, false).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send("POST", path, Some(body), true).await
    }
}
