//! The schema: the checked-in snapshot, migrations and connection settings.

use gridwalk_core::Localized;
use gridwalk_core::doc::DocKind;
use gridwalk_store::Store;

#[test]
fn the_schema_matches_the_checked_in_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("d.db")).unwrap();
    let actual = store.schema_sql().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/schema.sql");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "the device schema differs from {}.\n\
         If you added a NEW migration (migrations/device/NNNN_*.sql, listed in db::MIGRATIONS), \
         review the change and rewrite the snapshot with:\n    \
         UPDATE_SNAPSHOTS=1 cargo test -p gridwalk-store --test store the_schema_matches\n\
         Never edit a shipped migration: add a new one.\n\nactual schema:\n{actual}",
        path.display()
    );
}

#[test]
fn migrations_are_applied_once_in_order_with_wal_and_foreign_keys_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        gridwalk_store::db::MIGRATIONS.len() as i64
    );
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        gridwalk_store::db::MIGRATIONS.len() as i64,
        "reopening applies nothing twice"
    );
    let p = store.pragmas().unwrap();
    assert_eq!(p.journal_mode, "wal", "the file is in WAL mode");
    assert!(p.foreign_keys, "foreign keys are enforced");
    assert_eq!(p.synchronous, 2, "commits are synchronous = FULL");
    assert!(p.busy_timeout_ms >= 1000, "writers wait for each other");
    let conn = rusqlite::Connection::open(&path).unwrap();
    drop(store);
    conn.execute("PRAGMA user_version = 99", []).unwrap();
    let too_new = Store::open(&path).expect_err("a newer database is refused");
    assert_eq!(too_new.code(), "store_database_too_new");
}

#[test]
fn garbage_bytes_from_sync_are_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("d.db")).unwrap();
    let err = store.apply_remote("x", DocKind::Household, "g1", b"not automerge");
    assert!(err.is_err(), "garbage bytes are refused");
    assert_eq!(
        store.storage_bytes().unwrap().document_bytes,
        0,
        "and nothing is stored"
    );
}
