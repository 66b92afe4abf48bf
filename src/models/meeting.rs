//! Meetings. Their agenda is in [`crate::models::agenda`], their attendees in
//! [`crate::models::attendee`].

use chrono::NaiveDateTime;
use diesel::dsl::{count, count_star, max};
use diesel::prelude::*;

use crate::db::json_text::JsonText;
use crate::db::schema::meetings;
use crate::db::{DbConnection, new_id, now};
use crate::error::ApiResult;
use crate::pagination::{Page, PageRequest};
use crate::policy::{self, Governed, Managed, MeetingFacts, Reach, Steward, Visibility};

crate::text_enum! {
    /// What kind of meeting.
    MeetingKind {
        NetworkMeeting => "network_meeting",
        StatusBriefing => "status_briefing",
        Seminar => "seminar",
        Workshop => "workshop",
        DialogueForum => "dialogue_forum",
        Conference => "conference",
        Other => "other",
    }
}

crate::text_enum! {
    /// Where a meeting takes place.
    MeetingMode {
        Digital => "digital",
        InPerson => "in_person",
        Hybrid => "hybrid",
    }
}

crate::text_enum! {
    /// Whether a meeting is to come, took place, or did not.
    MeetingStatus {
        Planned => "planned",
        Held => "held",
        Cancelled => "cancelled",
        Postponed => "postponed",
    }
}

crate::text_enum! {
    /// An attendee's role at the meeting.
    AttendeeRole {
        Chair => "chair",
        NoteTaker => "note_taker",
        Participant => "participant",
        Guest => "guest",
    }
}

crate::text_enum! {
    /// Whether an attendee came.
    Attendance {
        Invited => "invited",
        Present => "present",
        Absent => "absent",
        Excused => "excused",
    }
}

/// A meeting row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meetings)]
pub struct Meeting {
    pub id: String,
    pub network_id: Option<String>,
    pub series_id: Option<String>,
    pub organizer_organization_id: Option<String>,
    pub title: String,
    pub kind: MeetingKind,
    pub description: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub time_zone: String,
    pub mode: MeetingMode,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub status: MeetingStatus,
    pub visibility: Visibility,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    /// Only the day is known: `starts_at` and `ends_at` are the day's bounds.
    pub time_unspecified: bool,
    /// Planned by its series, which may re-plan it.
    pub generated_by_series: bool,
    /// The networks holding it together with `network_id`.
    pub co_host_network_ids: JsonText<Vec<String>>,
}

crate::versioned!(Meeting);

impl crate::db::Versioned for SeenMeeting {
    fn version(&self) -> i32 {
        self.meeting.version
    }
}

impl crate::models::store::Stored for Meeting {
    type Shown = SeenMeeting;

    fn find(conn: &mut DbConnection, reach: &Reach, id: &str, lock: bool) -> ApiResult<Self> {
        Ok(find(conn, reach, id, lock)?.meeting)
    }

    fn show(conn: &mut DbConnection, reach: &Reach, id: &str) -> ApiResult<SeenMeeting> {
        find(conn, reach, id, false)
    }
}

impl crate::models::store::Deletable for Meeting {
    const KIND: &'static str = "meeting";

    fn delete(conn: &mut DbConnection, row: &Managed<Self>) -> ApiResult<()> {
        delete(conn, row)
    }
}
crate::soft_deleted!(Meeting);

impl Governed for Meeting {
    fn steward(&self) -> Steward<'_> {
        match &self.network_id {
            Some(host) => Steward::Networks {
                host,
                co_hosts: &self.co_host_network_ids,
            },
            None => Steward::Organization(self.organizer_organization_id.as_deref()),
        }
    }

    fn owner(&self) -> Steward<'_> {
        match &self.network_id {
            Some(host) => Steward::Network(host),
            None => self.steward(),
        }
    }
}

/// A meeting as one caller sees it: the row, and whether they are on its attendee list.
#[derive(Debug, Clone)]
pub struct SeenMeeting {
    pub meeting: Meeting,
    pub attending: bool,
}

impl SeenMeeting {
    /// What the policy needs to decide about it.
    pub fn facts(&self) -> MeetingFacts<'_> {
        MeetingFacts {
            network_id: self.meeting.network_id.as_deref(),
            co_host_network_ids: &self.meeting.co_host_network_ids,
            organizer_organization_id: self.meeting.organizer_organization_id.as_deref(),
            attending: self.attending,
        }
    }
}

impl crate::pagination::SoftDeleted for SeenMeeting {
    fn id(&self) -> &str {
        &self.meeting.id
    }
    fn deleted_at(&self) -> Option<NaiveDateTime> {
        self.meeting.deleted_at
    }
}

