//! Scope changes as first-class server operations (DESIGN.md §3): a household moves grid,
//! a worker is reassigned, a party member's link ends or starts. Each one changes the
//! reference rows and appends revokes and grants to the feeds in one transaction, and
//! bumps the reference-data version.
//!
//! - **Move:** revokes of the household and its private document in the old grid's feed,
//!   grants in the new grid's feed. Change bytes never move: the documents' current grid
//!   changes, and later changes go to the new grid's feed.
//! - **Reassign:** a whole-grid revoke, for that user only, in every grid that leaves the
//!   user's scope. New grids need nothing: they appear in the response's `scope` without
//!   a cursor, and their first sync starts.
//! - **Link end / start:** a revoke / grant of the household for that user only.
//!
//! The grace rule lives in [`crate::push`]: a change the device made before it pulled
//! the revoke is still accepted.

use gridwalk_core::Timestamp;
use gridwalk_core::doc::private_doc_id;
use gridwalk_core::protocol::RevokeReason;
use gridwalk_core::reference::{ContactAssignment, ContactKind, ContactTarget, Role};

use crate::error::AppError;
use crate::scope::scope_of;
use crate::state::AppState;
use crate::storage::{AuditRow, FeedKind, NewFeedEntry, Placement, ScopeChange};

fn feed(
    grid: &str,
    kind: FeedKind,
    doc: Option<String>,
    user: Option<&str>,
    reason: Option<RevokeReason>,
) -> NewFeedEntry {
    NewFeedEntry {
        grid_id: grid.to_string(),
        kind,
        doc_id: doc,
        target_user: user.map(str::to_string),
        reason,
    }
}

fn admin_audit(
    state: &AppState,
    by: Option<&str>,
    action: &str,
    doc: Option<&str>,
    target: &str,
) -> AuditRow {
    AuditRow {
        at: state.now(),
        user_id: by.map(str::to_string),
        device_id: None,
        action: format!("admin:{action}"),
        doc_id: doc.map(str::to_string),
        target: Some(target.to_string()),
        event_id: None,
    }
}

/// Moves a household (and its private document) to another grid and micro-grid.
pub fn move_household(
    state: &AppState,
    household_id: &str,
    new_grid: &str,
    new_micro_grid: Option<&str>,
    by: Option<&str>,
) -> Result<(), AppError> {
    let st = &state.storage;
    let old = st
        .placement(household_id)?
        .ok_or_else(|| AppError::Invalid(format!("no household {household_id}")))?;
    let grid = st
        .area(new_grid)?
        .ok_or_else(|| AppError::Invalid(format!("no grid {new_grid}")))?;
    let mut change = ScopeChange {
        at: state.now(),
        placements: vec![Placement {
            household_id: household_id.to_string(),
            grid_id: new_grid.to_string(),
            micro_grid_id: new_micro_grid.map(str::to_string),
            village_id: grid.parent_id.clone(),
        }],
        ..ScopeChange::default()
    };
    let private = private_doc_id(household_id);
    let mut docs = vec![household_id.to_string()];
    if st.doc_meta(&private)?.is_some() {
        docs.push(private);
    }
    for d in docs {
        change.doc_grids.push((d.clone(), new_grid.to_string()));
        if old.grid_id != new_grid {
            change.feed.push(feed(
                &old.grid_id,
                FeedKind::Revoke,
                Some(d.clone()),
                None,
                Some(RevokeReason::Moved),
            ));
        }
        change
            .feed
            .push(feed(new_grid, FeedKind::Grant, Some(d), None, None));
    }
    // A move between micro-grids of one grid leaves the grid's feed unchanged for everyone
    // but the old micro-grid's part-time workers: revoke it from them alone, so the grid's
    // other phones keep the household.
    if let Some(old_micro) = old.micro_grid_id.as_deref()
        && old.grid_id == new_grid
        && Some(old_micro) != new_micro_grid
    {
        for u in st.users()? {
            if u.role == Role::PartTimeWorker && u.area_id.as_deref() == Some(old_micro) {
                change.feed.push(feed(
                    &old.grid_id,
                    FeedKind::Revoke,
                    Some(household_id.to_string()),
                    Some(&u.id),
                    Some(RevokeReason::Moved),
                ));
            }
        }
    }
    change.audit.push(admin_audit(
        state,
        by,
        "move_household",
        Some(household_id),
        &format!("{} -> {new_grid}", old.grid_id),
    ));
    Ok(st.apply_scope_change(&change)?)
}

