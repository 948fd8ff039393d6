//! First sync of a grid: compacted snapshots of its documents in the device's scope,
//! in pages bounded by bytes, ordered by document id, resumable from the cursor
//! (see [`crate::cursor`]). History is never replayed: a document's stored snapshot is
//! served, refreshed first when changes were stored after it.

use crate::cursor::Cursor;
use crate::error::AppError;
use crate::loaded::fresh_snapshot;
use crate::pull::Page;

/// Documents read per storage call.
const BATCH: usize = 256;

/// Serves snapshots of `grid` after `last`, until the page budget is spent. Returns the
/// grid's cursor: still first sync when the budget ran out, else feed mode at `hw`.
pub fn serve(page: &mut Page<'_>, grid: &str, hw: i64, last: &str) -> Result<Cursor, AppError> {
    let st = &page.state.storage;
    let mut last = last.to_string();
    loop {
        let metas = st.docs_in_grid(grid, &last, BATCH)?;
        let done = metas.len() < BATCH;
        for meta in metas {
            last = meta.id.clone();
            if !page.scope.admits(&meta) {
                continue;
            }
            let Some(stored) = st.load_doc(&meta.id)? else {
                continue;
            };
            let snapshot = fresh_snapshot(page.state, stored)?;
            page.snapshot(&meta.id, meta.kind, grid, snapshot);
            if page.full() {
                return Ok(Cursor::FirstSync(hw, last));
            }
        }
        if done {
            return Ok(Cursor::Feed(hw));
        }
    }
}
