//! User actions on a household document, each written at its own path.
//!
//! Adding a record reconciles just that record under its map (`visits/<id>`, …); editing
//! a field writes one register. Nothing here reconciles a whole document, so whatever a
//! sync merged in since the caller last looked is never deleted.

use automerge::AutoCommit;
use std::collections::BTreeMap;

use super::household::{
    Address, ContactContent, ContactLog, Decision, HouseholdStatus, MaskedId, Member, Relation,
    Review, TagSpan, Visit, VisitContent, VisitKind,
};
use super::register::{self, Register};
use super::{WriteCtx, check_len, commit, obj_at};
use crate::CoreError;
use crate::identity::{self, IdKind};

/// A new member as entered: the full identity number is split off for the private
/// document by [`add_member`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    /// Person id (UUIDv7).
    pub id: String,
    /// Name.
    pub name: String,
    /// Relation to the head.
    pub relation: Relation,
    /// Identity document, if the person has one.
    pub id_doc: Option<(IdKind, String)>,
    /// Phone, if any.
    pub phone: Option<String>,
    /// Year of birth.
    pub birth_year: Option<i64>,
}

/// A validated identity number, for the private document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullId {
    /// The person.
    pub person_id: String,
    /// The document type.
    pub kind: IdKind,
    /// The normalised full number.
    pub number: String,
}

/// Validates a new member and builds the record the household document holds. Returns
/// the full identity number separately: it must go only to the private document.
pub fn member_record(n: NewMember, ctx: &WriteCtx) -> Result<(Member, Option<FullId>), CoreError> {
    let name = n.name.trim().to_string();
    if name.is_empty() {
        return Err(CoreError::Required("name"));
    }
    check_len("name", &name, 50)?;
    let phone = n
        .phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(identity::validate_phone)
        .transpose()?;
    let full = match n.id_doc {
        Some((kind, number)) if !number.trim().is_empty() => Some(FullId {
            person_id: n.id.clone(),
            kind,
            number: identity::validate_id(kind, &number)?,
        }),
        _ => None,
    };
    let masked = full.as_ref().map(|f| MaskedId {
        kind: f.kind.code().to_string(),
        masked: identity::mask_id(&f.number),
    });
    let (by, at) = (ctx.user.clone(), ctx.hlc.to_string());
    let member = Member {
        id: n.id,
        name: Register::new(name, by.clone(), at.clone()),
        relation: Register::new(n.relation, by.clone(), at.clone()),
        id_doc: Register::new(masked, by.clone(), at.clone()),
        phone: Register::new(phone, by.clone(), at.clone()),
        birth_year: Register::new(n.birth_year, by.clone(), at.clone()),
        created_at: ctx.at.0,
        deleted_at: Register::new(None, by, at),
    };
    Ok((member, full))
}

fn put_record<R: autosurgeon::Reconcile>(
    doc: &mut AutoCommit,
    map: &[&str],
    id: &str,
    record: &R,
) -> Result<(), CoreError> {
    let obj = obj_at(doc, map)?;
    if automerge::ReadDoc::get(doc, &obj, id)
        .map_err(register::am_err)?
        .is_some()
    {
        // Records are created once; a second create under the same id is a caller bug
        // and must not overwrite what is there.
        return Err(CoreError::InvalidReference(format!(
            "{} {id} already exists",
            map.join("/")
        )));
    }
    autosurgeon::reconcile_prop(doc, &obj, id, record)
        .map_err(|e| CoreError::DoesNotHydrate(e.to_string()))
}

/// Adds a member (one change). Returns the full identity number for the private document.
pub fn add_member(
    doc: &mut AutoCommit,
    ctx: &WriteCtx,
    n: NewMember,
) -> Result<Option<FullId>, CoreError> {
    let (member, full) = member_record(n, ctx)?;
    put_record(doc, &["members"], &member.id.clone(), &member)?;
    commit(doc, ctx, "household.add_member");
    Ok(full)
}

/// Adds a visit (one change).
pub fn add_visit(doc: &mut AutoCommit, ctx: &WriteCtx, visit: &Visit) -> Result<(), CoreError> {
    check_len(
        "note",
        visit.current().map_or("", |c| c.note.as_str()),
        4000,
    )?;
    put_record(doc, &["visits"], &visit.id, visit)?;
    commit(doc, ctx, "household.add_visit");
    Ok(())
}

/// Adds a contact log (one change).
pub fn add_contact(
    doc: &mut AutoCommit,
    ctx: &WriteCtx,
    log: &ContactLog,
) -> Result<(), CoreError> {
    check_len(
        "note",
        log.content.value().map_or("", |c| c.note.as_str()),
        4000,
    )?;
    put_record(doc, &["contacts"], &log.id, log)?;
    commit(doc, ctx, "household.add_contact");
    Ok(())
}

/// Adds a review (one change). A return needs a reason.
pub fn add_review(doc: &mut AutoCommit, ctx: &WriteCtx, review: &Review) -> Result<(), CoreError> {
    if review.decision == Decision::Return && review.reason.trim().is_empty() {
        return Err(CoreError::Required("reason"));
    }
    check_len("reason", &review.reason, 1000)?;
    put_record(doc, &["reviews"], &review.id, review)?;
    commit(doc, ctx, "household.add_review");
    Ok(())
}

