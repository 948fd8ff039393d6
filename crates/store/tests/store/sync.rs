//! Sync bookkeeping: pages applied with their cursors in one transaction, revokes that
//! wait for the outbox, scope, refusals, the device clock, audit events and the wipe.

use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::household::ContactMode;
use gridwalk_core::protocol::{
    AuditEvent, Bytes, PROTOCOL_VERSION, PulledDoc, ReferenceData, Revoke, RevokeReason,
    SyncResponse,
};
use gridwalk_core::{Hlc, Timestamp};
use gridwalk_store::{Refusal, Store};

use std::collections::BTreeMap;

use crate::support::*;

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("d.db")).unwrap();
    (dir, store)
}

/// A page holding `docs`, revoking `revokes`, with `scope` and a cursor per scope grid.
fn page(docs: Vec<PulledDoc>, revokes: Vec<Revoke>, scope: &[&str]) -> SyncResponse {
    SyncResponse {
        protocol: PROTOCOL_VERSION,
        server_time_ms: T0,
        clock_ahead: false,
        ok: vec![],
        results: vec![],
        docs,
        revokes,
        scope: Some(scope.iter().map(|s| s.to_string()).collect()),
        reference: None,
        cursors: scope
            .iter()
            .map(|g| (g.to_string(), format!("f:{g}")))
            .collect::<BTreeMap<_, _>>(),
        more: false,
    }
}

fn revoke(doc: &str, grid: &str) -> Revoke {
    Revoke {
        doc_id: doc.into(),
        grid_id: grid.into(),
        reason: RevokeReason::Moved,
    }
}

fn ack_all(store: &mut Store) {
    let ids: Vec<i64> = store.pending(1000).unwrap().iter().map(|e| e.id).collect();
    store.settle_push(&ids, &[]).unwrap();
}

#[test]
fn a_revoked_document_waits_for_its_outbox_and_goes_once_it_is_pushed() {
    let (_d, mut store) = open();
    let hid = household(&mut store, "g1", "丽阳街1号", &[]);
    visit(&mut store, &hid, T0, ContactMode::InPerson);
    let applied = store
        .apply_sync_page(&page(vec![], vec![revoke(&hid, "g1")], &["g1"]))
        .unwrap();
    assert!(applied.docs_dropped.is_empty(), "unpushed work keeps it");
    assert_eq!(applied.docs_waiting, std::slice::from_ref(&hid));
    assert!(store.household_row(&hid).unwrap().is_some());

    ack_all(&mut store);
    assert_eq!(
        store.drop_revoked().unwrap(),
        std::slice::from_ref(&hid),
        "pushed, it goes"
    );
    assert!(store.household_row(&hid).unwrap().is_none());
    assert!(store.document_ids(DocKind::Household).unwrap().is_empty());
    let left: Vec<String> = store
        .dump_rows()
        .unwrap()
        .into_iter()
        .filter(|r| r.contains(&hid))
        .collect();
    assert!(left.is_empty(), "no row of it is orphaned: {left:?}");
    assert!(store.pending_revokes().unwrap().is_empty());
}

#[test]
fn a_revoke_from_a_grid_the_document_no_longer_sits_in_is_ignored() {
    let (_d, mut store) = open();
    let hid = household(&mut store, "g2", "丽阳街2号", &[]);
    ack_all(&mut store);
    let applied = store
        .apply_sync_page(&page(vec![], vec![revoke(&hid, "g1")], &["g1", "g2"]))
        .unwrap();
    assert!(
        applied.docs_dropped.is_empty() && applied.docs_waiting.is_empty(),
        "a household that moved into a grid the device holds stays"
    );
    assert!(store.household_row(&hid).unwrap().is_some());
}

