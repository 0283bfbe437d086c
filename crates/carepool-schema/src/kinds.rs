//! The tables a user names (`carepool import members`, `carepool export payments`), each with
//! the Rust type of its records, so an edge that starts from a name reaches typed code by one
//! exhaustive match ([`with_record_type!`]) instead of strings compared in many places.

use crate::{Table, claim_tables, grievance_tables, tables};

/// A table a user may name; the registry's first, in the order they can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Locations,
    Providers,
    Families,
    Members,
    Coverage,
    Contributions,
    Ledger,
    TargetPopulation,
    Claims,
    ClaimLines,
    ClaimReasons,
    ClaimUsage,
    Payments,
    PaymentRuns,
    Grievances,
    GrievanceSteps,
    Refunds,
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::Locations,
        Kind::Providers,
        Kind::Families,
        Kind::Members,
        Kind::Coverage,
        Kind::Contributions,
        Kind::Ledger,
        Kind::TargetPopulation,
        Kind::Claims,
        Kind::ClaimLines,
        Kind::ClaimReasons,
        Kind::ClaimUsage,
        Kind::Payments,
        Kind::PaymentRuns,
        Kind::Grievances,
        Kind::GrievanceSteps,
        Kind::Refunds,
    ];

    pub fn table(self) -> &'static Table {
        match self {
            Kind::Locations => &tables::LOCATIONS,
            Kind::Providers => &tables::PROVIDERS,
            Kind::Families => &tables::FAMILIES,
            Kind::Members => &tables::MEMBERS,
            Kind::Coverage => &tables::COVERAGE,
            Kind::Contributions => &tables::CONTRIBUTIONS,
            Kind::Ledger => &tables::LEDGER,
            Kind::TargetPopulation => &tables::TARGET_POPULATION,
            Kind::Claims => &claim_tables::CLAIMS,
            Kind::ClaimLines => &claim_tables::CLAIM_LINES,
            Kind::ClaimReasons => &claim_tables::CLAIM_REASONS,
            Kind::ClaimUsage => &claim_tables::CLAIM_USAGE,
            Kind::Payments => &claim_tables::PAYMENTS,
            Kind::PaymentRuns => &claim_tables::PAYMENT_RUNS,
            Kind::Grievances => &grievance_tables::GRIEVANCES,
            Kind::GrievanceSteps => &grievance_tables::GRIEVANCE_STEPS,
            Kind::Refunds => &claim_tables::REFUNDS,
        }
    }

    pub fn name(self) -> &'static str {
        self.table().name
    }

    /// The kind named `name`, if any.
    pub fn named(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// A registry table: imported from files, and read and written one record at a time.
    pub fn is_registry(self) -> bool {
        tables::ALL.iter().any(|t| std::ptr::eq(*t, self.table()))
    }
}

/// Runs `$body` with `$R` the record type of `$kind` (a [`Kind`]):
/// `with_record_type!(kind, R => export::<R>(...))`.
#[macro_export]
macro_rules! with_record_type {
    ($kind:expr, $R:ident => $body:expr) => {
        match $kind {
            $crate::kinds::Kind::Locations => {
                type $R = $crate::tables::Location;
                $body
            }
            $crate::kinds::Kind::Providers => {
                type $R = $crate::tables::Provider;
                $body
            }
            $crate::kinds::Kind::Families => {
                type $R = $crate::tables::Family;
                $body
            }
            $crate::kinds::Kind::Members => {
                type $R = $crate::tables::Member;
                $body
            }
            $crate::kinds::Kind::Coverage => {
                type $R = $crate::tables::Coverage;
                $body
            }
            $crate::kinds::Kind::Contributions => {
                type $R = $crate::tables::Contribution;
                $body
            }
            $crate::kinds::Kind::Ledger => {
                type $R = $crate::tables::LedgerEntry;
                $body
            }
            $crate::kinds::Kind::TargetPopulation => {
                type $R = $crate::tables::TargetPopulation;
                $body
            }
            $crate::kinds::Kind::Claims => {
                type $R = $crate::claim_tables::ClaimRow;
                $body
            }
            $crate::kinds::Kind::ClaimLines => {
                type $R = $crate::claim_tables::ClaimLineRow;
                $body
            }
            $crate::kinds::Kind::ClaimReasons => {
                type $R = $crate::claim_tables::ClaimReasonRow;
                $body
            }
            $crate::kinds::Kind::ClaimUsage => {
                type $R = $crate::claim_tables::UsageRow;
                $body
            }
            $crate::kinds::Kind::Payments => {
                type $R = $crate::claim_tables::Payment;
                $body
            }
            $crate::kinds::Kind::PaymentRuns => {
                type $R = $crate::claim_tables::PaymentRun;
                $body
            }
            $crate::kinds::Kind::Grievances => {
                type $R = $crate::grievance_tables::GrievanceRow;
                $body
            }
            $crate::kinds::Kind::GrievanceSteps => {
                type $R = $crate::grievance_tables::GrievanceStepRow;
                $body
            }
            $crate::kinds::Kind::Refunds => {
                type $R = $crate::claim_tables::Refund;
                $body
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;

    fn table_of_record_type(kind: Kind) -> &'static Table {
        with_record_type!(kind, R => <R as Record>::table())
    }

    #[test]
    fn each_kind_names_its_table_and_its_record_type_reads_that_table() {
        for kind in Kind::ALL {
            assert_eq!(Kind::named(kind.name()), Some(kind));
            assert!(
                std::ptr::eq(table_of_record_type(kind), kind.table()),
                "{kind:?}"
            );
        }
        assert_eq!(Kind::named("claims_file"), None);
        let registry: Vec<Kind> = Kind::ALL.into_iter().filter(|k| k.is_registry()).collect();
        let registry_tables: Vec<&str> = registry.iter().map(|k| k.name()).collect();
        let declared: Vec<&str> = tables::ALL.iter().map(|t| t.name).collect();
        assert_eq!(registry_tables, declared);
    }
}
