//! The write plan: every write of the dataset in time order, with the hybrid logical
//! clock each device stamps it with.
//!
//! Each simulated device keeps its own HLC and ticks it once per user action, so a
//! device's clocks only ever increase. The same plan stamps the records (their `hlc`
//! fields) and drives [`crate::docs`], so the documents carry exactly the clocks the
//! dump shows.

use std::collections::BTreeMap;

use gridwalk_core::doc::WriteCtx;
use gridwalk_core::reference::Role;
use gridwalk_core::{Hlc, Timestamp};

use crate::model::Dataset;

/// One write, by index into the dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Write {
    /// A grid journal's creation (grid index), by the grid's worker.
    Journal(usize),
    /// A household's registration, with its private document if it needs one.
    Household(usize),
    /// A household's special-group tags, in the private document.
    SpecialTags(usize),
    /// A member added (household, member).
    Member(usize, usize),
    /// A visit.
    Visit(usize),
    /// A member soft-deleted after a visit saw them leave or die (household, member).
    MemberDelete(usize, usize),
    /// A contact log.
    Contact(usize),
    /// An incident's creation (a draft).
    Incident(usize),
    /// An incident event (incident, event).
    Event(usize, usize),
}

/// A write with its time and context.
#[derive(Debug, Clone)]
pub struct Planned {
    /// What is written.
    pub write: Write,
    /// Who, from where, and when (with the device's HLC).
    pub ctx: WriteCtx,
}

/// The grid worker who creates each grid's journal, by grid id, from the dataset's users.
fn journal_owners(ds: &Dataset) -> Vec<(String, String, Role, String)> {
    let grids: Vec<&str> = ds
        .areas
        .iter()
        .filter(|a| a.level == gridwalk_core::reference::AreaLevel::Grid)
        .map(|a| a.id.as_str())
        .collect();
    grids
        .into_iter()
        .map(|g| {
            let worker = ds
                .users
                .iter()
                .find(|u| u.role == Role::GridWorker && u.area_id == g)
                .or_else(|| ds.users.iter().find(|u| u.role == Role::Admin))
                .expect("every dataset has an admin");
            (
                g.to_string(),
                worker.id.clone(),
                worker.role,
                worker.device.clone(),
            )
        })
        .collect()
}

/// The grid ids in journal order (the index of [`Write::Journal`]).
pub fn journal_grids(ds: &Dataset) -> Vec<String> {
    journal_owners(ds).into_iter().map(|j| j.0).collect()
}

/// Every write in time order, stamped with per-device HLCs.
pub fn plan(ds: &Dataset) -> Vec<Planned> {
    let roles: BTreeMap<&str, Role> = ds.users.iter().map(|u| (u.id.as_str(), u.role)).collect();
    let role = |u: &str| roles.get(u).copied().unwrap_or(Role::Admin);
    let mut raw: Vec<(i64, Write, String, Role, String)> = Vec::new();
    let setup = ds.config.setup_time().0;
    for (gi, (_, user, r, device)) in journal_owners(ds).into_iter().enumerate() {
        raw.push((setup, Write::Journal(gi), user, r, device));
    }
    for (hi, h) in ds.households.iter().enumerate() {
        let r = role(&h.created_by);
        raw.push((
            h.created_at,
            Write::Household(hi),
            h.created_by.clone(),
            r,
            h.device.clone(),
        ));
        if !h.special_tags.is_empty() {
            raw.push((
                h.created_at + 30_000,
                Write::SpecialTags(hi),
                h.created_by.clone(),
                r,
                h.device.clone(),
            ));
        }
        for (mi, m) in h.members.iter().enumerate() {
            raw.push((
                m.created_at,
                Write::Member(hi, mi),
                m.created_by.clone(),
                role(&m.created_by),
                m.device.clone(),
            ));
            if let (Some(at), Some(by), Some(dev)) =
                (m.deleted_at, &m.deleted_by, &m.deleted_device)
            {
                raw.push((
                    at,
                    Write::MemberDelete(hi, mi),
                    by.clone(),
                    role(by),
                    dev.clone(),
                ));
            }
        }
    }
    for (vi, v) in ds.visits.iter().enumerate() {
        raw.push((
            v.at,
            Write::Visit(vi),
            v.visitor_user.clone(),
            v.visitor_role,
            v.device.clone(),
        ));
    }
    for (ci, c) in ds.contacts.iter().enumerate() {
        raw.push((
            c.at,
            Write::Contact(ci),
            c.contactor_user.clone(),
            c.role,
            c.device.clone(),
        ));
    }
    for (ii, inc) in ds.incidents.iter().enumerate() {
        raw.push((
            inc.created_at,
            Write::Incident(ii),
            inc.reported_by.clone(),
            inc.reporter_role,
            inc.device.clone(),
        ));
        for (ei, e) in inc.events.iter().enumerate() {
            raw.push((
                e.at,
                Write::Event(ii, ei),
                e.actor_user.clone(),
                e.role,
                e.device.clone(),
            ));
        }
    }
    raw.sort_by_key(|r| (r.0, r.1));
    let mut clocks: BTreeMap<String, Hlc> = BTreeMap::new();
    raw.into_iter()
        .map(|(at, write, user, role, device)| {
            let clock = clocks
                .entry(device.clone())
                .or_insert_with(|| Hlc::zero(device.clone()));
            *clock = clock.tick(at);
            Planned {
                write,
                ctx: WriteCtx {
                    user,
                    role,
                    device,
                    hlc: clock.clone(),
                    at: Timestamp(at),
                },
            }
        })
        .collect()
}

/// Stamps every record's `hlc` field from the plan.
pub fn stamp(ds: &mut Dataset) {
    for p in plan(ds) {
        let hlc = p.ctx.hlc.to_string();
        match p.write {
            Write::Journal(_) | Write::SpecialTags(_) => {}
            Write::Household(h) => ds.households[h].hlc = hlc,
            Write::Member(h, m) => ds.households[h].members[m].hlc = hlc,
            Write::MemberDelete(h, m) => ds.households[h].members[m].deleted_hlc = Some(hlc),
            Write::Visit(v) => ds.visits[v].hlc = hlc,
            Write::Contact(c) => ds.contacts[c].hlc = hlc,
            Write::Incident(i) => ds.incidents[i].hlc = hlc,
            Write::Event(i, e) => ds.incidents[i].events[e].hlc = hlc,
        }
    }
}
