//! User accounts. Every user is also a person; accounts are deactivated, never removed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{people, users};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::person::{self, NewPerson};
use crate::pagination::{Page, PageRequest};
use crate::policy::{Governed, Personal, Steward};

crate::text_enum! {
    /// What an account may do.
    Role {
        /// Manages everything.
        Admin => "admin",
        /// Everyone else; rights come from organizations and networks.
        User => "user",
    }
}

/// A user row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<String>,
    pub person_id: String,
    pub password_hash: String,
    pub active: bool,
    pub last_login_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

crate::versioned!(User);
crate::stored!(User, by_id = (find, find_for_write));

impl Personal for User {
    fn user_id(&self) -> Option<&str> {
        Some(&self.id)
    }
}

impl Governed for User {
    fn steward(&self) -> Steward<'_> {
        Steward::Admins
    }
}

/// What a new account needs.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<String>,
    /// Link this existing person instead of creating one.
    pub person_id: Option<String>,
    pub password_hash: String,
}

/// A change to an account; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub organization_id: Option<Option<String>>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub organization_id: Option<String>,
    pub active: Option<bool>,
}

fn search_text(email: &str, display_name: &str) -> String {
    crate::validation::search_text([Some(email), Some(display_name)])
}

/// The account with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> ApiResult<User> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(conn)?)
}

