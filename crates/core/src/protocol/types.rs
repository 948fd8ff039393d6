//! The messages of protocol v1.

use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;
use std::collections::BTreeMap;

use crate::doc::DocKind;
use crate::error::{Lang, Localized};
use crate::reference::{
    Area, ContactAssignment, HandlingUnit, IncidentCategory, Role, SlaRule, VisitRule, WorkCalendar,
};

/// Binary bytes (a MessagePack `bin`, never an array of numbers).
pub type Bytes = ByteBuf;

/// The changes of one document that a device pushes: Automerge change bytes, each
/// exactly as `Change::raw_bytes()` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushDoc {
    /// Document id.
    pub doc_id: String,
    /// Which of the four documents.
    pub kind: DocKind,
    /// The grid the device holds it under.
    pub grid_id: String,
    /// The changes, in the order the device made them.
    pub changes: Vec<Bytes>,
}

/// Something a person did on the device that the server must audit, such as revealing a
/// full ID number while offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// UUIDv7, so a re-sent event is recorded once.
    pub id: String,
    /// When it happened on the device, UTC ms.
    pub at_ms: i64,
    /// What was done: `reveal_id`, `reveal_phone`, `export`, ….
    pub action: String,
    /// The document concerned.
    pub doc_id: String,
    /// The record or field concerned (a person id, a path).
    pub target: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One sync request. Empty lists and maps, and a zero reference version, are left out
/// of the encoding (a no-op request carries only the version, the clock and the cursors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequest {
    /// The protocol version the device speaks.
    pub protocol: u32,
    /// The wall time of the device's hybrid logical clock, UTC ms (the server checks it
    /// for a clock running ahead; the device itself is known from the token).
    pub device_ms: i64,
    /// Pushed changes, grouped by document (each document at most once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub push: Vec<PushDoc>,
    /// The device's cursor per grid it holds: opaque text the server gave it. A grid the
    /// device has never synced has no entry; the server then starts its first sync.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cursors: BTreeMap<String, String>,
    /// The version of reference data the device holds (0 for none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reference_version: u64,
    /// Audit events recorded on the device since the last sync.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audit: Vec<AuditEvent>,
}

/// Why a document left the device's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevokeReason {
    /// The household moved to another grid.
    Moved,
    /// The user was reassigned away from the grid.
    Reassigned,
    /// A party member's link to the household ended.
    LinkEnded,
}

/// A document the device must drop once its outbox for it is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoke {
    /// Document id.
    pub doc_id: String,
    /// The grid it is revoked from.
    pub grid_id: String,
    /// Why.
    pub reason: RevokeReason,
}

/// A document delivered to the device: a whole compacted snapshot (first sync, or a
/// document that just entered scope) and/or changes since the device's cursor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PulledDoc {
    /// Document id.
    pub doc_id: String,
    /// Which of the four documents.
    pub kind: DocKind,
    /// The grid it is delivered under.
    pub grid_id: String,
    /// `AutoCommit::save()` bytes, when the whole document is sent.
    pub snapshot: Option<Bytes>,
    /// Change bytes, in an order that respects their dependencies.
    pub changes: Vec<Bytes>,
}

/// The result of one pushed document that was not wholly stored (a wholly stored one is
/// acknowledged by its position alone, in [`SyncResponse::ok`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocResult {
    /// Document id.
    pub doc_id: String,
    /// A stable refusal code, `missing_dependencies`, or `ok` for a part stored
    /// ([`DocCode`]).
    pub code: DocCode,
    /// Hex hashes of the changes stored (including ones the server already had).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<String>,
    /// Hex hashes of the changes kept in quarantine.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quarantined: Vec<String>,
    /// A reason a person can act on, in Chinese.
    pub message_zh: String,
    /// The same reason in English.
    pub message_en: String,
}

/// A per-document result code. Whole-request failures use HTTP status codes instead.
/// A wholly stored document travels as a position in [`SyncResponse::ok`], not as a
/// [`DocResult`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocCode {
    /// Every change is stored.
    Ok,
    /// The document is not in the device's scope, nor in grace.
    OutOfScope,
    /// A change's actor belongs to another device.
    ActorNotBound,
    /// After applying the changes the document no longer reads as its kind.
    DoesNotHydrate,
    /// The device's role may not make this change.
    RoleForbidden,
    /// The bytes are not Automerge changes.
    MalformedChange,
    /// The document exists with another kind.
    KindMismatch,
    /// A change depends on changes the server does not have; push them first.
    MissingDependencies,
}

impl DocCode {
    /// Every code.
    pub const ALL: [DocCode; 8] = [
        DocCode::Ok,
        DocCode::OutOfScope,
        DocCode::ActorNotBound,
        DocCode::DoesNotHydrate,
        DocCode::RoleForbidden,
        DocCode::MalformedChange,
        DocCode::KindMismatch,
        DocCode::MissingDependencies,
    ];

