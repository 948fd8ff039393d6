//! Signing out: unsent work is never lost silently, and the next writer is new.

use gridwalk_core::reference::Role;
use gridwalk_server::demo::DEMO_PASSWORD;

use crate::support::{TestServer, visit_form};

#[tokio::test]
async fn signing_out_with_unsent_work_is_refused_unless_confirmed_and_then_a_new_actor_writes() {
    let server = TestServer::start().await;
    let worker = server.user(Role::GridWorker, |_| true);
    let mut p = server.phone(&worker.id).await;
    let hid = p.households()[0].id.clone();
    p.app.save_visit(&visit_form(&hid)).unwrap();
    let preview = p.app.wipe_preview().unwrap();
    assert_eq!(preview.pending_actions, 1);
    let err = p.app.sign_out(false).expect_err("one visit would be lost");
    assert_eq!(err.code, "unsynced_work");
    assert!(
        p.app.is_signed_in() && p.pending() == 1,
        "the refusal changed nothing"
    );

    let actor = p.app.store().actor().clone();
    p.app.sign_out(true).unwrap();
    assert!(!p.app.is_signed_in());
    assert!(
        !p.profile().join("session.json").exists(),
        "the session is forgotten"
    );
    assert!(
        p.app.store().dump_rows().unwrap().is_empty(),
        "the store is wiped"
    );
    assert_ne!(
        p.app.store().actor(),
        &actor,
        "the wiped device is a new writer"
    );
    assert!(
        p.app.households(&Default::default()).is_err(),
        "nothing is shown while signed out"
    );

    p.app
        .login(&server.url, &server.usernames[&worker.id], DEMO_PASSWORD)
        .await
        .unwrap();
    p.sync().await;
    p.app.save_visit(&visit_form(&hid)).unwrap();
    let st = p.sync().await;
    assert_eq!(
        (st.pending_actions, st.refused_actions),
        (0, 0),
        "the new actor's visit is accepted"
    );
}
