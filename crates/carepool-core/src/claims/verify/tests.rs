//! One test per check and reason code of [`adjudicate`], on a small scheme whose numbers can be
//! followed by hand, and properties over random claims.

use super::checks::is_icd10;
use super::*;
use crate::claims::usage::Ledger;
use crate::registry::{
    Contribution, Coverage, FacilityLevel, Family, MemberStatus, Ownership, Payer, Relationship,
    Sex,
};
use chrono::Days;
use proptest::prelude::*;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn m(units: i64) -> Money {
    Money::from_units(units)
}

/// The test scheme, in force from 2025-01-01. Limits per coverage year: secondary 50,000 per
/// family, priority 250,000 per family (350,000 when life-threatening), maternity 17,000 per
/// member with a 270-day waiting period.
fn scheme_json() -> serde_json::Value {
    serde_json::json!({
        "code": "test", "name": "Test scheme", "kind": "subsidised_programme", "currency": "INR",
        "effective_from": "2025-01-01", "enrolment_unit": "family",
        "family": { "definition": "head, spouse, children" },
        "coverage": { "period_months": 12, "grace_days": 30,
            "waiting_periods": [{ "benefit_category": "maternity", "days": 270 }] },
        "contributions": { "frequency_months": 12,
            "rules": [{ "payer": "member", "basis": "per_family", "amount": "1000" }] },
        "exemptions": { "poor_poverty_score_max": 35.0 },
        "packages": [{
            "code": "basic", "name": "Basic",
            "categories": [
                { "code": "secondary", "name": "Secondary care", "settings": ["inpatient"],
                  "clinical_categories": ["medical", "surgical"],
                  "limit": { "amount": "50000", "per": "family" },
                  "cost_sharing": { "kind": "percent", "percent": 10.0 },
                  "exempt": ["poor", "under_five"],
                  "allowances": [
                    { "kind": "transport", "amount": "350", "per": "discharge", "when": "always" },
                    { "kind": "transport", "amount": "1000", "per": "discharge", "when": "non_local" },
                    { "kind": "food", "amount": "50", "per": "day" }] },
                { "code": "priority", "name": "Priority conditions", "settings": ["inpatient"],
                  "conditions": ["I21", "N18"],
                  "limit": { "amount": "250000", "per": "family" },
                  "limit_raising": [{ "case": "life_threatening", "up_to": "350000" }] },
                { "code": "maternity", "name": "Maternity", "settings": ["inpatient", "outpatient"],
                  "clinical_categories": ["maternity"],
                  "limit": { "amount": "17000", "per": "member" },
                  "cost_sharing": { "kind": "fixed", "amount": "500" },
                  "exempt": ["pregnant"],
                  "allowances": [{ "kind": "transport", "amount": "1000", "per": "discharge", "when": "after_delivery" }] },
                { "code": "outpatient", "name": "Outpatient care", "settings": ["outpatient"],
                  "cost_sharing": { "kind": "by_level", "amounts": { "health_centre": "100", "district_hospital": "300" } } },
                { "code": "dental", "name": "Dental care", "settings": ["outpatient"],
                  "cost_sharing": { "kind": "deductible", "amount": "1000" } }
            ],
            "tariff": [
                { "service_code": "MED-STAY", "description": "Medical stay", "benefit_category": "secondary", "price": "9000" },
                { "service_code": "SURG", "description": "Surgery", "benefit_category": "secondary", "level": "district_hospital", "price": "22000" },
                { "service_code": "PCI", "description": "Angioplasty", "benefit_category": "priority", "price": "120000" },
                { "service_code": "DEL-NORM", "description": "Normal delivery", "benefit_category": "maternity", "price": "6000",
                  "sex": "F", "min_age": 12, "once_per_months": 9, "frequency_group": "delivery" },
                { "service_code": "DEL-CS", "description": "Caesarean section", "benefit_category": "maternity", "price": "15000",
                  "sex": "F", "min_age": 12, "once_per_months": 9, "frequency_group": "delivery" },
                { "service_code": "CONS", "description": "Consultation", "benefit_category": "outpatient", "level": "health_centre", "price": "600" },
                { "service_code": "CONS", "description": "Consultation", "benefit_category": "outpatient", "level": "district_hospital", "price": "2000" },
                { "service_code": "CONS-CHILD", "description": "Child consultation", "benefit_category": "outpatient", "price": "400", "max_age": 4 },
                { "service_code": "DENT", "description": "Filling", "benefit_category": "dental", "price": "800" }
            ]
        }]
    })
}

fn scheme() -> SchemeDefinition {
    let scheme: SchemeDefinition = serde_json::from_value(scheme_json()).unwrap();
    scheme.validate().unwrap();
    scheme
}

fn person(id: &str, relationship: Relationship, sex: Sex, birth: &str) -> Member {
    Member {
        id: id.into(),
        family_id: "F1".into(),
        name: id.into(),
        relationship,
        sex,
        birth_date: day(birth),
        national_id: None,
        categories: vec![],
        monthly_wage: None,
        status: MemberStatus::Active,
        status_since: day("2025-01-01"),
    }
}

fn facility(code: &str, level: FacilityLevel) -> Provider {
    Provider {
        code: code.into(),
        name: code.into(),
        ownership: Ownership::Public,
        level,
        location_code: "D1".into(),
        empanelled_from: day("2025-01-01"),
        empanelled_to: Some(day("2026-12-31")),
    }
}

