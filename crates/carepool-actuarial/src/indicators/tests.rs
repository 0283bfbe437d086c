//! The indicators of a small scheme counted by hand: two families, four members and five
//! claims over January to March 2025.

use super::*;
use crate::experience::Span;
use carepool_core::claims::ClaimStatus;
use carepool_core::registry::{LedgerKind, Payer};

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn span(start: &str, end: &str, pending: bool) -> Span {
    Span {
        start: day(start),
        end: day(end),
        pending,
    }
}

fn cover(start: &str, end: Option<&str>) -> (NaiveDate, Option<NaiveDate>) {
    (day(start), end.map(day))
}

fn money(units: f64) -> Money {
    Money::from_minor((units * 100.0).round() as i64)
}

fn due(on: &str, payer: Payer, amount: f64) -> Due {
    Due {
        on: day(on),
        payer,
        amount: money(amount),
    }
}

fn payment(paid_on: &str, payer: Payer, amount: f64, start: &str, end: &str) -> Payment {
    Payment {
        paid_on: day(paid_on),
        payer,
        amount: money(amount),
        cover: Period {
            start: day(start),
            end: day(end),
        },
    }
}

struct Claim {
    received: &'static str,
    incurred: &'static str,
    decided: Option<&'static str>,
    status: ClaimStatus,
    amounts: (f64, f64, f64),
    paid: Option<&'static str>,
    stay: Option<(&'static str, &'static str)>,
}

impl Claim {
    fn facts(&self) -> ClaimFacts {
        let (claimed, approved, rejected) = self.amounts;
        ClaimFacts {
            received: day(self.received),
            incurred: Some(day(self.incurred)),
            decided: self.decided.map(day),
            status: self.status,
            claimed: money(claimed),
            approved: money(approved),
            rejected: money(rejected),
            paid: money(if self.paid.is_some() { approved } else { 0.0 }),
            paid_date: self.paid.map(day),
            stay: self.stay.map(|(a, d)| (day(a), day(d))),
        }
    }
}

