//! The sections of networks (with their members and participants) and of series (with
//! their timelines).

use std::io::Write;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::scope::{NETWORK, ORGANIZATION, PERSON, SERIES, Scope, pages};
use super::values::{day, instant};
use super::{SectionWriter, by_parent, ids, in_order};
use crate::bundle::format::{
    MemberRecord, NetworkRecord, ParticipantRecord, SeriesRecord, TimelineRecord,
};
use crate::db::DbConnection;
use crate::db::json_text::JsonText;
use crate::db::schema::{
    meeting_series, network_members, network_participants, networks, series_timeline,
};
use crate::error::ApiResult;

#[derive(Queryable, Selectable)]
#[diesel(table_name = networks)]
struct NetworkRow {
    id: String,
    name: String,
    description: Option<String>,
    owner_organization_id: String,
    status: String,
    focus_areas: JsonText<Vec<String>>,
    cadence: Option<String>,
    visibility: String,
    contact_person_id: Option<String>,
    started_on: Option<NaiveDate>,
    ended_on: Option<NaiveDate>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = network_members)]
struct MemberRow {
    network_id: String,
    organization_id: String,
    joined_on: Option<NaiveDate>,
    left_on: Option<NaiveDate>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = network_participants)]
struct ParticipantRow {
    network_id: String,
    person_id: String,
    role: String,
    on_behalf_of_organization_id: Option<String>,
}

pub(super) fn networks_section(
    conn: &mut DbConnection,
    scope: &Scope,
    out: &mut dyn Write,
) -> ApiResult<()> {
    let mut section = SectionWriter::new(out, "networks");
    pages(conn, scope, &NETWORK, |conn, page| {
        let page_ids = ids(&page);
        let rows: Vec<NetworkRow> = networks::table
            .filter(networks::id.eq_any(&page_ids))
            .select(NetworkRow::as_select())
            .load(conn)?;
        let members: Vec<MemberRow> = network_members::table
            .filter(network_members::network_id.eq_any(&page_ids))
            .select(MemberRow::as_select())
            .load(conn)?;
        let participants: Vec<ParticipantRow> = network_participants::table
            .filter(network_participants::network_id.eq_any(&page_ids))
            .select(ParticipantRow::as_select())
            .load(conn)?;
        let orgs = scope.keys(
            conn,
            &ORGANIZATION,
            rows.iter()
                .map(|r| &r.owner_organization_id)
                .chain(members.iter().map(|m| &m.organization_id))
                .chain(
                    participants
                        .iter()
                        .filter_map(|p| p.on_behalf_of_organization_id.as_ref()),
                ),
        )?;
        let persons = scope.keys(
            conn,
            &PERSON,
            rows.iter()
                .filter_map(|r| r.contact_person_id.as_ref())
                .chain(participants.iter().map(|p| &p.person_id)),
        )?;
        let mut members = by_parent(members, |m| &m.network_id);
        let mut participants = by_parent(participants, |p| &p.network_id);
        for (key, r) in in_order(page, rows, |r| &r.id) {
            let Some(owner) = orgs.get(&r.owner_organization_id) else {
                continue;
            };
            let mut member_records: Vec<MemberRecord> = members
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|m| {
                    Some(MemberRecord {
                        organization: orgs.get(&m.organization_id)?,
                        joined_on: m.joined_on.map(day),
                        left_on: m.left_on.map(day),
                    })
                })
                .collect();
            member_records.sort_by(|a, b| {
                (&a.organization, &a.joined_on, &a.left_on).cmp(&(
                    &b.organization,
                    &b.joined_on,
                    &b.left_on,
                ))
            });
            let mut participant_records: Vec<ParticipantRecord> = participants
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| {
                    Some(ParticipantRecord {
                        person: persons.get(&p.person_id)?,
                        role: Some(p.role),
                        on_behalf_of_organization: orgs.of(p.on_behalf_of_organization_id.as_ref()),
                    })
                })
                .collect();
            participant_records.sort_by(|a, b| {
                (&a.person, &a.role, &a.on_behalf_of_organization).cmp(&(
                    &b.person,
                    &b.role,
                    &b.on_behalf_of_organization,
                ))
            });
            section.push(&NetworkRecord {
                key,
                name: r.name,
                description: r.description,
                owner_organization: owner,
                status: Some(r.status),
                focus_areas: r.focus_areas.into_inner(),
                cadence: r.cadence,
                visibility: Some(r.visibility),
                contact_person: persons.of(r.contact_person_id.as_ref()),
                started_on: r.started_on.map(day),
                ended_on: r.ended_on.map(day),
                members: member_records,
                participants: participant_records,
            })?;
        }
        Ok(())
    })?;
    section.finish()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = meeting_series)]
struct SeriesRow {
    id: String,
    network_id: String,
    title: String,
    weekday: String,
    start_time: String,
    duration_minutes: i32,
    time_zone: String,
    kind: String,
    mode: String,
    location: Option<String>,
    online_url: Option<String>,
    visibility: String,
    time_unspecified: bool,
    skip_holidays: bool,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = series_timeline)]
struct TimelineRow {
    series_id: String,
    on_date: NaiveDate,
    kind: String,
    frequency: Option<String>,
    reason: Option<String>,
    note: Option<String>,
    approximate: bool,
    recorded_at: NaiveDateTime,
}

pub(super) fn series_section(
    conn: &mut DbConnection,
    scope: &Scope,
    out: &mut dyn Write,
) -> ApiResult<()> {
    let mut section = SectionWriter::new(out, "series");
    pages(conn, scope, &SERIES, |conn, page| {
        let page_ids = ids(&page);
        let rows: Vec<SeriesRow> = meeting_series::table
            .filter(meeting_series::id.eq_any(&page_ids))
            .select(SeriesRow::as_select())
            .load(conn)?;
        let entries: Vec<TimelineRow> = series_timeline::table
            .filter(series_timeline::series_id.eq_any(&page_ids))
            .order((series_timeline::series_id, series_timeline::position))
            .select(TimelineRow::as_select())
            .load(conn)?;
        let nets = scope.keys(conn, &NETWORK, rows.iter().map(|r| &r.network_id))?;
        let mut entries = by_parent(entries, |e| &e.series_id);
        for (key, r) in in_order(page, rows, |r| &r.id) {
            let Some(network) = nets.get(&r.network_id) else {
                continue;
            };
            let timeline = entries
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|e| TimelineRecord {
                    on: day(e.on_date),
                    kind: e.kind,
                    frequency: e.frequency,
                    reason: e.reason,
                    note: e.note,
                    approximate: e.approximate,
                    recorded_at: Some(instant(e.recorded_at)),
                })
                .collect();
            section.push(&SeriesRecord {
                key,
                network,
                title: r.title,
                weekday: r.weekday,
                start_time: (!r.time_unspecified).then_some(r.start_time),
                duration_minutes: Some(r.duration_minutes),
                time_zone: Some(r.time_zone),
                kind: Some(r.kind),
                mode: Some(r.mode),
                location: r.location,
                online_url: r.online_url,
                visibility: Some(r.visibility),
                skip_holidays: Some(r.skip_holidays),
                timeline,
            })?;
        }
        Ok(())
    })?;
    section.finish()
}
