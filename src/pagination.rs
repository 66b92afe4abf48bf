//! Keyset pagination, `modified_since` sync with tombstones, and the list envelope.

use base64::Engine;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiResult, Validator};
use crate::times::DayOrInstant;

/// The schema of a parameter that takes a day or an instant.
pub fn day_or_instant() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
    <DayOrInstant as utoipa::PartialSchema>::schema()
}

/// Default page size.
pub const DEFAULT_LIMIT: i64 = 50;
/// Largest page size.
pub const MAX_LIMIT: i64 = 200;

/// The query parameters every list accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Items per page, 1–200.
    #[param(minimum = 1, maximum = 200, default = 50, example = 50)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    #[param(example = "MDE5YTg0ZjQtN2I2My03YWIyLWJkZjAtMmUwNmM1ZGU5MmQx")]
    pub cursor: Option<String>,
    /// Everything created, changed or deleted at or after this instant (RFC 3339; a
    /// date means its start, UTC), oldest change first; deleted items come as tombstones.
    #[param(schema_with = crate::pagination::day_or_instant, example = "2026-11-01T00:00:00Z")]
    pub modified_since: Option<DayOrInstant>,
    /// Text search, case-insensitive (also for å, ä and ö).
    #[param(example = "göteborg", max_length = 200)]
    pub q: Option<String>,
}

/// A validated page request, ready for a query.
#[derive(Debug, Clone)]
pub struct PageRequest {
    /// How many items to return.
    pub limit: i64,
    /// Changes at or after this instant; also includes tombstones.
    pub modified_since: Option<NaiveDateTime>,
    /// Where the previous page ended.
    pub after: Option<Cursor>,
    /// The folded `LIKE` pattern for `q`.
    pub search: Option<String>,
}

/// The position after the last item of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// Lists in id order (ids are time-ordered).
    Id(String),
    /// Sync lists in `(updated_at, id)` order.
    Changed(NaiveDateTime, String),
    /// Sub-collections, in their own order: the sort key of the last item.
    Keys(Vec<String>),
}

/// How cursors write a stored time.
pub const TS_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6f";

impl Cursor {
    /// The opaque form handed to clients.
    pub fn encode(&self) -> String {
        let raw = match self {
            Self::Id(id) => id.clone(),
            Self::Changed(at, id) => format!("{}|{id}", at.format(TS_FORMAT)),
            Self::Keys(keys) => serde_json::to_string(keys).unwrap_or_default(),
        };
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
    }

    /// The id of an id cursor.
    pub fn decode_id(text: &str) -> Option<String> {
        match Self::decode(text, false)? {
            Self::Id(id) => Some(id),
            Self::Changed(..) | Self::Keys(_) => None,
        }
    }

    fn decode(text: &str, changed: bool) -> Option<Self> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text)
            .ok()?;
        let raw = String::from_utf8(bytes).ok()?;
        let valid_id = |id: &str| uuid::Uuid::parse_str(id).ok().map(|u| u.to_string());
        match raw.split_once('|') {
            Some((at, id)) if changed => Some(Self::Changed(
                NaiveDateTime::parse_from_str(at, TS_FORMAT).ok()?,
                valid_id(id)?,
            )),
            None if !changed => Some(Self::Id(valid_id(&raw)?)),
            _ => None,
        }
    }
}

/// The folded `LIKE` pattern of a `q` parameter (`None` when absent or blank).
pub fn search_pattern(v: &mut Validator, q: Option<&str>) -> Option<String> {
    let q = q.map(str::trim).filter(|q| !q.is_empty())?;
    v.check(
        q.chars().count() <= 200,
        "q",
        "must be at most 200 characters",
    );
    Some(crate::validation::like_pattern(q))
}

fn check_limit(v: &mut Validator, limit: Option<i64>) -> i64 {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    v.check(
        (1..=MAX_LIMIT).contains(&limit),
        "limit",
        format!("must be between 1 and {MAX_LIMIT}"),
    );
    limit
}

impl ListQuery {
    /// Validates the parameters; 422 names the one at fault.
    pub fn page(&self) -> ApiResult<PageRequest> {
        let mut v = Validator::new();
        let limit = check_limit(&mut v, self.limit);
        let modified_since = self.modified_since.map(|t| t.start_in(Utc));
        let after = match &self.cursor {
            None => None,
            Some(c) => {
                let cursor = Cursor::decode(c, modified_since.is_some());
                v.check(
                    cursor.is_some(),
                    "cursor",
                    "is not a cursor this list handed out (keep the same modified_since)",
                );
                cursor
            }
        };
        let search = search_pattern(&mut v, self.q.as_deref());
        v.finish()?;
        Ok(PageRequest {
            limit,
            modified_since,
            after,
            search,
        })
    }
}

