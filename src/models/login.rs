//! Sign-in attempts, kept in the database so that every API instance sees the same
//! counts, and the throttling rules built on them.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;

use crate::db::schema::login_attempts;
use crate::db::{DbConnection, new_id, now};
use crate::error::ApiResult;

/// Failed sign-ins for one account before it is throttled.
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failed sign-ins from one address before it is throttled; loose, because a whole
/// municipality may sit behind one address.
pub const ADDRESS_LIMIT: i64 = 100;
/// The window both limits count within.
pub const WINDOW_MINUTES: i64 = 15;

/// An attempt that may go ahead: recorded as a failure until [`succeeded`] says otherwise.
#[derive(Debug, Clone)]
pub struct Attempt(String);

/// Starts a sign-in attempt, in the caller's write transaction: either the seconds the
/// caller must wait, or the attempt, already counted as a failure. Checking and counting
/// are one step (the account and the address are locked for the rest of the
/// transaction on PostgreSQL; SQLite has one writer), so concurrent guesses cannot all
/// pass the check before any is counted: at most [`ACCOUNT_LIMIT`] passwords are ever
/// verified per account and window.
pub fn begin(
    conn: &mut DbConnection,
    email: &str,
    client_addr: &str,
) -> ApiResult<Result<Attempt, i64>> {
    if let DbConnection::Postgresql(c) = conn {
        // Two key spaces (1: accounts, 2: addresses), always taken in this order.
        diesel::sql_query(
            "SELECT pg_advisory_xact_lock(1, hashtext($1)), pg_advisory_xact_lock(2, hashtext($2))",
        )
        .bind::<diesel::sql_types::Text, _>(email)
        .bind::<diesel::sql_types::Text, _>(client_addr)
        .execute(c)?;
    }
    if let Some(seconds) = throttled(conn, email, client_addr)? {
        return Ok(Err(seconds));
    }
    Ok(Ok(Attempt(record_failure(conn, email, client_addr)?)))
}

/// Marks the attempt a success, which clears the account's earlier failures.
pub fn succeeded(conn: &mut DbConnection, attempt: &Attempt) -> ApiResult<()> {
    diesel::update(login_attempts::table.find(&attempt.0))
        .set(login_attempts::succeeded.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Seconds until the caller may try again, when throttled.
fn throttled(conn: &mut DbConnection, email: &str, client_addr: &str) -> ApiResult<Option<i64>> {
    let at = now();
    let window_start = at - TimeDelta::minutes(WINDOW_MINUTES);
    // A successful sign-in clears the account's earlier failures.
    let last_success: Option<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::succeeded.eq(true))
        .select(max(login_attempts::at))
        .first(conn)?;
    let since = last_success.map_or(window_start, |s| s.max(window_start));
    let (failures, oldest): (i64, Option<NaiveDateTime>) = login_attempts::table
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(since))
        .select((count_star(), min(login_attempts::at)))
        .first(conn)?;
    if failures >= ACCOUNT_LIMIT
        && let Some(oldest) = oldest
    {
        return Ok(Some(retry_after(oldest, at)));
    }
    let (failures, oldest): (i64, Option<NaiveDateTime>) = login_attempts::table
        .filter(login_attempts::client_addr.eq(client_addr))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(window_start))
        .select((count_star(), min(login_attempts::at)))
        .first(conn)?;
    if failures >= ADDRESS_LIMIT
        && let Some(oldest) = oldest
    {
        return Ok(Some(retry_after(oldest, at)));
    }
    Ok(None)
}

fn retry_after(oldest: NaiveDateTime, at: NaiveDateTime) -> i64 {
    ((oldest + TimeDelta::minutes(WINDOW_MINUTES)) - at)
        .num_seconds()
        .max(1)
}

/// Records a failed attempt; old attempts are pruned as new ones come.
fn record_failure(conn: &mut DbConnection, email: &str, client_addr: &str) -> ApiResult<String> {
    let at = now();
    let id = new_id();
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::id.eq(&id),
            login_attempts::email.eq(email),
            login_attempts::client_addr.eq(client_addr),
            login_attempts::succeeded.eq(false),
            login_attempts::at.eq(at),
        ))
        .execute(conn)?;
    diesel::delete(login_attempts::table.filter(login_attempts::at.lt(at - TimeDelta::days(1))))
        .execute(conn)?;
    Ok(id)
}
