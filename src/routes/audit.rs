//! `/api/v1/audit-events`: who did what to which resource, when (admins).

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::Db;
use crate::error::{ApiResult, Validator};
use crate::kit::query::Query;
use crate::models::audit::{self, AuditEvent, AuditFilter};
use crate::pagination::{Cursor, DEFAULT_LIMIT, List, MAX_LIMIT};
use crate::routes::{utc, uuid};
use crate::times::DayOrInstant;

/// One recorded action.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8502-3b4c-7d5e-8f6a-7b8c9d0e1f2a",
    "at": "2026-11-24T09:01:00Z",
    "actor_user_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5b",
    "action": "organization.create",
    "resource_type": "organization",
    "resource_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "request_id": "019a8502-3b4c-7d5e-8f6a-000000000001",
    "outcome": "success"
}))]
pub struct AuditEventDto {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// The user who acted; `null` for anonymous attempts (e.g. a sign-in with an unknown email).
    pub actor_user_id: Option<Uuid>,
    /// `<resource>.<verb>`, e.g. `organization.update`, `auth.sign_in`.
    pub action: String,
    pub resource_type: String,
    pub resource_id: Option<Uuid>,
    /// The `X-Request-Id` of the request that did it.
    pub request_id: Option<String>,
    /// `success`, `failure`, `throttled` or `revoked`.
    pub outcome: String,
    /// More about it, e.g. the import that entered the resource (`import 019a…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub detail: Option<String>,
}

impl From<AuditEvent> for AuditEventDto {
    fn from(e: AuditEvent) -> Self {
        Self {
            id: uuid(&e.id),
            at: utc(e.at),
            actor_user_id: e.actor_user_id.as_deref().map(uuid),
            resource_id: e.resource_id.as_deref().map(uuid),
            action: e.action,
            resource_type: e.resource_type,
            request_id: e.request_id,
            outcome: e.outcome,
            detail: e.detail,
        }
    }
}

/// Filters of the audit list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Items per page, 1–200.
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only what this user did.
    pub actor_user_id: Option<Uuid>,
    /// Only events about this kind of resource, e.g. `organization`.
    #[param(example = "organization")]
    pub resource_type: Option<String>,
    /// Only events about this resource.
    pub resource_id: Option<Uuid>,
    /// Only this action, e.g. `auth.sign_in`.
    #[param(example = "auth.sign_in")]
    pub action: Option<String>,
    /// Only events at or after this instant (a day: its start, UTC).
    #[param(schema_with = crate::pagination::day_or_instant, example = "2026-11-01T00:00:00Z")]
    pub since: Option<DayOrInstant>,
}

/// List audit events (admins), oldest first.
#[utoipa::path(
    tag = "audit",
    params(AuditQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of events", body = List<AuditEventDto>))
)]
#[get("/audit-events")]
pub async fn list_audit_events(
    caller: Caller,
    db: web::Data<Db>,
    query: Query<AuditQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    caller.reach.require_admin()?;
    let query = query.get()?;
    let mut v = Validator::new();
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    v.check(
        (1..=MAX_LIMIT).contains(&limit),
        "limit",
        format!("must be between 1 and {MAX_LIMIT}"),
    );
    let after = query.cursor.as_deref().map(|c| match Cursor::decode_id(c) {
        Some(id) => id,
        None => {
            v.add("cursor", "is not a cursor this list handed out");
            String::new()
        }
    });
    v.finish()?;
    let filter = AuditFilter {
        actor_user_id: query.actor_user_id.map(|u| u.to_string()),
        resource_type: query.resource_type,
        resource_id: query.resource_id.map(|u| u.to_string()),
        action: query.action,
        since: query.since.map(|t| t.start_in(Utc)),
    };
    let mut rows = db
        .read(move |conn| audit::list(conn, &filter, after.as_deref(), limit))
        .await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|e| Cursor::Id(e.id.clone()))
    } else {
        None
    };
    let data: Vec<AuditEventDto> = rows.into_iter().map(AuditEventDto::from).collect();
    Ok(List::new(data, limit, next, &req).respond())
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_events);
}
