//! The registry's forms: register a family, add its members, give a member cover (the
//! enrolment, checked against the scheme's eligibility rules: a refusal names the rule), record a
//! contribution and print its receipt, and change a member's status (a death, an exit, a
//! return). A form's fields are read as an import reads a file's columns (the tables'
//! declarations), and written as the API writes ([`create_for`], [`update_for`]): the pages hold
//! no rule of their own.

use super::forms::{Field, Input, Problems, Sent, in_words, typed_number};
use super::language::Texts;
use super::layout::Frame;
use super::registry::{family_path, scheme_name};
use super::{see_other, segment};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::registry_api::{create_for, update_for};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use carepool_core::registry::{
    Contribution, Coverage, Family, Member, MemberStatus, Payer, Relationship, Sex,
};
use carepool_schema::json::row_to_json;
use carepool_schema::{ColumnType, Record, Value};
use carepool_service::{Key, Registry};
use maud::html;

/// A field of a form: a column of the record's table, and what it takes.
struct Column {
    name: &'static str,
    input: fn(&Texts) -> Input,
}

fn text(_: &Texts) -> Input {
    Input::Text
}

fn date(_: &Texts) -> Input {
    Input::Date
}

fn number(_: &Texts) -> Input {
    Input::Number
}

/// A choice among codes, each in words (message `PREFIX-CODE`).
fn choice(texts: &Texts, prefix: &str, codes: impl Iterator<Item = &'static str>) -> Input {
    Input::Choice(
        codes
            .map(|code| (code.to_string(), texts.text(&format!("{prefix}-{code}"))))
            .collect(),
    )
}

fn relationship(texts: &Texts) -> Input {
    choice(
        texts,
        "relationship",
        Relationship::ALL.iter().map(|r| r.as_str()),
    )
}

fn sex(texts: &Texts) -> Input {
    choice(texts, "sex", Sex::ALL.iter().map(|s| s.as_str()))
}

fn status(texts: &Texts) -> Input {
    choice(
        texts,
        "status",
        MemberStatus::ALL.iter().map(|s| s.as_str()),
    )
}

fn payer(texts: &Texts) -> Input {
    choice(texts, "payer", Payer::ALL.iter().map(|p| p.as_str()))
}

const FAMILY_FIELDS: &[Column] = &[
    Column {
        name: "id",
        input: text,
    },
    Column {
        name: "scheme",
        input: text,
    },
    Column {
        name: "location_code",
        input: text,
    },
    Column {
        name: "household_id",
        input: text,
    },
    Column {
        name: "poverty_score",
        input: number,
    },
];

const MEMBER_FIELDS: &[Column] = &[
    Column {
        name: "id",
        input: text,
    },
    Column {
        name: "name",
        input: text,
    },
    Column {
        name: "relationship",
        input: relationship,
    },
    Column {
        name: "sex",
        input: sex,
    },
    Column {
        name: "birth_date",
        input: date,
    },
    Column {
        name: "national_id",
        input: text,
    },
    Column {
        name: "categories",
        input: text,
    },
    Column {
        name: "monthly_wage",
        input: number,
    },
    Column {
        name: "status",
        input: status,
    },
    Column {
        name: "status_since",
        input: date,
    },
];

const COVER_FIELDS: &[Column] = &[
    Column {
        name: "member_id",
        input: text,
    },
    Column {
        name: "start_date",
        input: date,
    },
    Column {
        name: "end_date",
        input: date,
    },
    Column {
        name: "package",
        input: text,
    },
];

const CONTRIBUTION_FIELDS: &[Column] = &[
    Column {
        name: "receipt",
        input: text,
    },
    Column {
        name: "payer",
        input: payer,
    },
    Column {
        name: "period_start",
        input: date,
    },
    Column {
        name: "period_end",
        input: date,
    },
    Column {
        name: "amount",
        input: number,
    },
    Column {
        name: "paid_on",
        input: date,
    },
];

const STATUS_FIELDS: &[Column] = &[
    Column {
        name: "status",
        input: status,
    },
    Column {
        name: "status_since",
        input: date,
    },
];

