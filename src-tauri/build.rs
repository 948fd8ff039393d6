//! Build script: generates Tauri's context (config, capabilities, icons, the embedded UI)
//! and one permission per app command, so the capability file lists exactly the commands
//! the window may call (without an app manifest every app command would be allowed).

/// Every command `lib.rs` registers; a command missing here cannot be called from the UI.
const COMMANDS: &[&str] = &[
    "app_state",
    "form_options",
    "login",
    "today",
    "households",
    "household_card",
    "reveal",
    "edit_member",
    "add_member",
    "save_visit",
    "assignments",
    "save_contact",
    "report_incident",
    "incidents",
    "incident_detail",
    "incident_act",
    "conflicts",
    "resolve_conflict",
    "returned_records",
    "record_detail",
    "fix_visit",
    "fix_contact",
    "sync_status",
    "sync_now",
    "set_locale",
    "wipe_preview",
    "sign_out",
    "console_call",
    "console_save_export",
];

fn main() {
    let attrs = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attrs) {
        panic!("tauri build step failed: {e:#}");
    }
}
