-- Each coverage period carries its member's family, so that a family's cover is read by its key
-- (a page of families names the range of ids their cover is found in, compared byte by byte as
-- the families' own ids are) and can one day live with its family on one node of a database
-- distributed by family (docs/SCALE.md). The foreign key holds the pair (member, family) to the
-- member's: a period written with a family the member has left meanwhile is refused at commit,
-- and a member moved to another family takes their cover along (ON UPDATE CASCADE), whatever
-- wrote the move. The table is made again rather than updated in place (which would leave every
-- row's old version behind until a vacuum): about a minute per ten million periods, the tables
-- locked meanwhile, and an index on members more.
ALTER TABLE members ADD CONSTRAINT members_id_family UNIQUE (id, family_id);
CREATE TABLE coverage_with_family (
    member_id TEXT COLLATE "C" NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    package TEXT,
    family_id TEXT COLLATE "C" NOT NULL
);
-- A period whose member is unknown (none, the foreign key saw to it) would stop the migration
-- rather than be lost.
INSERT INTO coverage_with_family (member_id, start_date, end_date, package, family_id)
SELECT coverage.member_id, coverage.start_date, coverage.end_date, coverage.package,
    members.family_id
FROM coverage LEFT JOIN members ON members.id = coverage.member_id;
DROP TABLE coverage;
ALTER TABLE coverage_with_family RENAME TO coverage;
ALTER TABLE coverage ADD CONSTRAINT coverage_pkey PRIMARY KEY (member_id, start_date);
ALTER TABLE coverage ADD CONSTRAINT coverage_member_family FOREIGN KEY (member_id, family_id)
    REFERENCES members (id, family_id) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX coverage_family ON coverage (family_id);
ANALYZE coverage;
