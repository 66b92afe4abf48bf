//! `/api/v1/meetings/{id}/agenda-items`: the agenda, kept numbered 1..n.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Validator;
use crate::kit::body::{not_null, nullable};
use crate::kit::collection::{Item, SubCollection};
use crate::models::agenda::{Agenda, AgendaChange, AgendaFields, AgendaItem, NewAgendaItem};
use crate::routes::{utc, uuid};
use crate::validation;

/// An agenda item.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8700-0000-7000-8000-000000000101",
    "meeting_id": "019a8700-0000-7000-8000-000000000001",
    "position": 2,
    "title": "Gruppdialog – erfarenheter av pågående situation",
    "description": "Vilka konsekvenser kommer situationen att få på sikt för våra verksamheter?",
    "presenter_person_id": null,
    "duration_minutes": 60,
    "theme_id": null,
    "version": 1,
    "created_at": "2026-11-24T08:30:00Z",
    "updated_at": "2026-11-24T08:30:00Z"
}))]
pub struct AgendaItemDto {
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// 1, 2, …; no gaps, no duplicates.
    pub position: i32,
    pub title: String,
    pub description: Option<String>,
    pub presenter_person_id: Option<Uuid>,
    pub duration_minutes: Option<i32>,
    /// The theme this item takes up, if it was scheduled from one.
    pub theme_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<AgendaItem> for AgendaItemDto {
    fn from(a: AgendaItem) -> Self {
        Self {
            id: uuid(&a.id),
            meeting_id: uuid(&a.meeting_id),
            position: a.position,
            presenter_person_id: a.presenter_person_id.as_deref().map(uuid),
            theme_id: a.theme_id.as_deref().map(uuid),
            title: a.title,
            description: a.description,
            duration_minutes: a.duration_minutes,
            version: a.version,
            created_at: utc(a.created_at),
            updated_at: utc(a.updated_at),
        }
    }
}

/// A new agenda item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Information från GR", "position": 3, "duration_minutes": 30}))]
pub struct CreateAgendaItem {
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: String,
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    #[schema(value_type = Option<Uuid>)]
    pub presenter_person_id: Option<String>,
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: Option<i32>,
    /// Where to insert it (1 = first); the items from there on move down. Default: last.
    #[schema(minimum = 1, maximum = 1000)]
    pub position: Option<i32>,
}

/// A change to an agenda item; `position` moves it, renumbering the others.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"position": 1}))]
pub struct UpdateAgendaItem {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 20000)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub presenter_person_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: Option<Option<i32>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = i32, minimum = 1, maximum = 1000)]
    pub position: Option<i32>,
}

fn check_agenda(v: &mut Validator, fields: &mut AgendaFields, position: Option<i32>) {
    fields.title = validation::text(v, "title", &fields.title, 1, 300);
    fields.description =
        validation::optional_text(v, "description", fields.description.as_deref(), 20_000);
    if let Some(p) = &fields.presenter_person_id {
        fields.presenter_person_id = Some(validation::uuid(v, "presenter_person_id", p));
    }
    if let Some(d) = fields.duration_minutes {
        v.check(
            (1..=1440).contains(&d),
            "duration_minutes",
            "must be between 1 and 1440",
        );
    }
    if let Some(p) = position {
        v.check(
            (1..=1000).contains(&p),
            "position",
            "must be between 1 and 1000",
        );
    }
}

/// The agenda of a meeting, as clients see it.
pub struct AgendaApi;

impl SubCollection for AgendaApi {
    type Store = Agenda;
    type Create = CreateAgendaItem;
    type Update = UpdateAgendaItem;
    type Dto = AgendaItemDto;

    const PARENT: &'static str = "meeting";
    const ITEM: &'static str = "agenda";
    const SEGMENT: &'static str = "agenda-items";
    const PARENT_SEGMENT: &'static str = "meetings";

    fn new_item(v: &mut Validator, body: CreateAgendaItem) -> NewAgendaItem {
        let mut fields = AgendaFields {
            title: body.title,
            description: body.description,
            presenter_person_id: body.presenter_person_id,
            duration_minutes: body.duration_minutes,
            theme_id: None,
        };
        check_agenda(v, &mut fields, body.position);
        NewAgendaItem {
            position: body.position,
            fields,
        }
    }

    fn change(v: &mut Validator, current: &AgendaItem, body: UpdateAgendaItem) -> AgendaChange {
        let mut fields = AgendaFields {
            title: body.title.unwrap_or(current.title.clone()),
            description: body.description.unwrap_or(current.description.clone()),
            presenter_person_id: body
                .presenter_person_id
                .unwrap_or(current.presenter_person_id.clone()),
            duration_minutes: body.duration_minutes.unwrap_or(current.duration_minutes),
            theme_id: current.theme_id.clone(),
        };
        check_agenda(v, &mut fields, body.position);
        AgendaChange {
            position: body.position,
            fields,
        }
    }

    fn dto(a: Item<Self>) -> AgendaItemDto {
        AgendaItemDto::from(a)
    }

    fn key(a: &Item<Self>) -> String {
        a.id.clone()
    }
}

crate::sub_collection_routes!(
    AgendaApi,
    tag = "meetings",
    path = "/meetings/{id}/agenda-items",
    item_path = "/meetings/{id}/agenda-items/{item_id}",
    parent = "The meeting's id",
    item = ("item_id", "The agenda item's id"),
    dto = AgendaItemDto,
    create = CreateAgendaItem,
    update = UpdateAgendaItem,
    list = (
        list_agenda_items,
        "The meeting's agenda, in order.",
        "The agenda items by position"
    ),
    add = (
        create_agenda_item,
        "Add an agenda item, at a position or last; the items from there on move down (coordinators and admins)."
    ),
    change = (
        update_agenda_item,
        "Change or move an agenda item; the others are renumbered (coordinators and admins)."
    ),
    remove = (
        delete_agenda_item,
        "Remove an agenda item; the items after it move up (coordinators and admins)."
    ),
);
