-- Console (browser) sessions, separate from device tokens. Only the cookie token's
-- SHA-256 is kept, so any node can read a session and a database leak gives no usable
-- cookie. The CSRF token is sent back by the console in `X-CSRF-Token`.
-- Few writes (a sign-in), a read on every console request: a copy on every node.
-- distribute: create_reference_table('console_sessions')
CREATE TABLE console_sessions (
    token_sha256 TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions(expires_at);
