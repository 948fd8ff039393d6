//! People who work the grids: users of all eight roles, their devices, the handling
//! units of the four platforms, and the 三联系 / 党员联户 contact assignments.
//!
//! Staffing: one full-time worker per grid, one grid head per village or community
//! (holding all its grids), one part-time worker (微网格长) per micro-grid, party members
//! linked to 5–10 households each and covering about 70% of occupied households, two
//! supervisors and a dispatcher per township, one user per handling unit, one admin.

use std::collections::BTreeMap;

use gridwalk_core::reference::{
    ContactAssignment, ContactKind, ContactTarget, HandlingUnit, Platform, Role,
};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::area::Layout;
use crate::config::Config;
use crate::identity;
use crate::model::{Device, Household, User};
use crate::names::{NameGen, Sex};
use crate::sampling::Ids;

/// Share of occupied households linked to a party member.
pub const PARTY_COVERAGE: f64 = 0.7;

/// Users, devices and units, with indexes by area.
#[derive(Debug, Clone)]
pub struct Staff {
    /// Users.
    pub users: Vec<User>,
    /// Devices; the first is the server process.
    pub devices: Vec<Device>,
    /// Actor bytes by device id.
    pub actors: BTreeMap<String, [u8; 16]>,
    /// Handling units.
    pub units: Vec<HandlingUnit>,
    /// Grid worker (user index) by grid index.
    pub worker_of_grid: Vec<usize>,
    /// Grid head (user index) by village index.
    pub head_of_village: Vec<usize>,
    /// Part-time worker (user index) by micro-grid id.
    pub part_timer_of: BTreeMap<String, usize>,
    /// Party members (user indexes) by grid index.
    pub party_of_grid: Vec<Vec<usize>>,
    /// Supervisors (user indexes) by township index.
    pub supervisors: Vec<Vec<usize>>,
    /// Dispatcher (user index) by township index.
    pub dispatcher: Vec<usize>,
    /// Unit user (user index) by unit id.
    pub unit_user: BTreeMap<String, usize>,
}

struct Hire<'a> {
    rng: &'a mut ChaCha8Rng,
    ids: &'a mut Ids,
    names: &'a NameGen,
    at: i64,
    base_year: i64,
    server: String,
    staff: Staff,
}

impl Hire<'_> {
    fn device(&mut self, user: Option<&str>) -> String {
        let id = self.ids.uuid(self.at);
        let actor = self.ids.actor_bytes();
        self.staff.devices.push(Device {
            id: id.clone(),
            user_id: user.map(str::to_string),
            actor: actor.iter().map(|b| format!("{b:02x}")).collect(),
        });
        self.staff.actors.insert(id.clone(), actor);
        id
    }

    fn user(&mut self, role: Role, area_id: &str, unit_id: Option<String>) -> usize {
        let id = self.ids.uuid(self.at);
        let birth_year = self.base_year - self.rng.random_range(24..=58);
        let sex = if self.rng.random_bool(0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let name = self.names.full(self.rng, birth_year, sex);
        let device = if matches!(
            role,
            Role::GridWorker | Role::PartTimeWorker | Role::PartyMember | Role::GridHead
        ) {
            self.device(Some(&id))
        } else {
            self.server.clone()
        };
        self.staff.users.push(User {
            id,
            name,
            role,
            area_id: area_id.to_string(),
            unit_id,
            phone: identity::mobile(self.rng),
            device,
        });
        self.staff.users.len() - 1
    }
}

/// Short township name for unit names: 万象街道 → 万象, 老竹畲族镇 → 老竹.
fn short(name: &str) -> String {
    let mut s = name.to_string();
    for suffix in ["街道", "畲族镇", "畲族乡", "镇", "乡"] {
        if let Some(t) = s.strip_suffix(suffix) {
            s = t.to_string();
            break;
        }
    }
    s
}

