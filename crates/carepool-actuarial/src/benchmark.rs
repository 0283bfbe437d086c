//! Provider benchmarking: each facility's claims against its peers', on what a reviewer would
//! audit: cost per case and length of stay adjusted for case mix (indirect standardisation:
//! each case expected at the average of the other facilities' cases of its line, age band and
//! sex), how often it bills the costliest line of a clinical category against facilities of its
//! level, co-payments collected from exempt members, duplicates and rejections. Each measure is
//! a one-sided test of "more than its peers", and the facilities flagged on a measure are those
//! whose Benjamini-Hochberg q-value is within the false discovery rate, so that among many
//! facilities the flags are mostly true.

use serde::Serialize;
// Ordered maps: the costs' floating-point sums are added in the same order on every run, so
// that the same claims give the same figures to the last bit (hash maps' seeds vary by process).
use std::collections::BTreeMap;

/// One claim as the benchmarking sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Case<'a> {
    pub facility: &'a str,
    /// The base-table line: clinical category and specialty ("surgical cardiology").
    pub line: &'a str,
    /// The clinical category the line belongs to (the group whose mix is compared).
    pub category: &'a str,
    pub age_band: u8,
    pub woman: bool,
    /// The member, for claims per member: any number the caller gives each member, the same
    /// for all of a member's claims (a national scheme's member ids are not held as text).
    pub member: u32,
    /// What the facility claimed, in currency units.
    pub claimed: f64,
    /// Nights claimed, for a stay.
    pub stay_days: Option<u32>,
    pub rejected: bool,
    /// Held as a probable duplicate of an earlier claim.
    pub duplicate: bool,
    /// The member belongs to a group exempt from cost sharing.
    pub exempt: bool,
    /// The facility collected a co-payment from that exempt member.
    pub exempt_charged: bool,
}

/// A measure's test for one facility: observed against expected from its peers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Test {
    /// The claims the measure is counted on.
    pub cases: u64,
    pub observed: f64,
    pub expected: f64,
    /// observed / expected (for a rate: the facility's rate over its peers').
    pub ratio: Option<f64>,
    /// (observed - expected) / its standard error under the peers' rates (for a cost or a
    /// stay, of the logarithms).
    pub z: f64,
    /// One-sided: the chance of as much above expected by chance alone.
    pub p_value: f64,
    /// Benjamini-Hochberg over the facilities tested on this measure.
    pub q_value: f64,
    pub flagged: bool,
}

/// Within one clinical category, the facility's share of its costliest line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MixLine {
    pub category: String,
    /// The line of the category with the highest average claim among facilities of the level.
    pub costliest: String,
    pub cases: u64,
    pub costliest_cases: u64,
    pub share: f64,
    pub peer_share: f64,
}

/// One facility's figures and tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacilityBenchmark {
    pub facility: String,
    pub level: String,
    pub claims: u64,
    pub members: u64,
    pub claims_per_member: Option<f64>,
    /// Claimed cost of the claims not rejected, against the peers' average of each case's
    /// line, age band and sex.
    pub cost_per_case: Option<Test>,
    /// Nights of the stays not rejected, likewise.
    pub length_of_stay: Option<Test>,
    /// Claims of the costliest line of their category, against the peers of its level.
    pub costliest_mix: Option<Test>,
    pub mix: Vec<MixLine>,
    /// Exempt members' claims with a co-payment collected, against the peers' rate.
    pub exempt_charged: Option<Test>,
    pub duplicates: Option<Test>,
    pub rejections: Option<Test>,
    /// The measures flagged, in the order above.
    pub flags: Vec<&'static str>,
}

/// The measures, by the names flags give them.
pub const MEASURES: [&str; 6] = [
    "cost_per_case",
    "length_of_stay",
    "costliest_mix",
    "exempt_charged",
    "duplicates",
    "rejections",
];

