//! Console export jobs kept in storage: a job started on one node is polled and
//! downloaded from another (a second state over its own connection pool to the same
//! PostgreSQL database, or over the same SQLite storage), only by its owner; an expired
//! job is gone; a job whose node stopped reads as interrupted; and a user's running jobs
//! are capped.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use gridwalk_core::reference::Role;
use gridwalk_server::console::export::{ExportKind, ExportPer, ExportRequest, jobs};
use gridwalk_server::state::AppState;
use gridwalk_server::storage::postgres::{PgOptions, PgStorage};
use gridwalk_server::storage::{ExportJobRow, ExportOutcome, Storage, UserRow};
use gridwalk_testkit::{Backend, Fixture, test_limits};

fn visits() -> ExportRequest {
    ExportRequest {
        kind: ExportKind::Visits,
        area_id: None,
        from: "2026-09-01".into(),
        to: "2026-11-27".into(),
        per: ExportPer::Grid,
    }
}

/// A second node: its own state (and, on PostgreSQL, its own pool) on the same database,
/// with the fixture's clock.
fn second_node(fx: &Fixture) -> AppState {
    let storage: Arc<dyn Storage> = match fx.backend {
        Backend::Sqlite => fx.storage.clone(),
        Backend::Postgres => Arc::new(
            PgStorage::open(
                fx.pg_url().expect("a PostgreSQL fixture"),
                &PgOptions::default(),
            )
            .unwrap(),
        ),
    };
    let clock = fx.clock.clone();
    AppState::new(
        storage,
        test_limits(),
        Arc::new(move || clock.load(Ordering::SeqCst)),
    )
    .unwrap()
}

fn user_row(fx: &Fixture, role: Role, area: Option<&str>) -> UserRow {
    let u = fx.user_where(role, |u| area.is_none_or(|a| u.area_id == a));
    fx.storage.user(&u.id).unwrap().unwrap()
}

