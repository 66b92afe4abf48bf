//! A versioned sub-collection over HTTP, written once for all of them (members,
//! participants, agenda items, attendees, findings, follow-ups): `GET` lists, `POST`
//! adds one (with `Idempotency-Key`), `PATCH` on an item changes it and `DELETE` removes
//! it (both with `If-Match` on the item's own version). Whoever may see the parent may
//! list; whoever manages it may write. [`sub_collection_routes!`] declares the handlers
//! of one collection with their OpenAPI documentation.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::Caller;
use crate::db::{Db, Versioned};
use crate::error::{ApiResult, Validator};
use crate::kit::body::Body;
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::kit::precondition::IfMatch;
use crate::kit::query::{Ids, Query};
use crate::kit::{existing, ok_with_etag};
use crate::models::store::ItemStore;
use crate::pagination::{List, SliceQuery};

/// The item type of a collection's store.
pub type Item<S> = <<S as SubCollection>::Store as ItemStore>::Item;

/// One kind of sub-collection as clients see it.
pub trait SubCollection: 'static {
    /// Where its items are kept.
    type Store: ItemStore;
    /// The body of a `POST`.
    type Create: DeserializeOwned + Send + 'static;
    /// The body of a `PATCH`.
    type Update: DeserializeOwned + Send + 'static;
    /// An item as served.
    type Dto: Serialize;

    /// The parent's resource type in the audit trail (`network`).
    const PARENT: &'static str;
    /// An item's name in audit actions (`member` → `network.member_add`).
    const ITEM: &'static str;
    /// The path segment of the collection (`members`) under the parent's address.
    const SEGMENT: &'static str;
    /// The parent's collection path (`networks`).
    const PARENT_SEGMENT: &'static str;

    /// Validates a new item.
    fn new_item(v: &mut Validator, body: Self::Create) -> <Self::Store as ItemStore>::New;

    /// Validates a change to `current`.
    fn change(
        v: &mut Validator,
        current: &Item<Self>,
        body: Self::Update,
    ) -> <Self::Store as ItemStore>::Change;

    /// The item as served.
    fn dto(item: Item<Self>) -> Self::Dto;

    /// The last segment of the item's address (its id).
    fn key(item: &Item<Self>) -> String;
}

fn address<S: SubCollection>(parent_id: &str, item: &Item<S>) -> String {
    format!(
        "/api/v1/{}/{parent_id}/{}/{}",
        S::PARENT_SEGMENT,
        S::SEGMENT,
        S::key(item)
    )
}

fn action<S: SubCollection>(verb: &str) -> String {
    format!("{}.{}_{verb}", S::PARENT, S::ITEM)
}

/// `GET …/{id}/<collection>`: one page of the items, when the caller may see the parent.
pub async fn list<S: SubCollection>(
    caller: Caller,
    db: web::Data<Db>,
    ids: Ids<1>,
    query: Query<SliceQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let [id] = ids.get()?;
    let slice = query.get()?.slice()?;
    let limit = slice.limit;
    let reach = caller.reach;
    let page = db
        .read(move |conn| {
            let parent = S::Store::parent(conn, &reach, &id, false)?;
            S::Store::items(conn, &parent, &slice)
        })
        .await?;
    let data: Vec<S::Dto> = page.rows.into_iter().map(S::dto).collect();
    Ok(List::new(data, limit, page.next, &req).respond())
}

/// `POST …/{id}/<collection>`: adds one item (the parent's managers).
pub async fn add<S: SubCollection>(
    caller: Caller,
    db: web::Data<Db>,
    ids: Ids<1>,
    key: IdempotencyKey,
    body: Body<S::Create>,
) -> ApiResult<HttpResponse> {
    let user = caller.signed_in()?;
    let [id] = ids.get()?;
    let operation = format!("POST /{}/{id}/{}", S::PARENT_SEGMENT, S::SEGMENT);
    let fingerprint = body.fingerprint();
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    idempotency::create(
        &db,
        user,
        key,
        &operation,
        fingerprint.as_deref(),
        move |conn| {
            let parent = reach.manage(S::Store::parent(conn, &reach, &id, true)?)?;
            let mut v = Validator::new();
            let new = S::new_item(&mut v, body.parse()?);
            v.finish()?;
            let item = S::Store::add(conn, &parent, new)?;
            actor.record(conn, &action::<S>("add"), S::PARENT, &id)?;
            let (location, version) = (address::<S>(&id, &item), item.version());
            Ok(Created::new(location, version, &S::dto(item)))
        },
    )
    .await
}

/// `PATCH …/{id}/<collection>/{item}`: changes one item (the parent's managers).
pub async fn update<S: SubCollection>(
    caller: Caller,
    db: web::Data<Db>,
    ids: Ids<2>,
    if_match: IfMatch,
    body: Body<S::Update>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id, item_id] = ids.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let item = db
        .write(move |conn| {
            let parent = existing(S::Store::parent(conn, &reach, &id, true), &if_match)?;
            let parent = reach.manage(parent)?;
            let current = existing(S::Store::item(conn, &parent, &item_id), &if_match)?;
            if_match.check_version(current.version())?;
            let mut v = Validator::new();
            let change = S::change(&mut v, &current, body.parse()?);
            v.finish()?;
            let item = S::Store::change(conn, &parent, &current, change)?;
            actor.record(conn, &action::<S>("update"), S::PARENT, &id)?;
            Ok(item)
        })
        .await?;
    Ok(ok_with_etag(item.version(), &S::dto(item)))
}

