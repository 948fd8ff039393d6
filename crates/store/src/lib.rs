//! gridwalk-store: the device store on SQLite (DESIGN.md §4).
//!
//! The device keeps every Automerge document it holds, the rows the UI reads, and the
//! changes waiting to be pushed, in one SQLite file (WAL). Each user action is one
//! SQLite transaction that writes the document's new change bytes, the document's
//! rematerialized rows and an outbox entry: a crash leaves all of them or none.
//!
//! # Tables (`migrations/device/`)
//! Documents and sync:
//! - `documents` (`rid`, `id`, `kind`, `grid_id`, `heads`, `snapshot`, `chunks`,
//!   `last_seq`, `updated_at`): one row per document. `snapshot` is an Automerge
//!   `save()`, `heads` a JSON array of change hashes, `chunks` the incremental chunks
//!   written since the snapshot, `last_seq` the newest chunk's sequence number, `grid_id`
//!   the grid whose feed carries the document (a move changes it; the document's own
//!   `grid_id` is where it was created). `rid` is also the household's search rowid.
//! - `doc_chunks` (`doc_id`, `seq`, `bytes`): the change bytes of each write since the
//!   snapshot. Loading a document is `load(snapshot)` then `load_incremental` of each
//!   chunk in `seq` order. After [`StoreOptions::compact_after`] chunks a new snapshot is
//!   written and exactly the chunks it covers are deleted, in one transaction.
//! - `outbox` (`id`, `doc_id`, `action`, `record_id`, `hashes`, `changes`, `created_at`):
//!   one row per local action, holding its change hashes and bytes (so a compaction never
//!   loses what is still to be pushed). Rows go when the server acks them.
//! - `sync_cursors` (`grid_id`, `cursor`), `device_meta` (the device's Automerge actor and
//!   its hybrid logical clock).
//! - Sync bookkeeping ([`sync`], `0002_sync.sql`): `outbox_refusals` (actions the server
//!   refused, with its code and reason: shown, never re-pushed), `pending_revokes`
//!   (documents that left the scope, dropped once their outbox is empty), `audit_outbox`
//!   (audit events recorded offline, uploaded at the next sync) and `ref_documents`
//!   (visit rules, SLA rules and the calendar as JSON).
//!
//! Materialized rows ([`rows`], computed by the pure [`materialize`] module):
//! `households`, `members`, `visits`, `contact_logs`, `grid_notes`, `household_private`
//! (special-group tags; never the full ID numbers), `incidents` (state from core's
//! incident machine), `conflicts` (same-field conflicts a person must resolve) and the
//! FTS5 trigram table `household_fts` (names, address, phones, tags). Every row carries
//! its `doc_id`, so one document's rows are replaced as a unit; [`Store::rebuild`]
//! recomputes them all. Soft-deleted records keep their rows with `deleted_at` set;
//! queries leave them out, and a deleted household has no search row.
//!
//! Visits and contact logs carry their review status (`0003_review.sql`, [`review`]):
//! `review_status` from core's `doc::review::status` (unreviewed, returned, resubmitted,
//! approved) and the latest return's `return_reason`, `returned_by` and `returned_at`, so
//! "需修改" is one indexed query ([`Store::returned_records`]). A file migrated across a
//! migration that adds derived columns has its rows rebuilt once on open
//! ([`db::REBUILD_AFTER`]).
//!
//! Reference data, plain rows from the server: `ref_areas`, `ref_users`,
//! `ref_categories`, `ref_units`, `contact_assignments`, `ref_versions`.
//!
//! # Concurrency
//! One [`Store`] per file. It caches loaded documents, so a second writer on the same
//! file would make that cache stale; readers on other connections are fine (WAL).

pub mod db;
mod device;
mod error;
pub mod lists;
pub mod materialize;
mod outbox;
pub mod persist;
mod queries;
mod reference;
pub mod review;
pub mod rows;
mod search;
pub mod sync;
mod write;

pub use error::StoreError;
pub use outbox::{OutboxEntry, SyncDebt};
pub use queries::OverdueContact;
pub use reference::RefUser;
pub use sync::{PageApplied, Refusal, RefusedAction};
pub use write::{Action, ImportDoc, RemoteChanges};

