//! `/api/v1/search`: one search across meetings, minutes, themes, action items and
//! supervisory dialogues, of what the caller may see, best hits first.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::Db;
use crate::error::{ApiError, ApiResult, Problem, Validator};
use crate::kit::query::Query;
use crate::pagination::{List, SliceQuery, TS_FORMAT};
use crate::routes::{utc, uuid};
use crate::search::terms::{MAX_WORDS, Patterns, query_stems};
use crate::search::{After, HitKind, HitRow, Search, passages, snippet};

/// The longest `q`, in characters.
const MAX_QUERY_CHARS: usize = 200;

/// What to search for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words to find, as people type them: case and accents other than å, ä and ö
    /// do not matter (`irene` finds `Iréne`, `ÄLDRE` finds `äldre`, but `far` does not
    /// find `får`), and each word finds its other forms (`möten` finds `möte`) and the
    /// longer words it begins (`vård` finds `vårdcentral`). A hit has every word. 1 to 8
    /// different words, at most 200 characters.
    #[param(
        required = true,
        min_length = 1,
        max_length = 200,
        example = "kvalitetsarbete äldre"
    )]
    pub q: Option<String>,
    /// Only hits of these kinds, comma-separated (all kinds when absent).
    #[param(example = "meeting,minutes")]
    pub kind: Option<String>,
}

/// One hit: a thing you may see, with where to read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "kind": "minutes",
    "id": "019a8800-0000-7000-8000-000000000001",
    "title": "Nätverksträff IFO-chefer",
    "snippet": "…Nätverket beslutar att kvalitetsarbetet inom äldreomsorgen tas upp i november.",
    "meeting_id": "019a8700-0000-7000-8000-000000000001",
    "network_id": "019a8600-0000-7000-8000-000000000001",
    "href": "/api/v1/meetings/019a8700-0000-7000-8000-000000000001/minutes",
    "rank": 3,
    "updated_at": "2026-11-24T08:30:00Z"
}))]
pub struct Hit {
    /// What it is.
    pub kind: HitKind,
    /// Its id.
    pub id: Uuid,
    /// Its title; for minutes, their meeting's.
    pub title: String,
    /// A short excerpt of its text around the first word that matched (the beginning
    /// of its text when only the title matched; the title when it has no other text).
    pub snippet: String,
    /// The meeting it belongs to: that of minutes and action items, the one a theme is
    /// scheduled on; `null` for meetings and dialogues.
    pub meeting_id: Option<Uuid>,
    /// The network it belongs to, if any.
    pub network_id: Option<Uuid>,
    /// Where to read it in this API.
    pub href: String,
    /// How well it matched: per word 4 for a whole word of the title, 3 for the
    /// beginning of one, 2 for a whole word of its text, 1 for the beginning of one.
    pub rank: i32,
    /// Its latest change.
    pub updated_at: DateTime<Utc>,
}

impl Hit {
    fn of(row: HitRow, stems: &[String]) -> Self {
        let title = row.title.clone().unwrap_or_default();
        let snippet = snippet::excerpt(passages(&row).iter().map(String::as_str), stems)
            .unwrap_or_else(|| title.clone());
        let id = uuid(&row.id);
        let meeting_id = row.meeting_id.as_deref().map(uuid);
        let href = match row.kind {
            HitKind::Meeting => format!("/api/v1/meetings/{id}"),
            HitKind::Minutes => format!(
                "/api/v1/meetings/{}/minutes",
                meeting_id.unwrap_or_default()
            ),
            HitKind::Theme => format!("/api/v1/themes/{id}"),
            HitKind::ActionItem => format!("/api/v1/action-items/{id}"),
            HitKind::SupervisoryDialogue => format!("/api/v1/supervisory-dialogues/{id}"),
        };
        Self {
            kind: row.kind,
            id,
            title,
            snippet,
            meeting_id,
            network_id: row.network_id.as_deref().map(uuid),
            href,
            rank: row.rank,
            updated_at: utc(row.updated_at),
        }
    }
}

