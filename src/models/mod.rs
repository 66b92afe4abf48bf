//! Rows, write forms and the queries of each entity. Nothing here knows about HTTP.

pub mod account;
pub mod action_item;
pub mod agenda;
pub mod amendment;
pub mod api_token;
pub mod attendee;
pub mod audit;
pub mod co_host;
pub mod dialogue;
pub mod dialogue_parts;
pub mod dialogue_view;
pub mod idempotency;
pub mod login;
pub mod meeting;
pub mod membership;
pub mod minutes;
pub mod minutes_document;
pub mod network;
pub mod organization;
pub mod participation;
pub mod person;
pub mod planning;
pub mod recurrence;
pub mod reply;
pub mod series;
pub mod session;
pub mod store;
pub mod theme;
pub mod theme_support;
pub mod timeline;
pub mod user;

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
