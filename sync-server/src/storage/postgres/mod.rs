//! The PostgreSQL backend: many server processes on one database (or on a Citus
//! cluster), each with a pool of connections.
//!
//! Tables (`migrations/server/postgres/`, embedded with `include_str!`, append-only, applied
//! in order and recorded in `schema_migrations`) are those of the SQLite backend, with
//! PostgreSQL types and keys chosen so that a Citus deployment can distribute them
//! ([`DISTRIBUTION`] says how; the SQL carries the same as `-- distribute:` comments):
//!
//! | table | distributed by | primary / unique keys |
//! |---|---|---|
//! | `documents` | `doc_id` | doc_id |
//! | `changes` | `doc_id` (with documents) | (doc_id, hash) |
//! | `quarantine` | `doc_id` (with documents) | (doc_id, id); (doc_id, hash, device_id, code) |
//! | `grid_seq` | `grid_id` | grid_id |
//! | `feed` | `grid_id` (with grid_seq) | (grid_id, seq) |
//! | `audit` | `row_key` (the event id, or a fresh UUID) | row_key |
//! | `login_throttle` | `key` | key |
//! | `export_jobs` | `id` (the workbook is large and written once; reads are by id) | id |
//! | `users`, `devices`, `device_actors`, `console_sessions`, `areas`, `placements`, `assignments`, `reference_blobs`, `meta`, `schema_migrations` | reference (on every node) | their ids |
//!
//! So a push is the work of its documents' shards and its grids' shards; a household's
//! move rewrites its placement and its documents' `grid_id` and appends feed entries, and
//! moves no change bytes. Queries never join a `doc_id` table to a `grid_id` table: the
//! feed is read first, then its change bytes and document rows by id.
//!
//! Sequence numbers ([`crate::storage`] states the rule): the storing transaction locks
//! the rows of the documents it writes (`FOR UPDATE`, sorted by id), so their grid cannot
//! change under it, then locks each grid's `grid_seq` row (`FOR UPDATE`, sorted by grid
//! id), numbers its entries and writes the new last seq before commit. Writers of one grid
//! therefore commit in sequence order, on any number of server processes. Every lock is
//! taken in the same order (documents, then grids, each sorted), and a transaction that
//! still meets a serialization failure or a deadlock (SQLSTATE 40001, 40P01) is retried
//! whole a few times.
//!
//! Threads: the [`Storage`] trait is synchronous. `PgStorage` owns a small tokio runtime
//! that drives the connections; a call enters that runtime and blocks the calling thread
//! on its future, outside tokio's cooperative budget, so any thread may call it (handlers
//! call it from `spawn_blocking`, so that no async worker thread blocks on the database).

mod auth;
mod console;
mod docs;
mod exports;
mod feed;
mod reference;
mod schema;

use std::future::Future;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{
    GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Transaction,
};
use gridwalk_core::protocol::ReferenceData;
use gridwalk_core::reference::{Area, ContactAssignment};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

pub use schema::{DISTRIBUTION, Distribution, MIGRATIONS, create_database, drop_database};

use super::*;

/// The default number of pooled connections per server process.
pub const DEFAULT_POOL_SIZE: usize = 16;

/// How many times a transaction that met a serialization failure or deadlock is tried.
const ATTEMPTS: u32 = 6;

/// How a [`PgStorage`] connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgOptions {
    /// Most pooled connections.
    pub pool_size: usize,
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions {
            pool_size: DEFAULT_POOL_SIZE,
        }
    }
}

/// The PostgreSQL storage.
pub struct PgStorage {
    pool: Pool,
    config: tokio_postgres::Config,
    rt: Option<tokio::runtime::Runtime>,
}

impl Drop for PgStorage {
    fn drop(&mut self) {
        self.pool.close();
        // Dropped anywhere, an async test included: never block on the runtime's end.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl From<tokio_postgres::Error> for StorageError {
    fn from(e: tokio_postgres::Error) -> Self {
        match e.code() {
            Some(c) if *c == SqlState::UNIQUE_VIOLATION => StorageError::Exists(db_message(&e)),
            Some(c)
                if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED =>
            {
                StorageError::Contention(db_message(&e))
            }
            _ => StorageError::Database(db_message(&e)),
        }
    }
}

impl From<deadpool_postgres::PoolError> for StorageError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(e) => e.into(),
            e => StorageError::Database(format!("connection pool: {e}")),
        }
    }
}

