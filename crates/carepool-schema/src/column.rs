//! Typed column handles: `members::BIRTH_DATE` knows its table, its position and the Rust type
//! of its values, so code reads and writes columns by name and the compiler checks the type.

use crate::value::{ColumnType, Row, Table, Value};
use carepool_core::Money;
use carepool_core::access::Role;
use carepool_core::claims::ClaimStatus;
use carepool_core::claims::payment::RefundStatus;
use carepool_core::grievances::{Channel, FiledBy, GrievanceStatus, Priority, ResolutionKind};
use carepool_core::registry::{
    Area, FacilityLevel, FieldError, LedgerKind, MemberStatus, Ownership, Payer, Relationship, Sex,
};
use chrono::NaiveDate;
use compact_str::CompactString;
use std::marker::PhantomData;

/// A Rust type that a column holds: its column type, whether null is allowed, and how a value
/// goes to and from a row. `Option<T>` is the optional column of `T`; a list of codes is
/// `Vec<String>` (empty is null).
/// How a column's text is checked when it comes in (a file's cell, a filter, a key): any text,
/// or one of a code's values.
pub type CheckText = fn(&'static str, &str) -> Result<(), FieldError>;

/// Any text will do.
pub(crate) fn any_text(_: &'static str, _: &str) -> Result<(), FieldError> {
    Ok(())
}

pub trait ColumnValue: Sized {
    const TYPE: ColumnType;
    const REQUIRED: bool;
    const CHECK_TEXT: CheckText = any_text;
    fn to_value(&self) -> Value;
    /// As [`ColumnValue::to_value`], moving text instead of copying it.
    fn into_value(self) -> Value {
        self.to_value()
    }
    /// Reads the value of the column named `field`, naming it when the value is missing or wrong.
    fn from_value(field: &'static str, value: &Value) -> Result<Self, FieldError>;
}

/// A type held by a required column; `Option` of it is the optional column.
pub trait Scalar: Sized {
    const TYPE: ColumnType;
    const CHECK_TEXT: CheckText = any_text;
    fn to_value(&self) -> Value;
    fn into_value(self) -> Value {
        self.to_value()
    }
    /// Reads a value that is not null.
    fn from_present(field: &'static str, value: &Value) -> Result<Self, FieldError>;
}

fn wrong_type(field: &'static str, ty: ColumnType) -> FieldError {
    FieldError::new(field, format!("expected a {}", ty.describe()))
}

impl<S: Scalar> ColumnValue for S {
    const TYPE: ColumnType = S::TYPE;
    const REQUIRED: bool = true;
    const CHECK_TEXT: CheckText = S::CHECK_TEXT;
    fn to_value(&self) -> Value {
        Scalar::to_value(self)
    }
    fn into_value(self) -> Value {
        Scalar::into_value(self)
    }
    fn from_value(field: &'static str, value: &Value) -> Result<S, FieldError> {
        match value {
            Value::Null => Err(FieldError::new(field, "is required")),
            present => S::from_present(field, present),
        }
    }
}

impl<S: Scalar> ColumnValue for Option<S> {
    const TYPE: ColumnType = S::TYPE;
    const REQUIRED: bool = false;
    const CHECK_TEXT: CheckText = S::CHECK_TEXT;
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, Scalar::to_value)
    }
    fn into_value(self) -> Value {
        self.map_or(Value::Null, Scalar::into_value)
    }
    fn from_value(field: &'static str, value: &Value) -> Result<Option<S>, FieldError> {
        match value {
            Value::Null => Ok(None),
            present => S::from_present(field, present).map(Some),
        }
    }
}

/// A list of codes, held as one text `a;b;c`; an empty list is null.
impl ColumnValue for Vec<String> {
    const TYPE: ColumnType = ColumnType::List;
    const REQUIRED: bool = false;
    fn to_value(&self) -> Value {
        list_value(self)
    }
    fn from_value(field: &'static str, value: &Value) -> Result<Vec<String>, FieldError> {
        match value {
            Value::Null => Ok(Vec::new()),
            Value::Text(s) => Ok(s.split(';').map(str::to_string).collect()),
            _ => Err(wrong_type(field, ColumnType::List)),
        }
    }
}

/// A list of codes as one value, `a;b;c`; null when empty.
pub fn list_value<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Value {
    let mut text = CompactString::default();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            text.push(';');
        }
        text.push_str(item.as_ref());
    }
    if text.is_empty() {
        Value::Null
    } else {
        Value::Text(text)
    }
}

impl Scalar for String {
    const TYPE: ColumnType = ColumnType::Text;
    fn to_value(&self) -> Value {
        Value::Text(self.as_str().into())
    }
    fn into_value(self) -> Value {
        Value::Text(self.into())
    }
    fn from_present(field: &'static str, value: &Value) -> Result<String, FieldError> {
        match value {
            Value::Text(s) => Ok(s.to_string()),
            _ => Err(wrong_type(field, ColumnType::Text)),
        }
    }
}

