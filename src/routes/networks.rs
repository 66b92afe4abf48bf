//! `/api/v1/networks`: networks with their member organizations and participants, and
//! the participation report. Readers follow `visibility`; coordinators and admins write.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, MaybeAuthUser};
use crate::db::Db;
use crate::error::{ApiError, ApiResult, Validator};
use crate::etag::IfMatch;
use crate::idempotency::{self, Created, IdempotencyKey};
use crate::json::{Json, not_null, nullable};
use crate::models::access::{ParticipantRole, Visibility};
use crate::models::network::{
    self as model, Member, Network, NetworkFields, NetworkFilter, NetworkStatus, Participant,
};
use crate::models::{audit, meeting, organization};
use crate::pagination::{Entry, List, ListQuery};
use crate::routes::{ok_with_etag, path_id, today, utc, uuid};
use crate::validation;

/// A network.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8600-0000-7000-8000-000000000001",
    "name": "IFO-chefsnätverket",
    "description": "Nätverk för chefer inom individ- och familjeomsorgen i Göteborgsregionen.",
    "owner_organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "status": "active",
    "focus_areas": ["ekonomiskt bistånd", "barn och unga"],
    "cadence": "1–2 gånger per termin",
    "visibility": "restricted",
    "contact_person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c",
    "started_on": "2019-01-15",
    "ended_on": null,
    "version": 3,
    "created_at": "2026-11-24T08:30:00Z",
    "updated_at": "2026-11-24T09:00:00Z"
}))]
pub struct NetworkDto {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    /// The organization that runs the network.
    pub owner_organization_id: Uuid,
    pub status: NetworkStatus,
    pub focus_areas: Vec<String>,
    /// How often it meets, in words, e.g. "1–2 gånger per termin".
    pub cadence: Option<String>,
    pub visibility: Visibility,
    pub contact_person_id: Option<Uuid>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Network> for NetworkDto {
    fn from(n: Network) -> Self {
        Self {
            id: uuid(&n.id),
            owner_organization_id: uuid(&n.owner_organization_id),
            status: NetworkStatus::parse(&n.status).unwrap_or(NetworkStatus::Active),
            focus_areas: n.focus_area_list(),
            visibility: Visibility::parse(&n.visibility).unwrap_or(Visibility::Restricted),
            contact_person_id: n.contact_person_id.as_deref().map(uuid),
            name: n.name,
            description: n.description,
            cadence: n.cadence,
            started_on: n.started_on,
            ended_on: n.ended_on,
            version: n.version,
            created_at: utc(n.created_at),
            updated_at: utc(n.updated_at),
        }
    }
}

fn entry(n: Network) -> Entry<NetworkDto> {
    match n.deleted_at {
        Some(at) => Entry::tombstone(&n.id, at),
        None => Entry::Live(n.into()),
    }
}

/// A new network. The creator becomes its first coordinator.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Välfärdsteknik i vård och omsorg",
    "description": "Lärande nätverk för kommunernas arbete med välfärdsteknik.",
    "owner_organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "focus_areas": ["digitala nattbesök", "trygghetslarm"],
    "cadence": "1–2 gånger per termin",
    "visibility": "internal"
}))]
pub struct CreateNetwork {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    /// Non-admins may only create networks owned by their own organization.
    #[schema(value_type = Uuid)]
    pub owner_organization_id: String,
    /// Default `active`.
    #[schema(value_type = Option<NetworkStatus>)]
    pub status: Option<String>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub focus_areas: Vec<String>,
    #[schema(max_length = 200)]
    pub cadence: Option<String>,
    /// Default `internal`.
    #[schema(value_type = Option<Visibility>)]
    pub visibility: Option<String>,
    #[schema(value_type = Option<Uuid>)]
    pub contact_person_id: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
}

/// A change to a network; `null` clears an optional field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "paused", "cadence": "vilande under pandemin"}))]
pub struct UpdateNetwork {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 10000)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Uuid)]
    pub owner_organization_id: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = NetworkStatus)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<String>, max_items = 50)]
    pub focus_areas: Option<Vec<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 200)]
    pub cadence: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Visibility)]
    pub visibility: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub contact_person_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub started_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub ended_on: Option<Option<NaiveDate>>,
}

/// Filters of the network list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetworkQuery {
    pub status: Option<NetworkStatus>,
    pub owner_organization_id: Option<Uuid>,
    /// Only networks this organization is (or was) a member of.
    pub member_organization_id: Option<Uuid>,
    /// Only networks with this focus area (or this text in it).
    #[param(example = "välfärdsteknik", max_length = 200)]
    pub focus_area: Option<String>,
}