#[test]
fn a_grid_that_leaves_the_scope_takes_its_documents_and_cursor_with_it() {
    let (_d, mut store) = open();
    let keep = household(&mut store, "g1", "丽阳街3号", &[]);
    let gone = household(&mut store, "g2", "丽阳街4号", &[]);
    ack_all(&mut store);
    store.set_cursor("g2", "f:9").unwrap();
    let applied = store
        .apply_sync_page(&page(vec![], vec![], &["g1"]))
        .unwrap();
    assert_eq!(applied.grids_dropped, ["g2"]);
    assert_eq!(applied.docs_dropped, std::slice::from_ref(&gone));
    assert_eq!(store.document_ids(DocKind::Household).unwrap(), [keep]);
    assert_eq!(
        store.cursors().unwrap().keys().collect::<Vec<_>>(),
        ["g1"],
        "the dropped grid's cursor goes, the scope grid's cursor is stored"
    );
}

#[test]
fn an_answer_without_scope_or_cursors_keeps_the_grids_of_the_cursors_and_changes_nothing() {
    let (_d, mut store) = open();
    let h1 = household(&mut store, "g1", "丽阳街5号", &[]);
    let h2 = household(&mut store, "g2", "丽阳街6号", &[]);
    ack_all(&mut store);
    store.set_cursor("g1", "f:1").unwrap();
    store.set_cursor("g2", "f:2").unwrap();
    let mut quiet = page(vec![], vec![], &[]);
    quiet.scope = None;
    quiet.cursors.clear();
    let applied = store.apply_sync_page(&quiet).unwrap();
    assert!(
        applied.grids_dropped.is_empty() && applied.docs_dropped.is_empty(),
        "no scope means the scope is the grids of the cursors sent: nothing leaves"
    );
    let mut ids = vec![h1, h2];
    ids.sort();
    assert_eq!(store.document_ids(DocKind::Household).unwrap(), ids);
    assert_eq!(
        store.cursors().unwrap().into_iter().collect::<Vec<_>>(),
        [("g1".into(), "f:1".into()), ("g2".into(), "f:2".into())],
        "cursors left out of the answer keep their value"
    );
}

#[test]
fn a_page_and_its_cursors_are_applied_together_or_not_at_all() {
    let (_d, mut store) = open();
    let mut src = open();
    let hid = household(&mut src.1, "g1", "丽阳街5号", &[]);
    let snapshot = src.1.document(&hid).unwrap().save();
    let good = PulledDoc {
        doc_id: hid.clone(),
        kind: DocKind::Household,
        grid_id: "g1".into(),
        snapshot: Some(Bytes::from(snapshot)),
        changes: vec![],
    };
    let bad = PulledDoc {
        doc_id: "broken".into(),
        snapshot: Some(Bytes::from(b"not automerge".to_vec())),
        ..good.clone()
    };
    let err = store.apply_sync_page(&page(vec![good.clone(), bad], vec![], &["g1"]));
    assert!(err.is_err(), "a broken document fails the page");
    assert_eq!(
        store.cursor("g1").unwrap(),
        None,
        "so its cursor did not move"
    );
    assert!(
        store.household_row(&hid).unwrap().is_none(),
        "and the page's good documents are not half-applied"
    );
    let applied = store
        .apply_sync_page(&page(vec![good], vec![], &["g1"]))
        .unwrap();
    assert_eq!((applied.docs_received, applied.docs_changed), (1, 1));
    assert_eq!(store.cursor("g1").unwrap().as_deref(), Some("f:g1"));
    assert!(store.household_row(&hid).unwrap().is_some());
}

#[test]
fn a_refused_action_is_kept_for_the_person_but_no_longer_pending() {
    let (_d, mut store) = open();
    let hid = household(&mut store, "g1", "丽阳街6号", &[]);
    let vid = visit(&mut store, &hid, T0, ContactMode::InPerson);
    let rows = store.pending(10).unwrap();
    assert_eq!(rows.len(), 2);
    let refusal = Refusal {
        outbox_id: rows[1].id,
        code: "role_forbidden".into(),
        message_zh: "您的角色不能做这项修改".into(),
        message_en: "Your role may not".into(),
    };
    store.settle_push(&[rows[0].id], &[refusal]).unwrap();
    assert!(
        store.pending(10).unwrap().is_empty(),
        "a refused action is not pushed again"
    );
    let refused = store.refused().unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].record_id.as_deref(), Some(vid.as_str()));
    assert_eq!(refused[0].code, "role_forbidden");
    let debt = store.sync_debt(Timestamp(T0)).unwrap();
    assert_eq!((debt.pending_actions, debt.refused_actions), (0, 1));

    // A revoke does not wait for a refused action: the server keeps it in quarantine.
    let applied = store
        .apply_sync_page(&page(vec![], vec![revoke(&hid, "g1")], &["g1"]))
        .unwrap();
    assert_eq!(applied.docs_dropped, [hid]);
    assert!(store.refused().unwrap().is_empty());
}

