//! Supervisory dialogues with their findings and follow-ups (by key), published on the
//! day they were.

use super::apply::{Seen, date, happened, keyed_items};
use super::format::DialogueRecord;
use super::import::{Importer, Record, fingerprint};
use crate::db::DbConnection;
use crate::error::Validator;
use crate::models::dialogue;
use crate::models::dialogue_parts::{FindingFields, Findings, FollowUpFields, FollowUps};
use crate::validation;

impl Record for DialogueRecord {
    fn apply(self, imp: &mut Importer, conn: &mut DbConnection, at: &str) {
        let print = fingerprint(&self);
        let Some(seen) = imp.seen(conn, "dialogue", &self.key, at, &print) else {
            return;
        };
        if let Seen::Same(id) = &seen {
            imp.book(conn, "dialogue", &self.key, at, &print, &seen, |_, _| {
                Ok(Some(id.clone()))
            });
            return;
        }
        let supervising = imp.id_of(
            conn,
            "organization",
            &self.supervising_organization,
            &format!("{at}.supervising_organization"),
        );
        let participants = imp.ids_of(
            conn,
            "organization",
            &self.participants,
            &format!("{at}.participants"),
        );
        let mut findings = Vec::new();
        let mut resolved = true;
        for (i, f) in self.findings.iter().enumerate() {
            let field = format!("{at}.findings[{i}]");
            resolved &= imp.claim("finding", &f.key, &format!("{field}.key"));
            let mut v = Validator::new();
            let fields = FindingFields {
                category: validation::optional_text(&mut v, "category", f.category.as_deref(), 100),
                text: validation::text(&mut v, "text", &f.text, 1, 5000),
            };
            resolved &= imp.checked(&field, &mut v);
            findings.push((f.key.clone(), fields.clone(), fields));
        }
        let mut follow_ups = Vec::new();
        for (i, f) in self.follow_ups.iter().enumerate() {
            let field = format!("{at}.follow_ups[{i}]");
            resolved &= imp.claim("follow_up", &f.key, &format!("{field}.key"));
            let org = imp.opt_id(
                conn,
                "organization",
                f.responsible_organization.as_deref(),
                &format!("{field}.responsible_organization"),
            );
            let mut v = Validator::new();
            let description = validation::text(&mut v, "description", &f.description, 1, 5000);
            let due_on = date(&mut v, "due_on", f.due_on.as_deref());
            let status = validation::optional_choice(&mut v, "status", f.status.as_deref())
                .unwrap_or(crate::models::dialogue_parts::FollowUpStatus::Open);
            resolved &= imp.checked(&field, &mut v);
            if let Some(responsible_organization_id) = org {
                let fields = FollowUpFields {
                    description,
                    responsible_organization_id,
                    due_on,
                    status,
                };
                follow_ups.push((f.key.clone(), fields.clone(), fields));
            } else {
                resolved = false;
            }
        }
        let key = self.key.clone();
        imp.book(conn, "dialogue", &key, at, &print, &seen, |imp, conn| {
            let mut v = Validator::new();
            let mut fields = dialogue::DialogueFields {
                title: self.title,
                supervision_name: self.supervision_name,
                period_start: date(&mut v, "period_start", self.period_start.as_deref()),
                period_end: date(&mut v, "period_end", self.period_end.as_deref()),
                held_on: date(&mut v, "held_on", self.held_on.as_deref()),
                mode: validation::optional_choice(&mut v, "mode", self.mode.as_deref()),
                focus_questions: crate::db::json_text::JsonText(self.focus_questions),
                lessons_learned: crate::db::json_text::JsonText(self.lessons_learned),
                recommendations: crate::db::json_text::JsonText(self.recommendations),
                status: validation::optional_choice(&mut v, "status", self.status.as_deref())
                    .unwrap_or(dialogue::DialogueStatus::Planned),
                visibility: validation::optional_choice(
                    &mut v,
                    "visibility",
                    self.visibility.as_deref(),
                )
                .unwrap_or(crate::policy::Visibility::Restricted),
                search: String::new(),
            };
            let published = self.published_at.as_deref().and_then(|text| {
                happened(
                    &mut v,
                    "published_at",
                    text,
                    "publication_recorded_at",
                    self.publication_recorded_at.as_deref(),
                )
            });
            let orgs = crate::routes::dialogues::check(
                &mut v,
                &mut fields,
                participants.as_deref().unwrap_or_default(),
            );
            if !imp.checked(at, &mut v) || !resolved {
                return Ok(None);
            }
            let (Some(supervising), Some(_)) = (supervising, participants) else {
                return Ok(None);
            };
            let (row, existing_findings, existing_follow_ups) = match &seen {
                Seen::Changed(id) => {
                    let current = imp
                        .reach
                        .manage(dialogue::find(conn, &imp.reach, id, true)?)?;
                    let (f, u) = crate::models::dialogue_parts::ids_of(conn, id)?;
                    let mut stored = dialogue::DialogueFields::of(&current);
                    stored.search.clone_from(&fields.search);
                    let mut had = dialogue::participants(conn, id)?;
                    let mut wanted = orgs.clone();
                    had.sort();
                    wanted.sort();
                    if stored == fields && had == wanted {
                        ((*current).clone(), f, u)
                    } else {
                        imp.wrote = true;
                        (dialogue::update(conn, &current, &orgs, fields)?, f, u)
                    }
                }
                _ => {
                    dialogue::check_supervisor(conn, &supervising)?;
                    (
                        dialogue::create(conn, &supervising, &orgs, fields)?,
                        Vec::new(),
                        Vec::new(),
                    )
                }
            };
            keyed_items::<Findings>(
                imp,
                conn,
                "finding",
                &row.id,
                &existing_findings,
                findings,
                |f| f.id.clone(),
                |f, change| f.category == change.category && f.text == change.text,
            )?;
            let managed = keyed_items::<FollowUps>(
                imp,
                conn,
                "follow_up",
                &row.id,
                &existing_follow_ups,
                follow_ups,
                |f| f.id.clone(),
                |f, change| {
                    f.description == change.description
                        && f.responsible_organization_id == change.responsible_organization_id
                        && f.due_on == change.due_on
                        && f.status == change.status
                },
            )?;
            if let Some((at_time, recorded_at)) = published
                && managed.published_at != Some(at_time)
            {
                dialogue::publish(conn, &managed, at_time, Some(recorded_at))?;
                imp.wrote = true;
            }
            Ok(Some(managed.id.clone()))
        });
    }
}
