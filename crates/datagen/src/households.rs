//! Households and their members at the dwelling slots: status, composition, identity
//! documents, phones and tags.
//!
//! Composition follows what grid workers meet: in the countryside many elderly couples
//! and elderly people living alone, grandparents raising left-behind children while the
//! parents work in the cities; in town more nuclear families, singles and rented flats
//! with migrant tenants. Care tags land at plausible rates (elderly alone ≈ 6% of rural
//! households, 低保 ≈ 3%, disability ≈ 5%, left-behind children ≈ 4% of rural
//! households); the special-group tags (社区矫正 ≈ 0.1%, 刑满释放 ≈ 0.3%, 严重精神障碍 ≈
//! 0.4%) go to the household's private tag set only.

use std::collections::BTreeMap;

use gridwalk_core::doc::household::{HouseholdStatus, Relation, TagSpan};
use gridwalk_core::reference::{CareTag, SpecialTag};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::area::Layout;
use crate::config::Config;
use crate::identity::{self, IdProfile};
use crate::model::{Household, Person};
use crate::names::{NameGen, Sex};
use crate::sampling::{Ids, Weighted};
use crate::staff::Staff;

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ElderlyAlone,
    ElderlyCouple,
    LeftBehind,
    Nuclear,
    ThreeGenerations,
    Couple,
    Single,
}

fn kinds(rural: bool) -> Weighted<Kind> {
    use Kind::*;
    if rural {
        Weighted::new([
            (ElderlyAlone, 7.5),
            (ElderlyCouple, 22.0),
            (LeftBehind, 5.0),
            (Nuclear, 22.0),
            (ThreeGenerations, 20.0),
            (Couple, 8.0),
            (Single, 10.0),
        ])
    } else {
        Weighted::new([
            (ElderlyAlone, 4.5),
            (ElderlyCouple, 12.0),
            (LeftBehind, 0.5),
            (Nuclear, 38.0),
            (ThreeGenerations, 14.0),
            (Couple, 14.0),
            (Single, 12.0),
        ])
    }
}

/// A member before ids and times: relation, sex, age, surname rule.
struct Draft {
    relation: Relation,
    sex: Sex,
    age: i64,
    /// Takes the head's surname (children, grandchildren) rather than a drawn one.
    family_name: bool,
}

fn d(relation: Relation, sex: Sex, age: i64, family_name: bool) -> Draft {
    Draft {
        relation,
        sex,
        age: age.max(0),
        family_name,
    }
}

fn other(s: Sex) -> Sex {
    match s {
        Sex::Male => Sex::Female,
        Sex::Female => Sex::Male,
    }
}

fn sex<R: Rng>(rng: &mut R, male: f64) -> Sex {
    if rng.random_bool(male) {
        Sex::Male
    } else {
        Sex::Female
    }
}

fn children<R: Rng>(rng: &mut R, out: &mut Vec<Draft>, rel: Relation, parent_age: i64, n: usize) {
    for _ in 0..n {
        let age = (parent_age - rng.random_range(22..=36)).max(0);
        out.push(d(rel, sex(rng, 0.52), age, true));
    }
}

