//! Studies on the live database (reserve, experience) take their turn, two at a time: each may
//! hold a few hundred megabytes at its bound (docs/HARDENING.md), and more at once would only
//! share the cores. Each has a time budget: past it the caller is answered 422, and the study's
//! turn is given back only when its work has ended, so that abandoned studies never pile up.

use crate::auth::Caller;
use crate::error::ApiError;
use axum::Json;
use carepool_core::words::{Figure, Words};
use carepool_service::ServiceError;
use carepool_service::{Registry, Scope};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value as JsonValue;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The server's own refusals of a study with words, for the test that holds the catalogues'
/// `problem-ID` to them.
#[cfg(test)]
pub const PROBLEMS: &[(&str, &[&str])] = &[("past-budget", &["seconds"])];

#[derive(Clone)]
pub(crate) struct StudyTurns {
    turns: Arc<Semaphore>,
    budget: Duration,
}

impl StudyTurns {
    const AT_ONCE: usize = 2;

    pub(crate) fn new(budget: Duration) -> StudyTurns {
        StudyTurns {
            turns: Arc::new(Semaphore::new(StudyTurns::AT_ONCE)),
            budget,
        }
    }

    /// Runs `work` in its turn, the wait for the turn counted in the budget.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, ServiceError>> + Send + 'static,
    ) -> Result<T, ApiError> {
        let deadline = tokio::time::Instant::now() + self.budget;
        let past_budget = || {
            let seconds = self.budget.as_secs_f64();
            ApiError::from(ServiceError::not_estimable(
                Words::new(
                    "past-budget",
                    [("seconds", Figure::Number(seconds.to_string()))],
                ),
                format!(
                    "the study took longer than the server's budget of {seconds} s, its wait for a turn included (carepool serve --study-budget): study a shorter period or one scheme at a time"
                ),
            ))
        };
        let turn = tokio::time::timeout_at(deadline, self.turns.clone().acquire_owned())
            .await
            .map_err(|_| past_budget())?
            .expect("the semaphore is never closed");
        let task = tokio::spawn(async move {
            let _turn = turn;
            work.await
        });
        match tokio::time::timeout_at(deadline, task).await {
            Err(_) => Err(past_budget()),
            Ok(Err(failed)) => Err(ApiError::internal(failed)),
            Ok(Ok(done)) => done.map_err(ApiError::from),
        }
    }

    /// Runs `study` in its turn on the registry, within what `caller` may see, as of today;
    /// its result as the JSON answered.
    pub(crate) async fn run_in_scope<T, Study, Work>(
        &self,
        caller: &Caller,
        registry: &Registry,
        study: Study,
    ) -> Result<Json<JsonValue>, ApiError>
    where
        T: Serialize + Send + 'static,
        Study: FnOnce(Registry, Scope, NaiveDate) -> Work,
        Work: Future<Output = Result<T, ServiceError>> + Send + 'static,
    {
        let scope = caller.scope(registry).await?;
        let today = registry.today();
        let found = self.run(study(registry.clone(), scope, today)).await?;
        Ok(Json(crate::json(&found)?))
    }
}
