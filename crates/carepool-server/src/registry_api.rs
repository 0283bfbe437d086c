//! The registry's tables over HTTP: generic handlers, given a record type, list, read, create
//! and update its records, so every kind has the same verbs. The same descriptor describes
//! those operations and the record's schema in the OpenAPI document (the `*_operation`
//! functions beside each handler).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::REGISTRY;
use crate::{DEFAULT_PER_PAGE, MAX_PER_PAGE};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use carepool_core::registry::excerpt;
use carepool_schema::json::{row_from_json, row_to_json};
use carepool_schema::{ColumnType, Record, Table};
use carepool_service::{Key, Query as RecordQuery, Registry, RowProblem, Scope, ServiceError};
use serde_json::{Value as JsonValue, json};
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa::openapi::path::{
    Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::{RequestBody, RequestBodyBuilder};
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat,
    SchemaType, Type,
};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, Response, ResponseBuilder};

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

/// A table's records, a page at a time, filtered on the columns that allow it.
pub async fn list<R: Record + Send + Sync>(
    caller: Caller,
    State(registry): State<Registry>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let scope = caller.scope(&registry).await?;
    list_within::<R>(&registry, &params, &scope, None).await
}

/// As [`list`], within `scope`, and within the records whose column `own.0` is `own.1` (a
/// facility's own).
pub async fn list_within<R: Record + Send + Sync>(
    registry: &Registry,
    params: &HashMap<String, String>,
    scope: &Scope,
    own: Option<(&str, &str)>,
) -> Result<Json<JsonValue>, ApiError> {
    let number = |name: &'static str, default: u64| -> Result<u64, ApiError> {
        params.get(name).map_or(Ok(default), |v| {
            v.parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                ApiError::bad_parameter(
                    name,
                    format!("{} is not a whole number of at least 1", excerpt(v)),
                )
            })
        })
    };
    let page = number("page", 1)?;
    let per_page = number("per_page", DEFAULT_PER_PAGE)?.min(MAX_PER_PAGE);
    // One record more than asked tells whether another page follows.
    let offset = (page - 1)
        .checked_mul(per_page)
        .filter(|&offset| offset <= i64::MAX as u64)
        .ok_or_else(|| ApiError::bad_parameter("page", format!("page {page} is past any list")))?;
    let mut query = RecordQuery::<R>::page(offset, per_page + 1).within(scope);
    if let Some((name, text)) = own {
        query = query.only_named(name, text)?;
    }
    for (name, text) in params {
        if name != "page" && name != "per_page" {
            query = query.only_named(name, text)?;
        }
    }
    let mut records = registry.list(&query).await?;
    let has_more = records.len() as u64 > per_page;
    records.truncate(per_page as usize);
    let items: Vec<JsonValue> = records.iter().map(to_json).collect();
    Ok(Json(
        json!({ "items": items, "page": page, "per_page": per_page, "has_more": has_more }),
    ))
}

/// What [`list`] answers.
pub fn list_operation(table: &Table) -> Operation {
    let mut parameters = vec![
        query_parameter(
            "page",
            None,
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .default(Some(json!(1))),
        ),
        query_parameter(
            "per_page",
            None,
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(MAX_PER_PAGE))
                .default(Some(json!(DEFAULT_PER_PAGE))),
        ),
    ];
    for column in table.columns.iter().filter(|c| c.filterable) {
        let description = format!("Only {} whose {} is this value.", table.name, column.name);
        parameters.push(query_parameter(
            column.name,
            Some(description),
            ObjectBuilder::new().schema_type(Type::String),
        ));
    }
    let page = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("items", ArrayBuilder::new().items(record_ref(table)))
        .property("page", ObjectBuilder::new().schema_type(Type::Integer))
        .property("per_page", ObjectBuilder::new().schema_type(Type::Integer))
        .property("has_more", ObjectBuilder::new().schema_type(Type::Boolean));
    operation(format!("list_{}", table.name))
        .summary(Some(format!(
            "List {} in key order, a page at a time",
            table.name
        )))
        .parameters(Some(parameters))
        .response("200", json_response("A page", page))
        .response(
            "422",
            error_response("A filter or paging parameter is wrong"),
        )
        .build()
}

