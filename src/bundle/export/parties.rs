//! The sections of organizations, people and users.

use std::io::Write;

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::ApiResult;

use super::scope::{ORGANIZATION, PERSON, Scope, USER, pages};
use super::{PAGE, SectionWriter, ids, in_order};
use crate::bundle::format::{OrganizationRecord, PersonRecord, UserRecord};
use crate::db::schema::{organizations, people, users};

#[derive(Queryable, Selectable)]
#[diesel(table_name = organizations)]
struct OrganizationRow {
    id: String,
    name: String,
    short_name: Option<String>,
    kind: String,
    parent_id: Option<String>,
    organization_number: Option<String>,
    municipality_code: Option<String>,
    website: Option<String>,
    email: Option<String>,
}

pub(super) fn organizations_section(
    conn: &mut DbConnection,
    scope: &Scope,
    out: &mut dyn Write,
) -> ApiResult<()> {
    let mut section = SectionWriter::new(out, "organizations");
    let mut after = (0, String::new());
    loop {
        let page = scope.organization_page(conn, (after.0, &after.1))?;
        let full = page.len() == PAGE;
        if let Some(last) = page.last() {
            after = (last.depth, last.record_key.clone());
        }
        let rows: Vec<OrganizationRow> = organizations::table
            .filter(organizations::id.eq_any(ids(&page)))
            .select(OrganizationRow::as_select())
            .load(conn)?;
        let parents = scope.keys(
            conn,
            &ORGANIZATION,
            rows.iter().filter_map(|r| r.parent_id.as_ref()),
        )?;
        for (key, r) in in_order(page, rows, |r| &r.id) {
            section.push(&OrganizationRecord {
                key,
                name: r.name,
                short_name: r.short_name,
                kind: r.kind,
                parent: parents.of(r.parent_id.as_ref()),
                organization_number: r.organization_number,
                municipality_code: r.municipality_code,
                website: r.website,
                email: r.email,
            })?;
        }
        if !full {
            break;
        }
    }
    section.finish()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = people)]
struct PersonRow {
    id: String,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    title: Option<String>,
    organization_id: Option<String>,
}

pub(super) fn people_section(
    conn: &mut DbConnection,
    scope: &Scope,
    out: &mut dyn Write,
) -> ApiResult<()> {
    let mut section = SectionWriter::new(out, "people");
    pages(conn, scope, &PERSON, |conn, page| {
        let rows: Vec<PersonRow> = people::table
            .filter(people::id.eq_any(ids(&page)))
            .select(PersonRow::as_select())
            .load(conn)?;
        let orgs = scope.keys(
            conn,
            &ORGANIZATION,
            rows.iter().filter_map(|r| r.organization_id.as_ref()),
        )?;
        for (key, r) in in_order(page, rows, |r| &r.id) {
            section.push(&PersonRecord {
                key,
                name: r.name,
                email: r.email,
                phone: r.phone,
                title: r.title,
                organization: orgs.of(r.organization_id.as_ref()),
            })?;
        }
        Ok(())
    })?;
    section.finish()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    organization_id: Option<String>,
    person_id: String,
    active: bool,
}

pub(super) fn users_section(
    conn: &mut DbConnection,
    scope: &Scope,
    out: &mut dyn Write,
) -> ApiResult<()> {
    let mut section = SectionWriter::new(out, "users");
    pages(conn, scope, &USER, |conn, page| {
        let rows: Vec<UserRow> = users::table
            .filter(users::id.eq_any(ids(&page)))
            .select(UserRow::as_select())
            .load(conn)?;
        let orgs = scope.keys(
            conn,
            &ORGANIZATION,
            rows.iter().filter_map(|r| r.organization_id.as_ref()),
        )?;
        let persons = scope.keys(conn, &PERSON, rows.iter().map(|r| &r.person_id))?;
        for (key, r) in in_order(page, rows, |r| &r.id) {
            let Some(person) = persons.get(&r.person_id) else {
                continue;
            };
            section.push(&UserRecord {
                key,
                email: r.email,
                display_name: r.display_name,
                role: Some(r.role),
                organization: orgs.of(r.organization_id.as_ref()),
                person,
                active: Some(r.active),
            })?;
        }
        Ok(())
    })?;
    section.finish()
}
