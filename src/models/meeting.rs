//! Meetings, their agenda items (kept numbered 1..n) and attendees.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{agenda_items, attendees, meetings, people};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::access::{self, Viewer, Visibility};
use crate::pagination::{Page, PageRequest};

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
    pub kind: String,
    pub description: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub time_zone: String,
    pub mode: String,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub status: String,
    pub visibility: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

/// The writable fields of a meeting, validated.
#[derive(Debug, Clone)]
pub struct MeetingFields {
    pub network_id: Option<String>,
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
}

impl MeetingFields {
    /// The fields of an existing row.
    pub fn of(m: &Meeting) -> Self {
        Self {
            network_id: m.network_id.clone(),
            organizer_organization_id: m.organizer_organization_id.clone(),
            title: m.title.clone(),
            kind: MeetingKind::parse(&m.kind).unwrap_or(MeetingKind::Other),
            description: m.description.clone(),
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            time_zone: m.time_zone.clone(),
            mode: MeetingMode::parse(&m.mode).unwrap_or(MeetingMode::InPerson),
            location: m.location.clone(),
            online_url: m.online_url.clone(),
            status: MeetingStatus::parse(&m.status).unwrap_or(MeetingStatus::Planned),
            visibility: Visibility::parse(&m.visibility).unwrap_or(Visibility::Restricted),
        }
    }

    fn search_text(&self) -> String {
        crate::validation::search_text([
            Some(self.title.as_str()),
            self.description.as_deref(),
            self.location.as_deref(),
        ])
    }
}

/// What the viewer may do with one meeting.
#[derive(Debug, Clone, Copy, Default)]
pub struct MeetingAccess {
    /// Sees it even when restricted.
    pub insider: bool,
    /// Changes it, its agenda and its attendance.
    pub manages: bool,
    /// Sees its online link.
    pub may_attend: bool,
}

/// The viewer's access to a meeting: through its network, or through the organizer
/// and the attendee list for a meeting outside any network.
pub fn access_to(
    conn: &mut DbConnection,
    viewer: &Viewer,
    meeting: &Meeting,
    today: NaiveDate,
) -> ApiResult<MeetingAccess> {
    let attending = match &viewer.person_id {
        Some(person) => {
            let n: i64 = attendees::table
                .filter(attendees::meeting_id.eq(&meeting.id))
                .filter(attendees::person_id.eq(person))
                .count()
                .get_result(conn)?;
            n > 0
        }
        None => false,
    };
    let (insider, manages) = match &meeting.network_id {
        Some(network) => {
            let role = access::network_role(conn, viewer, network, today)?;
            (role.insider(), role.manages())
        }
        None => {
            let organizer = viewer.organization_id.is_some()
                && viewer.organization_id == meeting.organizer_organization_id;
            (viewer.admin || organizer, viewer.admin || organizer)
        }
    };
    Ok(MeetingAccess {
        insider: insider || attending,
        manages,
        may_attend: insider || attending,
    })
}

/// The live meeting with this id, whoever asks.
pub fn find(conn: &mut DbConnection, id: &str) -> ApiResult<Meeting> {
    Ok(meetings::table
        .find(id)
        .filter(meetings::deleted_at.is_null())
        .select(Meeting::as_select())
        .first(conn)?)
}

/// The meeting and the viewer's access; 404 unless they may see it.
pub fn find_visible(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
    today: NaiveDate,
) -> ApiResult<(Meeting, MeetingAccess)> {
    let meeting = find(conn, id)?;
    let access = access_to(conn, viewer, &meeting, today)?;
    if access::can_see(&meeting.visibility, viewer, access.insider) {
        Ok((meeting, access))
    } else {
        Err(ApiError::not_found())
    }
}

/// Like [`find_visible`], and 403 unless the viewer manages the meeting.
pub fn find_managed(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
    today: NaiveDate,
) -> ApiResult<Meeting> {
    let (meeting, access) = find_visible(conn, viewer, id, today)?;
    if access.manages {
        Ok(meeting)
    } else {
        Err(ApiError::forbidden(
            "only the network's coordinators (and admins) may change this meeting",
        ))
    }
}

fn check_references(conn: &mut DbConnection, fields: &MeetingFields) -> ApiResult<()> {
    if let Some(network) = &fields.network_id {
        crate::models::network::find_unchecked(conn, network)
            .map_err(|_| ApiError::invalid_field("network_id", "no such network"))?;
    }
    if let Some(org) = &fields.organizer_organization_id {
        crate::models::organization::require_live(conn, org, "organizer_organization_id")?;
    }
    Ok(())
}

