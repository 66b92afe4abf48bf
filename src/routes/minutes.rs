//! `/api/v1/meetings/{id}/minutes`: one set of minutes per meeting. Coordinators write
//! the draft and submit it; each approver (justerare) approves; approved minutes change
//! only by recorded amendments, and every earlier version stays readable.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, MaybeAuthUser};
use crate::db::{Db, DbConnection};
use crate::error::{ApiError, ApiResult, Validator};
use crate::etag::IfMatch;
use crate::kit::body::Json;
use crate::models::access::{self, Visibility};
use crate::models::action_item::{self, ActionFields, ActionStatus, PlacedAction};
use crate::models::meeting::{self, Meeting};
use crate::models::minutes::{
    self as model, Content, DraftHeader, Minutes, MinutesStatus, Section,
};
use crate::models::{audit, organization, person};
use crate::routes::action_items::ActionItemDto;
use crate::routes::meetings::local;
use crate::routes::{path_id, today, utc, uuid};
use crate::validation;

/// A section of the minutes: one per agenda item.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "agenda_item_id": "019a8700-0000-7000-8000-000000000101",
    "heading": "Information från GR",
    "notes": "Arbete för gemensam uppföljning av hur Covid-19 har påverkat ekonomiskt bistånd pågår.",
    "decisions": ["GR sammanställer uppföljningen till nästa möte."],
    "action_items": []
}))]
pub struct SectionDto {
    pub agenda_item_id: Option<Uuid>,
    pub heading: String,
    pub notes: Option<String>,
    pub decisions: Vec<String>,
    pub action_items: Vec<ActionItemDto>,
}

/// An approval by one approver.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c", "approved_at": "2020-05-15T10:00:00Z"}))]
pub struct ApprovalDto {
    pub person_id: Uuid,
    pub approved_at: DateTime<Utc>,
}

/// A correction made after approval.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"reason": "Fel namn på föredragande i § 3.", "changed_by": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c", "changed_at": "2020-05-20T08:00:00Z", "version": 6}))]
pub struct AmendmentDto {
    pub reason: String,
    /// The person who made it.
    pub changed_by: Uuid,
    pub changed_at: DateTime<Utc>,
    /// The version of the minutes it produced; the one before stays readable.
    pub version: i32,
}

/// A meeting's minutes.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8a00-0000-7000-8000-000000000001",
    "meeting_id": "019a8700-0000-7000-8000-000000000001",
    "status": "approved",
    "recorded_by": ["019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5d"],
    "approvers": ["019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c"],
    "approval_due_on": "2020-05-22",
    "approvals": [{"person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c", "approved_at": "2020-05-15T10:00:00Z"}],
    "submitted_at": "2020-05-11T09:00:00Z",
    "approved_at": "2020-05-15T10:00:00Z",
    "sections": [{"agenda_item_id": null, "heading": "Mötet inleds", "notes": "Inledning och kort introduktion.", "decisions": [], "action_items": []}],
    "amendments": [],
    "visibility": "restricted",
    "version": 5,
    "created_at": "2020-05-08T13:00:00Z",
    "updated_at": "2020-05-15T10:00:00Z"
}))]
pub struct MinutesDto {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub status: MinutesStatus,
    /// Who took the notes.
    pub recorded_by: Vec<Uuid>,
    /// Who approves the minutes (justerare).
    pub approvers: Vec<Uuid>,
    /// By when the approvers should approve.
    pub approval_due_on: NaiveDate,
    pub approvals: Vec<ApprovalDto>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// When the last approver approved.
    pub approved_at: Option<DateTime<Utc>>,
    pub sections: Vec<SectionDto>,
    pub amendments: Vec<AmendmentDto>,
    pub visibility: Visibility,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An action item as written in a section; send its `id` back to keep it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Skicka ut VGR:s dokument om att arbeta i kris", "owner_person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5d", "due_on": "2020-05-22"}))]
pub struct ActionInput {
    /// An action item of these minutes to keep; without it, a new one.
    #[schema(value_type = Option<Uuid>)]
    pub id: Option<String>,
    #[schema(min_length = 1, max_length = 500, pattern = "\\S")]
    pub title: String,
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[schema(value_type = Option<Uuid>)]
    pub owner_person_id: Option<String>,
    #[schema(value_type = Option<Uuid>)]
    pub owner_organization_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// Default `open`.
    #[schema(value_type = Option<ActionStatus>)]
    pub status: Option<String>,
}

/// A section as written.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"agenda_item_id": "019a8700-0000-7000-8000-000000000101", "heading": "Information från GR", "notes": "…", "decisions": ["GR sammanställer uppföljningen."], "action_items": []}))]
pub struct SectionInput {
    /// The agenda item it records (of this meeting).
    #[schema(value_type = Option<Uuid>)]
    pub agenda_item_id: Option<String>,
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub heading: String,
    #[schema(max_length = 50000)]
    pub notes: Option<String>,
    #[serde(default)]
    pub decisions: Vec<String>,
    #[serde(default)]
    pub action_items: Vec<ActionInput>,
}

/// The draft, written whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "recorded_by": ["019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5d"],
    "approvers": ["019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c"],
    "sections": [{"heading": "Mötet inleds", "notes": "Inledning och kort introduktion till mötet som genomförs via Teams."}]
}))]
pub struct PutMinutes {
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>)]
    pub recorded_by: Vec<String>,
    /// The approvers (justerare); at least one before submitting.
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>)]
    pub approvers: Vec<String>,
    /// Default: 14 days after the meeting.
    pub approval_due_on: Option<NaiveDate>,
    /// Default: the meeting's visibility.
    #[schema(value_type = Option<Visibility>)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub sections: Vec<SectionInput>,
}

