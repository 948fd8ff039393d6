//! The engine's typed error: a stable code the UI branches on, and a message in zh-CN
//! and en ([`Localized`]).
//!
//! Whole-request failures come from the HTTP status and the server's [`ErrorBody`]
//! ([`SyncError::from_status`]). Which of them are worth retrying is decided in
//! [`crate::retry`]; by the time a [`SyncError`] reaches the caller, retries are spent.

use gridwalk_core::protocol::ErrorBody;
use gridwalk_core::{Lang, Localized};
use gridwalk_store::StoreError;

/// Which call failed: the same status means different things at login and at sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `POST /api/v1/login`.
    Login,
    /// `POST /api/v1/sync`.
    Sync,
}

/// Everything signing in or syncing can fail with.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No connection to the server (DNS, refused, reset, timed out), after retries.
    #[error("server unreachable: {0}")]
    Unreachable(String),
    /// Wrong username or password.
    #[error("wrong username or password")]
    WrongPassword,
    /// Too many failed sign-ins: the server locked the account or address for a while.
    #[error("too many failed sign-ins")]
    TooManyTries,
    /// The account is disabled.
    #[error("account disabled")]
    AccountDisabled,
    /// The device's sign-in is unknown or expired: sign in again (nothing is wiped).
    #[error("signed out: {0}")]
    SignedOut(String),
    /// The device was revoked. The engine has wiped the store and rotated its actor.
    #[error("device revoked")]
    DeviceRevoked,
    /// The app speaks a protocol the server no longer accepts (HTTP 426).
    #[error("app too old: {0}")]
    AppTooOld(String),
    /// The server refused the request as too large even for a single action (HTTP 413).
    #[error("request too large")]
    TooLarge,
    /// The server kept answering "too many requests" (HTTP 429), after retries.
    #[error("server busy")]
    ServerBusy,
    /// The server failed (HTTP 5xx), after retries.
    #[error("server error: HTTP {0}")]
    ServerError(u16),
    /// The server refused the request as malformed (HTTP 400) or answered with
    /// something that is not protocol v1.
    #[error("protocol error: {code}: {detail}")]
    Protocol {
        /// The server's code (`malformed`, …) or `bad_response` for an unreadable answer.
        code: String,
        /// What was wrong, in English, for the log.
        detail: String,
    },
    /// The app is not signed in.
    #[error("not signed in")]
    NotSignedIn,
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// The error for a non-success HTTP status with the server's body (if it had one).
    pub fn from_status(call: Call, status: u16, body: Option<&ErrorBody>) -> SyncError {
        let code = body.map(|b| b.code.as_str()).unwrap_or("");
        match (status, call) {
            (401, _) if code == "device_revoked" => SyncError::DeviceRevoked,
            (401, Call::Login) => SyncError::WrongPassword,
            (401, Call::Sync) => SyncError::SignedOut(code.to_string()),
            (403, _) => SyncError::AccountDisabled,
            (413, _) => SyncError::TooLarge,
            (426, _) => SyncError::AppTooOld(code.to_string()),
            (429, Call::Login) => SyncError::TooManyTries,
            (429, Call::Sync) => SyncError::ServerBusy,
            (s, _) if s >= 500 => SyncError::ServerError(s),
            (s, _) => SyncError::Protocol {
                code: if code.is_empty() {
                    format!("http_{s}")
                } else {
                    code.to_string()
                },
                detail: body
                    .map(|b| b.message_en.clone())
                    .unwrap_or_else(|| format!("HTTP {s}")),
            },
        }
    }
}

