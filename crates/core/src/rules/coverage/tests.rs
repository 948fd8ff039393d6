//! Unit tests of the coverage module.

use super::*;
use crate::reference::contact::ContactKind;
use crate::reference::role::Role;
use crate::rules::due::{ContactFact, Occupancy};

fn at(m: u32, d: u32) -> Timestamp {
    let date = NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    Timestamp::from_shanghai(date.and_hms_opt(10, 0, 0).unwrap())
}

fn march() -> Period {
    Period {
        from: at(3, 1),
        to: at(4, 1),
    }
}

fn c(m: u32, d: u32, in_person: bool, by: &str) -> ContactFact {
    ContactFact {
        at: at(m, d),
        in_person,
        by_user: by.into(),
        role: Role::GridWorker,
    }
}

fn h(id: &str, grid: &str, status: Occupancy, contacts: Vec<ContactFact>) -> HouseholdFacts {
    HouseholdFacts {
        id: id.into(),
        grid_id: grid.into(),
        micro_grid_id: Some(format!("{grid}-m1")),
        village_id: Some("v1".into()),
        status,
        tags: vec![],
        contacts,
        registered_at: None,
    }
}

fn sample() -> Vec<HouseholdFacts> {
    vec![
        h("a", "g1", Occupancy::Occupied, vec![c(3, 5, true, "w1")]),
        h("b", "g1", Occupancy::Occupied, vec![c(3, 6, false, "w1")]),
        h("c", "g1", Occupancy::Rented, vec![c(3, 7, true, "p1")]),
        h("d", "g1", Occupancy::Empty, vec![c(3, 8, true, "w1")]),
        h("e", "g2", Occupancy::Occupied, vec![c(2, 27, true, "w2")]),
    ]
}

#[test]
fn a_phone_contact_does_not_count_as_seen() {
    let g1 = coverage_by_grid(&sample(), &march())["g1"];
    assert_eq!(
        g1.occupied, 3,
        "a, b and the rented c; the empty d is apart"
    );
    assert_eq!(
        g1.seen, 2,
        "b was only phoned, so it is contacted but not seen"
    );
    assert_eq!(g1.contacted, 3);
    assert_eq!(g1.per_mille(), Some(666));
}

#[test]
fn an_empty_household_is_counted_apart_from_the_ratio() {
    let g1 = coverage_by_grid(&sample(), &march())["g1"];
    assert_eq!(
        g1.empty, 1,
        "d is empty: counted apart even though it was visited"
    );
    assert!(
        (g1.ratio().unwrap() - 2.0 / 3.0).abs() < 1e-9,
        "the ratio ignores d"
    );
    let only_empty = coverage_of(&sample()[3..4], &march());
    assert_eq!(
        only_empty.ratio(),
        None,
        "no occupied household: no ratio, not 0%"
    );
}

#[test]
fn the_period_is_half_open() {
    let g2 = coverage_by_grid(&sample(), &march())["g2"];
    assert_eq!(g2.seen, 0, "a visit on Feb 27 is before March");
    let feb27 = Period {
        from: at(2, 27),
        to: at(3, 1),
    };
    assert_eq!(
        coverage_by_grid(&sample(), &feb27)["g2"].seen,
        1,
        "from is inclusive"
    );
    let until = Period {
        from: at(2, 1),
        to: at(2, 27),
    };
    assert_eq!(
        coverage_by_grid(&sample(), &until)["g2"].seen,
        0,
        "to is exclusive"
    );
}

#[test]
fn a_worker_is_credited_with_visits_by_anyone_and_their_own_apart() {
    let grids = BTreeMap::from([("w1".to_string(), vec!["g1".to_string(), "g1".to_string()])]);
    let w1 = coverage_by_worker(&sample(), &grids, &march())["w1"];
    assert_eq!(
        w1.coverage.seen, 2,
        "the party member's visit to c covers the grid too"
    );
    assert_eq!(w1.coverage.occupied, 3, "a grid listed twice counts once");
    assert_eq!(w1.seen_by_self, 1, "w1 saw only a in person (d is empty)");
}

fn assign(
    user: &str,
    target: ContactTarget,
    from: (u32, u32),
    to: Option<(u32, u32)>,
) -> ContactAssignment {
    let d = |(m, day): (u32, u32)| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    ContactAssignment {
        id: format!("{user}-{target:?}"),
        kind: ContactKind::PartyMemberHousehold,
        contactor_user: user.into(),
        contactor_role: Role::PartyMember,
        target,
        every_days: 30,
        valid_from: d(from),
        valid_to: to.map(d),
    }
}

#[test]
fn a_contactor_answers_for_the_households_of_assignments_in_force() {
    let a = vec![
        assign("p1", ContactTarget::Household("b".into()), (1, 1), None),
        assign("p1", ContactTarget::Household("c".into()), (1, 1), None),
        assign(
            "p1",
            ContactTarget::MicroGrid("g1-m1".into()),
            (3, 31),
            None,
        ),
        assign(
            "p1",
            ContactTarget::Household("e".into()),
            (1, 1),
            Some((2, 28)),
        ),
        assign("h1", ContactTarget::User("w1".into()), (1, 1), None),
    ];
    let out = coverage_by_contactor(&sample(), &a, &march());
    assert!(!out.contains_key("h1"), "a user target holds no households");
    let p1 = out["p1"];
    assert_eq!(
        p1.coverage.occupied, 3,
        "a, b, c via the micro-grid from Mar 31; e ended Feb 28"
    );
    assert_eq!(p1.coverage.empty, 1, "d is in the micro-grid but empty");
    assert_eq!(
        (p1.coverage.seen, p1.seen_by_self),
        (2, 1),
        "p1 saw c; w1 saw a"
    );
}

#[test]
fn days_since_seen_fill_the_histogram() {
    let hs = sample();
    assert_eq!(days_since_seen(&hs[0], at(3, 9)), Some(4));
    assert_eq!(
        days_since_seen(&hs[1], at(3, 9)),
        None,
        "a phone call is not seen"
    );
    let hist = seen_histogram(&hs, at(3, 9));
    let get = |b| hist.iter().find(|(x, _)| *x == b).unwrap().1;
    assert_eq!(get(SeenBucket::Within7), 2, "a and c");
    assert_eq!(get(SeenBucket::Within30), 1, "e, 10 days ago");
    assert_eq!(get(SeenBucket::Never), 1, "b");
    assert_eq!(
        hist.iter().map(|(_, n)| n).sum::<u32>(),
        4,
        "the empty d is left out"
    );
    assert_eq!(SeenBucket::of(Some(181)), SeenBucket::Over180);
}
