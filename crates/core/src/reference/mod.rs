//! Reference data: authoritative on the server, synced to devices as versioned plain rows
//! (never as CRDTs). Areas, roles, contact assignments, incident categories, handling
//! units, visit-frequency rules, SLA rules and the working-day calendar.

pub mod area;
pub mod calendar;
pub mod category;
pub mod contact;
pub mod role;
pub mod rules;
pub mod tags;

pub use area::{Area, AreaLevel};
pub use calendar::WorkCalendar;
pub use category::{HandlingUnit, IncidentCategory, Platform, Urgency};
pub use contact::{ContactAssignment, ContactKind, ContactTarget};
pub use role::Role;
pub use rules::{SlaRule, VisitRule};
pub use tags::{CareTag, SpecialTag};
