//! Sign-in, sign-out, the locale, and the state the app shows before anything else.
//!
//! - `login` registers this device with the server and keeps the session in
//!   `session.json` (0600). Signing in as a different person than the one whose data the
//!   store holds wipes the store first, unless that data still has unsent actions
//!   (`unsynced_work`): one person's households never show under another's sign-in.
//! - `sign_out` refuses while actions are unsent unless the person confirms the loss;
//!   then it wipes the store (a fresh Automerge actor) and forgets the session.

use gridwalk_core::doc::household::{Campaign, NeedOutcome};
use gridwalk_core::doc::household::{ContactMode, ObservationKind, Relation, VisitKind};
use gridwalk_core::identity::IdKind;
use gridwalk_core::incident::{RatingChannel, RatingLevel};
use gridwalk_core::reference::{CareTag, Urgency};

use super::FieldApp;
use super::util::code;
use crate::dto::*;
use crate::error::codes;
use crate::settings::{Settings, forget_session, save_session};

/// The locales the UI ships.
pub const LOCALES: [&str; 2] = ["zh-CN", "en"];

pub(crate) fn unsynced_work(pending: i64) -> AppError {
    AppError::new(
        codes::UNSYNCED_WORK,
        format!("本机还有 {pending} 条记录未同步，退出会丢失这些记录。请先同步，或确认放弃。"),
        format!(
            "{pending} action(s) on this device have not been sent and would be lost. Sync first, or confirm the loss."
        ),
    )
}

impl FieldApp {
    /// What the app shows first: who is signed in, the locale, the lock after a revoke.
    pub fn app_state(&self) -> Result<AppState, AppError> {
        Ok(AppState {
            session: match &self.session {
                Some(_) => Some(self.session_view()?),
                None => None,
            },
            server_url: self.settings.server_url.clone(),
            locale: self.settings.locale.clone(),
            locked: self.settings.locked.clone(),
            first_sync_done: self.store.first_sync_done()?,
        })
    }

    /// The signed-in session as the UI sees it (no token).
    pub(crate) fn session_view(&self) -> Result<SessionView, AppError> {
        let s = self.session_ref()?;
        let names = self.area_names()?;
        let areas = self
            .store
            .held_grids()?
            .into_iter()
            .map(|g| Choice {
                label: names.get(&g).cloned().unwrap_or_else(|| g.clone()),
                value: g,
            })
            .collect();
        Ok(SessionView {
            server_url: s.server_url.clone(),
            device_id: s.device_id.clone(),
            user_id: s.user_id.clone(),
            name: s.name.clone(),
            role: s.role.code().to_string(),
            areas,
        })
    }

    /// The code lists the forms offer, the category tree and the micro-grids in scope.
    pub fn form_options(&mut self) -> Result<FormOptions, AppError> {
        let categories = self
            .categories()?
            .into_iter()
            .map(|c| CategoryOption {
                code: c.code,
                parent: c.parent,
                name: c.name,
                platform: c.platform.map(|p| p.code().to_string()),
            })
            .collect();
        let grids = self.store.held_grids()?;
        let micro_grids = self
            .store
            .ref_areas()?
            .into_iter()
            .filter(|a| {
                a.level == "micro_grid" && a.parent_id.as_ref().is_some_and(|p| grids.contains(p))
            })
            .map(|a| Choice {
                value: a.id,
                label: a.name,
            })
            .collect();
        Ok(FormOptions {
            modes: [
                ContactMode::InPerson,
                ContactMode::Phone,
                ContactMode::Video,
            ]
            .iter()
            .map(code)
            .collect(),
            visit_kinds: [
                VisitKind::Routine,
                VisitKind::KeyGroupCare,
                VisitKind::IncidentReturn,
                VisitKind::Campaign,
            ]
            .iter()
            .map(code)
            .collect(),
            campaigns: [
                Campaign::Fire,
                Campaign::Gas,
                Campaign::DangerousHouse,
                Campaign::GarbageSorting,
                Campaign::Flood,
            ]
            .iter()
            .map(code)
            .collect(),
            observation_kinds: [
                ObservationKind::MovedIn,
                ObservationKind::MovedOut,
                ObservationKind::Birth,
                ObservationKind::Death,
                ObservationKind::NewTenant,
            ]
            .iter()
            .map(code)
            .collect(),
            need_outcomes: [
                NeedOutcome::Noted,
                NeedOutcome::Incident,
                NeedOutcome::Proxy,
            ]
            .iter()
            .map(code)
            .collect(),
            urgencies: Urgency::ALL.iter().map(|u| u.code().to_string()).collect(),
            tags: CareTag::ALL.iter().map(|t| t.code().to_string()).collect(),
            id_kinds: IdKind::ALL.iter().map(|k| k.code().to_string()).collect(),
            relations: [
                Relation::Head,
                Relation::Spouse,
                Relation::Child,
                Relation::Parent,
                Relation::Grandchild,
                Relation::Grandparent,
                Relation::Sibling,
                Relation::ChildInLaw,
                Relation::Tenant,
                Relation::Other,
            ]
            .iter()
            .map(code)
            .collect(),
            rating_levels: [
                RatingLevel::Satisfied,
                RatingLevel::BasicallySatisfied,
                RatingLevel::Unsatisfied,
            ]
            .iter()
            .map(|l| l.code().to_string())
            .collect(),
            rating_channels: [
                RatingChannel::Resident,
                RatingChannel::Worker,
                RatingChannel::Callback,
            ]
            .iter()
            .map(|c| c.code().to_string())
            .collect(),
            categories,
            micro_grids,
        })
    }