/// A funnel plot's points: each facility's volume (its cases) and value, and the target around
/// which the limits open as `target ± z × spread / sqrt(volume)`, or on a log scale
/// `target × exp(± z × spread / sqrt(volume))`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Funnel {
    pub measure: &'static str,
    pub target: f64,
    pub spread: f64,
    pub log_scale: bool,
    pub points: Vec<FunnelPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelPoint {
    pub facility: String,
    pub volume: f64,
    pub value: f64,
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Benchmark {
    /// The false discovery rate the flags are held to.
    pub false_discovery_rate: f64,
    pub facilities: Vec<FacilityBenchmark>,
    pub funnels: Vec<Funnel>,
}

/// A sum, sum of squares and count.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sums {
    n: f64,
    sum: f64,
    squares: f64,
}

impl Sums {
    fn add(&mut self, value: f64) {
        self.n += 1.0;
        self.sum += value;
        self.squares += value * value;
    }

    fn plus(self, other: Sums) -> Sums {
        Sums {
            n: self.n + other.n,
            sum: self.sum + other.sum,
            squares: self.squares + other.squares,
        }
    }

    fn less(self, other: Sums) -> Sums {
        Sums {
            n: self.n - other.n,
            sum: self.sum - other.sum,
            squares: self.squares - other.squares,
        }
    }

    fn mean(self) -> f64 {
        self.sum / self.n
    }

    /// The population variance of the values.
    fn variance(self) -> f64 {
        (self.squares / self.n - self.mean() * self.mean()).max(0.0)
    }
}

/// A skewed amount (a cost, a stay): its values, and their logarithms, on which it is tested.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Skewed {
    values: Sums,
    logs: Sums,
}

impl Skewed {
    fn add(&mut self, value: f64) {
        self.values.add(value);
        self.logs.add(value.max(f64::MIN_POSITIVE).ln());
    }

    fn add_all(&mut self, other: Skewed) {
        self.values = self.values.plus(other.values);
        self.logs = self.logs.plus(other.logs);
    }

    fn less(self, other: Skewed) -> Skewed {
        Skewed {
            values: self.values.less(other.values),
            logs: self.logs.less(other.logs),
        }
    }
}

/// A count of events among trials.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Rate {
    trials: u64,
    events: u64,
}

impl Rate {
    fn add(&mut self, event: bool) {
        self.trials += 1;
        self.events += u64::from(event);
    }

    fn less(self, other: Rate) -> Rate {
        Rate {
            trials: self.trials - other.trials,
            events: self.events - other.events,
        }
    }
}

/// The cell a case is standardised in.
type Cell = (u32, u8, bool);

/// What one facility's claims add up to.
#[derive(Debug, Clone, Default)]
struct Counted {
    claims: u64,
    members: foldhash::HashSet<u32>,
    cost: BTreeMap<Cell, Skewed>,
    stay: BTreeMap<Cell, Skewed>,
    /// Cases by category and line, for the mix.
    lines: BTreeMap<(u32, u32), u64>,
    exempt: Rate,
    duplicates: Rate,
    rejections: Rate,
}

/// The claims counted so far, facility by facility.
#[derive(Debug, Clone, Default)]
pub struct BenchmarkTally {
    names: BTreeMap<String, u32>,
    name_list: Vec<String>,
    facilities: BTreeMap<String, usize>,
    levels: Vec<String>,
    counted: Vec<Counted>,
}

impl BenchmarkTally {
    /// A facility and its level (health centre, district hospital, ...): only facilities of the
    /// same level are compared on their mix.
    pub fn add_facility(&mut self, code: &str, level: &str) {
        if !self.facilities.contains_key(code) {
            self.facilities.insert(code.to_string(), self.counted.len());
            self.levels.push(level.to_string());
            self.counted.push(Counted::default());
        }
    }

    fn name(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.names.get(text) {
            return id;
        }
        let id = self.name_list.len() as u32;
        self.names.insert(text.to_string(), id);
        self.name_list.push(text.to_string());
        id
    }

