//! `/api/v1/themes`: what a network should take up next. Members propose and support
//! on behalf of their organization; coordinators move themes along and schedule them
//! onto a meeting's agenda.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use base64::Engine;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::db::Db;
use crate::error::{ApiError, ApiResult, Validator};
use crate::kit::body::Body;
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::kit::precondition::IfMatch;
use crate::kit::query::{Id, Query};
use crate::kit::resource::{Callers, Resource};
use crate::kit::{existing, ok_with_etag};
use crate::models::theme::{self as model, SupportedTheme, ThemeFields, ThemeFilter, ThemeStatus};
use crate::models::{meeting, network};
use crate::pagination::{Entry, List, ListQuery, Page};
use crate::policy::Reach;
use crate::validation;

mod types;
pub use types::*;

pub(crate) fn text_fields(v: &mut Validator, f: &mut ThemeFields) {
    f.title = validation::text(v, "title", &f.title, 1, 300);
    f.description = validation::optional_text(v, "description", f.description.as_deref(), 10_000);
    f.target_period =
        validation::optional_text(v, "target_period", f.target_period.as_deref(), 100);
    v.check(f.tags.len() <= 20, "tags", "at most 20");
    let mut tags: Vec<String> = Vec::new();
    for (i, t) in f.tags.iter().enumerate() {
        let t = validation::text(v, &format!("tags[{i}]"), t, 1, 50);
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    f.tags.0 = tags;
}

fn support_cursor(c: &(i32, String)) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("s{}|{}", c.0, c.1))
}

fn parse_support_cursor(text: &str) -> Option<(i32, String)> {
    let raw = String::from_utf8(
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text)
            .ok()?,
    )
    .ok()?;
    let (count, id) = raw.strip_prefix('s')?.split_once('|')?;
    Some((
        count.parse().ok()?,
        uuid::Uuid::parse_str(id).ok()?.to_string(),
    ))
}

/// List the themes you may see.
#[utoipa::path(
    tag = "themes",
    params(ListQuery, ThemeQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of themes", body = List<Entry<ThemeDto>>))
)]
#[get("/themes")]
pub async fn list_themes(
    caller: Caller,
    db: web::Data<Db>,
    list: Query<ListQuery>,
    query: Query<ThemeQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let list = list.get()?;
    let query = query.get()?;
    let mut v = Validator::new();
    let by_support = match query.sort.as_deref() {
        None | Some("created") => false,
        Some("support") => true,
        Some(_) => {
            v.add("sort", "must be support or created");
            false
        }
    };
    if let Some(tag) = &query.tag {
        v.check(
            tag.chars().count() <= 100,
            "tag",
            "must be at most 100 characters",
        );
    }
    // A support-ordered list has cursors of its own; keep the generic parser away from them.
    let support_after = match (&list.cursor, by_support && list.modified_since.is_none()) {
        (Some(c), true) => {
            let parsed = parse_support_cursor(c);
            v.check(
                parsed.is_some(),
                "cursor",
                "is not a cursor this list handed out",
            );
            parsed
        }
        _ => None,
    };
    v.finish()?;
    let page = if support_after.is_some() {
        ListQuery {
            cursor: None,
            ..list
        }
        .page()?
    } else {
        list.page()?
    };
    let sorted_by_support = by_support && page.modified_since.is_none();
    let filter = ThemeFilter {
        network_id: query.network_id.map(|u| u.to_string()),
        status: query.status,
        proposed_by_organization_id: query.proposed_by_organization_id.map(|u| u.to_string()),
        proposed_by_network_id: query.proposed_by_network_id.map(|u| u.to_string()),
        tag: query.tag.filter(|t| !t.trim().is_empty()),
        by_support,
    };
    let (limit, reach) = (page.limit, caller.reach);
    let request = page.clone();
    let rows = db
        .read(move |conn| model::list(conn, &reach, &page, &filter, support_after))
        .await?;
    let (rows, cursor) = if sorted_by_support {
        let more = rows.len() as i64 > limit;
        let mut rows = rows;
        rows.truncate(limit as usize);
        let cursor = more
            .then(|| {
                rows.last()
                    .map(|s| support_cursor(&(s.theme.support_count, s.theme.id.clone())))
            })
            .flatten();
        (rows, cursor)
    } else {
        let p = Page::from_rows(rows, &request, |s: &SupportedTheme| {
            (s.theme.updated_at, s.theme.id.clone())
        });
        (p.rows, p.next.map(|c| c.encode()))
    };
    let data = Entry::page(rows, theme_dto);
    Ok(List::with_cursor(data, limit, cursor, &req).respond())
}

