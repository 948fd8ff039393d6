//! Scope: a household that moves grid takes an offline visit with it (grace), leaves the
//! old phone without a trace and reaches the new grid's phone; the party member and the
//! part-time worker only ever hold what their role may hold.

use gridwalk_core::Timestamp;
use gridwalk_core::doc::{DocKind, private_doc_id};
use gridwalk_core::reference::{ContactKind, ContactTarget, Role};
use std::collections::HashSet;

use crate::converge::Four;
use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_recorded_offline_to_a_household_that_moved_is_kept_and_follows_it() {
    let server = TestServer::start().await;
    let old_worker = server.user_where(Role::GridWorker, |_| true);
    let old_grid = old_worker.area_id.clone();
    let new_worker = server.user_where(Role::GridWorker, |u| u.area_id != old_grid);
    let new_grid = new_worker.area_id.clone();
    // A household with a private document, so both documents must move.
    let household = server
        .ds
        .households
        .iter()
        .filter(|h| h.grid_id == old_grid)
        .map(|h| h.id.clone())
        .find(|h| {
            server
                .storage
                .doc_meta(&private_doc_id(h))
                .unwrap()
                .is_some()
        })
        .expect("a household of the grid has a private document");
    let private = private_doc_id(&household);

    let mut old = server.phone(&old_worker.id).await;
    let mut new = server.phone(&new_worker.id).await;
    old.sync().await;
    new.sync().await;
    assert!(old.doc_ids(DocKind::HouseholdPrivate).contains(&private));

    // Offline in the village, the old worker records a visit; meanwhile the household
    // is moved to the other grid on the server.
    server.advance(60_000);
    let visit = old.visit(&household, server.now());
    gridwalk_server::scope_change::move_household(&server.state, &household, &new_grid, None, None)
        .expect("the move is applied");

    let report = old.sync().await;
    assert_eq!(
        (report.acked, report.refused),
        (1, 0),
        "the visit made before the device saw the move is accepted (grace)"
    );
    assert!(
        report.docs_dropped.contains(&household) && report.docs_dropped.contains(&private),
        "the old phone drops the household and its private document once the visit is pushed: {report:?}"
    );
    assert!(server.storage.quarantined(&household).unwrap().is_empty());
    assert!(!old.doc_ids(DocKind::Household).contains(&household));
    assert!(old.store.household_row(&household).unwrap().is_none());
    assert!(old.store.visits_of(&household).unwrap().is_empty());
    let orphans: Vec<String> = old
        .store
        .dump_rows()
        .unwrap()
        .into_iter()
        .filter(|r| r.contains(&household))
        .collect();
    assert!(
        orphans.is_empty(),
        "nothing of the household is left behind: {orphans:?}"
    );
    assert_eq!(old.store.pending_revokes().unwrap(), Vec::<String>::new());
    assert_eq!(report.debt.pending_actions, 0);

    new.sync().await;
    let row = new
        .store
        .household_row(&household)
        .unwrap()
        .expect("the new grid's phone receives the household");
    assert_eq!(row.grid_id, new_grid, "under its new grid");
    assert!(
        new.store
            .visits_of(&household)
            .unwrap()
            .iter()
            .any(|v| v.id == visit),
        "with the visit recorded offline on the old phone"
    );
    assert!(new.doc_ids(DocKind::HouseholdPrivate).contains(&private));
}

/// The households a party member is linked to today, from the server's assignments.
fn linked(server: &TestServer, user: &str) -> HashSet<String> {
    let day = Timestamp(server.now()).shanghai_date();
    server
        .storage
        .assignments_of(user)
        .unwrap()
        .into_iter()
        .filter(|a| a.kind == ContactKind::PartyMemberHousehold && a.in_force(day))
        .filter_map(|a| match a.target {
            ContactTarget::Household(h) => Some(h),
            _ => None,
        })
        .collect()
}