    /// Counts a claim of a facility added before (others are left out).
    pub fn add_case(&mut self, case: &Case) {
        let Some(&at) = self.facilities.get(case.facility) else {
            return;
        };
        let line = self.name(case.line);
        let category = self.name(case.category);
        let counted = &mut self.counted[at];
        counted.claims += 1;
        counted.members.insert(case.member);
        counted.duplicates.add(case.duplicate);
        counted.rejections.add(case.rejected);
        if case.exempt {
            counted.exempt.add(case.exempt_charged);
        }
        if case.rejected {
            return;
        }
        let cell = (line, case.age_band, case.woman);
        if case.claimed > 0.0 {
            counted.cost.entry(cell).or_default().add(case.claimed);
        }
        if let Some(days) = case.stay_days {
            counted.stay.entry(cell).or_default().add(f64::from(days));
        }
        *counted.lines.entry((category, line)).or_default() += 1;
    }

    /// Every facility's tests, flagged at the false discovery rate `fdr` (0.05: one flag in
    /// twenty may be a facility like its peers).
    pub fn finish(&self, fdr: f64) -> Benchmark {
        let n = self.counted.len();
        let (cost, cost_shifts) = standardised(&self.counted, |c| &c.cost);
        let (stay, stay_shifts) = standardised(&self.counted, |c| &c.stay);
        let (costliest_mix, mix, mix_precision) = self.mix();
        let rate_tests = |rate: fn(&Counted) -> Rate| -> Vec<Option<Test>> {
            let all = (self.counted.iter()).fold(Rate::default(), |sum, c| Rate {
                trials: sum.trials + rate(c).trials,
                events: sum.events + rate(c).events,
            });
            (self.counted.iter())
                .map(|c| rate_test(rate(c), all.less(rate(c))))
                .collect()
        };
        let mut tests = [
            cost,
            stay,
            costliest_mix,
            rate_tests(|c| c.exempt),
            rate_tests(|c| c.duplicates),
            rate_tests(|c| c.rejections),
        ];
        for measure in &mut tests {
            benjamini_hochberg(measure, fdr);
        }
        let kinds = [
            Drawn::Skewed(&cost_shifts),
            Drawn::Skewed(&stay_shifts),
            Drawn::Ratio(&mix_precision),
            Drawn::Rate,
            Drawn::Rate,
            Drawn::Rate,
        ];
        let funnels = (MEASURES.iter().zip(&tests).zip(kinds))
            .map(|((measure, tests), kind)| self.funnel(measure, tests, kind))
            .collect();
        let mut facilities: Vec<FacilityBenchmark> = (0..n)
            .map(|i| {
                let counted = &self.counted[i];
                let members = counted.members.len() as u64;
                let flags = (MEASURES.iter().zip(&tests))
                    .filter(|(_, tests)| tests[i].is_some_and(|t| t.flagged))
                    .map(|(measure, _)| *measure)
                    .collect();
                FacilityBenchmark {
                    facility: String::new(),
                    level: self.levels[i].clone(),
                    claims: counted.claims,
                    members,
                    claims_per_member: (members > 0)
                        .then(|| counted.claims as f64 / members as f64),
                    cost_per_case: tests[0][i],
                    length_of_stay: tests[1][i],
                    costliest_mix: tests[2][i],
                    mix: mix[i].clone(),
                    exempt_charged: tests[3][i],
                    duplicates: tests[4][i],
                    rejections: tests[5][i],
                    flags,
                }
            })
            .collect();
        for (code, &i) in &self.facilities {
            facilities[i].facility = code.clone();
        }
        facilities.sort_by(|a, b| a.facility.cmp(&b.facility));
        Benchmark {
            false_discovery_rate: fdr,
            facilities,
            funnels,
        }
    }

