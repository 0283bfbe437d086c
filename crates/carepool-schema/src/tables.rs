//! The registry's tables, each declared once with the core's record it holds.
//! Column order here is the CSV column order and the SQL column order.

use crate::{Reference, Table};
use carepool_core::Money;
use carepool_core::registry::{
    Area, FacilityLevel, LedgerKind, MemberStatus, Ownership, Payer, Relationship, Sex,
};
pub use carepool_core::registry::{
    Contribution, Coverage, Family, LedgerEntry, Location, Member, Provider, TargetPopulation,
};
use chrono::NaiveDate;

crate::table! {
    pub static LOCATIONS: "locations" ("location"), mod locations, key [CODE], record Location;
    CODE code: String, "Unique code of the location.", places();
    NAME name: String, "Name.";
    KIND kind: String, "Level in the hierarchy: province, district, village, ...", filterable();
    PARENT_CODE parent_code: Option<String>, "Code of the enclosing location; empty at the top.",
        references(Reference::Table("locations"));
    AREA area: Option<Area>, "urban or rural; may be empty above village level.", filterable();
}

crate::table! {
    pub static PROVIDERS: "providers" ("provider"), mod providers, key [CODE], record Provider;
    CODE code: String, "Unique code of the health facility.";
    NAME name: String, "Name.";
    OWNERSHIP ownership: Ownership, "public or private.", filterable();
    LEVEL level: FacilityLevel,
        "health_centre, district_hospital, provincial_hospital or central_hospital.",
        filterable();
    LOCATION_CODE location_code: String, "Where the facility is.",
        references(Reference::Table("locations")), places();
    EMPANELLED_FROM empanelled_from: NaiveDate,
        "First day of the facility's contract with the scheme.";
    EMPANELLED_TO empanelled_to: Option<NaiveDate>, "Last day of the contract; empty while it runs.";
}

crate::table! {
    pub static FAMILIES: "families" ("family"), mod families, key [ID], record Family;
    ID id: String, "Unique identifier of the family unit.";
    SCHEME scheme: String, "Code of the scheme the family belongs to.",
        references(Reference::Scheme);
    LOCATION_CODE location_code: String, "Where the family lives.",
        references(Reference::Table("locations")), places();
    POVERTY_SCORE poverty_score: Option<f64>,
        "Proxy-means-test score 0..100 from the socio-economic registry.";
    HOUSEHOLD_ID household_id: Option<String>,
        "Household (shared kitchen) that may hold several family units.", filterable();
}

crate::table! {
    pub static MEMBERS: "members" ("member"), mod members, key [ID], record Member;
    ID id: String, "Identifier unique in the scheme.";
    FAMILY_ID family_id: String, "The member's family unit.",
        references(Reference::Table("families")), places();
    NAME name: String, "Full name.";
    RELATIONSHIP relationship: Relationship, "To the head: head, spouse, child, parent or other.",
        filterable();
    SEX sex: Sex, "F or M.", filterable();
    BIRTH_DATE birth_date: NaiveDate, "Date of birth.";
    NATIONAL_ID national_id: Option<String>, "National identity number; unique when given.",
        filterable();
    CATEGORIES categories: Vec<String>, "Eligibility categories, e.g. formal_sector;disability.";
    MONTHLY_WAGE monthly_wage: Option<Money>, "Monthly wage, for wage-based contributions.";
    STATUS status: MemberStatus, "active, pending, inactive or deceased.", filterable();
    STATUS_SINCE status_since: NaiveDate,
        "Date the status took effect (date of death when deceased).";
}

crate::table! {
    pub static COVERAGE: "coverage" ("coverage period"), mod coverage, key [MEMBER_ID, START_DATE],
        record Coverage;
    MEMBER_ID member_id: String, "The member covered.", references(Reference::Table("members")),
        places();
    START_DATE start_date: NaiveDate, "First day of cover.";
    END_DATE end_date: Option<NaiveDate>, "Last day of cover; empty while open-ended.";
    PACKAGE package: Option<String>,
        "Benefit package code; empty for the scheme's first package.", filterable();
    FAMILY_ID family_id: Option<String>,
        "The member's family; may be left empty (or out of the file), and carepool fills it from the member. When given, it must be the member's family.",
        filterable(), filled();
}

