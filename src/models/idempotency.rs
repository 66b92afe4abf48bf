//! The first responses of `POST` requests sent with an `Idempotency-Key`, kept for a day.
//! A key is claimed before the work starts, in the same transaction: a concurrent
//! request with the same key waits for the first to finish and then replays its answer.

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

/// The status a claimed key has until its response is stored (never seen outside the
/// claiming transaction).
const PENDING: i32 = 0;

/// Claims the user's key for a request with `fingerprint`: `None` when it is now ours,
/// else the response remembered for it. Forgets expired keys first.
pub fn claim(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    fingerprint: &str,
) -> ApiResult<Option<StoredResponse>> {
    let at = now();
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::created_at.lt(at - TimeDelta::hours(KEEP_HOURS))),
    )
    .execute(conn)?;
    let row = (
        idempotency_keys::user_id.eq(user_id),
        idempotency_keys::idempotency_key.eq(key),
        idempotency_keys::fingerprint.eq(fingerprint),
        idempotency_keys::status.eq(PENDING),
        idempotency_keys::body.eq(""),
        idempotency_keys::location.eq(None::<String>),
        idempotency_keys::created_at.eq(at),
    );
    // A concurrent claim of the same key waits here until the first transaction ends.
    let inserted = crate::on_backend!(conn, c => diesel::insert_into(idempotency_keys::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted == 1 {
        return Ok(None);
    }
    Ok(Some(
        idempotency_keys::table
            .filter(idempotency_keys::user_id.eq(user_id))
            .filter(idempotency_keys::idempotency_key.eq(key))
            .select(StoredResponse::as_select())
            .first(conn)?,
    ))
}

/// Stores the response of a claimed key.
pub fn complete(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    status: u16,
    body: &str,
    location: Option<&str>,
) -> ApiResult<()> {
    diesel::update(
        idempotency_keys::table
            .filter(idempotency_keys::user_id.eq(user_id))
            .filter(idempotency_keys::idempotency_key.eq(key)),
    )
    .set((
        idempotency_keys::status.eq(i32::from(status)),
        idempotency_keys::body.eq(body),
        idempotency_keys::location.eq(location),
    ))
    .execute(conn)?;
    Ok(())
}
