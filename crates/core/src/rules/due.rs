//! Visits due and overdue, by tag rule ([`VisitRule`], data): the "today's due visits"
//! list of a worker and the "overdue visits by tag rule" metric of DOMAIN.md.
//!
//! The inputs are plain facts ([`HouseholdFacts`]) that do not depend on the document
//! types, so any store can feed them. Days are Asia/Shanghai calendar days (visits are
//! not counted in working days: elderly people living alone need a visit over Spring
//! Festival too).
//!
//! For each occupied household every applicable rule is evaluated: the rule `*` (every
//! occupied household) and one rule per active tag. A rule's last qualifying contact is
//! the latest contact at or before `now` that is in person if the rule asks for it (a
//! visit and a contact log count alike: capture once). Its due day is that contact's day
//! plus `every_days`. The household's governing rule is the one due first — normally
//! the smallest `every_days`, but a 7-day "any contact" rule does not hide the 90-day
//! in-person baseline once phone calls have kept it satisfied.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::reference::role::Role;
use crate::reference::rules::VisitRule;

/// Whether anyone lives in a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occupancy {
    /// Lived in by its own household.
    Occupied,
    /// Nobody lives there: no visits due, counted apart in coverage.
    Empty,
    /// Let to tenants. People live there, so it counts as occupied everywhere.
    Rented,
}

impl Occupancy {
    /// Does anybody live there (occupied or rented)?
    pub fn is_occupied(self) -> bool {
        !matches!(self, Occupancy::Empty)
    }
}

/// One contact with a household: a visit or a contact log, whatever its mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFact {
    /// When it happened.
    pub at: Timestamp,
    /// In person (true), or by phone or video (false).
    pub in_person: bool,
    /// The user who made the contact.
    pub by_user: String,
    /// That user's role.
    pub role: Role,
}

/// What the rules need to know about one household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdFacts {
    /// The household id.
    pub id: String,
    /// Its grid.
    pub grid_id: String,
    /// Its micro-grid, if any.
    pub micro_grid_id: Option<String>,
    /// Its village or community, if known (for village-level contact assignments).
    pub village_id: Option<String>,
    /// Occupied, empty or rented.
    pub status: Occupancy,
    /// Codes of the tags active today (care and special, see `reference::tags`).
    pub tags: Vec<String>,
    /// Every known contact, in any order.
    pub contacts: Vec<ContactFact>,
    /// When the household was registered. If it has never been contacted, the first
    /// visit is due `every_days` after this; without it, at once.
    pub registered_at: Option<Timestamp>,
}

impl HouseholdFacts {
    /// The latest contact at or before `now`, in person only if `in_person`.
    pub fn last_contact(&self, in_person: bool, now: Timestamp) -> Option<&ContactFact> {
        self.contacts
            .iter()
            .filter(|c| c.at <= now && (c.in_person || !in_person))
            .max_by_key(|c| c.at)
    }
}

/// Where a household stands against its visit rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueStatus {
    /// Past its due day.
    Overdue,
    /// Due today or within the horizon.
    Due,
    /// Nothing due soon.
    Ok,
}

/// The visit state of one occupied household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitDue {
    /// The household id.
    pub household_id: String,
    /// Its grid.
    pub grid_id: String,
    /// Its micro-grid, if any.
    pub micro_grid_id: Option<String>,
    /// The rule that falls due first.
    pub rule: VisitRule,
    /// That rule's last qualifying contact, if any.
    pub last_contact: Option<Timestamp>,
    /// The Shanghai day the next qualifying contact is due.
    pub due_on: NaiveDate,
    /// Overdue, due or ok.
    pub status: DueStatus,
    /// Whole days past `due_on` (0 unless overdue).
    pub days_overdue: i64,
}

fn due_day(rule: &VisitRule, h: &HouseholdFacts, now: Timestamp) -> (Option<Timestamp>, NaiveDate) {
    let last = h.last_contact(rule.in_person, now).map(|c| c.at);
    let day = match last.or(h.registered_at) {
        Some(t) => t
            .shanghai_date()
            .checked_add_days(Days::new(u64::from(rule.every_days)))
            .expect("dates stay far from chrono's limits"),
        None => now.shanghai_date(),
    };
    (last, day)
}

