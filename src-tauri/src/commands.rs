//! The Tauri commands: one per [`FieldApp`](gridwalk_field::FieldApp) method, named and
//! shaped as the UI's `TauriBackend` calls them (arguments in snake_case). Each one takes
//! the app, calls, and returns the DTO or the [`AppError`] object unchanged. Nothing else
//! happens here; the logic lives in `gridwalk-field`, where it is tested without a window.

use gridwalk_field::AppError;
use gridwalk_field::dto::*;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::shell::Shell;

/// What the app shows first; `--server` prefills the server address.
#[tauri::command(rename_all = "snake_case")]
pub async fn app_state(shell: State<'_, Shell>) -> Result<AppState, AppError> {
    let mut s = shell.app().await?.app_state()?;
    if let Some(url) = shell.server_prefill() {
        s.server_url = Some(url.to_string());
    }
    Ok(s)
}

/// The code lists the forms offer.
#[tauri::command(rename_all = "snake_case")]
pub async fn form_options(shell: State<'_, Shell>) -> Result<FormOptions, AppError> {
    shell.app().await?.form_options()
}

/// Signs in (the token stays in Rust), then starts the first download in the background:
/// its progress and outcome reach the UI as `sync-progress` / `sync-status` events.
#[tauri::command(rename_all = "snake_case")]
pub async fn login<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, Shell>,
    server_url: String,
    username: String,
    password: String,
) -> Result<SessionView, AppError> {
    let session = {
        let mut field = shell.app().await?;
        let session = field.login(&server_url, &username, &password).await?;
        shell.remember_console(&field);
        session
    };
    tauri::async_runtime::spawn(async move {
        let shell = app.state::<Shell>();
        let _ = shell.sync(&app).await;
    });
    Ok(session)
}

/// 今日.
#[tauri::command(rename_all = "snake_case")]
pub async fn today(shell: State<'_, Shell>) -> Result<TodayView, AppError> {
    shell.app().await?.today()
}

/// The household list.
#[tauri::command(rename_all = "snake_case")]
pub async fn households(
    shell: State<'_, Shell>,
    query: HouseholdQuery,
) -> Result<HouseholdList, AppError> {
    shell.app().await?.households(&query)
}

/// The household card.
#[tauri::command(rename_all = "snake_case")]
pub async fn household_card(
    shell: State<'_, Shell>,
    id: String,
) -> Result<HouseholdCard, AppError> {
    shell.app().await?.household_card(&id)
}

/// Reveals a full identity number or phone (audited).
#[tauri::command(rename_all = "snake_case")]
pub async fn reveal(shell: State<'_, Shell>, req: RevealRequest) -> Result<String, AppError> {
    shell.app().await?.reveal(&req)
}

/// Edits one member field.
#[tauri::command(rename_all = "snake_case")]
pub async fn edit_member(
    shell: State<'_, Shell>,
    input: MemberEditInput,
) -> Result<HouseholdCard, AppError> {
    shell.app().await?.edit_member(&input)
}

/// Adds a member to a household (with an identity number, validated).
#[tauri::command(rename_all = "snake_case")]
pub async fn add_member(
    shell: State<'_, Shell>,
    input: NewMemberInput,
) -> Result<HouseholdCard, AppError> {
    shell.app().await?.add_member(&input)
}

/// Saves a visit.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_visit(
    shell: State<'_, Shell>,
    input: NewVisitInput,
) -> Result<SavedVisit, AppError> {
    shell.app().await?.save_visit(&input)
}

/// My contact assignments.
#[tauri::command(rename_all = "snake_case")]
pub async fn assignments(shell: State<'_, Shell>) -> Result<Vec<AssignmentView>, AppError> {
    shell.app().await?.assignments()
}

/// Saves a contact log.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_contact(shell: State<'_, Shell>, input: NewContactInput) -> Result<(), AppError> {
    shell.app().await?.save_contact(&input)
}

/// Reports an incident; returns its id.
#[tauri::command(rename_all = "snake_case")]
pub async fn report_incident(
    shell: State<'_, Shell>,
    input: NewIncidentInput,
) -> Result<String, AppError> {
    shell.app().await?.report_incident(&input)
}

/// Incidents on this device.
#[tauri::command(rename_all = "snake_case")]
pub async fn incidents(shell: State<'_, Shell>) -> Result<Vec<IncidentListItem>, AppError> {
    shell.app().await?.incidents()
}

