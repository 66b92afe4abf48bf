//! Search across the record (`GET /api/v1/search`): meetings, minutes, themes, action
//! items and supervisory dialogues, Swedish words stemmed alike on both databases.
//!
//! The terms are computed in Rust and stored with each row (`search_terms`), in the same
//! statement that writes it, so every API instance sharing a database searches the same
//! index: the rows themselves. A search is one SQL statement (see [`query`]).

pub mod index;
pub mod query;
pub mod snippet;
pub mod terms;

use crate::models::minutes::Section;
pub use query::{After, HitKind, HitRow, Search};

/// The passages of a hit's text in reading order, for its snippet.
pub fn passages(row: &HitRow) -> Vec<String> {
    let text = row.text.clone().into_iter();
    let json_list = |line: &str| serde_json::from_str::<Vec<String>>(line).unwrap_or_default();
    match row.kind {
        HitKind::Minutes => {
            let sections: Vec<Section> = row
                .text
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok())
                .unwrap_or_default();
            sections
                .into_iter()
                .flat_map(|s| std::iter::once(s.heading).chain(s.notes).chain(s.decisions))
                .collect()
        }
        HitKind::Theme => text
            .chain(row.extra.as_deref().map(|tags| json_list(tags).join(", ")))
            .collect(),
        HitKind::SupervisoryDialogue => text
            .chain(
                row.extra
                    .iter()
                    .flat_map(|lists| lists.lines().flat_map(json_list)),
            )
            .collect(),
        HitKind::Meeting | HitKind::ActionItem => text.chain(row.extra.clone()).collect(),
    }
}