    /// Each facility's claims of the costliest line of their category, against the share of
    /// that line among the other facilities of its level.
    /// Also each facility's precision on it, (expected / standard error)^2, for its funnel.
    #[allow(clippy::type_complexity)]
    fn mix(&self) -> (Vec<Option<Test>>, Vec<Vec<MixLine>>, Vec<Option<f64>>) {
        let mut by_level: BTreeMap<&str, BTreeMap<(u32, u32), u64>> = BTreeMap::new();
        let mut costs: BTreeMap<(&str, u32), Sums> = BTreeMap::new();
        for (counted, level) in self.counted.iter().zip(&self.levels) {
            let level_lines = by_level.entry(level).or_default();
            for (&key, &cases) in &counted.lines {
                *level_lines.entry(key).or_default() += cases;
            }
            for (&(line, _, _), sums) in &counted.cost {
                let total = costs.entry((level.as_str(), line)).or_default();
                *total = total.plus(sums.values);
            }
        }
        // The costliest line of each category at each level, by average claim (a line whose
        // claims are all of nothing the cheapest); equal averages go to the first name, so
        // that the same claims always give the same line.
        let mean_of = |level: &str, line: u32| {
            costs
                .get(&(level, line))
                .map_or(f64::NEG_INFINITY, |sums| sums.mean())
        };
        let mut costliest: BTreeMap<(&str, u32), u32> = BTreeMap::new();
        for (level, lines) in &by_level {
            for &(category, line) in lines.keys() {
                let best = costliest.entry((*level, category)).or_insert(line);
                let (mean, best_mean) = (mean_of(level, line), mean_of(level, *best));
                let name = &self.name_list[line as usize];
                if mean > best_mean || (mean == best_mean && name < &self.name_list[*best as usize])
                {
                    *best = line;
                }
            }
        }
        let mut tests = Vec::with_capacity(self.counted.len());
        let mut mixes = Vec::with_capacity(self.counted.len());
        let mut precisions = Vec::with_capacity(self.counted.len());
        for (counted, level) in self.counted.iter().zip(&self.levels) {
            let level_lines = &by_level[level.as_str()];
            let mut categories: Vec<u32> = counted.lines.keys().map(|k| k.0).collect();
            categories.sort_unstable();
            categories.dedup();
            let (mut observed, mut expected, mut variance, mut cases) = (0.0, 0.0, 0.0, 0);
            let mut mix = Vec::new();
            for category in categories {
                let top = costliest[&(level.as_str(), category)];
                let in_category = |lines: &BTreeMap<(u32, u32), u64>| -> (u64, u64) {
                    (lines.iter())
                        .filter(|(k, _)| k.0 == category)
                        .fold((0, 0), |(all, best), (k, &n)| {
                            (all + n, best + if k.1 == top { n } else { 0 })
                        })
                };
                let (own, own_top) = in_category(&counted.lines);
                let (all, all_top) = in_category(level_lines);
                let (peers, peers_top) = (all - own, all_top - own_top);
                if peers < FEWEST_PEERS {
                    continue;
                }
                // As for a rate: some doubt where the peers never, or always, bill it.
                let share = (peers_top as f64 + 0.5) / (peers as f64 + 1.0);
                observed += own_top as f64;
                expected += own as f64 * share;
                variance += own as f64 * share * (1.0 - share);
                cases += own;
                mix.push(MixLine {
                    category: self.name_list[category as usize].clone(),
                    costliest: self.name_list[top as usize].clone(),
                    cases: own,
                    costliest_cases: own_top,
                    share: own_top as f64 / own as f64,
                    peer_share: share,
                });
            }
            tests.push((cases > 0).then(|| test(cases, observed, expected, variance)));
            precisions.push((cases > 0).then(|| expected * expected / variance));
            mixes.push(mix);
        }
        (tests, mixes, precisions)
    }

