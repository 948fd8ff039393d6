//! gridwalk-core: the Gridwalk domain with no I/O.
//!
//! What lives here: reference types (area tree, roles, contact assignments, incident
//! categories, handling units, visit and SLA rules, the working-day calendar), the four
//! Automerge documents and their autosurgeon mapping, same-field conflict surfacing, the
//! incident state machine, the rules (visits due, coverage, deadlines, identity
//! validation and masking) and typed errors with zh-CN and en messages.
//!
//! What does not: files, sockets, databases, clocks and random numbers. Time, ids and
//! Automerge actors are always passed in, so every function here is deterministic and
//! testable without a runtime.
//!
//! ```
//! use gridwalk_core::identity::mask_phone;
//! assert_eq!(mask_phone("13812345678"), "138****5678");
//! ```

pub mod doc;
pub mod error;
pub mod hlc;
pub mod identity;
pub mod incident;
pub mod protocol;
pub mod reference;
pub mod rules;
pub mod time;

pub use error::{CoreError, Lang, Localized};
pub use hlc::Hlc;
pub use time::Timestamp;
