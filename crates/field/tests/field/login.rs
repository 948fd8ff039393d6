//! Signing in: errors with stable codes, and where the session is kept.

use gridwalk_core::reference::Role;
use gridwalk_server::demo::DEMO_PASSWORD;

use crate::support::TestServer;

#[tokio::test]
async fn a_wrong_password_is_refused_with_wrong_password_and_leaves_the_device_signed_out() {
    let server = TestServer::start().await;
    let worker = server.user(Role::GridWorker, |_| true);
    let mut p = server.app();
    let err = p
        .app
        .login(
            &server.url,
            &server.usernames[&worker.id],
            "not the password",
        )
        .await
        .expect_err("a wrong password must not sign in");
    assert_eq!(err.code, "wrong_password", "the UI branches on this code");
    assert!(!err.message_zh.is_empty() && !err.message_en.is_empty());
    assert!(!p.app.is_signed_in());
    assert!(
        !p.profile().join("session.json").exists(),
        "no session is kept after a refusal"
    );
}

#[tokio::test]
async fn an_unreachable_server_at_sign_in_says_unreachable() {
    let server = TestServer::start().await;
    let mut p = server.app();
    let err = p
        .app
        .login("http://127.0.0.1:9", "anyone", "x")
        .await
        .expect_err("nothing listens on port 9");
    assert_eq!(err.code, "unreachable");
}

#[tokio::test]
async fn signing_in_keeps_the_token_only_in_a_private_session_file_and_survives_a_restart() {
    let server = TestServer::start().await;
    let worker = server.user(Role::GridWorker, |_| true);
    let mut p = server.app();
    let view = p
        .app
        .login(&server.url, &server.usernames[&worker.id], DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        (view.user_id.as_str(), view.role.as_str()),
        (worker.id.as_str(), "grid_worker")
    );
    let token = p.token();
    let state = serde_json::to_string(&p.app.app_state().unwrap()).unwrap();
    assert!(!state.contains(&token), "the token never reaches a DTO");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(p.profile().join("session.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "only the app's user may read the token"
        );
    }
    p.sync().await;
    assert!(
        p.app.app_state().unwrap().first_sync_done,
        "the first sync downloads the scope"
    );
    let profile = p.profile();
    let crate::support::Phone { dir: _dir, app } = p;
    drop(app);
    let reopened = gridwalk_field::FieldApp::open(&profile, server.options()).unwrap();
    assert!(
        reopened.is_signed_in(),
        "the session is restored from the profile"
    );
    let state = reopened.app_state().unwrap();
    assert_eq!(state.server_url.as_deref(), Some(server.url.as_str()));
    assert!(
        state
            .session
            .unwrap()
            .areas
            .iter()
            .any(|a| a.value == worker.area_id),
        "the worker's grid is named"
    );
}
