//! Access tokens and the `AuthUser` / `Caller` extractors.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, http::Method, web};
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::models::user::{Role, User};
use crate::policy::{Identity, Reach};
use crate::secrets::{API_TOKEN_PREFIX, Secret, hash_secret};

/// How long an access token lives.
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
/// The issuer and audience written into and required of every access token.
pub const ISSUER: &str = "samverkan";
/// See [`ISSUER`].
pub const AUDIENCE: &str = "samverkan-api";

/// The id of the current request, from `X-Request-Id` or generated (by the middleware),
/// for the audit trail and the log.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer, always [`ISSUER`].
    pub iss: String,
    /// Audience, always [`AUDIENCE`].
    pub aud: String,
    /// The user's id.
    pub sub: String,
    /// The sign-in session; revoking it ends the token at once.
    pub sid: String,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
}

/// Keys and rules for access tokens; HS256 only.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenKeys {
    /// Keys derived from the configured secret.
    pub fn new(secret: &Secret) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
            validation,
        }
    }

    /// A signed access token for `user_id` in `session_id`.
    pub fn issue(&self, user_id: &str, session_id: &str) -> ApiResult<String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: user_id.into(),
            sid: session_id.into(),
            iat: now,
            exp: now + ACCESS_TOKEN_SECONDS,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::internal("signing an access token", &e))
    }

    /// The claims of a valid token; `None` for anything forged, expired or malformed, and
    /// for a token issued in the future or living longer than this server issues them
    /// (which only a holder of the secret could have made, so something is wrong).
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()?
            .claims;
        let now = Utc::now().timestamp();
        let leeway = self.validation.leeway as i64;
        let plausible =
            claims.iat <= now + leeway && claims.exp - claims.iat <= ACCESS_TOKEN_SECONDS;
        plausible.then_some(claims)
    }
}

/// How the caller authenticated.
#[derive(Debug, Clone)]
pub enum Credential {
    /// An access token from sign-in, within this session.
    Session(String),
    /// A long-lived API token with this id.
    ApiToken(String),
}

/// The signed-in caller. Use `Option<AuthUser>` where anonymous reading is allowed.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// The caller's account as it is now.
    pub user: User,
    /// How they authenticated.
    pub credential: Credential,
    /// Whether the credential may write (a `read` API token may not).
    pub can_write: bool,
    /// The request's id, for the audit trail.
    pub request_id: String,
}

impl AuthUser {
    /// Whether the caller is an admin.
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// 403 unless the caller is an admin.
    pub fn require_admin(&self) -> ApiResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::forbidden("only admins may do this"))
        }
    }

    /// The actor for audit events.
    pub fn actor(&self) -> crate::models::audit::Actor {
        crate::models::audit::Actor {
            user_id: Some(self.user.id.clone()),
            request_id: Some(self.request_id.clone()),
        }
    }
}

/// Whether the path is a calendar feed, which calendar programs fetch without headers.
fn is_calendar_feed(path: &str) -> bool {
    path.ends_with(".ics") || path.ends_with("/ical")
}

/// An API token in `?token=`, accepted on calendar feeds only (never a JWT).
fn query_token(req: &HttpRequest) -> Option<String> {
    if !is_calendar_feed(req.path()) {
        return None;
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).ok()?;
    pairs
        .into_iter()
        .find(|(k, v)| k == "token" && v.starts_with(API_TOKEN_PREFIX))
        .map(|(_, v)| v)
}

/// The bearer credential of a request: the `Authorization` header, or on calendar
/// feeds an API token as `?token=`.
fn bearer(req: &HttpRequest) -> Option<String> {
    let Some(header) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return query_token(req);
    };
    let value = header.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// Authenticates the request; with `with_reach`, also loads the caller's reach in the
