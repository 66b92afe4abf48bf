//! `/api/v1/networks/{id}/participation`: the participation report of a network.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{NaiveDate, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::Db;
use crate::error::{ApiResult, Validator};
use crate::kit::query::{Id, Query};
use crate::models::{network, participation};
use crate::pagination::{List, PageLinks, PaginationInfo, SliceQuery};
use crate::routes::uuid;

/// The period of a participation report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day counted (inclusive).
    #[param(example = "2020-01-01")]
    pub from: Option<NaiveDate>,
    /// Last day counted (inclusive).
    #[param(example = "2020-12-31")]
    pub to: Option<NaiveDate>,
}

/// One member organization's participation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1", "name": "Partille kommun", "meetings_held": 4, "meetings_attended": 3, "share": 0.75}))]
pub struct OrganizationParticipation {
    pub organization_id: Uuid,
    pub name: String,
    /// Meetings of the network held in the period (that you may see).
    pub meetings_held: i64,
    /// Of those, the meetings someone attended (present) on the organization's behalf.
    pub meetings_attended: i64,
    /// `meetings_attended / meetings_held`; `null` when none were held.
    pub share: Option<f64>,
}

/// How the member organizations took part in a network's meetings.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "network_id": "019a8600-0000-7000-8000-000000000001",
    "from": "2020-01-01",
    "to": "2020-12-31",
    "meetings_held": 4,
    "organizations": [{"organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1", "name": "Partille kommun", "meetings_held": 4, "meetings_attended": 3, "share": 0.75}],
    "pagination": {"limit": 50, "next_cursor": null},
    "links": {"next": null}
}))]
pub struct ParticipationReport {
    pub network_id: Uuid,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Held meetings of the network in the period that you may see.
    pub meetings_held: i64,
    /// One row per organization that was a member during the period, by name; paged.
    pub organizations: Vec<OrganizationParticipation>,
    pub pagination: PaginationInfo,
    pub links: PageLinks,
}

/// Participation report: per member organization, the meetings held, attended and the
/// share. Counts only the meetings you may see.
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id"), PeriodQuery, SliceQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The report", body = ParticipationReport))
)]
#[get("/networks/{id}/participation")]
pub async fn get_participation(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    period: Query<PeriodQuery>,
    page: Query<SliceQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let [id] = id.get()?;
    let period = period.get()?;
    let slice = page.get()?.slice()?;
    let (from, to) = (period.from, period.to);
    let mut v = Validator::new();
    if let (Some(f), Some(t)) = (from, to) {
        v.check(t >= f, "to", "must not be before from");
    }
    v.finish()?;
    // Unbounded ends as dates both databases store and compare alike.
    let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default();
    let start = from.unwrap_or(first).and_time(NaiveTime::MIN);
    let end = to
        .map_or(last, |d| d + TimeDelta::days(1))
        .and_time(NaiveTime::MIN);
    let (reach, network_id, limit) = (caller.reach, id.clone(), slice.limit);
    let report = db
        .read(move |conn| {
            network::find(conn, &reach, &id, false)?;
            participation::report(conn, &reach, &id, (from, to), (start, end), &slice)
        })
        .await?;
    let held = report.held;
    let organizations = report
        .lines
        .rows
        .into_iter()
        .map(|line| OrganizationParticipation {
            organization_id: uuid(&line.organization_id),
            name: line.name,
            meetings_held: held,
            meetings_attended: line.attended,
            share: (held > 0).then(|| line.attended as f64 / held as f64),
        })
        .collect();
    let envelope = List::new(Vec::<()>::new(), limit, report.lines.next, &req);
    Ok(HttpResponse::Ok().json(ParticipationReport {
        network_id: uuid(&network_id),
        from,
        to,
        meetings_held: held,
        organizations,
        pagination: envelope.pagination,
        links: envelope.links,
    }))
}

/// Registers the handlers.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_participation);
}
