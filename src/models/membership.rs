//! Who belongs to a network: its member organizations (with the dates they joined and
//! left) and its participating people (coordinators and members). Both are versioned
//! sub-collections of the network.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{network_members, network_participants, people};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::network::{self, Network};
use crate::models::store::{ItemStore, Pick};
use crate::pagination::{Page, Slice};
use crate::policy::{Managed, ParticipantRole};

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

/// A participant row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = network_participants)]
pub struct Participant {
    pub id: String,
    pub network_id: String,
    pub person_id: String,
    pub role: ParticipantRole,
    pub on_behalf_of_organization_id: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A participant with the person's name, as served.
#[derive(Debug, Clone)]
pub struct NamedParticipant {
    pub row: Participant,
    pub name: String,
}

crate::versioned!(Member, Participant);

impl crate::db::Versioned for NamedParticipant {
    fn version(&self) -> i32 {
        self.row.version
    }
}

/// A membership's dates, validated.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = network_members, treat_none_as_null = true)]
pub struct MemberDates {
    pub joined_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
}

/// A new member organization, validated.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub organization_id: String,
    pub dates: MemberDates,
}

/// A new participant, validated.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = network_participants)]
pub struct NewParticipant {
    pub person_id: String,
    pub role: ParticipantRole,
    pub on_behalf_of_organization_id: Option<String>,
}

/// A participant's role and whom they represent, validated.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = network_participants, treat_none_as_null = true)]
pub struct ParticipantChange {
    pub role: ParticipantRole,
    pub on_behalf_of_organization_id: Option<String>,
}

/// Inserts a participant (also the first coordinator of a new network); 409 if the
/// person takes part already.
/// Creates a network; the creator's person becomes its first coordinator.
pub fn create_network(
    conn: &mut DbConnection,
    fields: network::NetworkFields,
    creator_person_id: &str,
) -> ApiResult<Network> {
    let created = network::create(conn, fields)?;
    insert_participant(
        conn,
        &created.id,
        &NewParticipant {
            person_id: creator_person_id.to_string(),
            role: ParticipantRole::Coordinator,
            on_behalf_of_organization_id: None,
        },
    )?;
    Ok(created)
}

fn insert_participant(
    conn: &mut DbConnection,
    network_id: &str,
    new: &NewParticipant,
) -> ApiResult<Participant> {
    crate::models::person::require_live(conn, &new.person_id, "person_id")?;
    if let Some(org) = &new.on_behalf_of_organization_id {
        crate::models::organization::require_live(conn, org, "on_behalf_of_organization_id")?;
    }
    let exists: i64 = network_participants::table
        .filter(network_participants::network_id.eq(network_id))
        .filter(network_participants::person_id.eq(&new.person_id))
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
            new,
            network_participants::version.eq(1),
            network_participants::created_at.eq(at),
            network_participants::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(network_participants::table
        .find(&id)
        .select(Participant::as_select())
        .first(conn)?)
}

/// The member organizations of a network.
pub struct Members;

impl ItemStore for Members {
    type Parent = Network;
    type Item = Member;
    type New = NewMember;
    type Change = MemberDates;

    fn items(conn: &mut DbConnection, parent: &Network, slice: &Slice) -> ApiResult<Page<Member>> {
        crate::items_by_id!(conn, network_members, network_id = parent.id, Member, slice)
    }

    fn item(conn: &mut DbConnection, parent: &Network, id: &str) -> ApiResult<Member> {
        Ok(network_members::table
            .filter(network_members::network_id.eq(&parent.id))
            .filter(network_members::id.eq(id))
            .select(Member::as_select())
            .first(conn)?)
    }

    fn add(
        conn: &mut DbConnection,
        parent: &Managed<Network>,
        new: NewMember,
    ) -> ApiResult<Member> {
        crate::models::organization::require_live(conn, &new.organization_id, "organization_id")?;
        let exists: i64 = network_members::table
            .filter(network_members::network_id.eq(&parent.id))
            .filter(network_members::organization_id.eq(&new.organization_id))
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
                network_members::network_id.eq(&parent.id),
                network_members::organization_id.eq(&new.organization_id),
                new.dates,
                network_members::version.eq(1),
                network_members::created_at.eq(at),
                network_members::updated_at.eq(at),
            ))
            .execute(conn)?;
        network::touch(conn, parent)?;
        Self::item(conn, parent, &id)
    }

    fn change(
        conn: &mut DbConnection,
        parent: &Managed<Network>,
        item: &Member,
        change: MemberDates,
    ) -> ApiResult<Member> {
        crate::write_versioned!(conn, network_members, item, change)?;
        network::touch(conn, parent)?;
        Self::item(conn, parent, &item.id)
    }

    fn remove(conn: &mut DbConnection, parent: &Managed<Network>, item: &Member) -> ApiResult<()> {
        diesel::delete(
            network_members::table
                .filter(network_members::id.eq(&item.id))
                .filter(network_members::version.eq(item.version)),
        )
        .execute(conn)?;
        network::touch(conn, parent)
    }
}

