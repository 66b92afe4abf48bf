//! `/api/v1/networks/{id}/participants`: the people who take part in a network, as
//! coordinators or members.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Validator;
use crate::kit::body::{not_null, nullable};
use crate::kit::collection::{Item, SubCollection};
use crate::models::membership::{NewParticipant, ParticipantChange, Participants};
use crate::policy::ParticipantRole;
use crate::routes::{utc, uuid};
use crate::validation;

/// A person taking part in a network.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8600-0000-7000-8000-000000000020",
    "network_id": "019a8600-0000-7000-8000-000000000001",
    "person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c",
    "name": "Cecilia Axelsson",
    "role": "coordinator",
    "on_behalf_of_organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "version": 1,
    "created_at": "2026-11-24T08:30:00Z",
    "updated_at": "2026-11-24T08:30:00Z"
}))]
pub struct ParticipantDto {
    pub id: Uuid,
    pub network_id: Uuid,
    pub person_id: Uuid,
    /// The person's name, for display.
    pub name: String,
    pub role: ParticipantRole,
    pub on_behalf_of_organization_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new participant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c", "role": "member", "on_behalf_of_organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"}))]
pub struct AddParticipant {
    #[schema(value_type = Uuid)]
    pub person_id: String,
    /// Default `member`.
    #[schema(value_type = Option<ParticipantRole>)]
    pub role: Option<String>,
    #[schema(value_type = Option<Uuid>)]
    pub on_behalf_of_organization_id: Option<String>,
}

/// A change to a participant; `null` clears whom they represent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "coordinator"}))]
pub struct UpdateParticipant {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = ParticipantRole)]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub on_behalf_of_organization_id: Option<Option<String>>,
}

/// The participants of a network, as clients see them.
pub struct ParticipantsApi;

impl SubCollection for ParticipantsApi {
    type Store = Participants;
    type Create = AddParticipant;
    type Update = UpdateParticipant;
    type Dto = ParticipantDto;

    const PARENT: &'static str = "network";
    const ITEM: &'static str = "participant";
    const SEGMENT: &'static str = "participants";
    const PARENT_SEGMENT: &'static str = "networks";

    fn new_item(v: &mut Validator, body: AddParticipant) -> NewParticipant {
        NewParticipant {
            person_id: validation::uuid(v, "person_id", &body.person_id),
            role: validation::optional_choice(v, "role", body.role.as_deref())
                .unwrap_or(ParticipantRole::Member),
            on_behalf_of_organization_id: body
                .on_behalf_of_organization_id
                .map(|o| validation::uuid(v, "on_behalf_of_organization_id", &o)),
        }
    }

    fn change(
        v: &mut Validator,
        current: &Item<Self>,
        body: UpdateParticipant,
    ) -> ParticipantChange {
        ParticipantChange {
            role: validation::optional_choice(v, "role", body.role.as_deref())
                .unwrap_or(current.row.role),
            on_behalf_of_organization_id: match body.on_behalf_of_organization_id {
                Some(org) => org.map(|o| validation::uuid(v, "on_behalf_of_organization_id", &o)),
                None => current.row.on_behalf_of_organization_id.clone(),
            },
        }
    }

    fn dto(p: Item<Self>) -> ParticipantDto {
        let (row, name) = (p.row, p.name);
        ParticipantDto {
            id: uuid(&row.id),
            network_id: uuid(&row.network_id),
            person_id: uuid(&row.person_id),
            name,
            role: row.role,
            on_behalf_of_organization_id: row.on_behalf_of_organization_id.as_deref().map(uuid),
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }

    fn key(p: &Item<Self>) -> String {
        p.row.id.clone()
    }
}

crate::sub_collection_routes!(
    ParticipantsApi,
    tag = "networks",
    path = "/networks/{id}/participants",
    item_path = "/networks/{id}/participants/{participant_id}",
    parent = "The network's id",
    item = ("participant_id", "The participant's id"),
    dto = ParticipantDto,
    create = AddParticipant,
    update = UpdateParticipant,
    list = (
        list_participants,
        "List a network's participants, coordinators first.",
        "The participants, coordinators first"
    ),
    add = (
        add_participant,
        "Add a participant (coordinators and admins)."
    ),
    change = (
        update_participant,
        "Change a participant's role or whom they represent (coordinators and admins)."
    ),
    remove = (
        remove_participant,
        "Remove a participant (coordinators and admins)."
    ),
);
