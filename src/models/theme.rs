//! Themes: what members propose that a network should take up, supported by
//! organizations, and taken through proposed → accepted → scheduled → discussed (or
//! postponed / rejected, with a reason).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::json_text::JsonText;
use crate::db::schema::{theme_supporters, themes};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::agenda::{AgendaFields, NewAgendaItem};
use crate::models::meeting::Meeting;
use crate::models::network::Network;
pub use crate::models::theme_support::{set_supporters, support, unsupport};
use crate::pagination::PageRequest;
use crate::policy::{
    self, Governed, Managed, Permitted, Proposal, ProposalRight, Reach, Steward, Visibility, right,
};

crate::text_enum! {
    /// Where a theme stands.
    ThemeStatus {
        Proposed => "proposed",
        Accepted => "accepted",
        /// On a meeting's agenda.
        Scheduled => "scheduled",
        Discussed => "discussed",
        Postponed => "postponed",
        Rejected => "rejected",
    }
}

impl ThemeStatus {
    /// The statuses a `PATCH` may move to from this one (`scheduled` is reached by
    /// scheduling onto a meeting).
    pub fn next(self) -> &'static [ThemeStatus] {
        use ThemeStatus::*;
        match self {
            Proposed => &[Accepted, Postponed, Rejected],
            Accepted => &[Proposed, Postponed, Rejected],
            Scheduled => &[Discussed, Postponed],
            Postponed => &[Proposed, Accepted, Rejected],
            Rejected => &[Proposed],
            Discussed => &[],
        }
    }

    /// Whether the theme may be put on a meeting's agenda from this status.
    pub fn schedulable(self) -> bool {
        matches!(self, Self::Proposed | Self::Accepted | Self::Postponed)
    }
}

/// A theme row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = themes)]
pub struct Theme {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub network_id: String,
    pub proposed_by_organization_id: Option<String>,
    pub proposed_by_person_id: Option<String>,
    pub status: ThemeStatus,
    pub status_reason: Option<String>,
    pub target_period: Option<String>,
    pub meeting_id: Option<String>,
    pub agenda_item_id: Option<String>,
    pub tags: JsonText<Vec<String>>,
    pub visibility: Visibility,
    pub support_count: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    /// The network that wished for it, as a network.
    pub proposed_by_network_id: Option<String>,
}

crate::versioned!(Theme);

impl crate::db::Versioned for SupportedTheme {
    fn version(&self) -> i32 {
        self.theme.version
    }
}

impl crate::models::store::Stored for Theme {
    type Shown = SupportedTheme;

    fn find(conn: &mut DbConnection, reach: &Reach, id: &str, lock: bool) -> ApiResult<Self> {
        find(conn, reach, id, lock)
    }

    fn show(conn: &mut DbConnection, reach: &Reach, id: &str) -> ApiResult<SupportedTheme> {
        let theme = find(conn, reach, id, false)?;
        supported(conn, theme)
    }
}
crate::soft_deleted!(Theme);

impl Governed for Theme {
    fn steward(&self) -> Steward<'_> {
        Steward::Network(&self.network_id)
    }
}

impl Proposal for Theme {
    fn proposer(&self) -> Option<&str> {
        self.proposed_by_person_id.as_deref()
    }

    fn open(&self) -> bool {
        self.status == ThemeStatus::Proposed
    }
}

/// A theme with the organizations supporting it, as served.
#[derive(Debug, Clone)]
pub struct SupportedTheme {
    pub theme: Theme,
    pub supporters: Vec<String>,
}

impl crate::pagination::SoftDeleted for SupportedTheme {
    fn id(&self) -> &str {
        &self.theme.id
    }
    fn deleted_at(&self) -> Option<NaiveDateTime> {
        self.theme.deleted_at
    }
}

/// The writable fields of a theme, validated: the insert and the update both write
/// exactly these.
#[derive(Debug, Clone, AsChangeset, Insertable, PartialEq)]
#[diesel(table_name = themes, treat_none_as_null = true)]
pub struct ThemeFields {
    pub title: String,
    pub description: Option<String>,
    pub proposed_by_organization_id: Option<String>,
    pub proposed_by_network_id: Option<String>,
    pub status: ThemeStatus,
    pub status_reason: Option<String>,
    pub target_period: Option<String>,
    pub meeting_id: Option<String>,
    pub agenda_item_id: Option<String>,
    pub tags: JsonText<Vec<String>>,
    pub visibility: Visibility,
    #[diesel(column_name = search_text)]
    pub search: String,
}

