-- The scheme registry. Amounts are integers of hundredths.
-- Keys use the "C" collation so that key order (paging, exports) is byte order, as on SQLite.
-- Tables that grow with membership carry the family key.

CREATE TABLE schemes (
    code TEXT COLLATE "C" PRIMARY KEY
);

CREATE TABLE scheme_versions (
    code TEXT COLLATE "C" NOT NULL REFERENCES schemes (code),
    effective_from DATE NOT NULL,
    definition TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    PRIMARY KEY (code, effective_from)
);

CREATE TABLE locations (
    code TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_code TEXT REFERENCES locations (code) DEFERRABLE INITIALLY DEFERRED,
    area TEXT
);
CREATE INDEX locations_parent ON locations (parent_code);

CREATE TABLE providers (
    code TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    ownership TEXT NOT NULL,
    level TEXT NOT NULL,
    location_code TEXT NOT NULL REFERENCES locations (code) DEFERRABLE INITIALLY DEFERRED,
    empanelled_from DATE NOT NULL,
    empanelled_to DATE
);

CREATE TABLE families (
    id TEXT COLLATE "C" PRIMARY KEY,
    scheme TEXT NOT NULL REFERENCES schemes (code) DEFERRABLE INITIALLY DEFERRED,
    location_code TEXT NOT NULL REFERENCES locations (code) DEFERRABLE INITIALLY DEFERRED,
    poverty_score DOUBLE PRECISION,
    household_id TEXT
);
CREATE INDEX families_location ON families (location_code);

CREATE TABLE members (
    id TEXT COLLATE "C" PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families (id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    relationship TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date DATE NOT NULL,
    national_id TEXT UNIQUE,
    categories TEXT,
    monthly_wage BIGINT,
    status TEXT NOT NULL,
    status_since DATE NOT NULL
);
CREATE INDEX members_family ON members (family_id);

CREATE TABLE coverage (
    member_id TEXT COLLATE "C" NOT NULL REFERENCES members (id) DEFERRABLE INITIALLY DEFERRED,
    start_date DATE NOT NULL,
    end_date DATE,
    package TEXT,
    PRIMARY KEY (member_id, start_date)
);

CREATE TABLE contributions (
    receipt TEXT COLLATE "C" PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families (id) DEFERRABLE INITIALLY DEFERRED,
    payer TEXT NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    amount BIGINT NOT NULL,
    paid_on DATE NOT NULL
);
CREATE INDEX contributions_family ON contributions (family_id);
