//! `/api/v1/supervisory-dialogues/{id}/findings` and `…/follow-ups`: the parts of a
//! dialogue with ids of their own, added, changed and removed by the supervising
//! authority.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, MaybeAuthUser};
use crate::db::Db;
use crate::error::{ApiResult, Validator};
use crate::kit::body::{Json, not_null, nullable};
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::models::audit;
use crate::models::dialogue::{self as model, Finding, FollowUp, FollowUpFields, FollowUpStatus};
use crate::pagination::List;
use crate::routes::{path_id, uuid};
use crate::validation;

/// A finding of a dialogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8c00-0000-7000-8000-000000000101", "category": "kvalitet", "text": "Kommunerna har kommit olika långt med att säkerställa god kvalitet och säkerhet."}))]
pub struct FindingDto {
    pub id: Uuid,
    /// A grouping of the authority's choice, e.g. "kvalitet".
    pub category: Option<String>,
    pub text: String,
}

impl From<Finding> for FindingDto {
    fn from(f: Finding) -> Self {
        Self {
            id: uuid(&f.id),
            category: f.category,
            text: f.text,
        }
    }
}

/// A follow-up of a dialogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8c00-0000-7000-8000-000000000201", "description": "Återföra lärdomar från tillsynen till kommunerna", "responsible_organization_id": "019a84f4-0000-7000-8000-00000000000a", "due_on": "2021-11-30", "status": "open"}))]
pub struct FollowUpDto {
    pub id: Uuid,
    pub description: String,
    pub responsible_organization_id: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
    pub status: FollowUpStatus,
}

impl From<FollowUp> for FollowUpDto {
    fn from(f: FollowUp) -> Self {
        Self {
            id: uuid(&f.id),
            responsible_organization_id: f.responsible_organization_id.as_deref().map(uuid),
            status: FollowUpStatus::parse(&f.status).unwrap_or(FollowUpStatus::Open),
            description: f.description,
            due_on: f.due_on,
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

/// Validates a new follow-up; `prefix` names where it sits in the request.
pub fn follow_up_fields(v: &mut Validator, prefix: &str, f: &NewFollowUp) -> FollowUpFields {
    FollowUpFields {
        description: validation::text(v, &format!("{prefix}description"), &f.description, 1, 5000),
        responsible_organization_id: f
            .responsible_organization_id
            .as_deref()
            .map(|o| validation::uuid(v, &format!("{prefix}responsible_organization_id"), o)),
        due_on: f.due_on,
        status: match f.status.as_deref() {
            None => FollowUpStatus::Open,
            Some(s) => FollowUpStatus::parse(s).unwrap_or_else(|| {
                v.add(&format!("{prefix}status"), FollowUpStatus::expected());
                FollowUpStatus::Open
            }),
        },
    }
}

/// The dialogue's findings.
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The findings", body = List<FindingDto>))
)]
#[get("/supervisory-dialogues/{id}/findings")]
pub async fn list_findings(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let rows = db
        .read(move |conn| {
            model::find_visible(conn, &viewer, &id)?;
            model::findings(conn, &id)
        })
        .await?;
    let data: Vec<FindingDto> = rows.into_iter().map(FindingDto::from).collect();
    Ok(HttpResponse::Ok().json(List::all(data, &req)))
}

/// Add a finding (the supervising authority, and admins).
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id")),
    request_body = NewFinding,
    security(("bearer" = [])),
    responses((status = 201, description = "Added", body = FindingDto, headers(("Location" = String, description = "The finding's address"))))
)]
#[post("/supervisory-dialogues/{id}/findings")]
pub async fn add_finding(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: Json<NewFinding>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let mut v = Validator::new();
    let category =
        validation::optional_text(&mut v, "category", body.body.category.as_deref(), 100);
    let text = validation::text(&mut v, "text", &body.body.text, 1, 10_000);
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let operation = format!("POST /supervisory-dialogues/{id}/findings");
    idempotency::create(
        &db,
        &auth,
        key,
        &operation,
        Some(&body.canonical),
        move |conn| {
            model::find_writable(conn, &viewer, &id)?;
            let f = model::add_finding(conn, &id, category.as_deref(), &text)?;
            audit::record(
                conn,
                &actor,
                "supervisory_dialogue.finding_add",
                "supervisory_dialogue",
                Some(&id),
                "success",
            )?;
            let location = format!("/api/v1/supervisory-dialogues/{id}/findings/{}", f.id);
            Ok(Created::unversioned(location, &FindingDto::from(f)))
        },
    )
    .await
}