/// A family of three covered for 2025, its year's contribution paid; a district hospital H1 and
/// a health centre C1.
struct World {
    versions: Vec<SchemeDefinition>,
    family: Family,
    members: Vec<Member>,
    coverage: Vec<Coverage>,
    contributions: Vec<Contribution>,
    providers: Vec<Provider>,
    local: bool,
    history: Vec<PriorClaim>,
    ledger: Ledger,
}

impl World {
    fn new() -> World {
        let members = vec![
            person("M1", Relationship::Head, Sex::Male, "1980-05-10"),
            person("M2", Relationship::Spouse, Sex::Female, "1990-08-20"),
            person("M3", Relationship::Child, Sex::Male, "2022-03-01"),
        ];
        let coverage = members
            .iter()
            .map(|member| Coverage {
                member_id: member.id.clone(),
                start_date: day("2025-01-01"),
                end_date: Some(day("2025-12-31")),
                package: None,
                family_id: Some(member.family_id.clone()),
            })
            .collect();
        World {
            versions: vec![scheme()],
            family: Family {
                id: "F1".into(),
                scheme: "test".into(),
                location_code: "V1".into(),
                poverty_score: Some(50.0),
                household_id: None,
            },
            members,
            coverage,
            contributions: vec![Contribution {
                receipt: "R1".into(),
                family_id: "F1".into(),
                payer: Payer::Member,
                period_start: day("2025-01-01"),
                period_end: day("2025-12-31"),
                amount: m(1000),
                paid_on: day("2025-01-01"),
            }],
            providers: vec![
                facility("H1", FacilityLevel::DistrictHospital),
                facility("C1", FacilityLevel::HealthCentre),
            ],
            local: true,
            history: vec![],
            ledger: Ledger::default(),
        }
    }

    fn family_record(&self) -> FamilyRecord<'_> {
        FamilyRecord {
            family: &self.family,
            members: &self.members,
            coverage: &self.coverage,
            contributions: &self.contributions,
        }
    }

    fn member_mut(&mut self, id: &str) -> &mut Member {
        self.members.iter_mut().find(|m| m.id == id).unwrap()
    }

    fn judge(&self, claim: &Claim) -> Decision {
        let context = ClaimContext {
            versions: &self.versions,
            member: self.members.iter().find(|m| m.id == claim.member_id),
            family: Some(self.family_record()),
            provider: self.providers.iter().find(|p| p.code == claim.provider_id),
            patient_is_local: self.local,
            history: &self.history,
        };
        let decision = adjudicate(claim, &context, &self.ledger);
        assert!(decision.amounts.balanced(), "{decision:#?}");
        assert!(decision.lines.iter().all(|l| l.amounts.balanced()));
        decision
    }

    fn used(&mut self, member_id: &str, category: &str, used: i64) {
        self.ledger.add(
            UsageKey {
                family_id: "F1".into(),
                member_id: member_id.into(),
                category: category.into(),
                year_start: day("2025-01-01"),
            },
            Usage {
                used: m(used),
                ..Usage::default()
            },
        );
    }
}

fn line(service: &str, quantity: i64, price: i64) -> ClaimLine {
    ClaimLine {
        service_code: service.into(),
        quantity,
        unit_price: m(price),
    }
}

/// A medical stay of M1 at H1 from 10 to 14 March 2025.
fn stay(lines: Vec<ClaimLine>) -> Claim {
    Claim {
        provider_id: "H1".into(),
        claim_number: "1".into(),
        member_id: "M1".into(),
        visit_date: None,
        admission_date: Some(day("2025-03-10")),
        discharge_date: Some(day("2025-03-14")),
        diagnosis_codes: vec!["J18.9".into()],
        clinical_category: "medical".into(),
        specialty: Some("internal_medicine".into()),
        limit_raising_case: None,
        copay_collected: Money::ZERO,
        received_date: day("2025-03-20"),
        lines,
    }
}

fn visit(provider: &str, member: &str, date: &str, lines: Vec<ClaimLine>) -> Claim {
    Claim {
        provider_id: provider.into(),
        member_id: member.into(),
        visit_date: Some(day(date)),
        admission_date: None,
        discharge_date: None,
        clinical_category: "medical".into(),
        received_date: day(date),
        ..stay(lines)
    }
}

fn delivery(member: &str, admission: &str, service: &str, price: i64) -> Claim {
    let admitted = day(admission);
    Claim {
        member_id: member.into(),
        admission_date: Some(admitted),
        discharge_date: Some(admitted + Days::new(2)),
        received_date: admitted + Days::new(10),
        diagnosis_codes: vec!["O80".into()],
        clinical_category: "maternity".into(),
        specialty: Some("obstetrics".into()),
        ..stay(vec![line(service, 1, price)])
    }
}

fn codes(decision: &Decision) -> Vec<R> {
    decision.reasons.iter().map(|r| r.code).collect()
}

