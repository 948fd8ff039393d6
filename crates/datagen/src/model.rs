//! The generated records, as plain data.
//!
//! These are the neutral form of the dataset: what the JSON-lines dump holds (see
//! `DUMP_FORMAT.md`) and what [`crate::docs`] writes into Automerge documents through
//! core's document operations. Reference rows (areas, assignments, units, categories)
//! are core's own types; household, visit, contact and incident records are flattened
//! here because core's document types wrap every edited field in a register.

use std::collections::BTreeMap;

use gridwalk_core::doc::Gps;
use gridwalk_core::doc::household::{
    Address, Campaign, ContactMode, HouseholdStatus, NeedOutcome, Observation, Relation, TagSpan,
    VisitKind,
};
use gridwalk_core::doc::incident::Source;
use gridwalk_core::identity::IdKind;
use gridwalk_core::incident::Action;
use gridwalk_core::reference::{
    Area, ContactAssignment, ContactKind, ContactTarget, HandlingUnit, IncidentCategory, Platform,
    Role, Urgency,
};
use serde::Serialize;

use crate::Config;
use crate::names::Sex;

/// A user account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    /// User id (UUIDv7).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// The area the user serves: a grid, village, micro-grid, township or the county.
    pub area_id: String,
    /// For `handling_unit` users: their unit.
    pub unit_id: Option<String>,
    /// Work phone (a mobile).
    pub phone: String,
    /// The device (or server process) the user writes from.
    pub device: String,
}

/// A simulated device: a phone of a field user, or the server process that writes for
/// console users (dispatchers, supervisors, handling units).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Device {
    /// Device id (UUIDv7); also the HLC node.
    pub id: String,
    /// The user it belongs to; `None` for the server process.
    pub user_id: Option<String>,
    /// Automerge actor, hex.
    pub actor: String,
}

/// A person in a household. The full identity number is here; the household document
/// gets it masked and the private document gets it in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    /// Person id (UUIDv7).
    pub id: String,
    /// Household id.
    pub household_id: String,
    /// Name.
    pub name: String,
    /// Sex (not stored in documents; used for names and ID sequence digits).
    pub sex: Sex,
    /// Relation to the head.
    pub relation: Relation,
    /// Year of birth.
    pub birth_year: Option<i64>,
    /// Identity document kind, if any.
    pub id_kind: Option<IdKind>,
    /// The full identity number, if any.
    pub id_number: Option<String>,
    /// Phone, if any.
    pub phone: Option<String>,
    /// When the member was added, UTC ms.
    pub created_at: i64,
    /// Who added the member.
    pub created_by: String,
    /// From which device.
    pub device: String,
    /// HLC of the write.
    pub hlc: String,
    /// Soft delete (moved out, died), UTC ms.
    pub deleted_at: Option<i64>,
    /// Who recorded the delete.
    pub deleted_by: Option<String>,
    /// The delete's device.
    pub deleted_device: Option<String>,
    /// The delete's HLC.
    pub deleted_hlc: Option<String>,
}

/// A household at a standard address.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Household {
    /// Household id (UUIDv7).
    pub id: String,
    /// Grid.
    pub grid_id: String,
    /// Micro-grid (building or natural village).
    pub micro_grid_id: String,
    /// Village or community.
    pub village_id: String,
    /// Rural (natural-village address) or urban (building address).
    pub rural: bool,
    /// Standard address.
    pub address: Address,
    /// Occupied, empty or rented.
    pub status: HouseholdStatus,
    /// Care tags (household document).
    pub tags: BTreeMap<String, TagSpan>,
    /// Special-group tags: private document only, never the household document.
    #[serde(skip)]
    pub special_tags: BTreeMap<String, TagSpan>,
    /// Approximate location of the door.
    pub gps: Gps,
    /// Registering user (the grid's worker).
    pub created_by: String,
    /// Registering device.
    pub device: String,
    /// Registration time, UTC ms.
    pub created_at: i64,
    /// HLC of the registration.
    pub hlc: String,
    /// Members, in the order they were added.
    #[serde(skip)]
    pub members: Vec<Person>,
}

impl Household {
    /// Does the household need a private document (a full ID or a special tag)?
    pub fn needs_private(&self) -> bool {
        !self.special_tags.is_empty() || self.members.iter().any(|m| m.id_number.is_some())
    }
}

/// A need (诉求) raised on a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeedRec {
    /// UUIDv7.
    pub id: String,
    /// What was asked.
    pub text: String,
    /// Noted, an incident, or a 代办 request.
    pub outcome: NeedOutcome,
    /// The incident it became.
    pub incident_id: Option<String>,
}

