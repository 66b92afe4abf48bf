//! The application: scopes, middleware, the OpenAPI document and the docs route.
//! `build` is used by the server and by every test.

use std::sync::Arc;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpResponse, web};
use serde_json::Value;
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, UtoipaApp, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::TokenKeys;
use crate::db::Db;
use crate::error::ApiError;
use crate::middleware::{RouteTable, no_route, request_context};
use crate::openapi::ApiDoc;
use crate::routes;

/// What every worker shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Access-token keys.
    pub keys: Arc<TokenKeys>,
    /// Origins allowed for CORS.
    pub cors_origins: Vec<String>,
}

fn with_routes<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.service(
        scope::scope("/api/v1")
            .configure(routes::auth::configure)
            .configure(routes::me::configure)
            .configure(routes::users::configure)
            .configure(routes::organizations::configure)
            .configure(routes::people::configure)
            .configure(routes::networks::configure)
            .configure(routes::members::configure)
            .configure(routes::participants::configure)
            .configure(routes::participation::configure)
            .configure(routes::meetings::configure)
            .configure(routes::agenda::configure)
            .configure(routes::attendees::configure)
            .configure(routes::calendar::configure)
            .configure(routes::minutes::configure)
            .configure(routes::action_items::configure)
            .configure(routes::themes::configure)
            .configure(routes::dialogue_lessons::configure)
            .configure(routes::dialogues::configure)
            .configure(routes::dialogue_parts::configure)
            .configure(routes::series::configure)
            .configure(routes::audit::configure)
            .configure(routes::bundle::configure)
            .configure(routes::search::configure),
    )
    .service(scope::scope("/health").configure(routes::health::configure))
}

/// The OpenAPI document exactly as `/openapi.json` serves it.
pub fn openapi_document() -> Value {
    let (_, api) =
        with_routes(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    crate::openapi::finalize(api)
}

fn route_table(doc: &Value) -> RouteTable {
    let mut table = RouteTable::default();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            let methods = item
                .as_object()
                .map(|ops| ops.keys().map(|m| m.to_uppercase()).collect())
                .unwrap_or_default();
            table.add(path, methods);
        }
    }
    table.add("/openapi.json", vec!["GET".into()]);
    table
}

/// The application with all routes, middleware and shared state.
pub fn build(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, api) =
        with_routes(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    let doc = crate::openapi::finalize(api);
    let table = route_table(&doc);

    let cors_enabled = !state.cors_origins.is_empty();
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            "authorization",
            "content-type",
            "if-match",
            "idempotency-key",
            "x-request-id",
        ])
        .expose_headers([
            "etag",
            "location",
            "x-request-id",
            "retry-after",
            "idempotent-replayed",
        ])
        .max_age(3600)
        // Let a disallowed origin through without CORS headers (the browser then refuses
        // it) rather than answering with actix-cors' plain-text error.
        .block_on_origin_mismatch(false);
    for origin in &state.cors_origins {
        cors = cors.allowed_origin(origin);
    }

    app.app_data(web::Data::new(state.db.clone()))
        .app_data(web::Data::from(state.keys.clone()))
        .app_data(web::Data::new(table))
        .app_data(web::PayloadConfig::new(crate::kit::body::MAX_BODY_BYTES))
        .app_data(web::QueryConfig::default().error_handler(|e, _| {
            ApiError::bad_request(format!("the query string is not valid: {e}")).into()
        }))
        .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::not_found().into()))
        .service(
            SwaggerUi::new("/docs/{_:.*}")
                .external_url_unchecked("/openapi.json", doc)
                // The page must not send the contract to validator.swagger.io.
                .config(utoipa_swagger_ui::Config::from("/openapi.json").validator_url("none")),
        )
        .route(
            "/docs",
            web::get().to(|| async {
                HttpResponse::PermanentRedirect()
                    .insert_header(("Location", "/docs/"))
                    .finish()
            }),
        )
        .default_service(web::to(no_route))
        .wrap(Condition::new(cors_enabled, cors))
        .wrap(from_fn(request_context))
}
