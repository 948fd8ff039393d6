//! The errors a person can meet, each with its stable code: no server, a wrong password,
//! too many tries, an expired sign-in, a busy server; and the ones the engine handles on
//! its own: a push over the server's document limit, a refused change, audit upload.

use gridwalk_core::Localized;
use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::edit::Edit;
use gridwalk_core::doc::household::HouseholdStatus;
use gridwalk_core::protocol::AuditEvent;
use gridwalk_core::reference::Role;
use gridwalk_server::demo::DEMO_PASSWORD;
use gridwalk_server::state::Limits;
use gridwalk_sync::{Session, SyncEngine};

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_cannot_be_reached_is_reported_once_the_bounded_retries_are_spent() {
    // A port that was just free: nothing listens there.
    let url = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let clock = std::sync::Arc::new(|| gridwalk_core::Timestamp(0));
    let mut engine = SyncEngine::new(options(clock.clone()));
    let err = engine
        .login(&url, "someone", "pw", "手机")
        .await
        .expect_err("no server, no sign-in");
    assert_eq!(err.code(), "server_unreachable", "{err}");

    let dir = tempfile::tempdir().unwrap();
    let mut store = gridwalk_store::Store::open(dir.path().join("d.db")).unwrap();
    let session = Session::restore(&url, "token", "dev", "user", Role::GridWorker, "张三");
    let mut engine = SyncEngine::with_session(session, options(clock));
    let started = std::time::Instant::now();
    let err = engine
        .sync_once(&mut store, |_| {})
        .await
        .expect_err("no server, no sync");
    assert_eq!(err.code(), "server_unreachable");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the fast test policy gives up quickly"
    );
    assert!(
        engine.session().is_some(),
        "an unreachable server never signs the phone out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_refused_and_repeated_failures_lock_the_sign_in() {
    let server = TestServer::start().await;
    let worker = server.user_where(Role::GridWorker, |_| true);
    let username = server.usernames[&worker.id].clone();
    let mut engine = SyncEngine::new(options(std::sync::Arc::new(|| gridwalk_core::Timestamp(0))));
    let err = engine
        .login(&server.url, &username, "wrong", "手机")
        .await
        .expect_err("a wrong password");
    assert_eq!(err.code(), "wrong_password");
    let mut last = err;
    for _ in 0..server.state.limits.login_failures {
        last = engine
            .login(&server.url, &username, "wrong", "手机")
            .await
            .expect_err("still wrong");
    }
    assert_eq!(
        last.code(),
        "too_many_tries",
        "after repeated failures the sign-in is locked: {last}"
    );
    let locked = engine
        .login(&server.url, &username, DEMO_PASSWORD, "手机")
        .await
        .expect_err("even the right password waits out the lock");
    assert_eq!(locked.code(), "too_many_tries");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_sign_in_asks_to_sign_in_again_and_keeps_the_unsynced_work() {
    let server = TestServer::start().await;
    let worker = server.user_where(Role::GridWorker, |_| true);
    let mut phone = server.phone(&worker.id).await;
    phone.sync().await;
    let h = phone.doc_ids(DocKind::Household)[0].clone();
    phone.visit(&h, server.now());
    server.advance(server.state.limits.token_ttl_ms + 1);
    let err = phone
        .engine
        .sync_once(&mut phone.store, |_| {})
        .await
        .expect_err("the token has expired");
    assert_eq!(err.code(), "signed_out", "{err}");
    let debt = phone.engine.sync_debt(&phone.store).unwrap();
    assert_eq!(
        debt.pending_actions, 1,
        "the visit waits for the next sign-in"
    );
    assert!(
        !phone.doc_ids(DocKind::Household).is_empty(),
        "nothing is wiped"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_server_is_retried_then_reported_and_the_next_sync_gets_through() {
    // One request per second, and the test clock stands still: the bucket stays empty
    // until the clock moves.
    let server = TestServer::with_limits(Limits {
        requests_per_second: 1.0,
        ..Limits::default()
    })
    .await;
    let worker = server.user_where(Role::GridWorker, |_| true);
    let mut phone = server.phone(&worker.id).await;
    phone.sync().await;
    let err = phone
        .engine
        .sync_once(&mut phone.store, |_| {})
        .await
        .expect_err("the bucket is empty");
    assert_eq!(err.code(), "server_busy", "{err}");
    server.advance(10_000);
    phone.sync().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_over_the_servers_document_limit_is_split_until_it_fits() {
    let server = TestServer::with_limits(Limits {
        requests_per_second: 1e6,
        max_push_docs: 2,
        ..Limits::default()
    })
    .await;
    let worker = server.user_where(Role::GridWorker, |_| true);
    let mut phone = server.phone(&worker.id).await;
    phone.sync().await;
    let households: Vec<String> = phone
        .doc_ids(DocKind::Household)
        .into_iter()
        .take(5)
        .collect();
    assert_eq!(households.len(), 5);
    for h in &households {
        phone.visit(h, server.now());
    }
    let report = phone.sync().await;
    assert_eq!(
        report.acked, 5,
        "every visit reaches the server: {report:?}"
    );
    assert!(report.rounds >= 3, "in pushes of at most two documents");
    assert_eq!(report.debt.pending_actions, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_change_is_shown_with_its_reason_and_never_pushed_again() {
    let server = TestServer::start().await;
    let micro = server.ds.households[0].micro_grid_id.clone();
    let (id, name) = server.add_user(Role::PartTimeWorker, &micro, "微网格长");
    let mut phone = server.phone_as(&id, &name, PASSWORD).await;
    phone.sync().await;
    let h = phone.doc_ids(DocKind::Household)[0].clone();
    // A part-time worker may record visits, not change a household's profile.
    phone.edit(&h, Edit::Status(HouseholdStatus::Empty), server.now());
    let report = phone.sync().await;
    assert_eq!(
        report.refused, 1,
        "the server refuses the profile edit: {report:?}"
    );
    let refused = phone.store.refused().unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(
        (refused[0].doc_id.as_str(), refused[0].code.as_str()),
        (h.as_str(), "role_forbidden"),
        "the sync screen shows which household and why"
    );
    assert!(!refused[0].message_zh.is_empty() && !refused[0].message_en.is_empty());
    assert_eq!(
        report.debt.pending_actions, 0,
        "a refused action is not pending"
    );
    assert_eq!(report.debt.refused_actions, 1, "it is counted as refused");
    let again = phone.sync().await;
    assert_eq!(
        (again.acked, again.refused),
        (0, 0),
        "a refused action is never pushed again"
    );
    assert_eq!(
        server.storage.quarantined(&h).unwrap().len(),
        1,
        "the server keeps it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_events_recorded_offline_reach_the_server_once_and_leave_the_phone() {
    let server = TestServer::start().await;
    let worker = server.user_where(Role::GridWorker, |_| true);
    let mut phone = server.phone(&worker.id).await;
    phone.sync().await;
    let h = phone.doc_ids(DocKind::Household)[0].clone();
    let event = AuditEvent {
        id: uuid::Uuid::now_v7().to_string(),
        at_ms: server.now(),
        action: "reveal_id".into(),
        doc_id: h.clone(),
        target: "member-1".into(),
    };
    phone.store.record_audit(&event).unwrap();
    let report = phone.sync().await;
    assert_eq!(report.audit_sent, 1);
    assert!(
        phone.store.pending_audit(10).unwrap().is_empty(),
        "uploaded events leave"
    );
    let rows = server.storage.audit_rows("device:reveal_id").unwrap();
    assert_eq!(rows.len(), 1, "the server logs the offline reveal once");
    assert_eq!(rows[0].device_id.as_deref(), Some(phone.device_id.as_str()));
    assert_eq!(rows[0].doc_id.as_deref(), Some(h.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_made_after_a_refused_one_is_refused_and_shown_rather_than_left_pending_forever() {
    let server = TestServer::start().await;
    let micro = server.ds.households[0].micro_grid_id.clone();
    let (id, name) = server.add_user(Role::PartTimeWorker, &micro, "微网格长");
    let mut phone = server.phone_as(&id, &name, PASSWORD).await;
    phone.sync().await;
    let h = phone.doc_ids(DocKind::Household)[0].clone();
    phone.edit(&h, Edit::Status(HouseholdStatus::Empty), server.now());
    assert_eq!(phone.sync().await.refused, 1, "the profile edit is refused");

    // The phone keeps the refused edit in its replica: the visit recorded next builds on
    // it, and the server never stored it.
    server.advance(60_000);
    let visit = phone.visit(&h, server.now());
    let report = phone.sync().await;
    assert_eq!(
        (report.acked, report.refused, report.retry_later),
        (0, 1, 0),
        "the visit is refused with its ancestor, not retried forever: {report:?}"
    );
    assert_eq!(report.debt.pending_actions, 0, "nothing sits pending");
    let refused = phone.store.refused().unwrap();
    let shown = refused
        .iter()
        .find(|r| r.record_id.as_deref() == Some(visit.as_str()))
        .expect("the sync screen lists the visit");
    assert_eq!(
        shown.code, "role_forbidden",
        "with the refused ancestor's code"
    );
    let kept = server.storage.quarantined(&h).unwrap();
    assert_eq!(
        kept.len(),
        2,
        "the server keeps both changes in quarantine: nothing is lost"
    );
    let again = phone.sync().await;
    assert_eq!(
        (again.acked, again.refused, again.retry_later),
        (0, 0, 0),
        "and nothing is pushed again"
    );
}