/// Change a finding (the supervising authority, and admins).
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id"), ("finding_id" = Uuid, Path, description = "The finding's id")),
    request_body = UpdateFinding,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed finding", body = FindingDto))
)]
#[patch("/supervisory-dialogues/{id}/findings/{finding_id}")]
pub async fn update_finding(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    body: Json<UpdateFinding>,
) -> ApiResult<HttpResponse> {
    let (id, finding_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let change = body.body;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let finding = db
        .write(move |conn| {
            model::find_writable(conn, &viewer, &id)?;
            let current = model::finding(conn, &id, &finding_id)?;
            let mut v = Validator::new();
            let category = match change.category {
                Some(c) => validation::optional_text(&mut v, "category", c.as_deref(), 100),
                None => current.category.clone(),
            };
            let text = validation::text(
                &mut v,
                "text",
                change.text.as_deref().unwrap_or(&current.text),
                1,
                10_000,
            );
            v.finish()?;
            let f = model::update_finding(conn, &id, &finding_id, category.as_deref(), &text)?;
            audit::record(
                conn,
                &actor,
                "supervisory_dialogue.finding_update",
                "supervisory_dialogue",
                Some(&id),
                "success",
            )?;
            Ok(f)
        })
        .await?;
    Ok(HttpResponse::Ok().json(FindingDto::from(finding)))
}

/// Remove a finding (the supervising authority, and admins).
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id"), ("finding_id" = Uuid, Path, description = "The finding's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Removed"))
)]
#[delete("/supervisory-dialogues/{id}/findings/{finding_id}")]
pub async fn remove_finding(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (id, finding_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let viewer = auth.viewer();
    let actor = auth.actor();
    db.write(move |conn| {
        model::find_writable(conn, &viewer, &id)?;
        model::remove_finding(conn, &id, &finding_id)?;
        audit::record(
            conn,
            &actor,
            "supervisory_dialogue.finding_remove",
            "supervisory_dialogue",
            Some(&id),
            "success",
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The dialogue's follow-ups.
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The follow-ups", body = List<FollowUpDto>))
)]
#[get("/supervisory-dialogues/{id}/follow-ups")]
pub async fn list_follow_ups(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let rows = db
        .read(move |conn| {
            model::find_visible(conn, &viewer, &id)?;
            model::follow_ups(conn, &id)
        })
        .await?;
    let data: Vec<FollowUpDto> = rows.into_iter().map(FollowUpDto::from).collect();
    Ok(HttpResponse::Ok().json(List::all(data, &req)))
}

/// Add a follow-up (the supervising authority, and admins).
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id")),
    request_body = NewFollowUp,
    security(("bearer" = [])),
    responses((status = 201, description = "Added", body = FollowUpDto, headers(("Location" = String, description = "The follow-up's address"))))
)]
#[post("/supervisory-dialogues/{id}/follow-ups")]
pub async fn add_follow_up(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: Json<NewFollowUp>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let mut v = Validator::new();
    let fields = follow_up_fields(&mut v, "", &body.body);
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let operation = format!("POST /supervisory-dialogues/{id}/follow-ups");
    idempotency::create(
        &db,
        &auth,
        key,
        &operation,
        Some(&body.canonical),
        move |conn| {
            model::find_writable(conn, &viewer, &id)?;
            let f = model::save_follow_up(conn, &id, None, &fields)?;
            audit::record(
                conn,
                &actor,
                "supervisory_dialogue.follow_up_add",
                "supervisory_dialogue",
                Some(&id),
                "success",
            )?;
            let location = format!("/api/v1/supervisory-dialogues/{id}/follow-ups/{}", f.id);
            Ok(Created::unversioned(location, &FollowUpDto::from(f)))
        },
    )
    .await
}

/// Change a follow-up, e.g. mark it done (the supervising authority, and admins).
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id"), ("follow_up_id" = Uuid, Path, description = "The follow-up's id")),
    request_body = UpdateFollowUp,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed follow-up", body = FollowUpDto))
)]
#[patch("/supervisory-dialogues/{id}/follow-ups/{follow_up_id}")]
pub async fn update_follow_up(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    body: Json<UpdateFollowUp>,
) -> ApiResult<HttpResponse> {
    let (id, follow_up_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let change = body.body;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let follow_up = db
        .write(move |conn| {
            model::find_writable(conn, &viewer, &id)?;
            let current = model::follow_up(conn, &id, &follow_up_id)?;
            let mut v = Validator::new();
            let fields = FollowUpFields {
                description: validation::text(
                    &mut v,
                    "description",
                    change
                        .description
                        .as_deref()
                        .unwrap_or(&current.description),
                    1,
                    5000,
                ),
                responsible_organization_id: match change.responsible_organization_id {
                    Some(o) => {
                        o.map(|o| validation::uuid(&mut v, "responsible_organization_id", &o))
                    }
                    None => current.responsible_organization_id.clone(),
                },
                due_on: change.due_on.unwrap_or(current.due_on),
                status: match change.status.as_deref() {
                    None => FollowUpStatus::parse(&current.status).unwrap_or(FollowUpStatus::Open),
                    Some(s) => FollowUpStatus::parse(s).unwrap_or_else(|| {
                        v.add("status", FollowUpStatus::expected());
                        FollowUpStatus::Open
                    }),
                },
            };
            v.finish()?;
            let f = model::save_follow_up(conn, &id, Some(&follow_up_id), &fields)?;
            audit::record(
                conn,
                &actor,
                "supervisory_dialogue.follow_up_update",
                "supervisory_dialogue",
                Some(&id),
                "success",
            )?;
            Ok(f)
        })
        .await?;
    Ok(HttpResponse::Ok().json(FollowUpDto::from(follow_up)))
}

/// Remove a follow-up (the supervising authority, and admins).
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(("id" = Uuid, Path, description = "The dialogue's id"), ("follow_up_id" = Uuid, Path, description = "The follow-up's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Removed"))
)]
#[delete("/supervisory-dialogues/{id}/follow-ups/{follow_up_id}")]
pub async fn remove_follow_up(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (id, follow_up_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let viewer = auth.viewer();
    let actor = auth.actor();
    db.write(move |conn| {
        model::find_writable(conn, &viewer, &id)?;
        model::remove_follow_up(conn, &id, &follow_up_id)?;
        audit::record(
            conn,
            &actor,
            "supervisory_dialogue.follow_up_remove",
            "supervisory_dialogue",
            Some(&id),
            "success",
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_findings)
        .service(add_finding)
        .service(update_finding)
        .service(remove_finding)
        .service(list_follow_ups)
        .service(add_follow_up)
        .service(update_follow_up)
        .service(remove_follow_up);
}
