//! [`AppError`] from every underlying error, and the field app's own refusals.
//!
//! Core, store and sync errors keep their stable codes and their zh-CN/en messages
//! (all implement [`Localized`]). A validation error about a form field also names the
//! field (`CoreError::Required("name")` → `field: "name"`, an invalid phone → `phone`,
//! an over-long note → `note`), so the UI can put the message under the right input.
//!
//! Codes introduced here (not from core, store or sync): see [`codes`].

use gridwalk_core::{CoreError, Lang, Localized};
use gridwalk_store::StoreError;
use gridwalk_sync::SyncError;

use crate::dto::AppError;

/// The stable codes this crate introduces.
pub mod codes {
    /// The action needs a signed-in session.
    pub const NOT_SIGNED_IN: &str = "not_signed_in";
    /// The device was revoked and wiped: sign in again.
    pub const DEVICE_REVOKED: &str = "device_revoked";
    /// The server could not be reached.
    pub const UNREACHABLE: &str = "unreachable";
    /// Signing out would lose actions not yet sent.
    pub const UNSYNCED_WORK: &str = "unsynced_work";
    /// This role may not reveal full identity numbers or phones.
    pub const REVEAL_NOT_ALLOWED: &str = "reveal_not_allowed";
    /// No such household on this device.
    pub const HOUSEHOLD_NOT_FOUND: &str = "household_not_found";
    /// No such member in the household.
    pub const MEMBER_NOT_FOUND: &str = "member_not_found";
    /// No such incident on this device.
    pub const INCIDENT_NOT_FOUND: &str = "incident_not_found";
    /// No such contact assignment for this user.
    pub const ASSIGNMENT_NOT_FOUND: &str = "assignment_not_found";
    /// A person met on a visit is not a member of the household.
    pub const NOT_A_MEMBER: &str = "not_a_member";
    /// A code (mode, kind, urgency, …) is not one the app knows.
    pub const INVALID_CHOICE: &str = "invalid_choice";
    /// A date is not `YYYY-MM-DD`.
    pub const INVALID_DATE: &str = "invalid_date";
    /// The incident category is not a leaf of the category tree.
    pub const INVALID_CATEGORY: &str = "invalid_category";
    /// The incident action is not allowed for this user now.
    pub const ACTION_NOT_ALLOWED: &str = "action_not_allowed";
    /// This role may not make this kind of record.
    pub const ROLE_NOT_ALLOWED: &str = "role_not_allowed";
    /// The locale is not `zh-CN` or `en`.
    pub const INVALID_LOCALE: &str = "invalid_locale";
    /// The profile files could not be read or written.
    pub const PROFILE_IO: &str = "profile_io";
    /// No open conflict at that path.
    pub const CONFLICT_NOT_FOUND: &str = "conflict_not_found";
    /// A birth year before 1900 or after this year.
    pub const INVALID_BIRTH_YEAR: &str = "invalid_birth_year";
    /// No such visit or contact log on this device.
    pub const RECORD_NOT_FOUND: &str = "record_not_found";
    /// Only the record's author or a grid worker of its grid may fix it.
    pub const NOT_RECORD_AUTHOR: &str = "not_record_author";
    /// A supervisor view asked for something the app does not send to the console API.
    pub const INVALID_CONSOLE_REQUEST: &str = "invalid_console_request";
}

impl AppError {
    /// An error with a code and its two sentences.
    pub fn new(code: &str, zh: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError {
            code: code.to_string(),
            message_zh: zh.into(),
            message_en: en.into(),
            field: None,
        }
    }

    /// The same error, about a form field.
    pub fn on_field(mut self, field: &str) -> AppError {
        self.field = Some(field.to_string());
        self
    }

    /// From anything localized (core, store, sync errors), without a field.
    pub fn localized(e: &impl Localized) -> AppError {
        AppError::new(e.code(), e.message(Lang::ZhCn), e.message(Lang::En))
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message_en)
    }
}

impl std::error::Error for AppError {}

/// The form field a core refusal is about, when it is about one.
fn core_field(e: &CoreError) -> Option<&'static str> {
    match e {
        CoreError::Required(f) => Some(f),
        CoreError::TooLong { field, .. } => Some(field),
        CoreError::InvalidPhone => Some("phone"),
        CoreError::InvalidIdentity { .. } => Some("id_number"),
        _ => None,
    }
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        let mut out = AppError::localized(&e);
        out.field = core_field(&e).map(str::to_string);
        out
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Core(c) => c.into(),
            other => {
                if !matches!(other, StoreError::NotFound(_)) {
                    tracing::warn!(error = %other, "store error");
                }
                AppError::localized(&other)
            }
        }
    }
}

impl From<SyncError> for AppError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Store(s) => s.into(),
            // The UI branches on `unreachable`; the message stays the engine's.
            SyncError::Unreachable(_) => {
                let mut out = AppError::localized(&e);
                out.code = codes::UNREACHABLE.into();
                out
            }
            other => AppError::localized(&other),
        }
    }
}

/// Profile file errors (session, settings).
pub(crate) fn profile_io(e: &std::io::Error) -> AppError {
    tracing::warn!(error = %e, "profile file");
    AppError::new(
        codes::PROFILE_IO,
        "无法读写本机的应用设置，请检查存储空间后重试。",
        format!(
            "The app settings on this device cannot be read or written ({e}). Check the storage and try again."
        ),
    )
}

/// A code the form offered is not one the app knows.
pub(crate) fn invalid_choice(field: &str, value: &str) -> AppError {
    AppError::new(
        codes::INVALID_CHOICE,
        format!("“{value}”不是有效的选项，请重新选择。"),
        format!("{value} is not a valid choice for {field}. Choose again."),
    )
    .on_field(field)
}

/// The action needs a session.
pub(crate) fn not_signed_in() -> AppError {
    AppError::new(codes::NOT_SIGNED_IN, "请先登录。", "Sign in first.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validation_error_names_the_form_field_it_is_about() {
        assert_eq!(
            AppError::from(CoreError::Required("name")).field.as_deref(),
            Some("name")
        );
        assert_eq!(
            AppError::from(CoreError::InvalidPhone).field.as_deref(),
            Some("phone")
        );
        let long = CoreError::TooLong {
            field: "note",
            max: 4000,
        };
        let e = AppError::from(StoreError::Core(long));
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("too_long", Some("note")),
            "a core refusal through the store keeps its code and field"
        );
    }

    #[test]
    fn an_unreachable_server_has_the_code_the_ui_branches_on() {
        let e = AppError::from(SyncError::Unreachable("refused".into()));
        assert_eq!(e.code, "unreachable");
        assert!(!e.message_zh.is_empty() && !e.message_en.is_empty());
    }
}
