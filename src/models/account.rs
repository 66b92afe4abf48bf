//! What a change to an account ends: changing the password ends every session and API
//! token of the account; deactivating ends them for good (a reactivated account signs
//! in anew and makes new tokens). The rows are in `user`, `session` and `api_token`.

use crate::db::DbConnection;
use crate::error::ApiResult;
use crate::models::user::{self, User, UserChanges};
use crate::models::{api_token, session};
use crate::policy::{Managed, Permitted, right};

fn end_access(conn: &mut DbConnection, user_id: &str) -> ApiResult<()> {
    session::revoke_all(conn, user_id)?;
    api_token::revoke_all(conn, user_id)
}

/// Applies `changes` to an account (admins), at the version it was read at.
pub fn update(
    conn: &mut DbConnection,
    current: &Managed<User>,
    changes: UserChanges,
) -> ApiResult<User> {
    let ends_access = changes.password_hash.is_some() || changes.active == Some(false);
    let updated = user::write(conn, current, changes)?;
    if ends_access {
        end_access(conn, &current.id)?;
    }
    Ok(updated)
}

/// Changes one's own display name or password.
pub fn update_self(
    conn: &mut DbConnection,
    current: &Permitted<User, right::EditSelf>,
    display_name: Option<String>,
    password_hash: Option<String>,
) -> ApiResult<User> {
    let ends_access = password_hash.is_some();
    let changes = UserChanges {
        display_name,
        password_hash,
        ..Default::default()
    };
    let updated = user::write(conn, current, changes)?;
    if ends_access {
        end_access(conn, &current.id)?;
    }
    Ok(updated)
}

/// Deactivates an account (`DELETE`); an inactive one keeps its version, and whatever
/// access it still had ends.
pub fn deactivate(conn: &mut DbConnection, current: &Managed<User>) -> ApiResult<()> {
    let changes = UserChanges {
        active: Some(false),
        ..Default::default()
    };
    if current.active {
        update(conn, current, changes)?;
    } else {
        user::keep_an_admin(conn, current, &changes)?;
        end_access(conn, &current.id)?;
    }
    Ok(())
}

impl crate::models::store::Deletable for User {
    const KIND: &'static str = "user";
    const DELETED: &'static str = "deactivate";

    fn delete(conn: &mut DbConnection, row: &Managed<Self>) -> ApiResult<()> {
        deactivate(conn, row)
    }
}
