//! Desktop entry point: everything lives in the library so mobile builds share it.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    gridwalk_app_lib::run();
}
