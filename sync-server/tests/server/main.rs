//! The server's integration tests: one binary, one module per concept.

mod auth;
mod bad_input;
mod concurrency;
mod crash;
mod first_sync;
mod grant_grid;
mod moves;
mod quarantine_deps;
mod read;
mod round_trip;
mod schema;
mod scope;
mod serve;
mod support;
