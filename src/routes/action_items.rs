//! `/api/v1/action-items`: what minutes handed out, across every network the caller may
//! see ("what do I owe whom?"); owners and coordinators update them.

use actix_web::{HttpRequest, HttpResponse, get, patch, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, MaybeAuthUser};
use crate::db::Db;
use crate::error::{ApiError, ApiResult, Validator};
use crate::etag::IfMatch;
use crate::kit::body::{Json, not_null, nullable};
use crate::models::action_item::{
    self as model, ActionFields, ActionFilter, ActionItem, ActionStatus,
};
use crate::models::{audit, meeting};
use crate::pagination::{Entry, List, ListQuery};
use crate::routes::{ok_with_etag, path_id, today, utc, uuid};
use crate::validation;

/// An action item.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8900-0000-7000-8000-000000000001",
    "meeting_id": "019a8700-0000-7000-8000-000000000001",
    "network_id": "019a8600-0000-7000-8000-000000000001",
    "title": "Skicka ut VGR:s dokument om att arbeta i kris till nätverket",
    "description": null,
    "owner_person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c",
    "owner_organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "due_on": "2020-05-22",
    "status": "open",
    "completed_at": null,
    "version": 1,
    "created_at": "2026-11-24T08:30:00Z",
    "updated_at": "2026-11-24T08:30:00Z"
}))]
pub struct ActionItemDto {
    pub id: Uuid,
    /// The meeting whose minutes handed it out.
    pub meeting_id: Uuid,
    pub network_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub owner_person_id: Option<Uuid>,
    pub owner_organization_id: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
    /// Set when it became `done`.
    pub completed_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ActionItem> for ActionItemDto {
    fn from(a: ActionItem) -> Self {
        Self {
            id: uuid(&a.id),
            meeting_id: uuid(&a.meeting_id),
            network_id: a.network_id.as_deref().map(uuid),
            owner_person_id: a.owner_person_id.as_deref().map(uuid),
            owner_organization_id: a.owner_organization_id.as_deref().map(uuid),
            status: ActionStatus::parse(&a.status).unwrap_or(ActionStatus::Open),
            completed_at: a.completed_at.map(utc),
            title: a.title,
            description: a.description,
            due_on: a.due_on,
            version: a.version,
            created_at: utc(a.created_at),
            updated_at: utc(a.updated_at),
        }
    }
}

/// Filters of the action item list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionQuery {
    pub owner_person_id: Option<Uuid>,
    pub owner_organization_id: Option<Uuid>,
    pub network_id: Option<Uuid>,
    pub status: Option<ActionStatus>,
    /// Only items due before this day.
    pub due_before: Option<NaiveDate>,
    /// `true`: only open items whose due date has passed.
    pub overdue: Option<bool>,
    /// `true`: only the items you own (your person).
    pub mine: Option<bool>,
}

/// A change to an action item. Its owner may change `status`; the network's
/// coordinators (and admins) may change everything.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "done"}))]
pub struct UpdateActionItem {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = ActionStatus)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 500, pattern = "\\S")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 5000)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_person_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_organization_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub due_on: Option<Option<NaiveDate>>,
}

/// List the action items of the meetings you may see.
#[utoipa::path(
    tag = "action-items",
    params(ListQuery, ActionQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of action items", body = List<Entry<ActionItemDto>>))
)]
#[get("/action-items")]
pub async fn list_action_items(
    auth: AuthUser,
    db: web::Data<Db>,
    list: web::Query<ListQuery>,
    query: web::Query<ActionQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = list.page()?;
    let viewer = auth.viewer();
    let mut filter = ActionFilter {
        owner_person_id: query.owner_person_id.map(|u| u.to_string()),
        owner_organization_id: query.owner_organization_id.map(|u| u.to_string()),
        network_id: query.network_id.map(|u| u.to_string()),
        status: query.status,
        due_before: query.due_before,
        overdue_on: query.overdue.unwrap_or(false).then(today),
    };
    if query.mine.unwrap_or(false) {
        filter.owner_person_id = Some(auth.user.person_id.clone());
    }
    let limit = page.limit;
    let result = db
        .read(move |conn| model::list(conn, &viewer, &page, &filter, today()))
        .await?;
    let data = result
        .rows
        .into_iter()
        .map(|a| match a.deleted_at {
            Some(at) => Entry::tombstone(&a.id, at),
            None => Entry::Live(ActionItemDto::from(a)),
        })
        .collect();
    Ok(HttpResponse::Ok().json(List::new(data, limit, result.next, &req)))
}

