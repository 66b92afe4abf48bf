//! The section of supervisory dialogues, with their participants, findings and follow-ups.

use std::io::Write;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::scope::{DIALOGUE, ORGANIZATION, Scope, pages};
use super::values::{day, instant};
use super::{SectionWriter, by_parent, ids, in_order};
use crate::bundle::format::{DialogueRecord, FindingRecord, FollowUpRecord};
use crate::db::DbConnection;
use crate::db::json_text::JsonText;
use crate::db::schema::{
    dialogue_findings, dialogue_follow_ups, dialogue_participants, import_keys,
    supervisory_dialogues,
};
use crate::error::ApiResult;

#[derive(Queryable, Selectable)]
#[diesel(table_name = supervisory_dialogues)]
struct DialogueRow {
    id: String,
    title: String,
    supervising_organization_id: String,
    supervision_name: String,
    period_start: Option<NaiveDate>,
    period_end: Option<NaiveDate>,
    held_on: Option<NaiveDate>,
    mode: Option<String>,
    focus_questions: JsonText<Vec<String>>,
    lessons_learned: JsonText<Vec<String>>,
    recommendations: JsonText<Vec<String>>,
    status: String,
    visibility: String,
    published_at: Option<NaiveDateTime>,
    publication_recorded_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = dialogue_findings)]
struct FindingRow {
    id: String,
    dialogue_id: String,
    category: Option<String>,
    text: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = dialogue_follow_ups)]
struct FollowUpRow {
    id: String,
    dialogue_id: String,
    description: String,
    responsible_organization_id: Option<String>,
    due_on: Option<NaiveDate>,
    status: String,
}

pub(super) fn dialogues_section(
    conn: &mut DbConnection,
    scope: &Scope,
    out: &mut dyn Write,
) -> ApiResult<()> {
    let mut section = SectionWriter::new(out, "dialogues");
    pages(conn, scope, &DIALOGUE, |conn, page| {
        let page_ids = ids(&page);
        let rows: Vec<DialogueRow> = supervisory_dialogues::table
            .filter(supervisory_dialogues::id.eq_any(&page_ids))
            .select(DialogueRow::as_select())
            .load(conn)?;
        let participants: Vec<(String, String)> = dialogue_participants::table
            .filter(dialogue_participants::dialogue_id.eq_any(&page_ids))
            .select((
                dialogue_participants::dialogue_id,
                dialogue_participants::organization_id,
            ))
            .load(conn)?;
        let findings: Vec<(FindingRow, Option<String>)> = dialogue_findings::table
            .left_join(
                import_keys::table.on(import_keys::kind
                    .eq("finding")
                    .and(import_keys::resource_id.eq(dialogue_findings::id))),
            )
            .filter(dialogue_findings::dialogue_id.eq_any(&page_ids))
            .select((FindingRow::as_select(), import_keys::bundle_key.nullable()))
            .load(conn)?;
        let follow_ups: Vec<(FollowUpRow, Option<String>)> = dialogue_follow_ups::table
            .left_join(
                import_keys::table.on(import_keys::kind
                    .eq("follow_up")
                    .and(import_keys::resource_id.eq(dialogue_follow_ups::id))),
            )
            .filter(dialogue_follow_ups::dialogue_id.eq_any(&page_ids))
            .select((FollowUpRow::as_select(), import_keys::bundle_key.nullable()))
            .load(conn)?;
        let orgs = scope.keys(
            conn,
            &ORGANIZATION,
            rows.iter()
                .map(|r| &r.supervising_organization_id)
                .chain(participants.iter().map(|(_, org)| org))
                .chain(
                    follow_ups
                        .iter()
                        .filter_map(|(f, _)| f.responsible_organization_id.as_ref()),
                ),
        )?;
        let mut participants = by_parent(participants, |(dialogue, _)| dialogue);
        let mut findings = by_parent(findings, |(f, _)| &f.dialogue_id);
        let mut follow_ups = by_parent(follow_ups, |(f, _)| &f.dialogue_id);
        for (key, r) in in_order(page, rows, |r| &r.id) {
            let Some(supervising) = orgs.get(&r.supervising_organization_id) else {
                continue;
            };
            let mut participant_keys: Vec<String> = participants
                .remove(&r.id)
                .unwrap_or_default()
                .iter()
                .filter_map(|(_, org)| orgs.get(org))
                .collect();
            participant_keys.sort();
            let mut finding_records: Vec<FindingRecord> = findings
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|(f, bundle_key)| FindingRecord {
                    key: bundle_key.unwrap_or(f.id),
                    category: f.category,
                    text: f.text,
                })
                .collect();
            finding_records.sort_by(|a, b| a.key.cmp(&b.key));
            let mut follow_up_records: Vec<FollowUpRecord> = follow_ups
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|(f, bundle_key)| FollowUpRecord {
                    key: bundle_key.unwrap_or(f.id),
                    description: f.description,
                    responsible_organization: orgs.of(f.responsible_organization_id.as_ref()),
                    due_on: f.due_on.map(day),
                    status: Some(f.status),
                })
                .collect();
            follow_up_records.sort_by(|a, b| a.key.cmp(&b.key));
            section.push(&DialogueRecord {
                key,
                title: r.title,
                supervising_organization: supervising,
                supervision_name: r.supervision_name,
                period_start: r.period_start.map(day),
                period_end: r.period_end.map(day),
                held_on: r.held_on.map(day),
                mode: r.mode,
                participants: participant_keys,
                focus_questions: r.focus_questions.into_inner(),
                lessons_learned: r.lessons_learned.into_inner(),
                recommendations: r.recommendations.into_inner(),
                status: Some(r.status),
                visibility: Some(r.visibility),
                published_at: r.published_at.map(instant),
                publication_recorded_at: r.publication_recorded_at.map(instant),
                findings: finding_records,
                follow_ups: follow_up_records,
            })?;
        }
        Ok(())
    })?;
    section.finish()
}
