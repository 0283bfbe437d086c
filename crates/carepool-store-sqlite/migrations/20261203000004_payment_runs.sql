-- Payment runs (declared in carepool-schema's claim_tables.rs): proposed by one finance officer,
-- released by another. A proposed run holds its claims (their payment batches are set) until it
-- is released; only the release pays them and writes the payments. Amounts are integers of
-- hundredths.

CREATE TABLE payment_runs (
    id TEXT NOT NULL,
    period TEXT NOT NULL,
    status TEXT NOT NULL,
    payments TEXT,
    claims INTEGER NOT NULL,
    to_facilities INTEGER NOT NULL,
    to_patients INTEGER NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_on TEXT NOT NULL,
    released_by TEXT,
    paid_date TEXT,
    PRIMARY KEY (id)
) STRICT;
CREATE INDEX payment_runs_period ON payment_runs (period);
