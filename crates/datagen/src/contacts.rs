//! Contact logs (三联系 / 党员联户): exactly `config.contacts` logs, each fulfilling one
//! contact assignment.
//!
//! The mix: party members with their linked households (about two thirds), grid workers
//! with households (phone check-ins between visits), grid heads with their workers, and
//! township cadres with their grids. Household-targeted logs go into the household
//! document; the others into the grid's journal.

use std::collections::BTreeMap;

use gridwalk_core::doc::household::{ContactMode, Relation};
use gridwalk_core::reference::{ContactAssignment, ContactKind, ContactTarget};
use rand_chacha::ChaCha8Rng;

use crate::area::Layout;
use crate::config::Config;
use crate::model::{ContactRec, Household};
use crate::notes;
use crate::sampling::{Ids, Weighted, apportion, one_of};
use crate::staff::Staff;
use crate::visits::visit_time;

/// Share of each kind of contact log.
const MIX: [(ContactKind, f64); 4] = [
    (ContactKind::PartyMemberHousehold, 65.0),
    (ContactKind::WorkerHousehold, 15.0),
    (ContactKind::HeadWorker, 12.0),
    (ContactKind::CadreGrid, 8.0),
];

/// Generates the contact logs, in time order.
pub fn generate(
    cfg: &Config,
    layout: &Layout,
    staff: &Staff,
    assignments: &[ContactAssignment],
    households: &[Household],
    rng: &mut ChaCha8Rng,
    ids: &mut Ids,
) -> Vec<ContactRec> {
    let by_kind: Vec<Vec<&ContactAssignment>> = MIX
        .iter()
        .map(|(k, _)| assignments.iter().filter(|a| a.kind == *k).collect())
        .collect();
    // Kinds with no assignment (no party members in a tiny set) give their share away.
    let weights: Vec<f64> = MIX
        .iter()
        .zip(&by_kind)
        .map(|((_, w), list)| if list.is_empty() { 0.0 } else { *w })
        .collect();
    let counts = apportion(cfg.contacts, &weights);
    let households: BTreeMap<&str, &Household> =
        households.iter().map(|h| (h.id.as_str(), h)).collect();
    let users: BTreeMap<&str, usize> = staff
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    let grids: BTreeMap<&str, &str> = layout
        .grids
        .iter()
        .map(|g| (g.id.as_str(), g.name.as_str()))
        .collect();
    let worker_grid: BTreeMap<&str, &str> = layout
        .grids
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            (
                staff.users[staff.worker_of_grid[gi]].id.as_str(),
                g.id.as_str(),
            )
        })
        .collect();
    let mut out = Vec::with_capacity(cfg.contacts);
    for ((kind, _), (list, n)) in MIX.iter().zip(by_kind.iter().zip(counts)) {
        for _ in 0..n {
            let a = *one_of(rng, list);
            let at = visit_time(rng, cfg);
            let user = &staff.users[users[a.contactor_user.as_str()]];
            let (in_person, phone) = match kind {
                ContactKind::PartyMemberHousehold => (60.0, 35.0),
                ContactKind::WorkerHousehold => (20.0, 70.0),
                ContactKind::HeadWorker => (80.0, 15.0),
                ContactKind::CadreGrid => (90.0, 8.0),
            };
            let mode = *Weighted::new([
                (ContactMode::InPerson, in_person),
                (ContactMode::Phone, phone),
                (ContactMode::Video, 100.0 - in_person - phone),
            ])
            .pick(rng);
            let (grid_id, note) = match &a.target {
                ContactTarget::Household(h) => {
                    let hh = households[h.as_str()];
                    let head = hh
                        .members
                        .iter()
                        .find(|m| m.relation == Relation::Head)
                        .or(hh.members.first())
                        .map_or("户主", |m| m.name.as_str());
                    let note = notes::household_contact(rng, head, mode != ContactMode::InPerson);
                    (hh.grid_id.clone(), note)
                }
                ContactTarget::User(w) => {
                    let worker = &staff.users[users[w.as_str()]];
                    let grid = worker_grid
                        .get(w.as_str())
                        .copied()
                        .unwrap_or(&worker.area_id);
                    (grid.to_string(), notes::head_worker(rng, &worker.name))
                }
                ContactTarget::Grid(g)
                | ContactTarget::MicroGrid(g)
                | ContactTarget::Village(g) => {
                    let name = grids.get(g.as_str()).copied().unwrap_or("网格");
                    (g.clone(), notes::cadre_grid(rng, name))
                }
            };
            out.push(ContactRec {
                id: ids.uuid(at),
                assignment_id: a.id.clone(),
                kind: *kind,
                contactor_user: user.id.clone(),
                role: user.role,
                device: user.device.clone(),
                at,
                hlc: String::new(),
                mode,
                note,
                target: a.target.clone(),
                grid_id,
            });
        }
    }
    out.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    out
}