/// A correction of approved minutes: why, and the sections as they should read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Fel namn på föredragande i § 3.", "sections": [{"heading": "Mötet inleds", "notes": "Rättad text."}]}))]
pub struct AmendMinutes {
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    pub reason: String,
    pub sections: Vec<SectionInput>,
}

/// Which version to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// An earlier version, as it read then (JSON only).
    #[param(minimum = 1, example = 3)]
    pub version: Option<i32>,
}

fn people(v: &mut Validator, field: &str, ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let id = validation::uuid(v, &format!("{field}[{i}]"), id);
        if out.contains(&id) {
            v.add(&format!("{field}[{i}]"), "appears twice");
        }
        out.push(id);
    }
    out
}

fn content(v: &mut Validator, sections: Vec<SectionInput>) -> Content {
    v.check(sections.len() <= 200, "sections", "at most 200 sections");
    let mut stored = Vec::new();
    let mut actions = Vec::new();
    for (i, s) in sections.into_iter().enumerate() {
        let at = |name: &str| format!("sections[{i}].{name}");
        let mut decisions = Vec::new();
        for (d, text) in s.decisions.iter().enumerate() {
            decisions.push(validation::text(
                v,
                &at(&format!("decisions[{d}]")),
                text,
                1,
                5000,
            ));
        }
        let mut items = Vec::new();
        for (j, a) in s.action_items.into_iter().enumerate() {
            let prefix = format!("sections[{i}].action_items[{j}].");
            let f = |name: &str| format!("{prefix}{name}");
            let status = match a.status.as_deref() {
                None => ActionStatus::Open,
                Some(s) => ActionStatus::parse(s).unwrap_or_else(|| {
                    v.add(&f("status"), ActionStatus::expected());
                    ActionStatus::Open
                }),
            };
            items.push(PlacedAction {
                id: a.id.as_deref().map(|id| validation::uuid(v, &f("id"), id)),
                fields: ActionFields {
                    title: validation::text(v, &f("title"), &a.title, 1, 500),
                    description: validation::optional_text(
                        v,
                        &f("description"),
                        a.description.as_deref(),
                        5000,
                    ),
                    owner_person_id: a
                        .owner_person_id
                        .as_deref()
                        .map(|p| validation::uuid(v, &f("owner_person_id"), p)),
                    owner_organization_id: a
                        .owner_organization_id
                        .as_deref()
                        .map(|o| validation::uuid(v, &f("owner_organization_id"), o)),
                    due_on: a.due_on,
                    status,
                },
                field: prefix.clone(),
            });
        }
        stored.push(Section {
            agenda_item_id: s
                .agenda_item_id
                .as_deref()
                .map(|a| validation::uuid(v, &at("agenda_item_id"), a)),
            heading: validation::text(v, &at("heading"), &s.heading, 1, 300),
            notes: validation::optional_text(v, &at("notes"), s.notes.as_deref(), 50_000),
            decisions,
        });
        actions.push(items);
    }
    Content {
        sections: stored,
        actions,
    }
}

