//! HTTP preconditions (RFC 9110 §13): every versioned resource answers with a strong
//! `ETag` of its `version`; writes honour `If-Match` with strong comparison, and a
//! create-only `PUT` honours `If-None-Match: *`. The check that matters is inside the
//! writing statement (`UPDATE … WHERE version = ?`, see the models); this type says what
//! the client asked for.

use std::future::{Ready, ready};

use actix_web::http::header::{EntityTag, Header, IfMatch as IfMatchHeader, IfNoneMatch};
use actix_web::{FromRequest, HttpRequest, dev::Payload};

use crate::error::{ApiError, ApiResult, entity_tag};

/// The strong entity tag of a resource version, as sent in `ETag`.
pub fn etag(version: i32) -> String {
    entity_tag(version)
}

/// The `If-Match` precondition of a write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IfMatch {
    /// None sent: the write applies to the resource as it is.
    #[default]
    Absent,
    /// `*`: the resource must exist.
    Any,
    /// The versions named by strong tags. Weak, malformed and foreign tags name none,
    /// so a list of only those can never match (strong comparison, RFC 9110 §13.1.1).
    Versions(Vec<i32>),
}

impl IfMatch {
    /// The precondition of `req`.
    pub fn of(req: &HttpRequest) -> Self {
        if !req.headers().contains_key(IfMatchHeader::name()) {
            return Self::Absent;
        }
        match IfMatchHeader::parse(req) {
            Ok(IfMatchHeader::Any) => Self::Any,
            Ok(IfMatchHeader::Items(tags)) => Self::Versions(
                tags.iter()
                    .filter(|t| !t.weak)
                    .filter_map(|t| t.tag().parse::<i32>().ok())
                    .collect(),
            ),
            Err(_) => Self::Versions(Vec::new()),
        }
    }

    /// Whether the client sent a precondition.
    pub fn is_present(&self) -> bool {
        *self != Self::Absent
    }

    /// 412 unless the resource, at `current` (`None`: it does not exist, or the caller
    /// may not see it), satisfies the precondition.
    pub fn check(&self, current: Option<i32>) -> ApiResult<()> {
        let holds = match (self, current) {
            (Self::Absent, _) => true,
            (_, None) => false,
            (Self::Any, Some(_)) => true,
            (Self::Versions(versions), Some(v)) => versions.contains(&v),
        };
        if holds {
            Ok(())
        } else {
            Err(ApiError::precondition_failed(current))
        }
    }

    /// Like [`IfMatch::check`] for a resource that exists at `current`.
    pub fn check_version(&self, current: i32) -> ApiResult<()> {
        self.check(Some(current))
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}

/// `If-None-Match: *` on a `PUT`: create only, never replace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CreateOnly(pub bool);

impl CreateOnly {
    /// 412 if the resource exists (at `current`) and the client asked to create only.
    pub fn check(self, current: Option<i32>) -> ApiResult<()> {
        match (self.0, current) {
            (true, Some(v)) => Err(ApiError::precondition_failed(Some(v))),
            _ => Ok(()),
        }
    }
}

impl FromRequest for CreateOnly {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let any = matches!(IfNoneMatch::parse(req), Ok(IfNoneMatch::Any));
        ready(Ok(Self(any)))
    }
}

/// Whether `If-None-Match` of a conditional `GET` matches the response's `ETag`
/// (weak comparison, RFC 9110 §13.1.2): then the answer is 304.
pub fn not_modified(req: &actix_web::dev::RequestHead, etag: &str) -> bool {
    req.headers
        .get(IfNoneMatch::name())
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| none_match_fails(v, etag))
}

/// Whether the `If-None-Match` value `condition` names `etag` (or is `*`).
pub fn none_match_fails(condition: &str, etag: &str) -> bool {
    let Ok(current) = etag.parse::<EntityTag>() else {
        return false;
    };
    condition
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.parse::<EntityTag>().is_ok_and(|t| t.weak_eq(&current)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn if_match(value: &str) -> IfMatch {
        IfMatch::of(
            &TestRequest::default()
                .insert_header(("If-Match", value))
                .to_http_request(),
        )
    }

    #[test]
    fn strong_comparison() {
        assert_eq!(if_match("\"2\""), IfMatch::Versions(vec![2]));
        assert_eq!(if_match("W/\"2\""), IfMatch::Versions(vec![]));
        assert_eq!(if_match("\"stale-0\""), IfMatch::Versions(vec![]));
        assert_eq!(if_match("2"), IfMatch::Versions(vec![]));
        assert_eq!(if_match("\"1\", \"3\""), IfMatch::Versions(vec![1, 3]));
        assert_eq!(if_match("*"), IfMatch::Any);
        assert!(if_match("W/\"2\"").check(Some(2)).is_err());
        assert!(if_match("\"2\"").check(Some(2)).is_ok());
        assert!(if_match("\"2\"").check(None).is_err());
        assert!(if_match("*").check(None).is_err());
        assert!(IfMatch::Absent.check(None).is_ok());
    }
}