    fn funnel(&self, measure: &'static str, tests: &[Option<Test>], drawn: Drawn) -> Funnel {
        let mut codes = vec![String::new(); self.counted.len()];
        for (code, &at) in &self.facilities {
            codes[at] = code.clone();
        }
        let point = |i: usize, volume: f64, value: f64, flagged: bool| FunnelPoint {
            facility: codes[i].clone(),
            volume,
            value,
            flagged,
        };
        if let Drawn::Ratio(precisions) = drawn {
            // Observed over expected against its precision: limits 1 +/- z / sqrt(precision).
            let points = (tests.iter().zip(precisions).enumerate())
                .filter_map(|(i, (test, precision))| {
                    let test = (*test)?;
                    Some(point(i, (*precision)?, test.ratio?, test.flagged))
                })
                .collect();
            return Funnel {
                measure,
                target: 1.0,
                spread: 1.0,
                log_scale: false,
                points,
            };
        }
        if let Drawn::Skewed(shifts) = drawn {
            // Each facility's average log difference from its peers, as a ratio: its limits
            // are exp(+/- z x spread / sqrt(cases)) around 1.
            let points = (shifts.by_facility.iter().enumerate())
                .filter_map(|(i, shift)| {
                    let (cases, shift) = (*shift)?;
                    let flagged = tests[i].is_some_and(|t| t.flagged);
                    Some(point(i, cases, shift.exp(), flagged))
                })
                .collect();
            return Funnel {
                measure,
                target: 1.0,
                spread: shifts.spread,
                log_scale: true,
                points,
            };
        }
        let tested: Vec<(usize, Test)> = (tests.iter().enumerate())
            .filter_map(|(i, t)| Some((i, (*t)?)))
            .collect();
        let (events, trials) = (tested.iter()).fold((0.0, 0.0), |(e, n), (_, t)| {
            (e + t.observed, n + t.cases as f64)
        });
        let rate = if trials > 0.0 { events / trials } else { 0.0 };
        let points = (tested.iter())
            .map(|&(i, t)| point(i, t.cases as f64, t.observed / t.cases as f64, t.flagged))
            .collect();
        Funnel {
            measure,
            target: rate,
            spread: (rate * (1.0 - rate)).sqrt(),
            log_scale: false,
            points,
        }
    }
}

