//! The section of meetings, with their agendas and attendees.

use std::io::Write;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::scope::{AGENDA_ITEM, MEETING, NETWORK, ORGANIZATION, PERSON, SERIES, Scope, pages};
use super::values::meeting_times;
use super::{SectionWriter, by_parent, ids, in_order};
use crate::bundle::format::{AgendaRecord, AttendeeRecord, MeetingRecord};
use crate::db::DbConnection;
use crate::db::json_text::JsonText;
use crate::db::schema::{agenda_items, attendees, import_keys, meetings};
use crate::error::ApiResult;

#[derive(Queryable, Selectable)]
#[diesel(table_name = meetings)]
struct MeetingRow {
    id: String,
    network_id: Option<String>,
    series_id: Option<String>,
    organizer_organization_id: Option<String>,
    title: String,
    kind: String,
    description: Option<String>,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    time_zone: String,
    mode: String,
    location: Option<String>,
    online_url: Option<String>,
    status: String,
    visibility: String,
    time_unspecified: bool,
    co_host_network_ids: JsonText<Vec<String>>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = agenda_items)]
struct AgendaRow {
    id: String,
    meeting_id: String,
    title: String,
    description: Option<String>,
    presenter_person_id: Option<String>,
    duration_minutes: Option<i32>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = attendees)]
struct AttendeeRow {
    meeting_id: String,
    person_id: String,
    organization_id: Option<String>,
    role: String,
    attendance: String,
}

pub(super) fn meetings_section(
    conn: &mut DbConnection,
    scope: &Scope,
    out: &mut dyn Write,
) -> ApiResult<()> {
    let mut section = SectionWriter::new(out, "meetings");
    pages(conn, scope, &MEETING, |conn, page| {
        let page_ids = ids(&page);
        let rows: Vec<MeetingRow> = meetings::table
            .filter(meetings::id.eq_any(&page_ids))
            .select(MeetingRow::as_select())
            .load(conn)?;
        let agenda: Vec<(AgendaRow, Option<String>)> = agenda_items::table
            .left_join(
                import_keys::table.on(import_keys::kind
                    .eq(AGENDA_ITEM.kind)
                    .and(import_keys::resource_id.eq(agenda_items::id))),
            )
            .filter(agenda_items::meeting_id.eq_any(&page_ids))
            .order((
                agenda_items::meeting_id,
                agenda_items::position,
                agenda_items::id,
            ))
            .select((AgendaRow::as_select(), import_keys::bundle_key.nullable()))
            .load(conn)?;
        let attendance: Vec<AttendeeRow> = attendees::table
            .filter(attendees::meeting_id.eq_any(&page_ids))
            .select(AttendeeRow::as_select())
            .load(conn)?;
        let nets = scope.keys(
            conn,
            &NETWORK,
            rows.iter()
                .filter_map(|r| r.network_id.as_ref())
                .chain(rows.iter().flat_map(|r| r.co_host_network_ids.iter())),
        )?;
        let series = scope.keys(
            conn,
            &SERIES,
            rows.iter().filter_map(|r| r.series_id.as_ref()),
        )?;
        let orgs = scope.keys(
            conn,
            &ORGANIZATION,
            rows.iter()
                .filter_map(|r| r.organizer_organization_id.as_ref())
                .chain(attendance.iter().filter_map(|a| a.organization_id.as_ref())),
        )?;
        let persons = scope.keys(
            conn,
            &PERSON,
            agenda
                .iter()
                .filter_map(|(a, _)| a.presenter_person_id.as_ref())
                .chain(attendance.iter().map(|a| &a.person_id)),
        )?;
        let mut agenda = by_parent(agenda, |(a, _)| &a.meeting_id);
        let mut attendance = by_parent(attendance, |a| &a.meeting_id);
        for (key, r) in in_order(page, rows, |r| &r.id) {
            let agenda = agenda
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|(a, bundle_key)| AgendaRecord {
                    key: bundle_key.unwrap_or(a.id),
                    title: a.title,
                    description: a.description,
                    presenter: persons.of(a.presenter_person_id.as_ref()),
                    duration_minutes: a.duration_minutes,
                })
                .collect();
            let mut attendee_records: Vec<AttendeeRecord> = attendance
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|a| {
                    Some(AttendeeRecord {
                        person: persons.get(&a.person_id)?,
                        organization: orgs.of(a.organization_id.as_ref()),
                        role: Some(a.role),
                        attendance: Some(a.attendance),
                    })
                })
                .collect();
            attendee_records.sort_by(|a, b| {
                (&a.person, &a.organization, &a.role, &a.attendance).cmp(&(
                    &b.person,
                    &b.organization,
                    &b.role,
                    &b.attendance,
                ))
            });
            let (starts_at, ends_at) =
                meeting_times(r.starts_at, r.ends_at, &r.time_zone, r.time_unspecified);
            section.push(&MeetingRecord {
                key,
                network: nets.of(r.network_id.as_ref()),
                // A co-host outside the export's scope is not in the bundle to name.
                co_hosts: r
                    .co_host_network_ids
                    .iter()
                    .filter_map(|n| nets.get(n))
                    .collect(),
                series: series.of(r.series_id.as_ref()),
                organizer_organization: orgs.of(r.organizer_organization_id.as_ref()),
                title: r.title,
                kind: Some(r.kind),
                description: r.description,
                starts_at,
                ends_at,
                time_zone: Some(r.time_zone),
                mode: Some(r.mode),
                location: r.location,
                online_url: r.online_url,
                status: Some(r.status),
                visibility: Some(r.visibility),
                agenda,
                attendees: attendee_records,
            })?;
        }
        Ok(())
    })?;
    section.finish()
}
