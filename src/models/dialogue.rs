//! Supervisory dialogues: what a supervisory authority (IVO) learned together with the
//! municipalities in a supervision, with findings, lessons, recommendations and
//! follow-ups; restricted to those involved until published.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{
    dialogue_findings, dialogue_follow_ups, dialogue_participants, supervisory_dialogues,
};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::access::{Viewer, Visibility};
use crate::models::organization::OrganizationKind;
use crate::pagination::{Page, PageRequest};

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
    /// Where a follow-up stands.
    FollowUpStatus {
        Open => "open",
        Done => "done",
        Cancelled => "cancelled",
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
    pub mode: Option<String>,
    pub focus_questions: String,
    pub lessons_learned: String,
    pub recommendations: String,
    pub status: String,
    pub visibility: String,
    pub published_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

fn list_of(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

impl Dialogue {
    pub fn focus_question_list(&self) -> Vec<String> {
        list_of(&self.focus_questions)
    }
    pub fn lesson_list(&self) -> Vec<String> {
        list_of(&self.lessons_learned)
    }
    pub fn recommendation_list(&self) -> Vec<String> {
        list_of(&self.recommendations)
    }
}

/// The writable fields of a dialogue, validated.
#[derive(Debug, Clone)]
pub struct DialogueFields {
    pub title: String,
    pub supervising_organization_id: String,
    pub supervision_name: String,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub held_on: Option<NaiveDate>,
    pub mode: Option<String>,
    pub participant_organization_ids: Vec<String>,
    pub focus_questions: Vec<String>,
    pub lessons_learned: Vec<String>,
    pub recommendations: Vec<String>,
    pub status: DialogueStatus,
    pub visibility: Visibility,
}

impl DialogueFields {
    /// The fields of an existing row and its participants.
    pub fn of(d: &Dialogue, participants: Vec<String>) -> Self {
        Self {
            title: d.title.clone(),
            supervising_organization_id: d.supervising_organization_id.clone(),
            supervision_name: d.supervision_name.clone(),
            period_start: d.period_start,
            period_end: d.period_end,
            held_on: d.held_on,
            mode: d.mode.clone(),
            participant_organization_ids: participants,
            focus_questions: d.focus_question_list(),
            lessons_learned: d.lesson_list(),
            recommendations: d.recommendation_list(),
            status: DialogueStatus::parse(&d.status).unwrap_or(DialogueStatus::Planned),
            visibility: Visibility::parse(&d.visibility).unwrap_or(Visibility::Restricted),
        }
    }

    fn search_text(&self) -> String {
        let lists = [
            &self.focus_questions,
            &self.lessons_learned,
            &self.recommendations,
        ]
        .iter()
        .flat_map(|l| l.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n");
        crate::validation::search_text([
            Some(self.title.as_str()),
            Some(self.supervision_name.as_str()),
            Some(lists.as_str()),
        ])
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
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The live dialogue with this id, whoever asks.
pub fn find(conn: &mut DbConnection, id: &str) -> ApiResult<Dialogue> {
    Ok(supervisory_dialogues::table
        .find(id)
        .filter(supervisory_dialogues::deleted_at.is_null())
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

/// Whether the viewer belongs to the supervising or a participating organization.
pub fn involved(conn: &mut DbConnection, viewer: &Viewer, d: &Dialogue) -> ApiResult<bool> {
    let Some(org) = &viewer.organization_id else {
        return Ok(false);
    };
    Ok(*org == d.supervising_organization_id || participants(conn, &d.id)?.contains(org))
}

/// The dialogue, if the viewer may see it (404 otherwise).
pub fn find_visible(conn: &mut DbConnection, viewer: &Viewer, id: &str) -> ApiResult<Dialogue> {
    let d = find(conn, id)?;
    let insider = involved(conn, viewer, &d)?;
    if d.published_at.is_some() || crate::models::access::can_see(&d.visibility, viewer, insider) {
        Ok(d)
    } else {
        Err(ApiError::not_found())
    }
}

/// The dialogue, if the viewer may write it: admins, and users of its supervising
/// organization (a supervisory authority). 404 when they may not even see it.
pub fn find_writable(conn: &mut DbConnection, viewer: &Viewer, id: &str) -> ApiResult<Dialogue> {
    let d = find_visible(conn, viewer, id)?;
    if viewer.admin
        || viewer.organization_id.as_deref() == Some(d.supervising_organization_id.as_str())
    {
        Ok(d)
    } else {
        Err(ApiError::forbidden(
            "only the supervising authority (and admins) may change a supervisory dialogue",
        ))
    }
}

/// 422 unless the organization exists and is a supervisory authority; 403 unless the
/// viewer may write for it.
pub fn check_supervisor(conn: &mut DbConnection, viewer: &Viewer, org_id: &str) -> ApiResult<()> {
    let org =
        crate::models::organization::require_live(conn, org_id, "supervising_organization_id")?;
    if org.kind != OrganizationKind::SupervisoryAuthority.as_str() {
        return Err(ApiError::invalid_field(
            "supervising_organization_id",
            "must be a supervisory authority",
        ));
    }
    if !viewer.admin && viewer.organization_id.as_deref() != Some(org_id) {
        return Err(ApiError::forbidden(
            "only users of the supervisory authority (and admins) write its dialogues",
        ));
    }
    Ok(())
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

fn json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

/// Inserts a dialogue with its participants.
pub fn create(conn: &mut DbConnection, f: &DialogueFields) -> ApiResult<Dialogue> {
    let id = new_id();
    let at = now();
    diesel::insert_into(supervisory_dialogues::table)
        .values((
            supervisory_dialogues::id.eq(&id),
            supervisory_dialogues::title.eq(&f.title),
            supervisory_dialogues::supervising_organization_id.eq(&f.supervising_organization_id),
            supervisory_dialogues::supervision_name.eq(&f.supervision_name),
            supervisory_dialogues::period_start.eq(f.period_start),
            supervisory_dialogues::period_end.eq(f.period_end),
            supervisory_dialogues::held_on.eq(f.held_on),
            supervisory_dialogues::mode.eq(&f.mode),
            supervisory_dialogues::focus_questions.eq(json(&f.focus_questions)),
            supervisory_dialogues::lessons_learned.eq(json(&f.lessons_learned)),
            supervisory_dialogues::recommendations.eq(json(&f.recommendations)),
            supervisory_dialogues::status.eq(f.status.as_str()),
            supervisory_dialogues::visibility.eq(f.visibility.as_str()),
            supervisory_dialogues::search_text.eq(f.search_text()),
            supervisory_dialogues::version.eq(1),
            supervisory_dialogues::created_at.eq(at),
            supervisory_dialogues::updated_at.eq(at),
        ))
        .execute(conn)?;
    set_participants(conn, &id, &f.participant_organization_ids)?;
    find(conn, &id)
}

/// Replaces the writable fields if the row is still at `expected_version`.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i32,
    f: &DialogueFields,
) -> ApiResult<Dialogue> {
    let updated = diesel::update(
        supervisory_dialogues::table
            .filter(supervisory_dialogues::id.eq(id))
            .filter(supervisory_dialogues::version.eq(expected_version)),
    )
    .set((
        supervisory_dialogues::title.eq(&f.title),
        supervisory_dialogues::supervision_name.eq(&f.supervision_name),
        supervisory_dialogues::period_start.eq(f.period_start),
        supervisory_dialogues::period_end.eq(f.period_end),
        supervisory_dialogues::held_on.eq(f.held_on),
        supervisory_dialogues::mode.eq(&f.mode),
        supervisory_dialogues::focus_questions.eq(json(&f.focus_questions)),
        supervisory_dialogues::lessons_learned.eq(json(&f.lessons_learned)),
        supervisory_dialogues::recommendations.eq(json(&f.recommendations)),
        supervisory_dialogues::status.eq(f.status.as_str()),
        supervisory_dialogues::visibility.eq(f.visibility.as_str()),
        supervisory_dialogues::search_text.eq(f.search_text()),
        supervisory_dialogues::version.eq(expected_version + 1),
        supervisory_dialogues::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(ApiError::precondition_failed(Some(find(conn, id)?.version)));
    }
    set_participants(conn, id, &f.participant_organization_ids)?;
    find(conn, id)
}

/// Moves the dialogue's version: a finding or follow-up changed.
pub fn touch(conn: &mut DbConnection, id: &str) -> ApiResult<()> {
    diesel::update(supervisory_dialogues::table.find(id))
        .set((
            supervisory_dialogues::version.eq(supervisory_dialogues::version + 1),
            supervisory_dialogues::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Publishes: `published_at` is set and the dialogue becomes public. 409 if it is already.
pub fn publish(conn: &mut DbConnection, d: &Dialogue) -> ApiResult<Dialogue> {
    if d.published_at.is_some() {
        return Err(ApiError::state_conflict(
            "published",
            "the dialogue is published already",
        ));
    }
    let at = now();
    diesel::update(supervisory_dialogues::table.find(&d.id))
        .set((
            supervisory_dialogues::published_at.eq(Some(at)),
            supervisory_dialogues::visibility.eq(Visibility::Public.as_str()),
            supervisory_dialogues::version.eq(d.version + 1),
            supervisory_dialogues::updated_at.eq(at),
        ))
        .execute(conn)?;
    find(conn, &d.id)
}

/// Soft-deletes a dialogue.
pub fn delete(conn: &mut DbConnection, id: &str, version: i32) -> ApiResult<()> {
    let at = now();
    diesel::update(supervisory_dialogues::table.find(id))
        .set((
            supervisory_dialogues::deleted_at.eq(Some(at)),
            supervisory_dialogues::version.eq(version + 1),
            supervisory_dialogues::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
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

/// One page of the dialogues the viewer may see.
pub fn list(
    conn: &mut DbConnection,
    viewer: &Viewer,
    page: &PageRequest,
    filter: &DialogueFilter,
) -> ApiResult<Page<Dialogue>> {
    let mut query = supervisory_dialogues::table
        .select(Dialogue::as_select())
        .into_boxed();
    if !viewer.admin {
        let mut open = vec![Visibility::Public.as_str()];
        if viewer.signed_in() {
            open.push(Visibility::Internal.as_str());
        }
        let org = viewer.organization_id.clone().unwrap_or_default();
        let taking_part: Vec<String> = dialogue_participants::table
            .filter(dialogue_participants::organization_id.eq(&org))
            .select(dialogue_participants::dialogue_id)
            .load(conn)?;
        query = query.filter(
            supervisory_dialogues::visibility
                .eq_any(open)
                .or(supervisory_dialogues::published_at.is_not_null())
                .or(supervisory_dialogues::supervising_organization_id.eq(org))
                .or(supervisory_dialogues::id.eq_any(taking_part)),
        );
    }
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
        let ids: Vec<String> = dialogue_participants::table
            .filter(dialogue_participants::organization_id.eq(org))
            .select(dialogue_participants::dialogue_id)
            .load(conn)?;
        query = query.filter(supervisory_dialogues::id.eq_any(ids));
    }
    if let Some(s) = filter.status {
        query = query.filter(supervisory_dialogues::status.eq(s.as_str()));
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
    Ok(Page::from_rows(rows, page, |d: &Dialogue| {
        (d.updated_at, d.id.clone())
    }))
}

/// The dialogue's findings, oldest first.
pub fn findings(conn: &mut DbConnection, id: &str) -> ApiResult<Vec<Finding>> {
    Ok(dialogue_findings::table
        .filter(dialogue_findings::dialogue_id.eq(id))
        .order(dialogue_findings::id.asc())
        .select(Finding::as_select())
        .load(conn)?)
}

/// One finding of the dialogue.
pub fn finding(conn: &mut DbConnection, id: &str, finding_id: &str) -> ApiResult<Finding> {
    Ok(dialogue_findings::table
        .filter(dialogue_findings::dialogue_id.eq(id))
        .filter(dialogue_findings::id.eq(finding_id))
        .select(Finding::as_select())
        .first(conn)?)
}

/// Adds a finding.
pub fn add_finding(
    conn: &mut DbConnection,
    id: &str,
    category: Option<&str>,
    text: &str,
) -> ApiResult<Finding> {
    let finding_id = new_id();
    let at = now();
    diesel::insert_into(dialogue_findings::table)
        .values((
            dialogue_findings::id.eq(&finding_id),
            dialogue_findings::dialogue_id.eq(id),
            dialogue_findings::category.eq(category),
            dialogue_findings::text.eq(text),
            dialogue_findings::created_at.eq(at),
            dialogue_findings::updated_at.eq(at),
        ))
        .execute(conn)?;
    touch(conn, id)?;
    finding(conn, id, &finding_id)
}

/// Changes a finding.
pub fn update_finding(
    conn: &mut DbConnection,
    id: &str,
    finding_id: &str,
    category: Option<&str>,
    text: &str,
) -> ApiResult<Finding> {
    finding(conn, id, finding_id)?;
    diesel::update(dialogue_findings::table.find(finding_id))
        .set((
            dialogue_findings::category.eq(category),
            dialogue_findings::text.eq(text),
            dialogue_findings::updated_at.eq(now()),
        ))
        .execute(conn)?;
    touch(conn, id)?;
    finding(conn, id, finding_id)
}

/// Removes a finding.
pub fn remove_finding(conn: &mut DbConnection, id: &str, finding_id: &str) -> ApiResult<()> {
    finding(conn, id, finding_id)?;
    diesel::delete(dialogue_findings::table.find(finding_id)).execute(conn)?;
    touch(conn, id)
}

/// The dialogue's follow-ups, oldest first.
pub fn follow_ups(conn: &mut DbConnection, id: &str) -> ApiResult<Vec<FollowUp>> {
    Ok(dialogue_follow_ups::table
        .filter(dialogue_follow_ups::dialogue_id.eq(id))
        .order(dialogue_follow_ups::id.asc())
        .select(FollowUp::as_select())
        .load(conn)?)
}

/// One follow-up of the dialogue.
pub fn follow_up(conn: &mut DbConnection, id: &str, follow_up_id: &str) -> ApiResult<FollowUp> {
    Ok(dialogue_follow_ups::table
        .filter(dialogue_follow_ups::dialogue_id.eq(id))
        .filter(dialogue_follow_ups::id.eq(follow_up_id))
        .select(FollowUp::as_select())
        .first(conn)?)
}

/// The content of a follow-up, validated.
#[derive(Debug, Clone)]
pub struct FollowUpFields {
    pub description: String,
    pub responsible_organization_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: FollowUpStatus,
}

/// Adds or (with `follow_up_id`) changes a follow-up.
pub fn save_follow_up(
    conn: &mut DbConnection,
    id: &str,
    follow_up_id: Option<&str>,
    f: &FollowUpFields,
) -> ApiResult<FollowUp> {
    if let Some(org) = &f.responsible_organization_id {
        crate::models::organization::require_live(conn, org, "responsible_organization_id")?;
    }
    let at = now();
    let target = match follow_up_id {
        Some(existing) => {
            follow_up(conn, id, existing)?;
            diesel::update(dialogue_follow_ups::table.find(existing))
                .set((
                    dialogue_follow_ups::description.eq(&f.description),
                    dialogue_follow_ups::responsible_organization_id
                        .eq(&f.responsible_organization_id),
                    dialogue_follow_ups::due_on.eq(f.due_on),
                    dialogue_follow_ups::status.eq(f.status.as_str()),
                    dialogue_follow_ups::updated_at.eq(at),
                ))
                .execute(conn)?;
            existing.to_string()
        }
        None => {
            let new = new_id();
            diesel::insert_into(dialogue_follow_ups::table)
                .values((
                    dialogue_follow_ups::id.eq(&new),
                    dialogue_follow_ups::dialogue_id.eq(id),
                    dialogue_follow_ups::description.eq(&f.description),
                    dialogue_follow_ups::responsible_organization_id
                        .eq(&f.responsible_organization_id),
                    dialogue_follow_ups::due_on.eq(f.due_on),
                    dialogue_follow_ups::status.eq(f.status.as_str()),
                    dialogue_follow_ups::created_at.eq(at),
                    dialogue_follow_ups::updated_at.eq(at),
                ))
                .execute(conn)?;
            new
        }
    };
    touch(conn, id)?;
    follow_up(conn, id, &target)
}

/// Removes a follow-up.
pub fn remove_follow_up(conn: &mut DbConnection, id: &str, follow_up_id: &str) -> ApiResult<()> {
    follow_up(conn, id, follow_up_id)?;
    diesel::delete(dialogue_follow_ups::table.find(follow_up_id)).execute(conn)?;
    touch(conn, id)
}