/// One incident.
#[tauri::command(rename_all = "snake_case")]
pub async fn incident_detail(
    shell: State<'_, Shell>,
    id: String,
) -> Result<IncidentDetail, AppError> {
    shell.app().await?.incident_detail(&id)
}

/// Acts on an incident.
#[tauri::command(rename_all = "snake_case")]
pub async fn incident_act(
    shell: State<'_, Shell>,
    input: IncidentActionInput,
) -> Result<IncidentDetail, AppError> {
    shell.app().await?.incident_act(&input)
}

/// Open same-field conflicts.
#[tauri::command(rename_all = "snake_case")]
pub async fn conflicts(shell: State<'_, Shell>) -> Result<Vec<ConflictView>, AppError> {
    shell.app().await?.conflicts()
}

/// Picks one value of a conflict.
#[tauri::command(rename_all = "snake_case")]
pub async fn resolve_conflict(
    shell: State<'_, Shell>,
    input: ResolveInput,
) -> Result<(), AppError> {
    shell.app().await?.resolve_conflict(&input)
}

/// 需修改: my records a supervisor returned and I have not fixed yet.
#[tauri::command(rename_all = "snake_case")]
pub async fn returned_records(shell: State<'_, Shell>) -> Result<Vec<ReturnedView>, AppError> {
    shell.app().await?.returned_records()
}

/// A visit's or contact log's review status, latest return and lineage.
#[tauri::command(rename_all = "snake_case")]
pub async fn record_detail(
    shell: State<'_, Shell>,
    input: RecordRef,
) -> Result<RecordView, AppError> {
    shell.app().await?.record_detail(&input)
}

/// Fixes a returned visit (resubmits it).
#[tauri::command(rename_all = "snake_case")]
pub async fn fix_visit(
    shell: State<'_, Shell>,
    input: FixVisitInput,
) -> Result<RecordView, AppError> {
    shell.app().await?.fix_visit(&input)
}

/// Fixes a returned contact log (resubmits it).
#[tauri::command(rename_all = "snake_case")]
pub async fn fix_contact(
    shell: State<'_, Shell>,
    input: FixContactInput,
) -> Result<RecordView, AppError> {
    shell.app().await?.fix_contact(&input)
}

/// Sync health (answered from the last known status while a sync runs).
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_status(shell: State<'_, Shell>) -> Result<SyncStatus, AppError> {
    shell.sync_status().await
}

/// Syncs now, or joins a sync that started after this call; progress comes as events.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, Shell>,
) -> Result<SyncStatus, AppError> {
    shell.sync(&app).await
}

/// Sets the UI language.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_locale(shell: State<'_, Shell>, locale: String) -> Result<(), AppError> {
    shell.app().await?.set_locale(&locale)
}

/// What signing out would lose.
#[tauri::command(rename_all = "snake_case")]
pub async fn wipe_preview(shell: State<'_, Shell>) -> Result<WipePreview, AppError> {
    shell.app().await?.wipe_preview()
}

/// Signs out (refused with `unsynced_work` unless `confirm_loss`).
#[tauri::command(rename_all = "snake_case")]
pub async fn sign_out(shell: State<'_, Shell>, confirm_loss: bool) -> Result<(), AppError> {
    let mut field = shell.app().await?;
    let out = field.sign_out(confirm_loss);
    shell.remember_console(&field);
    out
}

/// The supervisor views: sends one console API request with the device token (taken
/// under the app's lock, sent without it) and returns the server's answer as it came.
#[tauri::command(rename_all = "snake_case")]
pub async fn console_call(
    shell: State<'_, Shell>,
    input: ConsoleRequest,
) -> Result<ConsoleReply, AppError> {
    let link = shell.console_link().await?;
    gridwalk_field::app::console::call(&link, &input).await
}

/// Saves a finished export in the Downloads folder (the profile's `exports` folder where
/// the platform has none) and says where.
#[tauri::command(rename_all = "snake_case")]
pub async fn console_save_export<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, Shell>,
    input: SaveExportInput,
) -> Result<SavedExport, AppError> {
    let link = shell.console_link().await?;
    let dir = match app.path().download_dir() {
        Ok(d) => d,
        Err(_) => shell.app().await?.exports_dir(),
    };
    gridwalk_field::app::console::save_export(&link, &input, &dir).await
}
