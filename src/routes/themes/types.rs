//! The request and response bodies of the theme endpoints.

use crate::kit::body::{not_null, nullable};
use crate::models::theme::{SupportedTheme, ThemeStatus};
use crate::policy::Visibility;
use crate::routes::{utc, uuid};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A theme.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8b00-0000-7000-8000-000000000001",
    "title": "Krishantering för chefer",
    "description": "Erfarenhetsutbyte efter den första krisen: hur tar vi hand om långsiktiga effekter?",
    "network_id": "019a8600-0000-7000-8000-000000000001",
    "proposed_by_organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "proposed_by_person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c",
    "proposed_by_network_id": "019a8600-0000-7000-8000-000000000001",
    "status": "scheduled",
    "status_reason": null,
    "target_period": "HT 2020",
    "meeting_id": "019a8700-0000-7000-8000-000000000002",
    "agenda_item_id": "019a8700-0000-7000-8000-000000000201",
    "tags": ["kris", "ledarskap"],
    "supporters": ["019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"],
    "support_count": 1,
    "visibility": "restricted",
    "version": 4,
    "created_at": "2026-11-24T08:30:00Z",
    "updated_at": "2026-11-24T09:00:00Z"
}))]
pub struct ThemeDto {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub network_id: Uuid,
    pub proposed_by_organization_id: Option<Uuid>,
    pub proposed_by_person_id: Option<Uuid>,
    /// The network that wished for it, as a network ("Önskemål framförs från
    /// IFO-chefsnätverket").
    pub proposed_by_network_id: Option<Uuid>,
    pub status: ThemeStatus,
    /// Why it was postponed or rejected.
    pub status_reason: Option<String>,
    /// When the proposer wants it taken up, e.g. "HT 2020".
    pub target_period: Option<String>,
    /// The meeting it is scheduled on.
    pub meeting_id: Option<Uuid>,
    /// Its item on that meeting's agenda.
    pub agenda_item_id: Option<Uuid>,
    pub tags: Vec<String>,
    /// The organizations supporting it.
    pub supporters: Vec<Uuid>,
    pub support_count: i32,
    pub visibility: Visibility,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(super) fn theme_dto(s: SupportedTheme) -> ThemeDto {
    let t = s.theme;
    ThemeDto {
        id: uuid(&t.id),
        network_id: uuid(&t.network_id),
        proposed_by_organization_id: t.proposed_by_organization_id.as_deref().map(uuid),
        proposed_by_person_id: t.proposed_by_person_id.as_deref().map(uuid),
        proposed_by_network_id: t.proposed_by_network_id.as_deref().map(uuid),
        status: t.status,
        meeting_id: t.meeting_id.as_deref().map(uuid),
        agenda_item_id: t.agenda_item_id.as_deref().map(uuid),
        tags: t.tags.0,
        supporters: s.supporters.iter().map(|s| uuid(s)).collect(),
        visibility: t.visibility,
        title: t.title,
        description: t.description,
        status_reason: t.status_reason,
        target_period: t.target_period,
        support_count: t.support_count,
        version: t.version,
        created_at: utc(t.created_at),
        updated_at: utc(t.updated_at),
    }
}

/// A proposed theme.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Krishantering för chefer",
    "description": "Erfarenhetsutbyte efter den första krisen.",
    "network_id": "019a8600-0000-7000-8000-000000000001",
    "target_period": "HT 2020",
    "tags": ["kris", "ledarskap"]
}))]
pub struct CreateTheme {
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: String,
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    #[schema(value_type = Uuid)]
    pub network_id: String,
    /// Default: your organization.
    #[schema(value_type = Option<Uuid>)]
    pub proposed_by_organization_id: Option<String>,
    /// A network that wishes for it, as a network (a network you can see): its members
    /// and participants may name it, and the coordinators of `network_id`, who record
    /// what a meeting heard.
    #[schema(value_type = Option<Uuid>)]
    pub proposed_by_network_id: Option<String>,
    #[schema(max_length = 100)]
    pub target_period: Option<String>,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub tags: Vec<String>,
    /// Default: the network's visibility.
    #[schema(value_type = Option<Visibility>)]
    pub visibility: Option<String>,
}

/// A change to a theme. The proposer may change the text while it is proposed;
/// coordinators may change everything, including `status` (with a `status_reason` for
/// `postponed` and `rejected`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "postponed", "status_reason": "Skjuts upp på grund av pandemin."}))]
pub struct UpdateTheme {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 10000)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 100)]
    pub target_period: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<String>, max_items = 20)]
    pub tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Visibility)]
    pub visibility: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = ThemeStatus)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 2000)]
    pub status_reason: Option<Option<String>>,
    /// The network that wished for it (coordinators; `null` clears it).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub proposed_by_network_id: Option<Option<String>>,
}

/// Where to schedule a theme.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"meeting_id": "019a8700-0000-7000-8000-000000000002", "position": 2}))]
pub struct ScheduleTheme {
    /// A meeting of the theme's network.
    #[schema(value_type = Uuid)]
    pub meeting_id: String,
    /// Where on the agenda (1 = first); default last.
    #[schema(minimum = 1, maximum = 1000)]
    pub position: Option<i32>,
}

/// Filters and order of the theme list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThemeQuery {
    pub network_id: Option<Uuid>,
    pub status: Option<ThemeStatus>,
    pub proposed_by_organization_id: Option<Uuid>,
    /// Only themes a network wished for.
    pub proposed_by_network_id: Option<Uuid>,
    /// Only themes with this tag (or this text).
    #[param(example = "kris", max_length = 100)]
    pub tag: Option<String>,
    /// `support`: most supported first. Default: oldest first.
    #[param(example = "support", pattern = "^(support|created)$")]
    pub sort: Option<String>,
}
