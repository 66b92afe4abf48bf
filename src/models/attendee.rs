//! Who came to a meeting, for whom and in what role: a versioned sub-collection of the
//! meeting, addressed by person, also set as a whole.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{attendees, people};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::meeting::{self, Attendance, AttendeeRole, Meeting};
use crate::models::store::{ItemStore, Pick};
use crate::pagination::{Page, Slice};
use crate::policy::Managed;

/// An attendee row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attendees)]
pub struct Attendee {
    pub id: String,
    pub meeting_id: String,
    pub person_id: String,
    pub organization_id: Option<String>,
    pub role: AttendeeRole,
    pub attendance: Attendance,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An attendee with the person's name, as served.
#[derive(Debug, Clone)]
pub struct NamedAttendee {
    pub row: Attendee,
    pub name: String,
}

impl crate::db::Versioned for NamedAttendee {
    fn version(&self) -> i32 {
        self.row.version
    }
}

/// One person's attendance, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendeeFields {
    pub person_id: String,
    /// Whom they came for; `None`: their own organization.
    pub organization_id: Option<String>,
    pub role: AttendeeRole,
    pub attendance: Attendance,
}

/// What is written of an attendee.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = attendees, treat_none_as_null = true)]
struct Entry {
    organization_id: Option<String>,
    role: AttendeeRole,
    attendance: Attendance,
}

/// The attendees of a meeting with their names, by name.
fn named(
    conn: &mut DbConnection,
    meeting_id: &str,
    which: Pick<'_>,
) -> ApiResult<Vec<NamedAttendee>> {
    let mut query = attendees::table
        .inner_join(people::table)
        .filter(attendees::meeting_id.eq(meeting_id.to_string()))
        .order((people::name.asc(), attendees::person_id.asc()))
        .select((Attendee::as_select(), people::name))
        .into_boxed();
    match which {
        Pick::All => {}
        Pick::One(person) => query = query.filter(attendees::person_id.eq(person.to_string())),
        Pick::Page(slice) => {
            if let Some([name, person]) = slice.after::<2>()? {
                query = query.filter(
                    people::name
                        .gt(name.clone())
                        .or(people::name.eq(name).and(attendees::person_id.gt(person))),
                );
            }
            query = query.limit(slice.fetch());
        }
    }
    Ok(query
        .load::<(Attendee, String)>(conn)?
        .into_iter()
        .map(|(row, name)| NamedAttendee { row, name })
        .collect())
}

/// The entry for `a`, checking the person and organization (`field` prefixes errors).
fn entry(conn: &mut DbConnection, field: &str, a: &AttendeeFields) -> ApiResult<Entry> {
    let person =
        crate::models::person::require_live(conn, &a.person_id, &format!("{field}person_id"))?;
    // Without an organization, the person came for their own.
    let organization_id = a.organization_id.clone().or(person.organization_id);
    if let Some(org) = &organization_id {
        crate::models::organization::require_live(conn, org, &format!("{field}organization_id"))?;
    }
    Ok(Entry {
        organization_id,
        role: a.role,
        attendance: a.attendance,
    })
}

