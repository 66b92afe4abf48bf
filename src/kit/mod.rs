//! The conventions every resource follows, written once: preconditions, idempotency,
//! request parsing, lists and sub-collections.

pub mod body;
pub mod collection;
pub mod idempotency;
pub mod negotiate;
pub mod precondition;
pub mod query;
pub mod resource;

use actix_web::HttpResponse;
use actix_web::http::header;
use serde::Serialize;

use crate::db::Versioned;
use crate::error::{ApiError, ApiResult};
use crate::policy::{Governed, Managed, Reach};
use precondition::IfMatch;

/// 200 with the body and the resource's `ETag`.
pub fn ok_with_etag(version: i32, body: &impl Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, precondition::etag(version)))
        .json(body)
}

/// The row a write applies to, found through the caller's visibility filter: absent or
/// not visible is a 404 (412 under `If-Match`, which an absent resource cannot satisfy),
/// visible but not the caller's to manage a 403, and a version `If-Match` does not name
/// a 412, in that order.
pub fn writable<T: Governed + Versioned>(
    reach: &Reach,
    found: ApiResult<T>,
    if_match: &IfMatch,
) -> ApiResult<Managed<T>> {
    guarded(found, if_match, |row| reach.manage(row))
}

/// As [`writable`], for a delete: the row's owners rather than all its stewards (a
/// co-hosted meeting is deleted by its host).
pub fn deletable<T: Governed + Versioned>(
    reach: &Reach,
    found: ApiResult<T>,
    if_match: &IfMatch,
) -> ApiResult<Managed<T>> {
    guarded(found, if_match, |row| reach.own(row))
}

fn guarded<T: Versioned>(
    found: ApiResult<T>,
    if_match: &IfMatch,
    grant: impl FnOnce(T) -> ApiResult<Managed<T>>,
) -> ApiResult<Managed<T>> {
    let row = existing(found, if_match)?;
    let granted = grant(row)?;
    if_match.check_version(granted.version())?;
    Ok(granted)
}

/// A row a conditional request names: a 404 turns into the 412 of a precondition that
/// cannot hold when the request has `If-Match`.
pub fn existing<T>(found: ApiResult<T>, if_match: &IfMatch) -> ApiResult<T> {
    match found {
        Err(e) if e.status() == actix_web::http::StatusCode::NOT_FOUND && if_match.is_present() => {
            Err(ApiError::precondition_failed(None))
        }
        other => other,
    }
}
