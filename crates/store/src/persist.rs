//! Writing one document's materialized rows, and reading rows back.
//!
//! [`replace_rows`] deletes every row the document produced before and inserts the new
//! ones, with cached prepared statements, inside the caller's transaction. The work is
//! proportional to one document.

use rusqlite::{Connection, Row, params};

use crate::StoreError;
use crate::rows::*;

/// Columns of `households`, in [`HouseholdRow`] field order.
pub const HOUSEHOLD_COLS: &str = "id, doc_id, grid_id, micro_grid_id, address, address_json, \
    status, tags, tag_labels, member_names, member_count, phones_masked, visit_count, \
    last_visit_at, last_in_person_at, last_contact_at, conflict_count, created_by, \
    created_at, deleted_at";

/// Columns of `incidents`, in [`IncidentRow`] field order.
pub const INCIDENT_COLS: &str = "id, doc_id, grid_id, category, platform, urgency, source, \
    state, is_open, location, description, households, reported_by, reporter_role, \
    created_at, reported_at, routed_at, handled_at, closed_at, unit, flagged_count, \
    event_count, deleted_at";

fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn count_cols(cols: &str) -> usize {
    cols.split(',').count()
}

/// Deletes the rows `doc_id` produced (and its search row, `rowid = rid`).
pub fn delete_rows(conn: &Connection, doc_id: &str, rid: i64) -> Result<(), StoreError> {
    for (table, _) in crate::db::MATERIALIZED {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE doc_id = ?1"))?
            .execute([doc_id])?;
    }
    conn.prepare_cached("DELETE FROM household_fts WHERE rowid = ?1")?
        .execute([rid])?;
    Ok(())
}

/// Replaces the rows of document `doc_id` (documents.rid `rid`) with `rows`.
pub fn replace_rows(
    conn: &Connection,
    doc_id: &str,
    rid: i64,
    rows: &Rows,
) -> Result<(), StoreError> {
    delete_rows(conn, doc_id, rid)?;
    insert_rows(conn, rid, rows)
}

/// Inserts `rows` (the document's old rows must be gone).
pub fn insert_rows(conn: &Connection, rid: i64, rows: &Rows) -> Result<(), StoreError> {
    if !rows.households.is_empty() {
        let sql = format!(
            "INSERT INTO households ({HOUSEHOLD_COLS}) VALUES ({})",
            placeholders(count_cols(HOUSEHOLD_COLS))
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        for h in &rows.households {
            stmt.execute(params![
                h.id,
                h.doc_id,
                h.grid_id,
                h.micro_grid_id,
                h.address,
                h.address_json,
                h.status,
                h.tags,
                h.tag_labels,
                h.member_names,
                h.member_count,
                h.phones_masked,
                h.visit_count,
                h.last_visit_at,
                h.last_in_person_at,
                h.last_contact_at,
                h.conflict_count,
                h.created_by,
                h.created_at,
                h.deleted_at
            ])?;
        }
    }
    if !rows.members.is_empty() {
        let mut stmt = conn.prepare_cached(
            "INSERT INTO members (doc_id, id, household_id, name, relation, id_kind, id_masked, \
             phone, phone_masked, birth_year, created_at, deleted_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for m in &rows.members {
            stmt.execute(params![
                m.doc_id,
                m.id,
                m.household_id,
                m.name,
                m.relation,
                m.id_kind,
                m.id_masked,
                m.phone,
                m.phone_masked,
                m.birth_year,
                m.created_at,
                m.deleted_at
            ])?;
        }
    }
    if !rows.visits.is_empty() {
        let mut stmt = conn.prepare_cached(
            "INSERT INTO visits (doc_id, id, household_id, visitor_user, visitor_role, \
             at, mode, kind, campaign, persons_met, observations, needs, service, \
             follow_up, note, has_gps, review, deleted_at, review_status, return_reason, \
             returned_by, returned_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, \
             ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
        )?;
        for v in &rows.visits {
            stmt.execute(params![
                v.doc_id,
                v.id,
                v.household_id,
                v.visitor_user,
                v.visitor_role,
                v.at,
                v.mode,
                v.kind,
                v.campaign,
                v.persons_met,
                v.observations,
                v.needs,
                v.service,
                v.follow_up,
                v.note,
                v.has_gps,
                v.review,
                v.deleted_at,
                v.review_status,
                v.return_reason,
                v.returned_by,
                v.returned_at
            ])?;
        }
    }
    if !rows.contact_logs.is_empty() {
        let mut stmt = conn.prepare_cached(
            "INSERT INTO contact_logs (doc_id, id, household_id, grid_id, assignment_id, \
             contactor_user, role, device, at, hlc, mode, note, review, deleted_at, \
             review_status, return_reason, returned_by, returned_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
             ?17, ?18)",
        )?;
        for c in &rows.contact_logs {
            stmt.execute(params![
                c.doc_id,
                c.id,
                c.household_id,
                c.grid_id,
                c.assignment_id,
                c.contactor_user,
                c.role,
                c.device,
                c.at,
                c.hlc,
                c.mode,
                c.note,
                c.review,
                c.deleted_at,
                c.review_status,
                c.return_reason,
                c.returned_by,
                c.returned_at
            ])?;
        }
    }
    if !rows.grid_notes.is_empty() {
        let mut stmt = conn.prepare_cached(
            "INSERT INTO grid_notes (doc_id, id, grid_id, by_user, at, text, deleted_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for n in &rows.grid_notes {
            stmt.execute(params![
                n.doc_id,
                n.id,
                n.grid_id,
                n.by_user,
                n.at,
                n.text,
                n.deleted_at
            ])?;
        }
    }
    if !rows.private.is_empty() {
        let mut stmt = conn.prepare_cached(
            "INSERT INTO household_private (household_id, doc_id, special_tags, id_count) \
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for p in &rows.private {
            stmt.execute(params![
                p.household_id,
                p.doc_id,
                p.special_tags,
                p.id_count
            ])?;
        }
    }
    if !rows.incidents.is_empty() {
        let sql = format!(
            "INSERT INTO incidents ({INCIDENT_COLS}) VALUES ({})",
            placeholders(count_cols(INCIDENT_COLS))
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        for i in &rows.incidents {
            stmt.execute(params![
                i.id,
                i.doc_id,
                i.grid_id,
                i.category,
                i.platform,
                i.urgency,
                i.source,
                i.state,
                i.is_open,
                i.location,
                i.description,
                i.households,
                i.reported_by,
                i.reporter_role,
                i.created_at,
                i.reported_at,
                i.routed_at,
                i.handled_at,
                i.closed_at,
                i.unit,
                i.flagged_count,
                i.event_count,
                i.deleted_at
            ])?;
        }
    }
    if !rows.conflicts.is_empty() {
        let mut stmt = conn.prepare_cached(
            "INSERT INTO conflicts (doc_id, kind, path, conflict_values) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for c in &rows.conflicts {
            stmt.execute(params![c.doc_id, c.kind, c.path, c.values])?;
        }
    }
    if let Some(s) = &rows.search {
        conn.prepare_cached(
            "INSERT INTO household_fts (rowid, household_id, names, address, phones, tags) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            rid,
            s.household_id,
            s.names,
            s.address,
            s.phones,
            s.tags
        ])?;
    }
    Ok(())
}

