//! `/api/v1/networks/{id}/participants`: the people taking part, coordinators and members.

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
use crate::models::access::ParticipantRole;
use crate::models::audit;
use crate::models::network::{self as model, Participant};
use crate::pagination::List;
use crate::routes::{ok_with_etag, path_id, today, utc, uuid};
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

fn participant_dto(p: Participant, name: String) -> ParticipantDto {
    ParticipantDto {
        id: uuid(&p.id),
        network_id: uuid(&p.network_id),
        person_id: uuid(&p.person_id),
        name,
        role: ParticipantRole::parse(&p.role).unwrap_or(ParticipantRole::Member),
        on_behalf_of_organization_id: p.on_behalf_of_organization_id.as_deref().map(uuid),
        version: p.version,
        created_at: utc(p.created_at),
        updated_at: utc(p.updated_at),
    }
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

/// A change to a participant.
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

fn parse_role(v: &mut Validator, role: &str) -> ParticipantRole {
    ParticipantRole::parse(role).unwrap_or_else(|| {
        v.add("role", ParticipantRole::expected());
        ParticipantRole::Member
    })
}

/// List a network's participants.
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The participants, coordinators first", body = List<ParticipantDto>))
)]
#[get("/networks/{id}/participants")]
pub async fn list_participants(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let rows = db
        .read(move |conn| {
            model::find_visible(conn, &viewer, &id, today())?;
            model::participants(conn, &id)
        })
        .await?;
    let data: Vec<ParticipantDto> = rows
        .into_iter()
        .map(|(p, name)| participant_dto(p, name))
        .collect();
    Ok(HttpResponse::Ok().json(List::all(data, &req)))
}

/// Add a participant (coordinators and admins).
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id")),
    request_body = AddParticipant,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = ParticipantDto, headers(("Location" = String, description = "The participant's address"))),
        (status = 409, description = "The person takes part already", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/networks/{id}/participants")]
pub async fn add_participant(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: Json<AddParticipant>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let input = body.body;
    let mut v = Validator::new();
    let person_id = validation::uuid(&mut v, "person_id", &input.person_id);
    let role = input
        .role
        .as_deref()
        .map_or(ParticipantRole::Member, |r| parse_role(&mut v, r));
    let on_behalf = input
        .on_behalf_of_organization_id
        .as_deref()
        .map(|o| validation::uuid(&mut v, "on_behalf_of_organization_id", o));
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let operation = format!("POST /networks/{id}/participants");
    idempotency::create(&db, &auth, key, &operation, &body.canonical, move |conn| {
        model::find_managed(conn, &viewer, &id, today())?;
        let p = model::add_participant(conn, &id, &person_id, role, on_behalf.as_deref())?;
        let name = crate::models::person::find(conn, &person_id)?.name;
        audit::record(
            conn,
            &actor,
            "network.participant_add",
            "network",
            Some(&id),
            "success",
        )?;
        Ok(Created::new(
            format!("/api/v1/networks/{id}/participants/{}", p.id),
            p.version,
            &participant_dto(p, name),
        ))
    })
    .await
}

/// Change a participant's role (coordinators and admins).
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id"), ("participant_id" = Uuid, Path, description = "The participant's id")),
    request_body = UpdateParticipant,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed participant", body = ParticipantDto))
)]
#[patch("/networks/{id}/participants/{participant_id}")]
pub async fn update_participant(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Json<UpdateParticipant>,
) -> ApiResult<HttpResponse> {
    let (id, participant_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let change = body.body;
    let mut v = Validator::new();
    let role = change.role.as_deref().map(|r| parse_role(&mut v, r));
    let on_behalf = change
        .on_behalf_of_organization_id
        .map(|o| o.map(|o| validation::uuid(&mut v, "on_behalf_of_organization_id", &o)));
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let (p, name) = db
        .write(move |conn| {
            model::find_managed(conn, &viewer, &id, today())?;
            let current = model::participant(conn, &id, &participant_id)?;
            if_match.check(current.version)?;
            let role = role.unwrap_or(
                ParticipantRole::parse(&current.role).unwrap_or(ParticipantRole::Member),
            );
            let on_behalf = on_behalf.unwrap_or(current.on_behalf_of_organization_id.clone());
            let p =
                model::update_participant(conn, &id, &participant_id, role, on_behalf.as_deref())?;
            let name = crate::models::person::find(conn, &p.person_id)?.name;
            audit::record(
                conn,
                &actor,
                "network.participant_update",
                "network",
                Some(&id),
                "success",
            )?;
            Ok((p, name))
        })
        .await?;
    Ok(ok_with_etag(p.version, &participant_dto(p, name)))
}

/// Remove a participant (coordinators and admins).
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id"), ("participant_id" = Uuid, Path, description = "The participant's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Removed"))
)]
#[delete("/networks/{id}/participants/{participant_id}")]
pub async fn remove_participant(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let (id, participant_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let viewer = auth.viewer();
    let actor = auth.actor();
    db.write(move |conn| {
        model::find_managed(conn, &viewer, &id, today())?;
        if_match.check(model::participant(conn, &id, &participant_id)?.version)?;
        model::remove_participant(conn, &id, &participant_id)?;
        audit::record(
            conn,
            &actor,
            "network.participant_remove",
            "network",
            Some(&id),
            "success",
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_participants)
        .service(add_participant)
        .service(update_participant)
        .service(remove_participant);
}