/// One field edit. Each variant writes exactly one register.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Occupied, empty or rented.
    Status(HouseholdStatus),
    /// Standard address.
    Address(Address),
    /// Micro-grid.
    MicroGrid(Option<String>),
    /// The whole set of care tags.
    Tags(BTreeMap<String, TagSpan>),
    /// Soft delete (or undelete) of the household.
    HouseholdDeleted(Option<i64>),
    /// A member's name.
    MemberName(String, String),
    /// A member's relation to the head.
    MemberRelation(String, Relation),
    /// A member's phone.
    MemberPhone(String, Option<String>),
    /// A member's masked identity (set with the full number in the private document).
    MemberIdDoc(String, Option<MaskedId>),
    /// A member's birth year.
    MemberBirthYear(String, Option<i64>),
    /// Soft delete of a member.
    MemberDeleted(String, Option<i64>),
    /// A visit's form content, saved as a whole (a fix after a return, for example).
    VisitContent(String, VisitContent),
    /// Soft delete of a visit.
    VisitDeleted(String, Option<i64>),
    /// A contact log's form content.
    ContactContent(String, ContactContent),
    /// Soft delete of a contact log.
    ContactDeleted(String, Option<i64>),
}

impl Edit {
    /// The register's path, as shown in conflicts: the container path and the field.
    pub fn path(&self) -> (Vec<String>, &'static str) {
        let rec = |map: &str, id: &String| vec![map.to_string(), id.clone()];
        match self {
            Edit::Status(_) => (vec![], "status"),
            Edit::Address(_) => (vec![], "address"),
            Edit::MicroGrid(_) => (vec![], "micro_grid_id"),
            Edit::Tags(_) => (vec![], "tags"),
            Edit::HouseholdDeleted(_) => (vec![], "deleted_at"),
            Edit::MemberName(id, _) => (rec("members", id), "name"),
            Edit::MemberRelation(id, _) => (rec("members", id), "relation"),
            Edit::MemberPhone(id, _) => (rec("members", id), "phone"),
            Edit::MemberIdDoc(id, _) => (rec("members", id), "id_doc"),
            Edit::MemberBirthYear(id, _) => (rec("members", id), "birth_year"),
            Edit::MemberDeleted(id, _) => (rec("members", id), "deleted_at"),
            Edit::VisitContent(id, _) => (rec("visits", id), "content"),
            Edit::VisitDeleted(id, _) => (rec("visits", id), "deleted_at"),
            Edit::ContactContent(id, _) => (rec("contacts", id), "content"),
            Edit::ContactDeleted(id, _) => (rec("contacts", id), "deleted_at"),
        }
    }
}

/// Applies one edit as one change, validating the value first.
pub fn apply_edit(doc: &mut AutoCommit, ctx: &WriteCtx, edit: Edit) -> Result<(), CoreError> {
    let (path, prop) = edit.path();
    let path_refs: Vec<&str> = path.iter().map(String::as_str).collect();
    let obj = obj_at(doc, &path_refs)?;
    let (by, at) = (ctx.user.as_str(), ctx.hlc.to_string());
    match edit {
        Edit::Status(v) => register::write(doc, &obj, prop, v, by, &at)?,
        Edit::Address(v) => {
            v.validate()?;
            register::write(doc, &obj, prop, v, by, &at)?
        }
        Edit::MicroGrid(v) => register::write(doc, &obj, prop, v, by, &at)?,
        Edit::Tags(v) => {
            if let Some(bad) = v
                .keys()
                .find(|c| crate::reference::CareTag::from_code(c).is_none())
            {
                return Err(CoreError::InvalidReference(format!(
                    "{bad} is not a care tag"
                )));
            }
            register::write(doc, &obj, prop, v, by, &at)?
        }
        Edit::MemberName(_, v) => {
            let v = v.trim().to_string();
            if v.is_empty() {
                return Err(CoreError::Required("name"));
            }
            check_len("name", &v, 50)?;
            register::write(doc, &obj, prop, v, by, &at)?
        }
        Edit::MemberRelation(_, v) => register::write(doc, &obj, prop, v, by, &at)?,
        Edit::MemberPhone(_, v) => {
            let v = v
                .as_deref()
                .filter(|p| !p.trim().is_empty())
                .map(identity::validate_phone)
                .transpose()?;
            register::write(doc, &obj, prop, v, by, &at)?
        }
        Edit::MemberIdDoc(_, v) => register::write(doc, &obj, prop, v, by, &at)?,
        Edit::MemberBirthYear(_, v) => register::write(doc, &obj, prop, v, by, &at)?,
        Edit::VisitContent(_, v) => {
            check_len("note", &v.note, 4000)?;
            check_len("note", &v.service, 2000)?;
            if v.kind == VisitKind::Campaign && v.campaign.is_none() {
                return Err(CoreError::Required("campaign"));
            }
            register::write(doc, &obj, prop, v, by, &at)?
        }
        Edit::ContactContent(_, v) => {
            check_len("note", &v.note, 4000)?;
            register::write(doc, &obj, prop, v, by, &at)?
        }
        Edit::HouseholdDeleted(v)
        | Edit::MemberDeleted(_, v)
        | Edit::VisitDeleted(_, v)
        | Edit::ContactDeleted(_, v) => register::write(doc, &obj, prop, v, by, &at)?,
    }
    commit(doc, ctx, &format!("household.edit.{prop}"));
    Ok(())
}
