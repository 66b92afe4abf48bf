//! `/api/v1/supervisory-dialogues/lessons`: the lessons learned and recommendations
//! across the dialogues you may see, which the authority feeds back to every
//! municipality.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::Db;
use crate::error::{ApiResult, Validator};
use crate::kit::query::Query;
use crate::models::dialogue::LessonKind;
use crate::models::dialogue_view;
use crate::pagination::{List, SliceQuery, search_pattern};
use crate::routes::uuid;

/// One lesson or recommendation, with the dialogue it comes from.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "dialogue_id": "019a8c00-0000-7000-8000-000000000001",
    "dialogue_title": "Dialog med Sveriges socialchefer om socialtjänstinsatser under utbrottet av covid-19",
    "supervision_name": "Nationell tillsyn av förändringar i socialtjänstinsatser",
    "kind": "lesson_learned",
    "text": "En tydlig organisation som fungerar i vardagen underlättar arbetet i en kris."
}))]
pub struct Lesson {
    pub dialogue_id: Uuid,
    pub dialogue_title: String,
    pub supervision_name: String,
    pub kind: LessonKind,
    pub text: String,
}

/// Search of lessons.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LessonSearch {
    /// Text search, case-insensitive (also for å, ä and ö).
    #[param(example = "kris", max_length = 200)]
    pub q: Option<String>,
}

/// Lessons learned and recommendations across the dialogues you may see: what the
/// authority feeds back to all municipalities. Searched and paged in the database.
#[utoipa::path(
    tag = "supervisory-dialogues",
    params(SliceQuery, LessonSearch),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of lessons and recommendations, newest dialogue first", body = List<Lesson>))
)]
#[get("/supervisory-dialogues/lessons")]
pub async fn list_lessons(
    caller: Caller,
    db: web::Data<Db>,
    page: Query<SliceQuery>,
    search: Query<LessonSearch>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let slice = page.get()?.slice()?;
    let search = search.get()?;
    let mut v = Validator::new();
    let pattern = search_pattern(&mut v, search.q.as_deref());
    v.finish()?;
    let (reach, limit) = (caller.reach, slice.limit);
    let page = db
        .read(move |conn| dialogue_view::lessons(conn, &reach, pattern.as_deref(), &slice))
        .await?;
    let data: Vec<Lesson> = page
        .rows
        .into_iter()
        .map(|l| Lesson {
            dialogue_id: uuid(&l.dialogue_id),
            dialogue_title: l.dialogue_title,
            supervision_name: l.supervision_name,
            kind: l.kind,
            text: l.text,
        })
        .collect();
    Ok(List::new(data, limit, page.next, &req).respond())
}

/// Registers the handlers.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_lessons);
}
