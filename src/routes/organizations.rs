//! `/api/v1/organizations`: the model resource. Admins write; every signed-in user reads.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
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
use crate::models::organization::{
    self as model, Organization, OrganizationFields, OrganizationFilter, OrganizationKind,
};
use crate::pagination::{Entry, List, ListQuery};
use crate::policy::Reach;
use crate::routes::{utc, uuid};
use crate::validation;

/// An organization.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "name": "Göteborgsregionen",
    "short_name": "GR",
    "kind": "regional_association",
    "parent_id": null,
    "organization_number": "222000-1354",
    "municipality_code": null,
    "website": "https://goteborgsregionen.se",
    "email": "info@goteborgsregionen.se",
    "version": 1,
    "created_at": "2026-11-24T08:30:00Z",
    "updated_at": "2026-11-24T08:30:00Z"
}))]
pub struct OrganizationDto {
    pub id: Uuid,
    /// Full name, 1–200 characters.
    pub name: String,
    /// Abbreviation, e.g. "GR".
    pub short_name: Option<String>,
    pub kind: OrganizationKind,
    /// The organization this one is part of (a department under a municipality).
    pub parent_id: Option<Uuid>,
    /// Swedish organisation number, `NNNNNN-NNNN`.
    pub organization_number: Option<String>,
    /// The municipality's four-digit code (kommunkod).
    pub municipality_code: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    /// Increases with every change; send it back as `If-Match`.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Organization> for OrganizationDto {
    fn from(o: Organization) -> Self {
        Self {
            id: uuid(&o.id),
            kind: o.kind,
            parent_id: o.parent_id.as_deref().map(uuid),
            name: o.name,
            short_name: o.short_name,
            organization_number: o.organization_number,
            municipality_code: o.municipality_code,
            website: o.website,
            email: o.email,
            version: o.version,
            created_at: utc(o.created_at),
            updated_at: utc(o.updated_at),
        }
    }
}

/// A new organization.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Partille kommun",
    "short_name": "Partille",
    "kind": "municipality",
    "organization_number": "212000-1405",
    "municipality_code": "1402",
    "website": "https://www.partille.se"
}))]
pub struct CreateOrganization {
    /// 1–200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
    #[schema(max_length = 50)]
    pub short_name: Option<String>,
    #[schema(value_type = OrganizationKind)]
    pub kind: String,
    #[schema(value_type = Option<Uuid>)]
    pub parent_id: Option<String>,
    /// `NNNNNN-NNNN` with a valid check digit.
    #[schema(example = "212000-1405", pattern = "^[0-9]{6}-[0-9]{4}$")]
    pub organization_number: Option<String>,
    /// Four digits.
    #[schema(example = "1402", pattern = "^[0-9]{4}$")]
    pub municipality_code: Option<String>,
    /// An http(s) address.
    #[schema(
        example = "https://www.partille.se",
        pattern = r"^https?://[^\s/?#\[\]@:]+(:[0-9]{1,5})?([/?#][^\s]*)?$",
        max_length = 2000
    )]
    pub website: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
}

/// A change to an organization: only the fields sent change; `null` clears a field.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"short_name": "GR", "website": null}))]
pub struct UpdateOrganization {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 50)]
    pub short_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = OrganizationKind)]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub parent_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(pattern = "^[0-9]{6}-[0-9]{4}$")]
    pub organization_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(pattern = "^[0-9]{4}$")]
    pub municipality_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(
        example = "https://www.partille.se",
        pattern = r"^https?://[^\s/?#\[\]@:]+(:[0-9]{1,5})?([/?#][^\s]*)?$",
        max_length = 2000
    )]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<Option<String>>,
}

/// Filters of the organization list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    /// Only this kind.
    pub kind: Option<OrganizationKind>,
    /// Only the sub-organizations of this one.
    pub parent_id: Option<Uuid>,
    /// Only this municipality code.
    #[param(example = "1402")]
    pub municipality_code: Option<String>,
    /// Only this organisation number.
    #[param(example = "212000-1405")]
    pub organization_number: Option<String>,
}

/// Validates and normalizes every field; `field` names match the request.
pub(crate) fn validate(
    fields: &mut OrganizationFields,
    kind: Option<&str>,
    parent_id: Option<Option<&str>>,
) -> ApiResult<()> {
    let mut v = Validator::new();
    fields.name = validation::text(&mut v, "name", &fields.name, 1, 200);
    fields.short_name =
        validation::optional_text(&mut v, "short_name", fields.short_name.as_deref(), 50);
    if let Some(kind) = validation::optional_choice(&mut v, "kind", kind) {
        fields.kind = kind;
    }
    if let Some(parent) = parent_id {
        fields.parent_id = parent.map(|p| validation::uuid(&mut v, "parent_id", p));
    }
    fields.organization_number = fields
        .organization_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    if let Some(number) = &fields.organization_number {
        v.check_result(
            "organization_number",
            validation::check_organization_number(number),
        );
    }
    fields.municipality_code = fields
        .municipality_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    if let Some(code) = &fields.municipality_code {
        v.check_result(
            "municipality_code",
            validation::check_municipality_code(code),
        );
    }
    fields.website = validation::optional_url(&mut v, "website", fields.website.as_deref());
    fields.email = validation::optional_email(&mut v, "email", fields.email.as_deref());
    v.finish()
}

