//! Rows read by `COPY (SELECT ...) TO STDOUT (FORMAT binary)`: PostgreSQL sends each row's
//! values in their binary form, decoded here straight into carepool's values. Read as a
//! statement's rows, sqlx makes a row object for each (its values' places in a vector of their
//! own, the statement's description shared) and decodes every value through its generic
//! machinery: at ten million members, half of the indicators' CPU went there.

use crate::POSTGRES;
use carepool_schema::{Column, ColumnType, Row, Table, Value};
use carepool_store::StoreError;
use chrono::{Days, NaiveDate};
use futures_util::TryStreamExt;
use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, Postgres};

/// `columns` of the rows whose text `column` lies between `first` and `last`, both included.
pub(crate) async fn select_in_range(
    conn: PoolConnection<Postgres>,
    table: &'static Table,
    columns: &[usize],
    column: usize,
    first: &str,
    last: &str,
) -> Result<Vec<Row>, StoreError> {
    let (Some(low), Some(high)) = (text_constant(first), text_constant(last)) else {
        return Err(StoreError::Internal(
            "a bound of a range holds a NUL, which PostgreSQL's text cannot".into(),
        ));
    };
    let select = POSTGRES.rows_between(table, columns, column, &low, &high);
    let sql = format!("COPY ({select}) TO STDOUT (FORMAT binary)");
    let mut connection = CopyConnection {
        conn,
        read_to_the_end: false,
    };
    // The rows of a range (a page of families' members) are held a moment as the bytes sent.
    let mut sent = Vec::new();
    {
        let conn: &mut PgConnection = &mut connection.conn;
        let mut chunks = conn
            .copy_out_raw(&sql)
            .await
            .map_err(StoreError::internal)?;
        while let Some(chunk) = chunks.try_next().await.map_err(StoreError::internal)? {
            sent.extend_from_slice(&chunk);
        }
    }
    connection.read_to_the_end = true;
    let asked: Vec<&Column> = columns.iter().map(|&i| &table.columns[i]).collect();
    decode_rows(&sent, &asked).map_err(|broken| {
        StoreError::Internal(format!("{} read by COPY: {broken}", table.name).into())
    })
}

/// A connection of the pool that runs a `COPY`, closed instead of given back unless the `COPY`
/// was read to its end. sqlx 0.9's `copy_out_raw` does not count the reply that ends it among
/// those the connection waits for, nor read it when the `COPY` is refused: one that fails, or
/// whose reading is dropped midway (a read-ahead task aborted), would leave the connection a
/// reply behind the server, and the next statement on it would read the last one's answer.
struct CopyConnection {
    conn: PoolConnection<Postgres>,
    read_to_the_end: bool,
}

impl Drop for CopyConnection {
    fn drop(&mut self) {
        if !self.read_to_the_end {
            self.conn.close_on_drop();
        }
    }
}

/// `text` as an SQL string constant, or none if it holds a NUL. `COPY` takes no bound values;
/// an `E''` constant reads a backslash as an escape whatever `standard_conforming_strings`
/// says, so quotes and backslashes are both doubled.
fn text_constant(text: &str) -> Option<String> {
    if text.contains('\0') {
        return None;
    }
    let mut constant = String::with_capacity(text.len() + 3);
    constant.push_str("E'");
    for c in text.chars() {
        if c == '\'' || c == '\\' {
            constant.push(c);
        }
        constant.push(c);
    }
    constant.push('\'');
    Some(constant)
}

/// The start of every binary `COPY`: a signature, then flags and the length of an extension.
const SIGNATURE: &[u8] = b"PGCOPY\n\xff\r\n\0";

/// The day PostgreSQL counts dates from.
const POSTGRES_EPOCH: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a day");

