//! gridwalk-datagen: deterministic, realistic Gridwalk data for a Lishui-like county.
//!
//! From a seed it builds an area tree (丽水市 → county → townships → villages and
//! communities → grids → micro-grids), users of all eight roles, handling units, contact
//! assignments, households at standard addresses with members (names with Lishui
//! surname frequencies, GB 11643 resident IDs and the rarer documents, phones), care and
//! special-group tags, visit histories with 民情日记 notes, contact logs, and incidents
//! whose event logs are walked through core's state machine.
//!
//! Outputs: the records themselves ([`Dataset`]), Automerge documents written through
//! core's document operations ([`docs::build`]), a filled device store ([`fill`]), a
//! JSON-lines dump with its raw and gzip-6 sizes ([`dump`]), and a summary with a
//! Chinese rendering ([`Summary`]).
//!
//! What it is not: a source of truth about Lishui. Names and places are drawn from
//! realistic pieces; any match with a real person or address is a coincidence.
//!
//! Nothing reads the system clock or OS randomness: the same [`Config`] always gives the
//! same bytes.
//!
//! ```
//! use gridwalk_datagen::{Config, Preset, generate};
//! let mut cfg = Config::preset(Preset::Small);
//! cfg.households = 40;
//! cfg.visits = 100;
//! cfg.contacts = 20;
//! cfg.incidents = 5;
//! let ds = generate(&cfg).unwrap();
//! assert_eq!(ds.households.len(), 40);
//! assert_eq!(ds.visits.len(), 100);
//! ```

pub mod address;
pub mod area;
pub mod clock;
pub mod config;
pub mod contacts;
pub mod docs;
pub mod dump;
pub mod fill;
pub mod households;
pub mod identity;
pub mod incident_flow;
pub mod incident_text;
pub mod incidents;
pub mod model;
pub mod names;
pub mod notes;
pub mod sampling;
pub mod staff;
pub mod summary;
pub mod visits;

use anyhow::Context;
use gridwalk_core::reference::category::default_categories;

pub use config::{COUNTIES, Config, County, Preset, TownshipShape, VillageShape};
pub use model::Dataset;
pub use summary::Summary;

use sampling::{Ids, Stage, stage_rng};

/// Generates the whole dataset for a config, with every record's HLC stamped.
pub fn generate(cfg: &Config) -> anyhow::Result<Dataset> {
    let names = names::NameGen::new(cfg.county.surnames);
    let mut rng = stage_rng(cfg.seed, Stage::Areas);
    let mut ids = Ids::new(cfg.seed, Stage::Areas);
    let layout = area::build(cfg, &mut rng, &mut ids, &names);
    gridwalk_core::reference::area::validate_tree(&layout.areas)
        .context("the generated area tree is invalid")?;
    let per_grid: Vec<usize> = layout
        .grids
        .iter()
        .map(|g| layout.slots.iter().filter(|s| s.grid_id == g.id).count())
        .collect();
    let staff = staff::hire(cfg, &layout, &per_grid, &mut rng, &mut ids, &names);
    let mut households = households::HouseholdGen {
        cfg,
        layout: &layout,
        staff: &staff,
        names: &names,
    }
    .generate(
        &mut stage_rng(cfg.seed, Stage::Households),
        &mut Ids::new(cfg.seed, Stage::Households),
    );
    let assignments = staff::assignments(cfg, &layout, &staff, &households, &mut rng, &mut ids);
    let mut visits = visits::VisitGen {
        cfg,
        layout: &layout,
        staff: &staff,
        assignments: &assignments,
        names: &names,
    }
    .generate(
        &mut households,
        &mut stage_rng(cfg.seed, Stage::Visits),
        &mut Ids::new(cfg.seed, Stage::Visits),
    );
    let contacts = contacts::generate(
        cfg,
        &layout,
        &staff,
        &assignments,
        &households,
        &mut stage_rng(cfg.seed, Stage::Contacts),
        &mut Ids::new(cfg.seed, Stage::Contacts),
    );
    let categories = default_categories();
    let incidents = incidents::IncidentGen {
        cfg,
        layout: &layout,
        staff: &staff,
        households: &households,
        categories: &categories,
    }
    .generate(
        &mut visits,
        &mut stage_rng(cfg.seed, Stage::Incidents),
        &mut Ids::new(cfg.seed, Stage::Incidents),
    )?;
    let mut ds = Dataset {
        config: cfg.clone(),
        areas: layout.areas,
        users: staff.users,
        devices: staff.devices,
        units: staff.units,
        categories,
        assignments,
        households,
        visits,
        contacts,
        incidents,
    };
    clock::stamp(&mut ds);
    Ok(ds)
}
