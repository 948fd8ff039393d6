//! Console sign-in: the session cookie, CSRF, roles, expiry and throttling.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gridwalk_core::reference::Role;
use gridwalk_server::demo::DEMO_PASSWORD;

use crate::console_support::{Console, cookie_pair, sign_in_raw};
use crate::support::Server;

#[tokio::test]
async fn a_grid_head_signs_in_with_a_strict_http_only_cookie_of_eight_hours() {
    let server = Server::new();
    let head = server.user_where(Role::GridHead, |_| true);
    let (status, v, headers) =
        sign_in_raw(&server, &server.username(&head.id), DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let set = headers[header::SET_COOKIE].to_str().unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(set.contains(attr), "the cookie carries {attr}: {set}");
    }
    let token = cookie_pair(&headers)
        .strip_prefix("gw_console=")
        .unwrap()
        .to_string();
    assert_eq!(token.len(), 43, "256 random bits, base64url");
    assert_eq!(v["user"]["role"], "grid_head");
    assert_eq!(v["user"]["id"], head.id.as_str());
    assert!(v["user"]["area_name"].is_string(), "the area is named: {v}");
    assert!(v["csrf_token"].as_str().unwrap().len() >= 32);

    let st = &server.storage;
    let hash = gridwalk_server::auth::token_hash(&token);
    assert!(
        st.console_session(&hash).unwrap().is_some(),
        "the session is stored under the token's SHA-256"
    );
    assert!(
        st.console_session(&token).unwrap().is_none(),
        "the token itself is never stored"
    );
}

#[tokio::test]
async fn the_cookie_is_secure_when_a_tls_proxy_says_the_request_came_over_https() {
    let server = Server::new();
    let head = server.user_where(Role::GridHead, |_| true);
    let (_, _, plain) = sign_in_raw(&server, &server.username(&head.id), DEMO_PASSWORD).await;
    let set = plain[header::SET_COOKIE].to_str().unwrap();
    assert!(
        !set.contains("Secure"),
        "plain HTTP (the demo, tests): a Secure cookie would never come back: {set}"
    );
    for (name, value) in [
        ("x-forwarded-proto", "https"),
        ("forwarded", "for=192.0.2.60;proto=https;by=203.0.113.43"),
    ] {
        let body =
            serde_json::json!({"username": server.username(&head.id), "password": DEMO_PASSWORD});
        let req = Request::post("/api/v1/console/session")
            .header(header::CONTENT_TYPE, "application/json")
            .header(name, value)
            .body(Body::from(body.to_string()))
            .unwrap();
        let (status, _, headers) = server.send(req).await;
        assert_eq!(status, StatusCode::OK);
        let set = headers[header::SET_COOKIE].to_str().unwrap();
        assert!(
            set.contains("; Secure"),
            "behind TLS ({name}: {value}) the cookie only travels over HTTPS: {set}"
        );
    }
}

#[tokio::test]
async fn the_session_answers_who_is_signed_in_until_signed_out_or_expired() {
    let server = Server::new();
    let head = server.user_where(Role::GridHead, |_| true);
    let c = Console::sign_in(&server, &head).await;
    let (status, v) = c.get("/session").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v["csrf_token"], c.session["csrf_token"],
        "GET returns the same body"
    );

    let req = Request::get("/api/v1/console/session")
        .body(Body::empty())
        .unwrap();
    let (status, body, _) = server.send(req).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no cookie, no session");
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["code"], "unauthorized");

    let (status, _) = c.send("DELETE", "/session", None, true).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, v) = c.get("/session").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "signed out: {v}");

    let c = Console::sign_in(&server, &head).await;
    server.advance(8 * 3600 * 1000);
    let (status, _) = c.get("/session").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "eight hours later it has expired"
    );
}

#[tokio::test]
async fn every_non_get_request_without_the_right_csrf_token_is_refused() {
    let server = Server::new();
    let head = server.user_where(Role::GridHead, |_| true);
    let c = Console::sign_in(&server, &head).await;
    let body = serde_json::json!({"decision": "approve", "reason": null, "items": []});
    let (status, v) = c.send("POST", "/reviews", Some(body.clone()), false).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "missing token: {v}");
    assert_eq!(v["code"], "csrf_failed");
    assert!(v["message_zh"].is_string() && v["message_en"].is_string());

    let req = Request::post("/api/v1/console/reviews")
        .header(header::COOKIE, &c.cookie)
        .header("X-CSRF-Token", "not-the-token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (status, raw, _) = server.send(req).await;
    let v: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("csrf_failed")),
        "wrong token"
    );

    let (status, _) = c.send("DELETE", "/session", None, false).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "signing out needs the token too"
    );
}

#[tokio::test]
async fn roles_without_console_access_are_refused_at_sign_in() {
    let server = Server::new();
    for role in [Role::GridWorker, Role::PartTimeWorker, Role::PartyMember] {
        let u = server.user_where(role, |_| true);
        let (status, v, headers) =
            sign_in_raw(&server, &server.username(&u.id), DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}: {v}");
        assert_eq!(v["code"], "role_not_allowed");
        assert!(
            headers.get(header::SET_COOKIE).is_none(),
            "no cookie for {role:?}"
        );
    }
    for role in [
        Role::GridHead,
        Role::TownshipSupervisor,
        Role::Dispatcher,
        Role::HandlingUnit,
    ] {
        let u = server.user_where(role, |_| true);
        let (status, v, _) = sign_in_raw(&server, &server.username(&u.id), DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{role:?} may use the console: {v}");
    }
}

#[tokio::test]
async fn console_sign_in_is_throttled_like_the_device_login() {
    let server = Server::new();
    let head = server.user_where(Role::GridHead, |_| true);
    let name = server.username(&head.id);
    for _ in 0..5 {
        let (status, v, _) = sign_in_raw(&server, &name, "wrong password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(v["code"], "bad_credentials");
    }
    let (status, v, _) = sign_in_raw(&server, &name, DEMO_PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked even with the right password"
    );
    assert_eq!(v["code"], "too_many_attempts");
    let (status, v) = server.login_raw(&name, DEMO_PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "one throttle for both doors: {v}"
    );
}

#[tokio::test]
async fn the_console_page_is_served_with_a_content_security_policy() {
    let server = Server::new();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("assets")).unwrap();
    std::fs::write(
        dir.path().join("console.html"),
        "<!doctype html><title>网格行督导台</title>",
    )
    .unwrap();
    std::fs::write(dir.path().join("assets/app.js"), "console.log(1)").unwrap();
    server.state.console.set_ui_dir(dir.path().to_path_buf());

    let get = |p: &str| Request::get(p).body(Body::empty()).unwrap();
    let (status, _, headers) = server.send(get("/console")).await;
    assert!(status.is_redirection(), "{status}");
    assert_eq!(headers[header::LOCATION], "/console/");

    let (status, body, headers) = server.send(get("/console/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(body).unwrap().contains("网格行督导台"));
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );

    let (status, body, _) = server.send(get("/console/assets/app.js")).await;
    assert_eq!(status, StatusCode::OK, "assets are served beside the page");
    assert_eq!(body, b"console.log(1)");
}
