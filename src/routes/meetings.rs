//! `/api/v1/meetings`: meetings with their agenda and attendees, and calendar feeds.
//! Readers follow `visibility` and the network; coordinators and admins write.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::db::Db;
use crate::db::json_text::JsonText;
use crate::error::{ApiError, ApiResult, Validator};
use crate::kit::body::Body;
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::kit::precondition::IfMatch;
use crate::kit::query::{Id, Query};
use crate::kit::resource::{Callers, Resource};
use crate::kit::{ok_with_etag, writable};
use crate::models::meeting::{
    self as model, Meeting, MeetingFields, MeetingFilter, MeetingKind, MeetingMode, MeetingStatus,
    SeenMeeting,
};
use crate::models::network;
use crate::pagination::{Entry, List, ListQuery};
use crate::policy::{Reach, Visibility};
use crate::times::MeetingTime;
use crate::validation;

mod types;
pub use types::*;

/// The default time zone of meetings.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Stockholm";

fn check_texts(v: &mut Validator, fields: &mut MeetingFields) {
    fields.title = validation::text(v, "title", &fields.title, 1, 300);
    fields.description =
        validation::optional_text(v, "description", fields.description.as_deref(), 20_000);
    fields.location = validation::optional_text(v, "location", fields.location.as_deref(), 500);
    fields.online_url = validation::optional_url(v, "online_url", fields.online_url.as_deref());
    v.check(
        fields.ends_at > fields.starts_at,
        "ends_at",
        "must be after starts_at",
    );
}

/// The most networks that may co-host one meeting.
const MAX_CO_HOSTS: usize = 20;

/// The co-hosts as sent: ids, each once, in the order given.
fn co_host_ids(v: &mut Validator, ids: &[String]) -> Vec<String> {
    v.check(
        ids.len() <= MAX_CO_HOSTS,
        "co_host_network_ids",
        "at most 20 networks",
    );
    let mut out: Vec<String> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let id = validation::uuid(v, &format!("co_host_network_ids[{i}]"), id);
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// The networks co-hosting a meeting (`before`: those it had), named in `field` (the
/// API's `co_host_network_ids`, the bundle's `co_hosts`): networks the caller sees, other
/// than the meeting's own, only for a meeting of a network (422 naming every one at
/// fault). A network becomes a co-host only by its own coordinators (or an admin): the
/// meeting lands in its members' calendars, which nobody else may do to them; taking a
/// co-host off is for whoever manages the meeting.
pub(crate) fn check_co_hosts(
    conn: &mut crate::db::DbConnection,
    reach: &Reach,
    fields: &MeetingFields,
    before: &[String],
    field: &str,
) -> ApiResult<()> {
    let co_hosts = &fields.co_host_network_ids.0;
    let Some(host) = &fields.network_id else {
        if co_hosts.is_empty() {
            return Ok(());
        }
        return Err(ApiError::invalid_field(
            field,
            "only a meeting of a network has co-hosts",
        ));
    };
    let mut v = Validator::new();
    for (i, id) in co_hosts.iter().enumerate() {
        let named = format!("{field}[{i}]");
        if id == host {
            v.add(&named, "is the meeting's own network");
        } else if let Err(e) = network::require_visible(conn, reach, id, &named, false) {
            if e.status() != actix_web::http::StatusCode::UNPROCESSABLE_ENTITY {
                return Err(e);
            }
            v.add(&named, "no such network");
        }
    }
    v.finish()?;
    for (i, id) in co_hosts.iter().enumerate() {
        if !before.contains(id) && !reach.coordinates(id) {
            return Err(ApiError::forbidden(format!(
                "{field}[{i}]: only a network's own coordinators may make it co-host a meeting"
            )));
        }
    }
    Ok(())
}

/// A series a meeting may belong to: one the caller sees, of the meeting's network.
pub(crate) fn check_series(
    conn: &mut crate::db::DbConnection,
    reach: &Reach,
    series_id: &str,
    network_id: Option<&str>,
) -> ApiResult<()> {
    let series = crate::models::series::find(conn, reach, series_id, false)
        .map_err(|_| ApiError::invalid_field("series_id", "is not a series you can see"))?;
    if Some(series.network_id.as_str()) != network_id {
        return Err(ApiError::invalid_field(
            "series_id",
            "is a series of another network",
        ));
    }
    Ok(())
}

/// List the meetings you may see.
#[utoipa::path(
    tag = "meetings",
    params(ListQuery, MeetingQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of meetings", body = List<Entry<MeetingDto>>))
)]
#[get("/meetings")]
pub async fn list_meetings(
    caller: Caller,
    db: web::Data<Db>,
    list: Query<ListQuery>,
    query: Query<MeetingQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = list.get()?.page()?;
    let query = query.get()?;
    let tz = chrono_tz::Europe::Stockholm;
    let filter = MeetingFilter {
        network_id: query.network_id.map(|u| u.to_string()),
        series_id: query.series_id.map(|u| u.to_string()),
        from: query.from.map(|t| t.start_in(tz)),
        to: query.to.map(|t| t.end_in(tz)),
        status: query.status,
        kind: query.kind,
    };
    let (limit, reach) = (page.limit, caller.reach);
    let for_dto = reach.clone();
    let result = db
        .read(move |conn| model::list(conn, &reach, &page, &filter))
        .await?;
    let data = Entry::page(result.rows, |m| seen_dto(&for_dto, m));
    Ok(List::new(data, limit, result.next, &req).respond())
}

