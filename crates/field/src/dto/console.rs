//! The supervisor views inside the app: requests the web view asks the app to send to the
//! console API with the device token, and what comes back.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One console API request. `path` is relative to `/api/v1/console` (`/reviews?status=…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsoleRequest {
    /// `GET` or `POST`.
    pub method: String,
    /// The path under `/api/v1/console`, query included.
    pub path: String,
    /// A JSON body (for `POST`).
    pub body: Option<String>,
}

/// The server's answer as it came: the UI reads the status and the JSON body (the
/// server's error body when the status is not 2xx).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsoleReply {
    /// HTTP status.
    pub status: u16,
    /// The body, as text.
    pub body: String,
}

/// A finished export to save on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SaveExportInput {
    /// The export job's id.
    pub export_id: String,
    /// The file name the server suggested (`走访台账-….xlsx`).
    pub file_name: String,
}

/// Where an export was saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedExport {
    /// The full path of the saved file.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u32,
}
