-- Signed-in sessions of the pages (declared in carepool-schema's access_tables.rs). A session is
-- kept only as its cookie's SHA-256; times are seconds since 1970, UTC.

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name) DEFERRABLE INITIALLY DEFERRED,
    csrf_token TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_name);
