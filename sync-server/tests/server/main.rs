//! The server's integration tests: one binary, one module per concept.

mod auth;
mod bad_input;
mod concurrency;
mod console_device;
mod console_dispatch;
mod console_review;
mod console_session;
mod console_supervise;
mod console_support;
mod crash;
mod dashboard_cache;
mod dashboard_oracle;
mod export_jobs;
mod export_xlsx;
mod first_sync;
mod grant_grid;
mod moves;
mod pg_schema;
mod quarantine_deps;
mod read;
mod round_trip;
mod schema;
mod scope;
mod serve;
mod support;
mod two_nodes;
