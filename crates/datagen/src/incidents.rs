//! Incidents (事件) and their event logs, walked through core's state machine.
//!
//! About 30% of incidents start as a need raised on a grid worker's visit (the visit's
//! need points at the incident); the rest come from patrols, residents and the
//! 12345/96345 hotlines. Each incident's log is simulated step by step: the 网格自办 path
//! for in-grid categories; report → grid acceptance → township acceptance → routing →
//! signature → progress → feedback → verification → closing → rating for the others,
//! with returns, refusals, delay requests, failed verifications and 督办 at small rates.
//! Every event is checked with `gridwalk_core::incident::machine::check` before it is
//! added, and the simulation stops at the base date, so the state mix (open, in
//! progress, closed, rated …) comes out of the timeline rather than a quota.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use gridwalk_core::doc::household::{ContactMode, NeedOutcome};
use gridwalk_core::doc::incident::{IncidentDoc, NewIncident, Source};
use gridwalk_core::incident::{Effective, machine};
use gridwalk_core::reference::{IncidentCategory, Platform, Role, Urgency};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::area::Layout;
use crate::config::Config;
use crate::incident_flow::{Sim, ctx_for};
use crate::incident_text::{self as text};
use crate::model::{Household, IncidentRec, NeedRec, User, VisitRec};
use crate::sampling::{Ids, Weighted, one_of, one_str};
use crate::staff::Staff;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

/// Share of incidents raised from a visit's need.
pub const FROM_VISITS: f64 = 0.3;

fn category_weight(code: &str) -> f64 {
    match code {
        "safety.dispute" | "enforcement.garbage" | "grid.cleanup" => 10.0,
        "safety.minor_dispute" | "enforcement.fire_hazard" | "service.road_light" => 8.0,
        "grid.reminder" | "service.proxy" | "enforcement.illegal_building" => 6.0,
        "safety.special_group" | "safety.petition" | "market.price" => 1.5,
        _ => 4.0,
    }
}

/// Everything incident generation reads.
pub struct IncidentGen<'a> {
    /// Config.
    pub cfg: &'a Config,
    /// Tree.
    pub layout: &'a Layout,
    /// Staff.
    pub staff: &'a Staff,
    /// Households.
    pub households: &'a [Household],
    /// Category tree.
    pub categories: &'a [IncidentCategory],
}

