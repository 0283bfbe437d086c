-- The audit trail back in a rowid table. A WITHOUT ROWID table keeps whole rows in its key's
-- B-tree, interior pages included, so finding where a record goes reads in full every large
-- record on the way down (a batch's decisions or an import's new keys run to a hundred
-- kilobytes each). SQLite advises WITHOUT ROWID only for rows of a twentieth of a page or
-- less; now that a batch writes one record, not one per claim, the key index it saved is the
-- cheaper. Same columns, indexes and triggers.

CREATE TABLE audit_with_rowid (
    id TEXT PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    table_name TEXT NOT NULL,
    record_key TEXT,
    before TEXT,
    after TEXT
) STRICT;
INSERT INTO audit_with_rowid (id, at, actor, action, table_name, record_key, before, after)
    SELECT id, at, actor, action, table_name, record_key, before, after FROM audit ORDER BY id;
DROP TABLE audit;
ALTER TABLE audit_with_rowid RENAME TO audit;
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