/// A household visit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitRec {
    /// UUIDv7.
    pub id: String,
    /// Household visited.
    pub household_id: String,
    /// The household's grid.
    pub grid_id: String,
    /// Visitor.
    pub visitor_user: String,
    /// Visitor's role.
    pub visitor_role: Role,
    /// Recording device.
    pub device: String,
    /// Visit time, UTC ms.
    pub at: i64,
    /// HLC of the write.
    pub hlc: String,
    /// In person, phone or video.
    pub mode: ContactMode,
    /// Members met.
    pub persons_met: Vec<String>,
    /// Visit type.
    pub kind: VisitKind,
    /// Campaign, for campaign visits.
    pub campaign: Option<Campaign>,
    /// Household changes seen.
    pub observations: Vec<Observation>,
    /// Needs raised.
    pub needs: Vec<NeedRec>,
    /// Service given on the spot.
    pub service: String,
    /// Follow-up date, `YYYY-MM-DD`.
    pub follow_up: Option<String>,
    /// GPS fix.
    pub gps: Option<Gps>,
    /// 民情日记 note.
    pub note: String,
}

/// A 三联系 / 党员联户 contact log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactRec {
    /// UUIDv7.
    pub id: String,
    /// The assignment fulfilled.
    pub assignment_id: String,
    /// Which kind of contact.
    pub kind: ContactKind,
    /// Contactor.
    pub contactor_user: String,
    /// Contactor's role.
    pub role: Role,
    /// Recording device.
    pub device: String,
    /// When, UTC ms.
    pub at: i64,
    /// HLC of the write.
    pub hlc: String,
    /// In person, phone or video.
    pub mode: ContactMode,
    /// What was discussed.
    pub note: String,
    /// Target (household, grid or user).
    pub target: ContactTarget,
    /// The grid whose document holds the log (household document, or the grid journal).
    pub grid_id: String,
}

impl ContactRec {
    /// The household whose document holds this log, if the target is a household.
    pub fn household_id(&self) -> Option<&str> {
        match &self.target {
            ContactTarget::Household(h) => Some(h),
            _ => None,
        }
    }
}

/// One incident event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRec {
    /// UUIDv7.
    pub id: String,
    /// Incident.
    pub incident_id: String,
    /// Action.
    pub action: Action,
    /// Actor.
    pub actor_user: String,
    /// Actor's role.
    pub role: Role,
    /// Device or server process.
    pub device: String,
    /// When, UTC ms.
    pub at: i64,
    /// HLC of the write.
    pub hlc: String,
    /// Note (reason, result, progress).
    pub note: String,
    /// Action fields.
    pub fields: BTreeMap<String, String>,
}

/// An incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentRec {
    /// UUIDv7.
    pub id: String,
    /// Grid.
    pub grid_id: String,
    /// Linked households.
    pub households: Vec<String>,
    /// Category leaf code.
    pub category: String,
    /// The category's platform.
    pub platform: Platform,
    /// Urgency.
    pub urgency: Urgency,
    /// Source.
    pub source: Source,
    /// Location text.
    pub location: String,
    /// GPS.
    pub gps: Option<Gps>,
    /// Parties.
    pub parties: String,
    /// Description.
    pub description: String,
    /// Reporter.
    pub reported_by: String,
    /// Reporter's role.
    pub reporter_role: Role,
    /// Reporter's device.
    pub device: String,
    /// Draft creation time, UTC ms.
    pub created_at: i64,
    /// HLC of the creation.
    pub hlc: String,
    /// Effective state code at the base date (core's state machine over the log).
    pub state: String,
    /// The event log, in order.
    #[serde(skip)]
    pub events: Vec<EventRec>,
}

/// The whole generated dataset.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// What was asked for.
    pub config: Config,
    /// Area tree, city first.
    pub areas: Vec<Area>,
    /// Users of all eight roles.
    pub users: Vec<User>,
    /// Devices and server processes.
    pub devices: Vec<Device>,
    /// Handling units (per township and platform, plus county-level).
    pub units: Vec<HandlingUnit>,
    /// Incident categories.
    pub categories: Vec<IncidentCategory>,
    /// Contact assignments.
    pub assignments: Vec<ContactAssignment>,
    /// Households with their members.
    pub households: Vec<Household>,
    /// Visits, in time order.
    pub visits: Vec<VisitRec>,
    /// Contact logs, in time order.
    pub contacts: Vec<ContactRec>,
    /// Incidents with their event logs.
    pub incidents: Vec<IncidentRec>,
}

impl Dataset {
    /// Members of every household, in household order.
    pub fn people(&self) -> impl Iterator<Item = &Person> {
        self.households.iter().flat_map(|h| h.members.iter())
    }

    /// All incident events.
    pub fn events(&self) -> impl Iterator<Item = &EventRec> {
        self.incidents.iter().flat_map(|i| i.events.iter())
    }

    /// The user with an id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }
}