/// The hand-counted scheme, January to March 2025 by month.
fn tally() -> IndicatorTally {
    let mut tally = IndicatorTally::new(day("2025-01-01"), day("2025-03-31"), Step::Month).unwrap();
    // Family 1. A: a woman covered for a year from July 2024. B: a man, pending from 10
    // January, active from 15 February, cover open (to the horizon, the day after the end).
    let a_spans = [span("2024-07-01", "2025-06-30", false)];
    let a_covers = [cover("2024-07-01", Some("2025-06-30"))];
    let b_spans = [
        span("2025-01-10", "2025-02-14", true),
        span("2025-02-15", "2025-04-01", false),
    ];
    let b_covers = [cover("2025-01-10", None)];
    let family_1 = [
        MemberFacts {
            spans: &a_spans,
            covers: &a_covers,
            woman: true,
            grace_days: 30,
        },
        MemberFacts {
            spans: &b_spans,
            covers: &b_covers,
            woman: false,
            grace_days: 30,
        },
    ];
    tally.add_family(&FamilyFacts {
        members: &family_1,
        due: &[
            due("2025-01-01", Payer::Member, 10.0),
            due("2025-02-01", Payer::Member, 10.0),
            due("2025-03-01", Payer::Member, 10.0),
        ],
        payments: &[
            payment(
                "2025-01-05",
                Payer::Member,
                10.0,
                "2025-01-01",
                "2025-01-31",
            ),
            payment(
                "2025-03-10",
                Payer::Member,
                15.0,
                "2025-02-01",
                "2025-03-31",
            ),
        ],
    });
    // Family 2. C: a woman covered January and February, who lapses (her next cover starts
    // after the grace period). D: a man covered in January, renewed late but within grace on
    // 20 February to 31 March, then not renewed.
    let c_spans = [span("2025-01-01", "2025-02-28", false)];
    let c_covers = [
        cover("2025-01-01", Some("2025-02-28")),
        cover("2025-04-15", None),
    ];
    let d_spans = [
        span("2025-01-01", "2025-01-31", false),
        span("2025-02-20", "2025-03-31", false),
    ];
    let d_covers = [
        cover("2025-01-01", Some("2025-01-31")),
        cover("2025-02-20", Some("2025-03-31")),
    ];
    let family_2 = [
        MemberFacts {
            spans: &c_spans,
            covers: &c_covers,
            woman: true,
            grace_days: 30,
        },
        MemberFacts {
            spans: &d_spans,
            covers: &d_covers,
            woman: false,
            grace_days: 30,
        },
    ];
    // The government owes 20.00 from June 2024 and 20.00 from January; its one payment in
    // February goes to the older.
    tally.add_family(&FamilyFacts {
        members: &family_2,
        due: &[
            due("2024-06-01", Payer::Government, 20.0),
            due("2025-01-01", Payer::Government, 20.0),
        ],
        payments: &[payment(
            "2025-02-10",
            Payer::Government,
            20.0,
            "2025-01-01",
            "2025-12-31",
        )],
    });
    let claims = [
        Claim {
            received: "2025-01-10",
            incurred: "2025-01-05",
            decided: Some("2025-01-12"),
            status: ClaimStatus::Paid,
            amounts: (100.0, 80.0, 20.0),
            paid: Some("2025-01-17"),
            stay: Some(("2025-01-03", "2025-01-05")),
        },
        Claim {
            received: "2025-01-20",
            incurred: "2025-01-15",
            decided: Some("2025-02-02"),
            status: ClaimStatus::Rejected,
            amounts: (50.0, 0.0, 50.0),
            paid: None,
            stay: Some(("2025-01-14", "2025-01-15")),
        },
        Claim {
            received: "2025-02-10",
            incurred: "2025-02-01",
            decided: Some("2025-02-11"),
            status: ClaimStatus::Paid,
            amounts: (200.0, 150.0, 50.0),
            paid: Some("2025-03-13"),
            stay: Some(("2025-02-01", "2025-02-01")),
        },
        Claim {
            received: "2025-03-20",
            incurred: "2025-03-18",
            decided: None,
            status: ClaimStatus::Received,
            amounts: (60.0, 0.0, 0.0),
            paid: None,
            stay: None,
        },
        Claim {
            received: "2024-12-20",
            incurred: "2024-12-15",
            decided: Some("2024-12-22"),
            status: ClaimStatus::Paid,
            amounts: (40.0, 40.0, 0.0),
            paid: Some("2025-01-15"),
            stay: None,
        },
    ];
    for claim in &claims {
        tally.add_claim(&claim.facts());
    }
    tally
}

fn indicators(ibnr: &[Option<f64>]) -> Indicators {
    let ibnr: Vec<Option<Money>> = ibnr.iter().map(|i| i.map(money)).collect();
    tally().finish(&ibnr)
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a value");
    assert!((actual - expected).abs() < 1e-12, "{actual} != {expected}");
}

#[test]
fn stocks_are_taken_on_the_day_before_the_first_and_on_each_periods_last_day() {
    assert_eq!(
        tally().ends(),
        [
            day("2024-12-31"),
            day("2025-01-31"),
            day("2025-02-28"),
            day("2025-03-31")
        ]
    );
}

#[test]
fn membership_counts_members_families_pending_entries_and_exits() {
    let found = indicators(&[None; 4]);
    let by = |pick: fn(&Membership) -> u64| -> Vec<u64> {
        found.periods.iter().map(|p| pick(&p.membership)).collect()
    };
    assert_eq!(by(|m| m.members), [3, 4, 3], "A, C, D; all four; A, B, D");
    assert_eq!(by(|m| m.families), [2, 2, 2]);
    assert_eq!(by(|m| m.pending), [1, 0, 0], "B until 14 February");
    assert_eq!(by(|m| m.women), [2, 2, 1]);
    assert_eq!(by(|m| m.new_members), [3, 0, 0], "B, C and D");
    assert_eq!(
        by(|m| m.exits),
        [1, 1, 1],
        "D's gap in January, C's lapse in February, D's end in March; B's open cover never ends"
    );
    let january = &found.periods[0].membership;
    close(january.growth_ratio, 2.0); // one member (A) the day before
    close(found.periods[1].membership.growth_ratio, 1.0 / 3.0);
    close(found.periods[2].membership.growth_ratio, -0.25);
    close(january.women_share, 2.0 / 3.0);
    assert_eq!(january.coverage_ratio, None, "no target given");
    let mut with_targets = tally();
    with_targets.set_target_populations(&[Some(6), Some(0), None]);
    let found = with_targets.finish(&[None; 4]);
    close(found.periods[0].membership.coverage_ratio, 0.5);
    assert_eq!(
        found.periods[1].membership.coverage_ratio, None,
        "a target of 0"
    );
    assert_eq!(found.periods[2].membership.target_population, None);
    close(Some(january.exposure), 93.0 / 365.0);
    close(
        Some(found.periods[1].membership.exposure),
        (28.0 + 14.0 + 28.0 + 9.0) / 365.0,
    );
}

