//! SQL text generated from the table descriptors. Both backends use the same statements; only the
//! placeholder style differs (`?N` for SQLite, `$N` for PostgreSQL). Every value is bound, never
//! spliced: the text holds only names from the static descriptors.

use crate::ListQuery;
use crate::schema::Table;
use std::fmt::Write;

#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    pub placeholder_prefix: char,
    /// How many values one statement binds at most (SQLite allows 32,766, PostgreSQL 65,535).
    pub binds_per_statement: usize,
    /// Null-safe "not equal" between row values.
    pub distinct: &'static str,
    /// Starts a transaction that will write: SQLite takes the database's write lock at once, so
    /// that what the transaction reads cannot change before it writes.
    pub begin_write: &'static str,
    /// The backend locks rows and tables (PostgreSQL); otherwise `begin_write` locks everything.
    pub row_locks: bool,
    /// A number that changes when another connection commits (SQLite's `data_version`), read
    /// inside a transaction; none where the backend has no such number.
    pub data_version: Option<&'static str>,
}

pub const SQLITE: Dialect = Dialect {
    placeholder_prefix: '?',
    binds_per_statement: 8_192,
    distinct: "IS NOT",
    begin_write: "BEGIN IMMEDIATE",
    row_locks: false,
    data_version: Some("PRAGMA data_version"),
};
pub const POSTGRES: Dialect = Dialect {
    placeholder_prefix: '$',
    binds_per_statement: 16_384,
    distinct: "IS DISTINCT FROM",
    begin_write: "BEGIN",
    row_locks: true,
    data_version: None,
};

impl Dialect {
    /// Every statement binds its values in the order the placeholders appear, so SQLite can use
    /// anonymous `?`: sqlx looks up the name of each numbered one, which makes binding quadratic.
    fn placeholder(self, n: usize) -> String {
        match self.placeholder_prefix {
            '?' => "?".to_string(),
            prefix => format!("{prefix}{n}"),
        }
    }

    /// How many rows of `table` fit in one multi-row statement.
    pub fn rows_per_statement(self, table: &Table) -> usize {
        (self.binds_per_statement / table.columns.len()).max(1)
    }

