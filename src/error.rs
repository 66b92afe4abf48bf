//! One error type and one RFC 9457 `application/problem+json` body for every failure.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::DatabaseErrorKind;
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
#[schema(example = json!({"field": "organization_number", "message": "check digit does not match"}))]
pub struct FieldError {
    /// The field as the client sent it; nested fields are dotted (`sections.0.heading`).
    pub field: String,
    /// What is wrong with it, in English.
    pub message: String,
}

/// An RFC 9457 problem details body.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation",
    "title": "Invalid field values",
    "status": 422,
    "detail": "1 field is invalid",
    "errors": [{"field": "name", "message": "must be 1 to 200 characters"}]
}))]
pub struct Problem {
    /// A URI reference naming the kind of problem; relative to the API's address.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short, human-readable summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The invalid fields, for validation problems (422).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub errors: Vec<FieldError>,
    /// The current state of the resource, for state conflicts (409).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub current_status: Option<String>,
}

/// The error every handler and query returns (boxed: results stay small).
#[derive(Debug)]
pub struct ApiError(Box<ErrorParts>);

#[derive(Debug)]
struct ErrorParts {
    status: StatusCode,
    slug: &'static str,
    title: &'static str,
    detail: Option<String>,
    errors: Vec<FieldError>,
    current_status: Option<String>,
    headers: Vec<(HeaderName, String)>,
}

/// The strong entity tag of a resource version (`"3"`), as `ETag` carries it.
pub fn entity_tag(version: i32) -> String {
    format!("\"{version}\"")
}

