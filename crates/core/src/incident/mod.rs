//! The incident workflow: actions, the state machine over the merged event log, and
//! 督办 (supervision).

pub mod action;

pub use action::{Action, action_label_zh};
