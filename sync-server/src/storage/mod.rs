//! Server storage behind one trait, so a PostgreSQL backend can follow the embedded SQLite
//! one ([`sqlite::SqliteStorage`]); [`postgres::PgStorage`] serves several server
//! processes from one PostgreSQL database.
//!
//! The trait is synchronous: handlers call it on tokio's blocking pool
//! (`spawn_blocking`), the way rusqlite wants to be used. A PostgreSQL backend can keep
//! the trait with a pooled synchronous client, or wrap an async one.
//!
//! The rules every backend keeps:
//! - **Changes are stored by (document id, change hash).** Storing a change the server
//!   already has is a no-op and adds no feed entry, so a re-push after a lost ack is free.
//! - **Feed sequence numbers are per grid and assigned in the transaction that stores the
//!   change** (or the grant or revoke). Transactions that add to one grid's feed commit in
//!   sequence order, so a reader that has seen seq *n* has seen every seq below it: a
//!   cursor can never step past a change that commits later. SQLite has one writer, so
//!   this holds by construction. PostgreSQL must take the grid's `grid_seq` row with
//!   `SELECT … FOR UPDATE` (held until commit) before numbering, which serializes the
//!   grid's writers in the same way; `feed` is then distributed by `grid_id`, with
//!   `(grid_id, seq)` as its primary key, and `documents`/`changes` by `doc_id`.
//! - **An existing document's grid is read inside the storing transaction**, so a change
//!   that races a household move lands in the grid the household is in when it commits.
//! - **Refused changes are kept** in quarantine with their code and reason.
//! - **Nothing here decides policy.** Scope, validation and role rules live in
//!   [`crate::scope`], [`crate::push`] and [`crate::rules`]; storage stores and reads.

mod exports;
mod feed;
pub mod postgres;
pub mod sqlite;

pub use exports::*;
pub use feed::*;

use gridwalk_core::doc::DocKind;
use gridwalk_core::protocol::ReferenceData;
use gridwalk_core::reference::{Area, ContactAssignment, Role};

/// A storage failure. The handlers turn it into a logged 500 that hides the details.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database refused or failed an operation.
    #[error("database: {0}")]
    Database(String),
    /// A stored value cannot be read back (a bad role code, broken JSON).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// A unique value is already taken (a username).
    #[error("{0} already exists")]
    Exists(String),
    /// Concurrent transactions collided (a serialization failure or a deadlock) and
    /// retrying did not get through.
    #[error("database contention: {0}")]
    Contention(String),
    /// The database was written by a newer build.
    #[error("database schema {found} is newer than this build's {supported}")]
    DatabaseTooNew {
        /// Migrations applied to the file.
        found: i64,
        /// Migrations this build knows.
        supported: i64,
    },
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, Some(msg)) = &e
            && f.code == rusqlite::ErrorCode::ConstraintViolation
            && msg.contains("UNIQUE")
        {
            return StorageError::Exists(msg.clone());
        }
        StorageError::Database(e.to_string())
    }
}

/// Results of storage calls.
pub type StorageResult<T> = Result<T, StorageError>;

/// A user account with its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// User id.
    pub id: String,
    /// Login name, unique.
    pub username: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// The area the user serves (grid, village, micro-grid or township).
    pub area_id: Option<String>,
    /// For handling-unit users, their unit.
    pub unit_id: Option<String>,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Can the user sign in?
    pub active: bool,
}

/// A console (browser) session. The cookie token itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleSessionRow {
    /// SHA-256 (hex) of the cookie token.
    pub token_sha256: String,
    /// The signed-in user.
    pub user_id: String,
    /// The token the console must echo in `X-CSRF-Token` on every non-GET request.
    pub csrf_token: String,
    /// Sign-in time, UTC ms.
    pub created_at: i64,
    /// The session ends at this time, UTC ms.
    pub expires_at: i64,
}

/// A registered device. The token itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    /// Device id.
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// The name the person gave it at login.
    pub name: String,
    /// Registration time, UTC ms.
    pub created_at: i64,
    /// The token stops working after this, UTC ms.
    pub expires_at: i64,
    /// Set once revoked, UTC ms.
    pub revoked_at: Option<i64>,
}

/// Login throttle state of one key (`user:<name>` or `addr:<ip>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Throttle {
    /// Consecutive failures.
    pub failures: u32,
    /// Locked until this time, UTC ms (0 = not locked).
    pub locked_until: i64,
}

