//! `carepool user ...` and `carepool token ...`: who may use carepool. Passwords are read from
//! the terminal (not echoed) or from standard input, never from an argument, and never printed.

use crate::output::outln;
use anyhow::{Context, Result, bail};
use carepool_core::access::Role;
use carepool_service::Registry;
use carepool_service::users::NewUser;
use chrono::NaiveDate;
use clap::Subcommand;
use std::io::{BufRead, IsTerminal};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user; their password is asked for (or read from standard input).
    Add {
        /// The login name (one word).
        name: String,
        /// admin, enrolment_officer, finance_officer, claims_officer, medical_reviewer,
        /// manager, actuary, auditor, facility, grievance_officer or monitor (docs/ACCESS.md).
        #[arg(long)]
        role: Role,
        /// A location the user is bound to (its subtree); give it again for more. None: national.
        #[arg(long = "district")]
        districts: Vec<String>,
        /// The facility a facility user acts for.
        #[arg(long)]
        provider: Option<String>,
        /// The language of the user's pages (en, fr); default: the server's.
        #[arg(long)]
        language: Option<String>,
        /// No password is asked: the user signs in by token only (a system, such as a metrics
        /// scraper); `carepool user password` can give one later.
        #[arg(long)]
        token_only: bool,
    },
    /// List the users: name, role, districts or facility, and whether disabled.
    List,
    /// Disable a user from today: no sign-in, no token works.
    Disable {
        /// The user's login name.
        name: String,
    },
    /// Set the language of a user's pages (en, fr), or without one go back to the server's.
    Language {
        /// The user's login name.
        name: String,
        /// A language tag, as the pages' catalogues are named.
        language: Option<String>,
    },
    /// Set a user's password (asked for, or read from standard input).
    Password {
        /// The user's login name.
        name: String,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Make a token for a system or a facility to call the API with; printed once, never kept.
    Create {
        /// The user the token signs in as.
        #[arg(long)]
        user: String,
        /// The last day the token works (default: until revoked).
        #[arg(long)]
        expires: Option<NaiveDate>,
    },
    /// Revoke a token from today, by the id printed when it was made.
    Revoke {
        /// The token's id.
        id: String,
    },
}

/// Refuses a language the pages have no catalogue for.
fn check_pages_speak(language: &str) -> Result<()> {
    let spoken = carepool_server::page_languages();
    // fr-SN is spoken where fr is: the pages fall back to the primary language.
    let primary = language.split('-').next().unwrap_or(language);
    if !spoken.contains(&language) && !spoken.contains(&primary) {
        bail!(
            "the pages have no catalogue for {language}: they speak {}",
            spoken.join(", ")
        );
    }
    Ok(())
}

/// A new password: asked twice on a terminal, or the first line of standard input.
fn read_password(prompt: &str) -> Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("{prompt}: "))?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn run_user(command: UserCommand, registry: &Registry) -> Result<()> {
    match command {
        UserCommand::Add {
            name,
            role,
            districts,
            provider,
            language,
            token_only,
        } => {
            if let Some(language) = &language {
                check_pages_speak(language)?;
            }
            let password = match token_only {
                true => None,
                false => Some(read_password(&format!("Password for {name}"))?),
            };
            let user = NewUser {
                name,
                role,
                districts,
                provider,
                language,
            };
            let added = match password {
                Some(password) => registry.add_user(user, &password).await?,
                None => registry.add_token_user(user).await?,
            };
            outln!("user {} added as {}", added.name, added.role);
            if token_only {
                outln!(
                    "signs in by token only: carepool token create --user {}",
                    added.name
                );
            }
        }
        UserCommand::List => {
            for user in registry.users().await? {
                let bound = match (&user.provider, user.districts.is_empty()) {
                    (Some(provider), _) => format!("facility {provider}"),
                    (None, true) => "national".to_string(),
                    (None, false) => format!("districts {}", user.districts.join(", ")),
                };
                let state = user
                    .disabled_on
                    .map_or("active".to_string(), |day| format!("disabled since {day}"));
                let language = user.language.as_deref().unwrap_or("default language");
                outln!("{}\t{}\t{bound}\t{language}\t{state}", user.name, user.role);
            }
        }
        UserCommand::Disable { name } => {
            let user = registry.disable_user(&name).await?;
            let since = user.disabled_on.map(|d| d.to_string()).unwrap_or_default();
            outln!("user {} disabled since {since}", user.name);
        }
        UserCommand::Language { name, language } => {
            if let Some(language) = &language {
                check_pages_speak(language)?;
            }
            let user = registry.set_language(&name, language).await?;
            match user.language {
                Some(language) => outln!("the pages of {name} are in {language}"),
                None => outln!("the pages of {name} are in the server's default language"),
            }
        }
        UserCommand::Password { name } => {
            let password = read_password(&format!("New password for {name}"))?;
            registry.set_password(&name, &password).await?;
            outln!("password of {name} changed");
        }
    }
    Ok(())
}

pub async fn run_token(command: TokenCommand, registry: &Registry) -> Result<()> {
    match command {
        TokenCommand::Create { user, expires } => {
            let token = registry.create_token(&user, expires).await?;
            let until = expires.map_or("until revoked".to_string(), |d| format!("until {d}"));
            outln!(
                "token {} for {user}, {until}; keep it now, it is not shown again:",
                token.id
            );
            outln!("{}", token.secret);
        }
        TokenCommand::Revoke { id } => {
            let token = registry.revoke_token(&id).await?;
            outln!("token {} of {} revoked", token.id, token.user_name);
        }
    }
    Ok(())
}
