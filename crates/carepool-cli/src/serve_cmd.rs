//! `carepool serve`'s bounds on what one client may hold (README, "The API").

use carepool_server::ServeLimits;
use clap::Args;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Connections open at once; more wait until one closes.
    #[arg(long, default_value_t = ServeLimits::default().max_connections)]
    max_connections: usize,
    /// Seconds a client has to send a request's head (or start its next request).
    #[arg(long, value_name = "SECONDS", default_value_t = ServeLimits::default().head_timeout.as_secs())]
    head_timeout: u64,
    /// Seconds a client has to send a request's body; past them the answer is 408.
    #[arg(long, value_name = "SECONDS", default_value_t = ServeLimits::default().body_timeout.as_secs())]
    body_timeout: u64,
    /// The largest body a request may carry, in KiB; past it the answer is 413.
    #[arg(long, value_name = "KIB", default_value_t = ServeLimits::default().max_body_bytes / 1024)]
    max_body_kib: usize,
    /// Seconds a study on the database (reserve, experience) may take; past them the answer is 422.
    #[arg(long, value_name = "SECONDS", default_value_t = ServeLimits::default().study_budget.as_secs())]
    study_budget: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> anyhow::Result<ServeLimits> {
        if [self.head_timeout, self.body_timeout, self.study_budget].contains(&0)
            || self.max_connections == 0
        {
            anyhow::bail!(
                "--max-connections, --head-timeout, --body-timeout and --study-budget must be at least 1"
            );
        }
        Ok(ServeLimits {
            max_connections: self.max_connections,
            head_timeout: Duration::from_secs(self.head_timeout),
            body_timeout: Duration::from_secs(self.body_timeout),
            max_body_bytes: self.max_body_kib.saturating_mul(1024),
            study_budget: Duration::from_secs(self.study_budget),
        })
    }
}
