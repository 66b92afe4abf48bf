//! Requests to members: an action item addressed to several organizations, or to every
//! member organization of its network ("tacksam för snabba svar till Nicholas"), with
//! a status and an answer from each organization asked.
//!
//! The minutes write the addressing (`addressed_to_members`, `addressee_organization_ids`);
//! when it is written or changed, the organizations it resolves to get a reply row each
//! (members as of the meeting's day). The replies are live, like an item's status: they
//! never change the minutes, and an unchanged addressing keeps them as they are.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use diesel::sql_types::{Integer, Text, Timestamp};

use crate::db::schema::{action_item_replies, meetings, network_members, organizations};
use crate::db::{DbConnection, now};
use crate::error::{ApiError, ApiResult};
use crate::models::action_item::{ActionFields, ActionItem};

crate::text_enum! {
    /// Where an organization's answer to a request stands.
    ReplyStatus {
        /// Not answered yet.
        Open => "open",
        /// Answered (see `answer`).
        Answered => "answered",
        /// The organization declines to answer, or the request does not concern it.
        Declined => "declined",
    }
}

/// One organization's answer to a request.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = action_item_replies)]
pub struct Reply {
    pub action_item_id: String,
    pub organization_id: String,
    pub status: ReplyStatus,
    pub answer: Option<String>,
    pub answered_at: Option<NaiveDateTime>,
    pub answered_by_person_id: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The replies to the items `ids`, in one statement, by organization.
pub fn of_items(conn: &mut DbConnection, ids: &[&str]) -> ApiResult<Vec<Reply>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(action_item_replies::table
        .filter(action_item_replies::action_item_id.eq_any(ids))
        .order((
            action_item_replies::action_item_id.asc(),
            action_item_replies::organization_id.asc(),
        ))
        .select(Reply::as_select())
        .load(conn)?)
}

/// An action item with the answers to it, as lists show it.
#[derive(Debug, Clone)]
pub struct AnsweredAction {
    pub item: ActionItem,
    pub replies: Vec<Reply>,
}

impl crate::pagination::SoftDeleted for AnsweredAction {
    fn id(&self) -> &str {
        &self.item.id
    }
    fn deleted_at(&self) -> Option<NaiveDateTime> {
        self.item.deleted_at
    }
}

/// The items with their replies (one statement for all of them).
pub fn with_replies(
    conn: &mut DbConnection,
    rows: Vec<ActionItem>,
) -> ApiResult<Vec<AnsweredAction>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut replies = of_items(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|item| {
            let (own, rest) = replies.drain(..).partition(|r| r.action_item_id == item.id);
            replies = rest;
            AnsweredAction { item, replies: own }
        })
        .collect())
}

/// The member organizations of `network_id` on `day`.
fn members_on(conn: &mut DbConnection, network_id: &str, day: NaiveDate) -> ApiResult<Vec<String>> {
    Ok(network_members::table
        .filter(network_members::network_id.eq(network_id))
        .filter(
            network_members::joined_on
                .is_null()
                .or(network_members::joined_on.le(day)),
        )
        .filter(
            network_members::left_on
                .is_null()
                .or(network_members::left_on.gt(day)),
        )
        .select(network_members::organization_id)
        .distinct()
        .load(conn)?)
}

