//! Who may do what: the roles of a scheme's staff and facilities, and the actions each may take.
//! The matrix is data ([`Role::permissions`]), so that every route and command can declare the
//! action it needs and a test can walk them all.

use crate::registry::FieldError;
use serde::{Deserialize, Serialize};

code_enum!(
    /// A user's job, which decides what they may do (docs/ACCESS.md).
    Role {
        Admin = "admin",
        EnrolmentOfficer = "enrolment_officer",
        FinanceOfficer = "finance_officer",
        ClaimsOfficer = "claims_officer",
        MedicalReviewer = "medical_reviewer",
        Manager = "manager",
        Actuary = "actuary",
        Auditor = "auditor",
        Facility = "facility",
        GrievanceOfficer = "grievance_officer",
        Monitor = "monitor",
    }
);

code_enum!(
    /// An action a route or a command needs; docs/ACCESS.md says what each allows.
    Permission {
        ManageUsers = "manage_users",
        LoadSchemes = "load_schemes",
        ReadRegistry = "read_registry",
        WriteNetwork = "write_network",
        WriteEnrolment = "write_enrolment",
        WriteContributions = "write_contributions",
        ReceiveClaims = "receive_claims",
        ReadClaims = "read_claims",
        ReviewClaims = "review_claims",
        PayClaims = "pay_claims",
        SubmitOwnClaims = "submit_own_claims",
        CheckCover = "check_cover",
        ReadIndicators = "read_indicators",
        RunStudies = "run_studies",
        SetPremiumBasis = "set_premium_basis",
        ReadAudit = "read_audit",
        FileGrievances = "file_grievances",
        HandleGrievances = "handle_grievances",
        ReadGrievances = "read_grievances",
        ReadMetrics = "read_metrics",
    }
);

impl Permission {
    /// Reading only: what a manager or an auditor may do.
    pub fn reads_only(self) -> bool {
        matches!(
            self,
            Permission::ReadRegistry
                | Permission::ReadClaims
                | Permission::CheckCover
                | Permission::ReadIndicators
                | Permission::ReadAudit
                | Permission::ReadGrievances
                | Permission::ReadMetrics
        )
    }
}

impl Role {
    /// What the role may do.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Admin => &[
                ManageUsers,
                LoadSchemes,
                ReadRegistry,
                WriteNetwork,
                ReadAudit,
                ReadMetrics,
            ],
            Role::EnrolmentOfficer => &[
                ReadRegistry,
                WriteEnrolment,
                CheckCover,
                FileGrievances,
                ReadGrievances,
            ],
            Role::FinanceOfficer => &[ReadRegistry, WriteContributions, ReadClaims, PayClaims],
            Role::ClaimsOfficer => &[
                ReadRegistry,
                ReceiveClaims,
                ReadClaims,
                CheckCover,
                FileGrievances,
                ReadGrievances,
            ],
            Role::MedicalReviewer => &[ReadClaims, ReviewClaims, CheckCover],
            Role::Manager => &[
                ReadRegistry,
                ReadClaims,
                CheckCover,
                ReadIndicators,
                ReadGrievances,
            ],
            Role::Actuary => &[ReadIndicators, RunStudies, SetPremiumBasis],
            Role::Auditor => &[
                ReadRegistry,
                ReadClaims,
                CheckCover,
                ReadIndicators,
                ReadAudit,
                ReadGrievances,
            ],
            Role::Facility => &[SubmitOwnClaims, CheckCover],
            Role::GrievanceOfficer => &[
                ReadRegistry,
                ReadClaims,
                CheckCover,
                FileGrievances,
                HandleGrievances,
                ReadGrievances,
            ],
            // The account a metrics scraper (Prometheus) signs in with: counts, no records.
            Role::Monitor => &[ReadMetrics],
        }
    }

    pub fn may(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }

    /// Whether a user of this role acts for one facility (and must name it).
    pub fn is_facility(self) -> bool {
        self == Role::Facility
    }
}

/// How the trail names a command run on the server's machine: `cli:` and the account.
pub const MACHINE_ACCOUNT: &str = "cli:";

