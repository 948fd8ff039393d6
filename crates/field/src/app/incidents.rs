//! Incidents: report (with the 网格自办 path), list, detail, and acting on one.
//!
//! - A report is one user action on one new document: the incident is created and its
//!   first event(s) appended before the store writes it, so the outbox holds one entry
//!   with every change.
//! - 网格自办 (a leaf whose platform is `in_grid`, reported by a grid worker or grid head
//!   with a result): the result is recorded on the spot. A grid worker's log is `report`
//!   then `self_handle`; a grid head's is `self_handle` from the draft, because core
//!   counts a grid head's own report as grid-accepted, from where 网格自办 is no longer
//!   allowed. Either way the incident lands in 已反馈 and the grid head closes it.
//! - Acting is allowed only for what `incident::allowed_actions` offers this user now;
//!   anything else is refused with `action_not_allowed` before anything is written.

use std::collections::{BTreeMap, HashMap};

use gridwalk_core::doc::incident::{IncidentDoc, NewEvent, NewIncident, Source};
use gridwalk_core::doc::{DocKind, Gps};
use gridwalk_core::incident::{Action, Effective, allowed_actions, append, effective, supervision};
use gridwalk_core::reference::rules::default_sla_rules;
use gridwalk_core::reference::{Platform, Role, Urgency};

use gridwalk_core::{CoreError, Hlc};
use gridwalk_store::Action as StoreAction;
use gridwalk_store::materialize::Hydrated;
use gridwalk_store::rows::IncidentRow;

use super::FieldApp;
use super::util::{hlc_ms, name_of, parse_code};
use crate::dto::*;
use crate::error::codes;

pub(crate) fn incident_not_found(id: &str) -> AppError {
    AppError::new(
        codes::INCIDENT_NOT_FOUND,
        "本机上找不到这个事件，可能尚未同步。",
        format!("Incident {id} is not on this device; it may not have synced yet."),
    )
}

fn not_allowed(action: &str) -> AppError {
    AppError::new(
        codes::ACTION_NOT_ALLOWED,
        "您现在不能对这个事件执行该操作。",
        format!("You may not take the action {action} on this incident now."),
    )
    .on_field("action")
}

/// Validates a GPS fix from a form.
pub(crate) fn gps_of(g: &Option<GpsInput>) -> Result<Option<Gps>, AppError> {
    let Some(g) = g else { return Ok(None) };
    let ok = g.lat.is_finite()
        && g.lng.is_finite()
        && (-90.0..=90.0).contains(&g.lat)
        && (-180.0..=180.0).contains(&g.lng)
        && g.accuracy_m.is_none_or(|a| a.is_finite() && a >= 0.0);
    if !ok {
        return Err(AppError::new(
            codes::INVALID_CHOICE,
            "定位数据无效，请重新定位或不带定位保存。",
            "The GPS fix is not valid. Locate again, or save without it.",
        )
        .on_field("gps"));
    }
    Ok(Some(Gps {
        lat: g.lat,
        lng: g.lng,
        accuracy_m: g.accuracy_m,
    }))
}

/// A new incident as core takes it, plus the 网格自办 result when handled on the spot.
pub(crate) struct IncidentDraft {
    pub new: NewIncident,
    /// 网格自办 result, when handled on the spot.
    pub self_handled: Option<String>,
}

impl FieldApp {
    /// The platform of a category leaf, or `invalid_category` on `field`.
    pub(crate) fn leaf_platform(&self, code: &str, field: &str) -> Result<Platform, AppError> {
        self.categories()?
            .into_iter()
            .find(|c| c.code == code)
            .and_then(|c| c.platform)
            .ok_or_else(|| {
                AppError::new(
                    codes::INVALID_CATEGORY,
                    "请选择具体的事件类别。",
                    format!("{code} is not a category leaf: choose a specific category."),
                )
                .on_field(field)
            })
    }

    /// Builds, validates and stores a new incident with its first events, as one
    /// store action. Nothing is written when a check fails.
    pub(crate) fn build_incident(
        &mut self,
        d: IncidentDraft,
    ) -> Result<(String, automerge::AutoCommit), AppError> {
        let ctx = self.ctx()?;
        let grid_id = d.new.grid_id.clone();
        let doc = IncidentDoc::new(d.new, &ctx)?;
        let mut am =
            gridwalk_core::doc::create(self.store.actor().clone(), &doc, &ctx, "incident.create")?;
        let mut events = Vec::new();
        match &d.self_handled {
            Some(_) if ctx.role == Role::GridHead => events.push(Action::SelfHandle),
            Some(_) => events.extend([Action::Report, Action::SelfHandle]),
            None => events.push(Action::Report),
        }
        for action in events {
            let ctx = self.ctx()?;
            let mut fields = BTreeMap::new();
            if action == Action::SelfHandle {
                fields.insert(
                    "result".to_string(),
                    d.self_handled.clone().unwrap_or_default(),
                );
            }
            let ev = NewEvent {
                id: self.new_id(),
                action,
                note: String::new(),
                fields,
            };
            append(&mut am, &ctx, ev)?;
        }
        Ok((grid_id, am))
    }

