//! The hydrated documents of the grids the dashboard and the exports have read, kept per
//! grid with the grid's feed high-water mark, like the review queue's rows
//! ([`crate::console::queue`]).
//!
//! A request reads each grid's mark (one indexed read). When it moved, the feed entries
//! since name the documents to drop; a whole-grid revoke, or more than
//! [`MAX_INCREMENT`] entries, drops the grid. The grid's document list itself is read on
//! every request (cheap: ids and placements, no bodies), so placements, micro-grids and
//! documents stored without a feed entry are always current, and a document that left
//! the grid leaves the cache. Only documents missing from the cache are loaded and
//! hydrated, several at a time across the machine's cores.
//!
//! What is kept is only what does not depend on the request: the household, private and
//! incident documents. Facts, tags active on a day, 督办 and the period's figures are
//! computed per request. Private documents are loaded only by requests of roles that may
//! read private data; other requests neither load nor see them (they stay cached for the
//! next request that may).
//!
//! **Memory:** hydrated documents are large (every register is a `BTreeMap`, whose first
//! node has room for eleven writes), so a household with about ten visits and three members
//! takes some tens of KB. Resident memory grows by about 260 MB per cached township of the
//! standard preset (3,000 households, 6,384 documents: about 41 KB a document), so at
//! most [`MAX_DOCS`] documents are kept across grids (about 500 MB, two such townships);
//! past that, whole grids are dropped, least recently read first (the grid just read is
//! always kept). Each node keeps its own cache; the feed, being in the shared database,
//! keeps every node's cache correct.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::household::{HOUSEHOLD_SCHEMA, HouseholdDoc};
use gridwalk_core::doc::incident::{INCIDENT_SCHEMA, IncidentDoc};
use gridwalk_core::doc::private::{HouseholdPrivateDoc, PRIVATE_SCHEMA};

use crate::error::AppError;
use crate::state::AppState;
use crate::storage::DocMeta;

/// Feed entries read to update a grid before it is cheaper to reload it.
pub const MAX_INCREMENT: usize = 2_000;

/// Documents kept across all grids before the least recently read grids are dropped
/// (about 500 MB at the standard preset's 41 KB a document).
pub const MAX_DOCS: usize = 12_000;

/// Documents loaded by one thread before another is worth starting.
const PER_THREAD: usize = 32;

/// A hydrated document, shared between the cache and the requests reading it.
#[derive(Clone)]
pub enum Doc {
    /// A household document.
    Household(Arc<HouseholdDoc>),
    /// A household's private document.
    Private(Arc<HouseholdPrivateDoc>),
    /// An incident document.
    Incident(Arc<IncidentDoc>),
}

/// The cached documents of one grid.
pub struct GridDocs {
    /// The grid's feed high-water mark the documents reflect.
    pub high_water: i64,
    /// Documents by id.
    docs: HashMap<String, Doc>,
}

impl GridDocs {
    /// A household document of the grid.
    pub fn household(&self, id: &str) -> Option<&Arc<HouseholdDoc>> {
        match self.docs.get(id) {
            Some(Doc::Household(d)) => Some(d),
            _ => None,
        }
    }

    /// The private document of a household of the grid, if it has one and it was loaded.
    pub fn private_of(&self, household_id: &str) -> Option<&Arc<HouseholdPrivateDoc>> {
        match self
            .docs
            .get(&gridwalk_core::doc::private_doc_id(household_id))
        {
            Some(Doc::Private(d)) => Some(d),
            _ => None,
        }
    }

    /// An incident document of the grid.
    pub fn incident(&self, id: &str) -> Option<&Arc<IncidentDoc>> {
        match self.docs.get(id) {
            Some(Doc::Incident(d)) => Some(d),
            _ => None,
        }
    }

    /// How many documents are kept.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// The per-process cache: grids in least-recently-read order.
pub struct Cache {
    grids: Mutex<lru::LruCache<String, Arc<GridDocs>>>,
    max_docs: usize,
}

impl Default for Cache {
    fn default() -> Self {
        Cache::with_budget(MAX_DOCS)
    }
}

impl Cache {
    /// A cache keeping at most `max_docs` documents (besides the grid last read).
    pub fn with_budget(max_docs: usize) -> Cache {
        Cache {
            grids: Mutex::new(lru::LruCache::unbounded()),
            max_docs,
        }
    }

