-- A reason's words apart from their language (JSON: the sentence's id and its figures), for
-- the pages to say it in the reader's language; empty for reasons stored before.
ALTER TABLE claim_reasons ADD COLUMN words TEXT;