/// Hires everyone. `households_per_grid` sizes the party-member pool.
pub fn hire(
    cfg: &Config,
    layout: &Layout,
    households_per_grid: &[usize],
    rng: &mut ChaCha8Rng,
    ids: &mut Ids,
    names: &NameGen,
) -> Staff {
    let at = cfg.setup_time().0;
    let mut h = Hire {
        rng,
        ids,
        names,
        at,
        base_year: cfg.base_year(),
        server: String::new(),
        staff: Staff {
            users: Vec::new(),
            devices: Vec::new(),
            actors: BTreeMap::new(),
            units: Vec::new(),
            worker_of_grid: Vec::new(),
            head_of_village: Vec::new(),
            part_timer_of: BTreeMap::new(),
            party_of_grid: Vec::new(),
            supervisors: Vec::new(),
            dispatcher: Vec::new(),
            unit_user: BTreeMap::new(),
        },
    };
    h.server = h.device(None);
    h.user(Role::Admin, &layout.county_id, None);
    let county = cfg.county.name;
    let county_units = [
        (Platform::Comprehensive, format!("{county}公安分局")),
        (Platform::Market, format!("{county}市场监督管理局")),
        (Platform::LawEnforcement, format!("{county}综合行政执法局")),
        (Platform::PublicService, format!("{county}民政局")),
    ];
    for (platform, name) in county_units {
        let id = h.ids.uuid(at);
        h.staff.units.push(HandlingUnit {
            id: id.clone(),
            name,
            platform,
            township_id: None,
        });
        let u = h.user(Role::HandlingUnit, &layout.county_id, Some(id.clone()));
        h.staff.unit_user.insert(id, u);
    }
    for t in &layout.townships {
        let s = short(&t.name);
        let units = [
            (Platform::Comprehensive, format!("{s}综治中心")),
            (Platform::Comprehensive, format!("{s}派出所")),
            (Platform::Market, format!("{s}市场监管所")),
            (Platform::LawEnforcement, format!("{s}综合行政执法中队")),
            (Platform::PublicService, format!("{}便民服务中心", t.name)),
        ];
        for (platform, name) in units {
            let id = h.ids.uuid(at);
            h.staff.units.push(HandlingUnit {
                id: id.clone(),
                name,
                platform,
                township_id: Some(t.id.clone()),
            });
            let u = h.user(Role::HandlingUnit, &t.id, Some(id.clone()));
            h.staff.unit_user.insert(id, u);
        }
        let sup = vec![
            h.user(Role::TownshipSupervisor, &t.id, None),
            h.user(Role::TownshipSupervisor, &t.id, None),
        ];
        h.staff.supervisors.push(sup);
        let d = h.user(Role::Dispatcher, &t.id, None);
        h.staff.dispatcher.push(d);
    }
    for v in &layout.villages {
        let u = h.user(Role::GridHead, &v.id, None);
        h.staff.head_of_village.push(u);
    }
    for (gi, g) in layout.grids.iter().enumerate() {
        let w = h.user(Role::GridWorker, &g.id, None);
        h.staff.worker_of_grid.push(w);
        for mg in &g.micro_grids {
            let p = h.user(Role::PartTimeWorker, mg, None);
            h.staff.part_timer_of.insert(mg.clone(), p);
        }
        let n = households_per_grid.get(gi).copied().unwrap_or(0);
        let members = ((n as f64 * PARTY_COVERAGE) / 7.5).ceil() as usize;
        let pm = (0..members)
            .map(|_| h.user(Role::PartyMember, &g.id, None))
            .collect();
        h.staff.party_of_grid.push(pm);
    }
    h.staff
}

/// The contact assignments: township cadre → grid, grid head → grid worker, grid worker
/// → every household of the grid, party member → 5–10 occupied households of its grid.
pub fn assignments(
    cfg: &Config,
    layout: &Layout,
    staff: &Staff,
    households: &[Household],
    rng: &mut ChaCha8Rng,
    ids: &mut Ids,
) -> Vec<ContactAssignment> {
    let at = cfg.setup_time();
    let from = at.shanghai_date();
    let mut out = Vec::new();
    let mut push = |ids: &mut Ids, kind, user: usize, target, every_days| {
        let u = &staff.users[user];
        out.push(ContactAssignment {
            id: ids.uuid(at.0),
            kind,
            contactor_user: u.id.clone(),
            contactor_role: u.role,
            target,
            every_days,
            valid_from: from,
            valid_to: None,
        });
    };
    for (gi, g) in layout.grids.iter().enumerate() {
        let village = &layout.villages[g.village];
        let sups = &staff.supervisors[village.township];
        let sup = sups[gi % sups.len()];
        push(
            ids,
            ContactKind::CadreGrid,
            sup,
            ContactTarget::Grid(g.id.clone()),
            30,
        );
        let worker = staff.worker_of_grid[gi];
        let head = staff.head_of_village[g.village];
        let worker_id = staff.users[worker].id.clone();
        push(
            ids,
            ContactKind::HeadWorker,
            head,
            ContactTarget::User(worker_id),
            14,
        );
    }
    let grid_index: BTreeMap<&str, usize> = layout
        .grids
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let mut occupied: Vec<Vec<&Household>> = vec![Vec::new(); layout.grids.len()];
    for hh in households {
        let gi = grid_index[hh.grid_id.as_str()];
        push(
            ids,
            ContactKind::WorkerHousehold,
            staff.worker_of_grid[gi],
            ContactTarget::Household(hh.id.clone()),
            90,
        );
        if hh.status.is_occupied() {
            occupied[gi].push(hh);
        }
    }
    for (gi, list) in occupied.iter_mut().enumerate() {
        // Party members take neighbouring households: shuffle runs of the list, not the
        // whole grid, so links stay mostly within a building or natural village.
        let mut order: Vec<usize> = (0..list.len()).collect();
        for chunk in order.chunks_mut(24) {
            chunk.shuffle(rng);
        }
        let mut next = order.into_iter();
        for &pm in &staff.party_of_grid[gi] {
            let k = rng.random_range(5..=10);
            for _ in 0..k {
                let Some(i) = next.next() else { break };
                push(
                    ids,
                    ContactKind::PartyMemberHousehold,
                    pm,
                    ContactTarget::Household(list[i].id.clone()),
                    30,
                );
            }
        }
    }
    out
}