/// Where a document lives and whom it concerns: what scope filters look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocMeta {
    /// Document id.
    pub id: String,
    /// Which of the four documents.
    pub kind: DocKind,
    /// The grid it is in now (a household's placement, an incident's grid).
    pub grid_id: String,
    /// The household of a household or private document.
    pub household_id: Option<String>,
    /// The household's micro-grid now (from its placement).
    pub micro_grid_id: Option<String>,
    /// An incident's reporter.
    pub owner_user: Option<String>,
}

/// A stored document: its snapshot and the changes not yet folded into it.
#[derive(Debug, Clone)]
pub struct StoredDoc {
    /// Where it lives.
    pub meta: DocMeta,
    /// `save()` bytes.
    pub snapshot: Vec<u8>,
    /// The snapshot's heads, as stored (hex, comma-separated).
    pub snapshot_heads: String,
    /// (hash hex, change bytes) stored after the snapshot, in storing order.
    pub pending: Vec<(String, Vec<u8>)>,
}

/// One change to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChange {
    /// Change hash, hex.
    pub hash: String,
    /// Raw change bytes.
    pub bytes: Vec<u8>,
    /// Actor, hex.
    pub actor: String,
}

/// A fresh compacted snapshot of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// `save()` bytes.
    pub bytes: Vec<u8>,
    /// Heads, hex, comma-separated.
    pub heads: String,
    /// The hashes of the changes it folds in (marked compacted).
    pub covers: Vec<String>,
    /// The heads of the stored snapshot this one was built on. A snapshot replaces the
    /// stored one only if that is still the stored one: two compactions racing on one
    /// document must not let one built without the other's changes win (the loser is
    /// simply not stored). `None` for a new document.
    pub base_heads: Option<String>,
}

/// Which grid, micro-grid and village a household is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Household id.
    pub household_id: String,
    /// Grid.
    pub grid_id: String,
    /// Micro-grid.
    pub micro_grid_id: Option<String>,
    /// Village or community.
    pub village_id: Option<String>,
}

/// The accepted changes of one document, to store with their feed entries.
#[derive(Debug, Clone)]
pub struct DocWrite {
    /// The document (for a new one, the row to create).
    pub meta: DocMeta,
    /// Set for a document the server did not have: its first snapshot.
    pub new_snapshot: Option<Snapshot>,
    /// The placement to create for a new household.
    pub placement: Option<Placement>,
    /// The changes, in dependency order.
    pub changes: Vec<StoredChange>,
    /// A compacted snapshot to store instead of the old one (folds `covers`).
    pub compacted: Option<Snapshot>,
}

/// A refused change, kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineRow {
    /// Document id.
    pub doc_id: String,
    /// Change hash hex (SHA-256 of the bytes when they are not a change at all).
    pub hash: String,
    /// The bytes as pushed.
    pub bytes: Vec<u8>,
    /// Stable refusal code.
    pub code: String,
    /// Why, in English, for the reviewer.
    pub reason: String,
}

/// One audit log row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// When, UTC ms.
    pub at: i64,
    /// The acting user.
    pub user_id: Option<String>,
    /// The acting device.
    pub device_id: Option<String>,
    /// What: `read_private`, `change`, `device:<action>`, `admin:<action>`.
    pub action: String,
    /// The document concerned.
    pub doc_id: Option<String>,
    /// The record, field or change concerned.
    pub target: Option<String>,
    /// An id that makes the row unique (a device audit event's id).
    pub event_id: Option<String>,
}

/// What one sync request stores, in one transaction.
#[derive(Debug, Clone, Default)]
pub struct PushCommit {
    /// The pushing device.
    pub device_id: String,
    /// Its user.
    pub user_id: String,
    /// When, UTC ms.
    pub at: i64,
    /// Accepted changes, by document.
    pub docs: Vec<DocWrite>,
    /// Refused changes.
    pub quarantine: Vec<QuarantineRow>,
    /// Audit rows.
    pub audit: Vec<AuditRow>,
}