    /// Parses a stable code (as kept with a quarantined change).
    pub fn from_code(code: &str) -> Option<DocCode> {
        DocCode::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl Localized for DocCode {
    fn code(&self) -> &'static str {
        match self {
            DocCode::Ok => "ok",
            DocCode::OutOfScope => "out_of_scope",
            DocCode::ActorNotBound => "actor_not_bound",
            DocCode::DoesNotHydrate => "does_not_hydrate",
            DocCode::RoleForbidden => "role_forbidden",
            DocCode::MalformedChange => "malformed_change",
            DocCode::KindMismatch => "kind_mismatch",
            DocCode::MissingDependencies => "missing_dependencies",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            DocCode::Ok => ("已同步。", "Synced."),
            DocCode::OutOfScope => (
                "这条记录不在您的负责范围内，已暂存待核，请联系网格长确认。",
                "This record is outside your area; it is held for review. Ask your grid head.",
            ),
            DocCode::ActorNotBound => (
                "这条修改来自另一台设备的身份，已暂存待核。请重新登录本设备后再同步。",
                "The change was signed by another device's identity and is held for review. Sign in on this device again.",
            ),
            DocCode::DoesNotHydrate => (
                "这条记录的数据格式不正确，已暂存待核，请升级应用后重试。",
                "The record's data is not valid and is held for review. Update the app and sync again.",
            ),
            DocCode::RoleForbidden => (
                "您的角色不能做这项修改，已暂存待核。",
                "Your role may not make this change; it is held for review.",
            ),
            DocCode::MalformedChange => (
                "同步数据已损坏，已暂存待核，请重新同步。",
                "The sync data is damaged and is held for review. Sync again.",
            ),
            DocCode::KindMismatch => (
                "记录类型不一致，已暂存待核，请联系管理员。",
                "The record's type does not match; it is held for review. Contact the administrator.",
            ),
            DocCode::MissingDependencies => (
                "缺少先前的修改，请先同步较早的记录。",
                "Earlier changes are missing: sync the older records first.",
            ),
        };
        match lang {
            Lang::ZhCn => zh.into(),
            Lang::En => en.into(),
        }
    }
}

/// A user as devices see it (no credentials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    /// User id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Is the account active?
    pub active: bool,
}

/// Reference data, sent whole when the device's version is behind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ReferenceData {
    /// The version; the device sends it back as `reference_version`.
    pub version: u64,
    /// The area tree the device needs.
    pub areas: Vec<Area>,
    /// Users the device needs to show names.
    pub users: Vec<UserRef>,
    /// Incident categories.
    pub categories: Vec<IncidentCategory>,
    /// Handling units.
    pub units: Vec<HandlingUnit>,
    /// Contact assignments of the device's scope.
    pub assignments: Vec<ContactAssignment>,
    /// Visit-frequency rules.
    pub visit_rules: Vec<VisitRule>,
    /// SLA rules.
    pub sla_rules: Vec<SlaRule>,
    /// The working-day calendar.
    pub calendar: WorkCalendar,
}

/// One sync response (HTTP 200). Only what the device does not know yet is encoded:
/// empty lists and maps, `false` flags and absent options are left out, so the answer to
/// a no-op request is the version and the server's time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncResponse {
    /// The protocol version the server speaks.
    pub protocol: u32,
    /// The server's time, UTC ms: the device advances its HLC from it.
    pub server_time_ms: i64,
    /// Set when the device's clock runs more than 5 minutes ahead of the server's.
    #[serde(default, skip_serializing_if = "is_false")]
    pub clock_ahead: bool,
    /// Positions in the request's `push` of the documents whose every pushed change is
    /// now stored (including changes the server already had), in increasing order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ok: Vec<u32>,
    /// A result for every other pushed document: refused (quarantined), waiting for
    /// missing dependencies, or stored in part (`ok` with the hashes stored).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<DocResult>,
    /// Documents and changes since the device's cursors (never the device's own changes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docs: Vec<PulledDoc>,
    /// Documents that left the device's scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revokes: Vec<Revoke>,
    /// The grids in the device's scope now, when they differ from the grids of the
    /// request's cursors; the device drops any other grid it holds. Absent: the scope is
    /// exactly the grids of the cursors the device sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Vec<String>>,
    /// New reference data, when the device's version is behind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<ReferenceData>,
    /// The new cursor of each grid whose cursor moved (a grid left out keeps the one the
    /// device sent). Store each only after this page is durably applied.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cursors: BTreeMap<String, String>,
    /// True when there is more to pull: call again at once.
    #[serde(default, skip_serializing_if = "is_false")]
    pub more: bool,
}

impl SyncResponse {
    /// The code of each pushed document, in push order: `ok` for the positions in
    /// [`SyncResponse::ok`], the result's code for the others, `None` for a document the
    /// response does not answer.
    pub fn codes(&self, push: &[PushDoc]) -> Vec<Option<DocCode>> {
        push.iter()
            .enumerate()
            .map(|(i, p)| {
                if self.ok.binary_search(&(i as u32)).is_ok() {
                    Some(DocCode::Ok)
                } else {
                    self.results
                        .iter()
                        .find(|r| r.doc_id == p.doc_id)
                        .map(|r| r.code)
                }
            })
            .collect()
    }
}

/// The JSON body of every whole-request failure (HTTP 4xx/5xx).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable code: `malformed`, `unauthorized`, `device_revoked`, `too_large`,
    /// `upgrade_required`, ….
    pub code: String,
    /// A reason a person can act on, in Chinese.
    pub message_zh: String,
    /// The same reason in English.
    pub message_en: String,
}
