//! Scheme versions: loading a definition adds a version from its effective date; history is never
//! rewritten.

use crate::audit::Change;
use crate::{Registry, ServiceError};
use carepool_core::scheme::SchemeDefinition;
use carepool_schema::scheme_tables::SCHEME_VERSIONS;
use carepool_store::{Store, StoredSchemeVersion};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadOutcome {
    /// A new version was stored.
    Added { versions: usize },
    /// The same definition was already stored for that date.
    Unchanged,
}

pub(crate) async fn versions(
    store: &dyn Store,
    code: &str,
) -> Result<Vec<SchemeDefinition>, ServiceError> {
    store
        .scheme_versions(code)
        .await?
        .iter()
        .map(|stored| {
            serde_json::from_str(&stored.definition).map_err(|e| {
                ServiceError::Corrupt(format!(
                    "stored version {} of scheme {code} cannot be read: {e}",
                    stored.effective_from
                ))
            })
        })
        .collect()
}

/// Adds `definition` as a new version, recorded in the trail by `registry`'s actor.
pub(crate) async fn load(
    registry: &Registry,
    definition: SchemeDefinition,
) -> Result<LoadOutcome, ServiceError> {
    let store = registry.store();
    definition.validate().map_err(ServiceError::Scheme)?;
    let existing = versions(store, &definition.code).await?;
    if let Some(same_day) = existing
        .iter()
        .find(|v| v.effective_from == definition.effective_from)
    {
        if *same_day == definition {
            return Ok(LoadOutcome::Unchanged);
        }
        return Err(ServiceError::Conflict(format!(
            "scheme {} already has a version effective from {} with other rules; history is never rewritten: \
             give the changed rules a later effective_from",
            definition.code, definition.effective_from
        )));
    }
    if let Some(latest) = existing.last() {
        if definition.effective_from < latest.effective_from {
            return Err(ServiceError::Conflict(format!(
                "scheme {} has a version effective from {}; a new version must take effect after it, not on {}",
                definition.code, latest.effective_from, definition.effective_from
            )));
        }
        if definition.currency != latest.currency {
            return Err(ServiceError::Conflict(format!(
                "scheme {} keeps its amounts in {}; a version cannot change the currency to {}",
                definition.code, latest.currency, definition.currency
            )));
        }
    }
    let stored = StoredSchemeVersion {
        code: definition.code.clone(),
        effective_from: definition.effective_from,
        definition: serde_json::to_string(&definition).expect("a definition serialises"),
        loaded_at: chrono::Utc::now().to_rfc3339(),
    };
    let change = Change {
        action: "load_scheme",
        table: &SCHEME_VERSIONS,
        key: Some(format!("{}/{}", stored.code, stored.effective_from)),
        before: None,
        after: Some(
            serde_json::json!({
                "code": definition.code,
                "effective_from": definition.effective_from,
                "currency": definition.currency,
            })
            .to_string(),
        ),
    };
    let audit = registry.audit(vec![change])?;
    store.add_scheme_version(&stored, vec![audit]).await?;
    Ok(LoadOutcome::Added {
        versions: existing.len() + 1,
    })
}