impl ThemeFields {
    /// The fields of an existing row.
    pub fn of(t: &Theme) -> Self {
        Self {
            title: t.title.clone(),
            description: t.description.clone(),
            proposed_by_organization_id: t.proposed_by_organization_id.clone(),
            proposed_by_network_id: t.proposed_by_network_id.clone(),
            status: t.status,
            status_reason: t.status_reason.clone(),
            target_period: t.target_period.clone(),
            meeting_id: t.meeting_id.clone(),
            agenda_item_id: t.agenda_item_id.clone(),
            tags: t.tags.clone(),
            visibility: t.visibility,
            search: String::new(),
        }
    }

    fn indexed(mut self) -> Self {
        let tags = self.tags.join("\n");
        self.search = crate::validation::search_text([
            Some(self.title.as_str()),
            self.description.as_deref(),
            self.target_period.as_deref(),
            Some(tags.as_str()),
        ]);
        self
    }
}

fn live(conn: &mut DbConnection, id: &str) -> ApiResult<Theme> {
    Ok(themes::table
        .find(id)
        .filter(themes::deleted_at.is_null())
        .select(Theme::as_select())
        .first(conn)?)
}

/// The live theme with this id if the caller may see it (404 otherwise); `lock` locks
/// its row for a write in the same transaction.
pub fn find(conn: &mut DbConnection, reach: &Reach, id: &str, lock: bool) -> ApiResult<Theme> {
    if lock {
        crate::lock_row!(conn, themes, id)?;
    }
    Ok(themes::table
        .find(id)
        .filter(themes::deleted_at.is_null())
        .filter(policy::sql::themes(reach))
        .select(Theme::as_select())
        .first(conn)?)
}

/// The theme with its supporters.
pub fn supported(conn: &mut DbConnection, theme: Theme) -> ApiResult<SupportedTheme> {
    with_supporters(conn, vec![theme])?
        .pop()
        .ok_or_else(ApiError::not_found)
}

/// The themes with their supporters, in one statement for all of them.
fn with_supporters(conn: &mut DbConnection, rows: Vec<Theme>) -> ApiResult<Vec<SupportedTheme>> {
    let ids: Vec<&str> = rows.iter().map(|t| t.id.as_str()).collect();
    let all: Vec<(String, String)> = theme_supporters::table
        .filter(theme_supporters::theme_id.eq_any(ids))
        .order(theme_supporters::created_at.asc())
        .select((
            theme_supporters::theme_id,
            theme_supporters::organization_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|theme| SupportedTheme {
            supporters: all
                .iter()
                .filter(|(t, _)| *t == theme.id)
                .map(|(_, o)| o.clone())
                .collect(),
            theme,
        })
        .collect())
}

/// Inserts a theme proposed in a network by `person_id`.
pub fn create(
    conn: &mut DbConnection,
    network: &Permitted<Network, right::Propose>,
    person_id: Option<&str>,
    fields: ThemeFields,
) -> ApiResult<Theme> {
    if let Some(org) = &fields.proposed_by_organization_id {
        crate::models::organization::require_live(conn, org, "proposed_by_organization_id")?;
    }
    let id = new_id();
    let at = now();
    diesel::insert_into(themes::table)
        .values((
            themes::id.eq(&id),
            themes::network_id.eq(&network.id),
            themes::proposed_by_person_id.eq(person_id),
            themes::search_terms.eq(fields.search_terms()),
            fields.indexed(),
            themes::support_count.eq(0),
            themes::version.eq(1),
            themes::created_at.eq(at),
            themes::updated_at.eq(at),
        ))
        .execute(conn)?;
    live(conn, &id)
}

/// Moves the theme to its next version if it is still at the version it was read at.
pub(crate) fn advance<C>(conn: &mut DbConnection, theme: &Theme, changes: C) -> ApiResult<Theme>
where
    C: AsChangeset<Target = themes::table>,
    C::Changeset: diesel::query_builder::QueryFragment<crate::db::MultiBackend>,
{
    crate::write_versioned!(conn, themes, theme, changes)?;
    live(conn, &theme.id)
}

/// Replaces the writable fields, as far as the caller's right goes (the route checked
/// which fields a proposer may change).
pub fn update(
    conn: &mut DbConnection,
    right: &ProposalRight<Theme>,
    fields: ThemeFields,
) -> ApiResult<Theme> {
    if let Some(org) = &fields.proposed_by_organization_id {
        crate::models::organization::require_live(conn, org, "proposed_by_organization_id")?;
    }
    let terms = themes::search_terms.eq(fields.search_terms());
    advance(conn, right.theme(), (terms, fields.indexed()))
}