/// How a measure's funnel is drawn.
#[derive(Clone, Copy)]
enum Drawn<'a> {
    /// A cost or a stay: geometric ratios against cases, on a log scale.
    Skewed(&'a Shifts),
    /// Observed over expected against each facility's precision.
    Ratio(&'a [Option<f64>]),
    /// A facility's rate against its cases, around the overall rate.
    Rate,
}

/// What the funnel of a skewed measure draws: each facility's cases and average log
/// difference from its peers, and the spread of one case's log difference over all.
struct Shifts {
    by_facility: Vec<Option<(f64, f64)>>,
    spread: f64,
}

/// Indirect standardisation: each facility's cases against the other facilities' cases of the
/// same cell. The ratio is of the amounts (observed over each case at its peers' mean); the
/// test is on their logarithms, each case's log against its peers' mean log with their
/// variance, since a few long stays or dear cases would otherwise flag a small facility by
/// chance. Cases of a cell no other facility has are left out.
fn standardised(
    counted: &[Counted],
    cells: fn(&Counted) -> &BTreeMap<Cell, Skewed>,
) -> (Vec<Option<Test>>, Shifts) {
    let mut all: BTreeMap<Cell, Skewed> = BTreeMap::new();
    for facility in counted {
        for (cell, sums) in cells(facility) {
            all.entry(*cell).or_default().add_all(*sums);
        }
    }
    let (mut all_cases, mut all_variance) = (0.0, 0.0);
    let mut shifts = Vec::with_capacity(counted.len());
    let tests = counted
        .iter()
        .map(|facility| {
            let (mut observed, mut expected, mut cases) = (0.0, 0.0, 0.0);
            let (mut logs, mut expected_logs, mut variance) = (0.0, 0.0, 0.0);
            for (cell, own) in cells(facility) {
                let peers = all[cell].less(*own);
                if peers.values.n < FEWEST_PEERS as f64 {
                    continue;
                }
                observed += own.values.sum;
                expected += own.values.n * peers.values.mean();
                logs += own.logs.sum;
                expected_logs += own.logs.n * peers.logs.mean();
                variance += own.logs.n * peers.logs.variance();
                cases += own.values.n;
            }
            all_cases += cases;
            all_variance += variance;
            shifts.push((cases > 0.0).then(|| (cases, (logs - expected_logs) / cases)));
            (cases > 0.0 && variance > 0.0).then(|| {
                let mut tested = test(cases as u64, logs, expected_logs, variance);
                tested.observed = observed;
                tested.expected = expected;
                tested.ratio = (expected > 0.0).then(|| observed / expected);
                tested
            })
        })
        .collect();
    let spread = if all_cases > 0.0 {
        (all_variance / all_cases).sqrt()
    } else {
        0.0
    };
    (
        tests,
        Shifts {
            by_facility: shifts,
            spread,
        },
    )
}

/// A rate against the peers' rate, taken as (events + 1/2) / (trials + 1) so that peers who
/// never (or always) did it leave some doubt; the chance of as many events is the exact
/// binomial tail.
fn rate_test(own: Rate, peers: Rate) -> Option<Test> {
    if own.trials == 0 || peers.trials < FEWEST_PEERS {
        return None;
    }
    let share = (peers.events as f64 + 0.5) / (peers.trials as f64 + 1.0);
    let trials = own.trials as f64;
    let expected = trials * share;
    let variance = expected * (1.0 - share);
    Some(Test {
        cases: own.trials,
        observed: own.events as f64,
        expected,
        ratio: Some(own.events as f64 / expected),
        z: (own.events as f64 - expected) / variance.sqrt(),
        p_value: binomial_upper_tail(own.events, own.trials, share),
        q_value: 1.0,
        flagged: false,
    })
}

/// P(X >= events) for X binomial with `trials` and `share` (0 < share < 1), summed in logs.
pub fn binomial_upper_tail(events: u64, trials: u64, share: f64) -> f64 {
    if events == 0 {
        return 1.0;
    }
    let n = trials as f64;
    let log_pmf = |k: f64| {
        libm::lgamma(n + 1.0) - libm::lgamma(k + 1.0) - libm::lgamma(n - k + 1.0)
            + k * share.ln()
            + (n - k) * (1.0 - share).ln()
    };
    let mean = n * share;
    let spread = (mean * (1.0 - share)).sqrt();
    // Far below the mean, the tail holds all but a vanishing part.
    if (events as f64) < mean - 12.0 * spread - 1.0 {
        return 1.0;
    }
    // Past the mode the terms fall: stop once they add nothing an f64 can hold.
    let mut tail = 0.0;
    for k in events..=trials {
        let term = log_pmf(k as f64).exp();
        tail += term;
        // (A first term too small for an f64 is 0: then so is every later one past the mean.)
        if k as f64 > mean && (term == 0.0 || term < tail * 1e-17) {
            break;
        }
    }
    tail.min(1.0)
}

/// The fewest peers' claims a facility is compared with, in a cell or a rate.
const FEWEST_PEERS: u64 = 5;

/// The one-sided normal test of `observed` above `expected` with `variance` (above 0).
fn test(cases: u64, observed: f64, expected: f64, variance: f64) -> Test {
    let z = (observed - expected) / variance.sqrt();
    Test {
        cases,
        observed,
        expected,
        ratio: (expected > 0.0).then(|| observed / expected),
        z,
        p_value: upper_tail(z),
        q_value: 1.0,
        flagged: false,
    }
}

/// P(Z > z) for a standard normal Z.
pub fn upper_tail(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

/// Sets each test's q-value (Benjamini-Hochberg: the smallest false discovery rate at which it
/// would be flagged) and flags those at or under `fdr`.
fn benjamini_hochberg(tests: &mut [Option<Test>], fdr: f64) {
    let mut order: Vec<usize> = (0..tests.len()).filter(|&i| tests[i].is_some()).collect();
    let m = order.len() as f64;
    let p: Vec<f64> = tests.iter().map(|t| t.map_or(1.0, |t| t.p_value)).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p[i] * m / (rank + 1) as f64);
        if let Some(test) = &mut tests[i] {
            test.q_value = running;
            test.flagged = running <= fdr;
        }
    }
}

#[cfg(test)]
mod tests;
