//! `/api/v1/people`: the contacts who attend meetings, take notes and own action items.
//! Every signed-in user reads and adds people; a person is changed by admins, by
//! users of the person's organization, and by the person's own account.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::db::Db;
use crate::error::{ApiError, ApiResult, Validator};
use crate::etag::IfMatch;
use crate::kit::body::{Json, not_null, nullable};
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::models::audit;
use crate::models::person::{self as model, Person, PersonFields, PersonFilter};
use crate::pagination::{Entry, List, ListQuery};
use crate::routes::{ok_with_etag, path_id, utc, uuid};
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

fn entry(p: Person) -> Entry<PersonDto> {
    match p.deleted_at {
        Some(at) => Entry::tombstone(&p.id, at),
        None => Entry::Live(p.into()),
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

fn validate(fields: &mut PersonFields) -> ApiResult<()> {
    let mut v = Validator::new();
    fields.name = validation::text(&mut v, "name", &fields.name, 1, 200);
    fields.email = validation::optional_text(&mut v, "email", fields.email.as_deref(), 254)
        .map(|e| e.to_lowercase());
    if let Some(email) = &fields.email {
        v.check(
            validation::is_email(email),
            "email",
            "is not an email address",
        );
    }
    fields.phone = validation::optional_text(&mut v, "phone", fields.phone.as_deref(), 50);
    fields.title = validation::optional_text(&mut v, "title", fields.title.as_deref(), 200);
    if let Some(org) = &fields.organization_id {
        fields.organization_id = Some(validation::uuid(&mut v, "organization_id", org));
    }
    v.finish()
}

fn may_change(auth: &AuthUser, person: &Person) -> bool {
    auth.is_admin()
        || person.user_id.as_deref() == Some(auth.user.id.as_str())
        || (person.organization_id.is_some() && person.organization_id == auth.user.organization_id)
}

/// List people.
#[utoipa::path(
    tag = "people",
    params(ListQuery, PersonQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of people", body = List<Entry<PersonDto>>))
)]
#[get("/people")]
pub async fn list_people(
    _auth: AuthUser,
    db: web::Data<Db>,
    list: web::Query<ListQuery>,
    query: web::Query<PersonQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = list.page()?;
    let filter = PersonFilter {
        organization_id: query.organization_id.map(|u| u.to_string()),
        email: query.email.clone(),
    };
    let limit = page.limit;
    let result = db
        .read(move |conn| model::list(conn, &page, &filter))
        .await?;
    let data = result.rows.into_iter().map(entry).collect();
    Ok(HttpResponse::Ok().json(List::new(data, limit, result.next, &req)))
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
    auth: AuthUser,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Json<CreatePerson>,
) -> ApiResult<HttpResponse> {
    let input = body.body;
    let mut fields = PersonFields {
        name: input.name,
        email: input.email,
        phone: input.phone,
        title: input.title,
        organization_id: input.organization_id,
    };
    validate(&mut fields)?;
    let actor = auth.actor();
    idempotency::create(
        &db,
        &auth,
        key,
        "POST /people",
        Some(&body.canonical),
        move |conn| {
            let person = model::create_contact(conn, fields)?;
            audit::record(
                conn,
                &actor,
                "person.create",
                "person",
                Some(&person.id),
                "success",
            )?;
            Ok(Created::new(
                format!("/api/v1/people/{}", person.id),
                person.version,
                &PersonDto::from(person),
            ))
        },
    )
    .await
}

/// Get a person.
#[utoipa::path(
    tag = "people",
    params(("id" = Uuid, Path, description = "The person's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The person", body = PersonDto, headers(("ETag" = String, description = "Its version"))))
)]
#[get("/people/{id}")]
pub async fn get_person(
    _auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let person = db.read(move |conn| model::find(conn, &id)).await?;
    Ok(ok_with_etag(person.version, &PersonDto::from(person)))
}

/// Change a person.
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
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: Json<UpdatePerson>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let change = body.body;
    let actor = auth.actor();
    let person = db
        .write(move |conn| {
            let current = model::find(conn, &id)?;
            if !may_change(&auth, &current) {
                return Err(ApiError::forbidden(
                    "only admins, the person's organization and the person may change them",
                ));
            }
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
            if let Some(name) = change.name {
                fields.name = name;
            }
            if let Some(email) = change.email {
                fields.email = email;
            }
            if let Some(phone) = change.phone {
                fields.phone = phone;
            }
            if let Some(title) = change.title {
                fields.title = title;
            }
            if let Some(org) = change.organization_id {
                fields.organization_id = org;
            }
            validate(&mut fields)?;
            if_match.check(current.version)?;
            let person = model::update(conn, &id, current.version, fields)?;
            audit::record(
                conn,
                &actor,
                "person.update",
                "person",
                Some(&id),
                "success",
            )?;
            Ok(person)
        })
        .await?;
    Ok(ok_with_etag(person.version, &PersonDto::from(person)))
}

/// Delete a person.
///
/// Someone with a user account is not deleted here; deactivate the account instead (409).
#[utoipa::path(
    tag = "people",
    params(("id" = Uuid, Path, description = "The person's id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "The person has a user account", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/people/{id}")]
pub async fn delete_person(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let actor = auth.actor();
    db.write(move |conn| {
        let current = model::find(conn, &id)?;
        if !may_change(&auth, &current) {
            return Err(ApiError::forbidden(
                "only admins, the person's organization and the person may delete them",
            ));
        }
        if current.user_id.is_some() {
            return Err(ApiError::conflict(
                "the person has a user account; deactivate the account instead",
            ));
        }
        if_match.check(current.version)?;
        model::delete(conn, &id, current.version)?;
        audit::record(
            conn,
            &actor,
            "person.delete",
            "person",
            Some(&id),
            "success",
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_people)
        .service(create_person)
        .service(get_person)
        .service(update_person)
        .service(delete_person);
}
