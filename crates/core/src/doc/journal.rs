//! The grid journal document: one per grid. It holds contact logs whose target is a grid
//! or a village (township cadre ↔ grid, grid head ↔ workers) and grid-level notes.

use autosurgeon::{Hydrate, Reconcile};
use std::collections::BTreeMap;

use super::household::ContactLog;
use super::register::Register;
use super::{WriteCtx, check_len, commit, obj_at};
use crate::CoreError;

/// The grid journal schema this build writes.
pub const JOURNAL_SCHEMA: u64 = 1;

/// A grid-level note (民情日记 for the grid).
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct GridNote {
    /// UUIDv7; also the key.
    pub id: String,
    /// Author.
    pub by: String,
    /// When, UTC ms.
    pub at: i64,
    /// The text.
    pub text: Register<String>,
    /// Soft delete, UTC ms.
    pub deleted_at: Register<Option<i64>>,
}

/// The grid journal document.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct GridJournalDoc {
    /// Schema number.
    pub schema: u64,
    /// The grid.
    pub grid_id: String,
    /// Contact logs by id.
    pub contacts: BTreeMap<String, ContactLog>,
    /// Notes by id.
    pub notes: BTreeMap<String, GridNote>,
}

impl GridJournalDoc {
    /// A new journal with every container present.
    pub fn new(grid_id: &str) -> GridJournalDoc {
        GridJournalDoc {
            schema: JOURNAL_SCHEMA,
            grid_id: grid_id.into(),
            contacts: BTreeMap::new(),
            notes: BTreeMap::new(),
        }
    }
}

/// Adds a grid-level contact log (one change).
pub fn add_contact(
    doc: &mut automerge::AutoCommit,
    ctx: &WriteCtx,
    log: &ContactLog,
) -> Result<(), CoreError> {
    check_len(
        "note",
        log.content.value().map_or("", |c| c.note.as_str()),
        4000,
    )?;
    let obj = obj_at(doc, &["contacts"])?;
    autosurgeon::reconcile_prop(doc, &obj, log.id.as_str(), log)
        .map_err(|e| CoreError::DoesNotHydrate(e.to_string()))?;
    commit(doc, ctx, "journal.add_contact");
    Ok(())
}

/// Adds a grid note (one change).
pub fn add_note(
    doc: &mut automerge::AutoCommit,
    ctx: &WriteCtx,
    id: &str,
    text: &str,
) -> Result<(), CoreError> {
    if text.trim().is_empty() {
        return Err(CoreError::Required("note"));
    }
    check_len("note", text, 4000)?;
    let (by, at) = (ctx.user.clone(), ctx.hlc.to_string());
    let note = GridNote {
        id: id.into(),
        by: by.clone(),
        at: ctx.at.0,
        text: Register::new(text.to_string(), by.clone(), at.clone()),
        deleted_at: Register::new(None, by, at),
    };
    let obj = obj_at(doc, &["notes"])?;
    autosurgeon::reconcile_prop(doc, &obj, id, &note)
        .map_err(|e| CoreError::DoesNotHydrate(e.to_string()))?;
    commit(doc, ctx, "journal.add_note");
    Ok(())
}
