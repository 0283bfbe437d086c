//! The claims' pages: a facility's claim form (the member's cover and what is left of each limit
//! shown once the member is chosen), a claim with every amount explained, the claims list with
//! its filters, and the medical review queue with the reviewer's decision. Claims are sent,
//! read and reviewed through the API's own functions ([`submit_for`], [`claim_for`],
//! [`review_for`]): the same scope, the same facility rule, the same audit.

use super::forms::{Field, Input, Problems, Sent, code, date_filter, typed_number};
use super::language::Texts;
use super::layout::Frame;
use super::{CLAIM_LIST, NEW_CLAIM, see_other, segment};
use crate::auth::Caller;
use crate::claims_api::{claim_for, own_provider, review_for, submit_for};
use crate::error::ApiError;
use crate::intake::Intake;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use carepool_core::access::Permission;
use carepool_core::claims::review::ReviewAction;
use carepool_core::claims::verify::CoverStatus;
use carepool_core::claims::{Claim, ClaimStatus, Reason, ReasonCode, claim_id};
use carepool_core::money::Money;
use carepool_core::registry::Member;
use carepool_schema::claim_tables::{ClaimRow, claims};
use carepool_service::claims::ClaimView;
use carepool_service::{Key, Query as RecordQuery, Registry};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde_json::{Map, Value as JsonValue};

/// Claims listed on a page.
const CLAIMS_PER_PAGE: usize = 50;

/// Claims of the review queue shown at once, each with its reasons.
const QUEUE_SHOWN: usize = 20;

/// Lines of the claim form: enough for a visit or a short stay.
const FORM_LINES: usize = 6;

/// Where a claim's page is.
pub fn claim_path(provider_id: &str, claim_number: &str) -> String {
    format!("/claims/{}/{}", segment(provider_id), segment(claim_number))
}

fn status_words(texts: &Texts, status: ClaimStatus) -> String {
    texts.text(&format!("claim-status-{}", status.as_str()))
}

/// Claims in key order, filtered by status, facility, district and dates of care, a page at a
/// time; a facility sees its own only.
pub async fn list(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Query(sent): Query<Sent>,
) -> Result<Response, ApiError> {
    let texts = &frame.texts;
    let mut problems = Problems::default();
    let from = date_filter(texts, &sent, "from", &mut problems);
    let to = date_filter(texts, &sent, "to", &mut problems);
    let text = |name: &str| sent.get(name).map(|t| t.trim()).filter(|t| !t.is_empty());
    let status = code(texts, &sent, "status", ClaimStatus::parse, &mut problems);
    let page: usize = text("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .clamp(1, super::LAST_PAGE);
    let mut scope = caller.scope(&registry).await?;
    if let Some(district) = text("district") {
        scope = scope.and(&registry.scope_under(&[district.to_string()]).await?);
    }
    let mut query = RecordQuery::<ClaimRow>::all_by_pages().within(&scope);
    if let Some(status) = status {
        query = query.only(claims::STATUS, &status)?;
    }
    let own = own_provider(frame.user()?).map(str::to_string);
    if let Some(provider) = own.as_deref().or(text("provider")) {
        query = query.only(claims::PROVIDER_ID, &provider.to_string())?;
    }
    let cared = |claim: &ClaimRow| {
        from.is_none_or(|from| claim.incurred_date >= Some(from))
            && to.is_none_or(|to| claim.incurred_date.is_some_and(|date| date <= to))
    };
    let listed = if problems.is_empty() {
        let skipped = (page - 1).saturating_mul(CLAIMS_PER_PAGE);
        let mut found = registry
            .first_matching(query, cared, skipped + CLAIMS_PER_PAGE + 1)
            .await?;
        found.drain(..skipped.min(found.len()));
        found
    } else {
        Vec::new()
    };
    let currency = registry.currency().await?;
    let more = listed.len() > CLAIMS_PER_PAGE;
    let value = |name: &str| sent.get(name).cloned().unwrap_or_default();
    let page_link = |page: usize| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for name in ["status", "provider", "district", "from", "to"] {
            query.append_pair(name, &value(name));
        }
        query.append_pair("page", &page.to_string());
        format!("{}?{}", CLAIM_LIST.path, query.finish())
    };
    let statuses: Vec<(String, String)> = ClaimStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), status_words(texts, *s)))
        .collect();
    let content = html! {
        (problems.summary(texts))
        form method="get" action=(CLAIM_LIST.path) class="filters" {
            (Field { name: "status", label: texts.text("column-status"), input: Input::Choice(statuses),
                value: &value("status"), autocomplete: "off", required: false }.render(&problems))
            @if own.is_none() {
                (Field { name: "provider", label: texts.text("filter-facility"), input: Input::Text,
                    value: &value("provider"), autocomplete: "off", required: false }.render(&problems))
            }
            (Field { name: "district", label: texts.text("filter-district"), input: Input::Text,
                value: &value("district"), autocomplete: "off", required: false }.render(&problems))
            (Field { name: "from", label: texts.text("filter-from"), input: Input::Date,
                value: &value("from"), autocomplete: "off", required: false }.render(&problems))
            (Field { name: "to", label: texts.text("filter-to"), input: Input::Date,
                value: &value("to"), autocomplete: "off", required: false }.render(&problems))
            button type="submit" { (texts.text("filter")) }
        }
        @if listed.is_empty() {
            p role="status" { (texts.text("claims-none")) }
        } @else {
            (claims_table(texts, &listed[..listed.len().min(CLAIMS_PER_PAGE)], currency.as_deref()))
            nav class="pages" aria-label=(texts.text("pages")) {
                @if page > 1 { a href=(page_link(page - 1)) rel="prev" { (texts.text("page-previous")) } }
                @if more { a href=(page_link(page + 1)) rel="next" { (texts.text("page-next")) } }
            }
        }
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(frame.page_with(status, &texts.text("claims-title"), content))
}

