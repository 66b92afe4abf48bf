//! `/api/v1/auth`: sign in with email and password, refresh, sign out.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{ACCESS_TOKEN_SECONDS, Caller, Credential, RequestId, TokenKeys};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::kit::body::Body;
use crate::models::audit::{self, Actor};
use crate::models::{login, session, user};
use crate::secrets::password;

/// Email and password.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "cecilia.axelsson@goteborgsregionen.se", "password": "lång-och-säker-fras-2026"}))]
pub struct SignIn {
    #[schema(format = Email)]
    pub email: String,
    #[schema(format = Password)]
    pub password: String,
}

/// A refresh token, to rotate or to revoke.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "smr_Yk3v0bq2cQy3o9hHnq1mY5yVbq6zq2n0pVt8rZsWx1E"}))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Sign-out: the refresh token of the session to end (optional when the access token is sent).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "smr_Yk3v0bq2cQy3o9hHnq1mY5yVbq6zq2n0pVt8rZsWx1E"}))]
pub struct SignOut {
    pub refresh_token: Option<String>,
}

/// A new access token and the refresh token that replaces the one used.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJzYW12ZXJrYW4ifQ.c2lnbmF0dXJl",
    "token_type": "Bearer",
    "expires_in": 900,
    "refresh_token": "smr_Yk3v0bq2cQy3o9hHnq1mY5yVbq6zq2n0pVt8rZsWx1E"
}))]
pub struct TokenResponse {
    /// A JWT; send it as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Opaque; use once with `POST /auth/refresh`. Using it twice ends the session.
    pub refresh_token: String,
}

fn client_addr(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn request_id(req: &HttpRequest) -> Option<String> {
    use actix_web::HttpMessage;
    req.extensions().get::<RequestId>().map(|r| r.0.clone())
}

fn token_response(
    keys: &TokenKeys,
    user_id: &str,
    session_id: &str,
    refresh_token: String,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: keys.issue(user_id, session_id)?,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_SECONDS,
        refresh_token,
    }))
}

enum SignInOutcome {
    Success {
        user_id: String,
        session_id: String,
        refresh_token: String,
    },
    Failed,
}

const BAD_CREDENTIALS: &str = "the email or password is wrong";