/// Reference data to import (`area import`, `demo`). Absent tables are left as they are.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ReferenceImport {
    /// Area nodes (upserted).
    #[serde(default)]
    pub areas: Vec<Area>,
    /// Household placements (upserted).
    #[serde(default)]
    pub placements: Vec<PlacementJson>,
    /// Contact assignments (upserted).
    #[serde(default)]
    pub assignments: Vec<ContactAssignment>,
    /// Incident categories (replaced when present).
    #[serde(default)]
    pub categories: Option<Vec<gridwalk_core::reference::IncidentCategory>>,
    /// Handling units (replaced when present).
    #[serde(default)]
    pub units: Option<Vec<gridwalk_core::reference::HandlingUnit>>,
    /// Visit-frequency rules (replaced when present).
    #[serde(default)]
    pub visit_rules: Option<Vec<gridwalk_core::reference::VisitRule>>,
    /// SLA rules (replaced when present).
    #[serde(default)]
    pub sla_rules: Option<Vec<gridwalk_core::reference::SlaRule>>,
    /// The working-day calendar (replaced when present).
    #[serde(default)]
    pub calendar: Option<gridwalk_core::reference::WorkCalendar>,
}

/// A placement as written in an import file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlacementJson {
    /// Household id.
    pub household_id: String,
    /// Grid.
    pub grid_id: String,
    /// Micro-grid.
    #[serde(default)]
    pub micro_grid_id: Option<String>,
    /// Village or community.
    #[serde(default)]
    pub village_id: Option<String>,
}

/// A document loaded whole (the demo county, a migration from elsewhere).
#[derive(Debug, Clone)]
pub struct ImportDoc {
    /// Where it lives.
    pub meta: DocMeta,
    /// Its compacted snapshot, covering every change below.
    pub snapshot: Snapshot,
    /// Every change of the document, stored as compacted, with a feed entry each.
    pub changes: Vec<StoredChange>,
}

