//! Minutes: one per meeting, a section per agenda item, drafted by coordinators,
//! submitted, approved by each approver (justering), and after that changed only by
//! recorded amendments. Every saved version is kept. Every write locks the meeting's
//! row first, so writes to one meeting's minutes take turns.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::json_text::JsonText;
use crate::db::schema::{minutes, minutes_amendments, minutes_approvals, minutes_revisions};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::action_item::{self, PlacedAction};
use crate::models::meeting::{self, Meeting, SeenMeeting};
use crate::policy::{self, Approvable, Managed, Permitted, Reach, Visibility, right};

crate::text_enum! {
    /// What kind of document the minutes are filed as: `notes` (minnesanteckningar) of a
    /// network that agrees, or a `protocol` (protokoll) of a body that decides.
    DocumentType {
        /// Minnesanteckningar: what the network agreed (överenskommelser).
        Notes => "notes",
        /// Protokoll: what was decided (beslut).
        Protocol => "protocol",
    }
}

crate::text_enum! {
    /// Where minutes are in their approval.
    MinutesStatus {
        /// Being written; coordinators may replace it.
        Draft => "draft",
        /// Waiting for the approvers.
        Submitted => "submitted",
        /// Approved by every approver; read-only, changed only by amendments.
        Approved => "approved",
    }
}

/// A minutes row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = minutes)]
pub struct Minutes {
    pub id: String,
    pub meeting_id: String,
    pub status: MinutesStatus,
    pub recorded_by: JsonText<Vec<String>>,
    pub approvers: JsonText<Vec<String>>,
    pub approval_due_on: NaiveDate,
    pub sections: JsonText<Vec<Section>>,
    pub visibility: Visibility,
    pub submitted_at: Option<NaiveDateTime>,
    pub approved_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub document_type: DocumentType,
}

crate::versioned!(Minutes);

impl Approvable for Minutes {
    fn approvers(&self) -> &[String] {
        &self.approvers
    }
}

/// A section as stored; its action items live in their own table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub agenda_item_id: Option<String>,
    pub heading: String,
    pub notes: Option<String>,
    pub decisions: Vec<String>,
    /// What was told for information: neither decided nor handed out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub information: Vec<Information>,
}

/// An information item of a section ("Information från GR").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Information {
    /// A short title, e.g. "Uppföljning Ekonomiskt bistånd".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub text: String,
    /// The organization that informs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
}

/// One thing an amendment changed, by paragraph (1, 2, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub section: usize,
    /// `added`, `removed`, `heading`, `notes`, `decisions`, `information`,
    /// `agenda_item`, `action_item_added`, `action_item_changed`, `action_item_removed`.
    pub part: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_item_id: Option<String>,
}

/// The content written with `PUT` or an amendment, validated.
#[derive(Debug, Clone)]
pub struct Content {
    pub sections: Vec<Section>,
    pub actions: Vec<Vec<PlacedAction>>,
}

/// The people and dates of a draft, validated.
#[derive(Debug, Clone)]
pub struct DraftHeader {
    pub recorded_by: Vec<String>,
    pub approvers: Vec<String>,
    pub approval_due_on: Option<NaiveDate>,
    pub visibility: Option<Visibility>,
    pub document_type: Option<DocumentType>,
}

/// An approval.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = minutes_approvals)]
pub struct Approval {
    pub minutes_id: String,
    pub person_id: String,
    pub approved_at: NaiveDateTime,
    /// When an approval given earlier (on paper) was entered; `None`: given here.
    pub recorded_at: Option<NaiveDateTime>,
    /// The user who entered it.
    pub recorded_by: Option<String>,
}

/// An amendment.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = minutes_amendments)]
pub struct Amendment {
    pub id: String,
    pub minutes_id: String,
    pub reason: String,
    pub changed_by: String,
    pub changed_at: NaiveDateTime,
    pub version: i32,
    pub changes: JsonText<Vec<Change>>,
}

/// Minutes with their meeting, as the caller sees them.
#[derive(Debug, Clone)]
pub struct SeenMinutes {
    pub meeting: SeenMeeting,
    pub minutes: Minutes,
}

/// The minutes of a meeting if the caller may see them (404 otherwise: no such meeting,
/// no minutes, or not visible); `lock` locks the meeting's row for a write.
pub fn find(
    conn: &mut DbConnection,
    reach: &Reach,
    meeting_id: &str,
    lock: bool,
) -> ApiResult<SeenMinutes> {
    let meeting = meeting::find(conn, reach, meeting_id, lock)?;
    let minutes = minutes::table
        .filter(minutes::meeting_id.eq(meeting_id.to_string()))
        .filter(policy::sql::minutes(reach))
        .select(Minutes::as_select())
        .first(conn)?;
    Ok(SeenMinutes { meeting, minutes })
}

