//! `/api/v1/supervisory-dialogues`: the supervisory authority's dialogues with the
//! municipalities (seed 003). Its users write; the organizations involved read while it
//! is restricted; everyone reads it once published.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::db::Db;
use crate::error::{ApiError, ApiResult, Validator};
use crate::kit::body::Body;
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::kit::precondition::IfMatch;
use crate::kit::query::{Id, Query};
use crate::kit::resource::{Callers, Resource};
use crate::kit::{ok_with_etag, writable};
use crate::models::dialogue::{self as model, Dialogue, DialogueFields, DialogueStatus};
use crate::models::dialogue_parts::{self, FindingFields, FollowUpFields};
use crate::models::dialogue_view::{self as view, DialogueFilter, FullDialogue};
use crate::models::organization::{self, OrganizationKind};
use crate::pagination::{Entry, List, ListQuery};
use crate::policy::{Reach, SupervisoryFacts, Visibility};
use crate::routes::dialogue_parts::{finding_fields, follow_up_fields};
use crate::validation;

mod types;
pub use types::*;

fn texts(v: &mut Validator, field: &str, list: &[String]) -> Vec<String> {
    v.check(list.len() <= 100, field, "at most 100");
    list.iter()
        .enumerate()
        .map(|(i, t)| validation::text(v, &format!("{field}[{i}]"), t, 1, 5000))
        .collect()
}

/// Checks and normalizes the texts, lists and dates of `f`; returns the participating
/// organizations, canonical and without repeats.
pub(crate) fn check(
    v: &mut Validator,
    f: &mut DialogueFields,
    participants: &[String],
) -> Vec<String> {
    f.title = validation::text(v, "title", &f.title, 1, 300);
    f.supervision_name = validation::text(v, "supervision_name", &f.supervision_name, 1, 300);
    f.focus_questions.0 = texts(v, "focus_questions", &f.focus_questions);
    f.lessons_learned.0 = texts(v, "lessons_learned", &f.lessons_learned);
    f.recommendations.0 = texts(v, "recommendations", &f.recommendations);
    if let (Some(a), Some(b)) = (f.period_start, f.period_end) {
        v.check(b >= a, "period_end", "must not be before period_start");
    }
    let mut orgs: Vec<String> = Vec::new();
    for (i, o) in participants.iter().enumerate() {
        let o = validation::uuid(v, &format!("participant_organization_ids[{i}]"), o);
        if !orgs.contains(&o) {
            orgs.push(o);
        }
    }
    orgs
}

/// Keeps `/supervisory-dialogues/lessons` from being taken for a dialogue's id by the
/// methods it does not answer, so that they get 405 rather than a body error.
fn not_lessons(ctx: &actix_web::guard::GuardContext) -> bool {
    !ctx.head().uri.path().ends_with("/lessons")
}

/// List the dialogues you may see.
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(ListQuery, DialogueQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of dialogues", body = List<Entry<DialogueDto>>))
)]
#[get("/supervisory-dialogues")]
pub async fn list_dialogues(
    caller: Caller,
    db: web::Data<Db>,
    list: Query<ListQuery>,
    query: Query<DialogueQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = list.get()?.page()?;
    let query = query.get()?;
    let mut v = Validator::new();
    if let Some(name) = &query.supervision_name {
        v.check(
            name.chars().count() <= 300,
            "supervision_name",
            "must be at most 300 characters",
        );
    }
    v.finish()?;
    let filter = DialogueFilter {
        supervision_name: query.supervision_name.filter(|s| !s.trim().is_empty()),
        supervising_organization_id: query.supervising_organization_id.map(|u| u.to_string()),
        participant_organization_id: query.participant_organization_id.map(|u| u.to_string()),
        status: query.status,
        period_from: query.period_from,
        period_to: query.period_to,
    };
    let (limit, reach) = (page.limit, caller.reach);
    let result = db
        .read(move |conn| view::list(conn, &reach, &page, &filter))
        .await?;
    let data = Entry::page(result.rows, dto);
    Ok(List::new(data, limit, result.next, &req).respond())
}

