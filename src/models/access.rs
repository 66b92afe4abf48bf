//! Who may see and change what: the viewer, visibility, and the network roles that
//! decide access to a network's content.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{network_members, network_participants};
use crate::error::ApiResult;

pub use crate::policy::{ParticipantRole, Visibility};

/// The caller, as the access rules see them; anonymous when `user_id` is `None`.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user_id: Option<String>,
    pub person_id: Option<String>,
    pub organization_id: Option<String>,
    pub admin: bool,
}

impl Viewer {
    /// Whether anyone is signed in.
    pub fn signed_in(&self) -> bool {
        self.user_id.is_some()
    }
}

/// What the viewer may do with one network's content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NetworkRole {
    /// Their organization is a current member.
    pub member_organization: bool,
    /// They take part as a person (coordinator or member).
    pub participant: bool,
    /// They coordinate it.
    pub coordinator: bool,
    /// They are an admin.
    pub admin: bool,
}

impl NetworkRole {
    /// Sees restricted content and meeting links.
    pub fn insider(&self) -> bool {
        self.admin || self.member_organization || self.participant
    }

    /// Manages meetings, agenda, attendance, series and the network itself.
    pub fn manages(&self) -> bool {
        self.admin || self.coordinator
    }

    /// Whether content with `visibility` is visible to this viewer.
    pub fn can_see(&self, visibility: &str, viewer: &Viewer) -> bool {
        can_see(visibility, viewer, self.insider())
    }
}

/// The visibility rule: public to all, internal to the signed in, restricted to insiders.
pub fn can_see(visibility: &str, viewer: &Viewer, insider: bool) -> bool {
    viewer.admin
        || insider
        || visibility == Visibility::Public.as_str()
        || (visibility == Visibility::Internal.as_str() && viewer.signed_in())
}

/// The viewer's role in a network, as of `today`.
pub fn network_role(
    conn: &mut DbConnection,
    viewer: &Viewer,
    network_id: &str,
    today: NaiveDate,
) -> ApiResult<NetworkRole> {
    let mut role = NetworkRole {
        admin: viewer.admin,
        ..Default::default()
    };
    if let Some(org) = &viewer.organization_id {
        let members: i64 = network_members::table
            .filter(network_members::network_id.eq(network_id))
            .filter(network_members::organization_id.eq(org))
            .filter(
                network_members::left_on
                    .is_null()
                    .or(network_members::left_on.gt(today)),
            )
            .count()
            .get_result(conn)?;
        role.member_organization = members > 0;
    }
    if let Some(person) = &viewer.person_id {
        let roles: Vec<ParticipantRole> = network_participants::table
            .filter(network_participants::network_id.eq(network_id))
            .filter(network_participants::person_id.eq(person))
            .select(network_participants::role)
            .load(conn)?;
        role.participant = !roles.is_empty();
        role.coordinator = roles.contains(&ParticipantRole::Coordinator);
    }
    Ok(role)
}

/// The ids of the networks where the viewer is an insider (member organization or participant).
pub fn insider_networks(
    conn: &mut DbConnection,
    viewer: &Viewer,
    today: NaiveDate,
) -> ApiResult<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    if let Some(org) = &viewer.organization_id {
        ids.extend(
            network_members::table
                .filter(network_members::organization_id.eq(org))
                .filter(
                    network_members::left_on
                        .is_null()
                        .or(network_members::left_on.gt(today)),
                )
                .select(network_members::network_id)
                .load::<String>(conn)?,
        );
    }
    if let Some(person) = &viewer.person_id {
        ids.extend(
            network_participants::table
                .filter(network_participants::person_id.eq(person))
                .select(network_participants::network_id)
                .load::<String>(conn)?,
        );
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// Legacy: the network and the viewer's role; 404 unless visible (until the callers
/// move to the policy).
pub fn network_find_visible(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
    today: NaiveDate,
) -> ApiResult<(crate::models::network::Network, NetworkRole)> {
    let network = crate::models::network::find_unchecked(conn, id)?;
    let role = network_role(conn, viewer, id, today)?;
    if role.can_see(network.visibility.as_str(), viewer) {
        Ok((network, role))
    } else {
        Err(crate::error::ApiError::not_found())
    }
}

/// Legacy: like [`network_find_visible`], and 403 unless the viewer manages it.
pub fn network_find_managed(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
    today: NaiveDate,
) -> ApiResult<crate::models::network::Network> {
    let (network, role) = network_find_visible(conn, viewer, id, today)?;
    if role.manages() {
        Ok(network)
    } else {
        Err(crate::error::ApiError::forbidden(
            "only the network's coordinators (and admins) may do this",
        ))
    }
}

/// Legacy: the ids of every live network the viewer may see.
pub fn network_visible_ids(
    conn: &mut DbConnection,
    viewer: &Viewer,
    today: NaiveDate,
) -> ApiResult<Vec<String>> {
    use crate::db::schema::networks;
    let mut query = networks::table
        .filter(networks::deleted_at.is_null())
        .select(networks::id)
        .into_boxed();
    if !viewer.admin {
        let insider = insider_networks(conn, viewer, today)?;
        let mut open = vec![Visibility::Public];
        if viewer.signed_in() {
            open.push(Visibility::Internal);
        }
        query = query.filter(
            networks::visibility
                .eq_any(open)
                .or(networks::id.eq_any(insider)),
        );
    }
    Ok(query.load(conn)?)
}
