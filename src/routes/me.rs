//! `/api/v1/me`: the signed-in user, and their API tokens.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, Caller, Credential};
use crate::db::Db;
use crate::error::{ApiError, ApiResult, Validator};
use crate::kit::body::{Body, not_null};
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::kit::ok_with_etag;
use crate::kit::precondition::IfMatch;
use crate::kit::query::Id;
use crate::models::api_token::{self, ApiToken, Scope};
use crate::models::{account, user};
use crate::pagination::List;
use crate::routes::users::UserDto;
use crate::routes::{utc, uuid};
use crate::secrets::password;
use crate::validation;

/// A change to one's own account. A new password needs the current one, and ends every
/// session and API token of the account (sign in again afterwards).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"display_name": "Cecilia Axelsson"}))]
pub struct UpdateMe {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 12, max_length = 1024, format = Password)]
    pub password: Option<String>,
    /// Required with `password`.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, format = Password)]
    pub current_password: Option<String>,
}

/// An API token, without its secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8501-0a1b-7c2d-8e3f-4a5b6c7d8e9f",
    "name": "Intranätets kalendersynk",
    "prefix": "smv_Yk3v0b",
    "scopes": ["read"],
    "expires_at": "2027-06-30T00:00:00Z",
    "last_used_at": null,
    "created_at": "2026-11-24T09:00:00Z"
}))]
pub struct ApiTokenDto {
    pub id: Uuid,
    pub name: String,
    /// The first characters of the secret, to recognise it by.
    pub prefix: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<ApiToken> for ApiTokenDto {
    fn from(t: ApiToken) -> Self {
        Self {
            id: uuid(&t.id),
            scopes: t.scope_list(),
            name: t.name,
            prefix: t.token_prefix,
            expires_at: t.expires_at.map(utc),
            last_used_at: t.last_used_at.map(utc),
            created_at: utc(t.created_at),
        }
    }
}

/// A new API token: the one response that carries its secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8501-0a1b-7c2d-8e3f-4a5b6c7d8e9f",
    "name": "Intranätets kalendersynk",
    "prefix": "smv_Yk3v0b",
    "scopes": ["read"],
    "expires_at": "2027-06-30T00:00:00Z",
    "last_used_at": null,
    "created_at": "2026-11-24T09:00:00Z",
    "token": "smv_Yk3v0bq2cQy3o9hHnq1mY5yVbq6zq2n0pVt8rZsWx1E"
}))]
pub struct CreatedApiToken {
    #[serde(flatten)]
    pub api_token: ApiTokenDto,
    /// The secret; shown only in the first response, stored only as a hash. Send it as
    /// `Authorization: Bearer …`. `null` when a retry with the same `Idempotency-Key` is
    /// answered: the secret is never kept, so a lost response means a new token.
    pub token: Option<String>,
}

/// A new API token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Intranätets kalendersynk", "scopes": ["read"], "expires_at": "2027-06-30T00:00:00Z"}))]
pub struct CreateApiToken {
    /// What the token is for, 1–100 characters.
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub name: String,
    /// `read`, or `read` and `write`.
    #[schema(value_type = Vec<Scope>, min_items = 1)]
    pub scopes: Vec<String>,
    /// When it stops working; never, if absent.
    pub expires_at: Option<DateTime<Utc>>,
}

/// The signed-in user.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "The signed-in user", body = UserDto, headers(("ETag" = String, description = "Its version"))))
)]
#[get("/me")]
pub async fn get_me(auth: AuthUser) -> ApiResult<HttpResponse> {
    Ok(ok_with_etag(auth.user.version, &UserDto::from(auth.user)))
}

/// Change one's display name or password.
#[utoipa::path(
    tag = "me",
    request_body = UpdateMe,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed user", body = UserDto, headers(("ETag" = String, description = "Its new version"))))
)]
#[patch("/me")]
pub async fn update_me(
    caller: Caller,
    db: web::Data<Db>,
    if_match: IfMatch,
    body: Body<UpdateMe>,
) -> ApiResult<HttpResponse> {
    let auth = caller.signed_in()?;
    if body.peek("password").is_some() && matches!(auth.credential, Credential::ApiToken(_)) {
        return Err(ApiError::forbidden(
            "sign in with your password to change it",
        ));
    }
    let input = body.parse()?;
    let mut v = Validator::new();
    let display_name = input
        .display_name
        .as_deref()
        .map(|n| validation::text(&mut v, "display_name", n, 1, 200));
    if let Some(p) = &input.password {
        v.check_result("password", password::check_strength(p));
        match &input.current_password {
            None => {
                v.add("current_password", "is required to change the password");
            }
            Some(current) => {
                let (current, hash) = (current.clone(), auth.user.password_hash.clone());
                let matches = web::block(move || password::verify(&current, &hash)).await?;
                v.check(matches, "current_password", "does not match");
            }
        }
    }
    v.finish()?;
    let password_hash = match input.password {
        Some(p) => Some(web::block(move || password::hash(&p)).await?),
        None => None,
    };
    let (reach, actor, id) = (caller.reach.clone(), caller.actor(), auth.user.id.clone());
    let updated = db
        .write(move |conn| {
            let current = reach.own_account(user::find_for_write(conn, &id)?)?;
            if_match.check_version(current.version)?;
            let updated = account::update_self(conn, &current, display_name, password_hash)?;
            actor.record(conn, "user.update_self", "user", &id)?;
            Ok(updated)
        })
        .await?;
    Ok(ok_with_etag(updated.version, &UserDto::from(updated)))
}

