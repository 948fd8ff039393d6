//! The area tree: 丽水市 → county → townships → villages and communities → grids →
//! micro-grids, and one dwelling slot per household.
//!
//! Grid sizes follow DOMAIN.md: an urban grid holds 300–500 households (about 400 here),
//! a rural one 150–200 (about 180). Urban micro-grids are buildings; rural ones are
//! natural villages (自然村) of 15–70 households.

use std::collections::HashSet;

use gridwalk_core::doc::Gps;
use gridwalk_core::doc::household::Address;
use gridwalk_core::reference::area::GridKind;
use gridwalk_core::reference::{Area, AreaLevel};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::address::{self, Building};
use crate::config::Config;
use crate::names::NameGen;
use crate::sampling::{Ids, apportion};

/// Households per urban grid the tree aims for.
pub const URBAN_GRID_TARGET: f64 = 400.0;
/// Households per rural grid the tree aims for.
pub const RURAL_GRID_TARGET: f64 = 180.0;

/// A dwelling waiting for its household.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// Village or community.
    pub village_id: String,
    /// Grid.
    pub grid_id: String,
    /// Micro-grid.
    pub micro_grid_id: String,
    /// Rural (natural village) or urban (building).
    pub rural: bool,
    /// Standard address.
    pub address: Address,
    /// Approximate location.
    pub gps: Gps,
}

/// A township and its villages, by index into [`Layout::villages`].
#[derive(Debug, Clone, PartialEq)]
pub struct TownshipInfo {
    /// Area id.
    pub id: String,
    /// Name.
    pub name: String,
    /// 街道 (urban) or 镇/乡.
    pub urban: bool,
}

/// A village or community.
#[derive(Debug, Clone, PartialEq)]
pub struct VillageInfo {
    /// Area id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Rural village or urban community.
    pub rural: bool,
    /// Index of its township in [`Layout::townships`].
    pub township: usize,
}

/// A grid.
#[derive(Debug, Clone, PartialEq)]
pub struct GridInfo {
    /// Area id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Index of its village in [`Layout::villages`].
    pub village: usize,
    /// Its micro-grids' ids.
    pub micro_grids: Vec<String>,
}

/// The generated tree with its dwelling slots.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// All area rows, parents before children.
    pub areas: Vec<Area>,
    /// The county's area id.
    pub county_id: String,
    /// Townships.
    pub townships: Vec<TownshipInfo>,
    /// Villages and communities.
    pub villages: Vec<VillageInfo>,
    /// Grids.
    pub grids: Vec<GridInfo>,
    /// Exactly `config.households` dwellings.
    pub slots: Vec<Slot>,
}

struct Builder<'a> {
    ids: &'a mut Ids,
    at: i64,
    areas: Vec<Area>,
}

impl Builder<'_> {
    fn add(
        &mut self,
        parent: Option<&str>,
        level: AreaLevel,
        name: String,
        rural: Option<bool>,
    ) -> String {
        let id = self.ids.uuid(self.at);
        self.areas.push(Area {
            id: id.clone(),
            parent_id: parent.map(str::to_string),
            level,
            name,
            grid_kind: (level == AreaLevel::Grid).then_some(GridKind::Basic),
            rural,
        });
        id
    }
}

fn jitter<R: Rng>(rng: &mut R, (lat, lng): (f64, f64), spread: f64) -> (f64, f64) {
    (
        lat + rng.random_range(-spread..spread),
        lng + rng.random_range(-spread..spread),
    )
}

fn gps(p: (f64, f64)) -> Gps {
    // Five decimals: about a metre, as a phone reports it.
    let r = |x: f64| (x * 100_000.0).round() / 100_000.0;
    Gps {
        lat: r(p.0),
        lng: r(p.1),
        accuracy_m: None,
    }
}

/// Builds the tree and the slots for a config.
pub fn build(cfg: &Config, rng: &mut ChaCha8Rng, ids: &mut Ids, names: &NameGen) -> Layout {
    let mut b = Builder {
        ids,
        at: cfg.setup_time().0,
        areas: Vec::new(),
    };
    let city = b.add(None, AreaLevel::City, "丽水市".into(), None);
    let county_id = b.add(Some(&city), AreaLevel::County, cfg.county.name.into(), None);
    let weights: Vec<f64> = cfg
        .shape
        .iter()
        .flat_map(|t| t.villages.iter().map(|v| v.weight))
        .collect();
    let mut per_village = apportion(cfg.households, &weights).into_iter();
    let (mut streets, mut towns) = (cfg.county.streets.iter(), cfg.county.towns.iter());
    let mut taken = HashSet::new();
    let mut layout = Layout {
        areas: Vec::new(),
        county_id: county_id.clone(),
        townships: Vec::new(),
        villages: Vec::new(),
        grids: Vec::new(),
        slots: Vec::with_capacity(cfg.households),
    };
    for (ti, t) in cfg.shape.iter().enumerate() {
        let name = if t.urban {
            streets.next()
        } else {
            towns.next()
        }
        .map_or_else(
            || format!("第{}乡镇", address::numeral(ti + 1)),
            |s| s.to_string(),
        );
        let tid = b.add(
            Some(&county_id),
            AreaLevel::Township,
            name.clone(),
            Some(!t.urban),
        );
        let t_centre = jitter(rng, cfg.county.centre, if t.urban { 0.02 } else { 0.15 });
        layout.townships.push(TownshipInfo {
            id: tid.clone(),
            name,
            urban: t.urban,
        });
        for v in &t.villages {
            let n = per_village.next().unwrap_or(0);
            let vname = if v.rural {
                let s = names.surname(rng).to_string();
                format!(
                    "{}村",
                    address::distinct_places(rng, 1, |_| s.clone(), &mut taken)[0]
                )
            } else {
                address::community_name(rng, &mut taken)
            };
            let vid = b.add(Some(&tid), AreaLevel::Village, vname.clone(), Some(v.rural));
            let vi = layout.villages.len();
            layout.villages.push(VillageInfo {
                id: vid.clone(),
                name: vname.clone(),
                rural: v.rural,
                township: ti,
            });
            let centre = jitter(rng, t_centre, if v.rural { 0.05 } else { 0.01 });
            if v.rural {
                rural_village(rng, &mut b, &mut layout, names, vi, n, centre, &mut taken);
            } else {
                urban_community(rng, &mut b, &mut layout, vi, n, centre);
            }
        }
    }
    layout.areas = b.areas;
    layout
}

