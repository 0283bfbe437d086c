-- Grievances and the steps of each (declared in carepool-schema's grievance_tables.rs). Written
-- by the grievances service, which keeps the status flow.

CREATE TABLE grievances (
    id TEXT COLLATE "C" PRIMARY KEY,
    scheme TEXT NOT NULL REFERENCES schemes (code) DEFERRABLE INITIALLY DEFERRED,
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
    priority TEXT NOT NULL,
    filed_by TEXT NOT NULL,
    filer TEXT NOT NULL,
    filed_on DATE NOT NULL,
    location_code TEXT NOT NULL REFERENCES locations (code) DEFERRABLE INITIALLY DEFERRED,
    member_id TEXT REFERENCES members (id) DEFERRABLE INITIALLY DEFERRED,
    family_id TEXT REFERENCES families (id) DEFERRABLE INITIALLY DEFERRED,
    claim_id TEXT REFERENCES claims (id) DEFERRABLE INITIALLY DEFERRED,
    provider_id TEXT REFERENCES providers (code) DEFERRABLE INITIALLY DEFERRED,
    description TEXT NOT NULL,
    attachments TEXT,
    status TEXT NOT NULL,
    owner TEXT REFERENCES users (name) DEFERRABLE INITIALLY DEFERRED,
    due_date DATE NOT NULL,
    resolution_kind TEXT,
    resolution TEXT,
    resolved_on DATE,
    closed_on DATE
);
CREATE INDEX grievances_status ON grievances (status, due_date);
CREATE INDEX grievances_filed_on ON grievances (filed_on);
CREATE INDEX grievances_location ON grievances (location_code);
CREATE INDEX grievances_member ON grievances (member_id);
CREATE INDEX grievances_owner ON grievances (owner);

CREATE TABLE grievance_steps (
    grievance_id TEXT COLLATE "C" NOT NULL REFERENCES grievances (id) DEFERRABLE INITIALLY DEFERRED,
    seq BIGINT NOT NULL,
    step TEXT NOT NULL,
    status TEXT NOT NULL,
    day DATE NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    owner TEXT,
    note TEXT,
    PRIMARY KEY (grievance_id, seq)
);
