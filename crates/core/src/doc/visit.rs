//! Visits (走访) and contact logs (三联系 / 党员联户): the records a household document
//! keeps about the people who came to the door, or called.
//!
//! Each form (a visit's content, a contact log's content) is one register, because the form
//! is saved whole; needs and observations are records of their own inside the visit.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::Gps;
use super::register::Register;
use crate::reference::Role;

/// How a visit or contact happened. Only in person counts as "seen".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactMode {
    /// 入户/当面
    InPerson,
    /// 电话
    Phone,
    /// 视频
    Video,
}

/// What kind of visit it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitKind {
    /// 日常走访
    Routine,
    /// 重点人群关爱
    KeyGroupCare,
    /// 事件回访
    IncidentReturn,
    /// 专项走访 (see the campaign field)
    Campaign,
}

/// The campaign of a campaign visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Campaign {
    /// 消防
    Fire,
    /// 燃气
    Gas,
    /// 危房
    DangerousHouse,
    /// 垃圾分类
    GarbageSorting,
    /// 防汛
    Flood,
}

/// A household change seen on a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservationKind {
    /// 迁入
    MovedIn,
    /// 迁出
    MovedOut,
    /// 出生
    Birth,
    /// 死亡
    Death,
    /// 新租户
    NewTenant,
}

/// One observed household change.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, Serialize)]
pub struct Observation {
    /// UUIDv7; also the key.
    pub id: String,
    /// What changed.
    pub kind: ObservationKind,
    /// The member concerned, if any.
    pub person_id: Option<String>,
    /// Details.
    pub note: String,
}

/// What became of a need (诉求) raised on a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedOutcome {
    /// Noted only.
    Noted,
    /// Became an incident (see `incident_id`).
    Incident,
    /// Became a 代办 (proxy handling) request.
    Proxy,
}

/// One need raised by the household.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Need {
    /// UUIDv7; also the key.
    pub id: String,
    /// What the household asked for.
    pub text: String,
    /// What became of it.
    pub outcome: Register<NeedOutcome>,
    /// The incident it became, if any.
    pub incident_id: Register<Option<String>>,
}

/// What the visit form holds. The form is saved as a whole, so the content is one
/// register: two people editing the same visit concurrently see both versions side by side
/// and pick one, rather than getting a silent mix of the two.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct VisitContent {
    /// In person, phone or video.
    pub mode: ContactMode,
    /// Members met (person ids).
    pub persons_met: Vec<String>,
    /// Visit type.
    pub kind: VisitKind,
    /// Campaign, for campaign visits.
    pub campaign: Option<Campaign>,
    /// Service given on the spot.
    pub service: String,
    /// Follow-up date, `YYYY-MM-DD`.
    pub follow_up: Option<String>,
    /// 民情日记: free text.
    pub note: String,
}

/// A household visit (走访).
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Visit {
    /// UUIDv7; also the key in `visits`.
    pub id: String,
    /// The visiting user.
    pub visitor_user: String,
    /// The visitor's role.
    pub visitor_role: Role,
    /// The device that recorded it.
    pub device: String,
    /// When the visit happened, UTC ms.
    pub at: i64,
    /// HLC of the creating write.
    pub hlc: String,
    /// The form's content.
    pub content: Register<VisitContent>,
    /// Household changes seen.
    pub observations: BTreeMap<String, Observation>,
    /// Needs raised.
    pub needs: BTreeMap<String, Need>,
    /// GPS, where the platform gave it.
    pub gps: Option<Gps>,
    /// Soft delete, UTC ms.
    pub deleted_at: Register<Option<i64>>,
}

impl Visit {
    /// The content shown to people (the latest write by HLC).
    pub fn current(&self) -> Option<&VisitContent> {
        self.content.value()
    }

    /// Was this visit in person (so the household was "seen")?
    pub fn in_person(&self) -> bool {
        self.current()
            .is_some_and(|c| c.mode == ContactMode::InPerson)
    }
}

/// What a contact log's form holds, saved as a whole (see [`VisitContent`]).
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct ContactContent {
    /// In person, phone or video.
    pub mode: ContactMode,
    /// What was discussed.
    pub note: String,
}

/// A 三联系 / 党员联户 contact log whose target is this household.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct ContactLog {
    /// UUIDv7; also the key.
    pub id: String,
    /// The assignment it fulfils, if any.
    pub assignment_id: Option<String>,
    /// The contacting user.
    pub contactor_user: String,
    /// The contactor's role.
    pub role: Role,
    /// The device that recorded it.
    pub device: String,
    /// When the contact happened, UTC ms.
    pub at: i64,
    /// HLC of the creating write.
    pub hlc: String,
    /// The form's content.
    pub content: Register<ContactContent>,
    /// Soft delete, UTC ms.
    pub deleted_at: Register<Option<i64>>,
}

impl ContactLog {
    /// Was this contact in person?
    pub fn in_person(&self) -> bool {
        self.content
            .value()
            .is_some_and(|c| c.mode == ContactMode::InPerson)
    }
}
