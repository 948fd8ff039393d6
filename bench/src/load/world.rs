//! The county and the people of the load test: a datagen county with enough grids for
//! the devices, one grid-worker account per device (the county's own grid workers, then
//! extra accounts in the same grids), and loading all of it into a setup's fresh
//! database through the storage API before any server process starts.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, Result};
use automerge::ActorId;
use gridwalk_core::reference::Role;
use gridwalk_datagen::config::{TownshipShape, VillageShape};
use gridwalk_datagen::{Config, Dataset, Preset};
use gridwalk_server::auth::{hash_password, new_token, token_hash};
use gridwalk_server::demo::DEMO_PASSWORD;
use gridwalk_server::storage::{DeviceRow, Storage, UserRow};

use crate::plan::DeviceSpec;

/// One device in twenty does a first sync in the morning window.
pub const MORNING_SHARE: usize = 20;

/// Households per device: rural villages of about 250 households, one grid each, give
/// about 31 devices per grid (a grid's workers, party members and part-time workers).
const HOUSEHOLDS_PER_DEVICE: usize = 8;

/// The county for `devices` devices: rural townships of eight villages (one grid of
/// about 250 households each), one routine visit of history per household.
pub fn config(devices: usize, seed: u64) -> Config {
    let mut cfg = Config::preset(Preset::Demo);
    cfg.seed = seed;
    let households = (devices * HOUSEHOLDS_PER_DEVICE).max(400);
    let townships = households.div_ceil(2_000).max(1);
    cfg.shape = (0..townships)
        .map(|_| TownshipShape {
            urban: false,
            villages: (0..8)
                .map(|_| VillageShape {
                    rural: true,
                    weight: 1.0,
                })
                .collect(),
        })
        .collect();
    cfg.households = households;
    cfg.visits = households;
    cfg.contacts = households / 10;
    cfg.incidents = households / 40;
    cfg
}

/// The accounts and devices of the run, made once and registered in every setup.
pub struct People {
    /// Extra grid-worker accounts (the county has one worker per grid).
    pub extra_users: Vec<UserRow>,
    /// The devices, in run order.
    pub devices: Vec<DeviceSpec>,
    /// Households by grid.
    pub households: BTreeMap<String, Vec<String>>,
    /// Registration time, UTC ms.
    pub at: i64,
}

/// One grid-worker device per account, grids taken in turn.
pub fn people(ds: &Dataset, devices: usize, now: i64) -> Result<People> {
    let mut households: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for h in &ds.households {
        households
            .entry(h.grid_id.clone())
            .or_default()
            .push(h.id.clone());
    }
    let grids: Vec<&String> = households.keys().collect();
    anyhow::ensure!(!grids.is_empty(), "the county has grids");
    let mut workers: BTreeMap<&str, &str> = BTreeMap::new();
    for u in ds.users.iter().filter(|u| u.role == Role::GridWorker) {
        workers.entry(u.area_id.as_str()).or_insert(u.id.as_str());
    }
    // One hash for every extra account, as the demo county does: hashing a thousand
    // passwords would cost minutes and measure nothing.
    let hash = hash_password(DEMO_PASSWORD)?;
    let mut extra_users = Vec::new();
    let mut out = Vec::new();
    for i in 0..devices {
        let grid = grids[i % grids.len()].clone();
        let user_id = match (i < grids.len())
            .then(|| workers.get(grid.as_str()))
            .flatten()
        {
            Some(id) => id.to_string(),
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                extra_users.push(UserRow {
                    id: id.clone(),
                    username: format!("load-{i:05}"),
                    name: format!("压测网格员{i}"),
                    role: Role::GridWorker,
                    area_id: Some(grid.clone()),
                    unit_id: None,
                    password_hash: hash.clone(),
                    active: true,
                });
                id
            }
        };
        out.push(DeviceSpec {
            device_id: uuid::Uuid::now_v7().to_string(),
            user_id,
            grid_id: grid,
            token: new_token(),
            actor: ActorId::random(),
            morning: i % MORNING_SHARE == 0,
        });
    }
    Ok(People {
        extra_users,
        devices: out,
        households,
        at: now,
    })
}

/// What a loaded setup tells its devices: the feed's high water per grid (a device
/// that synced yesterday holds `f:<high water>`), the documents per grid (what a first
/// sync must bring) and the reference-data version.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Feed high water by grid.
    pub high_water: BTreeMap<String, i64>,
    /// Documents by grid.
    pub docs_in_grid: BTreeMap<String, usize>,
    /// Reference-data version.
    pub reference_version: u64,
    /// Seconds the load took.
    pub seconds: f64,
}

/// Loads the county, the extra accounts and the devices into a fresh storage.
pub fn load(storage: &Arc<dyn Storage>, ds: &Dataset, people: &People) -> Result<Loaded> {
    let started = std::time::Instant::now();
    let t0 = ds.config.now().0;
    gridwalk_server::demo::load(storage.as_ref(), ds, t0).context("loading the county")?;
    for u in &people.extra_users {
        storage.create_user(u, t0).context("adding an account")?;
    }
    for d in &people.devices {
        let row = DeviceRow {
            id: d.device_id.clone(),
            user_id: d.user_id.clone(),
            name: "压测手机".into(),
            created_at: people.at,
            expires_at: people.at + 365 * 86_400_000,
            revoked_at: None,
        };
        storage
            .create_device(&row, &token_hash(&d.token))
            .context("registering a device")?;
    }
    let mut out = Loaded {
        reference_version: storage.reference_version()?,
        ..Loaded::default()
    };
    for grid in people.households.keys() {
        out.high_water
            .insert(grid.clone(), storage.high_water(grid)?);
        let (mut after, mut n) = (String::new(), 0);
        loop {
            let page = storage.docs_in_grid(grid, &after, 1_000)?;
            let Some(last) = page.last() else { break };
            after = last.id.clone();
            n += page.len();
        }
        out.docs_in_grid.insert(grid.clone(), n);
    }
    out.seconds = started.elapsed().as_secs_f64();
    Ok(out)
}
