//! People: the contacts who attend, take notes and own action items. A user's own
//! person record points back at the user.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::people;
use crate::db::{DbConnection, new_id, now};
use crate::error::ApiResult;
use crate::policy::{Governed, Managed, Steward};

/// A person row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = people)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub organization_id: Option<String>,
    pub user_id: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

crate::versioned!(Person);
crate::stored!(
    Person,
    by_id = (find, find_for_write),
    delete = ("person", delete)
);
crate::soft_deleted!(Person);

impl Governed for Person {
    fn steward(&self) -> Steward<'_> {
        Steward::Person {
            user_id: self.user_id.as_deref(),
            organization_id: self.organization_id.as_deref(),
        }
    }
}

/// What a new person needs.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub organization_id: Option<String>,
    pub user_id: Option<String>,
}

fn search_text(name: &str, email: Option<&str>, title: Option<&str>) -> String {
    crate::validation::search_text([Some(name), email, title])
}

/// The live person with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> ApiResult<Person> {
    Ok(people::table
        .find(id)
        .filter(people::deleted_at.is_null())
        .select(Person::as_select())
        .first(conn)?)
}

/// 422 on `field` unless a live person has this id.
pub fn require_live(conn: &mut DbConnection, id: &str, field: &str) -> ApiResult<Person> {
    find(conn, id).map_err(|e| {
        if e.status() == actix_web::http::StatusCode::NOT_FOUND {
            crate::error::ApiError::invalid_field(field, "no such person")
        } else {
            e
        }
    })
}

/// A live person with this email and no account yet.
pub fn find_unlinked_by_email(conn: &mut DbConnection, email: &str) -> ApiResult<Option<Person>> {
    Ok(people::table
        .filter(people::email.eq(email.to_lowercase()))
        .filter(people::user_id.is_null())
        .filter(people::deleted_at.is_null())
        .select(Person::as_select())
        .first(conn)
        .optional()?)
}

/// The live person with this email, with an account or without.
pub fn find_by_email(conn: &mut DbConnection, email: &str) -> ApiResult<Option<Person>> {
    Ok(people::table
        .filter(people::email.eq(email.to_lowercase()))
        .filter(people::deleted_at.is_null())
        .select(Person::as_select())
        .first(conn)
        .optional()?)
}

/// Inserts a person.
pub fn create(conn: &mut DbConnection, new: NewPerson) -> ApiResult<Person> {
    let id = new_id();
    let at = now();
    let email = new.email.map(|e| e.to_lowercase());
    diesel::insert_into(people::table)
        .values((
            people::id.eq(&id),
            people::name.eq(&new.name),
            people::email.eq(&email),
            people::phone.eq(&new.phone),
            people::title.eq(&new.title),
            people::organization_id.eq(&new.organization_id),
            people::user_id.eq(&new.user_id),
            people::search_text.eq(search_text(
                &new.name,
                email.as_deref(),
                new.title.as_deref(),
            )),
            people::version.eq(1),
            people::created_at.eq(at),
            people::updated_at.eq(at),
        ))
        .execute(conn)?;
    find(conn, &id)
}

/// Points the person at a user account (or at none).
pub fn link_user(conn: &mut DbConnection, id: &str, user_id: Option<&str>) -> ApiResult<()> {
    crate::touch!(conn, people, id, people::user_id.eq(user_id))
}

/// Carries a change of the user's name, email or organization over to their person.
pub fn sync_from_user(
    conn: &mut DbConnection,
    id: &str,
    name: Option<&str>,
    email: Option<&str>,
    organization_id: Option<Option<&str>>,
) -> ApiResult<()> {
    if name.is_none() && email.is_none() && organization_id.is_none() {
        return Ok(());
    }
    let current = find(conn, id)?;
    let name = name.unwrap_or(&current.name);
    let email = email.or(current.email.as_deref());
    let organization_id = organization_id.unwrap_or(current.organization_id.as_deref());
    let search = search_text(name, email, current.title.as_deref());
    crate::touch!(
        conn,
        people,
        id,
        (
            people::name.eq(name),
            people::email.eq(email),
            people::organization_id.eq(organization_id),
            people::search_text.eq(search),
        )
    )
}

