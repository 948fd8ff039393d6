//! gridwalk-server: the Gridwalk sync server (DESIGN.md §3, §5).
//!
//! What it is: an axum application over a [`storage::Storage`] (SQLite by default) that
//! registers devices ([`auth`]), computes each device's scope ([`scope`]), accepts pushed
//! Automerge changes after validating them ([`push`], [`rules`]), serves the per-grid
//! change feed and first-sync snapshots ([`pull`], [`first_sync`]), applies scope changes
//! ([`scope_change`]) and keeps an audit log. The same binary carries the admin CLI
//! ([`cli`]). What it is not: the domain (that is `gridwalk-core`) or the device engine.
//!
//! ```no_run
//! use std::sync::Arc;
//! use gridwalk_server::{app, serve, state::{AppState, Limits, system_clock}};
//! use gridwalk_server::storage::sqlite::SqliteStorage;
//!
//! # async fn run() -> anyhow::Result<()> {
//! let storage = Arc::new(SqliteStorage::open("gridwalk-server.db")?);
//! let state = AppState::new(storage, Limits::default(), system_clock())?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! println!("listening on {}", listener.local_addr()?);
//! serve(listener, state, async { let _ = tokio::signal::ctrl_c().await; }).await?;
//! # Ok(()) }
//! ```

pub mod auth;
pub mod cli;
pub mod console;
pub mod cursor;
pub mod demo;
pub mod error;
pub mod first_sync;
pub mod grace;
pub mod loaded;
pub mod new_doc;
pub mod par;
pub mod pull;
pub mod push;
pub mod read;
pub mod routes;
pub mod rules;
pub mod scope;
pub mod scope_change;
pub mod state;
pub mod storage;
pub mod sync;

use std::future::Future;
use std::net::SocketAddr;

pub use routes::app;
pub use state::AppState;

/// Serves the app on a bound listener until `shutdown` completes, then finishes the
/// requests in flight. Tests bind port 0 and read the address from the listener, so
/// the server is ready as soon as this is called: no sleeps.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