/// The minutes of a meeting the caller manages, if it has any.
pub fn of_managed(
    conn: &mut DbConnection,
    meeting: &Managed<Meeting>,
) -> ApiResult<Option<Minutes>> {
    Ok(minutes::table
        .filter(minutes::meeting_id.eq(&meeting.id))
        .select(Minutes::as_select())
        .first(conn)
        .optional()?)
}

/// The approvals given so far.
pub fn approvals(conn: &mut DbConnection, minutes_id: &str) -> ApiResult<Vec<Approval>> {
    Ok(minutes_approvals::table
        .filter(minutes_approvals::minutes_id.eq(minutes_id))
        .order(minutes_approvals::approved_at.asc())
        .select(Approval::as_select())
        .load(conn)?)
}

/// The amendments made after approval, oldest first.
pub fn amendments(conn: &mut DbConnection, minutes_id: &str) -> ApiResult<Vec<Amendment>> {
    Ok(minutes_amendments::table
        .filter(minutes_amendments::minutes_id.eq(minutes_id))
        .order(minutes_amendments::version.asc())
        .select(Amendment::as_select())
        .load(conn)?)
}

fn check_people(conn: &mut DbConnection, field: &str, ids: &[String]) -> ApiResult<()> {
    for (i, id) in ids.iter().enumerate() {
        crate::models::person::require_live(conn, id, &format!("{field}[{i}]"))?;
    }
    Ok(())
}

pub(crate) fn write_content(
    conn: &mut DbConnection,
    meeting: &Meeting,
    content: &Content,
) -> ApiResult<()> {
    let agenda = crate::models::agenda::ids_of(conn, &meeting.id)?;
    for (i, s) in content.sections.iter().enumerate() {
        if let Some(item) = &s.agenda_item_id
            && !agenda.contains(item)
        {
            return Err(ApiError::invalid_field(
                &format!("sections[{i}].agenda_item_id"),
                "is not an agenda item of this meeting",
            ));
        }
        for (j, info) in s.information.iter().enumerate() {
            if let Some(org) = &info.organization_id {
                crate::models::organization::require_live(
                    conn,
                    org,
                    &format!("sections[{i}].information_items[{j}].organization_id"),
                )?;
            }
        }
    }
    action_item::sync_for_meeting(
        conn,
        &meeting.id,
        meeting.network_id.as_deref(),
        &content.actions,
    )
}

/// Moves the minutes to their next version if they are still at the version they were
/// read at, setting `changes` with it.
pub(crate) fn advance<C>(conn: &mut DbConnection, m: &Minutes, changes: C) -> ApiResult<Minutes>
where
    C: AsChangeset<Target = minutes::table>,
    C::Changeset: diesel::query_builder::QueryFragment<crate::db::MultiBackend>,
{
    crate::write_versioned!(conn, minutes, m, changes)?;
    Ok(minutes::table
        .find(&m.id)
        .select(Minutes::as_select())
        .first(conn)?)
}

/// Creates the draft, or replaces `current` if it is still a draft.
pub fn save_draft(
    conn: &mut DbConnection,
    meeting: &Managed<Meeting>,
    current: Option<&Minutes>,
    header: &DraftHeader,
    content: Content,
) -> ApiResult<(Minutes, bool)> {
    if let Some(current) = current
        && current.status != MinutesStatus::Draft
    {
        return Err(ApiError::state_conflict(
            current.status.as_str(),
            "only a draft can be replaced; approved minutes change by amendment",
        ));
    }
    check_people(conn, "recorded_by", &header.recorded_by)?;
    check_people(conn, "approvers", &header.approvers)?;
    write_content(conn, meeting, &content)?;
    let due = header
        .approval_due_on
        .unwrap_or_else(|| meeting.starts_at.date() + chrono::TimeDelta::days(14));
    let visibility = header.visibility.unwrap_or(meeting.visibility);
    let row = (
        minutes::recorded_by.eq(JsonText(header.recorded_by.clone())),
        minutes::approvers.eq(JsonText(header.approvers.clone())),
        minutes::approval_due_on.eq(due),
        minutes::search_terms.eq(crate::search::index::minutes(&content.sections)),
        minutes::sections.eq(JsonText(content.sections)),
        minutes::visibility.eq(visibility),
        minutes::document_type.eq(header
            .document_type
            .unwrap_or(current.map_or(DocumentType::Notes, |c| c.document_type))),
    );
    match current {
        Some(current) => Ok((advance(conn, current, row)?, false)),
        None => {
            let id = new_id();
            let at = now();
            diesel::insert_into(minutes::table)
                .values((
                    minutes::id.eq(&id),
                    minutes::meeting_id.eq(&meeting.id),
                    minutes::status.eq(MinutesStatus::Draft),
                    row,
                    minutes::version.eq(1),
                    minutes::created_at.eq(at),
                    minutes::updated_at.eq(at),
                ))
                .execute(conn)?;
            let created = minutes::table
                .find(&id)
                .select(Minutes::as_select())
                .first(conn)?;
            Ok((created, true))
        }
    }
}