    /// Reports an incident (or records it as handled in the grid); returns its id.
    pub fn report_incident(&mut self, input: &NewIncidentInput) -> Result<String, AppError> {
        let role = self.role()?;
        let platform = self.leaf_platform(&input.category, "category")?;
        let urgency: Urgency = parse_code("urgency", &input.urgency)?;
        let gps = super::incidents::gps_of(&input.gps)?;
        let mut grid = None;
        for h in &input.households {
            match self.store.household_row(h)? {
                Some(row) if row.deleted_at.is_none() => {
                    grid.get_or_insert(row.grid_id);
                }
                _ => return Err(super::card::household_not_found(h).on_field("households")),
            }
        }
        let grid_id = match grid {
            Some(g) => g,
            None => self.store.held_grids()?.into_iter().next().ok_or_else(|| {
                AppError::new(
                    codes::ROLE_NOT_ALLOWED,
                    "本机还没有可上报的网格，请先同步。",
                    "This device holds no grid to report in yet. Sync first.",
                )
            })?,
        };
        let result = input
            .self_handled_result
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        let self_handles =
            platform == Platform::InGrid && matches!(role, Role::GridWorker | Role::GridHead);
        if self_handles && result.is_none() {
            return Err(
                AppError::from(CoreError::Required("result")).on_field("self_handled_result")
            );
        }
        if result.is_some() && !self_handles {
            return Err(not_allowed(Action::SelfHandle.code()).on_field("self_handled_result"));
        }
        if let Some(r) = result {
            gridwalk_core::doc::check_len("result", r, 2000)
                .map_err(|e| AppError::from(e).on_field("self_handled_result"))?;
        }
        let id = self.new_id();
        let new = NewIncident {
            id: id.clone(),
            grid_id,
            households: input.households.clone(),
            category: input.category.clone(),
            platform,
            urgency,
            source: if role == Role::PartyMember {
                Source::Resident
            } else {
                Source::Patrol
            },
            location: input.location.trim().to_string(),
            gps,
            parties: input.parties.trim().to_string(),
            description: input.description.trim().to_string(),
        };
        gridwalk_core::doc::check_len("location", &new.location, 200)?;
        gridwalk_core::doc::check_len("parties", &new.parties, 500)?;
        let (grid_id, am) = self.build_incident(IncidentDraft {
            new,
            self_handled: result.map(str::to_string),
        })?;
        self.store.create(DocKind::Incident, &id, &grid_id, am)?;
        Ok(id)
    }

    /// Every incident on this device, newest first.
    pub fn incidents(&mut self) -> Result<Vec<IncidentListItem>, AppError> {
        let rows = self.store.incident_rows()?;
        self.incident_items(rows)
    }