/// The meeting fields of a create, validated, and whether a visibility was given (in a
/// network the default is the network's).
pub(crate) fn new_fields(v: &mut Validator, input: CreateMeeting) -> Option<(MeetingFields, bool)> {
    let network_id = input
        .network_id
        .as_deref()
        .map(|n| validation::uuid(v, "network_id", n));
    let series_id = input
        .series_id
        .as_deref()
        .map(|s| validation::uuid(v, "series_id", s));
    let organizer = input
        .organizer_organization_id
        .as_deref()
        .map(|o| validation::uuid(v, "organizer_organization_id", o));
    let (time_zone, tz) = crate::times::check_zone(
        v,
        "time_zone",
        input.time_zone.as_deref(),
        DEFAULT_TIME_ZONE,
    );
    let starts_at = crate::times::check_meeting_time(v, "starts_at", &input.starts_at, tz);
    let ends_at = input
        .ends_at
        .as_deref()
        .map(|e| crate::times::check_meeting_time(v, "ends_at", e, tz));
    let default_kind = if network_id.is_some() {
        MeetingKind::NetworkMeeting
    } else {
        MeetingKind::Other
    };
    let kind =
        validation::optional_choice(v, "kind", input.kind.as_deref()).unwrap_or(default_kind);
    let mode = validation::optional_choice(v, "mode", input.mode.as_deref())
        .unwrap_or(MeetingMode::InPerson);
    let status = validation::optional_choice(v, "status", input.status.as_deref())
        .unwrap_or(MeetingStatus::Planned);
    let visibility = validation::optional_choice(v, "visibility", input.visibility.as_deref());
    let start = starts_at?;
    let end = match ends_at {
        None => None,
        Some(Some(end)) => Some(end),
        Some(None) => return None,
    };
    let (starts_at, ends_at, time_unspecified) = crate::times::meeting_span(v, start, end, tz)?;
    let mut fields = MeetingFields {
        network_id,
        series_id,
        organizer_organization_id: organizer,
        title: input.title,
        kind,
        description: input.description,
        starts_at,
        ends_at,
        time_zone,
        mode,
        location: input.location,
        online_url: input.online_url,
        status,
        visibility: visibility.unwrap_or(Visibility::Internal),
        time_unspecified,
        co_host_network_ids: JsonText(co_host_ids(v, &input.co_host_network_ids)),
        search: String::new(),
    };
    check_texts(v, &mut fields);
    Some((fields, visibility.is_some()))
}