/// Checks what the party member's and the part-time worker's phones hold.
fn assert_roles_hold_only_their_own(four: &mut Four, when: &str) {
    let linked = linked(&four.server, &four.party.user_id);
    assert!(!linked.is_empty());
    for h in four.party.doc_ids(DocKind::Household) {
        assert!(
            linked.contains(&h),
            "{when}: the party member holds {h}, which it is not linked to"
        );
    }
    assert_eq!(
        four.party.doc_ids(DocKind::HouseholdPrivate),
        Vec::<String>::new(),
        "{when}: a party member never receives a private document"
    );
    assert_eq!(
        four.part_time.doc_ids(DocKind::HouseholdPrivate),
        Vec::<String>::new(),
        "{when}: nor does a part-time worker"
    );
    for h in four.part_time.doc_ids(DocKind::Household) {
        let row = four.part_time.store.household_row(&h).unwrap().unwrap();
        assert_eq!(
            row.micro_grid_id.as_deref(),
            Some(four.micro_grid.as_str()),
            "{when}: the part-time worker holds only its micro-grid's households"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_party_member_never_receives_a_private_document_or_an_unlinked_household() {
    let mut four = Four::start().await;
    assert_roles_hold_only_their_own(&mut four, "after the first sync");
    assert!(
        four.party
            .doc_ids(DocKind::Household)
            .contains(&four.household),
        "the linked household arrives"
    );

    // The workers record visits all over the grid; everyone syncs again.
    let now = four.server.now() + 60_000;
    four.server.advance(60_000);
    let grid_households: Vec<String> = four.a.doc_ids(DocKind::Household);
    for h in grid_households.iter().take(10) {
        four.a.visit(h, now);
    }
    for p in four.phones() {
        p.sync().await;
    }
    assert_roles_hold_only_their_own(&mut four, "after the workers' visits");

    // The link ends: the household leaves the party member's phone.
    let yesterday = Timestamp(four.server.now())
        .shanghai_date()
        .pred_opt()
        .unwrap();
    gridwalk_server::scope_change::end_link(&four.server.state, &four.link_id, yesterday, None)
        .expect("the link ends");
    let report = four.party.sync().await;
    assert!(
        report.docs_dropped.contains(&four.household),
        "the household whose link ended is dropped: {report:?}"
    );
    assert!(
        four.party
            .store
            .household_row(&four.household)
            .unwrap()
            .is_none()
    );
    assert_roles_hold_only_their_own(&mut four, "after the link ended");
}

/// A grid other than the household's, for moves.
fn another_grid(four: &Four) -> String {
    let here = four
        .server
        .storage
        .placement(&four.household)
        .unwrap()
        .unwrap()
        .grid_id;
    four.server
        .user_where(Role::GridWorker, |u| u.area_id != here)
        .area_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_part_time_workers_offline_visit_to_a_household_that_moved_away_is_kept_under_grace() {
    let mut four = Four::start().await;
    let (h, away) = (four.household.clone(), another_grid(&four));
    four.server.advance(60_000);
    let visit = four.part_time.visit(&h, four.server.now());
    gridwalk_server::scope_change::move_household(&four.server.state, &h, &away, None, None)
        .unwrap();
    let report = four.part_time.sync().await;
    assert_eq!(
        (report.acked, report.refused),
        (1, 0),
        "the visit was made before the phone saw the move: {report:?}"
    );
    assert!(
        report.docs_dropped.contains(&h),
        "then the household leaves"
    );
    assert!(four.server.storage.quarantined(&h).unwrap().is_empty());
    let stored = four.server.storage.load_doc(&h).unwrap().unwrap();
    let doc = gridwalk_server::loaded::from_stored(&stored).unwrap().doc;
    let hh: gridwalk_core::doc::household::HouseholdDoc =
        gridwalk_core::doc::load(&doc, 1).unwrap();
    assert!(hh.visits.contains_key(&visit), "the visit is on the server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_offline_while_a_household_moves_back_and_away_again_syncs_and_holds_none_of_it() {
    let mut four = Four::start().await;
    let (h, away) = (four.household.clone(), another_grid(&four));
    let home = four.server.storage.placement(&h).unwrap().unwrap();
    let state = four.server.state.clone();
    let mv = |to: &str, micro: Option<&str>| {
        gridwalk_server::scope_change::move_household(&state, &h, to, micro, None).unwrap();
    };
    mv(&away, None);
    let report = four.b.sync().await;
    assert!(report.docs_dropped.contains(&h));
    // While b is offline, the household comes back, gets a visit, and leaves again.
    mv(&home.grid_id, home.micro_grid_id.as_deref());
    four.a.sync().await;
    four.server.advance(60_000);
    four.a.visit(&h, four.server.now());
    four.a.sync().await;
    mv(&away, None);
    let report = four.b.sync().await;
    assert!(
        !four.b.doc_ids(DocKind::Household).contains(&h),
        "no change of a household out of scope reaches the phone bare: {report:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_linked_household_that_moved_grid_leaves_the_party_member_when_the_link_ends() {
    let mut four = Four::start().await;
    let (h, away) = (four.household.clone(), another_grid(&four));
    four.server.advance(60_000);
    four.a.visit(&h, four.server.now());
    four.a.sync().await;
    gridwalk_server::scope_change::move_household(&four.server.state, &h, &away, None, None)
        .unwrap();
    four.party.sync().await;
    let row = four.party.store.household_row(&h).unwrap().unwrap();
    assert_eq!(
        row.grid_id, away,
        "the party member files it under its new grid"
    );
    let yesterday = Timestamp(four.server.now())
        .shanghai_date()
        .pred_opt()
        .unwrap();
    gridwalk_server::scope_change::end_link(&four.server.state, &four.link_id, yesterday, None)
        .unwrap();
    let report = four.party.sync().await;
    assert!(
        report.docs_dropped.contains(&h),
        "the household whose link ended leaves, wherever it moved: {report:?}"
    );
}

/// A new micro-grid (a new building) in the grid that holds the part-time worker's
/// micro-grid, imported as reference data the way an admin would add one.
fn new_sibling_micro_grid(four: &Four) -> String {
    let areas = four.server.storage.reference_data().unwrap().areas;
    let mut sibling = areas
        .iter()
        .find(|a| a.id == four.micro_grid)
        .expect("the micro-grid is in the area tree")
        .clone();
    sibling.id = format!("{}-new-building", four.micro_grid);
    sibling.name = "新建楼栋".into();
    let import = gridwalk_server::storage::ReferenceImport {
        areas: vec![sibling.clone()],
        ..Default::default()
    };
    four.server.storage.import_reference(&import).unwrap();
    sibling.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_household_moved_to_another_micro_grid_of_the_same_grid_leaves_only_the_old_part_time_worker()
 {
    let mut four = Four::start().await;
    let h = four.household.clone();
    let grid = four.server.storage.placement(&h).unwrap().unwrap().grid_id;
    let other = new_sibling_micro_grid(&four);
    assert!(
        four.part_time.doc_ids(DocKind::Household).contains(&h),
        "before the move the part-time worker holds the household"
    );
    gridwalk_server::scope_change::move_household(
        &four.server.state,
        &h,
        &grid,
        Some(&other),
        None,
    )
    .unwrap();
    let report = four.part_time.sync().await;
    assert!(
        report.docs_dropped.contains(&h),
        "the old micro-grid's part-time worker must drop the household: {report:?}"
    );
    four.a.sync().await;
    assert!(
        four.a.doc_ids(DocKind::Household).contains(&h),
        "the grid's worker keeps it: the move stayed inside the grid"
    );
    assert_roles_hold_only_their_own(&mut four, "after a move between micro-grids");
}
