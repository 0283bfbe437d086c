//! [`table!`]: the one declaration of a table.

/// Declares a table once. From the declaration come:
/// - the [`Table`](crate::Table) descriptor (`pub static MEMBERS`): columns in order, their
///   types and whether they are required (both from each column's Rust type, see
///   [`ColumnValue`](crate::ColumnValue)), references, filters, documentation and the key;
/// - a module of typed column handles (`members::BIRTH_DATE: Col<NaiveDate>`), each named as
///   its column in capitals (checked when compiled);
/// - the mapping to and from rows: for `record Member`, an existing record of the core whose
///   fields are the columns and whose `validate` runs when a row is read; for `row
///   PaymentRow`, a struct declared here with one public field per column; for `none`, no
///   mapping (a table the store reads and writes by its own statements).
///
/// ```ignore
/// table! {
///     /// Health facilities.
///     pub static PROVIDERS: "providers" ("provider"), mod providers, key [CODE], record Provider;
///     CODE code: String, "Unique code of the health facility.";
///     LOCATION_CODE location_code: String, "Where the facility is.",
///         references(Reference::Table("locations"));
///     EMPANELLED_TO empanelled_to: Option<NaiveDate>, "Last day of the contract.";
/// }
/// ```
/// Modifiers after the documentation are [`Column`](crate::Column)'s builder methods
/// (`filterable()`, `references(...)`).
#[macro_export]
macro_rules! table {
    (
        $(#[$meta:meta])*
        $vis:vis static $TABLE:ident: $name:literal ($singular:literal), mod $module:ident,
            key [$($key:ident),+ $(,)?], $kind:ident $($target:ident)?;
        $( $HANDLE:ident $field:ident : $ty:ty, $doc:expr $(, $modifier:ident ( $($arg:expr),* ))* ; )+
    ) => {
        #[doc = concat!("Column handles of `", $name, "`.")]
        $vis mod $module {
            #[allow(unused_imports)]
            use super::*;

            #[allow(non_camel_case_types, clippy::upper_case_acronyms, dead_code)]
            enum Index { $($HANDLE),+ }

            $(
                pub const $HANDLE: $crate::Col<$ty> =
                    $crate::Col::new(&super::$TABLE, Index::$HANDLE as usize, stringify!($field));
                const _: () = assert!(
                    $crate::is_upper_of(stringify!($HANDLE), stringify!($field)),
                    concat!("the handle of column ", stringify!($field), " must be its name in capitals")
                );
            )+

            pub const COLUMNS: &[$crate::Column] = &[
                $( $crate::Column::of::<$ty>(stringify!($field), $doc) $(.$modifier($($arg),*))* ),+
            ];
            pub const KEY: &[usize] = &[$(Index::$key as usize),+];
        }

        $(#[$meta])*
        $vis static $TABLE: $crate::Table = $crate::Table {
            name: $name,
            singular: $singular,
            columns: $module::COLUMNS,
            key: $module::KEY,
        };

        $crate::table!(@mapping $kind $($target)? $vis $TABLE $module; $($HANDLE $field: $ty;)+);
    };

    (@mapping none $vis:vis $TABLE:ident $module:ident; $($HANDLE:ident $field:ident: $ty:ty;)+) => {};

    (@mapping record $record:ident $vis:vis $TABLE:ident $module:ident; $($HANDLE:ident $field:ident: $ty:ty;)+) => {
        impl $crate::Record for $record {
            fn table() -> &'static $crate::Table {
                &$TABLE
            }

            fn to_row(&self) -> $crate::Row {
                vec![$($crate::ColumnValue::to_value(&self.$field)),+]
            }

            fn into_row(self) -> $crate::Row {
                vec![$($crate::ColumnValue::into_value(self.$field)),+]
            }

            fn from_row(row: &[$crate::Value]) -> Result<$record, $crate::FieldError> {
                let record = $record { $($field: $module::$HANDLE.read(row)?),+ };
                record.validate()?;
                Ok(record)
            }

            fn check(&self) -> Result<(), $crate::FieldError> {
                self.validate()
            }
        }
    };

    (@mapping row $row:ident $vis:vis $TABLE:ident $module:ident; $($HANDLE:ident $field:ident: $ty:ty;)+) => {
        #[doc = concat!("A row of `", stringify!($TABLE), "`, one field per column.")]
        #[derive(Debug, Clone, PartialEq)]
        $vis struct $row { $(pub $field: $ty),+ }

        impl $crate::Record for $row {
            fn table() -> &'static $crate::Table {
                &$TABLE
            }

            fn to_row(&self) -> $crate::Row {
                vec![$($crate::ColumnValue::to_value(&self.$field)),+]
            }

            fn into_row(self) -> $crate::Row {
                vec![$($crate::ColumnValue::into_value(self.$field)),+]
            }

            fn from_row(row: &[$crate::Value]) -> Result<$row, $crate::FieldError> {
                Ok($row { $($field: $module::$HANDLE.read(row)?),+ })
            }

            /// A row struct has no rules beyond its columns' types.
            fn check(&self) -> Result<(), $crate::FieldError> {
                Ok(())
            }
        }
    };
}
