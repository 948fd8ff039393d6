//! One error type for every handler: [`AppError`] turns into an HTTP status and a JSON
//! [`ErrorBody`] with a stable code and a reason in Chinese and English. A 5xx hides the
//! internals from the client and logs them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gridwalk_core::protocol::ErrorBody;

use crate::storage::StorageError;

/// A whole-request failure.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the body cannot be read (bad MessagePack or JSON, broken gzip, wrong type).
    #[error("malformed request: {0}")]
    Malformed(String),
    /// 401: no token, or one the server does not know.
    #[error("unauthorized")]
    Unauthorized,
    /// 401: the token's lifetime ended.
    #[error("token expired")]
    TokenExpired,
    /// 401: the device was revoked; the app locks and wipes its data.
    #[error("device revoked")]
    DeviceRevoked,
    /// 401: wrong username or password.
    #[error("bad credentials")]
    BadCredentials,
    /// 403: the account is disabled.
    #[error("account disabled")]
    AccountDisabled,
    /// 413: the body or the number of documents is over the limit.
    #[error("too large: {0}")]
    TooLarge(String),
    /// 426: the app speaks a protocol this server no longer accepts.
    #[error("protocol {0} is too old")]
    UpgradeRequired(u32),
    /// 426: the app speaks a protocol newer than this server.
    #[error("protocol {0} is newer than the server")]
    ProtocolUnsupported(u32),
    /// 429: too many requests from one device.
    #[error("rate limited")]
    RateLimited,
    /// 429: too many failed logins for the user or the address.
    #[error("too many attempts")]
    TooManyAttempts,
    /// 429: the user already has this many console exports running.
    #[error("too many exports")]
    TooManyExports(usize),
    /// 400: an admin request names something that does not exist or is invalid.
    #[error("invalid: {0}")]
    Invalid(String),
    /// 403: the area asked for is outside the user's area.
    #[error("out of scope")]
    OutOfScope,
    /// 403: a console request without the session's `X-CSRF-Token`.
    #[error("csrf check failed")]
    CsrfFailed,
    /// 403: the role may not use the console.
    #[error("role may not use the console")]
    RoleNotAllowed,
    /// 403: the role (or user) may not take this action now; the reasons say why.
    #[error("action not allowed: {en}")]
    ActionNotAllowed {
        /// Why, in Chinese.
        zh: String,
        /// Why, in English.
        en: String,
    },
    /// 404: the named record does not exist or is outside the user's area.
    #[error("not found: {0}")]
    NotFound(String),
    /// 500: anything else. Logged; the client sees only a generic message.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::Internal(format!("worker task failed: {e}"))
    }
}

impl AppError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Malformed(_) | AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized
            | AppError::TokenExpired
            | AppError::DeviceRevoked
            | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::AccountDisabled => StatusCode::FORBIDDEN,
            AppError::OutOfScope => StatusCode::FORBIDDEN,
            AppError::CsrfFailed | AppError::RoleNotAllowed | AppError::ActionNotAllowed { .. } => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UpgradeRequired(_) | AppError::ProtocolUnsupported(_) => {
                StatusCode::UPGRADE_REQUIRED
            }
            AppError::RateLimited | AppError::TooManyAttempts | AppError::TooManyExports(_) => {
                StatusCode::TOO_MANY_REQUESTS
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code and the messages (zh-CN, en).
    pub fn body(&self) -> ErrorBody {
        let (code, zh, en): (&str, &str, String) = match self {
            AppError::Malformed(d) => (
                "malformed",
                "请求格式不正确，请升级应用后重试。",
                format!("The request cannot be read ({d}). Update the app and try again."),
            ),
            AppError::Unauthorized => (
                "unauthorized",
                "登录已失效，请重新登录。",
                "You are not signed in. Sign in again.".into(),
            ),
            AppError::TokenExpired => (
                "token_expired",
                "登录已过期，请重新登录。",
                "Your sign-in has expired. Sign in again.".into(),
            ),
            AppError::DeviceRevoked => (
                "device_revoked",
                "本设备已被停用，设备上的数据将被清除。如有疑问请联系管理员。",
                "This device has been revoked; its data will be wiped. Contact the administrator if this is unexpected.".into(),
            ),
            AppError::BadCredentials => (
                "bad_credentials",
                "用户名或密码不正确。",
                "Wrong username or password.".into(),
            ),
            AppError::AccountDisabled => (
                "account_disabled",
                "该账号已停用，请联系管理员。",
                "This account is disabled. Contact the administrator.".into(),
            ),
            AppError::TooLarge(d) => (
                "too_large",
                "一次同步的数据太多，请分批同步。",
                format!("Too much data in one sync ({d}). Sync again in smaller batches."),
            ),
            AppError::UpgradeRequired(v) => (
                "upgrade_required",
                "应用版本过旧，请先升级应用再同步。",
                format!("The app is too old (protocol {v}). Update the app, then sync."),
            ),
            AppError::ProtocolUnsupported(v) => (
                "protocol_unsupported",
                "服务器版本较旧，暂不支持此版本的应用，请联系管理员。",
                format!(
                    "The server does not speak protocol {v} yet. Contact the administrator."
                ),
            ),
            AppError::RateLimited => (
                "rate_limited",
                "同步太频繁，请稍后再试。",
                "Too many requests. Wait a moment and try again.".into(),
            ),
            AppError::TooManyAttempts => (
                "too_many_attempts",
                "登录失败次数过多，请15分钟后再试。",
                "Too many failed sign-ins. Try again in 15 minutes.".into(),
            ),
            AppError::TooManyExports(n) => (
                "too_many_exports",
                "您进行中的导出任务太多，请等已有导出完成后再试。",
                format!("You have too many exports running (at most {n}). Wait for one to finish, then try again."),
            ),
            AppError::Invalid(d) => (
                "invalid",
                "请求的内容不正确。",
                format!("The request is not valid: {d}."),
            ),
            AppError::OutOfScope => (
                "out_of_scope",
                "该区域不在您的管辖范围内。",
                "That area is outside your area.".into(),
            ),
            AppError::CsrfFailed => (
                "csrf_failed",
                "安全校验失败，请刷新页面后重试。",
                "The request failed its CSRF check. Reload the page and try again.".into(),
            ),
            AppError::RoleNotAllowed => (
                "role_not_allowed",
                "您的角色不能使用管理后台。",
                "Your role may not use the console.".into(),
            ),
            AppError::ActionNotAllowed { zh, en } => ("action_not_allowed", zh.as_str(), en.clone()),
            AppError::NotFound(d) => (
                "not_found",
                "找不到该记录，或不在您的管辖范围内。",
                format!("Not found, or outside your area: {d}."),
            ),
            AppError::Internal(_) => (
                "internal",
                "服务器出错了，请稍后再试。",
                "The server had a problem. Try again later.".into(),
            ),
        };
        ErrorBody {
            code: code.into(),
            message_zh: zh.into(),
            message_en: en,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(error = %self, "request refused");
        }
        (status, axum::Json(self.body())).into_response()
    }
}
