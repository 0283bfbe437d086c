//! The OpenAPI 3.1 document of the API, derived from the code that serves it:
//! - the operations of the handlers with fixed paths from their `#[utoipa::path]` attributes,
//!   gathered by [`ApiDoc`];
//! - the operations of the registry's tables, and their records' schemas, from the table
//!   descriptors, by the functions beside the generic handlers ([`crate::registry_api`]);
//! - the schemas of the bodies from their types: derived where the type is this crate's (the
//!   error, the payment run's body), written as JSON beside the handler where it belongs to
//!   another crate, which knows nothing of OpenAPI ([`json_schema!`]).
//!
//! Which routes exist is not read from here: the tests below compare the routes registered in
//! [`crate::api_routes`] with this document's operations, both ways.

use crate::auth::Access;
use crate::claims_api::{self, ClaimSubmission};
use crate::registry_api::{
    collection_path, create_operation, history_operation, history_path, item_path, list_operation,
    read_operation, record_schema, schema_name, update_operation,
};
use crate::routes::{Surface, Verb};
use crate::{costing_api, experience_api, projection_api, reserve_api};
use carepool_schema::{claim_tables, tables};
use serde_json::Value as JsonValue;
use utoipa::OpenApi;
use utoipa::openapi::path::HttpMethod;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, RefOr, ResponseBuilder};

/// The tags that group the operations.
pub const REGISTRY: &str = "registry";
pub const CLAIMS: &str = "claims";
pub const STUDIES: &str = "studies";
pub const GRIEVANCES: &str = "grievances";
pub const SERVICE: &str = "service";

/// The operations of the handlers with fixed paths.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "carepool",
        description = "The registry of a social health protection scheme (locations, providers, families, members, coverage and contributions) and its claims. Amounts are decimal strings with at most two decimals; dates are YYYY-MM-DD."
    ),
    paths(
        crate::health,
        crate::openapi_json,
        crate::sessions::login,
        crate::sessions::logout,
        crate::audit_api::trail,
        crate::scheme_versions,
        crate::family_overview,
        claims_api::submit,
        claims_api::show,
        claims_api::review,
        claims_api::pay,
        claims_api::payment_runs,
        claims_api::release,
        claims_api::cover,
        crate::indicators_api::indicators,
        crate::premium_basis_api::warnings,
        crate::benchmark_api::benchmark,
        crate::premium_basis_api::list,
        crate::premium_basis_api::register,
        reserve_api::reserve,
        experience_api::experience,
        projection_api::project,
        costing_api::costing,
        crate::grievances_api::file,
        crate::grievances_api::list,
        crate::grievances_api::stats,
        crate::grievances_api::show,
        crate::grievances_api::step,
    ),
    // Referred to from inside JSON schemas, where utoipa does not look.
    components(schemas(
        ClaimSubmission,
        Amount,
        reserve_api::OriginReserveSchema,
        experience_api::RatesSchema
    )),
    tags(
        (name = REGISTRY, description = "Locations, providers, families, members, coverage and contributions, and the schemes' versions"),
        (name = CLAIMS, description = "Claims judged as they arrive, review, payment, and a member's cover"),
        (name = GRIEVANCES, description = "Grievances and their steps, within the caller's districts"),
        (name = STUDIES, description = "The monthly indicators, reserving and the experience study on the live database; projections and costings of the inputs sent"),
        (name = SERVICE, description = "The server itself"),
    )
)]
struct ApiDoc;

/// An amount in a study's answer, written as the registry writes money.
pub(crate) struct Amount;

json_schema!(Amount, "Amount", {
    "type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$",
    "description": "An amount in the scheme's currency as a decimal string with two decimals: what is owed, a premium, a cost. Rates, factors, shares and counts are numbers.",
    "examples": ["213144980.13"]
});

/// The whole document: [`ApiDoc`], and the tables' operations and records.
pub fn document() -> Document {
    let mut document = ApiDoc::openapi();
    let claims = &claim_tables::CLAIMS;
    let paths = &mut document.paths;
    for table in tables::ALL {
        let collection = collection_path(table);
        paths.add_path_operation(&collection, vec![HttpMethod::Get], list_operation(table));
        paths.add_path_operation(&collection, vec![HttpMethod::Post], create_operation(table));
        let item = item_path(table);
        paths.add_path_operation(&item, vec![HttpMethod::Get], read_operation(table));
        paths.add_path_operation(&item, vec![HttpMethod::Put], update_operation(table));
        paths.add_path_operation(
            history_path(table),
            vec![HttpMethod::Get],
            history_operation(table),
        );
    }
    // Claims are created by submission (`claims_api::submit`), listed as any table.
    paths.add_path_operation(
        collection_path(claims),
        vec![HttpMethod::Get],
        list_operation(claims),
    );
    let components = document.components.get_or_insert_default();
    for table in tables::ALL.into_iter().chain([claims]) {
        components
            .schemas
            .insert(schema_name(table), record_schema(table).into());
    }
    components.add_security_scheme(
        SESSION,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            crate::sessions::COOKIE_NAME,
            "The session cookie POST /api/login sets; writes also send X-CSRF-Token",
        ))),
    );
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("A token from `carepool token create --user NAME`"))
                .build(),
        ),
    );
    declare_access(&mut document);
    document
}