/// Get an action item.
#[utoipa::path(
    tag = "action-items",
    params(("id" = Uuid, Path, description = "The action item's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The action item", body = ActionItemDto, headers(("ETag" = String, description = "Its version"))))
)]
#[get("/action-items/{id}")]
pub async fn get_action_item(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let item = db
        .read(move |conn| {
            let item = model::find(conn, &id)?;
            meeting::find_visible(conn, &viewer, &item.meeting_id, today())?;
            Ok(item)
        })
        .await?;
    Ok(ok_with_etag(item.version, &ActionItemDto::from(item)))
}

/// Update an action item (`done` sets `completed_at`).
#[utoipa::path(
    tag = "action-items",
    params(("id" = Uuid, Path, description = "The action item's id")),
    request_body = UpdateActionItem,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed item", body = ActionItemDto, headers(("ETag" = String, description = "Its new version"))))
)]
#[patch("/action-items/{id}")]
pub async fn update_action_item(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: Json<UpdateActionItem>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let change = body.body;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let item = db
        .write(move |conn| {
            let current = model::find(conn, &id)?;
            let (_, access) = meeting::find_visible(conn, &viewer, &current.meeting_id, today())?;
            let owner = viewer.person_id.is_some() && current.owner_person_id == viewer.person_id;
            let only_status = change.title.is_none()
                && change.description.is_none()
                && change.owner_person_id.is_none()
                && change.owner_organization_id.is_none()
                && change.due_on.is_none();
            if !(access.manages || (owner && only_status)) {
                return Err(ApiError::forbidden(
                    "the owner may change the status; the network's coordinators may change everything",
                ));
            }
            let mut fields = ActionFields::of(&current);
            let mut v = Validator::new();
            if let Some(s) = &change.status {
                match ActionStatus::parse(s) {
                    Some(s) => fields.status = s,
                    None => {
                        v.add("status", ActionStatus::expected());
                    }
                }
            }
            if let Some(t) = &change.title {
                fields.title = validation::text(&mut v, "title", t, 1, 500);
            }
            if let Some(d) = change.description {
                fields.description = validation::optional_text(&mut v, "description", d.as_deref(), 5000);
            }
            if let Some(p) = change.owner_person_id {
                fields.owner_person_id = p.map(|p| validation::uuid(&mut v, "owner_person_id", &p));
            }
            if let Some(o) = change.owner_organization_id {
                fields.owner_organization_id = o.map(|o| validation::uuid(&mut v, "owner_organization_id", &o));
            }
            if let Some(d) = change.due_on {
                fields.due_on = d;
            }
            v.finish()?;
            if_match.check(current.version)?;
            let item = model::update(conn, &id, current.version, &fields)?;
            audit::record(conn, &actor, "action_item.update", "action_item", Some(&id), "success")?;
            Ok(item)
        })
        .await?;
    Ok(ok_with_etag(item.version, &ActionItemDto::from(item)))
}

/// The network's action items still open when this meeting starts: what the chair goes
/// through first.
#[utoipa::path(
    tag = "action-items",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The open items from earlier meetings of the network", body = List<ActionItemDto>))
)]
#[get("/meetings/{id}/open-action-items")]
pub async fn list_open_action_items(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let items = db
        .read(move |conn| {
            let (m, _) = meeting::find_visible(conn, &viewer, &id, today())?;
            match &m.network_id {
                Some(network) => model::open_at(conn, network, m.starts_at),
                None => Ok(Vec::new()),
            }
        })
        .await?;
    let data: Vec<ActionItemDto> = items.into_iter().map(ActionItemDto::from).collect();
    Ok(HttpResponse::Ok().json(List::all(data, &req)))
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_action_items)
        .service(get_action_item)
        .service(update_action_item)
        .service(list_open_action_items);
}
