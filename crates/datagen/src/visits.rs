//! Visit histories (走访): who visited which household when, how, and what they wrote.
//!
//! Exactly `config.visits` visits are spread over the households by weight (key groups
//! are visited far more often than ordinary households, empty ones rarely), then each
//! household's visits are written in time order so that the members met are the members
//! living there that day. Grid workers' in-person visits sometimes record a household
//! change (a birth, a death, a move, a new tenant), which adds or soft-deletes a member
//! at that moment. Needs noted or turned into 代办 requests are added here; needs that
//! become incidents are attached by [`crate::incidents`].

use std::collections::BTreeMap;

use chrono::{Datelike, Timelike, Weekday};
use gridwalk_core::Timestamp;
use gridwalk_core::doc::Gps;
use gridwalk_core::doc::household::{
    Campaign, ContactMode, HouseholdStatus, NeedOutcome, Observation, ObservationKind, Relation,
    VisitKind,
};
use gridwalk_core::reference::{CareTag, ContactAssignment, ContactKind, ContactTarget, Role};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::area::Layout;
use crate::config::Config;
use crate::households::{NewPerson, day_start, person, work_time};
use crate::model::{Household, NeedRec, Person, VisitRec};
use crate::names::{NameGen, Sex};
use crate::notes::{self, VisitNote};
use crate::sampling::{Ids, Weighted};
use crate::staff::Staff;

const DAY_MS: i64 = 86_400_000;

/// How often a household is visited relative to an ordinary occupied one.
fn weight(h: &Household) -> f64 {
    let mut w = match h.status {
        HouseholdStatus::Occupied => 1.0,
        HouseholdStatus::Rented => 0.8,
        HouseholdStatus::Empty => 0.25,
    };
    if !h.tags.is_empty() {
        w += 2.0;
    }
    if h.tags.contains_key(CareTag::ElderlyAlone.code()) {
        w += 3.0;
    }
    if !h.special_tags.is_empty() {
        w += 3.0;
    }
    w
}

/// A random visit time: mostly working hours on working days, some evenings.
pub fn visit_time<R: Rng>(rng: &mut R, cfg: &Config) -> i64 {
    time_within(rng, cfg, cfg.history_days)
}

/// Like [`visit_time`], within the last `days` days.
pub fn time_within<R: Rng>(rng: &mut R, cfg: &Config, days: i64) -> i64 {
    let now = cfg.now().0;
    loop {
        let days_ago = rng.random_range(0..days.max(1));
        let t = if days_ago > 0 && rng.random_bool(0.12) {
            // Evenings, for families who work during the day: 18:00–20:30.
            day_start(now, days_ago) + rng.random_range(64_800_000..73_800_000)
        } else {
            work_time(rng, now, days_ago)
        };
        let weekend = matches!(
            Timestamp(t).shanghai_date().weekday(),
            Weekday::Sat | Weekday::Sun
        );
        if t <= now && (!weekend || rng.random_bool(0.2)) {
            return t;
        }
    }
}

fn campaign_for<R: Rng>(rng: &mut R, at: i64) -> Campaign {
    let month = Timestamp(at).shanghai_date().month();
    let winter = matches!(month, 11 | 12 | 1 | 2 | 3);
    let flood = (5..=9).contains(&month);
    let spring = (3..=6).contains(&month);
    *Weighted::new([
        (Campaign::Fire, if winter { 4.0 } else { 1.0 }),
        (Campaign::Gas, if winter { 3.0 } else { 0.8 }),
        (Campaign::DangerousHouse, if spring { 3.0 } else { 0.6 }),
        (Campaign::GarbageSorting, 1.5),
        (Campaign::Flood, if flood { 5.0 } else { 0.2 }),
    ])
    .pick(rng)
}

fn live_at(h: &Household, t: i64) -> Vec<usize> {
    h.members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.created_at <= t && m.deleted_at.is_none_or(|d| d > t))
        .map(|(i, _)| i)
        .collect()
}

fn age(cfg: &Config, m: &Person) -> i64 {
    cfg.base_year() - m.birth_year.unwrap_or(cfg.base_year())
}

