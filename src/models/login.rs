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

/// Seconds until the caller may try again, when throttled.
pub fn throttled(
    conn: &mut DbConnection,
    email: &str,
    client_addr: &str,
) -> ApiResult<Option<i64>> {
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

/// Records one attempt; old ones are pruned as new ones come.
pub fn record(
    conn: &mut DbConnection,
    email: &str,
    client_addr: &str,
    succeeded: bool,
) -> ApiResult<()> {
    let at = now();
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::id.eq(new_id()),
            login_attempts::email.eq(email),
            login_attempts::client_addr.eq(client_addr),
            login_attempts::succeeded.eq(succeeded),
            login_attempts::at.eq(at),
        ))
        .execute(conn)?;
    diesel::delete(login_attempts::table.filter(login_attempts::at.lt(at - TimeDelta::days(1))))
        .execute(conn)?;
    Ok(())
}