/// Gives the item `item_id` (of `meeting_id`, in `network_id`) a reply row for each
/// organization its addressing `after` names, when the addressing is new or changed from
/// `before`: new organizations are asked (status `open`), organizations no longer named
/// lose their reply. `field` prefixes errors (e.g. `sections[2].action_items[0].`).
pub fn address(
    conn: &mut DbConnection,
    item_id: &str,
    meeting_id: &str,
    network_id: Option<&str>,
    before: Option<&ActionFields>,
    after: &ActionFields,
    field: &str,
) -> ApiResult<()> {
    let unchanged = before.is_some_and(|b| {
        b.addressed_to_members == after.addressed_to_members
            && b.addressee_organization_ids == after.addressee_organization_ids
    });
    if unchanged {
        return Ok(());
    }
    let mut asked = after.addressee_organization_ids.0.clone();
    if after.addressed_to_members {
        let Some(network_id) = network_id else {
            return Err(ApiError::invalid_field(
                &format!("{field}addressed_to_members"),
                "the meeting is outside any network: name the organizations in addressee_organization_ids",
            ));
        };
        let day: NaiveDateTime = meetings::table
            .find(meeting_id)
            .select(meetings::starts_at)
            .first(conn)?;
        for org in members_on(conn, network_id, day.date())? {
            if !asked.contains(&org) {
                asked.push(org);
            }
        }
    }
    let existing: Vec<String> = action_item_replies::table
        .filter(action_item_replies::action_item_id.eq(item_id))
        .select(action_item_replies::organization_id)
        .load(conn)?;
    let gone: Vec<&String> = existing.iter().filter(|o| !asked.contains(o)).collect();
    if !gone.is_empty() {
        diesel::delete(
            action_item_replies::table
                .filter(action_item_replies::action_item_id.eq(item_id))
                .filter(action_item_replies::organization_id.eq_any(gone)),
        )
        .execute(conn)?;
    }
    let new: Vec<&String> = asked.iter().filter(|o| !existing.contains(o)).collect();
    if !new.is_empty() {
        // One statement for all of them: INSERT … SELECT over the organizations asked.
        let at = now();
        let rows = organizations::table
            .filter(organizations::id.eq_any(new))
            .select((
                item_id.to_string().into_sql::<Text>(),
                organizations::id,
                ReplyStatus::Open.as_str().into_sql::<Text>(),
                1.into_sql::<Integer>(),
                at.into_sql::<Timestamp>(),
                at.into_sql::<Timestamp>(),
            ));
        diesel::insert_into(action_item_replies::table)
            .values(rows)
            .into_columns((
                action_item_replies::action_item_id,
                action_item_replies::organization_id,
                action_item_replies::status,
                action_item_replies::version,
                action_item_replies::created_at,
                action_item_replies::updated_at,
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// An organization's answer, as written.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: ReplyStatus,
    pub answer: Option<String>,
}

/// Writes the answer of the organization of `current` (its reply as read, under the
/// item's lock, with the right to answer checked), by `person_id`. The item moves to its
/// next version too, since it shows its replies.
pub fn answer(
    conn: &mut DbConnection,
    current: &Reply,
    answer: &Answer,
    person_id: Option<&str>,
) -> ApiResult<Reply> {
    answered_earlier(conn, current, answer, None, person_id)
}

/// Like [`answer`], for an answer given at `answered_at` (an import of what was answered
/// before); `None`: now.
pub fn answered_earlier(
    conn: &mut DbConnection,
    current: &Reply,
    answer: &Answer,
    answered_at: Option<NaiveDateTime>,
    person_id: Option<&str>,
) -> ApiResult<Reply> {
    let at = now();
    let answered = match answer.status {
        ReplyStatus::Open => (None, None),
        _ if answered_at.is_none()
            && current.status == answer.status
            && current.answer == answer.answer =>
        {
            (current.answered_at, current.answered_by_person_id.clone())
        }
        _ => (
            Some(answered_at.unwrap_or(at)),
            person_id.map(str::to_string),
        ),
    };
    let key = (
        current.action_item_id.as_str(),
        current.organization_id.as_str(),
    );
    let written = diesel::update(
        action_item_replies::table
            .find(key)
            .filter(action_item_replies::version.eq(current.version)),
    )
    .set((
        action_item_replies::status.eq(answer.status),
        action_item_replies::answer.eq(answer.answer.clone()),
        action_item_replies::answered_at.eq(answered.0),
        action_item_replies::answered_by_person_id.eq(answered.1),
        action_item_replies::version.eq(current.version + 1),
        action_item_replies::updated_at.eq(at),
    ))
    .execute(conn)?;
    if written == 0 {
        return Err(ApiError::precondition_failed(None));
    }
    crate::touch!(conn, action_items, key.0)?;
    find(conn, key.0, key.1)
}

fn find(conn: &mut DbConnection, item_id: &str, organization_id: &str) -> ApiResult<Reply> {
    Ok(action_item_replies::table
        .find((item_id, organization_id))
        .select(Reply::as_select())
        .first(conn)?)
}
