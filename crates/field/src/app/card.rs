//! The household card, revealing a full identity number or phone, and member edits.
//!
//! Privacy (DOMAIN.md "Privacy"): identity numbers and phones are shown masked. Roles
//! that may reveal (`Role::may_reveal_identity`: grid workers, grid heads) see one in
//! full on request; each reveal is recorded with `Store::record_audit` at once, offline
//! included, and uploaded at the next sync. Other roles are refused with
//! `reveal_not_allowed`. Special-group tags come from the private document, which only
//! roles allowed to hold it ever receive; the card also checks the role.

use gridwalk_core::doc::edit::{Edit, apply_edit};
use gridwalk_core::doc::{DocKind, private_doc_id};
use gridwalk_core::protocol::AuditEvent;
use gridwalk_core::reference::Role;
use gridwalk_store::Action;
use gridwalk_store::materialize::Hydrated;

use super::FieldApp;
use super::util::{active_tags, day_text, days_since, name_of};
use crate::dto::*;
use crate::error::{codes, invalid_choice};

pub(crate) fn household_not_found(id: &str) -> AppError {
    AppError::new(
        codes::HOUSEHOLD_NOT_FOUND,
        "本机上找不到这一户，可能不在您的范围内或尚未同步。",
        format!(
            "Household {id} is not on this device: it may be outside your area or not synced yet."
        ),
    )
}

pub(crate) fn member_not_found(id: &str) -> AppError {
    AppError::new(
        codes::MEMBER_NOT_FOUND,
        "这一户里没有这个人，请刷新后重试。",
        format!("Person {id} is not a member of this household. Refresh and try again."),
    )
    .on_field("person_id")
}

pub(crate) fn role_not_allowed(what: &str) -> AppError {
    AppError::new(
        codes::ROLE_NOT_ALLOWED,
        "您的角色不能进行这项操作。",
        format!("Your role may not {what}."),
    )
}

/// Needs as the visit row stores them: `[{id, text, outcome, incident_id}]`.
#[derive(serde::Deserialize)]
struct NeedRow {
    text: String,
}

impl FieldApp {
    /// The household's live row, or `household_not_found`.
    pub(crate) fn live_household(
        &self,
        id: &str,
    ) -> Result<gridwalk_store::rows::HouseholdRow, AppError> {
        match self.store.household_row(id)? {
            Some(r) if r.deleted_at.is_none() => Ok(r),
            _ => Err(household_not_found(id)),
        }
    }

    /// The household card: profile, members (masked), visits, incidents, contactors.
    pub fn household_card(&mut self, id: &str) -> Result<HouseholdCard, AppError> {
        let role = self.role()?;
        let row = self.live_household(id)?;
        let now = self.now();
        let today = day_text(now);
        let users = self.user_names()?;
        let members = self
            .store
            .members_of(id)?
            .into_iter()
            .map(|m| MemberView {
                id: m.id,
                name: m.name,
                relation: m.relation,
                id_kind: m.id_kind,
                id_masked: m.id_masked,
                phone_masked: m.phone_masked,
                birth_year: m.birth_year,
            })
            .collect();
        let pending = self.store.pending_records(id)?;
        let visits = self
            .store
            .visits_of(id)?
            .into_iter()
            .map(|v| VisitView {
                pending: pending.contains(&v.id),
                visitor: name_of(&users, &v.visitor_user),
                needs: serde_json::from_str::<Vec<NeedRow>>(&v.needs)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|n| n.text)
                    .collect(),
                id: v.id,
                at: v.at,
                mode: v.mode,
                kind: v.kind,
                note: v.note,
                service: v.service,
                follow_up: v.follow_up,
                has_gps: v.has_gps,
                review: v.review,
                review_status: v.review_status,
            })
            .collect();
        let special_tags = if role.may_hold_private() {
            self.store
                .private_row(id)?
                .map(|p| active_tags(&p.special_tags, &today))
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let incident_rows = self.store.incidents_of_household(id)?;
        let incidents = self.incident_items(incident_rows)?;
        let contactors = self
            .store
            .assignments_for("household", id)?
            .into_iter()
            .map(|a| Choice {
                label: name_of(&users, &a.contactor_user),
                value: a.contactor_user,
            })
            .collect();
        let conflicts = self
            .conflicts()?
            .into_iter()
            .filter(|c| c.household_id.as_deref() == Some(id))
            .collect();
        Ok(HouseholdCard {
            id: row.id,
            address: row.address,
            status: row.status,
            grid_id: row.grid_id,
            micro_grid_id: row.micro_grid_id,
            tags: active_tags(&row.tags, &today),
            special_tags,
            members,
            visits,
            incidents,
            contactors,
            days_since_seen: days_since(row.last_in_person_at, now),
            can_reveal: role.may_reveal_identity(),
            conflicts,
        })
    }

