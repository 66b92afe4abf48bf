//! Minutes: one per meeting, a section per agenda item, drafted by coordinators,
//! submitted, approved by each approver (justering), and after that changed only by
//! recorded amendments. Every saved version is kept.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{minutes, minutes_amendments, minutes_approvals, minutes_revisions};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::access::Visibility;
use crate::models::action_item::{self, PlacedAction};
use crate::models::meeting::Meeting;

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
    pub status: String,
    pub recorded_by: String,
    pub approvers: String,
    pub approval_due_on: NaiveDate,
    pub sections: String,
    pub visibility: String,
    pub submitted_at: Option<NaiveDateTime>,
    pub approved_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Minutes {
    /// The people who recorded them.
    pub fn recorded_by_list(&self) -> Vec<String> {
        serde_json::from_str(&self.recorded_by).unwrap_or_default()
    }

    /// The approvers (justerare).
    pub fn approver_list(&self) -> Vec<String> {
        serde_json::from_str(&self.approvers).unwrap_or_default()
    }

    /// The stored sections, without their action items.
    pub fn section_list(&self) -> Vec<Section> {
        serde_json::from_str(&self.sections).unwrap_or_default()
    }
}

/// A section as stored; its action items live in their own table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    pub agenda_item_id: Option<String>,
    pub heading: String,
    pub notes: Option<String>,
    pub decisions: Vec<String>,
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
}

/// An approval.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = minutes_approvals)]
pub struct Approval {
    pub minutes_id: String,
    pub person_id: String,
    pub approved_at: NaiveDateTime,
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
}

/// The meeting's minutes, if any.
pub fn of_meeting(conn: &mut DbConnection, meeting_id: &str) -> ApiResult<Option<Minutes>> {
    Ok(minutes::table
        .filter(minutes::meeting_id.eq(meeting_id))
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
        crate::models::person::find(conn, id)
            .map_err(|_| ApiError::invalid_field(&format!("{field}[{i}]"), "no such person"))?;
    }
    Ok(())
}

fn write_content(
    conn: &mut DbConnection,
    meeting: &Meeting,
    content: &Content,
) -> ApiResult<String> {
    let agenda: Vec<String> = crate::models::meeting::agenda(conn, &meeting.id)?
        .into_iter()
        .map(|a| a.id)
        .collect();
    for (i, s) in content.sections.iter().enumerate() {
        if let Some(item) = &s.agenda_item_id
            && !agenda.contains(item)
        {
            return Err(ApiError::invalid_field(
                &format!("sections[{i}].agenda_item_id"),
                "is not an agenda item of this meeting",
            ));
        }
    }
    action_item::sync_for_meeting(
        conn,
        &meeting.id,
        meeting.network_id.as_deref(),
        &content.actions,
    )?;
    Ok(serde_json::to_string(&content.sections).unwrap_or_else(|_| "[]".into()))
}

/// Creates the draft, or replaces it if it is still a draft and at `expected_version`.
pub fn save_draft(
    conn: &mut DbConnection,
    meeting: &Meeting,
    expected_version: Option<i32>,
    header: &DraftHeader,
    content: &Content,
) -> ApiResult<(Minutes, bool)> {
    check_people(conn, "recorded_by", &header.recorded_by)?;
    check_people(conn, "approvers", &header.approvers)?;
    let existing = of_meeting(conn, &meeting.id)?;
    if let Some(current) = &existing {
        if current.status != MinutesStatus::Draft.as_str() {
            return Err(ApiError::state_conflict(
                current.status.clone(),
                "only a draft can be replaced; approved minutes change by amendment",
            ));
        }
        if let Some(expected) = expected_version
            && expected != current.version
        {
            return Err(ApiError::precondition_failed(Some(current.version)));
        }
    }
    let sections = write_content(conn, meeting, content)?;
    let due = header
        .approval_due_on
        .unwrap_or_else(|| meeting.starts_at.date() + chrono::TimeDelta::days(14));
    let visibility = header
        .visibility
        .map(|v| v.as_str().to_string())
        .unwrap_or_else(|| meeting.visibility.clone());
    let recorded_by = serde_json::to_string(&header.recorded_by).unwrap_or_default();
    let approvers = serde_json::to_string(&header.approvers).unwrap_or_default();
    let at = now();
    match existing {
        Some(current) => {
            diesel::update(minutes::table.find(&current.id))
                .set((
                    minutes::recorded_by.eq(recorded_by),
                    minutes::approvers.eq(approvers),
                    minutes::approval_due_on.eq(due),
                    minutes::sections.eq(sections),
                    minutes::visibility.eq(visibility),
                    minutes::version.eq(current.version + 1),
                    minutes::updated_at.eq(at),
                ))
                .execute(conn)?;
            Ok((find(conn, &current.id)?, false))
        }
        None => {
            let id = new_id();
            diesel::insert_into(minutes::table)
                .values((
                    minutes::id.eq(&id),
                    minutes::meeting_id.eq(&meeting.id),
                    minutes::status.eq(MinutesStatus::Draft.as_str()),
                    minutes::recorded_by.eq(recorded_by),
                    minutes::approvers.eq(approvers),
                    minutes::approval_due_on.eq(due),
                    minutes::sections.eq(sections),
                    minutes::visibility.eq(visibility),
                    minutes::version.eq(1),
                    minutes::created_at.eq(at),
                    minutes::updated_at.eq(at),
                ))
                .execute(conn)?;
            Ok((find(conn, &id)?, true))
        }
    }
}

