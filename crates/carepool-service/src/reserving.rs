//! Reserving on the live database: every claim as a triangle needs it, then the study.

use crate::options::{named, one_of};
use crate::{Registry, ServiceError};
use carepool_actuarial::{
    Average, BuildError, ChainLadder, ClaimDates, ClaimSums, Development, ExcludedLink, Measure,
    Method, Period, Reserve, ReserveError, ReserveStudy, SigmaRule,
};
use carepool_core::Money;
use carepool_core::claims::ClaimStatus;
use carepool_core::registry::{FieldError, excerpt};
use carepool_schema::Projection;
use carepool_schema::claim_tables::{CLAIMS, claims as c};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

/// How to reserve, as the command line and the API give it: words, checked in one place.
/// Every field may be left out; see [`ReserveOptions::study`] for the defaults.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReserveOptions {
    /// chain-ladder, mack (the default), bf, benktander or cape-cod.
    pub method: Option<String>,
    /// The last sigma for mack: mack (the default) or log-linear.
    pub sigma: Option<String>,
    /// Origin period of a triangle built from claims: month, quarter (the default) or year.
    pub origin: Option<String>,
    /// reported (the default) or paid.
    pub development: Option<String>,
    /// amount (the default) or count.
    pub measure: Option<String>,
    /// What is known on this date (claims reported and paid by it).
    pub valuation: Option<NaiveDate>,
    /// volume (the default), simple, or a whole number n: volume over the latest n origins.
    pub average: Option<String>,
    /// Links left out of the averages, as ORIGIN:LAG (the lag the link starts from).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The tail factor (default 1).
    pub tail: Option<f64>,
    /// The a priori loss ratio, for bf and benktander.
    pub loss_ratio: Option<f64>,
    /// Benktander's iterations (default 2; 1 is Bornhuetter-Ferguson).
    pub iterations: Option<u32>,
    /// Earned premium by origin, for bf, benktander and cape-cod.
    pub exposure: Option<BTreeMap<String, f64>>,
}

impl ReserveOptions {
    pub fn period(&self) -> Result<Period, FieldError> {
        named("origin", self.origin.as_deref(), Period::Quarter)
    }

    pub fn measure(&self) -> Result<Measure, FieldError> {
        named("measure", self.measure.as_deref(), Measure::Amount)
    }

