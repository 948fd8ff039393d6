//! The dashboard's figures, computed from an [`AreaData`] with core's rules: coverage
//! (`rules::coverage`), visits due (`rules::due`), the incident state machine and 督办
//! (`incident`). Pure: no storage, no clock beyond what the data carries.

use std::collections::{BTreeMap, BTreeSet};

use gridwalk_core::incident::{ReturnKind, State};
use gridwalk_core::reference::{Platform, Role};
use gridwalk_core::rules::coverage::{
    Coverage, PersonCoverage, SeenBucket, coverage_by_contactor, coverage_by_grid,
    coverage_by_worker, coverage_of, seen_histogram,
};
use gridwalk_core::rules::due::{DueStatus, evaluate_household};
use gridwalk_core::rules::{HouseholdFacts, OverdueLevel, Period};

use super::dto::*;
use super::facts::{AreaData, IncidentData};

fn rate(num: u32, den: u32) -> Option<f64> {
    (den > 0).then(|| f64::from(num) / f64::from(den))
}

fn row(id: &str, name: &str, detail: &str, c: Coverage, by_self: Option<u32>) -> CoverageRow {
    CoverageRow {
        id: id.to_string(),
        name: name.to_string(),
        detail: detail.to_string(),
        occupied: c.occupied,
        seen: c.seen,
        contacted: c.contacted,
        empty: c.empty,
        seen_by_self: by_self,
        rate: c.ratio(),
    }
}

fn person_row(data: &AreaData, user: &str, detail: &str, pc: PersonCoverage) -> CoverageRow {
    let name = data.users.get(user).map_or(user, |u| u.name.as_str());
    row(user, name, detail, pc.coverage, Some(pc.seen_by_self))
}

/// The grid workers of the area's grids: user id → their grids.
pub fn worker_grids(data: &AreaData) -> BTreeMap<String, Vec<String>> {
    let grids: BTreeSet<&str> = data.grids.iter().map(|g| g.id.as_str()).collect();
    data.users
        .values()
        .filter(|u| u.role == Role::GridWorker && u.active)
        .filter_map(|u| {
            let g = u.area_id.as_deref().filter(|g| grids.contains(g))?;
            Some((u.id.clone(), vec![g.to_string()]))
        })
        .collect()
}

fn grid_name<'a>(data: &'a AreaData, id: &'a str) -> &'a str {
    data.grids
        .iter()
        .find(|g| g.id == id)
        .map_or(id, |g| g.name.as_str())
}

/// Coverage of the whole area, per grid, per worker and per contactor; `facts` are the
/// facts of `data`'s households.
pub fn coverage_rows(
    data: &AreaData,
    facts: &[HouseholdFacts],
    period: &Period,
) -> (
    CoverageRow,
    Vec<CoverageRow>,
    Vec<CoverageRow>,
    Vec<CoverageRow>,
) {
    let total = row(
        &data.area.id,
        &data.area.name,
        "",
        coverage_of(facts, period),
        None,
    );
    let by_grid = coverage_by_grid(facts, period);
    let grids = data
        .grids
        .iter()
        .map(|g| {
            let c = by_grid.get(&g.id).copied().unwrap_or_default();
            row(&g.id, &g.name, "", c, None)
        })
        .collect();
    let wg = worker_grids(data);
    let mut workers: Vec<CoverageRow> = coverage_by_worker(facts, &wg, period)
        .into_iter()
        .map(|(u, pc)| {
            let g = wg[&u].first().map_or("", |g| grid_name(data, g));
            person_row(data, &u, g, pc)
        })
        .collect();
    workers.sort_by(|a, b| (&a.detail, &a.name, &a.id).cmp(&(&b.detail, &b.name, &b.id)));
    let mut contactors: Vec<CoverageRow> =
        coverage_by_contactor(facts, &data.reference.assignments, period)
            .into_iter()
            .filter(|(_, pc)| pc.coverage.occupied + pc.coverage.empty > 0)
            .map(|(u, pc)| {
                let role = data.users.get(&u).map_or("", |x| x.role.code());
                person_row(data, &u, role, pc)
            })
            .collect();
    contactors.sort_by(|a, b| (&a.detail, &a.name, &a.id).cmp(&(&b.detail, &b.name, &b.id)));
    (total, grids, workers, contactors)
}

/// Occupied households (of `facts`, those of `data`) by days since last seen in person,
/// as of `data.as_of`.
pub fn histogram(data: &AreaData, facts: &[HouseholdFacts]) -> Vec<CodeCount> {
    seen_histogram(facts, data.as_of)
        .into_iter()
        .map(|(b, n)| CodeCount {
            code: bucket_code(b).into(),
            label_zh: b.label_zh().into(),
            count: n,
        })
        .collect()
}

/// The stable code of a histogram bucket (as serde spells it).
pub fn bucket_code(b: SeenBucket) -> &'static str {
    match b {
        SeenBucket::Within7 => "within7",
        SeenBucket::Within30 => "within30",
        SeenBucket::Within90 => "within90",
        SeenBucket::Within180 => "within180",
        SeenBucket::Over180 => "over180",
        SeenBucket::Never => "never",
    }
}