/// The minutes with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> ApiResult<Minutes> {
    Ok(minutes::table
        .find(id)
        .select(Minutes::as_select())
        .first(conn)?)
}

fn bump(conn: &mut DbConnection, m: &Minutes) -> ApiResult<()> {
    diesel::update(minutes::table.find(&m.id))
        .set((
            minutes::version.eq(m.version + 1),
            minutes::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// draft → submitted; needs at least one approver.
pub fn submit(conn: &mut DbConnection, m: &Minutes) -> ApiResult<Minutes> {
    if m.status != MinutesStatus::Draft.as_str() {
        return Err(ApiError::state_conflict(
            m.status.clone(),
            "only a draft can be submitted",
        ));
    }
    if m.approver_list().is_empty() {
        return Err(ApiError::invalid_field(
            "approvers",
            "name at least one approver before submitting",
        ));
    }
    diesel::update(minutes::table.find(&m.id))
        .set((
            minutes::status.eq(MinutesStatus::Submitted.as_str()),
            minutes::submitted_at.eq(Some(now())),
        ))
        .execute(conn)?;
    bump(conn, m)?;
    find(conn, &m.id)
}

/// One approver approves; the last approval makes the minutes approved.
pub fn approve(conn: &mut DbConnection, m: &Minutes, person_id: &str) -> ApiResult<Minutes> {
    if m.status != MinutesStatus::Submitted.as_str() {
        return Err(ApiError::state_conflict(
            m.status.clone(),
            "only submitted minutes can be approved",
        ));
    }
    let approvers = m.approver_list();
    if !approvers.iter().any(|a| a == person_id) {
        return Err(ApiError::forbidden(
            "only the named approvers (justerare) may approve",
        ));
    }
    let given = approvals(conn, &m.id)?;
    if given.iter().any(|a| a.person_id == person_id) {
        return Err(ApiError::state_conflict(
            m.status.clone(),
            "you have approved these minutes already",
        ));
    }
    let at = now();
    diesel::insert_into(minutes_approvals::table)
        .values((
            minutes_approvals::minutes_id.eq(&m.id),
            minutes_approvals::person_id.eq(person_id),
            minutes_approvals::approved_at.eq(at),
        ))
        .execute(conn)?;
    if given.len() + 1 >= approvers.len() {
        diesel::update(minutes::table.find(&m.id))
            .set((
                minutes::status.eq(MinutesStatus::Approved.as_str()),
                minutes::approved_at.eq(Some(at)),
            ))
            .execute(conn)?;
    }
    bump(conn, m)?;
    find(conn, &m.id)
}

/// A recorded correction of approved minutes.
pub fn amend(
    conn: &mut DbConnection,
    meeting: &Meeting,
    m: &Minutes,
    reason: &str,
    changed_by: &str,
    content: &Content,
) -> ApiResult<Minutes> {
    if m.status != MinutesStatus::Approved.as_str() {
        return Err(ApiError::state_conflict(
            m.status.clone(),
            "only approved minutes are amended; change the draft instead",
        ));
    }
    let sections = write_content(conn, meeting, content)?;
    diesel::update(minutes::table.find(&m.id))
        .set(minutes::sections.eq(sections))
        .execute(conn)?;
    bump(conn, m)?;
    diesel::insert_into(minutes_amendments::table)
        .values((
            minutes_amendments::id.eq(new_id()),
            minutes_amendments::minutes_id.eq(&m.id),
            minutes_amendments::reason.eq(reason),
            minutes_amendments::changed_by.eq(changed_by),
            minutes_amendments::changed_at.eq(now()),
            minutes_amendments::version.eq(m.version + 1),
        ))
        .execute(conn)?;
    find(conn, &m.id)
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
