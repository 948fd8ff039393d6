//! The server schema: the checked-in snapshot, migrations and backup.

use gridwalk_server::storage::Storage;
use gridwalk_server::storage::sqlite::{MIGRATIONS, SqliteStorage};

#[test]
fn the_schema_matches_the_checked_in_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let st = SqliteStorage::open(dir.path().join("s.db")).unwrap();
    let actual = st.schema_sql().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/schema.sql");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "the server schema differs from {}.\n\
         If you added a NEW migration (migrations/server/sqlite/NNNN_*.sql, listed in \
         storage::sqlite::MIGRATIONS), review the change and rewrite the snapshot with:\n    \
         UPDATE_SNAPSHOTS=1 cargo test -p gridwalk-server --test server the_schema_matches\n\
         Never edit a shipped migration: add a new one.\n\nactual schema:\n{actual}",
        path.display()
    );
}

#[test]
fn migrations_apply_once_and_a_newer_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let st = SqliteStorage::open(&path).unwrap();
    assert_eq!(st.schema_version().unwrap(), MIGRATIONS.len() as i64);
    drop(st);
    let st = SqliteStorage::open(&path).unwrap();
    assert_eq!(
        st.schema_version().unwrap(),
        MIGRATIONS.len() as i64,
        "reopening applies nothing twice"
    );
    drop(st);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("PRAGMA user_version = 99", [])
        .unwrap();
    assert!(
        SqliteStorage::open(&path).is_err(),
        "a database from a newer build is refused"
    );
}

#[test]
fn an_online_backup_is_a_complete_database() {
    let dir = tempfile::tempdir().unwrap();
    let st = SqliteStorage::open(dir.path().join("s.db")).unwrap();
    let v = st.reference_version().unwrap();
    st.backup(&dir.path().join("copy.db")).unwrap();
    let copy = SqliteStorage::open(dir.path().join("copy.db")).unwrap();
    assert_eq!(copy.reference_version().unwrap(), v);
    assert_eq!(copy.schema_sql().unwrap(), st.schema_sql().unwrap());
}
