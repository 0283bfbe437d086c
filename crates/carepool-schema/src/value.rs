//! How a table looks to every edge: its columns, their types, its key and references, and the
//! values a row holds. One description (declared with [`crate::table!`]) drives the SQL and the
//! migrations check of both backends, the CSV formats and the JSON API, so they cannot drift
//! apart.

use crate::{ColumnId, ColumnValue};
use carepool_core::Money;
use carepool_core::registry::{FieldError, excerpt};
use chrono::NaiveDate;
use compact_str::CompactString;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Integer,
    Real,
    /// ISO 8601 calendar date (YYYY-MM-DD).
    Date,
    /// An exact amount with at most two decimals, stored as an integer of hundredths.
    Money,
    /// A list of codes, written `a;b;c` in CSV and as an array in JSON.
    List,
}

impl ColumnType {
    pub fn describe(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Integer => "whole number",
            ColumnType::Real => "number",
            ColumnType::Date => "date YYYY-MM-DD",
            ColumnType::Money => "amount with at most two decimals",
            ColumnType::List => "codes separated by ';'",
        }
    }
}

/// Where a column's value must already exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// The key of another registry table (or of this one).
    Table(&'static str),
    /// The code of a scheme loaded with `carepool init`.
    Scheme,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    pub required: bool,
    pub references: Option<Reference>,
    /// Lists can be filtered on this column (`?column=value`).
    pub filterable: bool,
    /// The column that places a row: a location's own code, or the reference to follow towards
    /// one (a member's family, whose location it is). Users bound to districts see the rows it
    /// places under them ([`Table::place_path`]).
    pub places: bool,
    /// An optional column that carepool fills when a file or request leaves it empty (a
    /// coverage period's family, from its member): the store always holds a value.
    pub filled: bool,
    pub doc: &'static str,
    /// How text for this column is checked as it comes in.
    pub check_text: crate::column::CheckText,
}

impl Column {
    /// A column holding values of `T`: its type and whether it is required come from `T`.
    pub const fn of<T: ColumnValue>(name: &'static str, doc: &'static str) -> Column {
        Column {
            name,
            ty: T::TYPE,
            required: T::REQUIRED,
            references: None,
            filterable: false,
            places: false,
            filled: false,
            doc,
            check_text: T::CHECK_TEXT,
        }
    }

    pub const fn references(self, reference: Reference) -> Column {
        Column {
            references: Some(reference),
            filterable: true,
            ..self
        }
    }

    pub const fn filterable(self) -> Column {
        Column {
            filterable: true,
            ..self
        }
    }

    /// Marks the column that places a row (see [`Column::places`]).
    pub const fn places(self) -> Column {
        Column {
            places: true,
            ..self
        }
    }

    /// Marks an optional column that carepool fills (see [`Column::filled`]).
    pub const fn filled(self) -> Column {
        Column {
            filled: true,
            ..self
        }
    }

    /// Whether the store refuses null here: a required column, or one carepool fills.
    pub const fn stored_not_null(&self) -> bool {
        self.required || self.filled
    }
}

#[derive(Debug)]
pub struct Table {
    /// The table's name, which is also the import/export kind (`carepool import members`).
    pub name: &'static str,
    /// What one row is, for messages ("member", "coverage period").
    pub singular: &'static str,
    pub columns: &'static [Column],
    /// Indices of the key columns, in `columns`.
    pub key: &'static [usize],
}

impl Table {
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Where `column` sits in this table's rows; a column of another table is a mistake in
    /// the code that asked.
    pub fn index_of(&self, column: ColumnId) -> usize {
        assert_eq!(
            column.table, self.name,
            "a column of {} used on {}",
            column.table, self.name
        );
        column.index
    }

    /// The columns to follow, table by table, from a row of this table to the code of the
    /// location that places it: `[(members, family_id), (families, location_code)]`. The last
    /// column holds a location's code. None for a table whose rows no location places.
    pub fn place_path(&'static self) -> Option<Vec<(&'static Table, usize)>> {
        let mut path = Vec::new();
        let mut table = self;
        loop {
            let index = table.columns.iter().position(|c| c.places)?;
            path.push((table, index));
            match table.columns[index].references {
                Some(Reference::Table(target)) if target != crate::tables::LOCATIONS.name => {
                    table = crate::tables::table_named(target)?;
                }
                _ => return Some(path),
            }
        }
    }

    pub fn key_of(&self, row: &[Value]) -> Vec<Value> {
        self.key.iter().map(|&i| row[i].clone()).collect()
    }

