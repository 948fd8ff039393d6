//! The sync engine: sign in, then push and pull in rounds until nothing is left.
//!
//! One round is one `POST /api/v1/sync`. It carries a bounded slice of the outbox, the
//! cursor of every grid the device holds, the device's clock and pending audit events.
//! Its answer is settled in this order, each step durable before the next:
//! 1. acknowledged outbox rows leave, refused ones are marked ([`Store::settle_push`]);
//! 2. uploaded audit events are deleted;
//! 3. the device clock advances from the server's time (persisted);
//! 4. the pulled page is applied in ONE store transaction together with its revokes, the
//!    scope, reference data and the new cursors ([`Store::apply_sync_page`]).
//!
//! Rounds go on while the server says `more` or the outbox still holds rows not yet sent
//! in this sync. A row with no final answer (say `missing_dependencies`) is not sent
//! again in the same sync, and neither are later rows of its document, so a sync always
//! ends. A crash or a lost connection at any point loses nothing: an unacknowledged row
//! is pushed again (the server stores changes by hash), and a page whose cursor was not
//! stored is pulled again. That is also how an interrupted first sync resumes.
//!
//! A revoked device (HTTP 401 `device_revoked`) is wiped at once and gets a fresh actor;
//! the engine forgets its session.
//!
//! The store is synchronous (rusqlite): each page is written on the task that runs the
//! sync, between network waits. The shell runs a sync on its own task, never on the task
//! that serves the UI.

use gridwalk_core::Hlc;
use gridwalk_core::protocol::{PROTOCOL_VERSION, SyncRequest};
use gridwalk_store::{Clock, Store, StoreOptions, SyncDebt};
use serde::Serialize;
use std::collections::HashSet;

use crate::client::{Client, ClientOptions, Session, SessionInfo};
use crate::error::SyncError;
use crate::progress::{Phase, Progress, Traffic};
use crate::push::{self, BatchLimits};

/// Settings of a [`SyncEngine`].
#[derive(Clone)]
pub struct SyncOptions {
    /// Connection, timeouts and retries.
    pub client: ClientOptions,
    /// Bounds of one push.
    pub batch: BatchLimits,
    /// Rounds per sync before the engine gives up on a server that keeps saying `more`.
    pub max_rounds: u32,
    /// The clock (UTC ms) for the device HLC and sync debt.
    pub clock: Clock,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            client: ClientOptions::default(),
            batch: BatchLimits::default(),
            max_rounds: 10_000,
            clock: StoreOptions::default().clock,
        }
    }
}

impl std::fmt::Debug for SyncOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncOptions")
            .field("client", &self.client)
            .field("batch", &self.batch)
            .field("max_rounds", &self.max_rounds)
            .finish_non_exhaustive()
    }
}

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Round trips made (retries not counted; see `traffic.requests`).
    pub rounds: u32,
    /// Outbox rows the server stored.
    pub acked: usize,
    /// Outbox rows the server refused (shown per document: [`Store::refused`]).
    pub refused: usize,
    /// Outbox rows left for the next sync.
    pub retry_later: usize,
    /// Audit events uploaded.
    pub audit_sent: usize,
    /// Documents received.
    pub docs_received: usize,
    /// Documents that changed on the device.
    pub docs_changed: usize,
    /// Documents dropped (revoked or out of scope, nothing left to push).
    pub docs_dropped: Vec<String>,
    /// Documents revoked but kept until their outbox is pushed.
    pub docs_waiting: Vec<String>,
    /// Grids that left the device's scope.
    pub grids_dropped: Vec<String>,
    /// The server says the device clock runs more than 5 minutes ahead: ask the person
    /// to set the phone's time.
    pub clock_ahead: bool,
    /// True when this sync finished the first download of the scope.
    pub first_sync: bool,
    /// Bytes and requests.
    pub traffic: Traffic,
    /// What the device still owes the server afterwards.
    pub debt: SyncDebt,
}

/// The device sync engine. Holds the session (and so the token); the UI never does.
#[derive(Debug)]
pub struct SyncEngine {
    client: Client,
    session: Option<Session>,
    opts: SyncOptions,
}

impl SyncEngine {
    /// An engine that is not signed in.
    pub fn new(opts: SyncOptions) -> SyncEngine {
        SyncEngine {
            client: Client::new(&opts.client),
            session: None,
            opts,
        }
    }

    /// An engine with a session restored from the shell's secure storage.
    pub fn with_session(session: Session, opts: SyncOptions) -> SyncEngine {
        SyncEngine {
            session: Some(session),
            ..SyncEngine::new(opts)
        }
    }

    /// Signs in at `server_url` and registers this device under `device_name`.
    pub async fn login(
        &mut self,
        server_url: &str,
        username: &str,
        password: &str,
        device_name: &str,
    ) -> Result<SessionInfo, SyncError> {
        let mut traffic = Traffic::default();
        let session = self
            .client
            .login(server_url, username, password, device_name, &mut traffic)
            .await?;
        let info = session.info();
        self.session = Some(session);
        Ok(info)
    }

    /// The session, for the shell to keep in secure storage.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// A link to the console API for the signed-in device, if one is.
    pub fn console(&self) -> Option<crate::console::ConsoleLink> {
        self.session.as_ref().map(|s| self.client.console(s))
    }

    /// Forgets the session (the store is kept).
    pub fn logout(&mut self) {
        self.session = None;
    }

    /// What the device still owes the server, for the sync screen.
    pub fn sync_debt(&self, store: &Store) -> Result<SyncDebt, SyncError> {
        Ok(store.sync_debt((self.opts.clock)())?)
    }

