//! When a pooled connection is tested before use.

use sqlx::Connection;
use sqlx::pool::PoolOptions;
use std::time::Duration;

/// How long a connection may lie idle in the pool and still be handed out untested. sqlx tests
/// each connection as it is given back (a ping, which also flushes what a dropped future left
/// unfinished) and, by default, again as it is taken: a second round trip on every use, which a
/// busy server pays on each read of every request. A connection idle longer than this is
/// tested first, so that one the server or the network closed meanwhile (a restart, a
/// firewall's idle timeout) is replaced rather than failing its request; one idle less was
/// tested on its way back a moment ago.
pub const TESTED_AFTER_IDLE: Duration = Duration::from_secs(1);

/// `options` testing a connection as it is taken only after [`TESTED_AFTER_IDLE`].
pub fn tested_after_idle<DB: sqlx::Database>(options: PoolOptions<DB>) -> PoolOptions<DB> {
    options
        .test_before_acquire(false)
        .before_acquire(|connection, taken| {
            Box::pin(async move {
                if taken.idle_for >= TESTED_AFTER_IDLE {
                    connection.ping().await?;
                }
                Ok(true)
            })
        })
}
