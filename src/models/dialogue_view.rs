//! Supervisory dialogues as they are served: with their participants, findings and
//! follow-ups (three statements for a whole page), the list, and the lessons and
//! recommendations across dialogues, searched and paged in SQL.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{
    dialogue_findings, dialogue_follow_ups, dialogue_lessons, dialogue_participants,
    supervisory_dialogues,
};
use crate::error::{ApiError, ApiResult};
use crate::models::dialogue::{Dialogue, DialogueStatus, LessonKind};
use crate::models::dialogue_parts::{Finding, FollowUp};
use crate::pagination::{Page, PageRequest, Slice};
use crate::policy::sql::SqlCaller;
use crate::policy::{self, Managed, Reach};

/// A dialogue with its participants, findings and follow-ups, as served.
#[derive(Debug, Clone)]
pub struct FullDialogue {
    pub dialogue: Dialogue,
    pub participants: Vec<String>,
    pub findings: Vec<Finding>,
    pub follow_ups: Vec<FollowUp>,
}

impl crate::pagination::SoftDeleted for FullDialogue {
    fn id(&self) -> &str {
        &self.dialogue.id
    }
    fn deleted_at(&self) -> Option<NaiveDateTime> {
        self.dialogue.deleted_at
    }
}

impl crate::db::Versioned for FullDialogue {
    fn version(&self) -> i32 {
        self.dialogue.version
    }
}

impl crate::models::store::Stored for Dialogue {
    type Shown = FullDialogue;

    fn find(conn: &mut DbConnection, reach: &Reach, id: &str, lock: bool) -> ApiResult<Self> {
        crate::models::dialogue::find(conn, reach, id, lock)
    }

    fn show(conn: &mut DbConnection, reach: &Reach, id: &str) -> ApiResult<FullDialogue> {
        let dialogue = crate::models::dialogue::find(conn, reach, id, false)?;
        full_one(conn, dialogue)
    }
}

impl crate::models::store::Deletable for Dialogue {
    const KIND: &'static str = "supervisory_dialogue";

    fn delete(conn: &mut DbConnection, row: &Managed<Self>) -> ApiResult<()> {
        crate::models::dialogue::delete(conn, row)
    }
}

/// The dialogues with their participants, findings and follow-ups: three statements for
/// all of them.
pub fn full(conn: &mut DbConnection, rows: Vec<Dialogue>) -> ApiResult<Vec<FullDialogue>> {
    let ids: Vec<&str> = rows.iter().map(|d| d.id.as_str()).collect();
    let participants: Vec<(String, String)> = dialogue_participants::table
        .filter(dialogue_participants::dialogue_id.eq_any(&ids))
        .order(dialogue_participants::organization_id.asc())
        .select((
            dialogue_participants::dialogue_id,
            dialogue_participants::organization_id,
        ))
        .load(conn)?;
    let findings: Vec<Finding> = dialogue_findings::table
        .filter(dialogue_findings::dialogue_id.eq_any(&ids))
        .order(dialogue_findings::id.asc())
        .select(Finding::as_select())
        .load(conn)?;
    let follow_ups: Vec<FollowUp> = dialogue_follow_ups::table
        .filter(dialogue_follow_ups::dialogue_id.eq_any(&ids))
        .order(dialogue_follow_ups::id.asc())
        .select(FollowUp::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|dialogue| FullDialogue {
            participants: participants
                .iter()
                .filter(|(d, _)| *d == dialogue.id)
                .map(|(_, o)| o.clone())
                .collect(),
            findings: findings
                .iter()
                .filter(|f| f.dialogue_id == dialogue.id)
                .cloned()
                .collect(),
            follow_ups: follow_ups
                .iter()
                .filter(|f| f.dialogue_id == dialogue.id)
                .cloned()
                .collect(),
            dialogue,
        })
        .collect())
}