/// List one's API tokens (without their secrets).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "The live API tokens, newest first", body = List<ApiTokenDto>))
)]
#[get("/me/api-tokens")]
pub async fn list_api_tokens(
    auth: AuthUser,
    db: web::Data<Db>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let user_id = auth.user.id.clone();
    let tokens = db.read(move |conn| api_token::list(conn, &user_id)).await?;
    let data: Vec<ApiTokenDto> = tokens.into_iter().map(ApiTokenDto::from).collect();
    Ok(List::all(data, &req).respond())
}

/// Create an API token.
///
/// The secret (`smv_` and 32 random bytes) is in this response only; it is stored as a
/// hash. A `read` token gets 403 on every write. Only a password sign-in may create
/// tokens, so a leaked token cannot mint more.
#[utoipa::path(
    tag = "me",
    request_body = CreateApiToken,
    security(("bearer" = [])),
    responses((status = 201, description = "Created; the secret is shown once", body = CreatedApiToken,
        headers(("Location" = String, description = "The token's address"))))
)]
#[post("/me/api-tokens")]
pub async fn create_api_token(
    auth: AuthUser,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Body<CreateApiToken>,
) -> ApiResult<HttpResponse> {
    if matches!(auth.credential, Credential::ApiToken(_)) {
        return Err(ApiError::forbidden(
            "sign in with your password to create API tokens",
        ));
    }
    let parsed = body.parse_canonical()?;
    let input = parsed.body;
    let mut v = Validator::new();
    let name = validation::text(&mut v, "name", &input.name, 1, 100);
    let mut scopes = Vec::new();
    for (i, s) in input.scopes.iter().enumerate() {
        match Scope::parse(s) {
            Some(scope) => scopes.push(scope),
            None => {
                v.add(&format!("scopes[{i}]"), Scope::expected());
            }
        }
    }
    v.check(
        !input.scopes.is_empty(),
        "scopes",
        "name at least one scope",
    );
    if scopes.contains(&Scope::Write) && !scopes.contains(&Scope::Read) {
        scopes.push(Scope::Read);
    }
    if let Some(at) = input.expires_at {
        v.check(at > Utc::now(), "expires_at", "must be in the future");
    }
    v.finish()?;
    let expires_at = input.expires_at.map(|t| t.naive_utc());
    let actor = auth.actor();
    let user_id = auth.user.id.clone();
    idempotency::create(
        &db,
        &auth,
        key,
        "POST /me/api-tokens",
        Some(&parsed.canonical),
        move |conn| {
            let (token, secret) = api_token::create(conn, &user_id, &name, &scopes, expires_at)?;
            actor.record(conn, "api_token.create", "api_token", &token.id)?;
            let location = format!("/api/v1/me/api-tokens/{}", token.id);
            let shown = CreatedApiToken {
                api_token: token.into(),
                token: Some(secret),
            };
            let kept = CreatedApiToken {
                token: None,
                ..shown.clone()
            };
            Ok(Created::unversioned(location, &shown).keeping(&kept))
        },
    )
    .await
}

/// Revoke an API token.
#[utoipa::path(
    tag = "me",
    params(("id" = Uuid, Path, description = "The token's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Revoked; it no longer works"))
)]
#[delete("/me/api-tokens/{id}")]
pub async fn delete_api_token(
    auth: AuthUser,
    db: web::Data<Db>,
    id: Id,
) -> ApiResult<HttpResponse> {
    let [id] = id.get()?;
    let actor = auth.actor();
    let user_id = auth.user.id.clone();
    db.write(move |conn| {
        api_token::revoke(conn, &user_id, &id)?;
        actor.record(conn, "api_token.revoke", "api_token", &id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_me)
        .service(update_me)
        .service(list_api_tokens)
        .service(create_api_token)
        .service(delete_api_token);
}
