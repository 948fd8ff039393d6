//! Documents loaded into memory: from the stored snapshot plus the changes stored after
//! it, through the bounded cache, and compacted snapshots for first sync.

use automerge::{AutoCommit, Change, ChangeHash};

use crate::error::AppError;
use crate::state::AppState;
use crate::storage::{Snapshot, StoredDoc};

/// A document in memory, with the hashes of its stored changes that its stored snapshot
/// does not fold in yet (what a compaction may mark as folded).
pub struct Loaded {
    /// The document.
    pub doc: AutoCommit,
    /// Stored, not yet compacted change hashes (hex).
    pub pending: Vec<String>,
    /// The heads of the stored snapshot it was built on (empty for a new document).
    pub base: String,
}

/// Hex heads, comma-separated (the `snapshot_heads` column).
pub fn heads_text(heads: &[ChangeHash]) -> String {
    heads
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Builds a document from its stored form.
pub fn from_stored(stored: &StoredDoc) -> Result<Loaded, AppError> {
    let mut doc = AutoCommit::load(&stored.snapshot)
        .map_err(|e| AppError::Internal(format!("stored snapshot {}: {e}", stored.meta.id)))?;
    let changes = stored
        .pending
        .iter()
        .map(|(_, b)| Change::from_bytes(b.clone()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| AppError::Internal(format!("stored change {}: {e}", stored.meta.id)))?;
    doc.apply_changes(changes)
        .map_err(|e| AppError::Internal(format!("stored change {}: {e}", stored.meta.id)))?;
    Ok(Loaded {
        doc,
        pending: stored.pending.iter().map(|(h, _)| h.clone()).collect(),
        base: stored.snapshot_heads.clone(),
    })
}

/// Loads a document from storage, bypassing the cache. `None` when it does not exist.
pub fn load_fresh(state: &AppState, doc_id: &str) -> Result<Option<Loaded>, AppError> {
    match state.storage.load_doc(doc_id)? {
        Some(stored) => Ok(Some(from_stored(&stored)?)),
        None => Ok(None),
    }
}

/// Takes a document from the cache, or loads it. The second value says whether it came
/// from the cache (and so may lack a change another request stored meanwhile).
pub fn take(state: &AppState, doc_id: &str) -> Result<Option<(Loaded, bool)>, AppError> {
    if let Some(l) = state.cache_take(doc_id) {
        return Ok(Some((l, true)));
    }
    Ok(load_fresh(state, doc_id)?.map(|l| (l, false)))
}

/// A compacted snapshot of everything in `loaded`, folding its pending changes; it will
/// replace the stored snapshot only if that is still `loaded`'s base.
pub fn compact(loaded: &mut Loaded) -> Snapshot {
    let heads = heads_text(&loaded.doc.get_heads());
    let base = std::mem::replace(&mut loaded.base, heads.clone());
    Snapshot {
        bytes: loaded.doc.save(),
        heads,
        covers: std::mem::take(&mut loaded.pending),
        base_heads: (!base.is_empty()).then_some(base),
    }
}

/// The `save()` bytes to serve for a stored document: the stored snapshot when nothing
/// is pending, else a fresh one, which is stored too (lazy compaction on first-sync
/// reads).
pub fn fresh_snapshot(state: &AppState, stored: StoredDoc) -> Result<Vec<u8>, AppError> {
    if stored.pending.is_empty() {
        return Ok(stored.snapshot);
    }
    let mut loaded = from_stored(&stored)?;
    let snap = compact(&mut loaded);
    state.storage.store_snapshot(&stored.meta.id, &snap)?;
    Ok(snap.bytes)
}