crate::table! {
    pub static CONTRIBUTIONS: "contributions" ("contribution"), mod contributions, key [RECEIPT],
        record Contribution;
    RECEIPT receipt: String, "Receipt number, unique in the scheme.";
    FAMILY_ID family_id: String, "The family the contribution is for.",
        references(Reference::Table("families")), places();
    PAYER payer: Payer, "member, employer, worker, government, social_fund or donor.",
        filterable();
    PERIOD_START period_start: NaiveDate, "First day of the period paid for.";
    PERIOD_END period_end: NaiveDate, "Last day of the period paid for.";
    AMOUNT amount: Money, "Amount paid, positive.";
    PAID_ON paid_on: NaiveDate, "Date the payment was received.";
}

crate::table! {
    pub static LEDGER: "ledger" ("ledger line"), mod ledger, key [SCHEME, MONTH, KIND, CATEGORY],
        record LedgerEntry;
    SCHEME scheme: String, "Code of the scheme whose books these are.",
        references(Reference::Scheme);
    MONTH month: String, "The month, YYYY-MM.", filterable();
    KIND kind: LedgerKind,
        "expense (spent in the month), or a balance at the month's end: asset, liquid_asset (available within 3 months), liability or short_term_liability (due within 3 months).",
        filterable();
    CATEGORY category: String, "What it is: staff, rent, cash, bank deposit, ...";
    AMOUNT amount: Money, "The amount, 0 or more.";
}

crate::table! {
    pub static TARGET_POPULATION: "target_population" ("target population"),
        mod target_population, key [LOCATION_CODE, YEAR], record TargetPopulation;
    LOCATION_CODE location_code: String, "The location (a district, a village, a province, ...).",
        references(Reference::Table("locations")), places();
    YEAR year: i64, "The calendar year.";
    POPULATION population: i64,
        "The people the scheme aims to cover there that year (the eligible population), 0 or more.";
}

/// Every registry table, in the order they can be imported (each refers only to earlier ones).
pub static ALL: [&Table; 8] = [
    &LOCATIONS,
    &PROVIDERS,
    &FAMILIES,
    &MEMBERS,
    &COVERAGE,
    &CONTRIBUTIONS,
    &LEDGER,
    &TARGET_POPULATION,
];

pub fn table_named(name: &str) -> Option<&'static Table> {
    ALL.iter().copied().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Record, Row, Value};

    fn parse_row(table: &Table, fields: &[&str]) -> Row {
        table
            .columns
            .iter()
            .zip(fields)
            .map(|(c, f)| Value::parse(c, f).unwrap())
            .collect()
    }

    #[test]
    fn a_member_row_round_trips_through_the_record() {
        let row = parse_row(
            &MEMBERS,
            &[
                "M1",
                "F1",
                "Awa",
                "spouse",
                "F",
                "1990-02-28",
                "",
                "poor;teacher",
                "1200.50",
                "pending",
                "2024-01-01",
            ],
        );
        let member = Member::from_row(&row).unwrap();
        assert_eq!(member.categories, ["poor", "teacher"]);
        assert_eq!(member.monthly_wage, Some(Money::from_minor(120_050)));
        assert_eq!(member.to_row(), row);
    }

    #[test]
    fn a_wrong_status_names_the_status_column() {
        let row = parse_row(
            &MEMBERS,
            &[
                "M1",
                "F1",
                "Awa",
                "spouse",
                "F",
                "1990-02-28",
                "",
                "",
                "",
                "active",
                "2024-01-01",
            ],
        );
        // Refused as it comes in, the column named.
        let status = &MEMBERS.columns[members::STATUS.index()];
        let refused = Value::parse(status, "asleep").unwrap_err();
        assert_eq!(refused.field, "status");
        assert!(
            refused.message.contains("is not one of"),
            "{}",
            refused.message
        );
        // And named when a stored row holds it (written behind carepool's back).
        let mut stored = row;
        stored[members::STATUS.index()] = Value::Text("asleep".into());
        assert_eq!(Member::from_row(&stored).unwrap_err().field, "status");
    }

    #[test]
    fn every_table_names_its_key_columns_first_and_references_known_tables() {
        for table in ALL {
            assert!(!table.key.is_empty());
            for column in table.columns {
                if let Some(Reference::Table(target)) = column.references {
                    assert!(
                        table_named(target).is_some(),
                        "{}.{} refers to {target}",
                        table.name,
                        column.name
                    );
                }
            }
        }
    }
}
