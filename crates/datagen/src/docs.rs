//! Writes the dataset into Automerge documents through core's document operations, in
//! the order and with the clocks of the write plan ([`crate::clock`]).
//!
//! Each write switches the document to the writing device's actor, so a household
//! document holds changes from its grid worker, grid head, part-time worker and party
//! members, exactly as if their devices had synced.
//!
//! ```no_run
//! let ds = gridwalk_datagen::generate(&gridwalk_datagen::Config::preset(gridwalk_datagen::Preset::Small)).unwrap();
//! let docs = gridwalk_datagen::docs::build(&ds).unwrap();
//! assert!(docs.iter().any(|d| d.kind == gridwalk_core::doc::DocKind::Household));
//! ```

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use automerge::{ActorId, AutoCommit};
use gridwalk_core::doc::edit::{self, Edit, NewMember};
use gridwalk_core::doc::household::{ContactLog, HouseholdDoc, NewHousehold, Visit};
use gridwalk_core::doc::incident::{IncidentDoc, NewEvent, NewIncident};
use gridwalk_core::doc::journal::{self, GridJournalDoc};
use gridwalk_core::doc::private::{self, HouseholdPrivateDoc, IdNumber};
use gridwalk_core::doc::records::{NewContact, NewNeed, NewVisit};
use gridwalk_core::doc::{self, DocKind, WriteCtx};
use gridwalk_core::incident::machine;

use crate::clock::{self, Write};
use crate::model::{ContactRec, Dataset, VisitRec};

/// One saved document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltDoc {
    /// Document id: the household, incident or grid id; a private document's id is
    /// [`private_doc_id`] of its household.
    pub id: String,
    /// Which of the four documents.
    pub kind: DocKind,
    /// The grid it belongs to (the feed it travels in).
    pub grid_id: String,
    /// `AutoCommit::save()` bytes.
    pub bytes: Vec<u8>,
}

fn actor(hex: &str) -> Result<ActorId> {
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .context("actor hex")?;
    Ok(ActorId::from(bytes))
}

fn visit(v: &VisitRec, ctx: &WriteCtx) -> Result<Visit> {
    let form = NewVisit {
        id: v.id.clone(),
        at: v.at,
        mode: v.mode,
        persons_met: v.persons_met.clone(),
        kind: v.kind,
        campaign: v.campaign,
        observations: v
            .observations
            .iter()
            .map(|o| (o.id.clone(), o.kind, o.person_id.clone(), o.note.clone()))
            .collect(),
        needs: v
            .needs
            .iter()
            .map(|n| NewNeed {
                id: n.id.clone(),
                text: n.text.clone(),
                outcome: n.outcome,
                incident_id: n.incident_id.clone(),
            })
            .collect(),
        service: v.service.clone(),
        follow_up: v.follow_up.clone(),
        gps: v.gps,
        note: v.note.clone(),
    };
    Ok(form.into_record(ctx)?)
}

fn contact(c: &ContactRec, ctx: &WriteCtx) -> Result<ContactLog> {
    let form = NewContact {
        id: c.id.clone(),
        assignment_id: Some(c.assignment_id.clone()),
        at: c.at,
        mode: c.mode,
        note: c.note.clone(),
    };
    Ok(form.into_record(ctx)?)
}

pub use gridwalk_core::doc::private_doc_id;

/// One built document, still in memory.
#[derive(Debug)]
pub struct LiveDoc {
    /// Document id (see [`BuiltDoc::id`] and [`private_doc_id`]).
    pub id: String,
    /// Which of the four documents.
    pub kind: DocKind,
    /// Its grid.
    pub grid_id: String,
    /// The document.
    pub doc: AutoCommit,
}

/// The documents under construction by one worker thread.
struct Shard<'a> {
    ds: &'a Dataset,
    actors: &'a BTreeMap<&'a str, ActorId>,
    house_index: &'a BTreeMap<&'a str, usize>,
    grid_index: &'a BTreeMap<&'a str, usize>,
    grids: &'a [String],
    houses: Vec<Option<AutoCommit>>,
    privates: Vec<Option<AutoCommit>>,
    journals: Vec<Option<AutoCommit>>,
    incidents: Vec<Option<AutoCommit>>,
}

fn missing(what: &str) -> anyhow::Error {
    anyhow::anyhow!("{what} written before it was created")
}

