//! `/api/v1/people`: the contacts who attend meetings, take notes and own action items.
//! Every signed-in user reads and adds people; a person is changed by admins, by
//! users of the person's organization, and by the person's own account.

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
use crate::models::person::{self as model, Person, PersonFields, PersonFilter};
use crate::pagination::{Entry, List, ListQuery};
use crate::policy::Reach;
use crate::routes::{utc, uuid};
use crate::validation;

/// A person.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c",
    "name": "Jessica Svanström",
    "email": "jessica.svanstrom@partille.se",
    "phone": "+46 31 792 10 00",
    "title": "IFO-chef",
    "organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "user_id": null,
    "version": 1,
    "created_at": "2026-11-24T08:30:00Z",
    "updated_at": "2026-11-24T08:30:00Z"
}))]
pub struct PersonDto {
    pub id: Uuid,
    pub name: String,
    /// Unique among people, stored in lower case.
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Job title, e.g. "IFO-chef".
    pub title: Option<String>,
    pub organization_id: Option<Uuid>,
    /// The user account of this person, if they have one.
    pub user_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Person> for PersonDto {
    fn from(p: Person) -> Self {
        Self {
            id: uuid(&p.id),
            organization_id: p.organization_id.as_deref().map(uuid),
            user_id: p.user_id.as_deref().map(uuid),
            name: p.name,
            email: p.email,
            phone: p.phone,
            title: p.title,
            version: p.version,
            created_at: utc(p.created_at),
            updated_at: utc(p.updated_at),
        }
    }
}

/// A new person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Juan Navas", "email": "juan.navas@tjorn.se", "title": "Socialchef", "organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"}))]
pub struct CreatePerson {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    #[schema(max_length = 50)]
    pub phone: Option<String>,
    #[schema(max_length = 200)]
    pub title: Option<String>,
    #[schema(value_type = Option<Uuid>)]
    pub organization_id: Option<String>,
}

/// A change to a person; `null` clears an optional field. For someone with an
/// account, email and organization follow the account and cannot be changed here.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Verksamhetschef IFO"}))]
pub struct UpdatePerson {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 50)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 200)]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub organization_id: Option<Option<String>>,
}

/// Filters of the people list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    /// Only people of this organization.
    pub organization_id: Option<Uuid>,
    /// Only the person with this email.
    #[param(example = "juan.navas@tjorn.se")]
    pub email: Option<String>,
}

pub(crate) fn validate(fields: &mut PersonFields) -> ApiResult<()> {
    let mut v = Validator::new();
    fields.name = validation::text(&mut v, "name", &fields.name, 1, 200);
    fields.email = validation::optional_email(&mut v, "email", fields.email.as_deref());
    fields.phone = validation::optional_text(&mut v, "phone", fields.phone.as_deref(), 50);
    fields.title = validation::optional_text(&mut v, "title", fields.title.as_deref(), 200);
    if let Some(org) = &fields.organization_id {
        fields.organization_id = Some(validation::uuid(&mut v, "organization_id", org));
    }
    v.finish()
}

/// List people (every signed-in user).
#[utoipa::path(
    tag = "people",
    params(ListQuery, PersonQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of people", body = List<Entry<PersonDto>>))
)]
#[get("/people")]
pub async fn list_people(
    caller: Caller,
    db: web::Data<Db>,
    list: Query<ListQuery>,
    query: Query<PersonQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let page = list.get()?.page()?;
    let query = query.get()?;
    let filter = PersonFilter {
        organization_id: query.organization_id.map(|u| u.to_string()),
        email: query.email,
    };
    let limit = page.limit;
    let result = db
        .read(move |conn| model::list(conn, &page, &filter))
        .await?;
    let data = Entry::page(result.rows, PersonDto::from);
    Ok(List::new(data, limit, result.next, &req).respond())
}

/// Add a person (a contact without an account).
#[utoipa::path(
    tag = "people",
    request_body = CreatePerson,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = PersonDto,
            headers(("Location" = String, description = "The new person's address"), ("ETag" = String, description = "Its version"))),
        (status = 409, description = "A person with this email exists", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people")]
pub async fn create_person(
    caller: Caller,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Body<CreatePerson>,
) -> ApiResult<HttpResponse> {
    let user = caller.signed_in()?;
    let parsed = body.parse_canonical()?;
    let input = parsed.body;
    let mut fields = PersonFields {
        name: input.name,
        email: input.email,
        phone: input.phone,
        title: input.title,
        organization_id: input.organization_id,
    };
    validate(&mut fields)?;
    let actor = caller.actor();
    idempotency::create(
        &db,
        user,
        key,
        "POST /people",
        Some(&parsed.canonical),
        move |conn| {
            let person = model::create_contact(conn, fields)?;
            actor.record(conn, "person.create", "person", &person.id)?;
            Ok(Created::new(
                format!("/api/v1/people/{}", person.id),
                person.version,
                &PersonDto::from(person),
            ))
        },
    )
    .await
}

/// Change a person (admins, the person themself, and users of the person's organization).
#[utoipa::path(
    tag = "people",
    params(("id" = Uuid, Path, description = "The person's id")),
    request_body = UpdatePerson,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed person", body = PersonDto, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "A person with this email exists", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/people/{id}")]
pub async fn update_person(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
    body: Body<UpdatePerson>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let person = db
        .write(move |conn| {
            let current = writable(&reach, model::find_for_write(conn, &id), &if_match)?;
            let change = body.parse()?;
            let mut fields = PersonFields::of(&current);
            let mut v = Validator::new();
            if current.user_id.is_some() {
                v.check(
                    change.email.is_none(),
                    "email",
                    "follows the user account; change it there",
                );
                v.check(
                    change.organization_id.is_none(),
                    "organization_id",
                    "follows the user account; change it there",
                );
            }
            v.finish()?;
            crate::patch!(&mut v, fields, change, { name, email, phone, title, organization_id });
            validate(&mut fields)?;
            let person = model::update(conn, &current, fields)?;
            actor.record(conn, "person.update", "person", &id)?;
            Ok(person)
        })
        .await?;
    Ok(ok_with_etag(person.version, &PersonDto::from(person)))
}

/// People as the conventions kit serves them.
pub struct People;

impl Resource for People {
    type Row = Person;
    type Dto = PersonDto;
    const CALLERS: Callers = Callers::SignedIn;

    fn dto(shown: Person, _: &Reach) -> PersonDto {
        shown.into()
    }
}

crate::resource_routes!(
    People,
    tag = "people",
    route = ("/people/{id}"),
    id = "The person's id",
    dto = PersonDto,
    get = (
        get_person,
        ["Get a person."],
        "The person",
        security = [("bearer" = [])]
    ),
    delete = (
        delete_person,
        [
            "Delete a person (admins, the person's organization).",
            "",
            "Someone with a user account is not deleted here; deactivate the account instead (409).",
        ],
        "Deleted",
        conflict = "The person has a user account"
    ),
);

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_people)
        .service(create_person)
        .service(get_person)
        .service(update_person)
        .service(delete_person);
}
