//! Work started on another task while the caller goes on: reading ahead of what is counted or
//! judged, so that the database and the counting each keep a core busy.

use crate::error::ServiceError;
use carepool_store::StoreError;
use std::future::Future;

/// Work running on another task; stopped if dropped unfinished (when the caller fails before it
/// is needed).
pub(crate) struct Background<T>(tokio::task::JoinHandle<Result<T, ServiceError>>);

impl<T: Send + 'static> Background<T> {
    pub(crate) fn spawn(
        work: impl Future<Output = Result<T, ServiceError>> + Send + 'static,
    ) -> Background<T> {
        Background(tokio::spawn(work))
    }

    pub(crate) async fn finish(mut self) -> Result<T, ServiceError> {
        (&mut self.0).await.map_err(joined)?
    }
}

/// A task that did not finish: its panic goes on here; a cancelled one is an error.
pub(crate) fn joined(failed: tokio::task::JoinError) -> ServiceError {
    match failed.try_into_panic() {
        Ok(panic) => std::panic::resume_unwind(panic),
        Err(cancelled) => ServiceError::Store(StoreError::internal(cancelled)),
    }
}

impl<T> Drop for Background<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
