//! Meetings with their agenda (by key) and attendees.

use super::apply::{Seen, keyed_items};
use super::format::MeetingRecord;
use super::import::{Importer, Record, fingerprint};
use crate::db::DbConnection;
use crate::error::Validator;
use crate::models::agenda::{Agenda, AgendaChange, AgendaFields, NewAgendaItem};
use crate::models::attendee::AttendeeFields;
use crate::models::meeting::{Attendance, AttendeeRole};
use crate::models::{attendee, meeting, network};
use crate::validation;

impl Record for MeetingRecord {
    fn apply(self, imp: &mut Importer, conn: &mut DbConnection, at: &str) {
        let print = fingerprint(&self);
        let Some(seen) = imp.seen(conn, "meeting", &self.key, at, &print) else {
            return;
        };
        if let Seen::Same(id) = &seen {
            imp.book(conn, "meeting", &self.key, at, &print, &seen, |_, _| {
                Ok(Some(id.clone()))
            });
            return;
        }
        let network = imp.opt_id(
            conn,
            "network",
            self.network.as_deref(),
            &format!("{at}.network"),
        );
        let co_hosts: Vec<Option<String>> = self
            .co_hosts
            .iter()
            .enumerate()
            .map(|(i, key)| imp.id_of(conn, "network", key, &format!("{at}.co_hosts[{i}]")))
            .collect();
        let series = imp.opt_id(
            conn,
            "series",
            self.series.as_deref(),
            &format!("{at}.series"),
        );
        let organizer = imp.opt_id(
            conn,
            "organization",
            self.organizer_organization.as_deref(),
            &format!("{at}.organizer_organization"),
        );
        let mut agenda = Vec::new();
        for (i, item) in self.agenda.iter().enumerate() {
            let field = format!("{at}.agenda[{i}]");
            let fresh = imp.claim("agenda_item", &item.key, &format!("{field}.key"));
            let presenter = imp.opt_id(
                conn,
                "person",
                item.presenter.as_deref(),
                &format!("{field}.presenter"),
            );
            let mut v = Validator::new();
            let fields = AgendaFields {
                title: validation::text(&mut v, "title", &item.title, 1, 300),
                description: validation::optional_text(
                    &mut v,
                    "description",
                    item.description.as_deref(),
                    10_000,
                ),
                presenter_person_id: presenter.clone().flatten(),
                duration_minutes: item.duration_minutes,
                theme_id: None,
            };
            if let Some(d) = item.duration_minutes {
                v.check(
                    (1..=1440).contains(&d),
                    "duration_minutes",
                    "must be between 1 and 1440",
                );
            }
            if imp.checked(&field, &mut v) && fresh && presenter.is_some() {
                agenda.push((item.key.clone(), fields));
            }
        }
        let mut attendees = Vec::new();
        for (i, a) in self.attendees.iter().enumerate() {
            let field = format!("{at}.attendees[{i}]");
            let person = imp.id_of(conn, "person", &a.person, &format!("{field}.person"));
            let org = imp.opt_id(
                conn,
                "organization",
                a.organization.as_deref(),
                &format!("{field}.organization"),
            );
            let mut v = Validator::new();
            let role = validation::optional_choice(&mut v, "role", a.role.as_deref())
                .unwrap_or(AttendeeRole::Participant);
            let attendance =
                validation::optional_choice(&mut v, "attendance", a.attendance.as_deref())
                    .unwrap_or(Attendance::Invited);
            if imp.checked(&field, &mut v)
                && let (Some(person_id), Some(organization_id)) = (person, org)
            {
                attendees.push(AttendeeFields {
                    person_id,
                    organization_id,
                    role,
                    attendance,
                });
            }
        }
        let key = self.key.clone();
        let agenda_count = self.agenda.len();
        let agenda_keys: Vec<String> = self.agenda.iter().map(|a| a.key.clone()).collect();
        let booked = imp.book(conn, "meeting", &key, at, &print, &seen, |imp, conn| {
            let input = crate::routes::meetings::CreateMeeting {
                network_id: network.clone().flatten(),
                series_id: series.clone().flatten(),
                organizer_organization_id: organizer.clone().flatten(),
                title: self.title,
                kind: self.kind,
                description: self.description,
                starts_at: self.starts_at,
                ends_at: self.ends_at,
                time_zone: self.time_zone,
                mode: self.mode,
                location: self.location,
                online_url: self.online_url,
                status: self.status,
                visibility: self.visibility,
                co_host_network_ids: co_hosts.iter().flatten().cloned().collect(),
            };
            let mut v = Validator::new();
            let fields = crate::routes::meetings::new_fields(&mut v, input);
            if !imp.checked(at, &mut v)
                || network.is_none()
                || series.is_none()
                || organizer.is_none()
                || co_hosts.iter().any(Option::is_none)
            {
                return Ok(None);
            }
            let Some((mut fields, visibility_given)) = fields else {
                return Ok(None);
            };
            if agenda.len() != agenda_count {
                return Ok(None);
            }
            let net = match &fields.network_id {
                Some(id) => Some(network::find(conn, &imp.reach, id, true)?),
                None => None,
            };
            crate::routes::meetings::complete(&mut fields, visibility_given, net.as_ref(), None);
            crate::routes::meetings::check_co_hosts(conn, &imp.reach, &fields, &[], "co_hosts")?;
            if let Some(series_id) = &fields.series_id {
                crate::routes::meetings::check_series(
                    conn,
                    &imp.reach,
                    series_id,
                    fields.network_id.as_deref(),
                )?;
            }
            let (row, existing) = match &seen {
                Seen::Changed(id) => {
                    let current = imp
                        .reach
                        .manage(meeting::find(conn, &imp.reach, id, true)?.meeting)?;
                    let existing = crate::models::agenda::ids_of(conn, id)?;
                    let mut stored = meeting::MeetingFields::of(&current);
                    stored.search.clone_from(&fields.search);
                    if stored == fields {
                        ((*current).clone(), existing)
                    } else {
                        imp.wrote = true;
                        (meeting::update(conn, &current, fields)?, existing)
                    }
                }
                _ => {
                    if let Some(series_id) = fields.series_id.clone() {
                        crate::models::planning::make_room(conn, &series_id, &fields)?;
                    }
                    (meeting::create(conn, fields)?, Vec::new())
                }
            };
            if matches!(seen, Seen::New) {
                // A new meeting: its agenda in one go, its attendees as listed.
                let managed = imp.reach.manage(row)?;
                let (keys, fields): (Vec<String>, Vec<AgendaFields>) = agenda.into_iter().unzip();
                let ids = crate::models::agenda::add_all(conn, &managed, fields)?;
                for (key, id) in keys.iter().zip(&ids) {
                    imp.remember(conn, "agenda_item", key, id, "", false)?;
                }
                if !attendees.is_empty() {
                    let managed = imp
                        .reach
                        .manage(meeting::find(conn, &imp.reach, &managed.id, true)?.meeting)?;
                    attendee::set_all(conn, &managed, &attendees)?;
                }
                return Ok(Some(managed.id.clone()));
            }
            let items = agenda
                .into_iter()
                .enumerate()
                .map(|(i, (key, fields))| {
                    let position = Some(i32::try_from(i + 1).unwrap_or(i32::MAX));
                    let new = NewAgendaItem {
                        position: None,
                        fields: fields.clone(),
                    };
                    (key, new, AgendaChange { position, fields })
                })
                .collect();
            let managed = keyed_items::<Agenda>(
                imp,
                conn,
                "agenda_item",
                &row.id,
                &existing,
                items,
                |a| a.id.clone(),
                |a, change| {
                    change.position == Some(a.position)
                        && change.fields
                            == AgendaFields {
                                title: a.title.clone(),
                                description: a.description.clone(),
                                presenter_person_id: a.presenter_person_id.clone(),
                                duration_minutes: a.duration_minutes,
                                theme_id: a.theme_id.clone(),
                            }
                },
            )?;
            let stored: Vec<AttendeeFields> = attendee::of_meeting(conn, &managed.id)?
                .into_iter()
                .map(|a| AttendeeFields {
                    person_id: a.row.person_id,
                    organization_id: a.row.organization_id,
                    role: a.row.role,
                    attendance: a.row.attendance,
                })
                .collect();
            let same_attendees = stored.len() == attendees.len()
                && attendees.iter().all(|a| {
                    stored.iter().any(|s| {
                        s.person_id == a.person_id
                            && s.role == a.role
                            && s.attendance == a.attendance
                            && (a.organization_id.is_none()
                                || s.organization_id == a.organization_id)
                    })
                });
            if !same_attendees {
                attendee::set_all(conn, &managed, &attendees)?;
                imp.wrote = true;
            }
            Ok(Some(managed.id.clone()))
        });
        if booked.is_none() {
            for key in &agenda_keys {
                imp.mark_failed("agenda_item", key);
            }
        }
    }
}
