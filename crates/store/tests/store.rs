//! gridwalk-store integration tests: round trip, rebuild, search, atomic refusals,
//! conflicts, sync debt, compaction, migrations, queries, sync bookkeeping and the crash
//! test.

#[path = "store/crash.rs"]
mod crash;
#[path = "store/queries.rs"]
mod queries;
#[path = "store/review.rs"]
mod review;
#[path = "store/schema.rs"]
mod schema;
#[path = "store/support.rs"]
mod support;
#[path = "store/sync.rs"]
mod sync;

use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::edit::{Edit, NewMember, add_member, add_visit, apply_edit};
use gridwalk_core::doc::household::{ContactMode, HouseholdDoc, Relation};
use gridwalk_core::{Lang, Localized, Timestamp};
use gridwalk_store::materialize::Hydrated;
use gridwalk_store::{Action, Store, StoreOptions};
use support::*;

fn household_doc(store: &mut Store, id: &str) -> HouseholdDoc {
    match store.hydrated(id).unwrap() {
        Hydrated::Household(h) => *h,
        other => panic!("{id} is not a household: {other:?}"),
    }
}

#[test]
fn a_household_written_through_transact_reads_back_the_same_after_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("device.db");
    let mut store = Store::open(&path).unwrap();
    let hid = household(&mut store, "g1", "丽阳街88号", &["elderly_alone"]);
    member(&mut store, &hid, "王秀英", Some("13812345678"));
    let vid = visit(&mut store, &hid, T0 + DAY, ContactMode::InPerson);
    let before = household_doc(&mut store, &hid);
    let heads = store.heads(&hid).unwrap();
    let actor = store.actor().clone();
    drop(store);

    let mut store = Store::open(&path).unwrap();
    assert_eq!(
        store.actor(),
        &actor,
        "the device keeps its actor across restarts"
    );
    assert_eq!(
        store.heads(&hid).unwrap(),
        heads,
        "the reopened document has the same heads"
    );
    assert_eq!(
        household_doc(&mut store, &hid),
        before,
        "the reopened document hydrates to the same value"
    );
    let row = store
        .household_row(&hid)
        .unwrap()
        .expect("the household row is stored");
    assert_eq!(row.member_names, "王秀英");
    assert_eq!(row.visit_count, 1);
    assert_eq!(row.last_in_person_at, Some(T0 + DAY));
    assert_eq!(store.visits_of(&hid).unwrap()[0].id, vid);
}

#[test]
fn rebuilding_the_rows_from_the_documents_gives_exactly_the_stored_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_with(
        dir.path().join("d.db"),
        StoreOptions {
            compact_after: 3,
            ..StoreOptions::default()
        },
    )
    .unwrap();
    for i in 0..5 {
        let hid = household(&mut store, "g1", &format!("丽阳街{i}号"), &["very_old"]);
        let pid = member(&mut store, &hid, "李建国", Some("13912340000"));
        let vid = visit(&mut store, &hid, T0 + i * DAY, ContactMode::Phone);
        visit(&mut store, &hid, T0 + i * DAY + 1, ContactMode::InPerson);
        let c = ctx(T0 + 10 * DAY);
        store
            .transact(
                DocKind::Household,
                &hid,
                Action::new("household.edit"),
                |d| {
                    apply_edit(d, &c, Edit::VisitDeleted(vid.clone(), Some(T0)))?;
                    apply_edit(d, &c, Edit::MemberName(pid.clone(), "李建华".into()))
                },
            )
            .unwrap();
    }
    let gone = household(&mut store, "g2", "白云山村", &[]);
    let c = ctx(T0 + DAY);
    store
        .transact(
            DocKind::Household,
            &gone,
            Action::new("household.delete"),
            |d| apply_edit(d, &c, Edit::HouseholdDeleted(Some(T0 + DAY))),
        )
        .unwrap();
    incident(&mut store, "g1", "楼道堆放杂物，存在消防隐患");
    let before = store.dump_rows().unwrap();
    assert!(
        before.iter().any(|l| l.starts_with("household_fts:")),
        "search rows are part of the dump"
    );
    assert!(
        before.iter().any(|l| l.starts_with("incidents:")),
        "incident rows are part of the dump"
    );
    store.rebuild().unwrap();
    assert_eq!(
        store.dump_rows().unwrap(),
        before,
        "rows recomputed from the documents must equal the stored rows"
    );
}

