//! What each kind of record gives to search (its `search_terms`), written by the model in
//! the same statement as the row, and filled in for rows written before the column
//! existed.

use diesel::prelude::*;

use super::terms::index;
use crate::db::DbConnection;
use crate::db::json_text::JsonText;
use crate::db::schema::{action_items, meetings, minutes, supervisory_dialogues, themes};
use crate::models::dialogue::DialogueFields;
use crate::models::meeting::MeetingFields;
use crate::models::minutes::Section;
use crate::models::theme::ThemeFields;

/// A meeting: its title; its description and place.
pub fn meeting(title: &str, description: Option<&str>, location: Option<&str>) -> String {
    index([title], description.into_iter().chain(location))
}

/// Minutes: the section headings as their title; notes and decisions.
pub fn minutes(sections: &[Section]) -> String {
    index(
        sections.iter().map(|s| s.heading.as_str()),
        sections.iter().flat_map(|s| {
            s.notes
                .as_deref()
                .into_iter()
                .chain(s.decisions.iter().map(String::as_str))
                .chain(
                    s.information
                        .iter()
                        .flat_map(|i| i.title.as_deref().into_iter().chain([i.text.as_str()])),
                )
        }),
    )
}

/// A theme: its title; description, target period and tags.
pub fn theme(
    title: &str,
    description: Option<&str>,
    target_period: Option<&str>,
    tags: &[String],
) -> String {
    index(
        [title],
        description
            .into_iter()
            .chain(target_period)
            .chain(tags.iter().map(String::as_str)),
    )
}

/// An action item: its title; its description.
pub fn action_item(title: &str, description: Option<&str>) -> String {
    index([title], description)
}

/// A supervisory dialogue: its title; the supervision's name, focus questions, lessons
/// learned and recommendations.
pub fn dialogue(title: &str, supervision_name: &str, lists: [&[String]; 3]) -> String {
    index(
        [title],
        std::iter::once(supervision_name).chain(lists.into_iter().flatten().map(String::as_str)),
    )
}

impl MeetingFields {
    /// The `search_terms` of a meeting with these fields, written with them.
    pub fn search_terms(&self) -> String {
        meeting(
            &self.title,
            self.description.as_deref(),
            self.location.as_deref(),
        )
    }
}

impl ThemeFields {
    /// The `search_terms` of a theme with these fields, written with them.
    pub fn search_terms(&self) -> String {
        theme(
            &self.title,
            self.description.as_deref(),
            self.target_period.as_deref(),
            &self.tags,
        )
    }
}

impl DialogueFields {
    /// The `search_terms` of a dialogue with these fields, written with them.
    pub fn search_terms(&self) -> String {
        dialogue(
            &self.title,
            &self.supervision_name,
            [
                &self.focus_questions,
                &self.lessons_learned,
                &self.recommendations,
            ],
        )
    }
}

/// Rows per statement while filling in.
const BATCH: i64 = 500;

/// Fills in the terms of every row written before `search_terms` existed (or by an
/// older version of the server still running beside a newer one): those whose terms
/// are empty, as the migration left them. A row always gets at least `" "`, so each
/// pass makes progress. Runs after every migration; finding nothing to do costs one
/// query per table.
pub fn backfill(conn: &mut DbConnection) -> QueryResult<usize> {
    let mut filled = 0;
    filled += fill(conn, |conn| {
        let rows: Vec<(String, String, Option<String>, Option<String>)> = meetings::table
            .filter(meetings::search_terms.eq(""))
            .select((
                meetings::id,
                meetings::title,
                meetings::description,
                meetings::location,
            ))
            .limit(BATCH)
            .load(conn)?;
        for (id, title, description, location) in &rows {
            let terms = meeting(title, description.as_deref(), location.as_deref());
            diesel::update(meetings::table.find(id))
                .set(meetings::search_terms.eq(terms))
                .execute(conn)?;
        }
        Ok(rows.len())
    })?;
    filled += fill(conn, |conn| {
        let rows: Vec<(String, JsonText<Vec<Section>>)> = minutes::table
            .filter(minutes::search_terms.eq(""))
            .select((minutes::id, minutes::sections))
            .limit(BATCH)
            .load(conn)?;
        for (id, sections) in &rows {
            diesel::update(minutes::table.find(id))
                .set(minutes::search_terms.eq(minutes(sections)))
                .execute(conn)?;
        }
        Ok(rows.len())
    })?;
    filled += fill(conn, |conn| {
        type Row = (String, String, Option<String>, Option<String>);
        let rows: Vec<(Row, JsonText<Vec<String>>)> = themes::table
            .filter(themes::search_terms.eq(""))
            .select((
                (
                    themes::id,
                    themes::title,
                    themes::description,
                    themes::target_period,
                ),
                themes::tags,
            ))
            .limit(BATCH)
            .load(conn)?;
        for ((id, title, description, period), tags) in &rows {
            let terms = theme(title, description.as_deref(), period.as_deref(), tags);
            diesel::update(themes::table.find(id))
                .set(themes::search_terms.eq(terms))
                .execute(conn)?;
        }
        Ok(rows.len())
    })?;
    filled += fill(conn, |conn| {
        let rows: Vec<(String, String, Option<String>)> = action_items::table
            .filter(action_items::search_terms.eq(""))
            .select((
                action_items::id,
                action_items::title,
                action_items::description,
            ))
            .limit(BATCH)
            .load(conn)?;
        for (id, title, description) in &rows {
            diesel::update(action_items::table.find(id))
                .set(action_items::search_terms.eq(action_item(title, description.as_deref())))
                .execute(conn)?;
        }
        Ok(rows.len())
    })?;
    filled += fill(conn, |conn| {
        type Lists = (
            JsonText<Vec<String>>,
            JsonText<Vec<String>>,
            JsonText<Vec<String>>,
        );
        let rows: Vec<(String, String, String, Lists)> = supervisory_dialogues::table
            .filter(supervisory_dialogues::search_terms.eq(""))
            .select((
                supervisory_dialogues::id,
                supervisory_dialogues::title,
                supervisory_dialogues::supervision_name,
                (
                    supervisory_dialogues::focus_questions,
                    supervisory_dialogues::lessons_learned,
                    supervisory_dialogues::recommendations,
                ),
            ))
            .limit(BATCH)
            .load(conn)?;
        for (id, title, name, (questions, lessons, recommendations)) in &rows {
            let terms = dialogue(title, name, [questions, lessons, recommendations]);
            diesel::update(supervisory_dialogues::table.find(id))
                .set(supervisory_dialogues::search_terms.eq(terms))
                .execute(conn)?;
        }
        Ok(rows.len())
    })?;
    Ok(filled)
}

/// Runs `batch` (one transaction each) until it fills no more rows.
fn fill(
    conn: &mut DbConnection,
    batch: impl Fn(&mut DbConnection) -> QueryResult<usize>,
) -> QueryResult<usize> {
    let mut filled = 0;
    loop {
        let n = conn.transaction(|conn| batch(conn))?;
        filled += n;
        if n < BATCH as usize {
            return Ok(filled);
        }
    }
}
