//! SQL text generated from the table descriptors. Both backends use the same statements; only
//! their [`Dialect`] differs (each backend declares its own: placeholders, limits, locks). Statements that move many
//! rows at once are each backend's own (SQLite's direct path, PostgreSQL's arrays). Every value is bound, never
//! spliced: the text holds only names from the static descriptors.

use crate::WhereIn;
use carepool_schema::Table;
use carepool_store::ListQuery;
use std::fmt::Write;

#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    pub placeholder_prefix: char,
    /// How many values one statement binds at most (SQLite allows 32,766, PostgreSQL 65,535).
    pub binds_per_statement: usize,
    /// Null-safe "not equal" between row values.
    pub distinct: &'static str,
    /// Starts a transaction that will write: SQLite takes the database's write lock at once, so
    /// that what the transaction reads cannot change before it writes. Sent as one simple query
    /// (`begin_with`), never prepared; a statement after the `BEGIN` must be one that cannot
    /// fail, as sqlx would hand back a connection left in a failed transaction.
    pub begin_write: &'static str,
    /// The backend locks rows and tables (PostgreSQL); otherwise `begin_write` locks everything.
    pub row_locks: bool,
    /// "Is one of the values bound as the first parameter", as one list of text whatever their
    /// number: a JSON array on SQLite, an array on PostgreSQL.
    pub in_bound_list: &'static str,
    /// The planner keeps statistics that a bulk write leaves stale until refreshed by hand
    /// (PostgreSQL: autovacuum's analysis comes later, when it comes).
    pub analyze_after_bulk_writes: bool,
    /// Compares text in the order of its bytes, whatever the column's collation (`COLLATE "C"`
    /// on PostgreSQL; SQLite compares bytes already).
    pub in_byte_order: &'static str,
}

/// Some columns of the rows that pass equality `filters` (their column indexes), in the order of
/// the text column `order` (its bytes) and then of the one-column key, at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub table: &'a Table,
    pub columns: &'a [usize],
    pub filters: &'a [usize],
    pub order: usize,
    pub limit: usize,
}

/// How many rows one upsert writes before the planner's statistics of its table are refreshed,
/// in the same transaction, so that what follows is planned on what the table now holds:
/// loading a national registry into PostgreSQL, a lookup of 16,384 ids among the ten million
/// members just written ran for 24 minutes before autovacuum had analysed them
/// (docs/BENCHMARKS.md).
pub const ANALYZED_AFTER_ROWS: usize = 10_000;

