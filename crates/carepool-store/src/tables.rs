//! The registry's tables, and how each typed record of the core maps onto its row.
//! Column order here is the CSV column order and the SQL column order.

use crate::schema::{Column, ColumnType as T, Reference, Row, Table, Value};
use carepool_core::Money;
use carepool_core::registry::{
    Area, Contribution, Coverage, FacilityLevel, Family, FieldError, Location, Member,
    MemberStatus, Ownership, Payer, Provider, Relationship, Sex,
};
use chrono::NaiveDate;

pub static LOCATIONS: Table = Table {
    name: "locations",
    singular: "location",
    key: &[0],
    columns: &[
        Column::new("code", T::Text, "Unique code of the location."),
        Column::new("name", T::Text, "Name."),
        Column::new(
            "kind",
            T::Text,
            "Level in the hierarchy: province, district, village, ...",
        )
        .filterable(),
        Column::new(
            "parent_code",
            T::Text,
            "Code of the enclosing location; empty at the top.",
        )
        .optional()
        .references(Reference::Table("locations")),
        Column::new(
            "area",
            T::Text,
            "urban or rural; may be empty above village level.",
        )
        .optional()
        .filterable(),
    ],
};

pub static PROVIDERS: Table = Table {
    name: "providers",
    singular: "provider",
    key: &[0],
    columns: &[
        Column::new("code", T::Text, "Unique code of the health facility."),
        Column::new("name", T::Text, "Name."),
        Column::new("ownership", T::Text, "public or private.").filterable(),
        Column::new(
            "level",
            T::Text,
            "health_centre, district_hospital, provincial_hospital or central_hospital.",
        )
        .filterable(),
        Column::new("location_code", T::Text, "Where the facility is.")
            .references(Reference::Table("locations")),
        Column::new(
            "empanelled_from",
            T::Date,
            "First day of the facility's contract with the scheme.",
        ),
        Column::new(
            "empanelled_to",
            T::Date,
            "Last day of the contract; empty while it runs.",
        )
        .optional(),
    ],
};

pub static FAMILIES: Table = Table {
    name: "families",
    singular: "family",
    key: &[0],
    columns: &[
        Column::new("id", T::Text, "Unique identifier of the family unit."),
        Column::new(
            "scheme",
            T::Text,
            "Code of the scheme the family belongs to.",
        )
        .references(Reference::Scheme),
        Column::new("location_code", T::Text, "Where the family lives.")
            .references(Reference::Table("locations")),
        Column::new(
            "poverty_score",
            T::Real,
            "Proxy-means-test score 0..100 from the socio-economic registry.",
        )
        .optional(),
        Column::new(
            "household_id",
            T::Text,
            "Household (shared kitchen) that may hold several family units.",
        )
        .optional()
        .filterable(),
    ],
};

/// Where a member row holds its family's id.
pub const MEMBER_FAMILY_ID: usize = 1;

pub static MEMBERS: Table = Table {
    name: "members",
    singular: "member",
    key: &[0],
    columns: &[
        Column::new("id", T::Text, "Identifier unique in the scheme."),
        Column::new("family_id", T::Text, "The member's family unit.")
            .references(Reference::Table("families")),
        Column::new("name", T::Text, "Full name."),
        Column::new(
            "relationship",
            T::Text,
            "To the head: head, spouse, child, parent or other.",
        )
        .filterable(),
        Column::new("sex", T::Text, "F or M.").filterable(),
        Column::new("birth_date", T::Date, "Date of birth."),
        Column::new(
            "national_id",
            T::Text,
            "National identity number; unique when given.",
        )
        .optional()
        .filterable(),
        Column::new(
            "categories",
            T::List,
            "Eligibility categories, e.g. formal_sector;disability.",
        )
        .optional(),
        Column::new(
            "monthly_wage",
            T::Money,
            "Monthly wage, for wage-based contributions.",
        )
        .optional(),
        Column::new("status", T::Text, "active, pending, inactive or deceased.").filterable(),
        Column::new(
            "status_since",
            T::Date,
            "Date the status took effect (date of death when deceased).",
        ),
    ],
};

