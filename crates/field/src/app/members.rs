//! Adding a household member (DOMAIN.md "Records": name, relation to the head, identity
//! document, phone, birth year).
//!
//! The identity document is optional (newborns have none). A number is checked for its
//! declared kind by `gridwalk_core::identity::validate_id`; the household document keeps
//! only the kind and the masked number, and the full number goes to the household's
//! private document (DOMAIN.md "Privacy"), which is created on this device when the
//! household has none yet.
//!
//! That is two documents, and the store writes one per transaction. So, as
//! `save_visit` does for needs that become incidents, everything is checked before the
//! first write: the form through core's `member_record`, the birth year, and both
//! document operations dry-run on copies of the documents. Only then is the private
//! document written (its own action, immediately before the member), then the member.
//! A refusal therefore leaves nothing behind: no outbox entry, no row, no card change.

use chrono::Datelike;
use gridwalk_core::doc::edit::{NewMember, add_member, member_record};
use gridwalk_core::doc::household::Relation;
use gridwalk_core::doc::private::{self, HouseholdPrivateDoc, IdNumber};
use gridwalk_core::doc::{DocKind, private_doc_id};
use gridwalk_core::identity::IdKind;
use gridwalk_core::reference::Role;
use gridwalk_store::{Action, StoreError};

use super::FieldApp;
use super::card::role_not_allowed;
use super::util::parse_code;
use crate::dto::*;
use crate::error::{codes, invalid_choice};

/// The earliest birth year the form accepts.
pub const MIN_BIRTH_YEAR: i64 = 1900;

fn id_kind_required() -> AppError {
    // Core's code for an empty required field.
    AppError::new(
        "required",
        "填写了证件号码，请选择证件类型。",
        "An identity number needs its document type: choose one.",
    )
    .on_field("id_kind")
}

fn invalid_birth_year(year: i64, this_year: i64) -> AppError {
    AppError::new(
        codes::INVALID_BIRTH_YEAR,
        format!("出生年份 {year} 不对，请填写 {MIN_BIRTH_YEAR} 到 {this_year} 之间的年份。"),
        format!(
            "Birth year {year} is not plausible: enter a year from {MIN_BIRTH_YEAR} to {this_year}."
        ),
    )
    .on_field("birth_year")
}

impl FieldApp {
    /// Adds a member to a household, as one user action on the household document (and,
    /// when an identity number is given, one on its private document just before); returns
    /// the card with the new member, its number masked. Only grid workers and grid heads
    /// add members (as for [`FieldApp::edit_member`]; the server refuses the others).
    /// Errors name the form field: `name`, `relation`, `id_kind`, `id_number`, `phone`,
    /// `birth_year`. See the module docs for why a refusal writes nothing.
    pub fn add_member(&mut self, input: &NewMemberInput) -> Result<HouseholdCard, AppError> {
        let role = self.role()?;
        if !matches!(role, Role::GridWorker | Role::GridHead) {
            return Err(role_not_allowed("add household members"));
        }
        let row = self.live_household(&input.household_id)?;
        let relation: Relation = parse_code("relation", input.relation.trim())?;
        let kind = match input
            .id_kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            Some(k) => Some(IdKind::from_code(k).ok_or_else(|| invalid_choice("id_kind", k))?),
            None => None,
        };
        let number = input.id_number.as_deref().filter(|n| !n.trim().is_empty());
        let id_doc = match (kind, number) {
            (Some(k), Some(n)) => Some((k, n.to_string())),
            (None, Some(_)) => return Err(id_kind_required()),
            // A kind without a number is no document: the person has none (yet).
            (_, None) => None,
        };
        if let Some(year) = input.birth_year {
            let this_year = i64::from(self.now().shanghai_date().year());
            if !(MIN_BIRTH_YEAR..=this_year).contains(&year) {
                return Err(invalid_birth_year(year, this_year));
            }
        }
        let person_id = self.new_id();
        let ctx = self.ctx()?;
        let new = NewMember {
            id: person_id.clone(),
            name: input.name.clone(),
            relation,
            id_doc,
            phone: input.phone.clone(),
            birth_year: input.birth_year,
        };
        // Name (required, ≤ 50), phone and the identity number for its kind, by core.
        let (_, full) = member_record(new.clone(), &ctx)?;

        // Dry runs on copies: both document operations must succeed before either write.
        let mut household = self.store.document(&input.household_id)?;
        add_member(&mut household, &ctx, new.clone())?;
        let private_id = private_doc_id(&input.household_id);
        let private_write = match &full {
            None => None,
            Some(f) => {
                let id = IdNumber {
                    kind: f.kind,
                    number: f.number.clone(),
                };
                let exists = match self.store.doc_meta(&private_id) {
                    Ok(_) => true,
                    Err(StoreError::NotFound(_)) => false,
                    Err(e) => return Err(e.into()),
                };
                if exists {
                    let mut copy = self.store.document(&private_id)?;
                    private::set_id(&mut copy, &ctx, &person_id, Some(id.clone()))?;
                    Some((id, None))
                } else {
                    // The household has no private document yet: this device creates it,
                    // holding the new number from its first action.
                    let value = HouseholdPrivateDoc::new(&input.household_id, &ctx);
                    let mut doc = gridwalk_core::doc::create(
                        self.store.actor().clone(),
                        &value,
                        &ctx,
                        "private.create",
                    )?;
                    private::set_id(&mut doc, &ctx, &person_id, Some(id.clone()))?;
                    Some((id, Some(doc)))
                }
            }
        };

        match private_write {
            None => {}
            Some((_, Some(doc))) => {
                self.store
                    .create(DocKind::HouseholdPrivate, &private_id, &row.grid_id, doc)?;
            }
            Some((id, None)) => {
                self.store.transact(
                    DocKind::HouseholdPrivate,
                    &private_id,
                    Action::new("private.set_id").record(&person_id),
                    |doc| private::set_id(doc, &ctx, &person_id, Some(id)),
                )?;
            }
        }
        self.store.transact(
            DocKind::Household,
            &input.household_id,
            Action::new("household.add_member").record(&person_id),
            |doc| add_member(doc, &ctx, new).map(|_| ()),
        )?;
        self.household_card(&input.household_id)
    }
}
