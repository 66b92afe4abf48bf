//! The JSON request body. It is read when the request arrives but judged only when the
//! handler asks for it, after authentication and authorization: someone who may not
//! write learns that (401/403/404) before anything about their body. Then: 415 for
//! another media type, 413 past 1 MiB, 400 for malformed JSON, and 422 naming the field
//! for a value of the wrong type or a string holding a NUL character (PostgreSQL cannot
//! store one, and no client means to send one), a key given twice in one object, or an
//! array where an object is expected ([`strict`]).

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::Value;

use crate::error::{ApiError, FieldError};

mod strict;

/// Largest JSON body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON request body meant to be a `T`.
#[derive(Debug)]
pub struct Body<T> {
    read: Result<Value, ApiError>,
    /// Nothing was sent (no bytes): for endpoints whose body is optional.
    empty: bool,
    target: PhantomData<T>,
}

/// A body judged sound: the value and its canonical JSON (sorted keys, no spaces), which
/// fingerprints the request for idempotency.
#[derive(Debug)]
pub struct Parsed<T> {
    /// The body.
    pub body: T,
    /// The canonical JSON of what was sent.
    pub canonical: Vec<u8>,
}

impl<T> Body<T> {
    /// The canonical JSON of the body, for an idempotency fingerprint; `None` when it
    /// could not be read.
    pub fn fingerprint(&self) -> Option<Vec<u8>> {
        self.read.as_ref().ok().map(|v| v.to_string().into_bytes())
    }

    /// Like [`Body::fingerprint`], leaving out a secret field (a password): it must not
    /// be kept, not even hashed with a fast hash.
    pub fn fingerprint_without(&self, field: &str) -> Option<Vec<u8>> {
        self.read.as_ref().ok().map(|v| {
            let mut v = v.clone();
            if let Some(fields) = v.as_object_mut() {
                fields.remove(field);
            }
            v.to_string().into_bytes()
        })
    }

    /// A top-level text field of the body, before the body is judged: what a create
    /// names as its parent (`network_id`), so that authorization can come first.
    pub fn peek(&self, field: &str) -> Option<&str> {
        self.read.as_ref().ok()?.get(field)?.as_str()
    }
}

impl<T: DeserializeOwned> Body<T> {
    /// The body as `T`, or the problem with it.
    pub fn parse(self) -> Result<T, ApiError> {
        Ok(self.parse_canonical()?.body)
    }

    /// The body as `T`, or `None` when nothing was sent (an endpoint whose body is
    /// optional); anything sent is judged as by [`Body::parse`].
    pub fn parse_optional(self) -> Result<Option<T>, ApiError> {
        if self.empty {
            return Ok(None);
        }
        self.parse().map(Some)
    }

    /// The body as `T` with its canonical JSON.
    pub fn parse_canonical(self) -> Result<Parsed<T>, ApiError> {
        let value = self.read?;
        // Object keys come out sorted, so equal bodies give equal bytes.
        let canonical = value.to_string().into_bytes();
        let body = from_value(value)?;
        Ok(Parsed { body, canonical })
    }
}

fn is_json(req: &HttpRequest) -> bool {
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return false;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses `bytes` as `T`: 400 unless it is one JSON value, 422 naming the field when
/// the value does not fit `T`.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    from_value(json_value(bytes)?)
}

fn json_value(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "the body is empty; send a JSON object",
        ));
    }
    let value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
    strict::no_duplicate_keys(bytes)?;
    Ok(value)
}

/// Rewrites numbers with an integral value (`30.0`) as integers: JSON Schema counts
/// them as integers, and clients written in languages without an integer type send them.
fn integral_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64()
                && !n.is_i64()
                && !n.is_u64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *n = serde_json::Number::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(fields) => fields.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// The fields whose text holds a NUL character, named as the validation names them
/// (`sections[0].heading`).
fn nul_fields(value: &Value, path: &str, out: &mut Vec<FieldError>) {
    let name = |path: &str| {
        if path.is_empty() {
            "body".to_string()
        } else {
            path.to_string()
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => out.push(FieldError {
            field: name(path),
            message: "must not contain a NUL character".into(),
        }),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                nul_fields(item, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                let inner = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if key.contains('\0') {
                    out.push(FieldError {
                        field: name(path),
                        message: "a field name must not contain a NUL character".into(),
                    });
                } else {
                    nul_fields(item, &inner, out);
                }
            }
        }
        _ => {}
    }
}

/// Converts a parsed JSON value into `T`, naming the field at fault.
pub fn from_value<T: DeserializeOwned>(mut value: Value) -> Result<T, ApiError> {
    if value.is_array() && strict::wants_object::<T>() {
        return Err(ApiError::validation(vec![FieldError {
            field: "body".into(),
            message: "must be a JSON object, not an array".into(),
        }]));
    }
    let mut nul = Vec::new();
    nul_fields(&value, "", &mut nul);
    if !nul.is_empty() {
        return Err(ApiError::validation(nul));
    }
    integral_numbers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        ApiError::validation(vec![FieldError {
            field: field_of(&path, &message),
            message,
        }])
    })
}

