//! The TypeScript twins of the console's DTOs, rendered into one file for the UI.
//!
//! `ui/src/bindings/console.ts` is checked in. The test `console_bindings_are_fresh`
//! renders it again and fails when the checked-in file differs; `UPDATE_BINDINGS=1 cargo
//! test -p gridwalk-server --lib bindings` rewrites it.

use super::dto::*;
use ts_rs::TS;

/// Where the checked-in bindings live, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/bindings/console.ts";

/// The declarations of the session, review and incident DTOs.
pub fn decls(cfg: &ts_rs::Config) -> Vec<String> {
    vec![
        ErrorView::decl(cfg),
        LoginRequest::decl(cfg),
        ConsoleUserView::decl(cfg),
        SessionBody::decl(cfg),
        ReviewStatus::decl(cfg),
        ReviewFilter::decl(cfg),
        Decision::decl(cfg),
        RecordKind::decl(cfg),
        ReviewQuery::decl(cfg),
        LastReview::decl(cfg),
        ReviewItem::decl(cfg),
        ReviewPage::decl(cfg),
        LineageKind::decl(cfg),
        LineageEntry::decl(cfg),
        ReviewDetail::decl(cfg),
        ReviewKey::decl(cfg),
        ReviewRequest::decl(cfg),
        ReviewResult::decl(cfg),
        ReviewResults::decl(cfg),
        SupervisionLevel::decl(cfg),
        IncidentQuery::decl(cfg),
        IncidentItem::decl(cfg),
        IncidentPage::decl(cfg),
        IncidentEventItem::decl(cfg),
        UnitItem::decl(cfg),
        IncidentDetail::decl(cfg),
        IncidentActionRequest::decl(cfg),
    ]
}

/// The whole bindings file. The dashboard and export DTOs join it by adding their own
/// declarations after these.
pub fn render() -> String {
    let cfg = ts_rs::Config::default();
    let mut out = String::from(
        "// Generated from sync-server/src/console/ by `UPDATE_BINDINGS=1 cargo test -p gridwalk-server --lib bindings`.\n// Do not edit by hand: `make test` fails when this file is stale.\n",
    );
    let more = [
        super::dashboard::dto::decls(&cfg),
        super::export::decls(&cfg),
    ];
    for d in decls(&cfg).into_iter().chain(more.into_iter().flatten()) {
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
    fn console_bindings_are_fresh() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(BINDINGS_PATH);
        let want = render();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{BINDINGS_PATH} is stale: run `UPDATE_BINDINGS=1 cargo test -p gridwalk-server --lib bindings` and commit it"
        );
    }
}