#[test]
fn reference_data_from_a_page_is_stored_with_its_version() {
    let (_d, mut store) = open();
    assert_eq!(store.reference_version().unwrap(), 0);
    let mut p = page(vec![], vec![], &["g1"]);
    p.reference = Some(ReferenceData {
        version: 7,
        ..ReferenceData::default()
    });
    store.apply_sync_page(&p).unwrap();
    assert_eq!(store.reference_version().unwrap(), 7);
    assert!(store.calendar().unwrap().is_some());
    assert_eq!(store.visit_rules().unwrap(), Some(vec![]));
}

#[test]
fn the_device_clock_survives_a_restart_and_moves_past_the_servers_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.hlc().unwrap(), None);
    let server = Hlc {
        wall_ms: T0 + 1_000_000,
        counter: 3,
        node: "server".into(),
    };
    // The phone's own clock is behind the server's.
    let seen = store.observe_hlc("dev-1", &server, T0).unwrap();
    assert_eq!(seen.node, "dev-1", "the clock keeps the device's node");
    drop(store);
    let mut store = Store::open(&path).unwrap();
    let next = store.tick_hlc("dev-1", T0).unwrap();
    assert!(
        next > seen && next.wall_ms >= server.wall_ms,
        "a write after a restart sorts after the server time seen before it"
    );
}

#[test]
fn audit_events_wait_once_each_until_forgotten() {
    let (_d, mut store) = open();
    let e = AuditEvent {
        id: "01-a".into(),
        at_ms: T0,
        action: "reveal_id".into(),
        doc_id: "h1".into(),
        target: "p1".into(),
    };
    store.record_audit(&e).unwrap();
    store.record_audit(&e).unwrap();
    assert_eq!(
        store.pending_audit(10).unwrap(),
        std::slice::from_ref(&e),
        "recorded once"
    );
    store.forget_audit(&[e.id]).unwrap();
    assert!(store.pending_audit(10).unwrap().is_empty());
}

#[test]
fn a_wipe_deletes_every_row_and_the_device_writes_as_a_new_actor_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let mut store = Store::open(&path).unwrap();
    let hid = household(&mut store, "g1", "丽阳街7号", &["elderly_alone"]);
    visit(&mut store, &hid, T0, ContactMode::InPerson);
    store.set_cursor("g1", "f:1").unwrap();
    store.tick_hlc("dev-1", T0).unwrap();
    let before = store.actor().clone();

    let fresh = store.wipe().unwrap();
    assert_ne!(fresh, before, "a wiped device is a new writer");
    assert_eq!(store.actor(), &fresh);
    assert!(
        store.dump_rows().unwrap().is_empty(),
        "no materialized row is left"
    );
    assert!(store.document_ids(DocKind::Household).unwrap().is_empty());
    assert!(store.pending(10).unwrap().is_empty());
    assert!(store.cursors().unwrap().is_empty());
    assert_eq!(store.hlc().unwrap(), None);
    let tables = count(
        &path,
        "SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM outbox)",
    );
    assert_eq!(tables, 0);
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.actor(),
        &fresh,
        "the fresh actor is what the file keeps"
    );
    let household2 = {
        let mut store = store;
        household(&mut store, "g1", "丽阳街8号", &[])
    };
    assert!(!household2.is_empty(), "the wiped store takes new work");
}
