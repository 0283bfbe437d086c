-- Users and the tokens they sign in with (declared in carepool-schema's access_tables.rs).
-- A token is kept only as its SHA-256; a password only as its Argon2id hash.

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    districts TEXT,
    provider TEXT REFERENCES providers (code) DEFERRABLE INITIALLY DEFERRED,
    password_hash TEXT NOT NULL,
    created_on TEXT NOT NULL,
    disabled_on TEXT
) STRICT;

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_name TEXT NOT NULL REFERENCES users (name) DEFERRABLE INITIALLY DEFERRED,
    created_on TEXT NOT NULL,
    expires_on TEXT,
    revoked_on TEXT
) STRICT;
CREATE INDEX tokens_user ON tokens (user_name);