/// Record a dialogue (users of the supervising authority, and admins).
#[utoipa::path(
    tag = "supervisory-dialogues",
    request_body = CreateDialogue,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = DialogueDto,
        headers(("Location" = String, description = "The dialogue's address"), ("ETag" = String, description = "Its version"))))
)]
#[post("/supervisory-dialogues")]
pub async fn create_dialogue(
    caller: Caller,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Body<CreateDialogue>,
) -> ApiResult<HttpResponse> {
    let user = caller.signed_in()?;
    let target = body.peek("supervising_organization_id").map(str::to_string);
    let fingerprint = body.fingerprint();
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let own_org = user.user.organization_id.clone();
    idempotency::create(
        &db,
        user,
        key,
        "POST /supervisory-dialogues",
        fingerprint.as_deref(),
        move |conn| {
            // Who may write dialogues at all, and for whom, before anything of the body.
            if !reach.is_admin() {
                let own = match &own_org {
                    Some(id) => Some(organization::find(conn, id)?),
                    None => None,
                };
                reach.supervise(&SupervisoryFacts {
                    id: own.as_ref().map_or("", |o| o.id.as_str()),
                    supervisory_authority: own
                        .as_ref()
                        .is_some_and(|o| o.kind == OrganizationKind::SupervisoryAuthority),
                })?;
                if let Some(target) = &target
                    && Some(target) != own_org.as_ref()
                {
                    return Err(ApiError::forbidden(
                        "only users of the supervisory authority (and admins) write its dialogues",
                    ));
                }
            }
            let input = body.parse()?;
            let mut v = Validator::new();
            let supervising = validation::uuid(
                &mut v,
                "supervising_organization_id",
                &input.supervising_organization_id,
            );
            let mut fields = DialogueFields {
                title: input.title,
                supervision_name: input.supervision_name,
                period_start: input.period_start,
                period_end: input.period_end,
                held_on: input.held_on,
                mode: validation::optional_choice(&mut v, "mode", input.mode.as_deref()),
                focus_questions: crate::db::json_text::JsonText(input.focus_questions),
                lessons_learned: crate::db::json_text::JsonText(input.lessons_learned),
                recommendations: crate::db::json_text::JsonText(input.recommendations),
                status: validation::optional_choice(&mut v, "status", input.status.as_deref())
                    .unwrap_or(DialogueStatus::Planned),
                visibility: validation::optional_choice(
                    &mut v,
                    "visibility",
                    input.visibility.as_deref(),
                )
                .unwrap_or(Visibility::Restricted),
                search: String::new(),
            };
            let participants = check(&mut v, &mut fields, &input.participant_organization_ids);
            let findings: Vec<FindingFields> = input
                .findings
                .iter()
                .enumerate()
                .map(|(i, f)| finding_fields(&mut v, &format!("findings[{i}]."), f))
                .collect();
            let follow_ups: Vec<FollowUpFields> = input
                .follow_ups
                .iter()
                .enumerate()
                .map(|(i, f)| follow_up_fields(&mut v, &format!("follow_ups[{i}]."), f))
                .collect();
            v.finish()?;
            let d = model::create(conn, &supervising, &participants, fields)?;
            for f in &findings {
                dialogue_parts::add_finding(conn, &d, f)?;
            }
            for f in &follow_ups {
                dialogue_parts::add_follow_up(conn, &d, f)?;
            }
            actor.record(
                conn,
                "supervisory_dialogue.create",
                "supervisory_dialogue",
                &d.id,
            )?;
            let (location, version) =
                (format!("/api/v1/supervisory-dialogues/{}", d.id), d.version);
            Ok(Created::new(
                location,
                version,
                &dto(view::full_one(conn, d)?),
            ))
        },
    )
    .await
}

