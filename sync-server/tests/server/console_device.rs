//! The console API called with a device token: the supervisor views inside the app. The
//! app's Rust side sends `Authorization: Bearer` with the token it syncs with; no cookie,
//! no CSRF token (a browser never adds that header by itself).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gridwalk_core::reference::Role;
use serde_json::{Value, json};

use crate::console_review::{cast, new_visit};
use crate::console_support::Console;
use crate::support::Server;

/// Sends one console request with a bearer token (and nothing else).
async fn bearer(
    server: &Server,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(format!("/api/v1/console{path}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if body.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    let req = req
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let (status, raw, _) = server.send(req).await;
    let v = if raw.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&raw).unwrap()
    };
    (status, v)
}

#[tokio::test]
async fn a_grid_head_on_a_device_returns_a_visit_without_a_cookie_or_csrf_token() {
    let server = Server::new();
    let (worker, head, hh) = cast(&server);
    let mut dev = server.device(&worker.id).await;
    dev.sync_all(&server, vec![]).await;
    let visit = new_visit(&server, &mut dev, &hh).await;
    let phone = server.device(&head.id).await;

    let (status, s) = bearer(&server, &phone.token, "GET", "/session", None).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["user"]["id"], head.id.as_str(), "the device's own user");
    assert_eq!(
        s["csrf_token"], "",
        "a device has no CSRF token: it needs none"
    );

    let (status, page) = bearer(
        &server,
        &phone.token,
        "GET",
        "/reviews?status=unreviewed&limit=500",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["record_id"] == visit.as_str()),
        "the same queue the browser console shows"
    );

    let items = json!([{"household_id": hh, "record_id": visit}]);
    let body = json!({"decision": "return", "reason": "请补充服务内容", "items": items});
    let (status, v) = bearer(&server, &phone.token, "POST", "/reviews", Some(body)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a bearer POST needs no CSRF token: {v}"
    );
    assert_eq!(v["results"][0]["ok"], true, "{v}");

    let c = Console::sign_in(&server, &head).await;
    let (_, d) = c.get(&format!("/reviews/{hh}/{visit}")).await;
    assert_eq!(
        d["item"]["status"], "returned",
        "the browser console sees the return made on the device: {d}"
    );
    let audit = server.storage.audit_rows("console:review").unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.user_id.as_deref() == Some(head.id.as_str())),
        "the device's review is audited under its user"
    );
}

#[tokio::test]
async fn a_field_worker_device_token_is_refused_with_role_not_allowed() {
    let server = Server::new();
    for role in [Role::GridWorker, Role::PartyMember] {
        let u = server.user_where(role, |_| true);
        let dev = server.device(&u.id).await;
        let (status, v) = bearer(
            &server,
            &dev.token,
            "GET",
            "/reviews?status=unreviewed",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}: {v}");
        assert_eq!(v["code"], "role_not_allowed", "{role:?}");
        assert!(v["message_zh"].is_string() && v["message_en"].is_string());
    }
}

#[tokio::test]
async fn a_bad_or_revoked_token_is_refused_even_beside_a_valid_cookie() {
    let server = Server::new();
    let (_, head, _) = cast(&server);
    let c = Console::sign_in(&server, &head).await;
    let req = Request::get("/api/v1/console/reviews?status=unreviewed")
        .header(header::COOKIE, &c.cookie)
        .header(header::AUTHORIZATION, "Bearer not-a-token")
        .body(Body::empty())
        .unwrap();
    let (status, raw, _) = server.send(req).await;
    let v: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized")),
        "a bearer header is judged alone: no fallback to the cookie"
    );

    let phone = server.device(&head.id).await;
    assert!(
        server
            .storage
            .revoke_device(&phone.device_id, server.now())
            .unwrap()
    );
    let (status, v) = bearer(&server, &phone.token, "GET", "/session", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{v}");
    assert_eq!(v["code"], "device_revoked", "the app locks as after a sync");
}

#[tokio::test]
async fn a_device_cannot_end_its_session_through_the_console() {
    let server = Server::new();
    let (_, head, _) = cast(&server);
    let phone = server.device(&head.id).await;
    let (status, v) = bearer(&server, &phone.token, "DELETE", "/session", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["code"], "action_not_allowed");
    let (status, _) = bearer(&server, &phone.token, "GET", "/session", None).await;
    assert_eq!(status, StatusCode::OK, "the device is still signed in");
}
