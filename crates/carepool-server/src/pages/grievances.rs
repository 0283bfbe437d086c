//! The grievances' pages: the list with its filters (status, category, owner, overdue), a form
//! to file one, and a grievance with its steps, its refund and, for those who handle
//! grievances, a form for each step its status allows. Through the grievances service with the
//! caller's districts and name, as the API: the same scope, the same flow, the same audit.

use super::forms::{Field, Input, Problems, Sent, code, date_filter, given, typed_number};
use super::language::Texts;
use super::layout::Frame;
use super::{GRIEVANCE_LIST, NEW_GRIEVANCE, see_other, segment};
use crate::auth::Caller;
use crate::claims_api::claim_for;
use crate::error::ApiError;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use carepool_core::access::Permission;
use carepool_core::claims::payment::RefundStatus;
use carepool_core::grievances::{
    Channel, ENROLMENT_APPEAL, EXEMPT_CHARGED, FiledBy, GrievanceStatus, GrievanceStep, Priority,
    ResolutionKind, standard_categories, status_after,
};
use carepool_core::money::Money;
use carepool_schema::grievance_tables::GrievanceRow;
use carepool_service::grievances::{
    CoverAsked, GrievanceFilter, GrievanceView, NewGrievance, StepTaken,
};
use carepool_service::{Registry, Scope};
use maud::{Markup, html};

/// Grievances listed on a page: a district's register of a few months.
const GRIEVANCES_SHOWN: usize = 200;

/// Where a grievance's page is.
fn grievance_path(id: &str) -> String {
    format!("{}/{}", GRIEVANCE_LIST.path, segment(id))
}

/// A required choice's list, with a blank first: nothing is chosen for the user (a finding, a
/// category), the browser asks them to choose.
fn chosen_by_hand(mut choices: Vec<(String, String)>) -> Vec<(String, String)> {
    choices.insert(0, (String::new(), "—".to_string()));
    choices
}

/// The choices of a code list, each with its words (`PREFIX-CODE`).
fn choices(texts: &Texts, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    (codes.iter())
        .map(|code| (code.to_string(), texts.text(&format!("{prefix}-{code}"))))
        .collect()
}

/// The categories the schemes hear, each with its name: a standard category's in the reader's
/// language, a scheme's own as its file gives it.
async fn category_choices(
    texts: &Texts,
    registry: &Registry,
) -> Result<Vec<(String, String)>, ApiError> {
    let standard = standard_categories();
    Ok((registry.grievance_categories().await?.into_iter())
        .map(|category| {
            let name = if standard.contains(&category) {
                texts.text(&format!("grievance-category-{}", category.code))
            } else {
                category.name
            };
            (category.code, name)
        })
        .collect())
}

fn status_words(texts: &Texts, status: GrievanceStatus) -> String {
    texts.text(&format!("grievance-status-{}", status.as_str()))
}

