//! Long-lived API tokens for machine clients: the secret is shown once, only its hash
//! is kept, and each token has scopes and an optional expiry.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::{api_tokens, users};
use crate::db::{DbConnection, new_id, now};
use crate::error::ApiResult;
use crate::models::user::User;
use crate::secrets::{API_TOKEN_PREFIX, hash_secret, new_secret};

crate::text_enum! {
    /// What an API token may do.
    Scope {
        /// Read anything the user may read.
        Read => "read",
        /// Also write what the user may write.
        Write => "write",
    }
}

/// An API token row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub token_prefix: String,
    pub scopes: String,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl ApiToken {
    /// The scopes, parsed.
    pub fn scope_list(&self) -> Vec<Scope> {
        self.scopes.split(',').filter_map(Scope::parse).collect()
    }

    /// Whether the token may write.
    pub fn can_write(&self) -> bool {
        self.scope_list().contains(&Scope::Write)
    }
}

/// Creates a token; returns it with its secret, which is not kept.
pub fn create(
    conn: &mut DbConnection,
    user_id: &str,
    name: &str,
    scopes: &[Scope],
    expires_at: Option<NaiveDateTime>,
) -> ApiResult<(ApiToken, String)> {
    let secret = new_secret(API_TOKEN_PREFIX);
    let id = new_id();
    let mut scope_names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    scope_names.sort_unstable();
    scope_names.dedup();
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(&id),
            api_tokens::user_id.eq(user_id),
            api_tokens::name.eq(name),
            api_tokens::token_hash.eq(hash_secret(&secret)),
            api_tokens::token_prefix.eq(&secret[..API_TOKEN_PREFIX.len() + 6]),
            api_tokens::scopes.eq(scope_names.join(",")),
            api_tokens::expires_at.eq(expires_at),
            api_tokens::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok((find(conn, user_id, &id)?, secret))
}

/// The user's token with this id (revoked ones too).
pub fn find(conn: &mut DbConnection, user_id: &str, id: &str) -> ApiResult<ApiToken> {
    Ok(api_tokens::table
        .filter(api_tokens::id.eq(id))
        .filter(api_tokens::user_id.eq(user_id))
        .select(ApiToken::as_select())
        .first(conn)?)
}

/// The user's tokens that are not revoked, newest first.
pub fn list(conn: &mut DbConnection, user_id: &str) -> ApiResult<Vec<ApiToken>> {
    Ok(api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(conn)?)
}

/// Revokes one token of the user.
pub fn revoke(conn: &mut DbConnection, user_id: &str, id: &str) -> ApiResult<()> {
    let token = find(conn, user_id, id)?;
    if token.revoked_at.is_some() {
        return Err(diesel::result::Error::NotFound.into());
    }
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::revoked_at.eq(Some(now())))
        .execute(conn)?;
    Ok(())
}

/// Revokes every token of the user.
pub fn revoke_all(conn: &mut DbConnection, user_id: &str) -> ApiResult<()> {
    diesel::update(
        api_tokens::table
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Some(now())))
    .execute(conn)?;
    Ok(())
}

/// A token that authenticated a request, and its user.
#[derive(Debug)]
pub struct Authenticated {
    pub token: ApiToken,
    pub user: User,
    /// `last_used_at` is older than a minute and should be written.
    pub needs_touch: bool,
}

/// The live token with this hash, if its user is active.
pub fn authenticate(conn: &mut DbConnection, token_hash: &str) -> ApiResult<Option<Authenticated>> {
    let at = now();
    let found = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::active.eq(true))
        .select((ApiToken::as_select(), User::as_select()))
        .first::<(ApiToken, User)>(conn)
        .optional()?;
    Ok(found.and_then(|(token, user)| {
        if token.expires_at.is_some_and(|e| e <= at) {
            return None;
        }
        let needs_touch = token
            .last_used_at
            .is_none_or(|t| at - t > TimeDelta::minutes(1));
        Some(Authenticated {
            token,
            user,
            needs_touch,
        })
    }))
}

/// Records that the token was used now.
pub fn touch(conn: &mut DbConnection, id: &str) -> ApiResult<()> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::last_used_at.eq(Some(now())))
        .execute(conn)?;
    Ok(())
}
