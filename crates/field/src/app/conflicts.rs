//! Same-field conflicts: every value with who wrote it and when, and a person's pick.
//!
//! The pick goes through `doc::conflict::resolve`: a new write of the chosen value that
//! supersedes every live write, recorded in the household's `conflict_resolutions`, so
//! it syncs like any edit and the other phones converge on it. Only grid workers and
//! grid heads resolve (the server refuses resolution writes from the other roles).
//!
//! `ConflictView.field` is the field code (`phone`, `name`, `content`, …, the last path
//! segment) for the UI to translate; `subject` is whose field it is: the member's name
//! for a member field, otherwise the household's address (or the document id).

use gridwalk_core::Hlc;
use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::conflict::resolve;
use gridwalk_core::identity::{mask_id, mask_phone};
use gridwalk_core::reference::Role;
use gridwalk_store::Action;

use super::FieldApp;
use super::util::{hlc_ms, name_of};
use crate::dto::*;
use crate::error::codes;

/// A conflict value as the store's row holds it (core's `ConflictValue` as JSON).
#[derive(serde::Deserialize)]
struct ConflictValue {
    value: serde_json::Value,
    by: String,
    at: String,
}

fn display(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl FieldApp {
    /// Every open conflict on the device.
    pub fn conflicts(&mut self) -> Result<Vec<ConflictView>, AppError> {
        let role = self.role()?;
        let users = self.user_names()?;
        let mut out = Vec::new();
        for c in self.store.open_conflicts()? {
            let values: Vec<ConflictValue> = serde_json::from_str(&c.values).unwrap_or_default();
            let parts: Vec<&str> = c.path.split('/').collect();
            let field = parts.last().copied().unwrap_or("").to_string();
            let is_household = c.kind == DocKind::Household.code();
            let household_id = match c.kind.as_str() {
                "household" => Some(c.doc_id.clone()),
                "household_private" => {
                    gridwalk_core::doc::household_of_private(&c.doc_id).map(str::to_string)
                }
                _ => None,
            };
            let subject = match (&household_id, parts.as_slice()) {
                (Some(h), ["members", person, _]) | (Some(h), ["ids", person]) => self
                    .store
                    .members_of(h)?
                    .into_iter()
                    .find(|m| m.id == *person)
                    .map(|m| m.name)
                    .unwrap_or_else(|| person.to_string()),
                (Some(h), _) => self
                    .store
                    .household_row(h)?
                    .map(|r| r.address)
                    .unwrap_or_else(|| h.clone()),
                (None, _) => c.doc_id.clone(),
            };
            let sensitive = (is_household && field == "phone") || parts.first() == Some(&"ids");
            let values = values
                .iter()
                .map(|v| {
                    let mut text = display(&v.value);
                    if sensitive && !role.may_reveal_identity() {
                        text = if field == "phone" {
                            mask_phone(&text)
                        } else {
                            mask_id(&text)
                        };
                    }
                    ConflictValueView {
                        hlc: v.at.clone(),
                        value: text,
                        by: name_of(&users, &v.by),
                        at: hlc_ms(&v.at),
                    }
                })
                .collect();
            out.push(ConflictView {
                doc_id: c.doc_id,
                household_id,
                path: c.path,
                field,
                subject,
                values,
            });
        }
        Ok(out)
    }

    /// Picks one value of a conflict; the pick is a new write that syncs.
    pub fn resolve_conflict(&mut self, input: &ResolveInput) -> Result<(), AppError> {
        let s = self.session_ref()?;
        let (role, device) = (s.role, s.device_id.clone());
        if !matches!(role, Role::GridWorker | Role::GridHead) {
            return Err(super::card::role_not_allowed("resolve conflicts"));
        }
        let row = self
            .store
            .open_conflicts()?
            .into_iter()
            .find(|c| c.doc_id == input.doc_id && c.path == input.path)
            .ok_or_else(|| {
                AppError::new(
                    codes::CONFLICT_NOT_FOUND,
                    "这个冲突已经处理过了。",
                    "This conflict has already been resolved.",
                )
            })?;
        let values: Vec<ConflictValue> = serde_json::from_str(&row.values).unwrap_or_default();
        if !values.iter().any(|v| v.at == input.pick) {
            return Err(
                AppError::from(gridwalk_core::CoreError::NoSuchConflictValue(
                    input.path.clone(),
                ))
                .on_field("pick"),
            );
        }
        // The pick's write must sort after the values it supersedes.
        if let Some(max) = values.iter().filter_map(|v| v.at.parse::<Hlc>().ok()).max() {
            self.store.observe_hlc(&device, &max, self.now().0)?;
        }
        let kind = DocKind::from_code(&row.kind).ok_or_else(|| {
            AppError::new(
                codes::CONFLICT_NOT_FOUND,
                "这个冲突无法处理。",
                "This conflict cannot be resolved.",
            )
        })?;
        let ctx = self.ctx()?;
        let resolution_id = self.new_id();
        self.store.transact(
            kind,
            &input.doc_id,
            Action::new("conflict.resolve").record(&resolution_id),
            |doc| resolve(doc, &ctx, &input.path, &input.pick, &resolution_id),
        )?;
        Ok(())
    }
}
