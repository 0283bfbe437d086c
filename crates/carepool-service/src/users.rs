//! Users and their tokens: who may sign in, as what role, bound to which districts or facility.
//! Passwords are kept only as Argon2id hashes, tokens only as SHA-256; neither is ever logged.

use crate::audit::Change;
use crate::{Registry, RowProblem, ServiceError};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use carepool_core::access::Role;
use carepool_core::registry::check_language;
use carepool_core::words::{Figure, Words};
use carepool_schema::access_tables::{SESSIONS, TOKENS, TokenRow, USERS, UserRow, tokens, users};
use carepool_schema::tables::{LOCATIONS, PROVIDERS};
use carepool_schema::{Record, Value};
use carepool_store::{ListQuery, Write};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// Shorter passwords are refused.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Passwords checked at once, at most.
static PASSWORD_CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// A user to add.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    pub districts: Vec<String>,
    pub provider: Option<String>,
    /// The language of the user's pages; none: the server's default.
    pub language: Option<String>,
}

/// A user as listed: never their password's hash.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct User {
    pub name: String,
    pub role: Role,
    pub districts: Vec<String>,
    pub provider: Option<String>,
    pub created_on: NaiveDate,
    pub disabled_on: Option<NaiveDate>,
    /// The language of the user's pages; none: the server's default.
    pub language: Option<String>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            name: row.name,
            role: row.role,
            districts: row.districts,
            provider: row.provider,
            created_on: row.created_on,
            disabled_on: row.disabled_on,
            language: row.language,
        }
    }
}

/// A token made for a user: `secret` is shown once and never stored.
#[derive(Debug)]
pub struct NewToken {
    pub id: String,
    pub secret: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> ServiceError {
    ServiceError::Invalid(vec![RowProblem::new(0, Some(field), message)])
}

/// A language tag, as the core checks it.
fn checked_language(tag: String) -> Result<String, ServiceError> {
    check_language("language", &tag).map_err(ServiceError::field)?;
    Ok(tag)
}

fn hash_password(password: &str) -> Result<String, ServiceError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid(
            "password",
            format!("is shorter than {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| ServiceError::Corrupt(format!("cannot hash a password: {e}")))
}

/// Random bytes from the operating system, as lowercase hex.
pub fn random_hex(bytes: usize) -> Result<String, ServiceError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer)
        .map_err(|e| ServiceError::Corrupt(format!("no randomness from the system: {e}")))?;
    Ok(hex::encode(buffer))
}

/// A password made for a user (the demo's): 96 random bits, as hex.
pub fn random_password() -> Result<String, ServiceError> {
    random_hex(12)
}

/// What is stored of a token: its SHA-256, hex.
pub fn token_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

impl Registry {
    /// Adds a user with `password` (hashed). Districts must be known locations; a facility user
    /// names its facility, and only a facility user does.
    pub async fn add_user(&self, user: NewUser, password: &str) -> Result<User, ServiceError> {
        self.add_user_hashed(user, hash_password(password)?).await
    }

    /// Adds a user who signs in by token only (a system: a metrics scraper, a facility's
    /// software): their password hash is of a random secret nobody is told, so no password
    /// signs in as them until one is set.
    pub async fn add_token_user(&self, user: NewUser) -> Result<User, ServiceError> {
        let secret = random_hex(32)?;
        self.add_user_hashed(user, hash_password(&secret)?).await
    }

