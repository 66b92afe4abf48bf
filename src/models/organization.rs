//! Organizations: municipalities, regions, care providers and the rest; the model
//! resource whose shape every other resource follows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{organizations, users};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::pagination::{Page, PageRequest};
use crate::policy::{Governed, Managed, Steward};

crate::text_enum! {
    /// What kind of body an organization is.
    OrganizationKind {
        Municipality => "municipality",
        Region => "region",
        RegionalAssociation => "regional_association",
        CountyBoard => "county_board",
        SupervisoryAuthority => "supervisory_authority",
        GovernmentAgency => "government_agency",
        ResearchUnit => "research_unit",
        ProfessionalAssociation => "professional_association",
        CareProvider => "care_provider",
        CivilSociety => "civil_society",
        Other => "other",
    }
}

/// An organization row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrganizationKind,
    pub parent_id: Option<String>,
    pub organization_number: Option<String>,
    pub municipality_code: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

crate::versioned!(Organization);
crate::stored!(
    Organization,
    by_id = (find, find_for_write),
    delete = ("organization", delete)
);
crate::soft_deleted!(Organization);

impl Governed for Organization {
    fn steward(&self) -> Steward<'_> {
        Steward::Admins
    }
}

/// The writable fields of an organization, validated: the insert and the update both
/// write exactly these.
#[derive(Debug, Clone, AsChangeset, Insertable, PartialEq)]
#[diesel(table_name = organizations, treat_none_as_null = true)]
pub struct OrganizationFields {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrganizationKind,
    pub parent_id: Option<String>,
    pub organization_number: Option<String>,
    pub municipality_code: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
}

impl OrganizationFields {
    /// The fields of an existing row, to apply a partial change to.
    pub fn of(org: &Organization) -> Self {
        Self {
            name: org.name.clone(),
            short_name: org.short_name.clone(),
            kind: org.kind,
            parent_id: org.parent_id.clone(),
            organization_number: org.organization_number.clone(),
            municipality_code: org.municipality_code.clone(),
            website: org.website.clone(),
            email: org.email.clone(),
        }
    }

    fn search_text(&self) -> String {
        crate::validation::search_text([
            Some(self.name.as_str()),
            self.short_name.as_deref(),
            self.organization_number.as_deref(),
            self.municipality_code.as_deref(),
        ])
    }
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct OrganizationFilter {
    pub kind: Option<OrganizationKind>,
    pub parent_id: Option<String>,
    pub municipality_code: Option<String>,
    pub organization_number: Option<String>,
}

/// The organization with this id, deleted or not.
pub fn find_any(conn: &mut DbConnection, id: &str) -> ApiResult<Organization> {
    Ok(organizations::table
        .find(id)
        .select(Organization::as_select())
        .first(conn)?)
}

/// The live organization with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> ApiResult<Organization> {
    Ok(organizations::table
        .find(id)
        .filter(organizations::deleted_at.is_null())
        .select(Organization::as_select())
        .first(conn)?)
}

/// 422 on `field` unless a live organization has this id.
pub fn require_live(conn: &mut DbConnection, id: &str, field: &str) -> ApiResult<Organization> {
    find(conn, id).map_err(|e| {
        if e.status() == actix_web::http::StatusCode::NOT_FOUND {
            ApiError::invalid_field(field, "no such organization")
        } else {
            e
        }
    })
}

/// 422 unless `parent_id` exists and making it the parent of `id` keeps the tree a tree.
fn check_parent(conn: &mut DbConnection, id: &str, parent_id: &str) -> ApiResult<()> {
    let mut cursor = Some(parent_id.to_string());
    let mut steps = 0;
    while let Some(current) = cursor {
        if current == id {
            return Err(ApiError::invalid_field(
                "parent_id",
                "would make the organization its own ancestor",
            ));
        }
        let org = require_live(conn, &current, "parent_id")?;
        cursor = org.parent_id;
        steps += 1;
        if steps > 64 {
            return Err(ApiError::invalid_field(
                "parent_id",
                "the hierarchy is too deep",
            ));
        }
    }
    Ok(())
}

/// The live organization with this id, locked for a write in the same transaction.
pub fn find_for_write(conn: &mut DbConnection, id: &str) -> ApiResult<Organization> {
    crate::lock_row!(conn, organizations, id)?;
    find(conn, id)
}

/// Inserts an organization (admins; the route checked).
pub fn create(conn: &mut DbConnection, fields: OrganizationFields) -> ApiResult<Organization> {
    let id = new_id();
    if let Some(parent) = &fields.parent_id {
        check_parent(conn, &id, parent)?;
    }
    let at = now();
    let search = fields.search_text();
    diesel::insert_into(organizations::table)
        .values((
            organizations::id.eq(&id),
            fields,
            organizations::search_text.eq(search),
            organizations::version.eq(1),
            organizations::created_at.eq(at),
            organizations::updated_at.eq(at),
        ))
        .execute(conn)?;
    find(conn, &id)
}

/// Replaces the writable fields of a managed organization at the version it was read at.
pub fn update(
    conn: &mut DbConnection,
    current: &Managed<Organization>,
    fields: OrganizationFields,
) -> ApiResult<Organization> {
    if let Some(parent) = &fields.parent_id
        && current.parent_id.as_deref() != Some(parent)
    {
        check_parent(conn, &current.id, parent)?;
    }
    let search = fields.search_text();
    crate::write_versioned!(
        conn,
        organizations,
        current,
        (fields, organizations::search_text.eq(search))
    )?;
    find(conn, &current.id)
}

/// Soft-deletes a managed organization that nothing live depends on.
pub fn delete(conn: &mut DbConnection, current: &Managed<Organization>) -> ApiResult<()> {
    let id = current.id.as_str();
    let children: i64 = organizations::table
        .filter(organizations::parent_id.eq(id))
        .filter(organizations::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    if children > 0 {
        return Err(ApiError::conflict(format!(
            "the organization has {children} sub-organization(s); move or delete them first"
        )));
    }
    let members: i64 = users::table
        .filter(users::organization_id.eq(id))
        .filter(users::active.eq(true))
        .count()
        .get_result(conn)?;
    if members > 0 {
        return Err(ApiError::conflict(format!(
            "{members} active user(s) belong to the organization; move or deactivate them first"
        )));
    }
    crate::write_versioned!(
        conn,
        organizations,
        current,
        organizations::deleted_at.eq(Some(now()))
    )
}

/// One page of organizations (with tombstones when syncing).
pub fn list(
    conn: &mut DbConnection,
    page: &PageRequest,
    filter: &OrganizationFilter,
) -> ApiResult<Page<Organization>> {
    let mut query = organizations::table
        .select(Organization::as_select())
        .into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(organizations::kind.eq(kind));
    }
    if let Some(parent) = &filter.parent_id {
        query = query.filter(organizations::parent_id.eq(parent.clone()));
    }
    if let Some(code) = &filter.municipality_code {
        query = query.filter(organizations::municipality_code.eq(code.clone()));
    }
    if let Some(number) = &filter.organization_number {
        query = query.filter(organizations::organization_number.eq(number.clone()));
    }
    if let Some(pattern) = &page.search {
        query = query.filter(
            organizations::search_text
                .like(pattern.clone())
                .escape('\\'),
        );
    }
    let rows = crate::keyset!(query, organizations, page).load(conn)?;
    Ok(Page::from_rows(rows, page, |o: &Organization| {
        (o.updated_at, o.id.clone())
    }))
}
