//! The minutes' body both ways: a request's sections validated into what is stored,
//! and what is stored served as the minutes.

use super::types::*;
use crate::db::json_text::JsonText;
use crate::error::Validator;
use crate::models::action_item::{ActionFields, ActionStatus, PlacedAction};
use crate::models::minutes::{Content, Information, Section};
use crate::models::minutes_document::MinutesView;
use crate::routes::{utc, uuid, uuids};
use crate::validation;

pub(super) fn distinct_ids(v: &mut Validator, field: &str, ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let id = validation::uuid(v, &format!("{field}[{i}]"), id);
        if out.contains(&id) {
            v.add(&format!("{field}[{i}]"), "appears twice");
        }
        out.push(id);
    }
    out
}

pub(crate) fn content(v: &mut Validator, sections: Vec<SectionInput>) -> Content {
    v.check(sections.len() <= 200, "sections", "at most 200 sections");
    let mut stored = Vec::new();
    let mut actions = Vec::new();
    for (i, s) in sections.into_iter().enumerate() {
        let at = |name: &str| format!("sections[{i}].{name}");
        let mut decisions = Vec::new();
        for (d, text) in s.decisions.iter().enumerate() {
            decisions.push(validation::text(
                v,
                &at(&format!("decisions[{d}]")),
                text,
                1,
                5000,
            ));
        }
        let mut items = Vec::new();
        for (j, a) in s.action_items.into_iter().enumerate() {
            let prefix = format!("sections[{i}].action_items[{j}].");
            let f = |name: &str| format!("{prefix}{name}");
            let status = validation::optional_choice(v, &f("status"), a.status.as_deref())
                .unwrap_or(ActionStatus::Open);
            items.push(PlacedAction {
                id: a.id.as_deref().map(|id| validation::uuid(v, &f("id"), id)),
                fields: ActionFields {
                    title: validation::text(v, &f("title"), &a.title, 1, 500),
                    description: validation::optional_text(
                        v,
                        &f("description"),
                        a.description.as_deref(),
                        5000,
                    ),
                    owner_person_id: a
                        .owner_person_id
                        .as_deref()
                        .map(|p| validation::uuid(v, &f("owner_person_id"), p)),
                    owner_organization_id: a
                        .owner_organization_id
                        .as_deref()
                        .map(|o| validation::uuid(v, &f("owner_organization_id"), o)),
                    due_on: a.due_on,
                    status,
                    addressed_to_members: a.addressed_to_members,
                    addressee_organization_ids: JsonText(distinct_ids(
                        v,
                        &f("addressee_organization_ids"),
                        &a.addressee_organization_ids,
                    )),
                },
                field: prefix.clone(),
                completion: None,
                status_given: a.status.is_some(),
            });
        }
        let mut information = Vec::new();
        for (j, item) in s.information_items.iter().enumerate() {
            let f = |name: &str| at(&format!("information_items[{j}].{name}"));
            information.push(Information {
                title: validation::optional_text(v, &f("title"), item.title.as_deref(), 300),
                text: validation::text(v, &f("text"), &item.text, 1, 20_000),
                organization_id: item
                    .organization_id
                    .as_deref()
                    .map(|o| validation::uuid(v, &f("organization_id"), o)),
            });
        }
        v.check(
            information.len() <= 100,
            &at("information_items"),
            "at most 100 information items",
        );
        stored.push(Section {
            agenda_item_id: s
                .agenda_item_id
                .as_deref()
                .map(|a| validation::uuid(v, &at("agenda_item_id"), a)),
            heading: validation::text(v, &at("heading"), &s.heading, 1, 300),
            notes: validation::optional_text(v, &at("notes"), s.notes.as_deref(), 50_000),
            decisions,
            information,
        });
        actions.push(items);
    }
    Content {
        sections: stored,
        actions,
    }
}

/// The minutes as served now.
pub(super) fn dto(view: MinutesView) -> MinutesDto {
    let MinutesView {
        minutes: m,
        action_items,
        approvals,
        amendments,
    } = view;
    let sections = m
        .sections
        .0
        .into_iter()
        .enumerate()
        .map(|(i, s)| SectionDto {
            agenda_item_id: s.agenda_item_id.as_deref().map(uuid),
            heading: s.heading,
            notes: s.notes,
            decisions: s.decisions,
            information_items: s
                .information
                .into_iter()
                .map(|i| InformationDto {
                    title: i.title,
                    text: i.text,
                    organization_id: i.organization_id,
                })
                .collect(),
            action_items: action_items
                .iter()
                .filter(|a| a.section_index == i as i32)
                .map(|a| MinutesActionDto {
                    id: uuid(&a.id),
                    title: a.title.clone(),
                    description: a.description.clone(),
                    owner_person_id: a.owner_person_id.as_deref().map(uuid),
                    owner_organization_id: a.owner_organization_id.as_deref().map(uuid),
                    due_on: a.due_on,
                    addressed_to_members: a.addressed_to_members,
                    addressee_organization_ids: uuids(&a.addressee_organization_ids.0),
                })
                .collect(),
        })
        .collect();
    MinutesDto {
        id: uuid(&m.id),
        meeting_id: uuid(&m.meeting_id),
        document_type: m.document_type,
        status: m.status,
        recorded_by: uuids(m.recorded_by.iter()),
        approvers: uuids(m.approvers.iter()),
        approval_due_on: m.approval_due_on,
        approvals: approvals
            .into_iter()
            .map(|a| ApprovalDto {
                person_id: uuid(&a.person_id),
                approved_at: utc(a.approved_at),
                recorded_at: a.recorded_at.map(utc),
                recorded_by: a.recorded_by.as_deref().map(uuid),
            })
            .collect(),
        submitted_at: m.submitted_at.map(utc),
        approved_at: m.approved_at.map(utc),
        sections,
        amendments: amendments
            .into_iter()
            .map(|a| AmendmentDto {
                changes: a
                    .changes
                    .0
                    .into_iter()
                    .map(|c| ChangeDto {
                        section: c.section,
                        part: c.part,
                        action_item_id: c.action_item_id.as_deref().map(uuid),
                    })
                    .collect(),
                reason: a.reason,
                changed_by: uuid(&a.changed_by),
                changed_at: utc(a.changed_at),
                version: a.version,
            })
            .collect(),
        visibility: m.visibility,
        version: m.version,
        created_at: utc(m.created_at),
        updated_at: utc(m.updated_at),
    }
}

/// The text a version of the minutes is kept as.
pub(super) fn revision_text(view: &MinutesView) -> String {
    serde_json::to_string(&dto(view.clone())).unwrap_or_default()
}
