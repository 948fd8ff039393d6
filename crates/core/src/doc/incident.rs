//! The incident document: one per incident, with an append-only event log.
//!
//! The effective state is never stored: it is a pure function of the `events` map
//! (see [`crate::incident`]). Events are records keyed by UUIDv7, written once, so a
//! concurrent "close" and "add info" both survive a merge.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::register::Register;
use super::{Gps, WriteCtx};
use crate::incident::Action;
use crate::reference::{Platform, Role, Urgency};

/// The incident document schema this build writes.
pub const INCIDENT_SCHEMA: u64 = 1;

/// Where an incident came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// 巡查: found on patrol.
    Patrol,
    /// 走访: raised during a household visit.
    Visit,
    /// 群众反映: a resident came forward.
    Resident,
    /// The 96345 hotline.
    Hotline96345,
    /// The 12345 hotline.
    Hotline12345,
}

/// One entry of the event log.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, Serialize)]
pub struct IncidentEvent {
    /// UUIDv7; also the key in `events`.
    pub id: String,
    /// What was done.
    pub action: Action,
    /// The acting user.
    pub actor_user: String,
    /// The acting user's role at the time.
    pub role: Role,
    /// The device (or server process) that wrote it.
    pub device: String,
    /// Hybrid logical clock text: the event's place in the log.
    pub hlc: String,
    /// Free text: the reason for a return, the result, the progress note.
    pub note: String,
    /// Action-specific fields (`platform`, `unit`, `days`, `level`, `channel`, …).
    pub fields: BTreeMap<String, String>,
}

/// The incident document.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct IncidentDoc {
    /// Schema number of this document.
    pub schema: u64,
    /// The incident id (UUIDv7).
    pub id: String,
    /// The grid it belongs to.
    pub grid_id: String,
    /// Linked households (zero or more).
    pub households: Register<Vec<String>>,
    /// Category code (a leaf of the category tree).
    pub category: Register<String>,
    /// The platform the category maps to, or in-grid.
    pub platform: Register<Platform>,
    /// 一般 / 较大 / 重大 / 紧急.
    pub urgency: Register<Urgency>,
    /// Where it came from.
    pub source: Source,
    /// Location as text (address or landmark).
    pub location: Register<String>,
    /// GPS where the platform gave it.
    pub gps: Option<Gps>,
    /// Parties involved.
    pub parties: Register<String>,
    /// Description.
    pub description: Register<String>,
    /// The reporting user.
    pub reported_by: String,
    /// The reporting user's role.
    pub reporter_role: Role,
    /// Creation time, UTC milliseconds.
    pub created_at: i64,
    /// Soft delete of a draft (UTC milliseconds), never a hard delete.
    pub deleted_at: Register<Option<i64>>,
    /// The append-only event log, keyed by event id.
    pub events: BTreeMap<String, IncidentEvent>,
}

/// What a person fills in to create an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIncident {
    /// UUIDv7 for the incident.
    pub id: String,
    /// The grid it belongs to.
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
    /// GPS, if any.
    pub gps: Option<Gps>,
    /// Parties.
    pub parties: String,
    /// Description.
    pub description: String,
}

impl IncidentDoc {
    /// A new incident document (a draft) written by `ctx`.
    pub fn new(n: NewIncident, ctx: &WriteCtx) -> Result<IncidentDoc, crate::CoreError> {
        if n.description.trim().is_empty() {
            return Err(crate::CoreError::Required("description"));
        }
        super::check_len("description", &n.description, 2000)?;
        let at = ctx.hlc.to_string();
        let reg = |v| Register::new(v, ctx.user.clone(), at.clone());
        Ok(IncidentDoc {
            schema: INCIDENT_SCHEMA,
            id: n.id,
            grid_id: n.grid_id,
            households: Register::new(n.households, ctx.user.clone(), at.clone()),
            category: reg(n.category),
            platform: Register::new(n.platform, ctx.user.clone(), at.clone()),
            urgency: Register::new(n.urgency, ctx.user.clone(), at.clone()),
            source: n.source,
            location: reg(n.location),
            gps: n.gps,
            parties: reg(n.parties),
            description: reg(n.description),
            reported_by: ctx.user.clone(),
            reporter_role: ctx.role,
            created_at: ctx.at.0,
            deleted_at: Register::new(None, ctx.user.clone(), at.clone()),
            events: BTreeMap::new(),
        })
    }

    /// The log in effective order: by (hlc, device, id). Pure and order-independent.
    pub fn ordered_events(&self) -> Vec<&IncidentEvent> {
        let mut v: Vec<&IncidentEvent> = self.events.values().collect();
        v.sort_by(|a, b| (&a.hlc, &a.device, &a.id).cmp(&(&b.hlc, &b.device, &b.id)));
        v
    }
}

/// A new event, as the acting person supplies it (the context adds who, where and when).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// UUIDv7 for the event.
    pub id: String,
    /// The action.
    pub action: Action,
    /// The note.
    pub note: String,
    /// Action-specific fields.
    pub fields: BTreeMap<String, String>,
}

impl NewEvent {
    /// The full log entry written by `ctx`.
    pub fn into_event(self, ctx: &WriteCtx) -> IncidentEvent {
        IncidentEvent {
            id: self.id,
            action: self.action,
            actor_user: ctx.user.clone(),
            role: ctx.role,
            device: ctx.device.clone(),
            hlc: ctx.hlc.to_string(),
            note: self.note,
            fields: self.fields,
        }
    }
}
