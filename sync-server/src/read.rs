//! `GET /api/v1/docs/{doc_id}`: one document, hydrated as JSON, for a device's user.
//!
//! Used by tests (the end-to-end test checks that what was typed in the app arrived with
//! every field equal) and, later, by supervisors who read households through the server.
//!
//! - Authentication is the device token (`Authorization: Bearer <token>`), as for sync.
//! - The document must be in the caller's scope ([`crate::scope`]): its grid among the
//!   scope's grids and admitted by the scope's filter. A township supervisor may also
//!   read the households (and their private documents) of its township's grids, since it
//!   holds no household replicas. Private documents are only for roles that may read
//!   private data ([`Role::may_read_private`]), and every such read is audited as
//!   `read_private`.
//! - A document that does not exist and one outside the scope answer the same 404 with
//!   the stable code `not_found`, so the answer never tells what exists elsewhere.
//!
//! The answer is `{doc_id, kind, grid_id, doc, state?}`. `doc` is the Automerge document
//! as JSON with every register (a field's map of live writes keyed by HLC) replaced by
//! its shown value, the write with the greatest HLC; records stay maps keyed by id
//! (`members`, `visits`, `events`, …). Enum values, which the documents store under
//! their Rust variant names (`InPerson`), are given as their stable snake_case codes
//! (`in_person`), as everywhere else in the API. `state` is an incident's effective
//! state code.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::incident::{INCIDENT_SCHEMA, IncidentDoc};
use gridwalk_core::protocol::ErrorBody;
use gridwalk_core::reference::Role;
use gridwalk_core::{Hlc, Timestamp};
use serde_json::{Map, Value};

use crate::auth::{self, Authed};
use crate::error::AppError;
use crate::scope::scope_of;
use crate::state::AppState;
use crate::storage::{AuditRow, DocMeta};

/// Why a read fails: the server's errors, or a document that is not the caller's to read.
#[derive(Debug)]
pub enum ReadError {
    /// Authentication, storage and the other whole-request failures.
    App(AppError),
    /// No such document, or not in the caller's scope (404 `not_found`).
    NotFound,
}

impl From<AppError> for ReadError {
    fn from(e: AppError) -> Self {
        ReadError::App(e)
    }
}

impl From<crate::storage::StorageError> for ReadError {
    fn from(e: crate::storage::StorageError) -> Self {
        ReadError::App(e.into())
    }
}

