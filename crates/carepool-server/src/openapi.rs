//! The OpenAPI 3.1 description of the API, built from the same table descriptors that drive the
//! routes, so the two cannot disagree.

use crate::registry_api::{collection_path, item_path};
use crate::{DEFAULT_PER_PAGE, MAX_PER_PAGE};
use carepool_core::claims::{ClaimStatus, ReasonCode};
use carepool_schema::{ColumnType, Table};
use carepool_schema::{claim_tables, tables};
use serde_json::{Map, Value, json};

pub fn document() -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for table in tables::ALL {
        let schema_name = schema_name(table);
        schemas.insert(schema_name.clone(), record_schema(table));
        let reference = json!({ "$ref": format!("#/components/schemas/{schema_name}") });
        paths.insert(
            collection_path(table),
            collection_operations(table, &reference),
        );
        // Axum and OpenAPI both write path parameters as `{name}`.
        paths.insert(item_path(table), item_operations(table, &reference));
    }
    paths.insert(
        "/api/families/{id}/overview".into(),
        json!({ "get": {
            "summary": "A family with its members, their cover, its contributions and its contribution standing",
            "parameters": [
                path_parameter("id"),
                { "name": "as_of", "in": "query", "schema": { "type": "string", "format": "date" },
                  "description": "Date of the standing (arrears, suspension); default today." }
            ],
            "responses": { "200": { "description": "The family overview" }, "404": error_response("No such family") }
        }}),
    );
    paths.insert(
        "/api/schemes/{code}".into(),
        json!({ "get": {
            "summary": "Every version of a scheme's definition, oldest first",
            "parameters": [path_parameter("code")],
            "responses": { "200": { "description": "The versions" }, "404": error_response("No such scheme") }
        }}),
    );
    claims(&mut paths, &mut schemas);
    schemas.insert("Error".into(), error_schema());
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "carepool",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The registry of a social health protection scheme (locations, providers, families, members, coverage and contributions) and its claims. Amounts are decimal strings with at most two decimals; dates are YYYY-MM-DD."
        },
        "paths": paths,
        "components": { "schemas": schemas }
    })
}

