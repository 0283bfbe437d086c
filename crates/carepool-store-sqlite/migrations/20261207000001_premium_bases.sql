-- The premium bases (declared in carepool-schema's scheme_tables.rs): the projection assumptions
-- each premium was set on, kept per scheme from the projection's first day, for the early warning.
CREATE TABLE premium_bases (
    scheme TEXT NOT NULL REFERENCES schemes (code) DEFERRABLE INITIALLY DEFERRED,
    effective_from TEXT NOT NULL,
    assumptions TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    PRIMARY KEY (scheme, effective_from)
) STRICT;