/// Fills in what a new meeting takes from its network (organizer, visibility), or
/// outside any network from the organization of whoever enters it.
pub(crate) fn complete(
    fields: &mut MeetingFields,
    visibility_given: bool,
    network: Option<&crate::models::network::Network>,
    own_organization: Option<&str>,
) {
    match network {
        Some(net) => {
            if fields.organizer_organization_id.is_none() {
                fields.organizer_organization_id = Some(net.owner_organization_id.clone());
            }
            if !visibility_given {
                fields.visibility = net.visibility;
            }
        }
        None => {
            if fields.organizer_organization_id.is_none() {
                fields.organizer_organization_id = own_organization.map(str::to_string);
            }
        }
    }
}

/// Create a meeting: in a network (its coordinators and admins), or outside any network
/// organized by your own organization.
#[utoipa::path(
    tag = "meetings",
    request_body = CreateMeeting,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = MeetingDto,
        headers(("Location" = String, description = "The new meeting's address"), ("ETag" = String, description = "Its version"))))
)]
#[post("/meetings")]
pub async fn create_meeting(
    caller: Caller,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Body<CreateMeeting>,
) -> ApiResult<HttpResponse> {
    let user = caller.signed_in()?;
    let reach = caller.reach.clone();
    // Who may create it depends on where: decided before the body is judged.
    let network_id = body.peek("network_id").map(str::to_string);
    if network_id.is_none() {
        let organizer = body
            .peek("organizer_organization_id")
            .map(str::to_string)
            .or_else(|| reach.organization_id().map(str::to_string));
        match organizer {
            Some(org) => reach.on_behalf_of("organizer_organization_id", &org, None)?,
            None => reach.require_admin().map_err(|_| {
                ApiError::forbidden(
                    "outside a network you may create meetings organized by your own organization only",
                )
            })?,
        }
    }
    let fingerprint = body.fingerprint();
    let actor = caller.actor();
    idempotency::create(
        &db,
        user,
        key,
        "POST /meetings",
        fingerprint.as_deref(),
        move |conn| {
            let network = match &network_id {
                Some(id) => Some(reach.manage(network::require_visible(
                    conn,
                    &reach,
                    id,
                    "network_id",
                    false,
                )?)?),
                None => None,
            };
            let mut v = Validator::new();
            let fields = new_fields(&mut v, body.parse()?);
            v.finish()?;
            let Some((mut fields, visibility_given)) = fields else {
                return Err(ApiError::invalid_field("starts_at", "is required"));
            };
            complete(
                &mut fields,
                visibility_given,
                network.as_deref(),
                reach.organization_id(),
            );
            check_co_hosts(conn, &reach, &fields, &[], "co_host_network_ids")?;
            if let Some(series) = &fields.series_id {
                check_series(conn, &reach, series, fields.network_id.as_deref())?;
            }
            let meeting = model::create(conn, fields)?;
            actor.record(conn, "meeting.create", "meeting", &meeting.id)?;
            let (location, version) = (format!("/api/v1/meetings/{}", meeting.id), meeting.version);
            Ok(Created::new(location, version, &meeting_dto(meeting, true)))
        },
    )
    .await
}

