//! One module per resource: request and response types beside their handlers.

pub mod action_items;
pub mod agenda;
pub mod attendees;
pub mod audit;
pub mod auth;
pub mod bundle;
pub mod calendar;
pub mod dialogue_lessons;
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
pub mod participation;
pub mod people;
pub mod search;
pub mod series;
pub mod themes;
pub mod users;

use chrono::{DateTime, NaiveDateTime, Utc};

/// A stored UTC time as an RFC 3339 instant.
pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// A stored id as a UUID (ids are written by us, so they always parse).
pub fn uuid(id: &str) -> uuid::Uuid {
    id.parse().unwrap_or_default()
}

/// Stored ids as UUIDs.
pub fn uuids<'a>(ids: impl IntoIterator<Item = &'a String>) -> Vec<uuid::Uuid> {
    ids.into_iter().map(|id| uuid(id)).collect()
}
