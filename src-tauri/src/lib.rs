//! gridwalk-app: the Tauri 2 shell of the field app (网格行).
//!
//! A thin shell: [`commands`] converts each IPC call into one `gridwalk_field::FieldApp`
//! method call, [`shell`] owns the app behind a mutex and runs background sync, [`args`]
//! reads the launch arguments. The same [`run`] is the desktop `main` and the mobile entry
//! point; nothing on its path is desktop-only.

pub mod args;
pub mod commands;
pub mod shell;

use std::path::PathBuf;

use gridwalk_field::{AppError, FieldApp, FieldOptions};
use tauri::Manager;

use crate::args::LaunchArgs;
use crate::shell::Shell;

/// The app data directory of the platform, or `--profile` / `GRIDWALK_PROFILE`.
fn profile_dir<R: tauri::Runtime>(
    app: &tauri::App<R>,
    args: &LaunchArgs,
) -> Result<PathBuf, AppError> {
    if let Some(p) = &args.profile {
        return Ok(p.clone());
    }
    app.path().app_data_dir().map_err(|e| {
        AppError::new(
            "profile_io",
            format!("找不到应用数据目录：{e}"),
            format!("no app data directory: {e}"),
        )
    })
}

/// Starts the app: opens the profile, registers the commands, starts background sync.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let args = match LaunchArgs::from_env() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gridwalk-app: {e}");
            std::process::exit(2);
        }
    };
    for a in &args.ignored {
        eprintln!("gridwalk-app: ignoring argument {a:?}");
    }
    let result = tauri::Builder::default()
        .setup(move |app| {
            let opened = profile_dir(app, &args)
                .and_then(|dir| FieldApp::open(&dir, FieldOptions::default()));
            if let Err(e) = &opened {
                eprintln!("gridwalk-app: cannot open the profile: {}", e.message_en);
            }
            app.manage(Shell::new(opened, args.server.clone()));
            let handle = app.handle().clone();
            let interval = args.sync_interval;
            tauri::async_runtime::spawn(async move {
                let shell = handle.state::<Shell>();
                // On start, when someone is signed in and the server answers. Offline, the
                // sync engine's retries would hold the app for half a minute at launch.
                shell.background_tick(&handle).await;
                if interval.is_zero() {
                    return;
                }
                loop {
                    tokio::time::sleep(interval).await;
                    shell.background_tick(&handle).await;
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_state,
            commands::form_options,
            commands::login,
            commands::today,
            commands::households,
            commands::household_card,
            commands::reveal,
            commands::edit_member,
            commands::add_member,
            commands::save_visit,
            commands::assignments,
            commands::save_contact,
            commands::report_incident,
            commands::incidents,
            commands::incident_detail,
            commands::incident_act,
            commands::conflicts,
            commands::resolve_conflict,
            commands::returned_records,
            commands::record_detail,
            commands::fix_visit,
            commands::fix_contact,
            commands::sync_status,
            commands::sync_now,
            commands::set_locale,
            commands::wipe_preview,
            commands::sign_out,
            commands::console_call,
            commands::console_save_export,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("gridwalk-app: {e}");
        std::process::exit(1);
    }
}
