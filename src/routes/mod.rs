//! One module per resource: request and response types beside their handlers.

pub mod action_items;
pub mod agenda;
pub mod attendees;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod dialogue_parts;
pub mod dialogues;
pub mod health;
pub mod me;
pub mod meetings;
pub mod members;
pub mod minutes;
pub mod networks;
pub mod organizations;
pub mod participants;
pub mod people;
pub mod series;
pub mod themes;
pub mod users;

use actix_web::HttpResponse;
use actix_web::http::header;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};

/// 200 with the body and the resource's `ETag`.
pub fn ok_with_etag(version: i32, body: &impl Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, crate::etag::etag(version)))
        .json(body)
}

/// A stored UTC time as an RFC 3339 instant.
pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// A stored id as a UUID (ids are written by us, so they always parse).
pub fn uuid(id: &str) -> uuid::Uuid {
    id.parse().unwrap_or_default()
}

/// The id in a path, canonical; a malformed one cannot exist, so it is a 404.
pub fn path_id(raw: &str) -> ApiResult<String> {
    uuid::Uuid::parse_str(raw)
        .map(|u| u.to_string())
        .map_err(|_| ApiError::not_found())
}

/// Today's date (UTC), for membership periods and series windows.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
