//! Supervisory dialogues: what a supervisory authority (IVO) learned together with the
//! municipalities in a supervision, with findings, lessons, recommendations and
//! follow-ups; restricted to those involved until published. Findings and follow-ups are
//! in [`crate::models::dialogue_parts`], dialogues as served (with their parts), their
//! list and the lessons across dialogues in [`crate::models::dialogue_view`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::json_text::JsonText;
use crate::db::schema::{dialogue_lessons, dialogue_participants, supervisory_dialogues};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::meeting::MeetingMode;
use crate::policy::{self, Governed, Managed, Reach, Steward, Visibility};

crate::text_enum! {
    /// Where a dialogue stands.
    DialogueStatus {
        Planned => "planned",
        Held => "held",
        /// Held; follow-ups are under way.
        FollowUp => "follow_up",
        Closed => "closed",
    }
}

crate::text_enum! {
    /// What a line of a dialogue's lessons is.
    LessonKind {
        /// Something learned.
        LessonLearned => "lesson_learned",
        /// Something the authority recommends.
        Recommendation => "recommendation",
    }
}

/// A dialogue row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = supervisory_dialogues)]
pub struct Dialogue {
    pub id: String,
    pub title: String,
    pub supervising_organization_id: String,
    pub supervision_name: String,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub held_on: Option<NaiveDate>,
    pub mode: Option<MeetingMode>,
    pub focus_questions: JsonText<Vec<String>>,
    pub lessons_learned: JsonText<Vec<String>>,
    pub recommendations: JsonText<Vec<String>>,
    pub status: DialogueStatus,
    pub visibility: Visibility,
    pub published_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    /// When a publication that happened earlier was recorded (`None`: published here).
    pub publication_recorded_at: Option<NaiveDateTime>,
}

crate::versioned!(Dialogue);
crate::soft_deleted!(Dialogue);

impl Governed for Dialogue {
    fn steward(&self) -> Steward<'_> {
        Steward::Organization(Some(&self.supervising_organization_id))
    }
}

/// The writable fields of a dialogue, validated.
#[derive(Debug, Clone, AsChangeset, Insertable, PartialEq)]
#[diesel(table_name = supervisory_dialogues, treat_none_as_null = true)]
pub struct DialogueFields {
    pub title: String,
    pub supervision_name: String,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub held_on: Option<NaiveDate>,
    pub mode: Option<MeetingMode>,
    pub focus_questions: JsonText<Vec<String>>,
    pub lessons_learned: JsonText<Vec<String>>,
    pub recommendations: JsonText<Vec<String>>,
    pub status: DialogueStatus,
    pub visibility: Visibility,
    #[diesel(column_name = search_text)]
    pub search: String,
}

impl DialogueFields {
    /// The fields of an existing row.
    pub fn of(d: &Dialogue) -> Self {
        Self {
            title: d.title.clone(),
            supervision_name: d.supervision_name.clone(),
            period_start: d.period_start,
            period_end: d.period_end,
            held_on: d.held_on,
            mode: d.mode,
            focus_questions: d.focus_questions.clone(),
            lessons_learned: d.lessons_learned.clone(),
            recommendations: d.recommendations.clone(),
            status: d.status,
            visibility: d.visibility,
            search: String::new(),
        }
    }

