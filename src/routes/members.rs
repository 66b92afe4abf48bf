//! `/api/v1/networks/{id}/members`: the organizations that are members of a network.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Validator;
use crate::kit::body::nullable;
use crate::kit::collection::{Item, SubCollection};
use crate::models::membership::{Member, MemberDates, Members, NewMember};
use crate::routes::{utc, uuid};

/// A member organization of a network.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8600-0000-7000-8000-000000000010",
    "network_id": "019a8600-0000-7000-8000-000000000001",
    "organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "joined_on": "2019-01-15",
    "left_on": null,
    "version": 1,
    "created_at": "2026-11-24T08:30:00Z",
    "updated_at": "2026-11-24T08:30:00Z"
}))]
pub struct MemberDto {
    pub id: Uuid,
    pub network_id: Uuid,
    pub organization_id: Uuid,
    pub joined_on: Option<NaiveDate>,
    /// When it left; a member with a past `left_on` no longer sees restricted content.
    pub left_on: Option<NaiveDate>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new member organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1", "joined_on": "2020-01-01"}))]
pub struct AddMember {
    #[schema(value_type = Uuid)]
    pub organization_id: String,
    pub joined_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
}

/// A change to a membership's dates; `null` clears one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"left_on": "2021-06-30"}))]
pub struct UpdateMember {
    #[serde(default, deserialize_with = "nullable")]
    pub joined_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub left_on: Option<Option<NaiveDate>>,
}

fn dates(
    v: &mut Validator,
    joined_on: Option<NaiveDate>,
    left_on: Option<NaiveDate>,
) -> MemberDates {
    if let (Some(j), Some(l)) = (joined_on, left_on) {
        v.check(l >= j, "left_on", "must not be before joined_on");
    }
    MemberDates { joined_on, left_on }
}

/// The member organizations of a network, as clients see them.
pub struct MembersApi;

impl SubCollection for MembersApi {
    type Store = Members;
    type Create = AddMember;
    type Update = UpdateMember;
    type Dto = MemberDto;

    const PARENT: &'static str = "network";
    const ITEM: &'static str = "member";
    const SEGMENT: &'static str = "members";
    const PARENT_SEGMENT: &'static str = "networks";

    fn new_item(v: &mut Validator, body: AddMember) -> NewMember {
        NewMember {
            organization_id: crate::validation::uuid(v, "organization_id", &body.organization_id),
            dates: dates(v, body.joined_on, body.left_on),
        }
    }

    fn change(v: &mut Validator, current: &Member, body: UpdateMember) -> MemberDates {
        dates(
            v,
            body.joined_on.unwrap_or(current.joined_on),
            body.left_on.unwrap_or(current.left_on),
        )
    }

    fn dto(m: Item<Self>) -> MemberDto {
        MemberDto {
            id: uuid(&m.id),
            network_id: uuid(&m.network_id),
            organization_id: uuid(&m.organization_id),
            joined_on: m.joined_on,
            left_on: m.left_on,
            version: m.version,
            created_at: utc(m.created_at),
            updated_at: utc(m.updated_at),
        }
    }

    fn key(m: &Item<Self>) -> String {
        m.id.clone()
    }
}

crate::sub_collection_routes!(
    MembersApi,
    tag = "networks",
    path = "/networks/{id}/members",
    item_path = "/networks/{id}/members/{member_id}",
    parent = "The network's id",
    item = ("member_id", "The membership's id"),
    dto = MemberDto,
    create = AddMember,
    update = UpdateMember,
    list = (
        list_members,
        "List a network's member organizations, current and former.",
        "The members, current and former"
    ),
    add = (
        add_member,
        "Add a member organization (coordinators and admins)."
    ),
    change = (
        update_member,
        "Change a membership's dates (coordinators and admins)."
    ),
    remove = (
        remove_member,
        "Remove a member organization (coordinators and admins). To keep the history, set `left_on` instead."
    ),
);
