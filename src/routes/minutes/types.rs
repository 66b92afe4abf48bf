//! The request and response bodies of the minutes endpoints.

use crate::models::action_item::ActionStatus;
use crate::models::minutes::{DocumentType, MinutesStatus};
use crate::policy::Visibility;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A section of the minutes: one per agenda item.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "agenda_item_id": "019a8700-0000-7000-8000-000000000101",
    "heading": "Information från GR",
    "notes": "Arbete för gemensam uppföljning av hur Covid-19 har påverkat ekonomiskt bistånd pågår.",
    "decisions": ["GR sammanställer uppföljningen till nästa möte."],
    "information_items": [{"title": "Utförarregister – förstudie", "text": "Intervjuer med chefer från kommunerna har inletts.", "organization_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a01"}],
    "action_items": []
}))]
pub struct SectionDto {
    pub agenda_item_id: Option<Uuid>,
    pub heading: String,
    pub notes: Option<String>,
    /// What was decided (a protocol) or agreed (notes).
    pub decisions: Vec<String>,
    /// What was told for information: neither decided nor handed out.
    pub information_items: Vec<InformationDto>,
    /// The tasks handed out, as the minutes wrote them. Their live status (open, done)
    /// is on `/action-items/{id}`; it never changes the minutes.
    pub action_items: Vec<MinutesActionDto>,
}

/// An information item of a section, e.g. "Information från GR".
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Uppföljning Ekonomiskt bistånd", "text": "Arbete för gemensam uppföljning pågår i dialog med enhetscheferna inom GR.", "organization_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a01"}))]
pub struct InformationDto {
    /// A short title.
    #[serde(default)]
    #[schema(max_length = 300)]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 20000, pattern = "\\S")]
    pub text: String,
    /// The organization that informs.
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub organization_id: Option<String>,
}

/// An action item as the minutes hand it out. The item itself, with its status, is at
/// `/action-items/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8a10-0000-7000-8000-000000000001", "title": "Skicka ut VGR:s dokument om att arbeta i kris", "description": null, "owner_person_id": null, "owner_organization_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a01", "due_on": "2020-05-15", "addressed_to_members": false, "addressee_organization_ids": []}))]
pub struct MinutesActionDto {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub owner_person_id: Option<Uuid>,
    pub owner_organization_id: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
    /// A request to every member organization of the network, each to answer.
    pub addressed_to_members: bool,
    /// The organizations asked by name, each to answer. Their answers are on
    /// `/action-items/{id}` (`replies`).
    pub addressee_organization_ids: Vec<Uuid>,
}

/// One thing an amendment changed.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"section": 3, "part": "notes"}))]
pub struct ChangeDto {
    /// The paragraph (§) changed, from 1.
    pub section: usize,
    /// `added`, `removed`, `heading`, `agenda_item`, `notes`, `decisions`,
    /// `information`, `action_item_added`, `action_item_changed` or `action_item_removed`.
    pub part: String,
    /// The action item, for the action item parts.
    pub action_item_id: Option<Uuid>,
}

/// An approval by one approver: given here, or given on paper and recorded afterwards.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c", "approved_at": "2020-05-14T22:00:00Z", "recorded_at": "2026-12-05T10:00:00Z", "recorded_by": "019a84f5-0000-7000-8000-000000000001"}))]
pub struct ApprovalDto {
    pub person_id: Uuid,
    /// When the approver approved (justerade).
    pub approved_at: DateTime<Utc>,
    /// When an approval given on paper was entered; `null` when it was given here.
    pub recorded_at: Option<DateTime<Utc>>,
    /// The user who entered it.
    pub recorded_by: Option<Uuid>,
}

/// An approval given on paper, to be recorded.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c", "approved_at": "2020-05-15"}))]
pub struct RecordApproval {
    /// One of the minutes' approvers.
    #[schema(value_type = Uuid)]
    pub person_id: String,
    /// The day (or instant) they approved; not in the future.
    #[schema(value_type = String, example = "2020-05-15")]
    pub approved_at: crate::times::DayOrInstant,
}

/// A correction made after approval.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"reason": "Fel namn på föredragande i § 3.", "changed_by": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c", "changed_at": "2020-05-20T08:00:00Z", "version": 6}))]
pub struct AmendmentDto {
    pub reason: String,
    /// What it changed, computed from the content before and after.
    pub changes: Vec<ChangeDto>,
    /// The person who made it.
    pub changed_by: Uuid,
    pub changed_at: DateTime<Utc>,
    /// The version of the minutes it produced; the one before stays readable.
    pub version: i32,
}

