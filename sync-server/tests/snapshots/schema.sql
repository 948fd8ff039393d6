CREATE INDEX areas_parent ON areas(parent_id);

CREATE INDEX assignments_contactor ON assignments(contactor_user);

CREATE INDEX assignments_target ON assignments(target_id);

CREATE INDEX audit_doc ON audit(doc_id);

CREATE INDEX changes_pending ON changes(doc_id, compacted);

CREATE INDEX console_sessions_expiry ON console_sessions(expires_at);

CREATE INDEX devices_user ON devices(user_id);

CREATE INDEX documents_grid ON documents(grid_id, id);

CREATE INDEX documents_household ON documents(household_id);

CREATE INDEX export_jobs_expiry ON export_jobs(expires_at);

CREATE INDEX export_jobs_owner ON export_jobs(owner_user_id, created_at);

CREATE INDEX feed_revokes ON feed(doc_id, kind);

CREATE INDEX placements_grid ON placements(grid_id);

CREATE TABLE areas (
    id        TEXT PRIMARY KEY,
    parent_id TEXT,
    level     TEXT NOT NULL,
    name      TEXT NOT NULL,
    json      TEXT NOT NULL
);

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

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    user_id   TEXT,
    device_id TEXT,
    action    TEXT NOT NULL,
    doc_id    TEXT,
    target    TEXT,
    event_id  TEXT UNIQUE
);

CREATE TABLE changes (
    doc_id    TEXT NOT NULL,
    hash      TEXT NOT NULL,
    bytes     BLOB NOT NULL,
    actor     TEXT NOT NULL,
    device_id TEXT,
    compacted INTEGER NOT NULL DEFAULT 0,
    stored_at INTEGER NOT NULL,
    PRIMARY KEY (doc_id, hash)
);

CREATE TABLE console_sessions (
    token_sha256 TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);

CREATE TABLE device_actors (
    actor     TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    bound_at  INTEGER NOT NULL
);

CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);

CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    grid_id        TEXT NOT NULL,
    household_id   TEXT,
    owner_user     TEXT,
    snapshot       BLOB NOT NULL,
    snapshot_heads TEXT NOT NULL,
    pending        INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE export_jobs (
    id            TEXT PRIMARY KEY,
    owner_user_id TEXT NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    progress      REAL NOT NULL DEFAULT 0,
    error_code    TEXT,
    error_zh      TEXT,
    error_en      TEXT,
    bytes         BLOB,
    expires_at    INTEGER NOT NULL
);

CREATE TABLE feed (
    grid_id       TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    doc_id        TEXT,
    hash          TEXT,
    target_user   TEXT,
    reason        TEXT,
    origin_device TEXT,
    at            INTEGER NOT NULL,
    PRIMARY KEY (grid_id, seq)
);

CREATE TABLE grid_seq (
    grid_id  TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL
);

CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);

CREATE TABLE placements (
    household_id  TEXT PRIMARY KEY,
    grid_id       TEXT NOT NULL,
    micro_grid_id TEXT,
    village_id    TEXT
);

CREATE TABLE quarantine (
    id        INTEGER PRIMARY KEY,
    doc_id    TEXT NOT NULL,
    hash      TEXT NOT NULL,
    bytes     BLOB NOT NULL,
    device_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    code      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    at        INTEGER NOT NULL,
    UNIQUE (doc_id, hash, device_id, code)
);

CREATE TABLE reference_blobs (
    name TEXT PRIMARY KEY,
    json TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    area_id       TEXT,
    unit_id       TEXT,
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);

