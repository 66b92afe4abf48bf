//! The audit trail: who did what to which resource, written in the same transaction
//! as the change it records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::audit_events;
use crate::db::{DbConnection, new_id, now};
use crate::error::ApiResult;

/// Who acts, and in which request.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    /// The signed-in user, if any.
    pub user_id: Option<String>,
    /// The request's `X-Request-Id`.
    pub request_id: Option<String>,
}

impl Actor {
    /// Records that this actor did `action` to the resource, in the caller's transaction
    /// (so the record and the write commit or roll back together).
    pub fn record(
        &self,
        conn: &mut DbConnection,
        action: &str,
        resource_type: &str,
        resource_id: &str,
    ) -> ApiResult<()> {
        record(
            conn,
            self,
            action,
            resource_type,
            Some(resource_id),
            "success",
        )
    }
}

/// An audit event row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub id: String,
    pub at: NaiveDateTime,
    pub actor_user_id: Option<String>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub request_id: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
}

/// Records an event.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    resource_type: &str,
    resource_id: Option<&str>,
    outcome: &str,
) -> ApiResult<()> {
    record_with_detail(
        conn,
        actor,
        action,
        resource_type,
        resource_id,
        outcome,
        None,
    )
}

/// Records an event with a short detail (never a secret).
pub fn record_with_detail(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    resource_type: &str,
    resource_id: Option<&str>,
    outcome: &str,
    detail: Option<&str>,
) -> ApiResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(new_id()),
            audit_events::at.eq(now()),
            audit_events::actor_user_id.eq(&actor.user_id),
            audit_events::action.eq(action),
            audit_events::resource_type.eq(resource_type),
            audit_events::resource_id.eq(resource_id),
            audit_events::request_id.eq(&actor.request_id),
            audit_events::outcome.eq(outcome),
            audit_events::detail.eq(detail),
        ))
        .execute(conn)?;
    Ok(())
}

/// Audit list filters.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_user_id: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub action: Option<String>,
    pub since: Option<NaiveDateTime>,
}

/// One page of events, oldest first; `after` is the id the previous page ended at.
pub fn list(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    after: Option<&str>,
    limit: i64,
) -> ApiResult<Vec<AuditEvent>> {
    let mut query = audit_events::table
        .select(AuditEvent::as_select())
        .into_boxed();
    if let Some(actor) = &filter.actor_user_id {
        query = query.filter(audit_events::actor_user_id.eq(actor.clone()));
    }
    if let Some(kind) = &filter.resource_type {
        query = query.filter(audit_events::resource_type.eq(kind.clone()));
    }
    if let Some(id) = &filter.resource_id {
        query = query.filter(audit_events::resource_id.eq(id.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_events::action.eq(action.clone()));
    }
    if let Some(since) = filter.since {
        query = query.filter(audit_events::at.ge(since));
    }
    if let Some(after) = after {
        query = query.filter(audit_events::id.gt(after.to_string()));
    }
    Ok(query
        .order(audit_events::id.asc())
        .limit(limit + 1)
        .load(conn)?)
}
