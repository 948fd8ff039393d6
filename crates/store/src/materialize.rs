//! Materialization: a pure function from a hydrated core document to the rows the UI
//! reads. No SQL and no clock here, so [`crate::Store::rebuild`] can recompute every row
//! from the stored documents and get exactly what the writes stored.
//!
//! Decisions:
//! - A register shows its latest write by HLC ([`Register::value`]); when it is in
//!   conflict, a [`ConflictRow`] lists every value.
//! - Soft-deleted records keep their rows with `deleted_at` set; counts, "last seen" and
//!   search only use live records. A soft-deleted household has no search row.
//! - Tags are indexed for search whatever their validity dates: which tags apply today
//!   is decided by the queries, which know today.

use automerge::AutoCommit;
use gridwalk_core::CoreError;
use gridwalk_core::doc::conflict::{
    FieldConflict, household_conflicts, incident_conflicts, journal_conflicts, private_conflicts,
};
use gridwalk_core::doc::household::{
    ContactLog, ContactMode, HOUSEHOLD_SCHEMA, HouseholdDoc, Relation,
};
use gridwalk_core::doc::incident::{INCIDENT_SCHEMA, IncidentDoc};
use gridwalk_core::doc::journal::{GridJournalDoc, JOURNAL_SCHEMA};
use gridwalk_core::doc::private::{HouseholdPrivateDoc, PRIVATE_SCHEMA};
use gridwalk_core::doc::register::Register;
use gridwalk_core::doc::review::RecordKind;
use gridwalk_core::doc::{DocKind, load};
use gridwalk_core::identity::mask_phone;
use gridwalk_core::reference::CareTag;
use serde::Serialize;

use crate::review::{ReviewState, review_state};
use crate::rows::*;

/// A document read into its core type.
#[derive(Debug, Clone, PartialEq)]
pub enum Hydrated {
    /// A household document.
    Household(Box<HouseholdDoc>),
    /// A household private document.
    Private(Box<HouseholdPrivateDoc>),
    /// An incident document.
    Incident(Box<IncidentDoc>),
    /// A grid journal document.
    Journal(Box<GridJournalDoc>),
}

/// Where a document sits: its id, kind and current feed grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocMeta {
    /// Document id.
    pub id: String,
    /// Kind.
    pub kind: DocKind,
    /// The grid whose feed carries it (moves change this, never the document).
    pub grid_id: String,
}

/// Hydrates an Automerge document as `kind`, refusing a schema newer than this build.
pub fn hydrate(kind: DocKind, doc: &AutoCommit) -> Result<Hydrated, CoreError> {
    Ok(match kind {
        DocKind::Household => Hydrated::Household(Box::new(load(doc, HOUSEHOLD_SCHEMA)?)),
        DocKind::HouseholdPrivate => Hydrated::Private(Box::new(load(doc, PRIVATE_SCHEMA)?)),
        DocKind::Incident => Hydrated::Incident(Box::new(load(doc, INCIDENT_SCHEMA)?)),
        DocKind::GridJournal => Hydrated::Journal(Box::new(load(doc, JOURNAL_SCHEMA)?)),
    })
}

/// Every row of one document.
pub fn materialize(meta: &DocMeta, doc: &Hydrated) -> Rows {
    match doc {
        Hydrated::Household(h) => household(meta, h),
        Hydrated::Private(p) => private(meta, p),
        Hydrated::Incident(i) => incident(meta, i),
        Hydrated::Journal(j) => journal(meta, j),
    }
}

/// The stable snake_case code of a serde enum.
fn code<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn deleted(reg: &Register<Option<i64>>) -> Option<i64> {
    reg.value().copied().flatten()
}

fn text(reg: &Register<String>) -> String {
    reg.value().cloned().unwrap_or_default()
}

fn conflict_rows(meta: &DocMeta, found: Vec<FieldConflict>) -> Vec<ConflictRow> {
    found
        .into_iter()
        .map(|c| ConflictRow {
            doc_id: meta.id.clone(),
            kind: meta.kind.code().to_string(),
            path: c.path,
            values: json(&c.values),
        })
        .collect()
}

fn relation_rank(r: Option<&Relation>) -> u8 {
    match r {
        Some(Relation::Head) => 0,
        Some(Relation::Spouse) => 1,
        _ => 2,
    }
}

fn contact_row(
    meta: &DocMeta,
    c: &ContactLog,
    household_id: Option<&str>,
    review: ReviewState,
) -> ContactLogRow {
    ContactLogRow {
        doc_id: meta.id.clone(),
        id: c.id.clone(),
        household_id: household_id.map(str::to_string),
        grid_id: meta.grid_id.clone(),
        assignment_id: c.assignment_id.clone(),
        contactor_user: c.contactor_user.clone(),
        role: c.role.code().to_string(),
        device: c.device.clone(),
        at: c.at,
        hlc: c.hlc.clone(),
        mode: c.content.value().map(|x| code(&x.mode)).unwrap_or_default(),
        note: c
            .content
            .value()
            .map(|x| x.note.clone())
            .unwrap_or_default(),
        review: review.latest.map(str::to_string),
        review_status: review.status.to_string(),
        return_reason: review.reason,
        returned_by: review.by,
        returned_at: review.at,
        deleted_at: deleted(&c.deleted_at),
    }
}

