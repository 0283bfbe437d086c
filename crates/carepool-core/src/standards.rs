//! How a scheme's benefit package stands against the ILO's standards on medical care:
//! Convention 102 (Part II), Convention 130 with Recommendation 134, and Recommendation 202.
//! Each point is met, not met, or cannot be told from the scheme's data, with the reason
//! (docs/STANDARDS.md gives the sources' wording in short, with their articles).

use crate::claims::verify::PREGNANCY_CODES;
use crate::registry::FacilityLevel;
use crate::scheme::{
    BenefitCategory, BenefitPackage, CareSetting, CostSharing, ExemptGroup, SchemeDefinition,
};
use serde::Serialize;

/// Where a point stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    NotMet,
    CannotTell,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "not met",
            Verdict::CannotTell => "cannot tell",
        }
    }
}

/// One requirement of one instrument, and how the scheme stands against it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// C102, C130, R134 or R202.
    pub instrument: &'static str,
    /// The article or paragraph, as the instrument numbers it.
    pub article: &'static str,
    pub topic: &'static str,
    /// What it asks, in short.
    pub requirement: &'static str,
    pub verdict: Verdict,
    /// Why, from the scheme's data.
    pub reason: String,
}

/// A scheme's package against the standards, as written to a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandardsReport {
    pub scheme: String,
    pub scheme_name: String,
    /// The version checked: the one in force on `as_of`.
    pub version_from: chrono::NaiveDate,
    pub package: String,
    pub as_of: chrono::NaiveDate,
    pub protected: Option<Protected>,
    pub points: Vec<Point>,
}

/// The people covered against the population the scheme is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Protected {
    pub covered: u64,
    pub target: u64,
}

impl Protected {
    fn share(self) -> Option<f64> {
        (self.target > 0).then(|| self.covered as f64 / self.target as f64)
    }
}

/// Every point, in the order of docs/STANDARDS.md, for `package` of `scheme`; `protected`
/// when the coverage is known (from a database, or given).
pub fn check(
    scheme: &SchemeDefinition,
    package: &BenefitPackage,
    protected: Option<Protected>,
) -> Vec<Point> {
    let mut points = persons_protected(protected);
    points.extend(benefits(package));
    points.extend(cost_sharing(scheme, package));
    points.extend(qualifying_periods(scheme, package));
    points.extend(duration(scheme, package));
    points
}

fn point(
    (instrument, article, topic, requirement): (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ),
    verdict: Verdict,
    reason: impl Into<String>,
) -> Point {
    Point {
        instrument,
        article,
        topic,
        requirement,
        verdict,
        reason: reason.into(),
    }
}

type Source = (&'static str, &'static str, &'static str, &'static str);

const C102_PERSONS: Source = (
    "C102",
    "Art. 9",
    "persons protected",
    "classes of employees making up at least 50% of all employees, or classes of the economically active making up 20% of residents (with their wives and children), or classes of residents making up 50% of residents",
);
const C130_PERSONS: Source = (
    "C130",
    "Art. 10",
    "persons protected",
    "all employees, or classes of the economically active making up 75% of them, or classes of residents making up 75% of residents",
);
const R202_PERSONS: Source = (
    "R202",
    "Para. 5(a), 6",
    "persons protected",
    "universal protection: essential health care for at least all residents",
);

fn persons_protected(protected: Option<Protected>) -> Vec<Point> {
    let Some(share) = protected.and_then(Protected::share) else {
        let why = match protected {
            Some(_) => "the target population is 0".to_string(),
            None => "the coverage is not known: a database with the target population (carepool import target_population), or --covered and --target".to_string(),
        };
        return [C102_PERSONS, C130_PERSONS, R202_PERSONS]
            .into_iter()
            .map(|source| point(source, Verdict::CannotTell, why.clone()))
            .collect();
    };
    let protected = protected.expect("a share comes from a count");
    let covered = format!(
        "{} of a target population of {} covered ({:.1}%)",
        protected.covered,
        protected.target,
        share * 100.0
    );
    let against = |threshold: f64, source: Source| {
        let verdict = if share >= threshold {
            Verdict::Met
        } else {
            Verdict::NotMet
        };
        let word = if share >= threshold {
            "at least"
        } else {
            "below"
        };
        point(
            source,
            verdict,
            format!("{covered}: {word} {:.0}%", threshold * 100.0),
        )
    };
    // The members counted are the protected with their dependants: Art. 9(c)'s 50% of residents
    // holds them as they are; Art. 9(b)'s 20% counts only the economically active, whom the
    // count does not tell apart.
    let c102 = if share >= 0.5 {
        against(0.5, C102_PERSONS)
    } else if share >= 0.2 {
        point(
            C102_PERSONS,
            Verdict::CannotTell,
            format!(
                "{covered}: below 50% of residents (Art. 9(c)); 20% (Art. 9(b)) counts the economically active covered, without their dependants, which the data do not tell apart"
            ),
        )
    } else {
        against(0.2, C102_PERSONS)
    };
    vec![
        c102,
        against(0.75, C130_PERSONS),
        against(1.0, R202_PERSONS),
    ]
}