/// The server's message with its SQLSTATE, or the client's error.
fn db_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// Reads a column, turning a type mismatch into [`StorageError::Corrupt`].
pub(super) fn col<'a, T: tokio_postgres::types::FromSql<'a>>(
    r: &'a Row,
    i: usize,
) -> StorageResult<T> {
    r.try_get(i)
        .map_err(|e| StorageError::Corrupt(format!("column {i}: {e}")))
}

/// Runs a statement (prepared once per connection); returns the rows.
pub(super) async fn query(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> StorageResult<Vec<Row>> {
    let st = c.prepare_cached(sql).await?;
    Ok(c.query(&st, params).await?)
}

/// Runs a statement; returns the row if there is one.
pub(super) async fn query_opt(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> StorageResult<Option<Row>> {
    let st = c.prepare_cached(sql).await?;
    Ok(c.query_opt(&st, params).await?)
}

/// Runs a statement; returns the number of rows it touched.
pub(super) async fn exec(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> StorageResult<u64> {
    let st = c.prepare_cached(sql).await?;
    Ok(c.execute(&st, params).await?)
}

impl PgStorage {
    /// Connects to `url` (`postgres://user[:password]@host[:port]/db`), creating and
    /// migrating the schema if needed. Refuses a database migrated by a newer build.
    pub fn open(url: &str, opts: &PgOptions) -> StorageResult<PgStorage> {
        let config = tokio_postgres::Config::from_str(url)
            .map_err(|e| StorageError::Database(format!("bad PostgreSQL URL: {e}")))?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("gridwalk-pg")
            .enable_all()
            .build()
            .map_err(|e| StorageError::Database(format!("starting the database runtime: {e}")))?;
        let manager = Manager::from_config(
            config.clone(),
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(opts.pool_size.max(1))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .create_timeout(Some(Duration::from_secs(15)))
            .wait_timeout(Some(Duration::from_secs(60)))
            .build()
            .map_err(|e| StorageError::Database(format!("connection pool: {e}")))?;
        let st = PgStorage {
            pool,
            config,
            rt: Some(rt),
        };
        st.run(async {
            let mut client = st.pool.get().await?;
            schema::migrate(&mut client).await
        })?;
        Ok(st)
    }

    /// The connection settings (for `pg_dump`).
    pub fn config(&self) -> &tokio_postgres::Config {
        &self.config
    }

    /// Runs a future on this storage's runtime, blocking the calling thread until done.
    ///
    /// The future runs outside tokio's cooperative budget (`unconstrained`): a caller that is
    /// itself inside a tokio task (the CLI under `#[tokio::main]`, an async test) would
    /// otherwise spend its task's budget on the pool's semaphore, which then answers
    /// "pending" and wakes itself at once, forever, because this thread never yields back
    /// to tokio to refill the budget (seen as a 100% CPU hang in `pool.get()`).
    fn run<F: Future>(&self, f: F) -> F::Output {
        let rt = self
            .rt
            .as_ref()
            .expect("the runtime lives as long as the storage");
        let _entered = rt.enter();
        futures_executor::block_on(tokio::task::unconstrained(f))
    }

    /// One read on a pooled connection.
    fn read<T>(
        &self,
        f: impl AsyncFnOnce(&deadpool_postgres::Client) -> StorageResult<T>,
    ) -> StorageResult<T> {
        self.run(async {
            let client = self.pool.get().await?;
            f(&client).await
        })
    }

    /// One transaction, tried again from the start when it meets a serialization failure
    /// or a deadlock. `f` must be safe to run again: it only reads and writes through `tx`.
    fn write<T>(
        &self,
        mut f: impl AsyncFnMut(&Transaction<'_>) -> StorageResult<T>,
    ) -> StorageResult<T> {
        self.run(async {
            let mut client = self.pool.get().await?;
            let mut attempt = 0;
            loop {
                attempt += 1;
                let tx = client.transaction().await?;
                let result = match f(&tx).await {
                    Ok(v) => tx.commit().await.map(|()| v).map_err(StorageError::from),
                    Err(e) => {
                        let _ = tx.rollback().await;
                        Err(e)
                    }
                };
                match result {
                    Err(StorageError::Contention(why)) if attempt < ATTEMPTS => {
                        tracing::debug!(attempt, why, "transaction retried");
                        let jitter = rand::random::<u64>() % 20;
                        tokio::time::sleep(Duration::from_millis(5 * u64::from(attempt) + jitter))
                            .await;
                    }
                    r => return r,
                }
            }
        })
    }

    /// The number of migrations applied.
    pub fn schema_version(&self) -> StorageResult<i64> {
        self.read(async |c| schema::version(c).await)
    }
}

impl Storage for PgStorage {
    fn create_user(&self, user: &UserRow, at: i64) -> StorageResult<()> {
        self.write(async |tx| auth::create_user(tx, user, at).await)
    }
    fn user_by_username(&self, username: &str) -> StorageResult<Option<UserRow>> {
        self.read(async |c| auth::user_where(c, "username", username).await)
    }
    fn user(&self, id: &str) -> StorageResult<Option<UserRow>> {
        self.read(async |c| auth::user_where(c, "id", id).await)
    }
    fn users(&self) -> StorageResult<Vec<UserRow>> {
        self.read(async |c| auth::users(c).await)
    }
    fn create_device(&self, device: &DeviceRow, token_sha256: &str) -> StorageResult<()> {
        self.write(async |tx| auth::create_device(tx, device, token_sha256).await)
    }
    fn device_by_token(&self, token_sha256: &str) -> StorageResult<Option<(DeviceRow, UserRow)>> {
        self.read(async |c| auth::device_by_token(c, token_sha256).await)
    }
    fn devices(&self) -> StorageResult<Vec<DeviceRow>> {
        self.read(async |c| auth::devices(c).await)
    }
    fn revoke_device(&self, device_id: &str, at: i64) -> StorageResult<bool> {
        self.write(async |tx| auth::revoke_device(tx, device_id, at).await)
    }
    fn bind_actors(
        &self,
        device_id: &str,
        actors: &[String],
        at: i64,
    ) -> StorageResult<Vec<(String, String)>> {
        self.write(async |tx| auth::bind_actors(tx, device_id, actors, at).await)
    }
    fn throttle(&self, key: &str) -> StorageResult<Throttle> {
        self.read(async |c| auth::throttle(c, key, false).await)
    }
    fn throttle_fail(
        &self,
        key: &str,
        now: i64,
        max: u32,
        lock_ms: i64,
    ) -> StorageResult<Throttle> {
        self.write(async |tx| auth::throttle_fail(tx, key, now, max, lock_ms).await)
    }
    fn throttle_clear(&self, key: &str) -> StorageResult<()> {
        self.write(async |tx| {
            exec(tx, "DELETE FROM login_throttle WHERE key = $1", &[&key]).await?;
            Ok(())
        })
    }

    fn create_console_session(&self, session: &ConsoleSessionRow) -> StorageResult<()> {
        self.write(async |tx| console::create_session(tx, session).await)
    }
    fn console_session(&self, token_sha256: &str) -> StorageResult<Option<ConsoleSessionRow>> {
        self.read(async |c| console::session(c, token_sha256).await)
    }
    fn delete_console_session(&self, token_sha256: &str) -> StorageResult<()> {
        self.write(async |tx| console::delete_session(tx, token_sha256).await)
    }

    fn create_export_job(&self, job: &ExportJobRow, max_per_owner: usize) -> StorageResult<bool> {
        self.write(async |tx| exports::create(tx, job, max_per_owner).await)
    }
    // Progress, outcome and prune are single statements, committed on their own: no
    // transaction round trips for a write made every few hundred milliseconds.
    fn update_export_progress(&self, id: &str, progress: f64, at: i64) -> StorageResult<()> {
        self.read(async |c| exports::progress(c, id, progress, at).await)
    }
    fn finish_export_job(&self, id: &str, outcome: &ExportOutcome, at: i64) -> StorageResult<bool> {
        self.read(async |c| exports::finish(c, id, outcome, at).await)
    }
    fn export_job(&self, id: &str) -> StorageResult<Option<ExportJobRow>> {
        self.read(async |c| exports::job(c, id).await)
    }
    fn export_file(&self, id: &str) -> StorageResult<Option<Vec<u8>>> {
        self.read(async |c| exports::file(c, id).await)
    }
    fn prune_export_jobs(&self, now: i64) -> StorageResult<u64> {
        self.read(async |c| exports::prune(c, now).await)
    }

    fn reference_version(&self) -> StorageResult<u64> {
        self.read(async |c| reference::version(c).await)
    }
    fn import_reference(&self, data: &ReferenceImport) -> StorageResult<u64> {
        self.write(async |tx| reference::import(tx, data).await)
    }
    fn reference_data(&self) -> StorageResult<ReferenceData> {
        self.read(async |c| reference::data(c).await)
    }
    fn area(&self, id: &str) -> StorageResult<Option<Area>> {
        self.read(async |c| reference::area(c, id).await)
    }
    fn grids_under(&self, area_id: &str) -> StorageResult<Vec<String>> {
        self.read(async |c| reference::grids_under(c, area_id).await)
    }
    fn placement(&self, household_id: &str) -> StorageResult<Option<Placement>> {
        self.read(async |c| reference::placement(c, household_id).await)
    }
    fn assignments_of(&self, user_id: &str) -> StorageResult<Vec<ContactAssignment>> {
        self.read(async |c| reference::assignments_of(c, user_id).await)
    }

    fn doc_meta(&self, doc_id: &str) -> StorageResult<Option<DocMeta>> {
        self.read(async |c| docs::meta(c, doc_id).await)
    }
    fn load_doc(&self, doc_id: &str) -> StorageResult<Option<StoredDoc>> {
        self.read(async |c| docs::load(c, doc_id).await)
    }
    fn store_snapshot(&self, doc_id: &str, snapshot: &Snapshot) -> StorageResult<bool> {
        self.write(async |tx| docs::store_snapshot(tx, doc_id, snapshot).await)
    }
    fn docs_in_grid(
        &self,
        grid_id: &str,
        after: &str,
        limit: usize,
    ) -> StorageResult<Vec<DocMeta>> {
        self.read(async |c| docs::in_grid(c, grid_id, after, limit).await)
    }
    fn high_water(&self, grid_id: &str) -> StorageResult<i64> {
        self.read(async |c| feed::high_water(c, grid_id).await)
    }
    fn feed_after(&self, grid_id: &str, after: i64, limit: usize) -> StorageResult<Vec<FeedEntry>> {
        self.read(async |c| feed::after(c, grid_id, after, limit).await)
    }
    fn revokes_of(&self, doc_id: &str, grid_id: &str) -> StorageResult<Vec<(String, FeedEntry)>> {
        self.read(async |c| feed::revokes_of(c, doc_id, grid_id).await)
    }
    fn commit_push(&self, commit: &PushCommit) -> StorageResult<Vec<String>> {
        self.write(async |tx| feed::commit_push(tx, commit).await)
    }
    fn import_docs(&self, docs: &[ImportDoc], at: i64) -> StorageResult<()> {
        self.write(async |tx| feed::import_docs(tx, docs, at).await)
    }
    fn apply_scope_change(&self, change: &ScopeChange) -> StorageResult<()> {
        self.write(async |tx| feed::apply_scope_change(tx, change).await)
    }

    fn audit(&self, rows: &[AuditRow]) -> StorageResult<()> {
        self.write(async |tx| auth::insert_audit(tx, rows).await)
    }
    fn audit_rows(&self, action: &str) -> StorageResult<Vec<AuditRow>> {
        self.read(async |c| auth::audit_rows(c, action).await)
    }
    fn quarantined(&self, doc_id: &str) -> StorageResult<Vec<QuarantineRow>> {
        self.read(async |c| docs::quarantined(c, doc_id).await)
    }
    fn feed_seqs(&self, grid_id: &str) -> StorageResult<Vec<i64>> {
        self.read(async |c| feed::seqs(c, grid_id).await)
    }
    fn backup(&self, path: &Path) -> StorageResult<()> {
        schema::pg_dump(&self.config, path)
    }
}
