//! Queries the UI makes (due visits, overdue contacts, open incidents), sync debt and
//! bulk import.

use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::household::ContactMode;
use gridwalk_core::doc::incident::NewEvent;
use gridwalk_core::incident::{Action as IncidentAction, append};
use gridwalk_core::reference::rules::default_visit_rules;
use gridwalk_core::reference::{ContactAssignment, ContactKind, ContactTarget, Role};
use gridwalk_core::{Localized, Timestamp};
use gridwalk_store::{Action, ImportDoc, Store, StoreOptions};
use std::sync::Arc;

use crate::support::*;

#[test]
fn sync_debt_counts_pending_actions_and_their_age_and_storage_bytes_count_the_bytes_stored() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(std::sync::atomic::AtomicI64::new(T0));
    let c2 = clock.clone();
    let opts = StoreOptions {
        clock: Arc::new(move || Timestamp(c2.load(std::sync::atomic::Ordering::SeqCst))),
        ..StoreOptions::default()
    };
    let mut store = Store::open_with(dir.path().join("d.db"), opts).unwrap();
    let empty = store.sync_debt(Timestamp(T0)).unwrap();
    assert_eq!(
        (empty.pending_actions, empty.oldest_pending_age_ms),
        (0, None),
        "a new store owes nothing"
    );

    let hid = household(&mut store, "g1", "丽阳街88号", &[]);
    clock.store(T0 + 60_000, std::sync::atomic::Ordering::SeqCst);
    visit(&mut store, &hid, T0, ContactMode::InPerson);
    visit(&mut store, &hid, T0, ContactMode::Phone);
    let debt = store.sync_debt(Timestamp(T0 + 3_600_000)).unwrap();
    assert_eq!(
        debt.pending_actions, 3,
        "the create and two visits are pending"
    );
    assert_eq!(debt.pending_changes, 3, "one change per action");
    assert_eq!(
        debt.oldest_pending_age_ms,
        Some(3_600_000),
        "the oldest is the create, an hour ago"
    );
    let stored = store.storage_bytes().unwrap();
    assert!(
        stored.document_bytes > 0 && stored.file_bytes >= stored.document_bytes,
        "bytes stored are counted apart from the debt: {stored:?}"
    );

    let pending = store.pending(10).unwrap();
    assert_eq!(pending[0].action, "household.create");
    assert_eq!(pending[1].action, "household.add_visit");
    assert_eq!(store.ack(&[pending[0].id]).unwrap(), 1);
    let debt = store.sync_debt(Timestamp(T0 + 3_600_000)).unwrap();
    assert_eq!(debt.pending_actions, 2, "an acked action is no longer owed");
    assert_eq!(
        debt.oldest_pending_age_ms,
        Some(3_540_000),
        "the oldest is now the first visit"
    );
}

#[test]
fn due_visits_and_overdue_contacts_come_from_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("d.db")).unwrap();
    let alone = household(&mut store, "g1", "丽阳街1号", &["elderly_alone"]);
    visit(&mut store, &alone, T0 - 10 * DAY, ContactMode::Phone);
    let fresh = household(&mut store, "g1", "丽阳街2号", &["elderly_alone"]);
    visit(&mut store, &fresh, T0 - DAY, ContactMode::InPerson);
    let due = store
        .due_visits(&default_visit_rules(), Timestamp(T0), 0)
        .unwrap();
    let ids: Vec<&str> = due.iter().map(|d| d.household_id.as_str()).collect();
    assert_eq!(
        ids,
        vec![alone.as_str()],
        "only the household not contacted for 10 days is due: {due:?}"
    );
    assert_eq!(due[0].rule.tag, "elderly_alone");
    assert_eq!(due[0].days_overdue, 3);

    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let assignment = |aid: &str, target: &str| ContactAssignment {
        id: aid.into(),
        kind: ContactKind::PartyMemberHousehold,
        contactor_user: "u-zhang".into(),
        contactor_role: Role::PartyMember,
        target: ContactTarget::Household(target.into()),
        every_days: 7,
        valid_from: day("2026-01-01"),
        valid_to: None,
    };
    store
        .replace_assignments(1, &[assignment("a1", &alone), assignment("a2", &fresh)])
        .unwrap();
    assert_eq!(store.ref_version("assignments").unwrap(), Some(1));
    let overdue = store.overdue_contacts(Timestamp(T0)).unwrap();
    assert_eq!(
        overdue.len(),
        1,
        "the visit yesterday counts as a contact: {overdue:?}"
    );
    assert_eq!(overdue[0].assignment_id, "a1");
}

#[test]
fn incidents_show_their_effective_state_and_open_ones_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("d.db")).unwrap();
    let draft = incident(&mut store, "g1", "路灯损坏");
    let iid = incident(&mut store, "g1", "楼道堆放杂物，存在消防隐患");
    assert!(
        store.open_incidents(None).unwrap().is_empty(),
        "drafts are not open"
    );
    let c = ctx(T0 + DAY);
    let ev = NewEvent {
        id: id(),
        action: IncidentAction::Report,
        note: String::new(),
        fields: Default::default(),
    };
    store
        .transact(
            DocKind::Incident,
            &iid,
            Action::new("incident.report"),
            |d| append(d, &c, ev),
        )
        .unwrap();
    let open = store.open_incidents(Some("g1")).unwrap();
    assert_eq!(open.len(), 1, "the reported incident is open");
    assert_eq!(
        (open[0].id.as_str(), open[0].state.as_str()),
        (iid.as_str(), "reported")
    );
    assert_ne!(open[0].id, draft);
    let wrong = store.transact(DocKind::Household, &iid, Action::new("x"), |_| Ok(()));
    assert_eq!(
        wrong.expect_err("kind is checked").code(),
        "store_kind_mismatch"
    );
}

#[test]
fn import_stores_many_documents_in_one_transaction_without_outbox_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let mut source = Store::open(dir.path().join("src.db")).unwrap();
    let mut docs = Vec::new();
    for i in 0..30 {
        let hid = household(&mut source, "g1", &format!("丽阳街{i}号"), &[]);
        member(&mut source, &hid, "王秀英", Some("13812345678"));
        docs.push(ImportDoc {
            id: hid.clone(),
            kind: DocKind::Household,
            grid_id: "g1".into(),
            doc: source.document(&hid).unwrap(),
        });
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.import(docs).unwrap(), 30);
    assert_eq!(count(&path, "SELECT count(*) FROM households"), 30);
    assert_eq!(
        count(&path, "SELECT count(*) FROM outbox"),
        0,
        "imported documents are not pushed"
    );
    assert_eq!(
        store.search("王秀英", 100).unwrap().len(),
        30,
        "imported households are searchable"
    );
    let before = store.dump_rows().unwrap();
    store.rebuild().unwrap();
    assert_eq!(
        store.dump_rows().unwrap(),
        before,
        "imported rows equal rebuilt rows"
    );
}