    async fn add_user_hashed(
        &self,
        user: NewUser,
        password_hash: String,
    ) -> Result<User, ServiceError> {
        if user.name.trim().is_empty() || user.name.chars().any(char::is_whitespace) {
            return Err(invalid("name", "must be one word"));
        }
        match (user.role.is_facility(), &user.provider) {
            (true, None) => return Err(invalid("provider", "a facility user names its facility")),
            (false, Some(_)) => {
                return Err(invalid(
                    "provider",
                    "only a facility user acts for a facility",
                ));
            }
            _ => {}
        }
        if let Some(provider) = &user.provider {
            let known = self
                .store
                .existing_keys(&PROVIDERS, std::slice::from_ref(provider));
            if known.await?.is_empty() {
                return Err(invalid(
                    "provider",
                    format!("unknown facility '{provider}'"),
                ));
            }
        }
        let known = self
            .store
            .existing_keys(&LOCATIONS, &user.districts)
            .await?;
        if let Some(unknown) = user.districts.iter().find(|d| !known.contains(*d)) {
            return Err(invalid("district", format!("unknown location '{unknown}'")));
        }
        let row = UserRow {
            name: user.name,
            role: user.role,
            districts: user.districts,
            provider: user.provider,
            password_hash,
            created_on: self.today(),
            disabled_on: None,
            language: user.language.map(checked_language).transpose()?,
        };
        let user = User::from(row.clone());
        let change = user_change("add_user", None, Some(&user));
        self.write_audited(
            "addition of a user",
            vec![Write::Insert(&USERS, vec![row.to_row()])],
            vec![change],
        )
        .await
        .map_err(|e| match e {
            ServiceError::Conflict(_) | ServiceError::Taken { .. } => ServiceError::Taken {
                message: format!("a user named {} exists already", user.name),
                field: "name",
                words: Words::new("user-taken", [("name", Figure::text(&user.name))]),
            },
            other => other,
        })?;
        Ok(user)
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, ServiceError> {
        let query = ListQuery {
            limit: i64::MAX as u64,
            ..ListQuery::default()
        };
        self.store
            .list(&USERS, &query)
            .await?
            .iter()
            .map(|row| stored_user(row).map(User::from))
            .collect()
    }

    async fn user_row(&self, name: &str) -> Result<UserRow, ServiceError> {
        let row = self.store.get(&USERS, &[Value::Text(name.into())]).await?;
        stored_user(&row.ok_or_else(|| ServiceError::NotFound {
            what: "user",
            key: name.to_string(),
        })?)
    }

    /// Disables a user from today: they can no longer sign in, and their tokens stop working.
    pub async fn disable_user(&self, name: &str) -> Result<User, ServiceError> {
        let mut row = self.user_row(name).await?;
        if row.disabled_on.is_none() {
            let before = User::from(row.clone());
            row.disabled_on = Some(self.today());
            let after = User::from(row.clone());
            self.write_audited(
                "disabling of a user",
                vec![Write::Upsert(&USERS, vec![row.to_row()])],
                vec![user_change("disable_user", Some(&before), Some(&after))],
            )
            .await?;
            self.known_tokens.forget_all();
        }
        Ok(User::from(row))
    }

    /// Sets the language of a user's pages; none: the server's default.
    pub async fn set_language(
        &self,
        name: &str,
        language: Option<String>,
    ) -> Result<User, ServiceError> {
        let mut row = self.user_row(name).await?;
        let before = User::from(row.clone());
        row.language = language.map(checked_language).transpose()?;
        let after = User::from(row.clone());
        if before != after {
            self.write_audited(
                "change of a user's language",
                vec![Write::Upsert(&USERS, vec![row.to_row()])],
                vec![user_change("set_language", Some(&before), Some(&after))],
            )
            .await?;
        }
        Ok(after)
    }

    /// Sets a user's password, and ends the user's sessions: a password changed because it
    /// leaked must not leave a thief signed in.
    pub async fn set_password(&self, name: &str, password: &str) -> Result<(), ServiceError> {
        let mut row = self.user_row(name).await?;
        row.password_hash = hash_password(password)?;
        let sessions_ended = self.sessions_ended_now(&row.name).await?;
        // The trail says the password changed, never what to or from.
        let change = Change {
            action: "set_password",
            table: &USERS,
            key: Some(row.name.clone()),
            before: None,
            after: None,
        };
        let mut writes = vec![Write::Upsert(&USERS, vec![row.to_row()])];
        if !sessions_ended.is_empty() {
            writes.push(Write::Upsert(&SESSIONS, sessions_ended));
        }
        self.write_audited("change of a password", writes, vec![change])
            .await
    }

    /// The user, if `password` is theirs and they are not disabled. Whether the name exists or
    /// the password is wrong is not told apart.
    pub async fn check_password(
        &self,
        name: &str,
        password: &str,
    ) -> Result<Option<User>, ServiceError> {
        let row = match self.user_row(name).await {
            Ok(row) => row,
            Err(ServiceError::NotFound { .. }) => {
                // Checked all the same, against a hash no password matches, so that how long
                // the answer takes does not tell which names exist.
                let unmatchable = tokio::task::spawn_blocking(unmatchable_hash)
                    .await
                    .map_err(|e| {
                        ServiceError::Corrupt(format!("checking a password failed: {e}"))
                    })??;
                verify(unmatchable, password).await?;
                return Ok(None);
            }
            Err(other) => return Err(other),
        };
        PasswordHash::new(&row.password_hash)
            .map_err(|e| ServiceError::Corrupt(format!("user {name}'s password hash: {e}")))?;
        let matches = verify(row.password_hash.clone(), password).await?;
        Ok((matches && row.disabled_on.is_none()).then(|| User::from(row)))
    }

    /// Makes a token for `user`, good until `expires_on` (inclusive) if given.
    pub async fn create_token(
        &self,
        user: &str,
        expires_on: Option<NaiveDate>,
    ) -> Result<NewToken, ServiceError> {
        let owner = self.user_row(user).await?;
        if owner.disabled_on.is_some() {
            return Err(invalid("user", format!("user {user} is disabled")));
        }
        if let Some(expires) = expires_on
            && expires < self.today()
        {
            return Err(invalid("expires", format!("{expires} has passed")));
        }
        let secret = format!("cp_{}", random_hex(32)?);
        let id = random_hex(6)?;
        let row = TokenRow {
            id: id.clone(),
            token_hash: token_hash(&secret),
            user_name: owner.name,
            created_on: self.today(),
            expires_on,
            revoked_on: None,
        };
        let change = token_change("create_token", None, Some(&row));
        self.write_audited(
            "creation of a token",
            vec![Write::Insert(&TOKENS, vec![row.to_row()])],
            vec![change],
        )
        .await?;
        Ok(NewToken { id, secret })
    }

    /// Revokes a token from today.
    pub async fn revoke_token(&self, id: &str) -> Result<TokenRow, ServiceError> {
        let row = self.store.get(&TOKENS, &[Value::Text(id.into())]).await?;
        let mut token = stored_token(&row.ok_or_else(|| ServiceError::NotFound {
            what: "token",
            key: id.to_string(),
        })?)?;
        if token.revoked_on.is_none() {
            let before = token.clone();
            token.revoked_on = Some(self.today());
            self.write_audited(
                "revocation of a token",
                vec![Write::Upsert(&TOKENS, vec![token.to_row()])],
                vec![token_change("revoke_token", Some(&before), Some(&token))],
            )
            .await?;
            self.known_tokens.forget_all();
        }
        Ok(token)
    }

    /// The user a token signs in as, today: none for an unknown, revoked or expired token, or
    /// one of a disabled user. A token found is not read again for [`TOKEN_REMEMBERED_FOR`]
    /// (see `known_tokens`).
    ///
    /// [`TOKEN_REMEMBERED_FOR`]: crate::TOKEN_REMEMBERED_FOR
    pub async fn token_user(&self, secret: &str) -> Result<Option<User>, ServiceError> {
        let hash = token_hash(secret);
        let (now, today) = (self.clock().now(), self.today());
        if let Some(user) = self.known_tokens.user(&hash, now, today) {
            return Ok(Some(user));
        }
        let found = self
            .store
            .rows_where_in(&TOKENS, tokens::TOKEN_HASH.index(), &[hash])
            .await?;
        let Some(row) = found.first() else {
            return Ok(None);
        };
        let token = stored_token(row)?;
        if token.revoked_on.is_some() || token.expires_on.is_some_and(|last| last < today) {
            return Ok(None);
        }
        let user = self.active_user(&token.user_name).await?;
        if let Some(user) = &user {
            self.known_tokens
                .remember(token.token_hash, user.clone(), token.expires_on, now);
        }
        Ok(user)
    }

    /// The user named, unless disabled.
    pub(crate) async fn active_user(&self, name: &str) -> Result<Option<User>, ServiceError> {
        let row = self.user_row(name).await?;
        Ok(row.disabled_on.is_none().then(|| User::from(row)))
    }
}

/// A user's change for the trail: never their password's hash.
fn user_change(action: &'static str, before: Option<&User>, after: Option<&User>) -> Change {
    let json = |user: &User| serde_json::to_string(user).unwrap_or_default();
    Change {
        action,
        table: &USERS,
        key: after.or(before).map(|u| u.name.clone()),
        before: before.map(json),
        after: after.map(json),
    }
}

/// A token's change for the trail: never its hash.
fn token_change(
    action: &'static str,
    before: Option<&TokenRow>,
    after: Option<&TokenRow>,
) -> Change {
    let json = |token: &TokenRow| {
        serde_json::json!({
            "user": token.user_name,
            "created_on": token.created_on,
            "expires_on": token.expires_on,
            "revoked_on": token.revoked_on,
        })
        .to_string()
    };
    Change {
        action,
        table: &TOKENS,
        key: after.or(before).map(|t| t.id.clone()),
        before: before.map(json),
        after: after.map(json),
    }
}

/// Whether `given` is the password `stored` is the hash of. Argon2 takes tens of milliseconds
/// of a core and 19 MB by design: off the async workers, and a few at a time, so that a burst of
/// sign-ins cannot take the memory.
async fn verify(stored: String, given: &str) -> Result<bool, ServiceError> {
    let _turn = PASSWORD_CHECKS
        .acquire()
        .await
        .map_err(|e| ServiceError::Corrupt(format!("password checks closed: {e}")))?;
    let given = given.to_string();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(given.as_bytes(), &hash)
                .is_ok()
        })
    })
    .await
    .map_err(|e| ServiceError::Corrupt(format!("checking a password failed: {e}")))
}

