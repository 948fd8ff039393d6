//! The TypeScript twins of [`crate::dto`], rendered into one file for the UI.
//!
//! `ui/src/bindings/field.ts` is checked in. The test `bindings_are_fresh` renders it again
//! and fails when the checked-in file differs; `UPDATE_BINDINGS=1 cargo test -p
//! gridwalk-field bindings` rewrites it.

use crate::dto::*;
use ts_rs::TS;

/// Where the checked-in bindings live, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/bindings/field.ts";

/// The whole bindings file.
pub fn render() -> String {
    let cfg = ts_rs::Config::default();
    let decls = [
        AppError::decl(&cfg),
        SessionView::decl(&cfg),
        AppState::decl(&cfg),
        Choice::decl(&cfg),
        FormOptions::decl(&cfg),
        CategoryOption::decl(&cfg),
        SyncStatus::decl(&cfg),
        RefusedView::decl(&cfg),
        SyncProgressView::decl(&cfg),
        TodayView::decl(&cfg),
        DueVisitView::decl(&cfg),
        ReturnedView::decl(&cfg),
        GridSummary::decl(&cfg),
        HouseholdQuery::decl(&cfg),
        HouseholdList::decl(&cfg),
        HouseholdListItem::decl(&cfg),
        HouseholdCard::decl(&cfg),
        MemberView::decl(&cfg),
        VisitView::decl(&cfg),
        RevealRequest::decl(&cfg),
        ObservationInput::decl(&cfg),
        NeedInput::decl(&cfg),
        GpsInput::decl(&cfg),
        NewVisitInput::decl(&cfg),
        SavedVisit::decl(&cfg),
        AssignmentView::decl(&cfg),
        NewContactInput::decl(&cfg),
        NewIncidentInput::decl(&cfg),
        IncidentListItem::decl(&cfg),
        EventView::decl(&cfg),
        IncidentDetail::decl(&cfg),
        IncidentActionInput::decl(&cfg),
        ConflictView::decl(&cfg),
        ConflictValueView::decl(&cfg),
        ResolveInput::decl(&cfg),
        MemberEditInput::decl(&cfg),
        NewMemberInput::decl(&cfg),
        WipePreview::decl(&cfg),
        RecordRef::decl(&cfg),
        RecordContentView::decl(&cfg),
        LineageView::decl(&cfg),
        RecordView::decl(&cfg),
        FixVisitInput::decl(&cfg),
        FixContactInput::decl(&cfg),
        ConsoleRequest::decl(&cfg),
        ConsoleReply::decl(&cfg),
        SaveExportInput::decl(&cfg),
        SavedExport::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from crates/field/src/dto/ by `UPDATE_BINDINGS=1 cargo test -p gridwalk-field bindings`.\n// Do not edit by hand: `make test` fails when this file is stale.\n",
    );
    for d in decls {
        out.push_str("\nexport ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn bindings_are_fresh() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(BINDINGS_PATH);
        let want = render();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{BINDINGS_PATH} is stale: run `UPDATE_BINDINGS=1 cargo test -p gridwalk-field bindings` and commit it"
        );
    }
}
