-- Each coverage period carries its member's family, so that a family's cover is read by its key
-- (a page of families names the range of ids their cover is found in) and can one day live
-- with its family on one node of a database distributed by family (docs/SCALE.md). The
-- foreign key holds the pair (member, family) to the member's: a period written with a family
-- the member has left is refused at commit, and a member moved to another family takes their
-- cover along (ON UPDATE CASCADE), whatever wrote the move. SQLite adds a required column only
-- by making the table again; a period whose member is unknown (none, the foreign key sees to
-- it) would stop the migration rather than be lost.
CREATE UNIQUE INDEX members_id_family ON members (id, family_id);
CREATE TABLE coverage_with_family (
    member_id TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    package TEXT,
    family_id TEXT NOT NULL,
    PRIMARY KEY (member_id, start_date),
    FOREIGN KEY (member_id, family_id) REFERENCES members (id, family_id)
        ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED
) STRICT;
INSERT INTO coverage_with_family (member_id, start_date, end_date, package, family_id)
SELECT coverage.member_id, coverage.start_date, coverage.end_date, coverage.package,
    members.family_id
FROM coverage LEFT JOIN members ON members.id = coverage.member_id;
DROP TABLE coverage;
ALTER TABLE coverage_with_family RENAME TO coverage;
CREATE INDEX coverage_family ON coverage (family_id);
