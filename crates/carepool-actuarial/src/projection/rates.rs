//! Where a list of yearly rates sits on the calendar, and what it compounds to between two
//! moments: the base table's date, the first day of the projection, the middle of a year.

/// How each rate of a list acts on the year it is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Timing {
    /// A rate takes the level from the middle of the year before to the middle of its own year:
    /// the rate for 2027-28 carries costs from the middle of 2026-27 to the middle of 2027-28.
    #[default]
    MidYear,
    /// A rate acts from the first day of its year to the last (calendar years when the list
    /// starts on 1 January, financial years when it starts on 1 April).
    WithinYear,
}

/// The calendar of the rate lists: the year the first rate is for, in years from the base
/// table's date (negative when that year starts before it), and the timing convention. The
/// first rate also acts before its span and the last after its own, as a list shorter than the
/// projection repeats its last value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateYears {
    pub first_year: f64,
    pub timing: Timing,
}

impl RateYears {
    /// What `rates` compound to from the base date to `to` years after it (the inverse when
    /// `to` is before it): each rate raised to the time its span overlaps the interval.
    pub fn growth(&self, rates: &[f64], to: f64) -> f64 {
        let (from, until) = (to.min(0.0), to.max(0.0));
        // The start of the first rate's span under the convention.
        let offset = match self.timing {
            Timing::MidYear => self.first_year - 0.5,
            Timing::WithinYear => self.first_year,
        };
        let last = rates.len().saturating_sub(1);
        let factor: f64 = rates
            .iter()
            .enumerate()
            .map(|(k, rate)| {
                let starts = match k {
                    0 => f64::NEG_INFINITY,
                    _ => offset + k as f64,
                };
                let ends = match k == last {
                    true => f64::INFINITY,
                    false => offset + k as f64 + 1.0,
                };
                let overlap = until.min(ends) - from.max(starts);
                if overlap == 1.0 {
                    // A whole year, the common case, without a power.
                    1.0 + rate
                } else if overlap > 0.0 {
                    (1.0 + rate).powf(overlap)
                } else {
                    1.0
                }
            })
            .product();
        match to < 0.0 {
            true => 1.0 / factor,
            false => factor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64) {
        assert!(
            (got - want).abs() < 1e-12 * want.abs(),
            "{got} against {want}"
        );
    }

    /// Rates of 10%, 20% and 30% for the years starting one year after the base date.
    fn rates() -> Vec<f64> {
        vec![0.1, 0.2, 0.3]
    }

    #[test]
    fn within_its_year_each_rate_acts_on_the_time_it_overlaps() {
        let years = RateYears {
            first_year: 1.0,
            timing: Timing::WithinYear,
        };
        // The first rate also covers the year before its own.
        close(years.growth(&rates(), 1.0), 1.1);
        close(years.growth(&rates(), 2.5), 1.1 * 1.1 * 1.2f64.sqrt());
        // Past the list, the last rate goes on.
        close(years.growth(&rates(), 5.0), 1.1 * 1.1 * 1.2 * 1.3 * 1.3);
        close(years.growth(&rates(), 0.0), 1.0);
    }

    #[test]
    fn mid_year_to_mid_year_a_rate_starts_half_a_year_before_its_own_year() {
        let years = RateYears {
            first_year: 1.0,
            timing: Timing::MidYear,
        };
        // To the middle of the second rate's year: the first rate up to 1.5 years, then the
        // second for a whole year.
        close(years.growth(&rates(), 2.5), 1.1f64.powf(1.5) * 1.2);
        close(
            years.growth(&rates(), 3.0),
            1.1f64.powf(1.5) * 1.2 * 1.3f64.sqrt(),
        );
    }

    #[test]
    fn a_moment_before_the_base_date_takes_the_inverse() {
        let years = RateYears {
            first_year: -2.0,
            timing: Timing::WithinYear,
        };
        // From -1 to 0: the second rate's year.
        close(years.growth(&rates(), -1.0), 1.0 / 1.2);
        close(
            years.growth(&rates(), -2.5),
            1.0 / (1.2 * 1.1 * 1.1f64.sqrt()),
        );
    }

    #[test]
    fn one_rate_compounds_by_the_time_elapsed_whatever_the_calendar() {
        for timing in [Timing::MidYear, Timing::WithinYear] {
            let years = RateYears {
                first_year: 0.7,
                timing,
            };
            close(years.growth(&[0.05], 2.25), 1.05f64.powf(2.25));
        }
    }
}
