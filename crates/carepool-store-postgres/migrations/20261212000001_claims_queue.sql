-- An adjudication run reads the received claims a page at a time in the order it batches them:
-- by the family they carry, then by id (docs/ARCHITECTURE.md). This index serves those pages
-- (status, then the family and the id, in the order of their bytes) and, by its first column,
-- every read of claims by status that the index it replaces served. Claims cannot be written
-- while it is built: about 3 s a million claims on PostgreSQL (docs/BENCHMARKS.md).
DROP INDEX claims_status;
CREATE INDEX claims_queue ON claims (status, family_id, id);
