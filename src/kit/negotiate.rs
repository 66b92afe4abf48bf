//! Content negotiation (RFC 9110 §12.5.1): which of the representations an endpoint
//! offers the `Accept` header prefers, through actix-web's typed `Accept` header (its
//! q-values and specificity). No `Accept`, or `*/*`: the first offered. Nothing
//! acceptable: 406 naming what is offered.

use actix_web::HttpRequest;
use actix_web::http::header::{Accept, Header, Quality};

use crate::error::{ApiError, ApiResult};

/// The offered media type (e.g. `"application/pdf"`) the caller prefers; `offered[0]`
/// is the default.
pub fn negotiate(req: &HttpRequest, offered: &[&'static str]) -> ApiResult<&'static str> {
    let default = offered.first().copied().unwrap_or("application/json");
    if !req.headers().contains_key(actix_web::http::header::ACCEPT) {
        return Ok(default);
    }
    let refuse = || {
        ApiError::not_acceptable(format!(
            "this resource is available as {}",
            offered.join(", ")
        ))
    };
    let accept = Accept::parse(req).map_err(|_| refuse())?;
    let wanted = Accept(
        accept
            .0
            .into_iter()
            .filter(|q| q.quality > Quality::ZERO)
            .collect(),
    );
    for range in wanted.ranked() {
        let hit = offered.iter().find(|o| {
            let Ok(m) = o.parse::<actix_web::mime::Mime>() else {
                return false;
            };
            (range.type_() == actix_web::mime::STAR || range.type_() == m.type_())
                && (range.subtype() == actix_web::mime::STAR || range.subtype() == m.subtype())
        });
        if let Some(hit) = hit {
            return Ok(hit);
        }
    }
    Err(refuse())
}
