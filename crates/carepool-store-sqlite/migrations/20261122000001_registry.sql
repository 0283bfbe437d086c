-- The scheme registry. Dates are ISO 8601 text; amounts are integers of hundredths.
-- Tables that grow with membership carry the family key.

CREATE TABLE schemes (
    code TEXT PRIMARY KEY
) STRICT;

CREATE TABLE scheme_versions (
    code TEXT NOT NULL REFERENCES schemes (code),
    effective_from TEXT NOT NULL,
    definition TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    PRIMARY KEY (code, effective_from)
) STRICT;

CREATE TABLE locations (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_code TEXT REFERENCES locations (code) DEFERRABLE INITIALLY DEFERRED,
    area TEXT
) STRICT;
CREATE INDEX locations_parent ON locations (parent_code);

CREATE TABLE providers (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    ownership TEXT NOT NULL,
    level TEXT NOT NULL,
    location_code TEXT NOT NULL REFERENCES locations (code) DEFERRABLE INITIALLY DEFERRED,
    empanelled_from TEXT NOT NULL,
    empanelled_to TEXT
) STRICT;

CREATE TABLE families (
    id TEXT PRIMARY KEY,
    scheme TEXT NOT NULL REFERENCES schemes (code) DEFERRABLE INITIALLY DEFERRED,
    location_code TEXT NOT NULL REFERENCES locations (code) DEFERRABLE INITIALLY DEFERRED,
    poverty_score REAL,
    household_id TEXT
) STRICT;
CREATE INDEX families_location ON families (location_code);

CREATE TABLE members (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families (id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    relationship TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    national_id TEXT UNIQUE,
    categories TEXT,
    monthly_wage INTEGER,
    status TEXT NOT NULL,
    status_since TEXT NOT NULL
) STRICT;
CREATE INDEX members_family ON members (family_id);

CREATE TABLE coverage (
    member_id TEXT NOT NULL REFERENCES members (id) DEFERRABLE INITIALLY DEFERRED,
    start_date TEXT NOT NULL,
    end_date TEXT,
    package TEXT,
    PRIMARY KEY (member_id, start_date)
) STRICT;

CREATE TABLE contributions (
    receipt TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families (id) DEFERRABLE INITIALLY DEFERRED,
    payer TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    amount INTEGER NOT NULL,
    paid_on TEXT NOT NULL
) STRICT;
CREATE INDEX contributions_family ON contributions (family_id);