/// Reads a [`HouseholdRow`] selected with [`HOUSEHOLD_COLS`].
pub fn household_from_row(r: &Row<'_>) -> rusqlite::Result<HouseholdRow> {
    Ok(HouseholdRow {
        id: r.get(0)?,
        doc_id: r.get(1)?,
        grid_id: r.get(2)?,
        micro_grid_id: r.get(3)?,
        address: r.get(4)?,
        address_json: r.get(5)?,
        status: r.get(6)?,
        tags: r.get(7)?,
        tag_labels: r.get(8)?,
        member_names: r.get(9)?,
        member_count: r.get(10)?,
        phones_masked: r.get(11)?,
        visit_count: r.get(12)?,
        last_visit_at: r.get(13)?,
        last_in_person_at: r.get(14)?,
        last_contact_at: r.get(15)?,
        conflict_count: r.get(16)?,
        created_by: r.get(17)?,
        created_at: r.get(18)?,
        deleted_at: r.get(19)?,
    })
}

/// Reads an [`IncidentRow`] selected with [`INCIDENT_COLS`].
pub fn incident_from_row(r: &Row<'_>) -> rusqlite::Result<IncidentRow> {
    Ok(IncidentRow {
        id: r.get(0)?,
        doc_id: r.get(1)?,
        grid_id: r.get(2)?,
        category: r.get(3)?,
        platform: r.get(4)?,
        urgency: r.get(5)?,
        source: r.get(6)?,
        state: r.get(7)?,
        is_open: r.get(8)?,
        location: r.get(9)?,
        description: r.get(10)?,
        households: r.get(11)?,
        reported_by: r.get(12)?,
        reporter_role: r.get(13)?,
        created_at: r.get(14)?,
        reported_at: r.get(15)?,
        routed_at: r.get(16)?,
        handled_at: r.get(17)?,
        closed_at: r.get(18)?,
        unit: r.get(19)?,
        flagged_count: r.get(20)?,
        event_count: r.get(21)?,
        deleted_at: r.get(22)?,
    })
}

/// Reads a [`ConflictRow`] selected as `doc_id, kind, path, conflict_values`.
pub fn conflict_from_row(r: &Row<'_>) -> rusqlite::Result<ConflictRow> {
    Ok(ConflictRow {
        doc_id: r.get(0)?,
        kind: r.get(1)?,
        path: r.get(2)?,
        values: r.get(3)?,
    })
}
