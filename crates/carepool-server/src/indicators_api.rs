//! GET /api/indicators: the monthly watch on the live database, within the caller's scope.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::STUDIES;
use crate::{StudyTurns, date_param_opt, only_known};
use axum::Json;
use axum::extract::{Query, State};
use carepool_core::access::Permission;
use carepool_service::Registry;
use carepool_service::indicators::IndicatorOptions;
use serde_json::Value as JsonValue;
use std::collections::HashMap;

/// The parameters the route reads.
const KNOWN: [&str; 7] = [
    "from",
    "to",
    "by",
    "scheme",
    "district",
    "provider",
    "warn_after",
];

/// The scheme's indicators per period (docs/INDICATORS.md)
///
/// Membership, contributions, claims and finance for each month, quarter or year from `from`
/// (default: the first of the month eleven months before `to`) to `to` (default: the last day
/// of the last whole month), with
/// each indicator's definition. A user bound to districts counts only the families living there
/// (and their claims); `district` narrows to a location, `scheme` to a scheme's families,
/// `provider` to a facility's claims.
#[utoipa::path(get, path = "/api/indicators", tag = STUDIES,
    params(
        ("from" = Option<String>, Query, format = Date), ("to" = Option<String>, Query, format = Date),
        ("by" = Option<String>, Query, description = "month (the default), quarter or year"),
        ("scheme" = Option<String>, Query), ("district" = Option<String>, Query),
        ("provider" = Option<String>, Query),
        ("warn_after" = Option<u32>, Query, description = "Months in a row outside the band that raise an early warning, 1 to 12 [default: 3]"),
    ),
    responses(
        (status = 200, description = "As `carepool indicators --out FILE.json` writes it: `periods`, each with `start`, `end`, `membership`, `contributions`, `claims` and `finance`, then `definitions`, and `early_warning` (as `GET /api/warnings` answers, with the latest run of each line and measure, open or ended), and for a caller who may read grievances `grievances`: how they were settled over the period (docs/INDICATORS.md). Amounts are decimal strings; counts and ratios numbers, a ratio without a denominator null"),
        (status = 422, description = "A parameter is wrong, or names a scheme, location or facility that does not exist or is out of the caller's scope (`field` names it)", body = ErrorBody),
    ))]
pub async fn indicators(
    caller: Caller,
    State(registry): State<Registry>,
    State(studies): State<StudyTurns>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    only_known(
        &params,
        &KNOWN,
        "not a parameter of the indicators; parameters",
    )?;
    let options = indicator_options(&params)?;
    // Grievances' figures only for those who may read grievances.
    let with_grievances = caller
        .user()
        .is_ok_and(|user| user.role.may(Permission::ReadGrievances));
    studies
        .run_in_scope(
            &caller,
            &registry,
            move |registry, scope, today| async move {
                match with_grievances {
                    true => (registry.indicators_with_grievances(&options, &scope, today)).await,
                    false => registry.indicators(&options, &scope, today).await,
                }
            },
        )
        .await
}

/// The options the parameters give (those a route does not take are refused before).
pub(crate) fn indicator_options(
    params: &HashMap<String, String>,
) -> Result<IndicatorOptions, ApiError> {
    Ok(IndicatorOptions {
        from: date_param_opt(params, "from")?,
        to: date_param_opt(params, "to")?,
        by: params.get("by").cloned(),
        scheme: params.get("scheme").cloned(),
        district: params.get("district").cloned(),
        provider: params.get("provider").cloned(),
        warn_after: params
            .get("warn_after")
            .map(|text| {
                text.parse().map_err(|_| {
                    ApiError::invalid_field("warn_after", format!("'{text}' is not a whole number"))
                })
            })
            .transpose()?,
    })
}
