//! The findings and follow-ups of a supervisory dialogue: versioned sub-collections of
//! the dialogue, written by the supervising authority.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{dialogue_findings, dialogue_follow_ups};
use crate::db::{DbConnection, new_id, now};
use crate::error::ApiResult;
use crate::models::dialogue::{self, Dialogue};
use crate::models::store::ItemStore;
use crate::pagination::{Page, Slice};
use crate::policy::Managed;

crate::text_enum! {
    /// Where a follow-up stands.
    FollowUpStatus {
        Open => "open",
        Done => "done",
        Cancelled => "cancelled",
    }
}

/// A finding row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = dialogue_findings)]
pub struct Finding {
    pub id: String,
    pub dialogue_id: String,
    pub category: Option<String>,
    pub text: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A follow-up row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = dialogue_follow_ups)]
pub struct FollowUp {
    pub id: String,
    pub dialogue_id: String,
    pub description: String,
    pub responsible_organization_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: FollowUpStatus,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

crate::versioned!(Finding, FollowUp);

/// The content of a finding, validated.
#[derive(Debug, Clone, AsChangeset, Insertable, PartialEq)]
#[diesel(table_name = dialogue_findings, treat_none_as_null = true)]
pub struct FindingFields {
    pub category: Option<String>,
    pub text: String,
}

/// The content of a follow-up, validated.
#[derive(Debug, Clone, AsChangeset, Insertable, PartialEq)]
#[diesel(table_name = dialogue_follow_ups, treat_none_as_null = true)]
pub struct FollowUpFields {
    pub description: String,
    pub responsible_organization_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: FollowUpStatus,
}

/// The ids of a dialogue's findings and of its follow-ups, in the order they were added.
pub fn ids_of(conn: &mut DbConnection, dialogue_id: &str) -> ApiResult<(Vec<String>, Vec<String>)> {
    let findings = dialogue_findings::table
        .filter(dialogue_findings::dialogue_id.eq(dialogue_id))
        .order(dialogue_findings::id.asc())
        .select(dialogue_findings::id)
        .load(conn)?;
    let follow_ups = dialogue_follow_ups::table
        .filter(dialogue_follow_ups::dialogue_id.eq(dialogue_id))
        .order(dialogue_follow_ups::id.asc())
        .select(dialogue_follow_ups::id)
        .load(conn)?;
    Ok((findings, follow_ups))
}

/// Adds a finding (also while creating the dialogue).
pub fn add_finding(
    conn: &mut DbConnection,
    dialogue: &Dialogue,
    f: &FindingFields,
) -> ApiResult<Finding> {
    let id = new_id();
    let at = now();
    diesel::insert_into(dialogue_findings::table)
        .values((
            dialogue_findings::id.eq(&id),
            dialogue_findings::dialogue_id.eq(&dialogue.id),
            f,
            dialogue_findings::version.eq(1),
            dialogue_findings::created_at.eq(at),
            dialogue_findings::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(dialogue_findings::table
        .find(&id)
        .select(Finding::as_select())
        .first(conn)?)
}

/// Adds a follow-up (also while creating the dialogue).
pub fn add_follow_up(
    conn: &mut DbConnection,
    dialogue: &Dialogue,
    f: &FollowUpFields,
) -> ApiResult<FollowUp> {
    if let Some(org) = &f.responsible_organization_id {
        crate::models::organization::require_live(conn, org, "responsible_organization_id")?;
    }
    let id = new_id();
    let at = now();
    diesel::insert_into(dialogue_follow_ups::table)
        .values((
            dialogue_follow_ups::id.eq(&id),
            dialogue_follow_ups::dialogue_id.eq(&dialogue.id),
            f,
            dialogue_follow_ups::version.eq(1),
            dialogue_follow_ups::created_at.eq(at),
            dialogue_follow_ups::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(dialogue_follow_ups::table
        .find(&id)
        .select(FollowUp::as_select())
        .first(conn)?)
}

/// Writes `changes` to the item if it is still at its version, and moves the dialogue's.
macro_rules! change_item {
    ($conn:expr, $parent:expr, $table:ident, $item:expr, $changes:expr) => {{
        crate::write_versioned!($conn, $table, $item, $changes)?;
        dialogue::touch($conn, $parent)?;
    }};
}

/// Removes the item if it is still at its version, and moves the dialogue's.
macro_rules! remove_item {
    ($conn:expr, $parent:expr, $table:ident, $item:expr) => {{
        diesel::delete(
            $table::table
                .filter($table::id.eq(&$item.id))
                .filter($table::version.eq($item.version)),
        )
        .execute($conn)?;
        dialogue::touch($conn, $parent)
    }};
}

/// The findings of a dialogue.
pub struct Findings;

impl ItemStore for Findings {
    type Parent = Dialogue;
    type Item = Finding;
    type New = FindingFields;
    type Change = FindingFields;

    fn items(
        conn: &mut DbConnection,
        parent: &Dialogue,
        slice: &Slice,
    ) -> ApiResult<Page<Finding>> {
        crate::items_by_id!(
            conn,
            dialogue_findings,
            dialogue_id = parent.id,
            Finding,
            slice
        )
    }

    fn item(conn: &mut DbConnection, parent: &Dialogue, id: &str) -> ApiResult<Finding> {
        Ok(dialogue_findings::table
            .filter(dialogue_findings::dialogue_id.eq(&parent.id))
            .filter(dialogue_findings::id.eq(id))
            .select(Finding::as_select())
            .first(conn)?)
    }

    fn add(
        conn: &mut DbConnection,
        parent: &Managed<Dialogue>,
        new: FindingFields,
    ) -> ApiResult<Finding> {
        let finding = add_finding(conn, parent, &new)?;
        dialogue::touch(conn, parent)?;
        Ok(finding)
    }

    fn change(
        conn: &mut DbConnection,
        parent: &Managed<Dialogue>,
        item: &Finding,
        change: FindingFields,
    ) -> ApiResult<Finding> {
        change_item!(conn, parent, dialogue_findings, item, change);
        Self::item(conn, parent, &item.id)
    }

    fn remove(
        conn: &mut DbConnection,
        parent: &Managed<Dialogue>,
        item: &Finding,
    ) -> ApiResult<()> {
        remove_item!(conn, parent, dialogue_findings, item)
    }
}

/// The follow-ups of a dialogue.
pub struct FollowUps;

impl ItemStore for FollowUps {
    type Parent = Dialogue;
    type Item = FollowUp;
    type New = FollowUpFields;
    type Change = FollowUpFields;

    fn items(
        conn: &mut DbConnection,
        parent: &Dialogue,
        slice: &Slice,
    ) -> ApiResult<Page<FollowUp>> {
        crate::items_by_id!(
            conn,
            dialogue_follow_ups,
            dialogue_id = parent.id,
            FollowUp,
            slice
        )
    }

    fn item(conn: &mut DbConnection, parent: &Dialogue, id: &str) -> ApiResult<FollowUp> {
        Ok(dialogue_follow_ups::table
            .filter(dialogue_follow_ups::dialogue_id.eq(&parent.id))
            .filter(dialogue_follow_ups::id.eq(id))
            .select(FollowUp::as_select())
            .first(conn)?)
    }

    fn add(
        conn: &mut DbConnection,
        parent: &Managed<Dialogue>,
        new: FollowUpFields,
    ) -> ApiResult<FollowUp> {
        let follow_up = add_follow_up(conn, parent, &new)?;
        dialogue::touch(conn, parent)?;
        Ok(follow_up)
    }

    fn change(
        conn: &mut DbConnection,
        parent: &Managed<Dialogue>,
        item: &FollowUp,
        change: FollowUpFields,
    ) -> ApiResult<FollowUp> {
        if let Some(org) = &change.responsible_organization_id {
            crate::models::organization::require_live(conn, org, "responsible_organization_id")?;
        }
        change_item!(conn, parent, dialogue_follow_ups, item, change);
        Self::item(conn, parent, &item.id)
    }

    fn remove(
        conn: &mut DbConnection,
        parent: &Managed<Dialogue>,
        item: &FollowUp,
    ) -> ApiResult<()> {
        remove_item!(conn, parent, dialogue_follow_ups, item)
    }
}
