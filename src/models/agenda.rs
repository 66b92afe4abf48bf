//! The agenda of a meeting: items numbered 1..n, inserted at a position and moved, with
//! the others renumbered so that there are no gaps and no duplicates.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::agenda_items;
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::meeting::{self, Meeting};
use crate::models::store::ItemStore;
use crate::pagination::{Page, Slice};
use crate::policy::Managed;

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

crate::versioned!(AgendaItem);

/// The content of an agenda item, validated.
#[derive(Debug, Clone, AsChangeset, Insertable, PartialEq)]
#[diesel(table_name = agenda_items, treat_none_as_null = true)]
pub struct AgendaFields {
    pub title: String,
    pub description: Option<String>,
    pub presenter_person_id: Option<String>,
    pub duration_minutes: Option<i32>,
    pub theme_id: Option<String>,
}

/// An item to add at a position (1-based; the end when `None` or past it).
#[derive(Debug, Clone)]
pub struct NewAgendaItem {
    pub position: Option<i32>,
    pub fields: AgendaFields,
}

/// A change to an item; `position` moves it.
#[derive(Debug, Clone)]
pub struct AgendaChange {
    pub position: Option<i32>,
    pub fields: AgendaFields,
}

fn agenda(conn: &mut DbConnection, meeting_id: &str) -> ApiResult<Vec<AgendaItem>> {
    Ok(agenda_items::table
        .filter(agenda_items::meeting_id.eq(meeting_id))
        .order((agenda_items::position.asc(), agenda_items::id.asc()))
        .select(AgendaItem::as_select())
        .load(conn)?)
}

/// Writes positions 1..n in the given order, touching only the items that moved.
fn renumber(conn: &mut DbConnection, ordered: &[AgendaItem]) -> ApiResult<()> {
    for (index, item) in ordered.iter().enumerate() {
        let position = index as i32 + 1;
        if item.position != position {
            crate::touch!(
                conn,
                agenda_items,
                &item.id,
                agenda_items::position.eq(position)
            )?;
        }
    }
    Ok(())
}

fn slot(position: Option<i32>, len: usize) -> usize {
    position.map_or(len, |p| (p.max(1) as usize - 1).min(len))
}

fn check_references(conn: &mut DbConnection, fields: &AgendaFields) -> ApiResult<()> {
    if let Some(person) = &fields.presenter_person_id {
        crate::models::person::require_live(conn, person, "presenter_person_id")?;
    }
    Ok(())
}

/// The agenda of a meeting.
pub struct Agenda;

impl ItemStore for Agenda {
    type Parent = Meeting;
    type Item = AgendaItem;
    type New = NewAgendaItem;
    type Change = AgendaChange;

    fn items(
        conn: &mut DbConnection,
        parent: &Meeting,
        slice: &Slice,
    ) -> ApiResult<Page<AgendaItem>> {
        let mut query = agenda_items::table
            .filter(agenda_items::meeting_id.eq(&parent.id))
            .order((agenda_items::position.asc(), agenda_items::id.asc()))
            .select(AgendaItem::as_select())
            .limit(slice.fetch())
            .into_boxed();
        if let Some([position, id]) = slice.after::<2>()? {
            let position: i32 = position.parse().map_err(|_| {
                ApiError::invalid_field("cursor", "is not a cursor this list handed out")
            })?;
            query = query.filter(
                agenda_items::position
                    .gt(position)
                    .or(agenda_items::position
                        .eq(position)
                        .and(agenda_items::id.gt(id))),
            );
        }
        let rows = query.load(conn)?;
        Ok(slice.page(rows, |i: &AgendaItem| {
            vec![i.position.to_string(), i.id.clone()]
        }))
    }

    fn item(conn: &mut DbConnection, parent: &Meeting, id: &str) -> ApiResult<AgendaItem> {
        Ok(agenda_items::table
            .filter(agenda_items::meeting_id.eq(&parent.id))
            .filter(agenda_items::id.eq(id))
            .select(AgendaItem::as_select())
            .first(conn)?)
    }

