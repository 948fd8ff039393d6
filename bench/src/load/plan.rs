//! The day of every device, written before anything is timed: which households each
//! device visits, the Automerge change of every visit and incident (made by core's own
//! operations on a copy of the stored document, under the device's actor, user, role and
//! clock), cut into the device's three pushes; and what the server must hold afterwards,
//! record by record.
//!
//! The same devices (ids, tokens, actors) are registered in every setup's fresh
//! database, so the changes are made once and pushed to each setup.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result};
use automerge::{ActorId, AutoCommit};
use gridwalk_core::doc::incident::{IncidentDoc, NewEvent, NewIncident, Source};
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::doc::{DocKind, WriteCtx, create, edit};
use gridwalk_core::incident::{Action as Verb, machine};
use gridwalk_core::protocol::PushDoc;
use gridwalk_core::reference::{Platform, Role, Urgency};
use gridwalk_core::{Hlc, Timestamp};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde_bytes::ByteBuf;

/// How a device's 20 visits are spread over its three pushing syncs; the incident goes
/// with the second.
const PUSH_SPLIT: [usize; 3] = [7, 7, 6];

/// A device as it is registered, before any setup.
#[derive(Debug, Clone)]
pub struct DeviceSpec {
    /// Device id.
    pub device_id: String,
    /// Owner.
    pub user_id: String,
    /// Its grid.
    pub grid_id: String,
    /// Bearer token.
    pub token: String,
    /// Its Automerge actor.
    pub actor: ActorId,
    /// Does it do a first sync in the morning window?
    pub morning: bool,
}

/// What the server must hold once every device has pushed.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    /// Per household visited: its grid, the visits it had when loaded, and the ids of
    /// the visits pushed to it.
    pub visits: BTreeMap<String, (String, usize, Vec<String>)>,
    /// Incidents pushed: id and grid.
    pub incidents: Vec<(String, String)>,
    /// Changes pushed per grid (each one is one feed entry).
    pub changes_per_grid: BTreeMap<String, usize>,
}

impl Expected {
    /// Visits pushed in all.
    pub fn visit_count(&self) -> usize {
        self.visits.values().map(|(_, _, v)| v.len()).sum()
    }
}

/// Every device's three pushes, and what the server must hold afterwards.
pub type Day = (Vec<Vec<Vec<PushDoc>>>, Expected);

/// Adds one change's bytes to the push of `doc`, keeping per-document order.
fn add(push: &mut Vec<PushDoc>, doc: &str, kind: DocKind, grid: &str, bytes: Vec<Vec<u8>>) {
    let bytes = bytes.into_iter().map(ByteBuf::from);
    match push.iter_mut().find(|p| p.doc_id == doc) {
        Some(p) => p.changes.extend(bytes),
        None => push.push(PushDoc {
            doc_id: doc.to_string(),
            kind,
            grid_id: grid.to_string(),
            changes: bytes.collect(),
        }),
    }
}

/// A device's clock: one HLC tick per write.
struct Clock {
    node: String,
    wall_ms: i64,
    counter: u32,
}

impl Clock {
    fn ctx(&mut self, user: &str) -> WriteCtx {
        self.counter += 1;
        WriteCtx {
            user: user.to_string(),
            role: Role::GridWorker,
            device: self.node.clone(),
            hlc: Hlc {
                wall_ms: self.wall_ms,
                counter: self.counter,
                node: self.node.clone(),
            },
            at: Timestamp(self.wall_ms),
        }
    }
}

