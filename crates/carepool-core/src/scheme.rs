//! A scheme's definition: who may enrol, what they pay, and what the benefit packages cover.
//!
//! One definition is one *version* of a scheme, in force from its `effective_from` date until the
//! next version's. Versions are never rewritten: a reform is a new version.

use crate::claims::intake::{MAX_CLAIMED, MAX_UNIT_PRICE};
use crate::grievances::GrievanceRules;
use crate::money::Money;
use crate::registry::{FacilityLevel, Payer, Sex, check_code, check_currency, check_language};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemeDefinition {
    pub code: String,
    pub name: String,
    pub kind: SchemeKind,
    /// ISO 4217 code; amounts are kept in hundredths of it.
    pub currency: String,
    /// The language of the pages for users without one of their own (a tag: en, fr).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The date this version of the rules takes effect.
    pub effective_from: NaiveDate,
    pub enrolment_unit: EnrolmentUnit,
    pub family: FamilyRules,
    #[serde(default)]
    pub eligibility: EligibilityRules,
    pub coverage: CoverageRules,
    #[serde(default)]
    pub contributions: ContributionRules,
    #[serde(default)]
    pub exemptions: ExemptionRules,
    /// Which claims go to a medical reviewer before they are paid.
    #[serde(default)]
    pub review: ReviewRules,
    /// The grievances the scheme hears and how soon it settles them.
    #[serde(default)]
    pub grievances: GrievanceRules,
    pub packages: Vec<BenefitPackage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemeKind {
    NationalHealthInsurance,
    SubsidisedProgramme,
    MutualHealthOrganisation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentUnit {
    Family,
    Individual,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyRules {
    /// Who makes up a family unit, in the scheme's words.
    pub definition: String,
    /// Children are dependants up to this age (exclusive).
    #[serde(default)]
    pub child_max_age: Option<u32>,
    #[serde(default)]
    pub max_members: Option<u32>,
}

/// A family (or member) is eligible when any stated rule holds; with no rule, everyone is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibilityRules {
    /// Eligible when the household's poverty score is at or below this.
    #[serde(default)]
    pub poverty_score_max: Option<f64>,
    /// Eligible when a member belongs to one of these categories.
    #[serde(default)]
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageRules {
    /// Length of a coverage year (limits are counted per coverage period), in months.
    #[serde(default = "twelve")]
    pub period_months: u32,
    /// Days cover continues after a contribution falls due unpaid.
    #[serde(default)]
    pub grace_days: u32,
    #[serde(default)]
    pub waiting_periods: Vec<WaitingPeriod>,
}

fn twelve() -> u32 {
    12
}

/// No cover for a benefit category until `days` after enrolment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitingPeriod {
    pub benefit_category: String,
    pub days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionRules {
    /// Contributions fall due every this many months, from the family's first day of cover.
    #[serde(default = "twelve")]
    pub frequency_months: u32,
    /// A member is a child for per-child rates below this age (on the first day of the period).
    #[serde(default = "eighteen")]
    pub child_under_age: u32,
    #[serde(default)]
    pub rules: Vec<ContributionRule>,
}

fn eighteen() -> u32 {
    18
}

impl Default for ContributionRules {
    fn default() -> Self {
        ContributionRules {
            frequency_months: 12,
            child_under_age: 18,
            rules: vec![],
        }
    }
}

/// One amount that falls due each contribution period, from one payer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionRule {
    pub payer: Payer,
    pub basis: ContributionBasis,
    /// The amount per period, for per_family, per_member, per_adult and per_child.
    #[serde(default)]
    pub amount: Option<Money>,
    /// Share of the monthly wage, for wage_percent.
    #[serde(default)]
    pub percent: Option<Percent>,
    /// Monthly floor and ceiling of a wage_percent contribution.
    #[serde(default)]
    pub floor: Option<Money>,
    #[serde(default)]
    pub ceiling: Option<Money>,
    /// Applies only to members of this category (a family: when one of its members is).
    #[serde(default)]
    pub category: Option<String>,
    /// Applies only to members outside this category (a family: when none of its members is in it).
    #[serde(default)]
    pub except_category: Option<String>,
    /// Applies only to families whose poverty score is at or below this.
    #[serde(default)]
    pub poverty_score_max: Option<f64>,
    /// Applies only to families whose poverty score is above this (or unknown).
    #[serde(default)]
    pub poverty_score_above: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributionBasis {
    PerFamily,
    PerMember,
    PerAdult,
    PerChild,
    WagePercent,
}

/// Groups exempt from cost sharing, as the scheme defines them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExemptionRules {
    /// A family counts as poor when its poverty score is at or below this.
    #[serde(default)]
    pub poor_poverty_score_max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenefitPackage {
    pub code: String,
    pub name: String,
    pub categories: Vec<BenefitCategory>,
    /// A CSV file with the tariff, relative to the scheme file; read into `tariff` when loaded.
    #[serde(default, skip_serializing)]
    pub tariff_file: Option<String>,
    #[serde(default)]
    pub tariff: Vec<TariffItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenefitCategory {
    pub code: String,
    pub name: String,
    pub settings: Vec<CareSetting>,
    /// Clinical categories covered (medical, surgical, maternity, diagnostics, ...); empty: any.
    #[serde(default)]
    pub clinical_categories: Vec<String>,
    /// Priority conditions covered, as ICD-10 code prefixes; empty: any.
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    pub limit: Option<AnnualLimit>,
    #[serde(default)]
    pub limit_raising: Vec<LimitRaising>,
    #[serde(default)]
    pub cost_sharing: CostSharing,
    #[serde(default)]
    pub exempt: Vec<ExemptGroup>,
    #[serde(default)]
    pub allowances: Vec<Allowance>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareSetting {
    Inpatient,
    Outpatient,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualLimit {
    pub amount: Money,
    pub per: LimitUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitUnit {
    Family,
    Member,
}

impl LimitUnit {
    /// The name in the scheme file.
    pub fn as_str(self) -> &'static str {
        match self {
            LimitUnit::Family => "family",
            LimitUnit::Member => "member",
        }
    }
}

/// A case in which a claim may go above the annual limit, up to a second tranche.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitRaising {
    pub case: String,
    pub up_to: Money,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CostSharing {
    #[default]
    None,
    /// A fixed amount per visit or stay.
    Fixed { amount: Money },
    /// A share of the approved amount.
    Percent { percent: Percent },
    /// A fixed amount per visit or stay that depends on the facility's level.
    ByLevel {
        amounts: BTreeMap<FacilityLevel, Money>,
    },
    /// The member pays the first `amount` of each coverage year.
    Deductible { amount: Money },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExemptGroup {
    Poor,
    Pregnant,
    UnderFive,
}

impl ExemptGroup {
    /// The name in the scheme file.
    pub fn as_str(self) -> &'static str {
        match self {
            ExemptGroup::Poor => "poor",
            ExemptGroup::Pregnant => "pregnant",
            ExemptGroup::UnderFive => "under_five",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allowance {
    pub kind: AllowanceKind,
    pub amount: Money,
    pub per: AllowanceUnit,
    #[serde(default)]
    pub when: AllowanceCondition,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowanceKind {
    Transport,
    Food,
}

impl AllowanceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AllowanceKind::Transport => "transport",
            AllowanceKind::Food => "food",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowanceUnit {
    Discharge,
    Day,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowanceCondition {
    #[default]
    Always,
    /// The patient lives outside the facility's district.
    NonLocal,
    /// The patient is a woman discharged after a delivery.
    AfterDelivery,
}

/// One line of a tariff: the most the scheme pays for a service, per facility level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TariffItem {
    pub service_code: String,
    pub description: String,
    pub benefit_category: String,
    /// The level the price applies to; none: every level.
    #[serde(default)]
    pub level: Option<FacilityLevel>,
    pub price: Money,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub min_age: Option<u32>,
    #[serde(default)]
    pub max_age: Option<u32>,
    /// At most one approved line of this service (or of its `frequency_group`) per member in
    /// this many months (a delivery: 9).
    #[serde(default)]
    pub once_per_months: Option<u32>,
    /// Services that share one frequency limit (a normal delivery and a caesarean section).
    #[serde(default)]
    pub frequency_group: Option<String>,
}

/// Claims selected for medical review; a claim under review is not paid until a reviewer decides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRules {
    /// A random share of claims, drawn from the claim's identity (the same claim is always
    /// drawn the same way).
    #[serde(default)]
    pub random_percent: Option<Percent>,
    /// Claims whose claimed amount is above this.
    #[serde(default)]
    pub amount_above: Option<Money>,
    /// Claims whose length of stay or claimed amount is more than `norm_factor` times the norm of
    /// their specialty (or clinical category).
    #[serde(default)]
    pub norm_factor: Option<f64>,
    #[serde(default)]
    pub norms: Vec<ReviewNorm>,
}

/// The usual length of stay and cost of a stay in one specialty or clinical category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewNorm {
    pub specialty: String,
    #[serde(default)]
    pub length_of_stay_days: Option<u32>,
    #[serde(default)]
    pub cost: Option<Money>,
}

/// A percentage kept exactly, in hundredths of a per cent; written as a number (2.5 = 2.5%).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(u32);

impl Percent {
    pub fn from_basis_points(basis_points: u32) -> Percent {
        Percent(basis_points)
    }

    pub fn basis_points(self) -> u32 {
        self.0
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(f64::from(self.0) / 100.0)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Percent, D::Error> {
        let value = f64::deserialize(deserializer)?;
        let basis_points = value * 100.0;
        if !(0.0..=10_000.0).contains(&value) || (basis_points - basis_points.round()).abs() > 1e-6
        {
            return Err(serde::de::Error::custom(format!(
                "{value} is not a percentage between 0 and 10000 with at most two decimals"
            )));
        }
        Ok(Percent(basis_points.round() as u32))
    }
}

/// A rule the definition breaks, with the path of the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SchemeError {
    pub path: String,
    pub message: String,
}

impl SchemeDefinition {
    /// Checks the rules a definition must keep beyond its shape; lists every problem found.
    pub fn validate(&self) -> Result<(), Vec<SchemeError>> {
        let mut errors = Vec::new();
        let mut fail = |path: String, message: String| errors.push(SchemeError { path, message });

        if let Err(e) = check_code("code", &self.code) {
            fail("code".into(), e.message);
        }
        if let Err(e) = check_currency("currency", &self.currency) {
            fail("currency".into(), e.message);
        }
        if let Some(Err(e)) = self
            .language
            .as_deref()
            .map(|l| check_language("language", l))
        {
            fail("language".into(), e.message);
        }
        if self.coverage.period_months == 0 {
            fail("coverage.period_months".into(), "must be at least 1".into());
        }
        if self.contributions.frequency_months == 0 {
            fail(
                "contributions.frequency_months".into(),
                "must be at least 1".into(),
            );
        }
        for (field, score) in [
            (
                "eligibility.poverty_score_max",
                self.eligibility.poverty_score_max,
            ),
            (
                "exemptions.poor_poverty_score_max",
                self.exemptions.poor_poverty_score_max,
            ),
        ] {
            if score.is_some_and(|s| !(0.0..=100.0).contains(&s)) {
                fail(field.into(), "must lie between 0 and 100".into());
            }
        }
        for (i, rule) in self.contributions.rules.iter().enumerate() {
            let path = format!("contributions.rules[{i}]");
            if let Err(message) = rule.check() {
                fail(path, message);
            }
        }
        if self.packages.is_empty() {
            fail(
                "packages".into(),
                "a scheme needs at least one benefit package".into(),
            );
        }
        let mut package_codes = HashSet::new();
        let mut category_codes_in_scheme = HashSet::new();
        for (p, package) in self.packages.iter().enumerate() {
            let path = format!("packages[{p}]");
            if !package_codes.insert(package.code.as_str()) {
                fail(
                    format!("{path}.code"),
                    format!("package '{}' is defined twice", package.code),
                );
            }
            let mut category_codes = HashSet::new();
            for (c, category) in package.categories.iter().enumerate() {
                let path = format!("{path}.categories[{c}]");
                if !category_codes.insert(category.code.as_str()) {
                    fail(
                        format!("{path}.code"),
                        format!("category '{}' is defined twice", category.code),
                    );
                }
                category_codes_in_scheme.insert(category.code.as_str());
                for (field, message) in category.problems() {
                    fail(format!("{path}.{field}"), message);
                }
            }
            let mut priced = HashSet::new();
            for (t, item) in package.tariff.iter().enumerate() {
                let path = format!("{path}.tariff[{t}]");
                if !category_codes.contains(item.benefit_category.as_str()) {
                    fail(
                        format!("{path}.benefit_category"),
                        format!(
                            "'{}' is not a category of package '{}'",
                            item.benefit_category, package.code
                        ),
                    );
                }
                if !priced.insert((item.service_code.as_str(), item.level)) {
                    fail(
                        format!("{path}.service_code"),
                        format!("'{}' is priced twice for the same level", item.service_code),
                    );
                }
                if item.price.is_negative() {
                    fail(format!("{path}.price"), "must not be negative".into());
                }
                if item.price > MAX_UNIT_PRICE {
                    fail(
                        format!("{path}.price"),
                        format!(
                            "{} is above the largest price a tariff may set, {}",
                            item.price.grouped(),
                            MAX_UNIT_PRICE.grouped()
                        ),
                    );
                }
                if item.once_per_months == Some(0) {
                    fail(
                        format!("{path}.once_per_months"),
                        "must be at least 1".into(),
                    );
                }
                if item.frequency_group.is_some() && item.once_per_months.is_none() {
                    fail(
                        format!("{path}.frequency_group"),
                        "a frequency group needs once_per_months".into(),
                    );
                }
                if let (Some(min), Some(max)) = (item.min_age, item.max_age)
                    && min > max
                {
                    fail(
                        format!("{path}.min_age"),
                        format!("{min} is above max_age {max}"),
                    );
                }
            }
        }
        for (field, message) in self.review.problems() {
            fail(format!("review.{field}"), message);
        }
        for (i, waiting) in self.coverage.waiting_periods.iter().enumerate() {
            if !category_codes_in_scheme.contains(waiting.benefit_category.as_str()) {
                fail(
                    format!("coverage.waiting_periods[{i}].benefit_category"),
                    format!(
                        "'{}' is not a benefit category of any package",
                        waiting.benefit_category
                    ),
                );
            }
        }
        for (path, message) in self.grievances.problems() {
            fail(path, message);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub fn package(&self, code: &str) -> Option<&BenefitPackage> {
        self.packages.iter().find(|p| p.code == code)
    }
}

impl ReviewRules {
    fn problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        if self
            .random_percent
            .is_some_and(|p| p.basis_points() > 10_000)
        {
            problems.push(("random_percent".into(), "cannot exceed 100".into()));
        }
        if self.amount_above.is_some_and(|a| a <= Money::ZERO) {
            problems.push(("amount_above".into(), "must be positive".into()));
        }
        match self.norm_factor {
            Some(factor) if !(factor.is_finite() && factor >= 1.0) => problems.push((
                "norm_factor".into(),
                "must be a number of at least 1".into(),
            )),
            None if !self.norms.is_empty() => problems.push((
                "norm_factor".into(),
                "norms need a norm_factor (how far above the norm a claim goes to review)".into(),
            )),
            _ => {}
        }
        let mut seen = HashSet::new();
        for (i, norm) in self.norms.iter().enumerate() {
            if !seen.insert(norm.specialty.as_str()) {
                problems.push((
                    format!("norms[{i}].specialty"),
                    format!("'{}' has two norms", norm.specialty),
                ));
            }
            if norm.length_of_stay_days == Some(0) || norm.cost.is_some_and(|c| c <= Money::ZERO) {
                problems.push((format!("norms[{i}]"), "norms must be positive".into()));
            }
        }
        problems
    }
}

impl ContributionRule {
    fn check(&self) -> Result<(), String> {
        let per_head = self.basis != ContributionBasis::WagePercent;
        match (per_head, self.amount, self.percent) {
            (true, None, _) => return Err("this basis needs an amount".into()),
            (true, _, Some(_)) => return Err("a percent goes only with basis wage_percent".into()),
            (false, _, None) => return Err("wage_percent needs a percent".into()),
            (false, Some(_), _) => return Err("wage_percent takes a percent, not an amount".into()),
            _ => {}
        }
        if self.amount.is_some_and(Money::is_negative) {
            return Err("amount must not be negative".into());
        }
        if let (Some(floor), Some(ceiling)) = (self.floor, self.ceiling)
            && floor > ceiling
        {
            return Err(format!("floor {floor} is above ceiling {ceiling}"));
        }
        Ok(())
    }
}

impl BenefitCategory {
    fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if let Err(e) = check_code("code", &self.code) {
            problems.push(("code", e.message));
        }
        if self.settings.is_empty() {
            problems.push(("settings", "name inpatient, outpatient or both".into()));
        }
        if let Some(limit) = &self.limit
            && limit.amount <= Money::ZERO
        {
            problems.push(("limit.amount", "must be positive".into()));
        }
        for raising in &self.limit_raising {
            match &self.limit {
                None => problems.push((
                    "limit_raising",
                    "raises a limit the category does not have".into(),
                )),
                Some(limit) if raising.up_to <= limit.amount => problems.push((
                    "limit_raising",
                    format!(
                        "case '{}' raises to {} which is not above the limit {}",
                        raising.case, raising.up_to, limit.amount
                    ),
                )),
                Some(_) => {}
            }
        }
        let sharing: Vec<Money> = match &self.cost_sharing {
            CostSharing::None | CostSharing::Percent { .. } => vec![],
            CostSharing::Fixed { amount } | CostSharing::Deductible { amount } => vec![*amount],
            CostSharing::ByLevel { amounts } => amounts.values().copied().collect(),
        };
        if sharing.iter().any(|a| a.is_negative()) {
            problems.push(("cost_sharing", "amounts must not be negative".into()));
        }
        // What a claim may claim bounds every other amount of a category: an amount past it
        // could only be a slip, and would take sums of money past their range.
        let too_large = |amounts: &[Money]| amounts.iter().any(|&a| a > MAX_CLAIMED);
        let limits: Vec<Money> = self
            .limit
            .iter()
            .map(|l| l.amount)
            .chain(self.limit_raising.iter().map(|r| r.up_to))
            .collect();
        let allowances: Vec<Money> = self.allowances.iter().map(|a| a.amount).collect();
        for (field, amounts) in [
            ("cost_sharing", &sharing),
            ("limit", &limits),
            ("allowances", &allowances),
        ] {
            if too_large(amounts) {
                problems.push((
                    field,
                    format!("amounts are at most {}", MAX_CLAIMED.grouped()),
                ));
            }
        }
        if matches!(self.cost_sharing, CostSharing::Percent { percent } if percent.basis_points() > 10_000)
        {
            problems.push(("cost_sharing.percent", "cannot exceed 100".into()));
        }
        if self.allowances.iter().any(|a| a.amount.is_negative()) {
            problems.push(("allowances", "amounts must not be negative".into()));
        }
        problems
    }
}

/// The version in force on `date`: the latest whose effective date is on or before it.
pub fn version_in_force(
    versions: &[SchemeDefinition],
    date: NaiveDate,
) -> Option<&SchemeDefinition> {
    versions
        .iter()
        .filter(|v| v.effective_from <= date)
        .max_by_key(|v| v.effective_from)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn minimal_scheme() -> SchemeDefinition {
        SchemeDefinition {
            code: "mho".into(),
            name: "Test mutual".into(),
            kind: SchemeKind::MutualHealthOrganisation,
            currency: "XOF".into(),
            language: None,
            effective_from: "2024-01-01".parse().unwrap(),
            enrolment_unit: EnrolmentUnit::Family,
            family: FamilyRules {
                definition: "head, spouses, children".into(),
                child_max_age: Some(18),
                max_members: None,
            },
            eligibility: EligibilityRules::default(),
            coverage: CoverageRules {
                period_months: 12,
                grace_days: 30,
                waiting_periods: vec![],
            },
            contributions: ContributionRules::default(),
            exemptions: ExemptionRules::default(),
            review: ReviewRules::default(),
            grievances: GrievanceRules::default(),
            packages: vec![BenefitPackage {
                code: "basic".into(),
                name: "Basic".into(),
                tariff_file: None,
                tariff: vec![],
                categories: vec![BenefitCategory {
                    code: "ip".into(),
                    name: "Inpatient".into(),
                    settings: vec![CareSetting::Inpatient],
                    clinical_categories: vec![],
                    conditions: vec![],
                    limit: Some(AnnualLimit {
                        amount: Money::from_units(50_000),
                        per: LimitUnit::Family,
                    }),
                    limit_raising: vec![],
                    cost_sharing: CostSharing::None,
                    exempt: vec![],
                    allowances: vec![],
                }],
            }],
        }
    }

    fn paths(scheme: &SchemeDefinition) -> Vec<String> {
        scheme
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.path)
            .collect()
    }

    #[test]
    fn a_minimal_scheme_is_valid() {
        minimal_scheme().validate().unwrap();
    }

    #[test]
    fn a_language_must_be_a_tag() {
        let mut scheme = minimal_scheme();
        scheme.language = Some("fr".into());
        assert!(scheme.validate().is_ok());
        scheme.language = Some("French".into());
        assert_eq!(paths(&scheme), ["language"]);
    }

    #[test]
    fn a_currency_must_be_an_iso_code() {
        let mut scheme = minimal_scheme();
        scheme.currency = "francs".into();
        assert_eq!(paths(&scheme), ["currency"]);
    }

    #[test]
    fn limit_raising_must_go_above_the_limit() {
        let mut scheme = minimal_scheme();
        scheme.packages[0].categories[0].limit_raising = vec![LimitRaising {
            case: "life_threatening".into(),
            up_to: Money::from_units(40_000),
        }];
        assert_eq!(paths(&scheme), ["packages[0].categories[0].limit_raising"]);
    }

    #[test]
    fn a_tariff_line_must_name_a_category_of_its_package() {
        let mut scheme = minimal_scheme();
        scheme.packages[0].tariff = vec![TariffItem {
            service_code: "S1".into(),
            description: "stay".into(),
            benefit_category: "maternity".into(),
            level: None,
            price: Money::from_units(10),
            sex: None,
            min_age: None,
            max_age: None,
            once_per_months: None,
            frequency_group: None,
        }];
        assert_eq!(paths(&scheme), ["packages[0].tariff[0].benefit_category"]);
    }

    #[test]
    fn a_tariff_price_or_a_category_amount_past_its_bound_is_refused() {
        let mut scheme = minimal_scheme();
        let item = |price| TariffItem {
            service_code: "S1".into(),
            description: "stay".into(),
            benefit_category: "ip".into(),
            level: None,
            price,
            sex: None,
            min_age: None,
            max_age: None,
            once_per_months: None,
            frequency_group: None,
        };
        scheme.packages[0].tariff = vec![item(MAX_UNIT_PRICE)];
        scheme.validate().unwrap();
        // The price that made a facility's payment negative.
        scheme.packages[0].tariff = vec![item(Money::from_minor(i64::MAX))];
        assert_eq!(paths(&scheme), ["packages[0].tariff[0].price"]);

        let mut scheme = minimal_scheme();
        let category = &mut scheme.packages[0].categories[0];
        category.limit.as_mut().unwrap().amount = Money::from_minor(MAX_CLAIMED.minor() + 1);
        category.cost_sharing = CostSharing::Fixed {
            amount: Money::from_minor(i64::MAX),
        };
        assert_eq!(
            paths(&scheme),
            [
                "packages[0].categories[0].cost_sharing",
                "packages[0].categories[0].limit"
            ]
        );
    }

    #[test]
    fn review_norms_need_a_factor() {
        let mut scheme = minimal_scheme();
        scheme.review.norms = vec![ReviewNorm {
            specialty: "surgery".into(),
            length_of_stay_days: Some(5),
            cost: None,
        }];
        assert_eq!(paths(&scheme), ["review.norm_factor"]);
        scheme.review.norm_factor = Some(0.5);
        assert_eq!(paths(&scheme), ["review.norm_factor"]);
        scheme.review.norm_factor = Some(2.0);
        scheme.validate().unwrap();
    }

    #[test]
    fn a_waiting_period_must_name_a_known_category() {
        let mut scheme = minimal_scheme();
        scheme.coverage.waiting_periods = vec![WaitingPeriod {
            benefit_category: "dental".into(),
            days: 90,
        }];
        assert_eq!(
            paths(&scheme),
            ["coverage.waiting_periods[0].benefit_category"]
        );
    }

    #[test]
    fn a_wage_rule_needs_a_percent_and_a_flat_rule_an_amount() {
        let mut scheme = minimal_scheme();
        let rule = ContributionRule {
            payer: Payer::Worker,
            basis: ContributionBasis::WagePercent,
            amount: Some(Money::from_units(5)),
            percent: None,
            floor: None,
            ceiling: None,
            category: None,
            except_category: None,
            poverty_score_max: None,
            poverty_score_above: None,
        };
        scheme.contributions.rules = vec![
            rule.clone(),
            ContributionRule {
                basis: ContributionBasis::PerFamily,
                amount: None,
                ..rule
            },
        ];
        assert_eq!(
            paths(&scheme),
            ["contributions.rules[0]", "contributions.rules[1]"]
        );
    }

    #[test]
    fn the_version_in_force_is_the_latest_that_has_started() {
        let old = minimal_scheme();
        let mut reform = minimal_scheme();
        reform.effective_from = "2024-07-01".parse().unwrap();
        let versions = vec![reform.clone(), old.clone()];
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(version_in_force(&versions, day("2024-06-30")), Some(&old));
        assert_eq!(
            version_in_force(&versions, day("2024-07-01")),
            Some(&reform)
        );
        assert_eq!(version_in_force(&versions, day("2023-12-31")), None);
    }

    #[test]
    fn percents_are_exact_to_the_hundredth() {
        let p: Percent = serde_json::from_str("2.5").unwrap();
        assert_eq!(p.basis_points(), 250);
        assert!(serde_json::from_str::<Percent>("2.555").is_err());
        assert!(serde_json::from_str::<Percent>("-1").is_err());
    }
}