/// The writable fields of a person, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonFields {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub organization_id: Option<String>,
}

impl PersonFields {
    /// The fields of an existing row.
    pub fn of(p: &Person) -> Self {
        Self {
            name: p.name.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
            title: p.title.clone(),
            organization_id: p.organization_id.clone(),
        }
    }
}

fn check_person(conn: &mut DbConnection, id: Option<&str>, fields: &PersonFields) -> ApiResult<()> {
    if let Some(org) = &fields.organization_id {
        crate::models::organization::require_live(conn, org, "organization_id")?;
    }
    if let Some(email) = &fields.email {
        let taken: i64 = people::table
            .filter(people::email.eq(email.to_lowercase()))
            .filter(people::deleted_at.is_null())
            .filter(people::id.ne(id.unwrap_or_default()))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(crate::error::ApiError::conflict(
                "a person with this email exists already",
            ));
        }
    }
    Ok(())
}

/// Inserts a contact who has no account.
pub fn create_contact(conn: &mut DbConnection, fields: PersonFields) -> ApiResult<Person> {
    check_person(conn, None, &fields)?;
    create(
        conn,
        NewPerson {
            name: fields.name,
            email: fields.email,
            phone: fields.phone,
            title: fields.title,
            organization_id: fields.organization_id,
            user_id: None,
        },
    )
}

/// The live person with this id, locked for a write in the same transaction.
pub fn find_for_write(conn: &mut DbConnection, id: &str) -> ApiResult<Person> {
    crate::lock_row!(conn, people, id)?;
    find(conn, id)
}

/// Replaces the writable fields of a person the caller may change, at the version it
/// was read at.
pub fn update(
    conn: &mut DbConnection,
    current: &Managed<Person>,
    fields: PersonFields,
) -> ApiResult<Person> {
    let id = current.id.as_str();
    check_person(conn, Some(id), &fields)?;
    let email = fields.email.as_ref().map(|e| e.to_lowercase());
    let search = search_text(&fields.name, email.as_deref(), fields.title.as_deref());
    crate::write_versioned!(
        conn,
        people,
        current,
        (
            people::name.eq(&fields.name),
            people::email.eq(&email),
            people::phone.eq(&fields.phone),
            people::title.eq(&fields.title),
            people::organization_id.eq(&fields.organization_id),
            people::search_text.eq(search),
        )
    )?;
    find(conn, id)
}

/// Soft-deletes a person without an account (409 for someone with one).
pub fn delete(conn: &mut DbConnection, current: &Managed<Person>) -> ApiResult<()> {
    if current.user_id.is_some() {
        return Err(crate::error::ApiError::conflict(
            "the person has a user account; deactivate the account instead",
        ));
    }
    crate::write_versioned!(conn, people, current, people::deleted_at.eq(Some(now())))?;
    Ok(())
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub organization_id: Option<String>,
    pub email: Option<String>,
}

/// One page of people (with tombstones when syncing).
pub fn list(
    conn: &mut DbConnection,
    page: &crate::pagination::PageRequest,
    filter: &PersonFilter,
) -> ApiResult<crate::pagination::Page<Person>> {
    let mut query = people::table.select(Person::as_select()).into_boxed();
    if let Some(org) = &filter.organization_id {
        query = query.filter(people::organization_id.eq(org.clone()));
    }
    if let Some(email) = &filter.email {
        query = query.filter(people::email.eq(email.to_lowercase()));
    }
    if let Some(pattern) = &page.search {
        query = query.filter(people::search_text.like(pattern.clone()).escape('\\'));
    }
    let rows = crate::keyset!(query, people, page).load(conn)?;
    Ok(crate::pagination::Page::from_rows(
        rows,
        page,
        |p: &Person| (p.updated_at, p.id.clone()),
    ))
}
