//! Server-side writes for the console (reviews, incident actions), made under the
//! per-process actor and stored through the push path's storage call, so they get feed
//! entries and reach devices on their next sync.
//!
//! **One writer at a time.** All console writes of a process hold one lock
//! ([`super::Shared::writer`]) from loading the documents to committing the changes. The
//! process actor numbers its changes per document; two requests that each loaded one
//! document before the other stored would both produce the same sequence number, and the
//! second change could never be stored. Under the lock every write starts from the stored
//! document, which already holds this actor's previous changes. Other processes use
//! their own actors, so nothing needs serializing between nodes.
//!
//! Every write in a batch commits in one transaction (`Storage::commit_push`), with its
//! audit rows. Compaction is left to the push and first-sync paths.

use automerge::{AutoCommit, Change, ChangeHash};
use gridwalk_core::doc::WriteCtx;
use gridwalk_core::{Hlc, Timestamp};

use crate::error::AppError;
use std::collections::HashMap;

use crate::loaded::{self, Loaded};
use crate::state::AppState;
use crate::storage::{AuditRow, DocWrite, PushCommit, StoredChange, UserRow};

/// One document to change: the closure gets the loaded document and the write's context,
/// and returns the audit target (the record or event written).
pub struct Target<'a> {
    /// Document id.
    pub doc_id: String,
    /// The HLC the write must sort after (the newest clock the caller saw in it).
    pub after: Option<Hlc>,
    /// The change.
    #[allow(clippy::type_complexity)]
    pub apply: Box<dyn FnOnce(&mut AutoCommit, &WriteCtx) -> Result<String, AppError> + 'a>,
}

/// Writes each target under the process actor as `user`; returns one result per target
/// (one failure never spoils the rest) after storing every success in one transaction.
/// `audit_action` names the audit rows (`console:review`, `console:incident`).
pub fn write_docs(
    state: &AppState,
    user: &UserRow,
    audit_action: &str,
    targets: Vec<Target<'_>>,
) -> Result<Vec<Result<(), AppError>>, AppError> {
    let _writer = state
        .console
        .writer
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let now = state.now();
    let mut commit = PushCommit {
        device_id: state.process_id.clone(),
        user_id: user.id.clone(),
        at: now,
        ..PushCommit::default()
    };
    // Two targets of one batch may name one document: the second continues from the
    // batch's copy, since the stored one does not have the first write yet.
    let mut copies: HashMap<String, (Loaded, usize)> = HashMap::new();
    let mut results = Vec::with_capacity(targets.len());
    for t in targets {
        results.push(write_one(
            state,
            user,
            now,
            t,
            &mut commit,
            &mut copies,
            audit_action,
        ));
    }
    commit.docs.retain(|d| !d.changes.is_empty());
    if !commit.docs.is_empty() {
        state.storage.commit_push(&commit)?;
    }
    // A cached copy lacks these changes: drop it, the next push reloads from storage.
    for id in copies.keys() {
        drop(state.cache_take(id));
    }
    Ok(results)
}

fn write_one(
    state: &AppState,
    user: &UserRow,
    now: i64,
    t: Target<'_>,
    commit: &mut PushCommit,
    copies: &mut HashMap<String, (Loaded, usize)>,
    audit_action: &str,
) -> Result<(), AppError> {
    if !copies.contains_key(&t.doc_id) {
        let meta = state
            .storage
            .doc_meta(&t.doc_id)?
            .ok_or_else(|| AppError::NotFound(t.doc_id.clone()))?;
        let mut loaded = loaded::load_fresh(state, &t.doc_id)?
            .ok_or_else(|| AppError::NotFound(t.doc_id.clone()))?;
        loaded.doc.set_actor(state.actor.clone());
        commit.docs.push(DocWrite {
            meta,
            new_snapshot: None,
            placement: None,
            changes: Vec::new(),
            compacted: None,
        });
        copies.insert(t.doc_id.clone(), (loaded, commit.docs.len() - 1));
    }
    let (loaded, slot) = copies.get_mut(&t.doc_id).expect("inserted above");
    let before: Vec<ChangeHash> = loaded.doc.get_heads();
    let ctx = WriteCtx {
        user: user.id.clone(),
        role: user.role,
        device: state.process_id.clone(),
        hlc: state.console.tick(&state.process_id, now, t.after.as_ref()),
        at: Timestamp(now),
    };
    // Core's writes validate before they touch the document, so a refusal leaves the
    // copy as it was; roll back anyway in case one did not.
    let target = match (t.apply)(&mut loaded.doc, &ctx) {
        Ok(target) => target,
        Err(e) => {
            loaded.doc.rollback();
            return Err(e);
        }
    };
    let changes: Vec<Change> = loaded.doc.get_changes(&before);
    commit.docs[*slot]
        .changes
        .extend(changes.iter().map(|c| StoredChange {
            hash: c.hash().to_string(),
            bytes: c.raw_bytes().to_vec(),
            actor: c.actor_id().to_hex_string(),
        }));
    commit.audit.push(AuditRow {
        at: now,
        user_id: Some(user.id.clone()),
        device_id: Some(state.process_id.clone()),
        action: audit_action.to_string(),
        doc_id: Some(t.doc_id.clone()),
        target: Some(target),
        event_id: None,
    });
    Ok(())
}
