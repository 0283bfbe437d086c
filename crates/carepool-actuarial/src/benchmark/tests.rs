use super::*;

fn case<'a>(facility: &'a str, line: &'a str, claimed: f64) -> Case<'a> {
    Case {
        facility,
        line,
        category: line.split(' ').next().unwrap(),
        age_band: 1,
        woman: false,
        member: "M1",
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
            z: None,
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
    ] {
        tally.add_case(&case(facility, "medical general", claimed));
    }
    // Another cell, of women: its cases are compared with women's cases only.
    let mut woman = case("A", "medical general", 10_000.0);
    woman.woman = true;
    tally.add_case(&woman);
    woman.facility = "B";
    woman.claimed = 9_000.0;
    tally.add_case(&woman);
    // A claim of a facility not added is left out; a rejected claim has no cost.
    tally.add_case(&case("Z", "medical general", 1.0e9));
    let mut rejected = case("C", "medical general", 1.0e9);
    rejected.rejected = true;
    tally.add_case(&rejected);
    let benchmark = tally.finish(0.05);
    let a = &benchmark.facilities[0];
    assert_eq!((a.facility.as_str(), a.claims), ("A", 3));
    let cost = a.cost_per_case.unwrap();
    // The amounts: men 800 against 2 x 200 (B and C's 100, 300 and 200); women 10,000 against
    // 9,000.
    close(cost.observed, 10_800.0);
    close(cost.expected, 9_400.0);
    close(cost.ratio.unwrap(), 10_800.0 / 9_400.0);
    // The test, on logs: each of A's men against the mean log of 100, 300 and 200 with their
    // variance; its woman against 9,000's log, which has none.
    let peers = [100.0f64.ln(), 300.0f64.ln(), 200.0f64.ln()];
    let mean = peers.iter().sum::<f64>() / 3.0;
    let variance = peers.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / 3.0;
    let shift = 300.0f64.ln() + 500.0f64.ln() - 2.0 * mean + 10_000.0f64.ln() - 9_000.0f64.ln();
    let z = shift / (2.0 * variance).sqrt();
    close(cost.z.unwrap(), z);
    close(cost.p_value, upper_tail(z));
    // C's only case has peers; its rejected claim counts among its claims and rejections.
    let c = &benchmark.facilities[2];
    assert_eq!((c.claims, c.cost_per_case.unwrap().cases), (2, 1));
    close(c.rejections.unwrap().observed, 1.0);
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
    // B's share is 2 of 10: 10 x 0.2 = 2 expected, variance 10 x 0.2 x 0.8.
    close(mix.observed, 8.0);
    close(mix.expected, 2.0);
    close(mix.z.unwrap(), 6.0 / 1.6f64.sqrt());
    assert_eq!(
        a.mix,
        [MixLine {
            category: "surgical".into(),
            costliest: "surgical cardiology".into(),
            cases: 10,
            costliest_cases: 8,
            share: 0.8,
            peer_share: 0.2,
        }]
    );
    // The health centre has no peer of its level.
    assert_eq!(benchmark.facilities[3].costliest_mix, None);
}

#[test]
fn charging_exempt_members_when_no_peer_does_is_flagged() {
    let mut tally = tally();
    for (facility, charged) in [
        ("A", true),
        ("A", true),
        ("B", false),
        ("B", false),
        ("C", false),
    ] {
        let mut exempt = case(facility, "maternity obstetrics", 500.0);
        exempt.exempt = true;
        exempt.exempt_charged = charged;
        tally.add_case(&exempt);
    }
    let benchmark = tally.finish(0.05);
    let a = &benchmark.facilities[0];
    let charged = a.exempt_charged.unwrap();
    assert_eq!(
        (charged.cases, charged.observed, charged.expected),
        (2, 2.0, 0.0)
    );
    assert_eq!((charged.z, charged.p_value), (None, 0.0));
    assert_eq!(a.flags, ["exempt_charged"]);
    assert!(benchmark.facilities[1].flags.is_empty());
    // The funnel: each facility's rate against its claims, around the overall rate 2 of 5.
    let funnel = &benchmark.funnels[3];
    assert_eq!(funnel.measure, "exempt_charged");
    close(funnel.target, 0.4);
    close(funnel.spread, (0.4f64 * 0.6).sqrt());
    assert_eq!(funnel.points.len(), 3);
    assert!(
        funnel
            .points
            .iter()
            .any(|p| p.facility == "A" && p.value == 1.0 && p.flagged)
    );
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
    stay("A", "M1", 6);
    stay("A", "M1", 6);
    stay("B", "M2", 2);
    stay("C", "M3", 4);
    let benchmark = tally.finish(0.05);
    let a = &benchmark.facilities[0];
    assert_eq!((a.claims, a.members), (2, 1));
    close(a.claims_per_member.unwrap(), 2.0);
    let stay = a.length_of_stay.unwrap();
    // 12 nights against 2 x 3 (B's 2 and C's 4); on logs, 2 ln 6 against 2 x 1.5 ln 2, whose
    // variance is 0.25 (ln 2)^2 a stay.
    close(stay.observed, 12.0);
    close(stay.expected, 6.0);
    let ln2 = 2.0f64.ln();
    close(
        stay.z.unwrap(),
        (2.0 * 6.0f64.ln() - 3.0 * ln2) / (0.5 * ln2 * ln2).sqrt(),
    );
    // Its funnel point: its 2 stays, at the geometric ratio 6 / 2^1.5.
    let funnel = &benchmark.funnels[1];
    assert!(funnel.log_scale);
    let point = funnel.points.iter().find(|p| p.facility == "A").unwrap();
    close(point.volume, 2.0);
    close(point.value, 6.0 / 2.0f64.powf(1.5));
}