impl Shard<'_> {
    fn actor(&self, ctx: &WriteCtx) -> Result<ActorId> {
        self.actors
            .get(ctx.device.as_str())
            .cloned()
            .with_context(|| format!("no actor for device {}", ctx.device))
    }

    /// The document a write goes to: (kind 0 journal, 1 household, 2 incident; index).
    fn target(&self, w: Write) -> (u8, usize) {
        match w {
            Write::Journal(g) => (0, g),
            Write::Household(h)
            | Write::SpecialTags(h)
            | Write::Member(h, _)
            | Write::MemberDelete(h, _) => (1, h),
            Write::Visit(v) => (1, self.house_index[self.ds.visits[v].household_id.as_str()]),
            Write::Contact(c) => match self.ds.contacts[c].household_id() {
                Some(h) => (1, self.house_index[h]),
                None => (
                    0,
                    self.grid_index
                        .get(self.ds.contacts[c].grid_id.as_str())
                        .copied()
                        .unwrap_or(0),
                ),
            },
            Write::Incident(i) | Write::Event(i, _) => (2, i),
        }
    }

    fn apply(&mut self, write: Write, ctx: &WriteCtx) -> Result<()> {
        let ds = self.ds;
        let a = self.actor(ctx)?;
        match write {
            Write::Journal(gi) => {
                let value = GridJournalDoc::new(&self.grids[gi]);
                self.journals[gi] = Some(doc::create(a, &value, ctx, "journal.create")?);
            }
            Write::Household(hi) => {
                let h = &ds.households[hi];
                let value = HouseholdDoc::new(
                    NewHousehold {
                        id: h.id.clone(),
                        grid_id: h.grid_id.clone(),
                        micro_grid_id: Some(h.micro_grid_id.clone()),
                        address: h.address.clone(),
                        status: h.status,
                        tags: h.tags.clone(),
                    },
                    ctx,
                )?;
                self.houses[hi] = Some(doc::create(a.clone(), &value, ctx, "household.create")?);
                if h.needs_private() {
                    let value = HouseholdPrivateDoc::new(&h.id, ctx);
                    self.privates[hi] = Some(doc::create(a, &value, ctx, "private.create")?);
                }
            }
            Write::SpecialTags(hi) => {
                let d = self.privates[hi]
                    .as_mut()
                    .ok_or_else(|| missing("private document"))?;
                d.set_actor(a);
                private::set_special_tags(d, ctx, ds.households[hi].special_tags.clone())?;
            }
            Write::Member(hi, mi) => {
                let m = &ds.households[hi].members[mi];
                let d = self.houses[hi]
                    .as_mut()
                    .ok_or_else(|| missing("household"))?;
                d.set_actor(a.clone());
                let new = NewMember {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    relation: m.relation,
                    id_doc: m.id_kind.zip(m.id_number.clone()),
                    phone: m.phone.clone(),
                    birth_year: m.birth_year,
                };
                let full = edit::add_member(d, ctx, new).with_context(|| {
                    format!(
                        "member {} ({:?} {:?} {:?})",
                        m.name, m.id_kind, m.id_number, m.phone
                    )
                })?;
                if let Some(full) = full {
                    let d = self.privates[hi]
                        .as_mut()
                        .ok_or_else(|| missing("private document"))?;
                    d.set_actor(a);
                    let id = IdNumber {
                        kind: full.kind,
                        number: full.number,
                    };
                    private::set_id(d, ctx, &full.person_id, Some(id))?;
                }
            }
            Write::MemberDelete(hi, mi) => {
                let m = &ds.households[hi].members[mi];
                let d = self.houses[hi]
                    .as_mut()
                    .ok_or_else(|| missing("household"))?;
                d.set_actor(a);
                edit::apply_edit(d, ctx, Edit::MemberDeleted(m.id.clone(), m.deleted_at))?;
            }
            Write::Visit(vi) => {
                let v = &ds.visits[vi];
                let hi = self.house_index[v.household_id.as_str()];
                let d = self.houses[hi]
                    .as_mut()
                    .ok_or_else(|| missing("household"))?;
                d.set_actor(a);
                edit::add_visit(d, ctx, &visit(v, ctx)?)?;
            }
            Write::Contact(ci) => {
                let c = &ds.contacts[ci];
                let log = contact(c, ctx)?;
                if let Some(h) = c.household_id() {
                    let d = self.houses[self.house_index[h]]
                        .as_mut()
                        .ok_or_else(|| missing("household"))?;
                    d.set_actor(a);
                    edit::add_contact(d, ctx, &log)?;
                } else {
                    let gi = *self
                        .grid_index
                        .get(c.grid_id.as_str())
                        .context("contact grid")?;
                    let d = self.journals[gi]
                        .as_mut()
                        .ok_or_else(|| missing("journal"))?;
                    d.set_actor(a);
                    journal::add_contact(d, ctx, &log)?;
                }
            }
            Write::Incident(ii) => {
                let i = &ds.incidents[ii];
                let value = IncidentDoc::new(
                    NewIncident {
                        id: i.id.clone(),
                        grid_id: i.grid_id.clone(),
                        households: i.households.clone(),
                        category: i.category.clone(),
                        platform: i.platform,
                        urgency: i.urgency,
                        source: i.source,
                        location: i.location.clone(),
                        gps: i.gps,
                        parties: i.parties.clone(),
                        description: i.description.clone(),
                    },
                    ctx,
                )?;
                self.incidents[ii] = Some(doc::create(a, &value, ctx, "incident.create")?);
            }
            Write::Event(ii, ei) => {
                let e = &ds.incidents[ii].events[ei];
                let d = self.incidents[ii]
                    .as_mut()
                    .ok_or_else(|| missing("incident"))?;
                d.set_actor(a);
                let ev = NewEvent {
                    id: e.id.clone(),
                    action: e.action,
                    note: e.note.clone(),
                    fields: e.fields.clone(),
                };
                machine::append(d, ctx, ev).with_context(|| {
                    format!("incident {} event {}", ds.incidents[ii].id, e.action.code())
                })?;
            }
        }
        Ok(())
    }
}

