//! `/api/v1/supervisory-dialogues/{id}/findings` and `…/follow-ups`: the parts of a
//! dialogue with ids of their own, added, changed and removed by the supervising
//! authority.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Validator;
use crate::kit::body::{not_null, nullable};
use crate::kit::collection::{Item, SubCollection};
use crate::models::dialogue_parts::{
    Finding, FindingFields, Findings, FollowUp, FollowUpFields, FollowUpStatus, FollowUps,
};
use crate::routes::uuid;
use crate::validation;

/// A finding of a dialogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8c00-0000-7000-8000-000000000101", "category": "kvalitet", "text": "Kommunerna har kommit olika långt med att säkerställa god kvalitet och säkerhet.", "version": 1}))]
pub struct FindingDto {
    pub id: Uuid,
    /// A grouping of the authority's choice, e.g. "kvalitet".
    pub category: Option<String>,
    pub text: String,
    /// Grows with every change (its `ETag`).
    pub version: i32,
}

impl From<Finding> for FindingDto {
    fn from(f: Finding) -> Self {
        Self {
            id: uuid(&f.id),
            category: f.category,
            text: f.text,
            version: f.version,
        }
    }
}

/// A follow-up of a dialogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8c00-0000-7000-8000-000000000201", "description": "Återföra lärdomar från tillsynen till kommunerna", "responsible_organization_id": "019a84f4-0000-7000-8000-00000000000a", "due_on": "2021-11-30", "status": "open", "version": 1}))]
pub struct FollowUpDto {
    pub id: Uuid,
    pub description: String,
    pub responsible_organization_id: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
    pub status: FollowUpStatus,
    /// Grows with every change (its `ETag`).
    pub version: i32,
}

impl From<FollowUp> for FollowUpDto {
    fn from(f: FollowUp) -> Self {
        Self {
            id: uuid(&f.id),
            responsible_organization_id: f.responsible_organization_id.as_deref().map(uuid),
            status: f.status,
            description: f.description,
            due_on: f.due_on,
            version: f.version,
        }
    }
}

/// A new finding.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"category": "kvalitet", "text": "Kommunerna har kommit olika långt."}))]
pub struct NewFinding {
    #[schema(max_length = 100)]
    pub category: Option<String>,
    #[schema(min_length = 1, max_length = 10000, pattern = "\\S")]
    pub text: String,
}

/// A change to a finding.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text": "Kommunerna har kommit olika långt med kvalitetsarbetet."}))]
pub struct UpdateFinding {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 100)]
    pub category: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 10000, pattern = "\\S")]
    pub text: Option<String>,
}

/// A new follow-up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"description": "Återföra lärdomar från tillsynen till kommunerna", "due_on": "2021-11-30"}))]
pub struct NewFollowUp {
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub description: String,
    #[schema(value_type = Option<Uuid>)]
    pub responsible_organization_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// Default `open`.
    #[schema(value_type = Option<FollowUpStatus>)]
    pub status: Option<String>,
}

/// A change to a follow-up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "done"}))]
pub struct UpdateFollowUp {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 5000, pattern = "\\S")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub responsible_organization_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub due_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = FollowUpStatus)]
    pub status: Option<String>,
}

/// Validates a new finding; `prefix` names where it sits in the request.
pub fn finding_fields(v: &mut Validator, prefix: &str, f: &NewFinding) -> FindingFields {
    FindingFields {
        category: validation::optional_text(
            v,
            &format!("{prefix}category"),
            f.category.as_deref(),
            100,
        ),
        text: validation::text(v, &format!("{prefix}text"), &f.text, 1, 10_000),
    }
}

/// Validates a new follow-up; `prefix` names where it sits in the request.
pub fn follow_up_fields(v: &mut Validator, prefix: &str, f: &NewFollowUp) -> FollowUpFields {
    FollowUpFields {
        description: validation::text(v, &format!("{prefix}description"), &f.description, 1, 5000),
        responsible_organization_id: f
            .responsible_organization_id
            .as_deref()
            .map(|o| validation::uuid(v, &format!("{prefix}responsible_organization_id"), o)),
        due_on: f.due_on,
        status: validation::optional_choice(v, &format!("{prefix}status"), f.status.as_deref())
            .unwrap_or(FollowUpStatus::Open),
    }
}

/// The findings of a dialogue, as clients see them.
pub struct FindingsApi;

impl SubCollection for FindingsApi {
    type Store = Findings;
    type Create = NewFinding;
    type Update = UpdateFinding;
    type Dto = FindingDto;