/// Propose a theme for a network (its members, participants and coordinators), on
/// behalf of your own organization (coordinators and admins: any).
#[utoipa::path(
    tag = "themes",
    request_body = CreateTheme,
    security(("bearer" = [])),
    responses((status = 201, description = "Proposed", body = ThemeDto,
        headers(("Location" = String, description = "The theme's address"), ("ETag" = String, description = "Its version"))))
)]
#[post("/themes")]
pub async fn create_theme(
    caller: Caller,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Body<CreateTheme>,
) -> ApiResult<HttpResponse> {
    let user = caller.signed_in()?;
    let network_id = body.peek("network_id").unwrap_or_default().to_string();
    let proposer_org = body.peek("proposed_by_organization_id").map(str::to_string);
    let proposer_net = body.peek("proposed_by_network_id").map(str::to_string);
    let fingerprint = body.fingerprint();
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let (person, own_org) = (
        user.user.person_id.clone(),
        user.user.organization_id.clone(),
    );
    idempotency::create(
        &db,
        user,
        key,
        "POST /themes",
        fingerprint.as_deref(),
        move |conn| {
            let net = network::require_visible(conn, &reach, &network_id, "network_id", false)?;
            if let Some(org) = &proposer_org {
                reach.on_behalf_of("proposed_by_organization_id", org, Some(&net.id))?;
            }
            if let Some(speaker) = &proposer_net {
                let field = "proposed_by_network_id";
                let speaker = network::require_visible(conn, &reach, speaker, field, false)?;
                reach.on_behalf_of_network(field, &speaker.id, &net.id)?;
            }
            let net = reach.propose_in(net)?;
            let input = body.parse()?;
            let mut v = Validator::new();
            validation::uuid(&mut v, "network_id", &input.network_id);
            let visibility =
                validation::optional_choice(&mut v, "visibility", input.visibility.as_deref());
            let mut fields = ThemeFields {
                title: input.title,
                description: input.description,
                proposed_by_organization_id: input
                    .proposed_by_organization_id
                    .as_deref()
                    .map(|o| validation::uuid(&mut v, "proposed_by_organization_id", o))
                    .or(own_org),
                proposed_by_network_id: input
                    .proposed_by_network_id
                    .as_deref()
                    .map(|n| validation::uuid(&mut v, "proposed_by_network_id", n)),
                status: ThemeStatus::Proposed,
                status_reason: None,
                target_period: input.target_period,
                meeting_id: None,
                agenda_item_id: None,
                tags: crate::db::json_text::JsonText(input.tags),
                visibility: visibility.unwrap_or(net.visibility),
                search: String::new(),
            };
            text_fields(&mut v, &mut fields);
            v.finish()?;
            let theme = model::create(conn, &net, Some(&person), fields)?;
            actor.record(conn, "theme.create", "theme", &theme.id)?;
            let (location, version) = (format!("/api/v1/themes/{}", theme.id), theme.version);
            Ok(Created::new(
                location,
                version,
                &theme_dto(model::supported(conn, theme)?),
            ))
        },
    )
    .await
}

/// Change a theme, or move it along its lifecycle (409 for an impossible transition).
#[utoipa::path(
    tag = "themes",
    params(("id" = Uuid, Path, description = "The theme's id")),
    request_body = UpdateTheme,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed theme", body = ThemeDto, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "The status cannot move there from where it is; `current_status` says where", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/themes/{id}")]
pub async fn update_theme(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
    body: Body<UpdateTheme>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let theme = db
        .write(move |conn| {
            let current = existing(model::find(conn, &reach, &id, true), &if_match)?;
            let right = reach.edit_proposal(current)?;
            let current = right.theme();
            if_match.check_version(current.version)?;
            let change = body.parse()?;
            let texts_only = change.status.is_none() && change.status_reason.is_none() && change.visibility.is_none() && change.proposed_by_network_id.is_none();
            if !right.full() && !texts_only {
                return Err(ApiError::forbidden(
                    "the proposer may change the text while it is proposed; coordinators may change everything",
                ));
            }
            let status = current.status;
            let mut fields = ThemeFields::of(current);
            let mut v = Validator::new();
            crate::patch!(&mut v, fields, change, { title, description, target_period, tags: list, visibility: choice });
            let reason_sent = change.status_reason.is_some();
            if let Some(r) = change.status_reason {
                fields.status_reason = validation::optional_text(&mut v, "status_reason", r.as_deref(), 2000);
            }
            if let Some(n) = &change.proposed_by_network_id {
                fields.proposed_by_network_id = n.as_deref().map(|n| validation::uuid(&mut v, "proposed_by_network_id", n));
            }
            text_fields(&mut v, &mut fields);
            let target: Option<ThemeStatus> = validation::optional_choice(&mut v, "status", change.status.as_deref());
            v.finish()?;
            if let Some(n) = &fields.proposed_by_network_id
                && fields.proposed_by_network_id != current.proposed_by_network_id
            {
                network::require_visible(conn, &reach, n, "proposed_by_network_id", false)?;
            }
            if let Some(target) = target.filter(|t| *t != status) {
                if target == ThemeStatus::Scheduled {
                    return Err(ApiError::state_conflict(status.as_str(), "schedule a theme onto a meeting with POST /themes/{id}/schedule"));
                }
                if !status.next().contains(&target) {
                    return Err(ApiError::state_conflict(
                        status.as_str(),
                        format!("a {} theme cannot become {}", status.as_str(), target.as_str()),
                    ));
                }
                if matches!(target, ThemeStatus::Postponed | ThemeStatus::Rejected) && fields.status_reason.is_none() {
                    return Err(ApiError::invalid_field("status_reason", "say why it is postponed or rejected"));
                }
                if !matches!(target, ThemeStatus::Postponed | ThemeStatus::Rejected) && !reason_sent {
                    fields.status_reason = None;
                }
                fields.status = target;
            }
            let theme = model::update(conn, &right, fields)?;
            actor.record(conn, "theme.update", "theme", &id)?;
            model::supported(conn, theme)
        })
        .await?;
    Ok(ok_with_etag(theme.theme.version, &theme_dto(theme)))
}

