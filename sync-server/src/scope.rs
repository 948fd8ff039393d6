//! What a device may hold: its grids, and which documents of them (DESIGN.md §3,
//! DOMAIN.md's role table).
//!
//! | role | grids | documents of those grids |
//! |---|---|---|
//! | grid worker | its grid (`area_id`) | all, private documents included |
//! | grid head | the grids of its village | all, private documents included |
//! | part-time worker | the grid of its micro-grid | households of its micro-grid, its own incidents |
//! | party member | its grid and the grids of its linked households | linked households (assignments in force today), its own incidents |
//! | township supervisor, dispatcher | the grids of its township | incidents only (households are read through server APIs) |
//! | handling unit, admin | none | none (console only) |
//!
//! Private documents go only to roles that may hold them
//! ([`Role::may_hold_private`]), whatever the filter says.

use std::collections::{BTreeSet, HashSet};

use gridwalk_core::doc::DocKind;
use gridwalk_core::reference::{ContactKind, ContactTarget, Role};

use crate::storage::{DocMeta, Storage, StorageResult, UserRow};

/// Which documents of its grids a device gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocFilter {
    /// Every document (grid workers and grid heads).
    Full,
    /// Households of one micro-grid, and the user's own incidents.
    MicroGrid(String),
    /// Linked households, and the user's own incidents.
    Linked(HashSet<String>),
    /// Incidents only.
    IncidentsOnly,
    /// Nothing.
    Nothing,
}

/// A device's scope now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceScope {
    /// The user.
    pub user_id: String,
    /// The user's role.
    pub role: Role,
    /// The grids.
    pub grids: BTreeSet<String>,
    /// Which of their documents.
    pub filter: DocFilter,
}

impl DeviceScope {
    /// Is the document in this scope now (its grid and the filter)?
    pub fn admits(&self, meta: &DocMeta) -> bool {
        self.grids.contains(&meta.grid_id) && self.admits_doc(meta)
    }

    /// Does the filter (kind, household, reporter) admit the document, whatever its grid?
    pub fn admits_doc(&self, meta: &DocMeta) -> bool {
        if meta.kind == DocKind::HouseholdPrivate && !self.role.may_hold_private() {
            return false;
        }
        let own_incident =
            meta.kind == DocKind::Incident && meta.owner_user.as_deref() == Some(&self.user_id);
        match &self.filter {
            DocFilter::Full => true,
            DocFilter::MicroGrid(mg) => {
                own_incident
                    || (meta.kind == DocKind::Household
                        && meta.micro_grid_id.as_deref() == Some(mg.as_str()))
            }
            DocFilter::Linked(set) => {
                own_incident
                    || (meta.kind == DocKind::Household
                        && meta.household_id.as_ref().is_some_and(|h| set.contains(h)))
            }
            DocFilter::IncidentsOnly => meta.kind == DocKind::Incident,
            DocFilter::Nothing => false,
        }
    }
}

/// The households a party member is linked to on `day`.
pub fn linked_households(
    storage: &dyn Storage,
    user_id: &str,
    day: chrono::NaiveDate,
) -> StorageResult<HashSet<String>> {
    Ok(storage
        .assignments_of(user_id)?
        .into_iter()
        .filter(|a| a.kind == ContactKind::PartyMemberHousehold && a.in_force(day))
        .filter_map(|a| match a.target {
            ContactTarget::Household(h) => Some(h),
            _ => None,
        })
        .collect())
}

/// Computes a user's scope on `day` (Shanghai).
pub fn scope_of(
    storage: &dyn Storage,
    user: &UserRow,
    day: chrono::NaiveDate,
) -> StorageResult<DeviceScope> {
    let area = user.area_id.clone().unwrap_or_default();
    let under = |a: &str| -> StorageResult<BTreeSet<String>> {
        Ok(storage.grids_under(a)?.into_iter().collect())
    };
    let (grids, filter) = match user.role {
        Role::GridWorker | Role::GridHead => (under(&area)?, DocFilter::Full),
        Role::PartTimeWorker => {
            let parent = storage.area(&area)?.and_then(|a| a.parent_id);
            let grids = match parent {
                Some(g) => under(&g)?,
                None => BTreeSet::new(),
            };
            (grids, DocFilter::MicroGrid(area))
        }
        Role::PartyMember => {
            let linked = linked_households(storage, &user.id, day)?;
            let mut grids = under(&area)?;
            for h in &linked {
                if let Some(p) = storage.placement(h)? {
                    grids.insert(p.grid_id);
                }
            }
            (grids, DocFilter::Linked(linked))
        }
        Role::TownshipSupervisor | Role::Dispatcher => (under(&area)?, DocFilter::IncidentsOnly),
        Role::HandlingUnit | Role::Admin => (BTreeSet::new(), DocFilter::Nothing),
    };
    Ok(DeviceScope {
        user_id: user.id.clone(),
        role: user.role,
        grids,
        filter,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(kind: DocKind, owner: Option<&str>, micro: Option<&str>) -> DocMeta {
        DocMeta {
            id: "h1".into(),
            kind,
            grid_id: "g1".into(),
            household_id: Some("h1".into()),
            micro_grid_id: micro.map(Into::into),
            owner_user: owner.map(Into::into),
        }
    }

    fn scope(role: Role, filter: DocFilter) -> DeviceScope {
        DeviceScope {
            user_id: "u".into(),
            role,
            grids: ["g1".to_string()].into(),
            filter,
        }
    }

    #[test]
    fn a_party_member_never_admits_a_private_document_even_of_a_linked_household() {
        let s = scope(
            Role::PartyMember,
            DocFilter::Linked(["h1".to_string()].into()),
        );
        assert!(s.admits(&meta(DocKind::Household, None, None)));
        assert!(
            !s.admits(&meta(DocKind::HouseholdPrivate, None, None)),
            "private documents never reach a party member"
        );
    }

    #[test]
    fn a_part_time_worker_admits_its_micro_grid_and_its_own_incidents_only() {
        let s = scope(Role::PartTimeWorker, DocFilter::MicroGrid("m1".into()));
        assert!(s.admits(&meta(DocKind::Household, None, Some("m1"))));
        assert!(!s.admits(&meta(DocKind::Household, None, Some("m2"))));
        assert!(s.admits(&meta(DocKind::Incident, Some("u"), None)));
        assert!(!s.admits(&meta(DocKind::Incident, Some("other"), None)));
        assert!(!s.admits(&meta(DocKind::GridJournal, None, None)));
    }

    #[test]
    fn supervisors_hold_incidents_and_never_households() {
        let s = scope(Role::TownshipSupervisor, DocFilter::IncidentsOnly);
        assert!(s.admits(&meta(DocKind::Incident, Some("x"), None)));
        assert!(!s.admits(&meta(DocKind::Household, None, None)));
    }
}