/// The record a form describes: each column read from the field of its name (or `fixed`) as an
/// import reads it, every problem named by its field.
fn record_from<R: Record>(
    texts: &Texts,
    sent: &Sent,
    fixed: &[(&str, &str)],
) -> Result<R, Problems> {
    let mut problems = Problems::default();
    let mut row = Vec::with_capacity(R::table().columns.len());
    for column in R::table().columns {
        let text = fixed
            .iter()
            .find(|(name, _)| *name == column.name)
            .map(|(_, value)| *value)
            .or_else(|| sent.get(column.name).map(String::as_str))
            .unwrap_or_default();
        // Amounts as people type them (1 250,50).
        let text = match column.ty {
            ColumnType::Money | ColumnType::Real => typed_number(text),
            _ => text.to_string(),
        };
        match Value::parse(column, &text) {
            Ok(value) => row.push(value),
            Err(broken) => {
                let core_words = in_words(texts, broken.words.as_ref(), broken.message);
                problems.add(
                    broken.field,
                    field_problem(texts, column, &text, core_words),
                );
                row.push(Value::Null);
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    R::from_row(&row).map_err(|broken| {
        let mut problems = Problems::default();
        problems.add_broken(texts, broken);
        problems
    })
}

/// Why a field's text is not a value of its column, in the reader's language where the reason
/// is the column's type (a rule of its own keeps the core's words).
fn field_problem(
    texts: &Texts,
    column: &carepool_schema::Column,
    text: &str,
    core_words: String,
) -> String {
    if text.trim().is_empty() {
        return texts.text("field-required");
    }
    let id = match column.ty {
        ColumnType::Date => "field-not-a-date",
        ColumnType::Integer => "field-not-a-whole-number",
        ColumnType::Real => "field-not-a-number",
        ColumnType::Money => "field-not-an-amount",
        ColumnType::Text | ColumnType::List => return core_words,
    };
    texts.with(id, &[("text", text)])
}

/// A record's fields as a form shows them.
fn fields_of<R: Record>(record: &R) -> Sent {
    let table = R::table();
    let json = row_to_json(table, &record.to_row());
    table
        .columns
        .iter()
        .map(|column| {
            let text = match &json[column.name] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(text) => text.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                other => other.to_string(),
            };
            (column.name.to_string(), text)
        })
        .collect()
}

/// A record's form as a page shows it: its title, its table and the columns it asks for.
struct RecordForm<'a> {
    title: &'a str,
    table: &'static str,
    columns: &'static [Column],
}

impl RecordForm<'_> {
    /// The form filled with `values`, its problems beside their fields.
    fn page(
        &self,
        frame: &Frame,
        values: &Sent,
        problems: &Problems,
        status: StatusCode,
    ) -> Response {
        let texts = &frame.texts;
        let table = self.table;
        let content = html! {
            (problems.summary(texts))
            @if let Some(message) = problems.of("form") {
                p class="error" role="alert" { (message) }
            }
            form method="post" class="narrow" {
                (frame.csrf_field())
                @for column in self.columns {
                    (Field {
                        name: column.name,
                        label: texts.text(&format!("field-{table}-{}", column.name)),
                        input: (column.input)(texts),
                        value: values.get(column.name).map(String::as_str).unwrap_or_default(),
                        autocomplete: "off",
                        required: required(table, column.name),
                    }.render(problems))
                }
                button type="submit" { (texts.text("save")) }
            }
        };
        frame.page_with(status, self.title, content)
    }

    /// The form to fill in, with `values` given already.
    fn blank(&self, frame: &Frame, values: &Sent) -> Response {
        self.page(frame, values, &Problems::default(), StatusCode::OK)
    }

    /// Writes the record the form `sent` describes (`parsed`) with `write` and answers `then`
    /// of it; on a refusal, the form again with what was sent and the problems named.
    async fn save<R, F>(
        &self,
        frame: &Frame,
        sent: &Sent,
        parsed: Result<R, Problems>,
        write: impl FnOnce(R) -> F,
        then: impl FnOnce(R) -> Response,
    ) -> Result<Response, ApiError>
    where
        F: std::future::Future<Output = Result<R, ApiError>>,
    {
        let refused = |problems: Problems| {
            self.page(frame, sent, &problems, StatusCode::UNPROCESSABLE_ENTITY)
        };
        let record = match parsed {
            Ok(record) => record,
            Err(problems) => return Ok(refused(problems)),
        };
        match write(record).await {
            Ok(written) => Ok(then(written)),
            Err(error) => match error.problems() {
                Some(found) => Ok(refused(Problems::of_refusal(&frame.texts, found))),
                None => Err(error),
            },
        }
    }
}

