//! Concurrent edits on four phones, same-field edits included, synced in several
//! orders: every phone ends with the same household, and the conflict shows on each.

use gridwalk_core::Timestamp;
use gridwalk_core::doc::edit::Edit;
use gridwalk_core::doc::household::{Address, HouseholdStatus, TagSpan};
use gridwalk_core::reference::{ContactKind, ContactTarget, Role};
use std::collections::BTreeMap;

use crate::support::*;

/// Four phones around one household: two grid workers of its grid, the party member
/// linked to it and a part-time worker of its micro-grid.
pub struct Four {
    pub server: TestServer,
    pub household: String,
    pub micro_grid: String,
    pub link_id: String,
    pub a: Phone,
    pub b: Phone,
    pub party: Phone,
    pub part_time: Phone,
}

impl Four {
    pub async fn start() -> Four {
        let server = TestServer::start().await;
        let day = Timestamp(server.now()).shanghai_date();
        let link = server
            .ds
            .assignments
            .iter()
            .find(|a| a.kind == ContactKind::PartyMemberHousehold && a.in_force(day))
            .expect("the county has a party member linked to a household")
            .clone();
        let ContactTarget::Household(household) = link.target.clone() else {
            panic!("a party member's link targets a household");
        };
        let placement = server.storage.placement(&household).unwrap().unwrap();
        let grid = placement.grid_id.clone();
        let micro = placement.micro_grid_id.clone().unwrap();

        let worker = server.user_where(Role::GridWorker, |u| u.area_id == grid);
        let a = server.phone(&worker.id).await;
        let (b_id, b_name) = server.add_user(Role::GridWorker, &grid, "第二网格员");
        let b = server.phone_as(&b_id, &b_name, PASSWORD).await;
        let party = server.phone(&link.contactor_user).await;
        let part_time = match server
            .ds
            .users
            .iter()
            .find(|u| u.role == Role::PartTimeWorker && u.area_id == micro)
        {
            Some(u) => server.phone(&u.id.clone()).await,
            None => {
                let (id, name) = server.add_user(Role::PartTimeWorker, &micro, "微网格长");
                server.phone_as(&id, &name, PASSWORD).await
            }
        };
        let mut four = Four {
            server,
            household,
            micro_grid: micro,
            link_id: link.id.clone(),
            a,
            b,
            party,
            part_time,
        };
        for p in four.phones() {
            p.sync().await;
        }
        four
    }

    pub fn phone(&mut self, i: usize) -> &mut Phone {
        match i {
            0 => &mut self.a,
            1 => &mut self.b,
            2 => &mut self.party,
            _ => &mut self.part_time,
        }
    }

    pub fn phones(&mut self) -> [&mut Phone; 4] {
        [
            &mut self.a,
            &mut self.b,
            &mut self.party,
            &mut self.part_time,
        ]
    }
}

fn address(room: &str) -> Address {
    Address {
        street: Some("丽阳街88号".into()),
        building: Some("3".into()),
        unit: Some("2".into()),
        room: Some(room.into()),
        ..Address::default()
    }
}

fn tags(codes: &[&str]) -> BTreeMap<String, TagSpan> {
    codes
        .iter()
        .map(|c| (c.to_string(), TagSpan::default()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_edits_synced_in_any_order_converge_and_every_phone_shows_the_conflict() {
    let mut four = Four::start().await;
    let h = four.household.clone();
    for p in four.phones() {
        assert!(
            p.doc_ids(gridwalk_core::doc::DocKind::Household)
                .contains(&h),
            "{:?} holds the household after its first sync",
            p.role
        );
    }
    // Each round: both workers write the same field offline, everyone records a visit,
    // then the phones sync in a different order.
    let rounds: [(&str, [usize; 4], Edit, Edit); 3] = [
        (
            "status",
            [0, 1, 2, 3],
            Edit::Status(HouseholdStatus::Rented),
            Edit::Status(HouseholdStatus::Empty),
        ),
        (
            "address",
            [3, 2, 1, 0],
            Edit::Address(address("301")),
            Edit::Address(address("302")),
        ),
        (
            "tags",
            [1, 3, 0, 2],
            Edit::Tags(tags(&["elderly_alone"])),
            Edit::Tags(tags(&["very_old", "disabled"])),
        ),
    ];
    for (field, order, edit_a, edit_b) in rounds {
        four.server.advance(3_600_000);
        let now = four.server.now();
        four.a.edit(&h, edit_a, now);
        four.b.edit(&h, edit_b, now + 1);
        let mut visits = Vec::new();
        for p in four.phones() {
            visits.push(p.visit(&h, now + 2));
        }
        // The first pass pushes everything in `order`; the second lets everyone pull.
        for pass in 0..2 {
            for &i in &order {
                let p = four.phone(i);
                let report = p.sync().await;
                if pass == 0 {
                    assert_eq!(report.refused, 0, "{:?}: nothing is refused", p.role);
                    assert_eq!(report.debt.pending_actions, 0, "{:?} pushed it all", p.role);
                }
            }
        }
        let reference = four.a.household(&h);
        let heads = four.a.store.heads(&h).unwrap();
        for p in four.phones() {
            assert_eq!(
                p.store.heads(&h).unwrap(),
                heads,
                "{:?} has every change to the household after the {field} round",
                p.role
            );
            assert_eq!(
                p.household(&h),
                reference,
                "{:?} reads the same household",
                p.role
            );
            let conflicts = p.store.open_conflicts().unwrap();
            let c = conflicts
                .iter()
                .find(|c| c.doc_id == h && c.path.ends_with(field))
                .unwrap_or_else(|| {
                    panic!(
                        "{:?} shows the {field} conflict (found {conflicts:?})",
                        p.role
                    )
                });
            let values: Vec<serde_json::Value> = serde_json::from_str(&c.values).unwrap();
            assert_eq!(
                values.len(),
                2,
                "both workers' values are kept: no silent loser"
            );
            let seen = p.store.visits_of(&h).unwrap();
            for v in &visits {
                assert!(
                    seen.iter().any(|s| &s.id == v),
                    "{:?} has every phone's visit",
                    p.role
                );
            }
        }
        assert_eq!(
            four.a.store.dump_rows().unwrap(),
            four.b.store.dump_rows().unwrap(),
            "the two workers of the grid hold exactly the same rows"
        );
    }
}
