//! `POST` with `Idempotency-Key`: a retry with the same key and body gets the first
//! response again and creates nothing twice; the same key with another body is a 422.

use std::future::{Ready, ready};

use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload};
use serde::Serialize;

use crate::auth::AuthUser;
use crate::db::{Db, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::models::idempotency as store;
use crate::secrets::hash_secret;

/// The request header.
pub const HEADER: &str = "Idempotency-Key";

/// The `Idempotency-Key` of a request, if it sent one.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(value) = req.headers().get(HEADER) else {
            return ready(Ok(Self(None)));
        };
        let key = value.to_str().unwrap_or("").trim();
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return ready(Err(ApiError::invalid_field(
                HEADER,
                "must be 1 to 255 visible ASCII characters",
            )));
        }
        ready(Ok(Self(Some(key.to_string()))))
    }
}

/// A resource that a `POST` created.
#[derive(Debug)]
pub struct Created {
    /// Its address, for `Location`.
    pub location: String,
    /// Its version, for `ETag`; `None` for parts without a version of their own.
    pub version: Option<i32>,
    /// The body to answer with.
    pub body: String,
    /// What is kept to answer a retry with, when it must differ from `body` (a secret
    /// shown once is never kept).
    pub kept: Option<String>,
}

impl Created {
    /// Serializes `body`.
    pub fn new(location: String, version: i32, body: &impl Serialize) -> Self {
        Self {
            location,
            version: Some(version),
            body: serde_json::to_string(body).unwrap_or_default(),
            kept: None,
        }
    }

    /// Serializes `body` of a resource without a version of its own.
    pub fn unversioned(location: String, body: &impl Serialize) -> Self {
        Self {
            location,
            version: None,
            body: serde_json::to_string(body).unwrap_or_default(),
            kept: None,
        }
    }

    /// Keeps `kept` instead of the body for answering a retry.
    pub fn keeping(mut self, kept: &impl Serialize) -> Self {
        self.kept = Some(serde_json::to_string(kept).unwrap_or_default());
        self
    }

    fn response(
        status: StatusCode,
        location: Option<&str>,
        version: Option<i32>,
        body: String,
    ) -> HttpResponse {
        let mut response = HttpResponse::build(status);
        response.content_type("application/json");
        if let Some(location) = location {
            response.insert_header((header::LOCATION, location));
        }
        if let Some(version) = version {
            response.insert_header((header::ETAG, crate::kit::precondition::etag(version)));
        }
        response.body(body)
    }
}

/// Runs `create` in a write transaction, honouring the key: it is claimed first, and
/// the response is kept with the created resource in that same transaction. A request
/// that repeats the key (also concurrently) gets the first response, with
/// `Idempotent-Replayed: true`; the same key with another body is a 422.
pub async fn create<F>(
    db: &Db,
    auth: &AuthUser,
    key: IdempotencyKey,
    operation: &str,
    fingerprint_material: Option<&[u8]>,
    create: F,
) -> ApiResult<HttpResponse>
where
    F: FnOnce(&mut DbConnection) -> ApiResult<Created> + Send + 'static,
{
    let user_id = auth.user.id.clone();
    // A body that cannot be read is answered with its problem, never replayed.
    let key = IdempotencyKey(key.0.filter(|_| fingerprint_material.is_some()));
    let mut material = operation.as_bytes().to_vec();
    material.push(b'\n');
    material.extend_from_slice(fingerprint_material.unwrap_or_default());
    let fingerprint = hash_secret(&String::from_utf8_lossy(&material));
    let outcome = db
        .write(move |conn| {
            if let Some(key) = &key.0
                && let Some(stored) = store::claim(conn, &user_id, key, &fingerprint)?
            {
                if stored.fingerprint != fingerprint {
                    return Err(ApiError::invalid_field(
                        HEADER,
                        "was used before with another request; use a new key",
                    ));
                }
                return Ok((stored.status, stored.location, None, stored.body, true));
            }
            let created = create(conn)?;
            if let Some(key) = &key.0 {
                store::complete(
                    conn,
                    &user_id,
                    key,
                    201,
                    created.kept.as_deref().unwrap_or(&created.body),
                    Some(&created.location),
                )?;
            }
            Ok((
                201,
                Some(created.location),
                created.version,
                created.body,
                false,
            ))
        })
        .await?;
    let (status, location, version, body, replayed) = outcome;
    let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::CREATED);
    let version = version.or_else(|| {
        serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("version").and_then(|v| v.as_i64()))
            .map(|v| v as i32)
    });
    let mut response = Created::response(status, location.as_deref(), version, body);
    if replayed {
        response.headers_mut().insert(
            header::HeaderName::from_static("idempotent-replayed"),
            header::HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}
