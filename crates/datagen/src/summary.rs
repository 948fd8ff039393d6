//! Counts of a dataset per level and type, and a county summary in Chinese.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use gridwalk_core::doc::household::{ContactMode, HouseholdStatus};
use gridwalk_core::incident::State;
use gridwalk_core::incident::machine::ReturnKind;
use gridwalk_core::reference::{AreaLevel, CareTag, Role, SpecialTag};
use serde::Serialize;

use crate::model::Dataset;

/// Counts per level and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// County name.
    pub county: String,
    /// Base date.
    pub base_date: String,
    /// Seed.
    pub seed: u64,
    /// Townships (乡镇/街道).
    pub townships: usize,
    /// Rural villages (村).
    pub villages: usize,
    /// Urban communities (社区).
    pub communities: usize,
    /// Grids.
    pub grids: usize,
    /// Micro-grids.
    pub micro_grids: usize,
    /// Users by role code.
    pub users_by_role: BTreeMap<String, usize>,
    /// Handling units.
    pub units: usize,
    /// Contact assignments.
    pub assignments: usize,
    /// Households.
    pub households: usize,
    /// Households by status code.
    pub households_by_status: BTreeMap<String, usize>,
    /// People living there at the base date (members not soft-deleted).
    pub population: usize,
    /// Member records, including soft-deleted ones.
    pub members: usize,
    /// Members by identity document kind code (`none` for no document).
    pub id_kinds: BTreeMap<String, usize>,
    /// Visits.
    pub visits: usize,
    /// Visits in person.
    pub visits_in_person: usize,
    /// Contact logs.
    pub contacts: usize,
    /// Incidents.
    pub incidents: usize,
    /// Incident events.
    pub incident_events: usize,
    /// Incidents by effective state code.
    pub incidents_by_state: BTreeMap<String, usize>,
    /// Households by care tag code.
    pub care_tags: BTreeMap<String, usize>,
    /// Households by special-group tag code (private documents).
    pub special_tags: BTreeMap<String, usize>,
}

const STATES: [State; 14] = [
    State::Draft,
    State::Reported,
    State::GridAccepted,
    State::Returned(ReturnKind::Grid),
    State::Returned(ReturnKind::Duplicate),
    State::Returned(ReturnKind::Insufficient),
    State::Accepted,
    State::Routed,
    State::InProgress,
    State::DelayRequested,
    State::Handled,
    State::Verified,
    State::Closed,
    State::Rated,
];

fn state_label(code: &str) -> &'static str {
    STATES
        .iter()
        .find(|s| s.code() == code)
        .map_or("未知", |s| s.label_zh())
}

fn status_code(s: HouseholdStatus) -> &'static str {
    match s {
        HouseholdStatus::Occupied => "occupied",
        HouseholdStatus::Empty => "empty",
        HouseholdStatus::Rented => "rented",
    }
}

impl Summary {
    /// Counts a dataset.
    pub fn of(ds: &Dataset) -> Summary {
        let level = |l: AreaLevel| ds.areas.iter().filter(|a| a.level == l).count();
        let mut users_by_role = BTreeMap::new();
        for u in &ds.users {
            *users_by_role.entry(u.role.code().to_string()).or_insert(0) += 1;
        }
        let mut households_by_status = BTreeMap::new();
        let mut care_tags = BTreeMap::new();
        let mut special_tags = BTreeMap::new();
        for h in &ds.households {
            *households_by_status
                .entry(status_code(h.status).to_string())
                .or_insert(0) += 1;
            for t in h.tags.keys() {
                *care_tags.entry(t.clone()).or_insert(0) += 1;
            }
            for t in h.special_tags.keys() {
                *special_tags.entry(t.clone()).or_insert(0) += 1;
            }
        }
        let mut id_kinds = BTreeMap::new();
        for p in ds.people() {
            let k = p.id_kind.map_or("none", |k| k.code());
            *id_kinds.entry(k.to_string()).or_insert(0) += 1;
        }
        let mut incidents_by_state = BTreeMap::new();
        for i in &ds.incidents {
            *incidents_by_state.entry(i.state.clone()).or_insert(0) += 1;
        }
        Summary {
            county: ds.config.county.name.to_string(),
            base_date: ds.config.base_date.to_string(),
            seed: ds.config.seed,
            townships: level(AreaLevel::Township),
            villages: ds
                .areas
                .iter()
                .filter(|a| a.level == AreaLevel::Village && a.rural == Some(true))
                .count(),
            communities: ds
                .areas
                .iter()
                .filter(|a| a.level == AreaLevel::Village && a.rural != Some(true))
                .count(),
            grids: level(AreaLevel::Grid),
            micro_grids: level(AreaLevel::MicroGrid),
            users_by_role,
            units: ds.units.len(),
            assignments: ds.assignments.len(),
            households: ds.households.len(),
            households_by_status,
            population: ds.people().filter(|p| p.deleted_at.is_none()).count(),
            members: ds.people().count(),
            id_kinds,
            visits: ds.visits.len(),
            visits_in_person: ds
                .visits
                .iter()
                .filter(|v| v.mode == ContactMode::InPerson)
                .count(),
            contacts: ds.contacts.len(),
            incidents: ds.incidents.len(),
            incident_events: ds.events().count(),
            incidents_by_state,
            care_tags,
            special_tags,
        }
    }