#[test]
fn renewal_counts_a_late_renewal_within_grace_and_a_lapse() {
    let found = indicators(&[None; 4]);
    let renewal: Vec<(u64, u64)> = (found.periods.iter())
        .map(|p| (p.membership.renewal_due, p.membership.renewed))
        .collect();
    assert_eq!(
        renewal,
        [(1, 1), (1, 0), (1, 0)],
        "D renewed late in grace; C lapsed; D not renewed"
    );
    close(found.periods[0].membership.renewal_ratio, 1.0);
    close(found.periods[1].membership.renewal_ratio, 0.0);
}

#[test]
fn contributions_due_collected_and_arrears_by_age_at_each_end() {
    let found = indicators(&[None; 4]);
    let c: Vec<&Contributions> = found.periods.iter().map(|p| &p.contributions).collect();
    assert_eq!(
        c.iter().map(|c| c.due).collect::<Vec<_>>(),
        [money(30.0), money(10.0), money(10.0)],
        "June 2024's due is before the first period"
    );
    assert_eq!(
        c.iter().map(|c| c.collected).collect::<Vec<_>>(),
        [money(10.0), money(20.0), money(15.0)]
    );
    close(c[0].collection_rate, 1.0 / 3.0);
    close(c[1].collection_rate, 2.0);
    // January: the government owes both its dues, one 30 days old, one 244.
    assert_eq!(c[0].arrears, money(40.0));
    assert_eq!(
        c[0].arrears_by_age,
        ArrearsByAge {
            up_to_30_days: money(20.0),
            over_180_days: money(20.0),
            ..ArrearsByAge::default()
        }
    );
    assert_eq!(c[0].families_in_arrears, 1);
    // February: its payment went to the older due; the family 1 owes February's 10.00.
    assert_eq!(c[1].arrears, money(30.0));
    assert_eq!(
        c[1].arrears_by_age,
        ArrearsByAge {
            up_to_30_days: money(10.0),
            up_to_90_days: money(20.0),
            ..ArrearsByAge::default()
        }
    );
    assert_eq!(c[1].families_in_arrears, 2);
    // March: 15.00 paid against 20.00 more due leaves 5.00 of March's due, 30 days old.
    assert_eq!(c[2].arrears, money(25.0));
    assert_eq!(c[2].arrears_by_age.up_to_30_days, money(5.0));
    assert_eq!(c[2].arrears_by_age.up_to_90_days, money(20.0));
}

#[test]
fn premium_is_earned_by_day_over_the_period_each_contribution_pays_for() {
    let found = indicators(&[None; 4]);
    let earned: Vec<Money> = found
        .periods
        .iter()
        .map(|p| p.finance.earned_premium)
        .collect();
    // 10.00 for January; 15.00 over 59 days: 7.11 then 7.89; 20.00 over 2025's 365 days:
    // 1.69, 1.54, 1.70.
    assert_eq!(earned, [money(11.69), money(8.65), money(9.59)]);
}