/// Shorthand for handler and query results.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    fn new(status: StatusCode, slug: &'static str, title: &'static str) -> Self {
        Self(Box::new(ErrorParts {
            status,
            slug,
            title,
            detail: None,
            errors: Vec::new(),
            current_status: None,
            headers: Vec::new(),
        }))
    }

    /// Adds a human-readable explanation.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.0.detail = Some(detail.into());
        self
    }

    /// Adds a response header (`Retry-After`, `Allow`, `WWW-Authenticate`).
    pub fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.0.headers.push((name, value.into()));
        self
    }

    /// 400: the request could not be read.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", "Bad request").with_detail(detail)
    }

    /// 401: no credentials, or credentials that are not valid.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized")
            .with_detail(detail)
            .with_header(header::WWW_AUTHENTICATE, "Bearer")
    }

    /// 403: signed in, but not allowed to do this.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden").with_detail(detail)
    }

    /// 404: absent, or not visible to the caller.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found")
            .with_detail("no such resource, or it is not visible to you")
    }

    /// 405: the path exists but not with this method.
    pub fn method_not_allowed(allow: &str) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Method not allowed",
        )
        .with_detail(format!("this path answers {allow}"))
        .with_header(header::ALLOW, allow)
    }

    /// 406: none of the representations the `Accept` header asks for is offered.
    pub fn not_acceptable(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_ACCEPTABLE,
            "not-acceptable",
            "Not acceptable",
        )
        .with_detail(detail)
    }

    /// 409: a duplicate, or a change the resource's state does not allow.
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict").with_detail(detail)
    }

    /// 409 for a transition the current state does not allow, naming that state.
    pub fn state_conflict(current: impl Into<String>, detail: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::CONFLICT,
            "invalid-state",
            "Invalid state transition",
        )
        .with_detail(detail);
        e.0.current_status = Some(current.into());
        e
    }

    /// 412: the precondition does not hold: `If-Match` names no current version (or the
    /// resource is absent), or `If-None-Match: *` meets one that exists.
    pub fn precondition_failed(current_version: Option<i32>) -> Self {
        let e = Self::new(
            StatusCode::PRECONDITION_FAILED,
            "stale-version",
            "Precondition failed",
        );
        match current_version {
            Some(v) => e
                .with_detail(format!(
                    "the precondition does not hold; the current version is {v}"
                ))
                .with_header(header::ETAG, entity_tag(v)),
            None => e.with_detail("the precondition does not hold; there is no such resource"),
        }
    }

    /// 413: the body is larger than the limit.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Payload too large",
        )
        .with_detail(format!("the body may be at most {limit} bytes"))
    }

    /// 415: the body is not JSON.
    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
        )
        .with_detail("send the body as application/json")
    }

    /// 422 with the fields at fault.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.len() {
            1 => "1 field is invalid".to_string(),
            n => format!("{n} fields are invalid"),
        };
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Invalid field values",
        )
        .with_detail(detail);
        e.0.errors = errors;
        e
    }

    /// 422 for a single field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError {
            field: field.to_string(),
            message: message.into(),
        }])
    }

    /// 429 with `Retry-After` in seconds.
    pub fn too_many_requests(retry_after_secs: i64, detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-requests",
            "Too many requests",
        )
        .with_detail(detail)
        .with_header(header::RETRY_AFTER, retry_after_secs.max(1).to_string())
    }

    /// 503: the database is unavailable or overloaded.
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
        )
        .with_detail("the database is not answering; try again shortly")
        .with_header(header::RETRY_AFTER, "5")
    }

    /// 500; the cause is logged, never sent.
    pub fn internal(context: &str, cause: &dyn fmt::Display) -> Self {
        log::error!("{context}: {cause}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal server error",
        )
        .with_detail("something went wrong on our side; it has been logged")
    }

    /// A problem for any status, used where actix answers by itself.
    pub fn from_status(status: StatusCode) -> Self {
        let title = status.canonical_reason().unwrap_or("Error");
        let slug = match status.as_u16() {
            400 => "bad-request",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "not-found",
            405 => "method-not-allowed",
            408 => "request-timeout",
            413 => "payload-too-large",
            414 => "uri-too-long",
            415 => "unsupported-media-type",
            431 => "headers-too-large",
            _ if status.is_server_error() => "internal",
            _ => "error",
        };
        Self::new(status, slug, title)
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The body this error answers with.
    pub fn problem(&self) -> Problem {
        Problem {
            problem_type: format!("/problems/{}", self.0.slug),
            title: self.0.title.to_string(),
            status: self.0.status.as_u16(),
            detail: self.0.detail.clone(),
            errors: self.0.errors.clone(),
            current_status: self.0.current_status.clone(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0.status.as_u16(), self.0.title)?;
        if let Some(detail) = &self.0.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.0.status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        for (name, value) in &self.0.headers {
            if let Ok(value) = HeaderValue::from_str(value) {
                response.insert_header((name.clone(), value));
            }
        }
        response.body(serde_json::to_vec(&self.problem()).unwrap_or_default())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::Error;
        match e {
            Error::NotFound => Self::not_found(),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                log::debug!("unique violation: {}", info.message());
                Self::conflict("a resource with these values exists already")
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                log::debug!("foreign key violation: {}", info.message());
                Self::validation(vec![FieldError {
                    field: info.column_name().unwrap_or("id").to_string(),
                    message: "refers to a resource that does not exist".into(),
                }])
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                Self::conflict("the resource was changed concurrently; retry the request")
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => Self::unavailable(),
            other => Self::internal("database error", &other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        log::warn!("database pool: {e}");
        Self::unavailable()
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        Self::unavailable()
    }
}

/// Collects field errors and turns them into one 422.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `message` for `field` unless `ok`.
    pub fn check(&mut self, ok: bool, field: &str, message: impl Into<String>) -> &mut Self {
        if !ok {
            self.add(field, message);
        }
        self
    }

    /// Records `message` for `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) -> &mut Self {
        self.errors.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
        self
    }

    /// Records the error of `result`, if any.
    pub fn check_result(&mut self, field: &str, result: Result<(), String>) -> &mut Self {
        if let Err(message) = result {
            self.add(field, message);
        }
        self
    }

    /// `Ok` when nothing was recorded, else the 422.
    pub fn finish(&mut self) -> ApiResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(std::mem::take(&mut self.errors)))
        }
    }
}