fn insert(
    conn: &mut DbConnection,
    meeting_id: &str,
    person_id: &str,
    entry: Entry,
) -> ApiResult<()> {
    let at = now();
    diesel::insert_into(attendees::table)
        .values((
            attendees::id.eq(new_id()),
            attendees::meeting_id.eq(meeting_id),
            attendees::person_id.eq(person_id),
            attendees::organization_id.eq(entry.organization_id),
            attendees::role.eq(entry.role),
            attendees::attendance.eq(entry.attendance),
            attendees::version.eq(1),
            attendees::created_at.eq(at),
            attendees::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

fn rewrite(conn: &mut DbConnection, current: &Attendee, entry: Entry) -> ApiResult<()> {
    crate::write_versioned!(conn, attendees, current, entry)?;
    Ok(())
}

/// The attendees of a meeting, addressed by person.
pub struct Attendees;

impl ItemStore for Attendees {
    type Parent = Meeting;
    type Item = NamedAttendee;
    type New = AttendeeFields;
    type Change = AttendeeFields;

    fn items(
        conn: &mut DbConnection,
        parent: &Meeting,
        slice: &Slice,
    ) -> ApiResult<Page<NamedAttendee>> {
        let rows = named(conn, &parent.id, Pick::Page(slice))?;
        Ok(slice.page(rows, |a| vec![a.name.clone(), a.row.person_id.clone()]))
    }

    fn item(
        conn: &mut DbConnection,
        parent: &Meeting,
        person_id: &str,
    ) -> ApiResult<NamedAttendee> {
        named(conn, &parent.id, Pick::One(person_id))?
            .pop()
            .ok_or_else(ApiError::not_found)
    }

    fn add(
        conn: &mut DbConnection,
        parent: &Managed<Meeting>,
        new: AttendeeFields,
    ) -> ApiResult<NamedAttendee> {
        let entry = entry(conn, "", &new)?;
        if Self::item(conn, parent, &new.person_id).is_ok() {
            return Err(ApiError::conflict(
                "the person is on the attendee list already",
            ));
        }
        insert(conn, &parent.id, &new.person_id, entry)?;
        meeting::touch(conn, parent)?;
        Self::item(conn, parent, &new.person_id)
    }

    fn change(
        conn: &mut DbConnection,
        parent: &Managed<Meeting>,
        item: &NamedAttendee,
        change: AttendeeFields,
    ) -> ApiResult<NamedAttendee> {
        let entry = entry(conn, "", &change)?;
        rewrite(conn, &item.row, entry)?;
        meeting::touch(conn, parent)?;
        Self::item(conn, parent, &item.row.person_id)
    }

    fn remove(
        conn: &mut DbConnection,
        parent: &Managed<Meeting>,
        item: &NamedAttendee,
    ) -> ApiResult<()> {
        diesel::delete(
            attendees::table
                .filter(attendees::id.eq(&item.row.id))
                .filter(attendees::version.eq(item.row.version)),
        )
        .execute(conn)?;
        meeting::touch(conn, parent)
    }
}

/// Makes the attendee list exactly `list` (people left out are removed), in one go, if
/// the meeting is still at the version it was read at.
pub fn set_all(
    conn: &mut DbConnection,
    meeting: &Managed<Meeting>,
    list: &[AttendeeFields],
) -> ApiResult<Vec<NamedAttendee>> {
    let mut seen = std::collections::HashSet::new();
    let existing = named(conn, &meeting.id, Pick::All)?;
    for (i, a) in list.iter().enumerate() {
        if !seen.insert(a.person_id.clone()) {
            return Err(ApiError::invalid_field(
                &format!("[{i}].person_id"),
                "appears twice",
            ));
        }
        let entry = entry(conn, &format!("[{i}]."), a)?;
        match existing.iter().find(|e| e.row.person_id == a.person_id) {
            Some(current) => rewrite(conn, &current.row, entry)?,
            None => insert(conn, &meeting.id, &a.person_id, entry)?,
        }
    }
    for gone in existing.iter().filter(|e| !seen.contains(&e.row.person_id)) {
        diesel::delete(attendees::table.find(&gone.row.id)).execute(conn)?;
    }
    meeting::touch_at(conn, meeting)?;
    named(conn, &meeting.id, Pick::All)
}

/// Adds one attendee or changes their entry (`PUT …/attendees/{person_id}`). Returns
/// the entry and whether it was created.
pub fn put_one(
    conn: &mut DbConnection,
    meeting: &Managed<Meeting>,
    current: Option<&NamedAttendee>,
    fields: AttendeeFields,
) -> ApiResult<(NamedAttendee, bool)> {
    let entry = entry(conn, "", &fields)?;
    let created = match current {
        Some(current) => {
            rewrite(conn, &current.row, entry)?;
            false
        }
        None => {
            insert(conn, &meeting.id, &fields.person_id, entry)?;
            true
        }
    };
    meeting::touch(conn, meeting)?;
    Ok((Attendees::item(conn, meeting, &fields.person_id)?, created))
}

/// Held meetings' present attendees per organization are counted in the participation
/// report; the protocol lists those present by organization.
pub fn of_meeting(conn: &mut DbConnection, meeting_id: &str) -> ApiResult<Vec<NamedAttendee>> {
    named(conn, meeting_id, Pick::All)
}