/// The field a deserialization error is about: the path of an unknown field already
/// ends in its name; that of a missing field ends at the object that lacks it.
pub fn field_of(path: &str, message: &str) -> String {
    let named = |m: &str| m.split('`').nth(1).unwrap_or("body").to_string();
    if message.starts_with("unknown field `") {
        if path == "." {
            named(message)
        } else {
            path.to_string()
        }
    } else if message.starts_with("missing field `") {
        let name = named(message);
        if path == "." {
            name
        } else {
            format!("{path}.{name}")
        }
    } else if path == "." {
        "body".to_string()
    } else {
        path.to_string()
    }
}

impl<T: 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let too_long = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .is_some_and(|len| len > MAX_BODY_BYTES);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let mut empty = false;
            let read = async {
                if too_long {
                    return Err(ApiError::payload_too_large(MAX_BODY_BYTES));
                }
                let bytes = body.await.map_err(|e| {
                    if e.as_response_error().status_code()
                        == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                    {
                        ApiError::payload_too_large(MAX_BODY_BYTES)
                    } else {
                        ApiError::bad_request("the body could not be read")
                    }
                })?;
                empty = bytes.is_empty();
                if !json {
                    return Err(ApiError::unsupported_media_type());
                }
                json_value(&bytes)
            }
            .await;
            Ok(Self {
                read,
                empty,
                target: PhantomData,
            })
        })
    }
}

/// For PATCH fields that may be cleared: absent → `None`, `null` → `Some(None)`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// For PATCH fields that may be left out but not cleared: absent → `None`, a value →
/// `Some`, `null` → a 422 naming the field.
pub fn not_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Lays what a `PATCH` sent over the current fields: each field named is set when the
/// body has it. `name` copies the value; `name: choice` reads a text enum (and
/// `name: nullable_choice` one that `null` clears), recording a 422 naming the field
/// when it names none; `name: list` sets a JSON-text list; `name: id` an optional id.
#[macro_export]
macro_rules! patch {
    ($v:expr, $fields:expr, $change:expr, { $($name:ident $(: $how:ident)?),* $(,)? }) => {
        $($crate::patch!(@field $v, $fields, $change, $name $(: $how)?);)*
    };
    (@field $v:expr, $fields:expr, $change:expr, $name:ident) => {
        if let Some(value) = $change.$name {
            $fields.$name = value;
        }
    };
    (@field $v:expr, $fields:expr, $change:expr, $name:ident : choice) => {
        if let Some(value) =
            $crate::validation::optional_choice($v, stringify!($name), $change.$name.as_deref())
        {
            $fields.$name = value;
        }
    };
    (@field $v:expr, $fields:expr, $change:expr, $name:ident : nullable_choice) => {
        if let Some(value) = $change.$name {
            $fields.$name =
                $crate::validation::optional_choice($v, stringify!($name), value.as_deref());
        }
    };
    (@field $v:expr, $fields:expr, $change:expr, $name:ident : list) => {
        if let Some(value) = $change.$name {
            $fields.$name.0 = value;
        }
    };
    (@field $v:expr, $fields:expr, $change:expr, $name:ident : id) => {
        if let Some(value) = $change.$name {
            $fields.$name = value.map(|id| $crate::validation::uuid($v, stringify!($name), &id));
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[expect(dead_code)]
    struct Sample {
        email: String,
        sections: Vec<Section>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[expect(dead_code)]
    struct Section {
        heading: String,
    }

    #[test]
    fn nul_characters_are_named() {
        let value = serde_json::json!({"email": "a\u{0}@example.se", "sections": [{"heading": "ok"}, {"heading": "x\u{0}"}]});
        let e = from_value::<Sample>(value).unwrap_err();
        let fields: Vec<String> = e.problem().errors.into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["email", "sections[1].heading"]);
    }

    #[test]
    fn arrays_are_refused_where_objects_are_meant() {
        let e = from_value::<Sample>(serde_json::json!(["a@example.se", []])).unwrap_err();
        let fields: Vec<String> = e.problem().errors.into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["body"]);
        assert!(from_value::<Vec<Section>>(serde_json::json!([{"heading": "ok"}])).is_ok());
        assert!(from_value::<Value>(serde_json::json!([1, 2])).is_ok());
    }

    #[test]
    fn keys_given_twice_are_named_where_they_are() {
        let bytes =
            br#"{"email": "a", "sections": [{"heading": "x"}, {"heading": "y", "heading": "z"}]}"#;
        let e = json_value(bytes).unwrap_err();
        let fields: Vec<String> = e.problem().errors.into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["sections[1].heading"]);
        assert!(
            json_value(br#"{"a": {"b": 1}, "b": {"a": 2}}"#).is_ok(),
            "the same key in different objects is fine"
        );
    }
}
