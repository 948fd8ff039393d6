//! The PostgreSQL schema: every table is listed with its intended Citus distribution, the
//! keys of distributed tables include their distribution column (read from the catalog
//! after migration), a newer database is refused, and a household's move rewrites no
//! change bytes. These tests need PostgreSQL (`GW_TEST_PG_URL`) and fail without it.

use std::collections::{BTreeMap, BTreeSet};

use gridwalk_core::reference::Role;
use gridwalk_server::storage::StorageError;
use gridwalk_server::storage::postgres::{
    DISTRIBUTION, Distribution, MIGRATIONS, PgOptions, PgStorage,
};
use gridwalk_testkit::{Backend, Fixture, PgTestDb, test_limits};

/// A client on a database URL, its connection driven on the test's runtime.
async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("the test database accepts connections");
    tokio::spawn(conn);
    client
}

/// Table → the columns of each of its unique indexes (the primary key included).
async fn unique_keys(c: &tokio_postgres::Client) -> BTreeMap<String, Vec<(String, Vec<String>)>> {
    let rows = c
        .query(
            "SELECT t.relname::text, i.relname::text,
                    ARRAY(SELECT a.attname::text FROM pg_attribute a
                          WHERE a.attrelid = t.oid AND a.attnum = ANY(ix.indkey))
             FROM pg_index ix
             JOIN pg_class t ON t.oid = ix.indrelid
             JOIN pg_class i ON i.oid = ix.indexrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = current_schema() AND ix.indisunique",
            &[],
        )
        .await
        .unwrap();
    let mut out: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
    for r in rows {
        out.entry(r.get(0)).or_default().push((r.get(1), r.get(2)));
    }
    out
}

async fn tables(c: &tokio_postgres::Client) -> BTreeSet<String> {
    c.query(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        &[],
    )
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

async fn columns(c: &tokio_postgres::Client, table: &str) -> BTreeSet<String> {
    c.query(
        "SELECT column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1",
        &[&table],
    )
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

#[tokio::test]
async fn every_distributed_table_has_its_distribution_column_in_every_primary_and_unique_key() {
    let db = PgTestDb::create();
    drop(db.open());
    let c = connect(&db.url).await;
    let keys = unique_keys(&c).await;
    for (table, dist) in DISTRIBUTION {
        let Distribution::By(column) = dist else {
            continue;
        };
        assert!(
            columns(&c, table).await.contains(*column),
            "{table} has its distribution column {column}"
        );
        let table_keys = keys.get(*table).cloned().unwrap_or_default();
        assert!(
            !table_keys.is_empty(),
            "{table} has a primary key (Citus needs one that includes {column})"
        );
        for (index, cols) in table_keys {
            assert!(
                cols.iter().any(|c| c == column),
                "{table}'s unique key {index} ({cols:?}) includes the distribution column {column}, \
                 or Citus cannot enforce it shard by shard"
            );
        }
    }
}

#[tokio::test]
async fn every_table_of_the_schema_is_listed_with_its_distribution() {
    let db = PgTestDb::create();
    drop(db.open());
    let c = connect(&db.url).await;
    let listed: BTreeSet<String> = DISTRIBUTION.iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(
        tables(&c).await,
        listed,
        "storage::postgres::DISTRIBUTION names exactly the tables the migrations create"
    );
}

#[test]
fn the_migrations_distribute_comments_match_the_distribution_list() {
    let mut said = BTreeMap::new();
    for (_, sql) in MIGRATIONS {
        for line in sql.lines() {
            let Some(call) = line.trim().strip_prefix("-- distribute: ") else {
                continue;
            };
            let args: Vec<&str> = call.split('\'').skip(1).step_by(2).collect();
            let dist = if call.starts_with("create_reference_table(") {
                Distribution::Reference
            } else if call.starts_with("create_distributed_table(") {
                Distribution::By(
                    DISTRIBUTION
                        .iter()
                        .find_map(|(_, d)| match d {
                            Distribution::By(c) if *c == args[1] => Some(*c),
                            _ => None,
                        })
                        .unwrap_or_else(|| panic!("{} is a known distribution column", args[1])),
                )
            } else {
                panic!("unknown distribute line: {line}");
            };
            said.insert(args[0].to_string(), dist);
        }
    }
    let listed: BTreeMap<String, Distribution> = DISTRIBUTION
        .iter()
        .map(|(t, d)| (t.to_string(), *d))
        .collect();
    assert_eq!(
        said, listed,
        "each table's `-- distribute:` comment in the migrations says what DISTRIBUTION says"
    );
}

#[tokio::test]
async fn migrations_apply_once_and_a_database_migrated_by_a_newer_build_is_refused() {
    let db = PgTestDb::create();
    drop(db.open());
    drop(db.open());
    let c = connect(&db.url).await;
    let applied: i64 = c
        .query_one("SELECT COUNT(*) FROM schema_migrations", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        applied,
        MIGRATIONS.len() as i64,
        "opening twice applies each migration once"
    );
    c.execute(
        "INSERT INTO schema_migrations (version, name) VALUES (999, 'from_the_future')",
        &[],
    )
    .await
    .unwrap();
    match PgStorage::open(&db.url, &PgOptions::default()) {
        Err(StorageError::DatabaseTooNew { found, supported }) => {
            assert_eq!((found, supported), (999, MIGRATIONS.len() as i64));
        }
        Err(e) => panic!("a newer database is refused as too new, not with {e}"),
        Ok(_) => panic!("a database migrated by a newer build is refused"),
    }
}

#[tokio::test]
async fn a_household_move_rewrites_no_change_bytes_only_its_placement_documents_and_feed() {
    let fx = Fixture::load_on(Backend::Postgres, test_limits(), |_| {});
    let from = fx.user_where(Role::GridWorker, |_| true).area_id;
    let to = fx
        .user_where(Role::GridWorker, |u| u.area_id != from)
        .area_id;
    let house = fx
        .ds
        .households
        .iter()
        .find(|h| h.grid_id == from)
        .unwrap()
        .id
        .clone();
    let c = connect(fx.pg_url().unwrap()).await;
    let versions = async || -> Vec<(String, String)> {
        c.query(
            "SELECT hash, xmin::text FROM changes WHERE doc_id = $1 ORDER BY hash",
            &[&house],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
    };
    let before = versions().await;
    assert!(!before.is_empty(), "the household has stored changes");
    let to_before = fx.storage.high_water(&to).unwrap();
    gridwalk_server::scope_change::move_household(&fx.state, &house, &to, None, None).unwrap();
    assert_eq!(
        versions().await,
        before,
        "no change row of the household was rewritten by its move (same row versions)"
    );
    assert_eq!(fx.storage.placement(&house).unwrap().unwrap().grid_id, to);
    assert_eq!(fx.storage.doc_meta(&house).unwrap().unwrap().grid_id, to);
    assert!(
        fx.storage.high_water(&to).unwrap() > to_before,
        "the new grid's feed got the household's grant"
    );
}