/// Change a dialogue (the supervising authority, and admins).
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id")),
    request_body = UpdateDialogue,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed dialogue", body = DialogueDto, headers(("ETag" = String, description = "Its new version"))))
)]
#[patch("/supervisory-dialogues/{id}", guard = "not_lessons")]
pub async fn update_dialogue(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
    body: Body<UpdateDialogue>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let full = db
        .write(move |conn| {
            let current = writable(&reach, model::find(conn, &reach, &id, true), &if_match)?;
            let change = body.parse()?;
            let mut v = Validator::new();
            let mut f = DialogueFields::of(&current);
            let participants = match change.participant_organization_ids {
                Some(p) => p,
                None => model::participants(conn, &id)?,
            };
            crate::patch!(&mut v, f, change, { title, supervision_name, period_start, period_end, held_on, mode: nullable_choice, focus_questions: list, lessons_learned: list, recommendations: list, status: choice, visibility: choice });
            let participants = check(&mut v, &mut f, &participants);
            v.finish()?;
            let d = model::update(conn, &current, &participants, f)?;
            actor.record(
                conn,
                "supervisory_dialogue.update",
                "supervisory_dialogue",
                &id,
            )?;
            view::full_one(conn, d)
        })
        .await?;
    Ok(ok_with_etag(full.dialogue.version, &dto(full)))
}

/// Publish a dialogue (the supervising authority, and admins): it becomes public and
/// `published_at` is set — to now, or to the day it was published elsewhere, which is
/// then marked as recorded afterwards (`publication_recorded_at`). The body is optional.
/// 409 if it is published already.
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id")),
    request_body(content = PublishDialogue, description = "Optional: when it was published, if earlier"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Published", body = DialogueDto),
        (status = 409, description = "It is published already", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/supervisory-dialogues/{id}/publish")]
pub async fn publish_dialogue(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    body: Body<PublishDialogue>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let full = db
        .write(move |conn| {
            let current = reach.manage(model::find(conn, &reach, &id, true)?)?;
            let now = crate::db::now();
            let (at, recorded) = match body.parse_optional()?.and_then(|b| b.published_at) {
                Some(when) => {
                    let mut v = Validator::new();
                    let happened = crate::times::happened(&mut v, "published_at", when, now);
                    v.finish()?;
                    happened.map_or((now, None), |(at, recorded)| (at, Some(recorded)))
                }
                None => (now, None),
            };
            let d = model::publish(conn, &current, at, recorded)?;
            actor.record(
                conn,
                "supervisory_dialogue.publish",
                "supervisory_dialogue",
                &id,
            )?;
            view::full_one(conn, d)
        })
        .await?;
    Ok(ok_with_etag(full.dialogue.version, &dto(full)))
}

/// Dialogues as the conventions kit serves them.
pub struct Dialogues;

impl Resource for Dialogues {
    type Row = Dialogue;
    type Dto = DialogueDto;
    const CALLERS: Callers = Callers::Anyone;

    fn dto(shown: FullDialogue, _: &Reach) -> DialogueDto {
        dto(shown)
    }
}

crate::resource_routes!(
    Dialogues,
    tag = "supervisory-dialogues",
    route = ("/supervisory-dialogues/{id}", guard = "not_lessons"),
    id = "The dialogue's id",
    dto = DialogueDto,
    get = (
        get_dialogue,
        ["Get a dialogue."],
        "The dialogue",
        security = [(), ("bearer" = [])]
    ),
    delete = (
        delete_dialogue,
        ["Delete a dialogue (the supervising authority, and admins)."],
        "Deleted"
    ),
);

/// Registers the handlers (after `dialogue_lessons`, so that `lessons` is not taken for
/// an id).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_dialogues)
        .service(create_dialogue)
        .service(get_dialogue)
        .service(update_dialogue)
        .service(delete_dialogue)
        .service(publish_dialogue);
}
