//! `/api/v1/supervisory-dialogues`: the supervisory authority's dialogues with the
//! municipalities (seed 003). Its users write; the organizations involved read while it
//! is restricted; everyone reads it once published.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, MaybeAuthUser};
use crate::db::{Db, DbConnection};
use crate::error::{ApiResult, Validator};
use crate::etag::IfMatch;
use crate::kit::body::{Json, not_null, nullable};
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::models::access::Visibility;
use crate::models::audit;
use crate::models::dialogue::{
    self as model, Dialogue, DialogueFields, DialogueFilter, DialogueStatus, FollowUpFields,
};
use crate::models::meeting::MeetingMode;
use crate::pagination::{DEFAULT_LIMIT, Entry, List, ListQuery, MAX_LIMIT};
use crate::routes::dialogue_parts::{
    FindingDto, FollowUpDto, NewFinding, NewFollowUp, follow_up_fields,
};
use crate::routes::{ok_with_etag, path_id, utc, uuid};
use crate::validation;

/// A supervisory dialogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8c00-0000-7000-8000-000000000001",
    "title": "Dialog med Sveriges socialchefer om socialtjänstinsatser under utbrottet av covid-19",
    "supervising_organization_id": "019a84f4-0000-7000-8000-00000000000a",
    "supervision_name": "Nationell tillsyn av förändringar i socialtjänstinsatser",
    "period_start": "2020-10-01",
    "period_end": "2021-03-31",
    "held_on": "2021-05-20",
    "mode": "digital",
    "participant_organization_ids": ["019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"],
    "focus_questions": ["Hur har kommunen säkerställt kontakten med enskilda vid förändrade insatser?"],
    "findings": [{"id": "019a8c00-0000-7000-8000-000000000101", "category": "kvalitet", "text": "Kommunerna har kommit olika långt med att säkerställa god kvalitet och säkerhet."}],
    "lessons_learned": ["En tydlig organisation som fungerar i vardagen underlättar arbetet i en kris."],
    "recommendations": ["Ha kontakt med den enskilde hela vägen: inför förändringen, vid åtgärder och vid uppföljning."],
    "follow_ups": [{"id": "019a8c00-0000-7000-8000-000000000201", "description": "Återföra lärdomar från tillsynen till kommunerna", "responsible_organization_id": "019a84f4-0000-7000-8000-00000000000a", "due_on": "2021-11-30", "status": "open"}],
    "status": "follow_up",
    "visibility": "public",
    "published_at": "2021-06-23T08:00:00Z",
    "version": 7,
    "created_at": "2021-05-20T08:00:00Z",
    "updated_at": "2021-06-23T08:00:00Z"
}))]
pub struct DialogueDto {
    pub id: Uuid,
    pub title: String,
    /// The supervisory authority (e.g. IVO).
    pub supervising_organization_id: Uuid,
    /// The supervision the dialogue belongs to.
    pub supervision_name: String,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub held_on: Option<NaiveDate>,
    pub mode: Option<MeetingMode>,
    pub participant_organization_ids: Vec<Uuid>,
    pub focus_questions: Vec<String>,
    pub findings: Vec<FindingDto>,
    pub lessons_learned: Vec<String>,
    pub recommendations: Vec<String>,
    pub follow_ups: Vec<FollowUpDto>,
    pub status: DialogueStatus,
    pub visibility: Visibility,
    /// When it was published; from then on anyone may read it.
    pub published_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The dialogue with its participants, findings and follow-ups.
pub fn dto(conn: &mut DbConnection, d: Dialogue) -> ApiResult<DialogueDto> {
    let participants = model::participants(conn, &d.id)?;
    let findings = model::findings(conn, &d.id)?
        .into_iter()
        .map(FindingDto::from)
        .collect();
    let follow_ups = model::follow_ups(conn, &d.id)?
        .into_iter()
        .map(FollowUpDto::from)
        .collect();
    Ok(DialogueDto {
        id: uuid(&d.id),
        supervising_organization_id: uuid(&d.supervising_organization_id),
        mode: d.mode.as_deref().and_then(MeetingMode::parse),
        participant_organization_ids: participants.iter().map(|p| uuid(p)).collect(),
        focus_questions: d.focus_question_list(),
        lessons_learned: d.lesson_list(),
        recommendations: d.recommendation_list(),
        findings,
        follow_ups,
        status: DialogueStatus::parse(&d.status).unwrap_or(DialogueStatus::Planned),
        visibility: Visibility::parse(&d.visibility).unwrap_or(Visibility::Restricted),
        published_at: d.published_at.map(utc),
        title: d.title,
        supervision_name: d.supervision_name,
        period_start: d.period_start,
        period_end: d.period_end,
        held_on: d.held_on,
        version: d.version,
        created_at: utc(d.created_at),
        updated_at: utc(d.updated_at),
    })
}

/// A new dialogue, with its first findings and follow-ups if known.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Dialog med Sveriges socialchefer om socialtjänstinsatser under utbrottet av covid-19",
    "supervising_organization_id": "019a84f4-0000-7000-8000-00000000000a",
    "supervision_name": "Nationell tillsyn av förändringar i socialtjänstinsatser",
    "period_start": "2020-10-01",
    "period_end": "2021-03-31",
    "held_on": "2021-05-20",
    "mode": "digital",
    "participant_organization_ids": ["019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"],
    "focus_questions": ["Hur har kommunen säkerställt kontakten med enskilda vid förändrade insatser?"],
    "lessons_learned": ["En tydlig organisation som fungerar i vardagen underlättar arbetet i en kris."],
    "status": "held"
}))]
pub struct CreateDialogue {
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: String,
    /// A `supervisory_authority` organization; yours unless you are an admin.
    #[schema(value_type = Uuid)]
    pub supervising_organization_id: String,
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub supervision_name: String,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub held_on: Option<NaiveDate>,
    #[schema(value_type = Option<MeetingMode>)]
    pub mode: Option<String>,
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>)]
    pub participant_organization_ids: Vec<String>,
    #[serde(default)]
    pub focus_questions: Vec<String>,
    #[serde(default)]
    pub findings: Vec<NewFinding>,
    #[serde(default)]
    pub lessons_learned: Vec<String>,
    #[serde(default)]
    pub recommendations: Vec<String>,
    #[serde(default)]
    pub follow_ups: Vec<NewFollowUp>,
    /// Default `planned`.
    #[schema(value_type = Option<DialogueStatus>)]
    pub status: Option<String>,
    /// Default `restricted`.
    #[schema(value_type = Option<Visibility>)]
    pub visibility: Option<String>,
}

