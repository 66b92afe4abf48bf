//! What serde lets through and a client never means: a key given twice in one object
//! (`serde_json` keeps the last, silently), and an array where an object is expected
//! (derived structs read it by position, so `["Ny titel"]` would rename a meeting).

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{ApiError, FieldError};

/// Any JSON value, refused when an object in it names a key twice.
struct NoDuplicates;

impl<'de> Deserialize<'de> for NoDuplicates {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NoDuplicatesVisitor)
    }
}

struct NoDuplicatesVisitor;

impl<'de> Visitor<'de> for NoDuplicatesVisitor {
    type Value = NoDuplicates;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }
    fn visit_i64<E>(self, _: i64) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }
    fn visit_u64<E>(self, _: u64) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }
    fn visit_f64<E>(self, _: f64) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }
    fn visit_str<E>(self, _: &str) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }
    fn visit_unit<E>(self) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NoDuplicates, A::Error> {
        while seq.next_element::<NoDuplicates>()?.is_some() {}
        Ok(NoDuplicates)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoDuplicates, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(Duplicate(key)));
            }
            map.next_value::<NoDuplicates>()?;
        }
        Ok(NoDuplicates)
    }
}

/// The message of a duplicate key, which carries the key to name it as the field.
struct Duplicate(String);

impl fmt::Display for Duplicate {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "\u{1}{}\u{1} is given more than once", self.0)
    }
}

/// 422 naming the first key given twice in one object of the (well-formed) JSON `bytes`.
pub(super) fn no_duplicate_keys(bytes: &[u8]) -> Result<(), ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let Err(e) = serde_path_to_error::deserialize::<_, NoDuplicates>(&mut deserializer) else {
        return Ok(());
    };
    let path = e.path().to_string();
    let message = e.into_inner().to_string();
    // Only the duplicate's own error gets here: the bytes are JSON already.
    let key = message.split('\u{1}').nth(1).unwrap_or_default();
    let field = if path == "." {
        key.to_string()
    } else {
        format!("{path}.{key}")
    };
    Err(ApiError::validation(vec![FieldError {
        field,
        message: "is given more than once".into(),
    }]))
}

/// Whether `T` is read from a JSON object (a struct or a map), found by asking it which
/// shape it wants of a deserializer that has none.
pub(super) fn wants_object<T: DeserializeOwned>() -> bool {
    matches!(T::deserialize(ShapeProbe), Err(Shape::Object))
}

struct ShapeProbe;

#[derive(Debug)]
enum Shape {
    Object,
    Other,
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Shape {}

impl de::Error for Shape {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Shape::Other
    }
}

impl<'de> Deserializer<'de> for ShapeProbe {
    type Error = Shape;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Shape> {
        Err(Shape::Other)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Shape> {
        Err(Shape::Object)
    }

    fn deserialize_map<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Shape> {
        Err(Shape::Object)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct enum identifier ignored_any
    }
}
