//! Rows, write forms and the queries of each entity. Nothing here knows about HTTP.

pub mod access;
pub mod action_item;
pub mod api_token;
pub mod audit;
pub mod dialogue;
pub mod idempotency;
pub mod login;
pub mod meeting;
pub mod minutes;
pub mod network;
pub mod organization;
pub mod person;
pub mod series;
pub mod session;
pub mod theme;
pub mod user;

/// Declares a closed set of text values stored as text: serde, OpenAPI schema,
/// `as_str`, `parse` and `ALL`.
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        // The text of each value must be its variant's name in snake_case: serde and
        // utoipa derive it from `rename_all` (utoipa cannot read renames that a
        // macro_rules expansion writes), and `as_str` gives `$text`; a unit test checks
        // that the two agree.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and serialized text.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The value for `text`, if it is one.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// "a, b or c", for error messages.
            pub fn expected() -> String {
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                format!("must be one of: {}", names.join(", "))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::api_token::Scope;
    use super::organization::OrganizationKind;
    use super::user::Role;

    fn agree<T: serde::Serialize + Copy>(values: &[T], as_str: impl Fn(T) -> &'static str) {
        for v in values {
            assert_eq!(serde_json::to_value(v).unwrap(), as_str(*v));
        }
    }

    #[test]
    fn serialized_names_match_stored_text() {
        agree(OrganizationKind::ALL, OrganizationKind::as_str);
        agree(Role::ALL, Role::as_str);
        agree(Scope::ALL, Scope::as_str);
    }
}
