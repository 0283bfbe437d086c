-- Each coverage period carries its member's family, so that a family's cover is read by its key
-- (a page of families names the range of ids their cover is found in) and can one day live
-- with its family on one node of a database distributed by family (docs/SCALE.md). SQLite adds
-- a required column only by making the table again; a period whose member is unknown (none,
-- the foreign key sees to it) would stop the migration rather than be lost.
CREATE TABLE coverage_with_family (
    member_id TEXT NOT NULL REFERENCES members (id) DEFERRABLE INITIALLY DEFERRED,
    start_date TEXT NOT NULL,
    end_date TEXT,
    package TEXT,
    family_id TEXT NOT NULL,
    PRIMARY KEY (member_id, start_date)
) STRICT;
INSERT INTO coverage_with_family (member_id, start_date, end_date, package, family_id)
SELECT coverage.member_id, coverage.start_date, coverage.end_date, coverage.package,
    members.family_id
FROM coverage LEFT JOIN members ON members.id = coverage.member_id;
DROP TABLE coverage;
ALTER TABLE coverage_with_family RENAME TO coverage;
CREATE INDEX coverage_family ON coverage (family_id);

-- A member moved to another family takes their cover with them, whatever wrote the move.
CREATE TRIGGER coverage_follows_family AFTER UPDATE OF family_id ON members
WHEN OLD.family_id IS NOT NEW.family_id
BEGIN
    UPDATE coverage SET family_id = NEW.family_id WHERE member_id = NEW.id;
END;
