//! A coverage period is stored with its member's family (`coverage.family_id`), so that a
//! family's cover is read by the family's key. Files and requests may leave it out: carepool
//! fills it from the member before the period is written. One given is checked to be the
//! member's own with the other coverage rules (validate.rs). The database holds the pair to the
//! member's by a foreign key (the migration that added the column): a period filled with a
//! family its member left meanwhile is refused at commit, and a member moved to another family
//! takes their cover along (`ON UPDATE CASCADE`), without records of its own in the audit
//! trail: the move is recorded once, on the member.

use crate::{Numbered, Registry, RowProblem, ServiceError, unique};
use carepool_schema::tables::{COVERAGE, coverage};
use carepool_schema::{Row, Table};

/// Fills the family of every coverage row that has none from its member; rows of other tables
/// are left as they are. A member that is not stored is a problem of its row (the checks before
/// a write name it first).
pub(crate) async fn fill(
    registry: &Registry,
    table: &Table,
    rows: &mut [Numbered<Row>],
) -> Result<(), ServiceError> {
    if !std::ptr::eq(table, &COVERAGE) {
        return Ok(());
    }
    let member_id = |row: &Row| (coverage::MEMBER_ID.value(row).as_text()).map(str::to_string);
    let without: Vec<String> = unique(
        (rows.iter())
            .filter(|r| coverage::FAMILY_ID.value(&r.item).is_null())
            .filter_map(|r| member_id(&r.item)),
    );
    if without.is_empty() {
        return Ok(());
    }
    let families = registry.families_of(&without).await?;
    let mut unknown = Vec::new();
    for row in rows.iter_mut() {
        if !coverage::FAMILY_ID.value(&row.item).is_null() {
            continue;
        }
        let member = member_id(&row.item).unwrap_or_default();
        match families.get(&member) {
            Some(family) => coverage::FAMILY_ID.set(&mut row.item, &Some(family.clone())),
            None => unknown.push(RowProblem::new(
                row.line,
                Some("member_id"),
                format!("unknown member '{member}'"),
            )),
        }
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(unknown))
    }
}
