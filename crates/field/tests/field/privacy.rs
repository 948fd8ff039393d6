//! Masking per role, the audited reveal, and what a party member never sees.

use gridwalk_core::doc::DocKind;
use gridwalk_core::identity::mask_phone;
use gridwalk_core::reference::Role;
use gridwalk_field::dto::RevealRequest;

use crate::support::TestServer;

#[tokio::test]
async fn a_grid_worker_sees_masked_phones_and_a_reveal_is_audited_on_the_server_after_the_next_sync()
 {
    let server = TestServer::start().await;
    let worker = server.user(Role::GridWorker, |_| true);
    let mut p = server.phone(&worker.id).await;
    let card = p.household_with_members(1);
    assert!(card.can_reveal, "grid workers may reveal");
    let m = card
        .members
        .iter()
        .find(|m| m.phone_masked.is_some())
        .unwrap();
    let masked = m.phone_masked.clone().unwrap();
    assert!(
        masked.contains('*'),
        "the card shows phones masked: {masked}"
    );
    let full = p
        .app
        .reveal(&RevealRequest {
            household_id: card.id.clone(),
            person_id: m.id.clone(),
            field: "phone".into(),
        })
        .unwrap();
    assert_eq!(
        mask_phone(&full),
        masked,
        "the revealed phone is the masked one in full"
    );
    assert_eq!(
        p.app.store().pending_audit(10).unwrap().len(),
        1,
        "the reveal is recorded on the device at once, offline too"
    );
    p.sync().await;
    let rows = server.audit("device:reveal_phone");
    assert!(
        rows.iter()
            .any(|r| r.target.as_deref() == Some(m.id.as_str())
                && r.user_id.as_deref() == Some(worker.id.as_str())),
        "the server's audit log names who revealed whose phone"
    );
}

#[tokio::test]
async fn a_party_member_may_not_reveal_and_holds_no_private_data() {
    let server = TestServer::start().await;
    let linked: Vec<String> = server
        .ds
        .assignments
        .iter()
        .filter(|a| a.contactor_role == Role::PartyMember)
        .map(|a| a.contactor_user.clone())
        .collect();
    let member = server.user(Role::PartyMember, |u| linked.contains(&u.id));
    let mut p = server.phone(&member.id).await;
    assert!(
        p.app
            .store()
            .document_ids(DocKind::HouseholdPrivate)
            .unwrap()
            .is_empty(),
        "private documents never reach a party member's device"
    );
    let households = p.households();
    assert!(
        !households.is_empty(),
        "a linked party member holds its linked households"
    );
    let card = p.app.household_card(&households[0].id).unwrap();
    assert!(!card.can_reveal && card.special_tags.is_empty());
    let person = card
        .members
        .first()
        .map(|m| m.id.clone())
        .unwrap_or_default();
    let err = p
        .app
        .reveal(&RevealRequest {
            household_id: card.id.clone(),
            person_id: person,
            field: "phone".into(),
        })
        .expect_err("party members may not reveal");
    assert_eq!(err.code, "reveal_not_allowed");
    assert!(
        p.app.store().pending_audit(10).unwrap().is_empty(),
        "a refused reveal is not a reveal"
    );
    let everyone = server.ds.households.len();
    assert!(
        households.len() < everyone,
        "a party member sees only linked households"
    );
}