/// The minutes as served now.
fn build(conn: &mut DbConnection, m: &Minutes) -> ApiResult<MinutesDto> {
    let items = action_item::of_meeting(conn, &m.meeting_id)?;
    let sections = m
        .section_list()
        .into_iter()
        .enumerate()
        .map(|(i, s)| SectionDto {
            agenda_item_id: s.agenda_item_id.as_deref().map(uuid),
            heading: s.heading,
            notes: s.notes,
            decisions: s.decisions,
            action_items: items
                .iter()
                .filter(|a| a.section_index == i as i32)
                .cloned()
                .map(ActionItemDto::from)
                .collect(),
        })
        .collect();
    Ok(MinutesDto {
        id: uuid(&m.id),
        meeting_id: uuid(&m.meeting_id),
        status: MinutesStatus::parse(&m.status).unwrap_or(MinutesStatus::Draft),
        recorded_by: m.recorded_by_list().iter().map(|p| uuid(p)).collect(),
        approvers: m.approver_list().iter().map(|p| uuid(p)).collect(),
        approval_due_on: m.approval_due_on,
        approvals: model::approvals(conn, &m.id)?
            .into_iter()
            .map(|a| ApprovalDto {
                person_id: uuid(&a.person_id),
                approved_at: utc(a.approved_at),
            })
            .collect(),
        submitted_at: m.submitted_at.map(utc),
        approved_at: m.approved_at.map(utc),
        sections,
        amendments: model::amendments(conn, &m.id)?
            .into_iter()
            .map(|a| AmendmentDto {
                reason: a.reason,
                changed_by: uuid(&a.changed_by),
                changed_at: utc(a.changed_at),
                version: a.version,
            })
            .collect(),
        visibility: Visibility::parse(&m.visibility).unwrap_or(Visibility::Restricted),
        version: m.version,
        created_at: utc(m.created_at),
        updated_at: utc(m.updated_at),
    })
}

/// Builds the body of the new version and keeps it for later reading.
fn keep(conn: &mut DbConnection, m: &Minutes) -> ApiResult<MinutesDto> {
    let dto = build(conn, m)?;
    model::record_revision(
        conn,
        &m.id,
        m.version,
        &serde_json::to_string(&dto).unwrap_or_default(),
    )?;
    Ok(dto)
}

fn respond(dto: &MinutesDto, status: actix_web::http::StatusCode) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((
            actix_web::http::header::ETAG,
            crate::etag::etag(dto.version),
        ))
        .json(dto)
}

fn wants_markdown(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/markdown"))
}

fn person_name(conn: &mut DbConnection, id: &str) -> String {
    person::find(conn, id)
        .map(|p| p.name)
        .unwrap_or_else(|_| "(okänd)".into())
}

