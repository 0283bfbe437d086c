//! Who may use carepool: its users and the tokens systems and facilities sign in with.

use crate::Reference;
use carepool_core::access::Role;
use chrono::NaiveDate;

crate::table! {
    pub static USERS: "users" ("user"), mod users, key [NAME], row UserRow;
    NAME name: String, "The user's login name.";
    ROLE role: Role, "What the user does: admin, enrolment_officer, finance_officer, \
        claims_officer, medical_reviewer, manager, actuary, auditor, facility, \
        grievance_officer or monitor.", filterable();
    DISTRICTS districts: Vec<String>,
        "Locations the user is bound to (their subtrees); none for a national user.";
    PROVIDER provider: Option<String>, "The facility a facility user acts for.",
        references(Reference::Table("providers"));
    PASSWORD_HASH password_hash: String, "The password's Argon2id hash (PHC string).";
    CREATED_ON created_on: NaiveDate, "The day the user was added.";
    DISABLED_ON disabled_on: Option<NaiveDate>, "The day the user was disabled; empty while active.";
    LANGUAGE language: Option<String>,
        "The language of the user's pages (a tag: en, fr); empty: the server's default.";
}

crate::table! {
    pub static TOKENS: "tokens" ("token"), mod tokens, key [ID], row TokenRow;
    ID id: String, "The token's public id, to name it (list, revoke).";
    TOKEN_HASH token_hash: String, "SHA-256 of the token, hex: the token itself is never kept.";
    USER_NAME user_name: String, "The user the token signs in as.",
        references(Reference::Table("users"));
    CREATED_ON created_on: NaiveDate, "The day it was made.";
    EXPIRES_ON expires_on: Option<NaiveDate>, "The last day it is good for; empty: no end.";
    REVOKED_ON revoked_on: Option<NaiveDate>, "The day it was revoked; empty while good.";
}

crate::table! {
    pub static SESSIONS: "sessions" ("session"), mod sessions, key [ID], row SessionRow;
    ID id: String, "SHA-256 of the session's cookie, hex: the cookie itself is never kept.";
    USER_NAME user_name: String, "The user signed in.", references(Reference::Table("users"));
    CSRF_TOKEN csrf_token: String,
        "Sent back in X-CSRF-Token with every write the session's cookie makes.";
    STARTED_AT started_at: i64, "When the user signed in, in seconds since 1970 (UTC).";
    EXPIRES_AT expires_at: i64,
        "When the session ends, in seconds since 1970 (UTC); set to the sign-out's time.";
}
