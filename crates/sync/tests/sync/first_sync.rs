//! First sync: everything in scope arrives, equal to the server's, and an interrupted
//! first sync resumes where it stopped.

use gridwalk_core::doc::DocKind;
use gridwalk_core::reference::Role;
use gridwalk_server::state::Limits;
use gridwalk_store::Store;
use gridwalk_sync::{Phase, SyncEngine};
use std::collections::BTreeSet;

use crate::support::*;

/// The ids and heads of every document the server holds in `grid`.
fn server_docs(server: &TestServer, grid: &str) -> BTreeSet<(String, String)> {
    server
        .storage
        .docs_in_grid(grid, "", 100_000)
        .unwrap()
        .into_iter()
        .map(|m| {
            let stored = server.storage.load_doc(&m.id).unwrap().unwrap();
            let mut doc = gridwalk_server::loaded::from_stored(&stored).unwrap().doc;
            (m.id, format!("{:?}", doc.get_heads()))
        })
        .collect()
}

/// The ids and heads of every document a phone holds.
fn phone_docs(phone: &mut Phone) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for kind in [
        DocKind::Household,
        DocKind::HouseholdPrivate,
        DocKind::Incident,
        DocKind::GridJournal,
    ] {
        for id in phone.doc_ids(kind) {
            let heads = phone.store.heads(&id).unwrap();
            out.insert((id, format!("{heads:?}")));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grid_workers_first_sync_holds_every_document_of_its_grid_as_the_server_has_it() {
    let server = TestServer::start().await;
    let worker = server.user_where(Role::GridWorker, |_| true);
    let mut phone = server.phone(&worker.id).await;
    let mut events = Vec::new();
    let report = phone
        .engine
        .sync_once(&mut phone.store, |p| events.push(p))
        .await
        .expect("the first sync succeeds");

    let expected = server_docs(&server, &worker.area_id);
    assert!(!expected.is_empty(), "the grid has documents to sync");
    assert_eq!(
        phone_docs(&mut phone),
        expected,
        "the phone holds exactly the grid's documents, with the server's heads"
    );
    assert!(
        report.first_sync,
        "the report says this was the first download"
    );
    assert!(phone.store.first_sync_done().unwrap());
    assert_eq!(
        phone.store.cursors().unwrap().keys().collect::<Vec<_>>(),
        [&worker.area_id],
        "one cursor, for the worker's grid"
    );
    assert!(
        phone.store.reference_version().unwrap() > 0,
        "reference data arrived with the first sync"
    );
    assert!(
        phone.store.calendar().unwrap().is_some(),
        "the calendar is stored"
    );
    let rows = phone.store.dump_rows().unwrap();
    assert!(
        rows.iter().any(|r| r.starts_with("household_fts:")),
        "first sync ends searchable: the search index is filled"
    );

    let phases: Vec<Phase> = events.iter().map(|e| e.phase).collect();
    assert!(
        phases.contains(&Phase::FirstSync),
        "shown as the first download"
    );
    assert!(phases.contains(&Phase::Apply));
    assert_eq!(
        phases.last(),
        Some(&Phase::Done),
        "the last event says done"
    );
    let last = events.last().unwrap();
    assert_eq!(
        (last.bytes_up, last.bytes_down, last.requests),
        (
            report.traffic.bytes_up,
            report.traffic.bytes_down,
            report.traffic.requests
        ),
        "the last event carries the sync's totals"
    );
    assert!(
        report.traffic.bytes_down > report.traffic.bytes_up,
        "a first sync mostly downloads"
    );
    let mut up = 0;
    for e in &events {
        assert!(e.bytes_up >= up, "byte counters never go back");
        up = e.bytes_up;
    }

    // A second sync with nothing new is a no-op: one round, nothing received.
    let again = phone.sync().await;
    assert_eq!(again.rounds, 1, "a no-op sync is one round trip");
    assert_eq!(again.docs_received, 0, "and receives nothing");
    assert!(!again.first_sync);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_first_sync_resumes_where_it_stopped() {
    // Small pages, so the first sync takes many rounds.
    let server = TestServer::with_limits(Limits {
        requests_per_second: 1e6,
        page_bytes: 4 << 10,
        ..Limits::default()
    })
    .await;
    let worker = server.user_where(Role::GridWorker, |_| true);
    let mut phone = server.phone(&worker.id).await;
    let session = phone.engine.session().unwrap().clone();

    // Interrupt after the second page is applied: the app is killed mid-download.
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut stop = Some(stop);
    let mut applied_pages = 0;
    let sync = phone.engine.sync_once(&mut phone.store, |p| {
        if p.phase == Phase::Apply && p.total == Some(p.done) && p.done > 0 {
            applied_pages += 1;
            if applied_pages == 2
                && let Some(s) = stop.take()
            {
                let _ = s.send(());
            }
        }
    });
    tokio::select! {
        r = sync => panic!("the first sync should have been interrupted, got {r:?}"),
        _ = stopped => {}
    }
    drop(phone.store);

    // The app starts again: the store is reopened from its file.
    let mut store = Store::open(&phone.path).unwrap();
    let held_before = store.document_ids(DocKind::Household).unwrap().len();
    assert!(
        held_before > 0,
        "the pages applied before the kill are kept"
    );
    assert!(
        !store.first_sync_done().unwrap(),
        "the first sync is not done yet"
    );
    let mut engine = SyncEngine::with_session(session, options(phone_clock(&server)));
    let report = engine.sync_once(&mut store, |_| {}).await.unwrap();
    assert!(
        report.first_sync,
        "the resumed sync finishes the first download"
    );

    let mut fresh = server.phone(&worker.id).await;
    let full = fresh.sync().await;
    assert!(
        report.docs_received < full.docs_received,
        "the resumed sync fetched only what was missing ({} < {})",
        report.docs_received,
        full.docs_received
    );
    assert_eq!(
        store.dump_rows().unwrap(),
        fresh.store.dump_rows().unwrap(),
        "the resumed phone ends exactly like one that synced in one go"
    );
}

fn phone_clock(server: &TestServer) -> gridwalk_store::Clock {
    let clock = server.clock.clone();
    std::sync::Arc::new(move || {
        gridwalk_core::Timestamp(clock.load(std::sync::atomic::Ordering::SeqCst))
    })
}
