//! What every record's import shares: whether its key is new, changed or the same,
//! booking it (remembered, counted, audited), and the bundle's dates and instants.

use super::import::{Importer, Outcome};
use crate::db::DbConnection;
use crate::error::{ApiResult, Validator};
use crate::models::store::ItemStore;
use crate::policy::Managed;

/// What a record's `key` says about it: new, imported before with other content (its
/// id), or imported before as it is.
pub(super) enum Seen {
    New,
    Changed(String),
    Same(String),
}

impl Importer {
    /// Claims the key and looks it up; `None` when the key is unusable (reported).
    pub(super) fn seen(
        &mut self,
        conn: &mut DbConnection,
        kind: &'static str,
        key: &str,
        at: &str,
        print: &str,
    ) -> Option<Seen> {
        self.seen_as(conn, kind, key, at, print, None)
    }

    /// As [`Importer::seen`], where a record new to the import may be one the database
    /// has already: a key that is the id of a record of its kind (an export of this
    /// database, imported back), or `natural`, the record found by what identifies it
    /// outside the bundle (a person's or user's email), unless that one was imported
    /// under another key.
    pub(super) fn seen_as(
        &mut self,
        conn: &mut DbConnection,
        kind: &'static str,
        key: &str,
        at: &str,
        print: &str,
        natural: Option<String>,
    ) -> Option<Seen> {
        if !self.claim(kind, key, &format!("{at}.key")) {
            return None;
        }
        match self.known(conn, kind, key) {
            Ok(None) => match self.existing(conn, kind, key, natural) {
                Ok(Some(id)) => Some(Seen::Changed(id)),
                Ok(None) => Some(Seen::New),
                Err(e) => {
                    self.fail(at, e);
                    None
                }
            },
            Ok(Some((id, old))) if old == print => Some(Seen::Same(id)),
            Ok(Some((id, _))) => Some(Seen::Changed(id)),
            Err(e) => {
                self.fail(at, e);
                None
            }
        }
    }

    fn existing(
        &mut self,
        conn: &mut DbConnection,
        kind: &'static str,
        key: &str,
        natural: Option<String>,
    ) -> ApiResult<Option<String>> {
        let candidate = match natural {
            Some(id) => Some(id),
            None if uuid::Uuid::parse_str(key).is_ok() && exists(conn, kind, key)? => {
                Some(key.to_string())
            }
            None => None,
        };
        match candidate {
            Some(id) if !self.taken(conn, kind, &id)? => Ok(Some(id)),
            _ => Ok(None),
        }
    }

    /// Runs the write of a record and books it: remembered under its key, counted and
    /// audited; its problems are reported under `at`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn book(
        &mut self,
        conn: &mut DbConnection,
        kind: &'static str,
        key: &str,
        at: &str,
        print: &str,
        seen: &Seen,
        write: impl FnOnce(&mut Self, &mut DbConnection) -> ApiResult<Option<String>>,
    ) -> Option<String> {
        let errors_before = self.errors.len();
        self.wrote = false;
        let result = write(self, conn);
        let id = match result {
            Ok(Some(id)) if self.errors.len() == errors_before => id,
            Ok(_) => {
                self.mark_failed(kind, key);
                return None;
            }
            Err(e) => {
                self.fail(at, e);
                self.mark_failed(kind, key);
                return None;
            }
        };
        let outcome = match seen {
            Seen::New => Outcome::Created,
            Seen::Changed(_) if self.wrote => Outcome::Updated,
            Seen::Changed(_) | Seen::Same(_) => Outcome::Unchanged,
        };
        let booked = if matches!(seen, Seen::Same(_)) {
            self.note(kind, key, &id);
            self.done(conn, kind, &id, outcome)
        } else {
            self.remember(conn, kind, key, &id, print, matches!(seen, Seen::New))
                .and_then(|()| self.done(conn, kind, &id, outcome))
        };
        if let Err(e) = booked {
            self.fail(at, e);
        }
        Some(id)
    }

    /// Reports the problems a route's check found, under `at`.
    pub(super) fn checked(&mut self, at: &str, v: &mut Validator) -> bool {
        match v.finish() {
            Ok(()) => true,
            Err(e) => {
                self.fail(at, e);
                false
            }
        }
    }
}

/// Whether a live record of `kind` has this id.
fn exists(conn: &mut DbConnection, kind: &str, id: &str) -> ApiResult<bool> {
    use crate::db::schema::*;
    use diesel::dsl::{exists as any, select};
    use diesel::prelude::*;
    let id = id.to_string();
    let found = match kind {
        "organization" => select(any(organizations::table
            .find(id)
            .filter(organizations::deleted_at.is_null())))
        .get_result(conn)?,
        "person" => select(any(people::table
            .find(id)
            .filter(people::deleted_at.is_null())))
        .get_result(conn)?,
        "user" => select(any(users::table.find(id))).get_result(conn)?,
        "network" => select(any(networks::table
            .find(id)
            .filter(networks::deleted_at.is_null())))
        .get_result(conn)?,
        "series" => select(any(meeting_series::table
            .find(id)
            .filter(meeting_series::deleted_at.is_null())))
        .get_result(conn)?,
        "meeting" => select(any(meetings::table
            .find(id)
            .filter(meetings::deleted_at.is_null())))
        .get_result(conn)?,
        "theme" => select(any(themes::table
            .find(id)
            .filter(themes::deleted_at.is_null())))
        .get_result(conn)?,
        "dialogue" => select(any(supervisory_dialogues::table
            .find(id)
            .filter(supervisory_dialogues::deleted_at.is_null())))
        .get_result(conn)?,
        _ => false,
    };
    Ok(found)
}

