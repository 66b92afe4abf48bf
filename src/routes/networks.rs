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
use crate::kit::body::{Json, not_null, nullable};
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::models::access::Visibility;
use crate::models::network::{self as model, Network, NetworkFields, NetworkFilter, NetworkStatus};
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
    /// One row per organization that was a member during the period, by name.
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
                // Only organizations that were members at some time in the period.
                let joined_after = matches!((member.joined_on, to), (Some(j), Some(t)) if j > t);
                let left_before = matches!((member.left_on, from), (Some(l), Some(f)) if l < f);
                if joined_after || left_before {
                    continue;
                }
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
        .service(get_participation);
}
