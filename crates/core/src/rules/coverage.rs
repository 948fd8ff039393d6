//! Coverage "户户见干部", exactly as DOMAIN.md "Metrics that count" defines it:
//! occupied households seen in person within the period ÷ occupied households.
//!
//! - **Seen** means at least one in-person contact (a visit or an in-person contact log)
//!   with `from <= at < to`, by anyone in any role: capture once, so a visit counts for
//!   every view it falls in. Phone and video contacts make a household *contacted*, never
//!   *seen*.
//! - **Occupied** includes rented households (people live there). Empty households are
//!   counted apart, in [`Coverage::empty`], and are outside the ratio.
//! - **Per grid**: the households of the grid.
//! - **Per worker**: the households of the grids the worker is assigned to; the
//!   numerator counts households seen by anyone (the grid is covered, whoever went), and
//!   [`PersonCoverage::seen_by_self`] says how many the worker saw personally.
//! - **Per contactor** (三联系 / 党员联户): the households targeted by the contactor's
//!   assignments in force on at least one day of the period — directly, or through a
//!   grid, micro-grid or village target — each counted once. Seen by anyone, with
//!   `seen_by_self` apart. Targets that are users (grid head ↔ grid workers) hold no
//!   households and are skipped.
//!
//! Also: days since the last in-person contact per household, and a histogram of them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::due::HouseholdFacts;
use crate::Timestamp;
use crate::reference::contact::{ContactAssignment, ContactTarget};

/// A half-open period `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// The first instant inside the period.
    pub from: Timestamp,
    /// The first instant after the period.
    pub to: Timestamp,
}

impl Period {
    /// Is `t` inside the period?
    pub fn contains(&self, t: Timestamp) -> bool {
        self.from <= t && t < self.to
    }

    /// The Shanghai days the period touches, first and last (inclusive).
    pub fn days(&self) -> (NaiveDate, NaiveDate) {
        let first = self.from.shanghai_date();
        let last = Timestamp(self.to.0 - 1).shanghai_date();
        (first, last.max(first))
    }
}

/// Was the household seen in person within the period, by anyone?
pub fn seen_in(h: &HouseholdFacts, period: &Period) -> bool {
    h.contacts
        .iter()
        .any(|c| c.in_person && period.contains(c.at))
}

/// Was the household seen in person within the period by `user`?
pub fn seen_by(h: &HouseholdFacts, user: &str, period: &Period) -> bool {
    h.contacts
        .iter()
        .any(|c| c.in_person && c.by_user == user && period.contains(c.at))
}

/// Was the household contacted at all (in person, phone or video) within the period?
pub fn contacted_in(h: &HouseholdFacts, period: &Period) -> bool {
    h.contacts.iter().any(|c| period.contains(c.at))
}

/// Coverage of a set of households over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Occupied (including rented) households: the denominator.
    pub occupied: u32,
    /// Occupied households seen in person within the period: the numerator.
    pub seen: u32,
    /// Occupied households contacted in any mode within the period (`seen` included).
    pub contacted: u32,
    /// Empty households, counted apart and outside the ratio.
    pub empty: u32,
}

impl Coverage {
    /// `seen ÷ occupied`, or `None` when there is no occupied household.
    pub fn ratio(&self) -> Option<f64> {
        (self.occupied > 0).then(|| f64::from(self.seen) / f64::from(self.occupied))
    }

    /// The ratio in whole per mille, rounded down (exact, for exports and tests).
    pub fn per_mille(&self) -> Option<u32> {
        (self.occupied > 0).then(|| (u64::from(self.seen) * 1000 / u64::from(self.occupied)) as u32)
    }

    /// Adds one household.
    pub fn add(&mut self, h: &HouseholdFacts, period: &Period) {
        if !h.status.is_occupied() {
            self.empty += 1;
            return;
        }
        self.occupied += 1;
        if seen_in(h, period) {
            self.seen += 1;
        }
        if contacted_in(h, period) {
            self.contacted += 1;
        }
    }
}

/// Coverage of one person (worker or contactor): the households they answer for, and
/// how many of those they saw themselves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonCoverage {
    /// Coverage of their households, seen by anyone.
    pub coverage: Coverage,
    /// Occupied households of theirs they saw in person themselves.
    pub seen_by_self: u32,
}

impl PersonCoverage {
    fn add(&mut self, h: &HouseholdFacts, user: &str, period: &Period) {
        self.coverage.add(h, period);
        if h.status.is_occupied() && seen_by(h, user, period) {
            self.seen_by_self += 1;
        }
    }
}

/// Coverage of any set of households.
pub fn coverage_of<'a>(
    households: impl IntoIterator<Item = &'a HouseholdFacts>,
    period: &Period,
) -> Coverage {
    let mut c = Coverage::default();
    for h in households {
        c.add(h, period);
    }
    c
}

/// Coverage per grid id.
pub fn coverage_by_grid(
    households: &[HouseholdFacts],
    period: &Period,
) -> BTreeMap<String, Coverage> {
    let mut out: BTreeMap<String, Coverage> = BTreeMap::new();
    for h in households {
        out.entry(h.grid_id.clone()).or_default().add(h, period);
    }
    out
}

