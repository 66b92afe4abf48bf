//! Query parameters and path ids. Like the body, they are judged when the handler asks,
//! after authentication: a bad parameter is a 422 naming it, a malformed id a 404 (it
//! names nothing that could exist).

use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::{FromRequest, HttpRequest, dev::Payload};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

/// The query string as a `T`.
#[derive(Debug)]
pub struct Query<T> {
    query: String,
    target: PhantomData<T>,
}

impl<T: DeserializeOwned> Query<T> {
    /// The parameters, or a 422 naming the first one at fault.
    pub fn get(&self) -> Result<T, ApiError> {
        parse(&self.query)
    }
}

/// Parses a query string as `T`, naming the parameter at fault.
pub fn parse<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if value.contains('\0') || name.contains('\0') {
            return Err(ApiError::invalid_field(
                &name.replace('\0', ""),
                "must not contain a NUL character",
            ));
        }
    }
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        let field = crate::kit::body::field_of(&path, &message);
        let field = if field == "body" {
            "query".to_string()
        } else {
            field
        };
        ApiError::validation(vec![FieldError { field, message }])
    })
}

impl<T: 'static> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self {
            query: req.query_string().to_string(),
            target: PhantomData,
        }))
    }
}

/// The ids in a path (`/meetings/{id}/agenda-items/{item_id}` has two), in order.
#[derive(Debug)]
pub struct Ids<const N: usize>(Option<[String; N]>);

impl<const N: usize> Ids<N> {
    /// The ids, canonical; 404 when one is not a UUID.
    pub fn get(self) -> Result<[String; N], ApiError> {
        self.0.ok_or_else(ApiError::not_found)
    }
}

/// The one id of a path such as `/meetings/{id}`.
pub type Id = Ids<1>;

impl<const N: usize> FromRequest for Ids<N> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ids: Option<Vec<String>> = req
            .match_info()
            .iter()
            .map(|(_, raw)| uuid::Uuid::parse_str(raw).ok().map(|u| u.to_string()))
            .collect();
        ready(Ok(Self(ids.and_then(|ids| ids.try_into().ok()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::times::DayOrInstant;
    use chrono::NaiveDate;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Filters {
        from: Option<DayOrInstant>,
        limit: Option<i64>,
    }

    #[test]
    fn parameters_are_named() {
        let ok: Filters = parse("from=2020-05-08&limit=5").unwrap();
        assert_eq!(
            ok.from,
            Some(DayOrInstant::Day(
                NaiveDate::from_ymd_opt(2020, 5, 8).unwrap()
            ))
        );
        assert_eq!(ok.limit, Some(5));
        let e = parse::<Filters>("from=2020-05").unwrap_err();
        assert_eq!(e.problem().errors[0].field, "from");
        let e = parse::<Filters>("limit=x").unwrap_err();
        assert_eq!(e.problem().errors[0].field, "limit");
        let e = parse::<Filters>("q=a%00").unwrap_err();
        assert_eq!(e.problem().errors[0].field, "q");
    }
}
