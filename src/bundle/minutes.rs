//! Minutes: sections with decisions and action items (by key), submitted and approved
//! on the days they were, with the amendments made since.

use super::apply::{Seen, date, happened, instant};
use super::format::MinutesRecord;
use super::import::{Importer, Record, fingerprint};
use crate::db::DbConnection;
use crate::error::Validator;
use crate::models::minutes::{DraftHeader, MinutesStatus};
use crate::models::reply::ReplyStatus;
use crate::models::{action_item, meeting, minutes};
use crate::validation;

impl Record for MinutesRecord {
    fn apply(self, imp: &mut Importer, conn: &mut DbConnection, at: &str) {
        let print = fingerprint(&self);
        let Some(seen) = imp.seen(conn, "minutes", &self.meeting, at, &print) else {
            return;
        };
        let meeting_id = imp.id_of(conn, "meeting", &self.meeting, &format!("{at}.meeting"));
        if let Seen::Same(id) = &seen {
            imp.book(conn, "minutes", &self.meeting, at, &print, &seen, |_, _| {
                Ok(Some(id.clone()))
            });
            return;
        }
        let recorded_by = imp.ids_of(
            conn,
            "person",
            &self.recorded_by,
            &format!("{at}.recorded_by"),
        );
        let approvers = imp.ids_of(conn, "person", &self.approvers, &format!("{at}.approvers"));
        let mut sections = Vec::new();
        let mut action_keys = Vec::new();
        let mut completions = Vec::new();
        let mut all_replies = Vec::new();
        let mut resolved = true;
        for (i, s) in self.sections.iter().enumerate() {
            let field = format!("{at}.sections[{i}]");
            let agenda_item = imp.opt_id(
                conn,
                "agenda_item",
                s.agenda_item.as_deref(),
                &format!("{field}.agenda_item"),
            );
            let mut information_items = Vec::new();
            for (j, item) in s.information_items.iter().enumerate() {
                let organization = imp.opt_id(
                    conn,
                    "organization",
                    item.organization.as_deref(),
                    &format!("{field}.information_items[{j}].organization"),
                );
                resolved &= organization.is_some();
                information_items.push(crate::routes::minutes::InformationDto {
                    title: item.title.clone(),
                    text: item.text.clone(),
                    organization_id: organization.flatten(),
                });
            }
            let mut actions = Vec::new();
            let mut section_completions = Vec::new();
            for (j, a) in s.action_items.iter().enumerate() {
                let af = format!("{field}.action_items[{j}]");
                imp.claim("action_item", &a.key, &format!("{af}.key"));
                let owner = imp.opt_id(
                    conn,
                    "person",
                    a.owner_person.as_deref(),
                    &format!("{af}.owner_person"),
                );
                let owner_org = imp.opt_id(
                    conn,
                    "organization",
                    a.owner_organization.as_deref(),
                    &format!("{af}.owner_organization"),
                );
                let addressees = imp.ids_of(
                    conn,
                    "organization",
                    &a.addressees,
                    &format!("{af}.addressees"),
                );
                resolved &= addressees.is_some();
                let mut replies = Vec::new();
                for (r, reply) in a.replies.iter().enumerate() {
                    let rf = format!("{af}.replies[{r}]");
                    let organization = imp.id_of(
                        conn,
                        "organization",
                        &reply.organization,
                        &format!("{rf}.organization"),
                    );
                    let by = imp.opt_id(
                        conn,
                        "person",
                        reply.answered_by.as_deref(),
                        &format!("{rf}.answered_by"),
                    );
                    let mut v = Validator::new();
                    let status = validation::choice::<ReplyStatus>(&mut v, "status", &reply.status);
                    let answered_at = reply
                        .answered_at
                        .as_deref()
                        .and_then(|t| instant(&mut v, "answered_at", t));
                    resolved &= imp.checked(&rf, &mut v);
                    match (organization, by, status) {
                        (Some(organization), Some(by), Some(status)) => replies.push((
                            rf,
                            organization,
                            status,
                            reply.answer.clone(),
                            answered_at,
                            by,
                        )),
                        _ => resolved = false,
                    }
                }
                all_replies.push(replies);
                let known = match imp.known(conn, "action_item", &a.key) {
                    Ok(known) => known.map(|(id, _)| id),
                    Err(e) => {
                        imp.fail(&af, e);
                        None
                    }
                };
                let mut v = Validator::new();
                let due_on = date(&mut v, "due_on", a.due_on.as_deref());
                let completion = match &a.completed_at {
                    Some(text) => happened(
                        &mut v,
                        "completed_at",
                        text,
                        "completion_recorded_at",
                        a.completion_recorded_at.as_deref(),
                    ),
                    None => None,
                };
                resolved &= imp.checked(&af, &mut v) && owner.is_some() && owner_org.is_some();
                section_completions.push(completion);
                action_keys.push(a.key.clone());
                actions.push(crate::routes::minutes::ActionInput {
                    id: known,
                    title: a.title.clone(),
                    description: a.description.clone(),
                    owner_person_id: owner.flatten(),
                    owner_organization_id: owner_org.flatten(),
                    due_on,
                    status: Some(a.status.clone().unwrap_or_else(|| "open".into())),
                    addressed_to_members: a.addressed_to_members,
                    addressee_organization_ids: addressees.unwrap_or_default(),
                });
            }
            resolved &= agenda_item.is_some();
            completions.push(section_completions);
            sections.push(crate::routes::minutes::SectionInput {
                agenda_item_id: agenda_item.flatten(),
                heading: s.heading.clone(),
                notes: s.notes.clone(),
                decisions: s.decisions.clone(),
                information_items,
                action_items: actions,
            });
        }
        let mut approvals = Vec::new();
        for (i, a) in self.approvals.iter().enumerate() {
            let field = format!("{at}.approvals[{i}]");
            let person = imp.id_of(conn, "person", &a.person, &format!("{field}.person"));
            let mut v = Validator::new();
            let when = happened(
                &mut v,
                "approved_at",
                &a.approved_at,
                "recorded_at",
                a.recorded_at.as_deref(),
            );
            if imp.checked(&field, &mut v)
                && let (Some(person), Some(when)) = (person, when)
            {
                approvals.push((person, when));
            } else {
                resolved = false;
            }
        }
        let mut amendments = Vec::new();
        for (i, a) in self.amendments.iter().enumerate() {
            let field = format!("{at}.amendments[{i}]");
            let by = imp.id_of(
                conn,
                "person",
                &a.changed_by,
                &format!("{field}.changed_by"),
            );
            let mut v = Validator::new();
            let reason = validation::text(&mut v, "reason", &a.reason, 1, 2000);
            let when = instant(&mut v, "changed_at", &a.changed_at);
            if imp.checked(&field, &mut v)
                && let (Some(by), Some(when)) = (by, when)
            {
                amendments.push((reason, by, when));
            } else {
                resolved = false;
            }
        }
        let key = self.meeting.clone();
        imp.book(conn, "minutes", &key, at, &print, &seen, |imp, conn| {
            let mut v = Validator::new();
            let status = validation::optional_choice(&mut v, "status", self.status.as_deref()).unwrap_or(MinutesStatus::Draft);
            let approval_due_on = date(&mut v, "approval_due_on", self.approval_due_on.as_deref());
            let submitted_at = self.submitted_at.as_deref().and_then(|t| instant(&mut v, "submitted_at", t));
            let visibility = validation::optional_choice(&mut v, "visibility", self.visibility.as_deref());
            let document_type = validation::optional_choice(&mut v, "document_type", self.document_type.as_deref());
            let mut content = crate::routes::minutes::content(&mut v, sections);
            if !imp.checked(at, &mut v) || !resolved {
                return Ok(None);
            }
            let (Some(meeting_id), Some(recorded_by), Some(approvers)) = (meeting_id, recorded_by, approvers) else {
                return Ok(None);
            };
            for (placed, given) in content.actions.iter_mut().flatten().zip(completions.into_iter().flatten()) {
                placed.completion = given;
            }
            let managed = imp.reach.manage(meeting::find(conn, &imp.reach, &meeting_id, true)?.meeting)?;
            let current = minutes::of_managed(conn, &managed)?;
            if let Some(m) = &current
                && m.status != MinutesStatus::Draft
            {
                // Minutes past the draft are fixed: the same minutes written again (an
                // export imported back) leave them as they are; anything else is an
                // amendment's business.
                let given = minutes::approvals(conn, &m.id)?;
                if m.status == status
                    && given.len() == approvals.len()
                    && document_type.is_none_or(|t| t == m.document_type)
                    && m.sections.0 == content.sections
                {
                    return Ok(Some(m.id.clone()));
                }
                imp.error(at, "these minutes are submitted or approved: change them by an amendment (PUT /meetings/{id}/minutes/amendments), not by an import");
                return Ok(None);
            }
            let header = DraftHeader { recorded_by, approvers, approval_due_on, visibility, document_type };
            if let Some(m) = &current
                && unchanged_draft(conn, m, &header, &content)?
            {
                return Ok(Some(m.id.clone()));
            }
            let (mut m, _) = minutes::save_draft(conn, &managed, current.as_ref(), &header, content)?;
            imp.wrote = true;
            let items = action_item::of_meeting(conn, &meeting_id)?;
            for (key, item) in action_keys.iter().zip(&items) {
                let fresh = imp.known(conn, "action_item", key)?.is_none();
                imp.remember(conn, "action_item", key, &item.id, "", fresh)?;
            }
            for (item, replies) in items.iter().zip(&all_replies) {
                for (field, organization, status, answer, answered_at, by) in replies {
                    let asked = crate::models::reply::of_items(conn, &[item.id.as_str()])?;
                    let Some(current) = asked.iter().find(|r| r.organization_id == *organization) else {
                        imp.error(format!("{field}.organization"), "is not one of the organizations the action item asks");
                        return Ok(None);
                    };
                    let answer = crate::models::reply::Answer { status: *status, answer: answer.clone() };
                    crate::models::reply::answered_earlier(conn, current, &answer, *answered_at, by.as_deref())?;
                }
            }
            if status != MinutesStatus::Draft {
                let first_approval = approvals.iter().map(|(_, (a, _))| *a).min();
                let at_submission = submitted_at.or(first_approval).unwrap_or_else(crate::db::now);
                m = minutes::submit(conn, &managed, &m, at_submission)?;
                for (i, (person, (approved_at, recorded_at))) in approvals.iter().enumerate() {
                    m = minutes::record_approval(conn, &managed, &m, person, *approved_at, (*recorded_at, imp.actor.user_id.as_deref()))
                        .map_err(|e| e.with_detail(format!("approvals[{i}]")))?;
                }
                if status == MinutesStatus::Approved && m.status != MinutesStatus::Approved {
                    imp.error(format!("{at}.approvals"), "approved minutes need an approval from each approver");
                    return Ok(None);
                }
            } else if !approvals.is_empty() {
                imp.error(format!("{at}.approvals"), "only submitted or approved minutes have approvals");
                return Ok(None);
            }
            for (reason, by, when) in &amendments {
                crate::models::amendment::record_amendment(conn, &m, reason, by, *when, &[])?;
            }
            Ok(Some(m.id))
        });
    }
}

/// Whether a draft already reads as `header` and `content` say (an export imported
/// back): then it is left as it is.
fn unchanged_draft(
    conn: &mut DbConnection,
    m: &minutes::Minutes,
    header: &DraftHeader,
    content: &minutes::Content,
) -> crate::error::ApiResult<bool> {
    if m.recorded_by.0 != header.recorded_by
        || m.approvers.0 != header.approvers
        || header
            .approval_due_on
            .is_some_and(|d| d != m.approval_due_on)
        || header.visibility.is_some_and(|v| v != m.visibility)
        || header.document_type.is_some_and(|t| t != m.document_type)
        || m.sections.0 != content.sections
    {
        return Ok(false);
    }
    let stored = action_item::of_meeting(conn, &m.meeting_id)?;
    let wanted: Vec<&action_item::PlacedAction> = content.actions.iter().flatten().collect();
    Ok(stored.len() == wanted.len()
        && stored.iter().zip(wanted).all(|(s, w)| {
            action_item::ActionFields::of(s) == w.fields
                && w.completion
                    .is_none_or(|(at, _)| s.completed_at == Some(at))
        }))
}