impl Scalar for i64 {
    const TYPE: ColumnType = ColumnType::Integer;
    fn to_value(&self) -> Value {
        Value::Integer(*self)
    }
    fn from_present(field: &'static str, value: &Value) -> Result<i64, FieldError> {
        value
            .as_integer()
            .ok_or_else(|| wrong_type(field, ColumnType::Integer))
    }
}

impl Scalar for f64 {
    const TYPE: ColumnType = ColumnType::Real;
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
    fn from_present(field: &'static str, value: &Value) -> Result<f64, FieldError> {
        match value {
            Value::Real(r) => Ok(*r),
            Value::Integer(n) => Ok(*n as f64),
            _ => Err(wrong_type(field, ColumnType::Real)),
        }
    }
}

impl Scalar for NaiveDate {
    const TYPE: ColumnType = ColumnType::Date;
    fn to_value(&self) -> Value {
        Value::Date(*self)
    }
    fn from_present(field: &'static str, value: &Value) -> Result<NaiveDate, FieldError> {
        value
            .as_date()
            .ok_or_else(|| wrong_type(field, ColumnType::Date))
    }
}

impl Scalar for Money {
    const TYPE: ColumnType = ColumnType::Money;
    fn to_value(&self) -> Value {
        Value::Integer(self.minor())
    }
    fn from_present(field: &'static str, value: &Value) -> Result<Money, FieldError> {
        value
            .as_money()
            .ok_or_else(|| wrong_type(field, ColumnType::Money))
    }
}

/// Codes of the core stored as their text.
macro_rules! code_columns {
    ($($code:ty),+) => {$(
        impl Scalar for $code {
            const TYPE: ColumnType = ColumnType::Text;
            // A code's text is one of its values wherever it comes in: a filter on a bogus
            // status is an error, not an empty list.
            const CHECK_TEXT: CheckText = |field, text| <$code>::parse(field, text).map(|_| ());
            fn to_value(&self) -> Value {
                Value::Text(self.as_str().into())
            }
            fn from_present(field: &'static str, value: &Value) -> Result<$code, FieldError> {
                match value {
                    Value::Text(s) => <$code>::parse(field, s),
                    _ => Err(wrong_type(field, ColumnType::Text)),
                }
            }
        }
    )+};
}

code_columns!(
    Area,
    Ownership,
    FacilityLevel,
    Relationship,
    Sex,
    MemberStatus,
    Payer,
    LedgerKind,
    ClaimStatus,
    Role,
    GrievanceStatus,
    Channel,
    FiledBy,
    Priority,
    ResolutionKind,
    RefundStatus
);

/// A column of a table, holding values of type `T`.
pub struct Col<T> {
    table: &'static Table,
    index: usize,
    name: &'static str,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Col<T> {
    fn clone(&self) -> Col<T> {
        *self
    }
}

impl<T> Copy for Col<T> {}

impl<T> std::fmt::Debug for Col<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.table.name, self.name)
    }
}

impl<T> Col<T> {
    /// Made by [`crate::table!`]: `index` is the column's place in the declaration.
    pub const fn new(table: &'static Table, index: usize, name: &'static str) -> Col<T> {
        Col {
            table,
            index,
            name,
            _type: PhantomData,
        }
    }

    /// Where the column sits in a whole row of its table: for the backends' codecs and the
    /// store's column lists, never to be written as a number.
    pub const fn index(self) -> usize {
        self.index
    }

    pub const fn name(self) -> &'static str {
        self.name
    }

    /// The table the column belongs to.
    pub const fn table(self) -> &'static Table {
        self.table
    }

    /// The column without its type, to list columns of several types together.
    pub const fn id(self) -> ColumnId {
        ColumnId {
            table: self.table.name,
            index: self.index,
        }
    }

    /// The column's value in a whole row of its table.
    pub fn value(self, row: &[Value]) -> &Value {
        &row[self.index]
    }
}

impl<T: ColumnValue> Col<T> {
    /// Reads the column's typed value from a whole row of its table.
    pub fn read(self, row: &[Value]) -> Result<T, FieldError> {
        T::from_value(self.name, &row[self.index])
    }

    /// A filter of a list or a projection: the column equals `value`.
    pub fn equals(self, value: &T) -> (usize, Value) {
        (self.index, value.to_value())
    }

    /// Sets the column's value in a whole row of its table.
    pub fn set(self, row: &mut [Value], value: &T) {
        row[self.index] = value.to_value();
    }
}

/// A column of some table, whatever its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnId {
    pub table: &'static str,
    pub index: usize,
}

/// Indices of `columns` in a whole row of `table`, checking that each is one of its columns.
fn indices(table: &Table, columns: &[ColumnId]) -> Vec<usize> {
    columns
        .iter()
        .map(|&column| table.index_of(column))
        .collect()
}

