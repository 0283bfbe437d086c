-- Who received or submitted each claim, and who reviewed it (declared in carepool-schema's
-- claim_tables.rs): a reviewer may not review a claim they received. Claims stored before this
-- have neither.

ALTER TABLE claims ADD COLUMN received_by TEXT;
ALTER TABLE claims ADD COLUMN reviewed_by TEXT;
