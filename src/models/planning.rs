//! Planning a series' meetings from its timeline: the days it meets (none while paused,
//! after its end or on a Swedish public holiday), and the meetings that make them real —
//! held in the past, planned ahead — kept in step when the timeline changes.

use chrono::{NaiveDate, NaiveTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::{meeting_series, meetings};
use crate::db::{DbConnection, now};
use crate::error::ApiResult;
use crate::models::meeting::{self, MeetingFields, MeetingStatus};
use crate::models::recurrence::{self, Occurrence};
use crate::models::series::{HORIZON_DAYS, Series, SeriesFields, SeriesStatus};
use crate::models::timeline::{self, Entry};
use crate::times::instant;

/// The days of the series' schedule from its first day to eight weeks from `today`,
/// holidays included (as such).
pub fn schedule(
    conn: &mut DbConnection,
    series: &Series,
    today: NaiveDate,
) -> ApiResult<Vec<Occurrence>> {
    let entries = timeline::entries(conn, &series.id)?;
    let changes: Vec<_> = entries.iter().map(Entry::change).collect();
    Ok(recurrence::schedule(
        series.weekday,
        &changes,
        series.ends_on,
        series.skip_holidays,
        series.starts_on,
        today + TimeDelta::days(HORIZON_DAYS),
    ))
}

/// What planning changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Planned {
    pub created: usize,
    pub cancelled: usize,
    pub restored: usize,
    pub removed: usize,
}

/// Brings the series' meetings in line with its schedule: a meeting on every day it
/// meets (held if past, planned if ahead; none where a meeting already is that day,
/// entered or attached by hand); ahead, planned meetings it no longer meets on are
/// cancelled and cancelled ones it meets on again planned; in the past, meetings it
/// generated that nobody changed and that the corrected timeline no longer has are
/// removed. Entered and changed meetings are left alone. Running it again changes
/// nothing.
pub fn plan(conn: &mut DbConnection, series: &Series, today: NaiveDate) -> ApiResult<Planned> {
    let mut planned = Planned::default();
    if series.deleted_at.is_some() {
        return Ok(planned);
    }
    let fields = SeriesFields::of(series);
    let tz = fields.time_zone;
    let wanted: std::collections::BTreeSet<NaiveDate> = schedule(conn, series, today)?
        .into_iter()
        .filter_map(|o| match o {
            Occurrence::Meeting(day) => Some(day),
            Occurrence::Holiday(..) => None,
        })
        .collect();
    let existing = of_series(conn, &series.id)?;
    let day_of = |m: &meeting::Meeting| crate::times::local(m.starts_at, &m.time_zone).date_naive();
    let at = now();
    for m in &existing {
        let day = day_of(m);
        let ahead = m.starts_at >= at;
        if !m.generated_by_series {
            continue;
        }
        if ahead && m.status == MeetingStatus::Planned && !wanted.contains(&day) {
            set_status_for_series(conn, &m.id, MeetingStatus::Cancelled)?;
            planned.cancelled += 1;
        } else if ahead && m.status == MeetingStatus::Cancelled && wanted.contains(&day) {
            set_status_for_series(conn, &m.id, MeetingStatus::Planned)?;
            planned.restored += 1;
        } else if !ahead
            && m.status == MeetingStatus::Held
            && m.version == 1
            && !wanted.contains(&day)
        {
            remove_for_series(conn, &m.id)?;
            planned.removed += 1;
        }
    }
    let taken: std::collections::HashSet<NaiveDate> = existing.iter().map(day_of).collect();
    let network = crate::models::network::find_unchecked(conn, &series.network_id)?;
    for day in wanted.difference(&taken.into_iter().collect()) {
        let (starts_at, ends_at) = match fields.start_time {
            Some(time) => {
                let start = instant(tz, *day, time);
                (
                    start,
                    start + TimeDelta::minutes(i64::from(series.duration_minutes)),
                )
            }
            None => (
                instant(tz, *day, NaiveTime::MIN),
                instant(tz, *day + TimeDelta::days(1), NaiveTime::MIN),
            ),
        };
        let status = if ends_at <= at {
            MeetingStatus::Held
        } else {
            MeetingStatus::Planned
        };
        let meeting = MeetingFields {
            network_id: Some(series.network_id.clone()),
            series_id: Some(series.id.clone()),
            organizer_organization_id: Some(network.owner_organization_id.clone()),
            title: series.title.clone(),
            kind: fields.kind,
            description: None,
            starts_at,
            ends_at,
            time_zone: series.time_zone.clone(),
            mode: fields.mode,
            location: series.location.clone(),
            online_url: series.online_url.clone(),
            status,
            visibility: fields.visibility,
            time_unspecified: fields.start_time.is_none(),
            co_host_network_ids: Default::default(),
            search: String::new(),
        };
        meeting::create_for_series(conn, meeting)?;
        planned.created += 1;
    }
    Ok(planned)
}

/// Plans every active series (run hourly by the server); returns how many meetings it
/// created.
pub fn plan_all(conn: &mut DbConnection, today: NaiveDate) -> ApiResult<usize> {
    let all: Vec<Series> = meeting_series::table
        .filter(meeting_series::deleted_at.is_null())
        .filter(meeting_series::status.eq(SeriesStatus::Active))
        .select(Series::as_select())
        .load(conn)?;
    let mut created = 0;
    for series in &all {
        created += plan(conn, series, today)?.created;
    }
    Ok(created)
}

/// Makes room for a meeting entered for a series on a day the series planned one
/// itself: the planned one goes if nobody changed it (else both stay, and the 422 of a
/// later check or the people who changed it decide).
pub fn make_room(
    conn: &mut DbConnection,
    series_id: &str,
    fields: &MeetingFields,
) -> ApiResult<()> {
    let day = crate::times::local(fields.starts_at, &fields.time_zone).date_naive();
    for m in of_series(conn, series_id)? {
        if m.generated_by_series
            && m.version == 1
            && crate::times::local(m.starts_at, &m.time_zone).date_naive() == day
        {
            remove_for_series(conn, &m.id)?;
        }
    }
    Ok(())
}

/// The live meetings of a series, oldest first: what re-planning compares with the
/// series' schedule.
fn of_series(conn: &mut DbConnection, series_id: &str) -> ApiResult<Vec<meeting::Meeting>> {
    Ok(meetings::table
        .filter(meetings::series_id.eq(series_id))
        .filter(meetings::deleted_at.is_null())
        .order(meetings::starts_at.asc())
        .select(meeting::Meeting::as_select())
        .load(conn)?)
}

/// Sets the status of a meeting on behalf of its series (a pause cancels what it
/// planned, a resumption plans it again), moving its version for sync clients.
fn set_status_for_series(
    conn: &mut DbConnection,
    id: &str,
    status: MeetingStatus,
) -> ApiResult<()> {
    diesel::update(meetings::table.find(id))
        .set((
            meetings::status.eq(status),
            meetings::version.eq(meetings::version + 1),
            meetings::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes a past meeting its series planned from a timeline that has since been
/// corrected (sync clients see a tombstone).
fn remove_for_series(conn: &mut DbConnection, id: &str) -> ApiResult<()> {
    let at = now();
    diesel::update(meetings::table.find(id))
        .set((
            meetings::deleted_at.eq(Some(at)),
            meetings::version.eq(meetings::version + 1),
            meetings::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
