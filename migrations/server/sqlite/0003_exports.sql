-- Console Excel export jobs, so that any server process can answer a job's progress poll
-- and serve its file: the process that runs the export writes its progress and its
-- outcome (the finished workbook, or the error's code and messages) here. Jobs are kept
-- an hour (`expires_at`) and then deleted. `updated_at` is the last progress write: a job
-- that stops writing (its process restarted) is read as interrupted.
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
CREATE INDEX export_jobs_owner ON export_jobs(owner_user_id, created_at);
CREATE INDEX export_jobs_expiry ON export_jobs(expires_at);
