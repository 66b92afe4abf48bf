//! The section of minutes, with their approvals, amendments and action items.

use std::io::Write;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::scope::{AGENDA_ITEM, MEETING_WITH_MINUTES, ORGANIZATION, PERSON, Scope, pages};
use super::values::{day, instant};
use super::{SectionWriter, by_parent, ids, in_order};
use crate::bundle::format::{
    ActionRecord, AmendmentRecord, ApprovalRecord, InformationRecord, MinutesRecord, ReplyRecord,
    SectionRecord,
};
use crate::db::DbConnection;
use crate::db::json_text::JsonText;
use crate::db::schema::{
    action_items, import_keys, minutes, minutes_amendments, minutes_approvals,
};
use crate::error::ApiResult;
use crate::models::minutes::Section as StoredSection;
use crate::models::reply::{Reply, ReplyStatus};

#[derive(Queryable, Selectable)]
#[diesel(table_name = minutes)]
struct MinutesRow {
    id: String,
    meeting_id: String,
    status: String,
    recorded_by: JsonText<Vec<String>>,
    approvers: JsonText<Vec<String>>,
    approval_due_on: NaiveDate,
    sections: JsonText<Vec<StoredSection>>,
    visibility: String,
    submitted_at: Option<NaiveDateTime>,
    document_type: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = minutes_approvals)]
struct ApprovalRow {
    minutes_id: String,
    person_id: String,
    approved_at: NaiveDateTime,
    recorded_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = minutes_amendments)]
struct AmendmentRow {
    minutes_id: String,
    reason: String,
    changed_by: String,
    changed_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = action_items)]
struct ActionRow {
    id: String,
    meeting_id: String,
    section_index: i32,
    title: String,
    description: Option<String>,
    owner_person_id: Option<String>,
    owner_organization_id: Option<String>,
    due_on: Option<NaiveDate>,
    status: String,
    completed_at: Option<NaiveDateTime>,
    completion_recorded_at: Option<NaiveDateTime>,
    addressed_to_members: bool,
    addressee_organization_ids: JsonText<Vec<String>>,
}