/// One record by its key.
pub async fn read<R: Record + Send + Sync>(
    caller: Caller,
    State(registry): State<Registry>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let key = key_from_path::<R>(&params)?;
    let record = registry
        .get_within(&key, &caller.scope(&registry).await?)
        .await?;
    Ok(Json(to_json(&record)))
}

/// What [`read`] answers.
pub fn read_operation(table: &Table) -> Operation {
    operation(format!("read_{}", table.name))
        .summary(Some(format!("Read a {}", table.singular)))
        .parameters(Some(key_parameters(table)))
        .response("200", json_response("Found", record_ref(table)))
        .response("404", error_response("No such record"))
        .build()
}

/// `/api/members/{id}/history`: a record's versions.
pub fn history_path(table: &Table) -> String {
    format!("{}/history", item_path(table))
}

/// Every version of a record, oldest first, with who made it and when.
pub async fn history<R: Record + Send + Sync>(
    caller: Caller,
    State(registry): State<Registry>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let key = key_from_path::<R>(&params)?;
    // Out of scope, or gone: as if it did not exist.
    registry
        .get_within(&key, &caller.scope(&registry).await?)
        .await?;
    let versions = registry.history(&key).await?;
    Ok(Json(serde_json::to_value(&versions).map_err(|e| {
        ApiError::internal(format!("writing a record's history: {e}"))
    })?))
}

/// What [`history`] answers.
pub fn history_operation(table: &Table) -> Operation {
    let version = ObjectBuilder::new()
        .property("at", ObjectBuilder::new().schema_type(Type::String))
        .property("actor", ObjectBuilder::new().schema_type(Type::String))
        .property("action", ObjectBuilder::new().schema_type(Type::String))
        .property("record", record_ref(table))
        .required("action")
        .required("record");
    operation(format!("history_of_{}", table.singular.replace(' ', "_")))
        .summary(Some(format!(
            "Every version of a {}, oldest first, with who made it and when",
            table.singular
        )))
        .parameters(Some(key_parameters(table)))
        .response(
            "200",
            json_response("Its versions", ArrayBuilder::new().items(version)),
        )
        .response("404", error_response("No such record"))
        .build()
}

/// A new record, checked as an imported one is.
pub async fn create<R: Record + Send + Sync>(
    caller: Caller,
    State(registry): State<Registry>,
    body: Bytes,
) -> Result<(StatusCode, Json<JsonValue>), ApiError> {
    let record: R = parse_body(&body)?;
    let created = create_for(&caller, &registry, record).await?;
    Ok((StatusCode::CREATED, Json(to_json(&created))))
}

/// Adds `record` for `caller`: only within their scope, recorded as theirs. The API's and the
/// pages' one way to add a registry record.
pub async fn create_for<R: Record>(
    caller: &Caller,
    registry: &Registry,
    record: R,
) -> Result<R, ApiError> {
    registry
        .check_within(&record, &caller.scope(registry).await?)
        .await?;
    Ok(registry
        .clone()
        .acting_as(caller.actor()?)
        .create(record)
        .await?)
}

/// Replaces the record `key` with `record` for `caller`: a record out of their scope is not
/// there to replace, nor may it be moved out; a key cannot change. The API's and the pages' one
/// way to change a registry record.
pub async fn update_for<R: Record>(
    caller: &Caller,
    registry: &Registry,
    key: &Key<R>,
    record: R,
) -> Result<R, ApiError> {
    let scope = caller.scope(registry).await?;
    registry.get_within(key, &scope).await?;
    if Key::of(&record) != *key {
        let table = R::table();
        let field = table.columns[table.key[0]].name;
        return Err(ApiError::invalid_field(
            field,
            "the key in the body differs from the key in the path; a key cannot be changed",
        ));
    }
    registry.check_within(&record, &scope).await?;
    Ok(registry
        .clone()
        .acting_as(caller.actor()?)
        .update(record)
        .await?)
}

/// What [`create`] answers.
pub fn create_operation(table: &Table) -> Operation {
    operation(format!("create_{}", table.name))
        .summary(Some(format!("Create a {}", table.singular)))
        .request_body(Some(record_body(table)))
        .response("201", json_response("Created", record_ref(table)))
        .response("400", error_response("The body is not JSON"))
        .response("409", error_response("The key or a unique value is taken"))
        .response(
            "422",
            error_response(
                "A field breaks a rule, a reference is unknown, or (coverage) the member is not eligible",
            ),
        )
        .build()
}