/// A change to a dialogue; lists sent replace the lists held.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "follow_up", "recommendations": ["Ha kontakt med den enskilde hela vägen."]}))]
pub struct UpdateDialogue {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 300, pattern = "\\S")]
    pub supervision_name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub period_start: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub period_end: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub held_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<MeetingMode>)]
    pub mode: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<Uuid>)]
    pub participant_organization_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<String>)]
    pub focus_questions: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<String>)]
    pub lessons_learned: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<String>)]
    pub recommendations: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = DialogueStatus)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Visibility)]
    pub visibility: Option<String>,
}

/// Filters of the dialogue list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DialogueQuery {
    /// Only dialogues of this supervision (or with this text in its name).
    #[param(example = "förändringar i socialtjänstinsatser", max_length = 300)]
    pub supervision_name: Option<String>,
    pub supervising_organization_id: Option<Uuid>,
    pub participant_organization_id: Option<Uuid>,
    pub status: Option<DialogueStatus>,
    /// Only dialogues whose period ends on or after this day.
    #[param(example = "2020-01-01")]
    pub period_from: Option<NaiveDate>,
    /// Only dialogues whose period starts on or before this day.
    #[param(example = "2021-12-31")]
    pub period_to: Option<NaiveDate>,
}

fn texts(v: &mut Validator, field: &str, list: &[String]) -> Vec<String> {
    v.check(list.len() <= 100, field, "at most 100");
    list.iter()
        .enumerate()
        .map(|(i, t)| validation::text(v, &format!("{field}[{i}]"), t, 1, 5000))
        .collect()
}