/// The claims endpoints: submission with the decision back, a claim with its reasons, review,
/// payment, and the cover check.
fn claims(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let stored = &claim_tables::CLAIMS;
    schemas.insert(schema_name(stored), record_schema(stored));
    let reason_codes: Vec<&str> = ReasonCode::ALL.iter().map(|c| c.as_str()).collect();
    schemas.insert(
        "ClaimSubmission".into(),
        json!({
            "type": "object",
            "description": "A claim as a facility sends it (the columns of a claims CSV file, with its lines).",
            "required": ["provider_id", "claim_number", "member_id", "clinical_category", "received_date", "lines"],
            "properties": {
                "provider_id": { "type": "string" }, "claim_number": { "type": "string" },
                "member_id": { "type": "string" },
                "visit_date": { "type": "string", "format": "date" },
                "admission_date": { "type": "string", "format": "date" },
                "discharge_date": { "type": "string", "format": "date" },
                "diagnosis_codes": { "type": "array", "items": { "type": "string" } },
                "clinical_category": { "type": "string" }, "specialty": { "type": "string" },
                "limit_raising_case": { "type": "string" },
                "copay_collected": { "type": "string" },
                "received_date": { "type": "string", "format": "date" },
                "lines": { "type": "array", "items": { "type": "object",
                    "required": ["service_code", "quantity", "unit_price"],
                    "properties": { "service_code": { "type": "string" }, "quantity": { "type": "integer" },
                                    "unit_price": { "type": "string" } } } }
            }
        }),
    );
    schemas.insert(
        "ClaimView".into(),
        json!({
            "type": "object",
            "description": "A claim with its decision: the submission's fields, status, amounts (claimed = approved + member_share + rejected), allowance, paid, dates, reason_codes, line_decisions, and every reason in words.",
            "properties": {
                "id": { "type": "string" },
                "status": { "type": "string", "enum": ClaimStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>() },
                "reason_codes": { "type": "array", "items": { "type": "string", "enum": reason_codes } },
                "reasons": { "type": "array", "items": { "type": "object", "properties": {
                    "code": { "type": "string" }, "line": { "type": ["integer", "null"] },
                    "amount": { "type": ["string", "null"] }, "message": { "type": "string" } } } }
            }
        }),
    );
    let view = json!({ "$ref": "#/components/schemas/ClaimView" });
    let claim_key = [
        path_parameter("provider_id"),
        path_parameter("claim_number"),
    ];
    let mut collection = collection_operations(
        stored,
        &json!({ "$ref": format!("#/components/schemas/{}", schema_name(stored)) }),
    );
    collection["post"] = json!({
        "summary": "Submit a claim, or an array of claims: received and judged at once",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "oneOf": [
            { "$ref": "#/components/schemas/ClaimSubmission" },
            { "type": "array", "items": { "$ref": "#/components/schemas/ClaimSubmission" } } ] } } } },
        "responses": {
            "201": { "description": "The decisions, one per claim (an array for an array)", "content": { "application/json": { "schema": view } } },
            "400": error_response("The body is not JSON"),
            "422": error_response("A claim is malformed, or was sent before with other content")
        }
    });
    paths.insert("/api/claims".into(), collection);
    paths.insert(
        "/api/claims/{provider_id}/{claim_number}".into(),
        json!({ "get": {
            "summary": "A claim, its lines and every reason given on it",
            "parameters": claim_key,
            "responses": { "200": { "description": "The claim", "content": { "application/json": { "schema": view } } },
                           "404": error_response("No such claim") }
        }}),
    );
    paths.insert(
        "/api/claims/{provider_id}/{claim_number}/review".into(),
        json!({ "post": {
            "summary": "A medical reviewer's decision on a claim in review",
            "parameters": claim_key,
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object", "required": ["decision", "note"],
                "properties": { "decision": { "type": "string", "enum": ["approve", "adjust", "reject"] },
                                "approved": { "type": "string", "description": "For adjust: what the scheme pays." },
                                "note": { "type": "string" } } } } } },
            "responses": { "200": { "description": "The claim after review", "content": { "application/json": { "schema": view } } },
                           "404": error_response("No such claim"),
                           "409": error_response("The claim is not in review, or the amount is above what was approved"),
                           "422": error_response("No note, or a negative amount") }
        }}),
    );
    paths.insert(
        "/api/claims/pay".into(),
        json!({ "post": {
            "summary": "Pay every claim approved by the end of the month and not yet paid: one payment per facility, allowances to patients",
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object", "required": ["period"],
                "properties": { "period": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$" },
                                "date": { "type": "string", "format": "date" } } } } } },
            "responses": { "200": { "description": "The payments made" },
                           "422": error_response("The period is not a month YYYY-MM") }
        }}),
    );
    paths.insert(
        "/api/reserve".into(),
        json!({ "post": {
            "summary": "Reserves on the live database: IBNR and RBNP by origin and in total (docs/RESERVING.md)",
            "requestBody": { "required": false, "content": { "application/json": { "schema": {
                "type": "object", "additionalProperties": false,
                "properties": {
                    "method": { "type": "string", "enum": ["chain-ladder", "mack", "bf", "benktander", "cape-cod"], "default": "mack" },
                    "sigma": { "type": "string", "enum": ["mack", "log-linear"], "description": "mack only: the last sigma's convention." },
                    "origin": { "type": "string", "enum": ["month", "quarter", "year"], "default": "quarter" },
                    "development": { "type": "string", "enum": ["reported", "paid"], "default": "reported" },
                    "measure": { "type": "string", "enum": ["amount", "count"], "default": "amount" },
                    "valuation": { "type": "string", "format": "date", "description": "Default today." },
                    "average": { "type": "string", "description": "volume (default), simple, or N: volume over the latest N origins." },
                    "exclude": { "type": "array", "items": { "type": "string" }, "description": "Links left out, as ORIGIN:LAG." },
                    "tail": { "type": "number", "default": 1 },
                    "loss_ratio": { "type": "number", "description": "bf and benktander: the a priori loss ratio." },
                    "iterations": { "type": "integer", "default": 2, "description": "benktander only." },
                    "exposure": { "type": "object", "additionalProperties": { "type": "number" }, "description": "bf, benktander, cape-cod: earned premium by origin label." }
                } } } } },
            "responses": { "200": { "description": "The study, as `carepool reserve --out FILE.json` writes it (docs/RESERVING.md)" },
                           "422": error_response("An option is wrong (`field` names it), or the claims do not allow the estimate (`not_estimable`)") }
        }}),
    );
    paths.insert(
        "/api/experience".into(),
        json!({ "post": {
            "summary": "The experience study on the live database: exposure, incidence, average cost, base table, relativities, GLMs and diagnostics (docs/EXPERIENCE.md)",
            "requestBody": { "required": false, "content": { "application/json": { "schema": {
                "type": "object", "additionalProperties": false,
                "properties": {
                    "scheme": { "type": "string", "description": "The scheme studied; default every family." },
                    "from": { "type": "string", "format": "date", "description": "Default 1 January two years before `to`." },
                    "to": { "type": "string", "format": "date", "description": "Default today." },
                    "split": { "type": "string", "enum": ["year", "month"], "default": "year" },
                    "age_bands": { "type": "array", "items": { "type": "integer" }, "description": "Starts of the age bands; default [0, 5, 15, 25, 45, 65]." },
                    "duration_bands": { "type": "array", "items": { "type": "integer" }, "description": "Starts of the duration bands in months since enrolment; default [0, 3, 6, 12, 24]." },
                    "base": { "type": "object", "additionalProperties": { "type": "string" }, "description": "Base level by factor (age, sex, area, duration), e.g. {\"sex\": \"M\"}; default the level with the most exposure." },
                    "glm_factors": { "type": "array", "items": { "type": "string", "enum": ["age", "sex", "area", "duration"] }, "description": "Default [age, sex, area]." }
                } } } } },
            "responses": { "200": { "description": "The study, as `carepool experience --out FILE.json` writes it (docs/EXPERIENCE.md)" },
                           "422": error_response("An option is wrong (`field` names it), or no member was covered in the period (`not_estimable`)") }
        }}),
    );
    paths.insert(
        "/api/project".into(),
        json!({ "post": {
            "summary": "A projection and its stress tests: premium by year, level premium, reserve, refund and the range (docs/PROJECTION.md)",
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object",
                "description": "The assumptions file's content as JSON (docs/PROJECTION.md), the base table's lines inline: base, projection, trends, population, relativities, benefit_changes, new_benefits, loadings, stress.",
                "required": ["base", "projection", "population"]
            } } } },
            "responses": { "200": { "description": "The projection and stress tests, as `carepool project --out FILE.json` writes them" },
                           "422": error_response("An assumption is wrong (`field` names it)") }
        }}),
    );
    paths.insert(
        "/api/costing".into(),
        json!({ "post": {
            "summary": "A national costing: cost by year and benefit, per capita, shares of GDP and government expenditure, financing gap (docs/PROJECTION.md)",
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object",
                "description": "The costing file's content as JSON: horizon, coverage, population, benefits, economy, revenue.",
                "required": ["horizon", "coverage", "population", "benefits", "economy", "revenue"]
            } } } },
            "responses": { "200": { "description": "The years, as `carepool project --costing FILE --out X.json` writes them" },
                           "422": error_response("An input is wrong (`field` names it)") }
        }}),
    );
    paths.insert(
        "/api/members/{id}/cover".into(),
        json!({ "get": {
            "summary": "Is the member covered on a date, and what is left of each annual limit",
            "parameters": [
                path_parameter("id"),
                { "name": "date", "in": "query", "schema": { "type": "string", "format": "date" },
                  "description": "Default today." }
            ],
            "responses": { "200": { "description": "The member's cover" }, "404": error_response("No such member") }
        }}),
    );
}

