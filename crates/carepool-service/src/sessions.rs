//! Signed-in sessions, for people at a browser: a password exchanged for a session cookie that
//! lasts [`SESSION_SECONDS`] or until signed out, with a CSRF token every write must send back.
//! Like a token, the cookie is kept only as its SHA-256. Failed sign-ins are counted by name
//! ([`SignInThrottle`]); a burst locks the name for a while.

use crate::users::{User, random_hex, token_hash};
use crate::{Registry, ServiceError};
use carepool_core::sign_in::{NAME_LIMIT, SignInThrottle};
use carepool_schema::access_tables::{SESSIONS, SessionRow};
use carepool_schema::{Record, Value};
use std::sync::{Arc, Mutex};

/// How long a session lasts: a working day.
pub const SESSION_SECONDS: i64 = 8 * 60 * 60;

/// Failed sign-ins by name, shared by every clone of a registry (one server process).
#[derive(Clone, Default)]
pub(crate) struct SignIns(Arc<Mutex<SignInThrottle>>);

/// A session just begun: `secret` goes in the cookie and is never stored.
#[derive(Debug)]
pub struct NewSession {
    pub secret: String,
    pub session: Session,
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    /// Seconds since 1970, UTC.
    pub expires_at: i64,
}

/// What a sign-in came to.
#[derive(Debug)]
pub enum SignIn {
    Started(NewSession),
    /// A wrong name or password, or a disabled user: not told apart.
    Refused,
    /// Too many failures of late: refused, even with the right password, for this many seconds.
    Locked {
        seconds: u64,
    },
}

/// Whether a password is the user's, checked under the sign-in throttle.
#[derive(Debug)]
pub enum PasswordCheck {
    Matches(User),
    /// A wrong name or password, or a disabled user: not told apart.
    Refused,
    /// Too many failures of late, for this many seconds more.
    Locked {
        seconds: u64,
    },
}

impl Registry {
    /// Exchanges a name and password for a session, unless the name is locked.
    pub async fn sign_in(&self, name: &str, password: &str) -> Result<SignIn, ServiceError> {
        let user = match self.throttled_password_check(name, password).await? {
            PasswordCheck::Matches(user) => user,
            PasswordCheck::Refused => return Ok(SignIn::Refused),
            PasswordCheck::Locked { seconds } => return Ok(SignIn::Locked { seconds }),
        };
        let secret = random_hex(32)?;
        let started_at = self.clock().unix_seconds();
        let row = SessionRow {
            id: token_hash(&secret),
            user_name: user.name.clone(),
            csrf_token: random_hex(16)?,
            started_at,
            expires_at: started_at + SESSION_SECONDS,
        };
        self.store.insert(&SESSIONS, &row.to_row()).await?;
        Ok(SignIn::Started(NewSession {
            secret,
            session: Session {
                user,
                csrf_token: row.csrf_token,
                expires_at: row.expires_at,
            },
        }))
    }

    /// Whether `password` is `name`'s, counted as sign-ins are: a burst of wrong ones locks the
    /// name (signing in, or confirming one's password before changing it).
    pub async fn throttled_password_check(
        &self,
        name: &str,
        password: &str,
    ) -> Result<PasswordCheck, ServiceError> {
        let now = self.clock().now();
        let locked = |until: std::time::Instant| PasswordCheck::Locked {
            seconds: until.duration_since(now).as_secs().max(1),
        };
        if name.chars().count() >= NAME_LIMIT {
            return Ok(PasswordCheck::Refused);
        }
        // Counted as a failure before the password is checked, so that attempts sent at once
        // cannot all get past the count; a right password forgives it.
        {
            let mut throttle = self.throttle();
            if let Some(until) = throttle.locked_until(name, now) {
                return Ok(locked(until));
            }
            if let Some(until) = throttle.failed(name, now) {
                return Ok(locked(until));
            }
        }
        let Some(user) = self.check_password(name, password).await? else {
            return Ok(PasswordCheck::Refused);
        };
        if !self.throttle().succeeded(name, now) {
            let until = self.throttle().locked_until(name, now);
            return Ok(until.map_or(PasswordCheck::Refused, locked));
        }
        Ok(PasswordCheck::Matches(user))
    }

    /// The session a cookie holds, if it has not ended and its user is not disabled.
    pub async fn session(&self, secret: &str) -> Result<Option<Session>, ServiceError> {
        let Some(row) = self.session_row(secret).await? else {
            return Ok(None);
        };
        if row.expires_at <= self.clock().unix_seconds() {
            return Ok(None);
        }
        let Some(user) = self.active_user(&row.user_name).await? else {
            return Ok(None);
        };
        Ok(Some(Session {
            user,
            csrf_token: row.csrf_token,
            expires_at: row.expires_at,
        }))
    }

    /// The user's sessions still on, each ended from now: rows to write.
    pub(crate) async fn sessions_ended_now(
        &self,
        user_name: &str,
    ) -> Result<Vec<carepool_schema::Row>, ServiceError> {
        let now = self.clock().unix_seconds();
        let rows = self
            .store
            .rows_where_in(
                &SESSIONS,
                carepool_schema::access_tables::sessions::USER_NAME.index(),
                &[user_name.to_string()],
            )
            .await?;
        let mut ended = Vec::new();
        for row in rows {
            let mut session = SessionRow::from_row(&row)
                .map_err(|e| ServiceError::Corrupt(format!("stored session: {e}")))?;
            if session.expires_at > now {
                session.expires_at = now;
                ended.push(session.to_row());
            }
        }
        Ok(ended)
    }

    /// Ends the session a cookie holds, from now.
    pub async fn sign_out(&self, secret: &str) -> Result<(), ServiceError> {
        if let Some(mut row) = self.session_row(secret).await? {
            row.expires_at = row.expires_at.min(self.clock().unix_seconds());
            self.store.update(&SESSIONS, &row.to_row()).await?;
        }
        Ok(())
    }

    async fn session_row(&self, secret: &str) -> Result<Option<SessionRow>, ServiceError> {
        let key = [Value::Text(token_hash(secret).into())];
        let Some(row) = self.store.get(&SESSIONS, &key).await? else {
            return Ok(None);
        };
        SessionRow::from_row(&row)
            .map(Some)
            .map_err(|e| ServiceError::Corrupt(format!("stored session: {e}")))
    }

    fn throttle(&self) -> std::sync::MutexGuard<'_, SignInThrottle> {
        // A panic while holding the lock cannot leave the counts half-changed in a way that
        // matters more than losing them.
        self.sign_ins
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
