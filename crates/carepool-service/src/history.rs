//! A registry record's history, from the audit trail: every version, who made it and when. A
//! change through the API keeps the record before and after; an import's change keeps both too,
//! but the records an import brings in new are kept by their keys only, many to a record of the
//! trail (an import of a million members would otherwise copy them all into it), so a record's
//! first version's values are the `before` of its next change, or the record as it stands.

use crate::audit::AuditFilter;
use crate::imports::IMPORTED_NEW;
use crate::{Key, Registry, ServiceError};
use carepool_schema::audit_tables::{AUDIT, AuditRow, audit};
use carepool_schema::json::row_to_json;
use carepool_schema::{Record, Table};
use carepool_store::ListQuery;
use serde::Serialize;
use serde_json::Value as JsonValue;

/// One version of a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    /// When, as `2025-09-01T10:00:00Z`; none for the record as it was before its first change
    /// was recorded.
    pub at: Option<String>,
    /// Who: a user or cli:ACCOUNT; none as for `at`.
    pub actor: Option<String>,
    /// How: create, update or import.
    pub action: String,
    /// The record as this change left it.
    pub record: JsonValue,
}

impl Registry {
    /// Every version of the record, oldest first; `NotFound` for a key with no record and no
    /// recorded change.
    pub async fn history<R: Record>(&self, key: &Key<R>) -> Result<Vec<Version>, ServiceError> {
        let table = R::table();
        let filter = AuditFilter {
            table: Some(table.name.to_string()),
            key: Some(key.text()),
            ..AuditFilter::default()
        };
        let mut trail = self.audit_trail(&filter).await?;
        if let Some(brought_in) = self.imported_new(table, &key.text()).await? {
            trail.push(brought_in);
            trail.sort_by(|a, b| a.id.cmp(&b.id));
        }
        let current = self
            .store
            .get(table, key.values())
            .await?
            .map(|row| row_to_json(table, &row));
        if trail.is_empty() && current.is_none() {
            return Err(ServiceError::NotFound {
                what: table.singular,
                key: key.text(),
            });
        }
        Ok(versions(&trail, current))
    }
}

impl Registry {
    /// The record of the import that brought in the record `key` new, as the record's own.
    async fn imported_new(
        &self,
        table: &'static Table,
        key: &str,
    ) -> Result<Option<AuditRow>, ServiceError> {
        let query = ListQuery {
            filters: vec![
                audit::TABLE_NAME.equals(&table.name.to_string()),
                audit::ACTION.equals(&IMPORTED_NEW.to_string()),
            ],
            limit: i64::MAX as u64,
            ..ListQuery::default()
        };
        for row in self.store.list(&AUDIT, &query).await? {
            let record: AuditRow = crate::typed(&row)?;
            let keys: JsonValue = serde_json::from_str(record.after.as_deref().unwrap_or("{}"))
                .map_err(|e| ServiceError::Corrupt(format!("stored audit record: {e}")))?;
            let listed = keys["keys"]
                .as_array()
                .is_some_and(|keys| keys.iter().any(|k| k.as_str() == Some(key)));
            if listed {
                return Ok(Some(AuditRow {
                    action: "import".to_string(),
                    record_key: Some(key.to_string()),
                    after: None,
                    ..record
                }));
            }
        }
        Ok(None)
    }
}

/// The versions the trail's records of one record make, `current` being the record as stored.
fn versions(trail: &[AuditRow], current: Option<JsonValue>) -> Vec<Version> {
    let parsed = |text: &Option<String>| -> Option<JsonValue> {
        text.as_deref().and_then(|t| serde_json::from_str(t).ok())
    };
    let mut versions = Vec::with_capacity(trail.len() + 1);
    if let Some(first) = trail.first().and_then(|r| parsed(&r.before)) {
        versions.push(Version {
            at: None,
            actor: None,
            action: "before the trail".to_string(),
            record: first,
        });
    }
    for (i, change) in trail.iter().enumerate() {
        let record = parsed(&change.after)
            .or_else(|| trail.get(i + 1).and_then(|next| parsed(&next.before)))
            .or_else(|| (i + 1 == trail.len()).then(|| current.clone()).flatten())
            .unwrap_or(JsonValue::Null);
        versions.push(Version {
            at: chrono::DateTime::from_timestamp(change.at, 0)
                .map(|at| at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            actor: Some(change.actor.clone()),
            action: change.action.clone(),
            record,
        });
    }
    if trail.is_empty()
        && let Some(current) = current
    {
        versions.push(Version {
            at: None,
            actor: None,
            action: "before the trail".to_string(),
            record: current,
        });
    }
    versions
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(
        at: i64,
        action: &str,
        before: Option<JsonValue>,
        after: Option<JsonValue>,
    ) -> AuditRow {
        AuditRow {
            id: format!("{at}"),
            at,
            actor: "awa".into(),
            action: action.into(),
            table_name: "members".into(),
            record_key: Some("M1".into()),
            before: before.map(|v| v.to_string()),
            after: after.map(|v| v.to_string()),
        }
    }

    #[test]
    fn a_record_imported_new_takes_its_values_from_the_next_change_or_as_it_stands() {
        let v1 = json!({ "id": "M1", "name": "A" });
        let v2 = json!({ "id": "M1", "name": "B" });
        let trail = [
            change(0, "import", None, None),
            change(86_400, "update", Some(v1.clone()), Some(v2.clone())),
        ];
        let versions = versions(&trail, Some(v2.clone()));
        let records: Vec<&JsonValue> = versions.iter().map(|v| &v.record).collect();
        assert_eq!(records, [&v1, &v2]);
        assert_eq!(versions[1].at.as_deref(), Some("1970-01-02T00:00:00Z"));

        let alone = versions_of_one_import(&v1);
        assert_eq!(alone.len(), 1);
        assert_eq!(alone[0].record, v1, "as it stands");
    }

    fn versions_of_one_import(current: &JsonValue) -> Vec<Version> {
        versions(&[change(0, "import", None, None)], Some(current.clone()))
    }

    #[test]
    fn a_record_older_than_the_trail_starts_with_the_values_before_its_first_change() {
        let v0 = json!({ "id": "M1", "name": "Old" });
        let v1 = json!({ "id": "M1", "name": "New" });
        let trail = [change(10, "update", Some(v0.clone()), Some(v1.clone()))];
        let versions = versions(&trail, Some(v1.clone()));
        assert_eq!(versions.len(), 2);
        assert_eq!(
            (versions[0].actor.as_deref(), &versions[0].record),
            (None, &v0)
        );
        assert_eq!(versions[1].actor.as_deref(), Some("awa"));

        let untouched = super::versions(&[], Some(v0.clone()));
        assert_eq!(untouched.len(), 1);
        assert_eq!(untouched[0].record, v0);
    }
}
