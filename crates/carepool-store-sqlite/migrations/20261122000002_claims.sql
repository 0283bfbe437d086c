-- Claims: as received from facilities, the decision on each (amounts, reasons, dates), the
-- ledger of what each family and member used of the annual limits, and payments. Amounts are
-- integers of hundredths. Claims carry the family key (for distribution by family), but no
-- reference to the registry: a claim for an unknown member is kept, and rejected with a reason.

CREATE TABLE claims (
    id TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    claim_number TEXT NOT NULL,
    member_id TEXT NOT NULL,
    family_id TEXT,
    visit_date TEXT,
    admission_date TEXT,
    discharge_date TEXT,
    incurred_date TEXT,
    diagnosis_codes TEXT,
    clinical_category TEXT NOT NULL,
    specialty TEXT,
    limit_raising_case TEXT,
    copay_collected INTEGER NOT NULL,
    received_date TEXT NOT NULL,
    status TEXT NOT NULL,
    package TEXT,
    scheme_version TEXT,
    coverage_year_start TEXT,
    claimed INTEGER NOT NULL,
    approved INTEGER NOT NULL,
    member_share INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    allowance INTEGER NOT NULL,
    paid INTEGER NOT NULL,
    reasons TEXT,
    decided_date TEXT,
    paid_date TEXT,
    payment_batch TEXT,
    allowance_batch TEXT,
    review_note TEXT,
    PRIMARY KEY (id),
    UNIQUE (provider_id, claim_number)
) STRICT;
CREATE INDEX claims_member ON claims (member_id);
CREATE INDEX claims_family ON claims (family_id);
CREATE INDEX claims_status ON claims (status);
CREATE INDEX claims_incurred ON claims (incurred_date);
CREATE TABLE claim_lines (
    claim_id TEXT NOT NULL REFERENCES claims (id) DEFERRABLE INITIALLY DEFERRED,
    line_no INTEGER NOT NULL,
    member_id TEXT NOT NULL,
    service_code TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price INTEGER NOT NULL,
    benefit_category TEXT,
    tariff_price INTEGER,
    claimed INTEGER NOT NULL,
    approved INTEGER NOT NULL,
    member_share INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    reasons TEXT,
    PRIMARY KEY (claim_id, line_no)
) STRICT;
CREATE INDEX claim_lines_member ON claim_lines (member_id);
CREATE TABLE claim_reasons (
    claim_id TEXT NOT NULL REFERENCES claims (id) DEFERRABLE INITIALLY DEFERRED,
    seq INTEGER NOT NULL,
    line_no INTEGER,
    code TEXT NOT NULL,
    amount INTEGER,
    message TEXT NOT NULL,
    PRIMARY KEY (claim_id, seq)
) STRICT;
CREATE TABLE claim_usage (
    family_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    category TEXT NOT NULL,
    year_start TEXT NOT NULL,
    used INTEGER NOT NULL,
    deductible_used INTEGER NOT NULL,
    raised INTEGER NOT NULL,
    PRIMARY KEY (family_id, member_id, category, year_start)
) STRICT;
CREATE TABLE payments (
    id TEXT NOT NULL,
    period TEXT NOT NULL,
    payee_kind TEXT NOT NULL,
    payee_id TEXT NOT NULL,
    paid_date TEXT NOT NULL,
    claims INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    PRIMARY KEY (id)
) STRICT;
CREATE INDEX payments_period ON payments (period);