/// The query parameters of a sub-collection (the members of a network, the agenda of a
/// meeting): a page of it, in the collection's own order.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SliceQuery {
    /// Items per page, 1–200.
    #[param(minimum = 1, maximum = 200, default = 50, example = 50)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    #[param(example = "WyIxIiwiMDE5YTg0ZjQtN2I2My03YWIyLWJkZjAtMmUwNmM1ZGU5MmQxIl0")]
    pub cursor: Option<String>,
}

/// A validated page of a sub-collection: its size, and the sort key of the item before it.
#[derive(Debug, Clone)]
pub struct Slice {
    /// How many items to return.
    pub limit: i64,
    after: Option<Vec<String>>,
}

impl SliceQuery {
    /// Validates the parameters; 422 names the one at fault.
    pub fn slice(&self) -> ApiResult<Slice> {
        let mut v = Validator::new();
        let limit = check_limit(&mut v, self.limit);
        let after = self.cursor.as_deref().map(|c| {
            let keys = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(c)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Vec<String>>(&bytes).ok());
            v.check(
                keys.is_some(),
                "cursor",
                "is not a cursor this list handed out",
            );
            keys.unwrap_or_default()
        });
        v.finish()?;
        Ok(Slice { limit, after })
    }
}

impl Slice {
    /// The first page of `limit` items.
    pub fn first(limit: i64) -> Self {
        Self { limit, after: None }
    }

    /// How many rows to fetch: one more than the page, to tell whether more follow.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// The sort key (of `N` parts) of the item before this page; 422 naming `cursor` when
    /// the cursor is of another collection.
    pub fn after<const N: usize>(&self) -> ApiResult<Option<[String; N]>> {
        match &self.after {
            None => Ok(None),
            Some(keys) => <[String; N]>::try_from(keys.clone())
                .map(Some)
                .map_err(|_| {
                    crate::error::ApiError::invalid_field(
                        "cursor",
                        "is not a cursor this list handed out",
                    )
                }),
        }
    }

    /// The page of `rows` (fetched with [`Slice::fetch`]), its cursor the `key` of the
    /// last item kept.
    pub fn page<T>(&self, mut rows: Vec<T>, key: impl Fn(&T) -> Vec<String>) -> Page<T> {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next = rows
            .last()
            .filter(|_| more)
            .map(|last| Cursor::Keys(key(last)));
        Page { rows, next }
    }
}

/// Applies the keyset, the sync window and the tombstone rule to a boxed query of
/// `$table`, which must have `id`, `updated_at` and `deleted_at` columns, and orders it.
/// Fetches one row more than the limit so [`Page::from_rows`] can tell whether more follow.
#[macro_export]
macro_rules! keyset {
    ($query:expr, $table:ident, $page:expr) => {{
        use diesel::prelude::*;
        let page: &$crate::pagination::PageRequest = $page;
        let mut query = $query;
        match page.modified_since {
            None => {
                query = query.filter($table::deleted_at.is_null());
                if let Some($crate::pagination::Cursor::Id(after)) = &page.after {
                    query = query.filter($table::id.gt(after.clone()));
                }
                query.order($table::id.asc()).limit(page.limit + 1)
            }
            Some(since) => {
                query = query.filter($table::updated_at.ge(since));
                if let Some($crate::pagination::Cursor::Changed(at, id)) = &page.after {
                    query = query.filter(
                        $table::updated_at
                            .gt(*at)
                            .or($table::updated_at.eq(*at).and($table::id.gt(id.clone()))),
                    );
                }
                query
                    .order(($table::updated_at.asc(), $table::id.asc()))
                    .limit(page.limit + 1)
            }
        }
    }};
}

/// One page of rows as a query returned them, before mapping to DTOs.
#[derive(Debug)]
pub struct Page<T> {
    /// The rows of this page.
    pub rows: Vec<T>,
    /// Where the next page starts, if there is one.
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// Cuts the extra row off and computes the next cursor from the last row kept.
    pub fn from_rows(
        mut rows: Vec<T>,
        page: &PageRequest,
        key: impl Fn(&T) -> (NaiveDateTime, String),
    ) -> Self {
        let more = rows.len() as i64 > page.limit;
        rows.truncate(page.limit as usize);
        let next = match rows.last() {
            Some(last) if more => {
                let (updated_at, id) = key(last);
                Some(if page.modified_since.is_some() {
                    Cursor::Changed(updated_at, id)
                } else {
                    Cursor::Id(id)
                })
            }
            _ => None,
        };
        Self { rows, next }
    }
}

