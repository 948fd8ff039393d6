//! Every write path: a local user action ([`Store::transact`]), a new document
//! ([`Store::create`]), changes from sync ([`Store::apply_remote`]), bulk import
//! ([`Store::import`]), compaction and [`Store::rebuild`].
//!
//! Each path computes the new document and its rows in memory first, then writes the
//! change bytes, the rows and (for local actions) the outbox entry in one SQLite
//! transaction. If anything fails, the transaction rolls back and the in-memory copy is
//! dropped from the cache, so the next read loads what the file holds.

use automerge::{AutoCommit, Change, ChangeHash};
use gridwalk_core::CoreError;
use gridwalk_core::doc::DocKind;
use rusqlite::{Connection, params};
use std::collections::HashMap;

use crate::materialize::{DocMeta, hydrate, materialize};
use crate::persist::{insert_rows, replace_rows};
use crate::{Cached, Store, StoreError, heads_json, load_doc, read_meta};

/// A user action, as the outbox records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action<'a> {
    /// What was done, such as `household.add_visit`.
    pub label: &'a str,
    /// The record the action created or changed, if any (a visit id, a member id).
    pub record_id: Option<&'a str>,
}

impl<'a> Action<'a> {
    /// An action with a label and no record.
    pub fn new(label: &'a str) -> Action<'a> {
        Action {
            label,
            record_id: None,
        }
    }

    /// The same action, naming the record it touched.
    pub fn record(self, id: &'a str) -> Action<'a> {
        Action {
            record_id: Some(id),
            ..self
        }
    }
}

/// Change bytes for one document, from a sync pull.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemoteChanges<'a> {
    /// Document id.
    pub doc_id: &'a str,
    /// Its kind.
    pub kind: DocKind,
    /// The grid whose feed delivered it.
    pub grid_id: &'a str,
    /// Automerge changes or a `save()` snapshot.
    pub bytes: &'a [u8],
}

/// A whole document for [`Store::import`].
#[derive(Debug)]
pub struct ImportDoc {
    /// Document id.
    pub id: String,
    /// Its kind.
    pub kind: DocKind,
    /// Its grid.
    pub grid_id: String,
    /// The document.
    pub doc: AutoCommit,
}

pub(crate) enum Incoming<'a> {
    Bytes(&'a [u8]),
    Doc(Box<AutoCommit>),
}

fn split(changes: &[Change]) -> (String, Vec<u8>) {
    let hashes: Vec<String> = changes.iter().map(|c| c.hash().to_string()).collect();
    let mut bytes = Vec::new();
    for c in changes {
        bytes.extend_from_slice(c.raw_bytes());
    }
    let hashes = serde_json::to_string(&hashes).unwrap_or_else(|_| "[]".into());
    (hashes, bytes)
}

/// Appends a chunk after the document's last one; returns the chunk count.
fn append_chunk(
    conn: &Connection,
    doc_id: &str,
    grid_id: &str,
    heads: &[ChangeHash],
    bytes: &[u8],
    now: i64,
) -> Result<i64, StoreError> {
    let (seq, chunks): (i64, i64) = conn
        .prepare_cached(
            "UPDATE documents SET heads = ?2, grid_id = ?3, chunks = chunks + 1, \
             last_seq = last_seq + 1, updated_at = ?4 WHERE id = ?1 RETURNING last_seq, chunks",
        )?
        .query_row(params![doc_id, heads_json(heads), grid_id, now], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    conn.prepare_cached("INSERT INTO doc_chunks (doc_id, seq, bytes) VALUES (?1, ?2, ?3)")?
        .execute(params![doc_id, seq, bytes])?;
    Ok(chunks)
}

/// Inserts a new document row; returns its rid.
fn insert_document(
    conn: &Connection,
    meta: &DocMeta,
    heads: &[ChangeHash],
    snapshot: &[u8],
    now: i64,
) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO documents (id, kind, grid_id, heads, snapshot, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING rid",
        )?
        .query_row(
            params![
                meta.id,
                meta.kind.code(),
                meta.grid_id,
                heads_json(heads),
                snapshot,
                now
            ],
            |r| r.get(0),
        )?)
}

fn kind_check(meta: &DocMeta, kind: DocKind) -> Result<(), StoreError> {
    if meta.kind == kind {
        Ok(())
    } else {
        Err(StoreError::KindMismatch {
            id: meta.id.clone(),
            expected: kind.code(),
            found: meta.kind.code().to_string(),
        })
    }
}

/// Where [`merge_in`] finds and leaves documents during one batch.
pub(crate) struct Batch<'s> {
    pub(crate) cache: &'s mut HashMap<String, Cached>,
    pub(crate) pending: HashMap<String, Cached>,
    pub(crate) keep: bool,
    pub(crate) actor: &'s automerge::ActorId,
    pub(crate) now: i64,
}