/// How many rows a transaction written in parts added or replaced in each table, to refresh
/// the statistics of those that took many (see [`ANALYZED_AFTER_ROWS`]).
#[derive(Default)]
pub struct AddedRows(Vec<(&'static Table, usize)>);

impl AddedRows {
    pub fn count(&mut self, writes: &carepool_store::Writes) {
        for write in writes {
            let (table, rows) = match write {
                carepool_store::Write::Insert(table, rows)
                | carepool_store::Write::Upsert(table, rows) => (*table, rows.len()),
                // Updates change a few columns of stored rows: the statistics hold.
                carepool_store::Write::Update { .. } | carepool_store::Write::Set { .. } => {
                    continue;
                }
            };
            match self.0.iter_mut().find(|(seen, _)| seen.name == table.name) {
                Some((_, added)) => *added += rows,
                None => self.0.push((table, rows)),
            }
        }
    }

    /// The tables that took at least [`ANALYZED_AFTER_ROWS`] rows.
    pub fn worth_analyzing(&self) -> impl Iterator<Item = &'static Table> + '_ {
        self.0
            .iter()
            .filter(|(_, rows)| *rows >= ANALYZED_AFTER_ROWS)
            .map(|(table, _)| *table)
    }
}

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

    /// The table's column names, in order, comma-separated.
    pub fn column_list(table: &Table) -> String {
        table
            .columns
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The key's column names, in order.
    pub fn key_columns(table: &Table) -> Vec<&'static str> {
        table.key.iter().map(|&i| table.columns[i].name).collect()
    }

    /// `INSERT` of one row; with `upsert`, as [`Dialect::upsert_clause`] says.
    pub fn insert(self, table: &Table, upsert: bool) -> String {
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.name,
            Self::column_list(table),
            self.marks(table.columns.len())
        );
        if upsert {
            sql.push_str(&self.upsert_clause(table));
        }
        sql
    }

    /// What makes an `INSERT` an upsert: rows with a known key replace the stored ones, and
    /// identical rows are left untouched (no write at all).
    pub fn upsert_clause(self, table: &Table) -> String {
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
        format!(
            " ON CONFLICT ({}) DO UPDATE SET {} WHERE ({}) {} ({})",
            key.join(", "),
            set.join(", "),
            stored.join(", "),
            self.distinct,
            incoming.join(", ")
        )
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

    pub fn select_by_key(self, table: &Table) -> String {
        format!(
            "SELECT {} FROM {} WHERE {}",
            Self::column_list(table),
            table.name,
            self.key_condition(table, 1)
        )
    }

    /// `SELECT` for a list; binds the filter values, then the places of `within`, then the
    /// `after` key, in that order.
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
        if let Some(within) = &query.within {
            // A path-less `within` places nothing and binds nothing.
            let places = if within.path.is_empty() {
                &[][..]
            } else {
                &within.places[..]
            };
            let marks: Vec<String> = places
                .iter()
                .map(|_| {
                    n += 1;
                    self.placeholder(n)
                })
                .collect();
            conditions.push(Self::placed(&within.path, &marks));
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

    /// `column IN (SELECT key FROM next WHERE ...)` down the path, the last step's column among
    /// `marks`; false when there is no place (or no path).
    fn placed(path: &[(&Table, usize)], marks: &[String]) -> String {
        let Some(&(table, column)) = path.first() else {
            return "1 = 0".to_string();
        };
        if marks.is_empty() {
            return "1 = 0".to_string();
        }
        let name = table.columns[column].name;
        match path.get(1) {
            None => format!("{name} IN ({})", marks.join(", ")),
            Some(&(next, _)) => format!(
                "{name} IN (SELECT {} FROM {} WHERE {})",
                next.columns[next.key[0]].name,
                next.name,
                Self::placed(&path[1..], marks)
            ),
        }
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

    /// `SELECT` of a page (see [`Page`]): with `nulls`, of the rows whose `order` is null (in
    /// key order), else of the others; `after` starts after a row. Binds the filter values,
    /// then that row's key (`nulls`) or its value of `order` and its key.
    pub fn project_page(self, page: &Page, nulls: bool, after: bool) -> String {
        let Page {
            table,
            columns,
            filters,
            order,
            limit,
        } = *page;
        let names: Vec<&str> = columns.iter().map(|&i| table.columns[i].name).collect();
        let mut conditions: Vec<String> = filters
            .iter()
            .enumerate()
            .map(|(n, &i)| format!("{} = {}", table.columns[i].name, self.placeholder(n + 1)))
            .collect();
        let [key] = table.key[..] else {
            panic!("{} is paged by a one-column key", table.name);
        };
        let key = format!("{}{}", table.columns[key].name, self.in_byte_order);
        let order = format!("{}{}", table.columns[order].name, self.in_byte_order);
        let next = self.placeholder(filters.len() + 1);
        // The nulls are sorted by the column too, which changes nothing among them but lets
        // PostgreSQL follow the index rather than sort them all for every page.
        let sorted_by = format!("{order}, {key}");
        if nulls {
            conditions.push(format!("{order} IS NULL"));
            if after {
                conditions.push(format!("{key} > {next}"));
            }
        } else if after {
            let then = self.placeholder(filters.len() + 2);
            conditions.push(format!("({order}, {key}) > ({next}, {then})"));
        } else {
            conditions.push(format!("{order} IS NOT NULL"));
        }
        format!(
            "SELECT {} FROM {} WHERE {} ORDER BY {sorted_by} LIMIT {limit}",
            names.join(", "),
            table.name,
            conditions.join(" AND ")
        )
    }

    /// `columns` of the rows whose text `column` lies between two bound values, both
    /// included, in no set order.
    pub fn rows_in_range(self, table: &Table, columns: &[usize], column: usize) -> String {
        self.rows_between(
            table,
            columns,
            column,
            &self.placeholder(1),
            &self.placeholder(2),
        )
    }

    /// `columns` of the rows whose text `column` lies between the SQL expressions `low` and
    /// `high` (bound values, or constants where nothing can be bound), both included.
    pub fn rows_between(
        self,
        table: &Table,
        columns: &[usize],
        column: usize,
        low: &str,
        high: &str,
    ) -> String {
        let names: Vec<&str> = columns.iter().map(|&i| table.columns[i].name).collect();
        format!(
            "SELECT {} FROM {} WHERE {}{} BETWEEN {low} AND {high}",
            names.join(", "),
            table.name,
            table.columns[column].name,
            self.in_byte_order,
        )
    }

    /// The read's columns of the rows whose `column` holds one of the values bound as one list
    /// (see [`Dialect::in_bound_list`]), or that share its `sharing` column with one of those, in
    /// key order if asked: one statement whatever their number, so that it can be prepared once.
    pub fn rows_where_in_list(self, read: &WhereIn<'_>) -> String {
        let WhereIn {
            table,
            columns,
            column,
            in_key_order,
            sharing,
            ..
        } = *read;
        let names: Vec<&str> = columns.iter().map(|&i| table.columns[i].name).collect();
        let matched = format!("{} {}", table.columns[column].name, self.in_bound_list);
        let condition = match sharing {
            None => matched,
            Some(shared) => {
                let shared = table.columns[shared].name;
                format!(
                    "{shared} IN (SELECT {shared} FROM {} WHERE {matched})",
                    table.name
                )
            }
        };
        let mut sql = format!(
            "SELECT {} FROM {} WHERE {condition}",
            names.join(", "),
            table.name,
        );
        if in_key_order {
            write!(sql, " ORDER BY {}", Self::key_columns(table).join(", "))
                .expect("write to String");
        }
        sql
    }

    /// Refreshes the planner's statistics of a table after a bulk write, where the backend
    /// needs it.
    pub fn analyze(self, table: &Table) -> Option<String> {
        self.analyze_after_bulk_writes
            .then(|| format!("ANALYZE {}", table.name))
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