/// The writable fields of a meeting, validated: the insert and the update both write
/// exactly these.
#[derive(Debug, Clone, AsChangeset, Insertable, PartialEq)]
#[diesel(table_name = meetings, treat_none_as_null = true)]
pub struct MeetingFields {
    pub network_id: Option<String>,
    /// The series it belongs to: generated by it, or attached to it.
    pub series_id: Option<String>,
    pub organizer_organization_id: Option<String>,
    pub title: String,
    pub kind: MeetingKind,
    pub description: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub time_zone: String,
    pub mode: MeetingMode,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub status: MeetingStatus,
    pub visibility: Visibility,
    /// Only the day is known.
    pub time_unspecified: bool,
    /// The networks holding it together with `network_id` (see [`crate::models::co_host::set`]).
    pub co_host_network_ids: JsonText<Vec<String>>,
    #[diesel(column_name = search_text)]
    pub search: String,
}

impl MeetingFields {
    /// The fields of an existing row, to change some of them.
    pub fn of(m: &Meeting) -> Self {
        Self {
            network_id: m.network_id.clone(),
            series_id: m.series_id.clone(),
            organizer_organization_id: m.organizer_organization_id.clone(),
            title: m.title.clone(),
            kind: m.kind,
            description: m.description.clone(),
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            time_zone: m.time_zone.clone(),
            mode: m.mode,
            location: m.location.clone(),
            online_url: m.online_url.clone(),
            status: m.status,
            visibility: m.visibility,
            time_unspecified: m.time_unspecified,
            co_host_network_ids: m.co_host_network_ids.clone(),
            search: String::new(),
        }
    }

    fn indexed(mut self) -> Self {
        self.search = crate::validation::search_text([
            Some(self.title.as_str()),
            self.description.as_deref(),
            self.location.as_deref(),
        ]);
        self
    }

    fn check_references(&self, conn: &mut DbConnection) -> ApiResult<()> {
        if let Some(org) = &self.organizer_organization_id {
            crate::models::organization::require_live(conn, org, "organizer_organization_id")?;
        }
        Ok(())
    }
}

#[derive(Insertable)]
#[diesel(table_name = meetings)]
struct NewMeeting {
    id: String,
    #[diesel(embed)]
    fields: MeetingFields,
    search_terms: String,
    generated_by_series: bool,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    pub network_id: Option<String>,
    pub series_id: Option<String>,
    /// Only meetings that end after this instant.
    pub from: Option<NaiveDateTime>,
    /// Only meetings that start before this instant.
    pub to: Option<NaiveDateTime>,
    pub status: Option<MeetingStatus>,
    pub kind: Option<MeetingKind>,
}

/// The meetings the caller may see that match the filter, as one condition.
fn condition(reach: &Reach, filter: &MeetingFilter) -> policy::sql::Filter<meetings::table> {
    let mut condition = policy::sql::meetings(reach);
    if let Some(network) = &filter.network_id {
        let held = crate::held_by!(meetings::id, meetings::network_id, network);
        condition = Box::new(condition.and(held));
    }
    if let Some(series) = &filter.series_id {
        condition =
            Box::new(condition.and(meetings::series_id.assume_not_null().eq(series.clone())));
    }
    if let Some(from) = filter.from {
        condition = Box::new(condition.and(meetings::ends_at.gt(from)));
    }
    if let Some(to) = filter.to {
        condition = Box::new(condition.and(meetings::starts_at.lt(to)));
    }
    if let Some(status) = filter.status {
        condition = Box::new(condition.and(meetings::status.eq(status)));
    }
    if let Some(kind) = filter.kind {
        condition = Box::new(condition.and(meetings::kind.eq(kind)));
    }
    condition
}

/// The meetings the caller may see that match the filter, each with whether the caller
/// attends it.
type SeenQuery = meetings::BoxedQuery<
    'static,
    crate::db::MultiBackend,
    (
        diesel::dsl::AsSelect<Meeting, crate::db::MultiBackend>,
        diesel::sql_types::Bool,
    ),
>;

fn visible(reach: &Reach, filter: &MeetingFilter) -> SeenQuery {
    meetings::table
        .select((Meeting::as_select(), policy::sql::attending(reach)))
        .filter(condition(reach, filter))
        .into_boxed()
}

fn seen(rows: Vec<(Meeting, bool)>) -> Vec<SeenMeeting> {
    rows.into_iter()
        .map(|(meeting, attending)| SeenMeeting { meeting, attending })
        .collect()
}

/// The live meeting with this id if the caller may see it (404 otherwise); `lock` locks
/// its row for a write in the same transaction.
pub fn find(
    conn: &mut DbConnection,
    reach: &Reach,
    id: &str,
    lock: bool,
) -> ApiResult<SeenMeeting> {
    if lock {
        crate::lock_row!(conn, meetings, id)?;
    }
    let (meeting, attending) = visible(reach, &MeetingFilter::default())
        .filter(meetings::id.eq(id.to_string()))
        .filter(meetings::deleted_at.is_null())
        .first::<(Meeting, bool)>(conn)?;
    Ok(SeenMeeting { meeting, attending })
}

