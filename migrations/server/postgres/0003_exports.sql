-- Console Excel export jobs, so that any node can answer a job's progress poll and serve
-- its file: the node that runs the export writes its progress, its outcome (the finished
-- workbook, or the error's code and messages) here, and every node reads it back by id.
-- Jobs are kept an hour (`expires_at`) and then deleted. `updated_at` is the last
-- progress write: a job that stops writing (its node restarted) is read as interrupted.
-- Distributed by id rather than copied to every node: the workbook bytes are large and
-- written once, progress is written often, and every read is by id (one shard); only the
-- per-user count and the prune of expired jobs, both when a job starts, touch every shard.
-- distribute: create_distributed_table('export_jobs', 'id')
CREATE TABLE export_jobs (
    id            TEXT PRIMARY KEY,
    owner_user_id TEXT NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    progress      DOUBLE PRECISION NOT NULL DEFAULT 0,
    error_code    TEXT,
    error_zh      TEXT,
    error_en      TEXT,
    bytes         BYTEA,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX export_jobs_owner ON export_jobs(owner_user_id, created_at);
CREATE INDEX export_jobs_expiry ON export_jobs(expires_at);
