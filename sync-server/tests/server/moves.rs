//! Scope changes: a household moves grid (with the grace rule), a worker is reassigned,
//! a party member's link ends.

use automerge::Change;
use gridwalk_core::doc::{DocKind, private_doc_id};
use gridwalk_core::protocol::{DocCode, RevokeReason};
use gridwalk_core::reference::{ContactKind, ContactTarget, Role};
use gridwalk_server::scope_change;

use crate::support::*;

fn visit_id(push: &gridwalk_core::protocol::PushDoc, d: &Device) -> String {
    let _ = Change::from_bytes(push.changes[0].to_vec()).unwrap();
    d.household(&push.doc_id)
        .visits
        .keys()
        .max()
        .expect("the device's household has the new visit")
        .clone()
}

#[tokio::test]
async fn a_visit_made_before_the_device_saw_a_move_is_accepted_and_follows_the_household_to_its_new_grid()
 {
    let s = Server::new();
    let wa = s.user_where(Role::GridWorker, |_| true);
    let wb = s.user_where(Role::GridWorker, |u| u.area_id != wa.area_id);
    let (g1, g2) = (wa.area_id.clone(), wb.area_id.clone());
    let mut a = s.device(&wa.id).await;
    let mut b = s.device(&wb.id).await;
    a.sync_all(&s, vec![]).await;
    b.sync_all(&s, vec![]).await;
    let house =
        s.ds.households
            .iter()
            .find(|h| h.grid_id == g1 && h.needs_private())
            .unwrap()
            .id
            .clone();
    let micro =
        s.ds.households
            .iter()
            .find(|h| h.grid_id == g2)
            .unwrap()
            .micro_grid_id
            .clone();

    // Offline, worker A records a visit; meanwhile the household moves to grid B.
    let before_move = a.visit(&house, s.now());
    let visit = visit_id(&before_move, &a);
    scope_change::move_household(&s.state, &house, &g2, Some(&micro), None).unwrap();

    let stale = a.docs[&house].doc.clone();
    let resps = a.sync_all(&s, vec![before_move]).await;
    assert_eq!(
        resps[0].ok,
        [0],
        "grace: the device had not seen the revoke when it made the visit"
    );
    let revoked: Vec<_> = resps.iter().flat_map(|r| &r.revokes).collect();
    assert!(
        revoked
            .iter()
            .any(|r| r.doc_id == house && r.grid_id == g1 && r.reason == RevokeReason::Moved),
        "the old grid's device is told the household left"
    );
    assert!(
        revoked.iter().any(|r| r.doc_id == private_doc_id(&house)),
        "and its private document"
    );
    assert!(!a.docs.contains_key(&house), "the device dropped it");

    // A change made after the device saw the revoke is refused, and kept.
    a.docs.insert(
        house.clone(),
        Held {
            kind: DocKind::Household,
            grid: g1.clone(),
            doc: stale,
        },
    );
    let late = a.visit(&house, s.now() + 1000);
    let resp = s.sync(&a.token, &a.request(vec![late])).await.unwrap();
    assert_eq!(
        resp.results[0].code,
        DocCode::OutOfScope,
        "no grace once the revoke was seen"
    );
    assert_eq!(
        resp.results[0].quarantined.len(),
        1,
        "kept in quarantine, never lost"
    );

    b.sync_all(&s, vec![]).await;
    assert!(
        b.household(&house).visits.contains_key(&visit),
        "the new grid's device gets the household with the visit made under grace"
    );
    assert!(
        b.docs.contains_key(&private_doc_id(&house)),
        "and its private document"
    );
}

#[tokio::test]
async fn a_reassigned_worker_is_told_to_drop_the_old_grid_and_gets_the_new_one() {
    let s = Server::new();
    let wa = s.user_where(Role::GridWorker, |_| true);
    let other = s
        .user_where(Role::GridWorker, |u| u.area_id != wa.area_id)
        .area_id
        .clone();
    let mut a = s.device(&wa.id).await;
    a.sync_all(&s, vec![]).await;
    let old_docs: Vec<String> = a.docs.keys().cloned().collect();
    scope_change::reassign_user(&s.state, &wa.id, &other, None).unwrap();
    let resps = a.sync_all(&s, vec![]).await;
    assert_eq!(
        resps[0].scope,
        Some(vec![other.clone()]),
        "the new grid only"
    );
    let revoked: Vec<&String> = resps
        .iter()
        .flat_map(|r| &r.revokes)
        .map(|r| &r.doc_id)
        .collect();
    for id in &old_docs {
        assert!(revoked.contains(&id), "{id} of the old grid is revoked");
    }
    assert!(
        a.docs.values().all(|h| h.grid == other),
        "only the new grid's documents are held"
    );
    assert!(!a.docs.is_empty(), "the new grid's first sync ran");
}

#[tokio::test]
async fn a_party_member_whose_link_ends_is_told_to_drop_that_household_only() {
    let s = Server::new();
    let pm = s.user_where(Role::PartyMember, |u| {
        s.ds.assignments
            .iter()
            .filter(|a| a.contactor_user == u.id)
            .count()
            >= 2
    });
    let link =
        s.ds.assignments
            .iter()
            .find(|a| a.contactor_user == pm.id && a.kind == ContactKind::PartyMemberHousehold)
            .unwrap()
            .clone();
    let ContactTarget::Household(house) = link.target.clone() else {
        panic!()
    };
    let mut d = s.device(&pm.id).await;
    d.sync_all(&s, vec![]).await;
    let held = d.docs.len();
    assert!(d.docs.contains_key(&house));
    let today = gridwalk_core::Timestamp(s.now()).shanghai_date();
    scope_change::end_link(&s.state, &link.id, today - chrono::Days::new(1), None).unwrap();
    let resps = d.sync_all(&s, vec![]).await;
    let revoked: Vec<_> = resps.iter().flat_map(|r| &r.revokes).collect();
    assert_eq!(revoked.len(), 1, "one household left the scope");
    assert_eq!(revoked[0].reason, RevokeReason::LinkEnded);
    assert!(!d.docs.contains_key(&house));
    assert_eq!(d.docs.len(), held - 1, "the other linked households stay");
}
