//! gridwalk-sync: the device sync engine (DESIGN.md §3).
//!
//! A phone stays offline for days; when a connection appears, [`SyncEngine::sync_once`]
//! pushes the device's outbox and pulls the changes of every grid it holds, over protocol
//! v1 (`gridwalk_core::protocol`): one compressed `POST /api/v1/sync` per round, rounds
//! until the server has nothing more. It:
//! - pushes the outbox grouped by document in bounded batches ([`push`]), acknowledges
//!   what the server stored and marks what it refused, with the server's code and reason,
//!   for the sync screen ([`gridwalk_store::Store::refused`]);
//! - applies each pulled page in one store transaction together with its cursors, so a
//!   cursor never runs ahead of the data and an interrupted first sync resumes;
//! - honours revokes and scope (a document leaves once nothing of it is left to push),
//!   reference data, `clock_ahead`, and advances the device clock from the server's time;
//! - uploads audit events recorded offline;
//! - lends the app's supervisor views a [`ConsoleLink`] to the console API, token inside;
//! - retries network errors, 5xx and 429 with exponential backoff and jitter
//!   ([`retry`]), and surfaces everything else as a [`SyncError`] with a stable code and
//!   zh-CN/en messages;
//! - reports progress ([`Progress`]: phase, done/total, bytes each way) and sync debt;
//! - wipes the store and rotates its actor when the server says the device is revoked.
//!
//! What it is not: a scheduler (the shell decides when to sync) or a UI. It holds the
//! device token; the UI only ever sees [`SessionInfo`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), gridwalk_sync::SyncError> {
//! use gridwalk_sync::{SyncEngine, SyncOptions};
//! let mut store = gridwalk_store::Store::open("device.db")?;
//! let mut engine = SyncEngine::new(SyncOptions::default());
//! engine.login("https://grid.example.cn", "zhang", "secret", "张三的手机").await?;
//! let report = engine
//!     .sync_once(&mut store, |p| println!("{:?} {}/{:?}", p.phase, p.done, p.total))
//!     .await?;
//! println!("{} sent, {} received", report.acked, report.docs_received);
//! # Ok(()) }
//! ```

pub mod changes;
mod client;
pub mod console;
mod engine;
mod error;
pub mod progress;
pub mod push;
pub mod retry;

pub use client::{Client, ClientOptions, Session, SessionInfo};
pub use console::{ConsoleAnswer, ConsoleLink, ConsoleMethod};
pub use engine::{SyncEngine, SyncOptions, SyncReport};
pub use error::{Call, SyncError};
pub use progress::{Phase, Progress, Traffic};
pub use push::BatchLimits;
pub use retry::RetryPolicy;