fn check(
    v: &mut Validator,
    f: &mut DialogueFields,
    status: Option<&str>,
    visibility: Option<&str>,
) {
    f.title = validation::text(v, "title", &f.title, 1, 300);
    f.supervision_name = validation::text(v, "supervision_name", &f.supervision_name, 1, 300);
    f.focus_questions = texts(v, "focus_questions", &f.focus_questions);
    f.lessons_learned = texts(v, "lessons_learned", &f.lessons_learned);
    f.recommendations = texts(v, "recommendations", &f.recommendations);
    let mut orgs: Vec<String> = Vec::new();
    for (i, o) in f.participant_organization_ids.iter().enumerate() {
        let o = validation::uuid(v, &format!("participant_organization_ids[{i}]"), o);
        if !orgs.contains(&o) {
            orgs.push(o);
        }
    }
    f.participant_organization_ids = orgs;
    if let Some(m) = &f.mode {
        v.check(
            MeetingMode::parse(m).is_some(),
            "mode",
            MeetingMode::expected(),
        );
    }
    if let (Some(a), Some(b)) = (f.period_start, f.period_end) {
        v.check(b >= a, "period_end", "must not be before period_start");
    }
    if let Some(s) = status {
        match DialogueStatus::parse(s) {
            Some(s) => f.status = s,
            None => {
                v.add("status", DialogueStatus::expected());
            }
        }
    }
    if let Some(s) = visibility {
        match Visibility::parse(s) {
            Some(s) => f.visibility = s,
            None => {
                v.add("visibility", Visibility::expected());
            }
        }
    }
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
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    list: web::Query<ListQuery>,
    query: web::Query<DialogueQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = list.page()?;
    let mut v = Validator::new();
    if let Some(name) = &query.supervision_name {
        v.check(
            name.chars().count() <= 300,
            "supervision_name",
            "must be at most 300 characters",
        );
    }
    v.finish()?;
    let viewer = auth.viewer();
    let filter = DialogueFilter {
        supervision_name: query
            .supervision_name
            .clone()
            .filter(|s| !s.trim().is_empty()),
        supervising_organization_id: query.supervising_organization_id.map(|u| u.to_string()),
        participant_organization_id: query.participant_organization_id.map(|u| u.to_string()),
        status: query.status,
        period_from: query.period_from,
        period_to: query.period_to,
    };
    let limit = page.limit;
    let (data, next) = db
        .read(move |conn| {
            let result = model::list(conn, &viewer, &page, &filter)?;
            let mut data = Vec::new();
            for d in result.rows {
                data.push(match d.deleted_at {
                    Some(at) => Entry::tombstone(&d.id, at),
                    None => Entry::Live(dto(conn, d)?),
                });
            }
            Ok((data, result.next))
        })
        .await?;
    Ok(HttpResponse::Ok().json(List::new(data, limit, next, &req)))
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
    auth: AuthUser,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Json<CreateDialogue>,
) -> ApiResult<HttpResponse> {
    let input = body.body;
    let mut v = Validator::new();
    let mut fields = DialogueFields {
        title: input.title,
        supervising_organization_id: validation::uuid(
            &mut v,
            "supervising_organization_id",
            &input.supervising_organization_id,
        ),
        supervision_name: input.supervision_name,
        period_start: input.period_start,
        period_end: input.period_end,
        held_on: input.held_on,
        mode: input.mode,
        participant_organization_ids: input.participant_organization_ids,
        focus_questions: input.focus_questions,
        lessons_learned: input.lessons_learned,
        recommendations: input.recommendations,
        status: DialogueStatus::Planned,
        visibility: Visibility::Restricted,
    };
    check(
        &mut v,
        &mut fields,
        input.status.as_deref(),
        input.visibility.as_deref(),
    );
    let findings: Vec<(Option<String>, String)> = input
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                validation::optional_text(
                    &mut v,
                    &format!("findings[{i}].category"),
                    f.category.as_deref(),
                    100,
                ),
                validation::text(&mut v, &format!("findings[{i}].text"), &f.text, 1, 10_000),
            )
        })
        .collect();
    let follow_ups: Vec<FollowUpFields> = input
        .follow_ups
        .iter()
        .enumerate()
        .map(|(i, f)| follow_up_fields(&mut v, &format!("follow_ups[{i}]."), f))
        .collect();
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    idempotency::create(
        &db,
        &auth,
        key,
        "POST /supervisory-dialogues",
        Some(&body.canonical),
        move |conn| {
            model::check_supervisor(conn, &viewer, &fields.supervising_organization_id)?;
            let d = model::create(conn, &fields)?;
            for (category, text) in &findings {
                model::add_finding(conn, &d.id, category.as_deref(), text)?;
            }
            for f in &follow_ups {
                model::save_follow_up(conn, &d.id, None, f)?;
            }
            audit::record(
                conn,
                &actor,
                "supervisory_dialogue.create",
                "supervisory_dialogue",
                Some(&d.id),
                "success",
            )?;
            let d = model::find(conn, &d.id)?;
            let location = format!("/api/v1/supervisory-dialogues/{}", d.id);
            let version = d.version;
            Ok(Created::new(location, version, &dto(conn, d)?))
        },
    )
    .await
}