fn grid_count(n: usize, target: f64) -> usize {
    ((n as f64 / target).round() as usize).max(1)
}

/// Splits `n` dwellings into `grids` quotas that differ by at most one.
fn quotas(n: usize, grids: usize) -> Vec<usize> {
    apportion(n, &vec![1.0; grids])
}

fn new_grid(b: &mut Builder, layout: &mut Layout, vi: usize, index: usize, count: usize) -> usize {
    let v = &layout.villages[vi];
    let name = if count == 1 {
        format!("{}网格", v.name)
    } else {
        format!("{}第{}网格", v.name, address::numeral(index + 1))
    };
    let id = b.add(
        Some(&v.id.clone()),
        AreaLevel::Grid,
        name.clone(),
        Some(v.rural),
    );
    layout.grids.push(GridInfo {
        id,
        name,
        village: vi,
        micro_grids: Vec::new(),
    });
    layout.grids.len() - 1
}

fn urban_community(
    rng: &mut ChaCha8Rng,
    b: &mut Builder,
    layout: &mut Layout,
    vi: usize,
    n: usize,
    centre: (f64, f64),
) {
    let grids = grid_count(n, URBAN_GRID_TARGET);
    let quota = quotas(n, grids);
    let roads = address::roads(rng, 3 + grids.min(4));
    let village_id = layout.villages[vi].id.clone();
    let (mut gi, mut in_grid) = (0, 0);
    let mut grid = new_grid(b, layout, vi, 0, grids);
    let mut remaining = n;
    let mut gate = rng.random_range(1..40) * 2;
    while remaining > 0 {
        // A compound (小区) at one gate number, with a few buildings.
        let road = roads[rng.random_range(0..roads.len())];
        gate += rng.random_range(1..12) * 2;
        let street = format!("{road}{gate}号");
        let compound = jitter(rng, centre, 0.008);
        for number in 1..=rng.random_range(3..=12) {
            if remaining == 0 {
                break;
            }
            if in_grid >= quota[gi] && gi + 1 < grids {
                gi += 1;
                in_grid = 0;
                grid = new_grid(b, layout, vi, gi, grids);
            }
            let building = Building::random(rng, &street, number);
            let grid_id = layout.grids[grid].id.clone();
            let mg = b.add(
                Some(&grid_id),
                AreaLevel::MicroGrid,
                building.name(),
                Some(false),
            );
            layout.grids[grid].micro_grids.push(mg.clone());
            let here = jitter(rng, compound, 0.0008);
            // A building is not split across grids; a grid may run slightly over quota.
            for address in building.addresses().into_iter().take(remaining) {
                layout.slots.push(Slot {
                    village_id: village_id.clone(),
                    grid_id: grid_id.clone(),
                    micro_grid_id: mg.clone(),
                    rural: false,
                    address,
                    gps: gps(jitter(rng, here, 0.0001)),
                });
                remaining -= 1;
                in_grid += 1;
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn rural_village(
    rng: &mut ChaCha8Rng,
    b: &mut Builder,
    layout: &mut Layout,
    names: &NameGen,
    vi: usize,
    n: usize,
    centre: (f64, f64),
    taken: &mut HashSet<String>,
) {
    let grids = grid_count(n, RURAL_GRID_TARGET);
    let quota = quotas(n, grids);
    let mut sizes = Vec::new();
    let mut left = n;
    while left > 0 {
        let s = rng.random_range(15..=70).min(left);
        sizes.push(s);
        left -= s;
    }
    let places =
        address::distinct_places(rng, sizes.len(), |r| names.surname(r).to_string(), taken);
    let village_id = layout.villages[vi].id.clone();
    let (mut gi, mut in_grid) = (0, 0);
    let mut grid = new_grid(b, layout, vi, 0, grids);
    for (size, place) in sizes.into_iter().zip(places) {
        if in_grid >= quota[gi] && gi + 1 < grids {
            gi += 1;
            in_grid = 0;
            grid = new_grid(b, layout, vi, gi, grids);
        }
        let grid_id = layout.grids[grid].id.clone();
        let mg = b.add(
            Some(&grid_id),
            AreaLevel::MicroGrid,
            format!("{place}自然村"),
            Some(true),
        );
        layout.grids[grid].micro_grids.push(mg.clone());
        let here = jitter(rng, centre, 0.02);
        for number in 1..=size {
            layout.slots.push(Slot {
                village_id: village_id.clone(),
                grid_id: grid_id.clone(),
                micro_grid_id: mg.clone(),
                rural: true,
                address: address::rural_address(&place, number),
                gps: gps(jitter(rng, here, 0.0015)),
            });
            in_grid += 1;
        }
    }
}