/// Merges incoming changes into a stored document (or stores a new one) inside `tx`.
/// Returns whether anything changed. No outbox entry: these changes came from elsewhere.
pub(crate) fn merge_in(
    tx: &Connection,
    b: &mut Batch<'_>,
    id: &str,
    kind: DocKind,
    grid_id: &str,
    incoming: Incoming<'_>,
) -> Result<bool, StoreError> {
    let found = match b.pending.remove(id).or_else(|| b.cache.remove(id)) {
        Some(c) => Some(c),
        None => match read_meta(tx, id)? {
            Some((rid, meta)) => {
                let doc = load_doc(tx, id, None)?.ok_or_else(|| StoreError::NotFound(id.into()))?;
                Some(Cached { doc, meta, rid })
            }
            None => None,
        },
    };
    let (cached, changed) = match found {
        Some(mut c) => {
            kind_check(&c.meta, kind)?;
            let before = c.doc.get_heads();
            match incoming {
                Incoming::Bytes(bytes) => {
                    c.doc.load_incremental(bytes)?;
                }
                Incoming::Doc(mut other) => {
                    c.doc.merge(&mut other)?;
                }
            }
            let changes = c.doc.get_changes(&before);
            let moved = c.meta.grid_id != grid_id;
            if !changes.is_empty() || moved {
                c.meta.grid_id = grid_id.to_string();
                let rows = materialize(&c.meta, &hydrate(kind, &c.doc)?);
                let heads = c.doc.get_heads();
                let (_, bytes) = split(&changes);
                append_chunk(tx, id, grid_id, &heads, &bytes, b.now)?;
                replace_rows(tx, id, c.rid, &rows)?;
            }
            (c, !changes.is_empty() || moved)
        }
        None => {
            let mut doc = match incoming {
                Incoming::Bytes(bytes) => AutoCommit::load(bytes)?,
                Incoming::Doc(doc) => *doc,
            };
            let meta = DocMeta {
                id: id.to_string(),
                kind,
                grid_id: grid_id.to_string(),
            };
            let rows = materialize(&meta, &hydrate(kind, &doc)?);
            let snapshot = doc.save();
            let rid = insert_document(tx, &meta, &doc.get_heads(), &snapshot, b.now)?;
            insert_rows(tx, rid, &rows)?;
            (Cached { doc, meta, rid }, true)
        }
    };
    if b.keep {
        let mut cached = cached;
        cached.doc.set_actor(b.actor.clone());
        b.pending.insert(id.to_string(), cached);
    }
    Ok(changed)
}

impl Store {
    /// Runs one user action on a stored document and persists it atomically.
    ///
    /// `f` gets the document and calls core operations on it (for example
    /// `gridwalk_core::doc::edit::add_visit`). If `f` refuses, nothing is written and the
    /// in-memory document is discarded, so a half-applied edit can never leak into a later
    /// write. Otherwise one SQLite transaction writes the new change bytes as a chunk, the
    /// document's rematerialized rows and an outbox entry. An action that changes nothing
    /// writes nothing.
    pub fn transact<T>(
        &mut self,
        kind: DocKind,
        doc_id: &str,
        action: Action<'_>,
        f: impl FnOnce(&mut AutoCommit) -> Result<T, CoreError>,
    ) -> Result<T, StoreError> {
        let mut cached = self.checkout(doc_id)?;
        if let Err(e) = kind_check(&cached.meta, kind) {
            self.checkin(doc_id.to_string(), cached);
            return Err(e);
        }
        let before = cached.doc.get_heads();
        // On any error below, `cached` is dropped: the cache no longer holds the document.
        let out = f(&mut cached.doc)?;
        let changes = cached.doc.get_changes(&before);
        if changes.is_empty() {
            self.checkin(doc_id.to_string(), cached);
            return Ok(out);
        }
        let rows = materialize(&cached.meta, &hydrate(kind, &cached.doc)?);
        let (hashes, bytes) = split(&changes);
        let heads = cached.doc.get_heads();
        let now = self.now().0;
        let tx = self.conn.transaction()?;
        let chunks = append_chunk(&tx, doc_id, &cached.meta.grid_id, &heads, &bytes, now)?;
        replace_rows(&tx, doc_id, cached.rid, &rows)?;
        crate::outbox::insert(&tx, doc_id, &action, &hashes, &bytes, now)?;
        tx.commit()?;
        self.checkin(doc_id.to_string(), cached);
        if chunks >= i64::from(self.opts.compact_after.max(1)) {
            // The action is committed whatever happens here; a failed compaction is
            // retried after the next write.
            let _ = self.compact(doc_id);
        }
        Ok(out)
    }

    /// Stores a document made on this device (its first change holds every container),
    /// with its rows and an outbox entry holding all its changes.
    pub fn create(
        &mut self,
        kind: DocKind,
        id: &str,
        grid_id: &str,
        mut doc: AutoCommit,
    ) -> Result<(), StoreError> {
        if self.cache.contains_key(id) || read_meta(&self.conn, id)?.is_some() {
            return Err(StoreError::AlreadyExists(id.to_string()));
        }
        let meta = DocMeta {
            id: id.to_string(),
            kind,
            grid_id: grid_id.to_string(),
        };
        let rows = materialize(&meta, &hydrate(kind, &doc)?);
        let (hashes, bytes) = split(&doc.get_changes(&[]));
        let snapshot = doc.save();
        let heads = doc.get_heads();
        let now = self.now().0;
        let label = format!("{}.create", kind.code());
        let tx = self.conn.transaction()?;
        let rid = insert_document(&tx, &meta, &heads, &snapshot, now)?;
        insert_rows(&tx, rid, &rows)?;
        let action = Action::new(&label).record(id);
        crate::outbox::insert(&tx, id, &action, &hashes, &bytes, now)?;
        tx.commit()?;
        doc.set_actor(self.actor.clone());
        self.checkin(id.to_string(), Cached { doc, meta, rid });
        Ok(())
    }

