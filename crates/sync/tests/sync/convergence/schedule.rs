//! One schedule: a grid, three or four fresh phones (two grid workers of the grid, and
//! one or two of its grid head, a party member of the grid and a part-time worker of one
//! of its micro-grids), households and an incident registered on the spot, then 10–30
//! random steps of record operations ([`super::ops`]), syncs (some with a change pushed
//! before its parent, a lost answer, or a server restart between apply and answer),
//! partitions, replays of an applied push, household moves and party-member links
//! ending and starting. Every choice comes from the seed; only documents made by the
//! schedule are written, so a seed replays the same schedule on any server.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use gridwalk_core::protocol::{Bytes, DocCode, PROTOCOL_VERSION, PushDoc, SyncRequest};
use gridwalk_core::reference::{ContactAssignment, ContactKind, ContactTarget, Role};
use gridwalk_server::scope_change;
use gridwalk_sync::{Client, ClientOptions, RetryPolicy, SyncReport, Traffic};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};

use super::ops;
use super::world::{Backend, Dev, Fault, GridInfo, Proxy, World};

/// A schedule in progress and what it created.
pub struct Schedule {
    pub seed: u64,
    pub rng: StdRng,
    pub step: usize,
    pub clock: Arc<AtomicI64>,
    pub backend: Arc<Backend>,
    pub proxy: Arc<Proxy>,
    pub grid: GridInfo,
    pub other_grid: String,
    pub all_grids: Vec<String>,
    pub devs: Vec<Dev>,
    pub households: Vec<String>,
    pub incidents: Vec<String>,
    /// (household, visit id, author user).
    pub visits: Vec<(String, String, String)>,
    /// (incident, event id).
    pub events: Vec<(String, String)>,
    /// (household, resolution id).
    pub resolutions: Vec<(String, String)>,
    /// The party member's link in force, made by the schedule.
    pub link: Option<String>,
}

impl Schedule {
    pub fn now(&self) -> i64 {
        self.clock.load(Ordering::SeqCst)
    }

    fn note(&mut self, line: String) {
        println!("  step {:>2}: {line}", self.step);
    }

    /// Sets up the grid, the phones and the first records, all synced.
    pub async fn start(world: &mut World, seed: u64) -> Schedule {
        let mut rng = StdRng::seed_from_u64(seed);
        let grid = world.grids.choose(&mut rng).unwrap().clone();
        let others: Vec<&GridInfo> = world.grids.iter().filter(|g| g.id != grid.id).collect();
        let other_grid = others.choose(&mut rng).unwrap().id.clone();
        let mut cast: Vec<(&'static str, Role, String, u8)> = vec![
            ("A", Role::GridWorker, grid.id.clone(), 0),
            ("B", Role::GridWorker, grid.id.clone(), 1),
        ];
        let extras = [
            ("head", Role::GridHead, grid.village.clone(), 0),
            ("party", Role::PartyMember, grid.id.clone(), 0),
            ("part-time", Role::PartTimeWorker, grid.micro.clone(), 0),
        ];
        let n = rng.random_range(1..=2);
        cast.extend(extras.choose_multiple(&mut rng, n).cloned());
        let mut devs = Vec::new();
        for (label, role, area, slot) in &cast {
            let session = world.session(*role, area, *slot).await;
            devs.push(world.phone(label, &session));
        }
        let mut s = Schedule {
            seed,
            rng,
            step: 0,
            clock: world.clock.clone(),
            backend: world.backend.clone(),
            proxy: world.proxy.clone(),
            grid,
            other_grid,
            all_grids: world.grids.iter().map(|g| g.id.clone()).collect(),
            devs,
            households: Vec::new(),
            incidents: Vec::new(),
            visits: Vec::new(),
            events: Vec::new(),
            resolutions: Vec::new(),
            link: None,
        };
        let labels: Vec<&str> = s.devs.iter().map(|d| d.label).collect();
        println!(
            "  grid {} (moves go to {}), phones {labels:?}",
            s.grid.id, s.other_grid
        );
        for i in 0..s.devs.len() {
            s.plain_sync(i).await;
        }
        world.advance(60_000);
        ops::new_household(&mut s, 0);
        ops::new_household(&mut s, 0);
        if s.rng.random_bool(0.5) {
            ops::new_incident(&mut s, 0);
        }
        s.plain_sync(0).await;
        if s.devs.iter().any(|d| d.role == Role::PartyMember) {
            let line = s.toggle_link();
            s.note(line);
        }
        s
    }