    /// Pushes and pulls until the server has nothing more and the outbox nothing new.
    /// A revoked device is wiped before the error returns.
    pub async fn sync_once(
        &mut self,
        store: &mut Store,
        mut progress: impl FnMut(Progress),
    ) -> Result<SyncReport, SyncError> {
        let session = self.session.clone().ok_or(SyncError::NotSignedIn)?;
        match self.run(&session, store, &mut progress).await {
            Err(SyncError::DeviceRevoked) => {
                tracing::warn!(device = %session.device_id, "device revoked: wiping the store");
                self.session = None;
                store.wipe()?;
                Err(SyncError::DeviceRevoked)
            }
            other => other,
        }
    }

    async fn run(
        &self,
        session: &Session,
        store: &mut Store,
        progress: &mut impl FnMut(Progress),
    ) -> Result<SyncReport, SyncError> {
        let now = || (self.opts.clock)().0;
        let first = !store.first_sync_done()?;
        let pull_phase = if first { Phase::FirstSync } else { Phase::Pull };
        // Debt is read once, at the end; the progress bar needs only the outbox count.
        let push_total = store.pending_count()? as u64;
        let mut traffic = Traffic::default();
        let mut report = SyncReport {
            rounds: 0,
            acked: 0,
            refused: 0,
            retry_later: 0,
            audit_sent: 0,
            docs_received: 0,
            docs_changed: 0,
            docs_dropped: Vec::new(),
            docs_waiting: Vec::new(),
            grids_dropped: Vec::new(),
            clock_ahead: false,
            first_sync: first,
            traffic,
            debt: SyncDebt::default(),
        };
        let mut limits = self.opts.batch.clone();
        let mut pushed = 0u64;
        // Documents with a row that got no final answer in this sync: none of their rows
        // goes again until the next sync, so no later change travels without its parent.
        let mut stuck: HashSet<String> = HashSet::new();
        let mut stuck_rows = 0usize;
        loop {
            if report.rounds >= self.opts.max_rounds {
                return Err(SyncError::Protocol {
                    code: "too_many_rounds".into(),
                    detail: format!("the server still had more after {} rounds", report.rounds),
                });
            }
            let entries: Vec<_> = store
                .pending(limits.max_actions + stuck_rows)?
                .into_iter()
                .filter(|e| !stuck.contains(&e.doc_id))
                .collect();
            let push = push::build(&entries, &limits);
            if !push.corrupt.is_empty() {
                store.settle_push(&[], &push.corrupt)?;
                report.refused += push.corrupt.len();
            }
            let audit = store.pending_audit(limits.max_audit)?;
            let hlc = store.tick_hlc(&session.device_id, now())?;
            let req = SyncRequest {
                protocol: PROTOCOL_VERSION,
                device_ms: hlc.wall_ms,
                push: push.docs,
                cursors: store.cursors()?,
                reference_version: store.reference_version()?,
                audit,
            };
            if push.sent.is_empty() {
                progress(traffic.event(pull_phase, report.docs_received as u64, None));
            } else {
                progress(traffic.event(Phase::Push, pushed, Some(push_total)));
            }
            report.rounds += 1;
            let resp = match self.client.sync(session, &req, &mut traffic).await {
                Ok(r) => r,
                Err(SyncError::TooLarge) if push.sent.len() > 1 || req.audit.len() > 1 => {
                    limits = limits.halved();
                    tracing::info!(?limits, "request too large: pushing in smaller batches");
                    continue;
                }
                Err(e) => return Err(e),
            };

            let settled = push::settle(&push.sent, &req.push, &resp.ok, &resp.results);
            store.settle_push(&settled.acked, &settled.refused)?;
            report.acked += settled.acked.len();
            report.refused += settled.refused.len();
            for s in &settled.unsettled {
                stuck.insert(s.doc_id.clone());
                stuck_rows += 1;
            }
            if !push.sent.is_empty() {
                pushed += push.sent.len() as u64;
                progress(traffic.event(Phase::Push, pushed, Some(push_total.max(pushed))));
            }
            let audit_ids: Vec<String> = req.audit.iter().map(|a| a.id.clone()).collect();
            store.forget_audit(&audit_ids)?;
            report.audit_sent += audit_ids.len();

            let server = Hlc {
                wall_ms: resp.server_time_ms,
                counter: 0,
                node: "server".into(),
            };
            store.observe_hlc(&session.device_id, &server, now())?;
            report.clock_ahead = resp.clock_ahead;

            let n = resp.docs.len() as u64;
            progress(traffic.event(Phase::Apply, 0, Some(n)));
            let applied = store.apply_sync_page(&resp)?;
            progress(traffic.event(Phase::Apply, n, Some(n)));
            report.docs_received += applied.docs_received;
            report.docs_changed += applied.docs_changed;
            report.docs_dropped.extend(applied.docs_dropped);
            report.docs_waiting = applied.docs_waiting;
            report.grids_dropped.extend(applied.grids_dropped);
            progress(traffic.event(pull_phase, report.docs_received as u64, None));

            let more_to_push = store
                .pending(1 + stuck_rows)?
                .iter()
                .any(|e| !stuck.contains(&e.doc_id));
            if !resp.more && !more_to_push {
                break;
            }
        }
        report.docs_dropped.extend(store.drop_revoked()?);
        report.docs_waiting = store.pending_revokes()?;
        if first {
            store.set_first_sync_done()?;
        }
        report.retry_later = stuck_rows;
        report.traffic = traffic;
        report.debt = store.sync_debt((self.opts.clock)())?;
        progress(traffic.event(Phase::Done, 1, Some(1)));
        Ok(report)
    }
}