/// draft → submitted (the meeting's managers); needs at least one approver.
pub fn submit(
    conn: &mut DbConnection,
    _meeting: &Managed<Meeting>,
    m: &Minutes,
    at: NaiveDateTime,
) -> ApiResult<Minutes> {
    if m.status != MinutesStatus::Draft {
        return Err(ApiError::state_conflict(
            m.status.as_str(),
            "only a draft can be submitted",
        ));
    }
    if m.approvers.is_empty() {
        return Err(ApiError::invalid_field(
            "approvers",
            "name at least one approver before submitting",
        ));
    }
    advance(
        conn,
        m,
        (
            minutes::status.eq(MinutesStatus::Submitted),
            minutes::submitted_at.eq(Some(at)),
        ),
    )
}

/// One approver approves; the last approval makes the minutes approved.
pub fn approve(
    conn: &mut DbConnection,
    m: &Permitted<Minutes, right::Approve>,
    person_id: &str,
) -> ApiResult<Minutes> {
    add_approval(conn, m, person_id, now(), None)
}

/// Records an approval an approver gave earlier, on paper (the meeting's managers):
/// kept with its own date, and marked as entered now by `recorded_by`.
pub fn record_approval(
    conn: &mut DbConnection,
    _meeting: &Managed<Meeting>,
    m: &Minutes,
    person_id: &str,
    approved_at: NaiveDateTime,
    recorded: (NaiveDateTime, Option<&str>),
) -> ApiResult<Minutes> {
    if !m.approvers.iter().any(|a| a == person_id) {
        return Err(ApiError::invalid_field(
            "person_id",
            "is not one of the minutes' approvers",
        ));
    }
    add_approval(conn, m, person_id, approved_at, Some(recorded))
}

fn add_approval(
    conn: &mut DbConnection,
    m: &Minutes,
    person_id: &str,
    approved_at: NaiveDateTime,
    recorded: Option<(NaiveDateTime, Option<&str>)>,
) -> ApiResult<Minutes> {
    if m.status != MinutesStatus::Submitted {
        return Err(ApiError::state_conflict(
            m.status.as_str(),
            "only submitted minutes can be approved",
        ));
    }
    let given = approvals(conn, &m.id)?;
    if given.iter().any(|a| a.person_id == person_id) {
        return Err(ApiError::state_conflict(
            m.status.as_str(),
            "this approver has approved these minutes already",
        ));
    }
    diesel::insert_into(minutes_approvals::table)
        .values((
            minutes_approvals::minutes_id.eq(&m.id),
            minutes_approvals::person_id.eq(person_id),
            minutes_approvals::approved_at.eq(approved_at),
            minutes_approvals::recorded_at.eq(recorded.map(|r| r.0)),
            minutes_approvals::recorded_by.eq(recorded.and_then(|r| r.1)),
        ))
        .execute(conn)?;
    if given.len() + 1 >= m.approvers.len() {
        // Approved when the last approver approved, whenever that was entered.
        let last = given
            .iter()
            .map(|a| a.approved_at)
            .chain([approved_at])
            .max()
            .unwrap_or(approved_at);
        advance(
            conn,
            m,
            (
                minutes::status.eq(MinutesStatus::Approved),
                minutes::approved_at.eq(Some(last)),
            ),
        )
    } else {
        advance(conn, m, minutes::status.eq(MinutesStatus::Submitted))
    }
}

/// Keeps the full text of a version, so that earlier versions stay readable.
pub fn record_revision(
    conn: &mut DbConnection,
    minutes_id: &str,
    version: i32,
    body: &str,
) -> ApiResult<()> {
    diesel::insert_into(minutes_revisions::table)
        .values((
            minutes_revisions::minutes_id.eq(minutes_id),
            minutes_revisions::version.eq(version),
            minutes_revisions::body.eq(body),
            minutes_revisions::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The text of an earlier version, as it was served then.
pub fn revision(conn: &mut DbConnection, minutes_id: &str, version: i32) -> ApiResult<String> {
    Ok(minutes_revisions::table
        .filter(minutes_revisions::minutes_id.eq(minutes_id))
        .filter(minutes_revisions::version.eq(version))
        .select(minutes_revisions::body)
        .first(conn)?)
}
