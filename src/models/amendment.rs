//! Amendments: the recorded corrections of approved minutes. An amendment keeps what
//! it changed, and removes an action item only when it says so.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::json_text::JsonText;
use crate::db::schema::{minutes, minutes_amendments};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::action_item::{self, PlacedAction};
use crate::models::meeting::Meeting;
use crate::models::minutes::{
    Change, Content, Minutes, MinutesStatus, Section, advance, write_content,
};
use crate::policy::Managed;

/// A recorded correction of approved minutes (the meeting's managers). Action items the
/// amendment does not mention stay where they are; only those in `removed` are removed.
/// The amendment keeps what it changed.
pub fn amend(
    conn: &mut DbConnection,
    meeting: &Managed<Meeting>,
    m: &Minutes,
    reason: &str,
    changed_by: &str,
    mut content: Content,
    removed: &[String],
) -> ApiResult<Minutes> {
    if m.status != MinutesStatus::Approved {
        return Err(ApiError::state_conflict(
            m.status.as_str(),
            "only approved minutes are amended; change the draft instead",
        ));
    }
    let existing = action_item::of_meeting(conn, &meeting.id)?;
    let named: Vec<String> = content
        .actions
        .iter()
        .flatten()
        .filter_map(|a| a.id.clone())
        .collect();
    for (i, id) in removed.iter().enumerate() {
        let field = format!("removed_action_item_ids[{i}]");
        if !existing.iter().any(|e| e.id == *id) {
            return Err(ApiError::invalid_field(
                &field,
                "is not an action item of these minutes",
            ));
        }
        if named.contains(id) {
            return Err(ApiError::invalid_field(
                &field,
                "is also kept in the sections; name it in one place",
            ));
        }
    }
    for e in existing
        .iter()
        .filter(|e| !named.contains(&e.id) && !removed.contains(&e.id))
    {
        let s = e.section_index as usize;
        let Some(list) = content.actions.get_mut(s) else {
            return Err(ApiError::invalid_field(
                "removed_action_item_ids",
                format!(
                    "action item {} belongs to § {}, which this amendment removes: move it to a section or list it here",
                    e.id,
                    s + 1
                ),
            ));
        };
        let at = (e.position.max(0) as usize).min(list.len());
        list.insert(
            at,
            PlacedAction {
                id: Some(e.id.clone()),
                fields: action_item::ActionFields::of(e),
                field: format!("sections[{s}].action_items[{at}]."),
                completion: None,
                status_given: false,
            },
        );
    }
    let changes = changes_of(&m.sections, &content, &existing, removed);
    if changes.is_empty() {
        return Err(ApiError::invalid_field(
            "sections",
            "the amendment changes nothing in the minutes",
        ));
    }
    write_content(conn, meeting, &content)?;
    let terms = minutes::search_terms.eq(crate::search::index::minutes(&content.sections));
    let amended = advance(
        conn,
        m,
        (terms, minutes::sections.eq(JsonText(content.sections))),
    )?;
    record_amendment(conn, &amended, reason, changed_by, now(), &changes)?;
    Ok(amended)
}

/// What an amendment changes, paragraph by paragraph.
fn changes_of(
    before: &[Section],
    after: &Content,
    items: &[action_item::ActionItem],
    removed: &[String],
) -> Vec<Change> {
    let change = |section: usize, part: &str, id: Option<&String>| Change {
        section: section + 1,
        part: part.into(),
        action_item_id: id.cloned(),
    };
    let mut out = Vec::new();
    for i in 0..before.len().max(after.sections.len()) {
        match (before.get(i), after.sections.get(i)) {
            (None, Some(_)) => out.push(change(i, "added", None)),
            (Some(_), None) => out.push(change(i, "removed", None)),
            (Some(b), Some(a)) => {
                let parts = [
                    ("heading", b.heading != a.heading),
                    ("agenda_item", b.agenda_item_id != a.agenda_item_id),
                    ("notes", b.notes != a.notes),
                    ("decisions", b.decisions != a.decisions),
                    ("information", b.information != a.information),
                ];
                for (part, changed) in parts {
                    if changed {
                        out.push(change(i, part, None));
                    }
                }
            }
            (None, None) => {}
        }
    }
    for (s, list) in after.actions.iter().enumerate() {
        for a in list {
            match a
                .id
                .as_ref()
                .and_then(|id| items.iter().find(|e| e.id == *id))
            {
                None => out.push(change(s, "action_item_added", None)),
                Some(e) => {
                    let mut was = action_item::ActionFields::of(e);
                    was.status = a.fields.status;
                    if was != a.fields || e.section_index as usize != s {
                        out.push(change(s, "action_item_changed", Some(&e.id)));
                    }
                }
            }
        }
    }
    for e in items.iter().filter(|e| removed.contains(&e.id)) {
        out.push(change(
            e.section_index as usize,
            "action_item_removed",
            Some(&e.id),
        ));
    }
    out
}

/// Records that the minutes, at their current version, were amended by `changed_by` at
/// `changed_at` (now, or when an imported record says).
pub fn record_amendment(
    conn: &mut DbConnection,
    m: &Minutes,
    reason: &str,
    changed_by: &str,
    changed_at: NaiveDateTime,
    changes: &[Change],
) -> ApiResult<()> {
    diesel::insert_into(minutes_amendments::table)
        .values((
            minutes_amendments::id.eq(new_id()),
            minutes_amendments::minutes_id.eq(&m.id),
            minutes_amendments::reason.eq(reason),
            minutes_amendments::changed_by.eq(changed_by),
            minutes_amendments::changed_at.eq(changed_at),
            minutes_amendments::version.eq(m.version),
            minutes_amendments::changes.eq(JsonText(changes.to_vec())),
        ))
        .execute(conn)?;
    Ok(())
}