/// Reassigns a user to another area (grid, village, micro-grid or township).
pub fn reassign_user(
    state: &AppState,
    user_id: &str,
    new_area: &str,
    by: Option<&str>,
) -> Result<(), AppError> {
    let st = &state.storage;
    let mut user = st
        .user(user_id)?
        .ok_or_else(|| AppError::Invalid(format!("no user {user_id}")))?;
    if st.area(new_area)?.is_none() {
        return Err(AppError::Invalid(format!("no area {new_area}")));
    }
    let day = Timestamp(state.now()).shanghai_date();
    let before = scope_of(st.as_ref(), &user, day)?;
    user.area_id = Some(new_area.to_string());
    let after = scope_of(st.as_ref(), &user, day)?;
    let mut change = ScopeChange {
        at: state.now(),
        user_areas: vec![(user_id.to_string(), new_area.to_string())],
        ..ScopeChange::default()
    };
    for g in before.grids.difference(&after.grids) {
        change.feed.push(feed(
            g,
            FeedKind::Revoke,
            None,
            Some(user_id),
            Some(RevokeReason::Reassigned),
        ));
    }
    change.audit.push(admin_audit(
        state,
        by,
        "reassign_user",
        None,
        &format!("{user_id} -> {new_area}"),
    ));
    Ok(st.apply_scope_change(&change)?)
}

fn household_target(a: &ContactAssignment) -> Result<&str, AppError> {
    match (&a.kind, &a.target) {
        (ContactKind::PartyMemberHousehold, ContactTarget::Household(h)) => Ok(h),
        _ => Err(AppError::Invalid(format!(
            "assignment {} is not a party member's household link",
            a.id
        ))),
    }
}

/// Ends a party member's link to a household on `last_day` (the member's devices get a
/// revoke of the household now).
pub fn end_link(
    state: &AppState,
    assignment_id: &str,
    last_day: chrono::NaiveDate,
    by: Option<&str>,
) -> Result<(), AppError> {
    let st = &state.storage;
    let found = st
        .reference_data()?
        .assignments
        .into_iter()
        .find(|a| a.id == assignment_id)
        .ok_or_else(|| AppError::Invalid(format!("no assignment {assignment_id}")))?;
    let household = household_target(&found)?;
    let grid = st
        .placement(household)?
        .ok_or_else(|| AppError::Invalid(format!("no household {household}")))?
        .grid_id;
    let change = ScopeChange {
        at: state.now(),
        end_assignments: vec![(assignment_id.to_string(), last_day.to_string())],
        feed: vec![feed(
            &grid,
            FeedKind::Revoke,
            Some(household.to_string()),
            Some(&found.contactor_user),
            Some(RevokeReason::LinkEnded),
        )],
        audit: vec![admin_audit(
            state,
            by,
            "end_link",
            Some(household),
            assignment_id,
        )],
        ..ScopeChange::default()
    };
    Ok(st.apply_scope_change(&change)?)
}

/// Starts a party member's link to a household (the member's devices get its snapshot).
pub fn add_link(
    state: &AppState,
    assignment: ContactAssignment,
    by: Option<&str>,
) -> Result<(), AppError> {
    let st = &state.storage;
    let household = household_target(&assignment)?.to_string();
    let grid = st
        .placement(&household)?
        .ok_or_else(|| AppError::Invalid(format!("no household {household}")))?
        .grid_id;
    let change = ScopeChange {
        at: state.now(),
        feed: vec![feed(
            &grid,
            FeedKind::Grant,
            Some(household.clone()),
            Some(&assignment.contactor_user),
            None,
        )],
        audit: vec![admin_audit(
            state,
            by,
            "add_link",
            Some(&household),
            &assignment.id,
        )],
        add_assignments: vec![assignment],
        ..ScopeChange::default()
    };
    Ok(st.apply_scope_change(&change)?)
}
