//! Networks (learning networks, chiefs' networks). Their member organizations and
//! participating people are in [`crate::models::membership`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::json_text::JsonText;
use crate::db::schema::{network_members, networks};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::pagination::{Page, PageRequest};
use crate::policy::{self, Governed, Managed, Reach, Steward, Visibility};

crate::text_enum! {
    /// Where a network is in its life.
    NetworkStatus {
        Planned => "planned",
        Active => "active",
        Paused => "paused",
        Closed => "closed",
    }
}

/// A network row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = networks)]
pub struct Network {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub owner_organization_id: String,
    pub status: NetworkStatus,
    pub focus_areas: JsonText<Vec<String>>,
    pub cadence: Option<String>,
    pub visibility: Visibility,
    pub contact_person_id: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

crate::versioned!(Network);
crate::stored!(Network, find = find, delete = ("network", delete));
crate::soft_deleted!(Network);

impl Governed for Network {
    fn steward(&self) -> Steward<'_> {
        Steward::Network(&self.id)
    }
}

/// The writable fields of a network, validated: the insert and the update both write
/// exactly these.
#[derive(Debug, Clone, AsChangeset, Insertable, PartialEq)]
#[diesel(table_name = networks, treat_none_as_null = true)]
pub struct NetworkFields {
    pub name: String,
    pub description: Option<String>,
    pub owner_organization_id: String,
    pub status: NetworkStatus,
    pub focus_areas: JsonText<Vec<String>>,
    pub cadence: Option<String>,
    pub visibility: Visibility,
    pub contact_person_id: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    #[diesel(column_name = search_text)]
    search: String,
}

impl NetworkFields {
    /// The fields of an existing row, to change some of them.
    pub fn of(n: &Network) -> Self {
        Self {
            name: n.name.clone(),
            description: n.description.clone(),
            owner_organization_id: n.owner_organization_id.clone(),
            status: n.status,
            focus_areas: n.focus_areas.clone(),
            cadence: n.cadence.clone(),
            visibility: n.visibility,
            contact_person_id: n.contact_person_id.clone(),
            started_on: n.started_on,
            ended_on: n.ended_on,
            search: String::new(),
        }
    }

    /// New fields with the defaults of a new network.
    pub fn new(name: String, owner_organization_id: String) -> Self {
        Self {
            name,
            description: None,
            owner_organization_id,
            status: NetworkStatus::Active,
            focus_areas: JsonText(Vec::new()),
            cadence: None,
            visibility: Visibility::Internal,
            contact_person_id: None,
            started_on: None,
            ended_on: None,
            search: String::new(),
        }
    }

    fn indexed(mut self) -> Self {
        let areas = self.focus_areas.join("\n");
        self.search = crate::validation::search_text([
            Some(self.name.as_str()),
            self.description.as_deref(),
            self.cadence.as_deref(),
            Some(areas.as_str()),
        ]);
        self
    }

    fn check_references(&self, conn: &mut DbConnection) -> ApiResult<()> {
        crate::models::organization::require_live(
            conn,
            &self.owner_organization_id,
            "owner_organization_id",
        )?;
        if let Some(person) = &self.contact_person_id {
            crate::models::person::require_live(conn, person, "contact_person_id")?;
        }
        Ok(())
    }
}

