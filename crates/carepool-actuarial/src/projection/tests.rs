use super::*;
use crate::testing::close;

/// One line of 100 claims per 1,000 member-years at 1,000 each, at a base date half a year
/// before the projection starts; nothing changes unless a test says so.
pub(crate) fn one_line() -> Assumptions {
    Assumptions {
        base: vec![BaseLine {
            name: "surgery".into(),
            incidence: 0.1,
            average_cost: 1000.0,
            own: LineAssumptions::default(),
        }],
        base_to_start: 0.5,
        rate_years: RateYears {
            first_year: 0.5,
            timing: Timing::MidYear,
        },
        years: 1,
        contract_years: 1,
        medical_inflation: vec![0.0],
        technology_trend: vec![0.0],
        utilisation_trend: vec![0.0],
        members: vec![1000.0],
        family_size: vec![5.0],
        cells: vec![],
        base_mix: vec![],
        mix: vec![],
        benefit_changes: vec![],
        new_benefits: vec![],
        expenses: vec![0.0],
        contingency: 0.0,
        investment_return: 0.0,
        refund_share: 0.0,
    }
}

#[test]
fn one_line_one_year_prices_the_risk_with_expenses_and_contingency() {
    let mut a = one_line();
    a.expenses = vec![0.2];
    a.contingency = 0.02;
    let p = a.project().unwrap();
    let year = &p.years[0];
    close(year.risk_cost_per_member, 100.0);
    close(year.risk_cost_per_family, 500.0);
    // 100 / 0.8 + 2.
    close(year.premium_per_member, 127.0);
    close(year.premium_per_family, 635.0);
    close(p.level_premium_per_member, 127.0);
    close(year.families, 200.0);
}

#[test]
fn inflation_compounds_from_the_base_date_to_the_middle_of_each_year() {
    let mut a = one_line();
    a.years = 3;
    a.contract_years = 3;
    a.medical_inflation = vec![0.10, 0.05];
    let p = a.project().unwrap();
    // A whole year from the middle of the base period to the middle of the first year.
    close(p.years[0].lines[0].average_cost, 1100.0);
    close(p.years[1].lines[0].average_cost, 1155.0);
    // The last rate goes on.
    close(p.years[2].lines[0].average_cost, 1155.0 * 1.05);
    close(p.years[2].lines[0].incidence, 0.1);
}

#[test]
fn technology_and_utilisation_trends_act_on_incidence_only() {
    let mut a = one_line();
    a.years = 2;
    a.contract_years = 2;
    a.technology_trend = vec![0.02];
    a.utilisation_trend = vec![0.03];
    a.base_to_start = 0.0;
    a.rate_years.first_year = 0.0;
    let p = a.project().unwrap();
    let yearly: f64 = 1.02 * 1.03;
    close(p.years[0].lines[0].incidence, 0.1 * yearly.powf(0.5));
    close(p.years[1].lines[0].incidence, 0.1 * yearly.powf(1.5));
    close(p.years[1].lines[0].average_cost, 1000.0);
}

#[test]
fn a_demographic_shift_reweights_the_relativities() {
    let mut a = one_line();
    a.cells = vec![
        MixCell {
            name: "young".into(),
            incidence: 1.0,
            cost: 1.0,
        },
        MixCell {
            name: "old".into(),
            incidence: 3.0,
            cost: 2.0,
        },
    ];
    a.base_mix = vec![0.5, 0.5];
    a.mix = vec![vec![0.25, 0.75]];
    let p = a.project().unwrap();
    // Incidence: 2.5 against 2; cost per claim: 4.75 / 2.5 against 3.5 / 2.
    close(p.years[0].lines[0].incidence, 0.1 * 1.25);
    close(p.years[0].lines[0].average_cost, 1000.0 * 1.9 / 1.75);
}

/// Risk costs of 100 then 200 for 1,000 then 3,000 members (families of 5), nothing loaded.
pub(crate) fn two_years() -> Assumptions {
    let mut a = one_line();
    a.years = 2;
    a.contract_years = 2;
    a.base_to_start = -0.5;
    a.rate_years.first_year = -0.5;
    a.medical_inflation = vec![0.0, 1.0];
    a.members = vec![1000.0, 3000.0];
    a
}

