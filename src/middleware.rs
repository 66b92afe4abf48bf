//! Request ids, the access log, security headers, and the guarantee that every error
//! body is problem+json, whoever produced it; plus the 404/405 answer for unknown routes.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError, web};

use crate::auth::RequestId;
use crate::error::{ApiError, PROBLEM_JSON};

/// The request id header.
pub const REQUEST_ID: &str = "x-request-id";

fn accepted_request_id(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(REQUEST_ID)?.to_str().ok()?;
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then(|| value.to_string())
}

/// Outermost middleware: request id, access log, headers, problem+json safety net.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let id = accepted_request_id(&req).unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    // Cloning the request before routing would break routing, so keep what the log needs.
    let method = req.method().clone();
    let path = req.path().to_string();
    // A conditional GET of anything with an ETag is answered 304 when it matches.
    let if_none_match = (req.method() == Method::GET || req.method() == Method::HEAD)
        .then(|| req.headers().get(header::IF_NONE_MATCH))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let credentialed = req.headers().contains_key(header::AUTHORIZATION)
        || req
            .query_string()
            .split('&')
            .any(|p| p.starts_with("token="));

    let mut res = match next.call(req).await {
        Ok(res) => res.map_into_boxed_body(),
        Err(e) => {
            log::info!(target: "samverkan::access", "{method} {path} error={e} request_id={id}");
            return Err(e);
        }
    };

    if res.status() == StatusCode::OK
        && let Some(condition) = &if_none_match
        && let Some(etag) = res
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
        && crate::kit::precondition::none_match_fails(condition, etag)
    {
        let mut not_modified = HttpResponse::NotModified();
        for name in [
            header::ETAG,
            header::LAST_MODIFIED,
            header::CACHE_CONTROL,
            header::VARY,
        ] {
            if let Some(value) = res.headers().get(&name) {
                not_modified.insert_header((name, value.clone()));
            }
        }
        res = res.into_response(not_modified.finish());
    }

    let status = res.status();
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    if (status.is_client_error() || status.is_server_error()) && !is_problem {
        let keep: Vec<(HeaderName, HeaderValue)> =
            [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE]
                .into_iter()
                .filter_map(|name| res.headers().get(&name).cloned().map(|v| (name, v)))
                .collect();
        let mut replacement = ApiError::from_status(status).error_response();
        for (name, value) in keep {
            replacement.headers_mut().insert(name, value);
        }
        res = res.into_response(replacement);
    }

    let headers = res.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert(HeaderName::from_static(REQUEST_ID), value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if credentialed || !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }

    // The path only: query strings may carry calendar tokens.
    log::info!(
        target: "samverkan::access",
        "{} {} {} {}ms request_id={}",
        method,
        path,
        status.as_u16(),
        started.elapsed().as_millis(),
        id
    );
    Ok(res)
}

/// The paths the API serves and their methods, to tell 405 from 404.
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl RouteTable {
    /// Registers a path template (`/api/v1/users/{id}`) with its methods.
    pub fn add(&mut self, template: &str, methods: Vec<String>) {
        let segments = template
            .trim_matches('/')
            .split('/')
            .map(str::to_string)
            .collect();
        self.routes.push((segments, methods));
    }

    /// The methods served at `path` by the most specific templates matching it (a
    /// literal segment beats a `{parameter}`).
    pub fn allowed(&self, path: &str) -> Vec<String> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let is_param = |s: &String| s.starts_with('{') && s.ends_with('}');
        let matching: Vec<&(Vec<String>, Vec<String>)> = self
            .routes
            .iter()
            .filter(|(segments, _)| {
                segments.len() == parts.len()
                    && segments
                        .iter()
                        .zip(&parts)
                        .all(|(s, p)| (is_param(s) && !p.is_empty()) || s == p)
            })
            .collect();
        let fewest = matching
            .iter()
            .map(|(segments, _)| segments.iter().filter(|s| is_param(s)).count())
            .min();
        let mut methods: Vec<String> = matching
            .iter()
            .filter(|(segments, _)| Some(segments.iter().filter(|s| is_param(s)).count()) == fewest)
            .flat_map(|(_, m)| m.iter().cloned())
            .collect();
        methods.sort();
        methods.dedup();
        methods
    }
}

/// The answer for anything no route takes: 405 with `Allow` when the path exists
/// with other methods, else 404.
pub async fn no_route(req: HttpRequest, table: web::Data<RouteTable>) -> HttpResponse {
    let allowed = table.allowed(req.path());
    if allowed.is_empty() {
        ApiError::not_found()
            .with_detail(format!("no route {}", req.path()))
            .error_response()
    } else {
        ApiError::method_not_allowed(&allowed.join(", ")).error_response()
    }
}
