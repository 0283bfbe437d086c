//! The schema a database really has after its migrations, and how it differs from the tables
//! declared in `carepool_schema`: each backend's migrations are written by hand, so a test on
//! each backend compares them with the declarations (see `Store::live_schema`).

use carepool_schema::{ColumnType, Table};

/// A column as the database describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveColumn {
    pub name: String,
    /// The type as the database names it (`TEXT`, `bigint`, ...).
    pub sql_type: String,
    /// Null is refused: `NOT NULL`, or part of the primary key.
    pub not_null: bool,
}

/// A table as the database describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveTable {
    pub name: String,
    /// In the table's order.
    pub columns: Vec<LiveColumn>,
    /// The primary key's columns, in order.
    pub key: Vec<String>,
}

/// Every table of a database (its migration bookkeeping left out), with the SQL type the
/// backend gives each declared column type.
#[derive(Debug, Clone)]
pub struct LiveSchema {
    pub tables: Vec<LiveTable>,
    pub sql_type: fn(ColumnType) -> &'static str,
}

impl LiveSchema {
    /// Every way the database differs from `declared`: a table missing or not declared, and
    /// per table each column missing, extra, out of order, of another type class or
    /// nullability, and a different key. Empty when they agree.
    pub fn differences(&self, declared: &[&Table]) -> Vec<String> {
        let mut found = Vec::new();
        for table in declared {
            match self.tables.iter().find(|t| t.name == table.name) {
                Some(live) => found.extend(self.table_differences(table, live)),
                None => found.push(format!(
                    "table {} is declared but not in the database",
                    table.name
                )),
            }
        }
        for live in &self.tables {
            if !declared.iter().any(|t| t.name == live.name) {
                found.push(format!(
                    "table {} is in the database but not declared",
                    live.name
                ));
            }
        }
        found
    }

    fn table_differences(&self, declared: &Table, live: &LiveTable) -> Vec<String> {
        let mut found = Vec::new();
        let table = declared.name;
        let declared_names: Vec<&str> = declared.columns.iter().map(|c| c.name).collect();
        let live_names: Vec<&str> = live.columns.iter().map(|c| c.name.as_str()).collect();
        for column in declared.columns {
            let Some(live_column) = live.columns.iter().find(|c| c.name == column.name) else {
                found.push(format!(
                    "{table}.{} is declared but not in the database",
                    column.name
                ));
                continue;
            };
            let wanted = (self.sql_type)(column.ty);
            if !live_column.sql_type.eq_ignore_ascii_case(wanted) {
                found.push(format!(
                    "{table}.{} is {} in the database but declared {} ({wanted})",
                    column.name,
                    live_column.sql_type,
                    column.ty.describe()
                ));
            }
            if live_column.not_null != column.stored_not_null() {
                let say = |not_null| if not_null { "required" } else { "optional" };
                found.push(format!(
                    "{table}.{} is {} in the database but declared {}",
                    column.name,
                    say(live_column.not_null),
                    say(column.stored_not_null())
                ));
            }
        }
        for name in &live_names {
            if !declared_names.contains(name) {
                found.push(format!(
                    "{table}.{name} is in the database but not declared"
                ));
            }
        }
        let shared = |names: &[&str], others: &[&str]| -> Vec<String> {
            names
                .iter()
                .filter(|n| others.contains(n))
                .map(|n| n.to_string())
                .collect()
        };
        if shared(&declared_names, &live_names) != shared(&live_names, &declared_names) {
            found.push(format!(
                "{table}'s columns are in another order in the database: {}",
                live_names.join(", ")
            ));
        }
        let declared_key: Vec<&str> = declared
            .key
            .iter()
            .map(|&i| declared.columns[i].name)
            .collect();
        if declared_key != live.key {
            found.push(format!(
                "{table}'s key is ({}) in the database but declared ({})",
                live.key.join(", "),
                declared_key.join(", ")
            ));
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_schema::tables::{COVERAGE, LOCATIONS};

    fn sql_type(ty: ColumnType) -> &'static str {
        match ty {
            ColumnType::Integer | ColumnType::Money => "INTEGER",
            ColumnType::Real => "REAL",
            _ => "TEXT",
        }
    }

    fn live(table: &Table) -> LiveTable {
        LiveTable {
            name: table.name.to_string(),
            columns: table
                .columns
                .iter()
                .map(|c| LiveColumn {
                    name: c.name.to_string(),
                    sql_type: sql_type(c.ty).to_lowercase(),
                    not_null: c.stored_not_null(),
                })
                .collect(),
            key: table
                .key
                .iter()
                .map(|&i| table.columns[i].name.to_string())
                .collect(),
        }
    }

    fn schema(tables: Vec<LiveTable>) -> LiveSchema {
        LiveSchema { tables, sql_type }
    }

    #[test]
    fn a_database_made_as_declared_has_no_differences() {
        let found =
            schema(vec![live(&LOCATIONS), live(&COVERAGE)]).differences(&[&LOCATIONS, &COVERAGE]);
        assert_eq!(found, Vec::<String>::new());
    }

    #[test]
    fn each_kind_of_drift_is_named() {
        let mut coverage = live(&COVERAGE);
        coverage.columns[1].sql_type = "INTEGER".into();
        coverage.columns[2].not_null = true;
        // A column carepool fills is optional in files but required in the store.
        let family = coverage.columns.iter_mut().find(|c| c.name == "family_id");
        family.unwrap().not_null = false;
        coverage.columns.swap(2, 3);
        coverage.columns.push(LiveColumn {
            name: "note".into(),
            sql_type: "TEXT".into(),
            not_null: false,
        });
        coverage.key.pop();
        let found = schema(vec![coverage, live(&carepool_schema::tables::FAMILIES)])
            .differences(&[&LOCATIONS, &COVERAGE]);
        assert_eq!(
            found,
            [
                "table locations is declared but not in the database",
                "coverage.start_date is INTEGER in the database but declared date YYYY-MM-DD (TEXT)",
                "coverage.end_date is required in the database but declared optional",
                "coverage.family_id is optional in the database but declared required",
                "coverage.note is in the database but not declared",
                "coverage's columns are in another order in the database: member_id, start_date, package, end_date, family_id, note",
                "coverage's key is (member_id) in the database but declared (member_id, start_date)",
                "table families is in the database but not declared",
            ]
        );
    }
}
