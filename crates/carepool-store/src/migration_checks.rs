//! What the tests of each backend's migrations store before a migration and expect after it: the
//! same SQL on SQLite and PostgreSQL, so that both backends' hand-written migrations are held to
//! one outcome.

/// The migration that stored each coverage period with its member's family.
pub const COVERAGE_FAMILY_MIGRATION: i64 = 20261211000001;

/// Among a backend's migration `versions`, the last one before [`COVERAGE_FAMILY_MIGRATION`]:
/// the schema the cover of [`COVER_BEFORE_ITS_FAMILY`] is stored in.
pub fn last_before_coverage_family(versions: impl Iterator<Item = i64>) -> i64 {
    (versions
        .filter(|&version| version < COVERAGE_FAMILY_MIGRATION)
        .max())
    .expect("migrations before the one that gave coverage its family")
}

/// Cover stored before that migration: two periods of a member of F1, one of a member of F2.
pub const COVER_BEFORE_ITS_FAMILY: &[&str] = &[
    "INSERT INTO schemes (code) VALUES ('s')",
    "INSERT INTO locations (code, name, kind) VALUES ('V1', 'Village', 'village')",
    "INSERT INTO families (id, scheme, location_code) VALUES ('F1', 's', 'V1'), ('F2', 's', 'V1')",
    "INSERT INTO members (id, family_id, name, relationship, sex, birth_date, status, status_since) \
     VALUES ('M1', 'F1', 'A', 'head', 'F', '1980-01-01', 'active', '2025-01-01'), \
     ('M2', 'F2', 'B', 'head', 'M', '1981-01-01', 'active', '2025-01-01')",
    "INSERT INTO coverage (member_id, start_date) \
     VALUES ('M1', '2025-01-01'), ('M1', '2026-01-01'), ('M2', '2025-01-01')",
];

/// Reads each period's member and family, by member and start.
pub const COVER_FAMILIES: &str =
    "SELECT member_id, family_id FROM coverage ORDER BY member_id, start_date";

/// What [`COVER_FAMILIES`] reads after the migration.
pub fn cover_families_after() -> Vec<(String, String)> {
    pairs(&[("M1", "F1"), ("M1", "F1"), ("M2", "F2")])
}

/// Moves M1 to F2; their cover should follow.
pub const MOVE_A_MEMBER: &str = "UPDATE members SET family_id = 'F2' WHERE id = 'M1'";

/// What [`COVER_FAMILIES`] reads after [`MOVE_A_MEMBER`].
pub fn cover_families_after_the_move() -> Vec<(String, String)> {
    pairs(&[("M1", "F2"), ("M1", "F2"), ("M2", "F2")])
}

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    (pairs.iter())
        .map(|(member, family)| (member.to_string(), family.to_string()))
        .collect()
}
