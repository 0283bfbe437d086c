use super::*;

fn case<'a>(facility: &'a str, line: &'a str, claimed: f64) -> Case<'a> {
    Case {
        facility,
        line,
        category: line.split(' ').next().unwrap(),
        age_band: 1,
        woman: false,
        member: 1,
        claimed,
        stay_days: None,
        rejected: false,
        duplicate: false,
        exempt: false,
        exempt_charged: false,
    }
}

fn close(found: f64, want: f64) {
    assert!((found - want).abs() < 1e-9, "{found} against {want}");
}

#[test]
fn the_normal_upper_tail() {
    close(upper_tail(0.0), 0.5);
    assert!((upper_tail(1.959_963_984_540_054) - 0.025).abs() < 1e-12);
    assert!((upper_tail(-1.959_963_984_540_054) - 0.975).abs() < 1e-12);
    // R: pnorm(6, lower.tail = FALSE)
    assert!((upper_tail(6.0) / 9.865_876_450_376_98e-10 - 1.0).abs() < 1e-9);
}

#[test]
fn benjamini_hochberg_q_values_by_hand() {
    let at = |p_value| {
        Some(Test {
            cases: 1,
            observed: 0.0,
            expected: 0.0,
            ratio: None,
            z: 0.0,
            p_value,
            q_value: p_value,
            flagged: false,
        })
    };
    let mut tests = vec![at(0.01), at(0.04), None, at(0.03), at(0.2)];
    benjamini_hochberg(&mut tests, 0.05);
    // Sorted 0.01, 0.03, 0.04, 0.2 of four: 0.04, min(0.06, 0.0533), 0.0533, 0.2.
    let q: Vec<Option<f64>> = tests.iter().map(|t| t.map(|t| t.q_value)).collect();
    let want = [
        Some(0.04),
        Some(0.04 * 4.0 / 3.0),
        None,
        Some(0.04 * 4.0 / 3.0),
        Some(0.2),
    ];
    for (found, want) in q.iter().zip(want) {
        match (found, want) {
            (Some(f), Some(w)) => close(*f, w),
            (f, w) => assert_eq!(*f, w),
        }
    }
    let flagged: Vec<bool> = tests.iter().map(|t| t.is_some_and(|t| t.flagged)).collect();
    assert_eq!(flagged, [true, false, false, false, false]);
}

/// Three hospitals and a health centre.
fn tally() -> BenchmarkTally {
    let mut tally = BenchmarkTally::default();
    for (code, level) in [
        ("A", "hospital"),
        ("B", "hospital"),
        ("C", "hospital"),
        ("H", "health_centre"),
    ] {
        tally.add_facility(code, level);
    }
    tally
}

#[test]
fn cost_per_case_is_standardised_on_the_other_facilities_cases_of_the_same_cell() {
    let mut tally = tally();
    for (facility, claimed) in [
        ("A", 300.0),
        ("A", 500.0),
        ("B", 100.0),
        ("B", 300.0),
        ("C", 200.0),
        ("C", 100.0),
        ("C", 300.0),
    ] {
        tally.add_case(&case(facility, "medical general", claimed));
    }
    // A claim of a facility not added is left out; a rejected claim has no cost.
    tally.add_case(&case("Z", "medical general", 1.0e9));
    let mut rejected = case("C", "medical general", 1.0e9);
    rejected.rejected = true;
    tally.add_case(&rejected);
    let benchmark = tally.finish(0.05);
    let a = &benchmark.facilities[0];
    assert_eq!((a.facility.as_str(), a.claims), ("A", 2));
    let cost = a.cost_per_case.unwrap();
    // The amounts: 800 against 2 x 200, the mean of B's and C's five cases.
    close(cost.observed, 800.0);
    close(cost.expected, 400.0);
    close(cost.ratio.unwrap(), 2.0);
    // The test, on logs: each case against the peers' mean log, with their variance.
    let peers = [100.0f64, 300.0, 200.0, 100.0, 300.0].map(f64::ln);
    let mean = peers.iter().sum::<f64>() / 5.0;
    let variance = peers.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / 5.0;
    let z = (300.0f64.ln() + 500.0f64.ln() - 2.0 * mean) / (2.0 * variance).sqrt();
    close(cost.z, z);
    close(cost.p_value, upper_tail(z));
    // A's rejections against its peers' 1 of 6: (1 + 1/2) / 7.
    close(a.rejections.unwrap().expected, 2.0 * 1.5 / 7.0);
    // C's peers have four cases: too few to be compared with.
    let c = &benchmark.facilities[2];
    assert_eq!((c.claims, c.cost_per_case), (4, None));
    // No claims, no tests.
    let h = &benchmark.facilities[3];
    assert_eq!(
        (h.claims, h.cost_per_case, h.claims_per_member),
        (0, None, None)
    );
}