/// A date as the bundle writes it (`YYYY-MM-DD`).
pub(super) fn date(
    v: &mut Validator,
    field: &str,
    text: Option<&str>,
) -> Option<chrono::NaiveDate> {
    let text = text?;
    match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(day) => Some(day),
        Err(_) => {
            v.add(field, "must be a date (2020-05-08)");
            None
        }
    }
}

/// An instant as the bundle writes it: a date (its midnight in Swedish time) or RFC 3339.
pub(super) fn instant(v: &mut Validator, field: &str, text: &str) -> Option<chrono::NaiveDateTime> {
    match serde_json::from_value::<crate::times::DayOrInstant>(serde_json::Value::from(text)) {
        Ok(when) => Some(when.start_in(chrono_tz::Europe::Stockholm)),
        Err(_) => {
            v.add(
                field,
                "must be a date (2020-05-08) or an RFC 3339 instant (2020-05-08T09:00:00Z)",
            );
            None
        }
    }
}

/// When something happened, as given, and when it was entered: the bundle's
/// `recorded_at`, or now. Never in the future.
pub(super) fn happened(
    v: &mut Validator,
    field: &str,
    text: &str,
    recorded_field: &str,
    recorded: Option<&str>,
) -> Option<(chrono::NaiveDateTime, chrono::NaiveDateTime)> {
    let at = instant(v, field, text)?;
    let now = crate::db::now();
    v.check(at <= now, field, "must not be in the future");
    let recorded_at = match recorded {
        Some(text) => instant(v, recorded_field, text)?,
        None => now,
    };
    Some((at, recorded_at))
}

/// Writes the keyed items of a parent in the bundle's order: an item whose key was
/// imported before (for this parent) is changed, a new one added; with `prune`, the
/// parent's items the bundle no longer lists are removed. Each write moves the parent's
/// version, so the parent is read again before the next. Returns the parent as it is
/// after the last.
#[allow(clippy::too_many_arguments)]
pub(super) fn keyed_items<S: ItemStore>(
    imp: &mut Importer,
    conn: &mut DbConnection,
    kind: &'static str,
    parent_id: &str,
    existing: &[String],
    items: Vec<(String, S::New, S::Change)>,
    id_of: impl Fn(&S::Item) -> String,
    same: impl Fn(&S::Item, &S::Change) -> bool,
) -> ApiResult<Managed<S::Parent>> {
    let reach = imp.reach.clone();
    let fresh_parent =
        |conn: &mut DbConnection| reach.manage(S::parent(conn, &reach, parent_id, true)?);
    let mut parent = fresh_parent(conn)?;
    let mut kept = Vec::new();
    for (key, new, change) in items {
        let known = imp.known(conn, kind, &key)?;
        let (id, fresh) = match known {
            Some((id, _)) if existing.contains(&id) => {
                let item = S::item(conn, &parent, &id)?;
                if !same(&item, &change) {
                    S::change(conn, &parent, &item, change)?;
                    imp.wrote = true;
                }
                (id, false)
            }
            known => {
                let item = S::add(conn, &parent, new)?;
                imp.wrote = true;
                (id_of(&item), known.is_none())
            }
        };
        parent = fresh_parent(conn)?;
        imp.remember(conn, kind, &key, &id, "", fresh)?;
        kept.push(id);
    }
    for id in existing {
        if !kept.contains(id) {
            let item = S::item(conn, &parent, id)?;
            S::remove(conn, &parent, &item)?;
            imp.wrote = true;
            parent = fresh_parent(conn)?;
        }
    }
    Ok(parent)
}

/// The bundle's name for a field the API's checks name: references drop their `_id`
/// (`organizer_organization_id` is `organizer_organization`).
pub(super) fn bundle_field(field: &str) -> String {
    field
        .split('.')
        .map(|segment| {
            let (name, index) = match segment.find('[') {
                Some(at) => segment.split_at(at),
                None => (segment, ""),
            };
            let name = match name {
                "participant_organization_ids" => "participants",
                "recorded_by" | "approvers" => name,
                _ => name.strip_suffix("_id").unwrap_or(name),
            };
            format!("{name}{index}")
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::bundle_field;

    #[test]
    fn fields_take_the_bundles_names() {
        assert_eq!(
            bundle_field("organizer_organization_id"),
            "organizer_organization"
        );
        assert_eq!(
            bundle_field("sections[1].action_items[0].owner_person_id"),
            "sections[1].action_items[0].owner_person"
        );
        assert_eq!(
            bundle_field("participant_organization_ids[2]"),
            "participants[2]"
        );
        assert_eq!(bundle_field("starts_at"), "starts_at");
        assert_eq!(bundle_field("recorded_by[0]"), "recorded_by[0]");
    }
}
