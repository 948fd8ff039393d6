//! The store's typed error, with stable codes and zh-CN / en messages.
//!
//! A domain refusal ([`StoreError::Core`]) keeps the core error's own code and message,
//! so the UI shows "姓名不能为空" whether the check ran in core or came through the store.

use gridwalk_core::{CoreError, Lang, Localized};
use thiserror::Error;

/// Everything a store operation can fail with.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A domain rule refused the action; nothing was written.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// SQLite failed (disk full, locked beyond the busy timeout, corrupt file, …).
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Automerge could not load or apply bytes.
    #[error("automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    /// No document with this id is stored.
    #[error("document {0} not found")]
    NotFound(String),
    /// `create` was called for an id that is already stored.
    #[error("document {0} already exists")]
    AlreadyExists(String),
    /// The document is stored under another kind than the caller said.
    #[error("document {id} is a {found}, not a {expected}")]
    KindMismatch {
        /// The document id.
        id: String,
        /// The kind the caller asked for.
        expected: &'static str,
        /// The kind stored.
        found: String,
    },
    /// The database was written by a newer app (more migrations than this build knows).
    #[error("database schema {found} is newer than this app's {supported}")]
    DatabaseTooNew {
        /// `user_version` found in the file.
        found: i64,
        /// The newest migration this build has.
        supported: i64,
    },
    /// Stored data is not what the store wrote (an unknown kind code, bad JSON, …).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

impl Localized for StoreError {
    fn code(&self) -> &'static str {
        match self {
            StoreError::Core(e) => e.code(),
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DiskFull =>
            {
                "store_disk_full"
            }
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    || e.code == rusqlite::ErrorCode::DatabaseLocked =>
            {
                "store_busy"
            }
            StoreError::Sqlite(_) => "store_sqlite",
            StoreError::Automerge(_) => "store_document_bytes",
            StoreError::NotFound(_) => "store_not_found",
            StoreError::AlreadyExists(_) => "store_already_exists",
            StoreError::KindMismatch { .. } => "store_kind_mismatch",
            StoreError::DatabaseTooNew { .. } => "store_database_too_new",
            StoreError::Corrupt(_) => "store_corrupt",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (StoreError::Core(e), lang) => e.message(lang),
            (StoreError::Sqlite(_), Lang::ZhCn) => match self.code() {
                "store_disk_full" => "手机存储空间已满，请清理空间后重试。".into(),
                "store_busy" => "数据正忙，请稍后重试。".into(),
                _ => "本地数据库出错，请重试；如果反复出现，请联系管理员。".into(),
            },
            (StoreError::Sqlite(e), Lang::En) => match self.code() {
                "store_disk_full" => {
                    "The device storage is full. Free some space and try again.".into()
                }
                "store_busy" => "The local data is busy. Try again in a moment.".into(),
                _ => format!(
                    "The local database failed ({e}). Try again; if it keeps happening, contact the administrator."
                ),
            },
            (StoreError::Automerge(_), Lang::ZhCn) => "收到的数据无法读取，请同步后重试。".into(),
            (StoreError::Automerge(e), Lang::En) => {
                format!("Received data cannot be read ({e}). Sync and try again.")
            }
            (StoreError::NotFound(_), Lang::ZhCn) => "本机上找不到这条记录，可能尚未同步。".into(),
            (StoreError::NotFound(id), Lang::En) => {
                format!("Record {id} is not on this device; it may not have synced yet.")
            }
            (StoreError::AlreadyExists(_), Lang::ZhCn) => "这条记录已经存在。".into(),
            (StoreError::AlreadyExists(id), Lang::En) => format!("Record {id} already exists."),
            (StoreError::KindMismatch { .. }, Lang::ZhCn) => {
                "记录类型不符，请同步后重试，或联系管理员。".into()
            }
            (
                StoreError::KindMismatch {
                    id,
                    expected,
                    found,
                },
                Lang::En,
            ) => format!(
                "Record {id} is a {found}, not a {expected}. Sync and try again, or contact the administrator."
            ),
            (StoreError::DatabaseTooNew { .. }, Lang::ZhCn) => {
                "本机数据来自更新版本的应用，请先升级应用。".into()
            }
            (StoreError::DatabaseTooNew { found, supported }, Lang::En) => format!(
                "The local data was written by a newer app (schema {found} > {supported}). Update the app first."
            ),
            (StoreError::Corrupt(_), Lang::ZhCn) => "本地数据已损坏，请联系管理员重新同步。".into(),
            (StoreError::Corrupt(d), Lang::En) => format!(
                "The local data is corrupt ({d}). Contact the administrator to sync it again."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_refusal_keeps_the_core_code_and_message() {
        let e = StoreError::from(CoreError::Required("name"));
        assert_eq!(e.code(), "required");
        assert_eq!(
            e.message(Lang::ZhCn),
            CoreError::Required("name").message(Lang::ZhCn)
        );
    }

    #[test]
    fn every_store_error_explains_itself_in_both_languages() {
        let all = [
            StoreError::NotFound("x".into()),
            StoreError::AlreadyExists("x".into()),
            StoreError::KindMismatch {
                id: "x".into(),
                expected: "household",
                found: "incident".into(),
            },
            StoreError::DatabaseTooNew {
                found: 9,
                supported: 1,
            },
            StoreError::Corrupt("x".into()),
            StoreError::Sqlite(rusqlite::Error::InvalidQuery),
        ];
        for e in all {
            assert!(
                e.code().starts_with("store_"),
                "{} must be namespaced",
                e.code()
            );
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
