//! carepool's actuarial engine, pure: development triangles and reserving methods, configured
//! then fitted (as chainladder-python does). Amounts here are actuarial estimates, in f64.
//!
//! So far: [`Triangle`], [`ChainLadder`] (volume-weighted, simple or n-period averages,
//! excluded links, a tail factor) and [`Mack`] standard errors with both conventions for the
//! last sigma. Bornhuetter-Ferguson, Benktander and Cape Cod come next.

mod chain_ladder;
mod mack;
mod triangle;

pub use chain_ladder::{Average, ChainLadder, ChainLadderFit, FitError};
pub use mack::{Mack, MackError, MackFit, SigmaRule};
pub use triangle::{Triangle, TriangleError};