#[test]
fn the_level_premium_weighs_each_year_by_its_members() {
    let p = two_years().project().unwrap();
    close(p.years[0].premium_per_member, 100.0);
    close(p.years[1].premium_per_member, 200.0);
    close(p.level_premium_per_member, 175.0);
    // Families of 5: 200 and 600 families, premiums 500 and 1,000.
    close(p.level_premium_per_family, 875.0);
}

#[test]
fn infinite_or_absurd_assumptions_and_horizons_are_refused() {
    let refused = |change: &dyn Fn(&mut Assumptions)| {
        let mut assumptions = two_years();
        change(&mut assumptions);
        assumptions.project().unwrap_err().to_string()
    };
    assert_eq!(
        refused(&|a| a.contingency = f64::INFINITY),
        "contingency: inf is out of range (0 to 10)"
    );
    assert!(refused(&|a| a.members = vec![f64::NAN]).starts_with("members: NaN"));
    assert!(refused(&|a| a.medical_inflation = vec![1e308]).starts_with("medical_inflation"));
    assert!(refused(&|a| a.family_size = vec![1e308]).starts_with("family_size"));
    assert_eq!(
        refused(&|a| a.years = 100_000_000),
        "years: 100000000 years; at most 200"
    );
}

#[test]
fn the_reserve_built_early_pays_the_later_years() {
    let p = two_years().project().unwrap();
    let r = &p.reserve;
    close(r[0].premium_income, 175_000.0);
    close(r[0].claims, 100_000.0);
    close(r[0].closing, 75_000.0);
    close(r[1].opening, 75_000.0);
    close(r[1].closing, 0.0);
    close(p.refund, 0.0);
}

/// With a return, the level premium has the present value of the annual premiums (cash in the
/// middle of each year): premiums of 100 and 200 for 1,000 and 3,000 members at 4%.
#[test]
fn with_a_return_the_level_premium_has_the_present_value_of_the_annual_premiums() {
    let mut a = two_years();
    a.investment_return = 0.04;
    let p = a.project().unwrap();
    let v: f64 = 1.0 / 1.04;
    let level = (100.0 * 1000.0 * v.powf(0.5) + 200.0 * 3000.0 * v.powf(1.5))
        / (1000.0 * v.powf(0.5) + 3000.0 * v.powf(1.5));
    close(p.level_premium_per_member, level);
    // Below the plain average (175): the dearer year is further off.
    assert!(level < 175.0);
    // Families of 5: premiums 500 and 1,000 for 200 and 600 families.
    let family = (500.0 * 200.0 * v.powf(0.5) + 1000.0 * 600.0 * v.powf(1.5))
        / (200.0 * v.powf(0.5) + 600.0 * v.powf(1.5));
    close(p.level_premium_per_family, family);
    // The reserve earns the return and, with nothing loaded, pays the last claim exactly.
    let first = (level * 1000.0 - 100_000.0) * 1.04f64.sqrt();
    close(p.reserve[0].closing, first);
    close(
        p.reserve[0].investment_income,
        first - (level * 1000.0 - 100_000.0),
    );
    assert!(
        p.reserve[1].closing.abs() < 1e-6,
        "{}",
        p.reserve[1].closing
    );
}

/// A contingency loading of 10% is what the reserve keeps: its value at the end of the contract,
/// of which the refund share is returned.
#[test]
fn the_contingency_kept_with_its_return_is_refunded_at_the_end() {
    let mut a = two_years();
    a.investment_return = 0.04;
    a.contingency = 0.1;
    a.refund_share = 0.9;
    let p = a.project().unwrap();
    let left = 0.1 * (100_000.0 * 1.04f64.powf(1.5) + 600_000.0 * 1.04f64.sqrt());
    close(p.reserve[1].closing, left);
    close(p.refund, 0.9 * left);
    close(p.retained, 0.1 * left);
}

#[test]
fn expenses_in_the_roll_forward_are_a_share_of_the_premium_collected() {
    let mut a = two_years();
    a.expenses = vec![0.2];
    let p = a.project().unwrap();
    close(p.level_premium_per_member, 175.0 / 0.8);
    close(p.reserve[0].expenses, 0.2 * p.reserve[0].premium_income);
    close(p.reserve[1].closing, 0.0);
}