/// A running job row as a node would store it at `now`.
fn running(id: &str, owner: &str, now: i64) -> ExportJobRow {
    ExportJobRow {
        id: id.into(),
        owner_user_id: owner.into(),
        kind: "visits".into(),
        file_name: "走访台账.xlsx".into(),
        created_at: now,
        updated_at: now,
        progress: 0.0,
        error: None,
        has_file: false,
        expires_at: now + jobs::KEEP.as_millis() as i64,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_started_on_one_node_is_polled_and_downloaded_from_another_by_its_owner_only() {
    let fx = Fixture::load(test_limits(), |_| {});
    let node2 = second_node(&fx);
    let sup = user_row(&fx, Role::TownshipSupervisor, None);
    let other = user_row(&fx, Role::Dispatcher, sup.area_id.as_deref());

    let id = jobs::start(&fx.state, &sup, visits()).unwrap();
    let mut polls = 0;
    let status = loop {
        let s = jobs::status(&node2, &sup.id, &id).expect("the other node knows the job");
        assert!((0.0..=1.0).contains(&s.progress), "progress is a fraction");
        if s.done {
            break s;
        }
        polls += 1;
        assert!(polls < 3000, "the export finishes within a minute");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(status.error.is_none(), "{:?}", status.error);
    assert_eq!(status.progress, 1.0, "a finished job is at 100%");
    let (name, bytes) = jobs::file(&node2, &sup.id, &id).expect("the other node serves the file");
    assert_eq!(name, status.file_name, "the file keeps the job's name");
    assert!(
        bytes.starts_with(b"PK"),
        "the stored file is an xlsx (a zip archive)"
    );

    for node in [&fx.state, &node2] {
        for err in [
            jobs::status(node, &other.id, &id).map(|_| ()).unwrap_err(),
            jobs::file(node, &other.id, &id).map(|_| ()).unwrap_err(),
        ] {
            assert_eq!(
                err.body().code,
                "not_found",
                "another user cannot see the job on any node"
            );
        }
    }

    // An hour later the job is gone: not found at once, and deleted by the next prune.
    fx.advance(jobs::KEEP.as_millis() as i64);
    let err = jobs::status(&node2, &sup.id, &id).unwrap_err();
    assert_eq!(err.body().code, "not_found", "an expired job is not shown");
    let pruned = node2.storage.prune_export_jobs(fx.now()).unwrap();
    assert!(pruned >= 1, "the expired job is deleted");
    assert!(
        fx.storage.export_job(&id).unwrap().is_none(),
        "the expired job and its file are gone from storage"
    );
}

#[test]
fn a_running_job_whose_node_stopped_reads_as_interrupted_on_any_node() {
    let fx = Fixture::load(test_limits(), |_| {});
    let node2 = second_node(&fx);
    let sup = user_row(&fx, Role::TownshipSupervisor, None);
    // A node stored the job and some progress, then stopped.
    let id = uuid::Uuid::now_v7().to_string();
    fx.storage
        .create_export_job(&running(&id, &sup.id, fx.now()), jobs::MAX_JOBS_PER_USER)
        .unwrap();
    fx.storage
        .update_export_progress(&id, 0.4, fx.now())
        .unwrap();

    fx.advance(jobs::STALLED.as_millis() as i64 - 1000);
    let s = jobs::status(&node2, &sup.id, &id).unwrap();
    assert!(
        !s.done,
        "a job quiet for less than the limit is still running"
    );
    assert_eq!(s.progress, 0.4, "the stored progress is shown");

    fx.advance(2000);
    let s = jobs::status(&node2, &sup.id, &id).unwrap();
    assert!(s.done, "a job quiet for too long has ended");
    let e = s.error.expect("as a failure");
    assert_eq!(e.code, "export_interrupted");
    assert!(
        !e.message_zh.is_empty() && !e.message_en.is_empty(),
        "with messages"
    );
    let stored = fx.storage.export_job(&id).unwrap().unwrap();
    assert_eq!(
        stored.error.map(|e| e.code).as_deref(),
        Some("export_interrupted"),
        "the failure is recorded, so every node reads the same"
    );
    let err = jobs::file(&fx.state, &sup.id, &id).unwrap_err();
    assert_eq!(err.body().code, "invalid", "an interrupted job has no file");
    assert!(
        !fx.storage
            .finish_export_job(&id, &ExportOutcome::File(b"late".to_vec()), fx.now())
            .unwrap(),
        "a late outcome does not overwrite the recorded failure"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_with_every_kept_job_running_is_refused_until_one_finishes() {
    let fx = Fixture::load(test_limits(), |_| {});
    let sup = user_row(&fx, Role::TownshipSupervisor, None);
    let ids: Vec<String> = (0..jobs::MAX_JOBS_PER_USER)
        .map(|_| {
            let id = uuid::Uuid::now_v7().to_string();
            let stored = fx
                .storage
                .create_export_job(&running(&id, &sup.id, fx.now()), jobs::MAX_JOBS_PER_USER)
                .unwrap();
            assert!(stored, "below the cap a job is stored");
            id
        })
        .collect();
    let err = jobs::start(&fx.state, &sup, visits()).unwrap_err();
    assert_eq!(err.body().code, "too_many_exports", "the cap is reached");
    assert_eq!(err.status().as_u16(), 429);
    assert!(!err.body().message_zh.is_empty());

    let other = user_row(&fx, Role::Dispatcher, sup.area_id.as_deref());
    let theirs = uuid::Uuid::now_v7().to_string();
    assert!(
        fx.storage
            .create_export_job(
                &running(&theirs, &other.id, fx.now()),
                jobs::MAX_JOBS_PER_USER
            )
            .unwrap(),
        "the cap is per user"
    );

    assert!(
        fx.storage
            .finish_export_job(&ids[3], &ExportOutcome::File(b"PK".to_vec()), fx.now())
            .unwrap()
    );
    let id = jobs::start(&fx.state, &sup, visits()).expect("a finished job makes room");
    assert!(
        fx.storage.export_job(&ids[3]).unwrap().is_none(),
        "the oldest finished job was dropped for the new one"
    );
    // Let the new job end before the fixture goes.
    for _ in 0..3000 {
        if jobs::status(&fx.state, &sup.id, &id).unwrap().done {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the export finishes within a minute");
}