    /// The key as text for messages: "M001" or "M001/2024-01-01".
    pub fn key_text(&self, row: &[Value]) -> String {
        self.key
            .iter()
            .map(|&i| row[i].to_text())
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    /// Short text (codes, ids, names up to 24 bytes) is kept inline, without an allocation: an
    /// import of a million members holds every row in memory while it is checked.
    Text(CompactString),
    Integer(i64),
    Real(f64),
    Date(NaiveDate),
}

pub type Row = Vec<Value>;

impl Value {
    /// Reads a value of `column` from text; empty text is null, which a required column refuses.
    pub fn parse(column: &Column, text: &str) -> Result<Value, FieldError> {
        let field = column.name;
        if text.trim().is_empty() {
            return if column.required {
                Err(FieldError::new(field, "is required"))
            } else {
                Ok(Value::Null)
            };
        }
        let wrong = |detail: String| {
            FieldError::new(
                field,
                format!(
                    "{} is not a {}{detail}",
                    excerpt(text),
                    column.ty.describe()
                ),
            )
        };
        Ok(match column.ty {
            ColumnType::Text => {
                (column.check_text)(field, text)?;
                Value::Text(text.into())
            }
            ColumnType::Integer => {
                Value::Integer(text.trim().parse().map_err(|_| wrong(String::new()))?)
            }
            ColumnType::Real => {
                let number: f64 = text.trim().parse().map_err(|_| wrong(String::new()))?;
                if !number.is_finite() {
                    return Err(wrong(String::new()));
                }
                Value::Real(number)
            }
            ColumnType::Date => Value::Date(
                carepool_core::dates::iso_date(text.trim(), |text| {
                    NaiveDate::parse_from_str(text, "%Y-%m-%d")
                })
                .map_err(|e| wrong(format!(" ({e})")))?,
            ),
            ColumnType::Money => Value::Integer(
                text.parse::<Money>()
                    .map_err(|e| FieldError::new(field, e.to_string()))?
                    .minor(),
            ),
            ColumnType::List => {
                let items: Vec<&str> = text
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                Value::Text(items.join(";").into())
            }
        })
    }

    /// The value as text, as `parse` reads it back for a column of type `ty`.
    pub fn format(&self, ty: ColumnType) -> String {
        match (self, ty) {
            (Value::Integer(minor), ColumnType::Money) => Money::from_minor(*minor).to_string(),
            _ => self.to_text(),
        }
    }

    fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.to_string(),
            Value::Integer(i) => i.to_string(),
            Value::Real(r) => r.to_string(),
            Value::Date(d) => d.to_string(),
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Value::Integer(n) => Some(*n),
            _ => None,
        }
    }

    /// An amount of a money column (kept in hundredths).
    pub fn as_money(&self) -> Option<Money> {
        self.as_integer().map(Money::from_minor)
    }

    pub fn as_date(&self) -> Option<NaiveDate> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: Column = Column::of::<NaiveDate>("birth_date", "");
    const OPTIONAL_DATE: Column = Column::of::<Option<NaiveDate>>("end_date", "");
    const MONEY: Column = Column::of::<Money>("amount", "");

    #[test]
    fn a_bad_date_names_the_column_and_the_expected_form() {
        let error = Value::parse(&DATE, "2024-02-30").unwrap_err();
        assert_eq!(error.field, "birth_date");
        assert!(
            error
                .message
                .starts_with("'2024-02-30' is not a date YYYY-MM-DD"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_leap_day_is_a_date_only_in_leap_years() {
        assert!(Value::parse(&DATE, "2024-02-29").is_ok());
        assert!(Value::parse(&DATE, "2023-02-29").is_err());
    }

    #[test]
    fn an_empty_required_field_is_refused_and_an_optional_one_is_null() {
        assert_eq!(Value::parse(&DATE, "").unwrap_err().message, "is required");
        assert_eq!(Value::parse(&OPTIONAL_DATE, " ").unwrap(), Value::Null);
    }

    #[test]
    fn money_is_kept_in_hundredths_and_written_back_with_two_decimals() {
        let value = Value::parse(&MONEY, "1500.5").unwrap();
        assert_eq!(value, Value::Integer(150_050));
        assert_eq!(value.format(ColumnType::Money), "1500.50");
    }

    #[test]
    fn lists_are_trimmed_and_empty_items_dropped() {
        let list = Column::of::<Vec<String>>("categories", "");
        assert_eq!(
            Value::parse(&list, " poor ; ;teacher").unwrap(),
            Value::Text("poor;teacher".into())
        );
    }
}