#[derive(Insertable)]
#[diesel(table_name = networks)]
struct NewNetwork {
    id: String,
    #[diesel(embed)]
    fields: NetworkFields,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct NetworkFilter {
    pub status: Option<NetworkStatus>,
    pub owner_organization_id: Option<String>,
    pub member_organization_id: Option<String>,
    pub focus_area: Option<String>,
}

/// The live network with this id if the caller may see it (404 otherwise); `lock`
/// locks its row for a write in the same transaction.
pub fn find(conn: &mut DbConnection, reach: &Reach, id: &str, lock: bool) -> ApiResult<Network> {
    if lock {
        crate::lock_row!(conn, networks, id)?;
    }
    let mut query = networks::table
        .find(id)
        .filter(networks::deleted_at.is_null())
        .select(Network::as_select())
        .into_boxed();
    if !reach.is_admin() {
        query = query.filter(policy::sql::networks(reach));
    }
    Ok(query.first(conn)?)
}

/// 422 on `field` unless a live network with this id exists and the caller may see it.
pub fn require_visible(
    conn: &mut DbConnection,
    reach: &Reach,
    id: &str,
    field: &str,
    lock: bool,
) -> ApiResult<Network> {
    find(conn, reach, id, lock).map_err(|e| {
        if e.status() == actix_web::http::StatusCode::NOT_FOUND {
            ApiError::invalid_field(field, "no such network")
        } else {
            e
        }
    })
}

/// Inserts a network (see `membership::create_network`, which also makes its first
/// coordinator).
pub fn create(conn: &mut DbConnection, fields: NetworkFields) -> ApiResult<Network> {
    fields.check_references(conn)?;
    let id = new_id();
    let at = now();
    diesel::insert_into(networks::table)
        .values(NewNetwork {
            id: id.clone(),
            fields: fields.indexed(),
            version: 1,
            created_at: at,
            updated_at: at,
        })
        .execute(conn)?;
    live(conn, &id)
}

/// The live network with this id, whoever asks: for work the server does on its own
/// (planning a series' meetings), never to answer a caller.
pub fn find_unchecked(conn: &mut DbConnection, id: &str) -> ApiResult<Network> {
    live(conn, id)
}

fn live(conn: &mut DbConnection, id: &str) -> ApiResult<Network> {
    Ok(networks::table
        .find(id)
        .filter(networks::deleted_at.is_null())
        .select(Network::as_select())
        .first(conn)?)
}

/// Replaces the writable fields of a managed network at the version it was read at.
pub fn update(
    conn: &mut DbConnection,
    network: &Managed<Network>,
    fields: NetworkFields,
) -> ApiResult<Network> {
    fields.check_references(conn)?;
    crate::write_versioned!(conn, networks, network, fields.indexed())?;
    live(conn, &network.id)
}

/// Moves the network's version and `updated_at` (a member or participant changed).
pub fn touch(conn: &mut DbConnection, network: &Managed<Network>) -> ApiResult<()> {
    crate::touch!(conn, networks, &network.id)?;
    Ok(())
}

/// Soft-deletes a managed network; sync clients see a tombstone.
pub fn delete(conn: &mut DbConnection, network: &Managed<Network>) -> ApiResult<()> {
    crate::write_versioned!(
        conn,
        networks,
        network,
        networks::deleted_at.eq(Some(now()))
    )?;
    Ok(())
}

/// One page of the networks the caller may see.
pub fn list(
    conn: &mut DbConnection,
    reach: &Reach,
    page: &PageRequest,
    filter: &NetworkFilter,
) -> ApiResult<Page<Network>> {
    let mut query = networks::table.select(Network::as_select()).into_boxed();
    if !reach.is_admin() {
        query = query.filter(policy::sql::networks(reach));
    }
    if let Some(status) = filter.status {
        query = query.filter(networks::status.eq(status));
    }
    if let Some(owner) = &filter.owner_organization_id {
        query = query.filter(networks::owner_organization_id.eq(owner.clone()));
    }
    if let Some(org) = &filter.member_organization_id {
        query = query.filter(
            networks::id.eq_any(
                network_members::table
                    .filter(network_members::organization_id.eq(org.clone()))
                    .select(network_members::network_id),
            ),
        );
    }
    if let Some(area) = &filter.focus_area {
        query = query.filter(
            networks::search_text
                .like(crate::validation::like_pattern(area))
                .escape('\\'),
        );
    }
    if let Some(pattern) = &page.search {
        query = query.filter(networks::search_text.like(pattern.clone()).escape('\\'));
    }
    let rows = crate::keyset!(query, networks, page).load(conn)?;
    Ok(Page::from_rows(rows, page, |n: &Network| {
        (n.updated_at, n.id.clone())
    }))
}