    /// List items for incident rows (督办 level computed for routed, open ones).
    pub(crate) fn incident_items(
        &mut self,
        rows: Vec<IncidentRow>,
    ) -> Result<Vec<IncidentListItem>, AppError> {
        let names: HashMap<String, String> = self
            .categories()?
            .into_iter()
            .map(|c| (c.code, c.name))
            .collect();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let level = if r.is_open && r.routed_at.is_some() {
                let (doc, eff) = self.incident_doc(&r.id)?;
                self.supervision_of(&doc, &eff).map(|s| s.level)
            } else {
                None
            };
            out.push(IncidentListItem {
                category_name: names
                    .get(&r.category)
                    .cloned()
                    .unwrap_or_else(|| r.category.clone()),
                description: r.description.lines().next().unwrap_or("").to_string(),
                supervision: level
                    .filter(|l| l.is_overdue())
                    .map(|l| l.code().to_string()),
                id: r.id,
                category: r.category,
                platform: r.platform,
                state: r.state,
                urgency: r.urgency,
                location: r.location,
                created_at: r.created_at,
            });
        }
        Ok(out)
    }

    /// An incident document and its effective state.
    pub(crate) fn incident_doc(&mut self, id: &str) -> Result<(IncidentDoc, Effective), AppError> {
        match self.store.hydrated(id) {
            Ok(Hydrated::Incident(doc)) => {
                let eff = effective(&doc);
                Ok((*doc, eff))
            }
            Ok(_) | Err(gridwalk_store::StoreError::NotFound(_)) => Err(incident_not_found(id)),
            Err(e) => Err(e.into()),
        }
    }

    fn supervision_of(
        &self,
        doc: &IncidentDoc,
        eff: &Effective,
    ) -> Option<gridwalk_core::incident::Supervision> {
        let calendar = self.store.calendar().ok().flatten()?;
        let rules = self
            .store
            .sla_rules()
            .ok()
            .flatten()
            .unwrap_or_else(default_sla_rules);
        Some(supervision(doc, eff, &rules, &calendar, self.now()))
    }

    /// One incident with its timeline and the actions this user may take now.
    pub fn incident_detail(&mut self, id: &str) -> Result<IncidentDetail, AppError> {
        let row = self
            .store
            .incident_row(id)?
            .ok_or_else(|| incident_not_found(id))?;
        let (doc, eff) = self.incident_doc(id)?;
        let s = self.session_ref()?;
        let (user, role) = (s.user_id.clone(), s.role);
        let users = self.user_names()?;
        let mut households = Vec::new();
        for h in doc.households.value().cloned().unwrap_or_default() {
            let label = match self.store.household_row(&h)? {
                Some(r) => r.address,
                None => h.clone(),
            };
            households.push(Choice { value: h, label });
        }
        let units: HashMap<String, String> = self
            .store
            .ref_units()?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let flagged: HashMap<&str, &str> = eff
            .flagged
            .iter()
            .map(|f| (f.event_id.as_str(), f.reason_code))
            .collect();
        let timeline = doc
            .ordered_events()
            .into_iter()
            .map(|e| EventView {
                id: e.id.clone(),
                action: e.action.code().to_string(),
                actor: name_of(&users, &e.actor_user),
                role: e.role.code().to_string(),
                at: hlc_ms(&e.hlc),
                note: e.note.clone(),
                fields: e
                    .fields
                    .iter()
                    .map(|(k, v)| Choice {
                        value: k.clone(),
                        label: v.clone(),
                    })
                    .collect(),
                flagged: flagged.get(e.id.as_str()).map(|c| c.to_string()),
            })
            .collect();
        let sup = self.supervision_of(&doc, &eff);
        let deadline_at = sup.and_then(|s| {
            use gridwalk_core::incident::State;
            match eff.state {
                State::Routed => s.accept.map(|d| d.deadline.0),
                State::InProgress | State::DelayRequested => s.feedback.map(|d| d.deadline.0),
                _ => None,
            }
        });
        let allowed = allowed_actions(&doc, &eff, &user, role)
            .into_iter()
            .map(|a| a.code().to_string())
            .collect();
        let mut item = self.incident_items(vec![row])?;
        let incident = item.pop().ok_or_else(|| incident_not_found(id))?;
        Ok(IncidentDetail {
            incident,
            parties: doc.parties.value().cloned().unwrap_or_default(),
            households,
            unit: eff
                .unit
                .as_ref()
                .map(|u| units.get(u).cloned().unwrap_or_else(|| u.clone())),
            deadline_at,
            timeline,
            allowed_actions: allowed,
        })
    }

    /// Takes an action on an incident, if core allows it for this user now.
    pub fn incident_act(
        &mut self,
        input: &IncidentActionInput,
    ) -> Result<IncidentDetail, AppError> {
        let action = Action::from_code(&input.action)
            .ok_or_else(|| crate::error::invalid_choice("action", &input.action))?;
        let (doc, eff) = self.incident_doc(&input.incident_id)?;
        let s = self.session_ref()?;
        let (user, role, device) = (s.user_id.clone(), s.role, s.device_id.clone());
        if !allowed_actions(&doc, &eff, &user, role).contains(&action) {
            return Err(not_allowed(action.code()));
        }
        // The new event must sort after every event in the log (core refuses otherwise):
        // advance the device clock past the log first.
        if let Some(max) = doc
            .events
            .values()
            .filter_map(|e| e.hlc.parse::<Hlc>().ok())
            .max()
        {
            self.store.observe_hlc(&device, &max, self.now().0)?;
        }
        let ctx = self.ctx()?;
        let ev = NewEvent {
            id: self.new_id(),
            action,
            note: input.note.trim().to_string(),
            fields: input
                .fields
                .iter()
                .map(|c| (c.value.clone(), c.label.clone()))
                .collect(),
        };
        let label = format!("incident.{}", action.code());
        let ev_id = ev.id.clone();
        self.store
            .transact(
                DocKind::Incident,
                &input.incident_id,
                StoreAction::new(&label).record(&ev_id),
                |am| append(am, &ctx, ev),
            )
            .map_err(|e| {
                // Permission was checked above: a refusal here is about what was entered
                // (a missing reason in the note, a missing or bad field).
                let field = match &e {
                    gridwalk_store::StoreError::Core(CoreError::ActionNotAllowed {
                        reason,
                        ..
                    }) => Some(if reason.contains("note") {
                        "note"
                    } else {
                        "fields"
                    }),
                    _ => None,
                };
                let app = AppError::from(e);
                match field {
                    Some(f) => app.on_field(f),
                    None => app,
                }
            })?;
        self.incident_detail(&input.incident_id)
    }
}