pub static COVERAGE: Table = Table {
    name: "coverage",
    singular: "coverage period",
    key: &[0, 1],
    columns: &[
        Column::new("member_id", T::Text, "The member covered.")
            .references(Reference::Table("members")),
        Column::new("start_date", T::Date, "First day of cover."),
        Column::new(
            "end_date",
            T::Date,
            "Last day of cover; empty while open-ended.",
        )
        .optional(),
        Column::new(
            "package",
            T::Text,
            "Benefit package code; empty for the scheme's first package.",
        )
        .optional()
        .filterable(),
    ],
};

pub static CONTRIBUTIONS: Table = Table {
    name: "contributions",
    singular: "contribution",
    key: &[0],
    columns: &[
        Column::new("receipt", T::Text, "Receipt number, unique in the scheme."),
        Column::new("family_id", T::Text, "The family the contribution is for.")
            .references(Reference::Table("families")),
        Column::new(
            "payer",
            T::Text,
            "member, employer, worker, government, social_fund or donor.",
        )
        .filterable(),
        Column::new("period_start", T::Date, "First day of the period paid for."),
        Column::new("period_end", T::Date, "Last day of the period paid for."),
        Column::new("amount", T::Money, "Amount paid, positive."),
        Column::new("paid_on", T::Date, "Date the payment was received."),
    ],
};

/// Every registry table, in the order they can be imported (each refers only to earlier ones).
pub static ALL: [&Table; 6] = [
    &LOCATIONS,
    &PROVIDERS,
    &FAMILIES,
    &MEMBERS,
    &COVERAGE,
    &CONTRIBUTIONS,
];

pub fn table_named(name: &str) -> Option<&'static Table> {
    ALL.iter().copied().find(|t| t.name == name)
}

/// A typed record of the core that lives in a registry table.
pub trait Record: Sized {
    fn table() -> &'static Table;
    fn to_row(&self) -> Row;
    /// Reads and validates a row; the error names the field at fault.
    fn from_row(row: &[Value]) -> Result<Self, FieldError>;
}

/// Reads typed fields out of a row, naming the column when a value is missing or wrong.
pub(crate) struct Fields<'a> {
    pub(crate) table: &'static Table,
    pub(crate) row: &'a [Value],
}

impl<'a> Fields<'a> {
    pub(crate) fn value(&self, i: usize) -> &'a Value {
        &self.row[i]
    }

    pub(crate) fn name(&self, i: usize) -> &'static str {
        self.table.columns[i].name
    }

    pub(crate) fn missing(&self, i: usize) -> FieldError {
        FieldError::new(self.name(i), "is required")
    }

    pub(crate) fn wrong_type(&self, i: usize) -> FieldError {
        FieldError::new(
            self.name(i),
            format!("expected a {}", self.table.columns[i].ty.describe()),
        )
    }

    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>, FieldError> {
        match self.value(i) {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s.to_string())),
            _ => Err(self.wrong_type(i)),
        }
    }

    pub(crate) fn text(&self, i: usize) -> Result<String, FieldError> {
        self.opt_text(i)?.ok_or_else(|| self.missing(i))
    }

    pub(crate) fn opt_date(&self, i: usize) -> Result<Option<NaiveDate>, FieldError> {
        match self.value(i) {
            Value::Null => Ok(None),
            Value::Date(d) => Ok(Some(*d)),
            _ => Err(self.wrong_type(i)),
        }
    }

    pub(crate) fn date(&self, i: usize) -> Result<NaiveDate, FieldError> {
        self.opt_date(i)?.ok_or_else(|| self.missing(i))
    }

    pub(crate) fn opt_real(&self, i: usize) -> Result<Option<f64>, FieldError> {
        match self.value(i) {
            Value::Null => Ok(None),
            Value::Real(r) => Ok(Some(*r)),
            Value::Integer(n) => Ok(Some(*n as f64)),
            _ => Err(self.wrong_type(i)),
        }
    }

    pub(crate) fn opt_integer(&self, i: usize) -> Result<Option<i64>, FieldError> {
        match self.value(i) {
            Value::Null => Ok(None),
            Value::Integer(n) => Ok(Some(*n)),
            _ => Err(self.wrong_type(i)),
        }
    }

    pub(crate) fn integer(&self, i: usize) -> Result<i64, FieldError> {
        self.opt_integer(i)?.ok_or_else(|| self.missing(i))
    }

    pub(crate) fn opt_money(&self, i: usize) -> Result<Option<Money>, FieldError> {
        match self.value(i) {
            Value::Null => Ok(None),
            Value::Integer(minor) => Ok(Some(Money::from_minor(*minor))),
            _ => Err(self.wrong_type(i)),
        }
    }

    pub(crate) fn money(&self, i: usize) -> Result<Money, FieldError> {
        self.opt_money(i)?.ok_or_else(|| self.missing(i))
    }

    pub(crate) fn list(&self, i: usize) -> Result<Vec<String>, FieldError> {
        Ok(self
            .opt_text(i)?
            .map(|s| s.split(';').map(str::to_string).collect())
            .unwrap_or_default())
    }

    pub(crate) fn code<C>(
        &self,
        i: usize,
        parse: fn(&'static str, &str) -> Result<C, FieldError>,
    ) -> Result<C, FieldError> {
        parse(self.name(i), &self.text(i)?)
    }

    pub(crate) fn opt_code<C>(
        &self,
        i: usize,
        parse: fn(&'static str, &str) -> Result<C, FieldError>,
    ) -> Result<Option<C>, FieldError> {
        self.opt_text(i)?
            .map(|text| parse(self.name(i), &text))
            .transpose()
    }
}

pub(crate) fn text(s: &str) -> Value {
    Value::Text(s.into())
}

pub(crate) fn opt_text(s: &Option<String>) -> Value {
    s.as_deref().map_or(Value::Null, text)
}

pub(crate) fn opt_date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, Value::Date)
}