/// The grievances of the user's districts, oldest filed first, filtered by status, category,
/// owner and lateness.
pub async fn list(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Query(sent): Query<Sent>,
) -> Result<Response, ApiError> {
    let texts = &frame.texts;
    let mut problems = Problems::default();
    let filter = GrievanceFilter {
        status: code(
            texts,
            &sent,
            "status",
            GrievanceStatus::parse,
            &mut problems,
        ),
        category: given(&sent, "category"),
        owner: given(&sent, "owner"),
        member: None,
        overdue: sent.contains_key("overdue"),
    };
    let found = if problems.is_empty() {
        let scope = caller.scope(&registry).await?;
        registry.grievances(&filter, &scope).await?
    } else {
        Vec::new()
    };
    let value = |name: &str| sent.get(name).cloned().unwrap_or_default();
    let statuses = GrievanceStatus::ALL
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>();
    let categories = category_choices(texts, &registry).await?;
    let named: std::collections::HashMap<&str, &str> = (categories.iter())
        .map(|(code, name)| (code.as_str(), name.as_str()))
        .collect();
    let shown = &found[..found.len().min(GRIEVANCES_SHOWN)];
    let content = html! {
        (problems.summary(texts))
        form method="get" action=(GRIEVANCE_LIST.path) class="filters" {
            (Field { name: "status", label: texts.text("column-status"),
                input: Input::Choice(choices(texts, "grievance-status", &statuses)),
                value: &value("status"), autocomplete: "off", required: false }.render(&problems))
            (Field { name: "category", label: texts.text("column-category"),
                input: Input::Choice(categories.clone()), value: &value("category"),
                autocomplete: "off", required: false }.render(&problems))
            (Field { name: "owner", label: texts.text("column-owner"), input: Input::Text,
                value: &value("owner"), autocomplete: "off", required: false }.render(&problems))
            div class="choice" {
                input type="checkbox" name="overdue" id="field-overdue" value="yes" checked[filter.overdue];
                label for="field-overdue" { (texts.text("grievances-overdue-only")) }
            }
            button type="submit" { (texts.text("filter")) }
        }
        @if shown.is_empty() {
            p role="status" { (texts.text("grievances-none")) }
        } @else {
            @if found.len() > shown.len() {
                p role="status" { (texts.with("grievances-more", &[("shown", &texts.count(shown.len() as u64)), ("found", &texts.count(found.len() as u64))])) }
            }
            div class="scroll" tabindex="0" { table {
                thead { tr {
                    th scope="col" { (texts.text("column-grievance")) }
                    th scope="col" { (texts.text("column-filed-on")) }
                    th scope="col" { (texts.text("column-category")) }
                    th scope="col" { (texts.text("column-member")) }
                    th scope="col" { (texts.text("column-status")) }
                    th scope="col" { (texts.text("column-owner")) }
                    th scope="col" { (texts.text("column-due")) }
                } }
                tbody {
                    @for listed in shown {
                        @let g = &listed.grievance;
                        tr {
                            td { a href=(grievance_path(&g.id)) { (g.id) } }
                            td { (texts.date(g.filed_on)) }
                            td { (named.get(g.category.as_str()).copied().unwrap_or(&g.category)) }
                            td { (g.member_id.as_deref().unwrap_or("")) }
                            td { (status_words(texts, g.status)) }
                            td { (g.owner.as_deref().unwrap_or("")) }
                            td { (texts.date(g.due_date))
                                @if listed.overdue { " " strong class="late" { (texts.text("grievance-overdue")) } } }
                        }
                    }
                }
            } }
        }
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(frame.page_with(status, &texts.text("grievances-title"), content))
}

/// The form to file a grievance.
pub async fn new(frame: Frame, State(registry): State<Registry>) -> Result<Response, ApiError> {
    filing_page(
        &frame,
        &registry,
        &Problems::default(),
        &Sent::new(),
        StatusCode::OK,
    )
    .await
}

async fn filing_page(
    frame: &Frame,
    registry: &Registry,
    problems: &Problems,
    sent: &Sent,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let texts = &frame.texts;
    let value = |name: &str| sent.get(name).cloned().unwrap_or_default();
    let categories = category_choices(texts, registry).await?;
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    let priorities: Vec<&str> = Priority::ALL.iter().map(|p| p.as_str()).collect();
    let filers: Vec<&str> = FiledBy::ALL.iter().map(|f| f.as_str()).collect();
    let or = |name: &str, default: &str| given(sent, name).unwrap_or_else(|| default.to_string());
    let text = |name: &'static str, label: &str, required: bool| {
        Field {
            name,
            label: texts.text(label),
            input: Input::Text,
            value: &value(name),
            autocomplete: "off",
            required,
        }
        .render(problems)
    };
    let content = html! {
        (problems.summary(texts))
        form method="post" action=(NEW_GRIEVANCE.path) class="narrow" {
            (frame.csrf_field())
            (Field { name: "category", label: texts.text("column-category"),
                input: Input::Choice(chosen_by_hand(categories)), value: &value("category"),
                autocomplete: "off", required: true }.render(problems))
            (Field { name: "filed_by", label: texts.text("grievance-filed-by"),
                input: Input::Choice(choices(texts, "grievance-filed-by", &filers)),
                value: &or("filed_by", "member"), autocomplete: "off", required: true }.render(problems))
            (text("filer", "grievance-filer", true))
            (Field { name: "channel", label: texts.text("column-channel"),
                input: Input::Choice(choices(texts, "grievance-channel", &channels)),
                value: &or("channel", "visit"), autocomplete: "off", required: true }.render(problems))
            (Field { name: "priority", label: texts.text("column-priority"),
                input: Input::Choice(choices(texts, "grievance-priority", &priorities)),
                value: &or("priority", "normal"), autocomplete: "off", required: true }.render(problems))
            (Field { name: "filed_on", label: texts.text("column-filed-on"), input: Input::Date,
                value: &value("filed_on"), autocomplete: "off", required: false }.render(problems))
            (text("member", "column-member", false))
            (text("claim", "grievance-claim", false))
            (text("provider", "filter-facility", false))
            (text("location", "grievance-location", false))
            (text("scheme", "grievance-scheme", false))
            (textarea(texts, problems, "description", "grievance-description", &value("description")))
            (text("attachments", "grievance-attachments", false))
            button type="submit" { (texts.text("grievance-file")) }
        }
    };
    Ok(frame.page_with(status, &texts.text("grievance-new-title"), content))
}