impl Localized for SyncError {
    fn code(&self) -> &'static str {
        match self {
            SyncError::Unreachable(_) => "server_unreachable",
            SyncError::WrongPassword => "wrong_password",
            SyncError::TooManyTries => "too_many_tries",
            SyncError::AccountDisabled => "account_disabled",
            SyncError::SignedOut(_) => "signed_out",
            SyncError::DeviceRevoked => "device_revoked",
            SyncError::AppTooOld(_) => "app_too_old",
            SyncError::TooLarge => "sync_too_large",
            SyncError::ServerBusy => "server_busy",
            SyncError::ServerError(_) => "server_error",
            SyncError::Protocol { .. } => "sync_protocol",
            SyncError::NotSignedIn => "not_signed_in",
            SyncError::Store(e) => e.code(),
        }
    }

    fn message(&self, lang: Lang) -> String {
        if let SyncError::Store(e) = self {
            return e.message(lang);
        }
        let (zh, en) = match self {
            SyncError::Unreachable(_) => (
                "连接不上服务器。数据已安全保存在本机，有网络时会自动同步。",
                "Cannot reach the server. Your data is safe on this device and will sync when there is a connection.",
            ),
            SyncError::WrongPassword => ("用户名或密码不正确。", "Wrong username or password."),
            SyncError::TooManyTries => (
                "登录失败次数过多，请稍后再试。",
                "Too many failed sign-ins. Try again later.",
            ),
            SyncError::AccountDisabled => (
                "该账号已停用，请联系管理员。",
                "This account is disabled. Contact the administrator.",
            ),
            SyncError::SignedOut(_) => (
                "登录已失效，请重新登录。本机未同步的数据会保留。",
                "Your sign-in has expired. Sign in again; unsynced data on this device is kept.",
            ),
            SyncError::DeviceRevoked => (
                "本设备已被停用，本机数据已清除。如有疑问请联系管理员。",
                "This device has been revoked and its data wiped. Contact the administrator if this is unexpected.",
            ),
            SyncError::AppTooOld(_) => (
                "应用版本过旧，请先升级应用再同步。本机数据会保留。",
                "The app is too old. Update it, then sync; your data on this device is kept.",
            ),
            SyncError::TooLarge => (
                "有一条记录太大，无法同步，请联系管理员。",
                "One record is too large to sync. Contact the administrator.",
            ),
            SyncError::ServerBusy => (
                "服务器繁忙，请稍后再同步。",
                "The server is busy. Sync again in a while.",
            ),
            SyncError::ServerError(_) => (
                "服务器出错了，请稍后再同步。本机数据已安全保存。",
                "The server had a problem. Sync again later; your data is safe on this device.",
            ),
            SyncError::Protocol { .. } => (
                "同步数据无法识别，请升级应用后重试。",
                "The sync data could not be read. Update the app and try again.",
            ),
            SyncError::NotSignedIn => ("请先登录。", "Sign in first."),
            SyncError::Store(_) => unreachable!("handled above"),
        };
        match lang {
            Lang::ZhCn => zh.into(),
            Lang::En => en.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: &str) -> ErrorBody {
        ErrorBody {
            code: code.into(),
            message_zh: "原因".into(),
            message_en: "reason".into(),
        }
    }

    #[test]
    fn a_revoked_device_is_told_apart_from_an_expired_sign_in() {
        let revoked = SyncError::from_status(Call::Sync, 401, Some(&body("device_revoked")));
        assert_eq!(
            revoked.code(),
            "device_revoked",
            "revocation wipes the device"
        );
        let expired = SyncError::from_status(Call::Sync, 401, Some(&body("token_expired")));
        assert_eq!(
            expired.code(),
            "signed_out",
            "an expired token must not wipe"
        );
    }

    #[test]
    fn the_same_status_means_different_things_at_login_and_at_sync() {
        assert_eq!(
            SyncError::from_status(Call::Login, 401, Some(&body("bad_credentials"))).code(),
            "wrong_password"
        );
        assert_eq!(
            SyncError::from_status(Call::Login, 429, Some(&body("too_many_attempts"))).code(),
            "too_many_tries"
        );
        assert_eq!(
            SyncError::from_status(Call::Sync, 429, Some(&body("rate_limited"))).code(),
            "server_busy"
        );
    }

    #[test]
    fn whole_request_failures_map_to_stable_codes() {
        let cases = [
            (413, "sync_too_large"),
            (426, "app_too_old"),
            (400, "sync_protocol"),
            (500, "server_error"),
            (503, "server_error"),
            (403, "account_disabled"),
        ];
        for (status, code) in cases {
            assert_eq!(
                SyncError::from_status(Call::Sync, status, None).code(),
                code,
                "HTTP {status}"
            );
        }
    }

    #[test]
    fn every_error_explains_itself_in_both_languages() {
        let all = [
            SyncError::Unreachable("x".into()),
            SyncError::WrongPassword,
            SyncError::TooManyTries,
            SyncError::AccountDisabled,
            SyncError::SignedOut("x".into()),
            SyncError::DeviceRevoked,
            SyncError::AppTooOld("x".into()),
            SyncError::TooLarge,
            SyncError::ServerBusy,
            SyncError::ServerError(500),
            SyncError::Protocol {
                code: "x".into(),
                detail: "x".into(),
            },
            SyncError::NotSignedIn,
        ];
        for e in all {
            let zh = e.message(Lang::ZhCn);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: the zh message must be Chinese: {zh}",
                e.code()
            );
            assert!(
                e.message(Lang::En).is_ascii(),
                "{}: plain English",
                e.code()
            );
        }
    }
}
