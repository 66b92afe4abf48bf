//! Networks (learning networks, chiefs' networks), their member organizations and
//! participating people.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{network_members, network_participants, networks, people};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::access::{self, ParticipantRole, Viewer, Visibility};
use crate::pagination::{Page, PageRequest};

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
    pub status: String,
    pub focus_areas: String,
    pub cadence: Option<String>,
    pub visibility: String,
    pub contact_person_id: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

impl Network {
    /// The focus areas, parsed.
    pub fn focus_area_list(&self) -> Vec<String> {
        serde_json::from_str(&self.focus_areas).unwrap_or_default()
    }
}

/// The writable fields of a network, validated.
#[derive(Debug, Clone)]
pub struct NetworkFields {
    pub name: String,
    pub description: Option<String>,
    pub owner_organization_id: String,
    pub status: NetworkStatus,
    pub focus_areas: Vec<String>,
    pub cadence: Option<String>,
    pub visibility: Visibility,
    pub contact_person_id: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
}

impl NetworkFields {
    /// The fields of an existing row.
    pub fn of(n: &Network) -> Self {
        Self {
            name: n.name.clone(),
            description: n.description.clone(),
            owner_organization_id: n.owner_organization_id.clone(),
            status: NetworkStatus::parse(&n.status).unwrap_or(NetworkStatus::Active),
            focus_areas: n.focus_area_list(),
            cadence: n.cadence.clone(),
            visibility: Visibility::parse(&n.visibility).unwrap_or(Visibility::Restricted),
            contact_person_id: n.contact_person_id.clone(),
            started_on: n.started_on,
            ended_on: n.ended_on,
        }
    }

    fn search_text(&self) -> String {
        let areas = self.focus_areas.join("\n");
        crate::validation::search_text([
            Some(self.name.as_str()),
            self.description.as_deref(),
            self.cadence.as_deref(),
            Some(areas.as_str()),
        ])
    }

