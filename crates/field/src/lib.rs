//! gridwalk-field: the field app's service layer.
//!
//! Every command the app shell (`src-tauri`) exposes is a method of [`FieldApp`] here, in
//! plain Rust over `gridwalk-store` and `gridwalk-sync`, so it is tested without a window.
//! The shell only converts arguments, calls, and maps errors. The data types the UI sees
//! live in [`dto`]; their TypeScript twins are generated into `ui/src/bindings/` and a test
//! fails when those are stale.

pub mod app;
pub mod bindings;
pub mod dto;
pub mod error;
mod settings;

pub use app::{FieldApp, FieldOptions};
pub use dto::AppError;
