//! One sync round trip, after the request was authenticated and decoded: push, device
//! audit events, pull, reference data and the clock check.
//!
//! Versions: a request of protocol [`MIN_PUSH_VERSION`]..[`PROTOCOL_VERSION`] has its
//! push accepted, so work recorded offline over an upgrade is never lost; only a request
//! of the current version also pulls (an older app gets its acks and is asked to update
//! by the next whole-request check). Older or newer versions are refused before this.

use std::collections::BTreeSet;

use gridwalk_core::Timestamp;
use gridwalk_core::hlc::MAX_FUTURE_DRIFT_MS;
use gridwalk_core::protocol::{
    MIN_PUSH_VERSION, PROTOCOL_VERSION, ReferenceData, SyncRequest, SyncResponse,
};
use gridwalk_core::reference::ContactTarget;

use crate::auth::Authed;
use crate::error::AppError;
use crate::pull::{Page, pull};
use crate::push::{PushCtx, push};
use crate::scope::{DeviceScope, DocFilter, scope_of};
use crate::state::AppState;
use crate::storage::AuditRow;

/// Checks the request's protocol version against what this build accepts.
pub fn check_version(protocol: u32) -> Result<(), AppError> {
    if protocol < MIN_PUSH_VERSION {
        Err(AppError::UpgradeRequired(protocol))
    } else if protocol > PROTOCOL_VERSION {
        Err(AppError::ProtocolUnsupported(protocol))
    } else {
        Ok(())
    }
}

/// Runs one decoded sync request.
pub fn handle(
    state: &AppState,
    authed: &Authed,
    req: SyncRequest,
) -> Result<SyncResponse, AppError> {
    check_version(req.protocol)?;
    if req.push.len() > state.limits.max_push_docs {
        return Err(AppError::TooLarge(format!(
            "{} documents, at most {}",
            req.push.len(),
            state.limits.max_push_docs
        )));
    }
    let st = &state.storage;
    let now = state.now();
    let scope = scope_of(st.as_ref(), &authed.user, Timestamp(now).shanghai_date())?;
    let cx = PushCtx {
        state,
        authed,
        scope: &scope,
        cursors: &req.cursors,
    };
    let pushed = push(&cx, &req.push)?;
    let mut audit: Vec<AuditRow> = req
        .audit
        .iter()
        .map(|e| AuditRow {
            at: e.at_ms,
            user_id: Some(authed.user.id.clone()),
            device_id: Some(authed.device.id.clone()),
            action: format!("device:{}", e.action),
            doc_id: Some(e.doc_id.clone()),
            target: Some(e.target.clone()),
            event_id: Some(e.id.clone()),
        })
        .collect();
    let page = if req.protocol == PROTOCOL_VERSION {
        pull(state, authed, &scope, &req.cursors)?
    } else {
        Page::new(state, authed, &scope)
    };
    audit.extend(page.audit.iter().cloned());
    if !audit.is_empty() {
        st.audit(&audit)?;
    }
    let version = st.reference_version()?;
    let reference = if req.reference_version < version {
        Some(reference_for(state, &scope)?)
    } else {
        None
    };
    let clock_ahead = req.device_ms > now + MAX_FUTURE_DRIFT_MS;
    // Only what the device does not know goes back: the scope when it differs from the
    // grids of the device's cursors, and the cursors that moved.
    let same_grids = scope.grids.len() == req.cursors.len()
        && scope.grids.iter().all(|g| req.cursors.contains_key(g));
    let mut cursors = page.cursors;
    cursors.retain(|grid, c| req.cursors.get(grid) != Some(c));
    Ok(SyncResponse {
        protocol: PROTOCOL_VERSION,
        server_time_ms: now,
        clock_ahead,
        ok: pushed.ok,
        results: pushed.results,
        docs: page.docs,
        revokes: page.revokes,
        scope: (!same_grids).then(|| scope.grids.iter().cloned().collect()),
        reference,
        cursors,
        more: page.more,
    })
}

/// Reference data for a device: everything but the assignments, which are cut to those
/// of the user and those whose target lies in the device's grids.
pub fn reference_for(state: &AppState, scope: &DeviceScope) -> Result<ReferenceData, AppError> {
    let st = &state.storage;
    let mut data = st.reference_data()?;
    let grids: &BTreeSet<String> = &scope.grids;
    let mut keep = Vec::new();
    for a in data.assignments {
        let ok = a.contactor_user == scope.user_id
            || match &a.target {
                ContactTarget::Grid(g) => grids.contains(g),
                ContactTarget::Household(h) if scope.filter == DocFilter::Full => {
                    st.placement(h)?.is_some_and(|p| grids.contains(&p.grid_id))
                }
                _ => false,
            };
        if ok {
            keep.push(a);
        }
    }
    data.assignments = keep;
    Ok(data)
}