/// One dialogue with its parts.
pub fn full_one(conn: &mut DbConnection, dialogue: Dialogue) -> ApiResult<FullDialogue> {
    full(conn, vec![dialogue])?
        .pop()
        .ok_or_else(ApiError::not_found)
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct DialogueFilter {
    pub supervision_name: Option<String>,
    pub supervising_organization_id: Option<String>,
    pub participant_organization_id: Option<String>,
    pub status: Option<DialogueStatus>,
    /// Only dialogues whose period overlaps `[from, to]`.
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
}

/// One page of the dialogues the caller may see, with their parts.
pub fn list(
    conn: &mut DbConnection,
    reach: &Reach,
    page: &PageRequest,
    filter: &DialogueFilter,
) -> ApiResult<Page<FullDialogue>> {
    let mut query = supervisory_dialogues::table
        .select(Dialogue::as_select())
        .filter(policy::sql::dialogues(reach))
        .into_boxed();
    if let Some(name) = &filter.supervision_name {
        query = query.filter(
            supervisory_dialogues::search_text
                .like(crate::validation::like_pattern(name))
                .escape('\\'),
        );
    }
    if let Some(org) = &filter.supervising_organization_id {
        query = query.filter(supervisory_dialogues::supervising_organization_id.eq(org.clone()));
    }
    if let Some(org) = &filter.participant_organization_id {
        query = query.filter(
            supervisory_dialogues::id.eq_any(
                dialogue_participants::table
                    .filter(dialogue_participants::organization_id.eq(org.clone()))
                    .select(dialogue_participants::dialogue_id),
            ),
        );
    }
    if let Some(s) = filter.status {
        query = query.filter(supervisory_dialogues::status.eq(s));
    }
    if let Some(from) = filter.period_from {
        query = query.filter(
            supervisory_dialogues::period_end
                .is_null()
                .or(supervisory_dialogues::period_end.ge(from)),
        );
    }
    if let Some(to) = filter.period_to {
        query = query.filter(
            supervisory_dialogues::period_start
                .is_null()
                .or(supervisory_dialogues::period_start.le(to)),
        );
    }
    if let Some(pattern) = &page.search {
        query = query.filter(
            supervisory_dialogues::search_text
                .like(pattern.clone())
                .escape('\\'),
        );
    }
    let rows = crate::keyset!(query, supervisory_dialogues, page).load(conn)?;
    let page = Page::from_rows(rows, page, |d: &Dialogue| (d.updated_at, d.id.clone()));
    Ok(Page {
        rows: full(conn, page.rows)?,
        next: page.next,
    })
}

/// One lesson or recommendation, with the dialogue it comes from.
#[derive(Debug, Clone, Queryable)]
pub struct Lesson {
    pub dialogue_id: String,
    pub kind: LessonKind,
    pub position: i32,
    pub text: String,
    pub dialogue_title: String,
    pub supervision_name: String,
}

/// One page of the lessons and recommendations of the live dialogues the caller may see,
/// newest dialogue first; `pattern` is a folded `LIKE` pattern.
pub fn lessons(
    conn: &mut DbConnection,
    reach: &Reach,
    pattern: Option<&str>,
    slice: &Slice,
) -> ApiResult<Page<Lesson>> {
    let c = SqlCaller::of(reach);
    let mut query = dialogue_lessons::table
        .inner_join(supervisory_dialogues::table)
        .filter(supervisory_dialogues::deleted_at.is_null())
        .filter(crate::dialogue_visible!(c))
        .select((
            dialogue_lessons::dialogue_id,
            dialogue_lessons::kind,
            dialogue_lessons::position,
            dialogue_lessons::text,
            supervisory_dialogues::title,
            supervisory_dialogues::supervision_name,
        ))
        .into_boxed();
    if let Some(pattern) = pattern {
        query = query.filter(
            dialogue_lessons::search_text
                .like(pattern.to_string())
                .escape('\\'),
        );
    }
    if let Some([dialogue, kind, position]) = slice.after::<3>()? {
        let not_ours = || ApiError::invalid_field("cursor", "is not a cursor this list handed out");
        let kind = LessonKind::parse(&kind).ok_or_else(not_ours)?;
        let position: i32 = position.parse().map_err(|_| not_ours())?;
        query = query.filter(
            dialogue_lessons::dialogue_id
                .lt(dialogue.clone())
                .or(dialogue_lessons::dialogue_id
                    .eq(dialogue.clone())
                    .and(dialogue_lessons::kind.gt(kind))
                    .or(dialogue_lessons::dialogue_id
                        .eq(dialogue)
                        .and(dialogue_lessons::kind.eq(kind))
                        .and(dialogue_lessons::position.gt(position)))),
        );
    }
    let rows: Vec<Lesson> = query
        .order((
            dialogue_lessons::dialogue_id.desc(),
            dialogue_lessons::kind.asc(),
            dialogue_lessons::position.asc(),
        ))
        .limit(slice.fetch())
        .load(conn)?;
    Ok(slice.page(rows, |l| {
        vec![
            l.dialogue_id.clone(),
            l.kind.as_str().to_string(),
            l.position.to_string(),
        ]
    }))
}
