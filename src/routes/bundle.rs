//! `/api/v1/import` and `/api/v1/export`: the whole record (or one network's part of it)
//! as one bundle document, in and out (admins).

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, get, post};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::Caller;
use crate::bundle::export::{self, ExportFilter};
use crate::bundle::format::Bundle;
use crate::bundle::import::{self, ImportOptions, ImportReport};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::kit::query::Query;

/// The largest bundle `POST /api/v1/import` takes (larger ones go through `samverkan
/// import FILE`, which streams from the file).
pub const MAX_IMPORT_BYTES: usize = 256 * 1024 * 1024;

/// Import a bundle (admins).
///
/// All or nothing, in one transaction: any problem rolls everything back, and the 422
/// names every one by its place in the bundle (`meetings[3].starts_at`). Records are
/// remembered by their keys: importing the same bundle again changes nothing, and a
/// changed record is updated. The audit trail names the import. Dates of what happened
/// before (approvals, publications, completions, a series' timeline) are kept as given,
/// each beside when it was entered. Up to 256 MiB; larger bundles with `samverkan import`.
#[utoipa::path(
    tag = "bundle",
    request_body(content = Bundle, description = "A bundle (see the README's *Bundle format*)"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Imported", body = ImportReport),
        (status = 413, description = "Larger than 256 MiB", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/import")]
pub async fn import_bundle(
    caller: Caller,
    db: web::Data<Db>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    caller.reach.require_admin()?;
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let essence = v.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case("application/json")
        });
    if !json {
        return Err(ApiError::unsupported_media_type());
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) =
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut payload), cx)).await
    {
        let chunk = chunk.map_err(|_| ApiError::bad_request("the body could not be read"))?;
        if body.len() + chunk.len() > MAX_IMPORT_BYTES {
            return Err(ApiError::payload_too_large(MAX_IMPORT_BYTES));
        }
        body.extend_from_slice(&chunk);
    }
    let options = ImportOptions {
        source: "POST /api/v1/import".to_string(),
        reach: caller.reach.clone(),
        actor: caller.actor(),
    };
    let db = db.get_ref().clone();
    let report = web::block(move || {
        db.write_blocking(|conn| import::import(conn, &body[..], options, &mut |_| {}))
    })
    .await??;
    Ok(HttpResponse::Ok().json(report))
}

/// What to export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// Only this network and what belongs to it (its series, meetings, minutes and
    /// themes, and the organizations and people they name); no users, no dialogues.
    pub network_id: Option<Uuid>,
}

/// Export the record as a bundle (admins).
///
/// The same format the import reads, streamed as it is read from the database. Records
/// imported before keep their keys; others are keyed by their ids. Exporting, importing
/// into an empty database and exporting again gives the same document.
#[utoipa::path(
    tag = "bundle",
    params(ExportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The bundle", body = Bundle),
        (status = 404, description = "No such network", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/export")]
pub async fn export_bundle(
    caller: Caller,
    db: web::Data<Db>,
    query: Query<ExportQuery>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    caller.reach.require_admin()?;
    let filter = ExportFilter {
        network_id: query.get()?.network_id.map(|u| u.to_string()),
    };
    if let Some(id) = filter.network_id.clone() {
        // A network that does not exist is a 404 before the body starts.
        db.read(move |conn| crate::models::network::find_unchecked(conn, &id).map(|_| ()))
            .await?;
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let db = db.get_ref().clone();
    std::thread::spawn(move || {
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, ChannelWriter(tx.clone()));
        let written = db
            .conn()
            .map_err(ApiError::from)
            .and_then(|mut conn| export::write(&mut conn, &filter, &mut out));
        let flushed = std::io::Write::flush(&mut out);
        if let Err(e) = written {
            // The status line is gone: ending the body early tells the client.
            log::error!("export failed: {e}");
            let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        } else if let Err(e) = flushed {
            log::error!("export failed: {e}");
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .streaming(Chunks(rx)))
}

/// Writes into the channel the response reads from.
struct ChannelWriter(tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>);

impl std::io::Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .blocking_send(Ok(Bytes::copy_from_slice(buf)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client left"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The chunks of a streamed body.
struct Chunks(tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(import_bundle).service(export_bundle);
}