/// The words and kinds of a search, or 422 naming `q` or `kind`.
fn words_and_kinds(params: &SearchParams) -> ApiResult<(Vec<String>, Vec<HitKind>)> {
    let mut v = Validator::new();
    let q = params.q.as_deref().map(str::trim).unwrap_or_default();
    let mut stems = Vec::new();
    if q.is_empty() {
        v.add("q", "is required: the words to search for");
    } else if q.chars().count() > MAX_QUERY_CHARS {
        v.add("q", format!("must be at most {MAX_QUERY_CHARS} characters"));
    } else {
        match query_stems(q) {
            Ok(found) => stems = found,
            Err(message) => {
                v.add("q", message);
            }
        }
    }
    let mut kinds = Vec::new();
    for name in params.kind.iter().flat_map(|k| k.split(',')).map(str::trim) {
        match HitKind::parse(name) {
            Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
            Some(_) => {}
            None => {
                v.add("kind", HitKind::expected());
            }
        }
    }
    v.finish()?;
    Ok((stems, kinds))
}

/// The position a search cursor names.
fn after(keys: Option<[String; 3]>) -> ApiResult<Option<After>> {
    let Some([rank, at, id]) = keys else {
        return Ok(None);
    };
    let after = rank.parse().ok().and_then(|rank| {
        Some(After {
            rank,
            updated_at: NaiveDateTime::parse_from_str(&at, TS_FORMAT).ok()?,
            id: uuid::Uuid::parse_str(&id).ok()?.to_string(),
        })
    });
    after
        .map(Some)
        .ok_or_else(|| ApiError::invalid_field("cursor", "is not a cursor this search handed out"))
}

/// Search meetings, minutes (all their text: headings, notes, decisions), themes,
/// action items and supervisory dialogues at once. Only what you may see is searched:
/// without a token, public things only. Swedish as people type it: each word is
/// stemmed with Snowball's Swedish stemmer, so `möten` finds `möte` and
/// `kvalitetsarbetet` finds `kvalitetsarbete`; case and accents that are not Swedish
/// letters do not matter (`irene` finds `Iréne`), while `å`, `ä` and `ö` stay letters of
/// their own. A hit has every word; hits whose title has the words come first, then the
/// most recently changed. Pages follow the list conventions (`limit`, `next_cursor`);
/// the cursor is a position in the ranking, so a hit changed between pages may move.
#[utoipa::path(
    tag = "search",
    params(SearchParams, SliceQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "One page of hits, best first", body = List<Hit>),
        (status = 422, description = "`q` is missing, blank, has no word, more than 8 different words or more than 200 characters; or `kind`, `limit` or `cursor` is invalid. `errors` names the parameter.",
            body = Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/validation", "title": "Invalid field values", "status": 422, "detail": "1 field is invalid", "errors": [{"field": "q", "message": "is required: the words to search for"}]})),
    )
)]
#[get("/search")]
pub async fn search(
    caller: Caller,
    db: web::Data<Db>,
    params: Query<SearchParams>,
    slice: Query<SliceQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let slice = slice.get()?.slice()?;
    let (stems, kinds) = words_and_kinds(&params.get()?)?;
    let search = Search {
        words: stems.iter().map(|s| Patterns::of(s)).collect(),
        kinds,
        after: after(slice.after::<3>()?)?,
        fetch: slice.fetch(),
    };
    let reach = caller.reach;
    let rows = db
        .read(move |conn| crate::search::query::run(conn, &reach, &search))
        .await?;
    let page = slice.page(rows, |h: &HitRow| {
        vec![
            h.rank.to_string(),
            h.updated_at.format(TS_FORMAT).to_string(),
            h.id.clone(),
        ]
    });
    let hits = page
        .rows
        .into_iter()
        .map(|row| Hit::of(row, &stems))
        .collect();
    Ok(List::new(hits, slice.limit, page.next, &req).respond())
}

// `SearchParams` documents the words a search may have.
const _: () = assert!(MAX_WORDS == 8);

/// Registers the handler.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search);
}