    fn indexed(mut self) -> Self {
        let lists = [
            &self.focus_questions,
            &self.lessons_learned,
            &self.recommendations,
        ]
        .iter()
        .flat_map(|l| l.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n");
        self.search = crate::validation::search_text([
            Some(self.title.as_str()),
            Some(self.supervision_name.as_str()),
            Some(lists.as_str()),
        ]);
        self
    }
}

fn live(conn: &mut DbConnection, id: &str) -> ApiResult<Dialogue> {
    Ok(supervisory_dialogues::table
        .find(id)
        .filter(supervisory_dialogues::deleted_at.is_null())
        .select(Dialogue::as_select())
        .first(conn)?)
}

/// The live dialogue with this id if the caller may see it (404 otherwise); `lock`
/// locks its row for a write in the same transaction.
pub fn find(conn: &mut DbConnection, reach: &Reach, id: &str, lock: bool) -> ApiResult<Dialogue> {
    if lock {
        crate::lock_row!(conn, supervisory_dialogues, id)?;
    }
    Ok(supervisory_dialogues::table
        .find(id)
        .filter(supervisory_dialogues::deleted_at.is_null())
        .filter(policy::sql::dialogues(reach))
        .select(Dialogue::as_select())
        .first(conn)?)
}

/// The organizations taking part.
pub fn participants(conn: &mut DbConnection, id: &str) -> ApiResult<Vec<String>> {
    Ok(dialogue_participants::table
        .filter(dialogue_participants::dialogue_id.eq(id))
        .order(dialogue_participants::organization_id.asc())
        .select(dialogue_participants::organization_id)
        .load(conn)?)
}

fn set_participants(conn: &mut DbConnection, id: &str, orgs: &[String]) -> ApiResult<()> {
    for (i, org) in orgs.iter().enumerate() {
        crate::models::organization::require_live(
            conn,
            org,
            &format!("participant_organization_ids[{i}]"),
        )?;
    }
    diesel::delete(dialogue_participants::table.filter(dialogue_participants::dialogue_id.eq(id)))
        .execute(conn)?;
    for org in orgs {
        diesel::insert_into(dialogue_participants::table)
            .values((
                dialogue_participants::dialogue_id.eq(id),
                dialogue_participants::organization_id.eq(org),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Keeps the lessons table in step with the dialogue's lists.
fn set_lessons(conn: &mut DbConnection, id: &str, f: &DialogueFields) -> ApiResult<()> {
    diesel::delete(dialogue_lessons::table.filter(dialogue_lessons::dialogue_id.eq(id)))
        .execute(conn)?;
    let kinds = [
        (LessonKind::LessonLearned, &f.lessons_learned),
        (LessonKind::Recommendation, &f.recommendations),
    ];
    for (kind, texts) in kinds {
        for (position, text) in texts.iter().enumerate() {
            diesel::insert_into(dialogue_lessons::table)
                .values((
                    dialogue_lessons::dialogue_id.eq(id),
                    dialogue_lessons::kind.eq(kind),
                    dialogue_lessons::position.eq(position as i32),
                    dialogue_lessons::text.eq(text),
                    dialogue_lessons::search_text.eq(crate::validation::fold(text)),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// 422 unless the organization exists and is a supervisory authority.
pub fn check_supervisor(conn: &mut DbConnection, org_id: &str) -> ApiResult<()> {
    let org =
        crate::models::organization::require_live(conn, org_id, "supervising_organization_id")?;
    if org.kind != crate::models::organization::OrganizationKind::SupervisoryAuthority {
        return Err(ApiError::invalid_field(
            "supervising_organization_id",
            "must be a supervisory authority",
        ));
    }
    Ok(())
}

/// Inserts a dialogue with its participants, for a supervising organization the caller
/// may write for (checked by the policy before).
pub fn create(
    conn: &mut DbConnection,
    supervising_organization_id: &str,
    participants: &[String],
    fields: DialogueFields,
) -> ApiResult<Dialogue> {
    check_supervisor(conn, supervising_organization_id)?;
    let id = new_id();
    let at = now();
    let fields = fields.indexed();
    diesel::insert_into(supervisory_dialogues::table)
        .values((
            supervisory_dialogues::id.eq(&id),
            supervisory_dialogues::supervising_organization_id.eq(supervising_organization_id),
            &fields,
            supervisory_dialogues::search_terms.eq(fields.search_terms()),
            supervisory_dialogues::version.eq(1),
            supervisory_dialogues::created_at.eq(at),
            supervisory_dialogues::updated_at.eq(at),
        ))
        .execute(conn)?;
    set_participants(conn, &id, participants)?;
    set_lessons(conn, &id, &fields)?;
    live(conn, &id)
}

/// Moves the dialogue to its next version if it is still at the version it was read at.
fn advance<C>(conn: &mut DbConnection, d: &Dialogue, changes: C) -> ApiResult<Dialogue>
where
    C: AsChangeset<Target = supervisory_dialogues::table>,
    C::Changeset: diesel::query_builder::QueryFragment<crate::db::MultiBackend>,
{
    crate::write_versioned!(conn, supervisory_dialogues, d, changes)?;
    live(conn, &d.id)
}

/// Replaces the writable fields and the participants.
pub fn update(
    conn: &mut DbConnection,
    d: &Managed<Dialogue>,
    participants: &[String],
    fields: DialogueFields,
) -> ApiResult<Dialogue> {
    let fields = fields.indexed();
    set_participants(conn, &d.id, participants)?;
    set_lessons(conn, &d.id, &fields)?;
    let terms = supervisory_dialogues::search_terms.eq(fields.search_terms());
    advance(conn, d, (terms, fields))
}

/// Moves the dialogue's version: a finding or follow-up changed.
pub fn touch(conn: &mut DbConnection, d: &Managed<Dialogue>) -> ApiResult<()> {
    crate::touch!(conn, supervisory_dialogues, &d.id)?;
    Ok(())
}

/// Publishes as of `at` (now, or a day in the past being recorded at `recorded_at`): the
/// dialogue becomes public. 409 if it is already.
pub fn publish(
    conn: &mut DbConnection,
    d: &Managed<Dialogue>,
    at: NaiveDateTime,
    recorded_at: Option<NaiveDateTime>,
) -> ApiResult<Dialogue> {
    if d.published_at.is_some() {
        return Err(ApiError::state_conflict(
            "published",
            "the dialogue is published already",
        ));
    }
    advance(
        conn,
        d,
        (
            supervisory_dialogues::published_at.eq(Some(at)),
            supervisory_dialogues::publication_recorded_at.eq(recorded_at),
            supervisory_dialogues::visibility.eq(Visibility::Public),
        ),
    )
}

/// Soft-deletes a dialogue; sync clients see a tombstone.
pub fn delete(conn: &mut DbConnection, d: &Managed<Dialogue>) -> ApiResult<()> {
    crate::write_versioned!(
        conn,
        supervisory_dialogues,
        d,
        supervisory_dialogues::deleted_at.eq(Some(now()))
    )?;
    Ok(())
}
