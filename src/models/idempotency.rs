//! Stored first responses of `POST` requests sent with an `Idempotency-Key`.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::idempotency_keys;
use crate::db::{DbConnection, now};
use crate::error::ApiResult;

/// How long a key is remembered.
pub const KEEP_HOURS: i64 = 24;

/// A remembered response.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct StoredResponse {
    pub fingerprint: String,
    pub status: i32,
    pub body: String,
    pub location: Option<String>,
    pub created_at: NaiveDateTime,
}

/// The response remembered for this user's key, if still fresh.
pub fn find(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
) -> ApiResult<Option<StoredResponse>> {
    let found = idempotency_keys::table
        .filter(idempotency_keys::user_id.eq(user_id))
        .filter(idempotency_keys::idempotency_key.eq(key))
        .select(StoredResponse::as_select())
        .first(conn)
        .optional()?;
    Ok(found.filter(|r| r.created_at > now() - TimeDelta::hours(KEEP_HOURS)))
}

/// Remembers a response, replacing an expired entry for the same key.
pub fn store(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    fingerprint: &str,
    status: u16,
    body: &str,
    location: Option<&str>,
) -> ApiResult<()> {
    let at = now();
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::created_at.lt(at - TimeDelta::hours(KEEP_HOURS))),
    )
    .execute(conn)?;
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::fingerprint.eq(fingerprint),
            idempotency_keys::status.eq(i32::from(status)),
            idempotency_keys::body.eq(body),
            idempotency_keys::location.eq(location),
            idempotency_keys::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