use automerge::{ActorId, AutoCommit, ChangeHash};
use gridwalk_core::Timestamp;
use gridwalk_core::doc::DocKind;
use materialize::{DocMeta, Hydrated};
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// A source of the current time (UTC milliseconds); replaceable in tests.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// Tuning knobs of a [`Store`].
#[derive(Clone)]
pub struct StoreOptions {
    /// Write a new snapshot once a document has this many incremental chunks.
    pub compact_after: u32,
    /// How many loaded documents to keep in memory.
    pub cache_docs: usize,
    /// The clock stamping `updated_at` and outbox `created_at`.
    pub clock: Clock,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            compact_after: 64,
            cache_docs: 256,
            clock: Arc::new(|| {
                let ms = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis() as i64)
                    .unwrap_or(0);
                Timestamp(ms)
            }),
        }
    }
}

impl std::fmt::Debug for StoreOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreOptions")
            .field("compact_after", &self.compact_after)
            .field("cache_docs", &self.cache_docs)
            .finish_non_exhaustive()
    }
}

/// A loaded document and where it is stored.
pub(crate) struct Cached {
    pub doc: AutoCommit,
    pub meta: DocMeta,
    pub rid: i64,
}

/// The device store. See the crate docs.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) actor: ActorId,
    pub(crate) cache: HashMap<String, Cached>,
    pub(crate) opts: StoreOptions,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("actor", &self.actor.to_hex_string())
            .field("cached", &self.cache.len())
            .field("opts", &self.opts)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (or creates and migrates) the store at `path` with default options.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Store::open_with(path, StoreOptions::default())
    }

    /// Opens (or creates and migrates) the store at `path`.
    ///
    /// The first open of a file picks a fresh random Automerge actor for this install
    /// and keeps it in `device_meta`; a wiped or restored device gets a new file, hence a
    /// new actor (DESIGN.md §2).
    pub fn open_with(path: impl AsRef<Path>, opts: StoreOptions) -> Result<Store, StoreError> {
        let (conn, rebuild) = db::open_connection(path.as_ref())?;
        let stored: Option<String> = conn
            .query_row(
                "SELECT value FROM device_meta WHERE key = 'actor'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let actor = match stored {
            Some(hex) => ActorId::try_from(hex.as_str())
                .map_err(|e| StoreError::Corrupt(format!("device actor: {e}")))?,
            None => {
                let actor = ActorId::random();
                conn.execute(
                    "INSERT INTO device_meta (key, value) VALUES ('actor', ?1)",
                    [actor.to_hex_string()],
                )?;
                actor
            }
        };
        let mut store = Store {
            conn,
            actor,
            cache: HashMap::new(),
            opts,
        };
        if rebuild {
            store.rebuild()?;
        }
        Ok(store)
    }

    /// This device's Automerge actor: create new documents with it.
    pub fn actor(&self) -> &ActorId {
        &self.actor
    }

    /// The number of migrations applied.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        db::schema_version(&self.conn)
    }

    /// The connection's journal mode, synchronous level, foreign keys and busy timeout.
    pub fn pragmas(&self) -> Result<db::Pragmas, StoreError> {
        db::pragmas(&self.conn)
    }

    /// The schema as SQL text (see [`db::schema_sql`]).
    pub fn schema_sql(&self) -> Result<String, StoreError> {
        db::schema_sql(&self.conn)
    }

    /// Every materialized row as text, for comparing two states (see
    /// [`db::dump_materialized`]).
    pub fn dump_rows(&self) -> Result<Vec<String>, StoreError> {
        db::dump_materialized(&self.conn)
    }

    /// Where a stored document sits.
    pub fn doc_meta(&self, id: &str) -> Result<DocMeta, StoreError> {
        if let Some(c) = self.cache.get(id) {
            return Ok(c.meta.clone());
        }
        read_meta(&self.conn, id)?
            .map(|(_, meta)| meta)
            .ok_or_else(|| StoreError::NotFound(id.to_string()))
    }

    /// A copy of a stored document, for reading (writes go through [`Store::transact`]).
    pub fn document(&mut self, id: &str) -> Result<AutoCommit, StoreError> {
        let cached = self.checkout(id)?;
        let mut cached = cached;
        let copy = cached.doc.fork();
        self.checkin(id.to_string(), cached);
        Ok(copy)
    }

    /// The heads of a stored document.
    pub fn heads(&mut self, id: &str) -> Result<Vec<ChangeHash>, StoreError> {
        let mut cached = self.checkout(id)?;
        let heads = cached.doc.get_heads();
        self.checkin(id.to_string(), cached);
        Ok(heads)
    }

    /// A stored document hydrated into its core type.
    pub fn hydrated(&mut self, id: &str) -> Result<Hydrated, StoreError> {
        let cached = self.checkout(id)?;
        let out = materialize::hydrate(cached.meta.kind, &cached.doc);
        self.checkin(id.to_string(), cached);
        Ok(out?)
    }

    /// Takes a document out of the cache, loading it from the file if needed.
    pub(crate) fn checkout(&mut self, id: &str) -> Result<Cached, StoreError> {
        if let Some(c) = self.cache.remove(id) {
            return Ok(c);
        }
        let mut cached =
            load_cached(&self.conn, id)?.ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        cached.doc.set_actor(self.actor.clone());
        Ok(cached)
    }

    /// Puts a document (back) in the cache, evicting one if the cache is full.
    pub(crate) fn checkin(&mut self, id: String, cached: Cached) {
        if self.opts.cache_docs == 0 {
            return;
        }
        if self.cache.len() >= self.opts.cache_docs
            && let Some(evict) = self.cache.keys().next().cloned()
        {
            self.cache.remove(&evict);
        }
        self.cache.insert(id, cached);
    }

    pub(crate) fn now(&self) -> Timestamp {
        (self.opts.clock)()
    }
}

