//! `/api/v1/action-items`: what minutes handed out, across every network the caller may
//! see ("what do I owe whom?"); owners and coordinators update them.

use actix_web::{HttpRequest, HttpResponse, get, patch, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::{Db, Versioned};
use crate::error::{ApiResult, Validator};
use crate::kit::body::{Body, not_null, nullable};
use crate::kit::existing;
use crate::kit::ok_with_etag;
use crate::kit::precondition::IfMatch;
use crate::kit::query::{Id, Ids, Query};
use crate::kit::resource::{Callers, Resource};
use crate::models::action_item::{
    self as model, ActionFields, ActionFilter, ActionItem, ActionStatus, GovernedAction, Reply,
    ReplyStatus,
};
use crate::models::meeting;
use crate::models::reply::Answer;
use crate::pagination::{Entry, List, ListQuery};
use crate::policy::{Reach, StatusRight};
use crate::routes::{utc, uuid, uuids};
use crate::times::DayOrInstant;
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
    "completion_recorded_at": null,
    "addressed_to_members": false,
    "addressee_organization_ids": [],
    "replies": [],
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
    /// When it was done: when it became `done` here, or the day recorded for it.
    pub completed_at: Option<DateTime<Utc>>,
    /// When a completion that happened earlier was entered; `null` when it was marked
    /// done here.
    pub completion_recorded_at: Option<DateTime<Utc>>,
    /// A request to every member organization of the network (as the minutes wrote it).
    pub addressed_to_members: bool,
    /// The organizations asked by name (as the minutes wrote them).
    pub addressee_organization_ids: Vec<Uuid>,
    /// A request's answers: one per organization asked, with its status. Empty for a
    /// task that asks nobody.
    pub replies: Vec<ReplyDto>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One organization's answer to a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "status": "answered",
    "answer": "Partille har två placeringar i Kvinnohuset under våren.",
    "answered_at": "2020-05-20T09:12:00Z",
    "answered_by_person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c",
    "version": 2,
    "updated_at": "2020-05-20T09:12:00Z"
}))]
pub struct ReplyDto {
    /// The organization asked.
    pub organization_id: Uuid,
    pub status: ReplyStatus,
    pub answer: Option<String>,
    /// When it was answered or declined.
    pub answered_at: Option<DateTime<Utc>>,
    /// Who answered (or entered the answer).
    pub answered_by_person_id: Option<Uuid>,
    /// The reply's own version, for `If-Match` on `PUT …/replies/{organization_id}`.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<Reply> for ReplyDto {
    fn from(r: Reply) -> Self {
        Self {
            organization_id: uuid(&r.organization_id),
            status: r.status,
            answer: r.answer,
            answered_at: r.answered_at.map(utc),
            answered_by_person_id: r.answered_by_person_id.as_deref().map(uuid),
            version: r.version,
            updated_at: utc(r.updated_at),
        }
    }
}

impl From<(ActionItem, Vec<Reply>)> for ActionItemDto {
    fn from((a, replies): (ActionItem, Vec<Reply>)) -> Self {
        Self {
            addressed_to_members: a.addressed_to_members,
            addressee_organization_ids: uuids(&a.addressee_organization_ids.0),
            replies: replies.into_iter().map(ReplyDto::from).collect(),
            id: uuid(&a.id),
            meeting_id: uuid(&a.meeting_id),
            network_id: a.network_id.as_deref().map(uuid),
            owner_person_id: a.owner_person_id.as_deref().map(uuid),
            owner_organization_id: a.owner_organization_id.as_deref().map(uuid),
            status: a.status,
            completed_at: a.completed_at.map(utc),
            completion_recorded_at: a.completion_recorded_at.map(utc),
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
    /// A network's action items: from its own meetings and those it co-hosts.
    pub network_id: Option<Uuid>,
    pub status: Option<ActionStatus>,
    /// Only items due before this day (an instant: its day in Swedish time).
    #[param(schema_with = crate::pagination::day_or_instant, example = "2020-06-01")]
    pub due_before: Option<DayOrInstant>,
    /// `true`: only open items whose due date has passed.
    pub overdue: Option<bool>,
    /// `true`: only your own items: those you own (your person), and the requests that
    /// ask your organization for an answer.
    pub mine: Option<bool>,
    /// Only the requests that ask this organization for an answer.
    pub addressee_organization_id: Option<Uuid>,
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
    /// With `"status": "done"`: the day (or instant) it was really done, when that was
    /// earlier; it is then marked as recorded afterwards (`completion_recorded_at`).
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, example = "2020-06-01")]
    pub completed_at: Option<DayOrInstant>,
}

