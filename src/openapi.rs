//! The OpenAPI document: the derived parts, the bearer scheme, and the error responses
//! and headers every operation shares, added in one place so none is forgotten.

use serde_json::{Map, Value, json};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{FieldError, Problem};

/// The derived document; paths come from the handlers registered in `app`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Samverkan API",
        description = "The shared record of how Swedish municipal social services work together: \
organizations and people, learning networks, meetings, minutes, themes and supervisory dialogues.\n\n\
**Conventions.** Lists return `{data, pagination, links}` with cursor pagination (`limit` 1–200, \
default 50) and accept `modified_since` to return every change since an instant, deletions as \
tombstones `{id, deleted: true, updated_at}`. Every resource has a `version`; responses carry \
an `ETag` and `PATCH`/`PUT`/`DELETE` honour `If-Match` (412 when stale). `POST` honours \
`Idempotency-Key`. Errors are RFC 9457 `application/problem+json`.\n\n\
**Authentication.** `POST /api/v1/auth/token` returns a 15-minute access token and a rotating \
refresh token; machine clients use API tokens (`smv_…`) from `POST /api/v1/me/api-tokens`. \
Send either as `Authorization: Bearer …`.",
        version = "1.0.0",
        license(name = "MIT")
    ),
    modifiers(&BearerScheme),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "auth", description = "Sign in, refresh, sign out"),
        (name = "me", description = "The signed-in user and their API tokens"),
        (name = "users", description = "User accounts (admins)"),
        (name = "organizations", description = "Municipalities, regions, care providers and other bodies"),
        (name = "people", description = "Contacts who attend meetings, take notes and own action items"),
        (name = "networks", description = "Networks, their member organizations and participants, participation and calendars"),
        (name = "meetings", description = "Meetings with agenda and attendance, and their calendar files"),
        (name = "meeting-series", description = "Recurring meetings, paused and resumed"),
        (name = "minutes", description = "Minutes with approval (justering) and amendments"),
        (name = "action-items", description = "The tasks minutes hand out, across networks"),
        (name = "themes", description = "What networks should take up next: proposals, support, lifecycle"),
        (name = "supervisory-dialogues", description = "The supervisory authority's dialogues with the municipalities"),
        (name = "search", description = "One search across meetings, minutes, themes, action items and dialogues"),
        (name = "audit", description = "Who did what, when (admins)"),
        (name = "bundle", description = "The whole record as one document: import and export (admins)"),
        (name = "operations", description = "Health checks"),
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT or API token (smv_…)")
                    .description(Some(
                        "An access token from POST /api/v1/auth/token, or an API token.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The shared error responses: name, status, description, example detail.
const ERRORS: &[(&str, u16, &str, &str)] = &[
    (
        "BadRequest",
        400,
        "The body is not valid JSON.",
        "the body is not valid JSON: expected value at line 1 column 1",
    ),
    (
        "Unauthorized",
        401,
        "No access token, or one that is invalid, expired or revoked.",
        "the token is invalid, expired or revoked",
    ),
    (
        "Forbidden",
        403,
        "Signed in, but not allowed to do this (or a read-only API token writing).",
        "only admins may do this",
    ),
    (
        "NotFound",
        404,
        "No such resource, or it is not visible to the caller.",
        "no such resource, or it is not visible to you",
    ),
    (
        "Conflict",
        409,
        "A duplicate, or a change the resource's state does not allow.",
        "a resource with these values exists already",
    ),
    (
        "PreconditionFailed",
        412,
        "`If-Match` names no current version (stale, weak or malformed: the comparison is strong), or there is no such resource; `If-None-Match: *` meets one that exists.",
        "the precondition does not hold; the current version is 4",
    ),
    (
        "PayloadTooLarge",
        413,
        "The body is larger than 1 MiB.",
        "the body may be at most 1048576 bytes",
    ),
    (
        "UnsupportedMediaType",
        415,
        "The body is not `application/json`.",
        "send the body as application/json",
    ),
    (
        "UnprocessableEntity",
        422,
        "One or more fields or query parameters are invalid (also a text holding a NUL character); `errors` names each.",
        "1 field is invalid",
    ),
    (
        "TooManyRequests",
        429,
        "Too many attempts; wait `Retry-After` seconds.",
        "too many failed sign-ins; try again later",
    ),
    (
        "ServiceUnavailable",
        503,
        "The database is not answering.",
        "the database is not answering; try again shortly",
    ),
];

fn problem_response(status: u16, description: &str, detail: &str) -> Value {
    let title = actix_web::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let slug = match status {
        422 => "validation",
        412 => "stale-version",
        _ => "",
    };
    let mut example = json!({
        "type": format!("/problems/{}", if slug.is_empty() { title.to_lowercase().replace(' ', "-") } else { slug.to_string() }),
        "title": title,
        "status": status,
        "detail": detail,
    });
    if status == 422 {
        example["title"] = json!("Invalid field values");
        example["errors"] = json!([{"field": "name", "message": "must be 1 to 200 characters"}]);
    }
    let mut response = json!({
        "description": description,
        "content": {
            crate::error::PROBLEM_JSON: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": example,
            }
        }
    });
    match status {
        401 => {
            response["headers"] = json!({"WWW-Authenticate": {"description": "Always `Bearer`.", "schema": {"type": "string"}}});
        }
        429 | 503 => {
            response["headers"] = json!({"Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}});
        }
        _ => {}
    }
    response
}

fn add_response(responses: &mut Map<String, Value>, status: u16) {
    let key = status.to_string();
    if responses.contains_key(&key) {
        return;
    }
    if let Some((name, ..)) = ERRORS.iter().find(|(_, s, ..)| *s == status) {
        responses.insert(
            key,
            json!({"$ref": format!("#/components/responses/{name}")}),
        );
    }
}

/// Gives each list envelope (`List_*`, generated from a generic type) an example built
/// from its item's example.
fn add_list_examples(doc: &mut Value) {
    let Some(schemas) = doc["components"]["schemas"].as_object() else {
        return;
    };
    let item_example = |items: &Value| -> Value {
        let direct = items.get("example").cloned();
        let first_variant = items["oneOf"][0].get("example").cloned();
        let referenced = items["$ref"]
            .as_str()
            .and_then(|r| r.rsplit('/').next())
            .and_then(|name| schemas.get(name))
            .and_then(|s| s.get("example").cloned());
        direct
            .or(first_variant)
            .or(referenced)
            .unwrap_or(Value::Null)
    };
    let examples: Vec<(String, Value)> = schemas
        .iter()
        .filter(|(name, _)| name.starts_with("List_"))
        .map(|(name, schema)| {
            let item = item_example(&schema["properties"]["data"]["items"]);
            let data = if item.is_null() { json!([]) } else { json!([item]) };
            (
                name.clone(),
                json!({"data": data, "pagination": {"limit": 50, "next_cursor": null}, "links": {"next": null}}),
            )
        })
        .collect();
    for (name, example) in examples {
        doc["components"]["schemas"][&name]["example"] = example;
    }
}

/// Writes that do not take `If-Match`: the resources have no version of their own.
const WITHOUT_IF_MATCH: &[&str] = &["/api/v1/me/api-tokens/{id}", "/api/v1/themes/{id}/support"];

/// The document as served: the derived one plus the shared responses and headers.
pub fn finalize(doc: utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(doc).unwrap_or_default();
    let components = doc["components"]
        .as_object_mut()
        .map(|c| c.entry("responses").or_insert_with(|| json!({})).clone());
    let mut responses = components
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    for (name, status, description, detail) in ERRORS {
        responses.insert(
            name.to_string(),
            problem_response(*status, description, detail),
        );
    }
    doc["components"]["responses"] = Value::Object(responses);
    doc["components"]["parameters"] = json!({
        "IfMatch": {
            "name": "If-Match", "in": "header", "required": false,
            "description": "The `ETag` you last read; the change is refused with 412 if the resource has changed since.",
            "schema": {"type": "string"}, "example": "\"3\""
        },
        "IdempotencyKey": {
            "name": "Idempotency-Key", "in": "header", "required": false,
            "description": "A key unique to this create; a retry with the same key and body returns the first response and creates nothing twice. Kept 24 hours.",
            "schema": {"type": "string", "minLength": 1, "maxLength": 255}, "example": "c0a8012e-7b1f-4e1a-9d2c-1f5b8a2e9d10"
        }
    });

    add_list_examples(&mut doc);

    let Some(paths) = doc["paths"].as_object_mut() else {
        return doc;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            let has_body = op.contains_key("requestBody");
            let params = op
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let has_query = params.iter().any(|p| p["in"] == "query");
            let has_path = path.contains('{');
            let security = op
                .get("security")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let secured = security.iter().any(|s| s.get("bearer").is_some());
            let creates = op["responses"].get("201").is_some();
            let mut extra_params = Vec::new();
            let takes_if_match = matches!(method.as_str(), "patch" | "put" | "delete")
                && !WITHOUT_IF_MATCH.contains(&path.as_str());
            if takes_if_match {
                extra_params.push(json!({"$ref": "#/components/parameters/IfMatch"}));
            }
            if method == "post" && creates && secured {
                extra_params.push(json!({"$ref": "#/components/parameters/IdempotencyKey"}));
            }
            if !extra_params.is_empty() {
                let list = op.entry("parameters").or_insert_with(|| json!([]));
                if let Some(list) = list.as_array_mut() {
                    list.extend(extra_params);
                }
            }
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            if has_body {
                add_response(responses, 400);
            }
            if has_body || has_query {
                add_response(responses, 422);
            }
            if secured {
                add_response(responses, 401);
                add_response(responses, 403);
            }
            if has_path {
                add_response(responses, 404);
            }
            if takes_if_match {
                add_response(responses, 412);
            }
            if creates && secured {
                add_response(responses, 422);
            }
            if has_body {
                add_response(responses, 413);
                add_response(responses, 415);
            }
            add_response(responses, 503);
        }
    }
    doc
}