/// A list of codes as one value, `a;b;c`; null when empty.
pub(crate) fn list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Value {
    let items: Vec<S> = items.into_iter().collect();
    if items.is_empty() {
        return Value::Null;
    }
    let texts: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    Value::Text(texts.join(";").into())
}

pub(crate) fn money(m: Money) -> Value {
    Value::Integer(m.minor())
}

fn checked<R>(record: R, validate: fn(&R) -> Result<(), FieldError>) -> Result<R, FieldError> {
    validate(&record)?;
    Ok(record)
}

impl Record for Location {
    fn table() -> &'static Table {
        &LOCATIONS
    }

    fn to_row(&self) -> Row {
        vec![
            text(&self.code),
            text(&self.name),
            text(&self.kind),
            opt_text(&self.parent_code),
            self.area.map_or(Value::Null, |a| text(a.as_str())),
        ]
    }

    fn from_row(row: &[Value]) -> Result<Location, FieldError> {
        let f = Fields {
            table: &LOCATIONS,
            row,
        };
        let location = Location {
            code: f.text(0)?,
            name: f.text(1)?,
            kind: f.text(2)?,
            parent_code: f.opt_text(3)?,
            area: f.opt_code(4, Area::parse)?,
        };
        checked(location, Location::validate)
    }
}

impl Record for Provider {
    fn table() -> &'static Table {
        &PROVIDERS
    }

    fn to_row(&self) -> Row {
        vec![
            text(&self.code),
            text(&self.name),
            text(self.ownership.as_str()),
            text(self.level.as_str()),
            text(&self.location_code),
            Value::Date(self.empanelled_from),
            opt_date(self.empanelled_to),
        ]
    }

    fn from_row(row: &[Value]) -> Result<Provider, FieldError> {
        let f = Fields {
            table: &PROVIDERS,
            row,
        };
        let provider = Provider {
            code: f.text(0)?,
            name: f.text(1)?,
            ownership: f.code(2, Ownership::parse)?,
            level: f.code(3, FacilityLevel::parse)?,
            location_code: f.text(4)?,
            empanelled_from: f.date(5)?,
            empanelled_to: f.opt_date(6)?,
        };
        checked(provider, Provider::validate)
    }
}

impl Record for Family {
    fn table() -> &'static Table {
        &FAMILIES
    }

    fn to_row(&self) -> Row {
        vec![
            text(&self.id),
            text(&self.scheme),
            text(&self.location_code),
            self.poverty_score.map_or(Value::Null, Value::Real),
            opt_text(&self.household_id),
        ]
    }

    fn from_row(row: &[Value]) -> Result<Family, FieldError> {
        let f = Fields {
            table: &FAMILIES,
            row,
        };
        let family = Family {
            id: f.text(0)?,
            scheme: f.text(1)?,
            location_code: f.text(2)?,
            poverty_score: f.opt_real(3)?,
            household_id: f.opt_text(4)?,
        };
        checked(family, Family::validate)
    }
}

