//! What time it is, passed in: the system's clock in the product, a clock a test moves by hand,
//! so that no test waits on the wall clock.

use chrono::NaiveDate;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub trait Clock: Send + Sync {
    /// Today's date, where the scheme is (the machine's local date).
    fn today(&self) -> NaiveDate;
    /// A monotonic instant, for how long something has lasted.
    fn now(&self) -> Instant;
    /// The time of day as stored (a session's end): seconds since 1970, UTC.
    fn unix_seconds(&self) -> i64 {
        self.unix_micros().div_euclid(1_000_000)
    }
    /// The same in microseconds: what orders the audit trail.
    fn unix_micros(&self) -> i64;
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }

    fn now(&self) -> Instant {
        Instant::now()
    }

    fn unix_micros(&self) -> i64 {
        chrono::Utc::now().timestamp_micros()
    }
}

/// A clock that moves only when told: for tests.
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    state: Mutex<(NaiveDate, Duration)>,
}

impl ManualClock {
    pub fn new(today: NaiveDate) -> ManualClock {
        ManualClock {
            start: Instant::now(),
            state: Mutex::new((today, Duration::ZERO)),
        }
    }

    /// Moves the clock on by `by` (the date stays: set it with [`ManualClock::set_today`]).
    pub fn advance(&self, by: Duration) {
        self.state.lock().expect("clock state").1 += by;
    }

    pub fn set_today(&self, today: NaiveDate) {
        self.state.lock().expect("clock state").0 = today;
    }
}

impl Clock for ManualClock {
    fn today(&self) -> NaiveDate {
        self.state.lock().expect("clock state").0
    }

    fn now(&self) -> Instant {
        self.start + self.state.lock().expect("clock state").1
    }

    /// Midnight UTC of its date, plus how far it was moved on.
    fn unix_micros(&self) -> i64 {
        let (today, moved) = *self.state.lock().expect("clock state");
        let midnight = today.and_time(chrono::NaiveTime::MIN).and_utc();
        midnight.timestamp_micros() + moved.as_micros() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let day = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let clock = ManualClock::new(day);
        let before = clock.now();
        assert_eq!(clock.now(), before);
        clock.advance(Duration::from_millis(1_100));
        assert_eq!(clock.now() - before, Duration::from_millis(1_100));
        assert_eq!(clock.unix_seconds(), 1_748_736_000 + 1);
        clock.set_today(day.succ_opt().unwrap());
        assert_eq!(clock.today(), day.succ_opt().unwrap());
        assert_eq!(clock.unix_seconds(), 1_748_736_000 + 86_400 + 1);
    }
}
