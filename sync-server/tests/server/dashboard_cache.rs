//! The dashboard's per-grid document cache: a change pushed after a dashboard shows in
//! the next one, a cached dashboard equals one computed from nothing, private documents
//! are loaded only for roles that may read them, and the cache keeps to its budget.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use gridwalk_core::Timestamp;
use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::household::HouseholdStatus;
use gridwalk_core::reference::Role;
use gridwalk_server::console::dashboard::cache::Cache;
use gridwalk_server::console::dashboard::{Dashboard, DashboardQuery, for_user};
use gridwalk_server::state::AppState;
use gridwalk_server::storage::UserRow;
use gridwalk_testkit::{T0, test_limits};

use crate::support::Server;

const DAY_MS: i64 = 86_400_000;

/// The Shanghai date of the server's clock, as the dashboard spells dates.
fn today(server: &Server) -> String {
    Timestamp(server.now())
        .shanghai_date()
        .format("%Y-%m-%d")
        .to_string()
}

/// The township an area lies in (the area itself when it is one).
fn township_of(server: &Server, area: &str) -> String {
    let mut id = area.to_string();
    loop {
        let a = server.ds.areas.iter().find(|a| a.id == id).unwrap();
        match &a.parent_id {
            Some(p) if a.level != gridwalk_core::reference::AreaLevel::Township => id = p.clone(),
            _ => return id,
        }
    }
}

fn row(server: &Server, user_id: &str) -> UserRow {
    server.storage.user(user_id).unwrap().unwrap()
}

/// A state over the same storage and clock, with nothing cached.
fn uncached(server: &Server) -> AppState {
    let clock = server.clock.clone();
    AppState::new(
        server.storage.clone(),
        test_limits(),
        Arc::new(move || clock.load(Ordering::SeqCst)),
    )
    .unwrap()
}

fn dashboard(state: &AppState, user: &UserRow, area: Option<&str>, day: &str) -> Dashboard {
    let q = DashboardQuery {
        area_id: area.map(str::to_string),
        from: day.into(),
        to: day.into(),
    };
    for_user(state, user, &q).unwrap()
}

fn json(d: &Dashboard) -> serde_json::Value {
    serde_json::to_value(d).unwrap()
}

#[tokio::test]
async fn a_visit_pushed_after_a_dashboard_shows_in_the_next_one() {
    let server = Server::new();
    // A day after everything the dataset holds, so the day's figures start from nothing.
    server.advance(3 * DAY_MS);
    let day = today(&server);
    let worker = server.user_where(Role::GridWorker, |_| true);
    let grid = worker.area_id.clone();
    let township = township_of(&server, &grid);
    let sup = server.user_where(Role::TownshipSupervisor, |u| u.area_id == township);
    let sup = row(&server, &sup.id);
    let hh = server
        .ds
        .households
        .iter()
        .find(|h| h.grid_id == grid && h.status != HouseholdStatus::Empty)
        .expect("an occupied household in the worker's grid")
        .id
        .clone();
    assert!(
        server.ds.visits.iter().all(|v| v.at < T0 + 3 * DAY_MS),
        "no dataset visit falls on the day looked at"
    );

    let before = dashboard(&server.state, &sup, None, &day);
    assert!(
        server.state.dashboard.docs() > 0,
        "the first dashboard filled the cache"
    );
    let grid_row = |d: &Dashboard| d.grids.iter().find(|r| r.id == grid).unwrap().clone();
    let worker_row = |d: &Dashboard| {
        d.workers
            .iter()
            .find(|r| r.id == worker.id)
            .unwrap()
            .clone()
    };

    let mut dev = server.device(&worker.id).await;
    dev.sync_all(&server, vec![]).await;
    let push = dev.visit(&hh, server.now());
    dev.sync_all(&server, vec![push]).await;

    let after = dashboard(&server.state, &sup, None, &day);
    assert_eq!(
        grid_row(&after).seen,
        grid_row(&before).seen + 1,
        "the household visited in person now counts as seen in its grid (a stale cache would not)"
    );
    assert_eq!(
        worker_row(&after).seen_by_self,
        worker_row(&before).seen_by_self.map(|n| n + 1),
        "the visit counts for the worker who made it"
    );
    assert_eq!(
        after.total.seen,
        before.total.seen + 1,
        "and for the township"
    );
    assert_eq!(
        json(&after),
        json(&dashboard(&uncached(&server), &sup, None, &day)),
        "the cached dashboard equals one computed with nothing cached"
    );
}