fn covers(category: &BenefitCategory, setting: CareSetting) -> bool {
    category.settings.contains(&setting)
}

/// Whether a category pays for maternity care: open to the maternity clinical category (named,
/// or every one), and to pregnancy's diagnoses (no conditions, or one that holds them).
fn covers_maternity(category: &BenefitCategory) -> bool {
    let clinical = category.clinical_categories.is_empty()
        || (category.clinical_categories.iter()).any(|c| c == "maternity");
    let pregnancy = |condition: &String| {
        (PREGNANCY_CODES.iter())
            .any(|p| condition.starts_with(p) || p.starts_with(condition.as_str()))
    };
    clinical && (category.conditions.is_empty() || category.conditions.iter().any(pregnancy))
}

/// Whether a category is for medicines, by its code or name: the scheme file has no other
/// sign of it.
fn is_for_medicines(category: &BenefitCategory) -> bool {
    let words = format!("{} {}", category.code, category.name).to_lowercase();
    ["medicine", "pharma", "drug"]
        .iter()
        .any(|w| words.contains(w))
}

fn names<'a>(categories: impl Iterator<Item = &'a BenefitCategory>) -> String {
    let names: Vec<&str> = categories.map(|c| c.code.as_str()).collect();
    names.join(", ")
}

fn benefits(package: &BenefitPackage) -> Vec<Point> {
    const GP: Source = (
        "C102",
        "Art. 10(1)(a)",
        "general practitioner care",
        "general practitioner care, including visits at home",
    );
    const SPECIALIST: Source = (
        "C102",
        "Art. 10(1)(a)",
        "specialist care",
        "specialist care at hospitals for in-patients and out-patients",
    );
    const MEDICINES: Source = (
        "C102",
        "Art. 10(1)(a)",
        "essential medicines",
        "essential pharmaceutical supplies",
    );
    const HOSPITAL: Source = (
        "C102",
        "Art. 10(1)(a)",
        "hospitalisation",
        "hospitalisation where necessary",
    );
    const MATERNITY: Source = (
        "C102",
        "Art. 10(1)(b)",
        "maternity care",
        "pre-natal, confinement and post-natal care, and hospitalisation where necessary",
    );
    let categories = &package.categories;
    let outpatient: Vec<&BenefitCategory> = (categories.iter())
        .filter(|c| covers(c, CareSetting::Outpatient))
        .collect();
    let inpatient: Vec<&BenefitCategory> = (categories.iter())
        .filter(|c| covers(c, CareSetting::Inpatient))
        .collect();
    let mut points = Vec::new();
    points.push(if outpatient.is_empty() {
        point(
            GP,
            Verdict::NotMet,
            "no benefit category pays for outpatient care",
        )
    } else {
        point(
            GP,
            Verdict::Met,
            format!("outpatient care in {}", names(outpatient.iter().copied())),
        )
    });
    // Outpatient care at a hospital: a price at a hospital's level, or at every level.
    let outpatient_prices: Vec<_> = (package.tariff.iter())
        .filter(|line| outpatient.iter().any(|c| c.code == line.benefit_category))
        .collect();
    let at_hospital = (outpatient_prices.iter()).any(|line| {
        line.level
            .is_none_or(|level| level != FacilityLevel::HealthCentre)
    });
    points.push(match (inpatient.is_empty(), outpatient.is_empty(), at_hospital) {
        (true, _, _) => point(SPECIALIST, Verdict::NotMet, "no benefit category pays for inpatient care"),
        (false, true, _) => point(SPECIALIST, Verdict::NotMet, "no benefit category pays for outpatients"),
        (false, false, false) if outpatient_prices.is_empty() => point(
            SPECIALIST,
            Verdict::CannotTell,
            "the tariff prices no outpatient service: where outpatients are seen cannot be told",
        ),
        (false, false, false) => point(
            SPECIALIST,
            Verdict::NotMet,
            "outpatient care is priced at health centres only: no outpatient specialist care at a hospital",
        ),
        (false, false, true) => point(
            SPECIALIST,
            Verdict::Met,
            "inpatient care, and outpatient care priced at hospitals",
        ),
    });
    let medicines: Vec<&BenefitCategory> =
        categories.iter().filter(|c| is_for_medicines(c)).collect();
    points.push(if medicines.is_empty() {
        point(
            MEDICINES,
            Verdict::CannotTell,
            "no benefit category is named for medicines: give essential medicines a category of their own to show it",
        )
    } else {
        point(MEDICINES, Verdict::Met, format!("in {}", names(medicines.into_iter())))
    });
    points.push(if inpatient.is_empty() {
        point(
            HOSPITAL,
            Verdict::NotMet,
            "no benefit category pays for inpatient care",
        )
    } else {
        point(
            HOSPITAL,
            Verdict::Met,
            format!("in {}", names(inpatient.iter().copied())),
        )
    });
    let maternity_out = outpatient.iter().any(|c| covers_maternity(c));
    let maternity_in = inpatient.iter().any(|c| covers_maternity(c));
    points.push(match (maternity_out, maternity_in) {
        (true, true) => point(
            MATERNITY,
            Verdict::Met,
            format!(
                "maternity care as outpatients and inpatients in {}",
                names(categories.iter().filter(|c| covers_maternity(c)))
            ),
        ),
        (false, true) => point(
            MATERNITY,
            Verdict::NotMet,
            "confinement only: no category pays for pre- and post-natal care as outpatients",
        ),
        (true, false) => point(
            MATERNITY,
            Verdict::NotMet,
            "pre- and post-natal care only: no category pays for confinement in hospital",
        ),
        (false, false) => point(
            MATERNITY,
            Verdict::NotMet,
            "no category pays for maternity care",
        ),
    });
    points
}