/// same trip to the database.
async fn authenticate(req: HttpRequest, with_reach: bool) -> ApiResult<(Option<AuthUser>, Reach)> {
    let today = chrono::Utc::now().date_naive();
    let Some(token) = bearer(&req) else {
        if req
            .headers()
            .contains_key(actix_web::http::header::AUTHORIZATION)
        {
            return Err(ApiError::unauthorized("use the Bearer scheme"));
        }
        return Ok((None, Reach::anonymous(today)));
    };
    let db = req
        .app_data::<web::Data<Db>>()
        .ok_or_else(|| ApiError::internal("auth", &"no database configured"))?
        .clone();
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let safe_method = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let invalid = || ApiError::unauthorized("the token is invalid, expired or revoked");
    let reach_of = move |conn: &mut crate::db::DbConnection, user: &User| {
        if with_reach {
            Reach::load(conn, identity(user), today)
        } else {
            Ok(Reach::anonymous(today))
        }
    };

    let (user, credential, can_write, reach) = if token.starts_with(API_TOKEN_PREFIX) {
        let hash = hash_secret(&token);
        let (found, reach) = db
            .read(
                move |conn| match crate::models::api_token::authenticate(conn, &hash)? {
                    Some(found) => {
                        let reach = reach_of(conn, &found.user)?;
                        Ok(Some((found, reach)))
                    }
                    None => Ok(None),
                },
            )
            .await?
            .ok_or_else(invalid)?;
        if found.needs_touch {
            let id = found.token.id.clone();
            db.write(move |conn| crate::models::api_token::touch(conn, &id))
                .await?;
        }
        let can_write = found.token.can_write();
        (
            found.user,
            Credential::ApiToken(found.token.id),
            can_write,
            reach,
        )
    } else {
        let keys = req
            .app_data::<web::Data<TokenKeys>>()
            .ok_or_else(|| ApiError::internal("auth", &"no token keys configured"))?;
        let claims = keys.verify(&token).ok_or_else(invalid)?;
        let (sub, sid) = (claims.sub, claims.sid.clone());
        let (user, reach) = db
            .read(
                move |conn| match crate::models::session::active_user(conn, &sub, &sid)? {
                    Some(user) => {
                        let reach = reach_of(conn, &user)?;
                        Ok(Some((user, reach)))
                    }
                    None => Ok(None),
                },
            )
            .await?
            .ok_or_else(invalid)?;
        (user, Credential::Session(claims.sid), true, reach)
    };
    if !can_write && !safe_method {
        return Err(ApiError::forbidden(
            "this API token has only the read scope",
        ));
    }
    Ok((
        Some(AuthUser {
            user,
            credential,
            can_write,
            request_id,
        }),
        reach,
    ))
}

/// The identity the access policy sees of a user.
pub fn identity(user: &User) -> Identity {
    Identity {
        user_id: user.id.clone(),
        person_id: user.person_id.clone(),
        organization_id: user.organization_id.clone(),
        admin: user.role == Role::Admin,
    }
}

/// The caller of a request, signed in or anonymous, and how far they reach: one trip
/// to the database per request. An invalid token is a 401 whatever the endpoint.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The signed-in user, `None` when anonymous.
    pub auth: Option<AuthUser>,
    /// What they may see and do.
    pub reach: Reach,
}

impl Caller {
    /// The signed-in caller; 401 when anonymous.
    pub fn signed_in(&self) -> ApiResult<&AuthUser> {
        self.auth.as_ref().ok_or_else(|| {
            ApiError::unauthorized("sign in and send the access token as a Bearer token")
        })
    }

    /// The actor for the audit trail (anonymous when not signed in).
    pub fn actor(&self) -> crate::models::audit::Actor {
        self.auth.as_ref().map(AuthUser::actor).unwrap_or_default()
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (auth, reach) = authenticate(req, true).await?;
            Ok(Self { auth, reach })
        })
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            authenticate(req, false).await?.0.ok_or_else(|| {
                ApiError::unauthorized("sign in and send the access token as a Bearer token")
            })
        })
    }
}
