//! `version` → `ETag`, and `If-Match` → 412 when stale.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header};

use crate::error::{ApiError, ApiResult};

/// The strong entity tag of a resource version.
pub fn etag(version: i32) -> String {
    crate::error::entity_tag(version)
}

/// The `If-Match` precondition of a request, if it sent one.
#[derive(Debug, Clone, Default)]
pub struct IfMatch(Option<Vec<String>>);

impl IfMatch {
    /// No precondition.
    pub fn any() -> Self {
        Self(None)
    }

    /// 412 unless the precondition allows `current_version`.
    pub fn check(&self, current_version: i32) -> ApiResult<()> {
        match &self.0 {
            None => Ok(()),
            Some(tags) => {
                let current = etag(current_version);
                let matches = tags
                    .iter()
                    .any(|t| t == "*" || t.trim_start_matches("W/") == current);
                if matches {
                    Ok(())
                } else {
                    Err(ApiError::precondition_failed(Some(current_version)))
                }
            }
        }
    }

    /// The version the client claims to hold, when it named exactly one.
    pub fn expected_version(&self) -> Option<i32> {
        match self.0.as_deref() {
            Some([one]) => one.trim_start_matches("W/").trim_matches('"').parse().ok(),
            _ => None,
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let values: Vec<String> = req
            .headers()
            .get_all(header::IF_MATCH)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        ready(Ok(if values.is_empty() {
            Self(None)
        } else {
            Self(Some(values))
        }))
    }
}
