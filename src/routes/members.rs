//! `/api/v1/networks/{id}/members`: the organizations that are members of a network.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, MaybeAuthUser};
use crate::db::Db;
use crate::error::{ApiResult, Validator};
use crate::etag::IfMatch;
use crate::kit::body::{Json, nullable};
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::models::audit;
use crate::models::network::{self as model, Member};
use crate::pagination::List;
use crate::routes::{ok_with_etag, path_id, today, utc, uuid};
use crate::validation;

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

impl From<Member> for MemberDto {
    fn from(m: Member) -> Self {
        Self {
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

/// A change to a membership's dates.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"left_on": "2021-06-30"}))]
pub struct UpdateMember {
    #[serde(default, deserialize_with = "nullable")]
    pub joined_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub left_on: Option<Option<NaiveDate>>,
}

fn check_dates(joined: Option<NaiveDate>, left: Option<NaiveDate>) -> ApiResult<()> {
    let mut v = Validator::new();
    if let (Some(j), Some(l)) = (joined, left) {
        v.check(l >= j, "left_on", "must not be before joined_on");
    }
    v.finish()
}

/// List a network's member organizations.
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The members, current and former", body = List<MemberDto>))
)]
#[get("/networks/{id}/members")]
pub async fn list_members(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let members = db
        .read(move |conn| {
            model::find_visible(conn, &viewer, &id, today())?;
            model::members(conn, &id)
        })
        .await?;
    let data: Vec<MemberDto> = members.into_iter().map(MemberDto::from).collect();
    Ok(HttpResponse::Ok().json(List::all(data, &req)))
}

/// Add a member organization (coordinators and admins).
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id")),
    request_body = AddMember,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = MemberDto, headers(("Location" = String, description = "The membership's address"))),
        (status = 409, description = "The organization is a member already", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/networks/{id}/members")]
pub async fn add_member(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: Json<AddMember>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let input = body.body;
    let mut v = Validator::new();
    let organization_id = validation::uuid(&mut v, "organization_id", &input.organization_id);
    v.finish()?;
    check_dates(input.joined_on, input.left_on)?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let operation = format!("POST /networks/{id}/members");
    idempotency::create(&db, &auth, key, &operation, &body.canonical, move |conn| {
        model::find_managed(conn, &viewer, &id, today())?;
        let member =
            model::add_member(conn, &id, &organization_id, input.joined_on, input.left_on)?;
        audit::record(
            conn,
            &actor,
            "network.member_add",
            "network",
            Some(&id),
            "success",
        )?;
        Ok(Created::new(
            format!("/api/v1/networks/{id}/members/{}", member.id),
            member.version,
            &MemberDto::from(member),
        ))
    })
    .await
}

/// Change a membership's dates (coordinators and admins).
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id"), ("member_id" = Uuid, Path, description = "The membership's id")),
    request_body = UpdateMember,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed membership", body = MemberDto))
)]
#[patch("/networks/{id}/members/{member_id}")]
pub async fn update_member(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Json<UpdateMember>,
) -> ApiResult<HttpResponse> {
    let (id, member_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let change = body.body;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let member = db
        .write(move |conn| {
            model::find_managed(conn, &viewer, &id, today())?;
            let current = model::member(conn, &id, &member_id)?;
            let joined = change.joined_on.unwrap_or(current.joined_on);
            let left = change.left_on.unwrap_or(current.left_on);
            check_dates(joined, left)?;
            if_match.check(current.version)?;
            let member = model::update_member(conn, &id, &member_id, joined, left)?;
            audit::record(
                conn,
                &actor,
                "network.member_update",
                "network",
                Some(&id),
                "success",
            )?;
            Ok(member)
        })
        .await?;
    Ok(ok_with_etag(member.version, &MemberDto::from(member)))
}

/// Remove a member organization (coordinators and admins). To keep the history, set
/// `left_on` instead.
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id"), ("member_id" = Uuid, Path, description = "The membership's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Removed"))
)]
#[delete("/networks/{id}/members/{member_id}")]
pub async fn remove_member(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let (id, member_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let viewer = auth.viewer();
    let actor = auth.actor();
    db.write(move |conn| {
        model::find_managed(conn, &viewer, &id, today())?;
        if_match.check(model::member(conn, &id, &member_id)?.version)?;
        model::remove_member(conn, &id, &member_id)?;
        audit::record(
            conn,
            &actor,
            "network.member_remove",
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
    cfg.service(list_members)
        .service(add_member)
        .service(update_member)
        .service(remove_member);
}
