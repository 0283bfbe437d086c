//! carepool's actuarial engine, pure: development triangles and reserving methods, configured
//! then fitted (as chainladder-python does). Amounts here are actuarial estimates, in f64.
//!
//! [`Triangle`], also [`build`] from claims' dates; [`ChainLadder`] (volume-weighted, simple or n-period averages, excluded links,
//! a tail factor); [`Mack`] standard errors with both conventions for the last sigma;
//! [`ExpectedLoss`]: Bornhuetter-Ferguson, Benktander and Cape Cod; [`ReserveStudy`] runs one of
//! them and gives the results every output shows, IBNR and RBNP apart.

mod amount_json;
pub mod benchmark;
mod build;
mod chain_ladder;
pub mod costing;
pub mod credibility;
mod expected;
pub mod experience;
mod finite;
mod glm;
pub mod indicators;
mod linear;
mod mack;
pub mod projection;
pub mod reform;
mod reserve;
mod said;
pub mod stress;
#[cfg(test)]
mod testing;
mod triangle;
mod yearly;

pub use build::{BuildError, ClaimDates, ClaimSums, Development, Measure, Named, Period, build};
pub use chain_ladder::{Average, ChainLadder, ChainLadderFit, FitError};
pub use expected::{Apriori, ExpectedLoss, ExpectedLossError, ExpectedLossFit};
pub use finite::{NotFinite, check_finite};
pub use glm::{Coefficient, FactorLevels, Family, Glm, GlmData, GlmError, GlmFit, Link, Term};
pub use mack::{Mack, MackError, MackFit, SigmaRule};
pub use reserve::{
    ExcludedLink, Known, Method, OriginReserve, Reserve, ReserveError, ReserveStudy, TriangleTables,
};
pub use said::STUDY_PROBLEMS;
pub use triangle::{Triangle, TriangleError};
pub use yearly::{AssumptionError, check_years};
