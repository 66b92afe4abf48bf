//! A top-level resource over HTTP, written once for all of them: `GET /<resources>/{id}`
//! serves it, with its `ETag`, to whoever may see it (404 for anyone else); `DELETE`
//! (with `If-Match`) deletes it for its stewards (403 for other callers who see it, 412
//! for a stale or absent version), recorded in the audit trail in the same transaction.
//! [`resource_routes!`] declares the handlers of one resource with their OpenAPI
//! documentation.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::auth::Caller;
use crate::db::{Db, Versioned};
use crate::error::ApiResult;
use crate::kit::precondition::IfMatch;
use crate::kit::query::Id;
use crate::kit::{deletable, ok_with_etag};
use crate::models::store::{Deletable, Stored};
use crate::policy::Reach;

/// Who may call a resource's endpoints at all, before its visibility decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callers {
    /// Anyone, also without a token (visibility decides).
    Anyone,
    /// Signed-in users.
    SignedIn,
    /// Admins only (403 for everyone else, whether the resource exists or not).
    Admins,
}

impl Callers {
    fn admit(self, caller: &Caller) -> ApiResult<()> {
        match self {
            Self::Anyone => Ok(()),
            Self::SignedIn => caller.signed_in().map(|_| ()),
            Self::Admins => {
                caller.signed_in()?;
                caller.reach.require_admin()
            }
        }
    }
}

/// One kind of top-level resource as clients see it.
pub trait Resource: 'static {
    /// How it is stored.
    type Row: Stored;
    /// What is served.
    type Dto: Serialize;
    /// Who may call at all.
    const CALLERS: Callers;

    /// The resource as served to the caller.
    fn dto(shown: <Self::Row as Stored>::Shown, reach: &Reach) -> Self::Dto;
}

/// `GET /<resources>/{id}`.
pub async fn get<R: Resource>(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
) -> ApiResult<HttpResponse> {
    R::CALLERS.admit(&caller)?;
    let [id] = id.get()?;
    let reach = caller.reach;
    let (shown, reach) = db
        .read(move |conn| Ok((R::Row::show(conn, &reach, &id)?, reach)))
        .await?;
    Ok(ok_with_etag(shown.version(), &R::dto(shown, &reach)))
}

/// `DELETE /<resources>/{id}`.
pub async fn delete<R: Resource>(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
) -> ApiResult<HttpResponse>
where
    R::Row: Deletable,
{
    caller.signed_in()?;
    R::CALLERS.admit(&caller)?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    db.write(move |conn| {
        let current = deletable(&reach, R::Row::find(conn, &reach, &id, true), &if_match)?;
        R::Row::delete(conn, &current)?;
        let (kind, deleted) = (<R::Row as Deletable>::KIND, <R::Row as Deletable>::DELETED);
        actor.record(conn, &format!("{kind}.{deleted}"), kind, &id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Declares the `GET` (and `DELETE`) handler of a resource, documented for the OpenAPI
/// contract. `route` is what actix-web's attribute takes (the path, and a guard),
/// `security` what utoipa's does (in brackets, which rustfmt leaves alone); the
/// documentation comes as lines (a summary, then after an empty line the description). `security` is the `GET`'s (`((), ("bearer" = []))` where anonymous callers
/// may read); `conflict` documents a 409 of the `DELETE`.
#[macro_export]
macro_rules! resource_routes {
    (
        $resource:ty, tag = $tag:tt, route = $route:tt, id = $id_doc:tt, dto = $dto:ty,
        get = ($get_fn:ident, [$($get_doc:literal),+ $(,)?], $get_response:tt, security = [$($security:tt)*])
        $(, delete = ($delete_fn:ident, [$($delete_doc:literal),+ $(,)?], $deleted:tt $(, conflict = $conflict:tt)?))?
        $(,)?
    ) => {
        /// The handlers the conventions kit writes for this resource.
        pub mod resource_handlers {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use actix_web::{delete, get};

            $(#[doc = $get_doc])+
            #[utoipa::path(
                tag = $tag,
                params(("id" = Uuid, Path, description = $id_doc)),
                security($($security)*),
                responses((status = 200, description = $get_response, body = $dto,
                    headers(("ETag" = String, description = "Its version"))))
            )]
            #[get $route]
            pub async fn $get_fn(
                caller: $crate::auth::Caller,
                db: actix_web::web::Data<$crate::db::Db>,
                id: $crate::kit::query::Id,
            ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
                $crate::kit::resource::get::<$resource>(caller, db, id).await
            }

            $(
            $(#[doc = $delete_doc])+
            #[utoipa::path(
                tag = $tag,
                params(("id" = Uuid, Path, description = $id_doc)),
                security(("bearer" = [])),
                responses(
                    (status = 204, description = $deleted),
                    $((status = 409, description = $conflict, body = $crate::error::Problem, content_type = "application/problem+json"),)?
                )
            )]
            #[delete $route]
            pub async fn $delete_fn(
                caller: $crate::auth::Caller,
                db: actix_web::web::Data<$crate::db::Db>,
                id: $crate::kit::query::Id,
                if_match: $crate::kit::precondition::IfMatch,
            ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
                $crate::kit::resource::delete::<$resource>(caller, db, id, if_match).await
            }
            )?
        }
        pub use resource_handlers::$get_fn;
        $(pub use resource_handlers::$delete_fn;)?
    };
}
