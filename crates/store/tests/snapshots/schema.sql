CREATE INDEX contact_assignments_contactor ON contact_assignments (contactor_user);

CREATE INDEX contact_logs_assignment ON contact_logs (assignment_id, at);

CREATE INDEX contact_logs_contactor ON contact_logs (contactor_user, household_id, at);

CREATE INDEX contact_logs_grid ON contact_logs (grid_id, at);

CREATE INDEX contact_logs_returned ON contact_logs (contactor_user)
    WHERE review_status = 'returned';

CREATE INDEX documents_kind_grid ON documents (kind, grid_id);

CREATE INDEX household_private_doc ON household_private (doc_id);

CREATE INDEX households_doc ON households (doc_id);

CREATE INDEX households_grid ON households (grid_id, address);

CREATE INDEX incidents_doc ON incidents (doc_id);

CREATE INDEX incidents_open ON incidents (is_open, grid_id, created_at);

CREATE INDEX outbox_created ON outbox (created_at);

CREATE INDEX outbox_doc ON outbox (doc_id);

CREATE INDEX ref_areas_parent ON ref_areas (parent_id);

CREATE INDEX visits_returned ON visits (visitor_user) WHERE review_status = 'returned';

CREATE TABLE audit_outbox (
    id TEXT PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    action TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    target TEXT NOT NULL
);

CREATE TABLE conflicts (
    doc_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    conflict_values TEXT NOT NULL,
    PRIMARY KEY (doc_id, path)
);

CREATE TABLE contact_assignments (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    contactor_user TEXT NOT NULL,
    contactor_role TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    every_days INTEGER NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT
);

CREATE TABLE contact_logs (
    doc_id TEXT NOT NULL,
    id TEXT NOT NULL,
    household_id TEXT,
    grid_id TEXT NOT NULL,
    assignment_id TEXT,
    contactor_user TEXT NOT NULL,
    role TEXT NOT NULL,
    device TEXT NOT NULL,
    at INTEGER NOT NULL,
    hlc TEXT NOT NULL,
    mode TEXT NOT NULL,
    note TEXT NOT NULL,
    review TEXT,
    deleted_at INTEGER, review_status TEXT NOT NULL DEFAULT 'unreviewed', return_reason TEXT, returned_by TEXT, returned_at INTEGER,
    PRIMARY KEY (doc_id, id)
);

CREATE TABLE device_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE doc_chunks (
    doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (doc_id, seq)
);

CREATE TABLE documents (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL
        CHECK (kind IN ('household', 'household_private', 'incident', 'grid_journal')),
    grid_id TEXT NOT NULL,
    heads TEXT NOT NULL,
    snapshot BLOB NOT NULL,
    chunks INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);

CREATE TABLE grid_notes (
    doc_id TEXT NOT NULL,
    id TEXT NOT NULL,
    grid_id TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at INTEGER NOT NULL,
    text TEXT NOT NULL,
    deleted_at INTEGER,
    PRIMARY KEY (doc_id, id)
);

CREATE VIRTUAL TABLE household_fts USING fts5 (
    household_id UNINDEXED,
    names,
    address,
    phones,
    tags,
    tokenize = 'trigram'
);

CREATE TABLE 'household_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

CREATE TABLE 'household_fts_content'(id INTEGER PRIMARY KEY, c0, c1, c2, c3, c4);

CREATE TABLE 'household_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

CREATE TABLE 'household_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

CREATE TABLE 'household_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

CREATE TABLE household_private (
    household_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    special_tags TEXT NOT NULL,
    id_count INTEGER NOT NULL
);

CREATE TABLE households (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    grid_id TEXT NOT NULL,
    micro_grid_id TEXT,
    address TEXT NOT NULL,
    address_json TEXT NOT NULL,
    status TEXT NOT NULL,
    tags TEXT NOT NULL,
    tag_labels TEXT NOT NULL,
    member_names TEXT NOT NULL,
    member_count INTEGER NOT NULL,
    phones_masked TEXT NOT NULL,
    visit_count INTEGER NOT NULL,
    last_visit_at INTEGER,
    last_in_person_at INTEGER,
    last_contact_at INTEGER,
    conflict_count INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);

CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    grid_id TEXT NOT NULL,
    category TEXT NOT NULL,
    platform TEXT NOT NULL,
    urgency TEXT NOT NULL,
    source TEXT NOT NULL,
    state TEXT NOT NULL,
    is_open INTEGER NOT NULL,
    location TEXT NOT NULL,
    description TEXT NOT NULL,
    households TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    reporter_role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    reported_at INTEGER,
    routed_at INTEGER,
    handled_at INTEGER,
    closed_at INTEGER,
    unit TEXT,
    flagged_count INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    deleted_at INTEGER
);

CREATE TABLE members (
    doc_id TEXT NOT NULL,
    id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    name TEXT NOT NULL,
    relation TEXT NOT NULL,
    id_kind TEXT,
    id_masked TEXT,
    phone TEXT,
    phone_masked TEXT,
    birth_year INTEGER,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER,
    PRIMARY KEY (doc_id, id)
) WITHOUT ROWID;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents (id),
    action TEXT NOT NULL,
    record_id TEXT,
    hashes TEXT NOT NULL,
    changes BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE outbox_refusals (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    message_zh TEXT NOT NULL,
    message_en TEXT NOT NULL,
    refused_at INTEGER NOT NULL
);

CREATE TABLE pending_revokes (
    doc_id TEXT PRIMARY KEY,
    grid_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    revoked_at INTEGER NOT NULL
);

CREATE TABLE ref_areas (
    id TEXT PRIMARY KEY,
    parent_id TEXT,
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    grid_kind TEXT,
    rural INTEGER
);

CREATE TABLE ref_categories (
    code TEXT PRIMARY KEY,
    parent TEXT,
    name TEXT NOT NULL,
    platform TEXT
);

CREATE TABLE ref_documents (
    kind TEXT PRIMARY KEY,
    json TEXT NOT NULL
);

CREATE TABLE ref_units (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    platform TEXT NOT NULL,
    township_id TEXT
);

CREATE TABLE ref_users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    active INTEGER NOT NULL
);

CREATE TABLE ref_versions (
    kind TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);

CREATE TABLE sqlite_sequence(name,seq);

CREATE TABLE sync_cursors (
    grid_id TEXT PRIMARY KEY,
    cursor TEXT NOT NULL
);

CREATE TABLE visits (
    doc_id TEXT NOT NULL,
    id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    visitor_user TEXT NOT NULL,
    visitor_role TEXT NOT NULL,
    at INTEGER NOT NULL,
    mode TEXT NOT NULL,
    kind TEXT NOT NULL,
    campaign TEXT,
    persons_met TEXT NOT NULL,
    observations TEXT NOT NULL,
    needs TEXT NOT NULL,
    service TEXT NOT NULL,
    follow_up TEXT,
    note TEXT NOT NULL,
    has_gps INTEGER NOT NULL,
    review TEXT,
    deleted_at INTEGER, review_status TEXT NOT NULL DEFAULT 'unreviewed', return_reason TEXT, returned_by TEXT, returned_at INTEGER,
    PRIMARY KEY (doc_id, id)
) WITHOUT ROWID;