/// Makes every device's three pushes. `base` gives a household's stored document;
/// `households` lists each grid's households; `now` is the devices' wall clock.
pub fn make(
    devices: &[DeviceSpec],
    households: &BTreeMap<String, Vec<String>>,
    mut base: impl FnMut(&str) -> Result<AutoCommit>,
    seed: u64,
    now: i64,
) -> Result<Day> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cache: HashMap<String, AutoCommit> = HashMap::new();
    let mut expected = Expected::default();
    let mut all = Vec::with_capacity(devices.len());
    for d in devices {
        let mut grid_houses = households
            .get(&d.grid_id)
            .with_context(|| format!("grid {} has households", d.grid_id))?
            .clone();
        grid_houses.shuffle(&mut rng);
        let mut clock = Clock {
            node: d.device_id.clone(),
            wall_ms: now,
            counter: 0,
        };
        // This device's copies of the households it writes to: a second visit to one
        // household (a small grid) builds on the first.
        let mut held: HashMap<String, AutoCommit> = HashMap::new();
        let mut pushes = vec![Vec::new(), Vec::new(), Vec::new()];
        let mut k = 0;
        for (p, &n) in PUSH_SPLIT.iter().enumerate() {
            for _ in 0..n {
                let hh = grid_houses[k % grid_houses.len()].clone();
                k += 1;
                if !held.contains_key(&hh) {
                    if !cache.contains_key(&hh) {
                        cache.insert(hh.clone(), base(&hh)?);
                    }
                    let mut copy = cache.get_mut(&hh).context("cached")?.fork();
                    copy.set_actor(d.actor.clone());
                    held.insert(hh.clone(), copy);
                }
                let doc = held.get_mut(&hh).context("held")?;
                let heads = doc.get_heads();
                let ctx = clock.ctx(&d.user_id);
                let id = uuid::Uuid::now_v7().to_string();
                let mut form = NewVisit::routine(id.clone(), now);
                form.note = "日常走访，了解家庭近况，无新诉求。".into();
                let visit = form.into_record(&ctx)?;
                edit::add_visit(doc, &ctx, &visit)?;
                let bytes = doc
                    .get_changes(&heads)
                    .iter()
                    .map(|c| c.raw_bytes().to_vec())
                    .collect();
                add(&mut pushes[p], &hh, DocKind::Household, &d.grid_id, bytes);
                let base_visits = visit_count(&cache[&hh])?;
                expected
                    .visits
                    .entry(hh.clone())
                    .or_insert_with(|| (d.grid_id.clone(), base_visits, Vec::new()))
                    .2
                    .push(id);
                *expected
                    .changes_per_grid
                    .entry(d.grid_id.clone())
                    .or_default() += 1;
            }
            if p == 1 {
                let (id, bytes) = incident(d, &mut clock)?;
                *expected
                    .changes_per_grid
                    .entry(d.grid_id.clone())
                    .or_default() += bytes.len();
                add(&mut pushes[p], &id, DocKind::Incident, &d.grid_id, bytes);
                expected.incidents.push((id, d.grid_id.clone()));
            }
        }
        all.push(pushes);
    }
    Ok((all, expected))
}

/// The visits of a household document as loaded.
fn visit_count(doc: &AutoCommit) -> Result<usize> {
    use automerge::ReadDoc;
    let visits = match doc.get(automerge::ROOT, "visits")? {
        Some((_, id)) => id,
        None => return Ok(0),
    };
    Ok(doc.length(&visits))
}

/// A new incident reported by the device: its create and report changes.
fn incident(d: &DeviceSpec, clock: &mut Clock) -> Result<(String, Vec<Vec<u8>>)> {
    let id = uuid::Uuid::now_v7().to_string();
    let ctx = clock.ctx(&d.user_id);
    let value = IncidentDoc::new(
        NewIncident {
            id: id.clone(),
            grid_id: d.grid_id.clone(),
            households: Vec::new(),
            category: "enforcement.fire_hazard".into(),
            platform: Platform::LawEnforcement,
            urgency: Urgency::Normal,
            source: Source::Patrol,
            location: "巷口消防通道".into(),
            gps: None,
            parties: String::new(),
            description: "消防通道堆放杂物，需清理。".into(),
        },
        &ctx,
    )?;
    let mut doc = create(d.actor.clone(), &value, &ctx, "incident.create")?;
    let ctx = clock.ctx(&d.user_id);
    let ev = NewEvent {
        id: uuid::Uuid::now_v7().to_string(),
        action: Verb::Report,
        note: "巡查发现".into(),
        fields: BTreeMap::new(),
    };
    machine::append(&mut doc, &ctx, ev)?;
    let bytes = doc
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    Ok((id, bytes))
}