    /// Runs `steps` random steps.
    pub async fn run(&mut self, steps: usize) {
        for step in 1..=steps {
            self.step = step;
            let ms = self.rng.random_range(1_000..=120_000);
            self.clock.fetch_add(ms, Ordering::SeqCst);
            let line = match self.rng.random_range(0..100) {
                0..=15 => ops::visit(self),
                16..=23 => ops::race(self),
                24..=28 => ops::edit_field(self),
                29..=33 => ops::edit_visit(self),
                34..=37 => ops::delete_visit(self),
                38..=40 => {
                    let who = self.rng.random_range(0..2);
                    let id = ops::new_incident(self, who);
                    Some(format!(
                        "{} opens and reports incident {id}",
                        self.devs[who].label
                    ))
                }
                41..=47 => ops::incident_event(self),
                48..=52 => ops::resolve(self),
                53..=54 => {
                    let who = self.rng.random_range(0..2);
                    let id = ops::new_household(self, who);
                    Some(format!("{} registers household {id}", self.devs[who].label))
                }
                55..=57 => self.partition(),
                58..=60 => self.replay().await,
                61..=63 => self.move_household(),
                64..=66 if self.devs.iter().any(|d| d.role == Role::PartyMember) => {
                    Some(self.toggle_link())
                }
                _ => {
                    let i = self.rng.random_range(0..self.devs.len());
                    Some(self.sync(i).await)
                }
            };
            if let Some(line) = line {
                self.note(line);
            }
        }
    }

    /// Syncs one phone with no fault; panics on failure or a refusal.
    pub async fn plain_sync(&mut self, i: usize) -> SyncReport {
        let seed = self.seed;
        let d = &mut self.devs[i];
        let report = d
            .engine
            .sync_once(&mut d.store, |_| {})
            .await
            .unwrap_or_else(|e| panic!("seed {seed}: {} syncs: {e}", d.label));
        assert_eq!(
            report.refused,
            0,
            "seed {seed}: {} made only legal changes, so none is refused: {:?}",
            d.label,
            d.store.refused().unwrap()
        );
        report
    }

    /// A sync, unless the phone is partitioned; sometimes with the newest change of a
    /// document pushed alone first, and sometimes losing the answer to the push (with a
    /// server restart between apply and answer).
    async fn sync(&mut self, i: usize) -> String {
        let label = self.devs[i].label;
        if self.devs[i].offline_until > self.step {
            return format!("{label} has no signal");
        }
        let mut notes = Vec::new();
        if self.rng.random_bool(0.3)
            && let Some(doc) = self.push_out_of_order(i).await
        {
            notes.push(format!(
                "pushed the newest change of {doc} before its parents"
            ));
        }
        let pending = !self.devs[i].store.pending(1).unwrap().is_empty();
        let fault = match self.rng.random_range(0..100) {
            0..=17 if pending => Some(Fault::LoseAck),
            18..=23 if pending => Some(Fault::RestartBeforeAck),
            _ => None,
        };
        if let Some(f) = fault {
            self.proxy.arm(f);
            notes.push(format!("{f:?}"));
        }
        let r = self.plain_sync(i).await;
        self.proxy.disarm();
        format!(
            "{label} syncs {notes:?}: acked {}, received {}, dropped {:?}, waiting {:?}",
            r.acked, r.docs_received, r.docs_dropped, r.docs_waiting
        )
    }

    /// Pushes a document's newest pending row alone, before the older row it depends on:
    /// the server must answer `missing_dependencies` and store and quarantine nothing.
    async fn push_out_of_order(&mut self, i: usize) -> Option<String> {
        let now = self.now();
        let d = &mut self.devs[i];
        let rows = d.store.pending(1_000).unwrap();
        let late = rows
            .iter()
            .rev()
            .find(|r| rows.iter().any(|o| o.doc_id == r.doc_id && o.id < r.id))?;
        let changes = gridwalk_sync::changes::split_chunks(&late.changes)
            .unwrap()
            .into_iter()
            .map(|c| Bytes::from(c.to_vec()))
            .collect();
        let req = SyncRequest {
            protocol: PROTOCOL_VERSION,
            device_ms: d.store.tick_hlc(&d.device_id, now).unwrap().wall_ms,
            push: vec![PushDoc {
                doc_id: late.doc_id.clone(),
                kind: late.kind,
                grid_id: late.grid_id.clone(),
                changes,
            }],
            cursors: d.store.cursors().unwrap(),
            reference_version: d.store.reference_version().unwrap(),
            audit: Vec::new(),
        };
        let client = Client::new(&ClientOptions {
            retry: RetryPolicy::fast(),
            ..ClientOptions::default()
        });
        let session = d.engine.session().unwrap().clone();
        let resp = client
            .sync(&session, &req, &mut Traffic::default())
            .await
            .unwrap();
        let Some(r) = resp.results.first() else {
            panic!(
                "seed {}: a change whose parent is late must wait for it, yet it was stored",
                self.seed
            );
        };
        assert_eq!(
            (r.code, r.quarantined.len()),
            (DocCode::MissingDependencies, 0),
            "seed {}: a change whose parent is late waits for it, never refused: {r:?}",
            self.seed
        );
        Some(late.doc_id.clone())
    }