#[test]
fn the_costliest_line_is_compared_with_facilities_of_the_same_level() {
    let mut tally = tally();
    let mut add = |facility, line, n, claimed| {
        for _ in 0..n {
            tally.add_case(&case(facility, line, claimed));
        }
    };
    add("A", "surgical cardiology", 8, 1_000.0);
    add("A", "surgical general", 2, 100.0);
    add("B", "surgical cardiology", 2, 1_000.0);
    add("B", "surgical general", 8, 100.0);
    // A health centre's claims are another level's: they move no hospital's share.
    add("H", "surgical cardiology", 50, 1_000.0);
    let benchmark = tally.finish(0.05);
    let a = &benchmark.facilities[0];
    let mix = a.costliest_mix.unwrap();
    // B billed it 2 of 10 times: a share of (2 + 1/2) / 11.
    let share = 2.5 / 11.0;
    close(mix.observed, 8.0);
    close(mix.expected, 10.0 * share);
    close(
        mix.z,
        (8.0 - 10.0 * share) / (10.0 * share * (1.0 - share)).sqrt(),
    );
    assert_eq!(
        a.mix,
        [MixLine {
            category: "surgical".into(),
            costliest: "surgical cardiology".into(),
            cases: 10,
            costliest_cases: 8,
            share: 0.8,
            peer_share: 2.5 / 11.0,
        }]
    );
    // The health centre has no peer of its level.
    assert_eq!(benchmark.facilities[3].costliest_mix, None);
}

#[test]
fn the_binomial_upper_tail_by_hand() {
    close(binomial_upper_tail(2, 3, 0.5), 0.5);
    close(binomial_upper_tail(1, 1, 0.2), 0.2);
    close(binomial_upper_tail(0, 4, 0.3), 1.0);
    let below_three = 0.9f64.powi(10) + 10.0 * 0.1 * 0.9f64.powi(9) + 45.0 * 0.01 * 0.9f64.powi(8);
    close(binomial_upper_tail(3, 10, 0.1), 1.0 - below_three);
    // Far below the mean: all of it.
    close(binomial_upper_tail(10, 100_000, 0.5), 1.0);
}

#[test]
fn charging_exempt_members_when_no_peer_does_is_flagged() {
    let mut tally = tally();
    for (facility, charged) in [("A", true), ("B", false), ("C", false)] {
        for _ in 0..6 {
            let mut exempt = case(facility, "maternity obstetrics", 500.0);
            exempt.exempt = true;
            exempt.exempt_charged = charged;
            tally.add_case(&exempt);
        }
    }
    let benchmark = tally.finish(0.05);
    let a = &benchmark.facilities[0];
    let charged = a.exempt_charged.unwrap();
    // Its peers charged none of 12: a share of 0.5 / 13, so six of six has the chance
    // (0.5 / 13)^6.
    let share = 0.5 / 13.0;
    assert_eq!((charged.cases, charged.observed), (6, 6.0));
    close(charged.expected, 6.0 * share);
    assert!((charged.p_value / share.powi(6) - 1.0).abs() < 1e-9);
    assert_eq!(a.flags, ["exempt_charged"]);
    // B's peers charged 6 of 12; B charged none.
    let b = benchmark.facilities[1].exempt_charged.unwrap();
    close(b.p_value, 1.0);
    assert!(benchmark.facilities[1].flags.is_empty());
    // The funnel: each facility's rate against its claims, around the overall rate 6 of 18.
    let funnel = &benchmark.funnels[3];
    assert_eq!(funnel.measure, "exempt_charged");
    close(funnel.target, 1.0 / 3.0);
    close(funnel.spread, (2.0f64 / 9.0).sqrt());
    assert_eq!(funnel.points.len(), 3);
    assert!((funnel.points.iter()).any(|p| p.facility == "A" && p.value == 1.0 && p.flagged));
}

#[test]
fn stays_and_claims_per_member() {
    let mut tally = tally();
    let mut stay = |facility, member, days| {
        let mut case = case(facility, "medical general", 100.0);
        case.member = member;
        case.stay_days = Some(days);
        tally.add_case(&case);
    };
    stay("A", 1, 6);
    stay("A", 1, 6);
    for (facility, days) in [("B", 2), ("B", 2), ("B", 4), ("C", 4), ("C", 4)] {
        stay(facility, 2, days);
    }
    let benchmark = tally.finish(0.05);
    let a = &benchmark.facilities[0];
    assert_eq!((a.claims, a.members), (2, 1));
    close(a.claims_per_member.unwrap(), 2.0);
    let stay = a.length_of_stay.unwrap();
    // 12 nights against 2 x 3.2; on logs, 2 ln 6 against 2 x 1.6 ln 2, the peers' logs
    // varying by 0.24 (ln 2)^2.
    close(stay.observed, 12.0);
    close(stay.expected, 6.4);
    let ln2 = 2.0f64.ln();
    close(
        stay.z,
        (2.0 * 6.0f64.ln() - 3.2 * ln2) / (0.48 * ln2 * ln2).sqrt(),
    );
    // Its funnel point: its 2 stays, at the geometric ratio 6 / 2^1.6.
    let funnel = &benchmark.funnels[1];
    assert!(funnel.log_scale);
    let point = funnel.points.iter().find(|p| p.facility == "A").unwrap();
    close(point.volume, 2.0);
    close(point.value, 6.0 / 2.0f64.powf(1.6));
}