/// Claims a line each (id linked to the claim's page, care date, status, claimed, approved).
pub fn claims_table(texts: &Texts, listed: &[ClaimRow], currency: Option<&str>) -> Markup {
    html! {
        div class="scroll" tabindex="0" { table {
            thead { tr {
                th scope="col" { (texts.text("column-claim")) }
                th scope="col" { (texts.text("column-member")) }
                th scope="col" { (texts.text("column-care-date")) }
                th scope="col" { (texts.text("column-status")) }
                th scope="col" class="number" { (texts.text("column-claimed")) }
                th scope="col" class="number" { (texts.text("column-approved")) }
            } }
            tbody {
                @for claim in listed {
                    tr {
                        td { a href=(claim_path(&claim.provider_id, &claim.claim_number)) { (claim.id) } }
                        td { (claim.member_id) }
                        td { @if let Some(day) = claim.incurred_date { (texts.date(day)) } }
                        td { (status_words(texts, claim.status)) }
                        td class="number" { (texts.amount(claim.claimed, currency)) }
                        td class="number" { (texts.amount(claim.approved, currency)) }
                    }
                }
            }
        } }
    }
}

/// A claim with every amount explained: the claim as sent, what was decided line by line, every
/// reason with what it moved, and, for a reviewer, the decision form while it is in review.
pub async fn show(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path((provider, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let view = claim_for(&caller, &registry, &claim_id(&provider, &number)).await?;
    let currency = registry.currency().await?;
    Ok(claim_page(
        &frame,
        &view,
        currency.as_deref(),
        &Problems::default(),
        &Sent::new(),
        StatusCode::OK,
    ))
}

fn claim_page(
    frame: &Frame,
    view: &ClaimView,
    currency: Option<&str>,
    problems: &Problems,
    sent: &Sent,
    status: StatusCode,
) -> Response {
    let texts = &frame.texts;
    let record = &view.record;
    let claim = &record.claim;
    let amount = |m: Money| texts.amount(m, currency);
    let date = |d: Option<NaiveDate>| d.map(|d| texts.date(d)).unwrap_or_default();
    let reviews = frame
        .user
        .as_ref()
        .is_some_and(|u| u.role.may(Permission::ReviewClaims))
        && record.status == ClaimStatus::InReview;
    let content = html! {
        dl class="facts" {
            dt { (texts.text("column-status")) } dd { strong { (status_words(texts, record.status)) } }
            dt { (texts.text("column-member")) } dd { (claim.member_id) }
            dt { (texts.text("filter-facility")) } dd { (claim.provider_id) }
            @if let Some(visit) = claim.visit_date {
                dt { (texts.text("claim-visit")) } dd { (texts.date(visit)) }
            }
            @if let (Some(admitted), Some(discharged)) = (claim.admission_date, claim.discharge_date) {
                dt { (texts.text("claim-stay")) } dd { (texts.date(admitted)) " – " (texts.date(discharged)) }
            }
            dt { (texts.text("claim-category")) } dd { (claim.clinical_category) " " (claim.specialty.as_deref().unwrap_or("")) }
            dt { (texts.text("claim-diagnosis")) } dd { (claim.diagnosis_codes.join(", ")) }
            dt { (texts.text("column-received")) } dd { (texts.date(claim.received_date)) }
            @if record.decided_date.is_some() {
                dt { (texts.text("claim-decided")) } dd { (date(record.decided_date)) }
            }
            @if record.paid_date.is_some() {
                dt { (texts.text("claim-paid-on")) } dd { (date(record.paid_date)) }
            }
        }
        section {
            h2 { (texts.text("claim-amounts")) }
            table class="amounts" {
                tbody {
                    tr { th scope="row" { (texts.text("column-claimed")) } td class="number" { (amount(record.amounts.claimed)) } }
                    tr { th scope="row" { (texts.text("column-approved")) } td class="number" { strong { (amount(record.amounts.approved)) } } }
                    tr { th scope="row" { (texts.text("claim-member-share")) } td class="number" { (amount(record.amounts.member_share)) } }
                    tr { th scope="row" { (texts.text("claim-rejected")) } td class="number" { (amount(record.amounts.rejected)) } }
                    tr { th scope="row" { (texts.text("claim-allowance")) } td class="number" { (amount(record.allowance)) } }
                    tr { th scope="row" { (texts.text("claim-paid")) } td class="number" { (amount(record.paid)) } }
                }
            }
            p class="hint" { (texts.text("claim-amounts-hint")) }
        }
        section {
            h2 { (texts.text("claim-lines")) }
            div class="scroll" tabindex="0" { table {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (texts.text("claim-service")) }
                    th scope="col" class="number" { (texts.text("claim-quantity")) }
                    th scope="col" class="number" { (texts.text("claim-unit-price")) }
                    th scope="col" class="number" { (texts.text("claim-tariff")) }
                    th scope="col" class="number" { (texts.text("column-claimed")) }
                    th scope="col" class="number" { (texts.text("column-approved")) }
                    th scope="col" class="number" { (texts.text("claim-member-share")) }
                    th scope="col" class="number" { (texts.text("claim-rejected")) }
                } }
                tbody {
                    @for (i, (line, decided)) in claim.lines.iter().zip(&record.line_decisions).enumerate() {
                        tr {
                            td { (i + 1) }
                            td { (line.service_code) }
                            td class="number" { (texts.count(line.quantity.max(0) as u64)) }
                            td class="number" { (amount(line.unit_price)) }
                            td class="number" { @if let Some(price) = decided.tariff_price { (amount(price)) } }
                            td class="number" { (amount(decided.amounts.claimed)) }
                            td class="number" { (amount(decided.amounts.approved)) }
                            td class="number" { (amount(decided.amounts.member_share)) }
                            td class="number" { (amount(decided.amounts.rejected)) }
                        }
                    }
                }
            } }
        }
        section {
            h2 { (texts.text("claim-reasons")) }
            @if view.reasons.is_empty() {
                p { (texts.text("claim-no-reasons")) }
            } @else {
                ul class="reasons" {
                    @for reason in &view.reasons {
                        li {
                            code { (reason.code.as_str()) } " · "
                            @if let Some(line) = reason.line {
                                (texts.with("claim-line", &[("line", &line.to_string())])) " · "
                            }
                            (said(texts, reason, currency))
                            @if let Some(moved) = reason.amount { " (" (amount(moved)) ")" }
                        }
                    }
                }
            }
            @if let Some(note) = &record.review_note {
                p { strong { (texts.text("claim-review-note")) } " " (note)
                    @if let Some(by) = &record.reviewed_by { " — " (by) } }
            }
        }
        @if reviews {
            (review_form(frame, view, problems, sent))
        } @else {
            // A decision refused because the claim has left review meanwhile.
            (problems.summary(texts))
        }
    };
    let title = texts.with("claim-title", &[("id", &view.id)]);
    frame.page_with(status, &title, content)
}

