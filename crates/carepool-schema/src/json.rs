//! Rows as JSON objects: one property per column, amounts as decimal strings, lists as arrays.

use crate::{ColumnType, Row, Table, Value};
use carepool_core::registry::FieldError;
use serde_json::{Map, Value as Json};

pub fn row_to_json(table: &Table, row: &[Value]) -> Json {
    let mut object = Map::with_capacity(table.columns.len());
    for (column, value) in table.columns.iter().zip(row) {
        let json = match (value, column.ty) {
            (Value::Null, ColumnType::List) => Json::Array(vec![]),
            (Value::Null, _) => Json::Null,
            (Value::Text(s), ColumnType::List) => {
                Json::Array(s.split(';').map(|i| Json::String(i.into())).collect())
            }
            (Value::Integer(i), ColumnType::Integer) => Json::from(*i),
            (Value::Real(r), _) => Json::from(*r),
            (other, ty) => Json::String(other.format(ty)),
        };
        object.insert(column.name.to_string(), json);
    }
    Json::Object(object)
}

/// Reads a row from a JSON object; unknown properties are refused, missing ones are null.
pub fn row_from_json(table: &Table, json: &Json) -> Result<Row, FieldError> {
    let Json::Object(object) = json else {
        return Err(FieldError::new(
            "body",
            format!("expected a JSON object with the {} fields", table.singular),
        ));
    };
    if let Some(unknown) = object.keys().find(|k| table.column_index(k).is_none()) {
        let known: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        return Err(FieldError::new(
            table.columns[0].name,
            format!(
                "unknown field '{unknown}' (a {} has: {})",
                table.singular,
                known.join(", ")
            ),
        ));
    }
    table
        .columns
        .iter()
        .map(|column| {
            let text = match object.get(column.name) {
                None | Some(Json::Null) => String::new(),
                Some(Json::String(s)) => s.clone(),
                Some(Json::Number(n)) if column.ty != ColumnType::Money || n.is_i64() => {
                    n.to_string()
                }
                Some(Json::Array(items)) if column.ty == ColumnType::List => items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| FieldError::new(column.name, "expected an array of strings"))?
                    .join(";"),
                Some(other) => {
                    return Err(FieldError::new(
                        column.name,
                        format!("expected a {}, got {other}", column.ty.describe()),
                    ));
                }
            };
            Value::parse(column, &text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::MEMBERS;
    use serde_json::json;

    fn member_json() -> Json {
        json!({
            "id": "M1", "family_id": "F1", "name": "Awa", "relationship": "head", "sex": "F",
            "birth_date": "1990-01-31", "categories": ["poor", "teacher"], "monthly_wage": "1200.50",
            "status": "active", "status_since": "2024-01-01"
        })
    }

    #[test]
    fn a_member_round_trips_through_json() {
        let row = row_from_json(&MEMBERS, &member_json()).unwrap();
        let back = row_to_json(&MEMBERS, &row);
        assert_eq!(back["categories"], json!(["poor", "teacher"]));
        assert_eq!(back["monthly_wage"], json!("1200.50"));
        assert_eq!(back["national_id"], Json::Null);
        assert_eq!(row_from_json(&MEMBERS, &back).unwrap(), row);
    }

    #[test]
    fn an_unknown_property_is_refused_by_name() {
        let mut body = member_json();
        body["colour"] = json!("blue");
        assert!(
            row_from_json(&MEMBERS, &body)
                .unwrap_err()
                .message
                .starts_with("unknown field 'colour'")
        );
    }

    #[test]
    fn a_float_amount_is_refused_because_it_cannot_be_exact() {
        let mut body = member_json();
        body["monthly_wage"] = json!(1200.5);
        assert_eq!(
            row_from_json(&MEMBERS, &body).unwrap_err().field,
            "monthly_wage"
        );
    }
}