/// One lesson or recommendation, with the dialogue it comes from.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "dialogue_id": "019a8c00-0000-7000-8000-000000000001",
    "dialogue_title": "Dialog med Sveriges socialchefer om socialtjänstinsatser under utbrottet av covid-19",
    "supervision_name": "Nationell tillsyn av förändringar i socialtjänstinsatser",
    "kind": "lesson_learned",
    "text": "En tydlig organisation som fungerar i vardagen underlättar arbetet i en kris."
}))]
pub struct Lesson {
    pub dialogue_id: Uuid,
    pub dialogue_title: String,
    pub supervision_name: String,
    /// `lesson_learned` or `recommendation`.
    #[schema(example = "lesson_learned")]
    pub kind: String,
    pub text: String,
}

/// Paging and search of lessons.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LessonQuery {
    /// Text search, case-insensitive (also for å, ä and ö).
    #[param(example = "kris", max_length = 200)]
    pub q: Option<String>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Lessons learned and recommendations across the dialogues you may see: what the
/// authority feeds back to all municipalities.
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(LessonQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of lessons and recommendations, newest dialogue first", body = List<Lesson>))
)]
#[get("/supervisory-dialogues/lessons")]
pub async fn list_lessons(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    query: web::Query<LessonQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let mut v = Validator::new();
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    v.check(
        (1..=MAX_LIMIT).contains(&limit),
        "limit",
        format!("must be between 1 and {MAX_LIMIT}"),
    );
    let offset = match &query.cursor {
        None => 0,
        Some(c) => {
            let parsed = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(c)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.strip_prefix('o').and_then(|n| n.parse::<usize>().ok()));
            v.check(
                parsed.is_some(),
                "cursor",
                "is not a cursor this list handed out",
            );
            parsed.unwrap_or(0)
        }
    };
    let q = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(validation::fold);
    if let Some(q) = &q {
        v.check(
            q.chars().count() <= 200,
            "q",
            "must be at most 200 characters",
        );
    }
    v.finish()?;
    let viewer = auth.viewer();
    let all = db
        .read(move |conn| {
            let everything = crate::pagination::PageRequest {
                limit: 10_000,
                modified_since: None,
                after: None,
                search: None,
            };
            Ok(model::list(conn, &viewer, &everything, &DialogueFilter::default())?.rows)
        })
        .await?;
    let mut lessons = Vec::new();
    for d in all.iter().rev() {
        let kinds = [
            ("lesson_learned", d.lesson_list()),
            ("recommendation", d.recommendation_list()),
        ];
        for (kind, texts) in kinds {
            for text in texts {
                if q.as_ref()
                    .is_none_or(|q| validation::fold(&text).contains(q.as_str()))
                {
                    lessons.push(Lesson {
                        dialogue_id: uuid(&d.id),
                        dialogue_title: d.title.clone(),
                        supervision_name: d.supervision_name.clone(),
                        kind: kind.into(),
                        text,
                    });
                }
            }
        }
    }
    let total = lessons.len();
    let page: Vec<Lesson> = lessons
        .into_iter()
        .skip(offset)
        .take(limit as usize)
        .collect();
    let cursor = (offset + (limit as usize) < total).then(|| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("o{}", offset + limit as usize))
    });
    Ok(HttpResponse::Ok().json(List::with_cursor(page, limit, cursor, &req)))
}