#[test]
fn claims_are_counted_by_the_day_of_each_event() {
    let found = indicators(&[None; 4]);
    let c: Vec<&ClaimIndicators> = found.periods.iter().map(|p| &p.claims).collect();
    let by =
        |pick: fn(&ClaimIndicators) -> u64| -> Vec<u64> { c.iter().map(|c| pick(c)).collect() };
    assert_eq!(by(|c| c.received), [2, 1, 1]);
    assert_eq!(by(|c| c.decided), [1, 2, 0]);
    assert_eq!(by(|c| c.approved), [1, 1, 0]);
    assert_eq!(by(|c| c.rejected), [0, 1, 0]);
    close(c[1].rejection_ratio, 0.5);
    close(c[0].rejection_ratio_by_amount, 0.2);
    close(c[1].rejection_ratio_by_amount, 0.4);
    assert_eq!(c[2].rejection_ratio, None, "nothing decided in March");
    assert_eq!(
        by(|c| c.incurred),
        [1, 1, 1],
        "the rejected claim is left out"
    );
    assert_eq!(
        c.iter().map(|c| c.average_cost).collect::<Vec<_>>(),
        [Some(money(80.0)), Some(money(150.0)), Some(money(60.0))],
        "approved once decided, claimed before"
    );
    close(c[0].incidence_per_1000, 1000.0 / (93.0 / 365.0));
    assert_eq!((c[0].stays, c[0].bed_days), (1, 2));
    assert_eq!(
        (c[1].stays, c[1].bed_days),
        (1, 1),
        "a day case counts one day"
    );
    close(c[0].average_length_of_stay, 2.0);
    // A claim held for review is received in March, not yet decided; once approved, it is.
    let march = |status| {
        let mut counted = tally();
        let held = Claim {
            received: "2025-03-02",
            incurred: "2025-03-01",
            decided: Some("2025-03-03"),
            status,
            amounts: (70.0, 70.0, 0.0),
            paid: None,
            stay: None,
        };
        counted.add_claim(&held.facts());
        counted.finish(&[None; 4]).periods[2].claims.clone()
    };
    let in_review = march(ClaimStatus::InReview);
    assert_eq!((in_review.received, in_review.decided), (2, 0));
    assert_eq!(march(ClaimStatus::Approved).decided, 1);
}

#[test]
fn promptness_counts_the_claims_paid_by_days_from_receipt_at_the_bands_edges() {
    let found = indicators(&[None; 4]);
    let january = &found.periods[0].claims;
    assert_eq!(january.paid, 2);
    assert_eq!(
        january.promptness,
        PromptnessCounts {
            up_to_7_days: 1,  // received 10 January, paid the 17th: 7 days
            up_to_30_days: 1, // received 20 December, paid 15 January: 26 days
            ..PromptnessCounts::default()
        }
    );
    assert_eq!(
        found.periods[2].claims.promptness.up_to_90_days, 1,
        "received 10 February, paid 13 March: 31 days"
    );
}

#[test]
fn incurred_claims_are_paid_plus_the_change_in_outstanding_and_ibnr() {
    let found = indicators(&[Some(0.0), Some(10.0), Some(20.0), Some(5.0)]);
    let f: Vec<&Finance> = found.periods.iter().map(|p| &p.finance).collect();
    assert_eq!(
        f.iter().map(|f| f.claims_paid).collect::<Vec<_>>(),
        [money(120.0), money(0.0), money(150.0)]
    );
    // Outstanding: 40.00 approved on 31 December; 50.00 claimed, undecided, on 31 January;
    // 150.00 approved, unpaid, on 28 February; 60.00 claimed on 31 March.
    assert_eq!(
        f.iter().map(|f| f.outstanding).collect::<Vec<_>>(),
        [money(50.0), money(150.0), money(60.0)]
    );
    assert_eq!(
        f.iter().map(|f| f.incurred_claims).collect::<Vec<_>>(),
        [Some(money(140.0)), Some(money(110.0)), Some(money(45.0))]
    );
    close(f[0].incurred_claims_ratio, 140.0 / 11.69);
    // Without an IBNR at an end, the claims incurred either side of it are unknown.
    let found = indicators(&[Some(0.0), Some(10.0), None, Some(5.0)]);
    let incurred: Vec<Option<Money>> = (found.periods.iter())
        .map(|p| p.finance.incurred_claims)
        .collect();
    assert_eq!(incurred, [Some(money(140.0)), None, None]);
}

