//! `/api/v1/users`: accounts, managed by admins. Accounts are deactivated, never removed,
//! so the audit trail keeps its referent.

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
use crate::models::account;
use crate::models::user::{self as model, NewUser, Role, User, UserChanges, UserFilter};
use crate::pagination::{List, ListQuery};
use crate::policy::Reach;
use crate::routes::{utc, uuid};
use crate::secrets::password;
use crate::validation;

/// A user account. The password is never returned.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5b",
    "email": "jessica.svanstrom@partille.se",
    "display_name": "Jessica Svanström",
    "role": "user",
    "organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c",
    "active": true,
    "last_login_at": "2026-11-24T08:31:00Z",
    "version": 1,
    "created_at": "2026-11-24T08:30:00Z",
    "updated_at": "2026-11-24T08:30:00Z"
}))]
pub struct UserDto {
    pub id: Uuid,
    /// Unique, compared case-insensitively, stored in lower case.
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<Uuid>,
    /// The user's own person record (attendance and roles hang on people).
    pub person_id: Uuid,
    /// `false` once deactivated; a deactivated user cannot sign in.
    pub active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserDto {
    fn from(u: User) -> Self {
        Self {
            id: uuid(&u.id),
            role: u.role,
            organization_id: u.organization_id.as_deref().map(uuid),
            person_id: uuid(&u.person_id),
            email: u.email,
            display_name: u.display_name,
            active: u.active,
            last_login_at: u.last_login_at.map(utc),
            version: u.version,
            created_at: utc(u.created_at),
            updated_at: utc(u.updated_at),
        }
    }
}

/// A new account.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "email": "jessica.svanstrom@partille.se",
    "display_name": "Jessica Svanström",
    "role": "user",
    "organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "password": "lång-och-säker-fras-2026"
}))]
pub struct CreateUser {
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// 1–200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub display_name: String,
    /// Default `user`.
    #[schema(value_type = Option<Role>)]
    pub role: Option<String>,
    #[schema(value_type = Option<Uuid>)]
    pub organization_id: Option<String>,
    /// Link this existing person (who has no account yet) instead of creating one.
    /// Without it, an unlinked person with the same email is linked, or a new one made.
    #[schema(value_type = Option<Uuid>)]
    pub person_id: Option<String>,
    /// At least 12 characters.
    #[schema(min_length = 12, max_length = 1024, format = Password)]
    pub password: String,
}

/// A change to an account (admins). `active: false` deactivates; `password` resets it.
/// A password change or deactivation ends the user's sessions and API tokens at once.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "admin", "display_name": "Jessica Svanström"}))]
pub struct UpdateUser {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, format = Email, max_length = 254)]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Role)]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub organization_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = bool)]
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 12, max_length = 1024, format = Password)]
    pub password: Option<String>,
}

/// Filters of the user list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only this role.
    pub role: Option<Role>,
    /// Only users of this organization.
    pub organization_id: Option<Uuid>,
    /// Only active (`true`) or deactivated (`false`) users.
    pub active: Option<bool>,
}

pub(crate) fn check_email(v: &mut Validator, email: &str) -> String {
    let email = email.trim().to_lowercase();
    v.check(
        validation::is_email(&email),
        "email",
        "is not an email address",
    );
    email
}

pub(crate) fn parse_role(v: &mut Validator, role: &str) -> Role {
    Role::parse(role).unwrap_or_else(|| {
        v.add("role", Role::expected());
        Role::User
    })
}

/// List users (admins).
#[utoipa::path(
    tag = "users",
    params(ListQuery, UserQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of users", body = List<UserDto>))
)]
#[get("/users")]
pub async fn list_users(
    caller: Caller,
    db: web::Data<Db>,
    list: Query<ListQuery>,
    query: Query<UserQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    caller.reach.require_admin()?;
    let page = list.get()?.page()?;
    let query = query.get()?;
    let filter = UserFilter {
        role: query.role,
        organization_id: query.organization_id.map(|u| u.to_string()),
        active: query.active,
    };
    let limit = page.limit;
    let result = db
        .read(move |conn| model::list(conn, &page, &filter))
        .await?;
    let data: Vec<UserDto> = result.rows.into_iter().map(UserDto::from).collect();
    Ok(List::new(data, limit, result.next, &req).respond())
}

