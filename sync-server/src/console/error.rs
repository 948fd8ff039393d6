//! The console's error answer: the server's [`AppError`] codes, plus request-field errors
//! (400 with the field named), both as the contract's `ErrorBody`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::dto::ErrorView;
use crate::error::AppError;

/// A console request failure.
#[derive(Debug)]
pub enum ConsoleError {
    /// A server error with its stable code.
    App(AppError),
    /// 400: one request field is missing or wrong.
    Field {
        /// Stable code (`required`, `invalid_value`, `too_many`).
        code: &'static str,
        /// The field.
        field: &'static str,
        /// Why, in Chinese.
        zh: String,
        /// Why, in English.
        en: String,
    },
}

impl From<AppError> for ConsoleError {
    fn from(e: AppError) -> Self {
        ConsoleError::App(e)
    }
}

impl From<crate::storage::StorageError> for ConsoleError {
    fn from(e: crate::storage::StorageError) -> Self {
        ConsoleError::App(e.into())
    }
}

impl From<tokio::task::JoinError> for ConsoleError {
    fn from(e: tokio::task::JoinError) -> Self {
        ConsoleError::App(e.into())
    }
}

impl ConsoleError {
    /// A missing required field.
    pub fn required(field: &'static str, zh: &str) -> ConsoleError {
        ConsoleError::Field {
            code: "required",
            field,
            zh: format!("请填写{zh}。"),
            en: format!("The field {field} is required."),
        }
    }

    /// A field whose value is not one the action accepts.
    pub fn invalid(field: &'static str, en: impl Into<String>) -> ConsoleError {
        ConsoleError::Field {
            code: "invalid_value",
            field,
            zh: "填写的内容不正确，请检查后重试。".into(),
            en: en.into(),
        }
    }

    /// The answer body.
    pub fn view(&self) -> ErrorView {
        match self {
            ConsoleError::App(e) => view_of(e),
            ConsoleError::Field {
                code,
                field,
                zh,
                en,
                ..
            } => ErrorView {
                code: (*code).to_string(),
                message_zh: zh.clone(),
                message_en: en.clone(),
                field: Some((*field).to_string()),
            },
        }
    }
}

/// An [`AppError`] as the contract's error body.
pub fn view_of(e: &AppError) -> ErrorView {
    let b = e.body();
    ErrorView {
        code: b.code,
        message_zh: b.message_zh,
        message_en: b.message_en,
        field: None,
    }
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        match self {
            ConsoleError::App(e) => e.into_response(),
            f => (StatusCode::BAD_REQUEST, axum::Json(f.view())).into_response(),
        }
    }
}