fn validate(
    fields: &mut NetworkFields,
    status: Option<&str>,
    visibility: Option<&str>,
) -> ApiResult<()> {
    let mut v = Validator::new();
    fields.name = validation::text(&mut v, "name", &fields.name, 1, 200);
    fields.description =
        validation::optional_text(&mut v, "description", fields.description.as_deref(), 10_000);
    fields.cadence = validation::optional_text(&mut v, "cadence", fields.cadence.as_deref(), 200);
    fields.owner_organization_id = validation::uuid(
        &mut v,
        "owner_organization_id",
        &fields.owner_organization_id,
    );
    if let Some(person) = &fields.contact_person_id {
        fields.contact_person_id = Some(validation::uuid(&mut v, "contact_person_id", person));
    }
    v.check(fields.focus_areas.len() <= 50, "focus_areas", "at most 50");
    let mut areas = Vec::new();
    for (i, area) in fields.focus_areas.iter().enumerate() {
        areas.push(validation::text(
            &mut v,
            &format!("focus_areas[{i}]"),
            area,
            1,
            200,
        ));
    }
    fields.focus_areas = areas;
    if let Some(status) = status {
        match NetworkStatus::parse(status) {
            Some(s) => fields.status = s,
            None => {
                v.add("status", NetworkStatus::expected());
            }
        }
    }
    if let Some(visibility) = visibility {
        match Visibility::parse(visibility) {
            Some(s) => fields.visibility = s,
            None => {
                v.add("visibility", Visibility::expected());
            }
        }
    }
    if let (Some(start), Some(end)) = (fields.started_on, fields.ended_on) {
        v.check(end >= start, "ended_on", "must not be before started_on");
    }
    v.finish()
}

/// List the networks you may see.
#[utoipa::path(
    tag = "networks",
    params(ListQuery, NetworkQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of networks", body = List<Entry<NetworkDto>>))
)]
#[get("/networks")]
pub async fn list_networks(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    list: web::Query<ListQuery>,
    query: web::Query<NetworkQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = list.page()?;
    let mut v = Validator::new();
    if let Some(area) = &query.focus_area {
        v.check(
            area.chars().count() <= 200,
            "focus_area",
            "must be at most 200 characters",
        );
    }
    v.finish()?;
    let viewer = auth.viewer();
    let filter = NetworkFilter {
        status: query.status,
        owner_organization_id: query.owner_organization_id.map(|u| u.to_string()),
        member_organization_id: query.member_organization_id.map(|u| u.to_string()),
        focus_area: query.focus_area.clone().filter(|f| !f.trim().is_empty()),
    };
    let limit = page.limit;
    let result = db
        .read(move |conn| model::list(conn, &viewer, &page, &filter, today()))
        .await?;
    let data = result.rows.into_iter().map(entry).collect();
    Ok(HttpResponse::Ok().json(List::new(data, limit, result.next, &req)))
}

/// Create a network.
#[utoipa::path(
    tag = "networks",
    request_body = CreateNetwork,
    security(("bearer" = [])),
    responses((status = 201, description = "Created; you are its first coordinator", body = NetworkDto,
        headers(("Location" = String, description = "The new network's address"), ("ETag" = String, description = "Its version"))))
)]
#[post("/networks")]
pub async fn create_network(
    auth: AuthUser,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Json<CreateNetwork>,
) -> ApiResult<HttpResponse> {
    let input = body.body;
    let mut fields = NetworkFields {
        name: input.name,
        description: input.description,
        owner_organization_id: input.owner_organization_id,
        status: NetworkStatus::Active,
        focus_areas: input.focus_areas,
        cadence: input.cadence,
        visibility: Visibility::Internal,
        contact_person_id: input.contact_person_id,
        started_on: input.started_on,
        ended_on: input.ended_on,
    };
    validate(
        &mut fields,
        input.status.as_deref(),
        input.visibility.as_deref(),
    )?;
    if !auth.is_admin()
        && auth.user.organization_id.as_deref() != Some(fields.owner_organization_id.as_str())
    {
        return Err(ApiError::forbidden(
            "you may create networks owned by your own organization only",
        ));
    }
    let actor = auth.actor();
    let person = auth.user.person_id.clone();
    idempotency::create(
        &db,
        &auth,
        key,
        "POST /networks",
        &body.canonical,
        move |conn| {
            let network = model::create(conn, fields, Some(&person))?;
            audit::record(
                conn,
                &actor,
                "network.create",
                "network",
                Some(&network.id),
                "success",
            )?;
            Ok(Created::new(
                format!("/api/v1/networks/{}", network.id),
                network.version,
                &NetworkDto::from(network),
            ))
        },
    )
    .await
}

/// Get a network.
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The network", body = NetworkDto, headers(("ETag" = String, description = "Its version"))))
)]
#[get("/networks/{id}")]
pub async fn get_network(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let (network, _) = db
        .read(move |conn| model::find_visible(conn, &viewer, &id, today()))
        .await?;
    Ok(ok_with_etag(network.version, &NetworkDto::from(network)))
}

