-- Claims: as received from facilities, the decision on each (amounts, reasons, dates), the
-- ledger of what each family and member used of the annual limits, and payments. Amounts are
-- integers of hundredths. Claims carry the family key (for distribution by family), but no
-- reference to the registry: a claim for an unknown member is kept, and rejected with a reason.

CREATE TABLE claims (
    id TEXT COLLATE "C" NOT NULL,
    provider_id TEXT COLLATE "C" NOT NULL,
    claim_number TEXT COLLATE "C" NOT NULL,
    member_id TEXT COLLATE "C" NOT NULL,
    family_id TEXT COLLATE "C",
    visit_date DATE,
    admission_date DATE,
    discharge_date DATE,
    incurred_date DATE,
    diagnosis_codes TEXT,
    clinical_category TEXT NOT NULL,
    specialty TEXT,
    limit_raising_case TEXT,
    copay_collected BIGINT NOT NULL,
    received_date DATE NOT NULL,
    status TEXT NOT NULL,
    package TEXT,
    scheme_version DATE,
    coverage_year_start DATE,
    claimed BIGINT NOT NULL,
    approved BIGINT NOT NULL,
    member_share BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    allowance BIGINT NOT NULL,
    paid BIGINT NOT NULL,
    reasons TEXT,
    decided_date DATE,
    paid_date DATE,
    payment_batch TEXT COLLATE "C",
    allowance_batch TEXT COLLATE "C",
    review_note TEXT,
    PRIMARY KEY (id),
    UNIQUE (provider_id, claim_number)
);
CREATE INDEX claims_member ON claims (member_id);
CREATE INDEX claims_family ON claims (family_id);
CREATE INDEX claims_status ON claims (status);
CREATE INDEX claims_incurred ON claims (incurred_date);
CREATE TABLE claim_lines (
    claim_id TEXT COLLATE "C" NOT NULL REFERENCES claims (id) DEFERRABLE INITIALLY DEFERRED,
    line_no BIGINT NOT NULL,
    member_id TEXT COLLATE "C" NOT NULL,
    service_code TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    benefit_category TEXT,
    tariff_price BIGINT,
    claimed BIGINT NOT NULL,
    approved BIGINT NOT NULL,
    member_share BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    reasons TEXT,
    PRIMARY KEY (claim_id, line_no)
);
CREATE INDEX claim_lines_member ON claim_lines (member_id);
CREATE TABLE claim_reasons (
    claim_id TEXT COLLATE "C" NOT NULL REFERENCES claims (id) DEFERRABLE INITIALLY DEFERRED,
    seq BIGINT NOT NULL,
    line_no BIGINT,
    code TEXT NOT NULL,
    amount BIGINT,
    message TEXT NOT NULL,
    PRIMARY KEY (claim_id, seq)
);
CREATE TABLE claim_usage (
    family_id TEXT COLLATE "C" NOT NULL,
    member_id TEXT COLLATE "C" NOT NULL,
    category TEXT COLLATE "C" NOT NULL,
    year_start DATE NOT NULL,
    used BIGINT NOT NULL,
    deductible_used BIGINT NOT NULL,
    raised BIGINT NOT NULL,
    PRIMARY KEY (family_id, member_id, category, year_start)
);
CREATE TABLE payments (
    id TEXT COLLATE "C" NOT NULL,
    period TEXT NOT NULL,
    payee_kind TEXT NOT NULL,
    payee_id TEXT COLLATE "C" NOT NULL,
    paid_date DATE NOT NULL,
    claims BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX payments_period ON payments (period);
