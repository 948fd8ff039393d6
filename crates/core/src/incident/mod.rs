//! The incident workflow: actions, the state machine over the merged event log, and
//! 督办 (supervision).

pub mod action;
pub mod machine;
pub mod supervision;
mod transitions;

pub use action::{Action, action_label_zh};
pub use machine::{
    Effective, FlaggedEvent, RatingChannel, RatingLevel, ReturnKind, State, allowed_actions,
    append, check, effective,
};
pub use supervision::{DeadlineStatus, Supervision, supervision};
pub use transitions::{MAX_DELAY_WORKING_DAYS, REPORTER_ROLES};
