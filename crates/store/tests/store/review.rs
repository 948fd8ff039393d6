//! Review status in the rows: a return shows as "需修改" until the author's fix, which
//! makes the record `resubmitted`; rows follow remote changes and a rebuild.

use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::edit::{Edit, add_review, apply_edit};
use gridwalk_core::doc::household::{ContactMode, Decision, Review};
use gridwalk_core::doc::review::{RecordKind, shown_content_key};
use gridwalk_core::reference::Role;
use gridwalk_store::Store;
use gridwalk_store::materialize::Hydrated;

use super::support::*;

/// A supervisor's review written on another replica (the server), merged as a remote
/// change.
fn remote_review(store: &mut Store, hid: &str, vid: &str, decision: Decision, at: i64) {
    let mut doc = store.document(hid).unwrap().fork();
    doc.set_actor(automerge::ActorId::random());
    let shown = match store.hydrated(hid).unwrap() {
        Hydrated::Household(h) => shown_content_key(&h, RecordKind::Visit, vid),
        _ => None,
    };
    let mut c = ctx_on("u-head", "server", at);
    c.role = Role::GridHead;
    let review = Review {
        id: id(),
        target_kind: "visit".into(),
        target_id: vid.into(),
        decision,
        reason: "请补充服务内容".into(),
        reviewer_user: "u-head".into(),
        role: Role::GridHead,
        hlc: c.hlc.to_string(),
        content_hlc: shown,
    };
    let before = doc.get_heads();
    add_review(&mut doc, &c, &review).unwrap();
    let bytes = doc.save_after(&before);
    store
        .apply_remote(hid, DocKind::Household, "g-1", &bytes)
        .expect("the review merges");
}

#[test]
fn a_returned_visit_is_listed_for_its_author_until_a_fix_resubmits_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("d.db")).unwrap();
    let hid = household(&mut store, "g-1", "丽阳街1号", &[]);
    let vid = visit(&mut store, &hid, T0 + DAY, ContactMode::InPerson);
    let status = |s: &Store| s.review_record("visit", &vid).unwrap().unwrap().status;
    assert_eq!(status(&store), "unreviewed", "nobody has reviewed it yet");

    remote_review(&mut store, &hid, &vid, Decision::Return, T0 + 2 * DAY);
    let returned = store.returned_records("u-zhang").unwrap();
    assert_eq!(returned.len(), 1, "the author sees the returned visit");
    assert_eq!(returned[0].reason.as_deref(), Some("请补充服务内容"));
    assert_eq!(returned[0].returned_by.as_deref(), Some("u-head"));
    assert_eq!(returned[0].returned_at, Some(T0 + 2 * DAY));
    assert!(
        store.returned_records("u-other").unwrap().is_empty(),
        "another user's list does not show it"
    );

    let mut content = match store.hydrated(&hid).unwrap() {
        Hydrated::Household(h) => h.visits[&vid].current().cloned().unwrap(),
        _ => unreachable!(),
    };
    content.service = "测量血压，送药上门".into();
    let c = ctx(T0 + 3 * DAY);
    store
        .transact(
            DocKind::Household,
            &hid,
            gridwalk_store::Action::new("household.fix.visit").record(&vid),
            |doc| apply_edit(doc, &c, Edit::VisitContent(vid.clone(), content)),
        )
        .unwrap();
    assert_eq!(status(&store), "resubmitted", "the fix resubmits it");
    assert!(
        store.returned_records("u-zhang").unwrap().is_empty(),
        "a fixed record leaves 需修改"
    );
    let row = store.review_record("visit", &vid).unwrap().unwrap();
    assert_eq!(
        row.reason.as_deref(),
        Some("请补充服务内容"),
        "the reason stays visible after the fix"
    );

    remote_review(&mut store, &hid, &vid, Decision::Approve, T0 + 4 * DAY);
    assert_eq!(status(&store), "approved");
    let before = store.dump_rows().unwrap();
    store.rebuild().unwrap();
    assert_eq!(
        store.dump_rows().unwrap(),
        before,
        "review columns are a pure function of the document"
    );
}

#[test]
fn a_file_migrated_from_before_review_columns_gets_them_rebuilt_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let mut store = Store::open(&path).unwrap();
    let hid = household(&mut store, "g-1", "丽阳街2号", &[]);
    let vid = visit(&mut store, &hid, T0 + DAY, ContactMode::InPerson);
    remote_review(&mut store, &hid, &vid, Decision::Return, T0 + 2 * DAY);
    drop(store);
    // What an older build left: the schema of migration 2, rows without review columns.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut sql = String::from("DROP INDEX visits_returned; DROP INDEX contact_logs_returned;");
    for table in ["visits", "contact_logs"] {
        for col in [
            "review_status",
            "return_reason",
            "returned_by",
            "returned_at",
        ] {
            sql.push_str(&format!("ALTER TABLE {table} DROP COLUMN {col};"));
        }
    }
    sql.push_str("PRAGMA user_version = 2;");
    conn.execute_batch(&sql).unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let row = store.review_record("visit", &vid).unwrap().unwrap();
    assert_eq!(
        row.status, "returned",
        "opening after the migration recomputes the status from the document"
    );
    assert_eq!(row.reason.as_deref(), Some("请补充服务内容"));
}