/// Whether a column must be given, from its table's declaration.
fn required(table: &str, column: &str) -> bool {
    carepool_schema::tables::ALL
        .iter()
        .find(|t| t.name == table)
        .and_then(|t| t.columns.iter().find(|c| c.name == column))
        .is_some_and(|c| c.required)
}

/// The family, if the user may see it: not found otherwise.
async fn family_within(caller: &Caller, registry: &Registry, id: &str) -> Result<Family, ApiError> {
    let key = Key::<Family>::parse(|_| Some(id))?;
    Ok(registry
        .get_within(&key, &caller.scope(registry).await?)
        .await?)
}

pub async fn new_family(
    frame: Frame,
    State(registry): State<Registry>,
) -> Result<Response, ApiError> {
    let mut values = Sent::new();
    if let [only] = registry.scheme_codes().await?.as_slice() {
        values.insert("scheme".into(), only.clone());
    }
    let title = frame.texts.text("family-new");
    Ok(RecordForm {
        title: &title,
        table: "families",
        columns: FAMILY_FIELDS,
    }
    .blank(&frame, &values))
}

pub async fn add_family(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Form(sent): Form<Sent>,
) -> Result<Response, ApiError> {
    let title = frame.texts.text("family-new");
    let form = RecordForm {
        title: &title,
        table: "families",
        columns: FAMILY_FIELDS,
    };
    let parsed = record_from::<Family>(&frame.texts, &sent, &[]);
    form.save(
        &frame,
        &sent,
        parsed,
        |r| create_for(&caller, &registry, r),
        |family| see_other(&family_path(&family.id)),
    )
    .await
}

pub async fn new_member(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(family_id): Path<String>,
) -> Result<Response, ApiError> {
    let family = family_within(&caller, &registry, &family_id).await?;
    let today = registry.today().to_string();
    let values: Sent = [("status", "pending"), ("status_since", today.as_str())]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let title = frame.texts.with("member-new", &[("family", &family.id)]);
    Ok(RecordForm {
        title: &title,
        table: "members",
        columns: MEMBER_FIELDS,
    }
    .blank(&frame, &values))
}

pub async fn add_member(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(family_id): Path<String>,
    Form(sent): Form<Sent>,
) -> Result<Response, ApiError> {
    let family = family_within(&caller, &registry, &family_id).await?;
    let title = frame.texts.with("member-new", &[("family", &family.id)]);
    let form = RecordForm {
        title: &title,
        table: "members",
        columns: MEMBER_FIELDS,
    };
    let parsed = record_from::<Member>(&frame.texts, &sent, &[("family_id", &family.id)]);
    form.save(
        &frame,
        &sent,
        parsed,
        |r| create_for(&caller, &registry, r),
        |_| see_other(&family_path(&family.id)),
    )
    .await
}

pub async fn new_cover(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(family_id): Path<String>,
) -> Result<Response, ApiError> {
    let family = family_within(&caller, &registry, &family_id).await?;
    let values: Sent = [("start_date".to_string(), registry.today().to_string())].into();
    let title = frame.texts.with("cover-new", &[("family", &family.id)]);
    Ok(RecordForm {
        title: &title,
        table: "coverage",
        columns: COVER_FIELDS,
    }
    .blank(&frame, &values))
}

/// The enrolment: cover from a day, checked against the eligibility rules of the scheme's
/// version in force that day.
pub async fn add_cover(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(family_id): Path<String>,
    Form(sent): Form<Sent>,
) -> Result<Response, ApiError> {
    let family = family_within(&caller, &registry, &family_id).await?;
    let title = frame.texts.with("cover-new", &[("family", &family.id)]);
    let form = RecordForm {
        title: &title,
        table: "coverage",
        columns: COVER_FIELDS,
    };
    let mut parsed = record_from::<Coverage>(&frame.texts, &sent, &[]);
    // Only a member of this family is enrolled from its page.
    if let Ok(cover) = &parsed {
        let member = registry
            .get(&Key::<Member>::parse(|_| Some(cover.member_id.as_str()))?)
            .await;
        if !member.is_ok_and(|m| m.family_id == family.id) {
            let mut problems = Problems::default();
            let message = frame
                .texts
                .with("cover-not-in-family", &[("family", &family.id)]);
            problems.add("member_id", message);
            parsed = Err(problems);
        }
    }
    form.save(
        &frame,
        &sent,
        parsed,
        |r| create_for(&caller, &registry, r),
        |_| see_other(&family_path(&family.id)),
    )
    .await
}