fn compose<R: Rng>(rng: &mut R, kind: Kind) -> Vec<Draft> {
    use Relation::*;
    let mut m = Vec::new();
    let head_sex = sex(rng, 0.85);
    match kind {
        Kind::ElderlyAlone => m.push(d(Head, sex(rng, 0.35), rng.random_range(65..=96), false)),
        Kind::ElderlyCouple => {
            let age = rng.random_range(60..=90);
            m.push(d(Head, head_sex, age, false));
            m.push(d(
                Spouse,
                other(head_sex),
                age - rng.random_range(-2..=5),
                false,
            ));
        }
        Kind::LeftBehind => {
            let age = rng.random_range(56..=78);
            m.push(d(Head, head_sex, age, false));
            if rng.random_bool(0.8) {
                m.push(d(
                    Spouse,
                    other(head_sex),
                    age - rng.random_range(-2..=4),
                    false,
                ));
            }
            for _ in 0..rng.random_range(1..=2) {
                m.push(d(
                    Grandchild,
                    sex(rng, 0.52),
                    rng.random_range(2..=15),
                    true,
                ));
            }
        }
        Kind::Nuclear => {
            let age = rng.random_range(26..=56);
            m.push(d(Head, head_sex, age, false));
            m.push(d(
                Spouse,
                other(head_sex),
                age - rng.random_range(-2..=4),
                false,
            ));
            let n = *Weighted::new([(1usize, 55.0), (2, 38.0), (3, 7.0)]).pick(rng);
            children(rng, &mut m, Child, age, n);
        }
        Kind::ThreeGenerations => {
            let age = rng.random_range(30..=55);
            if rng.random_bool(0.5) {
                m.push(d(Head, head_sex, age, false));
                m.push(d(
                    Spouse,
                    other(head_sex),
                    age - rng.random_range(-2..=4),
                    false,
                ));
                let old = age + rng.random_range(24..=34);
                m.push(d(Parent, Sex::Female, old - rng.random_range(0..=3), false));
                if rng.random_bool(0.55) {
                    m.push(d(Parent, Sex::Male, old, false));
                }
                let n = rng.random_range(1..=2);
                children(rng, &mut m, Child, age, n);
            } else {
                let old = age + rng.random_range(24..=34);
                m.push(d(Head, Sex::Male, old, false));
                if rng.random_bool(0.7) {
                    m.push(d(Spouse, Sex::Female, old - rng.random_range(0..=4), false));
                }
                m.push(d(Child, Sex::Male, age, true));
                m.push(d(
                    ChildInLaw,
                    Sex::Female,
                    age - rng.random_range(0..=4),
                    false,
                ));
                let n = rng.random_range(1..=2);
                children(rng, &mut m, Grandchild, age, n);
            }
        }
        Kind::Couple => {
            let age = rng.random_range(24..=62);
            m.push(d(Head, head_sex, age, false));
            m.push(d(
                Spouse,
                other(head_sex),
                age - rng.random_range(-2..=4),
                false,
            ));
        }
        Kind::Single => m.push(d(Head, sex(rng, 0.6), rng.random_range(22..=64), false)),
    }
    m
}

fn tenants<R: Rng>(rng: &mut R) -> Vec<Draft> {
    let n = *Weighted::new([(1usize, 40.0), (2, 35.0), (3, 18.0), (4, 7.0)]).pick(rng);
    let age = rng.random_range(20..=50);
    let mut m = vec![d(Relation::Tenant, sex(rng, 0.6), age, false)];
    for i in 1..n {
        if i == 2 && age >= 30 {
            m.push(d(
                Relation::Tenant,
                sex(rng, 0.5),
                rng.random_range(3..=14),
                true,
            ));
        } else {
            m.push(d(
                Relation::Tenant,
                sex(rng, 0.5),
                age + rng.random_range(-5..=5),
                false,
            ));
        }
    }
    m
}

fn day(ts: i64) -> String {
    gridwalk_core::Timestamp(ts)
        .shanghai_date()
        .format("%Y-%m-%d")
        .to_string()
}

fn span(from: i64, to: Option<String>) -> TagSpan {
    TagSpan {
        valid_from: Some(day(from)),
        valid_to: to,
    }
}

/// Shanghai midnight (UTC ms) of the day `days_ago` days before the day of `end`.
pub fn day_start(end: i64, days_ago: i64) -> i64 {
    let local = end + 8 * 3_600_000;
    local - local.rem_euclid(DAY_MS) - 8 * 3_600_000 - days_ago * DAY_MS
}

