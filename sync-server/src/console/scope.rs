//! What a console user may see: the grids of their area, and the reference data the
//! console shows names from.
//!
//! A grid head sees its grid (or the grids under its area), a township supervisor and a
//! dispatcher the grids under their township, an admin every grid. A handling-unit user
//! sees no grids: only incidents routed to its unit (see [`super::incidents`]).

use std::collections::{BTreeSet, HashMap};

use gridwalk_core::protocol::ReferenceData;
use gridwalk_core::reference::{AreaLevel, Role};

use crate::error::AppError;
use crate::state::AppState;
use crate::storage::UserRow;

/// The grids a user's area covers.
pub fn grids_of(
    state: &AppState,
    user: &UserRow,
    refdata: &ReferenceData,
) -> Result<BTreeSet<String>, AppError> {
    Ok(match (user.role, &user.area_id) {
        (Role::Admin, _) => refdata
            .areas
            .iter()
            .filter(|a| a.level == AreaLevel::Grid)
            .map(|a| a.id.clone())
            .collect(),
        (Role::HandlingUnit, _) | (_, None) => BTreeSet::new(),
        (_, Some(area)) => state.storage.grids_under(area)?.into_iter().collect(),
    })
}

/// Names by id: areas and users.
pub struct Names {
    /// Area names.
    pub areas: HashMap<String, String>,
    /// User display names.
    pub users: HashMap<String, String>,
}

impl Names {
    /// From reference data and the user table.
    pub fn load(state: &AppState, refdata: &ReferenceData) -> Result<Names, AppError> {
        let areas = refdata
            .areas
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect();
        let users = state
            .storage
            .users()?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        Ok(Names { areas, users })
    }

    /// An area's name, or its id when unknown.
    pub fn area(&self, id: &str) -> String {
        self.areas
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// A user's name, or the id when unknown.
    pub fn user(&self, id: &str) -> String {
        self.users
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

/// The physical time of an HLC text, UTC ms (0 when it is not one).
pub fn hlc_ms(hlc: &str) -> i64 {
    hlc.parse::<gridwalk_core::Hlc>().map_or(0, |h| h.wall_ms)
}