/// A meeting's minutes.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8a00-0000-7000-8000-000000000001",
    "meeting_id": "019a8700-0000-7000-8000-000000000001",
    "status": "approved",
    "recorded_by": ["019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5d"],
    "approvers": ["019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c"],
    "approval_due_on": "2020-05-22",
    "approvals": [{"person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c", "approved_at": "2020-05-15T10:00:00Z"}],
    "submitted_at": "2020-05-11T09:00:00Z",
    "approved_at": "2020-05-15T10:00:00Z",
    "sections": [{"agenda_item_id": null, "heading": "Mötet inleds", "notes": "Inledning och kort introduktion.", "decisions": [], "action_items": []}],
    "amendments": [],
    "visibility": "restricted",
    "version": 5,
    "created_at": "2020-05-08T13:00:00Z",
    "updated_at": "2020-05-15T10:00:00Z"
}))]
pub struct MinutesDto {
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// `notes` (minnesanteckningar) or `protocol` (protokoll): the document's heading and
    /// whether its paragraphs say "Beslut" or "Överenskommelse".
    pub document_type: DocumentType,
    pub status: MinutesStatus,
    /// Who took the notes.
    pub recorded_by: Vec<Uuid>,
    /// Who approves the minutes (justerare).
    pub approvers: Vec<Uuid>,
    /// By when the approvers should approve.
    pub approval_due_on: NaiveDate,
    pub approvals: Vec<ApprovalDto>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// When the last approver approved.
    pub approved_at: Option<DateTime<Utc>>,
    pub sections: Vec<SectionDto>,
    pub amendments: Vec<AmendmentDto>,
    pub visibility: Visibility,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An action item as written in a section; send its `id` back to keep it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Skicka ut VGR:s dokument om att arbeta i kris", "owner_person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5d", "due_on": "2020-05-22"}))]
pub struct ActionInput {
    /// An action item of these minutes to keep; without it, a new one.
    #[schema(value_type = Option<Uuid>)]
    pub id: Option<String>,
    #[schema(min_length = 1, max_length = 500, pattern = "\\S")]
    pub title: String,
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[schema(value_type = Option<Uuid>)]
    pub owner_person_id: Option<String>,
    #[schema(value_type = Option<Uuid>)]
    pub owner_organization_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// Default `open`.
    #[schema(value_type = Option<ActionStatus>)]
    pub status: Option<String>,
    /// `true`: a request to every member organization of the network (members on the
    /// meeting's day), each to answer (`PUT /action-items/{id}/replies/{organization_id}`).
    #[serde(default)]
    pub addressed_to_members: bool,
    /// Organizations asked by name, each to answer (with `addressed_to_members`: asked
    /// besides the members).
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>, max_items = 500)]
    pub addressee_organization_ids: Vec<String>,
}

/// A section as written.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"agenda_item_id": "019a8700-0000-7000-8000-000000000101", "heading": "Information från GR", "notes": "…", "decisions": ["GR sammanställer uppföljningen."], "action_items": []}))]
pub struct SectionInput {
    /// The agenda item it records (of this meeting).
    #[schema(value_type = Option<Uuid>)]
    pub agenda_item_id: Option<String>,
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub heading: String,
    #[schema(max_length = 50000)]
    pub notes: Option<String>,
    #[serde(default)]
    pub decisions: Vec<String>,
    /// Information given: neither decisions nor action items.
    #[serde(default)]
    pub information_items: Vec<InformationDto>,
    #[serde(default)]
    pub action_items: Vec<ActionInput>,
}

/// The draft, written whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "recorded_by": ["019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5d"],
    "approvers": ["019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c"],
    "sections": [{"heading": "Mötet inleds", "notes": "Inledning och kort introduktion till mötet som genomförs via Teams."}]
}))]
pub struct PutMinutes {
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>)]
    pub recorded_by: Vec<String>,
    /// The approvers (justerare); at least one before submitting.
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>)]
    pub approvers: Vec<String>,
    /// Default: 14 days after the meeting.
    pub approval_due_on: Option<NaiveDate>,
    /// Default: the meeting's visibility.
    #[schema(value_type = Option<Visibility>)]
    pub visibility: Option<String>,
    /// `notes` (minnesanteckningar, the default) or `protocol` (protokoll); left out, a
    /// draft keeps what it was.
    #[schema(value_type = Option<DocumentType>)]
    pub document_type: Option<String>,
    #[serde(default)]
    pub sections: Vec<SectionInput>,
}

/// A correction of approved minutes: why, and the sections as they should read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Fel namn på föredragande i § 3.", "sections": [{"heading": "Mötet inleds", "notes": "Rättad text."}]}))]
pub struct AmendMinutes {
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    pub reason: String,
    /// The sections as amended. Action items left out of them stay as they are.
    pub sections: Vec<SectionInput>,
    /// The action items the amendment removes; no other item is removed.
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>)]
    pub removed_action_item_ids: Vec<String>,
}

/// Which version to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// An earlier version, as it read then (JSON only).
    #[param(minimum = 1, example = 3)]
    pub version: Option<i32>,
}
