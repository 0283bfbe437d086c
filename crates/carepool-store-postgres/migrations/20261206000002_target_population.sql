-- The people a scheme aims to cover per location and year, for the coverage ratio.
CREATE TABLE target_population (
    location_code TEXT COLLATE "C" NOT NULL REFERENCES locations (code) DEFERRABLE INITIALLY DEFERRED,
    year BIGINT NOT NULL,
    population BIGINT NOT NULL,
    PRIMARY KEY (location_code, year)
);