fn household(meta: &DocMeta, h: &HouseholdDoc) -> Rows {
    let mut rows = Rows::default();

    let mut live: Vec<_> = h.live_members().collect();
    live.sort_by(|a, b| {
        (relation_rank(a.relation.value()), a.created_at, &a.id).cmp(&(
            relation_rank(b.relation.value()),
            b.created_at,
            &b.id,
        ))
    });
    for m in h.members.values() {
        let phone = m.phone.value().cloned().flatten();
        let id_doc = m.id_doc.value().cloned().flatten();
        rows.members.push(MemberRow {
            doc_id: meta.id.clone(),
            id: m.id.clone(),
            household_id: h.id.clone(),
            name: text(&m.name),
            relation: m.relation.value().map(code).unwrap_or_default(),
            id_kind: id_doc.as_ref().map(|d| d.kind.clone()),
            id_masked: id_doc.map(|d| d.masked),
            phone_masked: phone.as_deref().map(mask_phone),
            phone,
            birth_year: m.birth_year.value().copied().flatten(),
            created_at: m.created_at,
            deleted_at: deleted(&m.deleted_at),
        });
    }

    let mut last_visit = None;
    let mut last_seen = None;
    let mut last_contact = None;
    for v in h.visits.values() {
        let content = v.current().cloned();
        let mode = content.as_ref().map(|c| c.mode);
        if deleted(&v.deleted_at).is_none() {
            last_visit = last_visit.max(Some(v.at));
            last_contact = last_contact.max(Some(v.at));
            if mode == Some(ContactMode::InPerson) {
                last_seen = last_seen.max(Some(v.at));
            }
        }
        let needs: Vec<serde_json::Value> = v
            .needs
            .values()
            .map(|n| {
                serde_json::json!({
                    "id": n.id,
                    "text": n.text,
                    "outcome": n.outcome.value(),
                    "incident_id": n.incident_id.value().cloned().flatten(),
                })
            })
            .collect();
        let observations: Vec<_> = v.observations.values().collect();
        let review = review_state(h, RecordKind::Visit, &v.id);
        rows.visits.push(VisitRow {
            doc_id: meta.id.clone(),
            id: v.id.clone(),
            household_id: h.id.clone(),
            visitor_user: v.visitor_user.clone(),
            visitor_role: v.visitor_role.code().to_string(),
            at: v.at,
            mode: mode.as_ref().map(code).unwrap_or_default(),
            kind: content.as_ref().map(|c| code(&c.kind)).unwrap_or_default(),
            campaign: content.as_ref().and_then(|c| c.campaign.as_ref().map(code)),
            persons_met: json(
                &content
                    .as_ref()
                    .map(|c| c.persons_met.clone())
                    .unwrap_or_default(),
            ),
            observations: json(&observations),
            needs: json(&needs),
            service: content
                .as_ref()
                .map(|c| c.service.clone())
                .unwrap_or_default(),
            follow_up: content.as_ref().and_then(|c| c.follow_up.clone()),
            note: content.as_ref().map(|c| c.note.clone()).unwrap_or_default(),
            has_gps: v.gps.is_some(),
            review: review.latest.map(str::to_string),
            review_status: review.status.to_string(),
            return_reason: review.reason,
            returned_by: review.by,
            returned_at: review.at,
            deleted_at: deleted(&v.deleted_at),
        });
    }
    for c in h.contacts.values() {
        if deleted(&c.deleted_at).is_none() {
            last_contact = last_contact.max(Some(c.at));
            if c.in_person() {
                last_seen = last_seen.max(Some(c.at));
            }
        }
        let review = review_state(h, RecordKind::Contact, &c.id);
        rows.contact_logs
            .push(contact_row(meta, c, Some(&h.id), review));
    }

    rows.conflicts = conflict_rows(meta, household_conflicts(h));
    let address = h.address.value().cloned().unwrap_or_default();
    let tags = h.tags.value().cloned().unwrap_or_default();
    let labels: Vec<&str> = tags
        .keys()
        .filter_map(|c| CareTag::from_code(c).map(CareTag::label_zh))
        .collect();
    let phones: Vec<String> = live
        .iter()
        .filter_map(|m| m.phone.value().cloned().flatten())
        .collect();
    let names: Vec<String> = live.iter().map(|m| text(&m.name)).collect();
    let micro_grid = h.micro_grid_id.value().cloned().flatten();
    let household_deleted = deleted(&h.deleted_at);
    rows.households.push(HouseholdRow {
        id: h.id.clone(),
        doc_id: meta.id.clone(),
        grid_id: meta.grid_id.clone(),
        micro_grid_id: micro_grid.clone(),
        address: address.display(),
        address_json: json(&address),
        status: h.status.value().map(code).unwrap_or_default(),
        tags: json(&tags),
        tag_labels: labels.join("、"),
        member_names: names.join("、"),
        member_count: live.len() as i64,
        phones_masked: phones
            .iter()
            .map(|p| mask_phone(p))
            .collect::<Vec<_>>()
            .join(" "),
        visit_count: h.live_visits().count() as i64,
        last_visit_at: last_visit,
        last_in_person_at: last_seen,
        last_contact_at: last_contact,
        conflict_count: rows.conflicts.len() as i64,
        created_by: h.created_by.clone(),
        created_at: h.created_at,
        deleted_at: household_deleted,
    });
    if household_deleted.is_none() {
        let tag_text: Vec<String> = tags
            .keys()
            .map(|c| match CareTag::from_code(c) {
                Some(t) => format!("{c} {}", t.label_zh()),
                None => c.clone(),
            })
            .collect();
        rows.search = Some(SearchRow {
            household_id: h.id.clone(),
            names: names.join(" "),
            address: [address.display(), micro_grid.unwrap_or_default()].join(" "),
            phones: phones.join(" "),
            tags: tag_text.join(" "),
        });
    }
    rows
}

