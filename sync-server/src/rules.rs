//! Validation after apply: does the document still hydrate as its kind, and may the
//! device's role make what its changes did?
//!
//! What changed is read from Automerge's diff between the heads before and after the
//! pushed changes: each patch names a path, whose first two keys are the top-level field
//! and (for record maps) the record id. A record whose map entry the diff creates is new.
//!
//! Rules (refusal code `role_forbidden` unless said otherwise):
//! - Identity fields (`id`, `grid_id`, `schema`, creators, creation times, an incident's
//!   reporter and source) are never changed after creation. Moves happen on the server.
//! - Households: only grid workers and grid heads register them (as `created_by`).
//!   A new visit must name the device's user and role as visitor; a new contact log as
//!   contactor; a new review needs a reviewing role and names the reviewer; reviews are
//!   written once. Part-time workers and party members may only add and edit their own
//!   visits and contact logs: no profile, member, tag, review or resolution writes.
//! - Private documents: only roles that may hold them write them at all.
//! - Incidents: a new incident names the device's user and role as reporter; every new
//!   event names the device's user and role (`actor_user`, `role`); events are written
//!   once (the log is append-only).
//! - Grid journals: grid workers and grid heads; new contact logs and notes name the
//!   device's user.

use std::collections::{BTreeMap, BTreeSet};

use automerge::{AutoCommit, ChangeHash, PatchAction, Prop, Value};
use gridwalk_core::doc::household::{HOUSEHOLD_SCHEMA, HouseholdDoc};
use gridwalk_core::doc::incident::{INCIDENT_SCHEMA, IncidentDoc};
use gridwalk_core::doc::journal::{GridJournalDoc, JOURNAL_SCHEMA};
use gridwalk_core::doc::private::{HouseholdPrivateDoc, PRIVATE_SCHEMA};
use gridwalk_core::doc::{self, DocKind};
use gridwalk_core::protocol::DocCode;
use gridwalk_core::reference::Role;

/// Why a document's changes are refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The stable code.
    pub code: DocCode,
    /// Why, in English, for the quarantine reviewer.
    pub reason: String,
}

impl Refusal {
    /// A refusal with a code and reason.
    pub fn new(code: DocCode, reason: impl Into<String>) -> Refusal {
        Refusal {
            code,
            reason: reason.into(),
        }
    }
}

fn forbid(reason: impl Into<String>) -> Refusal {
    Refusal::new(DocCode::RoleForbidden, reason)
}

/// A document hydrated as its kind.
#[derive(Debug, Clone)]
pub enum Hydrated {
    /// A household.
    Household(Box<HouseholdDoc>),
    /// A household's private document.
    Private(Box<HouseholdPrivateDoc>),
    /// An incident.
    Incident(Box<IncidentDoc>),
    /// A grid journal.
    Journal(Box<GridJournalDoc>),
}

/// Hydrates a document as `kind` (`does_not_hydrate` when it does not read).
pub fn hydrate(doc: &AutoCommit, kind: DocKind) -> Result<Hydrated, Refusal> {
    let bad = |e: gridwalk_core::CoreError| Refusal::new(DocCode::DoesNotHydrate, e.to_string());
    Ok(match kind {
        DocKind::Household => {
            Hydrated::Household(Box::new(doc::load(doc, HOUSEHOLD_SCHEMA).map_err(bad)?))
        }
        DocKind::HouseholdPrivate => {
            Hydrated::Private(Box::new(doc::load(doc, PRIVATE_SCHEMA).map_err(bad)?))
        }
        DocKind::Incident => {
            Hydrated::Incident(Box::new(doc::load(doc, INCIDENT_SCHEMA).map_err(bad)?))
        }
        DocKind::GridJournal => {
            Hydrated::Journal(Box::new(doc::load(doc, JOURNAL_SCHEMA).map_err(bad)?))
        }
    })
}

/// What a set of changes touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// Top-level fields touched.
    pub top: BTreeSet<String>,
    /// Records touched: (top-level map, record id) → created by these changes?
    pub records: BTreeMap<(String, String), bool>,
}

fn prop_text(p: &Prop) -> String {
    match p {
        Prop::Map(s) => s.clone(),
        Prop::Seq(i) => i.to_string(),
    }
}

/// Reads what changed between two sets of heads.
pub fn touched(doc: &mut AutoCommit, before: &[ChangeHash], after: &[ChangeHash]) -> Touched {
    let mut t = Touched::default();
    for patch in doc.diff(before, after) {
        let mut path: Vec<String> = patch.path.iter().map(|(_, p)| prop_text(p)).collect();
        let created = match &patch.action {
            PatchAction::PutMap { key, value, .. } => {
                path.push(key.clone());
                patch.path.len() == 1 && matches!(value.0, Value::Object(_))
            }
            PatchAction::DeleteMap { key } => {
                path.push(key.clone());
                false
            }
            PatchAction::Conflict { prop } | PatchAction::Increment { prop, .. } => {
                path.push(prop_text(prop));
                false
            }
            _ => false,
        };
        let Some(top) = path.first() else { continue };
        t.top.insert(top.clone());
        if let Some(key) = path.get(1) {
            let e = t.records.entry((top.clone(), key.clone())).or_insert(false);
            *e |= created;
        }
    }
    t
}