/// The account with this email (compared case-insensitively).
pub fn find_by_email(conn: &mut DbConnection, email: &str) -> ApiResult<Option<User>> {
    Ok(users::table
        .filter(users::email.eq(email.to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// Whether any admin account exists.
pub fn any_admin(conn: &mut DbConnection) -> ApiResult<bool> {
    let count: i64 = users::table
        .filter(users::role.eq(Role::Admin))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Creates the account and links (or creates) its person record.
pub fn create(conn: &mut DbConnection, new: NewUser) -> ApiResult<User> {
    let email = new.email.to_lowercase();
    if find_by_email(conn, &email)?.is_some() {
        return Err(ApiError::conflict("a user with this email exists already"));
    }
    if let Some(org) = &new.organization_id {
        crate::models::organization::require_live(conn, org, "organization_id")?;
    }
    let id = new_id();
    let person_id = match new.person_id {
        Some(person_id) => {
            let existing = person::find(conn, &person_id)
                .map_err(|_| ApiError::invalid_field("person_id", "no such person"))?;
            if existing.user_id.is_some() {
                return Err(ApiError::conflict("that person already has an account"));
            }
            person::link_user(conn, &person_id, Some(&id))?;
            person_id
        }
        None => match person::find_unlinked_by_email(conn, &email)? {
            Some(existing) => {
                person::link_user(conn, &existing.id, Some(&id))?;
                existing.id
            }
            None => {
                person::create(
                    conn,
                    NewPerson {
                        name: new.display_name.clone(),
                        email: Some(email.clone()),
                        phone: None,
                        title: None,
                        organization_id: new.organization_id.clone(),
                        user_id: Some(id.clone()),
                    },
                )?
                .id
            }
        },
    };
    let at = now();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::email.eq(&email),
            users::display_name.eq(&new.display_name),
            users::role.eq(new.role),
            users::organization_id.eq(&new.organization_id),
            users::person_id.eq(&person_id),
            users::password_hash.eq(&new.password_hash),
            users::active.eq(true),
            users::search_text.eq(search_text(&email, &new.display_name)),
            users::version.eq(1),
            users::created_at.eq(at),
            users::updated_at.eq(at),
        ))
        .execute(conn)?;
    find(conn, &id)
}

/// The account with this id, locked for a write in the same transaction.
pub fn find_for_write(conn: &mut DbConnection, id: &str) -> ApiResult<User> {
    crate::lock_row!(conn, users, id)?;
    find(conn, id)
}

/// 409 if the change would leave no active admin.
pub(super) fn keep_an_admin(
    conn: &mut DbConnection,
    target: &User,
    changes: &UserChanges,
) -> ApiResult<()> {
    let was_admin = target.role == Role::Admin && target.active;
    let stays_admin = changes
        .role
        .map_or(target.role == Role::Admin, |r| r == Role::Admin)
        && changes.active.unwrap_or(target.active);
    if was_admin && !stays_admin {
        let admins: i64 = users::table
            .filter(users::role.eq(Role::Admin))
            .filter(users::active.eq(true))
            .count()
            .get_result(conn)?;
        if admins < 2 {
            return Err(ApiError::conflict(
                "this is the last active admin; make another admin first",
            ));
        }
    }
    Ok(())
}

/// Applies `changes` to an account at the version it was read at and keeps the linked
/// person's name, email and organization in step; 409 if no active admin would remain.
/// The rules of who may, and what a change ends, are in `account`.
pub(super) fn write(
    conn: &mut DbConnection,
    current: &User,
    changes: UserChanges,
) -> ApiResult<User> {
    keep_an_admin(conn, current, &changes)?;
    let email = changes.email.as_ref().map(|e| e.to_lowercase());
    if let Some(email) = &email
        && *email != current.email
        && find_by_email(conn, email)?.is_some()
    {
        return Err(ApiError::conflict("a user with this email exists already"));
    }
    if let Some(Some(org)) = &changes.organization_id {
        crate::models::organization::require_live(conn, org, "organization_id")?;
    }
    let new_email = email.clone().unwrap_or(current.email.clone());
    let new_name = changes
        .display_name
        .clone()
        .unwrap_or(current.display_name.clone());
    crate::write_versioned!(
        conn,
        users,
        current,
        (
            users::email.eq(&new_email),
            users::display_name.eq(&new_name),
            users::role.eq(changes.role.unwrap_or(current.role)),
            users::organization_id.eq(changes
                .organization_id
                .clone()
                .unwrap_or(current.organization_id.clone())),
            users::active.eq(changes.active.unwrap_or(current.active)),
            users::password_hash.eq(changes
                .password_hash
                .as_deref()
                .unwrap_or(&current.password_hash)),
            users::search_text.eq(search_text(&new_email, &new_name))
        )
    )?;
    person::sync_from_user(
        conn,
        &current.person_id,
        changes.display_name.is_some().then_some(new_name.as_str()),
        email.as_deref(),
        changes.organization_id.as_ref().map(|o| o.as_deref()),
    )?;
    find(conn, &current.id)
}

/// Records a successful sign-in.
pub fn record_login(conn: &mut DbConnection, id: &str) -> ApiResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

/// One page of accounts.
pub fn list(
    conn: &mut DbConnection,
    page: &PageRequest,
    filter: &UserFilter,
) -> ApiResult<Page<User>> {
    let mut query = users::table.select(User::as_select()).into_boxed();
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role));
    }
    if let Some(org) = &filter.organization_id {
        query = query.filter(users::organization_id.eq(org.clone()));
    }
    if let Some(active) = filter.active {
        query = query.filter(users::active.eq(active));
    }
    if let Some(pattern) = &page.search {
        query = query.filter(users::search_text.like(pattern.clone()).escape('\\'));
    }
    // Users are never deleted, so the keyset needs no tombstone rule.
    if let Some(since) = page.modified_since {
        query = query.filter(users::updated_at.ge(since));
        if let Some(crate::pagination::Cursor::Changed(at, id)) = &page.after {
            query = query.filter(
                users::updated_at
                    .gt(*at)
                    .or(users::updated_at.eq(*at).and(users::id.gt(id.clone()))),
            );
        }
        query = query.order((users::updated_at.asc(), users::id.asc()));
    } else {
        if let Some(crate::pagination::Cursor::Id(after)) = &page.after {
            query = query.filter(users::id.gt(after.clone()));
        }
        query = query.order(users::id.asc());
    }
    let rows = query.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, page, |u: &User| {
        (u.updated_at, u.id.clone())
    }))
}

/// The person id of a user, for joins elsewhere.
pub fn person_of(conn: &mut DbConnection, user_id: &str) -> ApiResult<String> {
    Ok(users::table
        .find(user_id)
        .inner_join(people::table)
        .select(people::id)
        .first(conn)?)
}
