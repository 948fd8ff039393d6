//! Typed domain errors, each with a stable machine code and a message in zh-CN and en.
//!
//! The code is what a UI or a client branches on; it never changes once shipped. The
//! messages tell a person what to do about it.

use thiserror::Error;

/// A language for user-facing messages. zh-CN comes first: it is the field language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// Anything that can explain itself to a person in either language, with a stable code.
pub trait Localized {
    /// A stable, snake_case code that never changes meaning.
    fn code(&self) -> &'static str;
    /// A message a person can act on, in the given language.
    fn message(&self, lang: Lang) -> String;
}

/// Errors raised by domain rules and document operations.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CoreError {
    /// An identity document number failed validation for its declared type.
    #[error("invalid identity document ({kind}): {reason}")]
    InvalidIdentity {
        /// The declared document type code.
        kind: &'static str,
        /// Why it failed, in English.
        reason: &'static str,
    },
    /// A phone number is neither a mobile number nor a landline with an area code.
    #[error("invalid phone number")]
    InvalidPhone,
    /// A required text field is empty.
    #[error("required field {0} is empty")]
    Required(&'static str),
    /// A text field is longer than allowed.
    #[error("field {field} is longer than {max} characters")]
    TooLong {
        /// The field name.
        field: &'static str,
        /// The maximum length in characters.
        max: usize,
    },
    /// A referenced record does not exist in the document.
    #[error("{kind} {id} not found")]
    NotFound {
        /// The record kind, such as `member` or `visit`.
        kind: &'static str,
        /// The record id.
        id: String,
    },
    /// The document could not be read into the domain types.
    #[error("document does not hydrate: {0}")]
    DoesNotHydrate(String),
    /// The document was written by a newer schema than this build understands.
    #[error("document schema {found} is newer than supported {supported}")]
    SchemaTooNew {
        /// The schema number found in the document.
        found: u64,
        /// The newest schema this build reads.
        supported: u64,
    },
    /// An incident action is not allowed for this role or in this state.
    #[error("action {action} not allowed: {reason}")]
    ActionNotAllowed {
        /// The action code.
        action: &'static str,
        /// Why, in English.
        reason: &'static str,
    },
    /// A conflict resolution named a value that is not one of the conflicting values.
    #[error("conflict at {0} has no such value")]
    NoSuchConflictValue(String),
    /// A calendar or rule table is inconsistent.
    #[error("invalid reference data: {0}")]
    InvalidReference(String),
}

