//! The records of the first sections: organizations, people, users, networks and series.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::is_false;

/// An organization.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "ekero", "name": "Ekerö kommun", "kind": "municipality", "municipality_code": "0125"}))]
pub struct OrganizationRecord {
    /// Unique among the bundle's organizations (1–200 characters).
    #[schema(example = "ekero")]
    pub key: String,
    #[schema(example = "Ekerö kommun")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// An organization kind (`municipality`, `government_agency`, …).
    #[schema(example = "municipality")]
    pub kind: String,
    /// The key of the organization it is part of (earlier in the bundle).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A person (a contact, or a user's person).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "nicholas-singleton", "name": "Nicholas Singleton", "title": "utvecklingsledare", "organization": "gr"}))]
pub struct PersonRecord {
    pub key: String,
    #[schema(example = "Nicholas Singleton")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Job title, e.g. `utvecklingsledare`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Organization key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

/// An account, without a password: it signs in after an admin sets one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "nicholas", "email": "nicholas.singleton@goteborgsregionen.se", "display_name": "Nicholas Singleton", "role": "user", "organization": "gr", "person": "nicholas-singleton"}))]
pub struct UserRecord {
    pub key: String,
    pub email: String,
    pub display_name: String,
    /// `admin` or `user` (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Organization key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Person key: every user is a person.
    pub person: String,
    /// Default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// A member organization of a network.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organization": "ale-kommun", "joined_on": "2019-01-01"}))]
pub struct MemberRecord {
    pub organization: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_on: Option<String>,
}

/// A person taking part in a network.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"person": "nicholas-singleton", "role": "coordinator", "on_behalf_of_organization": "gr"}))]
pub struct ParticipantRecord {
    pub person: String,
    /// `coordinator` or `member` (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of_organization: Option<String>,
}

/// A network with its members and participants.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "ifo-chefer", "name": "IFO-chefsnätverket", "owner_organization": "gr", "visibility": "restricted", "focus_areas": ["Individ- och familjeomsorg"], "members": [{"organization": "ale-kommun"}], "participants": [{"person": "nicholas-singleton", "role": "coordinator"}]}))]
pub struct NetworkRecord {
    pub key: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub owner_organization: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus_areas: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_person: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_on: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<ParticipantRecord>,
}

/// One dated fact of a series' history.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"on": "2020-09-01", "kind": "paused", "reason": "Läget var mer under kontroll.", "approximate": true}))]
pub struct TimelineRecord {
    /// The day it took effect (`YYYY-MM-DD`).
    #[schema(example = "2020-03-01")]
    pub on: String,
    /// `started`, `frequency_changed`, `paused`, `resumed` or `ended`.
    #[schema(example = "started")]
    pub kind: String,
    /// For `started` and `frequency_changed`: `weekly`, `biweekly`, `monthly`, `irregular`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// Why, for `paused`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The source gives only a period: `on` is its first day.
    #[serde(default, skip_serializing_if = "is_false")]
    pub approximate: bool,
    /// When it was entered, if before the import (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<String>,
}

/// A recurring meeting with its dated timeline.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "ekero-fredagsmoten", "network": "ekero-forum", "title": "Gemensamma fredagsmöten", "weekday": "friday", "kind": "status_briefing", "timeline": [{"on": "2020-03-01", "kind": "started", "frequency": "weekly", "approximate": true}, {"on": "2020-09-01", "kind": "paused", "reason": "Läget var mer under kontroll.", "approximate": true}, {"on": "2020-10-01", "kind": "resumed", "approximate": true}]}))]
pub struct SeriesRecord {
    pub key: String,
    pub network: String,
    pub title: String,
    /// `monday` … `sunday`.
    pub weekday: String,
    /// `HH:MM`; absent when the time is not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// Default true: no meeting on a Swedish public holiday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_holidays: Option<bool>,
    /// Oldest first; the first is `started`.
    pub timeline: Vec<TimelineRecord>,
}