/// The security schemes: a user's token, a session's cookie.
const BEARER: &str = "bearer";
const SESSION: &str = "session";

/// Each operation of a route that needs a user says so: the bearer scheme, the permissions that
/// let a caller in, and the 401 and 403 answers. The route list is the source ([`Access`]).
fn declare_access(document: &mut Document) {
    let api = crate::api_routes().served().to_vec();
    for route in api.iter().filter(|route| route.surface == Surface::Api) {
        let who = match route.access {
            Access::Open => continue,
            Access::SignedIn => "Needs a signed-in user.".to_string(),
            Access::AnyOf(permissions) => {
                let needed: Vec<&str> = permissions.iter().map(|p| p.as_str()).collect();
                format!(
                    "Needs a user whose role has {} (docs/ACCESS.md).",
                    needed.join(" or ")
                )
            }
        };
        let Some(item) = document.paths.paths.get_mut(&route.path) else {
            continue;
        };
        let operation = match route.verb {
            Verb::Get => item.get.as_mut(),
            Verb::Post => item.post.as_mut(),
            Verb::Put => item.put.as_mut(),
        };
        let Some(operation) = operation else {
            continue;
        };
        operation.security = Some(vec![
            SecurityRequirement::new(BEARER, Vec::<String>::new()),
            SecurityRequirement::new(SESSION, Vec::<String>::new()),
        ]);
        operation.description = Some(match operation.description.take() {
            Some(description) => format!("{description}\n\n{who}"),
            None => who,
        });
        let responses = &mut operation.responses.responses;
        for (status, meaning) in [
            (
                "401",
                "No token, or one that is unknown, expired or revoked (`unauthenticated`)",
            ),
            ("403", "The user's role may not do this (`forbidden`)"),
        ] {
            let response = ResponseBuilder::new()
                .description(meaning)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Error")))
                        .build(),
                )
                .build();
            responses.insert(status.to_string(), response.into());
        }
    }
}

/// A schema written as JSON, in utoipa's model. Utoipa drops a keyword its model lacks without
/// a word, so debug builds (the tests) check that the model keeps all of it.
pub fn from_json(json: JsonValue) -> RefOr<Schema> {
    let schema = serde_json::from_value(json.clone())
        .unwrap_or_else(|error| panic!("not a schema utoipa reads ({error}): {json}"));
    debug_assert_eq!(
        serde_json::to_value(&schema).ok(),
        Some(json),
        "utoipa's model drops part of this schema"
    );
    schema
}

