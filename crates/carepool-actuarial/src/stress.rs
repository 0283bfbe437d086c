//! Stress tests: the projection run again with one assumption flexed at a time (or several
//! together, as a scenario), each giving its level premium and the change against the base, so
//! that a premium is never shown without its range.

use crate::projection::{Assumptions, Incidence, LineAssumptions, Projection, ProjectionError};
use serde::Serialize;

/// One assumption moved.
#[derive(Debug, Clone, PartialEq)]
pub enum Flex {
    /// Added to every year's medical inflation (0.02: two points more).
    MedicalInflation(f64),
    TechnologyTrend(f64),
    UtilisationTrend(f64),
    /// Every year's family size times this factor.
    FamilySize(f64),
    /// The population's mix in every year (shares by cell).
    Mix(Vec<f64>),
    /// Every line's incidence and average cost times these factors from the start (a raised
    /// or lowered limit).
    Limits {
        incidence: f64,
        cost: f64,
    },
    /// Added to every year's expense share.
    Expenses(f64),
    /// Added to the yearly return on the reserve (which discounts the level premium).
    InvestmentReturn(f64),
    /// The members expected each year (a slower or faster enrolment), which weigh the years of
    /// the level premium.
    Members(Vec<f64>),
}

/// A named set of flexes run together; one flex alone is a one-at-a-time test.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub flexes: Vec<Flex>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StressResult {
    pub scenario: String,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub level_premium_per_member: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub level_premium_per_family: f64,
    /// Against the base's level premium per member, in currency and as a share of it.
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub change: f64,
    pub change_share: f64,
    /// Against the base's level premium per family (which family size moves too).
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub family_change: f64,
    pub family_change_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StressTests {
    pub base: Projection,
    pub results: Vec<StressResult>,
    /// The lowest and highest level premium per member over the base and every scenario.
    #[serde(serialize_with = "crate::amount_json::amount_pair")]
    pub range: (f64, f64),
    /// The same per family, where the family-size tests show.
    #[serde(serialize_with = "crate::amount_json::amount_pair")]
    pub range_per_family: (f64, f64),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{scenario}: {error}")]
pub struct StressError {
    /// "the base projection", or "scenario NAME".
    pub scenario: String,
    pub error: ProjectionError,
}

impl Flex {
    fn apply(&self, a: &mut Assumptions) {
        let add = |rates: &mut Vec<f64>, step: f64| rates.iter_mut().for_each(|r| *r += step);
        // A trend moves the scheme's rates and every line's own.
        let add_everywhere = |a: &mut Assumptions,
                              scheme: fn(&mut Assumptions) -> &mut Vec<f64>,
                              own: fn(&mut LineAssumptions) -> &mut Option<Vec<f64>>,
                              step: f64| {
            add(scheme(a), step);
            for line in &mut a.base {
                if let Some(rates) = own(&mut line.own) {
                    add(rates, step);
                }
            }
        };
        match self {
            Flex::MedicalInflation(step) => add_everywhere(
                a,
                |a| &mut a.medical_inflation,
                |l| &mut l.medical_inflation,
                *step,
            ),
            Flex::TechnologyTrend(step) => add_everywhere(
                a,
                |a| &mut a.technology_trend,
                |l| &mut l.technology_trend,
                *step,
            ),
            Flex::UtilisationTrend(step) => add_everywhere(
                a,
                |a| &mut a.utilisation_trend,
                |l| &mut l.utilisation_trend,
                *step,
            ),
            Flex::Expenses(step) => add(&mut a.expenses, *step),
            Flex::InvestmentReturn(step) => a.investment_return += step,
            Flex::FamilySize(factor) => a.family_size.iter_mut().for_each(|f| *f *= factor),
            Flex::Members(members) => a.members = members.clone(),
            Flex::Mix(shares) => a.mix = vec![shares.clone()],
            Flex::Limits { incidence, cost } => {
                for line in &mut a.base {
                    line.incidence *= incidence;
                    // An amount fixed by decree is not a limit's.
                    if !line.own.fixed_cost {
                        line.average_cost *= cost;
                    }
                }
                // New benefits too; one priced per claim of a line follows its line's cases.
                for benefit in &mut a.new_benefits {
                    benefit.unit_cost *= cost;
                    if let Incidence::PerMemberYear(rate) = &mut benefit.incidence {
                        *rate *= incidence;
                    }
                }
            }
        }
    }
}

/// Runs the base and every scenario.
pub fn stress_test(base: &Assumptions, scenarios: &[Scenario]) -> Result<StressTests, StressError> {
    let failed = |scenario: &str| {
        let scenario = scenario.to_string();
        move |error| StressError { scenario, error }
    };
    let projection = base.project().map_err(failed("the base projection"))?;
    let level = projection.level_premium_per_member;
    let family_level = projection.level_premium_per_family;
    let share = |new: f64, old: f64| if old != 0.0 { new / old - 1.0 } else { 0.0 };
    let mut range = (level, level);
    let mut range_per_family = (family_level, family_level);
    let mut results = Vec::with_capacity(scenarios.len());
    for scenario in scenarios {
        let mut flexed = base.clone();
        for flex in &scenario.flexes {
            flex.apply(&mut flexed);
        }
        let run = flexed
            .project()
            .map_err(failed(&format!("scenario {}", scenario.name)))?;
        let premium = run.level_premium_per_member;
        range = (range.0.min(premium), range.1.max(premium));
        let family_premium = run.level_premium_per_family;
        range_per_family = (
            range_per_family.0.min(family_premium),
            range_per_family.1.max(family_premium),
        );
        results.push(StressResult {
            scenario: scenario.name.clone(),
            level_premium_per_member: premium,
            level_premium_per_family: run.level_premium_per_family,
            change: premium - level,
            change_share: share(premium, level),
            family_change: run.level_premium_per_family - family_level,
            family_change_share: share(run.level_premium_per_family, family_level),
        });
    }
    Ok(StressTests {
        base: projection,
        results,
        range,
        range_per_family,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::NewBenefit;
    use crate::projection::tests::two_years;

    fn base() -> Assumptions {
        crate::projection::tests::one_line()
    }

    fn scenario(name: &str, flexes: Vec<Flex>) -> Scenario {
        Scenario {
            name: name.into(),
            flexes,
        }
    }

    #[test]
    fn each_flex_moves_the_level_premium_as_its_formula_says() {
        let tests = stress_test(
            &base(),
            &[
                scenario("inflation +10%", vec![Flex::MedicalInflation(0.1)]),
                scenario("utilisation +20%", vec![Flex::UtilisationTrend(0.2)]),
                scenario(
                    "limits raised",
                    vec![Flex::Limits {
                        incidence: 1.0,
                        cost: 1.5,
                    }],
                ),
                scenario("expenses 20%", vec![Flex::Expenses(0.2)]),
                scenario("families of 6", vec![Flex::FamilySize(1.2)]),
                scenario(
                    "together",
                    vec![Flex::MedicalInflation(0.1), Flex::UtilisationTrend(0.2)],
                ),
            ],
        )
        .unwrap();
        let premiums: Vec<f64> = tests
            .results
            .iter()
            .map(|r| r.level_premium_per_member)
            .collect();
        // A year from the base date to the middle of the projection year.
        let want = [110.0, 120.0, 150.0, 125.0, 100.0, 132.0];
        for (got, want) in premiums.iter().zip(want) {
            assert!((got - want).abs() < 1e-9, "{premiums:?}");
        }
        assert!((tests.results[0].change - 10.0).abs() < 1e-9);
        assert!((tests.results[0].change_share - 0.1).abs() < 1e-12);
        // Per family: 500 against 600.
        let families = &tests.results[4];
        assert!((families.level_premium_per_family - 600.0).abs() < 1e-9);
        assert!((families.family_change_share - 0.2).abs() < 1e-12);
        assert_eq!(families.change, 0.0);
        assert_eq!(tests.range, (100.0, 150.0));
    }

    #[test]
    fn the_return_and_the_members_are_stressed_and_families_show_in_their_range() {
        let tests = stress_test(
            &two_years(),
            &[
                scenario("return +4 points", vec![Flex::InvestmentReturn(0.04)]),
                scenario(
                    "slower enrolment",
                    vec![Flex::Members(vec![1000.0, 1000.0])],
                ),
                scenario("families of 6", vec![Flex::FamilySize(1.2)]),
            ],
        )
        .unwrap();
        let [returned, slower, families] = &tests.results[..] else {
            panic!("three results")
        };
        // Without a return, 175; at 4% the dearer, later year weighs less.
        let v: f64 = 1.0 / 1.04;
        let discounted = (100_000.0 + 600_000.0 * v) / (1000.0 + 3000.0 * v);
        assert!((returned.level_premium_per_member - discounted).abs() < 1e-9);
        // As many members each year: the plain average of 100 and 200.
        assert!((slower.level_premium_per_member - 150.0).abs() < 1e-9);
        assert!((slower.level_premium_per_family - 750.0).abs() < 1e-9);
        // Per member the family size moves nothing; per family it is the widest test.
        assert_eq!(families.change, 0.0);
        assert!((families.level_premium_per_family - 1050.0).abs() < 1e-9);
        assert_eq!(tests.range, (150.0, 175.0));
        assert_eq!(tests.range_per_family, (750.0, 1050.0));
    }

    /// A limits stress moves new benefits too: a per-member benefit's cases and cost, and a
    /// benefit priced per claim of a line through its line's cases only.
    #[test]
    fn a_limits_stress_reaches_the_new_benefits() {
        let mut a = base();
        a.base_to_start = -0.5;
        a.rate_years.first_year = -0.5;
        a.new_benefits = vec![
            NewBenefit {
                name: "follow-up".into(),
                incidence: Incidence::PerClaimOf {
                    line: "surgery".into(),
                    ratio: 1.0,
                },
                unit_cost: 100.0,
                from: 0.0,
            },
            NewBenefit {
                name: "screening".into(),
                incidence: Incidence::PerMemberYear(0.5),
                unit_cost: 10.0,
                from: 0.0,
            },
        ];
        let tests = stress_test(
            &a,
            &[scenario(
                "limits",
                vec![Flex::Limits {
                    incidence: 1.1,
                    cost: 1.2,
                }],
            )],
        )
        .unwrap();
        // Base: 100 + 0.1 × 100 + 0.5 × 10 = 115.
        assert!((tests.base.level_premium_per_member - 115.0).abs() < 1e-9);
        // 0.11 × 1,200 + 0.11 × 120 + 0.55 × 12.
        let flexed = 132.0 + 13.2 + 6.6;
        assert!((tests.results[0].level_premium_per_member - flexed).abs() < 1e-9);
    }

    #[test]
    fn a_scenario_that_breaks_an_assumption_is_named() {
        let error =
            stress_test(&base(), &[scenario("all costs", vec![Flex::Expenses(1.0)])]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "scenario all costs: expenses: 1 is out of range (0 to below 1)"
        );
    }
}