    /// Reveals a member's full identity number (`id_number`) or phone (`phone`). The
    /// reveal is audited on the device at once and uploaded at the next sync.
    pub fn reveal(&mut self, req: &RevealRequest) -> Result<String, AppError> {
        let role = self.role()?;
        if !role.may_reveal_identity() {
            return Err(AppError::new(
                codes::REVEAL_NOT_ALLOWED,
                "您的角色不能查看完整的证件号码或电话。",
                "Your role may not see full identity numbers or phone numbers.",
            ));
        }
        self.live_household(&req.household_id)?;
        let member = self
            .store
            .members_of(&req.household_id)?
            .into_iter()
            .find(|m| m.id == req.person_id)
            .ok_or_else(|| member_not_found(&req.person_id))?;
        let nothing = || {
            AppError::new(
                codes::MEMBER_NOT_FOUND,
                "没有登记这项信息。",
                "Nothing is recorded for this field.",
            )
            .on_field("field")
        };
        let (value, action, doc_id) = match req.field.as_str() {
            "phone" => (
                member.phone.ok_or_else(nothing)?,
                "reveal_phone",
                req.household_id.clone(),
            ),
            "id_number" => {
                let pid = private_doc_id(&req.household_id);
                let number = match self.store.hydrated(&pid) {
                    Ok(Hydrated::Private(p)) => p
                        .ids
                        .get(&req.person_id)
                        .and_then(|r| r.value().cloned().flatten())
                        .map(|n| n.number),
                    Ok(_) | Err(gridwalk_store::StoreError::NotFound(_)) => None,
                    Err(e) => return Err(e.into()),
                };
                (number.ok_or_else(nothing)?, "reveal_id", pid)
            }
            other => return Err(invalid_choice("field", other)),
        };
        let event = AuditEvent {
            id: self.new_id(),
            at_ms: self.now().0,
            action: action.to_string(),
            doc_id,
            target: req.person_id.clone(),
        };
        self.store.record_audit(&event)?;
        Ok(value)
    }

    /// Edits one member field (`phone` or `name`) as one action; returns the new card.
    /// Only grid workers and grid heads edit members (the server refuses the others).
    pub fn edit_member(&mut self, input: &MemberEditInput) -> Result<HouseholdCard, AppError> {
        let role = self.role()?;
        if !matches!(role, Role::GridWorker | Role::GridHead) {
            return Err(role_not_allowed("edit household members"));
        }
        self.live_household(&input.household_id)?;
        if !self
            .store
            .members_of(&input.household_id)?
            .iter()
            .any(|m| m.id == input.person_id)
        {
            return Err(member_not_found(&input.person_id));
        }
        let pid = input.person_id.clone();
        let edit = match input.field.as_str() {
            "phone" => Edit::MemberPhone(pid, Some(input.value.clone())),
            "name" => Edit::MemberName(pid, input.value.clone()),
            other => return Err(invalid_choice("field", other)),
        };
        let ctx = self.ctx()?;
        let label = format!("household.edit.{}", input.field);
        self.store.transact(
            DocKind::Household,
            &input.household_id,
            Action::new(&label).record(&input.person_id),
            |doc| apply_edit(doc, &ctx, edit),
        )?;
        self.household_card(&input.household_id)
    }
}
