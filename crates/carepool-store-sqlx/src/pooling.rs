//! When a pooled connection is tested before use.

use sqlx::Connection;
use sqlx::pool::PoolOptions;
use std::time::Duration;

/// How long a connection may lie idle in the pool and still be handed out untested. sqlx pings
/// each connection as it is given back and, by default, again as it is taken: a second round
/// trip on every pooled read of a busy server. One idle longer is tested first, so that one the
/// server or the network closed meanwhile (a restart, a firewall's timeout) is replaced rather
/// than failing its request. sqlx's ten-minute sweep of idle connections counts them idle from
/// its pass, so for a second after each pass one may go out untested.
pub const TESTED_AFTER_IDLE: Duration = Duration::from_secs(1);

/// `options` testing a connection as it is taken only after [`TESTED_AFTER_IDLE`].
pub fn tested_after_idle<DB: sqlx::Database>(options: PoolOptions<DB>) -> PoolOptions<DB> {
    options
        .test_before_acquire(false)
        .before_acquire(|connection, pooled| {
            Box::pin(async move {
                if pooled.idle_for >= TESTED_AFTER_IDLE {
                    connection.ping().await?;
                }
                Ok(true)
            })
        })
}
