//! The JSON body extractor: 415 for another media type, 413 past 1 MiB, 400 for
//! malformed JSON, and 422 naming the field for a value of the wrong type.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::{Deserialize, DeserializeOwned, Deserializer};

use crate::error::{ApiError, FieldError};

/// Largest JSON body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON request body of type `T`.
#[derive(Debug)]
pub struct Json<T> {
    /// The parsed body.
    pub body: T,
    /// The body's canonical JSON (sorted keys, no spaces), for idempotency fingerprints.
    pub canonical: Vec<u8>,
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
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
    from_value(value)
}

/// Rewrites numbers with an integral value (`30.0`) as integers: JSON Schema counts
/// them as integers, and clients written in languages without an integer type send them.
fn integral_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) => {
            if let Some(f) = n.as_f64()
                && !n.is_i64()
                && !n.is_u64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *n = serde_json::Number::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// Converts a parsed JSON value into `T`, naming the field at fault.
pub fn from_value<T: DeserializeOwned>(mut value: serde_json::Value) -> Result<T, ApiError> {
    integral_numbers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        // The path of an unknown field already ends in its name; that of a missing
        // field ends at the object that lacks it.
        let field = if message.starts_with("unknown field `") {
            if path == "." {
                field_name(&message)
            } else {
                path
            }
        } else if message.starts_with("missing field `") {
            let name = field_name(&message);
            if path == "." {
                name
            } else {
                format!("{path}.{name}")
            }
        } else if path == "." {
            "body".to_string()
        } else {
            path
        };
        ApiError::validation(vec![FieldError { field, message }])
    })
}

fn field_name(message: &str) -> String {
    message.split('`').nth(1).unwrap_or("body").to_string()
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
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
            if too_long {
                return Err(ApiError::payload_too_large(MAX_BODY_BYTES));
            }
            if !json {
                return Err(ApiError::unsupported_media_type());
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
            if bytes.is_empty() {
                return Err(ApiError::bad_request(
                    "the body is empty; send a JSON object",
                ));
            }
            let value: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
            // Object keys come out sorted, so equal bodies give equal bytes.
            let canonical = value.to_string().into_bytes();
            let body: T = from_value(value)?;
            Ok(Self { body, canonical })
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