/// Whether `group` pays nothing in `category`: it shares no cost, or exempts the group (the
/// poor only when the scheme says who is poor: otherwise nobody is).
fn spared(scheme: &SchemeDefinition, category: &BenefitCategory, group: ExemptGroup) -> bool {
    let defined = group != ExemptGroup::Poor || scheme.exemptions.poor_poverty_score_max.is_some();
    category.cost_sharing == CostSharing::None || (category.exempt.contains(&group) && defined)
}

fn cost_sharing(scheme: &SchemeDefinition, package: &BenefitPackage) -> Vec<Point> {
    const MATERNITY_FREE: Source = (
        "C102",
        "Art. 10(2)",
        "cost sharing",
        "cost sharing only for care of a morbid condition: none for pregnancy and confinement",
    );
    const NO_HARDSHIP: Source = (
        "C102",
        "Art. 10(2)",
        "cost sharing",
        "cost sharing designed to avoid hardship",
    );
    const VULNERABLE: Source = (
        "R202",
        "Para. 8(a)",
        "cost sharing",
        "essential health care without hardship; free pre- and post-natal care for the most vulnerable",
    );
    let categories = &package.categories;
    let maternity: Vec<&BenefitCategory> =
        categories.iter().filter(|c| covers_maternity(c)).collect();
    let charged: Vec<&BenefitCategory> = (maternity.iter().copied())
        .filter(|c| !spared(scheme, c, ExemptGroup::Pregnant))
        .collect();
    let mut points = vec![if maternity.is_empty() {
        point(
            MATERNITY_FREE,
            Verdict::CannotTell,
            "no category pays for maternity care",
        )
    } else if charged.is_empty() {
        point(
            MATERNITY_FREE,
            Verdict::Met,
            "pregnant women pay nothing for maternity care",
        )
    } else {
        point(
            MATERNITY_FREE,
            Verdict::NotMet,
            format!(
                "pregnant women share the cost in {}, open to maternity care",
                names(charged.into_iter())
            ),
        )
    }];
    let sharing: Vec<&BenefitCategory> = (categories.iter())
        .filter(|c| c.cost_sharing != CostSharing::None)
        .collect();
    let poor_paying: Vec<&BenefitCategory> = (sharing.iter().copied())
        .filter(|c| !c.exempt.contains(&ExemptGroup::Poor))
        .collect();
    let poor_defined = scheme.exemptions.poor_poverty_score_max.is_some();
    points.push(if sharing.is_empty() {
        point(NO_HARDSHIP, Verdict::Met, "no category shares the cost")
    } else if !poor_paying.is_empty() {
        point(
            NO_HARDSHIP,
            Verdict::CannotTell,
            format!(
                "the poor share the cost in {}: whether it is a hardship depends on the amounts and on their means",
                names(poor_paying.into_iter())
            ),
        )
    } else if !poor_defined {
        point(
            NO_HARDSHIP,
            Verdict::CannotTell,
            "the poor are exempt, but the scheme says no poverty score under which one is poor ([exemptions] poor_poverty_score_max)",
        )
    } else {
        point(
            NO_HARDSHIP,
            Verdict::Met,
            format!(
                "the poor are exempt wherever the cost is shared ({})",
                names(sharing.into_iter())
            ),
        )
    });
    let vulnerable_paying: Vec<&BenefitCategory> = (maternity.iter().copied())
        .filter(|c| covers(c, CareSetting::Outpatient))
        .filter(|c| {
            !spared(scheme, c, ExemptGroup::Poor) && !spared(scheme, c, ExemptGroup::Pregnant)
        })
        .collect();
    let prenatal = maternity.iter().any(|c| covers(c, CareSetting::Outpatient));
    points.push(if !prenatal {
        point(
            VULNERABLE,
            Verdict::NotMet,
            "no category pays for pre- and post-natal care",
        )
    } else if vulnerable_paying.is_empty() {
        point(
            VULNERABLE,
            Verdict::Met,
            "pre- and post-natal care is free for pregnant women or the poor",
        )
    } else {
        point(
            VULNERABLE,
            Verdict::NotMet,
            format!(
                "the poor and pregnant women share the cost of pre- and post-natal care in {}",
                names(vulnerable_paying.into_iter())
            ),
        )
    });
    points
}

