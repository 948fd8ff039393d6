//! A grant is delivered under the grid the document is in now, not under the grid of the
//! feed that carries it. A device files a document under the grid of its delivery and
//! heeds a revoke only from that grid, so a link granted before a move must not file the
//! household under its old grid: the revoke when the link ends comes from the new one
//! (convergence seed 788796180).

use gridwalk_core::protocol::{RevokeReason, SyncResponse};
use gridwalk_core::reference::{ContactAssignment, ContactKind, ContactTarget, Role};
use gridwalk_server::scope_change;

use crate::support::*;

/// The grid the last delivery of `doc` in `resps` names, if any delivered it.
fn delivered_under(resps: &[SyncResponse], doc: &str) -> Option<String> {
    resps
        .iter()
        .flat_map(|r| &r.docs)
        .filter(|d| d.doc_id == doc)
        .map(|d| d.grid_id.clone())
        .next_back()
}

#[tokio::test]
async fn a_household_linked_before_it_moved_is_delivered_under_its_new_grid_and_its_link_end_revoke_names_that_grid()
 {
    let s = Server::new();
    // The grid the household moves to sorts before the party member's own grid, so the
    // new grid's first sync is served before the old grid's feed with the link's grant.
    let to =
        s.ds.households
            .iter()
            .map(|h| h.grid_id.clone())
            .min()
            .expect("a grid with households");
    let micro =
        s.ds.households
            .iter()
            .find(|h| h.grid_id == to)
            .map(|h| h.micro_grid_id.clone());
    let pm = s.user_where(Role::PartyMember, |u| {
        u.area_id > to && s.ds.households.iter().any(|h| h.grid_id == u.area_id)
    });
    let home = pm.area_id.clone();
    let linked: Vec<String> =
        s.ds.assignments
            .iter()
            .filter(|a| a.contactor_user == pm.id)
            .filter_map(|a| match &a.target {
                ContactTarget::Household(h) => Some(h.clone()),
                _ => None,
            })
            .collect();
    let house =
        s.ds.households
            .iter()
            .find(|h| h.grid_id == home && !linked.contains(&h.id))
            .expect("a household of the party member's grid it is not linked to")
            .id
            .clone();

    let mut d = s.device(&pm.id).await;
    d.sync_all(&s, vec![]).await;
    assert!(!d.docs.contains_key(&house), "not linked yet, so not held");

    // Linked while the household is in the member's grid: the grant goes to that feed.
    let today = gridwalk_core::Timestamp(s.now()).shanghai_date();
    let link = ContactAssignment {
        id: uuid::Uuid::now_v7().to_string(),
        kind: ContactKind::PartyMemberHousehold,
        contactor_user: pm.id.clone(),
        contactor_role: Role::PartyMember,
        target: ContactTarget::Household(house.clone()),
        every_days: 30,
        valid_from: today - chrono::Days::new(1),
        valid_to: None,
    };
    scope_change::add_link(&s.state, link.clone(), None).unwrap();
    // Then it moves before the device syncs.
    scope_change::move_household(&s.state, &house, &to, micro.as_deref(), None).unwrap();

    let resps = d.sync_all(&s, vec![]).await;
    assert_eq!(
        delivered_under(&resps, &house).as_deref(),
        Some(to.as_str()),
        "the household is filed under the grid it is in now, where its revokes will come \
         from, not under the grid of the feed that held the old grant"
    );

    scope_change::end_link(&s.state, &link.id, today - chrono::Days::new(1), None).unwrap();
    let resps = d.sync_all(&s, vec![]).await;
    let revoke = resps
        .iter()
        .flat_map(|r| &r.revokes)
        .find(|r| r.doc_id == house)
        .expect("the ended link's household is revoked");
    assert_eq!(
        (revoke.grid_id.as_str(), revoke.reason),
        (to.as_str(), RevokeReason::LinkEnded),
        "the revoke names the grid the household was delivered under, so the device, \
         which heeds a revoke only from that grid, drops it"
    );
}
