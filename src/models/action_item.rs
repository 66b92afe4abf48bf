//! Action items: the tasks minutes hand out, followed across meetings and networks.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{action_items, meetings};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::access::{self, Viewer, Visibility};
use crate::pagination::{Page, PageRequest};

crate::text_enum! {
    /// Where an action item stands.
    ActionStatus {
        Open => "open",
        Done => "done",
        Cancelled => "cancelled",
    }
}

/// An action item row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = action_items)]
pub struct ActionItem {
    pub id: String,
    pub meeting_id: String,
    pub network_id: Option<String>,
    pub section_index: i32,
    pub position: i32,
    pub title: String,
    pub description: Option<String>,
    pub owner_person_id: Option<String>,
    pub owner_organization_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub completed_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

/// The writable fields of an action item, validated.
#[derive(Debug, Clone)]
pub struct ActionFields {
    pub title: String,
    pub description: Option<String>,
    pub owner_person_id: Option<String>,
    pub owner_organization_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
}

impl ActionFields {
    /// The fields of an existing row.
    pub fn of(a: &ActionItem) -> Self {
        Self {
            title: a.title.clone(),
            description: a.description.clone(),
            owner_person_id: a.owner_person_id.clone(),
            owner_organization_id: a.owner_organization_id.clone(),
            due_on: a.due_on,
            status: ActionStatus::parse(&a.status).unwrap_or(ActionStatus::Open),
        }
    }
}

fn search_text(f: &ActionFields) -> String {
    crate::validation::search_text([Some(f.title.as_str()), f.description.as_deref()])
}

/// The live action item with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> ApiResult<ActionItem> {
    Ok(action_items::table
        .find(id)
        .filter(action_items::deleted_at.is_null())
        .select(ActionItem::as_select())
        .first(conn)?)
}

/// The live action items of a meeting's minutes, by section and position.
pub fn of_meeting(conn: &mut DbConnection, meeting_id: &str) -> ApiResult<Vec<ActionItem>> {
    Ok(action_items::table
        .filter(action_items::meeting_id.eq(meeting_id))
        .filter(action_items::deleted_at.is_null())
        .order((
            action_items::section_index.asc(),
            action_items::position.asc(),
        ))
        .select(ActionItem::as_select())
        .load(conn)?)
}

fn check_owner(conn: &mut DbConnection, field: &str, f: &ActionFields) -> ApiResult<()> {
    if let Some(person) = &f.owner_person_id {
        crate::models::person::find(conn, person).map_err(|_| {
            ApiError::invalid_field(&format!("{field}owner_person_id"), "no such person")
        })?;
    }
    if let Some(org) = &f.owner_organization_id {
        crate::models::organization::require_live(
            conn,
            org,
            &format!("{field}owner_organization_id"),
        )?;
    }
    Ok(())
}

fn completed_at(previous: Option<&ActionItem>, status: ActionStatus) -> Option<NaiveDateTime> {
    match (status, previous) {
        (ActionStatus::Done, Some(p)) if p.status == ActionStatus::Done.as_str() => p.completed_at,
        (ActionStatus::Done, _) => Some(now()),
        _ => None,
    }
}

/// One action item of minutes, as the minutes list it.
#[derive(Debug, Clone)]
pub struct PlacedAction {
    /// An existing item of these minutes to keep (and change), or `None` for a new one.
    pub id: Option<String>,
    pub fields: ActionFields,
    /// The field prefix for errors, e.g. `sections[1].action_items[0].`.
    pub field: String,
}