#[test]
fn a_benefit_change_counts_from_its_share_of_the_year() {
    let mut a = one_line();
    a.years = 2;
    a.contract_years = 2;
    a.base_to_start = -0.5;
    a.rate_years.first_year = -0.5;
    a.benefit_changes = vec![BenefitChange {
        line: None,
        from: 0.5,
        incidence_factor: 1.2,
        cost_factor: 1.5,
    }];
    let p = a.project().unwrap();
    close(p.years[0].lines[0].incidence, 0.1 * 1.1);
    close(p.years[0].lines[0].average_cost, 1000.0 * 1.25);
    close(p.years[1].lines[0].incidence, 0.1 * 1.2);
    close(p.years[1].lines[0].average_cost, 1500.0);
}

#[test]
fn a_new_benefit_is_priced_from_its_incidence_or_per_claim_of_its_line() {
    let mut a = one_line();
    a.base_to_start = -0.5;
    a.rate_years.first_year = -0.5;
    a.new_benefits = vec![
        NewBenefit {
            name: "follow-up".into(),
            incidence: Incidence::PerClaimOf {
                line: "surgery".into(),
                ratio: 0.5,
            },
            unit_cost: 50.0,
            from: 0.0,
        },
        NewBenefit {
            name: "screening".into(),
            incidence: Incidence::PerMemberYear(0.2),
            unit_cost: 10.0,
            from: 0.0,
        },
    ];
    let p = a.project().unwrap();
    let lines = &p.years[0].lines;
    close(lines[1].incidence, 0.05);
    close(lines[1].risk_cost, 2.5);
    close(lines[2].risk_cost, 2.0);
    close(p.years[0].risk_cost_per_member, 104.5);
}

#[test]
fn impossible_assumptions_are_named() {
    let mut a = one_line();
    a.expenses = vec![1.0];
    assert_eq!(
        a.project().unwrap_err().to_string(),
        "expenses: 1 is out of range (0 to below 1)"
    );
    let mut a = one_line();
    a.contract_years = 2;
    assert_eq!(
        a.project().unwrap_err().to_string(),
        "the contract period (2) is longer than the projection (1 years)"
    );
    let mut a = one_line();
    a.new_benefits = vec![NewBenefit {
        name: "follow-up".into(),
        incidence: Incidence::PerClaimOf {
            line: "cardiology".into(),
            ratio: 1.0,
        },
        unit_cost: 1.0,
        from: 0.0,
    }];
    assert_eq!(
        a.project().unwrap_err().to_string(),
        "new benefit follow-up: no line cardiology in the base table"
    );
}

#[test]
fn the_mix_follows_the_cells_members_or_moves_from_start_to_target_shares() {
    let (totals, mix) = mix_from_members(&[vec![300.0, 600.0], vec![700.0]], 3);
    assert_eq!(totals, vec![1000.0, 1300.0, 1300.0]);
    close(mix[1][0], 600.0 / 1300.0);
    close(mix[2][1], 700.0 / 1300.0);
    let mix = interpolated_mix(&[(0.2, 0.4), (0.8, 0.6)], 3);
    close(mix[0][0], 0.2);
    close(mix[1][0], 0.3);
    close(mix[2][1], 0.6);
    assert_eq!(interpolated_mix(&[(0.2, 0.4)], 1), vec![vec![0.2]]);
}

/// A base table of April 2025 (its date 1 October 2025 as years from 0) priced for a contract
/// starting two years later: the gap years take their own rates, not the first contract
/// year's.
#[test]
fn the_gap_years_from_the_base_date_take_their_own_rates() {
    let mut a = one_line();
    a.base_to_start = 2.0;
    // Rates for the years from the base date: 10% and 20% in the gap, 5% in the contract.
    a.medical_inflation = vec![0.10, 0.20, 0.05];
    a.rate_years.first_year = 0.0;
    a.rate_years.timing = Timing::WithinYear;
    let p = a.project().unwrap();
    // To the start: a year at 10%, a year at 20%; then half a year at 5%.
    close(p.carried_to_start.years, 2.0);
    close(p.carried_to_start.lines[0].average_cost, 1000.0 * 1.1 * 1.2);
    close(
        p.years[0].lines[0].average_cost,
        1000.0 * 1.1 * 1.2 * 1.05f64.sqrt(),
    );
    // Mid-year to mid-year, the first rate reaches half a year into the second rate's year.
    a.rate_years.timing = Timing::MidYear;
    let p = a.project().unwrap();
    close(
        p.years[0].lines[0].average_cost,
        1000.0 * 1.1f64.powf(0.5) * 1.2 * 1.05,
    );
    // Today's convention: rates per projection year, the first carrying the gap.
    a.rate_years.first_year = 2.0;
    let p = a.project().unwrap();
    close(p.years[0].lines[0].average_cost, 1000.0 * 1.1f64.powf(2.5));
}

