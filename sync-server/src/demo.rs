//! The demo county: loads a datagen dataset into the server (reference data, users with
//! a demo password, every document as a stored snapshot with its changes and feed
//! entries) and returns one demo login per role.
//!
//! Every demo user shares one password ([`DEMO_PASSWORD`]) and, to keep loading fast,
//! one argon2id hash (one salt). That is acceptable for a demo and never done for real
//! users (`user add` hashes each password with its own salt).

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use gridwalk_core::doc::{DocKind, household_of_private};
use gridwalk_core::reference::category::default_categories;
use gridwalk_core::reference::rules::{default_sla_rules, default_visit_rules};
use gridwalk_core::reference::{Role, WorkCalendar};
use gridwalk_datagen::{Config, Dataset, docs};

use crate::auth::hash_password;
use crate::loaded::heads_text;
use crate::storage::{
    DocMeta, ImportDoc, PlacementJson, ReferenceImport, Snapshot, Storage, StoredChange, UserRow,
};

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "gridwalk2026";

/// One demo login to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    /// Role.
    pub role: Role,
    /// Login name.
    pub username: String,
    /// Display name.
    pub name: String,
    /// The area the user serves, by name.
    pub area: String,
    /// User id.
    pub user_id: String,
}

/// The working-day calendar shipped in `reference-data/calendar/`.
pub fn shipped_calendar() -> anyhow::Result<WorkCalendar> {
    let years = [
        include_str!("../../reference-data/calendar/2025.json"),
        include_str!("../../reference-data/calendar/2026.json"),
    ];
    let parts = years
        .iter()
        .map(|j| WorkCalendar::from_json(j))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(WorkCalendar::merge(parts)?)
}

/// The usernames of a dataset's users, by user id: `<role>-<nnn>` in dataset order.
pub fn usernames(ds: &Dataset) -> HashMap<String, String> {
    let mut counts: BTreeMap<Role, usize> = BTreeMap::new();
    ds.users
        .iter()
        .map(|u| {
            let n = counts.entry(u.role).or_default();
            *n += 1;
            (u.id.clone(), format!("{}-{:03}", u.role.code(), n))
        })
        .collect()
}

/// Reference data of a dataset, with the default rules and the shipped calendar.
pub fn reference_of(ds: &Dataset) -> anyhow::Result<ReferenceImport> {
    Ok(ReferenceImport {
        areas: ds.areas.clone(),
        placements: ds
            .households
            .iter()
            .map(|h| PlacementJson {
                household_id: h.id.clone(),
                grid_id: h.grid_id.clone(),
                micro_grid_id: Some(h.micro_grid_id.clone()),
                village_id: Some(h.village_id.clone()),
            })
            .collect(),
        assignments: ds.assignments.clone(),
        categories: Some(default_categories()),
        units: Some(ds.units.clone()),
        visit_rules: Some(default_visit_rules()),
        sla_rules: Some(default_sla_rules()),
        calendar: Some(shipped_calendar()?),
    })
}

/// Loads a generated dataset into storage; returns the first login of each role.
pub fn load(storage: &dyn Storage, ds: &Dataset, now: i64) -> anyhow::Result<Vec<DemoLogin>> {
    storage
        .import_reference(&reference_of(ds)?)
        .context("importing reference data")?;
    let hash = hash_password(DEMO_PASSWORD)?;
    let names = usernames(ds);
    let area_name: HashMap<&str, &str> = ds
        .areas
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let mut logins: BTreeMap<Role, DemoLogin> = BTreeMap::new();
    for u in &ds.users {
        let row = UserRow {
            id: u.id.clone(),
            username: names[&u.id].clone(),
            name: u.name.clone(),
            role: u.role,
            area_id: Some(u.area_id.clone()),
            unit_id: u.unit_id.clone(),
            password_hash: hash.clone(),
            active: true,
        };
        storage
            .create_user(&row, now)
            .context("creating demo users")?;
        logins.entry(u.role).or_insert_with(|| DemoLogin {
            role: u.role,
            username: row.username.clone(),
            name: u.name.clone(),
            area: area_name.get(u.area_id.as_str()).unwrap_or(&"").to_string(),
            user_id: u.id.clone(),
        });
    }
    let owners: HashMap<&str, &str> = ds
        .incidents
        .iter()
        .map(|i| (i.id.as_str(), i.reported_by.as_str()))
        .collect();
    let live = docs::build_live(ds, docs::default_threads())?;
    let mut batch = Vec::new();
    for mut d in live {
        let changes = d
            .doc
            .get_changes(&[])
            .into_iter()
            .map(|c| StoredChange {
                hash: c.hash().to_string(),
                bytes: c.raw_bytes().to_vec(),
                actor: c.actor_id().to_hex_string(),
            })
            .collect();
        let heads = d.doc.get_heads();
        let household_id = match d.kind {
            DocKind::Household => Some(d.id.clone()),
            DocKind::HouseholdPrivate => household_of_private(&d.id).map(str::to_string),
            _ => None,
        };
        batch.push(ImportDoc {
            meta: DocMeta {
                owner_user: owners.get(d.id.as_str()).map(|s| s.to_string()),
                id: d.id,
                kind: d.kind,
                grid_id: d.grid_id,
                household_id,
                micro_grid_id: None,
            },
            snapshot: Snapshot {
                bytes: d.doc.save(),
                heads: heads_text(&heads),
                covers: Vec::new(),
                base_heads: None,
            },
            changes,
        });
        if batch.len() >= 200 {
            storage.import_docs(&batch, now)?;
            batch.clear();
        }
    }
    storage.import_docs(&batch, now)?;
    Ok(logins.into_values().collect())
}

/// Generates the dataset of a config and loads it.
pub fn load_config(
    storage: &dyn Storage,
    cfg: &Config,
    now: i64,
) -> anyhow::Result<(Dataset, Vec<DemoLogin>)> {
    let ds = gridwalk_datagen::generate(cfg)?;
    let logins = load(storage, &ds, now)?;
    Ok((ds, logins))
}
