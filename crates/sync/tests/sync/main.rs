//! gridwalk-sync integration tests: phones with real store files syncing with a real
//! server on port 0 over HTTP. Two grid workers of one grid, a party member and a
//! part-time worker; first sync, convergence and conflicts, scope changes and grace,
//! revocation and wipe, and the errors a person can meet.

mod converge;
mod convergence;
mod errors;
mod first_sync;
mod revoke;
mod scope;
mod support;
