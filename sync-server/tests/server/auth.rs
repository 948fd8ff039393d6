//! Login, throttling, revoked and expired tokens, health.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use gridwalk_core::reference::Role;
use gridwalk_server::demo::DEMO_PASSWORD;

use crate::support::*;

#[tokio::test]
async fn a_demo_user_logs_in_and_gets_a_256_bit_token_whose_digest_alone_is_stored() {
    let s = Server::new();
    let w = s.user_where(Role::GridWorker, |_| true);
    let (status, v) = s.login_raw(&s.username(&w.id), DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let token = v["token"].as_str().unwrap();
    assert_eq!(token.len(), 43, "256 bits, base64url without padding");
    assert_eq!(v["role"], "grid_worker");
    assert_eq!(v["user_id"], w.id.as_str());
    let hash = gridwalk_server::auth::token_hash(token);
    let (device, _) = s
        .storage
        .device_by_token(&hash)
        .unwrap()
        .expect("found by digest");
    assert_eq!(device.id, v["device_id"].as_str().unwrap());
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_stable_code_and_messages_in_both_languages() {
    let s = Server::new();
    let w = s.user_where(Role::GridWorker, |_| true);
    let (status, v) = s.login_raw(&s.username(&w.id), "wrong-password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(v["code"], "bad_credentials");
    assert!(v["message_zh"].as_str().unwrap().contains("密码"));
    assert!(!v["message_en"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn five_failed_logins_lock_the_user_even_for_the_right_password_until_the_window_ends() {
    let s = Server::new();
    let w = s.user_where(Role::GridWorker, |_| true);
    let name = s.username(&w.id);
    for _ in 0..5 {
        let (status, _) = s.login_raw(&name, "wrong-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, v) = s.login_raw(&name, DEMO_PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked after 5 failures"
    );
    assert_eq!(v["code"], "too_many_attempts");
    s.advance(16 * 60 * 1000);
    let (status, _) = s.login_raw(&name, DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "the lock ends after its window");
}

#[tokio::test]
async fn a_revoked_device_is_told_so_on_its_next_sync_so_the_app_can_lock_and_wipe() {
    let s = Server::new();
    let w = s.user_where(Role::GridWorker, |_| true);
    let d = s.device(&w.id).await;
    assert!(s.sync(&d.token, &d.request(vec![])).await.is_ok());
    assert!(s.storage.revoke_device(&d.device_id, s.now()).unwrap());
    let (status, body) = s.sync(&d.token, &d.request(vec![])).await.unwrap_err();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body.code, "device_revoked");
}

#[tokio::test]
async fn an_expired_or_unknown_token_is_refused_with_401() {
    let s = Server::new();
    let w = s.user_where(Role::GridWorker, |_| true);
    let d = s.device(&w.id).await;
    let (status, body) = s.sync("not-a-token", &d.request(vec![])).await.unwrap_err();
    assert_eq!(
        (status, body.code.as_str()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    s.advance(366 * 86_400_000);
    let (status, body) = s.sync(&d.token, &d.request(vec![])).await.unwrap_err();
    assert_eq!(
        (status, body.code.as_str()),
        (StatusCode::UNAUTHORIZED, "token_expired")
    );
}

#[tokio::test]
async fn health_answers_ok_with_the_protocol_version() {
    let s = Server::new();
    let (status, body, _) = s
        .send(Request::get("/api/v1/health").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["protocol"], 1);
}