/// Overdue households by governing rule for some households, as of `data.as_of`.
pub fn overdue_by_rule<'a>(
    data: &AreaData,
    households: impl IntoIterator<Item = &'a HouseholdFacts>,
) -> Vec<RuleOverdue> {
    let rules = &data.reference.visit_rules;
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for h in households {
        if let Some(v) = evaluate_household(rules, h, data.as_of, 0)
            && v.status == DueStatus::Overdue
        {
            *counts.entry(v.rule.tag.clone()).or_default() += 1;
        }
    }
    rules
        .iter()
        .map(|r| RuleOverdue {
            tag: r.tag.clone(),
            label_zh: if r.tag == "*" {
                "全部在住户".into()
            } else {
                gridwalk_core::reference::tags::tag_label_zh(&r.tag)
                    .unwrap_or(r.tag.as_str())
                    .into()
            },
            every_days: r.every_days,
            in_person: r.in_person,
            overdue: counts.get(&r.tag).copied().unwrap_or(0),
        })
        .collect()
}

/// The platform an incident is counted under: the latest routing's, else the category's.
pub fn platform_of(i: &IncidentData) -> Option<Platform> {
    i.eff.platform.or(i.doc.platform.value().copied())
}

/// Was the incident first reported inside the period?
pub fn reported_in(i: &IncidentData, period: &Period) -> bool {
    i.eff.reported_at.is_some_and(|t| period.contains(t))
}

fn counts(it: impl Iterator<Item = (String, String)>) -> Vec<CodeCount> {
    let mut m: BTreeMap<String, (String, u32)> = BTreeMap::new();
    for (code, label) in it {
        m.entry(code).or_insert((label, 0)).1 += 1;
    }
    m.into_iter()
        .map(|(code, (label_zh, count))| CodeCount {
            code,
            label_zh,
            count,
        })
        .collect()
}

/// Incident figures over the incidents given that were first reported in the period.
pub fn incident_figures<'a>(
    data: &AreaData,
    incidents: impl IntoIterator<Item = &'a IncidentData>,
    period: &Period,
) -> IncidentFigures {
    let list: Vec<&IncidentData> = incidents
        .into_iter()
        .filter(|i| reported_in(i, period))
        .collect();
    let category_name = |code: &str| {
        data.reference
            .categories
            .iter()
            .find(|c| c.code == code)
            .map_or(code.to_string(), |c| c.name.clone())
    };
    let by_state = counts(
        list.iter()
            .map(|i| (i.eff.state.code().into(), i.eff.state.label_zh().into())),
    );
    let by_category = counts(list.iter().map(|i| {
        let code = i.doc.category.value().cloned().unwrap_or_default();
        let name = category_name(&code);
        (code, name)
    }));
    let by_platform = counts(list.iter().map(|i| match platform_of(i) {
        Some(p) => (p.code().into(), p.label_zh().into()),
        None => ("none".into(), "未定".into()),
    }));
    let mut sla = SlaFigures {
        routed: 0,
        accepted_on_time: 0,
        handled_on_time: 0,
        compliant: 0,
        rate: None,
    };
    let mut sat = Satisfaction {
        satisfied: 0,
        basically_satisfied: 0,
        unsatisfied: 0,
        rated: 0,
        rate: None,
    };
    let (mut counted, mut resolved, mut handled, mut verified) = (0, 0, 0, 0);
    for i in &list {
        let st = i.eff.state;
        if let Some(a) = i.sup.accept {
            sla.routed += 1;
            if a.level == OverdueLevel::OnTime && i.eff.signed_at.is_some() {
                sla.accepted_on_time += 1;
            }
            if i.sup
                .feedback
                .is_some_and(|f| f.level == OverdueLevel::OnTime)
                && i.eff.handled_at.is_some()
            {
                sla.handled_on_time += 1;
            }
            if i.sup.level == OverdueLevel::OnTime {
                sla.compliant += 1;
            }
        }
        if st != State::Returned(ReturnKind::Duplicate) {
            counted += 1;
            if matches!(st, State::Closed | State::Rated) {
                resolved += 1;
            }
        }
        if i.eff.routed_at.is_some() && !i.eff.is_self_handled {
            if matches!(
                st,
                State::Handled | State::Verified | State::Closed | State::Rated
            ) {
                handled += 1;
            }
            if matches!(st, State::Verified | State::Closed | State::Rated) {
                verified += 1;
            }
        }
        if let Some(r) = &i.eff.rating {
            use gridwalk_core::incident::RatingLevel as L;
            sat.rated += 1;
            match r.level {
                L::Satisfied => sat.satisfied += 1,
                L::BasicallySatisfied => sat.basically_satisfied += 1,
                L::Unsatisfied => sat.unsatisfied += 1,
            }
        }
    }
    sla.rate = rate(sla.compliant, sla.routed);
    sat.rate = rate(sat.satisfied + sat.basically_satisfied, sat.rated);
    IncidentFigures {
        reported: list.len() as u32,
        by_state,
        by_category,
        by_platform,
        sla,
        resolved,
        resolution_rate: rate(resolved, counted),
        handled,
        verified,
        verification_rate: rate(verified, handled),
        satisfaction: sat,
    }
}

/// The whole dashboard.
pub fn dashboard(data: &AreaData, period: &Period, from: &str, to: &str) -> Dashboard {
    // Core's coverage rules read a slice of facts: gather them once for the whole page.
    let facts: Vec<HouseholdFacts> = data.households.iter().map(|h| h.facts.clone()).collect();
    let (total, grids, workers, contactors) = coverage_rows(data, &facts, period);
    Dashboard {
        area_id: data.area.id.clone(),
        area_name: data.area.name.clone(),
        from: from.to_string(),
        to: to.to_string(),
        as_of: data.as_of.0,
        total,
        grids,
        workers,
        contactors,
        seen_histogram: histogram(data, &facts),
        overdue_by_rule: overdue_by_rule(data, data.households.iter().map(|h| &h.facts)),
        incidents: incident_figures(data, &data.incidents, period),
    }
}