    /// A county summary in Chinese, one topic per line.
    pub fn summary_zh(&self) -> String {
        let n = |m: &BTreeMap<String, usize>, k: &str| m.get(k).copied().unwrap_or(0);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "丽水市{}（模拟数据，种子 {}，截至 {}）",
            self.county, self.seed, self.base_date
        );
        let _ = writeln!(
            s,
            "区划：乡镇（街道）{} 个，村 {} 个，社区 {} 个，网格 {} 个，微网格 {} 个",
            self.townships, self.villages, self.communities, self.grids, self.micro_grids
        );
        let roles: Vec<String> = Role::ALL
            .iter()
            .map(|r| format!("{} {}", r.label_zh(), n(&self.users_by_role, r.code())))
            .collect();
        let _ = writeln!(s, "人员：{}", roles.join("，"));
        let _ = writeln!(
            s,
            "承办单位 {} 个；三联系/党员联户关系 {} 条",
            self.units, self.assignments
        );
        let _ = writeln!(
            s,
            "户数：{} 户（自住 {}，出租 {}，空置 {}）；人口 {} 人",
            self.households,
            n(&self.households_by_status, "occupied"),
            n(&self.households_by_status, "rented"),
            n(&self.households_by_status, "empty"),
            self.population
        );
        let _ = writeln!(
            s,
            "证件：居民身份证 {}，15位旧证 {}，港澳台证件 {}，外国护照 {}，永久居留证 {}，无证件 {}",
            n(&self.id_kinds, "resident_id"),
            n(&self.id_kinds, "legacy_id"),
            n(&self.id_kinds, "hmt_permit"),
            n(&self.id_kinds, "passport"),
            n(&self.id_kinds, "permanent_residence"),
            n(&self.id_kinds, "none")
        );
        let care: Vec<String> = CareTag::ALL
            .iter()
            .map(|t| format!("{} {}", t.label_zh(), n(&self.care_tags, t.code())))
            .collect();
        let _ = writeln!(s, "关爱对象（户）：{}", care.join("，"));
        let special: Vec<String> = SpecialTag::ALL
            .iter()
            .map(|t| format!("{} {}", t.label_zh(), n(&self.special_tags, t.code())))
            .collect();
        let _ = writeln!(s, "特殊人群（户，仅存私密文档）：{}", special.join("，"));
        let _ = writeln!(
            s,
            "走访：{} 次（入户 {} 次）；联系记录 {} 条",
            self.visits, self.visits_in_person, self.contacts
        );
        let states: Vec<String> = STATES
            .iter()
            .filter(|st| n(&self.incidents_by_state, st.code()) > 0)
            .map(|st| {
                format!(
                    "{} {}",
                    st.label_zh(),
                    n(&self.incidents_by_state, st.code())
                )
            })
            .collect();
        let unknown: usize = self
            .incidents_by_state
            .iter()
            .filter(|(k, _)| state_label(k) == "未知")
            .map(|(_, v)| v)
            .sum();
        let _ = write!(
            s,
            "事件：{} 件（{} 条流转记录）；按状态：{}",
            self.incidents,
            self.incident_events,
            states.join("，")
        );
        if unknown > 0 {
            let _ = write!(s, "，未知 {unknown}");
        }
        s.push('\n');
        s
    }
}