/// Delete a theme (coordinators and admins; the proposer while it is proposed).
#[utoipa::path(
    tag = "themes",
    params(("id" = Uuid, Path, description = "The theme's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/themes/{id}")]
pub async fn delete_theme(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    db.write(move |conn| {
        let current = existing(model::find(conn, &reach, &id, true), &if_match)?;
        let right = reach.edit_proposal(current)?;
        if_match.check_version(right.theme().version)?;
        model::delete(conn, &right)?;
        actor.record(conn, "theme.delete", "theme", &id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn change_support(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    add: bool,
) -> ApiResult<HttpResponse> {
    let user = caller.signed_in()?;
    let [id] = id.get()?;
    let person = user.user.person_id.clone();
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let theme = db
        .write(move |conn| {
            let (theme, organization) = reach.support(model::find(conn, &reach, &id, true)?)?;
            let theme = if add {
                model::support(conn, &theme, &organization, &person)?
            } else {
                model::unsupport(conn, &theme, &organization)?
            };
            let action = if add {
                "theme.support"
            } else {
                "theme.unsupport"
            };
            actor.record(conn, action, "theme", &id)?;
            model::supported(conn, theme)
        })
        .await?;
    Ok(ok_with_etag(theme.theme.version, &theme_dto(theme)))
}

/// Support a theme on behalf of your organization (once per organization; the
/// network's members and participants).
#[utoipa::path(
    tag = "themes",
    params(("id" = Uuid, Path, description = "The theme's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Supported", body = ThemeDto),
        (status = 409, description = "Your organization supports it already", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/themes/{id}/support")]
pub async fn support_theme(caller: Caller, db: web::Data<Db>, id: Id) -> ApiResult<HttpResponse> {
    change_support(caller, db, id, true).await
}

/// Withdraw your organization's support.
#[utoipa::path(
    tag = "themes",
    params(("id" = Uuid, Path, description = "The theme's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Support withdrawn", body = ThemeDto))
)]
#[delete("/themes/{id}/support")]
pub async fn unsupport_theme(caller: Caller, db: web::Data<Db>, id: Id) -> ApiResult<HttpResponse> {
    change_support(caller, db, id, false).await
}

/// Schedule a theme onto a meeting of its network (coordinators and admins): an agenda
/// item for it is added and the theme becomes `scheduled`, in one transaction.
#[utoipa::path(
    tag = "themes",
    params(("id" = Uuid, Path, description = "The theme's id")),
    request_body = ScheduleTheme,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Scheduled", body = ThemeDto),
        (status = 409, description = "The theme cannot be scheduled from its status", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/themes/{id}/schedule")]
pub async fn schedule_theme(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    body: Body<ScheduleTheme>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let theme = db
        .write(move |conn| {
            let theme = reach.manage(model::find(conn, &reach, &id, true)?)?;
            let input = body.parse()?;
            let mut v = Validator::new();
            let meeting_id = validation::uuid(&mut v, "meeting_id", &input.meeting_id);
            if let Some(p) = input.position {
                v.check(
                    (1..=1000).contains(&p),
                    "position",
                    "must be between 1 and 1000",
                );
            }
            v.finish()?;
            let found = meeting::find(conn, &reach, &meeting_id, true).map_err(|e| {
                if e.status() == actix_web::http::StatusCode::NOT_FOUND {
                    ApiError::invalid_field("meeting_id", "no such meeting")
                } else {
                    e
                }
            })?;
            let meeting = reach.manage(found.meeting)?;
            let theme = model::schedule(conn, &theme, &meeting, input.position)?;
            actor.record(conn, "theme.schedule", "theme", &id)?;
            model::supported(conn, theme)
        })
        .await?;
    Ok(ok_with_etag(theme.theme.version, &theme_dto(theme)))
}

/// Themes as the conventions kit serves them.
pub struct Themes;

impl Resource for Themes {
    type Row = crate::models::theme::Theme;
    type Dto = ThemeDto;
    const CALLERS: Callers = Callers::Anyone;

    fn dto(shown: SupportedTheme, _: &Reach) -> ThemeDto {
        theme_dto(shown)
    }
}

crate::resource_routes!(
    Themes,
    tag = "themes",
    route = ("/themes/{id}"),
    id = "The theme's id",
    dto = ThemeDto,
    get = (
        get_theme,
        ["Get a theme."],
        "The theme",
        security = [(), ("bearer" = [])]
    ),
);

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_themes)
        .service(create_theme)
        .service(get_theme)
        .service(update_theme)
        .service(delete_theme)
        .service(support_theme)
        .service(unsupport_theme)
        .service(schedule_theme);
}
