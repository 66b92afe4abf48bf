//! Action items: the tasks minutes hand out, followed across meetings and networks.
//! An action item is exactly as visible as the minutes that hand it out.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::json_text::JsonText;
use crate::db::schema::{action_item_replies, action_items, meetings};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
pub use crate::models::reply::{AnsweredAction, Reply, ReplyStatus, with_replies};
use crate::pagination::{Page, PageRequest};
use crate::policy::{self, Assigned, Governed, Reach, Steward};

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
    pub status: ActionStatus,
    pub completed_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    /// When a completion that happened earlier was recorded (`None`: done here).
    pub completion_recorded_at: Option<NaiveDateTime>,
    /// A request to every member organization of the network (as the minutes wrote it).
    pub addressed_to_members: bool,
    /// The organizations it is addressed to by name (as the minutes wrote them).
    pub addressee_organization_ids: JsonText<Vec<String>>,
}

crate::versioned!(ActionItem);
crate::soft_deleted!(ActionItem);

/// An action item with the organizer of its meeting: who manages it when the meeting is
/// outside any network.
#[derive(Debug, Clone)]
pub struct GovernedAction {
    pub item: ActionItem,
    pub organizer_organization_id: Option<String>,
    /// The networks co-hosting its meeting, whose coordinators manage it too.
    pub co_host_network_ids: Vec<String>,
    /// The answers of the organizations asked (empty unless it is a request).
    pub replies: Vec<Reply>,
}

impl crate::db::Versioned for GovernedAction {
    fn version(&self) -> i32 {
        self.item.version
    }
}

crate::stored!(GovernedAction, find = find);

impl Governed for GovernedAction {
    fn steward(&self) -> Steward<'_> {
        match &self.item.network_id {
            Some(host) => Steward::Networks {
                host,
                co_hosts: &self.co_host_network_ids,
            },
            None => Steward::Organization(self.organizer_organization_id.as_deref()),
        }
    }
}

impl Assigned for GovernedAction {
    fn assignee(&self) -> Option<&str> {
        self.item.owner_person_id.as_deref()
    }
}

/// The writable fields of an action item, validated.
#[derive(Debug, Clone, PartialEq, AsChangeset, Insertable)]
#[diesel(table_name = action_items, treat_none_as_null = true)]
pub struct ActionFields {
    pub title: String,
    pub description: Option<String>,
    pub owner_person_id: Option<String>,
    pub owner_organization_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
    pub addressed_to_members: bool,
    pub addressee_organization_ids: JsonText<Vec<String>>,
}

impl ActionFields {
    /// The fields of an existing row, to change some of them.
    pub fn of(a: &ActionItem) -> Self {
        Self {
            title: a.title.clone(),
            description: a.description.clone(),
            owner_person_id: a.owner_person_id.clone(),
            owner_organization_id: a.owner_organization_id.clone(),
            due_on: a.due_on,
            status: a.status,
            addressed_to_members: a.addressed_to_members,
            addressee_organization_ids: a.addressee_organization_ids.clone(),
        }
    }

    /// Whether it asks organizations for an answer each.
    pub fn is_request(&self) -> bool {
        self.addressed_to_members || !self.addressee_organization_ids.0.is_empty()
    }
}

/// What is derived on every write: when it was completed, and the search text.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = action_items, treat_none_as_null = true)]
struct Derived {
    completed_at: Option<NaiveDateTime>,
    completion_recorded_at: Option<NaiveDateTime>,
    search_text: String,
    search_terms: String,
}

/// When an item was completed, if not now: the day it really was, and when that was
/// recorded.
pub type Completion = Option<(NaiveDateTime, NaiveDateTime)>;

fn derived(previous: Option<&ActionItem>, f: &ActionFields, completion: Completion) -> Derived {
    let (completed_at, completion_recorded_at) = match (f.status, completion, previous) {
        (ActionStatus::Done, Some((at, recorded)), _) => (Some(at), Some(recorded)),
        (ActionStatus::Done, None, Some(p)) if p.status == ActionStatus::Done => {
            (p.completed_at, p.completion_recorded_at)
        }
        (ActionStatus::Done, None, _) => (Some(now()), None),
        _ => (None, None),
    };
    Derived {
        completed_at,
        completion_recorded_at,
        search_text: crate::validation::search_text([
            Some(f.title.as_str()),
            f.description.as_deref(),
        ]),
        search_terms: crate::search::index::action_item(&f.title, f.description.as_deref()),
    }
}