/// Segregation of duties: whether a step by `second` after one by `first` would put both in the
/// same hands (a reviewer reviewing a claim they received, a finance officer releasing the run
/// they proposed). The machine's accounts (`cli:ACCOUNT`, commands run on the server) are not
/// bound: whoever runs them can change the database itself, so the rule would only stand in
/// their way, and the trail records them all the same.
pub fn same_hands(first: &str, second: &str) -> bool {
    first == second && !first.starts_with(MACHINE_ACCOUNT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_admin_manages_users_and_only_an_admin_or_an_auditor_reads_the_trail() {
        for &role in Role::ALL {
            assert_eq!(
                role.may(Permission::ManageUsers),
                role == Role::Admin,
                "{role}"
            );
            assert_eq!(
                role.may(Permission::ReadAudit),
                role == Role::Admin || role == Role::Auditor,
                "{role}"
            );
        }
    }

    #[test]
    fn managers_and_auditors_change_nothing() {
        for role in [Role::Manager, Role::Auditor] {
            assert!(role.permissions().iter().all(|p| p.reads_only()), "{role}");
        }
    }

    #[test]
    fn a_facility_submits_its_own_claims_and_checks_cover_but_never_reads_the_registry() {
        assert_eq!(
            Role::Facility.permissions(),
            [Permission::SubmitOwnClaims, Permission::CheckCover]
        );
        assert!(!Role::Facility.may(Permission::ReadRegistry));
    }

    #[test]
    fn two_steps_are_in_the_same_hands_when_one_user_takes_both_but_a_machine_account() {
        assert!(same_hands("awa", "awa"));
        assert!(!same_hands("awa", "ben"));
        assert!(!same_hands("cli:root", "cli:root"));
        assert!(!same_hands("cli:root", "awa"));
        assert!(
            same_hands("cli", "cli"),
            "a user named like the prefix is still a user"
        );
    }

    #[test]
    fn a_monitor_reads_the_metrics_and_nothing_else() {
        assert_eq!(Role::Monitor.permissions(), [Permission::ReadMetrics]);
        assert!(Role::Monitor.permissions().iter().all(|p| p.reads_only()));
    }

    #[test]
    fn a_medical_reviewer_does_not_receive_the_claims_it_reviews() {
        assert!(Role::MedicalReviewer.may(Permission::ReviewClaims));
        assert!(!Role::MedicalReviewer.may(Permission::ReceiveClaims));
        assert!(!Role::ClaimsOfficer.may(Permission::ReviewClaims));
    }

    #[test]
    fn every_permission_belongs_to_some_role() {
        for permission in Permission::ALL {
            assert!(
                Role::ALL.iter().any(|r| r.may(*permission)),
                "{permission:?} is nobody's"
            );
        }
    }

    /// docs/ACCESS.md's table says what `Role::permissions` does, cell by cell.
    #[test]
    fn the_documented_table_is_the_matrix() {
        let doc = include_str!("../../../docs/ACCESS.md");
        let mut lines = doc.lines().skip_while(|l| !l.starts_with("| permission |"));
        let header: Vec<&str> = lines.next().unwrap().split('|').map(str::trim).collect();
        let roles: Vec<Role> = header[3..header.len() - 1]
            .iter()
            .map(|name| Role::parse("role", name).unwrap())
            .collect();
        assert_eq!(roles, Role::ALL);
        let mut documented = Vec::new();
        for line in lines.skip(1).take_while(|l| l.starts_with('|')) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let permission: Permission =
                serde_json::from_value(serde_json::json!(cells[1])).unwrap();
            documented.push(permission);
            for (role, cell) in roles.iter().zip(&cells[3..]) {
                assert_eq!(
                    *cell == "yes",
                    role.may(permission),
                    "{permission:?} for {role}"
                );
            }
        }
        assert_eq!(documented, Permission::ALL);
    }

    #[test]
    fn a_role_is_read_by_its_code_and_a_wrong_one_names_the_choices() {
        assert_eq!(
            Role::parse("role", "claims_officer").unwrap(),
            Role::ClaimsOfficer
        );
        let wrong = Role::parse("role", "boss").unwrap_err();
        assert_eq!(wrong.field, "role");
        assert!(
            wrong.message.contains("admin, enrolment_officer"),
            "{}",
            wrong.message
        );
    }
}
