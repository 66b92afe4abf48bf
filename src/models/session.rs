//! Sign-in sessions and their rotating refresh tokens. An access token names its
//! session; revoking the session ends the access token at once.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::{refresh_tokens, sessions, users};
use crate::db::{DbConnection, new_id, now};
use crate::error::ApiResult;
use crate::models::user::User;
use crate::secrets::{hash_secret, new_secret};

/// How long a session may be kept alive by refreshing.
pub const SESSION_DAYS: i64 = 90;
/// How long one refresh token is valid.
pub const REFRESH_DAYS: i64 = 30;
/// The prefix of refresh tokens.
pub const REFRESH_PREFIX: &str = "smr_";

/// A new session for the user and its first refresh token (the secret, shown once).
pub fn start(conn: &mut DbConnection, user_id: &str) -> ApiResult<(String, String)> {
    let id = new_id();
    let at = now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(at),
            sessions::expires_at.eq(at + TimeDelta::days(SESSION_DAYS)),
        ))
        .execute(conn)?;
    let refresh = issue_refresh(conn, &id, at + TimeDelta::days(SESSION_DAYS))?;
    Ok((id, refresh))
}

fn issue_refresh(
    conn: &mut DbConnection,
    session_id: &str,
    session_end: NaiveDateTime,
) -> ApiResult<String> {
    let secret = new_secret(REFRESH_PREFIX);
    let at = now();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(new_id()),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(hash_secret(&secret)),
            refresh_tokens::created_at.eq(at),
            refresh_tokens::expires_at.eq((at + TimeDelta::days(REFRESH_DAYS)).min(session_end)),
        ))
        .execute(conn)?;
    Ok(secret)
}

/// What presenting a refresh token led to.
#[derive(Debug)]
pub enum Refresh {
    /// A new refresh token for the same session.
    Rotated {
        user_id: String,
        session_id: String,
        refresh_token: String,
    },
    /// The token was used before: its session has been revoked.
    Reused { user_id: String, session_id: String },
    /// Unknown, expired, revoked, or the account is inactive.
    Invalid,
}

/// Rotates a refresh token. A token presented a second time revokes its session, since
/// one of the two holders is not who they claim.
pub fn rotate(conn: &mut DbConnection, secret: &str) -> ApiResult<Refresh> {
    let at = now();
    let found = refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::token_hash.eq(hash_secret(secret)))
        .select((
            refresh_tokens::id,
            refresh_tokens::expires_at,
            refresh_tokens::rotated_at,
            sessions::id,
            sessions::user_id,
            sessions::expires_at,
            sessions::revoked_at,
        ))
        .first::<(
            String,
            NaiveDateTime,
            Option<NaiveDateTime>,
            String,
            String,
            NaiveDateTime,
            Option<NaiveDateTime>,
        )>(conn)
        .optional()?;
    let Some((token_id, expires_at, rotated_at, session_id, user_id, session_end, revoked_at)) =
        found
    else {
        return Ok(Refresh::Invalid);
    };
    if revoked_at.is_some() || session_end <= at || expires_at <= at {
        return Ok(Refresh::Invalid);
    }
    if rotated_at.is_some() {
        revoke(conn, &session_id)?;
        return Ok(Refresh::Reused {
            user_id,
            session_id,
        });
    }
    let user = crate::models::user::find(conn, &user_id)?;
    if !user.active {
        return Ok(Refresh::Invalid);
    }
    let marked = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(&token_id))
            .filter(refresh_tokens::rotated_at.is_null()),
    )
    .set(refresh_tokens::rotated_at.eq(Some(at)))
    .execute(conn)?;
    if marked == 0 {
        // Another request rotated it between our read and write.
        revoke(conn, &session_id)?;
        return Ok(Refresh::Reused {
            user_id,
            session_id,
        });
    }
    let refresh_token = issue_refresh(conn, &session_id, session_end)?;
    Ok(Refresh::Rotated {
        user_id: user.id,
        session_id,
        refresh_token,
    })
}

/// The session a refresh token belongs to, if the token is known.
pub fn session_of_refresh(
    conn: &mut DbConnection,
    secret: &str,
) -> ApiResult<Option<(String, String)>> {
    Ok(refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::token_hash.eq(hash_secret(secret)))
        .select((sessions::id, sessions::user_id))
        .first(conn)
        .optional()?)
}

/// Ends a session; its access and refresh tokens stop working.
pub fn revoke(conn: &mut DbConnection, session_id: &str) -> ApiResult<()> {
    diesel::update(
        sessions::table
            .filter(sessions::id.eq(session_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(Some(now())))
    .execute(conn)?;
    Ok(())
}

/// Ends every session of a user.
pub fn revoke_all(conn: &mut DbConnection, user_id: &str) -> ApiResult<()> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(Some(now())))
    .execute(conn)?;
    Ok(())
}

/// The user of a live session, if the account is active.
pub fn active_user(
    conn: &mut DbConnection,
    user_id: &str,
    session_id: &str,
) -> ApiResult<Option<User>> {
    Ok(users::table
        .inner_join(sessions::table)
        .filter(users::id.eq(user_id))
        .filter(users::active.eq(true))
        .filter(sessions::id.eq(session_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now()))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}
