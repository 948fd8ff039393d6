//! Small helpers the command modules share: codes of core enums, names from reference
//! rows, dates and HLC times.

use std::collections::HashMap;

use gridwalk_core::reference::IncidentCategory;
use gridwalk_core::reference::category::default_categories;
use gridwalk_core::{Hlc, Timestamp};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::FieldApp;
use crate::dto::AppError;
use crate::error::invalid_choice;

/// The stable code of a serde enum value (`ContactMode::InPerson` → `in_person`).
pub(crate) fn code<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Parses a stable code into a serde enum, refusing an unknown one as `invalid_choice`
/// on `field`.
pub(crate) fn parse_code<T: DeserializeOwned>(field: &str, value: &str) -> Result<T, AppError> {
    serde_json::from_value(serde_json::Value::String(value.to_string()))
        .map_err(|_| invalid_choice(field, value))
}

/// The wall time of an HLC text, UTC ms (0 when unreadable).
pub(crate) fn hlc_ms(text: &str) -> i64 {
    text.parse::<Hlc>().map(|h| h.wall_ms).unwrap_or(0)
}

/// The Shanghai day of `now`, `YYYY-MM-DD`.
pub(crate) fn day_text(now: Timestamp) -> String {
    now.shanghai_date().format("%Y-%m-%d").to_string()
}

/// Whole days from `at` to `now` (Shanghai calendar days).
pub(crate) fn days_since(at: Option<i64>, now: Timestamp) -> Option<i64> {
    at.map(|t| Timestamp(t).days_until(now).max(0))
}

/// The active tag codes of a tags JSON map `{code: {valid_from, valid_to}}` on `day`.
pub(crate) fn active_tags(json: &str, day: &str) -> Vec<String> {
    let tags: std::collections::BTreeMap<String, gridwalk_core::doc::household::TagSpan> =
        serde_json::from_str(json).unwrap_or_default();
    tags.into_iter()
        .filter(|(_, s)| s.active_on(day))
        .map(|(c, _)| c)
        .collect()
}

impl FieldApp {
    /// User id → display name, from the reference users.
    pub(crate) fn user_names(&self) -> Result<HashMap<String, String>, AppError> {
        Ok(self
            .store
            .ref_users()?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    }

    /// The category tree: the server's, or the default tree before the first sync.
    pub(crate) fn categories(&self) -> Result<Vec<IncidentCategory>, AppError> {
        let stored = self.store.ref_categories()?;
        Ok(if stored.is_empty() {
            default_categories()
        } else {
            stored
        })
    }

    /// Area id → name, from the reference area tree.
    pub(crate) fn area_names(&self) -> Result<HashMap<String, String>, AppError> {
        Ok(self
            .store
            .ref_areas()?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect())
    }
}

/// A name for a user id: the reference name, or the id itself.
pub(crate) fn name_of(names: &HashMap<String, String>, id: &str) -> String {
    names.get(id).cloned().unwrap_or_else(|| id.to_string())
}