/// The rows of a binary `COPY` of `columns`, each value read as its column's declared type
/// (which carepool's migrations make, `the_migrations_make_the_declared_tables`).
fn decode_rows(sent: &[u8], columns: &[&Column]) -> Result<Vec<Row>, String> {
    let mut input = Input { sent, at: 0 };
    if input.take(SIGNATURE.len())? != SIGNATURE {
        return Err("not a binary COPY (no signature)".into());
    }
    // Flags ask for what carepool never does (bit 16: each row's OID first).
    let flags = input.int32()?;
    if flags != 0 {
        return Err(format!("flags {flags:#x}, none expected"));
    }
    let extension = input.int32()?;
    input.take(usize::try_from(extension).map_err(|_| "a negative extension length")?)?;
    let mut rows = Vec::new();
    loop {
        let fields = input.int16()?;
        if fields == -1 {
            break;
        }
        if usize::try_from(fields).ok() != Some(columns.len()) {
            return Err(format!(
                "row {} has {fields} values, not {}",
                rows.len() + 1,
                columns.len()
            ));
        }
        // Sized to its columns once (a vector collected from results grows as it goes).
        let mut row = Vec::with_capacity(columns.len());
        for column in columns {
            row.push(input.value(column).map_err(|broken| {
                format!("row {}, column {}: {broken}", rows.len() + 1, column.name)
            })?);
        }
        rows.push(row);
    }
    if input.at != sent.len() {
        return Err(format!("{} bytes after the end", sent.len() - input.at));
    }
    Ok(rows)
}

/// The bytes of a binary `COPY`, read from the front.
struct Input<'s> {
    sent: &'s [u8],
    at: usize,
}