/// Gives `$ty` the OpenAPI schema `$schema`, written as JSON, under the name `$name`: for a body
/// whose Rust type belongs to another crate, or reads another crate's type.
macro_rules! json_schema {
    ($ty:ty, $name:literal, $schema:tt) => {
        impl utoipa::ToSchema for $ty {
            fn name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
        }

        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::openapi::from_json(serde_json::json!($schema))
            }
        }
    };
}
pub(crate) use json_schema;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::{ServedRoute, Surface, Verb};
    use crate::{Access, api_routes};
    use carepool_core::claims::ReasonCode;
    use std::collections::BTreeSet;

    /// A method and a path, as the document writes them: `("get", "/api/members/{id}")`.
    type Route = (String, String);

    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];

    fn json(document: Document) -> JsonValue {
        serde_json::to_value(document).unwrap()
    }

    fn served(routes: &[ServedRoute]) -> BTreeSet<Route> {
        let method = |verb| match verb {
            Verb::Get => "get",
            Verb::Post => "post",
            Verb::Put => "put",
        };
        // Pages are HTML for people at a browser: the API's document is not theirs.
        routes
            .iter()
            .filter(|route| route.surface == Surface::Api)
            .map(|route| (method(route.verb).to_string(), route.path.clone()))
            .collect()
    }

    fn documented(document: &JsonValue) -> BTreeSet<Route> {
        let mut routes = BTreeSet::new();
        for (path, item) in document["paths"].as_object().unwrap() {
            for method in METHODS.into_iter().filter(|m| item.get(*m).is_some()) {
                routes.insert((method.to_string(), path.clone()));
            }
        }
        routes
    }

    /// The routes served but not documented, and the operations documented but not served.
    fn compare(routes: &[ServedRoute], document: &JsonValue) -> (Vec<Route>, Vec<Route>) {
        let (served, documented) = (served(routes), documented(document));
        (
            served.difference(&documented).cloned().collect(),
            documented.difference(&served).cloned().collect(),
        )
    }

    fn route(method: &str, path: &str) -> Route {
        (method.to_string(), path.to_string())
    }

    #[test]
    fn every_route_served_is_documented_and_every_operation_is_served() {
        let routes = api_routes();
        assert!(!routes.served().is_empty());
        assert_eq!(
            compare(routes.served(), &json(document())),
            (vec![], vec![])
        );
    }

    #[test]
    fn a_route_added_without_documentation_is_reported() {
        let routes = api_routes()
            .add(Verb::Get, "/api/undocumented", Access::Open, || async {})
            .add(Verb::Put, "/api/claims/pay", Access::Open, || async {});
        let (undocumented, unserved) = compare(routes.served(), &json(document()));
        assert_eq!(
            undocumented,
            vec![
                route("get", "/api/undocumented"),
                route("put", "/api/claims/pay")
            ]
        );
        assert_eq!(unserved, vec![]);
    }

    #[test]
    fn an_operation_whose_route_is_gone_is_reported() {
        let routes = api_routes();
        let without_pay: Vec<ServedRoute> = routes
            .served()
            .iter()
            .filter(|r| r.path != "/api/claims/pay")
            .cloned()
            .collect();
        let (undocumented, unserved) = compare(&without_pay, &json(document()));
        assert_eq!(undocumented, vec![]);
        assert_eq!(unserved, vec![route("post", "/api/claims/pay")]);
    }

    #[test]
    fn every_operation_that_needs_a_user_declares_the_bearer_scheme() {
        let document = json(document());
        assert_eq!(
            document["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        let routes = api_routes();
        for route in routes.served().iter().filter(|r| r.surface == Surface::Api) {
            let operation = &document["paths"][&route.path][route.verb.as_str().to_lowercase()];
            let security = &operation["security"];
            match route.access {
                Access::Open => assert!(security.is_null(), "{} is open", route.path),
                Access::SignedIn | Access::AnyOf(_) => {
                    assert_eq!(
                        security,
                        &serde_json::json!([{ "bearer": [] }, { "session": [] }]),
                        "{}",
                        route.path
                    );
                    assert!(operation["responses"]["403"].is_object(), "{}", route.path);
                }
            }
        }
    }

    /// `$ref`s written by hand (in the JSON schemas) name a schema the document holds.
    #[test]
    fn every_reference_resolves() {
        fn references(value: &JsonValue, found: &mut Vec<String>) {
            match value {
                JsonValue::Object(object) => {
                    if let Some(JsonValue::String(target)) = object.get("$ref") {
                        found.push(target.clone());
                    }
                    object.values().for_each(|v| references(v, found));
                }
                JsonValue::Array(items) => items.iter().for_each(|v| references(v, found)),
                _ => {}
            }
        }
        let document = json(document());
        let mut found = Vec::new();
        references(&document, &mut found);
        assert!(!found.is_empty());
        for target in found {
            let name = target
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("{target} is not a schema of this document"));
            assert!(
                document["components"]["schemas"][name].is_object(),
                "{target} is missing"
            );
        }
    }

    #[test]
    fn the_schemas_come_from_the_code() {
        let document = json(document());
        let schemas = &document["components"]["schemas"];
        let codes = &schemas["ClaimView"]["properties"]["reason_codes"]["items"]["enum"];
        assert_eq!(codes.as_array().unwrap().len(), ReasonCode::ALL.len());
        assert_eq!(
            schemas["ErrorCode"]["enum"],
            serde_json::json!([
                "bad_request",
                "unauthenticated",
                "forbidden",
                "locked",
                "unsupported_media_type",
                "payload_too_large",
                "request_timeout",
                "invalid",
                "not_eligible",
                "not_found",
                "method_not_allowed",
                "conflict",
                "not_estimable",
                "internal"
            ])
        );
        assert_eq!(
            schemas["Member"]["properties"]["monthly_wage"]["type"],
            serde_json::json!(["string", "null"])
        );
    }
}