    fn partition(&mut self) -> Option<String> {
        let i = self.rng.random_range(0..self.devs.len());
        let until = self.step + self.rng.random_range(2..=6);
        self.devs[i].offline_until = until;
        Some(format!(
            "{} loses signal until step {until}",
            self.devs[i].label
        ))
    }

    /// Sends the last applied push again: a no-op that adds no feed entry.
    async fn replay(&mut self) -> Option<String> {
        let storage = self.backend.state().storage;
        let before: Vec<i64> = self
            .all_grids
            .iter()
            .map(|g| storage.high_water(g).unwrap())
            .collect();
        let (req, resp) = self.proxy.replay_last_push().await?;
        for r in &resp.results {
            assert!(
                r.quarantined.is_empty()
                    && matches!(r.code, DocCode::Ok | DocCode::MissingDependencies),
                "seed {}: a replayed push is answered as before, never refused: {r:?}",
                self.seed
            );
        }
        let storage = self.backend.state().storage;
        let after: Vec<i64> = self
            .all_grids
            .iter()
            .map(|g| storage.high_water(g).unwrap())
            .collect();
        assert_eq!(
            before, after,
            "seed {}: a replayed push adds nothing to any feed",
            self.seed
        );
        Some(format!("replayed a push of {} documents", req.push.len()))
    }

    /// Moves a schedule household to the other grid, or back with its micro-grid.
    fn move_household(&mut self) -> Option<String> {
        let h = self.households.choose(&mut self.rng)?.clone();
        let state = self.backend.state();
        let p = state.storage.placement(&h).unwrap()?;
        let (to, micro) = if p.grid_id == self.grid.id {
            (self.other_grid.clone(), None)
        } else {
            (self.grid.id.clone(), Some(self.grid.micro.clone()))
        };
        scope_change::move_household(&state, &h, &to, micro.as_deref(), None).unwrap();
        Some(format!("the server moves {h} to {to}"))
    }

    /// Ends the party member's link, or links it to a schedule household on the server.
    pub fn toggle_link(&mut self) -> String {
        let state = self.backend.state();
        let yesterday = gridwalk_core::Timestamp(self.now())
            .shanghai_date()
            .pred_opt()
            .unwrap();
        if let Some(id) = self.link.take() {
            scope_change::end_link(&state, &id, yesterday, None).unwrap();
            return format!("the party member's link {id} ends");
        }
        let placed: Vec<String> = self
            .households
            .iter()
            .filter(|h| state.storage.placement(h).unwrap().is_some())
            .cloned()
            .collect();
        let Some(h) = placed.choose(&mut self.rng).cloned() else {
            return "no household to link yet".into();
        };
        let party = self
            .devs
            .iter()
            .find(|d| d.role == Role::PartyMember)
            .unwrap()
            .user_id
            .clone();
        let bytes: [u8; 16] = self.rng.random();
        let id = uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string();
        let link = ContactAssignment {
            id: id.clone(),
            kind: ContactKind::PartyMemberHousehold,
            contactor_user: party,
            contactor_role: Role::PartyMember,
            target: ContactTarget::Household(h.clone()),
            every_days: 30,
            valid_from: yesterday,
            valid_to: None,
        };
        scope_change::add_link(&state, link, None).unwrap();
        self.link = Some(id.clone());
        format!("the party member is linked to {h} ({id})")
    }

    /// Every phone back online, syncing in random orders until a whole round moves
    /// nothing.
    pub async fn settle(&mut self) {
        for d in &mut self.devs {
            d.offline_until = 0;
        }
        self.step += 1;
        for round in 0..8 {
            let mut order: Vec<usize> = (0..self.devs.len()).collect();
            order.shuffle(&mut self.rng);
            let mut quiet = true;
            for i in order {
                let r = self.plain_sync(i).await;
                quiet &= r.acked == 0 && r.docs_received == 0 && r.docs_dropped.is_empty();
            }
            if quiet {
                self.note(format!("quiescent after {round} full rounds"));
                return;
            }
        }
        panic!(
            "seed {}: the phones still exchange changes after 8 full sync rounds",
            self.seed
        );
    }

    /// The documents the schedule made, with their kinds.
    pub fn docs(&self) -> BTreeMap<String, gridwalk_core::doc::DocKind> {
        use gridwalk_core::doc::DocKind;
        let mut out: BTreeMap<String, DocKind> = self
            .households
            .iter()
            .map(|h| (h.clone(), DocKind::Household))
            .collect();
        out.extend(
            self.incidents
                .iter()
                .map(|i| (i.clone(), DocKind::Incident)),
        );
        out
    }
}
