//! Signing in, as the API will: a password checked against its Argon2id hash, a token found by
//! its SHA-256, and neither working once revoked, expired or disabled.

use crate::support::{Harness, load_registry};
use carepool_core::access::Role;
use carepool_service::ManualClock;
use carepool_service::users::NewUser;
use std::sync::Arc;

pub async fn a_user_signs_in_by_password_or_token_until_disabled(h: Harness) {
    load_registry(&h).await;
    let clock = Arc::new(ManualClock::new("2025-09-01".parse().unwrap()));
    let registry = h.registry.clone().with_clock(clock.clone());
    let officer = NewUser {
        name: "awa".into(),
        role: Role::ClaimsOfficer,
        districts: vec!["D1".into()],
        provider: None,
    };
    registry
        .add_user(officer, "a long enough password")
        .await
        .unwrap();
    let signed_in = registry
        .check_password("awa", "a long enough password")
        .await
        .unwrap()
        .expect("the right password");
    assert_eq!(
        (signed_in.role, signed_in.districts),
        (Role::ClaimsOfficer, vec!["D1".to_string()])
    );
    for (name, password) in [
        ("awa", "a wrong password!!"),
        ("nobody", "a long enough password"),
    ] {
        assert!(
            registry
                .check_password(name, password)
                .await
                .unwrap()
                .is_none(),
            "{name} with a wrong password or no such user"
        );
    }

    let lasting = registry.create_token("awa", None).await.unwrap();
    let short = registry
        .create_token("awa", Some("2025-09-30".parse().unwrap()))
        .await
        .unwrap();
    let user = |secret: String| {
        let registry = registry.clone();
        async move { registry.token_user(&secret).await.unwrap().map(|u| u.name) }
    };
    assert_eq!(user(lasting.secret.clone()).await.as_deref(), Some("awa"));
    assert_eq!(user(short.secret.clone()).await.as_deref(), Some("awa"));
    assert_eq!(user("cp_not-a-token".into()).await, None);

    clock.set_today("2025-10-01".parse().unwrap());
    assert_eq!(
        user(short.secret.clone()).await,
        None,
        "expired after its last day"
    );
    assert_eq!(user(lasting.secret.clone()).await.as_deref(), Some("awa"));
    registry.revoke_token(&lasting.id).await.unwrap();
    assert_eq!(user(lasting.secret.clone()).await, None, "revoked");

    let again = registry.create_token("awa", None).await.unwrap();
    registry.disable_user("awa").await.unwrap();
    assert_eq!(user(again.secret).await, None, "a disabled user's token");
    assert!(
        registry
            .check_password("awa", "a long enough password")
            .await
            .unwrap()
            .is_none(),
        "a disabled user's password"
    );
}