fn review_form(frame: &Frame, view: &ClaimView, problems: &Problems, sent: &Sent) -> Markup {
    let texts = &frame.texts;
    let value = |name: &str| sent.get(name).cloned().unwrap_or_default();
    let chosen = value("decision");
    let path = claim_path(
        &view.record.claim.provider_id,
        &view.record.claim.claim_number,
    );
    html! {
        section {
            h2 { (texts.text("review-title")) }
            (problems.summary(texts))
            form method="post" action=(format!("{path}/review")) class="narrow" {
                (frame.csrf_field())
                fieldset id="field-decision" {
                    legend { (texts.text("review-decision")) }
                    @for decision in ["approve", "adjust", "reject"] {
                        div class="choice" {
                            input type="radio" name="decision" id=(format!("decision-{decision}"))
                                value=(decision) checked[chosen == decision] required;
                            label for=(format!("decision-{decision}")) { (texts.text(&format!("review-{decision}"))) }
                        }
                    }
                }
                (Field { name: "approved", label: texts.text("review-approved"), input: Input::Number,
                    value: &value("approved"), autocomplete: "off", required: false }.render(problems))
                div class=(if problems.of("note").is_some() { "field invalid" } else { "field" }) {
                    label for="field-note" { (texts.text("review-note")) }
                    @if let Some(message) = problems.of("note") {
                        p class="field-error" id="field-note-error" { (message) }
                    }
                    textarea id="field-note" name="note" rows="3" required { (value("note")) }
                }
                @if view.record.reason_codes.contains(&ReasonCode::DuplicateClaim) {
                    div class="choice" {
                        input type="checkbox" name="not_duplicate" id="field-not_duplicate" value="yes";
                        label for="field-not_duplicate" { (texts.text("review-not-duplicate")) }
                    }
                }
                button type="submit" { (texts.text("review-send")) }
            }
        }
    }
}

