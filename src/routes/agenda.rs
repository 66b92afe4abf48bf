//! `/api/v1/meetings/{id}/agenda-items`: the agenda, kept numbered 1..n.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, MaybeAuthUser};
use crate::db::Db;
use crate::error::{ApiResult, Validator};
use crate::etag::IfMatch;
use crate::kit::body::{Json, not_null, nullable};
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::models::audit;
use crate::models::meeting::{self as model, AgendaFields, AgendaItem};
use crate::pagination::List;
use crate::routes::{ok_with_etag, path_id, today, utc, uuid};
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

/// The meeting's agenda, in order.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The agenda items by position", body = List<AgendaItemDto>))
)]
#[get("/meetings/{id}/agenda-items")]
pub async fn list_agenda_items(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let items = db
        .read(move |conn| {
            model::find_visible(conn, &viewer, &id, today())?;
            model::agenda(conn, &id)
        })
        .await?;
    let data: Vec<AgendaItemDto> = items.into_iter().map(AgendaItemDto::from).collect();
    Ok(HttpResponse::Ok().json(List::all(data, &req)))
}

/// Add an agenda item, at a position or last (coordinators and admins).
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = CreateAgendaItem,
    security(("bearer" = [])),
    responses((status = 201, description = "Added; later items moved down", body = AgendaItemDto,
        headers(("Location" = String, description = "The item's address"))))
)]
#[post("/meetings/{id}/agenda-items")]
pub async fn create_agenda_item(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: Json<CreateAgendaItem>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let input = body.body;
    let mut v = Validator::new();
    let mut fields = AgendaFields {
        title: input.title,
        description: input.description,
        presenter_person_id: input.presenter_person_id,
        duration_minutes: input.duration_minutes,
        theme_id: None,
    };
    check_agenda(&mut v, &mut fields, input.position);
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let operation = format!("POST /meetings/{id}/agenda-items");
    idempotency::create(
        &db,
        &auth,
        key,
        &operation,
        Some(&body.canonical),
        move |conn| {
            model::find_managed(conn, &viewer, &id, today())?;
            let item = model::add_agenda_item(conn, &id, input.position, &fields)?;
            audit::record(
                conn,
                &actor,
                "meeting.agenda_add",
                "meeting",
                Some(&id),
                "success",
            )?;
            Ok(Created::new(
                format!("/api/v1/meetings/{id}/agenda-items/{}", item.id),
                item.version,
                &AgendaItemDto::from(item),
            ))
        },
    )
    .await
}

/// Change or move an agenda item (coordinators and admins).
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id"), ("item_id" = Uuid, Path, description = "The agenda item's id")),
    request_body = UpdateAgendaItem,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed item", body = AgendaItemDto, headers(("ETag" = String, description = "Its new version"))))
)]
#[patch("/meetings/{id}/agenda-items/{item_id}")]
pub async fn update_agenda_item(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Json<UpdateAgendaItem>,
) -> ApiResult<HttpResponse> {
    let (id, item_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let change = body.body;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let item = db
        .write(move |conn| {
            model::find_managed(conn, &viewer, &id, today())?;
            let current = model::agenda_item(conn, &id, &item_id)?;
            let mut fields = AgendaFields {
                title: change.title.unwrap_or(current.title.clone()),
                description: change.description.unwrap_or(current.description.clone()),
                presenter_person_id: change
                    .presenter_person_id
                    .unwrap_or(current.presenter_person_id.clone()),
                duration_minutes: change.duration_minutes.unwrap_or(current.duration_minutes),
                theme_id: current.theme_id.clone(),
            };
            let mut v = Validator::new();
            check_agenda(&mut v, &mut fields, change.position);
            v.finish()?;
            if_match.check(current.version)?;
            let item = model::update_agenda_item(
                conn,
                &id,
                &item_id,
                Some(current.version),
                change.position,
                &fields,
            )?;
            audit::record(
                conn,
                &actor,
                "meeting.agenda_update",
                "meeting",
                Some(&id),
                "success",
            )?;
            Ok(item)
        })
        .await?;
    Ok(ok_with_etag(item.version, &AgendaItemDto::from(item)))
}

/// Remove an agenda item; the items after it move up (coordinators and admins).
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id"), ("item_id" = Uuid, Path, description = "The agenda item's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Removed"))
)]
#[delete("/meetings/{id}/agenda-items/{item_id}")]
pub async fn delete_agenda_item(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let (id, item_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let viewer = auth.viewer();
    let actor = auth.actor();
    db.write(move |conn| {
        model::find_managed(conn, &viewer, &id, today())?;
        model::remove_agenda_item(conn, &id, &item_id, if_match.expected_version())?;
        audit::record(
            conn,
            &actor,
            "meeting.agenda_remove",
            "meeting",
            Some(&id),
            "success",
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_agenda_items)
        .service(create_agenda_item)
        .service(update_agenda_item)
        .service(delete_agenda_item);
}
