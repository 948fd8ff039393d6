//! The per-grid feed: storing pushed changes with their sequence numbers, grants and
//! revokes, and reading a grid's feed after a cursor.
//!
//! Lock order in every writing transaction: the rows of the documents written, sorted by
//! id; then the `grid_seq` rows of the grids appended to, sorted by grid id.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::docs::{insert_doc, metas, store_snapshot};
use super::reference::{bump_version, upsert_assignment};
use super::{col, exec, query, query_opt};
use crate::storage::*;

pub(super) async fn high_water(c: &impl GenericClient, grid: &str) -> StorageResult<i64> {
    Ok(
        match query_opt(
            c,
            "SELECT last_seq FROM grid_seq WHERE grid_id = $1",
            &[&grid],
        )
        .await?
        {
            Some(r) => col(&r, 0)?,
            None => 0,
        },
    )
}

/// Locks the rows of documents (sorted by id) and returns each one's grid as it is now.
async fn lock_docs<'a>(
    c: &impl GenericClient,
    ids: impl IntoIterator<Item = &'a String>,
) -> StorageResult<HashMap<String, String>> {
    let sorted: BTreeSet<&String> = ids.into_iter().collect();
    let mut out = HashMap::with_capacity(sorted.len());
    for id in sorted {
        let row = query_opt(
            c,
            "SELECT grid_id FROM documents WHERE doc_id = $1 FOR UPDATE",
            &[id],
        )
        .await?;
        if let Some(r) = row {
            out.insert(id.clone(), col(&r, 0)?);
        }
    }
    Ok(out)
}

/// The sequence counters of the grids a transaction appends to, locked until commit.
struct Seqs {
    last: BTreeMap<String, (i64, bool)>,
}

impl Seqs {
    /// Locks each grid's `grid_seq` row, in grid id order, creating it if needed.
    async fn lock<'a>(
        c: &impl GenericClient,
        grids: impl IntoIterator<Item = &'a String>,
    ) -> StorageResult<Seqs> {
        let sorted: BTreeSet<&String> = grids.into_iter().collect();
        let mut last = BTreeMap::new();
        for g in sorted {
            let lock = "SELECT last_seq FROM grid_seq WHERE grid_id = $1 FOR UPDATE";
            let mut row = query_opt(c, lock, &[g]).await?;
            if row.is_none() {
                // A grid's first entry: create its row (a concurrent creator wins, we wait
                // for it and then lock the row it made).
                exec(
                    c,
                    "INSERT INTO grid_seq (grid_id, last_seq) VALUES ($1, 0) ON CONFLICT (grid_id) DO NOTHING",
                    &[g],
                )
                .await?;
                row = query_opt(c, lock, &[g]).await?;
            }
            let seq: i64 = match row {
                Some(r) => col(&r, 0)?,
                None => {
                    return Err(StorageError::Database(format!(
                        "grid_seq row of {g} vanished"
                    )));
                }
            };
            last.insert(g.clone(), (seq, false));
        }
        Ok(Seqs { last })
    }

    fn next(&mut self, grid: &str) -> StorageResult<i64> {
        let (seq, moved) = self
            .last
            .get_mut(grid)
            .ok_or_else(|| StorageError::Database(format!("grid {grid} was not locked")))?;
        *seq += 1;
        *moved = true;
        Ok(*seq)
    }

    /// Writes the new last sequence numbers (still under the locks).
    async fn save(&self, c: &impl GenericClient) -> StorageResult<()> {
        for (g, (seq, moved)) in &self.last {
            if *moved {
                exec(
                    c,
                    "UPDATE grid_seq SET last_seq = $2 WHERE grid_id = $1",
                    &[g, seq],
                )
                .await?;
            }
        }
        Ok(())
    }
}

/// One feed entry to append.
struct Append<'a> {
    kind: FeedKind,
    doc_id: Option<&'a str>,
    hash: Option<&'a str>,
    target_user: Option<&'a str>,
    reason: Option<&'static str>,
    origin: Option<&'a str>,
}

async fn append(
    c: &impl GenericClient,
    seqs: &mut Seqs,
    grid: &str,
    e: Append<'_>,
    at: i64,
) -> StorageResult<i64> {
    let seq = seqs.next(grid)?;
    exec(
        c,
        "INSERT INTO feed (grid_id, seq, kind, doc_id, hash, target_user, reason, origin_device, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &grid,
            &seq,
            &e.kind.code(),
            &e.doc_id,
            &e.hash,
            &e.target_user,
            &e.reason,
            &e.origin,
            &at,
        ],
    )
    .await?;
    Ok(seq)
}

const FEED_COLS: &str =
    "SELECT grid_id, seq, kind, doc_id, hash, target_user, reason, origin_device FROM feed";

