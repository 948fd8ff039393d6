//! A revoked device is told so on its next sync, wipes everything and starts over as a
//! new writer.

use gridwalk_core::Localized;
use gridwalk_core::doc::DocKind;
use gridwalk_core::protocol::AuditEvent;
use gridwalk_core::reference::Role;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_device_is_told_so_wipes_its_data_and_starts_over_as_a_new_writer() {
    let server = TestServer::start().await;
    let worker = server.user_where(Role::GridWorker, |_| true);
    let mut phone = server.phone(&worker.id).await;
    phone.sync().await;
    let household = phone.doc_ids(DocKind::Household)[0].clone();
    phone.visit(&household, server.now());
    phone
        .store
        .record_audit(&AuditEvent {
            id: uuid::Uuid::now_v7().to_string(),
            at_ms: server.now(),
            action: "reveal_id".into(),
            doc_id: household.clone(),
            target: "member".into(),
        })
        .unwrap();
    let actor_before = phone.store.actor().clone();

    assert!(
        server
            .storage
            .revoke_device(&phone.device_id, server.now())
            .unwrap(),
        "the admin revokes the phone"
    );
    let err = phone
        .engine
        .sync_once(&mut phone.store, |_| {})
        .await
        .expect_err("a revoked device cannot sync");
    assert_eq!(err.code(), "device_revoked", "the app is told why: {err}");

    for kind in [
        DocKind::Household,
        DocKind::HouseholdPrivate,
        DocKind::Incident,
        DocKind::GridJournal,
    ] {
        assert!(
            phone.doc_ids(kind).is_empty(),
            "every {kind:?} document is wiped"
        );
    }
    assert!(
        phone.store.dump_rows().unwrap().is_empty(),
        "no row is left to read"
    );
    let debt = phone
        .store
        .sync_debt(gridwalk_core::Timestamp(server.now()))
        .unwrap();
    assert_eq!(debt.pending_actions, 0, "the outbox is wiped");
    assert!(phone.store.pending_audit(10).unwrap().is_empty());
    assert!(
        phone.store.cursors().unwrap().is_empty(),
        "and so are the cursors"
    );
    assert_eq!(phone.store.reference_version().unwrap(), 0);
    assert!(!phone.store.first_sync_done().unwrap());
    assert_ne!(
        phone.store.actor(),
        &actor_before,
        "after a wipe the device writes as a new actor"
    );
    assert!(phone.engine.session().is_none(), "the token is forgotten");
    let again = phone
        .engine
        .sync_once(&mut phone.store, |_| {})
        .await
        .expect_err("nothing syncs without signing in again");
    assert_eq!(again.code(), "not_signed_in");

    // Reopening the file finds the fresh actor, not the old one.
    drop(phone.store);
    let reopened = gridwalk_store::Store::open(&phone.path).unwrap();
    assert_ne!(reopened.actor(), &actor_before);
}