    /// Signs in at `server_url` and registers this device. Errors keep the engine's
    /// stable codes: `wrong_password`, `too_many_tries`, `account_disabled`,
    /// `device_revoked`, `unreachable`, `app_too_old`.
    pub async fn login(
        &mut self,
        server_url: &str,
        username: &str,
        password: &str,
    ) -> Result<SessionView, AppError> {
        let server_url = server_url.trim().trim_end_matches('/');
        let device_name = self.opts.device_name.clone();
        self.engine
            .login(server_url, username.trim(), password, &device_name)
            .await?;
        let Some(session) = self.engine.session().cloned() else {
            return Err(crate::error::not_signed_in());
        };
        let owner = self.settings.data_owner.clone();
        if owner.as_deref().is_some_and(|o| o != session.user_id) {
            let pending = self.store.pending_count()?;
            if pending > 0 {
                self.engine.logout();
                return Err(unsynced_work(pending));
            }
            self.store.wipe()?;
            self.reset_sync_health();
        }
        save_session(&self.dir, &session)?;
        self.settings.server_url = Some(server_url.to_string());
        self.settings.locked = None;
        self.settings.data_owner = Some(session.user_id.clone());
        self.settings.save(&self.dir)?;
        self.session = Some(session);
        self.session_view()
    }

    /// Sets the UI language (`zh-CN` or `en`), kept in the profile.
    pub fn set_locale(&mut self, locale: &str) -> Result<(), AppError> {
        if !LOCALES.contains(&locale) {
            return Err(AppError::new(
                codes::INVALID_LOCALE,
                "不支持该语言。",
                format!("The language {locale} is not available."),
            )
            .on_field("locale"));
        }
        self.settings.locale = locale.to_string();
        self.settings.save(&self.dir)
    }

    /// What signing out would lose: the actions not yet sent.
    pub fn wipe_preview(&self) -> Result<WipePreview, AppError> {
        let debt = self.store.sync_debt(self.now())?;
        Ok(WipePreview {
            pending_actions: debt.pending_actions,
            oldest_pending_age_ms: debt.oldest_pending_age_ms,
        })
    }

    /// Signs out: refuses with `unsynced_work` while actions are unsent, unless
    /// `confirm_loss`; then wipes the store (the next writer is a fresh Automerge actor)
    /// and forgets the session.
    pub fn sign_out(&mut self, confirm_loss: bool) -> Result<(), AppError> {
        let pending = self.store.pending_count()?;
        if pending > 0 && !confirm_loss {
            return Err(unsynced_work(pending));
        }
        self.store.wipe()?;
        self.forget_signed_in()?;
        self.reset_sync_health();
        self.settings.data_owner = None;
        self.settings.save(&self.dir)
    }

    /// Drops the session from the engine, the app and the profile.
    pub(crate) fn forget_signed_in(&mut self) -> Result<(), AppError> {
        self.engine.logout();
        self.session = None;
        forget_session(&self.dir)
    }

    /// Forgets the sync health of data that is gone.
    pub(crate) fn reset_sync_health(&mut self) {
        let keep = Settings {
            locale: self.settings.locale.clone(),
            server_url: self.settings.server_url.clone(),
            locked: self.settings.locked.clone(),
            data_owner: self.settings.data_owner.clone(),
            ..Settings::default()
        };
        self.settings = keep;
    }
}