/// A working-hours time (08:30–17:30 Shanghai) on a day `days_ago` days before `end`.
pub fn work_time<R: Rng>(rng: &mut R, end: i64, days_ago: i64) -> i64 {
    day_start(end, days_ago) + rng.random_range(30_600_000..63_000_000)
}

/// Shared inputs for filling slots with households.
pub struct HouseholdGen<'a> {
    /// Config.
    pub cfg: &'a Config,
    /// The tree and slots.
    pub layout: &'a Layout,
    /// The staff (grid workers register the households).
    pub staff: &'a Staff,
    /// Names.
    pub names: &'a NameGen,
}

/// A new person, for households and for births and tenants found on visits later.
pub struct NewPerson<'a> {
    /// The household.
    pub household_id: &'a str,
    /// Relation.
    pub relation: Relation,
    /// Sex.
    pub sex: Sex,
    /// Birth year.
    pub birth_year: i64,
    /// Name.
    pub name: String,
    /// A migrant (for the ID region).
    pub migrant: bool,
    /// Added when, by whom, from where.
    pub at: i64,
    /// Adding user.
    pub by: &'a str,
    /// Adding device.
    pub device: &'a str,
}

/// Makes a person record with a document and phone fitting their age.
pub fn person(cfg: &Config, rng: &mut ChaCha8Rng, ids: &mut Ids, p: NewPerson) -> Person {
    let id = identity::identity_for(
        rng,
        &IdProfile {
            birth_year: p.birth_year,
            sex: p.sex,
            base_year: cfg.base_year(),
            local_region: cfg.county.code,
            migrant: p.migrant,
        },
    );
    let age = cfg.base_year() - p.birth_year;
    Person {
        id: ids.uuid(p.at),
        household_id: p.household_id.to_string(),
        name: p.name,
        sex: p.sex,
        relation: p.relation,
        birth_year: Some(p.birth_year),
        id_kind: id.as_ref().map(|i| i.0),
        id_number: id.map(|i| i.1),
        phone: identity::phone_for(rng, age, cfg.county.landline_digit),
        created_at: p.at,
        created_by: p.by.to_string(),
        device: p.device.to_string(),
        hlc: String::new(),
        deleted_at: None,
        deleted_by: None,
        deleted_device: None,
        deleted_hlc: None,
    }
}