fn schema_name(table: &Table) -> String {
    let mut name: String = table.singular.split(' ').map(capitalise).collect();
    name.retain(|c| c.is_alphanumeric());
    name
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn record_schema(table: &Table) -> Value {
    let mut properties = Map::new();
    for column in table.columns {
        let mut schema = match column.ty {
            ColumnType::Text => json!({ "type": "string" }),
            ColumnType::Integer => json!({ "type": "integer" }),
            ColumnType::Real => json!({ "type": "number" }),
            ColumnType::Date => json!({ "type": "string", "format": "date" }),
            ColumnType::Money => {
                json!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]{1,2})?$" })
            }
            ColumnType::List => json!({ "type": "array", "items": { "type": "string" } }),
        };
        if !column.required && column.ty != ColumnType::List {
            let ty = schema["type"].clone();
            schema["type"] = json!([ty, "null"]);
        }
        schema["description"] = json!(column.doc);
        properties.insert(column.name.to_string(), schema);
    }
    let required: Vec<&str> = table
        .columns
        .iter()
        .filter(|c| c.required)
        .map(|c| c.name)
        .collect();
    json!({ "type": "object", "properties": properties, "required": required, "additionalProperties": false })
}

fn collection_operations(table: &Table, reference: &Value) -> Value {
    let mut parameters = vec![
        json!({ "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1, "default": 1 } }),
        json!({ "name": "per_page", "in": "query",
                "schema": { "type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE } }),
    ];
    for column in table.columns.iter().filter(|c| c.filterable) {
        parameters.push(json!({
            "name": column.name, "in": "query", "schema": { "type": "string" },
            "description": format!("Only {} whose {} is this value.", table.name, column.name)
        }));
    }
    json!({
        "get": {
            "summary": format!("List {} in key order, a page at a time", table.name),
            "parameters": parameters,
            "responses": {
                "200": { "description": "A page", "content": { "application/json": { "schema": {
                    "type": "object",
                    "properties": {
                        "items": { "type": "array", "items": reference },
                        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "has_more": { "type": "boolean" }
                    }
                }}}},
                "422": error_response("A filter or paging parameter is wrong")
            }
        },
        "post": {
            "summary": format!("Create a {}", table.singular),
            "requestBody": { "required": true, "content": { "application/json": { "schema": reference } } },
            "responses": {
                "201": { "description": "Created", "content": { "application/json": { "schema": reference } } },
                "400": error_response("The body is not JSON"),
                "409": error_response("The key or a unique value is taken"),
                "422": error_response("A field breaks a rule, a reference is unknown, or (coverage) the member is not eligible")
            }
        }
    })
}

fn item_operations(table: &Table, reference: &Value) -> Value {
    let parameters: Vec<Value> = table
        .key
        .iter()
        .map(|&i| path_parameter(table.columns[i].name))
        .collect();
    json!({
        "get": {
            "summary": format!("Read a {}", table.singular),
            "parameters": parameters,
            "responses": {
                "200": { "description": "Found", "content": { "application/json": { "schema": reference } } },
                "404": error_response("No such record")
            }
        },
        "put": {
            "summary": format!("Replace a {}", table.singular),
            "parameters": parameters,
            "requestBody": { "required": true, "content": { "application/json": { "schema": reference } } },
            "responses": {
                "200": { "description": "Updated", "content": { "application/json": { "schema": reference } } },
                "404": error_response("No such record"),
                "422": error_response("A field breaks a rule")
            }
        }
    })
}

fn path_parameter(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } })
}

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "properties": { "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": { "type": "string", "enum": ["bad_request", "invalid", "not_eligible", "not_found", "conflict", "not_estimable", "internal"] },
                "message": { "type": "string" },
                "field": { "type": ["string", "null"] },
                "rules": { "type": "array", "items": { "type": "object", "properties": {
                    "rule": { "type": "string" }, "message": { "type": "string" } } } },
                "problems": { "type": "array", "items": { "type": "object" } }
            }
        }}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_claims_endpoints_are_described() {
        let document = document();
        for (path, method) in [
            ("/api/claims", "get"),
            ("/api/claims", "post"),
            ("/api/claims/{provider_id}/{claim_number}", "get"),
            ("/api/claims/{provider_id}/{claim_number}/review", "post"),
            ("/api/claims/pay", "post"),
            ("/api/members/{id}/cover", "get"),
            ("/api/reserve", "post"),
            ("/api/experience", "post"),
            ("/api/project", "post"),
            ("/api/costing", "post"),
        ] {
            assert!(
                document["paths"][path][method].is_object(),
                "{method} {path}"
            );
        }
        let codes = &document["components"]["schemas"]["ClaimView"]["properties"]["reason_codes"]["items"]
            ["enum"];
        assert_eq!(codes.as_array().unwrap().len(), ReasonCode::ALL.len());
    }
}
