//! No result leaves carepool with NaN or an infinity in it: as JSON they would become `null`
//! where a number belongs, and in a report a figure nobody can use. Inputs are bounded, but
//! bounds on each input cannot bound what they compound to (three trends of 1,000% a year over
//! 200 years); so every result is walked before it is answered, and the first number that is
//! not finite is named by its place.

use serde::ser::{self, Impossible, Serialize};
use std::fmt::Display;

/// Where a result holds a number that is not finite, as `years[3].premium_per_member`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "the result is not a finite number at {place} ({value}): an input is too large for it; lower the assumptions that compound"
)]
pub struct NotFinite {
    pub place: String,
    pub value: f64,
}

/// Checks every number of `result`.
pub fn check_finite<T: Serialize>(result: &T) -> Result<(), NotFinite> {
    let mut walk = Walk { place: Vec::new() };
    match result.serialize(&mut walk) {
        Ok(()) => Ok(()),
        Err(Found::NotFinite(found)) => Err(found),
        // A value the walk cannot see into holds no number it must check.
        Err(Found::Other(_)) => Ok(()),
    }
}

#[derive(Debug)]
enum Found {
    NotFinite(NotFinite),
    Other(String),
}

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Found::NotFinite(found) => found.fmt(f),
            Found::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Found {}

impl ser::Error for Found {
    fn custom<T: Display>(message: T) -> Found {
        Found::Other(message.to_string())
    }
}

struct Walk {
    place: Vec<String>,
}

impl Walk {
    fn number(&mut self, value: f64) -> Result<(), Found> {
        if value.is_finite() {
            return Ok(());
        }
        let mut place = String::new();
        for part in &self.place {
            if !part.starts_with('[') && !place.is_empty() {
                place.push('.');
            }
            place.push_str(part);
        }
        Err(Found::NotFinite(NotFinite {
            place: if place.is_empty() {
                "the top".into()
            } else {
                place
            },
            value,
        }))
    }

    fn at<T: Serialize + ?Sized>(&mut self, part: String, value: &T) -> Result<(), Found> {
        self.place.push(part);
        value.serialize(&mut *self)?;
        self.place.pop();
        Ok(())
    }
}

/// Everything but floats holds no number to check.
macro_rules! nothing_to_check {
    ($($method:ident($($ty:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $ty),*) -> Result<(), Found> { Ok(()) })*
    };
}

impl<'a> ser::Serializer for &'a mut Walk {
    type Ok = ();
    type Error = Found;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    nothing_to_check!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_f32(self, value: f32) -> Result<(), Found> {
        self.number(value.into())
    }

    fn serialize_f64(self, value: f64) -> Result<(), Found> {
        self.number(value)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Found> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        self.at(variant.to_string(), value)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }

    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }
}

/// A list, a map or a struct being walked: items are placed by index, entries by key.
struct Compound<'a> {
    walk: &'a mut Walk,
    index: usize,
    key: Option<String>,
}

impl<'a> Compound<'a> {
    fn new(walk: &'a mut Walk) -> Compound<'a> {
        Compound {
            walk,
            index: 0,
            key: None,
        }
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let place = format!("[{}]", self.index);
        self.index += 1;
        self.walk.at(place, value)
    }
}

macro_rules! items {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Found;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
                self.item(value)
            }
            fn end(self) -> Result<(), Found> {
                Ok(())
            }
        })*
    };
}

items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Found;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<(), Found> {
                self.walk.at(name.to_string(), value)
            }
            fn end(self) -> Result<(), Found> {
                Ok(())
            }
        })*
    };
}

fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Found;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Found> {
        self.key = Some(key.serialize(KeyText).unwrap_or_else(|_| "?".into()));
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let key = self.key.take().unwrap_or_else(|| "?".into());
        self.walk.at(key, value)
    }

    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

/// A map's key as text, to name a place: text and numbers; anything else is not walked.
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Found;
    type SerializeSeq = Impossible<String, Found>;
    type SerializeTuple = Impossible<String, Found>;
    type SerializeTupleStruct = Impossible<String, Found>;
    type SerializeTupleVariant = Impossible<String, Found>;
    type SerializeMap = Impossible<String, Found>;
    type SerializeStruct = Impossible<String, Found>;
    type SerializeStructVariant = Impossible<String, Found>;

    fn serialize_str(self, value: &str) -> Result<String, Found> {
        Ok(value.to_string())
    }
    fn serialize_i64(self, value: i64) -> Result<String, Found> {
        Ok(value.to_string())
    }
    fn serialize_u64(self, value: u64) -> Result<String, Found> {
        Ok(value.to_string())
    }
    fn serialize_i32(self, value: i32) -> Result<String, Found> {
        Ok(value.to_string())
    }
    fn serialize_u32(self, value: u32) -> Result<String, Found> {
        Ok(value.to_string())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
    ) -> Result<String, Found> {
        Ok(name.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Found> {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_i8(self, _: i8) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_i16(self, _: i16) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_u8(self, _: u8) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_u16(self, _: u16) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_f32(self, _: f32) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_f64(self, _: f64) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_char(self, _: char) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_none(self) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_unit(self) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Found> {
        Err(not_a_key())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Found> {
        Err(not_a_key())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Found> {
        Err(not_a_key())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Found> {
        Err(not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Found> {
        Err(not_a_key())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Found> {
        Err(not_a_key())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Found> {
        Err(not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Found> {
        Err(not_a_key())
    }
}

fn not_a_key() -> Found {
    Found::Other("a key that is not text".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Year {
        year: u32,
        premium: f64,
        share: Option<f64>,
    }

    #[derive(Serialize)]
    struct Result {
        years: Vec<Year>,
        by_line: BTreeMap<String, (f64, f64)>,
    }

    fn result() -> Result {
        Result {
            years: vec![
                Year {
                    year: 2027,
                    premium: 10.0,
                    share: None,
                },
                Year {
                    year: 2028,
                    premium: 11.0,
                    share: Some(0.5),
                },
            ],
            by_line: BTreeMap::from([("surgery".to_string(), (1.0, 2.0))]),
        }
    }

    #[test]
    fn a_finite_result_passes() {
        assert_eq!(check_finite(&result()), Ok(()));
    }

    #[test]
    fn the_first_number_not_finite_is_named_by_its_place() {
        let mut bad = result();
        bad.years[1].share = Some(f64::NAN);
        let found = check_finite(&bad).unwrap_err();
        assert_eq!(found.place, "years[1].share");
        let mut bad = result();
        bad.by_line.insert("surgery".into(), (1.0, f64::INFINITY));
        assert_eq!(check_finite(&bad).unwrap_err().place, "by_line.surgery[1]");
        assert_eq!(
            check_finite(&f64::NEG_INFINITY).unwrap_err().place,
            "the top"
        );
    }
}