/// The rules applying to a household: `*` and one per active tag; unknown tags match no
/// rule.
pub fn applicable_rules<'a>(rules: &'a [VisitRule], h: &HouseholdFacts) -> Vec<&'a VisitRule> {
    rules
        .iter()
        .filter(|r| r.tag == "*" || h.tags.contains(&r.tag))
        .collect()
}

/// The visit state of one household at `now`, with "due" meaning due within the next
/// `horizon_days` days (0: due today). `None` for an empty household (nothing is due)
/// or when no rule applies. Ties between rules due the same day go to the in-person one,
/// then to the shorter interval.
pub fn evaluate_household(
    rules: &[VisitRule],
    h: &HouseholdFacts,
    now: Timestamp,
    horizon_days: u32,
) -> Option<VisitDue> {
    if !h.status.is_occupied() {
        return None;
    }
    let (rule, last, due_on) = applicable_rules(rules, h)
        .into_iter()
        .map(|r| {
            let (last, day) = due_day(r, h, now);
            (r, last, day)
        })
        .min_by_key(|(r, _, day)| (*day, !r.in_person, r.every_days))?;
    let today = now.shanghai_date();
    let days_overdue = (today - due_on).num_days().max(0);
    let status = if days_overdue > 0 {
        DueStatus::Overdue
    } else if (due_on - today).num_days() <= i64::from(horizon_days) {
        DueStatus::Due
    } else {
        DueStatus::Ok
    };
    Some(VisitDue {
        household_id: h.id.clone(),
        grid_id: h.grid_id.clone(),
        micro_grid_id: h.micro_grid_id.clone(),
        rule: rule.clone(),
        last_contact: last,
        due_on,
        status,
        days_overdue,
    })
}

/// The households with a visit overdue or due within `horizon_days`, most overdue first,
/// then by due day and household id (a stable order for lists and exports).
pub fn visits_due(
    rules: &[VisitRule],
    households: &[HouseholdFacts],
    now: Timestamp,
    horizon_days: u32,
) -> Vec<VisitDue> {
    let mut out: Vec<VisitDue> = households
        .iter()
        .filter_map(|h| evaluate_household(rules, h, now, horizon_days))
        .filter(|v| v.status != DueStatus::Ok)
        .collect();
    out.sort_by(|a, b| {
        (b.days_overdue, a.due_on, &a.household_id).cmp(&(
            a.days_overdue,
            b.due_on,
            &b.household_id,
        ))
    });
    out
}

/// Counts of occupied households per status, for a dashboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueSummary {
    /// Households past due.
    pub overdue: u32,
    /// Households due within the horizon.
    pub due: u32,
    /// Households with nothing due soon.
    pub ok: u32,
}

