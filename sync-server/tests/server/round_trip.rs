//! Push and pull between two devices of one grid; re-push is a no-op.

use automerge::Change;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gridwalk_core::protocol::{self, CONTENT_TYPE, SyncResponse};
use gridwalk_core::reference::Role;

use crate::support::*;

#[tokio::test]
async fn a_visit_pushed_by_one_device_reaches_the_other_device_of_the_grid_and_is_not_echoed_back()
{
    let s = Server::new();
    let worker = s.user_where(Role::GridWorker, |_| true);
    let grid = worker.area_id.clone();
    let village =
        s.ds.areas
            .iter()
            .find(|a| a.id == grid)
            .unwrap()
            .parent_id
            .clone()
            .unwrap();
    let head = s.user_where(Role::GridHead, |u| u.area_id == village);
    let mut w = s.device(&worker.id).await;
    let mut h = s.device(&head.id).await;
    w.sync_all(&s, vec![]).await;
    h.sync_all(&s, vec![]).await;
    let house = household_in(&s.ds, &grid);
    let visits_before = h.household(&house).visits.len();

    let push = w.visit(&house, s.now());
    let hash = Change::from_bytes(push.changes[0].to_vec())
        .unwrap()
        .hash()
        .to_string();
    let resps = w.sync_all(&s, vec![push]).await;
    assert_eq!(
        resps[0].ok,
        [0],
        "the ack names the stored document by its position: {:?}",
        resps[0].results
    );
    let echoed = resps
        .iter()
        .flat_map(|r| &r.docs)
        .flat_map(|d| &d.changes)
        .any(|b| Change::from_bytes(b.to_vec()).unwrap().hash().to_string() == hash);
    assert!(!echoed, "a device never gets its own change back");

    h.sync_all(&s, vec![]).await;
    assert_eq!(
        h.household(&house).visits.len(),
        visits_before + 1,
        "the other device of the grid has the new visit"
    );
}

#[tokio::test]
async fn pushing_the_same_changes_again_acks_the_same_hashes_and_adds_no_feed_entry() {
    let s = Server::new();
    let worker = s.user_where(Role::GridWorker, |_| true);
    let grid = worker.area_id.clone();
    let mut w = s.device(&worker.id).await;
    w.sync_all(&s, vec![]).await;
    let house = household_in(&s.ds, &grid);
    let push = w.visit(&house, s.now());
    let first = s
        .sync(&w.token, &w.request(vec![push.clone()]))
        .await
        .unwrap();
    let seqs = s.storage.feed_seqs(&grid).unwrap();
    let again = s.sync(&w.token, &w.request(vec![push])).await.unwrap();
    assert_eq!(
        (&again.ok, &again.results),
        (&first.ok, &first.results),
        "a re-push after a lost ack is acknowledged the same way"
    );
    assert_eq!(
        s.storage.feed_seqs(&grid).unwrap(),
        seqs,
        "a re-push stores nothing and adds no feed entry"
    );
}

#[tokio::test]
async fn every_accepted_change_and_uploaded_audit_event_is_in_the_audit_log_once() {
    let s = Server::new();
    let worker = s.user_where(Role::GridWorker, |_| true);
    let mut w = s.device(&worker.id).await;
    w.sync_all(&s, vec![]).await;
    let house = household_in(&s.ds, &worker.area_id);
    let push = w.visit(&house, s.now());
    let mut req = w.request(vec![push]);
    req.audit.push(gridwalk_core::protocol::AuditEvent {
        id: uuid::Uuid::now_v7().to_string(),
        at_ms: s.now(),
        action: "reveal_id".into(),
        doc_id: house.clone(),
        target: "person".into(),
    });
    s.sync(&w.token, &req).await.unwrap();
    s.sync(&w.token, &req).await.unwrap();
    assert_eq!(
        s.storage.audit_rows("change").unwrap().len(),
        1,
        "one row per stored change"
    );
    let reveals = s.storage.audit_rows("device:reveal_id").unwrap();
    assert_eq!(reveals.len(), 1, "a re-sent device event is logged once");
    assert_eq!(reveals[0].device_id.as_deref(), Some(w.device_id.as_str()));
    assert!(
        !s.storage.audit_rows("read_private").unwrap().is_empty(),
        "the grid worker's first sync delivered private documents, and each delivery is audited"
    );
}

#[tokio::test]
async fn compaction_folds_pending_changes_and_a_stale_compaction_never_replaces_a_newer_snapshot() {
    let s = Server::with_limits(gridwalk_server::state::Limits {
        compact_after: 2,
        requests_per_second: 1e6,
        ..Default::default()
    });
    let worker = s.user_where(Role::GridWorker, |_| true);
    let mut w = s.device(&worker.id).await;
    w.sync_all(&s, vec![]).await;
    let house = household_in(&s.ds, &worker.area_id);
    let visits = w.household(&house).visits.len();

    let first = w.visit(&house, s.now());
    s.sync(&w.token, &w.request(vec![first])).await.unwrap();
    // A compaction that starts now is built without the next change…
    let stored = s.storage.load_doc(&house).unwrap().unwrap();
    let mut stale = gridwalk_server::loaded::from_stored(&stored).unwrap();
    let second = w.visit(&house, s.now() + 1);
    s.sync(&w.token, &w.request(vec![second])).await.unwrap();
    assert!(
        s.storage
            .load_doc(&house)
            .unwrap()
            .unwrap()
            .pending
            .is_empty(),
        "the second push compacted the document"
    );
    // …and finishes after the push's own compaction: it must not be stored.
    let snap = gridwalk_server::loaded::compact(&mut stale);
    assert!(
        !s.storage.store_snapshot(&house, &snap).unwrap(),
        "a snapshot built on an older base is refused"
    );
    let stored = s.storage.load_doc(&house).unwrap().unwrap();
    let doc = gridwalk_server::loaded::from_stored(&stored).unwrap().doc;
    let h: gridwalk_core::doc::household::HouseholdDoc = gridwalk_core::doc::load(&doc, 1).unwrap();
    assert_eq!(
        h.visits.len(),
        visits + 2,
        "both visits survive every compaction"
    );
}

#[tokio::test]
async fn a_sync_with_nothing_to_do_is_answered_with_only_the_version_and_the_time() {
    let s = Server::new();
    let worker = s.user_where(Role::GridWorker, |_| true);
    let mut w = s.device(&worker.id).await;
    w.sync_all(&s, vec![]).await;
    let mut quiet = w.request(vec![]);
    quiet.reference_version = s.storage.reference_version().unwrap();
    let (body, gzipped) = protocol::encode_body(&quiet);
    assert!(!gzipped, "a no-op request is small enough to go plain");
    let req = Request::post("/api/v1/sync")
        .header(header::AUTHORIZATION, format!("Bearer {}", w.token))
        .header(header::CONTENT_TYPE, CONTENT_TYPE)
        .body(Body::from(body))
        .unwrap();
    let (status, body, headers) = s.send(req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !headers.contains_key(header::CONTENT_ENCODING)
            && !headers.contains_key(header::CONTENT_TYPE),
        "a small answer is plain, and a 200 is always the sync media type: {headers:?}"
    );
    let resp: SyncResponse = protocol::decode(&body).unwrap();
    assert!(
        resp.scope.is_none() && resp.cursors.is_empty() && resp.docs.is_empty() && !resp.more,
        "the scope is the grids of the cursors sent and no cursor moved: {resp:?}"
    );
    assert!(
        body.len() <= 40,
        "nothing but the version and the time travels: {} bytes",
        body.len()
    );
}
