//! The four Automerge documents of DESIGN.md §2 and the rules for writing them.
//!
//! - [`household::HouseholdDoc`]: profile, members, care tags, visits, contact logs,
//!   reviews and conflict resolutions of one household.
//! - [`private::HouseholdPrivateDoc`]: full ID numbers and special-group tags, held only
//!   by roles allowed them.
//! - [`incident::IncidentDoc`]: one incident and its append-only event log.
//! - [`journal::GridJournalDoc`]: grid-level contact logs and notes.
//!
//! Rules every writer here follows:
//! - Records live in maps keyed by UUIDv7 and are created once, by one device.
//! - Every container is made in the document's first change ([`create`]).
//! - New records are written at their own path with `reconcile_prop`; a stale whole
//!   document is never reconciled, because autosurgeon deletes map keys missing from the
//!   value and would drop what a sync brought in.
//! - Deletes are soft (`deleted_at`).
//! - Edited fields are [`register::Register`]s, so same-field conflicts stay visible.

pub mod conflict;
pub mod edit;
pub mod household;
pub mod incident;
pub mod journal;
pub mod private;
pub mod records;
pub mod register;
pub mod review;
pub mod visit;

use automerge::{ActorId, AutoCommit, ObjId, ObjType, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile};

use crate::{CoreError, Hlc, Timestamp, reference::Role};

/// Who is writing, from where, and when. Every document write takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteCtx {
    /// The acting user's id.
    pub user: String,
    /// The acting user's role.
    pub role: Role,
    /// The device id (or the server process id for console writes).
    pub device: String,
    /// The write's hybrid logical clock; callers tick it once per user action.
    pub hlc: Hlc,
    /// Physical time of the action.
    pub at: Timestamp,
}

/// A GPS fix, when the platform gives one.
#[derive(
    Debug, Clone, Copy, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct Gps {
    /// Latitude, WGS-84 degrees.
    pub lat: f64,
    /// Longitude, WGS-84 degrees.
    pub lng: f64,
    /// Reported accuracy in metres.
    pub accuracy_m: Option<f64>,
}

/// Which of the four documents a byte string belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// [`household::HouseholdDoc`]
    Household,
    /// [`private::HouseholdPrivateDoc`]
    HouseholdPrivate,
    /// [`incident::IncidentDoc`]
    Incident,
    /// [`journal::GridJournalDoc`]
    GridJournal,
}

impl DocKind {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Household => "household",
            DocKind::HouseholdPrivate => "household_private",
            DocKind::Incident => "incident",
            DocKind::GridJournal => "grid_journal",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<DocKind> {
        [
            DocKind::Household,
            DocKind::HouseholdPrivate,
            DocKind::Incident,
            DocKind::GridJournal,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// Makes a new document whose first change holds every container of `value`.
pub fn create<T: Reconcile>(
    actor: ActorId,
    value: &T,
    ctx: &WriteCtx,
    message: &str,
) -> Result<AutoCommit, CoreError> {
    let mut doc = AutoCommit::new().with_actor(actor);
    autosurgeon::reconcile(&mut doc, value)
        .map_err(|e| CoreError::DoesNotHydrate(e.to_string()))?;
    commit(&mut doc, ctx, message);
    Ok(doc)
}

/// Commits the pending operations as one change stamped with the action's time.
pub fn commit(doc: &mut AutoCommit, ctx: &WriteCtx, message: &str) {
    doc.commit_with(
        automerge::transaction::CommitOptions::default()
            .with_message(format!("{message} by {} @{}", ctx.user, ctx.hlc))
            .with_time(ctx.at.0 / 1000),
    );
}

/// Hydrates a whole document, refusing a schema newer than `supported`.
pub fn load<T: Hydrate>(doc: &AutoCommit, supported: u64) -> Result<T, CoreError> {
    let schema = match doc.get(ROOT, "schema").map_err(register::am_err)? {
        Some((automerge::Value::Scalar(s), _)) => match s.as_ref() {
            automerge::ScalarValue::Uint(u) => *u,
            automerge::ScalarValue::Int(i) => *i as u64,
            _ => 0,
        },
        _ => 0,
    };
    if schema > supported {
        return Err(CoreError::SchemaTooNew {
            found: schema,
            supported,
        });
    }
    autosurgeon::hydrate(doc).map_err(|e| CoreError::DoesNotHydrate(e.to_string()))
}

/// Follows map keys from the root to an object.
pub fn obj_at(doc: &AutoCommit, path: &[&str]) -> Result<ObjId, CoreError> {
    let mut obj = ROOT;
    for key in path {
        obj = match doc.get(&obj, *key).map_err(register::am_err)? {
            Some((automerge::Value::Object(ObjType::Map), id)) => id,
            _ => {
                return Err(CoreError::NotFound {
                    kind: "record",
                    id: path.join("/"),
                });
            }
        };
    }
    Ok(obj)
}

/// Refuses text longer than `max` characters.
pub fn check_len(field: &'static str, value: &str, max: usize) -> Result<(), CoreError> {
    if value.chars().count() > max {
        Err(CoreError::TooLong { field, max })
    } else {
        Ok(())
    }
}

/// The document id of a household's private document: the household id with `:private`
/// appended, so both documents can live side by side in one store.
pub fn private_doc_id(household_id: &str) -> String {
    format!("{household_id}:private")
}

/// The household a private document belongs to, from its id.
pub fn household_of_private(doc_id: &str) -> Option<&str> {
    doc_id.strip_suffix(":private")
}

/// The document id of a grid's journal: the grid id itself.
pub fn journal_doc_id(grid_id: &str) -> String {
    grid_id.to_string()
}
