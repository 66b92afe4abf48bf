//! A series' timeline: when it started and at what frequency, when the frequency
//! changed, when it paused (and why), resumed and ended, each on the day it happened,
//! with when the entry was made. The series row keeps the state the timeline leads to
//! (status, reason, current frequency, first day), and its meetings are planned from it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::series_timeline;
use crate::error::{ApiError, ApiResult};
use crate::models::recurrence::{self, Change, Frequency, TimelineKind};

/// A timeline entry as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = series_timeline)]
pub struct Entry {
    pub series_id: String,
    pub position: i32,
    pub on_date: NaiveDate,
    pub kind: TimelineKind,
    pub frequency: Option<Frequency>,
    pub reason: Option<String>,
    pub note: Option<String>,
    /// The source gives a period, not the day: `on_date` is the period's first day.
    pub approximate: bool,
    /// When the entry was made.
    pub recorded_at: NaiveDateTime,
    /// Who made it (a user), when someone did.
    pub recorded_by: Option<String>,
}

impl Entry {
    /// What the schedule needs of it.
    pub fn change(&self) -> Change {
        Change {
            on: self.on_date,
            kind: self.kind,
            frequency: self.frequency,
        }
    }
}

/// A new entry, validated but not yet placed.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub on: NaiveDate,
    pub kind: TimelineKind,
    pub frequency: Option<Frequency>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub approximate: bool,
    pub recorded_at: NaiveDateTime,
    pub recorded_by: Option<String>,
}

/// The state a timeline leads to: the series' status, the reason of a pause, its
/// current frequency and its first day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub status: crate::models::series::SeriesStatus,
    pub status_reason: Option<String>,
    pub frequency: Frequency,
    pub starts_on: NaiveDate,
}

/// The entries of a series, oldest first.
pub fn entries(conn: &mut DbConnection, series_id: &str) -> ApiResult<Vec<Entry>> {
    Ok(series_timeline::table
        .filter(series_timeline::series_id.eq(series_id))
        .order(series_timeline::position.asc())
        .select(Entry::as_select())
        .load(conn)?)
}

/// The day an event without a date of its own happens on: today, or the day of the
/// timeline's last entry when that is later (a series that starts next week is paused
/// from its first day).
pub fn default_day(
    conn: &mut DbConnection,
    series_id: &str,
    today: NaiveDate,
) -> ApiResult<NaiveDate> {
    let entries = entries(conn, series_id)?;
    Ok(entries.last().map_or(today, |e| e.on_date.max(today)))
}

/// Places `new` among `entries` by its day (after the entries of the same day), checks
/// that the story is possible, and returns the timeline it makes; a 422 names the field
/// of `new` at fault, or `timeline[i]` for an entry it makes impossible.
pub fn with_entry(series_id: &str, entries: &[Entry], new: NewEntry) -> ApiResult<Vec<Entry>> {
    let at = entries.partition_point(|e| e.on_date <= new.on);
    let mut all: Vec<Entry> = entries.to_vec();
    all.insert(
        at,
        Entry {
            series_id: series_id.to_string(),
            position: 0,
            on_date: new.on,
            kind: new.kind,
            frequency: new.frequency,
            reason: new.reason,
            note: new.note,
            approximate: new.approximate,
            recorded_at: new.recorded_at,
            recorded_by: new.recorded_by,
        },
    );
    check(&all, |i| {
        if i == at {
            "kind".to_string()
        } else {
            format!("timeline[{i}]")
        }
    })?;
    Ok(all)
}

/// Checks a whole timeline; `field` names the entry at fault in the 422.
pub fn check(entries: &[Entry], field: impl Fn(usize) -> String) -> ApiResult<()> {
    let changes: Vec<Change> = entries.iter().map(Entry::change).collect();
    recurrence::check_timeline(&changes)
        .map_err(|e| ApiError::invalid_field(&field(e.index), e.message))
}

/// The state `entries` (a checked timeline) lead to.
pub fn state(entries: &[Entry]) -> Option<State> {
    let first = entries.first()?;
    let mut state = State {
        status: crate::models::series::SeriesStatus::Active,
        status_reason: None,
        frequency: first.frequency?,
        starts_on: first.on_date,
    };
    for e in entries {
        if let Some(f) = e.frequency {
            state.frequency = f;
        }
        (state.status, state.status_reason) = match e.kind {
            TimelineKind::Paused => (
                crate::models::series::SeriesStatus::Paused,
                e.reason.clone(),
            ),
            TimelineKind::Ended => (crate::models::series::SeriesStatus::Ended, None),
            _ => (crate::models::series::SeriesStatus::Active, None),
        };
    }
    Some(state)
}

/// Replaces the stored timeline of a series with `entries`, numbered in order.
pub fn store(conn: &mut DbConnection, series_id: &str, entries: &[Entry]) -> ApiResult<()> {
    diesel::delete(series_timeline::table.filter(series_timeline::series_id.eq(series_id)))
        .execute(conn)?;
    for (i, e) in entries.iter().enumerate() {
        let row = Entry {
            series_id: series_id.to_string(),
            position: i as i32,
            ..e.clone()
        };
        diesel::insert_into(series_timeline::table)
            .values(&row)
            .execute(conn)?;
    }
    Ok(())
}