/// Everything visit generation reads.
pub struct VisitGen<'a> {
    /// Config.
    pub cfg: &'a Config,
    /// Tree.
    pub layout: &'a Layout,
    /// Staff.
    pub staff: &'a Staff,
    /// Assignments (for party members' links).
    pub assignments: &'a [ContactAssignment],
    /// Names, for newborns and new tenants.
    pub names: &'a NameGen,
}

struct Visitor {
    user: String,
    role: Role,
    device: String,
}

impl VisitGen<'_> {
    /// Generates exactly `cfg.visits` visits, adding and soft-deleting members for the
    /// household changes they observe. Returns the visits in time order.
    pub fn generate(
        &self,
        households: &mut [Household],
        rng: &mut ChaCha8Rng,
        ids: &mut Ids,
    ) -> Vec<VisitRec> {
        let mut counts = vec![0usize; households.len()];
        if !households.is_empty() {
            let table = Weighted::new(households.iter().enumerate().map(|(i, h)| (i, weight(h))));
            for _ in 0..self.cfg.visits {
                counts[table.pick_index(rng)] += 1;
            }
        }
        let party: BTreeMap<&str, &str> = self
            .assignments
            .iter()
            .filter(|a| a.kind == ContactKind::PartyMemberHousehold)
            .filter_map(|a| match &a.target {
                ContactTarget::Household(h) => Some((h.as_str(), a.contactor_user.as_str())),
                _ => None,
            })
            .collect();
        let users: BTreeMap<&str, usize> = self
            .staff
            .users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.as_str(), i))
            .collect();
        let grid_index: BTreeMap<&str, usize> = self
            .layout
            .grids
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.as_str(), i))
            .collect();
        let mut out = Vec::with_capacity(self.cfg.visits);
        for (hi, h) in households.iter_mut().enumerate() {
            let mut times: Vec<i64> = (0..counts[hi]).map(|_| visit_time(rng, self.cfg)).collect();
            times.sort_unstable();
            let gi = grid_index[h.grid_id.as_str()];
            for at in times {
                let roll: f64 = rng.random();
                let pick = |i: usize| {
                    let u = &self.staff.users[i];
                    Visitor {
                        user: u.id.clone(),
                        role: u.role,
                        device: u.device.clone(),
                    }
                };
                let visitor = if roll < 0.07 {
                    pick(self.staff.head_of_village[self.layout.grids[gi].village])
                } else if roll < 0.17 && self.staff.part_timer_of.contains_key(&h.micro_grid_id) {
                    pick(self.staff.part_timer_of[&h.micro_grid_id])
                } else if roll < 0.22 && party.contains_key(h.id.as_str()) {
                    pick(users[party[h.id.as_str()]])
                } else {
                    pick(self.staff.worker_of_grid[gi])
                };
                let v = self.visit(rng, ids, h, at, visitor);
                out.push(v);
            }
        }
        out.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        out
    }

    fn visit(
        &self,
        rng: &mut ChaCha8Rng,
        ids: &mut Ids,
        h: &mut Household,
        at: i64,
        visitor: Visitor,
    ) -> VisitRec {
        let live = live_at(h, at);
        let empty = h.status == HouseholdStatus::Empty || live.is_empty();
        let alone = h.tags.contains_key(CareTag::ElderlyAlone.code());
        let mode = if empty {
            ContactMode::InPerson
        } else {
            *Weighted::new([
                (ContactMode::InPerson, if alone { 65.0 } else { 85.0 }),
                (ContactMode::Phone, if alone { 30.0 } else { 12.0 }),
                (ContactMode::Video, if alone { 5.0 } else { 3.0 }),
            ])
            .pick(rng)
        };
        let met: Vec<usize> = if mode == ContactMode::InPerson {
            let mut met = live.clone();
            met.shuffle(rng);
            let keep = if !empty && rng.random_bool(0.06) {
                0
            } else {
                rng.random_range(1..=3)
            };
            met.truncate(keep);
            met
        } else {
            // A call reaches the first adult on the household list who has a phone.
            let adult =
                |i: &&usize| h.members[**i].phone.is_some() && age(self.cfg, &h.members[**i]) >= 18;
            live.iter()
                .find(adult)
                .or(live.first())
                .into_iter()
                .copied()
                .collect()
        };
        let care = h.tags.keys().find_map(|c| CareTag::from_code(c));
        let key_group = (care.is_some() || !h.special_tags.is_empty()) && rng.random_bool(0.55);
        let campaign = (!key_group && mode == ContactMode::InPerson && rng.random_bool(0.18))
            .then(|| campaign_for(rng, at));
        let kind = match (key_group, campaign) {
            (true, _) => VisitKind::KeyGroupCare,
            (false, Some(_)) => VisitKind::Campaign,
            _ => VisitKind::Routine,
        };
        let id = ids.uuid(at);
        let mut observations = Vec::new();
        let field_worker = matches!(visitor.role, Role::GridWorker | Role::GridHead);
        if field_worker
            && mode == ContactMode::InPerson
            && !empty
            && rng.random_bool(0.03)
            && let Some(o) = self.observe(rng, ids, h, &live, at, &visitor)
        {
            observations.push(o);
        }
        let mut needs = Vec::new();
        let mut service = String::new();
        if !empty && rng.random_bool(0.1) {
            let proxy = rng.random_bool(0.4);
            let (text, given) = notes::need(rng, proxy);
            needs.push(NeedRec {
                id: ids.uuid(at),
                text,
                outcome: if proxy {
                    NeedOutcome::Proxy
                } else {
                    NeedOutcome::Noted
                },
                incident_id: None,
            });
            service = given;
        }
        let hour = Timestamp(at).to_shanghai().hour();
        let head = live.first().map(|&i| h.members[i].name.as_str());
        let note = notes::visit_note(
            rng,
            &VisitNote {
                part_of_day: notes::part_of_day(hour),
                head,
                met: met.iter().map(|&i| h.members[i].name.as_str()).collect(),
                remote: match mode {
                    ContactMode::Phone => Some("电话"),
                    ContactMode::Video => Some("视频"),
                    ContactMode::InPerson => None,
                },
                care: if kind == VisitKind::KeyGroupCare {
                    Some(care)
                } else {
                    None
                },
                campaign,
                empty,
            },
        );
        let gps = (mode == ContactMode::InPerson && rng.random_bool(0.75)).then(|| Gps {
            lat: ((h.gps.lat + rng.random_range(-0.0003..0.0003)) * 1e5).round() / 1e5,
            lng: ((h.gps.lng + rng.random_range(-0.0003..0.0003)) * 1e5).round() / 1e5,
            accuracy_m: Some(f64::from(rng.random_range(5..40u32))),
        });
        let follow_up = rng.random_bool(0.1).then(|| {
            let days = rng.random_range(7..30);
            Timestamp(at + days * DAY_MS)
                .shanghai_date()
                .format("%Y-%m-%d")
                .to_string()
        });
        VisitRec {
            id,
            household_id: h.id.clone(),
            grid_id: h.grid_id.clone(),
            visitor_user: visitor.user,
            visitor_role: visitor.role,
            device: visitor.device,
            at,
            hlc: String::new(),
            mode,
            persons_met: met.iter().map(|&i| h.members[i].id.clone()).collect(),
            kind,
            campaign,
            observations,
            needs,
            service,
            follow_up,
            gps,
            note,
        }
    }

    /// Records a household change, adding or soft-deleting the member concerned one
    /// minute after the visit.
    fn observe(
        &self,
        rng: &mut ChaCha8Rng,
        ids: &mut Ids,
        h: &mut Household,
        live: &[usize],
        at: i64,
        visitor: &Visitor,
    ) -> Option<Observation> {
        let cfg = self.cfg;
        let find =
            |pred: &dyn Fn(&Person) -> bool| live.iter().copied().find(|&i| pred(&h.members[i]));
        let mother = find(&|m| {
            m.sex == Sex::Female
                && (22..=40).contains(&age(cfg, m))
                && matches!(
                    m.relation,
                    Relation::Head | Relation::Spouse | Relation::ChildInLaw
                )
        });
        let dying = find(&|m| age(cfg, m) >= 78);
        let leaving = find(&|m| m.relation == Relation::Child && (18..=35).contains(&age(cfg, m)));
        let mut options = Vec::new();
        if mother.is_some() {
            options.push(ObservationKind::Birth);
        }
        if dying.is_some() {
            options.push(ObservationKind::Death);
        }
        if leaving.is_some() {
            options.push(ObservationKind::MovedOut);
        }
        if h.status == HouseholdStatus::Rented {
            options.push(ObservationKind::NewTenant);
        }
        // A son or daughter's spouse moves in after the wedding: only where an unmarried
        // adult child lives and no in-law does yet.
        let marrying = find(&|m| m.relation == Relation::Child && (22..=38).contains(&age(cfg, m)));
        let has_in_law = live
            .iter()
            .any(|&i| h.members[i].relation == Relation::ChildInLaw);
        if marrying.is_some() && !has_in_law {
            options.push(ObservationKind::MovedIn);
        }
        let kind = *options.get(rng.random_range(0..options.len().max(1)))?;
        let when = at + 60_000;
        let year = i64::from(Timestamp(at).shanghai_date().year());
        let surname = h
            .members
            .iter()
            .find(|m| m.relation == Relation::Head)
            .and_then(|m| crate::names::surname_of(&m.name))
            .map(str::to_string);
        let birth_rel = match mother.map(|i| h.members[i].relation) {
            Some(Relation::ChildInLaw) => Relation::Grandchild,
            _ => Relation::Child,
        };
        let mut add = |rng: &mut ChaCha8Rng, relation, birth_year: i64, migrant| {
            let sex = if rng.random_bool(0.52) {
                Sex::Male
            } else {
                Sex::Female
            };
            let name = match (&surname, relation) {
                (Some(s), Relation::Child | Relation::Grandchild) => {
                    self.names.with_surname(rng, s, birth_year, sex)
                }
                _ => self.names.full(rng, birth_year, sex),
            };
            let p = person(
                cfg,
                rng,
                ids,
                NewPerson {
                    household_id: &h.id,
                    relation,
                    sex,
                    birth_year,
                    name,
                    migrant,
                    at: when,
                    by: &visitor.user,
                    device: &visitor.device,
                },
            );
            let (id, name) = (p.id.clone(), p.name.clone());
            h.members.push(p);
            (id, name)
        };
        let (person_id, note) = match kind {
            ObservationKind::Birth => {
                let (id, name) = add(rng, birth_rel, year, false);
                (
                    id,
                    format!("家中新添一名婴儿{name}，已提醒办理出生登记和新农合参保"),
                )
            }
            ObservationKind::NewTenant => {
                let by = year - rng.random_range(20..=50);
                let migrant = rng.random_bool(0.7);
                let (id, name) = add(rng, Relation::Tenant, by, migrant);
                (id, format!("新租户{name}入住，已登记并告知居住登记要求"))
            }
            ObservationKind::MovedIn => {
                let by = year - rng.random_range(24..=34);
                let (id, name) = add(rng, Relation::ChildInLaw, by, false);
                (id, format!("{name}婚后迁入，与家人同住"))
            }
            ObservationKind::Death | ObservationKind::MovedOut => {
                let i = if kind == ObservationKind::Death {
                    dying
                } else {
                    leaving
                }
                .expect("checked");
                let m = &mut h.members[i];
                m.deleted_at = Some(when);
                m.deleted_by = Some(visitor.user.clone());
                m.deleted_device = Some(visitor.device.clone());
                let note = if kind == ObservationKind::Death {
                    format!("{}已于近日病故，家属已办理后事", m.name)
                } else {
                    format!("{}到杭州工作，已搬离", m.name)
                };
                (m.id.clone(), note)
            }
        };
        Some(Observation {
            id: ids.uuid(at),
            kind,
            person_id: Some(person_id),
            note,
        })
    }
}