/// List the action items you may see: those of minutes you may see.
#[utoipa::path(
    tag = "action-items",
    params(ListQuery, ActionQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of action items", body = List<Entry<ActionItemDto>>))
)]
#[get("/action-items")]
pub async fn list_action_items(
    caller: Caller,
    db: web::Data<Db>,
    list: Query<ListQuery>,
    query: Query<ActionQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = list.get()?.page()?;
    let query = query.get()?;
    let tz = chrono_tz::Europe::Stockholm;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let mut filter = ActionFilter {
        owner_person_id: query.owner_person_id.map(|u| u.to_string()),
        owner_organization_id: query.owner_organization_id.map(|u| u.to_string()),
        network_id: query.network_id.map(|u| u.to_string()),
        status: query.status,
        due_before: query.due_before.map(|d| d.day_in(tz)),
        overdue_on: query.overdue.unwrap_or(false).then_some(today),
        open_at: None,
        mine: None,
        addressee_organization_id: query.addressee_organization_id.map(|u| u.to_string()),
    };
    if query.mine.unwrap_or(false) {
        let user = &caller.signed_in()?.user;
        filter.mine = Some((user.person_id.clone(), user.organization_id.clone()));
    }
    let (limit, reach) = (page.limit, caller.reach);
    let (rows, next) = db
        .read(move |conn| {
            let page = model::list(conn, &reach, &page, &filter)?;
            Ok((model::with_replies(conn, page.rows)?, page.next))
        })
        .await?;
    let data = Entry::page(rows, ActionItemDto::from);
    Ok(List::new(data, limit, next, &req).respond())
}

/// Update an action item (`done` sets `completed_at`: now, or the day it was really
/// done). Its owner may change the status; the network's coordinators (and admins) may
/// change everything.
#[utoipa::path(
    tag = "action-items",
    params(("id" = Uuid, Path, description = "The action item's id")),
    request_body = UpdateActionItem,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed item", body = ActionItemDto, headers(("ETag" = String, description = "Its new version"))))
)]
#[patch("/action-items/{id}")]
pub async fn update_action_item(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
    body: Body<UpdateActionItem>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let item = db
        .write(move |conn| {
            let current = existing(model::find(conn, &reach, &id, true), &if_match)?;
            let right = reach.change_status(current)?;
            let current = match &right {
                StatusRight::Manage(g) => &**g,
                StatusRight::Assignee(g) => &**g,
            };
            if_match.check_version(current.version())?;
            let change = body.parse()?;
            let only_status = change.title.is_none()
                && change.description.is_none()
                && change.owner_person_id.is_none()
                && change.owner_organization_id.is_none()
                && change.due_on.is_none();
            if matches!(right, StatusRight::Assignee(_)) && !only_status {
                return Err(crate::error::ApiError::forbidden(
                    "the owner may change the status; the network's coordinators may change everything",
                ));
            }
            let mut fields = ActionFields::of(&current.item);
            let mut v = Validator::new();
            crate::patch!(&mut v, fields, change, { status: choice });
            if let Some(t) = &change.title {
                fields.title = validation::text(&mut v, "title", t, 1, 500);
            }
            if let Some(d) = change.description {
                fields.description = validation::optional_text(&mut v, "description", d.as_deref(), 5000);
            }
            crate::patch!(&mut v, fields, change, { owner_person_id: id, owner_organization_id: id, due_on });
            let completion = change.completed_at.and_then(|when| {
                v.check(fields.status == ActionStatus::Done, "completed_at", "goes with the status done");
                crate::times::happened(&mut v, "completed_at", when, crate::db::now())
            });
            v.finish()?;
            let item = model::update(conn, current, &fields, completion)?;
            actor.record(conn, "action_item.update", "action_item", &id)?;
            Ok(item)
        })
        .await?;
    Ok(ok_with_etag(item.version(), &ActionItemDto::from(item)))
}