/// Makes the meeting's action items exactly `sections` (items keep their identity by
/// id; items left out are deleted, so sync clients see tombstones).
pub fn sync_for_meeting(
    conn: &mut DbConnection,
    meeting_id: &str,
    network_id: Option<&str>,
    sections: &[Vec<PlacedAction>],
) -> ApiResult<()> {
    let existing = of_meeting(conn, meeting_id)?;
    let mut kept = Vec::new();
    for (s, items) in sections.iter().enumerate() {
        for (p, item) in items.iter().enumerate() {
            check_owner(conn, &item.field, &item.fields)?;
            let f = &item.fields;
            match &item.id {
                Some(id) => {
                    let Some(previous) = existing.iter().find(|e| e.id == *id) else {
                        return Err(ApiError::invalid_field(
                            &format!("{}id", item.field),
                            "is not an action item of these minutes",
                        ));
                    };
                    if kept.contains(id) {
                        return Err(ApiError::invalid_field(
                            &format!("{}id", item.field),
                            "appears twice",
                        ));
                    }
                    kept.push(id.clone());
                    diesel::update(action_items::table.find(id))
                        .set((
                            action_items::section_index.eq(s as i32),
                            action_items::position.eq(p as i32),
                            action_items::title.eq(&f.title),
                            action_items::description.eq(&f.description),
                            action_items::owner_person_id.eq(&f.owner_person_id),
                            action_items::owner_organization_id.eq(&f.owner_organization_id),
                            action_items::due_on.eq(f.due_on),
                            action_items::status.eq(f.status.as_str()),
                            action_items::completed_at.eq(completed_at(Some(previous), f.status)),
                            action_items::search_text.eq(search_text(f)),
                            action_items::version.eq(previous.version + 1),
                            action_items::updated_at.eq(now()),
                        ))
                        .execute(conn)?;
                }
                None => {
                    let at = now();
                    diesel::insert_into(action_items::table)
                        .values((
                            action_items::id.eq(new_id()),
                            action_items::meeting_id.eq(meeting_id),
                            action_items::network_id.eq(network_id),
                            action_items::section_index.eq(s as i32),
                            action_items::position.eq(p as i32),
                            action_items::title.eq(&f.title),
                            action_items::description.eq(&f.description),
                            action_items::owner_person_id.eq(&f.owner_person_id),
                            action_items::owner_organization_id.eq(&f.owner_organization_id),
                            action_items::due_on.eq(f.due_on),
                            action_items::status.eq(f.status.as_str()),
                            action_items::completed_at.eq(completed_at(None, f.status)),
                            action_items::search_text.eq(search_text(f)),
                            action_items::version.eq(1),
                            action_items::created_at.eq(at),
                            action_items::updated_at.eq(at),
                        ))
                        .execute(conn)?;
                }
            }
        }
    }
    let at = now();
    for gone in existing.iter().filter(|e| !kept.contains(&e.id)) {
        diesel::update(action_items::table.find(&gone.id))
            .set((
                action_items::deleted_at.eq(Some(at)),
                action_items::version.eq(gone.version + 1),
                action_items::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Changes one item if it is still at `expected_version`.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i32,
    f: &ActionFields,
) -> ApiResult<ActionItem> {
    let previous = find(conn, id)?;
    check_owner(conn, "", f)?;
    let updated = diesel::update(
        action_items::table
            .filter(action_items::id.eq(id))
            .filter(action_items::version.eq(expected_version)),
    )
    .set((
        action_items::title.eq(&f.title),
        action_items::description.eq(&f.description),
        action_items::owner_person_id.eq(&f.owner_person_id),
        action_items::owner_organization_id.eq(&f.owner_organization_id),
        action_items::due_on.eq(f.due_on),
        action_items::status.eq(f.status.as_str()),
        action_items::completed_at.eq(completed_at(Some(&previous), f.status)),
        action_items::search_text.eq(search_text(f)),
        action_items::version.eq(expected_version + 1),
        action_items::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(ApiError::precondition_failed(Some(find(conn, id)?.version)));
    }
    find(conn, id)
}

/// The ids of the meetings the viewer may see.
pub fn visible_meetings(
    conn: &mut DbConnection,
    viewer: &Viewer,
    today: NaiveDate,
) -> ApiResult<Option<Vec<String>>> {
    if viewer.admin {
        return Ok(None);
    }
    let insider = access::insider_networks(conn, viewer, today)?;
    let mut open = vec![Visibility::Public.as_str()];
    if viewer.signed_in() {
        open.push(Visibility::Internal.as_str());
    }
    let attending: Vec<String> = match &viewer.person_id {
        Some(p) => crate::db::schema::attendees::table
            .filter(crate::db::schema::attendees::person_id.eq(p))
            .select(crate::db::schema::attendees::meeting_id)
            .load(conn)?,
        None => Vec::new(),
    };
    let organizer = viewer.organization_id.clone().unwrap_or_default();
    Ok(Some(
        meetings::table
            .filter(
                meetings::visibility
                    .eq_any(open)
                    .or(meetings::network_id.eq_any(insider))
                    .or(meetings::id.eq_any(attending))
                    .or(meetings::network_id
                        .is_null()
                        .and(meetings::organizer_organization_id.eq(organizer))),
            )
            .select(meetings::id)
            .load(conn)?,
    ))
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    pub owner_person_id: Option<String>,
    pub owner_organization_id: Option<String>,
    pub network_id: Option<String>,
    pub status: Option<ActionStatus>,
    pub due_before: Option<NaiveDate>,
    pub overdue_on: Option<NaiveDate>,
}

/// One page of the action items of meetings the viewer may see.
pub fn list(
    conn: &mut DbConnection,
    viewer: &Viewer,
    page: &PageRequest,
    filter: &ActionFilter,
    today: NaiveDate,
) -> ApiResult<Page<ActionItem>> {
    let mut query = action_items::table
        .select(ActionItem::as_select())
        .into_boxed();
    if let Some(ids) = visible_meetings(conn, viewer, today)? {
        query = query.filter(action_items::meeting_id.eq_any(ids));
    }
    if let Some(p) = &filter.owner_person_id {
        query = query.filter(action_items::owner_person_id.eq(p.clone()));
    }
    if let Some(o) = &filter.owner_organization_id {
        query = query.filter(action_items::owner_organization_id.eq(o.clone()));
    }
    if let Some(n) = &filter.network_id {
        query = query.filter(action_items::network_id.eq(n.clone()));
    }
    if let Some(s) = filter.status {
        query = query.filter(action_items::status.eq(s.as_str()));
    }
    if let Some(d) = filter.due_before {
        query = query.filter(action_items::due_on.lt(d));
    }
    if let Some(d) = filter.overdue_on {
        query = query
            .filter(action_items::status.eq(ActionStatus::Open.as_str()))
            .filter(action_items::due_on.lt(d));
    }
    if let Some(pattern) = &page.search {
        query = query.filter(action_items::search_text.like(pattern.clone()).escape('\\'));
    }
    let rows = crate::keyset!(query, action_items, page).load(conn)?;
    Ok(Page::from_rows(rows, page, |a: &ActionItem| {
        (a.updated_at, a.id.clone())
    }))
}

/// The network's items that were still open when a meeting starting at `starts_at`
/// began: handed out at earlier meetings, and not done or cancelled before it.
pub fn open_at(
    conn: &mut DbConnection,
    network_id: &str,
    starts_at: NaiveDateTime,
) -> ApiResult<Vec<ActionItem>> {
    let earlier: Vec<String> = meetings::table
        .filter(meetings::network_id.eq(network_id))
        .filter(meetings::deleted_at.is_null())
        .filter(meetings::starts_at.lt(starts_at))
        .select(meetings::id)
        .load(conn)?;
    let items: Vec<ActionItem> = action_items::table
        .filter(action_items::meeting_id.eq_any(earlier))
        .filter(action_items::deleted_at.is_null())
        .filter(action_items::status.ne(ActionStatus::Cancelled.as_str()))
        .order(action_items::id.asc())
        .select(ActionItem::as_select())
        .load(conn)?;
    Ok(items
        .into_iter()
        .filter(|a| {
            a.status == ActionStatus::Open.as_str() || a.completed_at.is_some_and(|c| c > starts_at)
        })
        .collect())
}
