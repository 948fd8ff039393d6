//! Same-field conflicts: listing them, and resolving one by a person's pick.
//!
//! A conflict is a [`Register`] with more than one live write. Listing works on the
//! hydrated document; resolving writes a new register entry that copies the chosen
//! value and supersedes every live write, then records the pick in
//! `conflict_resolutions` where the document has that map (the household document).

use automerge::{
    AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value, transaction::Transactable,
};
use serde::Serialize;

use super::household::{ConflictResolution, HouseholdDoc};
use super::incident::IncidentDoc;
use super::journal::GridJournalDoc;
use super::private::HouseholdPrivateDoc;
use super::register::{Register, am_err};
use super::{WriteCtx, commit, obj_at};
use crate::CoreError;

/// One of the values in conflict, with who wrote it and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictValue {
    /// The value, as JSON for display.
    pub value: serde_json::Value,
    /// The writing user.
    pub by: String,
    /// The write's HLC text; pass it back to [`resolve`] to pick this value.
    pub at: String,
}

/// A field with two or more concurrent values waiting for a person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldConflict {
    /// The field's path in the document, such as `members/<id>/phone`.
    pub path: String,
    /// The values, oldest HLC first.
    pub values: Vec<ConflictValue>,
}

fn push<T: Serialize>(out: &mut Vec<FieldConflict>, path: String, reg: &Register<T>) {
    if !reg.in_conflict() {
        return;
    }
    let values = reg
        .writes
        .values()
        .map(|w| ConflictValue {
            value: serde_json::to_value(&w.v).unwrap_or(serde_json::Value::Null),
            by: w.by.clone(),
            at: w.at.clone(),
        })
        .collect();
    out.push(FieldConflict { path, values });
}

/// Every open conflict of a household document.
pub fn household_conflicts(h: &HouseholdDoc) -> Vec<FieldConflict> {
    let mut out = Vec::new();
    push(&mut out, "micro_grid_id".into(), &h.micro_grid_id);
    push(&mut out, "address".into(), &h.address);
    push(&mut out, "status".into(), &h.status);
    push(&mut out, "tags".into(), &h.tags);
    push(&mut out, "deleted_at".into(), &h.deleted_at);
    for (id, m) in &h.members {
        let p = |f: &str| format!("members/{id}/{f}");
        push(&mut out, p("name"), &m.name);
        push(&mut out, p("relation"), &m.relation);
        push(&mut out, p("id_doc"), &m.id_doc);
        push(&mut out, p("phone"), &m.phone);
        push(&mut out, p("birth_year"), &m.birth_year);
        push(&mut out, p("deleted_at"), &m.deleted_at);
    }
    for (id, v) in &h.visits {
        push(&mut out, format!("visits/{id}/content"), &v.content);
        push(&mut out, format!("visits/{id}/deleted_at"), &v.deleted_at);
        for (nid, n) in &v.needs {
            push(
                &mut out,
                format!("visits/{id}/needs/{nid}/outcome"),
                &n.outcome,
            );
            push(
                &mut out,
                format!("visits/{id}/needs/{nid}/incident_id"),
                &n.incident_id,
            );
        }
    }
    for (id, c) in &h.contacts {
        push(&mut out, format!("contacts/{id}/content"), &c.content);
        push(&mut out, format!("contacts/{id}/deleted_at"), &c.deleted_at);
    }
    out
}

/// Every open conflict of an incident document.
pub fn incident_conflicts(i: &IncidentDoc) -> Vec<FieldConflict> {
    let mut out = Vec::new();
    push(&mut out, "households".into(), &i.households);
    push(&mut out, "category".into(), &i.category);
    push(&mut out, "platform".into(), &i.platform);
    push(&mut out, "urgency".into(), &i.urgency);
    push(&mut out, "location".into(), &i.location);
    push(&mut out, "parties".into(), &i.parties);
    push(&mut out, "description".into(), &i.description);
    push(&mut out, "deleted_at".into(), &i.deleted_at);
    out
}

/// Every open conflict of a household private document.
pub fn private_conflicts(p: &HouseholdPrivateDoc) -> Vec<FieldConflict> {
    let mut out = Vec::new();
    for (person, reg) in &p.ids {
        push(&mut out, format!("ids/{person}"), reg);
    }
    push(&mut out, "special_tags".into(), &p.special_tags);
    out
}

/// Every open conflict of a grid journal document.
pub fn journal_conflicts(j: &GridJournalDoc) -> Vec<FieldConflict> {
    let mut out = Vec::new();
    for (id, c) in &j.contacts {
        push(&mut out, format!("contacts/{id}/content"), &c.content);
        push(&mut out, format!("contacts/{id}/deleted_at"), &c.deleted_at);
    }
    for (id, n) in &j.notes {
        push(&mut out, format!("notes/{id}/text"), &n.text);
        push(&mut out, format!("notes/{id}/deleted_at"), &n.deleted_at);
    }
    out
}

