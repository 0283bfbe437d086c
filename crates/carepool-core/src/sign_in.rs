//! Guessing passwords is made slow: a burst of failed sign-ins locks the name for a while, even
//! against the right password, and every failure is answered late (the server's part). Names are
//! counted whether or not a user has them, so a lock does not tell which names exist. An attempt
//! is counted as a failure before its password is checked (and forgiven if it was right), so
//! attempts sent all at once cannot get past the count.

/// Names this long or longer are not names: refused before they are counted.
pub const NAME_LIMIT: usize = 64;
/// At most this many names are followed at once, so guesses at many names cannot fill the
/// memory; while full, a new name is not followed (its failures are still answered late).
pub const NAMES_FOLLOWED: usize = 100_000;

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Failures counted within this window...
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// ...this many of them lock the name...
pub const FAILURES_TO_LOCK: u32 = 5;
/// ...for this long.
pub const LOCK_FOR: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    first_at: Instant,
    locked_until: Option<Instant>,
}

/// Recent failed sign-ins by name.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    failures: HashMap<String, Failures>,
}

impl SignInThrottle {
    /// Until when `name` is locked, if it is at `now`.
    pub fn locked_until(&self, name: &str, now: Instant) -> Option<Instant> {
        self.failures
            .get(name)
            .and_then(|f| f.locked_until)
            .filter(|&until| now < until)
    }

    /// Counts a failure; returns the end of the lock if this one locks the name.
    pub fn failed(&mut self, name: &str, now: Instant) -> Option<Instant> {
        if self.failures.len() >= NAMES_FOLLOWED {
            self.forget_old(now);
        }
        if self.failures.len() >= NAMES_FOLLOWED && !self.failures.contains_key(name) {
            return None;
        }
        let failures = self.failures.entry(name.to_string()).or_insert(Failures {
            count: 0,
            first_at: now,
            locked_until: None,
        });
        if now.duration_since(failures.first_at) >= FAILURE_WINDOW
            && failures.locked_until.is_none_or(|until| until <= now)
        {
            // Old failures no longer count.
            *failures = Failures {
                count: 0,
                first_at: now,
                locked_until: None,
            };
        }
        failures.count += 1;
        if failures.count >= FAILURES_TO_LOCK {
            let until = now + LOCK_FOR;
            failures.locked_until = Some(until);
            return Some(until);
        }
        None
    }

    /// A right password: forgives the name's failures, unless they have locked it meanwhile
    /// (attempts made at the same time); then the sign-in is refused too (false).
    pub fn succeeded(&mut self, name: &str, now: Instant) -> bool {
        if self.locked_until(name, now).is_some() {
            return false;
        }
        self.failures.remove(name);
        true
    }

    /// Drops what no longer counts (old failures, ended locks), so guesses at many names do
    /// not grow the table for ever.
    fn forget_old(&mut self, now: Instant) {
        self.failures.retain(|_, f| match f.locked_until {
            Some(until) => now < until,
            None => now.duration_since(f.first_at) < FAILURE_WINDOW,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_failures_locks_the_name_for_a_while() {
        let start = Instant::now();
        let mut throttle = SignInThrottle::default();
        for i in 1..FAILURES_TO_LOCK {
            assert_eq!(throttle.failed("awa", start), None, "failure {i}");
            assert_eq!(throttle.locked_until("awa", start), None);
        }
        let until = throttle.failed("awa", start).expect("the fifth locks");
        assert_eq!(until, start + LOCK_FOR);
        assert_eq!(throttle.locked_until("awa", start), Some(until));
        assert_eq!(
            throttle.locked_until("ben", start),
            None,
            "other names are not locked"
        );
        let later = start + LOCK_FOR;
        assert_eq!(throttle.locked_until("awa", later), None, "the lock ends");
        assert_eq!(
            throttle.failed("awa", later),
            None,
            "and counting starts again"
        );
    }

    #[test]
    fn failures_spread_beyond_the_window_never_lock() {
        let start = Instant::now();
        let mut throttle = SignInThrottle::default();
        for i in 0..10 {
            let at = start + FAILURE_WINDOW * i;
            assert_eq!(throttle.failed("awa", at), None, "failure {i}");
        }
    }

    #[test]
    fn a_success_clears_the_failures() {
        let start = Instant::now();
        let mut throttle = SignInThrottle::default();
        for _ in 1..FAILURES_TO_LOCK {
            throttle.failed("awa", start);
        }
        assert!(throttle.succeeded("awa", start));
        assert_eq!(throttle.failed("awa", start), None);
    }

    #[test]
    fn a_right_password_does_not_undo_a_lock() {
        let start = Instant::now();
        let mut throttle = SignInThrottle::default();
        for _ in 0..FAILURES_TO_LOCK {
            throttle.failed("awa", start);
        }
        assert!(!throttle.succeeded("awa", start), "locked by the burst");
        assert!(
            throttle.locked_until("awa", start).is_some(),
            "and still locked"
        );
    }

    #[test]
    fn while_full_a_new_name_is_not_followed_and_the_old_ones_still_are() {
        let start = Instant::now();
        let mut throttle = SignInThrottle::default();
        for i in 0..NAMES_FOLLOWED {
            throttle.failed(&format!("n{i}"), start);
        }
        assert_eq!(throttle.failures.len(), NAMES_FOLLOWED);
        assert_eq!(throttle.failed("newcomer", start), None);
        assert_eq!(throttle.failures.len(), NAMES_FOLLOWED);
        for _ in 1..FAILURES_TO_LOCK {
            throttle.failed("n0", start);
        }
        assert!(throttle.locked_until("n0", start).is_some());
        // Once the window has passed, room is made again.
        let later = start + FAILURE_WINDOW;
        assert_eq!(throttle.failed("newcomer", later), None);
        assert!(throttle.failures.contains_key("newcomer"));
    }
}
