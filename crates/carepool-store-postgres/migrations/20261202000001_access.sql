-- Users and the tokens they sign in with (declared in carepool-schema's access_tables.rs).
-- A token is kept only as its SHA-256; a password only as its Argon2id hash.

CREATE TABLE users (
    name TEXT COLLATE "C" PRIMARY KEY,
    role TEXT NOT NULL,
    districts TEXT,
    provider TEXT REFERENCES providers (code) DEFERRABLE INITIALLY DEFERRED,
    password_hash TEXT NOT NULL,
    created_on DATE NOT NULL,
    disabled_on DATE
);

CREATE TABLE tokens (
    id TEXT COLLATE "C" PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_name TEXT NOT NULL REFERENCES users (name) DEFERRABLE INITIALLY DEFERRED,
    created_on DATE NOT NULL,
    expires_on DATE,
    revoked_on DATE
);
CREATE INDEX tokens_user ON tokens (user_name);
