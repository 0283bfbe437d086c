//! Amounts in JSON are decimal strings with two decimals, as the registry writes money
//! (`"213144980.13"`, never `213144980.12505418`): a client must not read an estimate of what
//! is owed as a float of spurious precision. Rates, factors, shares and counts of people stay
//! numbers. A value that is not finite stays a number, so that [`crate::check_finite`] finds
//! it before anything is answered.

use serde::ser::{SerializeSeq, SerializeTuple, Serializer};

fn text(value: f64) -> String {
    // -0.004 rounds to "-0.00": an amount of nothing has no sign.
    let shown = format!("{value:.2}");
    match shown.as_str() {
        "-0.00" => "0.00".to_string(),
        _ => shown,
    }
}

pub(crate) fn amount<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    match value.is_finite() {
        true => serializer.serialize_str(&text(*value)),
        false => serializer.serialize_f64(*value),
    }
}

pub(crate) fn optional_amount<S: Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => amount(value, serializer),
        None => serializer.serialize_none(),
    }
}

/// A list of amounts: a year's column, or a triangle's row.
struct Amounts<'a>(&'a [f64]);

impl serde::Serialize for Amounts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for value in self.0 {
            seq.serialize_element(&One(*value))?;
        }
        seq.end()
    }
}

pub(crate) fn amount_rows<S: Serializer>(
    rows: &[Vec<f64>],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(rows.len()))?;
    for row in rows {
        seq.serialize_element(&Amounts(row))?;
    }
    seq.end()
}

/// One amount in a list or a tuple: a string, or a number when it is not finite.
struct One(f64);

impl serde::Serialize for One {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        amount(&self.0, serializer)
    }
}

/// A low and a high amount: a range of premiums.
pub(crate) fn amount_pair<S: Serializer>(
    pair: &(f64, f64),
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut tuple = serializer.serialize_tuple(2)?;
    tuple.serialize_element(&One(pair.0))?;
    tuple.serialize_element(&One(pair.1))?;
    tuple.end()
}

/// Named amounts, as `[["name", "12.50"], ...]`: each benefit's cost.
pub(crate) fn named_amounts<S: Serializer>(
    items: &[(String, f64)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(items.len()))?;
    for (name, value) in items {
        seq.serialize_element(&(name, One(*value)))?;
    }
    seq.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Shown {
        #[serde(serialize_with = "amount")]
        owed: f64,
        #[serde(serialize_with = "optional_amount")]
        maybe: Option<f64>,
        #[serde(serialize_with = "amount_rows")]
        triangle: Vec<Vec<f64>>,
        rate: f64,
    }

    #[derive(Serialize)]
    struct Pairs {
        #[serde(serialize_with = "amount_pair")]
        range: (f64, f64),
        #[serde(serialize_with = "named_amounts")]
        costs: Vec<(String, f64)>,
    }

    #[test]
    fn ranges_and_named_costs_are_amounts_too() {
        let pairs = Pairs {
            range: (247.654, 489.76),
            costs: vec![("care".into(), 10.0)],
        };
        assert_eq!(
            serde_json::to_string(&pairs).unwrap(),
            r#"{"range":["247.65","489.76"],"costs":[["care","10.00"]]}"#
        );
    }

    #[test]
    fn amounts_are_decimal_strings_and_rates_numbers() {
        let shown = Shown {
            owed: 213144980.12505418,
            maybe: None,
            triangle: vec![vec![1.005, -0.001], vec![2.0]],
            rate: 0.125,
        };
        assert_eq!(
            serde_json::to_string(&shown).unwrap(),
            r#"{"owed":"213144980.13","maybe":null,"triangle":[["1.00","0.00"],["2.00"]],"rate":0.125}"#
        );
    }

    /// An amount that is not a number stays a number, and the finite check names its place.
    #[test]
    fn an_amount_that_is_not_finite_is_still_caught() {
        let shown = Shown {
            owed: 1.0,
            maybe: Some(f64::INFINITY),
            triangle: vec![vec![1.0, f64::NAN]],
            rate: 0.0,
        };
        let found = crate::check_finite(&shown).unwrap_err();
        assert_eq!(found.place, "maybe");
        let shown = Shown {
            maybe: None,
            ..shown
        };
        assert_eq!(
            crate::check_finite(&shown).unwrap_err().place,
            "triangle[0][1]"
        );
    }
}