/// List organizations.
///
/// Every signed-in user may read organizations. With `modified_since`, deleted ones
/// come as tombstones.
#[utoipa::path(
    tag = "organizations",
    params(ListQuery, OrganizationQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of organizations", body = List<Entry<OrganizationDto>>))
)]
#[get("/organizations")]
pub async fn list_organizations(
    caller: Caller,
    db: web::Data<Db>,
    list: Query<ListQuery>,
    query: Query<OrganizationQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let page = list.get()?.page()?;
    let query = query.get()?;
    let filter = OrganizationFilter {
        kind: query.kind,
        parent_id: query.parent_id.map(|u| u.to_string()),
        municipality_code: query.municipality_code,
        organization_number: query.organization_number,
    };
    let limit = page.limit;
    let result = db
        .read(move |conn| model::list(conn, &page, &filter))
        .await?;
    let data = Entry::page(result.rows, OrganizationDto::from);
    Ok(List::new(data, limit, result.next, &req).respond())
}

/// Create an organization (admins).
#[utoipa::path(
    tag = "organizations",
    request_body = CreateOrganization,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = OrganizationDto,
            headers(("Location" = String, description = "The new organization's address"), ("ETag" = String, description = "Its version"))),
    )
)]
#[post("/organizations")]
pub async fn create_organization(
    caller: Caller,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Body<CreateOrganization>,
) -> ApiResult<HttpResponse> {
    let user = caller.signed_in()?;
    caller.reach.require_admin()?;
    let parsed = body.parse_canonical()?;
    let input = parsed.body;
    let mut fields = OrganizationFields {
        name: input.name,
        short_name: input.short_name,
        kind: OrganizationKind::Other,
        parent_id: None,
        organization_number: input.organization_number,
        municipality_code: input.municipality_code,
        website: input.website,
        email: input.email,
    };
    validate(
        &mut fields,
        Some(&input.kind),
        Some(input.parent_id.as_deref()),
    )?;
    let actor = caller.actor();
    idempotency::create(
        &db,
        user,
        key,
        "POST /organizations",
        Some(&parsed.canonical),
        move |conn| {
            let org = model::create(conn, fields)?;
            actor.record(conn, "organization.create", "organization", &org.id)?;
            Ok(Created::new(
                format!("/api/v1/organizations/{}", org.id),
                org.version,
                &OrganizationDto::from(org),
            ))
        },
    )
    .await
}

/// Change an organization (admins).
///
/// Send only the fields to change; `null` clears an optional field.
#[utoipa::path(
    tag = "organizations",
    params(("id" = Uuid, Path, description = "The organization's id")),
    request_body = UpdateOrganization,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed organization", body = OrganizationDto,
        headers(("ETag" = String, description = "Its new version"))))
)]
#[patch("/organizations/{id}")]
pub async fn update_organization(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
    body: Body<UpdateOrganization>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let org = db
        .write(move |conn| {
            let current = writable(&reach, model::find_for_write(conn, &id), &if_match)?;
            let change = body.parse()?;
            let mut fields = OrganizationFields::of(&current);
            crate::patch!(&mut v, fields, change, { name, short_name, organization_number, municipality_code, website, email });
            validate(
                &mut fields,
                change.kind.as_deref(),
                change.parent_id.as_ref().map(|p| p.as_deref()),
            )?;
            let org = model::update(conn, &current, fields)?;
            actor.record(conn, "organization.update", "organization", &org.id)?;
            Ok(org)
        })
        .await?;
    Ok(ok_with_etag(org.version, &OrganizationDto::from(org)))
}

/// Organizations as the conventions kit serves them.
pub struct Organizations;

impl Resource for Organizations {
    type Row = Organization;
    type Dto = OrganizationDto;
    const CALLERS: Callers = Callers::SignedIn;

    fn dto(shown: Organization, _: &Reach) -> OrganizationDto {
        shown.into()
    }
}

crate::resource_routes!(
    Organizations,
    tag = "organizations",
    route = ("/organizations/{id}"),
    id = "The organization's id",
    dto = OrganizationDto,
    get = (
        get_organization,
        ["Get an organization."],
        "The organization",
        security = [("bearer" = [])]
    ),
    delete = (
        delete_organization,
        [
            "Delete an organization (admins).",
            "",
            "A soft delete: sync clients see a tombstone. Refused with 409 while sub-organizations",
            "or active users belong to it.",
        ],
        "Deleted",
        conflict = "Sub-organizations or active users still belong to it"
    ),
);

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_organizations)
        .service(create_organization)
        .service(get_organization)
        .service(update_organization)
        .service(delete_organization);
}
