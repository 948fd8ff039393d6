//! gridwalk-core's integration tests, as one test binary: merges of forked documents,
//! the seeded convergence property test, and the incident workflow.

mod convergence;
mod incident;
mod merge;
mod protocol;
