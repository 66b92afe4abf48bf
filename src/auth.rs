//! Password hashing, access tokens, secrets, and the `AuthUser` extractor.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, http::Method, web};
use base64::Engine;
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Secret;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::middleware::RequestId;
use crate::models::user::{Role, User};

/// How long an access token lives.
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
/// The issuer and audience written into and required of every access token.
pub const ISSUER: &str = "samverkan";
/// See [`ISSUER`].
pub const AUDIENCE: &str = "samverkan-api";
/// The prefix of API token secrets, so that secret scanners can find leaked ones.
pub const API_TOKEN_PREFIX: &str = "smv_";

/// Password rules and argon2id hashing.
pub mod password {
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};

    /// Shortest password accepted.
    pub const MIN_LENGTH: usize = 12;
    /// Longest password accepted (hashing cost grows with length).
    pub const MAX_LENGTH: usize = 1024;

    fn hasher() -> Argon2<'static> {
        // OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
        let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    /// `Err` with the reason when `password` is too short or too long.
    pub fn check_strength(password: &str) -> Result<(), String> {
        let len = password.chars().count();
        if len < MIN_LENGTH {
            Err(format!("must be at least {MIN_LENGTH} characters"))
        } else if len > MAX_LENGTH {
            Err(format!("must be at most {MAX_LENGTH} characters"))
        } else {
            Ok(())
        }
    }

    /// The PHC string of a new argon2id hash of `password`.
    pub fn hash(password: &str) -> String {
        let salt = SaltString::encode_b64(&super::random_bytes::<16>()).expect("16-byte salt");
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .expect("argon2 hashing with valid parameters")
            .to_string()
    }

    /// Whether `password` matches the stored `hash`.
    pub fn verify(password: &str, hash: &str) -> bool {
        match PasswordHash::new(hash) {
            Ok(parsed) => hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    }

    /// Spends the time of a verification, so an unknown email answers as slowly as a known one.
    pub fn verify_dummy(password: &str) {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let hash = DUMMY.get_or_init(|| hash("dummy password for timing"));
        let _ = verify(password, hash);
    }
}

/// `N` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// A new opaque secret: `prefix` and 32 random bytes, base64url.
pub fn new_secret(prefix: &str) -> String {
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>())
    )
}

/// The hash under which a secret is stored (the secrets carry 256 random bits, so a
/// fast hash is safe here, unlike for passwords).
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

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

    /// The claims of a valid token; `None` for anything forged, expired or malformed.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| data.claims)
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
        self.user.role == Role::Admin.as_str()
    }

    /// 403 unless the caller is an admin.
    pub fn require_admin(&self) -> ApiResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::forbidden("only admins may do this"))
        }
    }

    /// The caller as the access rules see them.
    pub fn viewer(&self) -> crate::models::access::Viewer {
        crate::models::access::Viewer {
            user_id: Some(self.user.id.clone()),
            person_id: Some(self.user.person_id.clone()),
            organization_id: self.user.organization_id.clone(),
            admin: self.is_admin(),
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

async fn authenticate(req: HttpRequest) -> ApiResult<Option<AuthUser>> {
    let Some(token) = bearer(&req) else {
        if req
            .headers()
            .contains_key(actix_web::http::header::AUTHORIZATION)
        {
            return Err(ApiError::unauthorized("use the Bearer scheme"));
        }
        return Ok(None);
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

    let (user, credential, can_write) = if token.starts_with(API_TOKEN_PREFIX) {
        let hash = hash_secret(&token);
        let found = db
            .read(move |conn| crate::models::api_token::authenticate(conn, &hash))
            .await?
            .ok_or_else(invalid)?;
        if found.needs_touch {
            let id = found.token.id.clone();
            db.write(move |conn| crate::models::api_token::touch(conn, &id))
                .await?;
        }
        let can_write = found.token.can_write();
        (found.user, Credential::ApiToken(found.token.id), can_write)
    } else {
        let keys = req
            .app_data::<web::Data<TokenKeys>>()
            .ok_or_else(|| ApiError::internal("auth", &"no token keys configured"))?;
        let claims = keys.verify(&token).ok_or_else(invalid)?;
        let (sub, sid) = (claims.sub, claims.sid.clone());
        let user = db
            .read(move |conn| crate::models::session::active_user(conn, &sub, &sid))
            .await?
            .ok_or_else(invalid)?;
        (user, Credential::Session(claims.sid), true)
    };
    if !can_write && !safe_method {
        return Err(ApiError::forbidden(
            "this API token has only the read scope",
        ));
    }
    Ok(Some(AuthUser {
        user,
        credential,
        can_write,
        request_id,
    }))
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            authenticate(req).await?.ok_or_else(|| {
                ApiError::unauthorized("sign in and send the access token as a Bearer token")
            })
        })
    }
}

/// The caller if signed in, `None` if anonymous; an invalid token is still a 401.
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl MaybeAuthUser {
    /// The caller as the access rules see them; anonymous when not signed in.
    pub fn viewer(&self) -> crate::models::access::Viewer {
        self.0.as_ref().map(AuthUser::viewer).unwrap_or_default()
    }
}

impl FromRequest for MaybeAuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(Self(authenticate(req).await?)) })
    }
}
