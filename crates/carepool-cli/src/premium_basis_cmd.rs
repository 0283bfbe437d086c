//! `carepool premium-basis`: the projection assumptions a scheme's premium was set on, which
//! the early warning of `carepool indicators` watches the experience against
//! (docs/INDICATORS.md).

use crate::output::{out, outln};
use anyhow::{Result, anyhow};
use carepool_service::Registry;
use carepool_service::premium_basis::BasisOutcome;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum PremiumBasisCommand {
    /// Register the assumptions file of `carepool project` (TOML or XLSX; a base table file it
    /// names is read in) as the basis of a scheme's premium from the projection's start.
    Register {
        /// The scheme's code.
        #[arg(long)]
        scheme: String,
        /// The assumptions file (docs/PROJECTION.md).
        #[arg(long)]
        assumptions: PathBuf,
    },
    /// List a scheme's premium bases, oldest first.
    List {
        /// The scheme's code.
        #[arg(long)]
        scheme: String,
    },
}

pub async fn run(command: PremiumBasisCommand, registry: &Registry) -> Result<()> {
    match command {
        PremiumBasisCommand::Register {
            scheme,
            assumptions,
        } => {
            let file = carepool_io::projection_file::read_projection_file(&assumptions)?;
            let start = file.projection.start;
            let outcome = registry
                .register_premium_basis(&scheme, file)
                .await
                .map_err(|e| anyhow!("{}: {e}", assumptions.display()))?;
            match outcome {
                BasisOutcome::Added => outln!(
                    "{}: the premium basis of {scheme} from {start}",
                    assumptions.display()
                ),
                BasisOutcome::Unchanged => outln!(
                    "{}: already the premium basis of {scheme} from {start}, unchanged",
                    assumptions.display()
                ),
            }
        }
        PremiumBasisCommand::List { scheme } => {
            if registry.scheme_versions(&scheme).await?.is_empty() {
                return Err(anyhow!("no scheme '{scheme}' is loaded"));
            }
            let bases = registry.premium_bases(&scheme).await?;
            if bases.is_empty() {
                outln!("{scheme}: no premium basis registered");
            }
            for basis in bases {
                let file = &basis.assumptions;
                out!(
                    "{scheme} from {}: {} years, {} base-table lines; registered by {} on {}\n",
                    basis.effective_from,
                    file.projection.years,
                    file.base.lines.len(),
                    basis.registered_by,
                    basis.registered_on
                );
            }
        }
    }
    Ok(())
}
