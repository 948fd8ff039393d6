//! Fills a device store: reference rows (areas, users, categories, units, contact
//! assignments) and every document, imported in one transaction as if pulled from the
//! server (no outbox entries).
//!
//! The store's clock is pinned to the dataset's base date, so a filled store does not
//! depend on when it was filled.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use gridwalk_store::{ImportDoc, RefUser, Store, StoreOptions};

use crate::docs;
use crate::model::Dataset;

/// What a fill did and how long it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FillReport {
    /// Documents imported.
    pub documents: usize,
    /// Documents the store reported as changed.
    pub changed: usize,
    /// Time to build the Automerge documents.
    pub build: Duration,
    /// Time to import them (and the reference rows).
    pub import: Duration,
}

/// Store options for a filled store: default tuning, the clock pinned to the base date.
pub fn options(ds: &Dataset) -> StoreOptions {
    let now = ds.config.now();
    StoreOptions {
        clock: Arc::new(move || now),
        ..StoreOptions::default()
    }
}

/// Writes the reference rows and imports every document into an open store.
pub fn fill(ds: &Dataset, store: &mut Store, threads: usize) -> Result<FillReport> {
    let started = Instant::now();
    let built = docs::build_live(ds, threads)?;
    let build = started.elapsed();
    let started = Instant::now();
    let version = 1;
    store.replace_areas(version, &ds.areas)?;
    let users: Vec<RefUser> = ds
        .users
        .iter()
        .map(|u| RefUser {
            id: u.id.clone(),
            name: u.name.clone(),
            role: u.role,
            active: true,
        })
        .collect();
    store.replace_users(version, &users)?;
    store.replace_categories(version, &ds.categories)?;
    store.replace_units(version, &ds.units)?;
    store.replace_assignments(version, &ds.assignments)?;
    let documents = built.len();
    let changed = store
        .import(built.into_iter().map(|d| ImportDoc {
            id: d.id,
            kind: d.kind,
            grid_id: d.grid_id,
            doc: d.doc,
        }))
        .context("importing the documents")?;
    Ok(FillReport {
        documents,
        changed,
        build,
        import: started.elapsed(),
    })
}

/// Opens (or creates) the store file at `path` and fills it.
pub fn fill_path(ds: &Dataset, path: &Path, threads: usize) -> Result<FillReport> {
    let mut store = Store::open_with(path, options(ds))
        .with_context(|| format!("opening the store {}", path.display()))?;
    fill(ds, &mut store, threads)
}
