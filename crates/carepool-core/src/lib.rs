//! The carepool domain, pure: money, dates, scheme definitions with their versions, the registry's
//! records and rules (eligibility at enrolment, contribution standing). No I/O, no async, no SQL.

pub mod dates;
pub mod eligibility;
pub mod money;
pub mod monitoring;
pub mod names;
// Its code_enum! macro is used by the modules below it.
#[macro_use]
pub mod registry;
pub mod access;
pub mod claims;
pub mod grievances;
pub mod location_tree;
pub mod scheme;
pub mod sign_in;
pub mod standards;
pub mod standing;
pub mod words;

pub use money::Money;