/// A record replaced whole; its key cannot change.
pub async fn update<R: Record + Send + Sync>(
    caller: Caller,
    State(registry): State<Registry>,
    Path(params): Path<HashMap<String, String>>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let key = key_from_path::<R>(&params)?;
    // Out of scope, the record is not there to replace.
    let scope = caller.scope(&registry).await?;
    registry.get_within(&key, &scope).await?;
    let record: R = parse_body(&body)?;
    let updated = update_for(&caller, &registry, &key, record).await?;
    Ok(Json(to_json(&updated)))
}

/// What [`update`] answers.
pub fn update_operation(table: &Table) -> Operation {
    operation(format!("update_{}", table.name))
        .summary(Some(format!("Replace a {}", table.singular)))
        .parameters(Some(key_parameters(table)))
        .request_body(Some(record_body(table)))
        .response("200", json_response("Updated", record_ref(table)))
        .response("404", error_response("No such record"))
        .response("422", error_response("A field breaks a rule"))
        .build()
}

fn key_from_path<R: Record>(params: &HashMap<String, String>) -> Result<Key<R>, ApiError> {
    Ok(Key::parse(|name| params.get(name).map(String::as_str))?)
}

/// The body as a record: JSON of the right shape, then the record's own rules, each refusal
/// naming its field.
fn parse_body<R: Record>(body: &Bytes) -> Result<R, ApiError> {
    let json: JsonValue = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
    let row = row_from_json(R::table(), &json)?;
    R::from_row(&row)
        .map_err(|broken| ServiceError::Invalid(vec![RowProblem::of_field(0, broken)]).into())
}

fn to_json<R: Record>(record: &R) -> JsonValue {
    row_to_json(R::table(), &record.to_row())
}

/// The name of a table's record in the document's schemas: `CoveragePeriod` for "coverage
/// period".
pub fn schema_name(table: &Table) -> String {
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

/// A row as JSON: one property per column, with its type, whether it may be null, and its doc.
pub fn record_schema(table: &Table) -> Schema {
    let mut record = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    for column in table.columns {
        let description = Some(column.doc);
        // A list is never null: an empty one is `[]`.
        let nullable = |ty: Type| match column.required {
            true => ObjectBuilder::new().schema_type(ty),
            false => ObjectBuilder::new().schema_type(SchemaType::from_iter([ty, Type::Null])),
        };
        let property: Schema = match column.ty {
            ColumnType::List => ArrayBuilder::new()
                .items(ObjectBuilder::new().schema_type(Type::String))
                .description(description)
                .into(),
            ColumnType::Text => nullable(Type::String).description(description).into(),
            ColumnType::Integer => nullable(Type::Integer).description(description).into(),
            ColumnType::Real => nullable(Type::Number).description(description).into(),
            ColumnType::Date => nullable(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                .description(description)
                .into(),
            ColumnType::Money => nullable(Type::String)
                .pattern(Some("^-?[0-9]+(\\.[0-9]{1,2})?$"))
                .description(description)
                .into(),
        };
        record = record.property(column.name, property);
        if column.required {
            record = record.required(column.name);
        }
    }
    record.into()
}

fn record_ref(table: &Table) -> Ref {
    Ref::from_schema_name(schema_name(table))
}

fn record_body(table: &Table) -> RequestBody {
    RequestBodyBuilder::new()
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(record_ref(table)))
                .build(),
        )
        .required(Some(Required::True))
        .build()
}

fn operation(id: String) -> OperationBuilder {
    OperationBuilder::new().operation_id(Some(id)).tag(REGISTRY)
}

fn key_parameters(table: &Table) -> Vec<Parameter> {
    table
        .key
        .iter()
        .map(|&i| {
            ParameterBuilder::new()
                .name(table.columns[i].name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build()
        })
        .collect()
}

fn query_parameter(name: &str, description: Option<String>, schema: ObjectBuilder) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(description)
        .schema(Some(schema))
        .build()
}

fn json_response(description: &str, schema: impl Into<RefOr<Schema>>) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(schema)).build(),
        )
        .build()
}

fn error_response(description: &str) -> Response {
    json_response(description, Ref::from_schema_name(ErrorBody::name()))
}