fn check_owner(conn: &mut DbConnection, field: &str, f: &ActionFields) -> ApiResult<()> {
    if let Some(person) = &f.owner_person_id {
        crate::models::person::require_live(conn, person, &format!("{field}owner_person_id"))?;
    }
    if let Some(org) = &f.owner_organization_id {
        crate::models::organization::require_live(
            conn,
            org,
            &format!("{field}owner_organization_id"),
        )?;
    }
    for (i, org) in f.addressee_organization_ids.0.iter().enumerate() {
        crate::models::organization::require_live(
            conn,
            org,
            &format!("{field}addressee_organization_ids[{i}]"),
        )?;
    }
    Ok(())
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

/// One action item of minutes, as the minutes list it.
#[derive(Debug, Clone)]
pub struct PlacedAction {
    /// An existing item of these minutes to keep (and change), or `None` for a new one.
    pub id: Option<String>,
    pub fields: ActionFields,
    /// The field prefix for errors, e.g. `sections[1].action_items[0].`.
    pub field: String,
    /// When it was completed, if earlier and being recorded now.
    pub completion: Completion,
    /// `false`: the writer left the status out, so an existing item keeps its own.
    pub status_given: bool,
}

/// Makes the meeting's action items exactly `sections` (items keep their identity by
/// id; items left out are deleted, so sync clients see tombstones). The caller holds the
/// meeting's minutes for writing.
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
            let placed = (
                action_items::section_index.eq(s as i32),
                action_items::position.eq(p as i32),
            );
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
                    let mut fields = item.fields.clone();
                    if !item.status_given {
                        fields.status = previous.status;
                    }
                    let derived = derived(Some(previous), &fields, item.completion);
                    crate::touch!(conn, action_items, id, (placed, &fields, derived))?;
                    crate::models::reply::address(
                        conn,
                        id,
                        meeting_id,
                        network_id,
                        Some(&ActionFields::of(previous)),
                        &fields,
                        &item.field,
                    )?;
                }
                None => {
                    let at = now();
                    let id = new_id();
                    diesel::insert_into(action_items::table)
                        .values((
                            action_items::id.eq(&id),
                            action_items::meeting_id.eq(meeting_id),
                            action_items::network_id.eq(network_id),
                            placed,
                            &item.fields,
                            derived(None, &item.fields, item.completion),
                            action_items::version.eq(1),
                            action_items::created_at.eq(at),
                            action_items::updated_at.eq(at),
                        ))
                        .execute(conn)?;
                    crate::models::reply::address(
                        conn,
                        &id,
                        meeting_id,
                        network_id,
                        None,
                        &item.fields,
                        &item.field,
                    )?;
                }
            }
        }
    }
    for gone in existing.iter().filter(|e| !kept.contains(&e.id)) {
        crate::touch!(
            conn,
            action_items,
            &gone.id,
            action_items::deleted_at.eq(Some(now()))
        )?;
    }
    Ok(())
}

/// The live action item with this id if the caller may see it (404 otherwise), with its
/// meeting's organizer; `lock` locks its row for a write.
pub fn find(
    conn: &mut DbConnection,
    reach: &Reach,
    id: &str,
    lock: bool,
) -> ApiResult<GovernedAction> {
    if lock {
        crate::lock_row!(conn, action_items, id)?;
    }
    let of_meeting = meetings::table.filter(meetings::id.eq(action_items::meeting_id));
    let organizer = of_meeting
        .select(meetings::organizer_organization_id)
        .single_value();
    let co_hosts = of_meeting
        .select(meetings::co_host_network_ids)
        .single_value();
    let (item, organizer_organization_id, co_hosts) = action_items::table
        .filter(action_items::id.eq(id.to_string()))
        .filter(action_items::deleted_at.is_null())
        .filter(policy::sql::action_items(reach))
        .select((ActionItem::as_select(), organizer, co_hosts))
        .first::<(ActionItem, Option<String>, Option<JsonText<Vec<String>>>)>(conn)?;
    let replies = crate::models::reply::of_items(conn, &[item.id.as_str()])?;
    Ok(GovernedAction {
        item,
        organizer_organization_id,
        co_host_network_ids: co_hosts.map(|c| c.0).unwrap_or_default(),
        replies,
    })
}