fn message(decision: &Decision, code: R) -> &str {
    &decision
        .reasons
        .iter()
        .find(|r| r.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", decision.reasons))
        .message
}

#[test]
fn a_stay_within_tariff_is_approved_less_the_members_share_with_its_allowances() {
    let decision = World::new().judge(&stay(vec![line("MED-STAY", 1, 9000)]));
    assert_eq!(decision.status, ClaimStatus::Approved);
    assert_eq!(decision.amounts.approved, m(8100));
    assert_eq!(decision.amounts.member_share, m(900));
    // Transport 350 (local patient) and food 50 a day for 4 days.
    assert_eq!(decision.allowance, m(350 + 200));
    assert_eq!(
        codes(&decision),
        [R::TransportAllowance, R::FoodAllowance, R::CostSharing]
    );
    assert_eq!(decision.scheme_version, Some(day("2025-01-01")));
    assert_eq!(decision.usage.len(), 1);
    assert_eq!(decision.usage[0].1.used, m(8100));
    assert_eq!(decision.usage[0].0.member_id, "", "a family limit");
}

#[test]
fn a_price_above_tariff_is_cut_to_tariff_and_the_cut_explained() {
    let decision = World::new().judge(&stay(vec![line("MED-STAY", 1, 10_200)]));
    assert_eq!(decision.status, ClaimStatus::PartiallyApproved);
    assert_eq!(decision.amounts.rejected, m(1200));
    assert_eq!(decision.amounts.approved, m(8100));
    assert_eq!(
        message(&decision, R::AboveTariff),
        "cut by 1,200.00: above tariff for service MED-STAY at level district_hospital (1 × 10,200.00 claimed, tariff 9,000.00 each)"
    );
}

#[test]
fn malformed_claims_are_rejected_with_what_is_wrong() {
    let world = World::new();
    let mut backwards = stay(vec![line("MED-STAY", 1, 9000)]);
    backwards.discharge_date = Some(day("2025-03-01"));
    let decision = world.judge(&backwards);
    assert_eq!(decision.status, ClaimStatus::Rejected);
    assert_eq!(codes(&decision), [R::MalformedDates]);
    assert_eq!(decision.amounts.rejected, m(9000));

    let mut early = stay(vec![line("MED-STAY", 1, 9000)]);
    early.received_date = day("2025-03-13");
    assert_eq!(codes(&world.judge(&early)), [R::MalformedDates]);

    let mut both = stay(vec![line("MED-STAY", 1, 9000)]);
    both.visit_date = Some(day("2025-03-10"));
    assert_eq!(codes(&world.judge(&both)), [R::MalformedDates]);

    assert_eq!(codes(&world.judge(&stay(vec![]))), [R::MalformedAmounts]);

    let mut bad_code = stay(vec![line("MED-STAY", 1, 9000)]);
    bad_code.diagnosis_codes = vec!["pneumonia".into()];
    assert_eq!(codes(&world.judge(&bad_code)), [R::MalformedCodes]);

    let decision = world.judge(&stay(vec![
        line("MED-STAY", 0, 9000),
        line("MED-STAY", 1, -5),
    ]));
    assert_eq!(codes(&decision), [R::MalformedAmounts, R::MalformedAmounts]);
    assert_eq!(decision.amounts.claimed, Money::ZERO);
    assert_eq!(decision.status, ClaimStatus::Rejected);
}

#[test]
fn icd10_codes_are_a_letter_two_digits_and_a_subdivision() {
    for good in ["I21", "I21.0", "O80", "Z37.0", "S72.001A", "E119"] {
        assert!(is_icd10(good), "{good}");
    }
    for bad in ["", "i21", "I2", "21.0", "I21.", "I21.00000", "I21-0"] {
        assert!(!is_icd10(bad), "{bad}");
    }
}

#[test]
fn an_unknown_pending_inactive_or_dead_member_is_not_entitled() {
    let mut world = World::new();
    let mut stranger = stay(vec![line("MED-STAY", 1, 9000)]);
    stranger.member_id = "M9".into();
    assert_eq!(codes(&world.judge(&stranger)), [R::MemberUnknown]);

    world.member_mut("M1").status = MemberStatus::Pending;
    let decision = world.judge(&stay(vec![line("MED-STAY", 1, 9000)]));
    assert_eq!(decision.status, ClaimStatus::Rejected);
    assert_eq!(codes(&decision), [R::MemberPending]);
    assert!(message(&decision, R::MemberPending).contains("not entitled"));

    world.member_mut("M1").status = MemberStatus::Inactive;
    world.member_mut("M1").status_since = day("2025-03-01");
    assert_eq!(
        codes(&world.judge(&stay(vec![line("MED-STAY", 1, 9000)]))),
        [R::MemberInactive]
    );
    // Inactive only after the stay: the stay was covered.
    world.member_mut("M1").status_since = day("2025-04-01");
    assert_eq!(
        world.judge(&stay(vec![line("MED-STAY", 1, 9000)])).status,
        ClaimStatus::Approved
    );

    world.member_mut("M1").status = MemberStatus::Deceased;
    world.member_mut("M1").status_since = day("2025-03-12");
    // Admitted before death: covered.
    assert_eq!(
        world.judge(&stay(vec![line("MED-STAY", 1, 9000)])).status,
        ClaimStatus::Approved
    );
    world.member_mut("M1").status_since = day("2025-03-01");
    assert_eq!(
        codes(&world.judge(&stay(vec![line("MED-STAY", 1, 9000)]))),
        [R::MemberDeceased]
    );
}

#[test]
fn an_unknown_or_unempanelled_facility_is_refused() {
    let mut world = World::new();
    let mut elsewhere = stay(vec![line("MED-STAY", 1, 9000)]);
    elsewhere.provider_id = "X9".into();
    assert_eq!(codes(&world.judge(&elsewhere)), [R::ProviderUnknown]);

    world.providers[0].empanelled_from = day("2025-04-01");
    let decision = world.judge(&stay(vec![line("MED-STAY", 1, 9000)]));
    assert_eq!(codes(&decision), [R::ProviderNotEmpanelled]);
    assert!(message(&decision, R::ProviderNotEmpanelled).contains("from 2025-04-01"));
}

#[test]
fn a_claim_on_the_last_day_of_cover_is_paid_and_the_day_after_is_not() {
    let world = World::new();
    let mut last_day = visit("C1", "M1", "2025-12-31", vec![line("CONS", 1, 600)]);
    last_day.received_date = day("2026-01-05");
    assert_eq!(world.judge(&last_day).status, ClaimStatus::Approved);

    let after = visit("C1", "M1", "2026-01-01", vec![line("CONS", 1, 600)]);
    let decision = world.judge(&after);
    assert_eq!(codes(&decision), [R::NotCovered]);
    assert_eq!(decision.amounts.rejected, m(600));
}

#[test]
fn cover_is_suspended_after_the_grace_period_when_the_contribution_is_unpaid() {
    let mut world = World::new();
    world.contributions.clear();
    // Due 1 January, 30 days of grace: covered to 31 January, suspended from 1 February.
    assert_eq!(
        world
            .judge(&visit("C1", "M1", "2025-01-31", vec![line("CONS", 1, 600)]))
            .status,
        ClaimStatus::Approved
    );
    let decision = world.judge(&visit("C1", "M1", "2025-02-01", vec![line("CONS", 1, 600)]));
    assert_eq!(codes(&decision), [R::CoverSuspended]);
    assert!(message(&decision, R::CoverSuspended).contains("since 2025-02-01"));
}

#[test]
fn a_claim_before_the_first_scheme_version_has_no_rules() {
    let mut world = World::new();
    for cover in &mut world.coverage {
        cover.start_date = day("2024-06-01");
    }
    world.contributions[0].paid_on = day("2024-06-01");
    world.providers[1].empanelled_from = day("2024-01-01");
    let decision = world.judge(&visit("C1", "M1", "2024-12-01", vec![line("CONS", 1, 600)]));
    assert_eq!(codes(&decision), [R::NoSchemeVersion]);
}

#[test]
fn a_reform_judges_each_claim_by_the_rules_on_its_date_of_service() {
    let mut world = World::new();
    let mut reform = scheme();
    reform.effective_from = day("2025-07-01");
    reform.packages[0].tariff[0].price = m(10_000);
    world.versions.push(reform);

    let mut before = stay(vec![line("MED-STAY", 1, 10_000)]);
    before.admission_date = Some(day("2025-06-30"));
    before.discharge_date = Some(day("2025-07-02"));
    before.received_date = day("2025-07-10");
    let decision = world.judge(&before);
    assert_eq!(decision.amounts.rejected, m(1000), "old tariff");
    assert_eq!(decision.scheme_version, Some(day("2025-01-01")));

    let mut after = before.clone();
    after.admission_date = Some(day("2025-07-01"));
    let decision = world.judge(&after);
    assert_eq!(decision.amounts.rejected, Money::ZERO, "new tariff");
    assert_eq!(decision.amounts.approved, m(9000));
    assert_eq!(decision.scheme_version, Some(day("2025-07-01")));
}

#[test]
fn services_outside_the_package_level_or_category_are_refused_line_by_line() {
    let world = World::new();
    let decision = world.judge(&stay(vec![line("MED-STAY", 1, 9000), line("MRI", 1, 5000)]));
    assert_eq!(decision.status, ClaimStatus::PartiallyApproved);
    assert_eq!(decision.lines[1].amounts.rejected, m(5000));
    assert_eq!(
        decision.reasons.last().unwrap().code,
        R::ServiceNotInPackage
    );
    assert_eq!(decision.reasons.last().unwrap().line, Some(2));

    let mut at_centre = stay(vec![line("SURG", 1, 22_000)]);
    at_centre.provider_id = "C1".into();
    let decision = world.judge(&at_centre);
    assert_eq!(codes(&decision), [R::ServiceNotAtLevel]);
    assert!(message(&decision, R::ServiceNotAtLevel).contains("district_hospital only"));

    // An outpatient service in a stay; a medical stay billed as maternity; a priority service
    // without a priority diagnosis.
    assert_eq!(
        codes(&world.judge(&stay(vec![line("CONS", 1, 2000)]))),
        [R::CategoryNotCovered]
    );
    let mut as_maternity = stay(vec![line("MED-STAY", 1, 9000)]);
    as_maternity.clinical_category = "maternity".into();
    assert_eq!(codes(&world.judge(&as_maternity)), [R::CategoryNotCovered]);
    let decision = world.judge(&stay(vec![line("PCI", 1, 120_000)]));
    assert_eq!(codes(&decision), [R::CategoryNotCovered]);
    assert!(message(&decision, R::CategoryNotCovered).contains("I21, N18"));
}

#[test]
fn sex_and_age_restrictions_hold() {
    let world = World::new();
    let decision = world.judge(&delivery("M1", "2025-11-01", "DEL-NORM", 6000));
    assert_eq!(codes(&decision), [R::SexRestriction]);
    let decision = world.judge(&visit(
        "C1",
        "M1",
        "2025-03-01",
        vec![line("CONS-CHILD", 1, 400)],
    ));
    assert_eq!(codes(&decision), [R::AgeRestriction]);
    assert!(message(&decision, R::AgeRestriction).contains("the patient was 44"));
    // The child is 2, and a child under five is exempt only where the category says so: the
    // outpatient category has no exemptions.
    let decision = world.judge(&visit(
        "C1",
        "M3",
        "2025-03-01",
        vec![line("CONS-CHILD", 1, 400)],
    ));
    assert_eq!(decision.status, ClaimStatus::Approved);
    assert_eq!(decision.amounts.member_share, m(100));
}

#[test]
fn a_maternity_claim_in_the_waiting_period_is_refused() {
    let world = World::new();
    // Cover began 1 January 2025; 270 days later is 28 September.
    let decision = world.judge(&delivery("M2", "2025-09-27", "DEL-NORM", 6000));
    assert_eq!(codes(&decision), [R::WaitingPeriod]);
    assert!(message(&decision, R::WaitingPeriod).contains("covered from 2025-09-28"));
    assert_eq!(
        world
            .judge(&delivery("M2", "2025-09-28", "DEL-NORM", 6000))
            .status,
        ClaimStatus::Approved
    );
}

#[test]
fn one_delivery_per_nine_months_across_the_frequency_group() {
    let mut world = World::new();
    world.history.push(PriorClaim {
        id: "H1/0".into(),
        provider_id: "H1".into(),
        claim_number: "0".into(),
        incurred_date: day("2025-02-01"),
        discharge_date: Some(day("2025-02-03")),
        received_date: day("2025-02-10"),
        status: ClaimStatus::Paid,
        approved_services: vec!["DEL-CS".into()],
    });
    world.coverage.iter_mut().for_each(|c| c.end_date = None);
    world.contributions[0].amount = m(2000);
    // A waiting period does not apply in the second year of unbroken cover.
    let decision = world.judge(&delivery("M2", "2025-10-31", "DEL-NORM", 6000));
    assert_eq!(codes(&decision), [R::FrequencyLimit]);
    assert!(message(&decision, R::FrequencyLimit).contains("claim H1/0"));
    assert_eq!(
        world
            .judge(&delivery("M2", "2025-11-01", "DEL-NORM", 6000))
            .status,
        ClaimStatus::Approved
    );
    // A refused earlier claim does not count.
    world.history[0].status = ClaimStatus::Rejected;
    assert_eq!(
        world
            .judge(&delivery("M2", "2025-10-31", "DEL-NORM", 6000))
            .status,
        ClaimStatus::Approved
    );
    // Twice in one claim.
    let mut twice = delivery("M2", "2025-11-01", "DEL-NORM", 6000);
    twice.lines.push(line("DEL-CS", 1, 15_000));
    let decision = world.judge(&twice);
    assert_eq!(decision.status, ClaimStatus::PartiallyApproved);
    assert_eq!(decision.reasons.last().unwrap().code, R::FrequencyLimit);
    assert_eq!(decision.reasons.last().unwrap().line, Some(2));
}

#[test]
fn a_family_reaching_its_limit_mid_claim_is_approved_in_part() {
    let mut world = World::new();
    world.used("", "secondary", 45_000);
    // 9,000 less the 10% share is 8,100 for the scheme; 5,000 is left of the limit.
    let decision = world.judge(&stay(vec![line("MED-STAY", 1, 9000)]));
    assert_eq!(decision.status, ClaimStatus::PartiallyApproved);
    assert_eq!(decision.amounts.approved, m(5000));
    assert_eq!(decision.amounts.member_share, m(900));
    assert_eq!(decision.amounts.rejected, m(3100));
    assert_eq!(
        message(&decision, R::AnnualLimit),
        "cut by 3,100.00: family limit for Secondary care (50,000.00 per coverage year from 2025-01-01) reached; 5,000.00 was left"
    );
    assert_eq!(decision.usage[0].1.used, m(5000));

    // Another member of the family shares the limit; at the limit, nothing more is paid.
    world.used("", "secondary", 5000);
    let mut spouse = stay(vec![line("MED-STAY", 1, 9000)]);
    spouse.member_id = "M2".into();
    let decision = world.judge(&spouse);
    assert_eq!(decision.amounts.approved, Money::ZERO);
    assert_eq!(decision.status, ClaimStatus::PartiallyApproved);
    assert!(decision.usage.is_empty());
}

#[test]
fn a_limit_per_member_counts_only_that_members_use() {
    let mut world = World::new();
    world
        .coverage
        .iter_mut()
        .for_each(|c| c.start_date = day("2024-01-01"));
    world.versions[0].effective_from = day("2024-01-01");
    world.contributions[0].amount = m(2000);
    world.used("M1", "maternity", 17_000);
    world.ledger.add(
        UsageKey {
            family_id: "F1".into(),
            member_id: "M2".into(),
            category: "maternity".into(),
            year_start: day("2025-01-01"),
        },
        Usage {
            used: m(14_000),
            ..Usage::default()
        },
    );
    let decision = world.judge(&delivery("M2", "2025-06-01", "DEL-NORM", 6000));
    assert_eq!(decision.amounts.approved, m(3000));
    assert_eq!(decision.usage[0].0.member_id, "M2");
}

#[test]
fn a_limit_raising_case_goes_above_the_limit_and_is_flagged() {
    let mut world = World::new();
    world.used("", "priority", 240_000);
    let mut heart = stay(vec![line("PCI", 1, 120_000)]);
    heart.diagnosis_codes = vec!["I21.0".into()];
    let decision = world.judge(&heart);
    assert_eq!(decision.amounts.approved, m(10_000), "without a case");
    assert!(!codes(&decision).contains(&R::LimitRaised));

    heart.limit_raising_case = Some("life_threatening".into());
    let decision = world.judge(&heart);
    assert_eq!(decision.amounts.approved, m(110_000));
    assert_eq!(decision.status, ClaimStatus::PartiallyApproved);
    assert!(codes(&decision).contains(&R::LimitRaised));
    assert_eq!(decision.usage[0].1.raised, 1);

    // A case declared on a claim that stays within the limit is not counted.
    world.ledger = Ledger::default();
    let decision = world.judge(&heart);
    assert_eq!(decision.status, ClaimStatus::Approved);
    assert_eq!(decision.usage[0].1.raised, 0);
}

#[test]
fn cost_sharing_by_level_percent_fixed_and_deductible() {
    let mut world = World::new();
    let at =
        |provider: &str, price| visit(provider, "M1", "2025-03-01", vec![line("CONS", 1, price)]);
    assert_eq!(world.judge(&at("C1", 600)).amounts.member_share, m(100));
    assert_eq!(world.judge(&at("H1", 2000)).amounts.member_share, m(300));

    // A deductible of 1,000 a year: the first filling is all the member's, the second in part.
    let filling = visit("C1", "M1", "2025-03-01", vec![line("DENT", 1, 800)]);
    let first = world.judge(&filling);
    assert_eq!(first.amounts.member_share, m(800));
    assert_eq!(first.amounts.approved, Money::ZERO);
    assert_eq!(first.status, ClaimStatus::Approved);
    for (key, usage) in first.usage {
        world.ledger.add(key, usage);
    }
    let second = world.judge(&filling);
    assert_eq!(second.amounts.member_share, m(200));
    assert_eq!(second.amounts.approved, m(600));
    assert!(message(&second, R::CostSharing).contains("deductible of 1,000.00"));
}

#[test]
fn a_percentage_share_rounds_half_away_from_zero_on_each_line() {
    let decision = World::new().judge(&stay(vec![
        line("MED-STAY", 1, 8_999),
        line("MED-STAY", 1, 5),
    ]));
    // 10% of 8,999.00 is 899.90; of 5.00 it is 0.50.
    assert_eq!(
        decision.lines[0].amounts.member_share,
        Money::from_minor(89_990)
    );
    assert_eq!(
        decision.lines[1].amounts.member_share,
        Money::from_minor(50)
    );
}

#[test]
fn exempt_groups_pay_nothing() {
    let mut world = World::new();
    world.family.poverty_score = Some(30.0);
    let decision = world.judge(&stay(vec![line("MED-STAY", 1, 9000)]));
    assert_eq!(decision.amounts.member_share, Money::ZERO);
    assert_eq!(decision.amounts.approved, m(9000));
    assert!(message(&decision, R::Exempt).contains("(poor)"));

    world.family.poverty_score = Some(50.0);
    let mut child = stay(vec![line("MED-STAY", 1, 9000)]);
    child.member_id = "M3".into();
    let decision = world.judge(&child);
    assert_eq!(decision.amounts.member_share, Money::ZERO);
    assert!(message(&decision, R::Exempt).contains("child under five"));
}

#[test]
fn an_exempt_pregnant_woman_charged_a_copayment_is_flagged() {
    let mut world = World::new();
    world
        .coverage
        .iter_mut()
        .for_each(|c| c.start_date = day("2024-01-01"));
    world.versions[0].effective_from = day("2024-01-01");
    world.contributions[0].amount = m(2000);
    let mut charged = delivery("M2", "2025-05-01", "DEL-NORM", 6000);
    charged.copay_collected = m(500);
    let decision = world.judge(&charged);
    assert_eq!(decision.status, ClaimStatus::Approved);
    assert_eq!(decision.amounts.member_share, Money::ZERO);
    assert_eq!(decision.amounts.approved, m(6000));
    assert_eq!(
        message(&decision, R::ExemptCharged),
        "the facility collected 500.00 from a member exempt from cost sharing (pregnant woman); the official share is 0.00"
    );
    // After a delivery, the transport allowance for women applies.
    assert_eq!(decision.allowance, m(1000));
}

#[test]
fn a_copayment_above_the_official_one_is_flagged() {
    let world = World::new();
    let mut overcharged = visit("C1", "M1", "2025-03-01", vec![line("CONS", 1, 600)]);
    overcharged.copay_collected = m(250);
    let decision = world.judge(&overcharged);
    assert!(
        message(&decision, R::CopayAboveOfficial)
            .contains("above the official co-payment of 100.00")
    );
    overcharged.copay_collected = m(100);
    assert!(!codes(&world.judge(&overcharged)).contains(&R::CopayAboveOfficial));
}

#[test]
fn transport_pays_the_higher_rate_to_patients_from_elsewhere_and_nothing_for_a_refused_stay() {
    let mut world = World::new();
    world.local = false;
    let decision = world.judge(&stay(vec![line("MED-STAY", 1, 9000)]));
    assert_eq!(decision.allowance, m(1000 + 200));
    assert!(message(&decision, R::TransportAllowance).contains("outside the facility's district"));

    let decision = world.judge(&stay(vec![line("MRI", 1, 9000)]));
    assert_eq!(decision.status, ClaimStatus::Rejected);
    assert_eq!(decision.allowance, Money::ZERO);

    // Visits carry no allowances.
    assert_eq!(
        world
            .judge(&visit("C1", "M1", "2025-03-01", vec![line("CONS", 1, 600)]))
            .allowance,
        Money::ZERO
    );
}

#[test]
fn a_second_claim_for_the_same_stay_under_another_number_goes_to_review() {
    let mut world = World::new();
    let first = PriorClaim {
        id: "H1/1".into(),
        provider_id: "H1".into(),
        claim_number: "1".into(),
        incurred_date: day("2025-03-10"),
        discharge_date: Some(day("2025-03-14")),
        received_date: day("2025-03-20"),
        status: ClaimStatus::Approved,
        approved_services: vec!["MED-STAY".into()],
    };
    world.history.push(first);
    let mut again = stay(vec![line("MED-STAY", 1, 9000)]);
    again.claim_number = "2".into();
    let decision = world.judge(&again);
    assert_eq!(decision.status, ClaimStatus::InReview);
    assert!(message(&decision, R::DuplicateClaim).contains("probable duplicate of claim H1/1"));
    // The first claim itself is not its own duplicate, nor is one after a refused claim.
    assert_eq!(
        world.judge(&stay(vec![line("MED-STAY", 1, 9000)])).status,
        ClaimStatus::Approved
    );
    world.history[0].status = ClaimStatus::Rejected;
    assert_eq!(world.judge(&again).status, ClaimStatus::Approved);

    // Cut to nothing by the limit its twin used, it is still held, not rejected and forgotten.
    world.history[0].status = ClaimStatus::Approved;
    world.used("", "secondary", 50_000);
    let cut = world.judge(&again);
    assert_eq!(cut.amounts.approved, Money::ZERO);
    assert_eq!(cut.status, ClaimStatus::InReview);
    assert!(codes(&cut).contains(&R::DuplicateClaim));
    // Refused outright (a service outside the package), it is not held.
    let mut refused = again.clone();
    refused.lines = vec![line("MRI", 1, 9000)];
    assert_eq!(world.judge(&refused).status, ClaimStatus::Rejected);

    // Received later but decided already (the first, refused, was sent again under another
    // number and paid; then the first is decided again on appeal): the first is the one held.
    world.history[0].received_date = day("2025-04-01");
    let appealed = world.judge(&again);
    assert_eq!(appealed.status, ClaimStatus::InReview);
    assert!(codes(&appealed).contains(&R::DuplicateClaim));
    // Still waiting, or itself held in review, the later one does not make the earlier a
    // duplicate.
    for waiting in [ClaimStatus::Received, ClaimStatus::InReview] {
        world.history[0].status = waiting;
        assert!(!codes(&world.judge(&again)).contains(&R::DuplicateClaim));
    }
}

#[test]
fn review_rules_hold_a_claim_and_its_amounts_count_against_the_limit() {
    let mut world = World::new();
    world.versions[0].review.amount_above = Some(m(8_000));
    let decision = world.judge(&stay(vec![line("MED-STAY", 1, 9000)]));
    assert_eq!(decision.status, ClaimStatus::InReview);
    assert!(codes(&decision).contains(&R::ReviewAmount));
    assert_eq!(decision.usage[0].1.used, m(8100));
    // A rejected claim is not reviewed.
    assert_eq!(
        world.judge(&stay(vec![line("MRI", 1, 9000)])).status,
        ClaimStatus::Rejected
    );
}

fn arbitrary_claim() -> impl Strategy<Value = (Claim, i64, bool, i64)> {
    let services = prop::sample::select(vec![
        "MED-STAY",
        "SURG",
        "PCI",
        "DEL-NORM",
        "DEL-CS",
        "CONS",
        "CONS-CHILD",
        "DENT",
        "MRI",
    ]);
    let lines = prop::collection::vec((services, -1i64..4, -100i64..200_000), 0..5);
    (
        lines,
        prop::sample::select(vec!["M1", "M2", "M3", "M9"]),
        prop::sample::select(vec!["H1", "C1"]),
        0u64..420,
        prop::option::of(0u64..10),
        prop::sample::select(vec!["medical", "surgical", "maternity"]),
        prop::sample::select(vec!["J18", "I21.0", "O80", "N18"]),
        prop::option::of(Just("life_threatening")),
        0i64..2000,
        0i64..300_000,
        any::<bool>(),
        0i64..30_000,
    )
        .prop_map(
            |(
                lines,
                member,
                provider,
                offset,
                stay_days,
                category,
                diagnosis,
                case,
                copay,
                used,
                poor,
                deductible,
            )| {
                let date = day("2025-01-01") + Days::new(offset);
                let claim = Claim {
                    provider_id: provider.into(),
                    claim_number: format!("{offset}"),
                    member_id: member.into(),
                    visit_date: stay_days.is_none().then_some(date),
                    admission_date: stay_days.map(|_| date),
                    discharge_date: stay_days.map(|d| date + Days::new(d)),
                    diagnosis_codes: vec![diagnosis.into()],
                    clinical_category: category.into(),
                    specialty: None,
                    limit_raising_case: case.map(String::from),
                    copay_collected: m(copay),
                    received_date: date + Days::new(20),
                    lines: lines
                        .into_iter()
                        .map(|(service, quantity, price)| ClaimLine {
                            service_code: service.into(),
                            quantity,
                            unit_price: Money::from_minor(price * 100),
                        })
                        .collect(),
                };
                (claim, used, poor, deductible)
            },
        )
}

proptest! {
    #[test]
    fn amounts_balance_are_never_negative_and_decisions_repeat(
        (claim, used, poor, deductible) in arbitrary_claim()
    ) {
        let mut world = World::new();
        world.family.poverty_score = Some(if poor { 20.0 } else { 60.0 });
        for category in ["secondary", "priority"] {
            world.used("", category, used);
        }
        world.used("M1", "maternity", used / 10);
        world.ledger.add(
            UsageKey {
                family_id: "F1".into(),
                member_id: claim.member_id.clone(),
                category: "dental".into(),
                year_start: day("2025-01-01"),
            },
            Usage { deductible_used: m(deductible), ..Usage::default() },
        );
        let decision = world.judge(&claim);
        let all = std::iter::once(&decision.amounts).chain(decision.lines.iter().map(|l| &l.amounts));
        for amounts in all {
            prop_assert!(amounts.balanced());
            for value in [amounts.claimed, amounts.approved, amounts.member_share, amounts.rejected] {
                prop_assert!(!value.is_negative(), "{:?}", amounts);
            }
        }
        prop_assert!(!decision.allowance.is_negative());
        prop_assert!(decision.usage.iter().all(|(_, u)| !u.used.is_negative() && !u.deductible_used.is_negative()));
        // No limit is ever exceeded beyond its raised ceiling.
        for (key, usage) in &decision.usage {
            let total = world.ledger.get(key).used + usage.used;
            prop_assert!(total <= m(350_000).max(world.ledger.get(key).used));
        }
        prop_assert_eq!(&world.judge(&claim), &decision);
    }
}

proptest! {
    /// Received >= discharge (or visit) for every claim the scheme pays anything for, whatever
    /// the dates sent; the decision date is after the receipt by construction (a run judges
    /// only the claims received by its date).
    #[test]
    fn nothing_is_approved_for_care_ending_after_the_claim_was_received(
        (mut claim, _, _, _) in arbitrary_claim(),
        received_offset in 0u64..40,
    ) {
        let service = claim.incurred_date().unwrap();
        claim.received_date = service - Days::new(10) + Days::new(received_offset);
        let decision = World::new().judge(&claim);
        let care_ended = claim.discharge_date.unwrap_or(service);
        if decision.amounts.approved > Money::ZERO || decision.allowance > Money::ZERO {
            prop_assert!(claim.received_date >= care_ended, "{:?}", decision);
        }
    }
}

#[test]
fn a_cover_check_tells_what_is_left_of_each_limit_and_why_not_when_not_covered() {
    let mut world = World::new();
    world.used("", "secondary", 45_000);
    let family = world.family_record();
    let status = cover_status(
        &world.versions,
        &world.members[1],
        &family,
        day("2025-06-01"),
        &world.ledger,
    );
    assert!(status.covered);
    let secondary = &status.categories[0];
    assert_eq!(
        (secondary.used, secondary.left),
        (m(45_000), Some(m(5_000)))
    );
    let maternity = status
        .categories
        .iter()
        .find(|c| c.category == "maternity")
        .unwrap();
    assert_eq!(maternity.waiting_until, Some(day("2025-09-28")));

    let status = cover_status(
        &world.versions,
        &world.members[1],
        &family,
        day("2026-01-01"),
        &world.ledger,
    );
    assert!(!status.covered);
    assert_eq!(status.reasons[0].code, R::NotCovered);
    world.members[0].status = MemberStatus::Pending;
    let family = world.family_record();
    let status = cover_status(
        &world.versions,
        &world.members[0],
        &family,
        day("2025-06-01"),
        &world.ledger,
    );
    assert_eq!(status.reasons[0].code, R::MemberPending);
}

proptest! {
    /// From intake through judging to a payment run, with quantities and prices at and past
    /// their bounds: nothing panics, what intake lets through is judged balanced and never
    /// negative, and the run pays exactly what was approved and allowed, each payment at least
    /// zero.
    #[test]
    fn extreme_claims_are_refused_or_judged_and_paid_exactly(
        claims in prop::collection::vec(
            (
                arbitrary_claim(),
                prop::collection::vec(
                    (
                        prop_oneof![Just(i64::MAX), Just(crate::claims::intake::MAX_QUANTITY), 1i64..5],
                        prop_oneof![
                            Just(i64::MAX),
                            Just(crate::claims::intake::MAX_UNIT_PRICE.minor()),
                            1i64..50_000_000,
                        ],
                    ),
                    0..3,
                ),
            ),
            1..6,
        ),
    ) {
        use crate::claims::payment::{Payable, PaymentPlan, Period};
        let world = World::new();
        let mut judged = Vec::new();
        for (number, ((mut claim, _, _, _), extremes)) in claims.into_iter().enumerate() {
            claim.claim_number = format!("X{number}");
            for (line, (quantity, price)) in claim.lines.iter_mut().zip(extremes) {
                line.quantity = quantity;
                line.unit_price = Money::from_minor(price);
            }
            if claim.check_intake(day("2026-12-01")).is_err() {
                continue;
            }
            let decision = world.judge(&claim);
            prop_assert!(decision.amounts.balanced(), "{:?}", decision.amounts);
            for value in [decision.amounts.approved, decision.amounts.member_share, decision.amounts.rejected, decision.allowance] {
                prop_assert!(!value.is_negative(), "{:?}", decision);
            }
            judged.push((claim, decision));
        }
        let period = Period::parse("2026-11").unwrap();
        let payables: Vec<Payable> = judged
            .iter()
            .map(|(claim, decision)| Payable {
                provider_id: &claim.provider_id,
                member_id: &claim.member_id,
                status: decision.status,
                approved: decision.amounts.approved,
                allowance: decision.allowance,
                decided_date: Some(day("2026-11-30")),
                in_run: false,
            })
            .filter(|p| p.due_by(&period))
            .collect();
        let mut plan = PaymentPlan::new(period, std::collections::HashSet::new());
        for payable in &payables {
            plan.add(payable);
        }
        let payments = plan.finish(&[]);
        let mut paid = Money::ZERO;
        for payment in &payments {
            prop_assert!(!payment.amount.is_negative(), "{:?}", payment.amount);
            paid += payment.amount;
        }
        let owed = payables
            .iter()
            .fold(Money::ZERO, |sum, p| sum + p.approved + p.allowance);
        prop_assert_eq!(paid, owed);
    }
}