/// Get a dialogue.
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The dialogue", body = DialogueDto, headers(("ETag" = String, description = "Its version"))))
)]
#[get("/supervisory-dialogues/{id}")]
pub async fn get_dialogue(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let d = db
        .read(move |conn| {
            let d = model::find_visible(conn, &viewer, &id)?;
            dto(conn, d)
        })
        .await?;
    Ok(ok_with_etag(d.version, &d))
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
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: Json<UpdateDialogue>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let change = body.body;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let d = db
        .write(move |conn| {
            let current = model::find_writable(conn, &viewer, &id)?;
            let participants = model::participants(conn, &id)?;
            let mut f = DialogueFields::of(&current, participants);
            if let Some(t) = change.title {
                f.title = t;
            }
            if let Some(s) = change.supervision_name {
                f.supervision_name = s;
            }
            if let Some(p) = change.period_start {
                f.period_start = p;
            }
            if let Some(p) = change.period_end {
                f.period_end = p;
            }
            if let Some(h) = change.held_on {
                f.held_on = h;
            }
            if let Some(m) = change.mode {
                f.mode = m;
            }
            if let Some(p) = change.participant_organization_ids {
                f.participant_organization_ids = p;
            }
            if let Some(q) = change.focus_questions {
                f.focus_questions = q;
            }
            if let Some(l) = change.lessons_learned {
                f.lessons_learned = l;
            }
            if let Some(r) = change.recommendations {
                f.recommendations = r;
            }
            let mut v = Validator::new();
            check(
                &mut v,
                &mut f,
                change.status.as_deref(),
                change.visibility.as_deref(),
            );
            v.finish()?;
            if_match.check(current.version)?;
            let d = model::update(conn, &id, current.version, &f)?;
            audit::record(
                conn,
                &actor,
                "supervisory_dialogue.update",
                "supervisory_dialogue",
                Some(&id),
                "success",
            )?;
            dto(conn, d)
        })
        .await?;
    Ok(ok_with_etag(d.version, &d))
}

/// Delete a dialogue (the supervising authority, and admins).
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/supervisory-dialogues/{id}", guard = "not_lessons")]
pub async fn delete_dialogue(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    db.write(move |conn| {
        let current = model::find_writable(conn, &viewer, &id)?;
        if_match.check(current.version)?;
        model::delete(conn, &id, current.version)?;
        audit::record(
            conn,
            &actor,
            "supervisory_dialogue.delete",
            "supervisory_dialogue",
            Some(&id),
            "success",
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Publish a dialogue: it gets `published_at` and becomes public (409 if it is already).
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Published", body = DialogueDto),
        (status = 409, description = "Published already", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/supervisory-dialogues/{id}/publish")]
pub async fn publish_dialogue(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let d = db
        .write(move |conn| {
            let current = model::find_writable(conn, &viewer, &id)?;
            let d = model::publish(conn, &current)?;
            audit::record(
                conn,
                &actor,
                "supervisory_dialogue.publish",
                "supervisory_dialogue",
                Some(&id),
                "success",
            )?;
            dto(conn, d)
        })
        .await?;
    Ok(ok_with_etag(d.version, &d))
}

/// Registers the handlers; `lessons` before `{id}` so that it is not taken for an id.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_lessons)
        .service(list_dialogues)
        .service(create_dialogue)
        .service(get_dialogue)
        .service(update_dialogue)
        .service(delete_dialogue)
        .service(publish_dialogue);
}
