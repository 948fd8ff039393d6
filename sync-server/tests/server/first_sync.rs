//! First sync from stored snapshots, in pages, resumable.

use gridwalk_core::doc::DocKind;
use gridwalk_core::reference::Role;
use gridwalk_server::state::Limits;

use crate::support::*;

#[tokio::test]
async fn first_sync_comes_in_byte_bounded_pages_resumes_from_a_saved_cursor_and_ends_equal_to_the_server()
 {
    let page = 16_000;
    let s = Server::with_limits(Limits {
        page_bytes: page,
        requests_per_second: 1e6,
        ..Limits::default()
    });
    let worker = s.user_where(Role::GridWorker, |_| true);
    let grid = worker.area_id.clone();
    let mut d = s.device(&worker.id).await;

    // Two pages, then the app is killed: only the cursors it stored survive.
    for _ in 0..2 {
        let resp = s.sync(&d.token, &d.request(vec![])).await.unwrap();
        assert!(
            resp.more,
            "the grid does not fit in one page of {page} bytes"
        );
        let bytes: usize = resp
            .docs
            .iter()
            .map(|d| d.snapshot.as_ref().map_or(0, |s| s.len()))
            .sum();
        let largest = resp
            .docs
            .iter()
            .map(|d| d.snapshot.as_ref().map_or(0, |s| s.len()))
            .max()
            .unwrap();
        assert!(bytes < page + largest, "a page stops at its byte budget");
        assert!(
            resp.cursors[&grid].starts_with("s:"),
            "the cursor is a first-sync cursor"
        );
        d.apply(&resp);
    }
    let saved = d.cursors.clone();
    let mut again = s.device(&worker.id).await;
    again.docs = std::mem::take(&mut d.docs);
    again.cursors = saved;
    let pages = again.sync_all(&s, vec![]).await;
    assert!(pages.len() >= 2, "the rest also comes in pages");
    assert!(
        again.cursors[&grid].starts_with("f:"),
        "the grid ends in feed mode"
    );

    let expect: Vec<String> = s
        .storage
        .docs_in_grid(&grid, "", 100_000)
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert!(expect.len() > 10);
    assert_eq!(
        again.docs.keys().cloned().collect::<Vec<_>>(),
        expect,
        "the device holds exactly the grid's documents"
    );
    assert!(
        again
            .docs
            .values()
            .any(|h| h.kind == DocKind::HouseholdPrivate),
        "a grid worker holds private documents"
    );
    assert_holds_all(&s, &mut again, &expect);
}