/// Rows that hold only some columns of a table, in the order asked (a store's projection):
/// values are found by their column handle, not by their place.
#[derive(Debug, Clone)]
pub struct Projection {
    table: &'static Table,
    columns: Vec<usize>,
    /// For each column of the table, its place in a projected row.
    place: Vec<Option<usize>>,
}

impl Projection {
    pub fn new(table: &'static Table, columns: &[ColumnId]) -> Projection {
        let columns = indices(table, columns);
        let mut place = vec![None; table.columns.len()];
        for (at, &index) in columns.iter().enumerate() {
            place[index] = Some(at);
        }
        Projection {
            table,
            columns,
            place,
        }
    }

    /// Every column of `table`, in order: its rows are whole rows, which a record reads.
    pub fn whole(table: &'static Table) -> Projection {
        Projection {
            table,
            columns: (0..table.columns.len()).collect(),
            place: (0..table.columns.len()).map(Some).collect(),
        }
    }

    pub fn table(&self) -> &'static Table {
        self.table
    }

    /// The projected columns' indices in a whole row, for the store.
    pub fn columns(&self) -> &[usize] {
        &self.columns
    }

    /// The value of `column` in a projected row. A column that was not projected is a mistake
    /// in the code that built the projection, not in any data.
    pub fn value<'r, T>(&self, row: &'r [Value], column: Col<T>) -> &'r Value {
        debug_assert_eq!(column.table.name, self.table.name);
        match self.place[column.index] {
            Some(at) => &row[at],
            None => panic!("{column:?} is not in this projection"),
        }
    }

    /// The value of `column` as text, if it is text.
    pub fn text<'r, T>(&self, row: &'r [Value], column: Col<T>) -> Option<&'r str> {
        self.value(row, column).as_text()
    }

    pub fn read<T: ColumnValue>(&self, row: &[Value], column: Col<T>) -> Result<T, FieldError> {
        T::from_value(column.name, self.value(row, column))
    }
}

/// A typed record that lives in a table: a record of the core (checked by its own rules when
/// read) or a row struct declared with the table.
pub trait Record: Sized + Send + Sync {
    fn table() -> &'static Table;
    fn to_row(&self) -> Row;
    /// As [`Record::to_row`], moving text instead of copying it.
    fn into_row(self) -> Row;
    /// Reads and validates a row; the error names the field at fault.
    fn from_row(row: &[Value]) -> Result<Self, FieldError>;
    /// The record's own rules, those [`Record::from_row`] checks once the fields are read (a
    /// record made in code has not been through them).
    fn check(&self) -> Result<(), FieldError>;
}

/// Whether `handle` is `name` in capitals, checked when a table is declared.
pub const fn is_upper_of(handle: &str, name: &str) -> bool {
    let (handle, name) = (handle.as_bytes(), name.as_bytes());
    if handle.len() != name.len() {
        return false;
    }
    let mut i = 0;
    while i < name.len() {
        if handle[i] != name[i].to_ascii_uppercase() {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_required_column_refuses_null_and_an_optional_one_reads_none() {
        assert_eq!(
            <NaiveDate as ColumnValue>::from_value("birth_date", &Value::Null)
                .unwrap_err()
                .message,
            "is required"
        );
        assert_eq!(
            <Option<NaiveDate>>::from_value("end_date", &Value::Null).unwrap(),
            None
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_names_the_column_and_the_type_expected() {
        let error = <Money as ColumnValue>::from_value("amount", &Value::Text("x".into()));
        let error = error.unwrap_err();
        assert_eq!(error.field, "amount");
        assert_eq!(error.message, "expected a amount with at most two decimals");
    }

    #[test]
    fn a_code_column_reads_its_code_and_names_the_choices_when_wrong() {
        let sex = <Sex as ColumnValue>::from_value("sex", &Value::Text("F".into()));
        assert_eq!(sex.unwrap(), Sex::parse("sex", "F").unwrap());
        let wrong = <Sex as ColumnValue>::from_value("sex", &Value::Text("X".into()));
        assert!(wrong.unwrap_err().message.contains("is not one of"));
    }

    #[test]
    fn an_empty_list_is_null_and_a_list_reads_back_in_order() {
        assert_eq!(Vec::<String>::new().to_value(), Value::Null);
        let list = vec!["poor".to_string(), "teacher".to_string()];
        assert_eq!(list.to_value(), Value::Text("poor;teacher".into()));
        assert_eq!(
            Vec::<String>::from_value("c", &list.to_value()).unwrap(),
            list
        );
    }

    #[test]
    fn a_handle_is_its_column_name_in_capitals() {
        assert!(is_upper_of("BIRTH_DATE", "birth_date"));
        assert!(!is_upper_of("BIRTH", "birth_date"));
        assert!(!is_upper_of("DATE_BIRTH", "birth_date"));
    }
}