pub async fn new_contribution(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(family_id): Path<String>,
) -> Result<Response, ApiError> {
    let family = family_within(&caller, &registry, &family_id).await?;
    let values: Sent = [("paid_on".to_string(), registry.today().to_string())].into();
    let title = frame
        .texts
        .with("contribution-new", &[("family", &family.id)]);
    Ok(RecordForm {
        title: &title,
        table: "contributions",
        columns: CONTRIBUTION_FIELDS,
    }
    .blank(&frame, &values))
}

pub async fn add_contribution(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(family_id): Path<String>,
    Form(sent): Form<Sent>,
) -> Result<Response, ApiError> {
    let family = family_within(&caller, &registry, &family_id).await?;
    let title = frame
        .texts
        .with("contribution-new", &[("family", &family.id)]);
    let form = RecordForm {
        title: &title,
        table: "contributions",
        columns: CONTRIBUTION_FIELDS,
    };
    let parsed = record_from::<Contribution>(&frame.texts, &sent, &[("family_id", &family.id)]);
    form.save(
        &frame,
        &sent,
        parsed,
        |r| create_for(&caller, &registry, r),
        |paid| see_other(&receipt_path(&paid.receipt)),
    )
    .await
}

/// Where a contribution's receipt is.
pub fn receipt_path(receipt: &str) -> String {
    format!("/contributions/{}", segment(receipt))
}

/// A contribution's receipt, to print and hand to the payer.
pub async fn receipt(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(receipt): Path<String>,
) -> Result<Response, ApiError> {
    let key = Key::<Contribution>::parse(|_| Some(receipt.as_str()))?;
    let paid = registry
        .get_within(&key, &caller.scope(&registry).await?)
        .await?;
    let family: Family = registry
        .get(&Key::<Family>::parse(|_| Some(paid.family_id.as_str()))?)
        .await?;
    let scheme = scheme_name(&registry, &family.scheme).await?;
    let currency = registry.currency().await?;
    let texts = &frame.texts;
    let content = html! {
        div class="receipt" {
            p class="card-scheme" { (scheme) }
            dl class="facts" {
                dt { (texts.text("field-contributions-receipt")) } dd { (paid.receipt) }
                dt { (texts.text("column-family")) } dd { a href=(family_path(&paid.family_id)) { (paid.family_id) } }
                dt { (texts.text("field-contributions-payer")) } dd { (texts.text(&format!("payer-{}", paid.payer.as_str()))) }
                dt { (texts.text("column-period")) } dd { (texts.date(paid.period_start)) " – " (texts.date(paid.period_end)) }
                dt { (texts.text("field-contributions-amount")) } dd class="amount" { (texts.amount(paid.amount, currency.as_deref())) }
                dt { (texts.text("field-contributions-paid_on")) } dd { (texts.date(paid.paid_on)) }
            }
        }
        p class="hint" { (texts.text("receipt-print")) }
    };
    Ok(frame.page(
        &texts.with("receipt-title", &[("receipt", &paid.receipt)]),
        content,
    ))
}

/// Where a member's status is changed.
pub fn status_path(member_id: &str) -> String {
    format!("/members/{}/status", segment(member_id))
}

async fn member_within(caller: &Caller, registry: &Registry, id: &str) -> Result<Member, ApiError> {
    let key = Key::<Member>::parse(|_| Some(id))?;
    Ok(registry
        .get_within(&key, &caller.scope(registry).await?)
        .await?)
}

fn status_title(texts: &Texts, member: &Member) -> String {
    texts.with(
        "status-change",
        &[("member", &member.id), ("name", &member.name)],
    )
}