fn take(slot: &mut [Vec<Option<AutoCommit>>], i: usize) -> Option<AutoCommit> {
    slot.iter_mut().find_map(|v| v[i].take())
}

/// Builds every document in memory: grid journals, households with their private
/// documents (where a full ID or a special tag needs one), and incidents, in that order.
///
/// Documents are independent, so the work is split over `threads` threads (at least
/// one); the result does not depend on the thread count.
pub fn build_live(ds: &Dataset, threads: usize) -> Result<Vec<LiveDoc>> {
    let actors: BTreeMap<&str, ActorId> = ds
        .devices
        .iter()
        .map(|d| Ok((d.id.as_str(), actor(&d.actor)?)))
        .collect::<Result<_>>()?;
    let house_index: BTreeMap<&str, usize> = ds
        .households
        .iter()
        .enumerate()
        .map(|(i, h)| (h.id.as_str(), i))
        .collect();
    let grids = clock::journal_grids(ds);
    let grid_index: BTreeMap<&str, usize> = grids
        .iter()
        .enumerate()
        .map(|(i, g)| (g.as_str(), i))
        .collect();
    let plan = clock::plan(ds);
    let threads = threads.max(1);
    let shard = || Shard {
        ds,
        actors: &actors,
        house_index: &house_index,
        grid_index: &grid_index,
        grids: &grids,
        houses: vec![None; ds.households.len()],
        privates: vec![None; ds.households.len()],
        journals: vec![None; grids.len()],
        incidents: vec![None; ds.incidents.len()],
    };
    let shards: Vec<Shard> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let plan = &plan;
                let mut sh = shard();
                scope.spawn(move || -> Result<Shard> {
                    for p in plan {
                        let (kind, index) = sh.target(p.write);
                        if (usize::from(kind) + index) % threads == t {
                            sh.apply(p.write, &p.ctx)?;
                        }
                    }
                    Ok(sh)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("a document thread panicked"))?
            })
            .collect::<Result<Vec<Shard>>>()
    })?;
    let mut houses: Vec<_> = Vec::new();
    let mut privates: Vec<_> = Vec::new();
    let mut journals: Vec<_> = Vec::new();
    let mut incidents: Vec<_> = Vec::new();
    for s in shards {
        houses.push(s.houses);
        privates.push(s.privates);
        journals.push(s.journals);
        incidents.push(s.incidents);
    }
    let mut out = Vec::new();
    for (gi, g) in grids.iter().enumerate() {
        if let Some(doc) = take(&mut journals, gi) {
            out.push(LiveDoc {
                id: g.clone(),
                kind: DocKind::GridJournal,
                grid_id: g.clone(),
                doc,
            });
        }
    }
    for (hi, h) in ds.households.iter().enumerate() {
        if let Some(doc) = take(&mut houses, hi) {
            out.push(LiveDoc {
                id: h.id.clone(),
                kind: DocKind::Household,
                grid_id: h.grid_id.clone(),
                doc,
            });
        }
        if let Some(doc) = take(&mut privates, hi) {
            out.push(LiveDoc {
                id: private_doc_id(&h.id),
                kind: DocKind::HouseholdPrivate,
                grid_id: h.grid_id.clone(),
                doc,
            });
        }
    }
    for (ii, i) in ds.incidents.iter().enumerate() {
        if let Some(doc) = take(&mut incidents, ii) {
            out.push(LiveDoc {
                id: i.id.clone(),
                kind: DocKind::Incident,
                grid_id: i.grid_id.clone(),
                doc,
            });
        }
    }
    Ok(out)
}

/// The number of threads [`build`] uses: the machine's parallelism, at most 4.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Builds every document (see [`build_live`]) and saves each one.
pub fn build(ds: &Dataset) -> Result<Vec<BuiltDoc>> {
    Ok(build_live(ds, default_threads())?
        .into_iter()
        .map(|mut d| BuiltDoc {
            id: d.id,
            kind: d.kind,
            grid_id: d.grid_id,
            bytes: d.doc.save(),
        })
        .collect())
}
