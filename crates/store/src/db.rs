//! Opening the SQLite file and migrating it, and what the file stores ([`StorageBytes`]).
//!
//! Pragmas: WAL journal, `synchronous = FULL` (a committed user action survives a power
//! cut, not only an app crash; one WAL fsync per action), foreign keys on, a busy
//! timeout so a background sync and a UI write wait for each other instead of failing.
//!
//! Migrations are the files of `migrations/device/`, embedded with `include_str!`,
//! append-only, applied in order, each in its own transaction, and recorded in
//! `PRAGMA user_version` (the number of migrations applied).

use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

use crate::StoreError;

/// The device migrations, in order. Never edit or reorder a shipped entry: append.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init",
        include_str!("../../../migrations/device/0001_init.sql"),
    ),
    (
        "0002_sync",
        include_str!("../../../migrations/device/0002_sync.sql"),
    ),
    (
        "0003_review",
        include_str!("../../../migrations/device/0003_review.sql"),
    ),
];

/// The first migration whose new columns are derived from the documents: a file
/// migrated across it has its rows rebuilt once on open.
pub const REBUILD_AFTER: i64 = 3;

/// How long a write waits for another connection's lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if needed) the database at `path`, sets the pragmas and migrates it.
/// Also says whether the rows must be rebuilt (a migration added derived columns).
pub fn open_connection(path: &Path) -> Result<(Connection, bool), StoreError> {
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    let before = schema_version(&conn)?;
    migrate(&mut conn)?;
    let rebuild = before > 0 && before < REBUILD_AFTER;
    Ok((conn, rebuild))
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        return Err(StoreError::Corrupt(format!(
            "journal mode is {mode}, not wal"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // A bulk import or a first sync can grow the WAL to the size of the whole database;
    // once checkpointed, give the space back rather than keep a file that large on a phone.
    conn.pragma_update(None, "journal_size_limit", 4 * 1024 * 1024)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// The number of migrations applied to this database.
pub fn schema_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Applies every migration not yet applied, in order. Refuses a database written by a
/// newer build.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let supported = MIGRATIONS.len() as i64;
    let found = schema_version(conn)?;
    if found > supported {
        return Err(StoreError::DatabaseTooNew { found, supported });
    }
    for (i, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// The schema as SQL: every `sqlite_master` entry with SQL text, ordered by type and
/// name, one statement per paragraph. Compared with the checked-in snapshot in tests.
pub fn schema_sql(conn: &Connection) -> Result<String, StoreError> {
    let mut stmt =
        conn.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = String::new();
    for sql in rows {
        out.push_str(&sql?);
        out.push_str(";\n\n");
    }
    Ok(out)
}

/// The materialized tables, with the order that makes a dump deterministic.
pub const MATERIALIZED: &[(&str, &str)] = &[
    ("households", "id"),
    ("members", "doc_id, id"),
    ("visits", "doc_id, id"),
    ("contact_logs", "doc_id, id"),
    ("grid_notes", "doc_id, id"),
    ("household_private", "household_id"),
    ("incidents", "id"),
    ("conflicts", "doc_id, path"),
];

/// Every materialized row (search index included) as text, table by table, in key
/// order: two dumps are equal exactly when the rows are.
pub fn dump_materialized(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    let mut tables: Vec<(String, String)> = MATERIALIZED
        .iter()
        .map(|(t, k)| (format!("SELECT * FROM {t} ORDER BY {k}"), t.to_string()))
        .collect();
    tables.push((
        "SELECT rowid, * FROM household_fts ORDER BY rowid".into(),
        "household_fts".into(),
    ));
    for (sql, table) in tables {
        let mut stmt = conn.prepare(&sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let mut line = format!("{table}:");
            for i in 0..n {
                let v: rusqlite::types::Value = row.get(i)?;
                line.push_str(&format!(" {v:?}"));
            }
            out.push(line);
        }
    }
    Ok(out)
}

/// The connection settings that matter for durability and concurrency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragmas {
    /// `wal` for a file database.
    pub journal_mode: String,
    /// 2 = FULL.
    pub synchronous: i64,
    /// Foreign keys enforced?
    pub foreign_keys: bool,
    /// Busy timeout in ms.
    pub busy_timeout_ms: i64,
}

/// Reads the connection's pragmas.
pub fn pragmas(conn: &Connection) -> Result<Pragmas, StoreError> {
    let get = |name: &str| -> Result<rusqlite::types::Value, StoreError> {
        Ok(conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?)
    };
    let int = |v: rusqlite::types::Value| match v {
        rusqlite::types::Value::Integer(i) => i,
        _ => -1,
    };
    let journal_mode = match get("journal_mode")? {
        rusqlite::types::Value::Text(t) => t,
        other => format!("{other:?}"),
    };
    Ok(Pragmas {
        journal_mode,
        synchronous: int(get("synchronous")?),
        foreign_keys: int(get("foreign_keys")?) == 1,
        busy_timeout_ms: int(get("busy_timeout")?),
    })
}

/// What the device stores, for the status screen. Reading it walks every document, so it
/// is never on the sync path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct StorageBytes {
    /// Bytes of document snapshots and chunks.
    pub document_bytes: i64,
    /// Size of the database file (page count × page size).
    pub file_bytes: i64,
}

impl crate::Store {
    /// The bytes of documents stored and the size of the file. Costs a pass over every
    /// document: for the status screen and reports, never per sync.
    pub fn storage_bytes(&self) -> Result<StorageBytes, StoreError> {
        let document_bytes: i64 = self.conn.query_row(
            "SELECT (SELECT coalesce(sum(length(snapshot)), 0) FROM documents) + \
             (SELECT coalesce(sum(length(bytes)), 0) FROM doc_chunks)",
            [],
            |r| r.get(0),
        )?;
        let file_bytes: i64 = self.conn.query_row(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            [],
            |r| r.get(0),
        )?;
        Ok(StorageBytes {
            document_bytes,
            file_bytes,
        })
    }
}
