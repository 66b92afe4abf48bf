//! The records of the later sections: meetings, minutes, themes and dialogues.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An agenda item.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "ifo-2020-05-08/3", "title": "Information från GR", "presenter": "nicholas-singleton"}))]
pub struct AgendaRecord {
    /// Unique among all agenda items.
    pub key: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Person key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presenter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<i32>,
}

/// Someone invited to, or at, a meeting.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"person": "nicholas-singleton", "organization": "gr", "role": "note_taker", "attendance": "present"}))]
pub struct AttendeeRecord {
    pub person: String,
    /// Default: the person's organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// `chair`, `note_taker`, `participant` (default), `guest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `invited` (default), `present`, `absent`, `excused`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance: Option<String>,
}

/// A meeting with its agenda and attendees.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "ifo-2020-05-08", "network": "ifo-chefer", "title": "IFO-chefsnätverket – nätverksmöte", "starts_at": "2020-05-08", "status": "held", "mode": "digital", "agenda": [{"key": "ifo-2020-05-08/1", "title": "Mötet inleds"}], "attendees": [{"person": "nicholas-singleton", "role": "note_taker", "attendance": "present"}]}))]
pub struct MeetingRecord {
    pub key: String,
    /// Network key; absent for a meeting outside any network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// Keys of the networks holding it together with `network`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_hosts: Vec<String>,
    /// Series key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizer_organization: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Local time (`2020-05-08T09:00`) in `time_zone`, or a bare date.
    #[schema(example = "2020-05-08T09:00")]
    pub starts_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agenda: Vec<AgendaRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendees: Vec<AttendeeRecord>,
}

/// An approval of minutes, with the day it was given.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"person": "jessica-svanstrom", "approved_at": "2020-05-15"}))]
pub struct ApprovalRecord {
    pub person: String,
    /// A date or an RFC 3339 instant.
    #[schema(example = "2020-05-15")]
    pub approved_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<String>,
}

/// An action item of a section.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "ifo-2020-05-08/a1", "title": "Skicka ut VGR:s dokument om att arbeta i kris", "owner_person": "nicholas-singleton", "status": "done", "completed_at": "2020-05-11"}))]
#[allow(clippy::struct_excessive_bools)]
pub struct ActionRecord {
    pub key: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_person: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<String>,
    /// `open` (default), `done`, `cancelled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_recorded_at: Option<String>,
    /// A request to every member organization of the network (members on the meeting's
    /// day), each to answer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub addressed_to_members: bool,
    /// Organizations (keys) asked by name, each to answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addressees: Vec<String>,
    /// The answers of the organizations asked that have answered or declined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replies: Vec<ReplyRecord>,
}

/// One organization's answer to a request.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organization": "partille", "status": "answered", "answer": "Materialet är läst; finansiering tas upp i ledningsgruppen.", "answered_at": "2020-05-14", "answered_by": "jessica-svanstrom"}))]
pub struct ReplyRecord {
    /// Organization key: one of the organizations asked.
    pub organization: String,
    /// `answered` or `declined` (`open` is the default of everyone asked).
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// A date or an RFC 3339 instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<String>,
    /// Person key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
}

/// A section of minutes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"agenda_item": "ifo-2020-05-08/3", "heading": "Information från GR", "notes": "GR informerar om läget.", "decisions": ["Nätverket ses igen i höst."]}))]
pub struct SectionRecord {
    /// Agenda item key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda_item: Option<String>,
    pub heading: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub information_items: Vec<InformationRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub action_items: Vec<ActionRecord>,
}

/// Information given in a section.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Uppföljning Ekonomiskt bistånd", "text": "Arbete för gemensam uppföljning pågår.", "organization": "gr"}))]
pub struct InformationRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub text: String,
    /// Key of the organization that informs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

/// A recorded change of approved minutes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Fel namn på föredragande i § 3.", "changed_by": "nicholas-singleton", "changed_at": "2020-05-20T10:00:00Z"}))]
pub struct AmendmentRecord {
    pub reason: String,
    /// Person key.
    pub changed_by: String,
    pub changed_at: String,
}

/// The minutes of a meeting.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"meeting": "ifo-2020-05-08", "status": "approved", "recorded_by": ["nicholas-singleton"], "approvers": ["jessica-svanstrom"], "approvals": [{"person": "jessica-svanstrom", "approved_at": "2020-05-15"}], "sections": [{"agenda_item": "ifo-2020-05-08/1", "heading": "Mötet inleds"}]}))]
pub struct MinutesRecord {
    /// Meeting key (minutes have no key of their own).
    pub meeting: String,
    /// `draft` (default), `submitted`, `approved`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `notes` (default) or `protocol`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recorded_by: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_due_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<ApprovalRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amendments: Vec<AmendmentRecord>,
}

/// A theme proposed for a network's meetings.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "krishantering-for-chefer", "network": "ifo-chefer", "title": "Krishantering för chefer", "proposed_by_organization": "gr", "status": "proposed", "target_period": "HT 2020", "supporters": ["ale-kommun"]}))]
pub struct ThemeRecord {
    pub key: String,
    pub network: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_by_organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_by_person: Option<String>,
    /// Key of the network that wished for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_by_network: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_period: Option<String>,
    /// Meeting key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<String>,
    /// Agenda item key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda_item: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// Organization keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supporters: Vec<String>,
}

/// A finding of a supervisory dialogue.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "ivo/f1", "category": "samverkan", "text": "Kommuner har hittat lösningar tillsammans med de berörda."}))]
pub struct FindingRecord {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub text: String,
}

/// A follow-up of a supervisory dialogue.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "ivo/u1", "description": "IVO följer upp dialogen med socialcheferna.", "responsible_organization": "ivo", "status": "open"}))]
pub struct FollowUpRecord {
    pub key: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// A supervisory authority's dialogue with municipalities.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "ivo-dialog", "title": "Dialog med Sveriges socialchefer om socialtjänstinsatser under utbrottet av covid-19", "supervising_organization": "ivo", "supervision_name": "Nationell tillsyn av förändringar i socialtjänstinsatser", "participants": ["fss"], "status": "closed", "visibility": "public", "published_at": "2021-06-23"}))]
pub struct DialogueRecord {
    pub key: String,
    pub title: String,
    pub supervising_organization: String,
    pub supervision_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Organization keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus_questions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lessons_learned: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recommendations: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// A date or an RFC 3339 instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_recorded_at: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<FollowUpRecord>,
}