#[test]
fn search_finds_households_in_chinese_by_name_address_phone_tail_and_tag() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("d.db")).unwrap();
    let wang = household(&mut store, "g1", "丽阳街88号", &["elderly_alone"]);
    member(&mut store, &wang, "王秀英", Some("13812345678"));
    let li = household(&mut store, "g1", "中山街12号", &[]);
    member(&mut store, &li, "李建国", Some("13987654321"));
    let gone = household(&mut store, "g1", "丽阳街90号", &[]);
    member(&mut store, &gone, "王大明", None);
    let c = ctx(T0);
    store
        .transact(
            DocKind::Household,
            &gone,
            Action::new("household.delete"),
            |d| apply_edit(d, &c, Edit::HouseholdDeleted(Some(T0))),
        )
        .unwrap();

    let ids = |q: &str| -> Vec<String> {
        store
            .search(q, 20)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect()
    };
    assert_eq!(
        ids("王"),
        vec![wang.clone()],
        "a one-character surname matches by LIKE, and deleted households are left out"
    );
    assert_eq!(
        ids("丽阳"),
        vec![wang.clone()],
        "a two-character query matches by LIKE"
    );
    assert_eq!(
        ids("丽阳街"),
        vec![wang.clone()],
        "a three-character query matches through the trigram index"
    );
    assert_eq!(
        ids("5678"),
        vec![wang.clone()],
        "a phone tail finds the household"
    );
    assert_eq!(
        ids("独居老人"),
        vec![wang.clone()],
        "a tag label finds the household"
    );
    assert_eq!(
        ids("李建国"),
        vec![li.clone()],
        "a full name finds the household"
    );
    assert_eq!(
        ids("王 丽阳街"),
        vec![wang.clone()],
        "short and long terms combine"
    );
    assert!(ids("张").is_empty(), "nobody is called 张");
    assert!(
        ids("\"%_").is_empty(),
        "query syntax characters are plain text"
    );
}

#[test]
fn an_empty_member_name_is_refused_and_nothing_is_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let mut store = Store::open(&path).unwrap();
    let hid = household(&mut store, "g1", "丽阳街88号", &[]);
    let dump = store.dump_rows().unwrap();
    let heads = store.heads(&hid).unwrap();
    let counts = |p: &std::path::Path| {
        (
            count(p, "SELECT count(*) FROM doc_chunks"),
            count(p, "SELECT count(*) FROM outbox"),
            count(p, "SELECT count(*) FROM members"),
        )
    };
    let before = counts(&path);

    let c = ctx(T0);
    let vid = id();
    let v = visit_record(&vid, T0, ContactMode::InPerson);
    let err = store
        .transact(
            DocKind::Household,
            &hid,
            Action::new("household.add_member"),
            |d| {
                // A visit goes in first, then the member is refused: the visit must not survive.
                add_visit(d, &c, &v)?;
                let n = NewMember {
                    id: id(),
                    name: "   ".into(),
                    relation: Relation::Head,
                    id_doc: None,
                    phone: None,
                    birth_year: None,
                };
                add_member(d, &c, n)
            },
        )
        .expect_err("an empty name must be refused");
    assert_eq!(err.code(), "required", "the refusal keeps core's code");
    assert!(
        err.message(Lang::ZhCn).contains("姓名"),
        "the message names the field in Chinese"
    );
    assert_eq!(
        counts(&path),
        before,
        "no chunk, outbox entry or row may appear for a refused action"
    );
    assert_eq!(store.dump_rows().unwrap(), dump, "the rows are unchanged");
    assert_eq!(
        store.heads(&hid).unwrap(),
        heads,
        "the cached document was restored, without the visit"
    );
    assert!(
        !household_doc(&mut store, &hid).visits.contains_key(&vid),
        "the half-done visit is gone"
    );

    member(&mut store, &hid, "王秀英", None);
    assert_eq!(
        store.household_row(&hid).unwrap().unwrap().member_count,
        1,
        "the next valid action goes through"
    );
}

