//! Per-grid sequence numbers under concurrent pushes.

use gridwalk_core::doc::DocKind;
use gridwalk_core::protocol::DocCode;
use gridwalk_core::reference::Role;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_to_one_grid_get_sequence_numbers_without_gaps_or_duplicates() {
    let s = std::sync::Arc::new(Server::new());
    let worker = s.user_where(Role::GridWorker, |_| true);
    let grid = worker.area_id.clone();
    let village =
        s.ds.areas
            .iter()
            .find(|a| a.id == grid)
            .unwrap()
            .parent_id
            .clone()
            .unwrap();
    let head = s.user_where(Role::GridHead, |u| u.area_id == village);
    let before = s.storage.feed_seqs(&grid).unwrap().len();
    let mut tasks = Vec::new();
    for (n, user) in [&worker.id, &head.id, &worker.id, &head.id]
        .into_iter()
        .enumerate()
    {
        let s = s.clone();
        let user = user.clone();
        let grid = grid.clone();
        tasks.push(tokio::spawn(async move {
            let mut d = s.device(&user).await;
            d.sync_all(&s, vec![]).await;
            let houses: Vec<String> = d
                .docs
                .iter()
                .filter(|(_, h)| h.kind == DocKind::Household && h.grid == grid)
                .map(|(id, _)| id.clone())
                .collect();
            let mut pushed = 0;
            for round in 0..4 {
                let pushes: Vec<_> = houses
                    .iter()
                    .skip(n + round)
                    .step_by(3)
                    .take(5)
                    .map(|h| d.visit(h, s.now() + (round * 10 + n) as i64))
                    .collect();
                pushed += pushes.len();
                let resp = s.sync(&d.token, &d.request(pushes)).await.unwrap();
                assert!(resp.results.iter().all(|r| r.code == DocCode::Ok));
                d.apply(&resp);
            }
            pushed
        }));
    }
    let mut pushed = 0;
    for t in tasks {
        pushed += t.await.unwrap();
    }
    let seqs = s.storage.feed_seqs(&grid).unwrap();
    assert_eq!(
        seqs.len(),
        before + pushed,
        "one feed entry per stored change"
    );
    let expect: Vec<i64> = (1..=seqs.len() as i64).collect();
    assert_eq!(
        seqs, expect,
        "sequence numbers run 1..n without gaps or duplicates"
    );
}