/// A hash of a random password no one knows, made once: what an unknown name's password is
/// checked against.
fn unmatchable_hash() -> Result<String, ServiceError> {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(hash) = HASH.get() {
        return Ok(hash.clone());
    }
    let hash = hash_password(&random_hex(32)?)?;
    Ok(HASH.get_or_init(|| hash).clone())
}

fn stored_user(row: &[Value]) -> Result<UserRow, ServiceError> {
    UserRow::from_row(row).map_err(|e| {
        let name = users::NAME.value(row).as_text().unwrap_or_default();
        ServiceError::Corrupt(format!("stored user {name}: {e}"))
    })
}

fn stored_token(row: &[Value]) -> Result<TokenRow, ServiceError> {
    TokenRow::from_row(row).map_err(|e| ServiceError::Corrupt(format!("stored token: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_password_is_refused_and_a_good_one_is_hashed_with_argon2id() {
        assert!(hash_password("short").is_err());
        let hash = hash_password("a long enough password").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("a long enough password"));
    }

    #[test]
    fn an_unknown_name_is_checked_against_one_argon2id_hash_no_password_matches() {
        let hash = unmatchable_hash().unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert_eq!(unmatchable_hash().unwrap(), hash, "made once");
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"a long enough password", &parsed)
                .is_err()
        );
    }

    #[test]
    fn a_token_is_kept_as_its_sha256() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