/// `DELETE …/{id}/<collection>/{item}`: removes one item (the parent's managers).
pub async fn remove<S: SubCollection>(
    caller: Caller,
    db: web::Data<Db>,
    ids: Ids<2>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id, item_id] = ids.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    db.write(move |conn| {
        let parent = existing(S::Store::parent(conn, &reach, &id, true), &if_match)?;
        let parent = reach.manage(parent)?;
        let current = existing(S::Store::item(conn, &parent, &item_id), &if_match)?;
        if_match.check_version(current.version())?;
        S::Store::remove(conn, &parent, &current)?;
        actor.record(conn, &action::<S>("remove"), S::PARENT, &id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Declares the four handlers of a sub-collection, documented for the OpenAPI contract,
/// and a `configure` that registers them.
#[macro_export]
macro_rules! sub_collection_routes {
    (
        $collection:ty, tag = $tag:tt,
        path = $path:tt, item_path = $item_path:tt,
        parent = $parent_doc:tt, item = ($item_param:tt, $item_doc:tt),
        dto = $dto:ty, create = $create:ty, update = $update:ty,
        list = ($list_fn:ident, $list_doc:tt, $list_response:tt),
        add = ($add_fn:ident, $add_doc:tt),
        change = ($update_fn:ident, $update_doc:tt),
        remove = ($remove_fn:ident, $remove_doc:tt)
        $(, also = [$($extra:ident),* $(,)?])? $(,)?
    ) => {
        use actix_web::{delete, get, patch, post};
        use $crate::pagination::List;

        #[doc = $list_doc]
        #[utoipa::path(
            tag = $tag,
            params(("id" = Uuid, Path, description = $parent_doc), $crate::pagination::SliceQuery),
            security((), ("bearer" = [])),
            responses((status = 200, description = $list_response, body = List<$dto>))
        )]
        #[get($path)]
        pub async fn $list_fn(
            caller: $crate::auth::Caller,
            db: actix_web::web::Data<$crate::db::Db>,
            ids: $crate::kit::query::Ids<1>,
            query: $crate::kit::query::Query<$crate::pagination::SliceQuery>,
            req: actix_web::HttpRequest,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            $crate::kit::collection::list::<$collection>(caller, db, ids, query, req).await
        }

        #[doc = $add_doc]
        #[utoipa::path(
            tag = $tag,
            params(("id" = Uuid, Path, description = $parent_doc)),
            request_body = $create,
            security(("bearer" = [])),
            responses(
                (status = 201, description = "Added", body = $dto, headers(
                    ("Location" = String, description = "The item's address"),
                    ("ETag" = String, description = "Its version"))),
                (status = 409, description = "It is in the collection already", body = $crate::error::Problem, content_type = "application/problem+json"),
            )
        )]
        #[post($path)]
        pub async fn $add_fn(
            caller: $crate::auth::Caller,
            db: actix_web::web::Data<$crate::db::Db>,
            ids: $crate::kit::query::Ids<1>,
            key: $crate::kit::idempotency::IdempotencyKey,
            body: $crate::kit::body::Body<$create>,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            $crate::kit::collection::add::<$collection>(caller, db, ids, key, body).await
        }

        #[doc = $update_doc]
        #[utoipa::path(
            tag = $tag,
            params(("id" = Uuid, Path, description = $parent_doc), ($item_param = Uuid, Path, description = $item_doc)),
            request_body = $update,
            security(("bearer" = [])),
            responses((status = 200, description = "The changed item", body = $dto,
                headers(("ETag" = String, description = "Its new version"))))
        )]
        #[patch($item_path)]
        pub async fn $update_fn(
            caller: $crate::auth::Caller,
            db: actix_web::web::Data<$crate::db::Db>,
            ids: $crate::kit::query::Ids<2>,
            if_match: $crate::kit::precondition::IfMatch,
            body: $crate::kit::body::Body<$update>,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            $crate::kit::collection::update::<$collection>(caller, db, ids, if_match, body).await
        }

        #[doc = $remove_doc]
        #[utoipa::path(
            tag = $tag,
            params(("id" = Uuid, Path, description = $parent_doc), ($item_param = Uuid, Path, description = $item_doc)),
            security(("bearer" = [])),
            responses((status = 204, description = "Removed"))
        )]
        #[delete($item_path)]
        pub async fn $remove_fn(
            caller: $crate::auth::Caller,
            db: actix_web::web::Data<$crate::db::Db>,
            ids: $crate::kit::query::Ids<2>,
            if_match: $crate::kit::precondition::IfMatch,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            $crate::kit::collection::remove::<$collection>(caller, db, ids, if_match).await
        }

        /// Registers the handlers.
        pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
            cfg.service($list_fn)
                .service($add_fn)
                .service($update_fn)
                .service($remove_fn)
                $($(.service($extra))*)?;
        }
    };
}
