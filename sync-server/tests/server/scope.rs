//! What each role receives: party members, part-time workers, supervisors.

use std::collections::BTreeSet;

use gridwalk_core::doc::DocKind;
use gridwalk_core::reference::{ContactKind, ContactTarget, Role};

use crate::support::*;

#[tokio::test]
async fn a_party_member_receives_exactly_its_linked_households_and_own_incidents_and_never_a_private_document()
 {
    let s = Server::new();
    let pm = s.user_where(Role::PartyMember, |u| {
        s.ds.assignments.iter().any(|a| a.contactor_user == u.id)
    });
    let linked: BTreeSet<String> =
        s.ds.assignments
            .iter()
            .filter(|a| a.contactor_user == pm.id && a.kind == ContactKind::PartyMemberHousehold)
            .filter_map(|a| match &a.target {
                ContactTarget::Household(h) => Some(h.clone()),
                _ => None,
            })
            .collect();
    assert!(!linked.is_empty());
    let mut d = s.device(&pm.id).await;
    d.sync_all(&s, vec![]).await;
    let held: BTreeSet<String> = d
        .docs
        .iter()
        .filter(|(_, h)| h.kind == DocKind::Household)
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(held, linked, "linked households, no more and no fewer");
    for (id, h) in &d.docs {
        assert_ne!(
            h.kind,
            DocKind::HouseholdPrivate,
            "{id}: private data never reaches a party member"
        );
        assert_ne!(h.kind, DocKind::GridJournal, "{id}: no grid journal");
        if h.kind == DocKind::Incident {
            let inc = s.ds.incidents.iter().find(|i| i.id == *id).unwrap();
            assert_eq!(inc.reported_by, pm.id, "only incidents it reported");
        }
    }
}

#[tokio::test]
async fn a_part_time_worker_receives_only_its_micro_grids_households() {
    let s = Server::new();
    let pt = s.user_where(Role::PartTimeWorker, |u| {
        s.ds.households.iter().any(|h| h.micro_grid_id == u.area_id)
    });
    let mut d = s.device(&pt.id).await;
    d.sync_all(&s, vec![]).await;
    let expect: BTreeSet<String> =
        s.ds.households
            .iter()
            .filter(|h| h.micro_grid_id == pt.area_id)
            .map(|h| h.id.clone())
            .collect();
    let held: BTreeSet<String> = d
        .docs
        .iter()
        .filter(|(_, h)| h.kind == DocKind::Household)
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(held, expect, "the micro-grid's households and nothing else");
    assert!(
        d.docs.values().all(|h| h.kind != DocKind::HouseholdPrivate),
        "part-time workers never hold private documents"
    );
}

#[tokio::test]
async fn a_township_supervisor_holds_incidents_and_no_household() {
    let s = Server::new();
    let sup = s.user_where(Role::TownshipSupervisor, |_| true);
    let mut d = s.device(&sup.id).await;
    d.sync_all(&s, vec![]).await;
    assert!(!d.scope.is_empty(), "the township's grids are in scope");
    assert!(
        d.docs.values().all(|h| h.kind == DocKind::Incident),
        "incidents only"
    );
}
