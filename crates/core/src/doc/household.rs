//! The household document: one per household (DESIGN.md §2).
//!
//! It holds the profile (standard address, status, members keyed by person id), the
//! care tags, and the records that belong to the household: visits, contact logs whose
//! target is this household, reviews and conflict resolutions, each a map keyed by
//! UUIDv7. Identity numbers appear here only masked; the full numbers live in the
//! private document.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::register::Register;
pub use super::visit::{
    Campaign, ContactContent, ContactLog, ContactMode, Need, NeedOutcome, Observation,
    ObservationKind, Visit, VisitContent, VisitKind,
};
use super::{WriteCtx, check_len};
use crate::CoreError;
use crate::reference::Role;

/// The household document schema this build writes.
pub const HOUSEHOLD_SCHEMA: u64 = 1;

/// A standard address (一标三实): street/building/unit/room in town, or natural village
/// and number in the countryside.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Address {
    /// Road or street, with its number (丽阳街88号).
    pub street: Option<String>,
    /// Building (幢).
    pub building: Option<String>,
    /// Unit (单元).
    pub unit: Option<String>,
    /// Room (室).
    pub room: Option<String>,
    /// Natural village (自然村), for rural addresses.
    pub natural_village: Option<String>,
    /// House number in the natural village.
    pub number: Option<String>,
}

impl Address {
    /// The address as one line of Chinese text.
    pub fn display(&self) -> String {
        let mut s = String::new();
        let mut push = |part: &Option<String>, suffix: &str| {
            if let Some(p) = part.as_deref().filter(|p| !p.is_empty()) {
                s.push_str(p);
                if !p.ends_with(suffix) {
                    s.push_str(suffix);
                }
            }
        };
        push(&self.natural_village, "");
        push(&self.number, "号");
        push(&self.street, "");
        push(&self.building, "幢");
        push(&self.unit, "单元");
        push(&self.room, "室");
        s
    }

    /// Refuses an address with nothing to find the door by.
    pub fn validate(&self) -> Result<(), CoreError> {
        let has = |p: &Option<String>| p.as_deref().is_some_and(|p| !p.trim().is_empty());
        if !(has(&self.street) || has(&self.natural_village)) {
            return Err(CoreError::Required("address"));
        }
        for part in [
            &self.street,
            &self.building,
            &self.unit,
            &self.room,
            &self.natural_village,
            &self.number,
        ]
        .into_iter()
        .flatten()
        {
            check_len("address", part, 100)?;
        }
        Ok(())
    }
}

/// Whether anyone lives there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HouseholdStatus {
    /// 自住
    Occupied,
    /// 空置
    Empty,
    /// 出租
    Rented,
}

impl HouseholdStatus {
    /// Does the household count in coverage ratios (occupied or rented)?
    pub fn is_occupied(self) -> bool {
        !matches!(self, HouseholdStatus::Empty)
    }
}

/// A member's relation to the head of household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// 户主
    Head,
    /// 配偶
    Spouse,
    /// 子女
    Child,
    /// 父母
    Parent,
    /// 孙辈
    Grandchild,
    /// 祖辈
    Grandparent,
    /// 兄弟姐妹
    Sibling,
    /// 儿媳/女婿
    ChildInLaw,
    /// 租户
    Tenant,
    /// 其他
    Other,
}

/// An identity document as the household document may hold it: type and masked number.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct MaskedId {
    /// The identity document type code (see [`crate::identity`]).
    pub kind: String,
    /// The number with the middle masked: first 3 and last 4 visible.
    pub masked: String,
}

/// A validity span for a tag, as `YYYY-MM-DD` Shanghai dates.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct TagSpan {
    /// First day the tag applies.
    pub valid_from: Option<String>,
    /// Last day the tag applies, if it ends.
    pub valid_to: Option<String>,
}

impl TagSpan {
    /// Does the tag apply on `day` (`YYYY-MM-DD`)? Text dates compare correctly.
    pub fn active_on(&self, day: &str) -> bool {
        self.valid_from.as_deref().is_none_or(|f| f <= day)
            && self.valid_to.as_deref().is_none_or(|t| day <= t)
    }
}

/// A person in the household.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Member {
    /// Person id (UUIDv7); also the key in `members`.
    pub id: String,
    /// Name.
    pub name: Register<String>,
    /// Relation to the head.
    pub relation: Register<Relation>,
    /// Identity document, masked; `None` for a newborn or anyone without one.
    pub id_doc: Register<Option<MaskedId>>,
    /// Phone: a mobile, or a landline with its area code.
    pub phone: Register<Option<String>>,
    /// Year of birth.
    pub birth_year: Register<Option<i64>>,
    /// Creation time, UTC ms.
    pub created_at: i64,
    /// Soft delete (moved out, died, entered in error), UTC ms.
    pub deleted_at: Register<Option<i64>>,
}

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 通过
    Approve,
    /// 退回 (with a reason)
    Return,
}