impl Localized for CoreError {
    fn code(&self) -> &'static str {
        match self {
            CoreError::InvalidIdentity { .. } => "invalid_identity",
            CoreError::InvalidPhone => "invalid_phone",
            CoreError::Required(_) => "required",
            CoreError::TooLong { .. } => "too_long",
            CoreError::NotFound { .. } => "not_found",
            CoreError::DoesNotHydrate(_) => "does_not_hydrate",
            CoreError::SchemaTooNew { .. } => "schema_too_new",
            CoreError::ActionNotAllowed { .. } => "action_not_allowed",
            CoreError::NoSuchConflictValue(_) => "no_such_conflict_value",
            CoreError::InvalidReference(_) => "invalid_reference",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CoreError::InvalidIdentity { kind, .. }, Lang::ZhCn) => {
                format!("证件号码不正确（{}），请核对后重新输入；没有证件可以留空。", id_kind_zh(kind))
            }
            (CoreError::InvalidIdentity { kind, reason }, Lang::En) => format!(
                "The identity number is not valid for {kind} ({reason}). Check it, or leave it empty if the person has none."
            ),
            (CoreError::InvalidPhone, Lang::ZhCn) => {
                "电话号码不正确：请输入11位手机号，或带区号的固定电话（如 0578-2123456）。".into()
            }
            (CoreError::InvalidPhone, Lang::En) => {
                "The phone number is not valid: enter an 11-digit mobile number or a landline with its area code (e.g. 0578-2123456).".into()
            }
            (CoreError::Required(f), Lang::ZhCn) => format!("“{}”不能为空。", field_zh(f)),
            (CoreError::Required(f), Lang::En) => format!("{f} is required."),
            (CoreError::TooLong { field, max }, Lang::ZhCn) => {
                format!("“{}”太长了，最多 {max} 个字。", field_zh(field))
            }
            (CoreError::TooLong { field, max }, Lang::En) => {
                format!("{field} is too long: at most {max} characters.")
            }
            (CoreError::NotFound { kind, id }, Lang::ZhCn) => {
                format!("找不到该{}（{id}），可能已被删除或尚未同步。", field_zh(kind))
            }
            (CoreError::NotFound { kind, id }, Lang::En) => {
                format!("No {kind} {id}: it may have been deleted or not synced yet.")
            }
            (CoreError::DoesNotHydrate(_), Lang::ZhCn) => {
                "记录数据已损坏，无法读取。请同步后重试，或联系管理员。".into()
            }
            (CoreError::DoesNotHydrate(d), Lang::En) => {
                format!("The record cannot be read ({d}). Sync and try again, or contact the administrator.")
            }
            (CoreError::SchemaTooNew { .. }, Lang::ZhCn) => {
                "这条记录来自更新版本的应用，请先升级应用。".into()
            }
            (CoreError::SchemaTooNew { found, supported }, Lang::En) => format!(
                "This record was written by a newer app (schema {found} > {supported}). Update the app first."
            ),
            (CoreError::ActionNotAllowed { action, .. }, Lang::ZhCn) => {
                format!("当前不能执行“{}”：您的角色或事件当前状态不允许。", action_zh(action))
            }
            (CoreError::ActionNotAllowed { action, reason }, Lang::En) => {
                format!("You cannot {action} now: {reason}.")
            }
            (CoreError::NoSuchConflictValue(p), Lang::ZhCn) => {
                format!("所选的值已不在冲突列表中（{p}），请刷新后重新选择。")
            }
            (CoreError::NoSuchConflictValue(p), Lang::En) => {
                format!("The chosen value is no longer among the conflicting values at {p}. Refresh and choose again.")
            }
            (CoreError::InvalidReference(_), Lang::ZhCn) => {
                "基础数据（日历或规则）不一致，请联系管理员。".into()
            }
            (CoreError::InvalidReference(d), Lang::En) => {
                format!("Reference data (calendar or rules) is inconsistent: {d}. Contact the administrator.")
            }
        }
    }
}

fn id_kind_zh(kind: &str) -> &'static str {
    match kind {
        "resident_id" => "居民身份证",
        "legacy_id" => "15位旧身份证",
        "hmt_permit" => "港澳台居民通行证",
        "passport" => "外国护照",
        "permanent_residence" => "外国人永久居留身份证",
        _ => "证件",
    }
}

fn field_zh(field: &str) -> &'static str {
    match field {
        "name" => "姓名",
        "member" => "成员",
        "visit" => "走访记录",
        "household" => "户",
        "incident" => "事件",
        "address" => "地址",
        "description" => "事件描述",
        "reason" => "原因",
        "note" => "备注",
        "contact" => "联系记录",
        _ => "该项",
    }
}

fn action_zh(action: &str) -> &'static str {
    crate::incident::action_label_zh(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_stable_code_and_messages_in_both_languages() {
        let all = [
            CoreError::InvalidIdentity {
                kind: "resident_id",
                reason: "checksum",
            },
            CoreError::InvalidPhone,
            CoreError::Required("name"),
            CoreError::TooLong {
                field: "note",
                max: 10,
            },
            CoreError::NotFound {
                kind: "visit",
                id: "x".into(),
            },
            CoreError::DoesNotHydrate("x".into()),
            CoreError::SchemaTooNew {
                found: 9,
                supported: 1,
            },
            CoreError::ActionNotAllowed {
                action: "close",
                reason: "r",
            },
            CoreError::NoSuchConflictValue("p".into()),
            CoreError::InvalidReference("r".into()),
        ];
        let mut codes = std::collections::HashSet::new();
        for e in all {
            assert!(codes.insert(e.code()), "code {} is used twice", e.code());
            let zh = e.message(Lang::ZhCn);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "zh message must be Chinese: {zh}"
            );
            assert!(
                e.message(Lang::En).is_ascii(),
                "en message must be plain English"
            );
        }
    }
}