fn qualifying_periods(scheme: &SchemeDefinition, package: &BenefitPackage) -> Vec<Point> {
    const C102_QUALIFYING: Source = (
        "C102",
        "Art. 11",
        "qualifying period",
        "no longer than needed to preclude abuse",
    );
    const R134_QUALIFYING: Source = (
        "R134",
        "Para. 7",
        "qualifying period",
        "no qualifying period for medical care",
    );
    let waits: Vec<String> = (scheme.coverage.waiting_periods.iter())
        .filter(|w| w.days > 0)
        .filter(|w| (package.categories.iter()).any(|c| c.code == w.benefit_category))
        .map(|w| format!("{} {} days", w.benefit_category, w.days))
        .collect();
    if waits.is_empty() {
        return vec![
            point(C102_QUALIFYING, Verdict::Met, "no waiting period"),
            point(R134_QUALIFYING, Verdict::Met, "no waiting period"),
        ];
    }
    let listed = waits.join(", ");
    vec![
        point(
            C102_QUALIFYING,
            Verdict::CannotTell,
            format!(
                "waiting periods ({listed}): whether each only precludes abuse is the scheme's to show"
            ),
        ),
        point(
            R134_QUALIFYING,
            Verdict::NotMet,
            format!("waiting periods: {listed}"),
        ),
    ]
}

fn duration(scheme: &SchemeDefinition, package: &BenefitPackage) -> Vec<Point> {
    const C102_DURATION: Source = (
        "C102",
        "Art. 12",
        "duration",
        "care throughout the condition; may be limited to 26 weeks a case",
    );
    let limited: Vec<String> = (package.categories.iter())
        .filter_map(|c| {
            let limit = c.limit.as_ref()?;
            Some(format!(
                "{} {} {} a {} a coverage period",
                c.code,
                limit.amount,
                scheme.currency,
                limit.per.as_str()
            ))
        })
        .collect();
    vec![if limited.is_empty() {
        point(
            C102_DURATION,
            Verdict::Met,
            "no limit: care lasts as long as the condition",
        )
    } else {
        point(
            C102_DURATION,
            Verdict::CannotTell,
            format!(
                "limits ({}) may end care before 26 weeks of a case, depending on its cost",
                limited.join(", ")
            ),
        )
    }]
}

#[cfg(test)]
mod tests;
