//! The operator pages through the router, as a browser uses them: signing in and out, the home
//! page's work by role, changing one's password, the CSRF field, escaping, languages, and the
//! page weight.

use crate::support::{Browser, Harness, call_app, load_registry};
use axum::http::StatusCode;
use carepool_core::access::Role;
use carepool_service::ManualClock;
use carepool_service::users::NewUser;
use std::sync::Arc;

const PASSWORD: &str = "a long enough password";

async fn add_user(h: &Harness, name: &str, role: Role, language: Option<&str>) {
    let user = NewUser {
        name: name.into(),
        role,
        districts: vec![],
        provider: role.is_facility().then(|| "H1".to_string()),
        language: language.map(str::to_string),
    };
    h.registry.add_user(user, PASSWORD).await.unwrap();
}

/// An enrolment officer opens a page, is sent to sign in, signs in (after a wrong password),
/// sees the members waiting for them and the navigation of their role, and signs out.
pub async fn an_officer_signs_in_sees_todays_work_and_signs_out(h: Harness) {
    load_registry(&h).await;
    add_user(&h, "awa", Role::EnrolmentOfficer, None).await;
    let mut browser = Browser::new(&h.registry);

    let home = browser.get("/").await;
    assert_eq!(
        (home.status, home.location()),
        (StatusCode::SEE_OTHER, "/login")
    );
    let asked = browser.get("/password").await;
    assert_eq!(asked.location(), "/login?next=%2Fpassword");

    let form = browser.get("/login?next=%2Fpassword").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert!(
        form.html
            .contains(r#"<label for="field-name">User name</label>"#)
    );
    assert_eq!(form.field("next"), "/password");
    let token = form.field("form_token");
    let wrong = browser
        .post(
            "/login",
            &[
                ("name", "awa"),
                ("password", "not the password"),
                ("form_token", &token),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.html.contains("Wrong user name or password."),
        "{}",
        wrong.html
    );
    assert!(!browser.has_cookie("carepool_session"));
    let retry = wrong.field("form_token");
    let signed_in = browser
        .post(
            "/login",
            &[
                ("name", "awa"),
                ("password", PASSWORD),
                ("form_token", &retry),
                ("next", "/password"),
            ],
        )
        .await;
    assert_eq!(
        (signed_in.status, signed_in.location()),
        (StatusCode::SEE_OTHER, "/password")
    );
    assert!(browser.has_cookie("carepool_session"));
    assert!(
        !browser.has_cookie("carepool_sign_in"),
        "the form's value is used once"
    );

    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.html);
    assert!(home.html.contains("<h1>Today's work</h1>"));
    assert!(home.html.contains("awa · enrolment officer"));
    assert!(home.html.contains("Members waiting to be confirmed"));
    // M3 is the fixtures' one pending member.
    assert!(
        home.html
            .contains("<td>M3</td><td>Asha Kumar</td><td><a href=\"/families/F1\">F1</a></td><td>1 April 2025</td>"),
        "{}",
        home.html
    );
    assert!(
        !home.html.contains("Claims waiting"),
        "not a reviewer's work"
    );
    assert!(
        home.html
            .contains(r#"<a href="/" aria-current="page">Home</a>"#)
    );
    assert!(
        home.html
            .contains(r#"<a href="/password">Change password</a>"#)
    );

    // Signing in again while signed in goes straight on.
    let again = browser.get("/login").await;
    assert_eq!(
        (again.status, again.location()),
        (StatusCode::SEE_OTHER, "/")
    );

    let csrf = home.field("csrf");
    let out = browser.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(
        (out.status, out.location()),
        (StatusCode::SEE_OTHER, "/login")
    );
    assert!(!browser.has_cookie("carepool_session"));
    assert_eq!(browser.get("/").await.location(), "/login");
}

/// A form of another site: the sign-in form without its one-time value, and a form sent with
/// the session's cookie but without its CSRF token, are refused and change nothing; a place to
/// go after signing in is one of the server's own.
pub async fn forms_without_their_tokens_are_refused(h: Harness) {
    load_registry(&h).await;
    add_user(&h, "awa", Role::EnrolmentOfficer, None).await;
    let mut stranger = Browser::new(&h.registry);
    let refused = stranger
        .post(
            "/login",
            &[
                ("name", "awa"),
                ("password", PASSWORD),
                ("form_token", "made-up"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!stranger.has_cookie("carepool_session"));

    let mut browser = Browser::new(&h.registry);
    let form = browser.get("/login?next=https://evil.example/").await;
    let token = form.field("form_token");
    let signed_in = browser
        .post(
            "/login",
            &[
                ("name", "awa"),
                ("password", PASSWORD),
                ("form_token", &token),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(signed_in.location(), "/", "never another site");

    let change = [
        ("current", PASSWORD),
        ("new", "another long password"),
        ("repeated", "another long password"),
    ];
    for csrf in [None, Some("0123456789abcdef0123456789abcdef")] {
        let mut fields = change.to_vec();
        if let Some(csrf) = csrf {
            fields.push(("csrf", csrf));
        }
        let refused = browser.post("/password", &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
        assert!(refused.html.contains("sent without its security token"));
    }
    assert!(
        h.registry
            .check_password("awa", PASSWORD)
            .await
            .unwrap()
            .is_some(),
        "unchanged"
    );
    assert_eq!(
        browser.get("/").await.status,
        StatusCode::OK,
        "still signed in"
    );
}

/// Changing one's password: the current one must be right, the new one given twice alike and
/// long enough, each problem beside its field and at the top; once changed, every session ends.
pub async fn a_user_changes_their_password_and_signs_in_again(h: Harness) {
    load_registry(&h).await;
    add_user(&h, "fatou", Role::FinanceOfficer, None).await;
    let mut browser = Browser::new(&h.registry);
    let mut other_device = Browser::new(&h.registry);
    browser.sign_in("fatou", PASSWORD).await;
    other_device.sign_in("fatou", PASSWORD).await;
    let form = browser.get("/password").await;
    assert!(form.html.contains("At least 10 characters."));
    let csrf = form.field("csrf");

    let attempts = [
        (
            [
                "not it at all",
                "another long password",
                "another long password",
            ],
            "This is not your current password.",
            "field-current",
        ),
        (
            [PASSWORD, "another long password", "another long passwork"],
            "The two new passwords differ.",
            "field-repeated",
        ),
        (
            [PASSWORD, "short", "short"],
            "The new password is shorter than 10 characters.",
            "field-new",
        ),
    ];
    for ([current, new, repeated], message, field) in attempts {
        let sent = browser
            .post(
                "/password",
                &[
                    ("csrf", &csrf),
                    ("current", current),
                    ("new", new),
                    ("repeated", repeated),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(
            sent.html
                .contains(&format!(r##"<a href="#{field}">{message}</a>"##)),
            "{}",
            sent.html
        );
        assert!(
            sent.html
                .contains(&format!(r#"aria-describedby="{field}-error""#))
        );
        for typed in [current, new, repeated] {
            assert!(
                !sent.html.contains(&format!("value=\"{typed}\"")),
                "a password is never sent back"
            );
        }
    }
    let changed = browser
        .post(
            "/password",
            &[
                ("csrf", &csrf),
                ("current", PASSWORD),
                ("new", "another long password"),
                ("repeated", "another long password"),
            ],
        )
        .await;
    assert_eq!(
        (changed.status, changed.location()),
        (StatusCode::SEE_OTHER, "/login?changed=1")
    );
    assert_eq!(browser.get("/").await.location(), "/login");
    assert_eq!(
        other_device.get("/").await.location(),
        "/login",
        "every session ended"
    );
    let notice = browser.get("/login?changed=1").await;
    assert!(notice.html.contains("Your password has been changed."));
    let again = browser.sign_in("fatou", "another long password").await;
    assert_eq!(again.location(), "/");
}

/// What people typed is shown as text, never run: a member named with markup.
pub async fn a_name_with_markup_shows_as_text(h: Harness) {
    load_registry(&h).await;
    let member = h.write(
        "members.csv",
        "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since\n\
         M9,F3,<script>alert(1)</script>,child,F,2020-01-01,,,,pending,2025-04-01\n",
    );
    h.import("members", &member).await.unwrap();
    add_user(&h, "awa", Role::EnrolmentOfficer, None).await;
    let mut browser = Browser::new(&h.registry);
    browser.sign_in("awa", PASSWORD).await;
    let home = browser.get("/").await;
    assert!(
        home.html
            .contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"),
        "{}",
        home.html
    );
    assert!(!home.html.contains("<script"));
}

/// A user whose language is French gets every word of the pages in French, dates and amounts
/// written the French way; a role's navigation and work follow the role.
pub async fn pages_speak_the_users_language(h: Harness) {
    load_registry(&h).await;
    add_user(&h, "moussa", Role::EnrolmentOfficer, Some("fr")).await;
    let mut browser = Browser::new(&h.registry);
    let form = browser.get("/login?lang=fr").await;
    assert!(form.html.contains(r#"<html lang="fr">"#));
    assert!(form.html.contains("Nom d'utilisateur"));
    browser.sign_in("moussa", PASSWORD).await;
    for path in ["/", "/password"] {
        let page = browser.get(path).await;
        assert!(page.html.contains(r#"<html lang="fr">"#), "{path}");
        for english in [
            "Home",
            "Sign out",
            "Change password",
            "Today's work",
            "Members waiting",
            "Skip to",
        ] {
            assert!(
                !page.html.contains(english),
                "{path} still says {english}: {}",
                page.html
            );
        }
    }
    let home = browser.get("/").await;
    assert!(home.html.contains("<h1>Travail du jour</h1>"));
    assert!(home.html.contains("agent d'immatriculation"));
    assert!(home.html.contains("<td>1 avril 2025</td>"), "{}", home.html);
    // A refusal of the scheme's rules, in French too: F3's poverty score is above pip's 35.
    let csrf = home.field("csrf");
    let refused = browser
        .post(
            "/families/F3/cover/new",
            &[
                ("csrf", &csrf),
                ("member_id", "M5"),
                ("start_date", "2025-04-01"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("Non éligible : le score de pauvreté 61 dépasse le seuil de 35 (règle eligibility.poverty_score_max)"),
        "{}",
        refused.html
    );
    // A field's own rule broken, in French too.
    let out_of_range = browser
        .post(
            "/families/new",
            &[
                ("csrf", &csrf),
                ("id", "F9"),
                ("scheme", "pip"),
                ("location_code", "V1"),
                ("poverty_score", "150"),
            ],
        )
        .await;
    assert_eq!(out_of_range.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        out_of_range.html.contains("150 n'est pas entre 0 et 100"),
        "{}",
        out_of_range.html
    );
    // A key taken, and a record not found, in French.
    let taken = browser
        .post(
            "/families/new",
            &[
                ("csrf", &csrf),
                ("id", "F3"),
                ("scheme", "pip"),
                ("location_code", "V1"),
            ],
        )
        .await;
    assert_eq!(
        taken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        taken.html
    );
    assert!(
        taken.html.contains("une autre famille a déjà le même id"),
        "{}",
        taken.html
    );
    let missing = browser.get("/families/F99").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.html.contains("aucune famille de clé F99"),
        "{}",
        missing.html
    );
}

/// A page with its stylesheet weighs under 100 KB before compression (the budget is for after:
/// this is stricter), and the stylesheet may be kept by the browser.
pub async fn a_page_and_its_stylesheet_weigh_under_the_budget(h: Harness) {
    load_registry(&h).await;
    add_user(&h, "awa", Role::EnrolmentOfficer, None).await;
    let mut browser = Browser::new(&h.registry);
    browser.sign_in("awa", PASSWORD).await;
    let home = browser.get("/").await;
    let style = browser.get("/static/carepool.css").await;
    assert_eq!(style.status, StatusCode::OK);
    assert_eq!(style.headers["content-type"], "text/css; charset=utf-8");
    assert!(
        style.headers["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("public")
    );
    assert!(
        !home.html.contains("<script"),
        "the core pages need no script"
    );
    let weight = home.html.len() + style.html.len();
    assert!(weight < 100_000, "{weight} bytes");
}

/// An address nothing serves: a page under the pages, the API's JSON error under `/api/`.
pub async fn an_unknown_address_is_a_page_or_the_apis_error(h: Harness) {
    add_user(&h, "awa", Role::EnrolmentOfficer, None).await;
    let mut browser = Browser::new(&h.registry);
    browser.sign_in("awa", PASSWORD).await;
    let missing = browser.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.html.contains("There is no page at this address."));
    assert!(
        missing.html.contains("awa · enrolment officer"),
        "with the user's header"
    );
    let api = browser.get("/api/no/such/endpoint").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.html.contains(r#""code":"not_found""#), "{}", api.html);
}

/// An enrolment officer finds members by a part of a name typed without accents or capitals, by
/// a member's, a family's or a national id; opens the family's page and a member's card.
pub async fn an_officer_finds_a_family_and_opens_its_page_and_a_card(h: Harness) {
    load_registry(&h).await;
    add_user(&h, "awa", Role::EnrolmentOfficer, None).await;
    let mut browser = Browser::new(&h.registry);
    browser.sign_in("awa", PASSWORD).await;
    let home = browser.get("/").await;
    assert!(home.html.contains(r#"<a href="/members">Members</a>"#));

    let found = browser.get("/members?q=KUMAR").await;
    assert_eq!(found.status, StatusCode::OK);
    for member in [
        "<td>M1</td><td>Ravi Kumar</td>",
        "<td>M2</td><td>Sita Kumar</td>",
        "<td>M3</td><td>Asha Kumar</td>",
    ] {
        assert!(found.html.contains(member), "{member}: {}", found.html);
    }
    assert!(found.html.contains(r#"<a href="/families/F1">F1</a>"#));
    assert!(found.html.contains("pending since 1 April 2025"));
    assert!(!found.html.contains("Lata Devi"));
    for (wanted, member) in [
        ("NID004", "M4"),
        ("M5", "M5"),
        ("F2", "M4"),
        ("lata%20%20DEVI", "M4"),
    ] {
        let page = browser.get(&format!("/members?q={wanted}")).await;
        assert!(
            page.html.contains(&format!("<td>{member}</td>")),
            "{wanted}: {}",
            page.html
        );
    }
    let none = browser.get("/members?q=nobody").await;
    assert!(none.html.contains("No member answers “nobody”."));

    let family = browser.get("/families/F1").await;
    assert_eq!(family.status, StatusCode::OK, "{}", family.html);
    assert!(family.html.contains("<h1>Family F1</h1>"));
    assert!(
        family.html.contains(
            "<td>M2</td><td>Sita Kumar</td><td>spouse</td><td>female</td><td>29 February 1984</td>"
        ),
        "{}",
        family.html
    );
    assert!(
        family
            .html
            .contains(r#"<td><a href="/contributions/G-1">G-1</a></td><td>government</td>"#)
    );
    assert!(family.html.contains("750.00 INR"), "{}", family.html);
    assert!(
        !family.html.contains("Latest claims"),
        "an enrolment officer reads no claims"
    );
    assert!(
        family
            .html
            .contains(r#"<a href="/members/M1/card">Card</a>"#)
    );
    assert!(family.html.contains("imported"), "the record's history");

    let card = browser.get("/members/M1/card").await;
    assert_eq!(card.status, StatusCode::OK);
    assert!(card.html.contains(r#"<p class="card-name">Ravi Kumar</p>"#));
    assert!(card.html.contains(r#"<dd class="card-id">M1</dd>"#));
    assert!(card.html.contains("<svg aria-hidden=\"true\""));

    let missing = browser.get("/families/F404").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.html.contains("no family with key F404"));
}

/// A district officer sees the registry of their district only: another district's family is
/// not found and its members are not found by a search; a facility may not open the registry.
pub async fn a_district_officer_finds_nothing_of_another_district(h: Harness) {
    load_registry(&h).await;
    let elsewhere = h.write(
        "locations.csv",
        "code,name,kind,parent_code,area\nD2,Hillside,district,P1,\n",
    );
    h.import("locations", &elsewhere).await.unwrap();
    let officer = NewUser {
        name: "ben".into(),
        role: Role::EnrolmentOfficer,
        districts: vec!["D2".into()],
        provider: None,
        language: None,
    };
    h.registry.add_user(officer, PASSWORD).await.unwrap();
    let mut browser = Browser::new(&h.registry);
    browser.sign_in("ben", PASSWORD).await;
    let family = browser.get("/families/F1").await;
    assert_eq!(family.status, StatusCode::NOT_FOUND, "{}", family.html);
    assert!(!family.html.contains("Kumar"));
    assert_eq!(
        browser.get("/members/M1/card").await.status,
        StatusCode::NOT_FOUND
    );
    let search = browser.get("/members?q=kumar").await;
    assert!(search.html.contains("No member answers"));
    let home = browser.get("/").await;
    assert!(
        home.html.contains("No member is waiting to be confirmed."),
        "M3 is elsewhere"
    );

    add_user(&h, "clinic", Role::Facility, None).await;
    let mut facility = Browser::new(&h.registry);
    facility.sign_in("clinic", PASSWORD).await;
    let refused = facility.get("/members?q=kumar").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.html.contains("Your role does not allow this page."));
    assert!(
        !facility.get("/").await.html.contains(r#"href="/members""#),
        "not in its navigation"
    );
}

/// A search stops reading the registry once it has the members a page shows, across the
/// store's pages.
pub async fn a_search_reads_only_as_far_as_it_needs(h: Harness) {
    load_registry(&h).await;
    let every = |_: &carepool_core::registry::Member| true;
    let ids = |found: Vec<carepool_core::registry::Member>| -> Vec<String> {
        found.into_iter().map(|m| m.id).collect()
    };
    // Two records a page: the search crosses pages of the store.
    let two_a_page = || carepool_service::Query::page(0, 2);
    let first = h
        .registry
        .first_matching(two_a_page(), every, 3)
        .await
        .unwrap();
    assert_eq!(ids(first), ["M1", "M2", "M3"]);
    let kumars = h
        .registry
        .first_matching(two_a_page(), |m| m.name.ends_with("Kumar"), 10)
        .await
        .unwrap();
    assert_eq!(ids(kumars), ["M1", "M2", "M3"]);
    let none = h
        .registry
        .first_matching(two_a_page(), every, 0)
        .await
        .unwrap();
    assert!(none.is_empty());
}

/// An enrolment officer registers a family, adds its members, enrols one (the scheme's rules
/// allow it) and is refused for a family the rules exclude, the rule named; a wrong field is
/// named beside the field, and nothing is written. A finance officer records a contribution and
/// prints its receipt; a death is recorded as a status.
pub async fn an_officer_enrols_a_family_and_is_refused_an_ineligible_one(h: Harness) {
    load_registry(&h).await;
    add_user(&h, "awa", Role::EnrolmentOfficer, None).await;
    add_user(&h, "fatou", Role::FinanceOfficer, None).await;
    let mut browser = Browser::new(&h.registry);
    browser.sign_in("awa", PASSWORD).await;
    let form = browser.get("/families/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    assert!(
        form.html
            .contains(r#"<label for="field-location_code">Location code (village)</label>"#)
    );
    assert_eq!(
        form.field("scheme"),
        "pip",
        "the one scheme, chosen already"
    );
    let csrf = form.field("csrf");

    let before = h.dump().await;
    let wrong = browser
        .post(
            "/families/new",
            &[
                ("csrf", &csrf),
                ("id", "F7"),
                ("scheme", "pip"),
                ("location_code", "V1"),
                ("poverty_score", "lots"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.html.contains(r##"<a href="#field-poverty_score">"##),
        "{}",
        wrong.html
    );
    assert!(
        wrong.html.contains(r#"value="F7""#),
        "what was typed is kept"
    );
    let unknown = browser
        .post(
            "/families/new",
            &[
                ("csrf", &csrf),
                ("id", "F7"),
                ("scheme", "pip"),
                ("location_code", "NOWHERE"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.html.contains("NOWHERE"), "{}", unknown.html);
    assert_eq!(h.dump().await, before, "a refused form writes nothing");

    for (id, score) in [("F7", "20"), ("F8", "80")] {
        let made = browser
            .post(
                "/families/new",
                &[
                    ("csrf", &csrf),
                    ("id", id),
                    ("scheme", "pip"),
                    ("location_code", "V1"),
                    ("poverty_score", score),
                ],
            )
            .await;
        assert_eq!(
            (made.status, made.location()),
            (StatusCode::SEE_OTHER, format!("/families/{id}").as_str())
        );
        let member = browser
            .post(
                &format!("/families/{id}/members/new"),
                &[
                    ("csrf", &csrf),
                    ("id", &format!("{id}-1")),
                    ("name", "Awa Ouédraogo"),
                    ("relationship", "head"),
                    ("sex", "F"),
                    ("birth_date", "1990-05-01"),
                    ("status", "active"),
                    ("status_since", "2025-04-01"),
                ],
            )
            .await;
        assert_eq!(member.status, StatusCode::SEE_OTHER, "{}", member.html);
    }
    let enrolled = browser
        .post(
            "/families/F7/cover/new",
            &[
                ("csrf", &csrf),
                ("member_id", "F7-1"),
                ("start_date", "2025-04-01"),
            ],
        )
        .await;
    assert_eq!(
        (enrolled.status, enrolled.location()),
        (StatusCode::SEE_OTHER, "/families/F7")
    );
    let family = browser.get("/families/F7").await;
    assert!(
        family
            .html
            .contains("<td>F7-1</td><td>1 April 2025</td><td>open</td>"),
        "{}",
        family.html
    );

    let refused = browser
        .post(
            "/families/F8/cover/new",
            &[
                ("csrf", &csrf),
                ("member_id", "F8-1"),
                ("start_date", "2025-04-01"),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    assert!(refused.html.contains("Not eligible:"), "{}", refused.html);
    assert!(
        refused.html.contains("poverty_score_max"),
        "the rule is named: {}",
        refused.html
    );
    let elsewhere = browser
        .post(
            "/families/F8/cover/new",
            &[
                ("csrf", &csrf),
                ("member_id", "F7-1"),
                ("start_date", "2025-04-01"),
            ],
        )
        .await;
    assert!(elsewhere.html.contains("This member is not of family F8."));

    let died = browser
        .post(
            "/members/F7-1/status",
            &[
                ("csrf", &csrf),
                ("status", "deceased"),
                ("status_since", "2026-01-10"),
            ],
        )
        .await;
    assert_eq!(died.location(), "/families/F7");
    assert!(
        browser
            .get("/families/F7")
            .await
            .html
            .contains("died on 10 January 2026")
    );
    let refused_contribution = browser.get("/families/F7/contributions/new").await;
    assert_eq!(
        refused_contribution.status,
        StatusCode::FORBIDDEN,
        "an enrolment officer records no money"
    );

    let mut finance = Browser::new(&h.registry);
    finance.sign_in("fatou", PASSWORD).await;
    let form = finance.get("/families/F7/contributions/new").await;
    let csrf = form.field("csrf");
    let paid = finance
        .post(
            "/families/F7/contributions/new",
            &[
                ("csrf", &csrf),
                ("receipt", "R-77"),
                ("payer", "government"),
                ("period_start", "2025-04-01"),
                ("period_end", "2026-03-31"),
                ("amount", "1 250,50"),
                ("paid_on", "2025-04-02"),
            ],
        )
        .await;
    assert_eq!(
        (paid.status, paid.location()),
        (StatusCode::SEE_OTHER, "/contributions/R-77")
    );
    let receipt = finance.get("/contributions/R-77").await;
    assert!(receipt.html.contains("1,250.50 INR"), "{}", receipt.html);
    assert!(receipt.html.contains("<h1>Receipt R-77</h1>"));
    let trail = h.registry.audit_trail(&Default::default()).await.unwrap();
    assert!(
        trail
            .iter()
            .any(|r| r.actor == "fatou" && r.action == "create" && r.table_name == "contributions")
    );
    assert!(
        trail
            .iter()
            .any(|r| r.actor == "awa" && r.action == "update" && r.table_name == "members")
    );
}

/// A facility checks a member's cover, sends a claim from the form and sees its decision with
/// every amount; a second claim for the same stay is held for review; the medical reviewer finds
/// it in the queue with its reason and adjusts it with a note; the claims list filters by status.
pub async fn a_facility_sends_a_claim_and_a_reviewer_adjusts_one(h: Harness) {
    load_registry(&h).await;
    add_user(&h, "clinic", Role::Facility, None).await;
    add_user(&h, "doc", Role::MedicalReviewer, None).await;
    let mut facility = Browser::new(&h.registry);
    facility.sign_in("clinic", PASSWORD).await;
    let checked = facility
        .get("/claims/new?member_id=M4&care_date=2025-06-01")
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.html);
    assert!(
        checked.html.contains("M4 is covered on 1 June 2025"),
        "{}",
        checked.html
    );
    assert!(checked.html.contains("Left"));
    let unknown = facility.get("/claims/new?member_id=M404").await;
    assert!(unknown.html.contains("No member M404 is known here."));
    let csrf = checked.field("csrf");
    let stay = |number: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("member_id", "M4".to_string()),
            ("claim_number", number.to_string()),
            ("admission_date", "2025-06-01".into()),
            ("discharge_date", "2025-06-04".into()),
            ("clinical_category", "surgical".into()),
            ("specialty", "general_surgery".into()),
            ("diagnosis_codes", "K40.9".into()),
            ("line-1-service_code", "SURG-GEN".into()),
            ("line-1-quantity", "1".into()),
            ("line-1-unit_price", "22000".into()),
        ]
    };
    let first = stay("P-1");
    let sent = facility.post("/claims/new", &pairs(&first)).await;
    assert_eq!(
        (sent.status, sent.location()),
        (StatusCode::SEE_OTHER, "/claims/H1/P-1"),
        "{}",
        sent.html
    );
    let decided = facility.get("/claims/H1/P-1").await;
    assert!(
        decided.html.contains("<strong>approved</strong>"),
        "{}",
        decided.html
    );
    assert!(decided.html.contains("22,000.00 INR"));
    assert!(
        !decided.html.contains("Your decision"),
        "a facility does not review"
    );

    let bad: Vec<(&str, String)> = vec![
        ("csrf", csrf.clone()),
        ("member_id", "M4".into()),
        ("claim_number", "P-9".into()),
        ("clinical_category", "surgical".into()),
        ("line-1-service_code", "SURG-GEN".into()),
        ("line-1-quantity", "one".into()),
        ("line-2-unit_price", "500".into()),
    ];
    let refused = facility.post("/claims/new", &pairs(&bad)).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains(r##"href="#field-line-1-quantity""##)
            && refused
                .html
                .contains(r##"href="#field-line-2-service_code""##),
        "{}",
        refused.html
    );

    let second = stay("P-2");
    facility.post("/claims/new", &pairs(&second)).await;
    let held = facility.get("/claims/H1/P-2").await;
    assert!(
        held.html.contains("<strong>in review</strong>"),
        "{}",
        held.html
    );
    assert!(held.html.contains("duplicate_claim"));

    let mut reviewer = Browser::new(&h.registry);
    reviewer.sign_in("doc", PASSWORD).await;
    let queue = reviewer.get("/review").await;
    assert!(
        queue
            .html
            .contains(r#"<a href="/claims/H1/P-2">H1/P-2</a>"#),
        "{}",
        queue.html
    );
    assert!(
        queue.html.contains("<code>duplicate_claim</code>"),
        "{}",
        queue.html
    );
    let page = reviewer.get("/claims/H1/P-2").await;
    assert!(page.html.contains("Your decision"));
    let csrf = page.field("csrf");
    let no_note = reviewer
        .post(
            "/claims/H1/P-2/review",
            &[
                ("csrf", &csrf),
                ("decision", "adjust"),
                ("approved", "1000"),
                ("not_duplicate", "yes"),
            ],
        )
        .await;
    assert_eq!(
        no_note.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_note.html
    );
    let adjusted = reviewer
        .post(
            "/claims/H1/P-2/review",
            &[
                ("csrf", &csrf),
                ("decision", "adjust"),
                ("approved", "1000"),
                ("note", "a second operation, at a lower price"),
                ("not_duplicate", "yes"),
            ],
        )
        .await;
    assert_eq!(
        (adjusted.status, adjusted.location()),
        (StatusCode::SEE_OTHER, "/claims/H1/P-2"),
        "{}",
        adjusted.html
    );
    let after = reviewer.get("/claims/H1/P-2").await;
    assert!(after.html.contains("a second operation, at a lower price"));
    assert!(after.html.contains("1,000.00 INR"));
    assert!(!after.html.contains("Your decision"));

    let listed = reviewer.get("/claims?status=approved").await;
    assert!(listed.html.contains("H1/P-1"), "{}", listed.html);
    let mine = facility.get("/claims").await;
    assert!(
        mine.html.contains("H1/P-1") && mine.html.contains("H1/P-2"),
        "{}",
        mine.html
    );
    assert!(
        !mine.html.contains(r#"name="provider""#),
        "a facility filters its own claims only"
    );
    let wrong = reviewer.get("/claims?from=June").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.html.contains("“June” is not a date"));
}

/// Form fields as [`Browser::post`] takes them.
fn pairs<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

/// One finance officer proposes the month's run, another releases it (the first may not), and
/// the facility's remittance advice is printed and downloaded as CSV and XLSX.
pub async fn two_finance_officers_propose_and_release_a_run_and_print_the_remittance(h: Harness) {
    load_registry(&h).await;
    // Decided in September, paid once September is over.
    let clock = Arc::new(ManualClock::new("2025-09-10".parse().unwrap()));
    let registry = h.registry.clone().with_clock(clock.clone());
    let facility = h.token(Role::Facility).await;
    let claim =
        serde_json::to_value(crate::claims::surgery("R-1", "M1", "2025-06-01", 20_000)).unwrap();
    let app = carepool_server::router(registry.clone());
    let (status, body) = call_app(app, Some(&facility), "POST", "/api/claims", Some(claim)).await;
    assert_eq!(
        (status, &body["status"]),
        (StatusCode::CREATED, &serde_json::json!("approved")),
        "{body}"
    );
    clock.set_today("2025-10-05".parse().unwrap());
    for (name, role) in [
        ("fatou", Role::FinanceOfficer),
        ("moussa", Role::FinanceOfficer),
        ("awa", Role::EnrolmentOfficer),
    ] {
        add_user(&h, name, role, None).await;
    }
    let today = registry.today();
    let period = "2025-09".to_string();
    let runs = format!("/payments?period={period}");

    let mut fatou = Browser::new(&registry);
    fatou.sign_in("fatou", PASSWORD).await;
    let empty = fatou.get(&runs).await;
    assert!(
        empty
            .html
            .contains(&format!("No payment run for {period} yet.")),
        "{}",
        empty.html
    );
    let csrf = empty.field("csrf");
    let proposed = fatou
        .post("/payments", &[("csrf", &csrf), ("period", &period)])
        .await;
    assert_eq!(
        (proposed.status, proposed.location()),
        (StatusCode::SEE_OTHER, runs.as_str())
    );
    let page = fatou.get(&runs).await;
    assert!(
        page.html.contains(&format!("Run {period}/1 · proposed")),
        "{}",
        page.html
    );
    assert!(
        page.html
            .contains("You proposed this run: another finance officer releases it.")
    );
    let release = format!("/payment-runs/{period}/1/release");
    let own = fatou
        .post(&release, &[("csrf", &csrf), ("date", &today.to_string())])
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.html);
    let misdated = fatou
        .post(&release, &[("csrf", &csrf), ("date", "the 5th")])
        .await;
    assert_eq!(misdated.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        misdated.html.contains("“the 5th” is not a date"),
        "{}",
        misdated.html
    );

    let mut moussa = Browser::new(&registry);
    moussa.sign_in("moussa", PASSWORD).await;
    let page = moussa.get(&runs).await;
    assert!(
        page.html.contains(&format!(r#"action="{release}""#)),
        "{}",
        page.html
    );
    let csrf = page.field("csrf");
    let released = moussa
        .post(&release, &[("csrf", &csrf), ("date", &today.to_string())])
        .await;
    assert_eq!(
        (released.status, released.location()),
        (StatusCode::SEE_OTHER, runs.as_str()),
        "{}",
        released.html
    );
    assert!(
        moussa
            .get(&runs)
            .await
            .html
            .contains(&format!("Run {period}/1 · released and paid"))
    );

    let remittance = format!("/payment-runs/{period}/1/remittance/H1");
    let advice = moussa.get(&remittance).await;
    assert_eq!(advice.status, StatusCode::OK, "{}", advice.html);
    assert!(
        advice
            .html
            .contains("<td>H1/R-1</td><td>M1</td><td>1 June 2025</td>"),
        "{}",
        advice.html
    );
    assert!(advice.html.contains("20,000.00 INR"));
    let csv = moussa.get(&format!("{remittance}?format=csv")).await;
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("remittance-{}-1-H1.csv", period))
    );
    assert!(
        csv.html
            .starts_with("claim,member,care_date,claimed,member_share,rejected,paid,refund\n"),
        "{}",
        csv.html
    );
    assert!(
        csv.html.contains("H1/R-1,M1,2025-06-01,20000.00,"),
        "{}",
        csv.html
    );
    let xlsx = moussa.get(&format!("{remittance}?format=xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"), "a workbook is a zip file");
    assert_eq!(
        moussa
            .get(&format!("/payment-runs/{period}/1/remittance/H2"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let mut awa = Browser::new(&registry);
    awa.sign_in("awa", PASSWORD).await;
    assert_eq!(awa.get(&runs).await.status, StatusCode::FORBIDDEN);
}

/// An actuary runs the reserve study from its page with the command's options, reads the report
/// and downloads it as XLSX, CSV and JSON; a wrong option is named beside its field.
pub async fn an_actuary_runs_a_reserve_report_and_downloads_it(h: Harness) {
    load_registry(&h).await;
    let claims = serde_json::json!([
        crate::reserve::stay("R1", "M1", "2025-06-10", "2025-06-20"),
        crate::reserve::stay("R2", "M4", "2025-06-15", "2025-07-02"),
        crate::reserve::stay("R3", "M1", "2025-07-05", "2025-07-20"),
        crate::reserve::stay("R4", "M4", "2025-08-05", "2025-10-10"),
        crate::reserve::stay("R5", "M1", "2025-10-05", "2025-10-20"),
    ]);
    let (status, body) = h.call("POST", "/api/claims", Some(claims)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    add_user(&h, "ama", Role::Actuary, None).await;
    add_user(&h, "awa", Role::EnrolmentOfficer, None).await;
    let mut actuary = Browser::new(&h.registry);
    actuary.sign_in("ama", PASSWORD).await;
    let home = actuary.get("/").await;
    assert!(
        home.html
            .contains(r#"<a href="/analysis/reserve">Reserves</a>"#),
        "{}",
        home.html
    );
    let form = actuary.get("/analysis/reserve").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.html
            .contains(r#"<label for="field-method">Method</label>"#)
    );

    let asked = "/analysis/reserve?run=1&method=chain-ladder&origin=quarter&valuation=2025-12-31";
    let report = actuary.get(asked).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.html);
    assert!(report.html.contains("IBNR"), "{}", report.html);
    assert!(
        report.html.contains("INR"),
        "amounts with the currency: {}",
        report.html
    );
    assert!(report.html.contains("2025Q4"));
    for (format, media) in [
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("csv", "text/csv; charset=utf-8"),
        ("json", "application/json"),
    ] {
        let file = actuary.get(&format!("{asked}&format={format}")).await;
        assert_eq!(
            (file.status, file.headers["content-type"].to_str().unwrap()),
            (StatusCode::OK, media),
            "{format}"
        );
        assert!(
            file.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains(&format!("reserve.{format}"))
        );
    }
    let workbook = actuary.get(&format!("{asked}&format=xlsx")).await;
    assert!(workbook.bytes.starts_with(b"PK"));
    let json = actuary.get(&format!("{asked}&format=json")).await;
    let study: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
    assert_eq!(study["method"], "chain-ladder", "{study}");

    // Bornhuetter-Ferguson with the earned premium typed as ORIGIN=AMOUNT pairs.
    let bf = "/analysis/reserve?run=1&method=bf&origin=quarter&valuation=2025-12-31\
              &loss_ratio=0.7&exposure=2025Q2%3D100000%3B2025Q3%3D100000%3B2025Q4%3D120000";
    let json = actuary.get(&format!("{bf}&format=json")).await;
    assert_eq!(
        json.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&json.bytes)
    );
    let study: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
    assert_eq!(study["method"], "bf", "{study}");
    // The latest quarter is half developed (to ultimate 2): IBNR = 120,000 × 0.7 × (1 - 1/2).
    let latest = &study["origins"][2];
    assert_eq!(
        (&latest["origin"], &latest["exposure"], &latest["ibnr"]),
        (
            &serde_json::json!("2025Q4"),
            &serde_json::json!("120000.00"),
            &serde_json::json!("42000.00")
        ),
        "{study}"
    );
    let missing = actuary
        .get("/analysis/reserve?run=1&method=bf&loss_ratio=0.7&exposure=2025Q2")
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.html.contains(r##"<a href="#field-exposure">"##),
        "{}",
        missing.html
    );

    let wrong = actuary.get("/analysis/reserve?run=1&tail=long").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.html.contains(r##"<a href="#field-tail">"##),
        "{}",
        wrong.html
    );
    let unknown = actuary.get("/analysis/reserve?run=1&method=guess").await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.html
    );
    assert!(unknown.html.contains("guess"), "{}", unknown.html);

    let mut officer = Browser::new(&h.registry);
    officer.sign_in("awa", PASSWORD).await;
    assert_eq!(officer.get(asked).await.status, StatusCode::FORBIDDEN);

    // A French-speaking actuary reads the reports in French, labels, notes and downloads; the
    // JSON keeps the study's own names.
    add_user(&h, "ousmane", Role::Actuary, Some("fr")).await;
    let mut french = Browser::new(&h.registry);
    french.sign_in("ousmane", PASSWORD).await;
    let chain_ladder =
        "/analysis/reserve?run=1&method=chain-ladder&origin=quarter&valuation=2025-12-31";
    let report = french.get(chain_ladder).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.html);
    for said in [
        "Provisions : chain ladder",
        "Résultats par origine",
        "<th scope=\"col\">origine</th>",
        "Erreurs types : seule la méthode mack les donne.",
        "Développement par date de déclaration",
    ] {
        assert!(report.html.contains(said), "{said}: {}", report.html);
    }
    for english in [
        "Results by origin",
        "Development by",
        "Standard errors",
        "ultimate",
    ] {
        assert!(!report.html.contains(english), "{english}: {}", report.html);
    }
    let csv = french.get(&format!("{chain_ladder}&format=csv")).await;
    assert!(
        String::from_utf8_lossy(&csv.bytes).starts_with("origine,"),
        "{}",
        String::from_utf8_lossy(&csv.bytes)
    );
    // A study the data cannot give is refused in French too: Mack on a triangle too short.
    let mack = french
        .get("/analysis/reserve?run=1&method=mack&origin=quarter&valuation=2025-12-31")
        .await;
    assert_eq!(mack.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        mack.html
            .contains("trop peu de périodes de développement ont deux liens ou plus"),
        "{}",
        mack.html
    );
    let json = french.get(&format!("{chain_ladder}&format=json")).await;
    let study: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
    assert!(
        study["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("Development by")
    );

    let experience = french
        .get("/analysis/experience?run=1&from=2025-01-01&to=2025-12-31")
        .await;
    assert_eq!(experience.status, StatusCode::OK, "{}", experience.html);
    for said in [
        "Étude d'expérience",
        "années-membres (actifs)",
        "Synthèse",
        "L'exposition compte les jours exacts",
        "Relativités univariées par âge",
    ] {
        assert!(
            experience.html.contains(said),
            "{said}: {}",
            experience.html
        );
    }
    for english in [
        "Experience study",
        "member-years",
        "Exposure counts",
        "By period",
    ] {
        assert!(
            !experience.html.contains(english),
            "{english}: {}",
            experience.html
        );
    }
}

/// A scheme whose file says `language = "fr"` speaks French to everyone without a language of
/// their own, the sign-in page included; a user's own language comes first.
pub async fn the_schemes_language_is_the_default_of_its_pages(h: Harness) {
    load_registry(&h).await;
    let text = std::fs::read_to_string(crate::support::example("pip-inpatient.toml")).unwrap();
    let french = text
        .replace(
            "currency = \"INR\"",
            "currency = \"INR\"\nlanguage = \"fr\"",
        )
        .replace("effective_from = 2025-04-01", "effective_from = 2026-01-01");
    assert_ne!(french, text);
    let file = h.write("pip-fr.toml", &french);
    h.load_scheme(&file).await;
    add_user(&h, "moussa", Role::EnrolmentOfficer, None).await;
    add_user(&h, "ann", Role::EnrolmentOfficer, Some("en")).await;
    let mut browser = Browser::new(&h.registry);
    let form = browser.get("/login").await;
    assert!(form.html.contains(r#"<html lang="fr">"#), "{}", form.html);
    browser.sign_in("moussa", PASSWORD).await;
    assert!(
        browser
            .get("/")
            .await
            .html
            .contains("<h1>Travail du jour</h1>")
    );
    let mut english = Browser::new(&h.registry);
    english.sign_in("ann", PASSWORD).await;
    assert!(
        english
            .get("/")
            .await
            .html
            .contains("<h1>Today's work</h1>")
    );
}

/// An actuary pastes the projection's assumptions file, reads the premiums and stress tests and
/// downloads them; a file that does not parse, or an assumption out of bounds, is named.
pub async fn an_actuary_projects_premiums_from_pasted_assumptions(h: Harness) {
    add_user(&h, "ama", Role::Actuary, None).await;
    let mut actuary = Browser::new(&h.registry);
    actuary.sign_in("ama", PASSWORD).await;
    let form = actuary.get("/analysis/projection").await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.field("csrf");
    let assumptions =
        std::fs::read_to_string(crate::support::example("projection/inpatient.toml")).unwrap();
    let report = actuary
        .post(
            "/analysis/projection",
            &[("csrf", &csrf), ("assumptions", &assumptions)],
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.html);
    assert!(report.html.contains("INR"), "{}", report.html);
    assert!(report.html.contains(r#"name="format" value="xlsx""#));
    assert!(report.html.contains("level premium per member"));
    // In French, the same report says its labels and notes in French.
    add_user(&h, "ousmane", Role::Actuary, Some("fr")).await;
    let mut french = Browser::new(&h.registry);
    french.sign_in("ousmane", PASSWORD).await;
    let french_csrf = french.get("/analysis/projection").await.field("csrf");
    let said = french
        .post(
            "/analysis/projection",
            &[("csrf", &french_csrf), ("assumptions", &assumptions)],
        )
        .await;
    assert_eq!(said.status, StatusCode::OK, "{}", said.html);
    for french_words in [
        "prime nivelée par membre",
        "Tests de résistance",
        "Une prime n'est jamais la réponse à elle seule",
    ] {
        assert!(
            said.html.contains(french_words),
            "{french_words}: {}",
            said.html
        );
    }
    assert!(!said.html.contains("level premium"), "{}", said.html);
    let workbook = actuary
        .post(
            "/analysis/projection",
            &[
                ("csrf", &csrf),
                ("assumptions", &assumptions),
                ("format", "xlsx"),
            ],
        )
        .await;
    assert!(workbook.bytes.starts_with(b"PK"));
    let broken = actuary
        .post(
            "/analysis/projection",
            &[("csrf", &csrf), ("assumptions", "[base\nlines = 3")],
        )
        .await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        broken.html.contains(r##"<a href="#field-assumptions">"##),
        "{}",
        broken.html
    );
    assert!(
        broken.html.contains("[base\nlines = 3"),
        "what was pasted is kept"
    );
}

/// A wrong current password on the password page counts as a failed sign-in: a burst of them
/// locks the name, the right password too, until the lock ends.
pub async fn guessing_the_current_password_locks_the_name(h: Harness) {
    add_user(&h, "awa", Role::EnrolmentOfficer, None).await;
    let mut browser = Browser::new(&h.registry);
    browser.sign_in("awa", PASSWORD).await;
    let csrf = browser.get("/password").await.field("csrf");
    let mut last = String::new();
    for _ in 0..carepool_core::sign_in::FAILURES_TO_LOCK {
        let guess = [
            ("csrf", csrf.as_str()),
            ("current", "a guess at the password"),
            ("new", "another long password"),
            ("repeated", "another long password"),
        ];
        last = browser.post("/password", &guess).await.html;
    }
    assert!(last.contains("Too many failed sign-ins"), "{last}");
    let right = [
        ("csrf", csrf.as_str()),
        ("current", PASSWORD),
        ("new", "another long password"),
        ("repeated", "another long password"),
    ];
    let locked = browser.post("/password", &right).await;
    assert_eq!(locked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(locked.html.contains("Too many failed sign-ins"));
    assert!(
        h.registry
            .check_password("awa", PASSWORD)
            .await
            .unwrap()
            .is_some(),
        "unchanged"
    );
}