impl IntoResponse for ReadError {
    fn into_response(self) -> Response {
        match self {
            ReadError::App(e) => e.into_response(),
            ReadError::NotFound => {
                let body = ErrorBody {
                    code: "not_found".into(),
                    message_zh: "找不到这条记录，或者它不在您的范围内。".into(),
                    message_en: "No such record, or it is outside your area.".into(),
                };
                (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
            }
        }
    }
}

/// The handler.
pub async fn get_doc(
    State(state): State<AppState>,
    Path(doc_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ReadError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = tokio::task::spawn_blocking(move || -> Result<Value, ReadError> {
        let authed = auth::authenticate(&state, bearer.as_deref())?;
        read(&state, &authed, &doc_id)
    })
    .await
    .map_err(AppError::from)??;
    Ok(axum::Json(body).into_response())
}

/// May this caller read this document now?
fn may_read(state: &AppState, authed: &Authed, meta: &DocMeta) -> Result<bool, ReadError> {
    let role = authed.user.role;
    let day = Timestamp(state.now()).shanghai_date();
    let scope = scope_of(state.storage.as_ref(), &authed.user, day)?;
    if !scope.grids.contains(&meta.grid_id) {
        return Ok(false);
    }
    Ok(match meta.kind {
        DocKind::HouseholdPrivate => {
            role.may_read_private() && (scope.admits_doc(meta) || role == Role::TownshipSupervisor)
        }
        DocKind::Household => scope.admits_doc(meta) || role == Role::TownshipSupervisor,
        _ => scope.admits_doc(meta),
    })
}

/// Reads one document for `authed` (see the module docs).
pub fn read(state: &AppState, authed: &Authed, doc_id: &str) -> Result<Value, ReadError> {
    let meta = state.storage.doc_meta(doc_id)?.ok_or(ReadError::NotFound)?;
    if !may_read(state, authed, &meta)? {
        return Err(ReadError::NotFound);
    }
    let loaded = crate::loaded::load_fresh(state, doc_id)?.ok_or(ReadError::NotFound)?;
    let raw = serde_json::to_value(automerge::AutoSerde::from(&loaded.doc))
        .map_err(|e| AppError::Internal(format!("document {doc_id} as JSON: {e}")))?;
    let mut out = Map::new();
    out.insert("doc_id".into(), Value::String(doc_id.to_string()));
    out.insert("kind".into(), Value::String(meta.kind.code().into()));
    out.insert("grid_id".into(), Value::String(meta.grid_id.clone()));
    out.insert("doc".into(), flatten(raw));
    if meta.kind == DocKind::Incident {
        let inc: IncidentDoc = gridwalk_core::doc::load(&loaded.doc, INCIDENT_SCHEMA)
            .map_err(|e| AppError::Internal(format!("incident {doc_id}: {e}")))?;
        let eff = gridwalk_core::incident::effective(&inc);
        out.insert("state".into(), Value::String(eff.state.code().into()));
    }
    if meta.kind == DocKind::HouseholdPrivate {
        state.storage.audit(&[AuditRow {
            at: state.now(),
            user_id: Some(authed.user.id.clone()),
            device_id: Some(authed.device.id.clone()),
            action: "read_private".into(),
            doc_id: Some(doc_id.to_string()),
            target: Some("api:docs".into()),
            event_id: None,
        }])?;
    }
    Ok(Value::Object(out))
}

/// Is this JSON object a register: every key an HLC, every value `{v, by}`?
fn is_register(m: &Map<String, Value>) -> bool {
    !m.is_empty()
        && m.iter().all(|(k, v)| {
            k.parse::<Hlc>().is_ok()
                && v.as_object()
                    .is_some_and(|w| w.contains_key("v") && w.contains_key("by") && w.len() == 2)
        })
}

/// Keys whose string values are enum variants in the documents.
const ENUM_KEYS: [&str; 15] = [
    "mode",
    "kind",
    "campaign",
    "source",
    "action",
    "role",
    "visitor_role",
    "reporter_role",
    "platform",
    "urgency",
    "status",
    "relation",
    "outcome",
    "decision",
    "level",
];

/// `InPerson` → `in_person`, as serde's `rename_all = "snake_case"` spells it; any other
/// text is left alone.
fn variant_code(s: &str) -> Option<String> {
    let mut chars = s.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_uppercase())
        || !s.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Replaces every register by its shown value (the greatest HLC) and every enum variant
/// by its code, recursively.
pub fn flatten(v: Value) -> Value {
    let v = flatten_registers(v);
    codes(v, false)
}

fn codes(v: Value, enum_key: bool) -> Value {
    match v {
        Value::String(s) if enum_key => Value::String(variant_code(&s).unwrap_or(s)),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let e = ENUM_KEYS.contains(&k.as_str());
                    (k, codes(v, e))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(|v| codes(v, enum_key)).collect()),
        other => other,
    }
}

fn flatten_registers(v: Value) -> Value {
    match v {
        Value::Object(m) if is_register(&m) => {
            let latest = m
                .into_iter()
                .max_by(|a, b| {
                    let ha = a.0.parse::<Hlc>().ok();
                    let hb = b.0.parse::<Hlc>().ok();
                    ha.cmp(&hb)
                })
                .and_then(|(_, w)| match w {
                    Value::Object(mut w) => w.remove("v"),
                    _ => None,
                })
                .unwrap_or(Value::Null);
            flatten_registers(latest)
        }
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, flatten_registers(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(flatten_registers).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_register_reads_as_its_latest_value_and_records_stay_maps() {
        let doc = serde_json::json!({
            "name": {
                "0000000000000100-00000-a": {"v": "旧", "by": "u1"},
                "0000000000000200-00000-b": {"v": "新", "by": "u2"}
            },
            "visits": {"v1": {"note": {"0000000000000100-00000-a": {"v": "好", "by": "u"}}}}
        });
        let flat = flatten(doc);
        assert_eq!(flat["name"], "新", "the greatest HLC is the value shown");
        assert_eq!(
            flat["visits"]["v1"]["note"], "好",
            "records keep their ids as keys"
        );
    }
}