#[tokio::test]
async fn a_dispatcher_request_loads_no_private_document() {
    let server = Server::new();
    let day = today(&server);
    let sup = server.user_where(Role::TownshipSupervisor, |_| true);
    let township = sup.area_id.clone();
    let dispatcher = server.user_where(Role::Dispatcher, |u| u.area_id == township);
    let privates: usize = server
        .storage
        .grids_under(&township)
        .unwrap()
        .iter()
        .map(|g| {
            let docs = server.storage.docs_in_grid(g, "", 1_000_000).unwrap();
            docs.iter()
                .filter(|m| m.kind == DocKind::HouseholdPrivate)
                .count()
        })
        .sum();
    assert!(
        privates > 0,
        "the township has private documents to leave out"
    );

    let state = uncached(&server);
    let by_dispatcher = dashboard(&state, &row(&server, &dispatcher.id), None, &day);
    let without = state.dashboard.docs();
    let by_sup = dashboard(&state, &row(&server, &sup.id), None, &day);
    assert_eq!(
        state.dashboard.docs(),
        without + privates,
        "private documents are loaded only when a role that may read them asks"
    );
    assert_eq!(
        by_dispatcher.total, by_sup.total,
        "both see the same coverage of the township"
    );
    let again = dashboard(&state, &row(&server, &dispatcher.id), None, &day);
    assert_eq!(
        json(&again),
        json(&by_dispatcher),
        "cached private documents change nothing for the dispatcher"
    );
}

#[test]
fn the_cache_keeps_to_its_budget_by_dropping_the_grid_read_least_recently() {
    let server = Server::new();
    let day = today(&server);
    let sup = server.user_where(Role::TownshipSupervisor, |_| true);
    let sup = row(&server, &sup.id);
    let grids = server
        .storage
        .grids_under(sup.area_id.as_deref().unwrap())
        .unwrap();
    assert!(grids.len() >= 2, "the township has two grids to read");
    let mut state = uncached(&server);
    state.dashboard = Arc::new(Cache::with_budget(1));
    let first = dashboard(&state, &sup, Some(&grids[0]), &day);
    let one = state.dashboard.docs();
    assert!(one > 1, "a grid's documents are kept even over the budget");
    let second = dashboard(&state, &sup, Some(&grids[1]), &day);
    let kept = state.dashboard.docs();
    let fresh = uncached(&server);
    dashboard(&fresh, &sup, Some(&grids[1]), &day);
    assert_eq!(
        kept,
        fresh.dashboard.docs(),
        "only the grid read last is kept once the budget is exceeded"
    );
    assert_eq!(
        json(&dashboard(&state, &sup, Some(&grids[0]), &day)),
        json(&first),
        "a dropped grid is read again the same"
    );
    assert_eq!(
        json(&second),
        json(&dashboard(&fresh, &sup, Some(&grids[1]), &day)),
        "a kept grid reads the same as with nothing cached"
    );
}

#[test]
fn a_household_moved_to_another_grid_leaves_the_old_grid_in_the_next_dashboard() {
    let server = Server::new();
    let day = today(&server);
    let sup = server.user_where(Role::TownshipSupervisor, |_| true);
    let sup = row(&server, &sup.id);
    let grids = server
        .storage
        .grids_under(sup.area_id.as_deref().unwrap())
        .unwrap();
    let (from, to) = (grids[0].clone(), grids[1].clone());
    let hh = server
        .ds
        .households
        .iter()
        .find(|h| h.grid_id == from && h.status != HouseholdStatus::Empty)
        .expect("an occupied household to move")
        .id
        .clone();
    let occupied = |d: &Dashboard, g: &str| d.grids.iter().find(|r| r.id == g).unwrap().occupied;

    let before = dashboard(&server.state, &sup, None, &day);
    gridwalk_server::scope_change::move_household(&server.state, &hh, &to, None, None).unwrap();
    let after = dashboard(&server.state, &sup, None, &day);
    assert_eq!(
        (occupied(&after, &from), occupied(&after, &to)),
        (occupied(&before, &from) - 1, occupied(&before, &to) + 1),
        "the moved household counts in its new grid only"
    );
    assert_eq!(
        json(&after),
        json(&dashboard(&uncached(&server), &sup, None, &day)),
        "the cached dashboard equals one computed with nothing cached"
    );
}