/// A deleted item in a sync list.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1", "deleted": true, "updated_at": "2026-11-20T09:30:00Z"}))]
pub struct Tombstone {
    /// The id of the deleted item.
    pub id: uuid::Uuid,
    /// Always `true`.
    pub deleted: bool,
    /// When it was deleted.
    pub updated_at: DateTime<Utc>,
}

/// An item of a list: the resource, or with `modified_since` a tombstone.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Entry<T> {
    /// The resource as it is now.
    Live(T),
    /// It was deleted.
    Deleted(Tombstone),
}

/// A row that is deleted by marking it, so that sync clients can be told.
pub trait SoftDeleted {
    /// Its id.
    fn id(&self) -> &str;
    /// When it was deleted, if it was.
    fn deleted_at(&self) -> Option<NaiveDateTime>;
}

/// Implements [`SoftDeleted`] for rows with `id` and `deleted_at` fields.
#[macro_export]
macro_rules! soft_deleted {
    ($($row:ty),+ $(,)?) => {
        $(impl $crate::pagination::SoftDeleted for $row {
            fn id(&self) -> &str {
                &self.id
            }
            fn deleted_at(&self) -> Option<chrono::NaiveDateTime> {
                self.deleted_at
            }
        })+
    };
}

impl<T> Entry<T> {
    /// The entries of a page: a tombstone for each deleted row, `live` for the others.
    pub fn page<R: SoftDeleted>(rows: Vec<R>, mut live: impl FnMut(R) -> T) -> Vec<Self> {
        rows.into_iter()
            .map(|row| match row.deleted_at() {
                Some(at) => Self::tombstone(row.id(), at),
                None => Self::Live(live(row)),
            })
            .collect()
    }

    /// A tombstone for `id` deleted at `at`.
    pub fn tombstone(id: &str, at: NaiveDateTime) -> Self {
        Self::Deleted(Tombstone {
            id: id.parse().unwrap_or_default(),
            deleted: true,
            updated_at: at.and_utc(),
        })
    }
}

/// Page metadata.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaginationInfo {
    /// The page size used.
    #[schema(example = 50)]
    pub limit: i64,
    /// Pass as `cursor` for the next page; `null` on the last page.
    #[schema(example = "MDE5YTg0ZjQtN2I2My03YWIyLWJkZjAtMmUwNmM1ZGU5MmQx")]
    pub next_cursor: Option<String>,
}

/// Links to related pages.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PageLinks {
    /// The next page with the same filters; `null` on the last page.
    #[schema(
        example = "/api/v1/organizations?limit=50&cursor=MDE5YTg0ZjQtN2I2My03YWIyLWJkZjAtMmUwNmM1ZGU5MmQx"
    )]
    pub next: Option<String>,
}

/// The envelope of every list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct List<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// Page size and cursor.
    pub pagination: PaginationInfo,
    /// The next page.
    pub links: PageLinks,
}

impl<T> List<T> {
    /// Builds the envelope; `links.next` keeps the request's other query parameters.
    pub fn new(
        data: Vec<T>,
        limit: i64,
        next: Option<Cursor>,
        req: &actix_web::HttpRequest,
    ) -> Self {
        Self::with_cursor(data, limit, next.map(|c| c.encode()), req)
    }

    /// Like [`List::new`] for lists with cursors of their own making.
    pub fn with_cursor(
        data: Vec<T>,
        limit: i64,
        next_cursor: Option<String>,
        req: &actix_web::HttpRequest,
    ) -> Self {
        let next_link = next_cursor.as_ref().map(|cursor| {
            let mut pairs: Vec<(String, String)> =
                serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
            pairs.retain(|(k, _)| k != "cursor" && k != "token");
            pairs.push(("cursor".into(), cursor.clone()));
            format!(
                "{}?{}",
                req.path(),
                serde_urlencoded::to_string(&pairs).unwrap_or_default()
            )
        });
        Self {
            data,
            pagination: PaginationInfo { limit, next_cursor },
            links: PageLinks { next: next_link },
        }
    }

    /// The 200 response: the envelope, and the next page also as an RFC 8288 `Link`
    /// header.
    pub fn respond(self) -> actix_web::HttpResponse
    where
        T: Serialize,
    {
        let mut response = actix_web::HttpResponse::Ok();
        if let Some(next) = &self.links.next {
            response.insert_header((
                actix_web::http::header::LINK,
                format!("<{next}>; rel=\"next\""),
            ));
        }
        response.json(self)
    }

    /// A list that always fits on one page (the members of one network, the agenda of
    /// one meeting).
    pub fn all(data: Vec<T>, req: &actix_web::HttpRequest) -> Self {
        let limit = data.len().max(1) as i64;
        Self::with_cursor(data, limit, None, req)
    }
}
