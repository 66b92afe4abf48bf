//! The bundle: one JSON document holding a whole record or part of one, as `samverkan
//! import` and `POST /api/v1/import` read it and `samverkan export` and `GET
//! /api/v1/export` write it. Records refer to each other by the bundle's own keys.
//! Scalars with a closed set of values (kinds, statuses, dates) are read as text and
//! checked by the same validation as the API's requests, so a bad value is named
//! (`meetings[3].starts_at: …`) rather than stopping the reader.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

mod parties;
mod records;

pub use parties::*;
pub use records::*;

/// The value of `format`.
pub const FORMAT: &str = "samverkan-bundle";
/// The version this server reads and writes.
pub const VERSION: i32 = 1;

/// The sections, in the order they are read and written: a record refers only to
/// records of sections before its own (or earlier in its own), or imported before.
pub const SECTIONS: [&str; 9] = [
    "organizations",
    "people",
    "users",
    "networks",
    "series",
    "meetings",
    "minutes",
    "themes",
    "dialogues",
];

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}

/// A Samverkan bundle (`format` `samverkan-bundle`, `version` 1). Every section is
/// optional; sections are read in the order shown.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "format": "samverkan-bundle",
    "version": 1,
    "organizations": [{"key": "gr", "name": "Göteborgsregionen", "short_name": "GR", "kind": "regional_association"}],
    "people": [{"key": "nicholas", "name": "Nicholas Singleton", "organization": "gr", "title": "utvecklingsledare"}],
    "networks": [{"key": "ifo", "name": "IFO-chefsnätverket", "owner_organization": "gr", "visibility": "restricted",
        "participants": [{"person": "nicholas", "role": "coordinator"}]}],
    "meetings": [{"key": "ifo-2020-05-08", "network": "ifo", "title": "Nätverksmöte", "starts_at": "2020-05-08T09:00",
        "ends_at": "2020-05-08T12:00", "status": "held", "agenda": [{"key": "ifo-2020-05-08/1", "title": "Mötet inleds"}]}]
}))]
pub struct Bundle {
    /// Always `samverkan-bundle`.
    #[schema(example = "samverkan-bundle")]
    pub format: String,
    /// Always 1.
    #[schema(example = 1)]
    pub version: i32,
    /// Free text: where the bundle comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<OrganizationRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<PersonRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<UserRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<NetworkRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<SeriesRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meetings: Vec<MeetingRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub minutes: Vec<MinutesRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<ThemeRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dialogues: Vec<DialogueRecord>,
}