/// Create a user (admins).
///
/// Every user is also a person: an existing person is linked (by `person_id`, or by
/// the same email), otherwise one is created.
#[utoipa::path(
    tag = "users",
    request_body = CreateUser,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = UserDto,
            headers(("Location" = String, description = "The new user's address"), ("ETag" = String, description = "Its version"))),
        (status = 409, description = "A user with this email exists, or the person already has an account", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_user(
    caller: Caller,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Body<CreateUser>,
) -> ApiResult<HttpResponse> {
    let user = caller.signed_in()?;
    caller.reach.require_admin()?;
    // The fingerprint leaves the password out: it is a secret and must not be kept.
    let fingerprint = body.fingerprint_without("password");
    let input = body.parse()?;
    let mut v = Validator::new();
    let email = check_email(&mut v, &input.email);
    let display_name = validation::text(&mut v, "display_name", &input.display_name, 1, 200);
    let role = input
        .role
        .as_deref()
        .map_or(Role::User, |r| parse_role(&mut v, r));
    let organization_id = input
        .organization_id
        .as_deref()
        .map(|o| validation::uuid(&mut v, "organization_id", o));
    let person_id = input
        .person_id
        .as_deref()
        .map(|p| validation::uuid(&mut v, "person_id", p));
    v.check_result("password", password::check_strength(&input.password));
    v.finish()?;
    // Hash outside the transaction: it takes a while and needs no database.
    let password_hash = web::block(move || password::hash(&input.password)).await?;
    let actor = caller.actor();
    idempotency::create(
        &db,
        user,
        key,
        "POST /users",
        fingerprint.as_deref(),
        move |conn| {
            let user = model::create(
                conn,
                NewUser {
                    email,
                    display_name,
                    role,
                    organization_id,
                    person_id,
                    password_hash,
                },
            )?;
            actor.record(conn, "user.create", "user", &user.id)?;
            Ok(Created::new(
                format!("/api/v1/users/{}", user.id),
                user.version,
                &UserDto::from(user),
            ))
        },
    )
    .await
}

/// Change a user (admins).
///
/// Admins may change any field, including `role` and `active`, but may not leave the
/// system without an active admin (409). Changing the password or deactivating ends
/// every session and API token of the user at once.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "The user's id")),
    request_body = UpdateUser,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed user", body = UserDto, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "The email is taken, or this would remove the last active admin", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
    body: Body<UpdateUser>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    caller.reach.require_admin()?;
    let [id] = id.get()?;
    let input = body.parse()?;
    let mut v = Validator::new();
    let mut changes = UserChanges {
        email: input.email.as_deref().map(|e| check_email(&mut v, e)),
        display_name: input
            .display_name
            .as_deref()
            .map(|n| validation::text(&mut v, "display_name", n, 1, 200)),
        role: input.role.as_deref().map(|r| parse_role(&mut v, r)),
        organization_id: input
            .organization_id
            .map(|o| o.map(|o| validation::uuid(&mut v, "organization_id", &o))),
        active: input.active,
        password_hash: None,
    };
    if let Some(p) = &input.password {
        v.check_result("password", password::check_strength(p));
    }
    v.finish()?;
    if let Some(p) = input.password {
        // Hashing takes a while and needs no database: outside the transaction.
        changes.password_hash = Some(web::block(move || password::hash(&p)).await?);
    }
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let user = db
        .write(move |conn| {
            let current = writable(&reach, model::find_for_write(conn, &id), &if_match)?;
            let user = account::update(conn, &current, changes)?;
            actor.record(conn, "user.update", "user", &id)?;
            Ok(user)
        })
        .await?;
    Ok(ok_with_etag(user.version, &UserDto::from(user)))
}

/// Users as the conventions kit serves them.
pub struct Users;

impl Resource for Users {
    type Row = User;
    type Dto = UserDto;
    const CALLERS: Callers = Callers::Admins;

    fn dto(shown: User, _: &Reach) -> UserDto {
        shown.into()
    }
}

crate::resource_routes!(
    Users,
    tag = "users",
    route = ("/users/{id}"),
    id = "The user's id",
    dto = UserDto,
    get = (
        get_user,
        ["Get a user (admins)."],
        "The user",
        security = [("bearer" = [])]
    ),
    delete = (
        delete_user,
        [
            "Deactivate a user (admins).",
            "",
            "Accounts are never removed, so the audit trail keeps its referent: the user is set",
            "`active: false` and their sessions end at once.",
        ],
        "Deactivated",
        conflict = "This is the last active admin"
    ),
);

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(delete_user);
}
