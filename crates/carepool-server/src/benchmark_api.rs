//! GET /api/provider-benchmark: each facility's claims against its peers', within the caller's
//! scope (docs/INDICATORS.md, "Provider benchmarking").

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::STUDIES;
use crate::{StudyTurns, date_param_opt, only_known};
use axum::Json;
use axum::extract::{Query, State};
use carepool_service::Registry;
use carepool_service::benchmark::BenchmarkOptions;
use serde_json::Value as JsonValue;
use std::collections::HashMap;

/// The parameters the route reads.
const KNOWN: [&str; 3] = ["from", "to", "district"];

/// Facilities against their peers, flagged for review (docs/INDICATORS.md)
///
/// Per facility, over the care given from `from` (default: a year before `to`) to `to`
/// (default: the last day of the last whole month): cost per case and length of stay adjusted
/// for case mix, the costliest line of each category against facilities of its level,
/// co-payments from exempt members, duplicates and rejections, each a one-sided test against
/// the peers with Benjamini-Hochberg q-values; a facility flagged on a measure carries its
/// evidence. A user bound to districts sees the facilities there (compared with every
/// facility); `district` narrows to a location.
#[utoipa::path(get, path = "/api/provider-benchmark", tag = STUDIES,
    params(
        ("from" = Option<String>, Query, format = Date), ("to" = Option<String>, Query, format = Date),
        ("district" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "As `carepool providers benchmark --out FILE.json` writes it: `from`, `to`, `district`, `currency`, `false_discovery_rate`, `facilities` (each with `facility`, `level`, `claims`, `members`, `claims_per_member`, the tests `cost_per_case`, `length_of_stay`, `costliest_mix`, `exempt_charged`, `duplicates` and `rejections`, each `cases`, `observed`, `expected`, `ratio`, `z`, `p_value`, `q_value`, `flagged`, or null where not tested; `mix` and `flags`) and `funnels`"),
        (status = 422, description = "A parameter is wrong, or names a location that does not exist or is out of the caller's scope (`field` names it)", body = ErrorBody),
    ))]
pub async fn benchmark(
    caller: Caller,
    State(registry): State<Registry>,
    State(studies): State<StudyTurns>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    only_known(
        &params,
        &KNOWN,
        "not a parameter of the benchmarking; parameters",
    )?;
    let options = BenchmarkOptions {
        from: date_param_opt(&params, "from")?,
        to: date_param_opt(&params, "to")?,
        district: params.get("district").cloned(),
    };
    studies
        .run_in_scope(
            &caller,
            &registry,
            move |registry, scope, today| async move {
                registry.benchmark_providers(&options, &scope, today).await
            },
        )
        .await
}