/// The protocol document of the meeting's minutes.
fn protocol(conn: &mut DbConnection, meeting: &Meeting, m: &Minutes) -> ApiResult<String> {
    let start = local(meeting.starts_at, &meeting.time_zone);
    let end = local(meeting.ends_at, &meeting.time_zone);
    let network = match &meeting.network_id {
        Some(n) => Some(crate::models::network::find_unchecked(conn, n)?.name),
        None => None,
    };
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (a, name) in meeting::attendee_list(conn, &meeting.id)? {
        if a.attendance != meeting::Attendance::Present.as_str() {
            continue;
        }
        let org = match &a.organization_id {
            Some(o) => organization::find_any(conn, o)?.name,
            None => "Övriga".into(),
        };
        groups.entry(org).or_default().push(name);
    }
    let items = action_item::of_meeting(conn, &meeting.id)?;
    let mut sections = Vec::new();
    for (i, s) in m.section_list().into_iter().enumerate() {
        let mut actions = Vec::new();
        for a in items.iter().filter(|a| a.section_index == i as i32) {
            let who = match (&a.owner_person_id, &a.owner_organization_id) {
                (Some(p), Some(o)) => Some(format!(
                    "{} ({})",
                    person_name(conn, p),
                    organization::find_any(conn, o)?.name
                )),
                (Some(p), None) => Some(person_name(conn, p)),
                (None, Some(o)) => Some(organization::find_any(conn, o)?.name),
                (None, None) => None,
            };
            actions.push((a.title.clone(), who, a.due_on.map(|d| d.to_string())));
        }
        sections.push(crate::protocol::ProtocolSection {
            heading: s.heading,
            notes: s.notes,
            decisions: s.decisions,
            actions,
        });
    }
    let approvals = model::approvals(conn, &m.id)?;
    let tz: chrono_tz::Tz = meeting
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Stockholm);
    let local_date = |t: chrono::NaiveDateTime| {
        chrono::TimeZone::from_utc_datetime(&tz, &t)
            .date_naive()
            .to_string()
    };
    let mut approvers = Vec::new();
    for p in m.approver_list() {
        let date = approvals
            .iter()
            .find(|a| a.person_id == p)
            .map(|a| local_date(a.approved_at));
        approvers.push((person_name(conn, &p), date));
    }
    let recorded_by = m
        .recorded_by_list()
        .iter()
        .map(|p| person_name(conn, p))
        .collect();
    let mut amendments = Vec::new();
    for a in model::amendments(conn, &m.id)? {
        amendments.push((
            local_date(a.changed_at),
            person_name(conn, &a.changed_by),
            a.reason,
        ));
    }
    let status = match MinutesStatus::parse(&m.status) {
        Some(MinutesStatus::Approved) => format!(
            "Justerat {}",
            m.approved_at.map(local_date).unwrap_or_default()
        ),
        Some(MinutesStatus::Submitted) => "Inlämnat för justering".into(),
        _ => "Utkast – ej justerat".into(),
    };
    let mode = match meeting::MeetingMode::parse(&meeting.mode) {
        Some(meeting::MeetingMode::Digital) => "digitalt",
        Some(meeting::MeetingMode::Hybrid) => "hybridmöte",
        _ => "på plats",
    };
    Ok(crate::protocol::render(&crate::protocol::Protocol {
        title: meeting.title.clone(),
        network,
        when: format!(
            "{}, {}–{}",
            start.format("%Y-%m-%d"),
            start.format("%H:%M"),
            end.format("%H:%M")
        ),
        place: meeting.location.clone(),
        mode: mode.into(),
        present: groups.into_iter().collect(),
        sections,
        recorded_by,
        approvers,
        status,
        amendments,
    }))
}

/// Read the minutes, as JSON or (with `Accept: text/markdown`) as a protocol document.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id"), VersionQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The minutes; with `Accept: text/markdown` a Swedish protocol document",
        content((MinutesDto = "application/json"), (String = "text/markdown", example = json!("# Nätverket för IFO-chefer\n\n**Datum:** 2020-05-08, 09:00–12:00  \n…"))),
        headers(("ETag" = String, description = "Its version"))))
)]
#[get("/meetings/{id}/minutes")]
pub async fn get_minutes(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    query: web::Query<VersionQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let markdown = wants_markdown(&req);
    let wanted = query.version;
    let (body, version, markdown) = db
        .read(move |conn| {
            let (meeting, access) = meeting::find_visible(conn, &viewer, &id, today())?;
            let m = model::of_meeting(conn, &id)?.ok_or_else(ApiError::not_found)?;
            if !access::can_see(&m.visibility, &viewer, access.insider) {
                return Err(ApiError::not_found());
            }
            match wanted {
                Some(v) if v != m.version => Ok((model::revision(conn, &m.id, v)?, v, false)),
                _ if markdown => Ok((protocol(conn, &meeting, &m)?, m.version, true)),
                _ => Ok((
                    serde_json::to_string(&build(conn, &m)?).unwrap_or_default(),
                    m.version,
                    false,
                )),
            }
        })
        .await?;
    let content_type = if markdown {
        "text/markdown; charset=utf-8"
    } else {
        "application/json"
    };
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, crate::etag::etag(version)))
        .content_type(content_type)
        .body(body))
}

