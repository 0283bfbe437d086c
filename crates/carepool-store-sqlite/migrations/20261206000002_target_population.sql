-- The people a scheme aims to cover per location and year, for the coverage ratio.
CREATE TABLE target_population (
    location_code TEXT NOT NULL REFERENCES locations (code) DEFERRABLE INITIALLY DEFERRED,
    year INTEGER NOT NULL,
    population INTEGER NOT NULL,
    PRIMARY KEY (location_code, year)
) STRICT;