impl<'s> Input<'s> {
    fn take(&mut self, length: usize) -> Result<&'s [u8], String> {
        let end = (self.at.checked_add(length))
            .filter(|&end| end <= self.sent.len())
            .ok_or("the bytes end too soon")?;
        let taken = &self.sent[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn int16(&mut self) -> Result<i16, String> {
        Ok(i16::from_be_bytes(self.fixed()?))
    }

    fn int32(&mut self) -> Result<i32, String> {
        Ok(i32::from_be_bytes(self.fixed()?))
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], String> {
        Ok(self.take(N)?.try_into().expect("N bytes taken"))
    }

    /// One value: its length (-1 for null), then its bytes in the type's binary form.
    fn value(&mut self, column: &Column) -> Result<Value, String> {
        let length = self.int32()?;
        if length == -1 {
            return Ok(Value::Null);
        }
        let bytes = self.take(usize::try_from(length).map_err(|_| "a negative length")?)?;
        let sized = |bytes: &[u8]| -> Result<[u8; 8], String> {
            (bytes.try_into()).map_err(|_| format!("{} bytes, not 8", bytes.len()))
        };
        Ok(match column.ty {
            ColumnType::Text | ColumnType::List => {
                let text = std::str::from_utf8(bytes).map_err(|_| "text not in UTF-8")?;
                Value::Text(text.into())
            }
            ColumnType::Integer | ColumnType::Money => {
                Value::Integer(i64::from_be_bytes(sized(bytes)?))
            }
            ColumnType::Real => Value::Real(f64::from_be_bytes(sized(bytes)?)),
            ColumnType::Date => {
                let days: [u8; 4] = (bytes.try_into())
                    .map_err(|_| format!("{} bytes, not the 4 of a date", bytes.len()))?;
                Value::Date(date_of(i32::from_be_bytes(days))?)
            }
        })
    }
}

/// A date from PostgreSQL's days since 2000-01-01 (infinity, which carepool never stores, is
/// refused with the days beyond chrono's years).
fn date_of(days: i32) -> Result<NaiveDate, String> {
    let shifted = match days >= 0 {
        true => POSTGRES_EPOCH.checked_add_days(Days::new(days as u64)),
        false => POSTGRES_EPOCH.checked_sub_days(Days::new(days.unsigned_abs() as u64)),
    };
    shifted.ok_or_else(|| format!("{days} days from 2000-01-01 is no date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes PostgreSQL sends for `rows` (each value's bytes, none for null).
    fn sent(rows: &[Vec<Option<Vec<u8>>>]) -> Vec<u8> {
        let mut bytes = SIGNATURE.to_vec();
        bytes.extend(0i32.to_be_bytes());
        bytes.extend(0i32.to_be_bytes());
        for row in rows {
            bytes.extend((row.len() as i16).to_be_bytes());
            for value in row {
                match value {
                    Some(v) => {
                        bytes.extend((v.len() as i32).to_be_bytes());
                        bytes.extend(v);
                    }
                    None => bytes.extend((-1i32).to_be_bytes()),
                }
            }
        }
        bytes.extend((-1i16).to_be_bytes());
        bytes
    }

    const NAME: Column = Column::of::<Option<String>>("name", "");
    const COUNT: Column = Column::of::<Option<i64>>("count", "");
    const SCORE: Column = Column::of::<Option<f64>>("score", "");
    const DAY: Column = Column::of::<NaiveDate>("day", "");

    fn days(n: i32) -> Vec<u8> {
        n.to_be_bytes().to_vec()
    }

    #[test]
    fn every_type_is_read_from_its_binary_form() {
        let columns = [&NAME, &COUNT, &SCORE, &DAY];
        let bytes = sent(&[
            vec![
                Some("Fam'ille\\é".as_bytes().to_vec()),
                Some((-1_234_567_890_123i64).to_be_bytes().to_vec()),
                Some(35.25f64.to_be_bytes().to_vec()),
                Some(days(8_825)),
            ],
            vec![None, None, None, Some(days(-1))],
        ]);
        let rows = decode_rows(&bytes, &columns).unwrap();
        assert_eq!(
            rows,
            [
                vec![
                    Value::Text("Fam'ille\\é".into()),
                    Value::Integer(-1_234_567_890_123),
                    Value::Real(35.25),
                    Value::Date(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
                ],
                vec![
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    Value::Date(NaiveDate::from_ymd_opt(1999, 12, 31).unwrap()),
                ],
            ]
        );
        assert_eq!(
            decode_rows(&sent(&[]), &columns).unwrap(),
            Vec::<Row>::new()
        );
    }

    #[test]
    fn broken_bytes_are_refused_with_the_row_and_column() {
        let text = [&NAME];
        let date = [&DAY];
        let refused = |bytes: &[u8], columns: &[&Column]| decode_rows(bytes, columns).unwrap_err();
        let well_formed = sent(&[vec![Some(b"F1".to_vec())]]);
        assert!(refused(&well_formed[1..], &text).contains("signature"));
        let cut = &well_formed[..well_formed.len() - 3];
        assert!(refused(cut, &text).contains("end too soon"));
        let mut with_oids = well_formed.clone();
        with_oids[SIGNATURE.len()..SIGNATURE.len() + 4].copy_from_slice(&0x1_0000i32.to_be_bytes());
        assert_eq!(refused(&with_oids, &text), "flags 0x10000, none expected");
        let mut trailing = well_formed.clone();
        trailing.push(0);
        assert_eq!(refused(&trailing, &text), "1 bytes after the end");
        let two = sent(&[vec![Some(b"F1".to_vec()), None]]);
        assert_eq!(refused(&two, &text), "row 1 has 2 values, not 1");
        let not_utf8 = sent(&[vec![Some(b"F1".to_vec())], vec![Some(vec![0xff])]]);
        assert_eq!(
            refused(&not_utf8, &text),
            "row 2, column name: text not in UTF-8"
        );
        let short_date = sent(&[vec![Some(vec![0, 1])]]);
        assert!(refused(&short_date, &date).ends_with("2 bytes, not the 4 of a date"));
        let infinity = sent(&[vec![Some(days(i32::MAX))]]);
        assert!(refused(&infinity, &date).ends_with("is no date"));
        let short_integer = sent(&[vec![Some(vec![1; 4])]]);
        assert!(refused(&short_integer, &[&COUNT]).ends_with("4 bytes, not 8"));
    }

    #[test]
    fn text_constants_double_quotes_and_backslashes() {
        assert_eq!(text_constant("F1").unwrap(), "E'F1'");
        assert_eq!(
            text_constant(r"O'Brien\' OR 1=1").unwrap(),
            r"E'O''Brien\\'' OR 1=1'"
        );
        assert_eq!(text_constant("F\0"), None);
    }
}