/// Counts occupied households by status (empty households are left out).
pub fn due_summary(
    rules: &[VisitRule],
    households: &[HouseholdFacts],
    now: Timestamp,
    horizon_days: u32,
) -> DueSummary {
    let mut s = DueSummary::default();
    for v in households
        .iter()
        .filter_map(|h| evaluate_household(rules, h, now, horizon_days))
    {
        match v.status {
            DueStatus::Overdue => s.overdue += 1,
            DueStatus::Due => s.due += 1,
            DueStatus::Ok => s.ok += 1,
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::rules::default_visit_rules;

    fn day(m: u32, d: u32) -> Timestamp {
        let date = NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        Timestamp::from_shanghai(date.and_hms_opt(10, 0, 0).unwrap())
    }

    fn contact(at: Timestamp, in_person: bool) -> ContactFact {
        ContactFact {
            at,
            in_person,
            by_user: "u1".into(),
            role: Role::GridWorker,
        }
    }

    fn household(id: &str, tags: &[&str], contacts: Vec<ContactFact>) -> HouseholdFacts {
        HouseholdFacts {
            id: id.into(),
            grid_id: "g1".into(),
            micro_grid_id: None,
            village_id: None,
            status: Occupancy::Occupied,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            contacts,
            registered_at: None,
        }
    }

    #[test]
    fn an_elderly_person_alone_is_due_weekly_and_a_phone_call_counts() {
        let rules = default_visit_rules();
        let h = household(
            "h1",
            &["elderly_alone"],
            vec![contact(day(3, 2), false), contact(day(1, 10), true)],
        );
        let v = evaluate_household(&rules, &h, day(3, 9), 0).unwrap();
        assert_eq!(
            v.rule.tag, "elderly_alone",
            "the 7-day rule falls due first"
        );
        assert_eq!(
            v.status,
            DueStatus::Due,
            "a phone call on Mar 2 makes Mar 9 the due day"
        );
        let v = evaluate_household(&rules, &h, day(3, 12), 0).unwrap();
        assert_eq!((v.status, v.days_overdue), (DueStatus::Overdue, 3));
    }

    #[test]
    fn weekly_phone_calls_do_not_hide_the_in_person_baseline() {
        let rules = default_visit_rules();
        let h = household(
            "h1",
            &["elderly_alone"],
            vec![contact(day(4, 8), false), contact(day(1, 1), true)],
        );
        let v = evaluate_household(&rules, &h, day(4, 10), 0).unwrap();
        assert_eq!(
            v.rule.tag, "*",
            "90 days after Jan 1 the in-person baseline is due"
        );
        assert_eq!(v.status, DueStatus::Overdue);
        assert_eq!(v.days_overdue, 9, "due Apr 1, judged Apr 10");
    }

    #[test]
    fn an_in_person_rule_ignores_phone_contacts() {
        let rules = default_visit_rules();
        let h = household(
            "h1",
            &["severe_mental_illness"],
            vec![contact(day(3, 8), false), contact(day(3, 1), true)],
        );
        let v = evaluate_household(&rules, &h, day(3, 9), 0).unwrap();
        assert_eq!(
            v.last_contact,
            Some(day(3, 1)),
            "only the in-person contact qualifies"
        );
        assert_eq!(v.due_on, NaiveDate::from_ymd_opt(2026, 3, 8).unwrap());
        assert_eq!(v.status, DueStatus::Overdue);
    }

    #[test]
    fn empty_households_are_never_due_and_rented_ones_are() {
        let rules = default_visit_rules();
        let mut h = household("h1", &[], vec![]);
        h.status = Occupancy::Empty;
        assert_eq!(
            evaluate_household(&rules, &h, day(3, 9), 0),
            None,
            "nobody to visit"
        );
        h.status = Occupancy::Rented;
        let v = evaluate_household(&rules, &h, day(3, 9), 0).unwrap();
        assert_eq!(
            v.status,
            DueStatus::Due,
            "tenants live there: never visited means due now"
        );
    }

    #[test]
    fn a_new_household_is_due_one_interval_after_registration() {
        let rules = default_visit_rules();
        let mut h = household("h1", &[], vec![]);
        h.registered_at = Some(day(3, 1));
        let v = evaluate_household(&rules, &h, day(3, 9), 7).unwrap();
        assert_eq!(
            v.status,
            DueStatus::Ok,
            "due May 30, far beyond a week's horizon"
        );
    }

    #[test]
    fn the_due_list_puts_the_most_overdue_first_and_skips_the_ok() {
        let rules = default_visit_rules();
        let hs = vec![
            household("a", &[], vec![contact(day(3, 1), true)]),
            household(
                "b",
                &["community_correction"],
                vec![contact(day(2, 20), true)],
            ),
            household(
                "c",
                &["community_correction"],
                vec![contact(day(3, 1), true)],
            ),
        ];
        let list = visits_due(&rules, &hs, day(3, 9), 0);
        let ids: Vec<&str> = list.iter().map(|v| v.household_id.as_str()).collect();
        assert_eq!(
            ids,
            ["b", "c"],
            "a is visited recently; b is 10 days over, c 1"
        );
        let s = due_summary(&rules, &hs, day(3, 9), 0);
        assert_eq!((s.overdue, s.due, s.ok), (2, 0, 1));
    }
}