    /// Merges change bytes pulled from sync into one document (creating it if new). No
    /// outbox entry. Returns whether anything changed (a replay is a no-op).
    pub fn apply_remote(
        &mut self,
        doc_id: &str,
        kind: DocKind,
        grid_id: &str,
        bytes: &[u8],
    ) -> Result<bool, StoreError> {
        let changed = self.apply_remote_batch(&[RemoteChanges {
            doc_id,
            kind,
            grid_id,
            bytes,
        }])?;
        Ok(changed.first().copied().unwrap_or(false))
    }

    /// [`Store::apply_remote`] for many documents in one transaction (a pull page).
    pub fn apply_remote_batch(
        &mut self,
        items: &[RemoteChanges<'_>],
    ) -> Result<Vec<bool>, StoreError> {
        let now = self.now().0;
        let tx = self.conn.transaction()?;
        let mut batch = Batch {
            cache: &mut self.cache,
            pending: HashMap::new(),
            keep: true,
            actor: &self.actor,
            now,
        };
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            let incoming = Incoming::Bytes(it.bytes);
            out.push(merge_in(
                &tx, &mut batch, it.doc_id, it.kind, it.grid_id, incoming,
            )?);
        }
        tx.commit()?;
        let pending = std::mem::take(&mut batch.pending);
        for (id, cached) in pending {
            self.checkin(id, cached);
        }
        Ok(out)
    }

    /// Stores many whole documents in one transaction (datagen, the demo, a restore), as
    /// if pulled from the server: no outbox entries. A document already stored is merged.
    /// Imported documents are not kept in the cache. Returns how many changed.
    pub fn import(
        &mut self,
        docs: impl IntoIterator<Item = ImportDoc>,
    ) -> Result<usize, StoreError> {
        let now = self.now().0;
        let tx = self.conn.transaction()?;
        let mut batch = Batch {
            cache: &mut self.cache,
            pending: HashMap::new(),
            keep: false,
            actor: &self.actor,
            now,
        };
        let mut changed = 0;
        for d in docs {
            if merge_in(
                &tx,
                &mut batch,
                &d.id,
                d.kind,
                &d.grid_id,
                Incoming::Doc(Box::new(d.doc)),
            )? {
                changed += 1;
            }
        }
        tx.commit()?;
        // Checkpoint the import now, so the first user action after it does not pay for
        // copying the whole database out of the WAL.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(changed)
    }

    /// Writes a new snapshot of a document and deletes exactly the chunks it covers, in
    /// one transaction. Returns how many chunks went.
    pub fn compact(&mut self, doc_id: &str) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let last_seq: i64 = tx
            .prepare_cached("SELECT last_seq FROM documents WHERE id = ?1")?
            .query_row([doc_id], |r| r.get(0))
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound(doc_id.into()),
                e => e.into(),
            })?;
        let mut doc = load_doc(&tx, doc_id, Some(last_seq))?
            .ok_or_else(|| StoreError::NotFound(doc_id.into()))?;
        let snapshot = doc.save();
        let heads = doc.get_heads();
        let deleted = tx
            .prepare_cached("DELETE FROM doc_chunks WHERE doc_id = ?1 AND seq <= ?2")?
            .execute(params![doc_id, last_seq])?;
        tx.prepare_cached(
            "UPDATE documents SET snapshot = ?2, heads = ?3, chunks = chunks - ?4 WHERE id = ?1",
        )?
        .execute(params![
            doc_id,
            snapshot,
            heads_json(&heads),
            deleted as i64
        ])?;
        tx.commit()?;
        Ok(deleted)
    }

    /// Drops every materialized row and recomputes them all from the stored documents,
    /// in one transaction.
    pub fn rebuild(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for (table, _) in crate::db::MATERIALIZED {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        tx.execute("DELETE FROM household_fts", [])?;
        let docs: Vec<(i64, String, String, String)> = {
            let mut stmt =
                tx.prepare("SELECT rid, id, kind, grid_id FROM documents ORDER BY rid")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (rid, id, kind, grid_id) in docs {
            let kind = crate::parse_kind(&kind)?;
            let doc = load_doc(&tx, &id, None)?.ok_or_else(|| StoreError::NotFound(id.clone()))?;
            let meta = DocMeta { id, kind, grid_id };
            insert_rows(&tx, rid, &materialize(&meta, &hydrate(kind, &doc)?))?;
        }
        tx.commit()?;
        Ok(())
    }
}