fn bare_entry(r: &Row) -> StorageResult<(String, FeedEntry)> {
    let kind: String = col(r, 2)?;
    let reason: Option<String> = col(r, 6)?;
    Ok((
        col(r, 0)?,
        FeedEntry {
            seq: col(r, 1)?,
            kind: FeedKind::from_code(&kind)
                .ok_or_else(|| StorageError::Corrupt(format!("unknown feed kind {kind}")))?,
            doc_id: col(r, 3)?,
            hash: col(r, 4)?,
            target_user: col(r, 5)?,
            reason: reason.as_deref().and_then(reason_from_code),
            origin_device: col(r, 7)?,
            bytes: None,
            meta: None,
        },
    ))
}

/// Reads feed rows, then their change bytes and documents by id: the feed and the
/// documents live on different shards, so they are never joined.
async fn entries(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> StorageResult<Vec<(String, FeedEntry)>> {
    let mut out = query(c, sql, params)
        .await?
        .iter()
        .map(bare_entry)
        .collect::<StorageResult<Vec<_>>>()?;
    let ids: Vec<String> = out
        .iter()
        .filter_map(|(_, e)| e.doc_id.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let hashes: Vec<String> = out.iter().filter_map(|(_, e)| e.hash.clone()).collect();
    let mut bytes: HashMap<(String, String), Vec<u8>> = HashMap::new();
    if !hashes.is_empty() {
        for r in query(
            c,
            "SELECT doc_id, hash, bytes FROM changes WHERE doc_id = ANY($1) AND hash = ANY($2)",
            &[&ids, &hashes],
        )
        .await?
        {
            bytes.insert((col(&r, 0)?, col(&r, 1)?), col(&r, 2)?);
        }
    }
    let metas: HashMap<String, DocMeta> = metas(c, &ids)
        .await?
        .into_iter()
        .map(|m| (m.id.clone(), m))
        .collect();
    for (_, e) in &mut out {
        if let (Some(d), Some(h)) = (&e.doc_id, &e.hash) {
            e.bytes = bytes.get(&(d.clone(), h.clone())).cloned();
        }
        e.meta = e.doc_id.as_ref().and_then(|d| metas.get(d).cloned());
    }
    Ok(out)
}

pub(super) async fn after(
    c: &impl GenericClient,
    grid: &str,
    after: i64,
    limit: usize,
) -> StorageResult<Vec<FeedEntry>> {
    let sql = format!("{FEED_COLS} WHERE grid_id = $1 AND seq > $2 ORDER BY seq LIMIT $3");
    let limit = limit as i64;
    Ok(entries(c, &sql, &[&grid, &after, &limit])
        .await?
        .into_iter()
        .map(|(_, e)| e)
        .collect())
}

pub(super) async fn revokes_of(
    c: &impl GenericClient,
    doc_id: &str,
    grid: &str,
) -> StorageResult<Vec<(String, FeedEntry)>> {
    let sql = format!(
        "{FEED_COLS} WHERE kind = 'revoke' AND (doc_id = $1 OR (doc_id IS NULL AND grid_id = $2))
         ORDER BY grid_id COLLATE \"C\", seq"
    );
    entries(c, &sql, &[&doc_id, &grid]).await
}

pub(super) async fn seqs(c: &impl GenericClient, grid: &str) -> StorageResult<Vec<i64>> {
    query(
        c,
        "SELECT seq FROM feed WHERE grid_id = $1 ORDER BY seq",
        &[&grid],
    )
    .await?
    .iter()
    .map(|r| col(r, 0))
    .collect()
}

async fn insert_placement(
    c: &impl GenericClient,
    p: &Placement,
    replace: bool,
) -> StorageResult<()> {
    let sql = if replace {
        "INSERT INTO placements (household_id, grid_id, micro_grid_id, village_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (household_id) DO UPDATE SET grid_id = EXCLUDED.grid_id,
         micro_grid_id = EXCLUDED.micro_grid_id, village_id = EXCLUDED.village_id"
    } else {
        "INSERT INTO placements (household_id, grid_id, micro_grid_id, village_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (household_id) DO NOTHING"
    };
    exec(
        c,
        sql,
        &[&p.household_id, &p.grid_id, &p.micro_grid_id, &p.village_id],
    )
    .await?;
    Ok(())
}

/// Stores one change; true when it is new (then it gets a feed entry).
async fn insert_change(
    c: &impl GenericClient,
    doc_id: &str,
    ch: &StoredChange,
    device: Option<&str>,
    compacted: bool,
    at: i64,
) -> StorageResult<bool> {
    let n = exec(
        c,
        "INSERT INTO changes (doc_id, hash, bytes, actor, device_id, compacted, stored_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (doc_id, hash) DO NOTHING",
        &[
            &doc_id, &ch.hash, &ch.bytes, &ch.actor, &device, &compacted, &at,
        ],
    )
    .await?;
    Ok(n == 1)
}

pub(super) async fn commit_push(
    c: &impl GenericClient,
    p: &PushCommit,
) -> StorageResult<Vec<String>> {
    // New documents are created and every document's row locked, in id order. The grid is
    // read here, under that lock, so a change racing a move lands in the grid the document
    // is in when it commits.
    let mut order: Vec<usize> = (0..p.docs.len()).collect();
    order.sort_by(|a, b| p.docs[*a].meta.id.cmp(&p.docs[*b].meta.id));
    let mut created = vec![false; p.docs.len()];
    let mut grids: HashMap<String, String> = HashMap::new();
    for i in order {
        let w = &p.docs[i];
        if let Some(snap) = &w.new_snapshot {
            created[i] = insert_doc(c, &w.meta, snap, p.at).await?;
        }
        if !grids.contains_key(&w.meta.id) {
            let locked = lock_docs(c, [&w.meta.id]).await?;
            let grid = locked.get(&w.meta.id).ok_or_else(|| {
                StorageError::Database(format!("document {} is not stored", w.meta.id))
            })?;
            grids.insert(w.meta.id.clone(), grid.clone());
        }
    }
    let mut seqs = Seqs::lock(c, grids.values()).await?;
    let mut stale = Vec::new();
    for (i, w) in p.docs.iter().enumerate() {
        if let Some(pl) = &w.placement {
            insert_placement(c, pl, false).await?;
        }
        let grid = &grids[&w.meta.id];
        let mut pending = 0i64;
        for ch in &w.changes {
            let folded = created[i]
                && w.new_snapshot
                    .as_ref()
                    .is_some_and(|s| s.covers.contains(&ch.hash));
            if insert_change(c, &w.meta.id, ch, Some(&p.device_id), folded, p.at).await? {
                let e = Append {
                    kind: FeedKind::Change,
                    doc_id: Some(&w.meta.id),
                    hash: Some(&ch.hash),
                    target_user: None,
                    reason: None,
                    origin: Some(&p.device_id),
                };
                append(c, &mut seqs, grid, e, p.at).await?;
                if !folded {
                    pending += 1;
                }
            }
        }
        exec(
            c,
            "UPDATE documents SET pending = pending + $2, updated_at = $3 WHERE doc_id = $1",
            &[&w.meta.id, &pending, &p.at],
        )
        .await?;
        if let Some(snap) = &w.compacted
            && !store_snapshot(c, &w.meta.id, snap).await?
        {
            stale.push(w.meta.id.clone());
        }
    }
    seqs.save(c).await?;
    for r in &p.quarantine {
        exec(
            c,
            "INSERT INTO quarantine (doc_id, hash, bytes, device_id, user_id, code, reason, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (doc_id, hash, device_id, code) DO NOTHING",
            &[
                &r.doc_id,
                &r.hash,
                &r.bytes,
                &p.device_id,
                &p.user_id,
                &r.code,
                &r.reason,
                &p.at,
            ],
        )
        .await?;
    }
    super::auth::insert_audit(c, &p.audit).await?;
    Ok(stale)
}

pub(super) async fn import_docs(
    c: &impl GenericClient,
    docs: &[ImportDoc],
    at: i64,
) -> StorageResult<()> {
    let mut order: Vec<&ImportDoc> = docs.iter().collect();
    order.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    for d in order {
        insert_doc(c, &d.meta, &d.snapshot, at).await?;
    }
    let mut seqs = Seqs::lock(c, docs.iter().map(|d| &d.meta.grid_id)).await?;
    for d in docs {
        for ch in &d.changes {
            if insert_change(c, &d.meta.id, ch, None, true, at).await? {
                let e = Append {
                    kind: FeedKind::Change,
                    doc_id: Some(&d.meta.id),
                    hash: Some(&ch.hash),
                    target_user: None,
                    reason: None,
                    origin: None,
                };
                append(c, &mut seqs, &d.meta.grid_id, e, at).await?;
            }
        }
    }
    seqs.save(c).await
}

pub(super) async fn apply_scope_change(
    c: &impl GenericClient,
    s: &ScopeChange,
) -> StorageResult<()> {
    lock_docs(c, s.doc_grids.iter().map(|(d, _)| d)).await?;
    let mut seqs = Seqs::lock(c, s.feed.iter().map(|e| &e.grid_id)).await?;
    for p in &s.placements {
        insert_placement(c, p, true).await?;
    }
    for (doc, grid) in &s.doc_grids {
        exec(
            c,
            "UPDATE documents SET grid_id = $2, updated_at = $3 WHERE doc_id = $1",
            &[doc, grid, &s.at],
        )
        .await?;
    }
    for (user, area) in &s.user_areas {
        exec(
            c,
            "UPDATE users SET area_id = $2 WHERE id = $1",
            &[user, area],
        )
        .await?;
    }
    for (id, day) in &s.end_assignments {
        exec(
            c,
            "UPDATE assignments SET valid_to = $2 WHERE id = $1",
            &[id, day],
        )
        .await?;
    }
    for a in &s.add_assignments {
        upsert_assignment(c, a).await?;
    }
    for e in &s.feed {
        let a = Append {
            kind: e.kind,
            doc_id: e.doc_id.as_deref(),
            hash: None,
            target_user: e.target_user.as_deref(),
            reason: e.reason.map(reason_code),
            origin: None,
        };
        append(c, &mut seqs, &e.grid_id, a, s.at).await?;
    }
    seqs.save(c).await?;
    super::auth::insert_audit(c, &s.audit).await?;
    bump_version(c).await?;
    Ok(())
}