    /// Checks the references against the database.
    fn check_references(&self, conn: &mut DbConnection) -> ApiResult<()> {
        crate::models::organization::require_live(
            conn,
            &self.owner_organization_id,
            "owner_organization_id",
        )?;
        if let Some(person) = &self.contact_person_id {
            crate::models::person::find(conn, person)
                .map_err(|_| ApiError::invalid_field("contact_person_id", "no such person"))?;
        }
        Ok(())
    }
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct NetworkFilter {
    pub status: Option<NetworkStatus>,
    pub owner_organization_id: Option<String>,
    pub member_organization_id: Option<String>,
    pub focus_area: Option<String>,
}

/// The live network with this id, whoever asks.
pub fn find(conn: &mut DbConnection, id: &str) -> ApiResult<Network> {
    Ok(networks::table
        .find(id)
        .filter(networks::deleted_at.is_null())
        .select(Network::as_select())
        .first(conn)?)
}

/// The network and the viewer's role in it; 404 unless the viewer may see it.
pub fn find_visible(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
    today: NaiveDate,
) -> ApiResult<(Network, access::NetworkRole)> {
    let network = find(conn, id)?;
    let role = access::network_role(conn, viewer, id, today)?;
    if role.can_see(&network.visibility, viewer) {
        Ok((network, role))
    } else {
        Err(ApiError::not_found())
    }
}

/// Like [`find_visible`], and 403 unless the viewer manages the network.
pub fn find_managed(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
    today: NaiveDate,
) -> ApiResult<Network> {
    let (network, role) = find_visible(conn, viewer, id, today)?;
    if role.manages() {
        Ok(network)
    } else {
        Err(ApiError::forbidden(
            "only the network's coordinators (and admins) may do this",
        ))
    }
}

/// Inserts a network; the creator's person becomes its first coordinator.
pub fn create(
    conn: &mut DbConnection,
    fields: NetworkFields,
    creator_person_id: Option<&str>,
) -> ApiResult<Network> {
    fields.check_references(conn)?;
    let id = new_id();
    let at = now();
    diesel::insert_into(networks::table)
        .values((
            networks::id.eq(&id),
            networks::name.eq(&fields.name),
            networks::description.eq(&fields.description),
            networks::owner_organization_id.eq(&fields.owner_organization_id),
            networks::status.eq(fields.status.as_str()),
            networks::focus_areas
                .eq(serde_json::to_string(&fields.focus_areas).unwrap_or_default()),
            networks::cadence.eq(&fields.cadence),
            networks::visibility.eq(fields.visibility.as_str()),
            networks::contact_person_id.eq(&fields.contact_person_id),
            networks::started_on.eq(fields.started_on),
            networks::ended_on.eq(fields.ended_on),
            networks::search_text.eq(fields.search_text()),
            networks::version.eq(1),
            networks::created_at.eq(at),
            networks::updated_at.eq(at),
        ))
        .execute(conn)?;
    if let Some(person) = creator_person_id {
        add_participant(conn, &id, person, ParticipantRole::Coordinator, None)?;
    }
    find(conn, &id)
}

/// Replaces the writable fields if the row is still at `expected_version`.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i32,
    fields: NetworkFields,
) -> ApiResult<Network> {
    fields.check_references(conn)?;
    let updated = diesel::update(
        networks::table
            .filter(networks::id.eq(id))
            .filter(networks::version.eq(expected_version)),
    )
    .set((
        networks::name.eq(&fields.name),
        networks::description.eq(&fields.description),
        networks::owner_organization_id.eq(&fields.owner_organization_id),
        networks::status.eq(fields.status.as_str()),
        networks::focus_areas.eq(serde_json::to_string(&fields.focus_areas).unwrap_or_default()),
        networks::cadence.eq(&fields.cadence),
        networks::visibility.eq(fields.visibility.as_str()),
        networks::contact_person_id.eq(&fields.contact_person_id),
        networks::started_on.eq(fields.started_on),
        networks::ended_on.eq(fields.ended_on),
        networks::search_text.eq(fields.search_text()),
        networks::version.eq(expected_version + 1),
        networks::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(ApiError::precondition_failed(Some(find(conn, id)?.version)));
    }
    find(conn, id)
}

/// Moves the network's `updated_at` and `version` (a member or participant changed).
pub fn touch(conn: &mut DbConnection, id: &str) -> ApiResult<()> {
    diesel::update(networks::table.find(id))
        .set((
            networks::version.eq(networks::version + 1),
            networks::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Soft-deletes a network.
pub fn delete(conn: &mut DbConnection, id: &str, version: i32) -> ApiResult<()> {
    let at = now();
    diesel::update(networks::table.find(id))
        .set((
            networks::deleted_at.eq(Some(at)),
            networks::version.eq(version + 1),
            networks::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// One page of the networks the viewer may see.
pub fn list(
    conn: &mut DbConnection,
    viewer: &Viewer,
    page: &PageRequest,
    filter: &NetworkFilter,
    today: NaiveDate,
) -> ApiResult<Page<Network>> {
    let mut query = networks::table.select(Network::as_select()).into_boxed();
    if !viewer.admin {
        let insider = access::insider_networks(conn, viewer, today)?;
        let mut open = vec![Visibility::Public.as_str()];
        if viewer.signed_in() {
            open.push(Visibility::Internal.as_str());
        }
        query = query.filter(
            networks::visibility
                .eq_any(open)
                .or(networks::id.eq_any(insider)),
        );
    }
    if let Some(status) = filter.status {
        query = query.filter(networks::status.eq(status.as_str()));
    }
    if let Some(owner) = &filter.owner_organization_id {
        query = query.filter(networks::owner_organization_id.eq(owner.clone()));
    }
    if let Some(org) = &filter.member_organization_id {
        let ids: Vec<String> = network_members::table
            .filter(network_members::organization_id.eq(org))
            .select(network_members::network_id)
            .load(conn)?;
        query = query.filter(networks::id.eq_any(ids));
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

/// The ids of every live network the viewer may see.
pub fn visible_ids(
    conn: &mut DbConnection,
    viewer: &Viewer,
    today: NaiveDate,
) -> ApiResult<Vec<String>> {
    let mut query = networks::table
        .filter(networks::deleted_at.is_null())
        .select(networks::id)
        .into_boxed();
    if !viewer.admin {
        let insider = access::insider_networks(conn, viewer, today)?;
        let mut open = vec![Visibility::Public.as_str()];
        if viewer.signed_in() {
            open.push(Visibility::Internal.as_str());
        }
        query = query.filter(
            networks::visibility
                .eq_any(open)
                .or(networks::id.eq_any(insider)),
        );
    }
    Ok(query.load(conn)?)
}

/// A member organization row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = network_members)]
pub struct Member {
    pub id: String,
    pub network_id: String,
    pub organization_id: String,
    pub joined_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The network's member organizations, current and former.
pub fn members(conn: &mut DbConnection, network_id: &str) -> ApiResult<Vec<Member>> {
    Ok(network_members::table
        .filter(network_members::network_id.eq(network_id))
        .order(network_members::id.asc())
        .select(Member::as_select())
        .load(conn)?)
}

/// One member row of the network.
pub fn member(conn: &mut DbConnection, network_id: &str, id: &str) -> ApiResult<Member> {
    Ok(network_members::table
        .filter(network_members::network_id.eq(network_id))
        .filter(network_members::id.eq(id))
        .select(Member::as_select())
        .first(conn)?)
}

/// Adds a member organization; 409 if it is one already.
pub fn add_member(
    conn: &mut DbConnection,
    network_id: &str,
    organization_id: &str,
    joined_on: Option<NaiveDate>,
    left_on: Option<NaiveDate>,
) -> ApiResult<Member> {
    crate::models::organization::require_live(conn, organization_id, "organization_id")?;
    let exists: i64 = network_members::table
        .filter(network_members::network_id.eq(network_id))
        .filter(network_members::organization_id.eq(organization_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(ApiError::conflict("the organization is a member already"));
    }
    let id = new_id();
    let at = now();
    diesel::insert_into(network_members::table)
        .values((
            network_members::id.eq(&id),
            network_members::network_id.eq(network_id),
            network_members::organization_id.eq(organization_id),
            network_members::joined_on.eq(joined_on),
            network_members::left_on.eq(left_on),
            network_members::version.eq(1),
            network_members::created_at.eq(at),
            network_members::updated_at.eq(at),
        ))
        .execute(conn)?;
    touch(conn, network_id)?;
    member(conn, network_id, &id)
}

/// Changes a member's dates.
pub fn update_member(
    conn: &mut DbConnection,
    network_id: &str,
    id: &str,
    joined_on: Option<NaiveDate>,
    left_on: Option<NaiveDate>,
) -> ApiResult<Member> {
    let current = member(conn, network_id, id)?;
    diesel::update(network_members::table.find(id))
        .set((
            network_members::joined_on.eq(joined_on),
            network_members::left_on.eq(left_on),
            network_members::version.eq(current.version + 1),
            network_members::updated_at.eq(now()),
        ))
        .execute(conn)?;
    touch(conn, network_id)?;
    member(conn, network_id, id)
}

/// Removes a member row (use `left_on` to keep the history instead).
pub fn remove_member(conn: &mut DbConnection, network_id: &str, id: &str) -> ApiResult<()> {
    member(conn, network_id, id)?;
    diesel::delete(network_members::table.find(id)).execute(conn)?;
    touch(conn, network_id)
}

/// A participant row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = network_participants)]
pub struct Participant {
    pub id: String,
    pub network_id: String,
    pub person_id: String,
    pub role: String,
    pub on_behalf_of_organization_id: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The network's participants with their names, ordered by role then name.
pub fn participants(
    conn: &mut DbConnection,
    network_id: &str,
) -> ApiResult<Vec<(Participant, String)>> {
    Ok(network_participants::table
        .inner_join(people::table.on(people::id.eq(network_participants::person_id)))
        .filter(network_participants::network_id.eq(network_id))
        .order((network_participants::role.asc(), people::name.asc()))
        .select((Participant::as_select(), people::name))
        .load(conn)?)
}

/// One participant row of the network.
pub fn participant(conn: &mut DbConnection, network_id: &str, id: &str) -> ApiResult<Participant> {
    Ok(network_participants::table
        .filter(network_participants::network_id.eq(network_id))
        .filter(network_participants::id.eq(id))
        .select(Participant::as_select())
        .first(conn)?)
}

/// Adds a person to the network; 409 if they take part already.
pub fn add_participant(
    conn: &mut DbConnection,
    network_id: &str,
    person_id: &str,
    role: ParticipantRole,
    on_behalf_of: Option<&str>,
) -> ApiResult<Participant> {
    crate::models::person::find(conn, person_id)
        .map_err(|_| ApiError::invalid_field("person_id", "no such person"))?;
    if let Some(org) = on_behalf_of {
        crate::models::organization::require_live(conn, org, "on_behalf_of_organization_id")?;
    }
    let exists: i64 = network_participants::table
        .filter(network_participants::network_id.eq(network_id))
        .filter(network_participants::person_id.eq(person_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(ApiError::conflict("the person takes part already"));
    }
    let id = new_id();
    let at = now();
    diesel::insert_into(network_participants::table)
        .values((
            network_participants::id.eq(&id),
            network_participants::network_id.eq(network_id),
            network_participants::person_id.eq(person_id),
            network_participants::role.eq(role.as_str()),
            network_participants::on_behalf_of_organization_id.eq(on_behalf_of),
            network_participants::version.eq(1),
            network_participants::created_at.eq(at),
            network_participants::updated_at.eq(at),
        ))
        .execute(conn)?;
    touch(conn, network_id)?;
    participant(conn, network_id, &id)
}

/// Changes a participant's role or the organization they represent.
pub fn update_participant(
    conn: &mut DbConnection,
    network_id: &str,
    id: &str,
    role: ParticipantRole,
    on_behalf_of: Option<&str>,
) -> ApiResult<Participant> {
    let current = participant(conn, network_id, id)?;
    if let Some(org) = on_behalf_of {
        crate::models::organization::require_live(conn, org, "on_behalf_of_organization_id")?;
    }
    diesel::update(network_participants::table.find(id))
        .set((
            network_participants::role.eq(role.as_str()),
            network_participants::on_behalf_of_organization_id.eq(on_behalf_of),
            network_participants::version.eq(current.version + 1),
            network_participants::updated_at.eq(now()),
        ))
        .execute(conn)?;
    touch(conn, network_id)?;
    participant(conn, network_id, id)
}

/// Removes a participant.
pub fn remove_participant(conn: &mut DbConnection, network_id: &str, id: &str) -> ApiResult<()> {
    participant(conn, network_id, id)?;
    diesel::delete(network_participants::table.find(id)).execute(conn)?;
    touch(conn, network_id)
}
