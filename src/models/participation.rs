//! The participation report of a network: per member organization, how many of the
//! network's held meetings in a period someone attended (present) on its behalf. Only the
//! meetings the caller may see are counted. A fixed number of statements, paged by
//! organization name.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{attendees, meetings, network_members, organizations};
use crate::error::ApiResult;
use crate::models::meeting::{Attendance, MeetingStatus};
use crate::pagination::{Page, Slice};
use crate::policy::Reach;
use crate::policy::sql::SqlCaller;

/// One organization's line.
#[derive(Debug, Clone)]
pub struct Line {
    pub organization_id: String,
    pub name: String,
    pub attended: i64,
}

/// A page of the report.
#[derive(Debug)]
pub struct Report {
    /// Held meetings in the period that the caller may see.
    pub held: i64,
    /// The organizations of this page, by name.
    pub lines: Page<Line>,
}

/// The held, visible meetings of the network in `[from, to)`.
macro_rules! held_meetings {
    ($network:expr, $from:expr, $to:expr, $c:expr) => {
        meetings::table
            .filter(meetings::network_id.eq($network.to_string()))
            .filter(meetings::deleted_at.is_null())
            .filter(meetings::status.eq(MeetingStatus::Held))
            .filter(meetings::starts_at.ge($from))
            .filter(meetings::starts_at.lt($to))
            .filter(crate::meeting_visible!($c))
    };
}

/// One page of the report of a network the caller may see, for the period `[from, to]`
/// in days (`None`: unbounded); `period` is the same as instants `[start, end)`.
pub fn report(
    conn: &mut DbConnection,
    reach: &Reach,
    network_id: &str,
    days: (Option<NaiveDate>, Option<NaiveDate>),
    period: (NaiveDateTime, NaiveDateTime),
    slice: &Slice,
) -> ApiResult<Report> {
    let c = SqlCaller::of(reach);
    let (start, end) = period;
    let held: i64 = held_meetings!(network_id, start, end, c)
        .select(count_star())
        .first(conn)?;
    // Organizations that were members at some time in the period.
    let mut members = network_members::table
        .inner_join(organizations::table.on(organizations::id.eq(network_members::organization_id)))
        .filter(network_members::network_id.eq(network_id.to_string()))
        .select((organizations::id, organizations::name))
        .into_boxed();
    if let (_, Some(to)) = days {
        members = members.filter(
            network_members::joined_on
                .is_null()
                .or(network_members::joined_on.le(to)),
        );
    }
    if let (Some(from), _) = days {
        members = members.filter(
            network_members::left_on
                .is_null()
                .or(network_members::left_on.ge(from)),
        );
    }
    if let Some([name, id]) = slice.after::<2>()? {
        members = members.filter(
            organizations::name
                .gt(name.clone())
                .or(organizations::name.eq(name).and(organizations::id.gt(id))),
        );
    }
    let rows: Vec<(String, String)> = members
        .order((organizations::name.asc(), organizations::id.asc()))
        .limit(slice.fetch())
        .load(conn)?;
    let page = slice.page(rows, |(id, name)| vec![name.clone(), id.clone()]);
    // The attendance of the page's organizations, in one statement.
    let ids: Vec<&str> = page.rows.iter().map(|(id, _)| id.as_str()).collect();
    let attended: Vec<(Option<String>, i64)> = attendees::table
        .filter(attendees::attendance.eq(Attendance::Present))
        .filter(attendees::organization_id.eq_any(&ids))
        .filter(
            attendees::meeting_id
                .eq_any(held_meetings!(network_id, start, end, c).select(meetings::id)),
        )
        .group_by(attendees::organization_id)
        .select((
            attendees::organization_id,
            diesel::dsl::count(attendees::meeting_id).aggregate_distinct(),
        ))
        .load(conn)?;
    let lines = page
        .rows
        .into_iter()
        .map(|(organization_id, name)| {
            let attended = attended
                .iter()
                .find(|(o, _)| o.as_deref() == Some(organization_id.as_str()))
                .map_or(0, |(_, n)| *n);
            Line {
                organization_id,
                name,
                attended,
            }
        })
        .collect();
    Ok(Report {
        held,
        lines: Page {
            rows: lines,
            next: page.next,
        },
    })
}