    fn add(
        conn: &mut DbConnection,
        parent: &Managed<Meeting>,
        new: NewAgendaItem,
    ) -> ApiResult<AgendaItem> {
        add_item(conn, parent, new)
    }

    fn change(
        conn: &mut DbConnection,
        parent: &Managed<Meeting>,
        item: &AgendaItem,
        change: AgendaChange,
    ) -> ApiResult<AgendaItem> {
        check_references(conn, &change.fields)?;
        crate::write_versioned!(conn, agenda_items, item, change.fields)?;
        if let Some(position) = change.position {
            let mut items = agenda(conn, &parent.id)?;
            let from = items.iter().position(|i| i.id == item.id).unwrap_or(0);
            let moved = items.remove(from);
            let to = slot(Some(position), items.len());
            items.insert(to, moved);
            renumber(conn, &items)?;
        }
        meeting::touch(conn, parent)?;
        Self::item(conn, parent, &item.id)
    }

    fn remove(
        conn: &mut DbConnection,
        parent: &Managed<Meeting>,
        item: &AgendaItem,
    ) -> ApiResult<()> {
        diesel::delete(
            agenda_items::table
                .filter(agenda_items::id.eq(&item.id))
                .filter(agenda_items::version.eq(item.version)),
        )
        .execute(conn)?;
        let items = agenda(conn, &parent.id)?;
        renumber(conn, &items)?;
        meeting::touch(conn, parent)
    }
}

/// Inserts an item at its position, moving the items from there on down by one (also
/// when a theme is scheduled onto the meeting).
pub fn add_item(
    conn: &mut DbConnection,
    meeting: &Managed<Meeting>,
    new: NewAgendaItem,
) -> ApiResult<AgendaItem> {
    check_references(conn, &new.fields)?;
    let mut items = agenda(conn, &meeting.id)?;
    let index = slot(new.position, items.len());
    let id = new_id();
    let at = now();
    diesel::insert_into(agenda_items::table)
        .values((
            agenda_items::id.eq(&id),
            agenda_items::meeting_id.eq(&meeting.id),
            agenda_items::position.eq(index as i32 + 1),
            new.fields,
            agenda_items::version.eq(1),
            agenda_items::created_at.eq(at),
            agenda_items::updated_at.eq(at),
        ))
        .execute(conn)?;
    let created = Agenda::item(conn, meeting, &id)?;
    items.insert(index, created);
    renumber(conn, &items)?;
    meeting::touch(conn, meeting)?;
    Agenda::item(conn, meeting, &id)
}

/// Gives a meeting that has no agenda yet these items, in order (an import): one insert
/// each and one touch of the meeting, instead of a renumbering per item. Returns their ids.
pub fn add_all(
    conn: &mut DbConnection,
    meeting: &Managed<Meeting>,
    items: Vec<AgendaFields>,
) -> ApiResult<Vec<String>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    if !ids_of(conn, &meeting.id)?.is_empty() {
        return Err(ApiError::conflict("the meeting has an agenda already"));
    }
    let at = now();
    let mut ids = Vec::with_capacity(items.len());
    for (index, fields) in items.into_iter().enumerate() {
        check_references(conn, &fields)?;
        let id = new_id();
        diesel::insert_into(agenda_items::table)
            .values((
                agenda_items::id.eq(&id),
                agenda_items::meeting_id.eq(&meeting.id),
                agenda_items::position.eq(index as i32 + 1),
                fields,
                agenda_items::version.eq(1),
                agenda_items::created_at.eq(at),
                agenda_items::updated_at.eq(at),
            ))
            .execute(conn)?;
        ids.push(id);
    }
    meeting::touch(conn, meeting)?;
    Ok(ids)
}

/// The ids of a meeting's agenda items, for the sections of its minutes.
pub fn ids_of(conn: &mut DbConnection, meeting_id: &str) -> ApiResult<Vec<String>> {
    Ok(agenda_items::table
        .filter(agenda_items::meeting_id.eq(meeting_id))
        .select(agenda_items::id)
        .load(conn)?)
}
