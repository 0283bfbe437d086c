//! The registry's tables over HTTP: generic handlers, given a table's descriptor, list, read,
//! create and update its rows, so every kind has the same verbs.

use crate::error::ApiError;
use crate::{DEFAULT_PER_PAGE, MAX_PER_PAGE};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use carepool_schema::json::{row_from_json, row_to_json};
use carepool_schema::{Table, Value};
use carepool_service::Registry;
use carepool_store::ListQuery;
use serde_json::{Value as JsonValue, json};
use std::collections::HashMap;

/// `/api/members`: where a table's rows are listed and created.
pub fn collection_path(table: &Table) -> String {
    format!("/api/{}", table.name)
}

/// `/api/members/{id}`, `/api/coverage/{member_id}/{start_date}`: one segment per key column.
/// Axum and OpenAPI both write path parameters as `{name}`.
pub fn item_path(table: &Table) -> String {
    let segments: Vec<String> = table
        .key
        .iter()
        .map(|&i| format!("{{{}}}", table.columns[i].name))
        .collect();
    format!("/api/{}/{}", table.name, segments.join("/"))
}

/// A table's rows, a page at a time, filtered on the columns that allow it.
pub async fn list(
    table: &'static Table,
    State(registry): State<Registry>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let number = |name: &'static str, default: u64| -> Result<u64, ApiError> {
        params.get(name).map_or(Ok(default), |v| {
            v.parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                ApiError::invalid_field(name, format!("'{v}' is not a whole number of at least 1"))
            })
        })
    };
    let page = number("page", 1)?;
    let per_page = number("per_page", DEFAULT_PER_PAGE)?.min(MAX_PER_PAGE);
    let mut filters = Vec::new();
    for (name, text) in &params {
        if name == "page" || name == "per_page" {
            continue;
        }
        let index = table
            .column_index(name)
            .filter(|&i| table.columns[i].filterable || table.key.contains(&i))
            .ok_or_else(|| {
                let allowed: Vec<&str> = table
                    .columns
                    .iter()
                    .filter(|c| c.filterable)
                    .map(|c| c.name)
                    .collect();
                ApiError::invalid_field(
                    name,
                    format!(
                        "cannot filter {} on '{name}'; filters: {}",
                        table.name,
                        allowed.join(", ")
                    ),
                )
            })?;
        filters.push((index, Value::parse(&table.columns[index], text)?));
    }
    // One row more than asked tells whether another page follows.
    let query = ListQuery {
        filters,
        after: None,
        offset: (page - 1) * per_page,
        limit: per_page + 1,
    };
    let mut rows = registry.list(table, &query).await?;
    let has_more = rows.len() as u64 > per_page;
    rows.truncate(per_page as usize);
    let items: Vec<JsonValue> = rows.iter().map(|r| row_to_json(table, r)).collect();
    Ok(Json(
        json!({ "items": items, "page": page, "per_page": per_page, "has_more": has_more }),
    ))
}

/// One row by its key.
pub async fn read(
    table: &'static Table,
    State(registry): State<Registry>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let key = key_from_path(table, &params)?;
    let row = registry.get(table, &key).await?;
    Ok(Json(row_to_json(table, &row)))
}

/// A new row, checked as an imported one is.
pub async fn create(
    table: &'static Table,
    State(registry): State<Registry>,
    body: Bytes,
) -> Result<(StatusCode, Json<JsonValue>), ApiError> {
    let row = parse_body(table, &body)?;
    let created = registry.create(table, row).await?;
    Ok((StatusCode::CREATED, Json(row_to_json(table, &created))))
}

/// A row replaced whole; its key cannot change.
pub async fn update(
    table: &'static Table,
    State(registry): State<Registry>,
    Path(params): Path<HashMap<String, String>>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let key = key_from_path(table, &params)?;
    let row = parse_body(table, &body)?;
    if table.key_of(&row) != key {
        let field = table.columns[table.key[0]].name;
        return Err(ApiError::invalid_field(
            field,
            "the key in the body differs from the key in the path; a key cannot be changed",
        ));
    }
    let updated = registry.update(table, row).await?;
    Ok(Json(row_to_json(table, &updated)))
}

fn key_from_path(table: &Table, params: &HashMap<String, String>) -> Result<Vec<Value>, ApiError> {
    table
        .key
        .iter()
        .map(|&i| {
            let column = &table.columns[i];
            let text = params
                .get(column.name)
                .map(String::as_str)
                .unwrap_or_default();
            Value::parse(column, text).map_err(ApiError::from)
        })
        .collect()
}

fn parse_body(table: &Table, body: &Bytes) -> Result<Vec<Value>, ApiError> {
    let json: JsonValue = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
    Ok(row_from_json(table, &json)?)
}