/// Inserts a meeting (of a series, when `series_id` is given).
pub fn create(
    conn: &mut DbConnection,
    fields: &MeetingFields,
    series_id: Option<&str>,
) -> ApiResult<Meeting> {
    check_references(conn, fields)?;
    let id = new_id();
    let at = now();
    diesel::insert_into(meetings::table)
        .values((
            meetings::id.eq(&id),
            meetings::network_id.eq(&fields.network_id),
            meetings::series_id.eq(series_id),
            meetings::organizer_organization_id.eq(&fields.organizer_organization_id),
            meetings::title.eq(&fields.title),
            meetings::kind.eq(fields.kind.as_str()),
            meetings::description.eq(&fields.description),
            meetings::starts_at.eq(fields.starts_at),
            meetings::ends_at.eq(fields.ends_at),
            meetings::time_zone.eq(&fields.time_zone),
            meetings::mode.eq(fields.mode.as_str()),
            meetings::location.eq(&fields.location),
            meetings::online_url.eq(&fields.online_url),
            meetings::status.eq(fields.status.as_str()),
            meetings::visibility.eq(fields.visibility.as_str()),
            meetings::search_text.eq(fields.search_text()),
            meetings::version.eq(1),
            meetings::created_at.eq(at),
            meetings::updated_at.eq(at),
        ))
        .execute(conn)?;
    find(conn, &id)
}

