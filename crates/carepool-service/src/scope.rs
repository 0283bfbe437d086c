//! What a user may see and change: a national user everything; a user bound to districts the
//! locations under them (at any depth) and what those places hold: the facilities and families
//! located there, the families' members, cover and contributions, the claims of the facilities
//! there. Each table's declaration says which column places its rows (`Column::places`); the
//! filter follows it, so a list, a read and a write are scoped the same way. A record out of
//! scope is answered as if it did not exist.

use crate::users::User;
use crate::{Key, Query, Registry, RowProblem, ServiceError};
use carepool_core::registry::Location;
use carepool_schema::tables::{LOCATIONS, locations};
use carepool_schema::{Record, Reference, Table, Value};
use carepool_store::{ListQuery, Within};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Which records a user may see.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    National,
    /// The codes of the locations under the user's districts, the districts included.
    Places(Arc<BTreeSet<String>>),
}

impl Scope {
    pub fn is_national(&self) -> bool {
        matches!(self, Scope::National)
    }

    /// The filter that keeps a table's rows to the scope; none for a national scope.
    fn within(&self, table: &'static Table) -> Option<Within> {
        match self {
            Scope::National => None,
            Scope::Places(places) => Some(Within {
                // A table no location places shows nothing to a scoped user.
                path: table.place_path().unwrap_or_default(),
                places: places.iter().cloned().collect(),
            }),
        }
    }
}

impl Scope {
    /// Whether the location `code` is in the scope.
    pub fn holds(&self, code: &str) -> bool {
        match self {
            Scope::National => true,
            Scope::Places(places) => places.contains(code),
        }
    }

    /// What both scopes hold: a user's scope narrowed to a district asked about.
    pub fn and(&self, other: &Scope) -> Scope {
        match (self, other) {
            (Scope::National, other) | (other, Scope::National) => other.clone(),
            (Scope::Places(mine), Scope::Places(theirs)) => {
                Scope::Places(Arc::new(mine.intersection(theirs).cloned().collect()))
            }
        }
    }
}

impl<R: Record> Query<R> {
    /// Only the records `scope` lets its user see.
    pub fn within(mut self, scope: &Scope) -> Query<R> {
        self.list.within = scope.within(R::table());
        self
    }
}

impl Registry {
    /// The scope of `user`: national unless bound to districts.
    pub async fn scope_of(&self, user: &User) -> Result<Scope, ServiceError> {
        self.scope_under(&user.districts).await
    }

    /// The places under `districts` (their subtrees, at any depth); national for none.
    pub async fn scope_under(&self, districts: &[String]) -> Result<Scope, ServiceError> {
        if districts.is_empty() {
            return Ok(Scope::National);
        }
        let all = ListQuery {
            limit: i64::MAX as u64,
            ..ListQuery::default()
        };
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for row in self.store.list(&LOCATIONS, &all).await? {
            let location: Location = crate::typed(&row)?;
            if let Some(parent) = location.parent_code {
                children.entry(parent).or_default().push(location.code);
            }
        }
        let mut places = BTreeSet::new();
        let mut to_visit: Vec<String> = districts.to_vec();
        while let Some(code) = to_visit.pop() {
            if places.insert(code.clone()) {
                to_visit.extend(children.get(&code).into_iter().flatten().cloned());
            }
        }
        Ok(Scope::Places(Arc::new(places)))
    }

    /// The record with `key`, if `scope` lets its user see it; not found otherwise.
    pub async fn get_within<R: Record>(
        &self,
        key: &Key<R>,
        scope: &Scope,
    ) -> Result<R, ServiceError> {
        if scope.is_national() {
            return self.get(key).await;
        }
        let table = R::table();
        let mut query = Query::<R>::page(0, 1).within(scope);
        query.list.filters = table
            .key
            .iter()
            .copied()
            .zip(key.values().iter().cloned())
            .collect();
        self.list(&query)
            .await?
            .pop()
            .ok_or_else(|| ServiceError::NotFound {
                what: table.singular,
                key: key.text(),
            })
    }

    /// Refuses a record that would sit outside `scope`: the row its placing column names is one
    /// the user cannot see, so, as for any unknown reference, it is named as unknown.
    pub async fn check_within<R: Record>(
        &self,
        record: &R,
        scope: &Scope,
    ) -> Result<(), ServiceError> {
        let Scope::Places(places) = scope else {
            return Ok(());
        };
        let table = R::table();
        let path = table.place_path().unwrap_or_default();
        let row = record.to_row();
        let outside = |column: &str, what: &str, value: &str| {
            ServiceError::Invalid(vec![RowProblem::new(
                0,
                Some(column),
                format!("unknown {what} '{value}'"),
            )])
        };
        let Some(&(_, index)) = path.first() else {
            return Err(outside(table.columns[0].name, table.singular, ""));
        };
        let column = &table.columns[index];
        let value = row[index].as_text().unwrap_or_default().to_string();
        // A location is placed by its own code, and may not be hung elsewhere either: its
        // parent must be in scope too (a scoped user makes no top-level location).
        if std::ptr::eq(table, &LOCATIONS) {
            let parent = locations::PARENT_CODE
                .value(&row)
                .as_text()
                .unwrap_or_default();
            if !places.contains(parent) {
                return Err(outside(
                    locations::PARENT_CODE.name(),
                    LOCATIONS.singular,
                    parent,
                ));
            }
        }
        match path.get(1) {
            // The column holds a location's code.
            None if places.contains(&value) => Ok(()),
            None => {
                let what = match column.references {
                    Some(Reference::Table(_)) | None => LOCATIONS.singular,
                    Some(Reference::Scheme) => "scheme",
                };
                Err(outside(column.name, what, &value))
            }
            // The column names a row of the next table, which must be within.
            Some(&(next, _)) => {
                let query = ListQuery {
                    filters: vec![(next.key[0], Value::Text(value.as_str().into()))],
                    within: scope.within(next),
                    limit: 1,
                    ..ListQuery::default()
                };
                if self.store.list(next, &query).await?.is_empty() {
                    Err(outside(column.name, next.singular, &value))
                } else {
                    Ok(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(codes: &[&str]) -> Scope {
        Scope::Places(Arc::new(codes.iter().map(|c| c.to_string()).collect()))
    }

    #[test]
    fn two_scopes_hold_the_places_both_hold() {
        assert_eq!(Scope::National.and(&Scope::National), Scope::National);
        assert_eq!(
            Scope::National.and(&places(&["D1", "V1"])),
            places(&["D1", "V1"])
        );
        assert_eq!(
            places(&["D1", "V1"]).and(&Scope::National),
            places(&["D1", "V1"])
        );
        assert_eq!(
            places(&["D1", "V1", "V2"]).and(&places(&["V2", "D2"])),
            places(&["V2"])
        );
        assert_eq!(places(&["D1"]).and(&places(&["D2"])), places(&[]));
    }
}