fn private(meta: &DocMeta, p: &HouseholdPrivateDoc) -> Rows {
    Rows {
        private: vec![PrivateRow {
            household_id: p.household_id.clone(),
            doc_id: meta.id.clone(),
            special_tags: json(&p.special_tags.value().cloned().unwrap_or_default()),
            id_count: p
                .ids
                .values()
                .filter(|r| r.value().is_some_and(Option::is_some))
                .count() as i64,
        }],
        conflicts: conflict_rows(meta, private_conflicts(p)),
        ..Rows::default()
    }
}

/// What the incident's event log adds up to, as the row stores it.
struct IncidentView {
    state: String,
    is_open: bool,
    reported_at: Option<i64>,
    routed_at: Option<i64>,
    handled_at: Option<i64>,
    closed_at: Option<i64>,
    unit: Option<String>,
    flagged: i64,
}

/// INCIDENT STATE HOOK: the effective state comes from core's incident machine
/// (`gridwalk_core::incident::machine::effective`), a pure fold of the event log.
fn incident_view(i: &IncidentDoc) -> IncidentView {
    let eff = gridwalk_core::incident::machine::effective(i);
    let ms = |t: Option<gridwalk_core::Timestamp>| t.map(|t| t.0);
    IncidentView {
        state: eff.state.code().to_string(),
        is_open: eff.state.is_open(),
        reported_at: ms(eff.reported_at),
        routed_at: ms(eff.routed_at),
        handled_at: ms(eff.handled_at),
        closed_at: ms(eff.closed_at),
        unit: eff.unit,
        flagged: eff.flagged.len() as i64,
    }
}

fn incident(meta: &DocMeta, i: &IncidentDoc) -> Rows {
    let view = incident_view(i);
    let deleted_at = deleted(&i.deleted_at);
    Rows {
        incidents: vec![IncidentRow {
            id: i.id.clone(),
            doc_id: meta.id.clone(),
            grid_id: meta.grid_id.clone(),
            category: text(&i.category),
            platform: i
                .platform
                .value()
                .map(|p| p.code().to_string())
                .unwrap_or_default(),
            urgency: i
                .urgency
                .value()
                .map(|u| u.code().to_string())
                .unwrap_or_default(),
            source: code(&i.source),
            state: view.state,
            is_open: view.is_open && deleted_at.is_none(),
            location: text(&i.location),
            description: text(&i.description),
            households: json(&i.households.value().cloned().unwrap_or_default()),
            reported_by: i.reported_by.clone(),
            reporter_role: i.reporter_role.code().to_string(),
            created_at: i.created_at,
            reported_at: view.reported_at,
            routed_at: view.routed_at,
            handled_at: view.handled_at,
            closed_at: view.closed_at,
            unit: view.unit,
            flagged_count: view.flagged,
            event_count: i.events.len() as i64,
            deleted_at,
        }],
        conflicts: conflict_rows(meta, incident_conflicts(i)),
        ..Rows::default()
    }
}

fn journal(meta: &DocMeta, j: &GridJournalDoc) -> Rows {
    Rows {
        contact_logs: j
            .contacts
            .values()
            .map(|c| contact_row(meta, c, None, ReviewState::unreviewed()))
            .collect(),
        grid_notes: j
            .notes
            .values()
            .map(|n| GridNoteRow {
                doc_id: meta.id.clone(),
                id: n.id.clone(),
                grid_id: meta.grid_id.clone(),
                by_user: n.by.clone(),
                at: n.at,
                text: text(&n.text),
                deleted_at: deleted(&n.deleted_at),
            })
            .collect(),
        conflicts: conflict_rows(meta, journal_conflicts(j)),
        ..Rows::default()
    }
}