/// Changes one item the caller may change (the guard says how much), at the version it
/// was read at.
pub fn update(
    conn: &mut DbConnection,
    current: &GovernedAction,
    f: &ActionFields,
    completion: Completion,
) -> ApiResult<GovernedAction> {
    check_owner(conn, "", f)?;
    let item = &current.item;
    let mut written = ActionFields::of(item);
    written.status = f.status;
    if written != *f {
        // What the minutes hand out is part of their text: once submitted, only an
        // amendment changes it. The status is the item's own.
        let status = crate::db::schema::minutes::table
            .filter(crate::db::schema::minutes::meeting_id.eq(&item.meeting_id))
            .select(crate::db::schema::minutes::status)
            .first::<crate::models::minutes::MinutesStatus>(conn)
            .optional()?;
        if let Some(status) = status.filter(|s| *s != crate::models::minutes::MinutesStatus::Draft)
        {
            return Err(ApiError::state_conflict(
                status.as_str(),
                "the minutes that hand out this item are submitted or approved: change its title, description, owner or due date by amending the minutes; its status is its own",
            ));
        }
    }
    crate::write_versioned!(
        conn,
        action_items,
        item,
        (f, derived(Some(item), f, completion))
    )?;
    crate::models::reply::address(
        conn,
        &item.id,
        &item.meeting_id,
        item.network_id.as_deref(),
        Some(&ActionFields::of(item)),
        f,
        "",
    )?;
    let item = action_items::table
        .find(&item.id)
        .select(ActionItem::as_select())
        .first(conn)?;
    Ok(GovernedAction {
        replies: crate::models::reply::of_items(conn, &[item_id(&item)])?,
        item,
        organizer_organization_id: current.organizer_organization_id.clone(),
        co_host_network_ids: current.co_host_network_ids.clone(),
    })
}

fn item_id(item: &ActionItem) -> &str {
    item.id.as_str()
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
    /// The caller's own: owned by this person, or asked of this organization.
    pub mine: Option<(String, Option<String>)>,
    /// Only requests that ask this organization.
    pub addressee_organization_id: Option<String>,
    /// The items of this network that were still open when a meeting starting at this
    /// time began: handed out at earlier meetings, and not done or cancelled before it.
    pub open_at: Option<(String, NaiveDateTime)>,
}

/// One page of the action items the caller may see.
pub fn list(
    conn: &mut DbConnection,
    reach: &Reach,
    page: &PageRequest,
    filter: &ActionFilter,
) -> ApiResult<Page<ActionItem>> {
    let mut query = action_items::table
        .select(ActionItem::as_select())
        .filter(policy::sql::action_items(reach))
        .into_boxed();
    if let Some(p) = &filter.owner_person_id {
        query = query.filter(action_items::owner_person_id.eq(p.clone()));
    }
    if let Some(o) = &filter.owner_organization_id {
        query = query.filter(action_items::owner_organization_id.eq(o.clone()));
    }
    if let Some(n) = &filter.network_id {
        query = query.filter(crate::held_by!(
            action_items::meeting_id,
            action_items::network_id,
            n
        ));
    }
    if let Some((person, organization)) = &filter.mine {
        // An organization that is none matches no reply ("" is no id).
        let asked = action_item_replies::table
            .filter(
                action_item_replies::organization_id.eq(organization.clone().unwrap_or_default()),
            )
            .select(action_item_replies::action_item_id);
        query = query.filter(
            action_items::owner_person_id
                .eq(person.clone())
                .or(action_items::id.eq_any(asked)),
        );
    }
    if let Some(o) = &filter.addressee_organization_id {
        query = query.filter(
            action_items::id.eq_any(
                action_item_replies::table
                    .filter(action_item_replies::organization_id.eq(o.clone()))
                    .select(action_item_replies::action_item_id),
            ),
        );
    }
    if let Some(s) = filter.status {
        query = query.filter(action_items::status.eq(s));
    }
    if let Some(d) = filter.due_before {
        query = query.filter(action_items::due_on.lt(d));
    }
    if let Some(d) = filter.overdue_on {
        query = query
            .filter(action_items::status.eq(ActionStatus::Open))
            .filter(action_items::due_on.lt(d));
    }
    if let Some((network_id, starts_at)) = &filter.open_at {
        query = query
            .filter(
                action_items::meeting_id.eq_any(
                    meetings::table
                        .filter(meetings::network_id.eq(network_id.clone()))
                        .filter(meetings::deleted_at.is_null())
                        .filter(meetings::starts_at.lt(*starts_at))
                        .select(meetings::id),
                ),
            )
            .filter(action_items::status.ne(ActionStatus::Cancelled))
            .filter(
                action_items::status
                    .eq(ActionStatus::Open)
                    .or(action_items::completed_at.gt(*starts_at)),
            );
    }
    if let Some(pattern) = &page.search {
        query = query.filter(action_items::search_text.like(pattern.clone()).escape('\\'));
    }
    let rows = crate::keyset!(query, action_items, page).load(conn)?;
    Ok(Page::from_rows(rows, page, |a: &ActionItem| {
        (a.updated_at, a.id.clone())
    }))
}
