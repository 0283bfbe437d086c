-- Each coverage period carries its member's family, so that a family's cover is read by its key
-- (a page of families names the range of ids their cover is found in, compared byte by byte as
-- the families' own ids are) and can one day live with its family on one node of a database
-- distributed by family (docs/SCALE.md). Every period is written again: a few minutes at ten
-- million, with the tables locked meanwhile.
ALTER TABLE coverage ADD COLUMN family_id TEXT COLLATE "C";
UPDATE coverage SET family_id = members.family_id
FROM members WHERE members.id = coverage.member_id;
ALTER TABLE coverage ALTER COLUMN family_id SET NOT NULL;
CREATE INDEX coverage_family ON coverage (family_id);
ANALYZE coverage;

-- A member moved to another family takes their cover with them, whatever wrote the move.
CREATE FUNCTION coverage_follows_family() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE coverage SET family_id = NEW.family_id WHERE member_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER coverage_follows_family AFTER UPDATE OF family_id ON members
FOR EACH ROW WHEN (OLD.family_id IS DISTINCT FROM NEW.family_id)
EXECUTE FUNCTION coverage_follows_family();
