//! One declaration per table ([`table!`]): the descriptor every edge reads (SQL of both
//! backends, their migrations' check, CSV, JSON, the API), typed column handles, and the mapping
//! to and from the core's records. Pure: no I/O, no SQL, no async.

pub mod access_tables;
pub mod audit_tables;
mod column;
mod declare;
pub mod json;
pub mod kinds;
mod value;

pub mod claim_tables;
pub mod grievance_tables;
pub mod scheme_tables;
pub mod tables;

pub use carepool_core::registry::FieldError;
pub use column::{Col, ColumnId, ColumnValue, Projection, Record, Scalar, is_upper_of, list_value};
pub use value::{Column, ColumnType, Reference, Row, Table, Value};

/// Every table a store keeps, as its migrations must make them.
pub static STORED: [&Table; 24] = [
    &scheme_tables::SCHEMES,
    &scheme_tables::SCHEME_VERSIONS,
    &scheme_tables::PREMIUM_BASES,
    &tables::LOCATIONS,
    &tables::PROVIDERS,
    &tables::FAMILIES,
    &tables::MEMBERS,
    &tables::COVERAGE,
    &tables::CONTRIBUTIONS,
    &tables::LEDGER,
    &tables::TARGET_POPULATION,
    &claim_tables::CLAIMS,
    &claim_tables::CLAIM_LINES,
    &claim_tables::CLAIM_REASONS,
    &claim_tables::CLAIM_USAGE,
    &claim_tables::PAYMENTS,
    &claim_tables::PAYMENT_RUNS,
    &access_tables::USERS,
    &access_tables::TOKENS,
    &access_tables::SESSIONS,
    &grievance_tables::GRIEVANCES,
    &grievance_tables::GRIEVANCE_STEPS,
    &claim_tables::REFUNDS,
    &audit_tables::AUDIT,
];
