//! Each point on small hand-made schemes that meet it and miss it.

use super::*;
use crate::Money;
use crate::registry::FacilityLevel;
use crate::scheme::tests::minimal_scheme;
use crate::scheme::{AnnualLimit, LimitUnit, TariffItem, WaitingPeriod};

fn category(code: &str, settings: &[CareSetting], clinical: &[&str]) -> BenefitCategory {
    BenefitCategory {
        code: code.into(),
        name: code.into(),
        settings: settings.to_vec(),
        clinical_categories: clinical.iter().map(|c| c.to_string()).collect(),
        conditions: vec![],
        limit: None,
        limit_raising: vec![],
        cost_sharing: CostSharing::None,
        exempt: vec![],
        allowances: vec![],
    }
}

fn price(category: &str, level: Option<FacilityLevel>) -> TariffItem {
    TariffItem {
        service_code: format!("{category}-1"),
        description: "a service".into(),
        benefit_category: category.into(),
        level,
        price: Money::from_units(10),
        sex: None,
        min_age: None,
        max_age: None,
        once_per_months: None,
        frequency_group: None,
    }
}

/// A package that meets every point it can: outpatient care priced at every level, inpatient
/// care, medicines, maternity in both settings, no cost sharing, no limit, no wait.
fn full_package() -> BenefitPackage {
    use CareSetting::*;
    BenefitPackage {
        code: "full".into(),
        name: "Full".into(),
        tariff_file: None,
        tariff: vec![price("opd", None)],
        categories: vec![
            category("opd", &[Outpatient], &["medical"]),
            category("ipd", &[Inpatient], &["medical", "surgical"]),
            category("medicines", &[Outpatient, Inpatient], &[]),
            category("maternity", &[Outpatient, Inpatient], &["maternity"]),
        ],
    }
}

fn verdict(points: &[Point], instrument: &str, topic: &str, nth: usize) -> (Verdict, String) {
    let found: Vec<&Point> = (points.iter())
        .filter(|p| p.instrument == instrument && p.topic == topic)
        .collect();
    let p = found
        .get(nth)
        .unwrap_or_else(|| panic!("no {instrument} {topic} #{nth}"));
    (p.verdict, p.reason.clone())
}

#[test]
fn a_full_package_meets_every_point_the_data_can_tell() {
    let scheme = minimal_scheme();
    let protected = Protected {
        covered: 100,
        target: 100,
    };
    let points = check(&scheme, &full_package(), Some(protected));
    let not_met: Vec<String> = (points.iter())
        .filter(|p| p.verdict != Verdict::Met)
        .map(|p| format!("{} {} {}: {}", p.instrument, p.article, p.topic, p.reason))
        .collect();
    assert_eq!(not_met, Vec::<String>::new());
    assert_eq!(points.len(), 14);
}

#[test]
fn persons_protected_are_measured_against_each_instruments_share() {
    let scheme = minimal_scheme();
    let with = |covered, target| {
        check(
            &scheme,
            &full_package(),
            Some(Protected { covered, target }),
        )
    };
    let points = with(30, 100);
    let (c102, why) = verdict(&points, "C102", "persons protected", 0);
    assert_eq!(
        c102,
        Verdict::CannotTell,
        "between 9(b)'s 20% and 9(c)'s 50%"
    );
    assert!(why.contains("Art. 9(c)"), "{why}");
    assert_eq!(
        verdict(&with(50, 100), "C102", "persons protected", 0).0,
        Verdict::Met
    );
    assert_eq!(
        verdict(&points, "C130", "persons protected", 0).0,
        Verdict::NotMet
    );
    let (r202, why) = verdict(&points, "R202", "persons protected", 0);
    assert_eq!(r202, Verdict::NotMet);
    assert!(
        why.contains("30 of a target population of 100 covered (30.0%)"),
        "{why}"
    );
    let points = with(19, 100);
    assert_eq!(
        verdict(&points, "C102", "persons protected", 0).0,
        Verdict::NotMet
    );
    let points = with(75, 100);
    assert_eq!(
        verdict(&points, "C130", "persons protected", 0).0,
        Verdict::Met
    );
    let unknown = check(&scheme, &full_package(), None);
    assert_eq!(
        verdict(&unknown, "C102", "persons protected", 0).0,
        Verdict::CannotTell
    );
    let empty = with(0, 0);
    assert_eq!(
        verdict(&empty, "C130", "persons protected", 0),
        (
            Verdict::CannotTell,
            "the target population is 0".to_string()
        )
    );
}