    fn column_list(table: &Table) -> String {
        table
            .columns
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `rows` parenthesised rows of `width` placeholders.
    fn values(self, width: usize, rows: usize) -> String {
        (0..rows)
            .map(|r| {
                let cells: Vec<String> = (1..=width)
                    .map(|c| self.placeholder(r * width + c))
                    .collect();
                format!("({})", cells.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn key_columns(table: &Table) -> Vec<&'static str> {
        table.key.iter().map(|&i| table.columns[i].name).collect()
    }

    /// `INSERT` of `rows` rows; with `upsert`, rows with a known key replace the stored ones, and
    /// identical rows are left untouched (no write at all).
    pub fn insert(self, table: &Table, rows: usize, upsert: bool) -> String {
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES {}",
            table.name,
            Self::column_list(table),
            self.values(table.columns.len(), rows)
        );
        if upsert {
            let key = Self::key_columns(table);
            let others: Vec<&str> = table
                .columns
                .iter()
                .map(|c| c.name)
                .filter(|name| !key.contains(name))
                .collect();
            let set: Vec<String> = others
                .iter()
                .map(|c| format!("{c} = excluded.{c}"))
                .collect();
            let stored: Vec<String> = others
                .iter()
                .map(|c| format!("{}.{c}", table.name))
                .collect();
            let incoming: Vec<String> = others.iter().map(|c| format!("excluded.{c}")).collect();
            write!(
                sql,
                " ON CONFLICT ({}) DO UPDATE SET {} WHERE ({}) {} ({})",
                key.join(", "),
                set.join(", "),
                stored.join(", "),
                self.distinct,
                incoming.join(", ")
            )
            .expect("write to String");
        }
        sql
    }

    fn key_condition(self, table: &Table, first_placeholder: usize) -> String {
        Self::key_columns(table)
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = {}", self.placeholder(first_placeholder + i)))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    pub fn select_scheme_versions(self) -> String {
        format!(
            "SELECT code, effective_from, definition, loaded_at FROM scheme_versions WHERE code = {} ORDER BY effective_from",
            self.placeholder(1)
        )
    }

    pub fn insert_scheme(self) -> String {
        format!(
            "INSERT INTO schemes (code) VALUES ({}) ON CONFLICT (code) DO NOTHING",
            self.placeholder(1)
        )
    }

    pub fn insert_scheme_version(self) -> String {
        format!(
            "INSERT INTO scheme_versions (code, effective_from, definition, loaded_at) VALUES ({})",
            self.marks(4)
        )
    }

    /// `UPDATE` of every column of one row; binds the whole row in column order, then the key.
    pub fn update(self, table: &Table) -> String {
        let every_column: Vec<usize> = (0..table.columns.len()).collect();
        self.update_one(table, &every_column)
    }

    /// `UPDATE` of `columns` in one row found by its key; binds `columns`, then the key.
    pub fn update_one(self, table: &Table, columns: &[usize]) -> String {
        let set: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(n, &i)| format!("{} = {}", table.columns[i].name, self.placeholder(n + 1)))
            .collect();
        format!(
            "UPDATE {} SET {} WHERE {}",
            table.name,
            set.join(", "),
            self.key_condition(table, columns.len() + 1)
        )
    }

    /// `UPDATE` of `columns` in `rows` rows at once, each found by its key; binds, row by row,
    /// the key columns then `columns`.
    pub fn update_columns(self, table: &Table, columns: &[usize], rows: usize) -> String {
        let keys = table.key.len();
        let set: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, &c)| format!("{} = v.column{}", table.columns[c].name, keys + i + 1))
            .collect();
        let matched: Vec<String> = Self::key_columns(table)
            .iter()
            .enumerate()
            .map(|(i, name)| format!("{}.{name} = v.column{}", table.name, i + 1))
            .collect();
        format!(
            "UPDATE {} SET {} FROM (VALUES {}) AS v WHERE {}",
            table.name,
            set.join(", "),
            self.values(keys + columns.len(), rows),
            matched.join(" AND ")
        )
    }

    pub fn select_by_key(self, table: &Table) -> String {
        format!(
            "SELECT {} FROM {} WHERE {}",
            Self::column_list(table),
            table.name,
            self.key_condition(table, 1)
        )
    }

    /// `SELECT` for a list; binds the filter values, then the `after` key, in that order.
    pub fn list(self, table: &Table, query: &ListQuery) -> String {
        let mut conditions: Vec<String> = Vec::new();
        let mut n = 0;
        for (column, _) in &query.filters {
            n += 1;
            conditions.push(format!(
                "{} = {}",
                table.columns[*column].name,
                self.placeholder(n)
            ));
        }
        let key = Self::key_columns(table);
        if query.after.is_some() {
            let marks: Vec<String> = key
                .iter()
                .map(|_| {
                    n += 1;
                    self.placeholder(n)
                })
                .collect();
            conditions.push(format!("({}) > ({})", key.join(", "), marks.join(", ")));
        }
        let mut sql = format!("SELECT {} FROM {}", Self::column_list(table), table.name);
        if !conditions.is_empty() {
            write!(sql, " WHERE {}", conditions.join(" AND ")).expect("write to String");
        }
        write!(
            sql,
            " ORDER BY {} LIMIT {} OFFSET {}",
            key.join(", "),
            query.limit,
            query.offset
        )
        .expect("write to String");
        sql
    }

    /// `SELECT` of some columns; binds the filter values in order.
    pub fn project(self, table: &Table, columns: &[usize], filters: &[usize]) -> String {
        let names: Vec<&str> = columns.iter().map(|&i| table.columns[i].name).collect();
        let mut sql = format!("SELECT {} FROM {}", names.join(", "), table.name);
        let conditions: Vec<String> = filters
            .iter()
            .enumerate()
            .map(|(n, &i)| format!("{} = {}", table.columns[i].name, self.placeholder(n + 1)))
            .collect();
        if !conditions.is_empty() {
            write!(sql, " WHERE {}", conditions.join(" AND ")).expect("write to String");
        }
        write!(sql, " ORDER BY {}", Self::key_columns(table).join(", ")).expect("write to String");
        sql
    }

