//! [`FieldApp`]: the field app's service object. One per profile directory.
//!
//! The profile directory holds three files:
//! - `device.db`: the device store (gridwalk-store), documents, rows and outbox;
//! - `session.json`: the signed-in session including the device token, mode 0600 on
//!   unix. The token is only ever in this file and in the sync engine, never in a DTO;
//! - `settings.json`: the locale, the last server address, the lock reason after a
//!   revoke, and the sync health the sync screen shows (last success, last bytes, last
//!   error, online). Sync health is a property of this install, not of the data, so it
//!   lives beside the store rather than in it, and survives a wipe of the store.
//!
//! Commands are split by screen: [`session`] (sign-in, sign-out, locale), [`lists`]
//! (今日 and the household list), [`card`] (household card, reveal, member edits),
//! [`members`] (adding a member), [`records`] (visits, contact logs, assignments),
//! [`incidents`], [`conflicts`], [`sync_status`], and [`console`] (the supervisor views'
//! way to the console API).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gridwalk_core::doc::WriteCtx;
use gridwalk_core::reference::Role;
use gridwalk_core::{Hlc, Timestamp};
use gridwalk_store::{Store, StoreOptions};
use gridwalk_sync::{Session, SyncEngine, SyncOptions};

use crate::dto::AppError;
use crate::error::{not_signed_in, profile_io};
use crate::settings::{Settings, load_session};

pub mod card;
pub mod conflicts;
pub mod console;
pub mod incidents;
pub mod lists;
pub mod members;
pub mod records;
pub mod review;
pub mod session;
pub mod sync_status;
mod util;

/// How a [`FieldApp`] is set up.
#[derive(Clone, Debug)]
pub struct FieldOptions {
    /// The name this device registers under at sign-in (`张三的手机`).
    pub device_name: String,
    /// Sync settings, including the clock every timestamp of the app comes from.
    pub sync: SyncOptions,
}

impl Default for FieldOptions {
    fn default() -> Self {
        FieldOptions {
            device_name: "网格行".into(),
            sync: SyncOptions::default(),
        }
    }
}

/// The field app's service: every command the shell exposes. See the module docs.
pub struct FieldApp {
    pub(crate) dir: PathBuf,
    pub(crate) store: Store,
    pub(crate) engine: SyncEngine,
    pub(crate) opts: FieldOptions,
    pub(crate) settings: Settings,
    pub(crate) session: Option<Session>,
    pub(crate) running: Arc<std::sync::atomic::AtomicBool>,
}

impl std::fmt::Debug for FieldApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldApp")
            .field("dir", &self.dir)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl FieldApp {
    /// Opens (creating if needed) the profile in `profile_dir`: the store at
    /// `profile_dir/device.db`, the session and settings beside it.
    pub fn open(profile_dir: &Path, opts: FieldOptions) -> Result<FieldApp, AppError> {
        std::fs::create_dir_all(profile_dir).map_err(|e| profile_io(&e))?;
        let store = Store::open_with(
            profile_dir.join("device.db"),
            StoreOptions {
                clock: opts.sync.clock.clone(),
                ..StoreOptions::default()
            },
        )?;
        let settings = Settings::load(profile_dir)?;
        let session = load_session(profile_dir)?;
        let engine = match &session {
            Some(s) => SyncEngine::with_session(s.clone(), opts.sync.clone()),
            None => SyncEngine::new(opts.sync.clone()),
        };
        Ok(FieldApp {
            dir: profile_dir.to_path_buf(),
            store,
            engine,
            opts,
            settings,
            session,
            running: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        })
    }

    /// Is someone signed in on this device?
    pub fn is_signed_in(&self) -> bool {
        self.session.is_some()
    }

    /// The store, for tests and the shell's diagnostics (read only).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Now, from the configured clock.
    pub(crate) fn now(&self) -> Timestamp {
        (self.opts.sync.clock)()
    }

    /// The signed-in session, or `not_signed_in`.
    pub(crate) fn session_ref(&self) -> Result<&Session, AppError> {
        self.session.as_ref().ok_or_else(not_signed_in)
    }

    /// The signed-in user's role.
    pub(crate) fn role(&self) -> Result<Role, AppError> {
        Ok(self.session_ref()?.role)
    }

    /// A write context for one user action, with a freshly ticked (persisted) HLC.
    pub(crate) fn ctx(&mut self) -> Result<WriteCtx, AppError> {
        let s = self.session_ref()?;
        let (user, role, device) = (s.user_id.clone(), s.role, s.device_id.clone());
        let now = self.now();
        let hlc: Hlc = self.store.tick_hlc(&device, now.0)?;
        Ok(WriteCtx {
            user,
            role,
            device,
            hlc,
            at: now,
        })
    }

    /// A fresh UUIDv7 from the configured clock.
    pub(crate) fn new_id(&self) -> String {
        let ms = self.now().0.max(0) as u64;
        let ts =
            uuid::Timestamp::from_unix(uuid::NoContext, ms / 1000, (ms % 1000) as u32 * 1_000_000);
        uuid::Uuid::new_v7(ts).to_string()
    }
}
