//! The request and response bodies of the supervisory dialogue endpoints.

use crate::kit::body::{not_null, nullable};
use crate::models::dialogue::DialogueStatus;
use crate::models::dialogue_view::FullDialogue;
use crate::models::meeting::MeetingMode;
use crate::policy::Visibility;
use crate::routes::dialogue_parts::{FindingDto, FollowUpDto, NewFinding, NewFollowUp};
use crate::routes::{utc, uuid};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A supervisory dialogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8c00-0000-7000-8000-000000000001",
    "title": "Dialog med Sveriges socialchefer om socialtjänstinsatser under utbrottet av covid-19",
    "supervising_organization_id": "019a84f4-0000-7000-8000-00000000000a",
    "supervision_name": "Nationell tillsyn av förändringar i socialtjänstinsatser",
    "period_start": "2020-10-01",
    "period_end": "2021-03-31",
    "held_on": "2021-05-20",
    "mode": "digital",
    "participant_organization_ids": ["019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"],
    "focus_questions": ["Hur har kommunen säkerställt kontakten med enskilda vid förändrade insatser?"],
    "findings": [{"id": "019a8c00-0000-7000-8000-000000000101", "category": "kvalitet", "text": "Kommunerna har kommit olika långt med att säkerställa god kvalitet och säkerhet."}],
    "lessons_learned": ["En tydlig organisation som fungerar i vardagen underlättar arbetet i en kris."],
    "recommendations": ["Ha kontakt med den enskilde hela vägen: inför förändringen, vid åtgärder och vid uppföljning."],
    "follow_ups": [{"id": "019a8c00-0000-7000-8000-000000000201", "description": "Återföra lärdomar från tillsynen till kommunerna", "responsible_organization_id": "019a84f4-0000-7000-8000-00000000000a", "due_on": "2021-11-30", "status": "open"}],
    "status": "follow_up",
    "visibility": "public",
    "published_at": "2021-06-23T08:00:00Z",
    "publication_recorded_at": null,
    "version": 7,
    "created_at": "2021-05-20T08:00:00Z",
    "updated_at": "2021-06-23T08:00:00Z"
}))]
pub struct DialogueDto {
    pub id: Uuid,
    pub title: String,
    /// The supervisory authority (e.g. IVO).
    pub supervising_organization_id: Uuid,
    /// The supervision the dialogue belongs to.
    pub supervision_name: String,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub held_on: Option<NaiveDate>,
    pub mode: Option<MeetingMode>,
    pub participant_organization_ids: Vec<Uuid>,
    pub focus_questions: Vec<String>,
    pub findings: Vec<FindingDto>,
    pub lessons_learned: Vec<String>,
    pub recommendations: Vec<String>,
    pub follow_ups: Vec<FollowUpDto>,
    pub status: DialogueStatus,
    pub visibility: Visibility,
    /// When it was published; from then on anyone may read it.
    pub published_at: Option<DateTime<Utc>>,
    /// When a publication that happened earlier (on paper, on a website) was entered;
    /// `null` when it was published here.
    pub publication_recorded_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The dialogue with its participants, findings and follow-ups.
pub fn dto(full: FullDialogue) -> DialogueDto {
    let d = full.dialogue;
    DialogueDto {
        id: uuid(&d.id),
        supervising_organization_id: uuid(&d.supervising_organization_id),
        mode: d.mode,
        participant_organization_ids: crate::routes::uuids(&full.participants),
        focus_questions: d.focus_questions.0,
        lessons_learned: d.lessons_learned.0,
        recommendations: d.recommendations.0,
        findings: full.findings.into_iter().map(FindingDto::from).collect(),
        follow_ups: full.follow_ups.into_iter().map(FollowUpDto::from).collect(),
        status: d.status,
        visibility: d.visibility,
        published_at: d.published_at.map(utc),
        publication_recorded_at: d.publication_recorded_at.map(utc),
        title: d.title,
        supervision_name: d.supervision_name,
        period_start: d.period_start,
        period_end: d.period_end,
        held_on: d.held_on,
        version: d.version,
        created_at: utc(d.created_at),
        updated_at: utc(d.updated_at),
    }
}

/// A new dialogue, with its first findings and follow-ups if known.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Dialog med Sveriges socialchefer om socialtjänstinsatser under utbrottet av covid-19",
    "supervising_organization_id": "019a84f4-0000-7000-8000-00000000000a",
    "supervision_name": "Nationell tillsyn av förändringar i socialtjänstinsatser",
    "period_start": "2020-10-01",
    "period_end": "2021-03-31",
    "held_on": "2021-05-20",
    "mode": "digital",
    "participant_organization_ids": ["019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"],
    "focus_questions": ["Hur har kommunen säkerställt kontakten med enskilda vid förändrade insatser?"],
    "lessons_learned": ["En tydlig organisation som fungerar i vardagen underlättar arbetet i en kris."],
    "status": "held"
}))]
pub struct CreateDialogue {
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: String,
    /// A `supervisory_authority` organization; yours unless you are an admin.
    #[schema(value_type = Uuid)]
    pub supervising_organization_id: String,
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub supervision_name: String,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub held_on: Option<NaiveDate>,
    #[schema(value_type = Option<MeetingMode>)]
    pub mode: Option<String>,
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>)]
    pub participant_organization_ids: Vec<String>,
    #[serde(default)]
    pub focus_questions: Vec<String>,
    #[serde(default)]
    pub findings: Vec<NewFinding>,
    #[serde(default)]
    pub lessons_learned: Vec<String>,
    #[serde(default)]
    pub recommendations: Vec<String>,
    #[serde(default)]
    pub follow_ups: Vec<NewFollowUp>,
    /// Default `planned`.
    #[schema(value_type = Option<DialogueStatus>)]
    pub status: Option<String>,
    /// Default `restricted`.
    #[schema(value_type = Option<Visibility>)]
    pub visibility: Option<String>,
}

/// A change to a dialogue; lists sent replace the lists held.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "follow_up", "recommendations": ["Ha kontakt med den enskilde hela vägen."]}))]
pub struct UpdateDialogue {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 300, pattern = "\\S")]
    pub supervision_name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub period_start: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub period_end: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub held_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<MeetingMode>)]
    pub mode: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<Uuid>)]
    pub participant_organization_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<String>)]
    pub focus_questions: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<String>)]
    pub lessons_learned: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<String>)]
    pub recommendations: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = DialogueStatus)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Visibility)]
    pub visibility: Option<String>,
}

/// Filters of the dialogue list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DialogueQuery {
    /// Only dialogues of this supervision (or with this text in its name).
    #[param(example = "förändringar i socialtjänstinsatser", max_length = 300)]
    pub supervision_name: Option<String>,
    pub supervising_organization_id: Option<Uuid>,
    pub participant_organization_id: Option<Uuid>,
    pub status: Option<DialogueStatus>,
    /// Only dialogues whose period ends on or after this day.
    #[param(example = "2020-01-01")]
    pub period_from: Option<NaiveDate>,
    /// Only dialogues whose period starts on or before this day.
    #[param(example = "2021-12-31")]
    pub period_to: Option<NaiveDate>,
}

/// When a dialogue was published, if not now.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"published_at": "2021-06-23"}))]
pub struct PublishDialogue {
    /// A day or instant in the past: a publication that happened elsewhere (IVO's
    /// website), recorded now. Default: now.
    #[schema(value_type = Option<String>, example = "2021-06-23")]
    pub published_at: Option<crate::times::DayOrInstant>,
}