/// Parses a stored kind code.
pub(crate) fn parse_kind(code: &str) -> Result<DocKind, StoreError> {
    DocKind::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("unknown kind {code}")))
}

/// The rid and meta of a stored document.
pub(crate) fn read_meta(conn: &Connection, id: &str) -> Result<Option<(i64, DocMeta)>, StoreError> {
    let row: Option<(i64, String, String)> = conn
        .prepare_cached("SELECT rid, kind, grid_id FROM documents WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    row.map(|(rid, kind, grid_id)| {
        Ok((
            rid,
            DocMeta {
                id: id.to_string(),
                kind: parse_kind(&kind)?,
                grid_id,
            },
        ))
    })
    .transpose()
}

/// Loads a document from its snapshot and chunks (up to `max_seq`, or all).
pub(crate) fn load_doc(
    conn: &Connection,
    id: &str,
    max_seq: Option<i64>,
) -> Result<Option<AutoCommit>, StoreError> {
    let snapshot: Option<Vec<u8>> = conn
        .prepare_cached("SELECT snapshot FROM documents WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let Some(snapshot) = snapshot else {
        return Ok(None);
    };
    let mut doc = AutoCommit::load(&snapshot)?;
    let mut stmt = conn.prepare_cached(
        "SELECT bytes FROM doc_chunks WHERE doc_id = ?1 AND seq <= ?2 ORDER BY seq",
    )?;
    let mut rows = stmt.query(rusqlite::params![id, max_seq.unwrap_or(i64::MAX)])?;
    while let Some(row) = rows.next()? {
        let bytes: Vec<u8> = row.get(0)?;
        doc.load_incremental(&bytes)?;
    }
    Ok(Some(doc))
}

fn load_cached(conn: &Connection, id: &str) -> Result<Option<Cached>, StoreError> {
    let Some((rid, meta)) = read_meta(conn, id)? else {
        return Ok(None);
    };
    let doc = load_doc(conn, id, None)?.ok_or_else(|| StoreError::NotFound(id.to_string()))?;
    Ok(Some(Cached { doc, meta, rid }))
}

/// Heads as stored: a JSON array of hex hashes.
pub(crate) fn heads_json(heads: &[ChangeHash]) -> String {
    let hex: Vec<String> = heads.iter().map(ToString::to_string).collect();
    serde_json::to_string(&hex).unwrap_or_else(|_| "[]".into())
}