/// A text of several lines, required, with its label and problem.
fn textarea(texts: &Texts, problems: &Problems, name: &str, label: &str, value: &str) -> Markup {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let problem = problems.of(name);
    html! {
        div class=(if problem.is_some() { "field invalid" } else { "field" }) {
            label for=(id) { (texts.text(label)) }
            @if let Some(message) = problem {
                p class="field-error" id=(error_id) { (message) }
            }
            textarea id=(id) name=(name) rows="3" required
                aria-invalid=[problem.map(|_| "true")]
                aria-describedby=[problem.map(|_| &error_id)] { (value) }
        }
    }
}

/// Files the grievance the form describes, in the caller's districts and name, and shows it.
pub async fn file(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Form(sent): Form<Sent>,
) -> Result<Response, ApiError> {
    let texts = &frame.texts;
    let mut problems = Problems::default();
    let channel = code(texts, &sent, "channel", Channel::parse, &mut problems);
    let priority = code(texts, &sent, "priority", Priority::parse, &mut problems);
    let filed_by = code(texts, &sent, "filed_by", FiledBy::parse, &mut problems);
    let filed_on = date_filter(texts, &sent, "filed_on", &mut problems);
    if problems.is_empty() {
        let new = NewGrievance {
            scheme: given(&sent, "scheme"),
            category: given(&sent, "category").unwrap_or_default(),
            channel,
            priority,
            filed_by,
            filer: given(&sent, "filer").unwrap_or_default(),
            filed_on,
            location: given(&sent, "location"),
            member: given(&sent, "member"),
            family: None,
            claim: given(&sent, "claim"),
            provider: given(&sent, "provider"),
            description: given(&sent, "description").unwrap_or_default(),
            attachments: (given(&sent, "attachments").unwrap_or_default().split(';'))
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
        };
        let scope = caller.scope(&registry).await?;
        let acting = registry.clone().acting_as(caller.actor()?);
        match acting
            .file_grievance(new, &scope)
            .await
            .map_err(ApiError::from)
        {
            Ok(view) => return Ok(see_other(&grievance_path(&view.grievance.id))),
            Err(error) => match error.problems() {
                Some(found) => problems = Problems::of_refusal(texts, found),
                None => return Err(error),
            },
        }
    }
    filing_page(
        &frame,
        &registry,
        &problems,
        &sent,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A grievance with its steps and refund, and the steps the caller may take next.
pub async fn show(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let scope = caller.scope(&registry).await?;
    let view = registry.grievance(&id, &scope).await?;
    grievance_page(
        &frame,
        &caller,
        &registry,
        &view,
        &Problems::default(),
        &Sent::new(),
        StatusCode::OK,
    )
    .await
}

async fn grievance_page(
    frame: &Frame,
    caller: &Caller,
    registry: &Registry,
    view: &GrievanceView,
    problems: &Problems,
    sent: &Sent,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let texts = &frame.texts;
    let g = &view.grievance;
    let currency = registry.currency().await?;
    let may = |permission| frame.user.as_ref().is_some_and(|u| u.role.may(permission));
    // A claim is seen through its facility's district, which may not be the grievance's.
    let claim_link = match &g.claim_id {
        Some(claim) if may(Permission::ReadClaims) => {
            claim_for(caller, registry, claim).await.is_ok()
        }
        _ => false,
    };
    let category = (category_choices(texts, registry).await?.into_iter())
        .find(|(code, _)| *code == g.category)
        .map_or_else(|| g.category.clone(), |(_, name)| name);
    let family_link = g
        .family_id
        .as_ref()
        .filter(|_| may(Permission::ReadRegistry));
    let content = html! {
        dl class="facts" {
            dt { (texts.text("column-status")) }
            dd { strong { (status_words(texts, g.status)) }
                @if view.overdue { " " strong class="late" { (texts.text("grievance-overdue")) } } }
            dt { (texts.text("column-category")) } dd { (category) }
            dt { (texts.text("column-priority")) } dd { (texts.text(&format!("grievance-priority-{}", g.priority.as_str()))) }
            dt { (texts.text("column-filed-on")) } dd { (texts.date(g.filed_on)) " · "
                (texts.text(&format!("grievance-channel-{}", g.channel.as_str()))) }
            dt { (texts.text("grievance-filed-by")) } dd { (g.filer) " (" (texts.text(&format!("grievance-filed-by-{}", g.filed_by.as_str()))) ")" }
            dt { (texts.text("column-due")) } dd { (texts.date(g.due_date)) }
            dt { (texts.text("column-owner")) } dd { (g.owner.as_deref().unwrap_or("—")) }
            dt { (texts.text("grievance-place")) } dd { (g.location_code) }
            @if let Some(member) = &g.member_id {
                dt { (texts.text("column-member")) } dd { (member)
                    @if let Some(family) = family_link { " · " a href=(format!("/families/{}", segment(family))) { (family) } } }
            }
            @if let Some(claim) = &g.claim_id {
                dt { (texts.text("column-claim")) }
                dd { @if claim_link { a href=(claim_page(claim)) { (claim) } } @else { (claim) } }
            }
            @if let Some(provider) = &g.provider_id {
                dt { (texts.text("filter-facility")) } dd { (provider) }
            }
            @if !g.attachments.is_empty() {
                dt { (texts.text("grievance-attachments")) } dd { (g.attachments.join(", ")) }
            }
        }
        section {
            h2 { (texts.text("grievance-description")) }
            p class="said" { (g.description) }
            @if let (Some(kind), Some(text)) = (g.resolution_kind, &g.resolution) {
                h2 { (texts.text("grievance-resolution")) }
                p { strong { (texts.text(&format!("grievance-kind-{}", kind.as_str()))) } " · " (text) }
            }
            @if let Some(refund) = view.refund.as_ref().filter(|_| g.category == EXEMPT_CHARGED) {
                h2 { (texts.text("grievance-refund")) }
                @if refund.status == RefundStatus::Withdrawn {
                    p { (texts.text("grievance-refund-none")) }
                } @else {
                p { (texts.with("grievance-refund-line", &[
                    ("amount", &texts.amount(refund.amount, currency.as_deref())),
                    ("member", &refund.member_id),
                    ("facility", &refund.provider_id),
                    ("status", &texts.text(&format!("refund-status-{}", refund.status.as_str()))),
                ])) }
                }
            }
        }
        section {
            h2 { (texts.text("grievance-steps")) }
            div class="scroll" tabindex="0" { table {
                thead { tr {
                    th scope="col" { (texts.text("grievance-step")) }
                    th scope="col" { (texts.text("column-status")) }
                    th scope="col" { (texts.text("grievance-day")) }
                    th scope="col" { (texts.text("grievance-by")) }
                    th scope="col" { (texts.text("column-owner")) }
                    th scope="col" { (texts.text("grievance-note")) }
                } }
                tbody {
                    @for step in &view.steps {
                        tr {
                            td { (texts.text(&format!("grievance-step-{}", step.step))) }
                            td { (status_words(texts, step.status)) }
                            td { (texts.date(step.day)) }
                            td { (step.actor) }
                            td { (step.owner.as_deref().unwrap_or("")) }
                            td { (step.note.as_deref().unwrap_or("")) }
                        }
                    }
                }
            } }
        }
        @if may(Permission::HandleGrievances) {
            (step_forms(frame, g, problems, sent))
        } @else {
            (problems.summary(texts))
        }
    };
    let title = texts.with("grievance-title", &[("id", &g.id)]);
    Ok(frame.page_with(status, &title, content))
}

/// A claim's page, from its id (PROVIDER/NUMBER).
fn claim_page(id: &str) -> String {
    match id.split_once('/') {
        Some((provider, number)) => super::claims::claim_path(provider, number),
        None => format!("/claims/{}", segment(id)),
    }
}

/// A form for each step the grievance's status allows, in the flow's order.
fn step_forms(frame: &Frame, g: &GrievanceRow, problems: &Problems, sent: &Sent) -> Markup {
    let texts = &frame.texts;
    let value = |name: &str| sent.get(name).cloned().unwrap_or_default();
    let allowed = |step| status_after(&g.id, g.status, step).is_ok();
    let action = format!("{}/steps", grievance_path(&g.id));
    let kinds: Vec<&str> = ResolutionKind::ALL.iter().map(|k| k.as_str()).collect();
    let step_form = |step: GrievanceStep, fields: Markup| {
        html! {
            form method="post" action=(action) class="narrow step" {
                (frame.csrf_field())
                input type="hidden" name="step" value=(step.as_str());
                (fields)
                button type="submit" { (texts.text(&format!("grievance-do-{}", step.as_str()))) }
            }
        }
    };
    let note =
        |name: &'static str, label: &str| textarea(texts, problems, name, label, &value(name));
    html! {
        section {
            h2 { (texts.text("grievance-next")) }
            (problems.summary(texts))
            @if allowed(GrievanceStep::Assign) {
                (step_form(GrievanceStep::Assign, html! {
                    (Field { name: "owner", label: texts.text("grievance-owner"), input: Input::Text,
                        value: &value("owner"), autocomplete: "off", required: true }.render(problems))
                }))
            }
            @if allowed(GrievanceStep::Start) {
                (step_form(GrievanceStep::Start, html! {}))
            }
            @if allowed(GrievanceStep::Resolve) {
                (step_form(GrievanceStep::Resolve, html! {
                    (Field { name: "kind", label: texts.text("grievance-kind"),
                        input: Input::Choice(chosen_by_hand(choices(texts, "grievance-kind", &kinds))),
                        value: &value("kind"), autocomplete: "off", required: true }.render(problems))
                    (note("text", "grievance-text"))
                    @if g.category == EXEMPT_CHARGED {
                        (Field { name: "refund", label: texts.text("grievance-refund-amount"), input: Input::Number,
                            value: &value("refund"), autocomplete: "off", required: false }.render(problems))
                    }
                    @if g.category == ENROLMENT_APPEAL {
                        (Field { name: "cover_from", label: texts.text("grievance-cover-from"), input: Input::Date,
                            value: &value("cover_from"), autocomplete: "off", required: false }.render(problems))
                        (Field { name: "package", label: texts.text("grievance-package"), input: Input::Text,
                            value: &value("package"), autocomplete: "off", required: false }.render(problems))
                    }
                }))
            }
            @if allowed(GrievanceStep::Close) {
                (step_form(GrievanceStep::Close, html! {}))
            }
            @if allowed(GrievanceStep::Reopen) {
                (step_form(GrievanceStep::Reopen, html! { (note("why", "grievance-why")) }))
            }
        }
    }
}

/// Takes the step the form sent, in the caller's districts and name, and shows the grievance.
pub async fn step(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(id): Path<String>,
    Form(sent): Form<Sent>,
) -> Result<Response, ApiError> {
    let texts = &frame.texts;
    let mut problems = Problems::default();
    let text = |name: &str| given(&sent, name).unwrap_or_default();
    let taken = match sent.get("step").map(String::as_str) {
        Some("assign") => Some(StepTaken::Assign {
            owner: text("owner"),
            note: None,
        }),
        Some("start") => Some(StepTaken::Start { note: None }),
        Some("resolve") => {
            let kind = code(texts, &sent, "kind", ResolutionKind::parse, &mut problems);
            let refund = match given(&sent, "refund") {
                Some(amount) => match typed_number(&amount).parse::<Money>() {
                    Ok(amount) => Some(amount),
                    Err(_) => {
                        problems.add("refund", texts.text("grievance-refund-not-amount"));
                        None
                    }
                },
                None => None,
            };
            let cover =
                date_filter(texts, &sent, "cover_from", &mut problems).map(|from| CoverAsked {
                    from,
                    package: given(&sent, "package"),
                });
            if kind.is_none() && problems.is_empty() {
                problems.add("kind", texts.text("grievance-kind-needed"));
            }
            kind.filter(|_| problems.is_empty())
                .map(|kind| StepTaken::Resolve {
                    kind,
                    text: text("text"),
                    refund,
                    cover,
                })
        }
        Some("close") => Some(StepTaken::Close { note: None }),
        Some("reopen") => Some(StepTaken::Reopen { why: text("why") }),
        _ => return Err(ApiError::bad_request("the form names no step")),
    };
    let scope: Scope = caller.scope(&registry).await?;
    if let Some(taken) = taken {
        let acting = registry.clone().acting_as(caller.actor()?);
        match (acting.take_grievance_step(&id, taken, &scope).await).map_err(ApiError::from) {
            Ok(view) => return Ok(see_other(&grievance_path(&view.grievance.id))),
            Err(error) => match error.problems() {
                Some(found) => problems = Problems::of_refusal(texts, found),
                None => return Err(error),
            },
        }
    }
    let view = registry.grievance(&id, &scope).await?;
    grievance_page(
        &frame,
        &caller,
        &registry,
        &view,
        &problems,
        &sent,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
