//! A multi-value register: how Gridwalk keeps every same-field conflict visible.
//!
//! A field that people edit is stored as a map of its *live writes*, keyed by each
//! write's hybrid logical clock. A write deletes every entry its writer could see and
//! adds its own, in one change. Two devices that edit the same field without seeing each
//! other therefore leave two live entries after a merge: both values, each with its
//! author and time, stay in the document until a person picks one. The pick is an
//! ordinary write that supersedes both.
//!
//! Entries are written once and never edited, so a delete can never race an edit of the
//! same key, and no Automerge op-order tie-break ever decides a winner. When a value
//! must be shown before anyone has resolved a conflict, the entry with the greatest HLC
//! is shown ("latest by HLC").

use autosurgeon::reconcile::NoKey;
use autosurgeon::{Hydrate, HydrateError, Prop, Reconcile, Reconciler};
use std::collections::BTreeMap;

/// One write of a register: the value, who wrote it, and when (its HLC text).
///
/// In the document a write is stored as `{v, by}` under its HLC key: the key already says
/// when, so the time is not stored twice.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Write<T> {
    /// The value written.
    pub v: T,
    /// The writing user's id.
    pub by: String,
    /// The write's hybrid logical clock, as text; also its key in the register.
    pub at: String,
}

/// A field as the map of its live writes. See the module docs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Register<T> {
    /// Live writes keyed by HLC text. One entry normally; two or more after a conflict.
    pub writes: BTreeMap<String, Write<T>>,
}

impl<T> Register<T> {
    /// A register holding one initial write.
    pub fn new(v: T, by: impl Into<String>, at: impl Into<String>) -> Register<T> {
        let at = at.into();
        let mut writes = BTreeMap::new();
        writes.insert(
            at.clone(),
            Write {
                v,
                by: by.into(),
                at,
            },
        );
        Register { writes }
    }

    /// The write shown to people: the one with the greatest HLC.
    pub fn current(&self) -> Option<&Write<T>> {
        self.writes.values().next_back()
    }

    /// The value shown to people, if the register has ever been written.
    pub fn value(&self) -> Option<&T> {
        self.current().map(|w| &w.v)
    }

    /// True when concurrent writes are waiting for a person to pick one.
    pub fn in_conflict(&self) -> bool {
        self.writes.len() > 1
    }
}

/// A write as the document stores it, borrowed for reconciling.
struct StoredRef<'a, T> {
    v: &'a T,
    by: &'a str,
}

impl<T: Reconcile> Reconcile for StoredRef<'_, T> {
    type Key<'b> = NoKey;

    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        use autosurgeon::reconcile::MapReconciler;
        let mut m = reconciler.map()?;
        m.put("v", self.v)?;
        m.put("by", self.by)?;
        Ok(())
    }
}

/// A write as the document stores it, hydrated.
#[derive(Hydrate)]
struct Stored<T> {
    v: T,
    by: String,
}

impl<T: Reconcile> Reconcile for Register<T> {
    type Key<'a> = NoKey;

    fn reconcile<R: Reconciler>(&self, reconciler: R) -> Result<(), R::Error> {
        let stored: BTreeMap<&str, StoredRef<'_, T>> = self
            .writes
            .iter()
            .map(|(k, w)| (k.as_str(), StoredRef { v: &w.v, by: &w.by }))
            .collect();
        stored.reconcile(reconciler)
    }
}

impl<T: Hydrate> Hydrate for Register<T> {
    fn hydrate_map<D: autosurgeon::ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
    ) -> Result<Self, HydrateError> {
        let stored: BTreeMap<String, Stored<T>> = BTreeMap::hydrate_map(doc, obj)?;
        let writes = stored
            .into_iter()
            .map(|(at, s)| {
                (
                    at.clone(),
                    Write {
                        v: s.v,
                        by: s.by,
                        at,
                    },
                )
            })
            .collect();
        Ok(Register { writes })
    }

    fn hydrate_none() -> Result<Self, HydrateError> {
        // A register added by a later schema is simply empty in older documents.
        Ok(Register {
            writes: BTreeMap::new(),
        })
    }
}

/// Writes `value` into the register at `obj`/`prop`, superseding every live write the
/// writer can see. The register map must already exist (it is made with its record).
pub fn write<T: Reconcile>(
    doc: &mut automerge::AutoCommit,
    obj: &automerge::ObjId,
    prop: &str,
    value: T,
    by: &str,
    at: &str,
) -> Result<(), crate::CoreError> {
    use automerge::{ObjType, ReadDoc as _, transaction::Transactable as _};
    let reg = match doc.get(obj, prop).map_err(am_err)? {
        Some((automerge::Value::Object(ObjType::Map), id)) => id,
        _ => {
            return Err(crate::CoreError::NotFound {
                kind: "field",
                id: prop.to_string(),
            });
        }
    };
    let stale: Vec<String> = doc.keys(&reg).collect();
    for key in stale {
        if key != at {
            doc.delete(&reg, key.as_str()).map_err(am_err)?;
        }
    }
    let w = StoredRef { v: &value, by };
    autosurgeon::reconcile_prop(doc, &reg, at, &w)
        .map_err(|e| crate::CoreError::DoesNotHydrate(e.to_string()))?;
    Ok(())
}

pub(crate) fn am_err(e: automerge::AutomergeError) -> crate::CoreError {
    crate::CoreError::DoesNotHydrate(e.to_string())
}

/// Hydrates the register at `obj`/`prop` on its own.
pub fn read<T: Hydrate>(
    doc: &automerge::AutoCommit,
    obj: &automerge::ObjId,
    prop: &str,
) -> Result<Register<T>, crate::CoreError> {
    autosurgeon::hydrate_prop(doc, obj, Prop::from(prop))
        .map_err(|e| crate::CoreError::DoesNotHydrate(e.to_string()))
}
