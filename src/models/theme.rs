//! Themes: what members propose that a network should take up, supported by
//! organizations, and taken through proposed → accepted → scheduled → discussed (or
//! postponed / rejected, with a reason).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{theme_supporters, themes};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::access::{self, Viewer, Visibility};
use crate::pagination::PageRequest;

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
    pub status: String,
    pub status_reason: Option<String>,
    pub target_period: Option<String>,
    pub meeting_id: Option<String>,
    pub agenda_item_id: Option<String>,
    pub tags: String,
    pub visibility: String,
    pub support_count: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

impl Theme {
    /// The tags, parsed.
    pub fn tag_list(&self) -> Vec<String> {
        serde_json::from_str(&self.tags).unwrap_or_default()
    }
}

/// The writable fields of a theme, validated.
#[derive(Debug, Clone)]
pub struct ThemeFields {
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
    pub tags: Vec<String>,
    pub visibility: Visibility,
}

impl ThemeFields {
    /// The fields of an existing row.
    pub fn of(t: &Theme) -> Self {
        Self {
            title: t.title.clone(),
            description: t.description.clone(),
            network_id: t.network_id.clone(),
            proposed_by_organization_id: t.proposed_by_organization_id.clone(),
            proposed_by_person_id: t.proposed_by_person_id.clone(),
            status: ThemeStatus::parse(&t.status).unwrap_or(ThemeStatus::Proposed),
            status_reason: t.status_reason.clone(),
            target_period: t.target_period.clone(),
            meeting_id: t.meeting_id.clone(),
            agenda_item_id: t.agenda_item_id.clone(),
            tags: t.tag_list(),
            visibility: Visibility::parse(&t.visibility).unwrap_or(Visibility::Restricted),
        }
    }

    fn search_text(&self) -> String {
        let tags = self.tags.join("\n");
        crate::validation::search_text([
            Some(self.title.as_str()),
            self.description.as_deref(),
            self.target_period.as_deref(),
            Some(tags.as_str()),
        ])
    }
}

/// The live theme with this id, whoever asks.
pub fn find(conn: &mut DbConnection, id: &str) -> ApiResult<Theme> {
    Ok(themes::table
        .find(id)
        .filter(themes::deleted_at.is_null())
        .select(Theme::as_select())
        .first(conn)?)
}

/// The theme and the viewer's role in its network; 404 unless they may see it.
pub fn find_visible(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
    today: NaiveDate,
) -> ApiResult<(Theme, access::NetworkRole)> {
    let theme = find(conn, id)?;
    let (_, role) =
        crate::models::access::network_find_visible(conn, viewer, &theme.network_id, today)?;
    if role.can_see(&theme.visibility, viewer) {
        Ok((theme, role))
    } else {
        Err(ApiError::not_found())
    }
}

/// Inserts a theme.
pub fn create(conn: &mut DbConnection, f: &ThemeFields) -> ApiResult<Theme> {
    if let Some(org) = &f.proposed_by_organization_id {
        crate::models::organization::require_live(conn, org, "proposed_by_organization_id")?;
    }
    let id = new_id();
    let at = now();
    diesel::insert_into(themes::table)
        .values((
            themes::id.eq(&id),
            themes::title.eq(&f.title),
            themes::description.eq(&f.description),
            themes::network_id.eq(&f.network_id),
            themes::proposed_by_organization_id.eq(&f.proposed_by_organization_id),
            themes::proposed_by_person_id.eq(&f.proposed_by_person_id),
            themes::status.eq(f.status.as_str()),
            themes::status_reason.eq(&f.status_reason),
            themes::target_period.eq(&f.target_period),
            themes::tags.eq(serde_json::to_string(&f.tags).unwrap_or_default()),
            themes::visibility.eq(f.visibility.as_str()),
            themes::support_count.eq(0),
            themes::search_text.eq(f.search_text()),
            themes::version.eq(1),
            themes::created_at.eq(at),
            themes::updated_at.eq(at),
        ))
        .execute(conn)?;
    find(conn, &id)
}