/// Sign in.
///
/// After 5 failed attempts for one account within 15 minutes, that account is refused
/// with 429 and `Retry-After`; one client address has a looser limit of its own.
/// The answer is the same whether the email exists or not.
#[utoipa::path(
    tag = "auth",
    request_body = SignIn,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong or unknown credentials", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins; wait `Retry-After` seconds", body = crate::error::Problem, content_type = "application/problem+json", headers(("Retry-After" = i64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/token")]
pub async fn sign_in(
    db: web::Data<Db>,
    keys: web::Data<TokenKeys>,
    body: Body<SignIn>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let body = body.parse()?;
    let email = body.email.trim().to_lowercase();
    let password_given = body.password;
    if email.is_empty()
        || email.len() > 254
        || password_given.is_empty()
        || password_given.len() > 4096
    {
        return Err(ApiError::unauthorized(BAD_CREDENTIALS));
    }
    let addr = client_addr(&req);
    let actor = Actor {
        user_id: None,
        request_id: request_id(&req),
    };

    // First the attempt is counted (or refused) in a short transaction of its own; the
    // slow hash check runs outside any transaction; then the outcome is recorded.
    let (begin_email, begin_addr, begin_actor) = (email.clone(), addr.clone(), actor.clone());
    let (found, attempt) = db
        .write(move |conn| {
            let found = user::find_by_email(conn, &begin_email)?;
            let attempt = login::begin(conn, &begin_email, &begin_addr)?;
            if attempt.is_err() {
                let user_id = found.as_ref().map(|u| u.id.clone());
                let actor = Actor {
                    user_id: user_id.clone(),
                    ..begin_actor
                };
                audit::record(
                    conn,
                    &actor,
                    "auth.sign_in",
                    "user",
                    user_id.as_deref(),
                    "throttled",
                )?;
            }
            Ok((found, attempt))
        })
        .await?;
    let attempt = match attempt {
        Ok(attempt) => attempt,
        Err(seconds) => {
            return Err(ApiError::too_many_requests(
                seconds,
                "too many failed sign-ins; try again later",
            ));
        }
    };
    let verified = match &found {
        Some(u) => {
            let hash = u.password_hash.clone();
            web::block(move || password::verify(&password_given, &hash)).await?
        }
        None => {
            web::block(move || password::verify_dummy(&password_given)).await?;
            false
        }
    };
    let outcome = db
        .write(move |conn| {
            let user_id = found.as_ref().map(|u| u.id.clone());
            let actor = Actor {
                user_id: user_id.clone(),
                ..actor
            };
            match found {
                Some(u) if verified && u.active => {
                    login::succeeded(conn, &attempt)?;
                    user::record_login(conn, &u.id)?;
                    let (session_id, refresh_token) = session::start(conn, &u.id)?;
                    audit::record(conn, &actor, "auth.sign_in", "user", Some(&u.id), "success")?;
                    Ok(SignInOutcome::Success {
                        user_id: u.id,
                        session_id,
                        refresh_token,
                    })
                }
                _ => {
                    audit::record(
                        conn,
                        &actor,
                        "auth.sign_in",
                        "user",
                        user_id.as_deref(),
                        "failure",
                    )?;
                    Ok(SignInOutcome::Failed)
                }
            }
        })
        .await?;
    match outcome {
        SignInOutcome::Success {
            user_id,
            session_id,
            refresh_token,
        } => token_response(&keys, &user_id, &session_id, refresh_token),
        SignInOutcome::Failed => Err(ApiError::unauthorized(BAD_CREDENTIALS)),
    }
}

/// Exchange a refresh token for a new access token and a new refresh token.
///
/// Each refresh token works once. Presenting one that was already used ends its
/// whole session, since one of the two holders is not who they claim to be.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 401, description = "Wrong or unknown credentials", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    db: web::Data<Db>,
    keys: web::Data<TokenKeys>,
    body: Body<RefreshRequest>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let secret = body.parse()?.refresh_token;
    let request_id = request_id(&req);
    let outcome = db
        .write(move |conn| {
            let outcome = session::rotate(conn, &secret)?;
            let (user_id, session_id, action, result) = match &outcome {
                session::Refresh::Rotated {
                    user_id,
                    session_id,
                    ..
                } => (user_id, session_id, "auth.refresh", "success"),
                session::Refresh::Reused {
                    user_id,
                    session_id,
                } => (user_id, session_id, "auth.refresh_reuse", "revoked"),
                session::Refresh::Invalid => return Ok(outcome),
            };
            let actor = Actor {
                user_id: Some(user_id.clone()),
                request_id,
            };
            audit::record(conn, &actor, action, "session", Some(session_id), result)?;
            Ok(outcome)
        })
        .await?;
    match outcome {
        session::Refresh::Rotated {
            user_id,
            session_id,
            refresh_token,
        } => token_response(&keys, &user_id, &session_id, refresh_token),
        session::Refresh::Reused { .. } => Err(ApiError::unauthorized(
            "this refresh token was used before; the session has been ended, sign in again",
        )),
        session::Refresh::Invalid => Err(ApiError::unauthorized(
            "the refresh token is invalid, expired or revoked",
        )),
    }
}

/// Sign out: end the session of the access token sent, or of the refresh token given.
#[utoipa::path(
    tag = "auth",
    request_body(content = SignOut, description = "Optional when an access token is sent"),
    security((), ("bearer" = [])),
    responses(
        (status = 204, description = "The session has ended; its access and refresh tokens no longer work"),
        (status = 401, description = "Wrong or unknown credentials", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn sign_out(
    caller: Caller,
    db: web::Data<Db>,
    body: web::Bytes,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let body: SignOut = if body.is_empty() {
        SignOut::default()
    } else {
        crate::kit::body::parse(&body)?
    };
    let session_from_token = match &caller.auth {
        Some(a) => match &a.credential {
            Credential::Session(sid) => Some(sid.clone()),
            Credential::ApiToken(_) => None,
        },
        None => None,
    };
    if session_from_token.is_none() && body.refresh_token.is_none() {
        return Err(ApiError::unauthorized(
            "send the access token, or the refresh token in the body",
        ));
    }
    let request_id = request_id(&req);
    let user_id = caller.auth.as_ref().map(|a| a.user.id.clone());
    let ended = db
        .write(move |conn| {
            let mut ended = Vec::new();
            if let Some(sid) = session_from_token {
                ended.push((sid, user_id.clone()));
            }
            if let Some(secret) = &body.refresh_token
                && let Some((sid, owner)) = session::session_of_refresh(conn, secret)?
            {
                ended.push((sid, Some(owner)));
            }
            for (sid, owner) in &ended {
                session::revoke(conn, sid)?;
                let actor = Actor {
                    user_id: owner.clone(),
                    request_id: request_id.clone(),
                };
                audit::record(
                    conn,
                    &actor,
                    "auth.sign_out",
                    "session",
                    Some(sid),
                    "success",
                )?;
            }
            Ok(!ended.is_empty())
        })
        .await?;
    if ended {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::unauthorized(
            "the refresh token is invalid, expired or revoked",
        ))
    }
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sign_in).service(refresh).service(sign_out);
}