fn line(month: &str, kind: LedgerKind, amount: f64) -> LedgerLine {
    LedgerLine {
        month: day(&format!("{month}-01")),
        kind,
        amount: money(amount),
    }
}

#[test]
fn the_ledger_gives_expenses_net_income_solvency_and_liquidity() {
    use LedgerKind::*;
    let mut counted = tally();
    counted.add_ledger(&[
        line("2024-12", Expense, 9.0), // before the first period
        line("2025-01", Expense, 5.0),
        line("2025-01", Expense, 1.0),
        line("2025-02", Expense, 5.0),
        line("2025-01", Asset, 100.0),
        line("2025-01", LiquidAsset, 50.0),
        line("2025-01", Liability, 40.0),
        line("2025-01", ShortTermLiability, 25.0),
        line("2025-03", LiquidAsset, 30.0),
    ]);
    let ibnr: Vec<Option<Money>> = [0.0, 10.0, 20.0, 5.0].map(|i| Some(money(i))).to_vec();
    let found = counted.finish(&ibnr);
    let f: Vec<&Finance> = found.periods.iter().map(|p| &p.finance).collect();
    assert_eq!(
        f.iter().map(|f| f.expenses).collect::<Vec<_>>(),
        [Some(money(6.0)), Some(money(5.0)), Some(money(0.0))]
    );
    close(f[0].expense_ratio, 6.0 / 11.69);
    // 11.69 earned less 140.00 incurred and 6.00 spent.
    assert_eq!(f[0].net_income, Some(money(-134.31)));
    close(f[0].net_income_ratio, -134.31 / 11.69);
    assert_eq!(
        (f[0].assets, f[0].liabilities),
        (Some(money(150.0)), Some(money(65.0)))
    );
    close(f[0].solvency_ratio, 150.0 / 65.0);
    close(f[0].liquidity_ratio, 2.0);
    assert_eq!(f[1].assets, None, "no balance recorded for February");
    assert_eq!(f[1].solvency_ratio, None);
    assert_eq!(
        (f[2].assets, f[2].liabilities),
        (Some(money(30.0)), None),
        "liabilities are unknown, not nothing, when none is recorded"
    );
    assert_eq!(f[2].solvency_ratio, None);
    assert_eq!(f[2].liquidity_ratio, None);
    // A period whose months the ledger holds nothing for has no known expenses.
    let mut counted = tally();
    counted.add_ledger(&[line("2025-01", Expense, 5.0)]);
    let found = counted.finish(&ibnr);
    let expenses: Vec<Option<Money>> = (found.periods.iter()).map(|p| p.finance.expenses).collect();
    assert_eq!(expenses, [Some(money(5.0)), None, None]);
    // Without the ledger (a district's figures), none of it is known.
    let found = indicators(&[Some(0.0); 4]);
    let january = &found.periods[0].finance;
    assert_eq!((january.expenses, january.net_income), (None, None));
}

#[test]
fn every_indicator_in_the_output_is_defined_once() {
    let found = serde_json::to_value(indicators(&[None; 4])).unwrap();
    let period = &found["periods"][0];
    let mut named = Vec::new();
    for group in ["membership", "contributions", "claims", "finance"] {
        for field in period[group].as_object().unwrap().keys() {
            named.push(format!("{group}.{field}"));
        }
    }
    let defined: Vec<&str> = DEFINITIONS.iter().map(|d| d.name).collect();
    for name in &named {
        assert_eq!(
            defined.iter().filter(|d| *d == name).count(),
            1,
            "{name} is defined once"
        );
    }
    assert_eq!(named.len(), defined.len(), "nothing defined is left out");
}

#[test]
fn the_docs_give_every_definition_as_the_outputs_do() {
    let docs = include_str!("../../../../docs/INDICATORS.md");
    for definition in DEFINITIONS {
        let row = format!("| `{}` | {} |", definition.name, definition.definition);
        assert!(docs.contains(&row), "docs/INDICATORS.md lacks {row}");
    }
}