/// Write the draft (coordinators and admins): creates it, or replaces it while it is a
/// draft. Action items sent with their `id` keep their identity; ones left out are removed.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = PutMinutes,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The draft was replaced", body = MinutesDto),
        (status = 201, description = "The draft was created", body = MinutesDto, headers(("Location" = String, description = "The minutes' address"))),
        (status = 409, description = "The minutes are submitted or approved; `current_status` says which", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/meetings/{id}/minutes")]
pub async fn put_minutes(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: Json<PutMinutes>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let input = body.body;
    let mut v = Validator::new();
    let header = DraftHeader {
        recorded_by: people(&mut v, "recorded_by", &input.recorded_by),
        approvers: people(&mut v, "approvers", &input.approvers),
        approval_due_on: input.approval_due_on,
        visibility: input.visibility.as_deref().map(|t| {
            Visibility::parse(t).unwrap_or_else(|| {
                v.add("visibility", Visibility::expected());
                Visibility::Restricted
            })
        }),
    };
    let content = content(&mut v, input.sections);
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let (dto, created) = db
        .write(move |conn| {
            let meeting = meeting::find_managed(conn, &viewer, &id, today())?;
            let (m, created) = model::save_draft(
                conn,
                &meeting,
                if_match.expected_version(),
                &header,
                &content,
            )?;
            let dto = keep(conn, &m)?;
            audit::record(
                conn,
                &actor,
                if created {
                    "minutes.create"
                } else {
                    "minutes.update"
                },
                "minutes",
                Some(&m.id),
                "success",
            )?;
            Ok((dto, created))
        })
        .await?;
    if created {
        let mut response = respond(&dto, actix_web::http::StatusCode::CREATED);
        if let Ok(location) = actix_web::http::header::HeaderValue::from_str(&format!(
            "/api/v1/meetings/{}/minutes",
            dto.meeting_id
        )) {
            response
                .headers_mut()
                .insert(actix_web::http::header::LOCATION, location);
        }
        Ok(response)
    } else {
        Ok(respond(&dto, actix_web::http::StatusCode::OK))
    }
}

async fn transition(
    db: &Db,
    auth: &AuthUser,
    id: String,
    action: &'static str,
    step: impl FnOnce(
        &mut DbConnection,
        &Meeting,
        &Minutes,
        &crate::models::access::Viewer,
    ) -> ApiResult<Minutes>
    + Send
    + 'static,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer();
    let actor = auth.actor();
    let dto = db
        .write(move |conn| {
            let (meeting, access) = meeting::find_visible(conn, &viewer, &id, today())?;
            let m = model::of_meeting(conn, &id)?.ok_or_else(ApiError::not_found)?;
            if !access::can_see(&m.visibility, &viewer, access.insider) {
                return Err(ApiError::not_found());
            }
            let m = step(conn, &meeting, &m, &viewer)?;
            let dto = keep(conn, &m)?;
            audit::record(conn, &actor, action, "minutes", Some(&m.id), "success")?;
            Ok(dto)
        })
        .await?;
    Ok(respond(&dto, actix_web::http::StatusCode::OK))
}

fn require_manager(
    conn: &mut DbConnection,
    viewer: &crate::models::access::Viewer,
    meeting: &Meeting,
) -> ApiResult<()> {
    let access = meeting::access_to(conn, viewer, meeting, today())?;
    if access.manages {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "only the network's coordinators (and admins) may do this",
        ))
    }
}

/// Submit the draft for approval (coordinators and admins): draft → submitted.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Submitted", body = MinutesDto),
        (status = 409, description = "Not a draft; `current_status` says what it is", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/meetings/{id}/minutes/submit")]
pub async fn submit_minutes(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    transition(
        &db,
        &auth,
        id,
        "minutes.submit",
        |conn, meeting, m, viewer| {
            require_manager(conn, viewer, meeting)?;
            model::submit(conn, m)
        },
    )
    .await
}

/// Approve the minutes (justering) as one of their approvers. When the last approver
/// has approved, the minutes are `approved` and read-only.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your approval is recorded", body = MinutesDto),
        (status = 409, description = "Not submitted, or you approved already; `current_status` says the state", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/meetings/{id}/minutes/approve")]
pub async fn approve_minutes(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let person = auth.user.person_id.clone();
    transition(&db, &auth, id, "minutes.approve", move |conn, _, m, _| {
        model::approve(conn, m, &person)
    })
    .await
}

/// Amend approved minutes (coordinators and admins): the sections as they should read
/// and why. The earlier text stays readable with `?version=`.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = AmendMinutes,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Amended", body = MinutesDto),
        (status = 409, description = "The minutes are not approved; `current_status` says what they are", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/meetings/{id}/minutes/amendments")]
pub async fn amend_minutes(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    body: Json<AmendMinutes>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let input = body.body;
    let mut v = Validator::new();
    let reason = validation::text(&mut v, "reason", &input.reason, 1, 2000);
    let content = content(&mut v, input.sections);
    v.finish()?;
    let person = auth.user.person_id.clone();
    transition(
        &db,
        &auth,
        id,
        "minutes.amend",
        move |conn, meeting, m, viewer| {
            require_manager(conn, viewer, meeting)?;
            model::amend(conn, meeting, m, &reason, &person, &content)
        },
    )
    .await
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_minutes)
        .service(put_minutes)
        .service(submit_minutes)
        .service(approve_minutes)
        .service(amend_minutes);
}