#[test]
fn a_remote_edit_of_the_same_field_shows_up_as_a_conflict_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("d.db")).unwrap();
    let hid = household(&mut store, "g1", "丽阳街88号", &[]);
    let pid = member(&mut store, &hid, "王秀英", None);
    let mut remote = replica(&mut store, &hid);
    let base = remote.get_heads();

    let c = ctx_on("u-zhang", "dev-1", T0 + DAY);
    store
        .transact(
            DocKind::Household,
            &hid,
            Action::new("household.edit"),
            |d| apply_edit(d, &c, Edit::MemberName(pid.clone(), "王秀瑛".into())),
        )
        .unwrap();
    let rc = ctx_on("u-li", "dev-2", T0 + DAY + 5);
    apply_edit(
        &mut remote,
        &rc,
        Edit::MemberName(pid.clone(), "汪秀英".into()),
    )
    .unwrap();
    let bytes = remote.save_after(&base);

    let pending = store.sync_debt(Timestamp(T0)).unwrap().pending_actions;
    assert!(
        store
            .apply_remote(&hid, DocKind::Household, "g1", &bytes)
            .unwrap(),
        "the remote change is new"
    );
    let conflicts = store.open_conflicts().unwrap();
    assert_eq!(
        conflicts.len(),
        1,
        "one field is in conflict: {conflicts:?}"
    );
    assert_eq!(conflicts[0].path, format!("members/{pid}/name"));
    assert!(
        conflicts[0].values.contains("王秀瑛") && conflicts[0].values.contains("汪秀英"),
        "both values are listed: {}",
        conflicts[0].values
    );
    assert!(conflicts[0].values.contains("u-li"), "with who wrote them");
    assert_eq!(
        store.household_row(&hid).unwrap().unwrap().conflict_count,
        1
    );
    assert_eq!(
        store.sync_debt(Timestamp(T0)).unwrap().pending_actions,
        pending,
        "a pulled change is not pushed back"
    );
    assert!(
        !store
            .apply_remote(&hid, DocKind::Household, "g1", &bytes)
            .unwrap(),
        "a replay changes nothing"
    );
}

#[test]
fn compaction_writes_a_snapshot_that_loads_to_the_same_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let opts = StoreOptions {
        compact_after: 4,
        ..StoreOptions::default()
    };
    let mut store = Store::open_with(&path, opts.clone()).unwrap();
    let hid = household(&mut store, "g1", "丽阳街88号", &[]);
    for i in 0..10 {
        visit(&mut store, &hid, T0 + i, ContactMode::InPerson);
    }
    let chunks = count(&path, "SELECT count(*) FROM doc_chunks");
    assert!(
        chunks < 4,
        "compaction keeps fewer chunks than the threshold, found {chunks}"
    );
    assert_eq!(
        count(&path, "SELECT chunks FROM documents"),
        chunks,
        "the chunk count column agrees"
    );
    let heads = store.heads(&hid).unwrap();
    let value = household_doc(&mut store, &hid);
    assert_eq!(value.visits.len(), 10);
    store.compact(&hid).unwrap();
    assert_eq!(
        count(&path, "SELECT count(*) FROM doc_chunks"),
        0,
        "an explicit compaction covers every chunk"
    );
    drop(store);
    let mut store = Store::open_with(&path, opts).unwrap();
    assert_eq!(
        store.heads(&hid).unwrap(),
        heads,
        "same heads after compaction"
    );
    assert_eq!(
        household_doc(&mut store, &hid),
        value,
        "same hydrated value after compaction"
    );
    assert_eq!(
        count(&path, "SELECT count(*) FROM outbox"),
        11,
        "compaction never touches the outbox"
    );
}
