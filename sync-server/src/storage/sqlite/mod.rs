//! The embedded SQLite backend: one file, WAL, one writer and a few readers.
//!
//! Tables (`migrations/server/sqlite/`, embedded with `include_str!`, append-only, applied
//! in order and counted in `PRAGMA user_version`):
//!
//! | table | key | holds |
//! |---|---|---|
//! | `users` | id; username unique | name, role, area, unit, argon2id PHC hash, active |
//! | `devices` | id; token_sha256 unique | user, name, expiry, `revoked_at` |
//! | `device_actors` | actor | the one device (or `server:<id>` process) an actor belongs to |
//! | `documents` | id | kind, current grid, household (private docs), reporter (incidents), snapshot, heads, pending count |
//! | `changes` | (doc_id, hash) | change bytes, actor, pushing device, compacted flag |
//! | `grid_seq` | grid_id | the grid's last feed seq |
//! | `feed` | (grid_id, seq) | change / grant / revoke entries, target user, reason, origin device |
//! | `quarantine` | id; (doc, hash, device, code) unique | refused bytes, device, user, code, reason |
//! | `areas`, `placements`, `assignments`, `reference_blobs`, `meta` | | reference data and its version |
//! | `audit` | id; event_id unique | who read or changed what |
//! | `login_throttle` | key | failures and lock time per user and per address |
//! | `console_sessions` | token_sha256 | browser sessions: user, CSRF token, created and expiry times |
//! | `export_jobs` | id | console export jobs: owner, file name, progress, error, the finished workbook, expiry |
//!
//! Sequence numbers: `grid_seq` is read and bumped inside the write transaction that
//! appends to `feed`; SQLite's single writer makes commits happen in seq order (see
//! [`crate::storage`] for the rule other backends must keep).
//!
//! Connections: every write goes through one connection behind a mutex (SQLite has one
//! writer anyway, and waiting on a mutex is cheaper than `SQLITE_BUSY` retries); reads
//! use a small pool of their own connections, which WAL lets run beside the writer.

mod auth;
mod console;
mod docs;
mod exports;
mod feed;
mod reference;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use gridwalk_core::protocol::ReferenceData;
use gridwalk_core::reference::{Area, ContactAssignment};
use rusqlite::Connection;

use super::*;

/// The server migrations, in order. Never edit or reorder a shipped entry: append.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init",
        include_str!("../../../../migrations/server/sqlite/0001_init.sql"),
    ),
    (
        "0002_console",
        include_str!("../../../../migrations/server/sqlite/0002_console.sql"),
    ),
    (
        "0003_exports",
        include_str!("../../../../migrations/server/sqlite/0003_exports.sql"),
    ),
];

/// How long a connection waits for a lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How many read connections to keep.
const READERS: usize = 4;