/// The device's user and role.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    /// User id.
    pub user: &'a str,
    /// Role.
    pub role: Role,
}

const IDENTITY: &[&str] = &[
    "id",
    "grid_id",
    "schema",
    "household_id",
    "created_by",
    "created_at",
    "reported_by",
    "reporter_role",
    "source",
];

/// Checks the role rules for a document after its changes were applied. `t` is what the
/// changes touched (for a document they create, the diff from nothing: everything).
pub fn check(h: &Hydrated, t: &Touched, new_doc: bool, w: Writer<'_>) -> Result<(), Refusal> {
    if !new_doc && let Some(f) = t.top.iter().find(|f| IDENTITY.contains(&f.as_str())) {
        return Err(forbid(format!("{f} never changes after creation")));
    }
    let limited = matches!(w.role, Role::PartTimeWorker | Role::PartyMember);
    let created = |top: &str, key: &str| t.records.get(&(top.into(), key.into())) == Some(&true);
    match h {
        Hydrated::Household(d) => {
            if !w.role.holds_households() {
                return Err(forbid("this role does not write household documents"));
            }
            if new_doc && (limited || d.created_by != w.user) {
                return Err(forbid(
                    "households are registered by their grid worker or grid head",
                ));
            }
            for ((top, key), &new) in &t.records {
                match top.as_str() {
                    "visits" => {
                        let v = d.visits.get(key);
                        let mine = v.is_some_and(|v| v.visitor_user == w.user);
                        if new && !v.is_some_and(|v| mine && v.visitor_role == w.role) {
                            return Err(forbid("a new visit must name you and your role"));
                        }
                        if limited && !mine {
                            return Err(forbid("you may only edit your own visits"));
                        }
                    }
                    "contacts" => {
                        let c = d.contacts.get(key);
                        let mine = c.is_some_and(|c| c.contactor_user == w.user);
                        if new && !c.is_some_and(|c| mine && c.role == w.role) {
                            return Err(forbid("a new contact log must name you and your role"));
                        }
                        if limited && !mine {
                            return Err(forbid("you may only edit your own contact logs"));
                        }
                    }
                    "reviews" => {
                        let own = d
                            .reviews
                            .get(key)
                            .is_some_and(|r| r.reviewer_user == w.user);
                        if !(new && w.role.may_review() && own) {
                            return Err(forbid(
                                "reviews are written once, by a reviewer, in their own name",
                            ));
                        }
                    }
                    _ if limited => {
                        return Err(forbid(format!("this role may not change {top}")));
                    }
                    _ => {}
                }
            }
            if limited
                && let Some(f) = t
                    .top
                    .iter()
                    .find(|f| !["visits", "contacts"].contains(&f.as_str()))
            {
                return Err(forbid(format!("this role may not change {f}")));
            }
            Ok(())
        }
        Hydrated::Private(_) => {
            if w.role.may_hold_private() {
                Ok(())
            } else {
                Err(forbid("this role may not hold or write private data"))
            }
        }
        Hydrated::Incident(d) => {
            if new_doc && (d.reported_by != w.user || d.reporter_role != w.role) {
                return Err(forbid(
                    "a new incident must name you and your role as reporter",
                ));
            }
            let events = t.records.keys().filter(|(top, _)| top == "events");
            for (_, id) in events {
                if !created("events", id) {
                    return Err(forbid("incident events are written once"));
                }
                let ok = d
                    .events
                    .get(id)
                    .is_some_and(|e| e.actor_user == w.user && e.role == w.role);
                if !ok {
                    return Err(forbid("an incident event must name you and your role"));
                }
            }
            Ok(())
        }
        Hydrated::Journal(d) => {
            if !matches!(w.role, Role::GridWorker | Role::GridHead) {
                return Err(forbid(
                    "only grid workers and grid heads write the grid journal",
                ));
            }
            for ((top, key), &new) in &t.records {
                let ok = match top.as_str() {
                    "contacts" => d
                        .contacts
                        .get(key)
                        .is_some_and(|c| c.contactor_user == w.user),
                    "notes" => d.notes.get(key).is_some_and(|n| n.by == w.user),
                    _ => true,
                };
                if new && !ok {
                    return Err(forbid("a new journal entry must name you"));
                }
            }
            Ok(())
        }
    }
}
