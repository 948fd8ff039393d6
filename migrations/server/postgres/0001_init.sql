-- Gridwalk server, PostgreSQL backend: the first schema.
-- Append-only: never edit this file once shipped; add 0002_*.sql instead.
-- The tables are described in sync-server/src/storage/postgres/mod.rs.
--
-- Ready to be spread over a Citus cluster. Each table says how with a `-- distribute:`
-- line that an operator runs on the coordinator after this migration (plain PostgreSQL
-- has no such functions, so they stay comments here; `DISTRIBUTION` in the Rust module
-- lists the same, and a test holds the two to the catalog):
--   * documents and everything keyed by a document (changes, quarantine) are
--     distributed by the document id, co-located, so storing a push for a document is
--     one shard's work and a household's move never moves its change bytes;
--   * the feed and its per-grid sequence rows are distributed by grid id, co-located, so
--     numbering and reading a grid's feed is one shard's work;
--   * reference data (areas, placements, users, devices, actors, the reference blobs,
--     counters) is small, read everywhere, and replicated to every node.
-- Every distributed table's primary and unique keys include its distribution column.

-- The migrations applied, one row each.
-- distribute: create_reference_table('schema_migrations')
CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Users and their argon2id password hashes (PHC strings).
-- distribute: create_reference_table('users')
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    area_id       TEXT,
    unit_id       TEXT,
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    BIGINT NOT NULL
);

-- Devices. Only the SHA-256 of a token is stored (hex), so a lookup is one indexed read.
-- distribute: create_reference_table('devices')
CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX devices_user ON devices(user_id);

-- Every Automerge actor is bound to one device (or to a server process, `server:<id>`).
-- distribute: create_reference_table('device_actors')
CREATE TABLE device_actors (
    actor     TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    bound_at  BIGINT NOT NULL
);

-- Documents: the current grid (server-authoritative), and a compacted snapshot.
-- `pending` counts the changes not yet folded into the snapshot.
-- distribute: create_distributed_table('documents', 'doc_id')
CREATE TABLE documents (
    doc_id         TEXT COLLATE "C" PRIMARY KEY,
    kind           TEXT NOT NULL,
    grid_id        TEXT NOT NULL,
    household_id   TEXT,
    owner_user     TEXT,
    snapshot       BYTEA NOT NULL,
    snapshot_heads TEXT NOT NULL,
    pending        BIGINT NOT NULL DEFAULT 0,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX documents_grid ON documents(grid_id, doc_id);
CREATE INDEX documents_household ON documents(household_id);

-- Every change ever accepted, by (document, hash): a re-push is a no-op.
-- `compacted` once the document's snapshot includes it; `ord` keeps the storing order.
-- distribute: create_distributed_table('changes', 'doc_id', colocate_with => 'documents')
CREATE TABLE changes (
    doc_id    TEXT NOT NULL,
    hash      TEXT NOT NULL,
    bytes     BYTEA NOT NULL,
    actor     TEXT NOT NULL,
    device_id TEXT,
    compacted BOOLEAN NOT NULL DEFAULT FALSE,
    stored_at BIGINT NOT NULL,
    ord       BIGSERIAL NOT NULL,
    PRIMARY KEY (doc_id, hash)
);
CREATE INDEX changes_pending ON changes(doc_id, ord) WHERE NOT compacted;

-- The last sequence number of each grid's feed. A writer locks its grid's row
-- (`SELECT … FOR UPDATE`) before numbering and keeps the lock until commit.
-- distribute: create_distributed_table('grid_seq', 'grid_id')
CREATE TABLE grid_seq (
    grid_id  TEXT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

-- The per-grid feed. `kind` is change | grant | revoke. A revoke with no doc_id revokes
-- every document of the grid (a reassigned user). `target_user` limits a grant or revoke
-- to one user's devices. `origin_device` is the device that pushed a change.
-- distribute: create_distributed_table('feed', 'grid_id', colocate_with => 'grid_seq')
CREATE TABLE feed (
    grid_id       TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    doc_id        TEXT,
    hash          TEXT,
    target_user   TEXT,
    reason        TEXT,
    origin_device TEXT,
    at            BIGINT NOT NULL,
    PRIMARY KEY (grid_id, seq)
);
CREATE INDEX feed_revokes ON feed(doc_id) WHERE kind = 'revoke';

-- Refused changes are kept, never lost.
-- distribute: create_distributed_table('quarantine', 'doc_id', colocate_with => 'documents')
CREATE TABLE quarantine (
    id        BIGSERIAL NOT NULL,
    doc_id    TEXT NOT NULL,
    hash      TEXT NOT NULL,
    bytes     BYTEA NOT NULL,
    device_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    code      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (doc_id, id),
    UNIQUE (doc_id, hash, device_id, code)
);

-- Reference data: the area tree.
-- distribute: create_reference_table('areas')
CREATE TABLE areas (
    id        TEXT PRIMARY KEY,
    parent_id TEXT,
    level     TEXT NOT NULL,
    name      TEXT NOT NULL,
    json      TEXT NOT NULL
);
CREATE INDEX areas_parent ON areas(parent_id);

-- Which grid, micro-grid and village each household is in now. A move rewrites this row
-- and the document rows' grid; no change bytes move.
-- distribute: create_reference_table('placements')
CREATE TABLE placements (
    household_id  TEXT PRIMARY KEY,
    grid_id       TEXT NOT NULL,
    micro_grid_id TEXT,
    village_id    TEXT
);
CREATE INDEX placements_grid ON placements(grid_id);

-- Contact assignments (三联系 / 党员联户): the source of truth for party members' links.
-- distribute: create_reference_table('assignments')
CREATE TABLE assignments (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    contactor_user TEXT NOT NULL,
    target_kind    TEXT NOT NULL,
    target_id      TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT,
    json           TEXT NOT NULL
);
CREATE INDEX assignments_contactor ON assignments(contactor_user);
CREATE INDEX assignments_target ON assignments(target_id);

-- Whole reference tables kept as JSON: categories, units, visit_rules, sla_rules, calendar.
-- distribute: create_reference_table('reference_blobs')
CREATE TABLE reference_blobs (
    name TEXT PRIMARY KEY,
    json TEXT NOT NULL
);

-- Counters and settings: `reference_version`.
-- distribute: create_reference_table('meta')
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('reference_version', 1);

-- Who read or changed what. `row_key` is the device event's id when there is one (so an
-- event uploaded twice is logged once) and a fresh UUID otherwise; `id` keeps the order.
-- distribute: create_distributed_table('audit', 'row_key')
CREATE TABLE audit (
    row_key   TEXT PRIMARY KEY,
    id        BIGSERIAL NOT NULL,
    at        BIGINT NOT NULL,
    user_id   TEXT,
    device_id TEXT,
    action    TEXT NOT NULL,
    doc_id    TEXT,
    target    TEXT,
    event_id  TEXT
);
CREATE INDEX audit_action ON audit(action, id);
CREATE INDEX audit_doc ON audit(doc_id);

-- Login throttling, keyed `user:<name>` or `addr:<ip>`.
-- distribute: create_distributed_table('login_throttle', 'key')
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL
);
