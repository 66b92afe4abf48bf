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

/// Parses `bytes` as `T`, with the field path in the error.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = parsed.map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let message = inner.to_string();
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string();
                let field = if let Some(name) = message
                    .strip_prefix("unknown field `")
                    .and_then(|rest| rest.split('`').next())
                {
                    // The path of an unknown field already ends in its name.
                    if path == "." { name.to_string() } else { path }
                } else if let Some(name) = message
                    .strip_prefix("missing field `")
                    .and_then(|rest| rest.split('`').next())
                {
                    if path == "." {
                        name.to_string()
                    } else {
                        format!("{path}.{name}")
                    }
                } else if path == "." {
                    "body".to_string()
                } else {
                    path
                };
                ApiError::validation(vec![FieldError { field, message }])
            }
            _ => ApiError::bad_request(format!("the body is not valid JSON: {inner}")),
        }
    })?;
    de.end()
        .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
    Ok(value)
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
            let body: T = parse(&bytes)?;
            // Object keys come out sorted, so equal bodies give equal bytes.
            let canonical = serde_json::from_slice::<serde_json::Value>(&bytes)
                .map(|v| v.to_string().into_bytes())
                .unwrap_or_default();
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
