//! `/api/v1/networks`: networks. Readers follow `visibility`; coordinators and admins
//! write. Members, participants and the participation report are in their own modules.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::Db;
use crate::error::{ApiResult, Validator};
use crate::kit::body::{Body, not_null, nullable};
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::kit::precondition::IfMatch;
use crate::kit::query::{Id, Query};
use crate::kit::resource::{Callers, Resource};
use crate::kit::{ok_with_etag, writable};
use crate::models::network::{self as model, Network, NetworkFields, NetworkFilter, NetworkStatus};
use crate::pagination::{Entry, List, ListQuery};
use crate::policy::{Reach, Visibility};
use crate::routes::{utc, uuid};
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
            status: n.status,
            focus_areas: n.focus_areas.into_inner(),
            visibility: n.visibility,
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
    /// Your own organization (admins: any).
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
    /// Your own organization (admins: any).
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

/// Checks and normalizes the texts and dates of `fields`.
pub(crate) fn check(v: &mut Validator, fields: &mut NetworkFields) {
    fields.name = validation::text(v, "name", &fields.name, 1, 200);
    fields.description =
        validation::optional_text(v, "description", fields.description.as_deref(), 10_000);
    fields.cadence = validation::optional_text(v, "cadence", fields.cadence.as_deref(), 200);
    v.check(fields.focus_areas.len() <= 50, "focus_areas", "at most 50");
    let areas: Vec<String> = fields
        .focus_areas
        .iter()
        .enumerate()
        .map(|(i, area)| validation::text(v, &format!("focus_areas[{i}]"), area, 1, 200))
        .collect();
    fields.focus_areas.0 = areas;
    if let (Some(start), Some(end)) = (fields.started_on, fields.ended_on) {
        v.check(end >= start, "ended_on", "must not be before started_on");
    }
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
    caller: Caller,
    db: web::Data<Db>,
    list: Query<ListQuery>,
    query: Query<NetworkQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = list.get()?.page()?;
    let query = query.get()?;
    let mut v = Validator::new();
    if let Some(area) = &query.focus_area {
        v.check(
            area.chars().count() <= 200,
            "focus_area",
            "must be at most 200 characters",
        );
    }
    v.finish()?;
    let filter = NetworkFilter {
        status: query.status,
        owner_organization_id: query.owner_organization_id.map(|u| u.to_string()),
        member_organization_id: query.member_organization_id.map(|u| u.to_string()),
        focus_area: query.focus_area.filter(|f| !f.trim().is_empty()),
    };
    let (limit, reach) = (page.limit, caller.reach);
    let result = db
        .read(move |conn| model::list(conn, &reach, &page, &filter))
        .await?;
    let data = Entry::page(result.rows, NetworkDto::from);
    Ok(List::new(data, limit, result.next, &req).respond())
}

/// Create a network owned by your own organization (admins: any); you become its first
/// coordinator.
#[utoipa::path(
    tag = "networks",
    request_body = CreateNetwork,
    security(("bearer" = [])),
    responses((status = 201, description = "Created; you are its first coordinator", body = NetworkDto,
        headers(("Location" = String, description = "The new network's address"), ("ETag" = String, description = "Its version"))))
)]
#[post("/networks")]
pub async fn create_network(
    caller: Caller,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Body<CreateNetwork>,
) -> ApiResult<HttpResponse> {
    let user = caller.signed_in()?;
    if let Some(owner) = body.peek("owner_organization_id") {
        caller
            .reach
            .on_behalf_of("owner_organization_id", owner, None)?;
    }
    let input = body.parse_canonical()?;
    let fingerprint = input.canonical;
    let input = input.body;
    let mut v = Validator::new();
    let owner = validation::uuid(
        &mut v,
        "owner_organization_id",
        &input.owner_organization_id,
    );
    let mut fields = NetworkFields::new(input.name, owner);
    fields.description = input.description;
    if let Some(s) = validation::optional_choice(&mut v, "status", input.status.as_deref()) {
        fields.status = s;
    }
    fields.focus_areas.0 = input.focus_areas;
    fields.cadence = input.cadence;
    if let Some(s) = validation::optional_choice(&mut v, "visibility", input.visibility.as_deref())
    {
        fields.visibility = s;
    }
    fields.contact_person_id = input
        .contact_person_id
        .map(|p| validation::uuid(&mut v, "contact_person_id", &p));
    fields.started_on = input.started_on;
    fields.ended_on = input.ended_on;
    check(&mut v, &mut fields);
    v.finish()?;
    let (actor, person) = (caller.actor(), user.user.person_id.clone());
    idempotency::create(
        &db,
        user,
        key,
        "POST /networks",
        Some(&fingerprint),
        move |conn| {
            let network = crate::models::membership::create_network(conn, fields, &person)?;
            actor.record(conn, "network.create", "network", &network.id)?;
            Ok(Created::new(
                format!("/api/v1/networks/{}", network.id),
                network.version,
                &NetworkDto::from(network),
            ))
        },
    )
    .await
}

/// Change a network (coordinators and admins). Only admins may give it to an
/// organization other than their own.
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id")),
    request_body = UpdateNetwork,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed network", body = NetworkDto, headers(("ETag" = String, description = "Its new version"))))
)]
#[patch("/networks/{id}")]
pub async fn update_network(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
    body: Body<UpdateNetwork>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let network = db
        .write(move |conn| {
            let current = writable(&reach, model::find(conn, &reach, &id, true), &if_match)?;
            let change = body.parse()?;
            let mut v = Validator::new();
            let mut fields = NetworkFields::of(&current);
            if let Some(owner) = change.owner_organization_id {
                let owner = validation::uuid(&mut v, "owner_organization_id", &owner);
                if owner != current.owner_organization_id {
                    reach.on_behalf_of("owner_organization_id", &owner, None)?;
                    fields.owner_organization_id = owner;
                }
            }
            crate::patch!(&mut v, fields, change, { name, description, status: choice, focus_areas: list, cadence, visibility: choice, contact_person_id: id, started_on, ended_on });
            check(&mut v, &mut fields);
            v.finish()?;
            let network = model::update(conn, &current, fields)?;
            actor.record(conn, "network.update", "network", &id)?;
            Ok(network)
        })
        .await?;
    Ok(ok_with_etag(network.version, &NetworkDto::from(network)))
}

/// Networks as the conventions kit serves them.
pub struct Networks;

impl Resource for Networks {
    type Row = Network;
    type Dto = NetworkDto;
    const CALLERS: Callers = Callers::Anyone;

    fn dto(network: Network, _: &Reach) -> NetworkDto {
        network.into()
    }
}

crate::resource_routes!(
    Networks,
    tag = "networks",
    route = ("/networks/{id}"),
    id = "The network's id",
    dto = NetworkDto,
    get = (
        get_network,
        ["Get a network."],
        "The network",
        security = [(), ("bearer" = [])]
    ),
    delete = (
        delete_network,
        ["Delete a network (coordinators and admins)."],
        "Deleted; sync clients see a tombstone"
    ),
);

/// Registers the handlers.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_networks)
        .service(create_network)
        .service(get_network)
        .service(update_network)
        .service(delete_network);
}