impl IncidentGen<'_> {
    /// Generates exactly `cfg.incidents` incidents; about 30% hang off visits' needs.
    pub fn generate(
        &self,
        visits: &mut [VisitRec],
        rng: &mut ChaCha8Rng,
        ids: &mut Ids,
    ) -> anyhow::Result<Vec<IncidentRec>> {
        let now = self.cfg.now().0;
        let grid_index: BTreeMap<&str, usize> = self
            .layout
            .grids
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.as_str(), i))
            .collect();
        let households: BTreeMap<&str, &Household> =
            self.households.iter().map(|h| (h.id.as_str(), h)).collect();
        let mut candidates: Vec<usize> = visits
            .iter()
            .enumerate()
            .filter(|(_, v)| {
                matches!(v.visitor_role, Role::GridWorker | Role::GridHead)
                    && v.mode == ContactMode::InPerson
                    && !v.persons_met.is_empty()
                    && v.at < now - 2 * HOUR
            })
            .map(|(i, _)| i)
            .collect();
        candidates.shuffle(rng);
        let from_visits =
            ((self.cfg.incidents as f64 * FROM_VISITS).round() as usize).min(candidates.len());
        candidates.truncate(from_visits);
        candidates.sort_unstable();
        let mut out = Vec::with_capacity(self.cfg.incidents);
        for &vi in &candidates {
            let v = &visits[vi];
            let reporter = self
                .staff
                .users
                .iter()
                .find(|u| u.id == v.visitor_user)
                .context("visitor")?;
            let at = v.at + rng.random_range(10..40) * MIN;
            let h = households[v.household_id.as_str()];
            let inc = self.incident(
                rng,
                ids,
                grid_index[h.grid_id.as_str()],
                reporter,
                Source::Visit,
                Some(h),
                at,
            )?;
            let v = &mut visits[vi];
            v.needs.push(NeedRec {
                id: ids.uuid(v.at),
                text: inc.description.clone(),
                outcome: NeedOutcome::Incident,
                incident_id: Some(inc.id.clone()),
            });
            out.push(inc);
        }
        let grid_weights = Weighted::new(self.layout.grids.iter().enumerate().map(|(i, g)| {
            (
                i,
                self.households.iter().filter(|h| h.grid_id == g.id).count() as f64 + 1.0,
            )
        }));
        let by_grid: Vec<Vec<&Household>> = self
            .layout
            .grids
            .iter()
            .map(|g| {
                self.households
                    .iter()
                    .filter(|h| h.grid_id == g.id)
                    .collect()
            })
            .collect();
        while out.len() < self.cfg.incidents {
            let gi = *grid_weights.pick(rng);
            let source = *Weighted::new([
                (Source::Patrol, 45.0),
                (Source::Resident, 30.0),
                (Source::Hotline12345, 17.0),
                (Source::Hotline96345, 8.0),
            ])
            .pick(rng);
            let role = match source {
                Source::Patrol => *Weighted::new([
                    (Role::GridWorker, 75.0),
                    (Role::GridHead, 10.0),
                    (Role::PartTimeWorker, 15.0),
                ])
                .pick(rng),
                Source::Resident => *Weighted::new([
                    (Role::GridWorker, 50.0),
                    (Role::PartyMember, 30.0),
                    (Role::PartTimeWorker, 20.0),
                ])
                .pick(rng),
                _ => Role::GridWorker,
            };
            let reporter = self.reporter(rng, gi, role);
            let household = (source == Source::Resident || rng.random_bool(0.25))
                .then(|| {
                    by_grid[gi]
                        .get(rng.random_range(0..by_grid[gi].len().max(1)))
                        .copied()
                })
                .flatten();
            // Recent weeks hold more of the open work: a third of the incidents fall in
            // the last 30 days.
            let at = if rng.random_bool(0.33) {
                crate::visits::time_within(rng, self.cfg, 30)
            } else {
                crate::visits::visit_time(rng, self.cfg)
            };
            out.push(self.incident(rng, ids, gi, reporter, source, household, at)?);
        }
        out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(out)
    }

    fn reporter(&self, rng: &mut ChaCha8Rng, gi: usize, role: Role) -> &User {
        let g = &self.layout.grids[gi];
        let s = self.staff;
        let idx = match role {
            Role::GridHead => s.head_of_village[g.village],
            Role::PartTimeWorker if !g.micro_grids.is_empty() => {
                s.part_timer_of[one_of(rng, &g.micro_grids)]
            }
            Role::PartyMember if !s.party_of_grid[gi].is_empty() => {
                *one_of(rng, &s.party_of_grid[gi])
            }
            _ => s.worker_of_grid[gi],
        };
        &s.users[idx]
    }

    #[allow(clippy::too_many_arguments)]
    fn incident(
        &self,
        rng: &mut ChaCha8Rng,
        ids: &mut Ids,
        gi: usize,
        reporter: &User,
        source: Source,
        household: Option<&Household>,
        at: i64,
    ) -> anyhow::Result<IncidentRec> {
        let field_worker = matches!(reporter.role, Role::GridWorker | Role::GridHead);
        let leaves = Weighted::new(
            self.categories
                .iter()
                .filter(|c| c.platform.is_some())
                .filter_map(|c| {
                    let in_grid = c.platform == Some(Platform::InGrid);
                    (field_worker || !in_grid).then_some((c, category_weight(&c.code)))
                }),
        );
        let category = *leaves.pick(rng);
        let platform = category.platform.context("a leaf has a platform")?;
        let urgency = *Weighted::new([
            (Urgency::Normal, 80.0),
            (Urgency::Major, 14.0),
            (Urgency::Serious, 5.0),
            (Urgency::Emergency, 1.0),
        ])
        .pick(rng);
        let village = &self.layout.villages[self.layout.grids[gi].village];
        let place = match household {
            Some(h) if text::has_parties(&category.code) => {
                format!("{}{}", village.name, h.address.display())
            }
            Some(h) => format!("{}{}附近", village.name, h.address.display()),
            None => {
                let g = &self.layout.grids[gi];
                let spot = (!g.micro_grids.is_empty())
                    .then(|| one_of(rng, &g.micro_grids))
                    .and_then(|mg| self.layout.areas.iter().find(|a| &a.id == mg))
                    .map_or("", |a| a.name.as_str());
                format!("{}{spot}", village.name)
            }
        };
        let live: Vec<&str> = household
            .map(|h| {
                h.members
                    .iter()
                    .filter(|m| m.deleted_at.is_none())
                    .map(|m| m.name.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let a = live.first().copied().unwrap_or("一村民");
        let b = if live.len() > 1 && rng.random_bool(0.3) {
            live[1]
        } else {
            one_str(rng, &["邻居", "隔壁住户", "承租人", "楼下住户"])
        };
        let description = text::description(rng, &category.code, a, b, &place);
        let parties = if text::has_parties(&category.code) {
            format!("{a}、{b}")
        } else {
            String::new()
        };
        let gps = household.map(|h| h.gps).or_else(|| {
            self.households
                .iter()
                .find(|h| h.grid_id == self.layout.grids[gi].id)
                .map(|h| h.gps)
        });
        let id = ids.uuid(at);
        let ctx = ctx_for(reporter, at);
        let doc = IncidentDoc::new(
            NewIncident {
                id: id.clone(),
                grid_id: self.layout.grids[gi].id.clone(),
                households: household.map(|h| vec![h.id.clone()]).unwrap_or_default(),
                category: category.code.clone(),
                platform,
                urgency,
                source,
                location: place,
                gps,
                parties,
                description,
            },
            &ctx,
        )?;
        let mut sim = Sim {
            doc,
            eff: Effective::draft(),
            events: Vec::new(),
            t: at,
            now: self.cfg.now().0,
            stopped: false,
            ids,
        };
        if !rng.random_bool(0.01) {
            if platform == Platform::InGrid {
                self.in_grid(rng, &mut sim, gi, reporter, &category.code)?;
            } else {
                self.routed(
                    rng,
                    &mut sim,
                    gi,
                    reporter,
                    &category.code,
                    platform,
                    urgency,
                )?;
            }
        }
        let state = machine::effective(&sim.doc);
        if !state.flagged.is_empty() {
            bail!("incident {id} has flagged events: {:?}", state.flagged);
        }
        let d = sim.doc;
        Ok(IncidentRec {
            id,
            grid_id: d.grid_id,
            households: d.households.value().cloned().unwrap_or_default(),
            category: category.code.clone(),
            platform,
            urgency,
            source,
            location: d.location.value().cloned().unwrap_or_default(),
            gps: d.gps,
            parties: d.parties.value().cloned().unwrap_or_default(),
            description: d.description.value().cloned().unwrap_or_default(),
            reported_by: reporter.id.clone(),
            reporter_role: reporter.role,
            device: reporter.device.clone(),
            created_at: at,
            hlc: String::new(),
            state: state.state.code().to_string(),
            events: sim.events,
        })
    }
}
