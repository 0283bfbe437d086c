//! The registry's pages: finding members and families, a family's page (members, cover,
//! contributions and standing, claims, history), and a member's printable card with a QR code.
//! Everything is read within the user's scope: a family elsewhere is not found.

use super::claims::claims_table;
use super::enrolment::{receipt_path, status_path};
use super::language::Texts;
use super::layout::Frame;
use super::{CONTRIBUTIONS, ENROLMENT, MEMBER_SEARCH, segment};
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use carepool_core::access::Permission;
use carepool_core::names::name_matches;
use carepool_core::registry::{Family, Member};
use carepool_schema::claim_tables::{ClaimRow, claims};
use carepool_service::Version;
use carepool_service::{FamilyView, Key, Query as RecordQuery, Registry, Scope};
use maud::{Markup, PreEscaped, html};
use qrcode::QrCode;
use qrcode::render::svg;
use serde::Deserialize;

/// Members shown on a page of search results.
const RESULTS_PER_PAGE: usize = 25;

/// A family's latest claims shown on its page.
const CLAIMS_SHOWN: u64 = 20;

#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<usize>,
}

/// Whether `member` is what `wanted` looks for: its id, its family's, its national id (each
/// whole), or a part of its name, accents, case and spacing aside.
fn answers(wanted: &str, member: &Member) -> bool {
    member.id == wanted
        || member.family_id == wanted
        || member.national_id.as_deref() == Some(wanted)
        || name_matches(wanted, &member.name)
}

/// The search form and, once something is asked, the members it finds, a page at a time.
pub async fn search(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Query(asked): Query<Search>,
) -> Result<Response, ApiError> {
    let texts = &frame.texts;
    let wanted = asked.q.trim().to_string();
    let page = asked.page.unwrap_or(1).clamp(1, super::LAST_PAGE);
    let found = if wanted.is_empty() {
        None
    } else {
        let scope = caller.scope(&registry).await?;
        let skipped = (page - 1).saturating_mul(RESULTS_PER_PAGE);
        let query = RecordQuery::<Member>::all_by_pages().within(&scope);
        let mut members = registry
            .first_matching(
                query,
                |m| answers(&wanted, m),
                skipped + RESULTS_PER_PAGE + 1,
            )
            .await?;
        let members: Vec<Member> = members.drain(skipped.min(members.len())..).collect();
        Some(members)
    };
    let more = found.as_ref().is_some_and(|m| m.len() > RESULTS_PER_PAGE);
    let page_link = |page: usize| {
        let q: String = form_urlencoded::byte_serialize(wanted.as_bytes()).collect();
        format!("{}?q={q}&page={page}", MEMBER_SEARCH.path)
    };
    let content = html! {
        form method="get" action=(MEMBER_SEARCH.path) class="search" role="search" {
            div class="field" {
                label for="field-q" { (texts.text("search-label")) }
                p class="hint" id="field-q-hint" { (texts.text("search-hint")) }
                input id="field-q" name="q" type="search" value=(wanted) aria-describedby="field-q-hint";
            }
            button type="submit" { (texts.text("search")) }
        }
        @if let Some(members) = &found {
            @if members.is_empty() {
                p role="status" { (texts.with("search-none", &[("wanted", &wanted)])) }
            } @else {
                div class="scroll" tabindex="0" {
                    table {
                        caption { (texts.with("search-results", &[("wanted", &wanted), ("page", &texts.count(page as u64))])) }
                        thead { tr {
                            th scope="col" { (texts.text("column-member")) }
                            th scope="col" { (texts.text("column-name")) }
                            th scope="col" { (texts.text("column-family")) }
                            th scope="col" { (texts.text("column-born")) }
                            th scope="col" { (texts.text("column-status")) }
                        } }
                        tbody {
                            @for member in members.iter().take(RESULTS_PER_PAGE) {
                                tr {
                                    td { (member.id) }
                                    td { (member.name) }
                                    td { a href=(family_path(&member.family_id)) { (member.family_id) } }
                                    td { (texts.date(member.birth_date)) }
                                    td { (member_status(texts, member)) }
                                }
                            }
                        }
                    }
                }
                nav class="pages" aria-label=(texts.text("pages")) {
                    @if page > 1 {
                        a href=(page_link(page - 1)) rel="prev" { (texts.text("page-previous")) }
                    }
                    @if more {
                        a href=(page_link(page + 1)) rel="next" { (texts.text("page-next")) }
                    }
                }
            }
        }
    };
    Ok(frame.page(&texts.text("search-title"), content))
}