/// Two lines: one with its own inflation and utilisation trend, one an allowance fixed by
/// decree, which grows with the trends in its cases but not in its amount.
#[test]
fn a_line_may_carry_its_own_trends_or_a_fixed_amount() {
    let mut a = one_line();
    a.medical_inflation = vec![0.10];
    a.utilisation_trend = vec![0.02];
    a.base[0].own.medical_inflation = Some(vec![0.30]);
    a.base[0].own.utilisation_trend = Some(vec![0.0]);
    a.base.push(BaseLine {
        name: "transport allowance".into(),
        incidence: 0.2,
        average_cost: 50.0,
        own: LineAssumptions {
            fixed_cost: true,
            ..LineAssumptions::default()
        },
    });
    let p = a.project().unwrap();
    // A year from the base date to the middle of the first year.
    let [surgery, allowance] = &p.years[0].lines[..] else {
        panic!("two lines")
    };
    close(surgery.average_cost, 1300.0);
    close(surgery.incidence, 0.1);
    close(allowance.average_cost, 50.0);
    close(allowance.incidence, 0.2 * 1.02);
    close(p.years[0].risk_cost_per_member, 130.0 + 0.204 * 50.0);
    // A stress on inflation moves the line's own rate, and still not the allowance.
    let flexed = crate::stress::stress_test(
        &a,
        &[crate::stress::Scenario {
            name: "inflation +10 points".into(),
            flexes: vec![crate::stress::Flex::MedicalInflation(0.1)],
        }],
    )
    .unwrap();
    close(
        flexed.results[0].level_premium_per_member,
        140.0 + 0.204 * 50.0,
    );
}

/// The old weigh three times as much in maternity's curve as in the scheme's: a shift to the
/// old raises that line more; the fixed allowance keeps its amount whatever the mix.
#[test]
fn a_line_may_have_its_own_relativities() {
    let mut a = one_line();
    let cell = |name: &str, incidence: f64, cost: f64| MixCell {
        name: name.into(),
        incidence,
        cost,
    };
    a.cells = vec![cell("young", 1.0, 1.0), cell("old", 2.0, 1.5)];
    a.base_mix = vec![0.5, 0.5];
    a.mix = vec![vec![0.0, 1.0]];
    a.base.push(BaseLine {
        name: "maternity".into(),
        incidence: 0.1,
        average_cost: 1000.0,
        own: LineAssumptions {
            cells: Some(vec![cell("young", 1.0, 1.0), cell("old", 6.0, 1.0)]),
            ..LineAssumptions::default()
        },
    });
    a.base.push(BaseLine {
        name: "allowance".into(),
        incidence: 0.1,
        average_cost: 1000.0,
        own: LineAssumptions {
            fixed_cost: true,
            ..LineAssumptions::default()
        },
    });
    let p = a.project().unwrap();
    let lines = &p.years[0].lines;
    // The scheme's curve: incidence 2 against 1.5; cost 3 / 2 against 2 / 1.5.
    close(lines[0].incidence, 0.1 * 2.0 / 1.5);
    close(lines[0].average_cost, 1000.0 * 1.5 / (2.0 / 1.5));
    // Maternity's: incidence 6 against 3.5, cost unchanged.
    close(lines[1].incidence, 0.1 * 6.0 / 3.5);
    close(lines[1].average_cost, 1000.0);
    close(lines[2].incidence, 0.1 * 2.0 / 1.5);
    close(lines[2].average_cost, 1000.0);
    a.base[1].own.cells = Some(vec![cell("young", 1.0, 1.0)]);
    assert_eq!(
        a.project().unwrap_err().to_string(),
        "line maternity: its relativities have 1 cells for the population's 2"
    );
}

#[test]
fn a_lines_own_rates_are_checked_as_the_schemes() {
    let mut a = one_line();
    a.base[0].own.technology_trend = Some(vec![0.01, -1.5]);
    assert_eq!(
        a.project().unwrap_err().to_string(),
        "line surgery: technology_trend: -1.5 is out of range (above -1, at most 10)"
    );
    a.base[0].own.technology_trend = Some(vec![]);
    assert_eq!(
        a.project().unwrap_err().to_string(),
        "line surgery: technology_trend: needs a value for the first year"
    );
}
