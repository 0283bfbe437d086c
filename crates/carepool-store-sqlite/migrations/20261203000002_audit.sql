-- The audit trail (declared in carepool-schema's audit_tables.rs): appended to in the
-- transaction of each change, never changed or removed.

CREATE TABLE audit (
    id TEXT PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    table_name TEXT NOT NULL,
    record_key TEXT,
    before TEXT,
    after TEXT
) STRICT;
CREATE INDEX audit_record ON audit (table_name, record_key);
CREATE INDEX audit_actor ON audit (actor);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;
