//! The profile's small files: `settings.json` (locale, last server, lock, sync health)
//! and `session.json` (the signed-in session with its device token).
//!
//! Both are written whole to a temporary file and renamed over the old one, so a crash
//! leaves the old or the new file, never half of one. `session.json` is created with mode
//! 0600 on unix: the token is a long-lived credential.

use std::path::Path;

use gridwalk_core::reference::Role;
use gridwalk_sync::Session;
use serde::{Deserialize, Serialize};

use crate::dto::AppError;
use crate::error::profile_io;

const SETTINGS: &str = "settings.json";
const SESSION: &str = "session.json";

/// What `settings.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Settings {
    /// `zh-CN` or `en`.
    pub locale: String,
    /// The last server address used.
    pub server_url: Option<String>,
    /// Set after a revoke wiped the device.
    pub locked: Option<AppError>,
    /// Did the last sync attempt reach the server?
    pub online: bool,
    /// When the last sync succeeded (UTC ms).
    pub last_success_at: Option<i64>,
    /// The last attempt's error.
    pub last_error: Option<AppError>,
    /// Bytes sent by the last sync.
    pub last_bytes_up: i64,
    /// Bytes received by the last sync.
    pub last_bytes_down: i64,
    /// The user whose data the store holds (a different sign-in wipes it first).
    pub data_owner: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            locale: "zh-CN".into(),
            server_url: None,
            locked: None,
            online: false,
            last_success_at: None,
            last_error: None,
            last_bytes_up: 0,
            last_bytes_down: 0,
            data_owner: None,
        }
    }
}

impl Settings {
    /// Reads `settings.json`, or the defaults when there is none yet.
    pub fn load(dir: &Path) -> Result<Settings, AppError> {
        match std::fs::read(dir.join(SETTINGS)) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "settings.json unreadable: defaults");
                Settings::default()
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(profile_io(&e)),
        }
    }

    /// Writes `settings.json`.
    pub fn save(&self, dir: &Path) -> Result<(), AppError> {
        let bytes =
            serde_json::to_vec_pretty(self).map_err(|e| profile_io(&std::io::Error::other(e)))?;
        write_atomic(dir, SETTINGS, &bytes, false)
    }
}

/// The session as stored: [`Session`] keeps its token private, so it is stored field by
/// field and rebuilt with [`Session::restore`].
#[derive(Serialize, Deserialize)]
struct StoredSession {
    server_url: String,
    token: String,
    device_id: String,
    user_id: String,
    role: Role,
    name: String,
}

/// Reads `session.json`, if there is one.
pub(crate) fn load_session(dir: &Path) -> Result<Option<Session>, AppError> {
    let bytes = match std::fs::read(dir.join(SESSION)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(profile_io(&e)),
    };
    match serde_json::from_slice::<StoredSession>(&bytes) {
        Ok(s) => Ok(Some(Session::restore(
            s.server_url,
            s.token,
            s.device_id,
            s.user_id,
            s.role,
            s.name,
        ))),
        Err(e) => {
            // A damaged file is a signed-out device, not a broken app.
            tracing::warn!(error = %e, "session.json unreadable: signed out");
            Ok(None)
        }
    }
}

/// Writes `session.json` (mode 0600 on unix).
pub(crate) fn save_session(dir: &Path, s: &Session) -> Result<(), AppError> {
    let stored = StoredSession {
        server_url: s.server_url.clone(),
        token: s.token_for_secure_storage().to_string(),
        device_id: s.device_id.clone(),
        user_id: s.user_id.clone(),
        role: s.role,
        name: s.name.clone(),
    };
    let bytes = serde_json::to_vec(&stored).map_err(|e| profile_io(&std::io::Error::other(e)))?;
    write_atomic(dir, SESSION, &bytes, true)
}

/// Deletes `session.json`.
pub(crate) fn forget_session(dir: &Path) -> Result<(), AppError> {
    match std::fs::remove_file(dir.join(SESSION)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(profile_io(&e)),
    }
}

/// Writes `name` in `dir` through a temporary file and a rename.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8], private: bool) -> Result<(), AppError> {
    use std::io::Write;
    let tmp = dir.join(format!(".{name}.tmp"));
    // Mode applies at creation only: never reuse a leftover temporary file.
    let _ = std::fs::remove_file(&tmp);
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        open.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut f = open.open(&tmp).map_err(|e| profile_io(&e))?;
    f.write_all(bytes).map_err(|e| profile_io(&e))?;
    f.sync_all().map_err(|e| profile_io(&e))?;
    drop(f);
    std::fs::rename(&tmp, dir.join(name)).map_err(|e| profile_io(&e))
}