/// The SQLite storage.
pub struct SqliteStorage {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

fn open_conn(path: &Path) -> StorageResult<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StorageError::Database(format!(
            "journal mode is {mode}, not wal"
        )));
    }
    // FULL: an acknowledged push survives a power cut, not only a crash.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> StorageResult<()> {
    let supported = MIGRATIONS.len() as i64;
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > supported {
        return Err(StorageError::DatabaseTooNew { found, supported });
    }
    for (i, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

impl SqliteStorage {
    /// Opens (creating and migrating if needed) the database file.
    pub fn open(path: impl AsRef<Path>) -> StorageResult<SqliteStorage> {
        let path = path.as_ref().to_path_buf();
        let mut writer = open_conn(&path)?;
        migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| open_conn(&path).map(Mutex::new))
            .collect::<StorageResult<Vec<_>>>()?;
        Ok(SqliteStorage {
            path,
            writer: Mutex::new(writer),
            readers,
            next: AtomicUsize::new(0),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves no open transaction behind (rusqlite
        // rolls back on drop), so the connection is still good.
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn read(&self) -> MutexGuard<'_, Connection> {
        for conn in &self.readers {
            if let Ok(c) = conn.try_lock() {
                return c;
            }
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        self.readers[i].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The schema as SQL, for the snapshot test.
    pub fn schema_sql(&self) -> StorageResult<String> {
        let conn = self.read();
        let mut stmt = conn.prepare(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' \
             ORDER BY type, name",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = String::new();
        for sql in rows {
            out.push_str(&sql?);
            out.push_str(";\n\n");
        }
        Ok(out)
    }

    /// The number of migrations applied.
    pub fn schema_version(&self) -> StorageResult<i64> {
        Ok(self
            .read()
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

impl Storage for SqliteStorage {
    fn create_user(&self, user: &UserRow, at: i64) -> StorageResult<()> {
        auth::create_user(&self.write(), user, at)
    }
    fn user_by_username(&self, username: &str) -> StorageResult<Option<UserRow>> {
        auth::user_where(&self.read(), "username", username)
    }
    fn user(&self, id: &str) -> StorageResult<Option<UserRow>> {
        auth::user_where(&self.read(), "id", id)
    }
    fn users(&self) -> StorageResult<Vec<UserRow>> {
        auth::users(&self.read())
    }
    fn create_device(&self, device: &DeviceRow, token_sha256: &str) -> StorageResult<()> {
        auth::create_device(&self.write(), device, token_sha256)
    }
    fn device_by_token(&self, token_sha256: &str) -> StorageResult<Option<(DeviceRow, UserRow)>> {
        auth::device_by_token(&self.read(), token_sha256)
    }
    fn devices(&self) -> StorageResult<Vec<DeviceRow>> {
        auth::devices(&self.read())
    }
    fn revoke_device(&self, device_id: &str, at: i64) -> StorageResult<bool> {
        auth::revoke_device(&self.write(), device_id, at)
    }
    fn bind_actors(
        &self,
        device_id: &str,
        actors: &[String],
        at: i64,
    ) -> StorageResult<Vec<(String, String)>> {
        auth::bind_actors(&mut self.write(), device_id, actors, at)
    }
    fn throttle(&self, key: &str) -> StorageResult<Throttle> {
        auth::throttle(&self.read(), key)
    }
    fn throttle_fail(
        &self,
        key: &str,
        now: i64,
        max: u32,
        lock_ms: i64,
    ) -> StorageResult<Throttle> {
        auth::throttle_fail(&mut self.write(), key, now, max, lock_ms)
    }
    fn throttle_clear(&self, key: &str) -> StorageResult<()> {
        auth::throttle_clear(&self.write(), key)
    }
    fn create_console_session(&self, session: &ConsoleSessionRow) -> StorageResult<()> {
        console::create_session(&self.write(), session)
    }
    fn console_session(&self, token_sha256: &str) -> StorageResult<Option<ConsoleSessionRow>> {
        console::session(&self.read(), token_sha256)
    }
    fn delete_console_session(&self, token_sha256: &str) -> StorageResult<()> {
        console::delete_session(&self.write(), token_sha256)
    }

    fn create_export_job(&self, job: &ExportJobRow, max_per_owner: usize) -> StorageResult<bool> {
        exports::create(&mut self.write(), job, max_per_owner)
    }
    fn update_export_progress(&self, id: &str, progress: f64, at: i64) -> StorageResult<()> {
        exports::progress(&self.write(), id, progress, at)
    }
    fn finish_export_job(&self, id: &str, outcome: &ExportOutcome, at: i64) -> StorageResult<bool> {
        exports::finish(&self.write(), id, outcome, at)
    }
    fn export_job(&self, id: &str) -> StorageResult<Option<ExportJobRow>> {
        exports::job(&self.read(), id)
    }
    fn export_file(&self, id: &str) -> StorageResult<Option<Vec<u8>>> {
        exports::file(&self.read(), id)
    }
    fn prune_export_jobs(&self, now: i64) -> StorageResult<u64> {
        exports::prune(&self.write(), now)
    }

    fn reference_version(&self) -> StorageResult<u64> {
        reference::version(&self.read())
    }
    fn import_reference(&self, data: &ReferenceImport) -> StorageResult<u64> {
        reference::import(&mut self.write(), data)
    }
    fn reference_data(&self) -> StorageResult<ReferenceData> {
        reference::data(&self.read())
    }
    fn area(&self, id: &str) -> StorageResult<Option<Area>> {
        reference::area(&self.read(), id)
    }
    fn grids_under(&self, area_id: &str) -> StorageResult<Vec<String>> {
        reference::grids_under(&self.read(), area_id)
    }
    fn placement(&self, household_id: &str) -> StorageResult<Option<Placement>> {
        reference::placement(&self.read(), household_id)
    }
    fn assignments_of(&self, user_id: &str) -> StorageResult<Vec<ContactAssignment>> {
        reference::assignments_of(&self.read(), user_id)
    }

    fn doc_meta(&self, doc_id: &str) -> StorageResult<Option<DocMeta>> {
        docs::meta(&self.read(), doc_id)
    }
    fn load_doc(&self, doc_id: &str) -> StorageResult<Option<StoredDoc>> {
        docs::load(&self.read(), doc_id)
    }
    fn store_snapshot(&self, doc_id: &str, snapshot: &Snapshot) -> StorageResult<bool> {
        let mut conn = self.write();
        let tx = conn.transaction()?;
        let stored = docs::store_snapshot(&tx, doc_id, snapshot)?;
        tx.commit()?;
        Ok(stored)
    }
    fn docs_in_grid(
        &self,
        grid_id: &str,
        after: &str,
        limit: usize,
    ) -> StorageResult<Vec<DocMeta>> {
        docs::in_grid(&self.read(), grid_id, after, limit)
    }
    fn high_water(&self, grid_id: &str) -> StorageResult<i64> {
        feed::high_water(&self.read(), grid_id)
    }
    fn feed_after(&self, grid_id: &str, after: i64, limit: usize) -> StorageResult<Vec<FeedEntry>> {
        feed::after(&self.read(), grid_id, after, limit)
    }
    fn revokes_of(&self, doc_id: &str, grid_id: &str) -> StorageResult<Vec<(String, FeedEntry)>> {
        feed::revokes_of(&self.read(), doc_id, grid_id)
    }
    fn commit_push(&self, commit: &PushCommit) -> StorageResult<Vec<String>> {
        feed::commit_push(&mut self.write(), commit)
    }
    fn import_docs(&self, docs: &[ImportDoc], at: i64) -> StorageResult<()> {
        feed::import_docs(&mut self.write(), docs, at)
    }
    fn apply_scope_change(&self, change: &ScopeChange) -> StorageResult<()> {
        feed::apply_scope_change(&mut self.write(), change)
    }

    fn audit(&self, rows: &[AuditRow]) -> StorageResult<()> {
        let mut conn = self.write();
        let tx = conn.transaction()?;
        auth::insert_audit(&tx, rows)?;
        tx.commit()?;
        Ok(())
    }
    fn audit_rows(&self, action: &str) -> StorageResult<Vec<AuditRow>> {
        auth::audit_rows(&self.read(), action)
    }
    fn quarantined(&self, doc_id: &str) -> StorageResult<Vec<QuarantineRow>> {
        docs::quarantined(&self.read(), doc_id)
    }
    fn feed_seqs(&self, grid_id: &str) -> StorageResult<Vec<i64>> {
        feed::seqs(&self.read(), grid_id)
    }
    fn backup(&self, path: &Path) -> StorageResult<()> {
        let src = self.read();
        let mut dst = Connection::open(path)?;
        let backup = rusqlite::backup::Backup::new(&src, &mut dst)?;
        backup.run_to_completion(256, Duration::from_millis(5), None)?;
        Ok(())
    }
}