/// Replaces the writable fields if the row is still at `expected_version`.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i32,
    fields: &MeetingFields,
) -> ApiResult<Meeting> {
    check_references(conn, fields)?;
    let updated = diesel::update(
        meetings::table
            .filter(meetings::id.eq(id))
            .filter(meetings::version.eq(expected_version)),
    )
    .set((
        meetings::network_id.eq(&fields.network_id),
        meetings::organizer_organization_id.eq(&fields.organizer_organization_id),
        meetings::title.eq(&fields.title),
        meetings::kind.eq(fields.kind.as_str()),
        meetings::description.eq(&fields.description),
        meetings::starts_at.eq(fields.starts_at),
        meetings::ends_at.eq(fields.ends_at),
        meetings::time_zone.eq(&fields.time_zone),
        meetings::mode.eq(fields.mode.as_str()),
        meetings::location.eq(&fields.location),
        meetings::online_url.eq(&fields.online_url),
        meetings::status.eq(fields.status.as_str()),
        meetings::visibility.eq(fields.visibility.as_str()),
        meetings::search_text.eq(fields.search_text()),
        meetings::version.eq(expected_version + 1),
        meetings::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(ApiError::precondition_failed(Some(find(conn, id)?.version)));
    }
    find(conn, id)
}

/// Sets the status of a meeting (used by series pause and resume).
pub fn set_status(conn: &mut DbConnection, id: &str, status: MeetingStatus) -> ApiResult<()> {
    diesel::update(meetings::table.find(id))
        .set((
            meetings::status.eq(status.as_str()),
            meetings::version.eq(meetings::version + 1),
            meetings::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves the meeting's `updated_at` and `version`: its agenda or attendance changed,
/// and sync clients should see it.
pub fn touch(conn: &mut DbConnection, id: &str) -> ApiResult<()> {
    diesel::update(meetings::table.find(id))
        .set((
            meetings::version.eq(meetings::version + 1),
            meetings::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Soft-deletes a meeting.
pub fn delete(conn: &mut DbConnection, id: &str, version: i32) -> ApiResult<()> {
    let at = now();
    diesel::update(meetings::table.find(id))
        .set((
            meetings::deleted_at.eq(Some(at)),
            meetings::version.eq(version + 1),
            meetings::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    pub network_id: Option<String>,
    pub series_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub status: Option<MeetingStatus>,
    pub kind: Option<MeetingKind>,
}

/// The ids of meetings the viewer attends.
fn attending(conn: &mut DbConnection, viewer: &Viewer) -> ApiResult<Vec<String>> {
    Ok(match &viewer.person_id {
        Some(person) => attendees::table
            .filter(attendees::person_id.eq(person))
            .select(attendees::meeting_id)
            .load(conn)?,
        None => Vec::new(),
    })
}

/// One page of the meetings the viewer may see.
pub fn list(
    conn: &mut DbConnection,
    viewer: &Viewer,
    page: &PageRequest,
    filter: &MeetingFilter,
    today: NaiveDate,
) -> ApiResult<Page<Meeting>> {
    let mut query = meetings::table.select(Meeting::as_select()).into_boxed();
    if !viewer.admin {
        let insider = access::insider_networks(conn, viewer, today)?;
        let attending = attending(conn, viewer)?;
        let mut open = vec![Visibility::Public.as_str()];
        if viewer.signed_in() {
            open.push(Visibility::Internal.as_str());
        }
        let organizer = viewer.organization_id.clone().unwrap_or_default();
        query = query.filter(
            meetings::visibility
                .eq_any(open)
                .or(meetings::network_id.eq_any(insider))
                .or(meetings::id.eq_any(attending))
                .or(meetings::network_id
                    .is_null()
                    .and(meetings::organizer_organization_id.eq(organizer))),
        );
    }
    if let Some(network) = &filter.network_id {
        query = query.filter(meetings::network_id.eq(network.clone()));
    }
    if let Some(series) = &filter.series_id {
        query = query.filter(meetings::series_id.eq(series.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(meetings::ends_at.gt(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(meetings::starts_at.lt(to));
    }
    if let Some(status) = filter.status {
        query = query.filter(meetings::status.eq(status.as_str()));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(meetings::kind.eq(kind.as_str()));
    }
    if let Some(pattern) = &page.search {
        query = query.filter(meetings::search_text.like(pattern.clone()).escape('\\'));
    }
    let rows = crate::keyset!(query, meetings, page).load(conn)?;
    Ok(Page::from_rows(rows, page, |m: &Meeting| {
        (m.updated_at, m.id.clone())
    }))
}

/// The live meetings of a network, in time order (for calendars and reports).
pub fn of_network(conn: &mut DbConnection, network_id: &str) -> ApiResult<Vec<Meeting>> {
    Ok(meetings::table
        .filter(meetings::network_id.eq(network_id))
        .filter(meetings::deleted_at.is_null())
        .order(meetings::starts_at.asc())
        .select(Meeting::as_select())
        .load(conn)?)
}

/// An agenda item row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = agenda_items)]
pub struct AgendaItem {
    pub id: String,
    pub meeting_id: String,
    pub position: i32,
    pub title: String,
    pub description: Option<String>,
    pub presenter_person_id: Option<String>,
    pub duration_minutes: Option<i32>,
    pub theme_id: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The content of an agenda item, validated.
#[derive(Debug, Clone)]
pub struct AgendaFields {
    pub title: String,
    pub description: Option<String>,
    pub presenter_person_id: Option<String>,
    pub duration_minutes: Option<i32>,
    pub theme_id: Option<String>,
}

/// The meeting's agenda, in order.
pub fn agenda(conn: &mut DbConnection, meeting_id: &str) -> ApiResult<Vec<AgendaItem>> {
    Ok(agenda_items::table
        .filter(agenda_items::meeting_id.eq(meeting_id))
        .order((agenda_items::position.asc(), agenda_items::created_at.asc()))
        .select(AgendaItem::as_select())
        .load(conn)?)
}

/// One agenda item of the meeting.
pub fn agenda_item(conn: &mut DbConnection, meeting_id: &str, id: &str) -> ApiResult<AgendaItem> {
    Ok(agenda_items::table
        .filter(agenda_items::meeting_id.eq(meeting_id))
        .filter(agenda_items::id.eq(id))
        .select(AgendaItem::as_select())
        .first(conn)?)
}

/// Writes positions 1..n in the given order, touching only the items that moved.
fn renumber(conn: &mut DbConnection, ordered: &[AgendaItem]) -> ApiResult<()> {
    for (index, item) in ordered.iter().enumerate() {
        let position = index as i32 + 1;
        if item.position != position {
            diesel::update(agenda_items::table.find(&item.id))
                .set((
                    agenda_items::position.eq(position),
                    agenda_items::version.eq(item.version + 1),
                    agenda_items::updated_at.eq(now()),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

fn check_agenda_references(conn: &mut DbConnection, fields: &AgendaFields) -> ApiResult<()> {
    if let Some(person) = &fields.presenter_person_id {
        crate::models::person::find(conn, person)
            .map_err(|_| ApiError::invalid_field("presenter_person_id", "no such person"))?;
    }
    Ok(())
}

/// Inserts an item at `position` (1-based; the end when `None` or past it), moving
/// the items from there on down by one.
pub fn add_agenda_item(
    conn: &mut DbConnection,
    meeting_id: &str,
    position: Option<i32>,
    fields: &AgendaFields,
) -> ApiResult<AgendaItem> {
    check_agenda_references(conn, fields)?;
    let mut items = agenda(conn, meeting_id)?;
    let index = position.map_or(items.len(), |p| (p.max(1) as usize - 1).min(items.len()));
    let id = new_id();
    let at = now();
    diesel::insert_into(agenda_items::table)
        .values((
            agenda_items::id.eq(&id),
            agenda_items::meeting_id.eq(meeting_id),
            agenda_items::position.eq(index as i32 + 1),
            agenda_items::title.eq(&fields.title),
            agenda_items::description.eq(&fields.description),
            agenda_items::presenter_person_id.eq(&fields.presenter_person_id),
            agenda_items::duration_minutes.eq(fields.duration_minutes),
            agenda_items::theme_id.eq(&fields.theme_id),
            agenda_items::version.eq(1),
            agenda_items::created_at.eq(at),
            agenda_items::updated_at.eq(at),
        ))
        .execute(conn)?;
    let created = agenda_item(conn, meeting_id, &id)?;
    items.insert(index, created);
    renumber(conn, &items)?;
    touch(conn, meeting_id)?;
    agenda_item(conn, meeting_id, &id)
}

/// Changes an item's content and, with `position`, moves it there.
pub fn update_agenda_item(
    conn: &mut DbConnection,
    meeting_id: &str,
    id: &str,
    expected_version: Option<i32>,
    position: Option<i32>,
    fields: &AgendaFields,
) -> ApiResult<AgendaItem> {
    check_agenda_references(conn, fields)?;
    let current = agenda_item(conn, meeting_id, id)?;
    if let Some(expected) = expected_version
        && expected != current.version
    {
        return Err(ApiError::precondition_failed(Some(current.version)));
    }
    diesel::update(agenda_items::table.find(id))
        .set((
            agenda_items::title.eq(&fields.title),
            agenda_items::description.eq(&fields.description),
            agenda_items::presenter_person_id.eq(&fields.presenter_person_id),
            agenda_items::duration_minutes.eq(fields.duration_minutes),
            agenda_items::theme_id.eq(&fields.theme_id),
            agenda_items::version.eq(current.version + 1),
            agenda_items::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if let Some(position) = position {
        let mut items = agenda(conn, meeting_id)?;
        let from = items.iter().position(|i| i.id == id).unwrap_or(0);
        let item = items.remove(from);
        let to = (position.max(1) as usize - 1).min(items.len());
        items.insert(to, item);
        renumber(conn, &items)?;
    }
    touch(conn, meeting_id)?;
    agenda_item(conn, meeting_id, id)
}

/// Removes an item and closes the gap.
pub fn remove_agenda_item(
    conn: &mut DbConnection,
    meeting_id: &str,
    id: &str,
    expected_version: Option<i32>,
) -> ApiResult<()> {
    let current = agenda_item(conn, meeting_id, id)?;
    if let Some(expected) = expected_version
        && expected != current.version
    {
        return Err(ApiError::precondition_failed(Some(current.version)));
    }
    diesel::delete(agenda_items::table.find(id)).execute(conn)?;
    let items = agenda(conn, meeting_id)?;
    renumber(conn, &items)?;
    touch(conn, meeting_id)
}

/// An attendee row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attendees)]
pub struct Attendee {
    pub id: String,
    pub meeting_id: String,
    pub person_id: String,
    pub organization_id: Option<String>,
    pub role: String,
    pub attendance: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One person's attendance, as set by a coordinator.
#[derive(Debug, Clone)]
pub struct AttendeeFields {
    pub person_id: String,
    pub organization_id: Option<String>,
    pub role: AttendeeRole,
    pub attendance: Attendance,
}

/// The meeting's attendees with their names, ordered by name.
pub fn attendee_list(
    conn: &mut DbConnection,
    meeting_id: &str,
) -> ApiResult<Vec<(Attendee, String)>> {
    Ok(attendees::table
        .inner_join(people::table)
        .filter(attendees::meeting_id.eq(meeting_id))
        .order(people::name.asc())
        .select((Attendee::as_select(), people::name))
        .load(conn)?)
}

fn upsert_attendee(
    conn: &mut DbConnection,
    meeting_id: &str,
    index: Option<usize>,
    a: &AttendeeFields,
) -> ApiResult<()> {
    let field = |name: &str| match index {
        Some(i) => format!("[{i}].{name}"),
        None => name.to_string(),
    };
    let person = crate::models::person::find(conn, &a.person_id)
        .map_err(|_| ApiError::invalid_field(&field("person_id"), "no such person"))?;
    // Without an organization, the person came for their own.
    let organization = a.organization_id.clone().or(person.organization_id);
    if let Some(org) = &organization {
        crate::models::organization::require_live(conn, org, &field("organization_id"))?;
    }
    let at = now();
    let existing: Option<String> = attendees::table
        .filter(attendees::meeting_id.eq(meeting_id))
        .filter(attendees::person_id.eq(&a.person_id))
        .select(attendees::id)
        .first(conn)
        .optional()?;
    match existing {
        Some(id) => {
            diesel::update(attendees::table.find(id))
                .set((
                    attendees::organization_id.eq(&organization),
                    attendees::role.eq(a.role.as_str()),
                    attendees::attendance.eq(a.attendance.as_str()),
                    attendees::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(attendees::table)
                .values((
                    attendees::id.eq(new_id()),
                    attendees::meeting_id.eq(meeting_id),
                    attendees::person_id.eq(&a.person_id),
                    attendees::organization_id.eq(&organization),
                    attendees::role.eq(a.role.as_str()),
                    attendees::attendance.eq(a.attendance.as_str()),
                    attendees::created_at.eq(at),
                    attendees::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Makes the attendee list exactly `list` (people left out are removed), in one go.
pub fn set_attendees(
    conn: &mut DbConnection,
    meeting_id: &str,
    list: &[AttendeeFields],
) -> ApiResult<()> {
    let mut seen = std::collections::HashSet::new();
    for (i, a) in list.iter().enumerate() {
        if !seen.insert(a.person_id.clone()) {
            return Err(ApiError::invalid_field(
                &format!("[{i}].person_id"),
                "appears twice",
            ));
        }
        upsert_attendee(conn, meeting_id, Some(i), a)?;
    }
    let keep: Vec<String> = list.iter().map(|a| a.person_id.clone()).collect();
    diesel::delete(
        attendees::table
            .filter(attendees::meeting_id.eq(meeting_id))
            .filter(attendees::person_id.ne_all(keep)),
    )
    .execute(conn)?;
    touch(conn, meeting_id)
}

/// Adds one attendee or changes their entry.
pub fn put_attendee(
    conn: &mut DbConnection,
    meeting_id: &str,
    a: &AttendeeFields,
) -> ApiResult<()> {
    upsert_attendee(conn, meeting_id, None, a)?;
    touch(conn, meeting_id)
}

/// Removes one attendee.
pub fn remove_attendee(
    conn: &mut DbConnection,
    meeting_id: &str,
    person_id: &str,
) -> ApiResult<()> {
    let removed = diesel::delete(
        attendees::table
            .filter(attendees::meeting_id.eq(meeting_id))
            .filter(attendees::person_id.eq(person_id)),
    )
    .execute(conn)?;
    if removed == 0 {
        return Err(ApiError::not_found());
    }
    touch(conn, meeting_id)
}

/// Held meetings of a network in `[from, to)` with, per organization, how many of them
/// someone was present for on its behalf.
pub fn participation(
    conn: &mut DbConnection,
    network_id: &str,
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
) -> ApiResult<(i64, Vec<(String, i64)>)> {
    let mut held = meetings::table
        .filter(meetings::network_id.eq(network_id))
        .filter(meetings::deleted_at.is_null())
        .filter(meetings::status.eq(MeetingStatus::Held.as_str()))
        .select(meetings::id)
        .into_boxed();
    if let Some(from) = from {
        held = held.filter(meetings::starts_at.ge(from));
    }
    if let Some(to) = to {
        held = held.filter(meetings::starts_at.lt(to));
    }
    let held: Vec<String> = held.load(conn)?;
    let present: Vec<(String, Option<String>)> = attendees::table
        .filter(attendees::meeting_id.eq_any(&held))
        .filter(attendees::attendance.eq(Attendance::Present.as_str()))
        .select((attendees::meeting_id, attendees::organization_id))
        .load(conn)?;
    let mut per_org: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for (meeting, org) in present {
        if let Some(org) = org {
            per_org.entry(org).or_default().insert(meeting);
        }
    }
    Ok((
        held.len() as i64,
        per_org
            .into_iter()
            .map(|(org, ms)| (org, ms.len() as i64))
            .collect(),
    ))
}