/// A member's status in words, with the day it took effect.
fn member_status(texts: &Texts, member: &Member) -> String {
    texts.with(
        &format!("member-status-{}", member.status.as_str()),
        &[("since", &texts.date(member.status_since))],
    )
}

/// Where a family's page is.
pub fn family_path(id: &str) -> String {
    format!("/families/{}", segment(id))
}

/// Where a member's card is.
fn card_path(id: &str) -> String {
    format!("/members/{}/card", segment(id))
}

/// The family with its members, cover, contributions and standing today, its latest claims, and
/// the history of its record.
pub async fn family(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let scope = caller.scope(&registry).await?;
    let key = Key::<Family>::parse(|_| Some(id.as_str()))?;
    registry.get_within(&key, &scope).await?;
    let view = registry.family_view(&id, registry.today()).await?;
    let currency = registry.currency().await?;
    let texts = &frame.texts;
    let role = frame.user()?.role;
    // Claims are shown to those who may read them (an enrolment officer or an administrator
    // reads the registry only).
    let claims = match role.may(Permission::ReadClaims) {
        true => Some(family_claims(&registry, &scope, &id).await?),
        false => None,
    };
    let history = registry.history(&key).await?;
    let amount = |m| texts.amount(m, currency.as_deref());
    let enrols = ENROLMENT.allows(role);
    let path = family_path(&view.family.id);
    let content = html! {
        (facts(texts, &view, currency.as_deref()))
        nav class="actions" aria-label=(texts.text("actions")) {
            @if enrols {
                a href=(format!("{path}/members/new")) { (texts.text("action-add-member")) }
                a href=(format!("{path}/cover/new")) { (texts.text("action-give-cover")) }
            }
            @if CONTRIBUTIONS.allows(role) {
                a href=(format!("{path}/contributions/new")) { (texts.text("action-record-contribution")) }
            }
        }
        section {
            h2 { (texts.text("family-members")) }
            div class="scroll" tabindex="0" { table {
                thead { tr {
                    th scope="col" { (texts.text("column-member")) }
                    th scope="col" { (texts.text("column-name")) }
                    th scope="col" { (texts.text("column-relationship")) }
                    th scope="col" { (texts.text("column-sex")) }
                    th scope="col" { (texts.text("column-born")) }
                    th scope="col" { (texts.text("column-status")) }
                    th scope="col" { (texts.text("column-card")) }
                } }
                tbody {
                    @for member in &view.members {
                        tr {
                            td { (member.id) }
                            td { (member.name) }
                            td { (texts.text(&format!("relationship-{}", member.relationship.as_str()))) }
                            td { (texts.text(&format!("sex-{}", member.sex.as_str()))) }
                            td { (texts.date(member.birth_date)) }
                            td { (member_status(texts, member)) }
                            td {
                                a href=(card_path(&member.id)) { (texts.text("card-link")) }
                                @if enrols {
                                    " · " a href=(status_path(&member.id)) { (texts.text("action-change-status")) }
                                }
                            }
                        }
                    }
                }
            } }
        }
        section {
            h2 { (texts.text("family-cover")) }
            @if view.coverage.is_empty() {
                p { (texts.text("family-no-cover")) }
            } @else {
                div class="scroll" tabindex="0" { table {
                    thead { tr {
                        th scope="col" { (texts.text("column-member")) }
                        th scope="col" { (texts.text("column-from")) }
                        th scope="col" { (texts.text("column-to")) }
                        th scope="col" { (texts.text("column-package")) }
                    } }
                    tbody {
                        @for period in &view.coverage {
                            tr {
                                td { (period.member_id) }
                                td { (texts.date(period.start_date)) }
                                td { @if let Some(end) = period.end_date { (texts.date(end)) } @else { (texts.text("open-ended")) } }
                                td { (period.package.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                } }
            }
        }
        section {
            h2 { (texts.text("family-contributions")) }
            @if view.contributions.is_empty() {
                p { (texts.text("family-no-contributions")) }
            } @else {
                div class="scroll" tabindex="0" { table {
                    thead { tr {
                        th scope="col" { (texts.text("column-receipt")) }
                        th scope="col" { (texts.text("column-payer")) }
                        th scope="col" { (texts.text("column-period")) }
                        th scope="col" class="number" { (texts.text("column-amount")) }
                        th scope="col" { (texts.text("column-paid-on")) }
                    } }
                    tbody {
                        @for paid in &view.contributions {
                            tr {
                                td { a href=(receipt_path(&paid.receipt)) { (paid.receipt) } }
                                td { (texts.text(&format!("payer-{}", paid.payer.as_str()))) }
                                td { (texts.date(paid.period_start)) " – " (texts.date(paid.period_end)) }
                                td class="number" { (amount(paid.amount)) }
                                td { (texts.date(paid.paid_on)) }
                            }
                        }
                    }
                } }
            }
        }
        @if let Some(claims) = &claims {
        section {
            h2 { (texts.text("family-claims")) }
            @if claims.is_empty() {
                p { (texts.text("family-no-claims")) }
            } @else {
                (claims_table(texts, claims, currency.as_deref()))
            }
        }
        }
        section {
            h2 { (texts.text("family-history")) }
            ol class="history" {
                @for version in &history {
                    li { (history_line(texts, version)) }
                }
            }
        }
    };
    let title = texts.with("family-title", &[("id", &view.family.id)]);
    Ok(frame.page(&title, content))
}

/// A version of a record in words: when (the language's date, the time in UTC), who, and what
/// was done.
fn history_line(texts: &Texts, version: &Version) -> String {
    let when = version.at.as_deref().map(|at| {
        let day = at
            .get(..10)
            .and_then(|d| d.parse::<chrono::NaiveDate>().ok());
        let time = at.get(11..16).unwrap_or_default();
        match day {
            Some(day) => format!("{} {time} UTC", texts.date(day)),
            None => at.to_string(),
        }
    });
    // The actions a record's history holds have words; any other is shown as recorded.
    let action = match version.action.as_str() {
        "create" | "update" | "import" => texts.text(&format!("action-{}", version.action)),
        other => other.to_string(),
    };
    [when, version.actor.clone(), Some(action)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The family's facts and its contribution standing today, as a list of terms.
fn facts(texts: &Texts, view: &FamilyView, currency: Option<&str>) -> Markup {
    let standing = &view.standing;
    let family = &view.family;
    html! {
        dl class="facts" {
            dt { (texts.text("family-scheme")) } dd { (family.scheme) }
            dt { (texts.text("family-location")) } dd { (family.location_code) }
            @if let Some(household) = &family.household_id {
                dt { (texts.text("family-household")) } dd { (household) }
            }
            dt { (texts.text("family-standing")) }
            dd {
                @if let Some(since) = standing.suspended_since {
                    strong class="error" { (texts.with("standing-suspended", &[("since", &texts.date(since))])) }
                } @else {
                    (texts.text("standing-covered"))
                }
            }
            dt { (texts.text("family-paid-through")) }
            dd { @if let Some(day) = standing.paid_through { (texts.date(day)) } @else { "–" } }
            dt { (texts.text("family-arrears")) }
            dd { (texts.amount(standing.arrears, currency)) }
        }
    }
}

/// The family's latest claims, within the user's scope.
async fn family_claims(
    registry: &Registry,
    scope: &Scope,
    family_id: &str,
) -> Result<Vec<ClaimRow>, ApiError> {
    let query = RecordQuery::<ClaimRow>::all_by_pages()
        .only(claims::FAMILY_ID, &Some(family_id.to_string()))?
        .within(scope);
    let mut found = registry.matching(query, |_| true).await?;
    found.sort_by(|a, b| b.received_date.cmp(&a.received_date).then(b.id.cmp(&a.id)));
    found.truncate(CLAIMS_SHOWN as usize);
    Ok(found)
}

/// A member's card, to print: the scheme, the name, the member's id as text and as a QR code.
pub async fn card(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let scope = caller.scope(&registry).await?;
    let member = registry
        .get_within(&Key::<Member>::parse(|_| Some(id.as_str()))?, &scope)
        .await?;
    let family: Family = registry
        .get(&Key::<Family>::parse(|_| Some(member.family_id.as_str()))?)
        .await?;
    let scheme = scheme_name(&registry, &family.scheme).await?;
    let texts = &frame.texts;
    let content = html! {
        div class="card" {
            p class="card-scheme" { (scheme) }
            p class="card-name" { (member.name) }
            dl class="facts" {
                dt { (texts.text("column-member")) } dd class="card-id" { (member.id) }
                dt { (texts.text("column-family")) } dd { (member.family_id) }
                dt { (texts.text("column-born")) } dd { (texts.date(member.birth_date)) }
            }
            div class="qr" { (qr_code(&member.id)?) }
        }
        p class="hint" { (texts.text("card-print")) }
    };
    Ok(frame.page(&texts.with("card-title", &[("id", &member.id)]), content))
}

/// A scheme's name as its latest version gives it (a card, a receipt), else its code.
pub async fn scheme_name(registry: &Registry, code: &str) -> Result<String, ApiError> {
    let latest = registry.scheme_versions(code).await?.pop();
    Ok(latest.map_or_else(|| code.to_string(), |scheme| scheme.name))
}

/// The QR code of `text`, as SVG to put in the page (made here: nothing is fetched).
fn qr_code(text: &str) -> Result<PreEscaped<String>, ApiError> {
    let code = QrCode::new(text.as_bytes()).map_err(ApiError::internal)?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // The drawing alone: the page is HTML, not an XML document; the id is written beside it.
    let drawing = image
        .split_once("?>")
        .map_or(image.as_str(), |(_, svg)| svg)
        .replacen("<svg ", r#"<svg aria-hidden="true" focusable="false" "#, 1);
    Ok(PreEscaped(drawing))
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_core::registry::{MemberStatus, Relationship, Sex};

    fn member(id: &str, family: &str, name: &str, national_id: Option<&str>) -> Member {
        Member {
            id: id.into(),
            family_id: family.into(),
            name: name.into(),
            relationship: Relationship::Head,
            sex: Sex::Female,
            birth_date: "1980-01-01".parse().unwrap(),
            national_id: national_id.map(str::to_string),
            categories: vec![],
            monthly_wage: None,
            status: MemberStatus::Active,
            status_since: "2025-01-01".parse().unwrap(),
        }
    }

    #[test]
    fn a_member_is_found_by_id_family_national_id_or_a_part_of_the_name() {
        let awa = member("M1", "F1", "Awa Ouédraogo", Some("NID-7"));
        for wanted in ["M1", "F1", "NID-7", "ouedraogo", "AWA", "awa oued"] {
            assert!(answers(wanted, &awa), "{wanted}");
        }
        for wanted in ["M", "F", "NID", "Sita"] {
            assert!(!answers(wanted, &awa), "{wanted}");
        }
    }

    #[test]
    fn every_code_shown_in_words_has_its_message_in_every_language() {
        use carepool_core::claims::ClaimStatus;
        use carepool_core::registry::Payer;
        let mut ids: Vec<String> = Vec::new();
        ids.extend(
            MemberStatus::ALL
                .iter()
                .map(|s| format!("member-status-{}", s.as_str())),
        );
        ids.extend(
            Relationship::ALL
                .iter()
                .map(|r| format!("relationship-{}", r.as_str())),
        );
        ids.extend(Sex::ALL.iter().map(|s| format!("sex-{}", s.as_str())));
        ids.extend(Payer::ALL.iter().map(|p| format!("payer-{}", p.as_str())));
        ids.extend(
            ClaimStatus::ALL
                .iter()
                .map(|s| format!("claim-status-{}", s.as_str())),
        );
        ids.extend(
            carepool_core::access::Role::ALL
                .iter()
                .map(|r| format!("role-{}", r.as_str())),
        );
        for (tag, _) in crate::pages::language::languages() {
            let texts = Texts::of(Some(tag));
            for id in &ids {
                assert!(texts.has(id), "locales/{tag}.ftl has no {id}");
            }
        }
    }

    #[test]
    fn the_qr_code_is_an_svg_drawing_for_the_page() {
        let drawing = qr_code("M0000040801").unwrap().0;
        assert!(
            drawing.starts_with(
                r#"<svg aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg""#
            ),
            "{drawing}"
        );
        assert!(drawing.ends_with("</svg>"));
        assert!(!drawing.contains("<?xml"));
    }
}
