//! Field checks shared by every resource, and the text folding behind `q` search.

use crate::error::Validator;

/// Case-folds text for search. Done in Rust, not SQL, because SQLite's `lower()`
/// folds only ASCII: `Ä` must find `ä` on both databases. Composes first (NFC), since
/// some clients send `å` as `a` plus a combining ring.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().collect::<String>().to_lowercase()
}

/// The `search_text` column: the searchable fields, folded and joined.
pub fn search_text<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(fold)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A `LIKE` pattern matching `q` anywhere, with `\` escaping `%`, `_` and itself.
pub fn like_pattern(q: &str) -> String {
    let mut pattern = String::with_capacity(q.len() + 2);
    pattern.push('%');
    for c in fold(q.trim()).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A plausible email address: one `@`, something before, a dotted domain after.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && value.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Checks a Swedish organisation number `NNNNNN-NNNN` and its Luhn check digit.
pub fn check_organization_number(value: &str) -> Result<(), String> {
    let bytes = value.as_bytes();
    let shape_ok = bytes.len() == 11
        && bytes[6] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 6 || b.is_ascii_digit());
    if !shape_ok {
        return Err("must be NNNNNN-NNNN".into());
    }
    let digits: Vec<u32> = value.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits[..9]
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let v = if i % 2 == 0 { d * 2 } else { *d };
            if v > 9 { v - 9 } else { v }
        })
        .sum();
    if (10 - sum % 10) % 10 == digits[9] {
        Ok(())
    } else {
        Err("check digit does not match".into())
    }
}

/// Checks a Swedish municipality code: four digits.
pub fn check_municipality_code(value: &str) -> Result<(), String> {
    if value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err("must be four digits".into())
    }
}

/// The pattern [`check_url`] implements, for the OpenAPI contract.
pub const URL_PATTERN: &str = r"^https?://[^\s/?#\[\]@:]+(:[0-9]{1,5})?([/?#][^\s]*)?$";

/// Checks an absolute http(s) URL (WHATWG parsing, the `url` crate) with a host name or
/// IPv4 address, no credentials, and no white space.
pub fn check_url(value: &str) -> Result<(), String> {
    let plain = value.len() <= 2000
        && !value.chars().any(char::is_whitespace)
        && url::Url::parse(value).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https")
                && matches!(u.host(), Some(url::Host::Domain(_) | url::Host::Ipv4(_)))
                && u.username().is_empty()
                && u.password().is_none()
        });
    if plain {
        Ok(())
    } else {
        Err("must be an http:// or https:// address".to_string())
    }
}

/// An optional web address: blank is none, anything else must pass [`check_url`].
pub fn optional_url(v: &mut Validator, field: &str, value: Option<&str>) -> Option<String> {
    let url = value.map(str::trim).filter(|s| !s.is_empty())?;
    v.check_result(field, check_url(url));
    Some(url.to_string())
}

/// An optional email address, trimmed and in lower case: blank is none.
pub fn optional_email(v: &mut Validator, field: &str, value: Option<&str>) -> Option<String> {
    let email = optional_text(v, field, value, 254)?.to_lowercase();
    v.check(is_email(&email), field, "is not an email address");
    Some(email)
}

/// Trims text and checks its length in characters; returns the trimmed text.
pub fn text(v: &mut Validator, field: &str, value: &str, min: usize, max: usize) -> String {
    let trimmed = value.trim().to_string();
    let len = trimmed.chars().count();
    v.check(
        len >= min && len <= max,
        field,
        if min > 0 {
            format!("must be {min} to {max} characters")
        } else {
            format!("must be at most {max} characters")
        },
    );
    trimmed
}

/// Like [`text`] for an optional field; blank becomes `None`.
pub fn optional_text(
    v: &mut Validator,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.map(str::trim).filter(|s| !s.is_empty())?;
    Some(text(v, field, value, 1, max))
}

/// The value of a text enum named by `text`; records the allowed values for `field`
/// when it names none.
pub fn choice<T: crate::db::text_enum::TextEnum>(
    v: &mut Validator,
    field: &str,
    text: &str,
) -> Option<T> {
    let value = T::from_text(text);
    if value.is_none() {
        v.add(field, T::expected_values());
    }
    value
}

/// Like [`choice`] for an optional field: `None` when absent or invalid.
pub fn optional_choice<T: crate::db::text_enum::TextEnum>(
    v: &mut Validator,
    field: &str,
    text: Option<&str>,
) -> Option<T> {
    text.and_then(|t| choice(v, field, t))
}

/// Checks that `value` is a UUID; returns it in canonical form.
pub fn uuid(v: &mut Validator, field: &str, value: &str) -> String {
    match uuid::Uuid::parse_str(value) {
        Ok(id) => id.to_string(),
        Err(_) => {
            v.add(field, "must be a UUID");
            value.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_numbers() {
        assert!(check_organization_number("212000-1355").is_ok()); // Göteborgs stad
        assert!(check_organization_number("212000-0142").is_ok()); // Stockholms stad
        assert!(check_organization_number("212000-1356").is_err());
        assert!(check_organization_number("2120001355").is_err());
        assert!(check_organization_number("21200a-1355").is_err());
    }

    #[test]
    fn folding_handles_swedish_letters() {
        assert_eq!(fold("ÅÄÖ Ekerö"), "åäö ekerö");
        assert_eq!(
            fold("Ekero\u{308}"),
            fold("EKERÖ"),
            "decomposed and composed match"
        );
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }

    #[test]
    fn urls() {
        assert!(check_url("https://www.ekerö.se/socialtjanst?x=1").is_ok());
        assert!(check_url("http://localhost:8080").is_ok());
        assert!(check_url("https://[::1]/").is_err());
        assert!(check_url("https://user@host/").is_err());
        assert!(check_url("ftp://host/").is_err());
        assert!(check_url("https://").is_err());
        assert!(check_url("https://host:port/").is_err());
    }

    #[test]
    fn emails() {
        assert!(is_email("anna.svensson@partille.se"));
        assert!(!is_email("anna@"));
        assert!(!is_email("anna@localhost"));
        assert!(!is_email("an na@x.se"));
    }
}
