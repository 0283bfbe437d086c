//! Rows packed by the database into one JSON array of arrays (one array per row, its cells in
//! column order), read straight into [`Row`]s. SQLite's driver hands each row over from its worker
//! thread, copying every value; a read of thousands of rows packed into one text crosses once.

use crate::StoreError;
use crate::schema::{ColumnType, Row, Table, Value};
use chrono::NaiveDate;
use serde::de::{DeserializeSeed, Deserializer, Error as _, SeqAccess, Visitor};
use std::fmt;

/// Reads the rows of `table` (every column, in order) from the packed text.
pub fn unpack(table: &Table, packed: &str) -> Result<Vec<Row>, StoreError> {
    let mut reader = serde_json::Deserializer::from_str(packed);
    let rows = Rows(table)
        .deserialize(&mut reader)
        .and_then(|rows| reader.end().map(|()| rows))
        .map_err(|e| {
            StoreError::internal(std::io::Error::other(format!(
                "packed {} rows: {e}",
                table.singular
            )))
        })?;
    Ok(rows)
}

struct Rows<'t>(&'t Table);

impl<'de> DeserializeSeed<'de> for Rows<'_> {
    type Value = Vec<Row>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<Row>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_> {
    type Value = Vec<Row>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut rows: A) -> Result<Vec<Row>, A::Error> {
        let mut read = Vec::with_capacity(rows.size_hint().unwrap_or(0));
        while let Some(row) = rows.next_element_seed(Cells(self.0))? {
            read.push(row);
        }
        Ok(read)
    }
}

struct Cells<'t>(&'t Table);

impl<'de> DeserializeSeed<'de> for Cells<'_> {
    type Value = Row;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Row, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Cells<'_> {
    type Value = Row;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a row of {} cells", self.0.columns.len())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut cells: A) -> Result<Row, A::Error> {
        let mut row = Vec::with_capacity(self.0.columns.len());
        for column in self.0.columns {
            let value = cells
                .next_element_seed(Cell(column.ty))?
                .ok_or_else(|| A::Error::invalid_length(row.len(), &self))?;
            row.push(value);
        }
        if cells.next_element::<serde::de::IgnoredAny>()?.is_some() {
            return Err(A::Error::invalid_length(row.len() + 1, &self));
        }
        Ok(row)
    }
}

/// One cell, read as its column's type. Reals arrive as text (written with 17 significant
/// digits, which JSON numbers from the database might not keep), dates as `YYYY-MM-DD`.
struct Cell(ColumnType);

impl<'de> DeserializeSeed<'de> for Cell {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Cell {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a {} or null", self.0.describe())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<Value, E> {
        match self.0 {
            ColumnType::Integer | ColumnType::Money => Ok(Value::Integer(number)),
            _ => Err(E::invalid_type(
                serde::de::Unexpected::Signed(number),
                &self,
            )),
        }
    }

    fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<Value, E> {
        let signed = i64::try_from(number)
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(number), &self))?;
        self.visit_i64(signed)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Value, E> {
        let wrong = || E::invalid_value(serde::de::Unexpected::Str(text), &self);
        match self.0 {
            ColumnType::Text | ColumnType::List => Ok(Value::Text(text.into())),
            ColumnType::Date => text
                .parse::<NaiveDate>()
                .map(Value::Date)
                .map_err(|_| wrong()),
            ColumnType::Real => text.parse::<f64>().map(Value::Real).map_err(|_| wrong()),
            ColumnType::Integer | ColumnType::Money => Err(wrong()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{COVERAGE, FAMILIES, LOCATIONS};

    #[test]
    fn packed_rows_are_read_by_their_columns_types() {
        let families = unpack(
            &FAMILIES,
            r#"[["F1","pip","V1","12.345678901234567",null]]"#,
        );
        assert_eq!(
            families.unwrap(),
            vec![vec![
                Value::Text("F1".into()),
                Value::Text("pip".into()),
                Value::Text("V1".into()),
                Value::Real(12.345678901234567),
                Value::Null,
            ]]
        );
        let cover = unpack(&COVERAGE, r#"[["M1","2024-02-29",null,"basic"]]"#).unwrap();
        assert_eq!(cover[0][1], Value::Date("2024-02-29".parse().unwrap()));
        assert!(unpack(&COVERAGE, r#"[["M1","2023-02-29",null,"basic"]]"#).is_err());
    }

    #[test]
    fn a_packed_row_of_the_wrong_shape_is_an_error() {
        assert!(unpack(&LOCATIONS, r#"[["V1","Village",null,"D1",null]]"#).is_ok());
        assert!(unpack(&LOCATIONS, r#"[["V1","Village",null,"D1"]]"#).is_err());
        assert!(unpack(&LOCATIONS, r#"[["V1","Village",null,"D1",null,1]]"#).is_err());
        assert!(unpack(&LOCATIONS, r#"[["V1",2,null,"D1",null]]"#).is_err());
        assert!(unpack(&LOCATIONS, r#"[]"#).unwrap().is_empty());
    }
}
