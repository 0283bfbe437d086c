//! The users tokens were found to sign in as, kept for a few seconds: a system posting claims
//! one by one would otherwise read its token and its user on every request. The price is that a
//! token revoked, or a user disabled, by another process (the `carepool` command) still works
//! here for up to [`TOKEN_REMEMBERED_FOR`]; a revocation made through this process takes effect
//! at once.

use crate::users::User;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a token found stays known without being read again.
pub const TOKEN_REMEMBERED_FOR: Duration = Duration::from_secs(10);

/// Tokens known at most; past it the oldest half is forgotten (a server has a token per system
/// or facility, far fewer).
const TOKENS_KNOWN: usize = 10_000;

#[derive(Debug, Clone)]
struct Known {
    user: User,
    expires_on: Option<NaiveDate>,
    found_at: Instant,
}

/// Tokens found, by their SHA-256 (never the token itself), shared by every clone of a registry.
#[derive(Debug, Clone, Default)]
pub(crate) struct KnownTokens(Arc<Mutex<HashMap<String, Known>>>);

impl KnownTokens {
    /// The user the token signs in as, if it was found within [`TOKEN_REMEMBERED_FOR`] of `now`
    /// and has not expired by `today`.
    pub fn user(&self, hash: &str, now: Instant, today: NaiveDate) -> Option<User> {
        let known = self.lock();
        let found = known.get(hash)?;
        let fresh = now.saturating_duration_since(found.found_at) < TOKEN_REMEMBERED_FOR;
        let live = found.expires_on.is_none_or(|last| last >= today);
        (fresh && live).then(|| found.user.clone())
    }

    pub fn remember(&self, hash: String, user: User, expires_on: Option<NaiveDate>, now: Instant) {
        let mut known = self.lock();
        if known.len() >= TOKENS_KNOWN {
            let mut ages: Vec<Instant> = known.values().map(|k| k.found_at).collect();
            let (_, middle, _) = ages.select_nth_unstable(TOKENS_KNOWN / 2);
            let middle = *middle;
            known.retain(|_, k| k.found_at > middle);
        }
        known.insert(
            hash,
            Known {
                user,
                expires_on,
                found_at: now,
            },
        );
    }

    /// After a token is revoked or a user disabled here.
    pub fn forget_all(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Known>> {
        // A panic while holding it cannot leave the map half-changed in a way that matters.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_core::access::Role;

    fn user(name: &str) -> User {
        User {
            name: name.into(),
            role: Role::Facility,
            districts: vec![],
            provider: Some("H1".into()),
            created_on: "2025-01-01".parse().unwrap(),
            disabled_on: None,
            language: None,
        }
    }

    #[test]
    fn a_token_is_known_for_ten_seconds_and_until_it_expires() {
        let known = KnownTokens::default();
        let start = Instant::now();
        let today: NaiveDate = "2025-06-30".parse().unwrap();
        known.remember("h".into(), user("a"), Some(today), start);
        assert_eq!(
            known.user("h", start, today).map(|u| u.name),
            Some("a".into())
        );
        let later = start + TOKEN_REMEMBERED_FOR - Duration::from_millis(1);
        assert!(known.user("h", later, today).is_some());
        assert!(
            known
                .user("h", start + TOKEN_REMEMBERED_FOR, today)
                .is_none()
        );
        assert!(
            known.user("h", start, today.succ_opt().unwrap()).is_none(),
            "expired"
        );
        assert!(known.user("other", start, today).is_none());
        known.forget_all();
        assert!(known.user("h", start, today).is_none());
    }

    #[test]
    fn past_its_size_the_oldest_half_is_forgotten() {
        let known = KnownTokens::default();
        let start = Instant::now();
        let today: NaiveDate = "2025-06-30".parse().unwrap();
        for i in 0..=TOKENS_KNOWN {
            let at = start + Duration::from_micros(i as u64);
            known.remember(format!("h{i}"), user("a"), None, at);
        }
        let now = start + Duration::from_secs(1);
        assert!(known.user("h0", now, today).is_none(), "the oldest went");
        assert!(
            known
                .user(&format!("h{TOKENS_KNOWN}"), now, today)
                .is_some()
        );
        assert!(known.lock().len() <= TOKENS_KNOWN / 2 + 1);
    }
}