/// The reviewer's decision: approve, adjust to an amount, or reject, with a note.
pub async fn review(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path((provider, number)): Path<(String, String)>,
    Form(sent): Form<Sent>,
) -> Result<Response, ApiError> {
    let id = claim_id(&provider, &number);
    let texts = &frame.texts;
    let mut problems = Problems::default();
    let action = match sent.get("decision").map(String::as_str) {
        Some("approve") => Some(ReviewAction::Approve),
        Some("reject") => Some(ReviewAction::Reject),
        Some("adjust") => match sent
            .get("approved")
            .map(|a| typed_number(a).parse::<Money>())
        {
            Some(Ok(approved)) => Some(ReviewAction::Adjust { approved }),
            _ => {
                problems.add("approved", texts.text("review-approved-needed"));
                None
            }
        },
        _ => {
            problems.add("decision", texts.text("review-decision-needed"));
            None
        }
    };
    let note = sent.get("note").map(|n| n.trim()).unwrap_or_default();
    let not_duplicate = sent.contains_key("not_duplicate");
    if let Some(action) = action {
        match review_for(&caller, &registry, &id, &action, note, not_duplicate).await {
            Ok(view) => {
                let claim = &view.record.claim;
                return Ok(see_other(&claim_path(
                    &claim.provider_id,
                    &claim.claim_number,
                )));
            }
            Err(error) => match error.problems() {
                Some(found) => problems = Problems::of_refusal(texts, found),
                None => return Err(error),
            },
        }
    }
    let view = claim_for(&caller, &registry, &id).await?;
    let currency = registry.currency().await?;
    Ok(claim_page(
        &frame,
        &view,
        currency.as_deref(),
        &problems,
        &sent,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// The claims waiting for a medical review, each with its reasons (the norm each was compared
/// with is in its words), oldest received first among the first found.
pub async fn queue(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
) -> Result<Response, ApiError> {
    let scope = caller.scope(&registry).await?;
    let query = RecordQuery::<ClaimRow>::all_by_pages()
        .only(claims::STATUS, &ClaimStatus::InReview)?
        .within(&scope);
    // Every claim in review, oldest received first: the queue is the reviewers' backlog, kept
    // short by their work.
    let mut waiting = registry.matching(query, |_| true).await?;
    waiting.sort_by(|a, b| (a.received_date, &a.id).cmp(&(b.received_date, &b.id)));
    let more = waiting.len() > QUEUE_SHOWN;
    waiting.truncate(QUEUE_SHOWN);
    let currency = registry.currency().await?;
    let mut views = Vec::with_capacity(waiting.len());
    for claim in &waiting {
        views.push(registry.claim_view(&claim.id).await?);
    }
    let texts = &frame.texts;
    let content = html! {
        @if views.is_empty() {
            p { (texts.text("home-no-claims-in-review")) }
        }
        @for view in &views {
            article class="queued" {
                h2 {
                    a href=(claim_path(&view.record.claim.provider_id, &view.record.claim.claim_number)) { (view.id) }
                }
                p class="hint" {
                    (view.record.claim.member_id) " · " (view.record.claim.clinical_category) " · "
                    (texts.amount(view.record.amounts.claimed, currency.as_deref())) " · "
                    (texts.date(view.record.claim.received_date))
                }
                ul class="reasons" {
                    @for reason in &view.reasons {
                        li { code { (reason.code.as_str()) } " · " (said(texts, reason, currency.as_deref())) }
                    }
                }
            }
        }
        @if more {
            p class="hint" { (texts.with("home-more", &[("count", &texts.count(QUEUE_SHOWN as u64))])) }
        }
    };
    Ok(frame.page(&texts.text("review-queue-title"), content))
}

/// The claim form: first the member and the day of care, whose cover is then shown with what
/// is left of each limit; then the claim itself.
pub async fn new(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Query(sent): Query<Sent>,
) -> Result<Response, ApiError> {
    let mut problems = Problems::default();
    let cover = cover_of(&frame, &caller, &registry, &sent, &mut problems).await?;
    let currency = registry.currency().await?;
    Ok(claim_form(
        &frame,
        &sent,
        cover.as_ref(),
        currency.as_deref(),
        &problems,
        StatusCode::OK,
    ))
}

/// The member's cover on the day of care asked, if both are given and the member is one the
/// user may see.
async fn cover_of(
    frame: &Frame,
    caller: &Caller,
    registry: &Registry,
    sent: &Sent,
    problems: &mut Problems,
) -> Result<Option<CoverStatus>, ApiError> {
    let texts = &frame.texts;
    let Some(member) = sent
        .get("member_id")
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
    else {
        return Ok(None);
    };
    let day = date_filter(texts, sent, "care_date", problems).unwrap_or_else(|| registry.today());
    let key = Key::<Member>::parse(|_| Some(member))?;
    if registry
        .get_within(&key, &caller.scope(registry).await?)
        .await
        .is_err()
    {
        problems.add(
            "member_id",
            texts.with("claim-unknown-member", &[("member", member)]),
        );
        return Ok(None);
    }
    Ok(Some(registry.cover_status(member, day).await?))
}

/// A reason in the reader's language, or the core's English (marked as English for screen
/// readers) for one stored before reasons had words.
fn said(texts: &Texts, reason: &Reason, currency: Option<&str>) -> Markup {
    match texts.say("reason", &reason.words, currency) {
        Some(sentence) => html! { (sentence) },
        None => html! { span lang="en" { (reason.message) } },
    }
}

fn cover_panel(texts: &Texts, cover: &CoverStatus, currency: Option<&str>) -> Markup {
    html! {
        section class=(if cover.covered { "cover covered" } else { "cover not-covered" }) aria-live="polite" {
            h2 {
                @if cover.covered {
                    (texts.with("cover-yes", &[("member", &cover.member_id), ("date", &texts.date(cover.date))]))
                } @else {
                    (texts.with("cover-no", &[("member", &cover.member_id), ("date", &texts.date(cover.date))]))
                }
            }
            @for reason in &cover.reasons {
                p { code { (reason.code.as_str()) } " · " (said(texts, reason, currency)) }
            }
            @if !cover.categories.is_empty() {
                div class="scroll" tabindex="0" { table {
                    thead { tr {
                        th scope="col" { (texts.text("cover-category")) }
                        th scope="col" class="number" { (texts.text("cover-limit")) }
                        th scope="col" class="number" { (texts.text("cover-used")) }
                        th scope="col" class="number" { (texts.text("cover-left")) }
                    } }
                    tbody {
                        @for category in &cover.categories {
                            tr {
                                td { (category.name) @if let Some(until) = category.waiting_until {
                                    " (" (texts.with("cover-waiting", &[("until", &texts.date(until))])) ")" } }
                                td class="number" { @match category.limit { Some(limit) => (texts.amount(limit, currency)), None => (texts.text("cover-no-limit")) } }
                                td class="number" { (texts.amount(category.used, currency)) }
                                td class="number" { @if let Some(left) = category.left { (texts.amount(left, currency)) } }
                            }
                        }
                    }
                } }
            }
        }
    }
}

fn claim_form(
    frame: &Frame,
    sent: &Sent,
    cover: Option<&CoverStatus>,
    currency: Option<&str>,
    problems: &Problems,
    status: StatusCode,
) -> Response {
    let texts = &frame.texts;
    let value = |name: &str| sent.get(name).cloned().unwrap_or_default();
    let facility = frame.user.as_ref().and_then(|u| u.provider.clone());
    let field = |name: &'static str, label: &str, input: Input, required: bool| {
        Field {
            name,
            label: texts.text(label),
            input,
            value: &value(name),
            autocomplete: "off",
            required,
        }
        .render(problems)
    };
    let content = html! {
        (problems.summary(texts))
        form method="get" action=(NEW_CLAIM.path) class="filters" {
            (field("member_id", "column-member", Input::Text, true))
            (field("care_date", "claim-care-date", Input::Date, false))
            button type="submit" { (texts.text("cover-check")) }
        }
        @if let Some(cover) = cover {
            (cover_panel(texts, cover, currency))
        }
        @if cover.is_some() || status != StatusCode::OK {
            form method="post" action=(NEW_CLAIM.path) {
                (frame.csrf_field())
                input type="hidden" name="member_id" value=(value("member_id"));
                input type="hidden" name="care_date" value=(value("care_date"));
                div class="columns" {
                    @if facility.is_none() {
                        (field("provider_id", "filter-facility", Input::Text, true))
                    }
                    (field("claim_number", "claim-number", Input::Text, true))
                    (field("visit_date", "claim-visit", Input::Date, false))
                    (field("admission_date", "claim-admission", Input::Date, false))
                    (field("discharge_date", "claim-discharge", Input::Date, false))
                    (field("clinical_category", "claim-category", Input::Text, true))
                    (field("specialty", "claim-specialty", Input::Text, false))
                    (field("diagnosis_codes", "claim-diagnosis-codes", Input::Text, false))
                    (field("copay_collected", "claim-copay", Input::Number, false))
                }
                div class="scroll" tabindex="0" { table class="lines" {
                    caption { (texts.text("claim-lines")) }
                    thead { tr {
                        th scope="col" { "#" }
                        th scope="col" { (texts.text("claim-service")) }
                        th scope="col" { (texts.text("claim-quantity")) }
                        th scope="col" { (texts.text("claim-unit-price")) }
                    } }
                    tbody {
                        @for line in 1..=FORM_LINES {
                            tr {
                                td { (line) }
                                @for (part, label) in [("service_code", "claim-service"), ("quantity", "claim-quantity"), ("unit_price", "claim-unit-price")] {
                                    td {
                                        @let name = format!("line-{line}-{part}");
                                        input name=(name) id=(format!("field-{name}")) value=(value(&name))
                                            aria-label=(format!("{} {line}", texts.text(label)))
                                            inputmode=[(part != "service_code").then_some("decimal")];
                                    }
                                }
                            }
                        }
                    }
                } }
                button type="submit" { (texts.text("claim-send")) }
            }
        }
    };
    frame.page_with(status, &texts.text("claim-new-title"), content)
}

/// The claim as the form sent it, in the API's JSON shape: read by the same parser, so a wrong
/// field is named the same way.
fn claim_json(
    texts: &Texts,
    sent: &Sent,
    facility: Option<&str>,
    received: NaiveDate,
) -> Result<JsonValue, Problems> {
    let mut claim = Map::new();
    let given = |name: &str| sent.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    for name in [
        "provider_id",
        "claim_number",
        "member_id",
        "visit_date",
        "admission_date",
        "discharge_date",
        "clinical_category",
        "specialty",
        "copay_collected",
    ] {
        if let Some(value) = given(name) {
            let value = match name {
                "copay_collected" => typed_number(value),
                _ => value.to_string(),
            };
            claim.insert(name.into(), value.into());
        }
    }
    if let Some(own) = facility {
        claim.insert("provider_id".into(), own.into());
    }
    let codes: Vec<JsonValue> = given("diagnosis_codes")
        .map(|codes| {
            codes
                .split([';', ',', ' '])
                .filter(|c| !c.is_empty())
                .map(JsonValue::from)
                .collect()
        })
        .unwrap_or_default();
    claim.insert("diagnosis_codes".into(), codes.into());
    claim.insert("received_date".into(), received.to_string().into());
    let mut problems = Problems::default();
    let mut lines = Vec::new();
    for line in 1..=FORM_LINES {
        let part = |name: &str| given(&format!("line-{line}-{name}"));
        let (service, quantity, price) =
            (part("service_code"), part("quantity"), part("unit_price"));
        let Some(service) = service else {
            // A line with a quantity or a price but no service is not dropped unseen.
            if quantity.is_some() || price.is_some() {
                problems.add(
                    format!("line-{line}-service_code"),
                    texts.text("field-required"),
                );
            }
            continue;
        };
        let quantity = match quantity.unwrap_or("1").parse::<i64>() {
            Ok(quantity) => quantity,
            Err(_) => {
                problems.add(
                    format!("line-{line}-quantity"),
                    texts.with(
                        "field-not-a-whole-number",
                        &[("text", quantity.unwrap_or_default())],
                    ),
                );
                continue;
            }
        };
        lines.push(serde_json::json!({
            "service_code": service, "quantity": quantity, "unit_price": typed_number(price.unwrap_or_default())
        }));
    }
    claim.insert("lines".into(), lines.into());
    if problems.is_empty() {
        Ok(claim.into())
    } else {
        Err(problems)
    }
}

/// A claim sent from the form: received and judged at once, then its page with the decision.
pub async fn send(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    State(intake): State<Intake>,
    Form(sent): Form<Sent>,
) -> Result<Response, ApiError> {
    let facility = own_provider(frame.user()?).map(str::to_string);
    let mut problems = Problems::default();
    let cover = cover_of(&frame, &caller, &registry, &sent, &mut problems).await?;
    let currency = registry.currency().await?;
    let refused = |problems: &Problems| {
        claim_form(
            &frame,
            &sent,
            cover.as_ref(),
            currency.as_deref(),
            problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    // The member or the day of care the form was opened with is wrong: nothing is sent.
    if !problems.is_empty() {
        return Ok(refused(&problems));
    }
    let json = match claim_json(&frame.texts, &sent, facility.as_deref(), registry.today()) {
        Ok(json) => json,
        Err(problems) => return Ok(refused(&problems)),
    };
    let claim: Claim = match crate::parse(&bytes(&json)) {
        Ok(claim) => claim,
        Err(error) => {
            return Ok(refused(&Problems::of_refusal(
                &frame.texts,
                error.problems().unwrap_or_default(),
            )));
        }
    };
    match submit_for(&caller, &registry, &intake, vec![claim], false).await {
        Ok(mut views) => {
            let view = views.remove(0);
            let claim = &view.record.claim;
            Ok(see_other(&claim_path(
                &claim.provider_id,
                &claim.claim_number,
            )))
        }
        Err(error) => match error.problems() {
            Some(found) => Ok(refused(&Problems::of_refusal(&frame.texts, found))),
            None => Err(error),
        },
    }
}

fn bytes(json: &JsonValue) -> axum::body::Bytes {
    axum::body::Bytes::from(json.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::forms::sent;

    #[test]
    fn the_form_makes_the_apis_claim_with_its_filled_lines_only() {
        let form = sent(&[
            ("provider_id", "H2"),
            ("claim_number", "C-1"),
            ("member_id", "M1"),
            ("admission_date", "2025-05-01"),
            ("discharge_date", "2025-05-04"),
            ("clinical_category", "surgical"),
            ("diagnosis_codes", "K35.8; K37"),
            ("line-1-service_code", "SURG-APP"),
            ("line-1-quantity", "1"),
            ("line-1-unit_price", "15000"),
            ("line-3-service_code", "BED"),
            ("line-3-quantity", "3"),
            ("line-3-unit_price", "500.50"),
        ]);
        let received: NaiveDate = "2025-05-05".parse().unwrap();
        let json = claim_json(&Texts::of(None), &form, Some("H1"), received).unwrap();
        let claim: Claim = serde_json::from_value(json).unwrap();
        assert_eq!(claim.provider_id, "H1", "a facility sends its own");
        assert_eq!(claim.diagnosis_codes, ["K35.8", "K37"]);
        assert_eq!(claim.lines.len(), 2);
        assert_eq!(claim.lines[1].unit_price, "500.50".parse().unwrap());
        assert_eq!(claim.received_date, received);
        assert!(claim.visit_date.is_none());

        let wrong = claim_json(
            &Texts::of(None),
            &sent(&[("line-2-service_code", "X"), ("line-2-quantity", "two")]),
            None,
            received,
        );
        assert!(wrong.unwrap_err().of("line-2-quantity").is_some());
    }
}