/// The participating people of a network.
pub struct Participants;

/// The participants of a network with their names, by role and name.
fn named(
    conn: &mut DbConnection,
    network_id: &str,
    which: Pick<'_>,
) -> ApiResult<Vec<NamedParticipant>> {
    use network_participants as p;
    let mut query = p::table
        .inner_join(people::table.on(people::id.eq(p::person_id)))
        .filter(p::network_id.eq(network_id.to_string()))
        .select((Participant::as_select(), people::name))
        .order((p::role.asc(), people::name.asc(), p::id.asc()))
        .into_boxed();
    match which {
        Pick::All => {}
        Pick::One(id) => query = query.filter(p::id.eq(id.to_string())),
        Pick::Page(slice) => {
            if let Some([role, name, id]) = slice.after::<3>()? {
                query = query.filter(
                    p::role.gt(role.clone()).or(p::role.eq(role.clone()).and(
                        people::name
                            .gt(name.clone())
                            .or(people::name.eq(name).and(p::id.gt(id))),
                    )),
                );
            }
            query = query.limit(slice.fetch());
        }
    }
    Ok(query
        .load::<(Participant, String)>(conn)?
        .into_iter()
        .map(|(row, name)| NamedParticipant { row, name })
        .collect())
}

impl ItemStore for Participants {
    type Parent = Network;
    type Item = NamedParticipant;
    type New = NewParticipant;
    type Change = ParticipantChange;

    fn items(
        conn: &mut DbConnection,
        parent: &Network,
        slice: &Slice,
    ) -> ApiResult<Page<NamedParticipant>> {
        let rows = named(conn, &parent.id, Pick::Page(slice))?;
        Ok(slice.page(rows, |p| {
            vec![
                p.row.role.as_str().to_string(),
                p.name.clone(),
                p.row.id.clone(),
            ]
        }))
    }

    fn item(conn: &mut DbConnection, parent: &Network, id: &str) -> ApiResult<NamedParticipant> {
        named(conn, &parent.id, Pick::One(id))?
            .pop()
            .ok_or_else(ApiError::not_found)
    }

    fn add(
        conn: &mut DbConnection,
        parent: &Managed<Network>,
        new: NewParticipant,
    ) -> ApiResult<NamedParticipant> {
        let row = insert_participant(conn, &parent.id, &new)?;
        network::touch(conn, parent)?;
        Self::item(conn, parent, &row.id)
    }

    fn change(
        conn: &mut DbConnection,
        parent: &Managed<Network>,
        item: &NamedParticipant,
        change: ParticipantChange,
    ) -> ApiResult<NamedParticipant> {
        if let Some(org) = &change.on_behalf_of_organization_id {
            crate::models::organization::require_live(conn, org, "on_behalf_of_organization_id")?;
        }
        crate::write_versioned!(conn, network_participants, item.row, change)?;
        network::touch(conn, parent)?;
        Self::item(conn, parent, &item.row.id)
    }

    fn remove(
        conn: &mut DbConnection,
        parent: &Managed<Network>,
        item: &NamedParticipant,
    ) -> ApiResult<()> {
        diesel::delete(
            network_participants::table
                .filter(network_participants::id.eq(&item.row.id))
                .filter(network_participants::version.eq(item.row.version)),
        )
        .execute(conn)?;
        network::touch(conn, parent)
    }
}

/// The member organizations of a network, current and former, for reports.
/// Every participant of a network.
pub fn participants_of(
    conn: &mut DbConnection,
    network_id: &str,
) -> ApiResult<Vec<NamedParticipant>> {
    named(conn, network_id, Pick::All)
}

pub fn members_of(conn: &mut DbConnection, network_id: &str) -> ApiResult<Vec<Member>> {
    Ok(network_members::table
        .filter(network_members::network_id.eq(network_id))
        .order(network_members::id.asc())
        .select(Member::as_select())
        .load(conn)?)
}