/// Change a meeting (the network's coordinators and admins).
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = UpdateMeeting,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed meeting", body = MeetingDto, headers(("ETag" = String, description = "Its new version"))))
)]
#[patch("/meetings/{id}")]
pub async fn update_meeting(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
    body: Body<UpdateMeeting>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let meeting = db
        .write(move |conn| {
            let found = model::find(conn, &reach, &id, true).map(|s| s.meeting);
            let current = writable(&reach, found, &if_match)?;
            let change = body.parse()?;
            let mut fields = MeetingFields::of(&current);
            let mut v = Validator::new();
            let (time_zone, tz) = crate::times::check_zone(
                &mut v,
                "time_zone",
                change.time_zone.as_deref(),
                &current.time_zone,
            );
            fields.time_zone = time_zone;
            if change.starts_at.is_some() || change.ends_at.is_some() {
                let (zone, unspecified) = (&current.time_zone, current.time_unspecified);
                let start = match &change.starts_at {
                    Some(t) => crate::times::check_meeting_time(&mut v, "starts_at", t, tz),
                    None => Some(MeetingTime::stored_start(current.starts_at, zone, unspecified)),
                };
                let kept_end = MeetingTime::stored_end(current.ends_at, zone, unspecified);
                let end = match &change.ends_at {
                    Some(t) => crate::times::check_meeting_time(&mut v, "ends_at", t, tz),
                    // A start of the same form keeps the end; of the other, it needs one.
                    None => start.filter(|s| s.same_form(kept_end)).map(|_| kept_end),
                };
                let parsed = change.ends_at.is_none() || end.is_some();
                if let (Some(start), true) = (start, parsed)
                    && let Some((s, e, day_only)) =
                        crate::times::meeting_span(&mut v, start, end, tz)
                {
                    (fields.starts_at, fields.ends_at, fields.time_unspecified) = (s, e, day_only);
                }
            }
            if let Some(series) = change.series_id {
                let series = series.map(|s| validation::uuid(&mut v, "series_id", &s));
                if let Some(id) = &series
                    && series != current.series_id
                {
                    check_series(conn, &reach, id, current.network_id.as_deref())?;
                }
                fields.series_id = series;
            }
            crate::patch!(&mut v, fields, change, { title, description, location, online_url });
            if let Some(o) = change.organizer_organization_id {
                let o = o.map(|o| validation::uuid(&mut v, "organizer_organization_id", &o));
                if o != current.organizer_organization_id
                    && let Some(org) = &o
                {
                    reach.on_behalf_of(
                        "organizer_organization_id",
                        org,
                        current.network_id.as_deref(),
                    )?;
                }
                fields.organizer_organization_id = o;
            }
            crate::patch!(&mut v, fields, change, { kind: choice, mode: choice, status: choice, visibility: choice });
            if let Some(ids) = &change.co_host_network_ids {
                fields.co_host_network_ids = JsonText(co_host_ids(&mut v, ids));
            }
            check_texts(&mut v, &mut fields);
            v.finish()?;
            if fields.co_host_network_ids != current.co_host_network_ids {
                let before = &current.co_host_network_ids;
                check_co_hosts(conn, &reach, &fields, before, "co_host_network_ids")?;
            }
            let meeting = model::update(conn, &current, fields)?;
            actor.record(conn, "meeting.update", "meeting", &id)?;
            Ok(meeting)
        })
        .await?;
    // Whoever manages a meeting may attend it.
    Ok(ok_with_etag(meeting.version, &meeting_dto(meeting, true)))
}

/// Meetings as the conventions kit serves them.
pub struct Meetings;

impl Resource for Meetings {
    type Row = Meeting;
    type Dto = MeetingDto;
    const CALLERS: Callers = Callers::Anyone;

    fn dto(shown: SeenMeeting, reach: &Reach) -> MeetingDto {
        seen_dto(reach, shown)
    }
}

crate::resource_routes!(
    Meetings,
    tag = "meetings",
    route = ("/meetings/{id}"),
    id = "The meeting's id",
    dto = MeetingDto,
    get = (
        get_meeting,
        ["Get a meeting."],
        "The meeting",
        security = [(), ("bearer" = [])]
    ),
    delete = (
        delete_meeting,
        ["Delete a meeting (the network's coordinators and admins)."],
        "Deleted; sync clients see a tombstone"
    ),
);

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_meetings)
        .service(create_meeting)
        .service(get_meeting)
        .service(update_meeting)
        .service(delete_meeting);
}
