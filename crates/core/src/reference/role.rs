//! The eight roles of DOMAIN.md, and what each may hold and see.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

/// A user's role. Permissions hang off the role, never off the user.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Reconcile,
    Hydrate,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 专职网格员: a paid worker over one grid.
    GridWorker,
    /// 兼职网格员 / 微网格长: a volunteer or cadre over a micro-grid.
    PartTimeWorker,
    /// 联户党员: a party member linked to 5–10 households.
    PartyMember,
    /// 网格长: the cadre heading a grid.
    GridHead,
    /// 网格指导员 / township cadre, over several grids.
    TownshipSupervisor,
    /// 四平台 dispatcher in the township command room.
    Dispatcher,
    /// A department or station that handles routed incidents.
    HandlingUnit,
    /// The deployment's operator.
    Admin,
}

impl Role {
    /// Every role, in the order of DOMAIN.md.
    pub const ALL: [Role; 8] = [
        Role::GridWorker,
        Role::PartTimeWorker,
        Role::PartyMember,
        Role::GridHead,
        Role::TownshipSupervisor,
        Role::Dispatcher,
        Role::HandlingUnit,
        Role::Admin,
    ];

    /// The stable code used in storage and on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Role::GridWorker => "grid_worker",
            Role::PartTimeWorker => "part_time_worker",
            Role::PartyMember => "party_member",
            Role::GridHead => "grid_head",
            Role::TownshipSupervisor => "township_supervisor",
            Role::Dispatcher => "dispatcher",
            Role::HandlingUnit => "handling_unit",
            Role::Admin => "admin",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The Chinese title a worker knows the role by.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::GridWorker => "专职网格员",
            Role::PartTimeWorker => "兼职网格员",
            Role::PartyMember => "联户党员",
            Role::GridHead => "网格长",
            Role::TownshipSupervisor => "网格指导员",
            Role::Dispatcher => "四平台调度员",
            Role::HandlingUnit => "承办单位",
            Role::Admin => "系统管理员",
        }
    }

    /// May this role's device hold household private documents (full IDs, special-group
    /// tags)? Supervisors read them through the server and never hold them on a device.
    pub fn may_hold_private(self) -> bool {
        matches!(self, Role::GridWorker | Role::GridHead)
    }

    /// May this role read private data at all (on the device or through the server)?
    pub fn may_read_private(self) -> bool {
        matches!(
            self,
            Role::GridWorker | Role::GridHead | Role::TownshipSupervisor
        )
    }

    /// May this role reveal a full ID number or phone (each reveal is audited)?
    pub fn may_reveal_identity(self) -> bool {
        self.may_read_private()
    }

    /// Does this role hold household documents on its device?
    pub fn holds_households(self) -> bool {
        matches!(
            self,
            Role::GridWorker | Role::PartTimeWorker | Role::PartyMember | Role::GridHead
        )
    }

    /// May this role review (approve or return) visits and contact logs?
    pub fn may_review(self) -> bool {
        matches!(self, Role::GridHead | Role::TownshipSupervisor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip_and_are_unique() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("nobody"), None);
    }

    #[test]
    fn party_members_and_part_time_workers_never_hold_private_documents() {
        assert!(!Role::PartyMember.may_hold_private());
        assert!(!Role::PartTimeWorker.may_hold_private());
        assert!(
            !Role::TownshipSupervisor.may_hold_private(),
            "supervisors read through the server"
        );
        assert!(Role::GridWorker.may_hold_private());
    }
}
