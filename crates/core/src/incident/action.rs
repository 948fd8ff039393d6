//! Incident actions: the verbs of the incident event log.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

/// One verb of the incident workflow (DOMAIN.md, "Incident workflow").
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Reconcile,
    Hydrate,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 上报: the draft is reported (worker, part-time worker, party member).
    Report,
    /// 网格自办: the reporting worker records the result on the spot; goes to handled.
    SelfHandle,
    /// Grid-level acceptance by the grid head, forwarding to the dispatcher.
    GridAccept,
    /// Grid-level return by the grid head.
    GridReturn,
    /// Township acceptance by the dispatcher.
    Accept,
    /// Dispatcher returns as a duplicate.
    ReturnDuplicate,
    /// Dispatcher returns as insufficient.
    ReturnInsufficient,
    /// The reporter resubmits a returned incident with more information.
    Resubmit,
    /// Dispatcher routes to a platform and a handling unit (fields `platform`, `unit`,
    /// and `county` = "true" for escalation to a county-level unit).
    Route,
    /// The handling unit signs for it.
    Sign,
    /// The handling unit refuses it; it goes back to the dispatcher.
    Refuse,
    /// The handling unit records progress.
    Progress,
    /// The handling unit asks for a delay (field `days`, in working days).
    RequestDelay,
    /// The dispatcher grants the open delay request.
    GrantDelay,
    /// The dispatcher denies the open delay request.
    DenyDelay,
    /// The handling unit feeds back a result with evidence (fields `result`, `evidence`).
    Feedback,
    /// The reporting worker verifies the result on site.
    Verify,
    /// Verification failed: back to in progress.
    VerifyFail,
    /// The dispatcher or grid head closes it.
    Close,
    /// The resident's rating (fields `level`: satisfied / basically_satisfied / unsatisfied;
    /// `channel`: resident / worker / callback).
    Rate,
    /// Manual 督办 by a supervisor or dispatcher.
    Supervise,
    /// Extra information; legal in any state and never changes it.
    AddInfo,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 22] = [
        Action::Report,
        Action::SelfHandle,
        Action::GridAccept,
        Action::GridReturn,
        Action::Accept,
        Action::ReturnDuplicate,
        Action::ReturnInsufficient,
        Action::Resubmit,
        Action::Route,
        Action::Sign,
        Action::Refuse,
        Action::Progress,
        Action::RequestDelay,
        Action::GrantDelay,
        Action::DenyDelay,
        Action::Feedback,
        Action::Verify,
        Action::VerifyFail,
        Action::Close,
        Action::Rate,
        Action::Supervise,
        Action::AddInfo,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Action::Report => "report",
            Action::SelfHandle => "self_handle",
            Action::GridAccept => "grid_accept",
            Action::GridReturn => "grid_return",
            Action::Accept => "accept",
            Action::ReturnDuplicate => "return_duplicate",
            Action::ReturnInsufficient => "return_insufficient",
            Action::Resubmit => "resubmit",
            Action::Route => "route",
            Action::Sign => "sign",
            Action::Refuse => "refuse",
            Action::Progress => "progress",
            Action::RequestDelay => "request_delay",
            Action::GrantDelay => "grant_delay",
            Action::DenyDelay => "deny_delay",
            Action::Feedback => "feedback",
            Action::Verify => "verify",
            Action::VerifyFail => "verify_fail",
            Action::Close => "close",
            Action::Rate => "rate",
            Action::Supervise => "supervise",
            Action::AddInfo => "add_info",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The Chinese label shown on buttons and in the timeline.
    pub fn label_zh(self) -> &'static str {
        match self {
            Action::Report => "上报",
            Action::SelfHandle => "网格自办",
            Action::GridAccept => "网格受理",
            Action::GridReturn => "网格退回",
            Action::Accept => "受理",
            Action::ReturnDuplicate => "退回（重复）",
            Action::ReturnInsufficient => "退回（信息不全）",
            Action::Resubmit => "重新上报",
            Action::Route => "交办",
            Action::Sign => "签收",
            Action::Refuse => "拒签",
            Action::Progress => "处置进展",
            Action::RequestDelay => "申请延期",
            Action::GrantDelay => "同意延期",
            Action::DenyDelay => "不同意延期",
            Action::Feedback => "反馈",
            Action::Verify => "核查通过",
            Action::VerifyFail => "核查不通过",
            Action::Close => "办结",
            Action::Rate => "评价",
            Action::Supervise => "督办",
            Action::AddInfo => "补充信息",
        }
    }
}

/// The Chinese label of an action code (or a generic word for an unknown one).
pub fn action_label_zh(code: &str) -> &'static str {
    Action::from_code(code)
        .map(Action::label_zh)
        .unwrap_or("操作")
}