pub async fn status_form(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(member_id): Path<String>,
) -> Result<Response, ApiError> {
    let member = member_within(&caller, &registry, &member_id).await?;
    let mut values = fields_of(&member);
    values.insert("status_since".into(), registry.today().to_string());
    let title = status_title(&frame.texts, &member);
    Ok(RecordForm {
        title: &title,
        table: "members",
        columns: STATUS_FIELDS,
    }
    .blank(&frame, &values))
}

/// A death (deceased, on the day of death), an exit (inactive) or a return: the member's record
/// with its new status; claims for care after a death or an exit are then held.
pub async fn change_status(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path(member_id): Path<String>,
    Form(sent): Form<Sent>,
) -> Result<Response, ApiError> {
    let member = member_within(&caller, &registry, &member_id).await?;
    let title = status_title(&frame.texts, &member);
    let mut fields = fields_of(&member);
    for column in STATUS_FIELDS {
        let given = sent.get(column.name).cloned().unwrap_or_default();
        fields.insert(column.name.to_string(), given);
    }
    let form = RecordForm {
        title: &title,
        table: "members",
        columns: STATUS_FIELDS,
    };
    let parsed = record_from::<Member>(&frame.texts, &fields, &[]);
    let key = Key::of(&member);
    let write = |r| update_for(&caller, &registry, &key, r);
    let then = |_| see_other(&family_path(&member.family_id));
    form.save(&frame, &sent, parsed, write, then).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::forms::sent;

    #[test]
    fn a_form_is_read_as_an_import_reads_a_row_every_problem_by_its_field() {
        let english = Texts::of(Some("en"));
        let member: Member = record_from(
            &english,
            &sent(&[
                ("id", "M9"),
                ("name", "Awa Ouédraogo"),
                ("relationship", "head"),
                ("sex", "F"),
                ("birth_date", "1990-05-01"),
                ("status", "pending"),
                ("status_since", "2026-12-01"),
                ("categories", "formal_sector;disability"),
            ]),
            &[("family_id", "F1")],
        )
        .unwrap();
        assert_eq!(member.family_id, "F1");
        assert_eq!(member.categories, ["formal_sector", "disability"]);
        assert_eq!(fields_of(&member)["categories"], "formal_sector;disability");
        assert_eq!(fields_of(&member)["national_id"], "");

        let refused = record_from::<Member>(
            &english,
            &sent(&[("id", "M9"), ("sex", "X"), ("birth_date", "1990-13-01")]),
            &[("family_id", "F1")],
        )
        .unwrap_err();
        for field in ["name", "sex", "birth_date", "relationship", "status"] {
            assert!(refused.of(field).is_some(), "{field}");
        }
        assert!(refused.of("id").is_none());
        // In the reader's language where the problem is the column's type or a missing value.
        let french = Texts::of(Some("fr"));
        let refused = record_from::<Member>(
            &french,
            &sent(&[
                ("id", "M9"),
                ("birth_date", "1990-13-01"),
                ("monthly_wage", "beaucoup"),
            ]),
            &[("family_id", "F1")],
        )
        .unwrap_err();
        assert_eq!(refused.of("name"), Some("Ce champ est obligatoire."));
        assert_eq!(
            refused.of("birth_date"),
            Some("« 1990-13-01 » n'est pas une date (AAAA-MM-JJ).")
        );
        assert_eq!(
            refused.of("monthly_wage"),
            Some("« beaucoup » n'est pas un montant.")
        );
    }

    #[test]
    fn every_field_of_every_form_has_its_label_and_is_a_column_of_its_table() {
        let forms: [(&str, &[Column]); 5] = [
            ("families", FAMILY_FIELDS),
            ("members", MEMBER_FIELDS),
            ("coverage", COVER_FIELDS),
            ("contributions", CONTRIBUTION_FIELDS),
            ("members", STATUS_FIELDS),
        ];
        for (tag, _) in crate::pages::language::languages() {
            let texts = Texts::of(Some(tag));
            for (table, columns) in forms {
                let declared = carepool_schema::tables::ALL
                    .iter()
                    .find(|t| t.name == table)
                    .unwrap();
                for column in columns {
                    assert!(
                        declared.column_index(column.name).is_some(),
                        "{table}.{}",
                        column.name
                    );
                    let label = format!("field-{table}-{}", column.name);
                    assert!(texts.has(&label), "locales/{tag}.ftl has no {label}");
                }
            }
        }
    }
}