pub(super) fn minutes_section(
    conn: &mut DbConnection,
    scope: &Scope,
    out: &mut dyn Write,
) -> ApiResult<()> {
    let mut section = SectionWriter::new(out, "minutes");
    pages(conn, scope, &MEETING_WITH_MINUTES, |conn, page| {
        let page_ids = ids(&page);
        let rows: Vec<MinutesRow> = minutes::table
            .filter(minutes::meeting_id.eq_any(&page_ids))
            .select(MinutesRow::as_select())
            .load(conn)?;
        let minutes_ids: Vec<&String> = rows.iter().map(|m| &m.id).collect();
        let approvals: Vec<ApprovalRow> = minutes_approvals::table
            .filter(minutes_approvals::minutes_id.eq_any(&minutes_ids))
            .select(ApprovalRow::as_select())
            .load(conn)?;
        let amendments: Vec<AmendmentRow> = minutes_amendments::table
            .filter(minutes_amendments::minutes_id.eq_any(&minutes_ids))
            .order((minutes_amendments::minutes_id, minutes_amendments::version))
            .select(AmendmentRow::as_select())
            .load(conn)?;
        let actions: Vec<(ActionRow, Option<String>)> = action_items::table
            .left_join(
                import_keys::table.on(import_keys::kind
                    .eq("action_item")
                    .and(import_keys::resource_id.eq(action_items::id))),
            )
            .filter(action_items::meeting_id.eq_any(&page_ids))
            .filter(action_items::deleted_at.is_null())
            .order((
                action_items::meeting_id,
                action_items::section_index,
                action_items::position,
                action_items::id,
            ))
            .select((ActionRow::as_select(), import_keys::bundle_key.nullable()))
            .load(conn)?;
        let action_ids: Vec<&str> = actions.iter().map(|(a, _)| a.id.as_str()).collect();
        let replies: Vec<Reply> = crate::models::reply::of_items(conn, &action_ids)?
            .into_iter()
            .filter(|r| r.status != ReplyStatus::Open)
            .collect();
        let persons = scope.keys(
            conn,
            &PERSON,
            rows.iter()
                .flat_map(|m| m.recorded_by.iter().chain(m.approvers.iter()))
                .chain(approvals.iter().map(|a| &a.person_id))
                .chain(amendments.iter().map(|a| &a.changed_by))
                .chain(
                    actions
                        .iter()
                        .filter_map(|(a, _)| a.owner_person_id.as_ref()),
                )
                .chain(
                    replies
                        .iter()
                        .filter_map(|r| r.answered_by_person_id.as_ref()),
                ),
        )?;
        let orgs = scope.keys(
            conn,
            &ORGANIZATION,
            actions
                .iter()
                .filter_map(|(a, _)| a.owner_organization_id.as_ref())
                .chain(
                    actions
                        .iter()
                        .flat_map(|(a, _)| a.addressee_organization_ids.0.iter()),
                )
                .chain(replies.iter().map(|r| &r.organization_id))
                .chain(rows.iter().flat_map(|m| {
                    m.sections
                        .iter()
                        .flat_map(|s| s.information.iter())
                        .filter_map(|i| i.organization_id.as_ref())
                })),
        )?;
        let agenda = scope.keys(
            conn,
            &AGENDA_ITEM,
            rows.iter()
                .flat_map(|m| m.sections.iter().filter_map(|s| s.agenda_item_id.as_ref())),
        )?;
        let mut approvals = by_parent(approvals, |a| &a.minutes_id);
        let mut amendments = by_parent(amendments, |a| &a.minutes_id);
        let mut actions = by_parent(actions, |(a, _)| &a.meeting_id);
        let mut replies = by_parent(replies, |r| &r.action_item_id);
        for (meeting, m) in in_order(page, rows, |m| &m.meeting_id) {
            let people_keys =
                |ids: &[String]| ids.iter().filter_map(|id| persons.get(id)).collect();
            let mut approval_records: Vec<ApprovalRecord> = approvals
                .remove(&m.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|a| {
                    Some(ApprovalRecord {
                        person: persons.get(&a.person_id)?,
                        approved_at: instant(a.approved_at),
                        recorded_at: a.recorded_at.map(instant),
                    })
                })
                .collect();
            approval_records.sort_by(|a, b| a.person.cmp(&b.person));
            let amendment_records = amendments
                .remove(&m.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|a| {
                    Some(AmendmentRecord {
                        reason: a.reason,
                        changed_by: persons.get(&a.changed_by)?,
                        changed_at: instant(a.changed_at),
                    })
                })
                .collect();
            let mut section_actions: Vec<Vec<ActionRecord>> =
                m.sections.iter().map(|_| Vec::new()).collect();
            for (a, bundle_key) in actions.remove(&m.meeting_id).unwrap_or_default() {
                let Some(list) = usize::try_from(a.section_index)
                    .ok()
                    .and_then(|i| section_actions.get_mut(i))
                else {
                    continue;
                };
                let reply_records = replies
                    .remove(&a.id)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|r| {
                        Some(ReplyRecord {
                            organization: orgs.get(&r.organization_id)?,
                            status: r.status.as_str().to_string(),
                            answer: r.answer,
                            answered_at: r.answered_at.map(instant),
                            answered_by: persons.of(r.answered_by_person_id.as_ref()),
                        })
                    })
                    .collect();
                list.push(ActionRecord {
                    addressed_to_members: a.addressed_to_members,
                    addressees: a
                        .addressee_organization_ids
                        .0
                        .iter()
                        .filter_map(|o| orgs.get(o))
                        .collect(),
                    replies: reply_records,
                    key: bundle_key.unwrap_or(a.id),
                    title: a.title,
                    description: a.description,
                    owner_person: persons.of(a.owner_person_id.as_ref()),
                    owner_organization: orgs.of(a.owner_organization_id.as_ref()),
                    due_on: a.due_on.map(day),
                    status: Some(a.status),
                    completed_at: a.completed_at.map(instant),
                    completion_recorded_at: a.completion_recorded_at.map(instant),
                });
            }
            let sections = m
                .sections
                .iter()
                .zip(section_actions)
                .map(|(s, action_items)| SectionRecord {
                    agenda_item: agenda.of(s.agenda_item_id.as_ref()),
                    heading: s.heading.clone(),
                    notes: s.notes.clone(),
                    decisions: s.decisions.clone(),
                    information_items: s
                        .information
                        .iter()
                        .map(|i| InformationRecord {
                            title: i.title.clone(),
                            text: i.text.clone(),
                            organization: orgs.of(i.organization_id.as_ref()),
                        })
                        .collect(),
                    action_items,
                })
                .collect();
            section.push(&MinutesRecord {
                meeting,
                status: Some(m.status),
                document_type: (m.document_type != "notes").then_some(m.document_type),
                visibility: Some(m.visibility),
                recorded_by: people_keys(&m.recorded_by),
                approvers: people_keys(&m.approvers),
                approval_due_on: Some(day(m.approval_due_on)),
                submitted_at: m.submitted_at.map(instant),
                approvals: approval_records,
                sections,
                amendments: amendment_records,
            })?;
        }
        Ok(())
    })?;
    section.finish()
}