    /// Documents kept now, over all grids.
    pub fn docs(&self) -> usize {
        self.lock().iter().map(|(_, g)| g.len()).sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, lru::LruCache<String, Arc<GridDocs>>> {
        self.grids.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, grid: &str) -> Option<Arc<GridDocs>> {
        self.lock().get(grid).cloned()
    }

    /// Keeps `fresh` unless a newer copy came meanwhile, then drops the least recently
    /// read other grids while over budget.
    fn put(&self, grid: &str, fresh: Arc<GridDocs>) {
        let mut grids = self.lock();
        if grids
            .peek(grid)
            .is_none_or(|g| g.high_water <= fresh.high_water)
        {
            grids.put(grid.to_string(), fresh);
        } else {
            grids.promote(grid);
        }
        let mut total: usize = grids.iter().map(|(_, g)| g.len()).sum();
        while total > self.max_docs && grids.len() > 1 {
            match grids.pop_lru() {
                Some((_, g)) => total -= g.len(),
                None => break,
            }
        }
    }
}

/// Loads and hydrates one stored document; `None` when it is no longer stored.
fn load_one(state: &AppState, meta: &DocMeta) -> Result<Option<Doc>, AppError> {
    let Some(loaded) = crate::loaded::load_fresh(state, &meta.id)? else {
        return Ok(None);
    };
    let bad = |e: gridwalk_core::CoreError| {
        AppError::Internal(format!("document {} does not hydrate: {e}", meta.id))
    };
    let doc = &loaded.doc;
    Ok(Some(match meta.kind {
        DocKind::Household => Doc::Household(Arc::new(
            gridwalk_core::doc::load(doc, HOUSEHOLD_SCHEMA).map_err(bad)?,
        )),
        DocKind::HouseholdPrivate => Doc::Private(Arc::new(
            gridwalk_core::doc::load(doc, PRIVATE_SCHEMA).map_err(bad)?,
        )),
        DocKind::Incident => Doc::Incident(Arc::new(
            gridwalk_core::doc::load(doc, INCIDENT_SCHEMA).map_err(bad)?,
        )),
        _ => return Ok(None),
    }))
}

/// Loads documents on up to as many threads as the machine has cores.
fn load_all(state: &AppState, metas: &[&DocMeta]) -> Result<Vec<(String, Doc)>, AppError> {
    crate::par::map(metas, PER_THREAD, |m| {
        Ok(load_one(state, m)?.map(|d| (m.id.clone(), d)))
    })
}

/// The cached documents still valid for `grid` at `high_water`: none when the grid must
/// be reloaded, else all but those the feed names since the cached mark.
fn still_valid(
    state: &AppState,
    grid: &str,
    high_water: i64,
    cached: Option<Arc<GridDocs>>,
) -> Result<HashMap<String, Doc>, AppError> {
    let Some(cached) = cached else {
        return Ok(HashMap::new());
    };
    let mut docs = cached.docs.clone();
    if cached.high_water == high_water {
        return Ok(docs);
    }
    let entries = state
        .storage
        .feed_after(grid, cached.high_water, MAX_INCREMENT)?;
    if entries.len() >= MAX_INCREMENT || entries.iter().any(|e| e.doc_id.is_none()) {
        return Ok(HashMap::new());
    }
    for id in entries.into_iter().filter_map(|e| e.doc_id) {
        docs.remove(&id);
    }
    Ok(docs)
}

/// The grid's documents now, in id order, and their hydrated forms (private documents
/// only when `private` is true or they were already cached), updating the cache.
pub fn grid(
    state: &AppState,
    grid: &str,
    private: bool,
) -> Result<(Vec<DocMeta>, Arc<GridDocs>), AppError> {
    let cache = &state.dashboard;
    // The mark first: anything stored after it is either loaded below or named in the
    // feed after it next time.
    let high_water = state.storage.high_water(grid)?;
    let cached = cache.get(grid);
    let mut listed = Vec::new();
    let mut after = String::new();
    loop {
        let page = state.storage.docs_in_grid(grid, &after, 1_000)?;
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        listed.extend(page);
    }
    let wanted = |m: &DocMeta| match m.kind {
        DocKind::Household | DocKind::Incident => true,
        DocKind::HouseholdPrivate => private,
        _ => false,
    };
    if let Some(same) = cached.as_ref().filter(|c| c.high_water == high_water) {
        let held = listed.iter().filter(|m| same.docs.contains_key(&m.id));
        let all_wanted_held = listed
            .iter()
            .all(|m| !wanted(m) || same.docs.contains_key(&m.id));
        if all_wanted_held && held.count() == same.len() {
            // Nothing stored, moved or asked for since: the cached copy as it is.
            cache.put(grid, same.clone());
            return Ok((listed, same.clone()));
        }
    }
    let mut valid = still_valid(state, grid, high_water, cached)?;
    let missing: Vec<&DocMeta> = listed
        .iter()
        .filter(|m| wanted(m) && !valid.contains_key(&m.id))
        .collect();
    let loaded = load_all(state, &missing)?;
    let mut docs = HashMap::with_capacity(listed.len());
    for m in &listed {
        if let Some(d) = valid.remove(&m.id) {
            docs.insert(m.id.clone(), d);
        }
    }
    docs.extend(loaded);
    let fresh = Arc::new(GridDocs { high_water, docs });
    cache.put(grid, fresh.clone());
    Ok((listed, fresh))
}