/// A value copied out of a document, to be written back elsewhere.
enum Raw {
    Scalar(ScalarValue),
    Map(Vec<(String, Raw)>),
    List(Vec<Raw>),
    Text(String),
}

fn read_raw(
    doc: &AutoCommit,
    obj: &ObjId,
    prop: automerge::Prop,
) -> Result<Option<Raw>, CoreError> {
    let Some((value, id)) = doc.get(obj, prop).map_err(am_err)? else {
        return Ok(None);
    };
    Ok(Some(match value {
        Value::Scalar(s) => Raw::Scalar(s.into_owned()),
        Value::Object(ObjType::Map | ObjType::Table) => {
            let mut entries = Vec::new();
            for key in doc.keys(&id).collect::<Vec<_>>() {
                if let Some(v) = read_raw(doc, &id, key.as_str().into())? {
                    entries.push((key, v));
                }
            }
            Raw::Map(entries)
        }
        Value::Object(ObjType::List) => {
            let mut items = Vec::new();
            for i in 0..doc.length(&id) {
                if let Some(v) = read_raw(doc, &id, i.into())? {
                    items.push(v);
                }
            }
            Raw::List(items)
        }
        Value::Object(ObjType::Text) => Raw::Text(doc.text(&id).map_err(am_err)?),
    }))
}

fn write_raw(
    doc: &mut AutoCommit,
    obj: &ObjId,
    prop: automerge::Prop,
    raw: &Raw,
    insert: bool,
) -> Result<(), CoreError> {
    let target = |doc: &mut AutoCommit, ty: ObjType| -> Result<ObjId, CoreError> {
        match (&prop, insert) {
            (automerge::Prop::Seq(i), true) => doc.insert_object(obj, *i, ty),
            _ => doc.put_object(obj, prop.clone(), ty),
        }
        .map_err(am_err)
    };
    match raw {
        Raw::Scalar(s) => match (&prop, insert) {
            (automerge::Prop::Seq(i), true) => doc.insert(obj, *i, s.clone()),
            _ => doc.put(obj, prop.clone(), s.clone()),
        }
        .map_err(am_err)?,
        Raw::Map(entries) => {
            let id = target(doc, ObjType::Map)?;
            for (k, v) in entries {
                write_raw(doc, &id, k.as_str().into(), v, false)?;
            }
        }
        Raw::List(items) => {
            let id = target(doc, ObjType::List)?;
            for (i, v) in items.iter().enumerate() {
                write_raw(doc, &id, i.into(), v, true)?;
            }
        }
        Raw::Text(t) => {
            let id = target(doc, ObjType::Text)?;
            doc.splice_text(&id, 0, 0, t).map_err(am_err)?;
        }
    }
    Ok(())
}

/// Resolves the conflict at `path` by picking the write whose HLC text is `chosen`.
///
/// The pick is a new write (by `ctx`, at `ctx.hlc`) that supersedes every live write,
/// so it syncs like any edit; a write made concurrently with the pick reopens the
/// conflict, which is correct: nobody has chosen between those two yet.
pub fn resolve(
    doc: &mut AutoCommit,
    ctx: &WriteCtx,
    path: &str,
    chosen: &str,
    resolution_id: &str,
) -> Result<(), CoreError> {
    let mut parts: Vec<&str> = path.split('/').collect();
    let prop = parts
        .pop()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| CoreError::NoSuchConflictValue(path.into()))?;
    let reg = obj_at(doc, &[parts.as_slice(), &[prop]].concat())?;
    let live: Vec<String> = doc.keys(&reg).collect();
    if !live.iter().any(|k| k == chosen) {
        return Err(CoreError::NoSuchConflictValue(path.into()));
    }
    let entry = obj_at(doc, &[parts.as_slice(), &[prop, chosen]].concat())?;
    let value = read_raw(doc, &entry, "v".into())?
        .ok_or_else(|| CoreError::NoSuchConflictValue(path.into()))?;
    let at = ctx.hlc.to_string();
    for key in &live {
        doc.delete(&reg, key.as_str()).map_err(am_err)?;
    }
    let new_entry = doc
        .put_object(&reg, at.as_str(), ObjType::Map)
        .map_err(am_err)?;
    write_raw(doc, &new_entry, "v".into(), &value, false)?;
    doc.put(&new_entry, "by", ctx.user.as_str())
        .map_err(am_err)?;
    if let Ok(resolutions) = obj_at(doc, &["conflict_resolutions"]) {
        let record = ConflictResolution {
            id: resolution_id.to_string(),
            path: path.to_string(),
            chosen: chosen.to_string(),
            discarded: live
                .iter()
                .filter(|k| k.as_str() != chosen)
                .cloned()
                .collect(),
            by: ctx.user.clone(),
            hlc: at,
        };
        autosurgeon::reconcile_prop(doc, &resolutions, resolution_id, &record)
            .map_err(|e| CoreError::DoesNotHydrate(e.to_string()))?;
    }
    commit(doc, ctx, "conflict.resolve");
    Ok(())
}