/// The network's action items still open when this meeting starts, of the minutes you
/// may see: what the chair goes through first. A page of them in id order, like every
/// list (`modified_since` and `q` too).
#[utoipa::path(
    tag = "action-items",
    params(("id" = Uuid, Path, description = "The meeting's id"), ListQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The open items from earlier meetings of the network", body = List<Entry<ActionItemDto>>))
)]
#[get("/meetings/{id}/open-action-items")]
pub async fn list_open_action_items(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    list: Query<ListQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let [id] = id.get()?;
    let page = list.get()?.page()?;
    let (limit, reach) = (page.limit, caller.reach);
    let (rows, next) = db
        .read(move |conn| {
            let seen = meeting::find(conn, &reach, &id, false)?;
            let Some(network) = seen.meeting.network_id else {
                return Ok((Vec::new(), None));
            };
            let filter = ActionFilter {
                open_at: Some((network, seen.meeting.starts_at)),
                ..Default::default()
            };
            let page = model::list(conn, &reach, &page, &filter)?;
            Ok((model::with_replies(conn, page.rows)?, page.next))
        })
        .await?;
    let data = Entry::page(rows, ActionItemDto::from);
    Ok(List::new(data, limit, next, &req).respond())
}

impl From<GovernedAction> for ActionItemDto {
    fn from(g: GovernedAction) -> Self {
        Self::from((g.item, g.replies))
    }
}

impl From<model::AnsweredAction> for ActionItemDto {
    fn from(a: model::AnsweredAction) -> Self {
        Self::from((a.item, a.replies))
    }
}

/// An organization's answer to a request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "answered", "answer": "Partille har två placeringar i Kvinnohuset under våren."}))]
pub struct PutReply {
    /// `answered`, `declined`, or `open` again (which clears when it was answered).
    #[schema(value_type = ReplyStatus)]
    pub status: String,
    /// The answer; required for `answered`.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub answer: Option<String>,
}

/// Answer a request on behalf of an organization it asks. Users of that organization
/// answer for it; the network's coordinators (and admins) may enter an answer that came
/// another way. The item moves to its next version too, since it shows its replies.
#[utoipa::path(
    tag = "action-items",
    params(
        ("id" = Uuid, Path, description = "The action item's id"),
        ("organization_id" = Uuid, Path, description = "The organization asked")
    ),
    request_body = PutReply,
    security(("bearer" = [])),
    responses((status = 200, description = "The reply as written", body = ReplyDto, headers(("ETag" = String, description = "The reply's new version"))))
)]
#[put("/action-items/{id}/replies/{organization_id}")]
pub async fn put_reply(
    caller: Caller,
    db: web::Data<Db>,
    ids: Ids<2>,
    if_match: IfMatch,
    body: Body<PutReply>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id, organization_id] = ids.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let person = reach.person_id().map(str::to_string);
    let reply = db
        .write(move |conn| {
            let item = existing(model::find(conn, &reach, &id, true), &if_match)?;
            let Some(current) = item
                .replies
                .iter()
                .find(|r| r.organization_id == organization_id)
                .cloned()
            else {
                return Err(crate::error::ApiError::not_found());
            };
            reach.answer(item, &organization_id)?;
            if_match.check_version(current.version)?;
            let put = body.parse()?;
            let mut v = Validator::new();
            let status = validation::choice(&mut v, "status", &put.status);
            let answer = validation::optional_text(&mut v, "answer", put.answer.as_deref(), 5000);
            if let Some(status) = status {
                v.check(
                    status != ReplyStatus::Answered || answer.is_some(),
                    "answer",
                    "is required when the status is answered",
                );
            }
            v.finish()?;
            let answer = Answer {
                status: status.unwrap_or(ReplyStatus::Open),
                answer,
            };
            let reply = crate::models::reply::answer(conn, &current, &answer, person.as_deref())?;
            actor.record(conn, "action_item.reply", "action_item", &id)?;
            Ok(reply)
        })
        .await?;
    Ok(ok_with_etag(reply.version, &ReplyDto::from(reply)))
}

/// ActionItems as the conventions kit serves them.
pub struct ActionItems;

impl Resource for ActionItems {
    type Row = GovernedAction;
    type Dto = ActionItemDto;
    const CALLERS: Callers = Callers::Anyone;

    fn dto(shown: GovernedAction, _: &Reach) -> ActionItemDto {
        ActionItemDto::from(shown)
    }
}

crate::resource_routes!(
    ActionItems,
    tag = "action-items",
    route = ("/action-items/{id}"),
    id = "The action item's id",
    dto = ActionItemDto,
    get = (
        get_action_item,
        ["Get an action item."],
        "The action item",
        security = [(), ("bearer" = [])]
    ),
);

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_action_items)
        .service(get_action_item)
        .service(update_action_item)
        .service(put_reply)
        .service(list_open_action_items);
}