    pub fn study(&self) -> Result<ReserveStudy, FieldError> {
        #[derive(Clone, Copy, PartialEq)]
        enum Name {
            ChainLadder,
            Mack,
            Bf,
            Benktander,
            CapeCod,
        }
        let name = one_of(
            "method",
            self.method.as_deref(),
            Name::Mack,
            &[
                ("chain-ladder", Name::ChainLadder),
                ("mack", Name::Mack),
                ("bf", Name::Bf),
                ("benktander", Name::Benktander),
                ("cape-cod", Name::CapeCod),
            ],
        )?;
        let sigma = named("sigma", self.sigma.as_deref(), SigmaRule::Mack)?;
        let unused = |field: &'static str, given: bool, method: &str| match given {
            true => Err(FieldError::new(
                field,
                format!("is for the {method} method only"),
            )),
            false => Ok(()),
        };
        let is = |n: Name| name == n;
        unused("sigma", self.sigma.is_some() && !is(Name::Mack), "mack")?;
        unused(
            "iterations",
            self.iterations.is_some() && !is(Name::Benktander),
            "benktander",
        )?;
        unused(
            "loss_ratio",
            self.loss_ratio.is_some() && !(is(Name::Bf) || is(Name::Benktander)),
            "bf and benktander",
        )?;
        if self.exposure.is_none() && (is(Name::Bf) || is(Name::Benktander) || is(Name::CapeCod)) {
            return Err(FieldError::new(
                "exposure",
                "this method needs the earned premium (or another exposure) per origin",
            ));
        }
        let loss_ratio = || {
            self.loss_ratio
                .ok_or_else(|| FieldError::new("loss_ratio", "the a priori loss ratio is needed"))
        };
        let method = match name {
            Name::ChainLadder => Method::ChainLadder,
            Name::Mack => Method::Mack(sigma),
            Name::Bf => Method::BornhuetterFerguson {
                loss_ratio: loss_ratio()?,
            },
            Name::Benktander => Method::Benktander {
                loss_ratio: loss_ratio()?,
                iterations: self.iterations.unwrap_or(2),
            },
            Name::CapeCod => Method::CapeCod,
        };
        let average = match self.average.as_deref() {
            None | Some("volume") => Average::Volume,
            Some("simple") => Average::Simple,
            Some(text) => match text.parse::<usize>() {
                Ok(n) if n > 0 => Average::Periods(n),
                _ => {
                    return Err(FieldError::new(
                        "average",
                        format!(
                            "{} is not volume, simple or a whole number of origins",
                            excerpt(text)
                        ),
                    ));
                }
            },
        };
        let excluded = self
            .exclude
            .iter()
            .map(|text| {
                let parsed = text
                    .rsplit_once(':')
                    .and_then(|(origin, lag)| Some((origin, lag.parse().ok()?)));
                match parsed {
                    Some((origin, lag)) if !origin.is_empty() => Ok(ExcludedLink {
                        origin: origin.to_string(),
                        lag,
                    }),
                    _ => Err(FieldError::new(
                        "exclude",
                        format!("{} is not ORIGIN:LAG, e.g. 2024Q1:0", excerpt(text)),
                    )),
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(ReserveStudy {
            method,
            chain_ladder: ChainLadder {
                average,
                excluded: vec![],
                tail: self.tail.unwrap_or(1.0),
            },
            excluded,
            development: named(
                "development",
                self.development.as_deref(),
                Development::Reported,
            )?,
            exposure: self.exposure.clone(),
        })
    }
}

/// What reserving needs to know of a claim, as a triangle takes it.
pub fn claim_dates(
    incurred: NaiveDate,
    reported: NaiveDate,
    paid: Option<NaiveDate>,
    amount: Money,
) -> ClaimDates {
    ClaimDates {
        incurred,
        reported,
        paid,
        // Amounts enter the actuarial engine in currency units.
        amount: amount.minor() as f64 / 100.0,
    }
}

impl Registry {
    /// Adds to `sums` every claim stored that the scheme may have to pay (see
    /// [`ClaimStatus::amount_owed`]).
    async fn add_reserving_claims(&self, sums: &mut ClaimSums) -> Result<(), ServiceError> {
        let read = Projection::new(
            &CLAIMS,
            &[
                c::ID.id(),
                c::INCURRED_DATE.id(),
                c::RECEIVED_DATE.id(),
                c::PAID_DATE.id(),
                c::STATUS.id(),
                c::APPROVED.id(),
                c::CLAIMED.id(),
            ],
        );
        // Each row is summed into the triangle's cells as it is read: held, even as their few
        // dates and amounts, a national scheme's eleven million claims grew the study by
        // hundreds of megabytes.
        self.each_row(&read, &[], |row| {
            let corrupt = |what: &str| {
                ServiceError::Corrupt(format!(
                    "stored claim {}: {what}",
                    read.text(&row, c::ID).unwrap_or_default()
                ))
            };
            let status: ClaimStatus = read
                .read(&row, c::STATUS)
                .map_err(|_| corrupt("no status"))?;
            let money = |column| read.value(&row, column).as_money();
            let (Some(approved), Some(claimed)) = (money(c::APPROVED), money(c::CLAIMED)) else {
                return Err(corrupt("no amounts"));
            };
            let Some(amount) = status.amount_owed(approved, claimed) else {
                return Ok(());
            };
            let incurred = read
                .value(&row, c::INCURRED_DATE)
                .as_date()
                .ok_or_else(|| corrupt("no date of service"))?;
            let reported = read
                .value(&row, c::RECEIVED_DATE)
                .as_date()
                .ok_or_else(|| corrupt("no received date"))?;
            let paid = read.value(&row, c::PAID_DATE).as_date();
            sums.add(&claim_dates(incurred, reported, paid, amount));
            Ok(())
        })
        .await
    }

    /// The study on every claim in the database, as known at the options' valuation date, or
    /// `today` if they give none.
    pub async fn reserve(
        &self,
        options: &ReserveOptions,
        today: NaiveDate,
    ) -> Result<Reserve, ServiceError> {
        let valuation = options.valuation.unwrap_or(today);
        carepool_core::dates::check_not_after_today("valuation", valuation, today)
            .map_err(ServiceError::field)?;
        let study = options.study().map_err(ServiceError::field)?;
        let (period, measure) = (
            options.period().map_err(ServiceError::field)?,
            options.measure().map_err(ServiceError::field)?,
        );
        let mut sums = study.claim_sums(period, measure, valuation);
        self.add_reserving_claims(&mut sums).await?;
        let reserve = study.fit_sums(&sums).map_err(|error| match error {
            // Too many origins is the option's doing, not the data's.
            ReserveError::Build(BuildError::TooManyOrigins { .. }) => {
                ServiceError::field(study_field("origin", &error))
            }
            // So is an exposure that lacks an origin of the claims.
            ReserveError::MissingExposure { .. } => {
                ServiceError::field(study_field("exposure", &error))
            }
            _ => ServiceError::not_estimable(error.words(), error.to_string()),
        })?;
        carepool_actuarial::check_finite(&reserve)?;
        Ok(reserve)
    }
}

/// A study's refusal that is an option's doing, for the form to show beside the option.
fn study_field(field: &'static str, error: &ReserveError) -> FieldError {
    FieldError {
        words: Some(error.words()),
        ..FieldError::new(field, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_enter_the_actuarial_engine_in_currency_units() {
        let dates = claim_dates(
            "2025-01-01".parse().unwrap(),
            "2025-02-01".parse().unwrap(),
            None,
            Money::from_minor(12_345),
        );
        assert_eq!(dates.amount, 123.45);
    }

    fn options(json: &str) -> ReserveOptions {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn options_left_out_take_their_defaults() {
        let defaults = ReserveOptions::default();
        let study = defaults.study().unwrap();
        assert_eq!(study.method, Method::Mack(SigmaRule::Mack));
        assert_eq!(study.development, Development::Reported);
        assert_eq!(study.chain_ladder, ChainLadder::default());
        assert_eq!(defaults.period().unwrap(), Period::Quarter);
        assert_eq!(defaults.measure().unwrap(), Measure::Amount);
    }

    #[test]
    fn options_in_words_become_a_study() {
        let study = options(
            r#"{"method": "benktander", "loss_ratio": 0.7, "iterations": 3, "average": "4",
                "exclude": ["2024Q1:0"], "tail": 1.05, "development": "paid",
                "exposure": {"2024Q1": 100.0}}"#,
        )
        .study()
        .unwrap();
        assert_eq!(
            study.method,
            Method::Benktander {
                loss_ratio: 0.7,
                iterations: 3
            }
        );
        assert_eq!(study.chain_ladder.average, Average::Periods(4));
        assert_eq!(study.chain_ladder.tail, 1.05);
        assert_eq!(
            study.excluded,
            [ExcludedLink {
                origin: "2024Q1".into(),
                lag: 0
            }]
        );
        assert_eq!(study.development, Development::Paid);
    }

    #[test]
    fn a_wrong_option_is_named_with_what_it_may_be() {
        let error = |json: &str| options(json).study().unwrap_err();
        let e = error(r#"{"method": "bootstrap"}"#);
        assert_eq!(e.field, "method");
        assert_eq!(
            e.message,
            "'bootstrap' is not one of chain-ladder, mack, bf, benktander, cape-cod"
        );
        assert_eq!(error(r#"{"method": "cape-cod"}"#).field, "exposure");
        assert_eq!(
            error(r#"{"method": "bf", "exposure": {"2024": 1.0}}"#).field,
            "loss_ratio"
        );
        let e = error(r#"{"method": "chain-ladder", "sigma": "log-linear"}"#);
        assert_eq!(
            (e.field, e.message.as_str()),
            ("sigma", "is for the mack method only")
        );
        assert_eq!(error(r#"{"exclude": ["2024Q1"]}"#).field, "exclude");
        assert_eq!(error(r#"{"average": "0"}"#).field, "average");
        let e = options(r#"{"origin": "week"}"#).period().unwrap_err();
        assert_eq!(e.message, "'week' is not one of month, quarter, year");
        assert!(serde_json::from_str::<ReserveOptions>(r#"{"methd": "mack"}"#).is_err());
    }
}