    /// Which of `count` candidate keys exist, for a table with a one-column key.
    pub fn existing_keys(self, table: &Table, count: usize) -> String {
        let key = table.columns[table.key[0]].name;
        format!(
            "SELECT {key} FROM {} WHERE {key} IN ({})",
            table.name,
            self.marks(count)
        )
    }

    /// Whole rows whose `column` holds one of `count` values.
    pub fn rows_where_in(self, table: &Table, column: usize, count: usize) -> String {
        format!(
            "SELECT {} FROM {} WHERE {} IN ({}) ORDER BY {}",
            Self::column_list(table),
            table.name,
            table.columns[column].name,
            self.marks(count),
            Self::key_columns(table).join(", ")
        )
    }

    /// As [`Dialect::rows_where_in`] with the values bound as one JSON array of text (SQLite's
    /// `json_each`): one statement whatever their number, so that it can be prepared once.
    pub fn rows_where_in_json(self, table: &Table, column: usize) -> String {
        format!(
            "SELECT {} FROM {} WHERE {} IN (SELECT value FROM json_each(?1)) ORDER BY {}",
            Self::column_list(table),
            table.name,
            table.columns[column].name,
            Self::key_columns(table).join(", ")
        )
    }

    /// Locks the rows of `table` whose `column` holds one of `count` values, in a fixed order so
    /// that two lockers never wait on each other; none where `begin_write` locks everything.
    pub fn lock_rows(self, table: &Table, column: usize, count: usize) -> Option<String> {
        let column = table.columns[column].name;
        self.row_locks.then(|| {
            format!(
                "SELECT {column} FROM {} WHERE {column} IN ({}) ORDER BY {column} FOR NO KEY UPDATE",
                table.name,
                self.marks(count)
            )
        })
    }

    /// Locks a whole table against other writers (readers go on).
    pub fn lock_table(self, table: &Table) -> Option<String> {
        self.row_locks
            .then(|| format!("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE", table.name))
    }

    fn marks(self, count: usize) -> String {
        (1..=count)
            .map(|n| self.placeholder(n))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Value;
    use crate::tables::{COVERAGE, LOCATIONS};

    #[test]
    fn an_upsert_leaves_identical_rows_untouched() {
        let sql = SQLITE.insert(&LOCATIONS, 2, true);
        assert_eq!(
            sql,
            "INSERT INTO locations (code, name, kind, parent_code, area) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent_code = excluded.parent_code, \
             area = excluded.area WHERE (locations.name, locations.kind, locations.parent_code, locations.area) \
             IS NOT (excluded.name, excluded.kind, excluded.parent_code, excluded.area)"
        );
    }

    #[test]
    fn an_update_of_some_columns_matches_rows_by_key() {
        assert_eq!(
            POSTGRES.update_columns(&COVERAGE, &[3], 2),
            "UPDATE coverage SET package = v.column3 FROM (VALUES ($1, $2, $3), ($4, $5, $6)) AS v \
             WHERE coverage.member_id = v.column1 AND coverage.start_date = v.column2"
        );
        assert_eq!(
            SQLITE.update_one(&COVERAGE, &[3, 2]),
            "UPDATE coverage SET package = ?, end_date = ? WHERE member_id = ? AND start_date = ?"
        );
    }

    #[test]
    fn a_composite_key_is_paged_as_a_row_value() {
        let query = ListQuery {
            filters: vec![(0, Value::Text("M1".into()))],
            after: Some(vec![Value::Text("M1".into()), Value::Null]),
            offset: 0,
            limit: 10,
        };
        assert_eq!(
            POSTGRES.list(&COVERAGE, &query),
            "SELECT member_id, start_date, end_date, package FROM coverage WHERE member_id = $1 \
             AND (member_id, start_date) > ($2, $3) ORDER BY member_id, start_date LIMIT 10 OFFSET 0"
        );
    }

    #[test]
    fn statements_stay_within_the_bind_limit() {
        let rows = SQLITE.rows_per_statement(&COVERAGE);
        assert!(rows * COVERAGE.columns.len() <= SQLITE.binds_per_statement);
    }
}