/// The server's storage. Every method is one short transaction or one read.
pub trait Storage: Send + Sync + 'static {
    // --- users, devices, actors, throttling ---

    /// Creates a user; [`StorageError::Exists`] when the username is taken.
    fn create_user(&self, user: &UserRow, at: i64) -> StorageResult<()>;
    /// Finds a user by login name.
    fn user_by_username(&self, username: &str) -> StorageResult<Option<UserRow>>;
    /// Finds a user by id.
    fn user(&self, id: &str) -> StorageResult<Option<UserRow>>;
    /// Every user, by username.
    fn users(&self) -> StorageResult<Vec<UserRow>>;
    /// Registers a device with the SHA-256 (hex) of its token.
    fn create_device(&self, device: &DeviceRow, token_sha256: &str) -> StorageResult<()>;
    /// The device and user of a token hash: one indexed read.
    fn device_by_token(&self, token_sha256: &str) -> StorageResult<Option<(DeviceRow, UserRow)>>;
    /// Every device, newest first.
    fn devices(&self) -> StorageResult<Vec<DeviceRow>>;
    /// Revokes a device; false when there is no such device.
    fn revoke_device(&self, device_id: &str, at: i64) -> StorageResult<bool>;
    /// Binds each actor not yet bound to `device_id`, and returns every actor's owner.
    fn bind_actors(
        &self,
        device_id: &str,
        actors: &[String],
        at: i64,
    ) -> StorageResult<Vec<(String, String)>>;
    /// The throttle state of a key.
    fn throttle(&self, key: &str) -> StorageResult<Throttle>;
    /// Records a failed login; locks the key for `lock_ms` once it reaches `max` failures.
    fn throttle_fail(&self, key: &str, now: i64, max: u32, lock_ms: i64)
    -> StorageResult<Throttle>;
    /// Forgets a key's failures (after a successful login).
    fn throttle_clear(&self, key: &str) -> StorageResult<()>;

    // --- console sessions (browser sign-in; DESIGN.md §5) ---

    /// Stores a new console session (and may drop sessions already expired).
    fn create_console_session(&self, session: &ConsoleSessionRow) -> StorageResult<()>;
    /// The console session of a cookie token's SHA-256 (hex), expired or not.
    fn console_session(&self, token_sha256: &str) -> StorageResult<Option<ConsoleSessionRow>>;
    /// Ends a console session; a session that does not exist is not an error.
    fn delete_console_session(&self, token_sha256: &str) -> StorageResult<()>;

    // --- console export jobs (read by any node; `crate::console::export::jobs`) ---

    /// Stores a new export job unless its owner already keeps `max_per_owner` jobs that
    /// have not expired at `job.created_at`: the owner's oldest finished jobs are then
    /// dropped to make room, and false is answered when every kept job is still running.
    fn create_export_job(&self, job: &ExportJobRow, max_per_owner: usize) -> StorageResult<bool>;
    /// Records a running job's progress; a finished job is left as it is.
    fn update_export_progress(&self, id: &str, progress: f64, at: i64) -> StorageResult<()>;
    /// Records how a running job ended (progress 1); false when it had already ended (or
    /// does not exist), in which case nothing changes.
    fn finish_export_job(&self, id: &str, outcome: &ExportOutcome, at: i64) -> StorageResult<bool>;
    /// An export job, without its file.
    fn export_job(&self, id: &str) -> StorageResult<Option<ExportJobRow>>;
    /// A finished job's workbook (`None` while running, after a failure, or when unknown).
    fn export_file(&self, id: &str) -> StorageResult<Option<Vec<u8>>>;
    /// Deletes the jobs (and files) whose `expires_at` is at or before `now`; returns how
    /// many.
    fn prune_export_jobs(&self, now: i64) -> StorageResult<u64>;

    // --- reference data ---

    /// The reference-data version.
    fn reference_version(&self) -> StorageResult<u64>;
    /// Imports reference data in one transaction and bumps the version; returns it.
    fn import_reference(&self, data: &ReferenceImport) -> StorageResult<u64>;
    /// Every reference table (unfiltered; scope filters what a device gets).
    fn reference_data(&self) -> StorageResult<ReferenceData>;
    /// One area node.
    fn area(&self, id: &str) -> StorageResult<Option<Area>>;
    /// The grids at or under an area.
    fn grids_under(&self, area_id: &str) -> StorageResult<Vec<String>>;
    /// A household's placement.
    fn placement(&self, household_id: &str) -> StorageResult<Option<Placement>>;
    /// The assignments whose contactor is `user_id` (in force or not).
    fn assignments_of(&self, user_id: &str) -> StorageResult<Vec<ContactAssignment>>;

    // --- documents and feed ---

    /// A document's metadata.
    fn doc_meta(&self, doc_id: &str) -> StorageResult<Option<DocMeta>>;
    /// A document's snapshot and pending changes.
    fn load_doc(&self, doc_id: &str) -> StorageResult<Option<StoredDoc>>;
    /// Replaces a document's snapshot with a fresher one folding `covers`, if the stored
    /// snapshot is still its base; false when another compaction came first.
    fn store_snapshot(&self, doc_id: &str, snapshot: &Snapshot) -> StorageResult<bool>;
    /// Documents of a grid with id > `after`, by id, at most `limit`.
    fn docs_in_grid(&self, grid_id: &str, after: &str, limit: usize)
    -> StorageResult<Vec<DocMeta>>;
    /// The last feed sequence number of a grid (0 for none).
    fn high_water(&self, grid_id: &str) -> StorageResult<i64>;
    /// Feed entries of a grid with seq > `after`, in order, at most `limit`.
    fn feed_after(&self, grid_id: &str, after: i64, limit: usize) -> StorageResult<Vec<FeedEntry>>;
    /// Revoke entries that concern a document: its own, and whole-grid revokes of `grid_id`.
    fn revokes_of(&self, doc_id: &str, grid_id: &str) -> StorageResult<Vec<(String, FeedEntry)>>;
    /// Stores a sync request's accepted changes, feed entries, quarantine and audit rows
    /// in one transaction. Returns the documents whose compacted snapshot was not stored
    /// because another compaction came first (their in-memory copy is stale).
    fn commit_push(&self, commit: &PushCommit) -> StorageResult<Vec<String>>;
    /// Loads whole documents with their changes and feed entries, in one transaction.
    fn import_docs(&self, docs: &[ImportDoc], at: i64) -> StorageResult<()>;
    /// Applies a scope change with its feed entries in one transaction; bumps the
    /// reference version.
    fn apply_scope_change(&self, change: &ScopeChange) -> StorageResult<()>;

    // --- audit, quarantine, operations ---

    /// Appends audit rows; rows whose `event_id` is already logged are skipped.
    fn audit(&self, rows: &[AuditRow]) -> StorageResult<()>;
    /// Audit rows of an action (newest last), for the console and tests.
    fn audit_rows(&self, action: &str) -> StorageResult<Vec<AuditRow>>;
    /// Quarantined changes of a document.
    fn quarantined(&self, doc_id: &str) -> StorageResult<Vec<QuarantineRow>>;
    /// Every sequence number of a grid's feed, in order (for checks and tests).
    fn feed_seqs(&self, grid_id: &str) -> StorageResult<Vec<i64>>;
    /// Copies the whole database to `path` while it stays online.
    fn backup(&self, path: &std::path::Path) -> StorageResult<()>;
}