/// A review of a visit or contact log. Reviews are records: the lineage keeps them all.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, Serialize)]
pub struct Review {
    /// UUIDv7; also the key.
    pub id: String,
    /// `visit` or `contact`.
    pub target_kind: String,
    /// The reviewed record's id.
    pub target_id: String,
    /// Approve or return.
    pub decision: Decision,
    /// Why it was returned (required for a return).
    pub reason: String,
    /// The reviewer.
    pub reviewer_user: String,
    /// The reviewer's role.
    pub role: Role,
    /// HLC of the review.
    pub hlc: String,
    /// The HLC key of the content write the reviewer was shown. A later or concurrent
    /// content write makes the record `resubmitted` (see [`super::review`]). Absent in
    /// reviews written before this field existed.
    pub content_hlc: Option<String>,
}

/// A person's pick between conflicting values. The pick itself is a new register write;
/// this record keeps who chose what, for the lineage.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, Serialize)]
pub struct ConflictResolution {
    /// UUIDv7; also the key.
    pub id: String,
    /// The field's path, such as `members/<id>/phone`.
    pub path: String,
    /// The HLC key of the chosen write.
    pub chosen: String,
    /// The HLC keys of the writes set aside.
    pub discarded: Vec<String>,
    /// Who chose.
    pub by: String,
    /// HLC of the resolution.
    pub hlc: String,
}

/// The household document.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct HouseholdDoc {
    /// Schema number.
    pub schema: u64,
    /// Household id (UUIDv7).
    pub id: String,
    /// The grid it was created in. Which grid it is in now is reference data on the
    /// server; moves never rewrite this document.
    pub grid_id: String,
    /// Micro-grid (building, natural village).
    pub micro_grid_id: Register<Option<String>>,
    /// Standard address.
    pub address: Register<Address>,
    /// Occupied, empty or rented.
    pub status: Register<HouseholdStatus>,
    /// Care tags by code, with validity.
    pub tags: Register<BTreeMap<String, TagSpan>>,
    /// Members by person id.
    pub members: BTreeMap<String, Member>,
    /// Visits by id.
    pub visits: BTreeMap<String, Visit>,
    /// Contact logs by id.
    pub contacts: BTreeMap<String, ContactLog>,
    /// Reviews by id.
    pub reviews: BTreeMap<String, Review>,
    /// Conflict resolutions by id.
    pub conflict_resolutions: BTreeMap<String, ConflictResolution>,
    /// Creating user.
    pub created_by: String,
    /// Creation time, UTC ms.
    pub created_at: i64,
    /// Soft delete, UTC ms.
    pub deleted_at: Register<Option<i64>>,
}

/// What a person fills in to register a household.
#[derive(Debug, Clone, PartialEq)]
pub struct NewHousehold {
    /// UUIDv7.
    pub id: String,
    /// Grid.
    pub grid_id: String,
    /// Micro-grid.
    pub micro_grid_id: Option<String>,
    /// Address.
    pub address: Address,
    /// Status.
    pub status: HouseholdStatus,
    /// Care tags.
    pub tags: BTreeMap<String, TagSpan>,
}

impl HouseholdDoc {
    /// A new household with every container present, ready for [`super::create`].
    pub fn new(n: NewHousehold, ctx: &WriteCtx) -> Result<HouseholdDoc, CoreError> {
        n.address.validate()?;
        for code in n.tags.keys() {
            if crate::reference::CareTag::from_code(code).is_none() {
                // Special-group tags belong in the private document, never here.
                return Err(CoreError::InvalidReference(format!(
                    "{code} is not a care tag"
                )));
            }
        }
        let (by, at) = (ctx.user.clone(), ctx.hlc.to_string());
        Ok(HouseholdDoc {
            schema: HOUSEHOLD_SCHEMA,
            id: n.id,
            grid_id: n.grid_id,
            micro_grid_id: Register::new(n.micro_grid_id, by.clone(), at.clone()),
            address: Register::new(n.address, by.clone(), at.clone()),
            status: Register::new(n.status, by.clone(), at.clone()),
            tags: Register::new(n.tags, by.clone(), at.clone()),
            members: BTreeMap::new(),
            visits: BTreeMap::new(),
            contacts: BTreeMap::new(),
            reviews: BTreeMap::new(),
            conflict_resolutions: BTreeMap::new(),
            created_by: by.clone(),
            created_at: ctx.at.0,
            deleted_at: Register::new(None, by, at),
        })
    }

    /// Members not soft-deleted.
    pub fn live_members(&self) -> impl Iterator<Item = &Member> {
        self.members
            .values()
            .filter(|m| m.deleted_at.value().copied().flatten().is_none())
    }

    /// Visits not soft-deleted.
    pub fn live_visits(&self) -> impl Iterator<Item = &Visit> {
        self.visits
            .values()
            .filter(|v| v.deleted_at.value().copied().flatten().is_none())
    }

    /// Contact logs not soft-deleted.
    pub fn live_contacts(&self) -> impl Iterator<Item = &ContactLog> {
        self.contacts
            .values()
            .filter(|c| c.deleted_at.value().copied().flatten().is_none())
    }
}
