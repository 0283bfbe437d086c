-- Signed-in sessions of the pages (declared in carepool-schema's access_tables.rs). A session is
-- kept only as its cookie's SHA-256; times are seconds since 1970, UTC.

CREATE TABLE sessions (
    id TEXT COLLATE "C" PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name) DEFERRABLE INITIALLY DEFERRED,
    csrf_token TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);
