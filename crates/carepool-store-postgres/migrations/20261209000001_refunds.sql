-- Refunds to patients charged a co-payment they were exempt from, and what payment runs paid
-- and recovered of them (declared in carepool-schema's claim_tables.rs). A refund's key is its
-- claim, or its grievance when it names no claim: one refund for each.

ALTER TABLE payment_runs ADD COLUMN refunds BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payment_runs ADD COLUMN recovered BIGINT NOT NULL DEFAULT 0;

CREATE TABLE refunds (
    id TEXT COLLATE "C" PRIMARY KEY,
    grievance_id TEXT REFERENCES grievances (id) DEFERRABLE INITIALLY DEFERRED,
    claim_id TEXT REFERENCES claims (id) DEFERRABLE INITIALLY DEFERRED,
    member_id TEXT NOT NULL REFERENCES members (id) DEFERRABLE INITIALLY DEFERRED,
    provider_id TEXT NOT NULL REFERENCES providers (code) DEFERRABLE INITIALLY DEFERRED,
    amount BIGINT NOT NULL,
    status TEXT NOT NULL,
    granted_on DATE NOT NULL,
    granted_by TEXT NOT NULL,
    refund_payment TEXT,
    deduction_payment TEXT
);
CREATE INDEX refunds_status ON refunds (status);
CREATE INDEX refunds_refund_payment ON refunds (refund_payment);
CREATE INDEX refunds_deduction_payment ON refunds (deduction_payment);
CREATE INDEX refunds_grievance ON refunds (grievance_id);
