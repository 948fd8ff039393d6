-- Device store, sync engine state (crates/sync). Append-only: never edit a shipped migration.
-- See crates/store/src/sync.rs and crates/store/src/device.rs for what each table is for.

-- A pushed action the server refused and quarantined: kept to show the person, with the
-- server's code and reason, and never pushed again. Goes with its outbox row.
CREATE TABLE outbox_refusals (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    message_zh TEXT NOT NULL,
    message_en TEXT NOT NULL,
    refused_at INTEGER NOT NULL
);

-- Documents that left the device's scope (a revoke, or a grid no longer in scope) while
-- they still had unpushed changes: dropped once their outbox is empty.
CREATE TABLE pending_revokes (
    doc_id TEXT PRIMARY KEY,
    grid_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    revoked_at INTEGER NOT NULL
);

-- Audit events recorded on the device (a full ID revealed offline, an export), uploaded
-- at the next sync and deleted once the server has them.
CREATE TABLE audit_outbox (
    id TEXT PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    action TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    target TEXT NOT NULL
);

-- Reference data without a table of its own (visit rules, SLA rules, the calendar), as JSON.
CREATE TABLE ref_documents (
    kind TEXT PRIMARY KEY,
    json TEXT NOT NULL
);