impl Record for Member {
    fn table() -> &'static Table {
        &MEMBERS
    }

    fn to_row(&self) -> Row {
        vec![
            text(&self.id),
            text(&self.family_id),
            text(&self.name),
            text(self.relationship.as_str()),
            text(self.sex.as_str()),
            Value::Date(self.birth_date),
            opt_text(&self.national_id),
            list(&self.categories),
            self.monthly_wage.map_or(Value::Null, money),
            text(self.status.as_str()),
            Value::Date(self.status_since),
        ]
    }

    fn from_row(row: &[Value]) -> Result<Member, FieldError> {
        let f = Fields {
            table: &MEMBERS,
            row,
        };
        let member = Member {
            id: f.text(0)?,
            family_id: f.text(1)?,
            name: f.text(2)?,
            relationship: f.code(3, Relationship::parse)?,
            sex: f.code(4, Sex::parse)?,
            birth_date: f.date(5)?,
            national_id: f.opt_text(6)?,
            categories: f.list(7)?,
            monthly_wage: f.opt_money(8)?,
            status: f.code(9, MemberStatus::parse)?,
            status_since: f.date(10)?,
        };
        checked(member, Member::validate)
    }
}

impl Record for Coverage {
    fn table() -> &'static Table {
        &COVERAGE
    }

    fn to_row(&self) -> Row {
        vec![
            text(&self.member_id),
            Value::Date(self.start_date),
            opt_date(self.end_date),
            opt_text(&self.package),
        ]
    }

    fn from_row(row: &[Value]) -> Result<Coverage, FieldError> {
        let f = Fields {
            table: &COVERAGE,
            row,
        };
        let coverage = Coverage {
            member_id: f.text(0)?,
            start_date: f.date(1)?,
            end_date: f.opt_date(2)?,
            package: f.opt_text(3)?,
        };
        checked(coverage, Coverage::validate)
    }
}

impl Record for Contribution {
    fn table() -> &'static Table {
        &CONTRIBUTIONS
    }

    fn to_row(&self) -> Row {
        vec![
            text(&self.receipt),
            text(&self.family_id),
            text(self.payer.as_str()),
            Value::Date(self.period_start),
            Value::Date(self.period_end),
            money(self.amount),
            Value::Date(self.paid_on),
        ]
    }

    fn from_row(row: &[Value]) -> Result<Contribution, FieldError> {
        let f = Fields {
            table: &CONTRIBUTIONS,
            row,
        };
        let contribution = Contribution {
            receipt: f.text(0)?,
            family_id: f.text(1)?,
            payer: f.code(2, Payer::parse)?,
            period_start: f.date(3)?,
            period_end: f.date(4)?,
            amount: f.money(5)?,
            paid_on: f.date(6)?,
        };
        checked(contribution, Contribution::validate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_row(table: &Table, fields: &[&str]) -> Row {
        table
            .columns
            .iter()
            .zip(fields)
            .map(|(c, f)| Value::parse(c, f).unwrap())
            .collect()
    }

    #[test]
    fn a_member_row_round_trips_through_the_record() {
        let row = parse_row(
            &MEMBERS,
            &[
                "M1",
                "F1",
                "Awa",
                "spouse",
                "F",
                "1990-02-28",
                "",
                "poor;teacher",
                "1200.50",
                "pending",
                "2024-01-01",
            ],
        );
        let member = Member::from_row(&row).unwrap();
        assert_eq!(member.categories, ["poor", "teacher"]);
        assert_eq!(member.monthly_wage, Some(Money::from_minor(120_050)));
        assert_eq!(member.to_row(), row);
    }

    #[test]
    fn a_wrong_status_names_the_status_column() {
        let row = parse_row(
            &MEMBERS,
            &[
                "M1",
                "F1",
                "Awa",
                "spouse",
                "F",
                "1990-02-28",
                "",
                "",
                "",
                "asleep",
                "2024-01-01",
            ],
        );
        assert_eq!(Member::from_row(&row).unwrap_err().field, "status");
    }

    #[test]
    fn every_table_names_its_key_columns_first_and_references_known_tables() {
        for table in ALL {
            assert!(!table.key.is_empty());
            for column in table.columns {
                if let Some(Reference::Table(target)) = column.references {
                    assert!(
                        table_named(target).is_some(),
                        "{}.{} refers to {target}",
                        table.name,
                        column.name
                    );
                }
            }
        }
    }
}
