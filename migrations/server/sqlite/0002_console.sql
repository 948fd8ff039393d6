-- Console (browser) sessions, separate from device tokens (DESIGN.md §5). Only the
-- cookie token's SHA-256 is kept, so any node can read a session and a database leak
-- gives no usable cookie. The CSRF token is sent back by the console in `X-CSRF-Token`.
CREATE TABLE console_sessions (
    token_sha256 TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions(expires_at);