/// Coverage per worker: `worker_grids` maps a user to the grids they are assigned to
/// (duplicates ignored). A worker with no household in their grids gets zeros.
pub fn coverage_by_worker(
    households: &[HouseholdFacts],
    worker_grids: &BTreeMap<String, Vec<String>>,
    period: &Period,
) -> BTreeMap<String, PersonCoverage> {
    let mut by_grid: BTreeMap<&str, Vec<&HouseholdFacts>> = BTreeMap::new();
    for h in households {
        by_grid.entry(h.grid_id.as_str()).or_default().push(h);
    }
    worker_grids
        .iter()
        .map(|(user, grids)| {
            let mut pc = PersonCoverage::default();
            let grids: BTreeSet<&str> = grids.iter().map(String::as_str).collect();
            for h in grids.into_iter().filter_map(|g| by_grid.get(g)).flatten() {
                pc.add(h, user, period);
            }
            (user.clone(), pc)
        })
        .collect()
}

/// Is the assignment in force on at least one day of the period?
pub fn in_force_during(a: &ContactAssignment, period: &Period) -> bool {
    let (first, last) = period.days();
    a.valid_from <= last && a.valid_to.is_none_or(|end| end >= first)
}

/// Does the assignment's target include the household?
pub fn targets(a: &ContactAssignment, h: &HouseholdFacts) -> bool {
    match &a.target {
        ContactTarget::Household(id) => *id == h.id,
        ContactTarget::Grid(g) => *g == h.grid_id,
        ContactTarget::MicroGrid(m) => h.micro_grid_id.as_ref() == Some(m),
        ContactTarget::Village(v) => h.village_id.as_ref() == Some(v),
        ContactTarget::User(_) => false,
    }
}

/// Coverage per contactor user, over the households of their assignments in force during
/// the period (each household once per contactor). Contactors whose only targets are
/// users are left out.
pub fn coverage_by_contactor(
    households: &[HouseholdFacts],
    assignments: &[ContactAssignment],
    period: &Period,
) -> BTreeMap<String, PersonCoverage> {
    let mut index: BTreeMap<(u8, &str), Vec<usize>> = BTreeMap::new();
    for (i, h) in households.iter().enumerate() {
        index.entry((0, h.id.as_str())).or_default().push(i);
        index.entry((1, h.grid_id.as_str())).or_default().push(i);
        if let Some(m) = &h.micro_grid_id {
            index.entry((2, m.as_str())).or_default().push(i);
        }
        if let Some(v) = &h.village_id {
            index.entry((3, v.as_str())).or_default().push(i);
        }
    }
    let mut members: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for a in assignments.iter().filter(|a| in_force_during(a, period)) {
        let key = match &a.target {
            ContactTarget::Household(id) => (0, id.as_str()),
            ContactTarget::Grid(g) => (1, g.as_str()),
            ContactTarget::MicroGrid(m) => (2, m.as_str()),
            ContactTarget::Village(v) => (3, v.as_str()),
            ContactTarget::User(_) => continue,
        };
        let set = members.entry(a.contactor_user.as_str()).or_default();
        set.extend(index.get(&key).into_iter().flatten().copied());
    }
    members
        .into_iter()
        .map(|(user, set)| {
            let mut pc = PersonCoverage::default();
            for i in set {
                pc.add(&households[i], user, period);
            }
            (user.to_string(), pc)
        })
        .collect()
}

/// Whole Shanghai days from the last in-person contact at or before `now` to `now`
/// (0 = seen today), or `None` if never seen in person.
pub fn days_since_seen(h: &HouseholdFacts, now: Timestamp) -> Option<i64> {
    h.last_contact(true, now).map(|c| c.at.days_until(now))
}

/// A bucket of days since a household was last seen in person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeenBucket {
    /// 0–7 days.
    Within7,
    /// 8–30 days.
    Within30,
    /// 31–90 days.
    Within90,
    /// 91–180 days.
    Within180,
    /// More than 180 days.
    Over180,
    /// Never seen in person.
    Never,
}

impl SeenBucket {
    /// Every bucket, most recent first.
    pub const ALL: [SeenBucket; 6] = [
        SeenBucket::Within7,
        SeenBucket::Within30,
        SeenBucket::Within90,
        SeenBucket::Within180,
        SeenBucket::Over180,
        SeenBucket::Never,
    ];

    /// The bucket of a [`days_since_seen`] value.
    pub fn of(days: Option<i64>) -> SeenBucket {
        match days {
            None => SeenBucket::Never,
            Some(d) if d <= 7 => SeenBucket::Within7,
            Some(d) if d <= 30 => SeenBucket::Within30,
            Some(d) if d <= 90 => SeenBucket::Within90,
            Some(d) if d <= 180 => SeenBucket::Within180,
            Some(_) => SeenBucket::Over180,
        }
    }

    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            SeenBucket::Within7 => "7天内",
            SeenBucket::Within30 => "8–30天",
            SeenBucket::Within90 => "31–90天",
            SeenBucket::Within180 => "91–180天",
            SeenBucket::Over180 => "180天以上",
            SeenBucket::Never => "从未见面",
        }
    }
}

/// How many occupied households fall in each bucket of days since last seen in person,
/// every bucket listed in [`SeenBucket::ALL`] order. Empty households are left out.
pub fn seen_histogram(households: &[HouseholdFacts], now: Timestamp) -> Vec<(SeenBucket, u32)> {
    let mut counts: BTreeMap<SeenBucket, u32> = BTreeMap::new();
    for h in households.iter().filter(|h| h.status.is_occupied()) {
        *counts
            .entry(SeenBucket::of(days_since_seen(h, now)))
            .or_default() += 1;
    }
    SeenBucket::ALL
        .into_iter()
        .map(|b| (b, counts.get(&b).copied().unwrap_or(0)))
        .collect()
}

#[cfg(test)]
mod tests;
