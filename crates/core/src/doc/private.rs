//! The household private document: what not every role may hold.
//!
//! Full identity numbers and special-group tags (社区矫正, 刑满释放, 严重精神障碍) are
//! sensitive personal information. CRDT history cannot be redacted per role, so this is
//! a separate document, synced only to devices whose role may hold it
//! ([`crate::reference::Role::may_hold_private`]). The household document carries only
//! masked numbers.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::household::TagSpan;
use super::register::{self, Register};
use super::{WriteCtx, commit, obj_at};
use crate::CoreError;
use crate::identity::IdKind;

/// The private document schema this build writes.
pub const PRIVATE_SCHEMA: u64 = 1;

/// A full identity number.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct IdNumber {
    /// Document type.
    pub kind: IdKind,
    /// The normalised full number.
    pub number: String,
}

/// The household private document.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct HouseholdPrivateDoc {
    /// Schema number.
    pub schema: u64,
    /// The household it belongs to.
    pub household_id: String,
    /// Full identity numbers by person id. Each person's register is created with the
    /// member, by the device that adds the member.
    pub ids: BTreeMap<String, Register<Option<IdNumber>>>,
    /// Special-group tags by code, with validity.
    pub special_tags: Register<BTreeMap<String, TagSpan>>,
}

impl HouseholdPrivateDoc {
    /// A new private document with every container present.
    pub fn new(household_id: &str, ctx: &WriteCtx) -> HouseholdPrivateDoc {
        HouseholdPrivateDoc {
            schema: PRIVATE_SCHEMA,
            household_id: household_id.to_string(),
            ids: BTreeMap::new(),
            special_tags: Register::new(BTreeMap::new(), ctx.user.clone(), ctx.hlc.to_string()),
        }
    }
}

/// Records a person's full identity number: creates the person's register on first use
/// (the member's creator does that), or writes it afterwards.
pub fn set_id(
    doc: &mut automerge::AutoCommit,
    ctx: &WriteCtx,
    person_id: &str,
    id: Option<IdNumber>,
) -> Result<(), CoreError> {
    let ids = obj_at(doc, &["ids"])?;
    let at = ctx.hlc.to_string();
    if obj_at(doc, &["ids", person_id]).is_ok() {
        register::write(doc, &ids, person_id, id, &ctx.user, &at)?;
    } else {
        let reg = Register::new(id, ctx.user.clone(), at);
        autosurgeon::reconcile_prop(doc, &ids, person_id, &reg)
            .map_err(|e| CoreError::DoesNotHydrate(e.to_string()))?;
    }
    commit(doc, ctx, "private.set_id");
    Ok(())
}

/// Replaces the set of special-group tags.
pub fn set_special_tags(
    doc: &mut automerge::AutoCommit,
    ctx: &WriteCtx,
    tags: BTreeMap<String, TagSpan>,
) -> Result<(), CoreError> {
    if let Some(bad) = tags
        .keys()
        .find(|c| crate::reference::SpecialTag::from_code(c).is_none())
    {
        return Err(CoreError::InvalidReference(format!(
            "{bad} is not a special-group tag"
        )));
    }
    let root = automerge::ROOT;
    register::write(
        doc,
        &root,
        "special_tags",
        tags,
        &ctx.user,
        &ctx.hlc.to_string(),
    )?;
    commit(doc, ctx, "private.set_special_tags");
    Ok(())
}
