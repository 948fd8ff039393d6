//! Changes that build on a quarantined change: the server never stored the refused
//! ancestor, so they could never apply. They are quarantined with the ancestor's code
//! (never left `missing_dependencies` forever), while a change of the same push that does
//! not build on it is decided on its own.

use automerge::ActorId;
use gridwalk_core::doc::edit::{self, Edit};
use gridwalk_core::doc::household::HouseholdStatus;
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::doc::{DocKind, WriteCtx};
use gridwalk_core::protocol::{DocCode, PushDoc};
use gridwalk_core::reference::Role;
use serde_bytes::ByteBuf;

use crate::support::*;

/// A party member's device after its first sync, and one linked household it holds.
async fn party_member(s: &Server) -> (Device, String) {
    let pm = s.user_where(Role::PartyMember, |u| {
        s.ds.assignments.iter().any(|a| a.contactor_user == u.id)
    });
    let mut d = s.device(&pm.id).await;
    d.sync_all(s, vec![]).await;
    let house = d
        .docs
        .iter()
        .find(|(_, h)| h.kind == DocKind::Household)
        .expect("a linked household")
        .0
        .clone();
    (d, house)
}

/// A routine visit as one change on `doc`, by `ctx`.
fn visit_on(doc: &mut automerge::AutoCommit, ctx: &WriteCtx) -> automerge::Change {
    let v = NewVisit::routine(uuid::Uuid::now_v7().to_string(), ctx.at.0)
        .into_record(ctx)
        .unwrap();
    let heads = doc.get_heads();
    edit::add_visit(doc, ctx, &v).unwrap();
    let mut changes = doc.get_changes(&heads);
    assert_eq!(changes.len(), 1);
    changes.remove(0)
}

fn push_of(doc_id: &str, grid: &str, changes: &[&automerge::Change]) -> PushDoc {
    PushDoc {
        doc_id: doc_id.into(),
        kind: DocKind::Household,
        grid_id: grid.into(),
        changes: changes
            .iter()
            .map(|c| ByteBuf::from(c.raw_bytes().to_vec()))
            .collect(),
    }
}

#[tokio::test]
async fn a_change_building_on_a_quarantined_change_is_quarantined_with_its_code_not_left_missing() {
    let s = Server::new();
    let (mut d, house) = party_member(&s).await;
    let grid = d.docs[&house].grid.clone();
    let ctx = d.ctx(s.now());
    let actor = d.actor.clone();
    let held = d.docs.get_mut(&house).unwrap();
    held.doc.set_actor(actor);
    let before_refused = held.doc.get_heads();

    // A party member may not change a household's status: refused and quarantined.
    edit::apply_edit(&mut held.doc, &ctx, Edit::Status(HouseholdStatus::Empty)).unwrap();
    let refused = held.doc.get_changes(&before_refused)[0].clone();
    let resp = s
        .sync(
            &d.token,
            &d.request(vec![push_of(&house, &grid, &[&refused])]),
        )
        .await
        .unwrap();
    assert_eq!(resp.results[0].code, DocCode::RoleForbidden);

    // The device keeps its refused change in its replica, so its next visit depends on it.
    s.advance(60_000);
    let ctx = d.ctx(s.now());
    let held = d.docs.get_mut(&house).unwrap();
    let later = visit_on(&mut held.doc, &ctx);
    assert!(
        later.deps().contains(&refused.hash()),
        "the visit builds on the refused edit"
    );

    // A visit made on a replica that never saw the refused edit (another actor of the
    // same device, as after a reinstall) does not build on it.
    let mut fork = held.doc.fork_at(&before_refused).unwrap();
    fork.set_actor(ActorId::random());
    let independent = visit_on(&mut fork, &ctx);

    let resp = s
        .sync(
            &d.token,
            &d.request(vec![push_of(&house, &grid, &[&later, &independent])]),
        )
        .await
        .unwrap();
    let r = &resp.results[0];
    assert_eq!(
        r.accepted,
        [independent.hash().to_string()],
        "the change that does not build on the quarantine is decided on its own: {r:?}"
    );
    assert!(
        r.quarantined.is_empty(),
        "the tainted change waits for a push of its own rather than take the good one down"
    );

    let resp = s
        .sync(
            &d.token,
            &d.request(vec![push_of(&house, &grid, &[&later])]),
        )
        .await
        .unwrap();
    let r = &resp.results[0];
    assert_eq!(
        r.code,
        DocCode::RoleForbidden,
        "the refused ancestor's code, so the device shows why: {r:?}"
    );
    assert_eq!(r.quarantined, [later.hash().to_string()]);
    assert!(r.accepted.is_empty());
    let q = s.storage.quarantined(&house).unwrap();
    let row = q
        .iter()
        .find(|q| q.hash == later.hash().to_string())
        .expect("the later visit is kept in quarantine: nothing is lost");
    assert!(
        row.reason.contains(&refused.hash().to_string()),
        "the reason names the refused ancestor: {}",
        row.reason
    );
    assert_eq!(row.bytes, later.raw_bytes(), "with its bytes as pushed");

    // The stored household holds neither the refused edit nor its successor.
    let stored = s.storage.load_doc(&house).unwrap().unwrap();
    let mut doc = gridwalk_server::loaded::from_stored(&stored).unwrap().doc;
    assert!(doc.get_change_by_hash(&refused.hash()).is_none());
    assert!(doc.get_change_by_hash(&later.hash()).is_none());
    assert!(doc.get_change_by_hash(&independent.hash()).is_some());

    // A re-push (a lost ack) gets the same answer and adds no second quarantine row.
    let resp = s
        .sync(
            &d.token,
            &d.request(vec![push_of(&house, &grid, &[&later])]),
        )
        .await
        .unwrap();
    assert_eq!(resp.results[0].code, DocCode::RoleForbidden);
    assert_eq!(s.storage.quarantined(&house).unwrap().len(), q.len());
}

#[tokio::test]
async fn a_change_missing_a_parent_that_was_never_pushed_still_asks_for_it_first() {
    let s = Server::new();
    let (mut d, house) = party_member(&s).await;
    let grid = d.docs[&house].grid.clone();
    let ctx = d.ctx(s.now());
    let actor = d.actor.clone();
    let held = d.docs.get_mut(&house).unwrap();
    held.doc.set_actor(actor);
    let first = visit_on(&mut held.doc, &ctx);
    let second = visit_on(&mut held.doc, &ctx);
    let resp = s
        .sync(
            &d.token,
            &d.request(vec![push_of(&house, &grid, &[&second])]),
        )
        .await
        .unwrap();
    assert_eq!(
        resp.results[0].code,
        DocCode::MissingDependencies,
        "a parent that is merely late is not a refusal"
    );
    assert!(s.storage.quarantined(&house).unwrap().is_empty());
    let resp = s
        .sync(
            &d.token,
            &d.request(vec![push_of(&house, &grid, &[&first, &second])]),
        )
        .await
        .unwrap();
    assert_eq!(
        resp.ok,
        [0],
        "both changes are stored once the parent arrives: {:?}",
        resp.results
    );
}