/// Change a network (coordinators and admins).
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id")),
    request_body = UpdateNetwork,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed network", body = NetworkDto, headers(("ETag" = String, description = "Its new version"))))
)]
#[patch("/networks/{id}")]
pub async fn update_network(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: Json<UpdateNetwork>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let change = body.body;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let network = db
        .write(move |conn| {
            let current = model::find_managed(conn, &viewer, &id, today())?;
            let mut fields = NetworkFields::of(&current);
            if let Some(v) = change.name {
                fields.name = v;
            }
            if let Some(v) = change.description {
                fields.description = v;
            }
            if let Some(v) = change.owner_organization_id {
                fields.owner_organization_id = v;
            }
            if let Some(v) = change.focus_areas {
                fields.focus_areas = v;
            }
            if let Some(v) = change.cadence {
                fields.cadence = v;
            }
            if let Some(v) = change.contact_person_id {
                fields.contact_person_id = v;
            }
            if let Some(v) = change.started_on {
                fields.started_on = v;
            }
            if let Some(v) = change.ended_on {
                fields.ended_on = v;
            }
            validate(
                &mut fields,
                change.status.as_deref(),
                change.visibility.as_deref(),
            )?;
            if_match.check(current.version)?;
            let network = model::update(conn, &id, current.version, fields)?;
            audit::record(
                conn,
                &actor,
                "network.update",
                "network",
                Some(&id),
                "success",
            )?;
            Ok(network)
        })
        .await?;
    Ok(ok_with_etag(network.version, &NetworkDto::from(network)))
}

/// Delete a network (coordinators and admins).
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted; sync clients see a tombstone"))
)]
#[delete("/networks/{id}")]
pub async fn delete_network(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    db.write(move |conn| {
        let current = model::find_managed(conn, &viewer, &id, today())?;
        if_match.check(current.version)?;
        model::delete(conn, &id, current.version)?;
        audit::record(
            conn,
            &actor,
            "network.delete",
            "network",
            Some(&id),
            "success",
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

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
    let limit = data.len().max(1) as i64;
    Ok(HttpResponse::Ok().json(List::new(data, limit, None, &req)))
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
    let limit = data.len().max(1) as i64;
    Ok(HttpResponse::Ok().json(List::new(data, limit, None, &req)))
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

/// The period of a participation report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day counted (inclusive).
    #[param(example = "2020-01-01")]
    pub from: Option<NaiveDate>,
    /// Last day counted (inclusive).
    #[param(example = "2020-12-31")]
    pub to: Option<NaiveDate>,
}

/// One member organization's participation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1", "name": "Partille kommun", "meetings_held": 4, "meetings_attended": 3, "share": 0.75}))]
pub struct OrganizationParticipation {
    pub organization_id: Uuid,
    pub name: String,
    /// Meetings of the network held in the period.
    pub meetings_held: i64,
    /// Of those, the meetings someone attended (present) on the organization's behalf.
    pub meetings_attended: i64,
    /// `meetings_attended / meetings_held`; `null` when none were held.
    pub share: Option<f64>,
}

/// How the member organizations took part in a network's meetings.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "network_id": "019a8600-0000-7000-8000-000000000001",
    "from": "2020-01-01",
    "to": "2020-12-31",
    "meetings_held": 4,
    "organizations": [{"organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1", "name": "Partille kommun", "meetings_held": 4, "meetings_attended": 3, "share": 0.75}]
}))]
pub struct ParticipationReport {
    pub network_id: Uuid,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub meetings_held: i64,
    /// One row per member organization, by name.
    pub organizations: Vec<OrganizationParticipation>,
}

/// Participation report: per member organization, meetings held, attended and the share.
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id"), PeriodQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The report", body = ParticipationReport))
)]
#[get("/networks/{id}/participation")]
pub async fn get_participation(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    period: web::Query<PeriodQuery>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let (from, to) = (period.from, period.to);
    let mut v = Validator::new();
    if let (Some(f), Some(t)) = (from, to) {
        v.check(t >= f, "to", "must not be before from");
    }
    v.finish()?;
    let viewer = auth.viewer();
    let network_id = id.clone();
    let report = db
        .read(move |conn| {
            model::find_visible(conn, &viewer, &id, today())?;
            let start = from.map(|d| d.and_time(chrono::NaiveTime::MIN));
            let end = to.map(|d| (d + chrono::TimeDelta::days(1)).and_time(chrono::NaiveTime::MIN));
            let (held, attended) = meeting::participation(conn, &id, start, end)?;
            let mut rows = Vec::new();
            for member in model::members(conn, &id)? {
                let org = organization::find_any(conn, &member.organization_id)?;
                let count = attended
                    .iter()
                    .find(|(o, _)| *o == member.organization_id)
                    .map_or(0, |(_, n)| *n);
                rows.push(OrganizationParticipation {
                    organization_id: uuid(&org.id),
                    name: org.name,
                    meetings_held: held,
                    meetings_attended: count,
                    share: (held > 0).then(|| count as f64 / held as f64),
                });
            }
            rows.sort_by(|a, b| a.name.cmp(&b.name));
            Ok((held, rows))
        })
        .await?;
    Ok(HttpResponse::Ok().json(ParticipationReport {
        network_id: uuid(&network_id),
        from,
        to,
        meetings_held: report.0,
        organizations: report.1,
    }))
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_networks)
        .service(create_network)
        .service(get_network)
        .service(update_network)
        .service(delete_network)
        .service(list_members)
        .service(add_member)
        .service(update_member)
        .service(remove_member)
        .service(list_participants)
        .service(add_participant)
        .service(update_participant)
        .service(remove_participant)
        .service(get_participation);
}