#[test]
fn benefits_missing_from_the_package_are_named() {
    use CareSetting::*;
    let scheme = minimal_scheme();
    // Inpatient care only (the minimal scheme's package).
    let inpatient_only = &scheme.packages[0];
    let points = check(&scheme, inpatient_only, None);
    assert_eq!(
        verdict(&points, "C102", "general practitioner care", 0).0,
        Verdict::NotMet
    );
    assert_eq!(
        verdict(&points, "C102", "specialist care", 0).0,
        Verdict::NotMet
    );
    assert_eq!(
        verdict(&points, "C102", "hospitalisation", 0).0,
        Verdict::Met
    );
    assert_eq!(
        verdict(&points, "C102", "essential medicines", 0).0,
        Verdict::CannotTell
    );
    let (maternity, why) = verdict(&points, "C102", "maternity care", 0);
    assert_eq!(maternity, Verdict::NotMet);
    assert!(why.starts_with("confinement only"), "{why}");
    // Outpatient care priced at health centres only: no specialist care at a hospital.
    let mut centres = full_package();
    centres.tariff = vec![price("opd", Some(FacilityLevel::HealthCentre))];
    let points = check(&scheme, &centres, None);
    assert_eq!(
        verdict(&points, "C102", "specialist care", 0).0,
        Verdict::NotMet
    );
    centres
        .tariff
        .push(price("opd", Some(FacilityLevel::DistrictHospital)));
    let points = check(&scheme, &centres, None);
    assert_eq!(
        verdict(&points, "C102", "specialist care", 0).0,
        Verdict::Met
    );
    // No price for outpatient services: where they are seen cannot be told.
    centres.tariff.clear();
    let points = check(&scheme, &centres, None);
    assert_eq!(
        verdict(&points, "C102", "specialist care", 0).0,
        Verdict::CannotTell
    );
    // A category held to heart conditions pays for no maternity care; one for chapter O does.
    let mut hearts = full_package();
    hearts.categories[3].conditions = vec!["I20".into()];
    hearts.categories[2].clinical_categories = vec!["medical".into()];
    let points = check(&scheme, &hearts, None);
    assert_eq!(
        verdict(&points, "C102", "maternity care", 0).0,
        Verdict::NotMet
    );
    hearts.categories[3].conditions = vec!["I20".into(), "O".into()];
    let points = check(&scheme, &hearts, None);
    assert_eq!(
        verdict(&points, "C102", "maternity care", 0).0,
        Verdict::Met
    );
    // Maternity as outpatients only.
    let mut antenatal = full_package();
    antenatal.categories[3].settings = vec![Outpatient];
    antenatal.categories[2].clinical_categories = vec!["medical".into()];
    let points = check(&scheme, &antenatal, None);
    let (maternity, why) = verdict(&points, "C102", "maternity care", 0);
    assert_eq!(maternity, Verdict::NotMet);
    assert!(why.starts_with("pre- and post-natal care only"), "{why}");
}

#[test]
fn maternity_care_must_be_free_and_the_poor_spared() {
    let mut scheme = minimal_scheme();
    let mut package = full_package();
    // A co-payment on maternity care, exempting nobody: not met under C102 and R202.
    package.categories[3].cost_sharing = CostSharing::Fixed {
        amount: Money::from_units(5),
    };
    let points = check(&scheme, &package, None);
    let (free, why) = verdict(&points, "C102", "cost sharing", 0);
    assert_eq!(free, Verdict::NotMet);
    assert!(why.contains("maternity"), "{why}");
    assert_eq!(
        verdict(&points, "R202", "cost sharing", 0).0,
        Verdict::NotMet
    );
    let (hardship, why) = verdict(&points, "C102", "cost sharing", 1);
    assert_eq!(hardship, Verdict::CannotTell);
    assert!(
        why.starts_with("the poor share the cost in maternity"),
        "{why}"
    );
    // The poor exempt, but nobody said to be poor: the poor still pay.
    package.categories[3].exempt = vec![ExemptGroup::Poor];
    let points = check(&scheme, &package, None);
    assert_eq!(
        verdict(&points, "R202", "cost sharing", 0).0,
        Verdict::NotMet
    );
    // Pregnant women and the poor exempt: met, once the scheme says who is poor.
    package.categories[3].exempt = vec![ExemptGroup::Pregnant, ExemptGroup::Poor];
    let points = check(&scheme, &package, None);
    assert_eq!(verdict(&points, "C102", "cost sharing", 0).0, Verdict::Met);
    assert_eq!(verdict(&points, "R202", "cost sharing", 0).0, Verdict::Met);
    assert_eq!(
        verdict(&points, "C102", "cost sharing", 1).0,
        Verdict::CannotTell
    );
    scheme.exemptions.poor_poverty_score_max = Some(35.0);
    let points = check(&scheme, &package, None);
    assert_eq!(verdict(&points, "C102", "cost sharing", 1).0, Verdict::Met);
}

#[test]
fn waiting_periods_are_no_qualifying_period_under_r134() {
    let mut scheme = minimal_scheme();
    let package = full_package();
    scheme.coverage.waiting_periods = vec![WaitingPeriod {
        benefit_category: "maternity".into(),
        days: 270,
    }];
    let points = check(&scheme, &package, None);
    let (c102, why) = verdict(&points, "C102", "qualifying period", 0);
    assert_eq!(c102, Verdict::CannotTell);
    assert!(why.contains("maternity 270 days"), "{why}");
    assert_eq!(
        verdict(&points, "R134", "qualifying period", 0).0,
        Verdict::NotMet
    );
    // A wait for a category of another package does not count against this one.
    scheme.coverage.waiting_periods[0].benefit_category = "dental".into();
    let points = check(&scheme, &package, None);
    assert_eq!(
        verdict(&points, "R134", "qualifying period", 0).0,
        Verdict::Met
    );
}

#[test]
fn an_annual_limit_leaves_the_duration_untold() {
    let scheme = minimal_scheme();
    let mut package = full_package();
    package.categories[1].limit = Some(AnnualLimit {
        amount: Money::from_units(50_000),
        per: LimitUnit::Family,
    });
    let points = check(&scheme, &package, None);
    let (duration, why) = verdict(&points, "C102", "duration", 0);
    assert_eq!(duration, Verdict::CannotTell);
    assert!(
        why.contains("ipd 50000.00 XOF a family a coverage period"),
        "{why}"
    );
}

#[test]
fn a_wait_of_no_days_is_no_qualifying_period() {
    let mut scheme = minimal_scheme();
    scheme.coverage.waiting_periods = vec![WaitingPeriod {
        benefit_category: "maternity".into(),
        days: 0,
    }];
    let points = check(&scheme, &full_package(), None);
    assert_eq!(
        verdict(&points, "R134", "qualifying period", 0).0,
        Verdict::Met
    );
}
