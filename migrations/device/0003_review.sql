-- Device store, review status of visits and contact logs (issue 5). Append-only: never edit
-- a shipped migration. The rows are derived: Store::open rebuilds them once after this
-- migration, so rows written by an older build get their status too.

-- unreviewed | returned | resubmitted | approved (gridwalk_core::doc::review::status), and
-- the latest return (reason, reviewer, time from its HLC), kept after a fix so the record's
-- view can say what was asked for. The lineage is read from the document, not stored.
ALTER TABLE visits ADD COLUMN review_status TEXT NOT NULL DEFAULT 'unreviewed';
ALTER TABLE visits ADD COLUMN return_reason TEXT;
ALTER TABLE visits ADD COLUMN returned_by TEXT;
ALTER TABLE visits ADD COLUMN returned_at INTEGER;

ALTER TABLE contact_logs ADD COLUMN review_status TEXT NOT NULL DEFAULT 'unreviewed';
ALTER TABLE contact_logs ADD COLUMN return_reason TEXT;
ALTER TABLE contact_logs ADD COLUMN returned_by TEXT;
ALTER TABLE contact_logs ADD COLUMN returned_at INTEGER;

-- "需修改": a user's records waiting for a fix.
CREATE INDEX visits_returned ON visits (visitor_user) WHERE review_status = 'returned';
CREATE INDEX contact_logs_returned ON contact_logs (contactor_user)
    WHERE review_status = 'returned';