impl HouseholdGen<'_> {
    /// Fills every slot with a household.
    pub fn generate(&self, rng: &mut ChaCha8Rng, ids: &mut Ids) -> Vec<Household> {
        let grid_index: BTreeMap<&str, usize> = self
            .layout
            .grids
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.as_str(), i))
            .collect();
        let start = self.cfg.history_start().0;
        let mut out = Vec::with_capacity(self.layout.slots.len());
        for slot in &self.layout.slots {
            let worker =
                &self.staff.users[self.staff.worker_of_grid[grid_index[slot.grid_id.as_str()]]];
            let days_ago = rng.random_range(5..120);
            let created_at = work_time(rng, start, days_ago);
            let id = ids.uuid(created_at);
            let status = if slot.rural {
                *Weighted::new([
                    (HouseholdStatus::Occupied, 85.0),
                    (HouseholdStatus::Empty, 14.0),
                    (HouseholdStatus::Rented, 1.0),
                ])
                .pick(rng)
            } else {
                *Weighted::new([
                    (HouseholdStatus::Occupied, 78.0),
                    (HouseholdStatus::Empty, 7.0),
                    (HouseholdStatus::Rented, 15.0),
                ])
                .pick(rng)
            };
            let kind = *kinds(slot.rural).pick(rng);
            let drafts = match status {
                HouseholdStatus::Occupied => compose(rng, kind),
                HouseholdStatus::Rented => tenants(rng),
                HouseholdStatus::Empty if rng.random_bool(0.5) => {
                    vec![d(
                        Relation::Head,
                        sex(rng, 0.7),
                        rng.random_range(30..=80),
                        false,
                    )]
                }
                HouseholdStatus::Empty => Vec::new(),
            };
            let migrant = status == HouseholdStatus::Rented && rng.random_bool(0.7);
            let family = self.names.surname(rng);
            let mut members = Vec::with_capacity(drafts.len());
            for (i, m) in drafts.iter().enumerate() {
                let birth_year = self.cfg.base_year() - m.age;
                let name = if m.family_name || (i == 0 && m.relation == Relation::Head) {
                    self.names.with_surname(rng, family, birth_year, m.sex)
                } else {
                    self.names.full(rng, birth_year, m.sex)
                };
                members.push(person(
                    self.cfg,
                    rng,
                    ids,
                    NewPerson {
                        household_id: &id,
                        relation: m.relation,
                        sex: m.sex,
                        birth_year,
                        name,
                        migrant,
                        at: created_at + 1_000 * (i as i64 + 1) * 40,
                        by: &worker.id,
                        device: &worker.device,
                    },
                ));
            }
            let mut h = Household {
                id,
                grid_id: slot.grid_id.clone(),
                micro_grid_id: slot.micro_grid_id.clone(),
                village_id: slot.village_id.clone(),
                rural: slot.rural,
                address: slot.address.clone(),
                status,
                tags: BTreeMap::new(),
                special_tags: BTreeMap::new(),
                gps: slot.gps,
                created_by: worker.id.clone(),
                device: worker.device.clone(),
                created_at,
                hlc: String::new(),
                members,
            };
            self.tag(rng, &mut h, kind);
            out.push(h);
        }
        out
    }

    fn tag(&self, rng: &mut ChaCha8Rng, h: &mut Household, kind: Kind) {
        if h.members.is_empty() || h.status == HouseholdStatus::Empty {
            return;
        }
        let year_end = format!("{}-12-31", self.cfg.base_year());
        let since = |rng: &mut ChaCha8Rng| h.created_at - rng.random_range(30..1500) * DAY_MS;
        let oldest = h
            .members
            .iter()
            .filter_map(|m| m.birth_year)
            .map(|y| self.cfg.base_year() - y)
            .max()
            .unwrap_or(0);
        let mut care = Vec::new();
        let alone = kind == Kind::ElderlyAlone && h.status == HouseholdStatus::Occupied;
        if alone {
            care.push((CareTag::ElderlyAlone, None));
        }
        if oldest >= 80 {
            care.push((CareTag::VeryOld, None));
        }
        if rng.random_bool(if oldest >= 70 { 0.08 } else { 0.04 }) {
            care.push((CareTag::Disabled, None));
        }
        let poor = match (h.rural, alone) {
            (_, true) => 0.12,
            (true, false) => 0.03,
            (false, false) => 0.018,
        };
        if rng.random_bool(poor) {
            care.push((CareTag::MinimumIncome, Some(year_end.clone())));
        } else if rng.random_bool(if alone { 0.06 } else { 0.002 }) {
            care.push((CareTag::ExtremePoverty, Some(year_end.clone())));
        }
        if kind == Kind::LeftBehind && h.status == HouseholdStatus::Occupied {
            care.push((CareTag::LeftBehindChild, None));
        }
        for (tag, to) in care {
            let from = since(rng);
            h.tags.insert(tag.code().to_string(), span(from, to));
        }
        let adult = oldest >= 18;
        let special = [
            (SpecialTag::CommunityCorrection, 0.001),
            (SpecialTag::ReleasedPrisoner, 0.003),
            (SpecialTag::SevereMentalIllness, 0.004),
        ];
        for (tag, p) in special {
            if adult && rng.random_bool(p) {
                let from = since(rng);
                let to = (tag == SpecialTag::CommunityCorrection)
                    .then(|| day(self.cfg.now().0 + rng.random_range(30..400) * DAY_MS));
                h.special_tags
                    .insert(tag.code().to_string(), span(from, to));
            }
        }
    }
}