/// The meeting with this id, whoever asks: for work the server does on its own.
pub fn find_unchecked(conn: &mut DbConnection, id: &str) -> ApiResult<Meeting> {
    Ok(meetings::table
        .find(id)
        .filter(meetings::deleted_at.is_null())
        .select(Meeting::as_select())
        .first(conn)?)
}

/// Inserts a meeting (of a series, when `series_id` is given). The caller checked that
/// it may: it manages the network, or organizes for its own organization.
pub fn create(conn: &mut DbConnection, fields: MeetingFields) -> ApiResult<Meeting> {
    fields.check_references(conn)?;
    insert(conn, fields, false)
}

/// Inserts a meeting its series planned.
pub fn create_for_series(conn: &mut DbConnection, fields: MeetingFields) -> ApiResult<Meeting> {
    insert(conn, fields, true)
}

fn insert(conn: &mut DbConnection, fields: MeetingFields, generated: bool) -> ApiResult<Meeting> {
    let id = new_id();
    let at = now();
    let co_hosts = fields.co_host_network_ids.0.clone();
    diesel::insert_into(meetings::table)
        .values(NewMeeting {
            id: id.clone(),
            search_terms: fields.search_terms(),
            fields: fields.indexed(),
            generated_by_series: generated,
            version: 1,
            created_at: at,
            updated_at: at,
        })
        .execute(conn)?;
    crate::models::co_host::set(conn, &id, &[], &co_hosts)?;
    find_unchecked(conn, &id)
}

/// Replaces the writable fields of a managed meeting at the version it was read at.
pub fn update(
    conn: &mut DbConnection,
    meeting: &Managed<Meeting>,
    fields: MeetingFields,
) -> ApiResult<Meeting> {
    fields.check_references(conn)?;
    let co_hosts = fields.co_host_network_ids.0.clone();
    let terms = meetings::search_terms.eq(fields.search_terms());
    crate::write_versioned!(conn, meetings, meeting, (terms, fields.indexed()))?;
    crate::models::co_host::set(conn, &meeting.id, &meeting.co_host_network_ids, &co_hosts)?;
    find_unchecked(conn, &meeting.id)
}

/// Moves the meeting's version and `updated_at`: its agenda or attendance changed, and
/// sync clients should see it.
pub fn touch(conn: &mut DbConnection, meeting: &Managed<Meeting>) -> ApiResult<()> {
    crate::touch!(conn, meetings, &meeting.id)?;
    Ok(())
}

/// Moves the meeting's version if it is still at the version it was read at: a change
/// that replaces part of it (the whole attendee list) under its `If-Match`.
pub fn touch_at(conn: &mut DbConnection, meeting: &Managed<Meeting>) -> ApiResult<()> {
    crate::write_versioned!(conn, meetings, meeting)?;
    Ok(())
}

/// Soft-deletes a managed meeting; sync clients see a tombstone.
pub fn delete(conn: &mut DbConnection, meeting: &Managed<Meeting>) -> ApiResult<()> {
    crate::write_versioned!(
        conn,
        meetings,
        meeting,
        meetings::deleted_at.eq(Some(now()))
    )?;
    Ok(())
}

/// One page of the meetings the caller may see.
pub fn list(
    conn: &mut DbConnection,
    reach: &Reach,
    page: &PageRequest,
    filter: &MeetingFilter,
) -> ApiResult<Page<SeenMeeting>> {
    let mut query = visible(reach, filter);
    if let Some(pattern) = &page.search {
        query = query.filter(meetings::search_text.like(pattern.clone()).escape('\\'));
    }
    let rows = seen(crate::keyset!(query, meetings, page).load(conn)?);
    Ok(Page::from_rows(rows, page, |m: &SeenMeeting| {
        (m.meeting.updated_at, m.meeting.id.clone())
    }))
}

/// What a calendar's entity tag is computed from: how many live meetings it holds and
/// the latest change to any meeting in its window (deleted ones included, so that a
/// deletion changes it too).
pub fn calendar_stamp(
    conn: &mut DbConnection,
    reach: &Reach,
    filter: &MeetingFilter,
) -> ApiResult<(i64, Option<NaiveDateTime>)> {
    // One pass: every meeting in the window, the deleted among them, the latest change.
    let (all, deleted, latest): (i64, i64, Option<NaiveDateTime>) = meetings::table
        .filter(condition(reach, filter))
        .select((
            count_star(),
            count(meetings::deleted_at),
            max(meetings::updated_at),
        ))
        .first(conn)?;
    let live = all - deleted;
    Ok((live, latest))
}

/// The live meetings in a calendar's window that the caller may see, in time order.
pub fn calendar(
    conn: &mut DbConnection,
    reach: &Reach,
    filter: &MeetingFilter,
) -> ApiResult<Vec<SeenMeeting>> {
    Ok(seen(
        visible(reach, filter)
            .filter(meetings::deleted_at.is_null())
            .order((meetings::starts_at.asc(), meetings::id.asc()))
            .load(conn)?,
    ))
}