/// Replaces the writable fields if the row is still at `expected_version`.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i32,
    f: &ThemeFields,
) -> ApiResult<Theme> {
    if let Some(org) = &f.proposed_by_organization_id {
        crate::models::organization::require_live(conn, org, "proposed_by_organization_id")?;
    }
    let updated = diesel::update(
        themes::table
            .filter(themes::id.eq(id))
            .filter(themes::version.eq(expected_version)),
    )
    .set((
        themes::title.eq(&f.title),
        themes::description.eq(&f.description),
        themes::proposed_by_organization_id.eq(&f.proposed_by_organization_id),
        themes::status.eq(f.status.as_str()),
        themes::status_reason.eq(&f.status_reason),
        themes::target_period.eq(&f.target_period),
        themes::meeting_id.eq(&f.meeting_id),
        themes::agenda_item_id.eq(&f.agenda_item_id),
        themes::tags.eq(serde_json::to_string(&f.tags).unwrap_or_default()),
        themes::visibility.eq(f.visibility.as_str()),
        themes::search_text.eq(f.search_text()),
        themes::version.eq(expected_version + 1),
        themes::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(ApiError::precondition_failed(Some(find(conn, id)?.version)));
    }
    find(conn, id)
}

/// Soft-deletes a theme.
pub fn delete(conn: &mut DbConnection, id: &str, version: i32) -> ApiResult<()> {
    let at = now();
    diesel::update(themes::table.find(id))
        .set((
            themes::deleted_at.eq(Some(at)),
            themes::version.eq(version + 1),
            themes::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The organizations supporting a theme, in the order they joined.
pub fn supporters(conn: &mut DbConnection, id: &str) -> ApiResult<Vec<String>> {
    Ok(theme_supporters::table
        .filter(theme_supporters::theme_id.eq(id))
        .order(theme_supporters::created_at.asc())
        .select(theme_supporters::organization_id)
        .load(conn)?)
}

fn recount(conn: &mut DbConnection, theme: &Theme) -> ApiResult<Theme> {
    let count: i64 = theme_supporters::table
        .filter(theme_supporters::theme_id.eq(&theme.id))
        .count()
        .get_result(conn)?;
    diesel::update(themes::table.find(&theme.id))
        .set((
            themes::support_count.eq(count as i32),
            themes::version.eq(theme.version + 1),
            themes::updated_at.eq(now()),
        ))
        .execute(conn)?;
    find(conn, &theme.id)
}

/// An organization supports the theme; 409 if it does already.
pub fn support(
    conn: &mut DbConnection,
    theme: &Theme,
    organization_id: &str,
    person_id: &str,
) -> ApiResult<Theme> {
    let exists: i64 = theme_supporters::table
        .filter(theme_supporters::theme_id.eq(&theme.id))
        .filter(theme_supporters::organization_id.eq(organization_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(ApiError::conflict(
            "your organization supports this theme already",
        ));
    }
    diesel::insert_into(theme_supporters::table)
        .values((
            theme_supporters::theme_id.eq(&theme.id),
            theme_supporters::organization_id.eq(organization_id),
            theme_supporters::person_id.eq(person_id),
            theme_supporters::created_at.eq(now()),
        ))
        .execute(conn)?;
    recount(conn, theme)
}

/// An organization withdraws its support; 404 if it gave none.
pub fn unsupport(
    conn: &mut DbConnection,
    theme: &Theme,
    organization_id: &str,
) -> ApiResult<Theme> {
    let removed = diesel::delete(
        theme_supporters::table
            .filter(theme_supporters::theme_id.eq(&theme.id))
            .filter(theme_supporters::organization_id.eq(organization_id)),
    )
    .execute(conn)?;
    if removed == 0 {
        return Err(
            ApiError::not_found().with_detail("your organization does not support this theme")
        );
    }
    recount(conn, theme)
}

/// List filters and order.
#[derive(Debug, Clone, Default)]
pub struct ThemeFilter {
    pub network_id: Option<String>,
    pub status: Option<ThemeStatus>,
    pub proposed_by_organization_id: Option<String>,
    pub tag: Option<String>,
    /// Most supported first, instead of oldest first.
    pub by_support: bool,
}

/// Where a page sorted by support ended: (support count, id).
pub type SupportCursor = (i32, String);

/// One page of the themes the viewer may see; returns the rows and, when sorted by
/// support, the cursor after the last row.
pub fn list(
    conn: &mut DbConnection,
    viewer: &Viewer,
    page: &PageRequest,
    filter: &ThemeFilter,
    after_support: Option<SupportCursor>,
    today: NaiveDate,
) -> ApiResult<Vec<Theme>> {
    let mut query = themes::table.select(Theme::as_select()).into_boxed();
    if !viewer.admin {
        let visible = crate::models::access::network_visible_ids(conn, viewer, today)?;
        let insider = access::insider_networks(conn, viewer, today)?;
        let mut open = vec![Visibility::Public.as_str()];
        if viewer.signed_in() {
            open.push(Visibility::Internal.as_str());
        }
        query = query.filter(themes::network_id.eq_any(visible)).filter(
            themes::visibility
                .eq_any(open)
                .or(themes::network_id.eq_any(insider)),
        );
    }
    if let Some(n) = &filter.network_id {
        query = query.filter(themes::network_id.eq(n.clone()));
    }
    if let Some(s) = filter.status {
        query = query.filter(themes::status.eq(s.as_str()));
    }
    if let Some(o) = &filter.proposed_by_organization_id {
        query = query.filter(themes::proposed_by_organization_id.eq(o.clone()));
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
    if filter.by_support && page.modified_since.is_none() {
        query = query.filter(themes::deleted_at.is_null());
        if let Some((count, id)) = after_support {
            query = query.filter(
                themes::support_count
                    .lt(count)
                    .or(themes::support_count.eq(count).and(themes::id.gt(id))),
            );
        }
        return Ok(query
            .order((themes::support_count.desc(), themes::id.asc()))
            .limit(page.limit + 1)
            .load(conn)?);
    }
    Ok(crate::keyset!(query, themes, page).load(conn)?)
}
