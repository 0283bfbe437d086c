//! The home page: the work waiting for the user, by what their role does. Members waiting to be
//! confirmed for enrolment, claims waiting for a medical review (a facility's own), payment runs
//! waiting for a second finance officer. Each list is the first few, within the user's scope, and
//! says when there are more.

use super::claims::claim_path;
use super::language::Texts;
use super::layout::Frame;
use super::registry::family_path;
use crate::auth::Caller;
use crate::claims_api::own_provider;
use crate::error::ApiError;
use axum::extract::State;
use axum::response::Response;
use carepool_core::access::Permission;
use carepool_core::claims::ClaimStatus;
use carepool_core::registry::{Member, MemberStatus};
use carepool_schema::claim_tables::{ClaimRow, PaymentRun, claims, payment_runs};
use carepool_schema::tables::members;
use carepool_service::{Query, Registry, Scope};
use maud::{Markup, html};

/// How many items of each kind of work the page lists.
const LISTED: u64 = 10;

pub async fn page(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
) -> Result<Response, ApiError> {
    let user = frame.user()?;
    let role = user.role;
    let scope = caller.scope(&registry).await?;
    let texts = &frame.texts;
    let mut sections = Vec::new();
    if role.may(Permission::WriteEnrolment) {
        sections.push(pending_members(&registry, &scope, texts).await?);
    }
    if role.may(Permission::ReviewClaims) || role.may(Permission::SubmitOwnClaims) {
        let own = own_provider(user);
        sections.push(claims_in_review(&registry, &scope, own, texts).await?);
    }
    if role.may(Permission::PayClaims) {
        sections.push(runs_to_release(&registry, &scope, texts).await?);
    }
    let content = html! {
        p { (texts.with("home-greeting", &[("name", &user.name)])) }
        @if sections.is_empty() {
            p { (texts.text("home-nothing")) }
        }
        @for section in sections { (section) }
    };
    Ok(frame.page(&texts.text("home-title"), content))
}

/// The first [`LISTED`] records of `query`, and whether more follow.
async fn first<R: carepool_schema::Record>(
    registry: &Registry,
    query: Query<R>,
) -> Result<(Vec<R>, bool), ApiError> {
    let mut records = registry.list(&query).await?;
    let more = records.len() as u64 > LISTED;
    records.truncate(LISTED as usize);
    Ok((records, more))
}

/// A section of the page: its heading, and the table or the words saying there is nothing.
fn section(
    texts: &Texts,
    title: &str,
    empty: &str,
    shown: usize,
    more: bool,
    table: Markup,
) -> Markup {
    html! {
        section {
            h2 { (texts.text(title)) }
            @if shown == 0 {
                p { (texts.text(empty)) }
            } @else {
                div class="scroll" tabindex="0" { (table) }
                @if more {
                    p class="hint" { (texts.with("home-more", &[("count", &texts.count(LISTED))])) }
                }
            }
        }
    }
}

async fn pending_members(
    registry: &Registry,
    scope: &Scope,
    texts: &Texts,
) -> Result<Markup, ApiError> {
    let query = Query::<Member>::page(0, LISTED + 1)
        .only(members::STATUS, &MemberStatus::Pending)?
        .within(scope);
    let (pending, more) = first(registry, query).await?;
    let table = html! {
        table {
            thead { tr {
                th scope="col" { (texts.text("column-member")) }
                th scope="col" { (texts.text("column-name")) }
                th scope="col" { (texts.text("column-family")) }
                th scope="col" { (texts.text("column-since")) }
            } }
            tbody {
                @for member in &pending {
                    tr {
                        td { (member.id) }
                        td { (member.name) }
                        td { a href=(family_path(&member.family_id)) { (member.family_id) } }
                        td { (texts.date(member.status_since)) }
                    }
                }
            }
        }
    };
    Ok(section(
        texts,
        "home-pending-members",
        "home-no-pending-members",
        pending.len(),
        more,
        table,
    ))
}

async fn claims_in_review(
    registry: &Registry,
    scope: &Scope,
    own_facility: Option<&str>,
    texts: &Texts,
) -> Result<Markup, ApiError> {
    let mut query = Query::<ClaimRow>::page(0, LISTED + 1)
        .only(claims::STATUS, &ClaimStatus::InReview)?
        .within(scope);
    if let Some(own) = own_facility {
        query = query.only(claims::PROVIDER_ID, &own.to_string())?;
    }
    let (waiting, more) = first(registry, query).await?;
    let currency = registry.currency().await?;
    let table = html! {
        table {
            thead { tr {
                th scope="col" { (texts.text("column-claim")) }
                th scope="col" { (texts.text("column-member")) }
                th scope="col" { (texts.text("column-received")) }
                th scope="col" class="number" { (texts.text("column-claimed")) }
            } }
            tbody {
                @for claim in &waiting {
                    tr {
                        td { a href=(claim_path(&claim.provider_id, &claim.claim_number)) { (claim.id) } }
                        td { (claim.member_id) }
                        td { (texts.date(claim.received_date)) }
                        td class="number" { (texts.amount(claim.claimed, currency.as_deref())) }
                    }
                }
            }
        }
    };
    Ok(section(
        texts,
        "home-claims-in-review",
        "home-no-claims-in-review",
        waiting.len(),
        more,
        table,
    ))
}

async fn runs_to_release(
    registry: &Registry,
    scope: &Scope,
    texts: &Texts,
) -> Result<Markup, ApiError> {
    let query = Query::<PaymentRun>::page(0, LISTED + 1)
        .only(payment_runs::STATUS, &"proposed".to_string())?
        .within(scope);
    let (proposed, more) = first(registry, query).await?;
    let currency = registry.currency().await?;
    let table = html! {
        table {
            thead { tr {
                th scope="col" { (texts.text("column-run")) }
                th scope="col" { (texts.text("column-proposed-by")) }
                th scope="col" class="number" { (texts.text("column-claims")) }
                th scope="col" class="number" { (texts.text("column-to-facilities")) }
                th scope="col" class="number" { (texts.text("column-to-patients")) }
            } }
            tbody {
                @for run in &proposed {
                    tr {
                        td { (run.id) }
                        td { (run.proposed_by) " · " (texts.date(run.proposed_on)) }
                        td class="number" { (texts.count(run.claims.max(0) as u64)) }
                        td class="number" { (texts.amount(run.to_facilities, currency.as_deref())) }
                        td class="number" { (texts.amount(run.to_patients, currency.as_deref())) }
                    }
                }
            }
        }
    };
    Ok(section(
        texts,
        "home-runs-to-release",
        "home-no-runs-to-release",
        proposed.len(),
        more,
        table,
    ))
}