/// Puts the theme on a meeting's agenda: its agenda item is added and the theme becomes
/// `scheduled`, in the caller's transaction.
pub fn schedule(
    conn: &mut DbConnection,
    theme: &Managed<Theme>,
    meeting: &Managed<Meeting>,
    position: Option<i32>,
) -> ApiResult<Theme> {
    if !theme.status.schedulable() {
        return Err(ApiError::state_conflict(
            theme.status.as_str(),
            format!("a {} theme cannot be scheduled", theme.status.as_str()),
        ));
    }
    let host = meeting.network_id.as_deref() == Some(theme.network_id.as_str());
    if !host && !meeting.co_host_network_ids.contains(&theme.network_id) {
        return Err(ApiError::invalid_field(
            "meeting_id",
            "is not a meeting of the theme's network (nor one it co-hosts)",
        ));
    }
    let item = crate::models::agenda::add_item(
        conn,
        meeting,
        NewAgendaItem {
            position,
            fields: AgendaFields {
                title: theme.title.clone(),
                description: theme.description.clone(),
                presenter_person_id: None,
                duration_minutes: None,
                theme_id: Some(theme.id.clone()),
            },
        },
    )?;
    let mut fields = ThemeFields::of(theme);
    fields.status = ThemeStatus::Scheduled;
    fields.status_reason = None;
    fields.meeting_id = Some(meeting.id.clone());
    fields.agenda_item_id = Some(item.id);
    let terms = themes::search_terms.eq(fields.search_terms());
    advance(conn, theme, (terms, fields.indexed()))
}

/// Soft-deletes a theme.
pub fn delete(conn: &mut DbConnection, right: &ProposalRight<Theme>) -> ApiResult<()> {
    let theme = right.theme();
    crate::write_versioned!(conn, themes, theme, themes::deleted_at.eq(Some(now())))
}

/// List filters and order.
#[derive(Debug, Clone, Default)]
pub struct ThemeFilter {
    pub network_id: Option<String>,
    pub status: Option<ThemeStatus>,
    pub proposed_by_organization_id: Option<String>,
    pub proposed_by_network_id: Option<String>,
    pub tag: Option<String>,
    /// Most supported first, instead of oldest first.
    pub by_support: bool,
}

/// Where a page sorted by support ended: (support count, id).
pub type SupportCursor = (i32, String);

/// One page of the themes the caller may see, with their supporters (one more row than
/// the limit when more follow).
pub fn list(
    conn: &mut DbConnection,
    reach: &Reach,
    page: &PageRequest,
    filter: &ThemeFilter,
    after_support: Option<SupportCursor>,
) -> ApiResult<Vec<SupportedTheme>> {
    let mut query = themes::table
        .select(Theme::as_select())
        .filter(policy::sql::themes(reach))
        .into_boxed();
    if let Some(n) = &filter.network_id {
        query = query.filter(themes::network_id.eq(n.clone()));
    }
    if let Some(s) = filter.status {
        query = query.filter(themes::status.eq(s));
    }
    if let Some(o) = &filter.proposed_by_organization_id {
        query = query.filter(themes::proposed_by_organization_id.eq(o.clone()));
    }
    if let Some(n) = &filter.proposed_by_network_id {
        query = query.filter(themes::proposed_by_network_id.eq(n.clone()));
    }
    if let Some(tag) = &filter.tag {
        query = query.filter(
            themes::search_text
                .like(crate::validation::like_pattern(tag))
                .escape('\\'),
        );
    }
    if let Some(pattern) = &page.search {
        query = query.filter(themes::search_text.like(pattern.clone()).escape('\\'));
    }
    let rows = if filter.by_support && page.modified_since.is_none() {
        query = query.filter(themes::deleted_at.is_null());
        if let Some((count, id)) = after_support {
            query = query.filter(
                themes::support_count
                    .lt(count)
                    .or(themes::support_count.eq(count).and(themes::id.gt(id))),
            );
        }
        query
            .order((themes::support_count.desc(), themes::id.asc()))
            .limit(page.limit + 1)
            .load(conn)?
    } else {
        crate::keyset!(query, themes, page).load(conn)?
    };
    with_supporters(conn, rows)
}