    const PARENT: &'static str = "supervisory_dialogue";
    const ITEM: &'static str = "finding";
    const SEGMENT: &'static str = "findings";
    const PARENT_SEGMENT: &'static str = "supervisory-dialogues";

    fn new_item(v: &mut Validator, body: NewFinding) -> FindingFields {
        finding_fields(v, "", &body)
    }

    fn change(v: &mut Validator, current: &Finding, body: UpdateFinding) -> FindingFields {
        FindingFields {
            category: match body.category {
                Some(c) => validation::optional_text(v, "category", c.as_deref(), 100),
                None => current.category.clone(),
            },
            text: match body.text {
                Some(t) => validation::text(v, "text", &t, 1, 10_000),
                None => current.text.clone(),
            },
        }
    }

    fn dto(f: Item<Self>) -> FindingDto {
        FindingDto::from(f)
    }

    fn key(f: &Item<Self>) -> String {
        f.id.clone()
    }
}

/// The follow-ups of a dialogue, as clients see them.
pub struct FollowUpsApi;

impl SubCollection for FollowUpsApi {
    type Store = FollowUps;
    type Create = NewFollowUp;
    type Update = UpdateFollowUp;
    type Dto = FollowUpDto;

    const PARENT: &'static str = "supervisory_dialogue";
    const ITEM: &'static str = "follow_up";
    const SEGMENT: &'static str = "follow-ups";
    const PARENT_SEGMENT: &'static str = "supervisory-dialogues";

    fn new_item(v: &mut Validator, body: NewFollowUp) -> FollowUpFields {
        follow_up_fields(v, "", &body)
    }

    fn change(v: &mut Validator, current: &FollowUp, body: UpdateFollowUp) -> FollowUpFields {
        FollowUpFields {
            description: match body.description {
                Some(d) => validation::text(v, "description", &d, 1, 5000),
                None => current.description.clone(),
            },
            responsible_organization_id: match body.responsible_organization_id {
                Some(o) => o.map(|o| validation::uuid(v, "responsible_organization_id", &o)),
                None => current.responsible_organization_id.clone(),
            },
            due_on: body.due_on.unwrap_or(current.due_on),
            status: validation::optional_choice(v, "status", body.status.as_deref())
                .unwrap_or(current.status),
        }
    }

    fn dto(f: Item<Self>) -> FollowUpDto {
        FollowUpDto::from(f)
    }

    fn key(f: &Item<Self>) -> String {
        f.id.clone()
    }
}

/// The findings' routes.
pub mod findings {
    use super::*;

    crate::sub_collection_routes!(
        FindingsApi,
        tag = "supervisory-dialogues",
        path = "/supervisory-dialogues/{id}/findings",
        item_path = "/supervisory-dialogues/{id}/findings/{finding_id}",
        parent = "The dialogue's id",
        item = ("finding_id", "The finding's id"),
        dto = FindingDto,
        create = NewFinding,
        update = UpdateFinding,
        list = (list_findings, "The dialogue's findings.", "The findings"),
        add = (
            add_finding,
            "Add a finding (the supervising authority, and admins)."
        ),
        change = (
            update_finding,
            "Change a finding (the supervising authority, and admins)."
        ),
        remove = (
            remove_finding,
            "Remove a finding (the supervising authority, and admins)."
        ),
    );
}

/// The follow-ups' routes.
pub mod follow_ups {
    use super::*;

    crate::sub_collection_routes!(
        FollowUpsApi,
        tag = "supervisory-dialogues",
        path = "/supervisory-dialogues/{id}/follow-ups",
        item_path = "/supervisory-dialogues/{id}/follow-ups/{follow_up_id}",
        parent = "The dialogue's id",
        item = ("follow_up_id", "The follow-up's id"),
        dto = FollowUpDto,
        create = NewFollowUp,
        update = UpdateFollowUp,
        list = (
            list_follow_ups,
            "The dialogue's follow-ups.",
            "The follow-ups"
        ),
        add = (
            add_follow_up,
            "Add a follow-up (the supervising authority, and admins)."
        ),
        change = (
            update_follow_up,
            "Change a follow-up, e.g. mark it done (the supervising authority, and admins)."
        ),
        remove = (
            remove_follow_up,
            "Remove a follow-up (the supervising authority, and admins)."
        ),
    );
}

/// Registers the handlers.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    findings::configure(cfg);
    follow_ups::configure(cfg);
}
