//! The section of themes, with their supporters.

use std::io::Write;

use diesel::prelude::*;

use super::scope::{AGENDA_ITEM, MEETING, NETWORK, ORGANIZATION, PERSON, Scope, THEME, pages};
use super::{SectionWriter, by_parent, ids, in_order};
use crate::bundle::format::ThemeRecord;
use crate::db::DbConnection;
use crate::db::json_text::JsonText;
use crate::db::schema::{theme_supporters, themes};
use crate::error::ApiResult;

#[derive(Queryable, Selectable)]
#[diesel(table_name = themes)]
struct ThemeRow {
    id: String,
    title: String,
    description: Option<String>,
    network_id: String,
    proposed_by_organization_id: Option<String>,
    proposed_by_person_id: Option<String>,
    status: String,
    status_reason: Option<String>,
    target_period: Option<String>,
    meeting_id: Option<String>,
    agenda_item_id: Option<String>,
    tags: JsonText<Vec<String>>,
    visibility: String,
    proposed_by_network_id: Option<String>,
}

pub(super) fn themes_section(
    conn: &mut DbConnection,
    scope: &Scope,
    out: &mut dyn Write,
) -> ApiResult<()> {
    let mut section = SectionWriter::new(out, "themes");
    pages(conn, scope, &THEME, |conn, page| {
        let page_ids = ids(&page);
        let rows: Vec<ThemeRow> = themes::table
            .filter(themes::id.eq_any(&page_ids))
            .select(ThemeRow::as_select())
            .load(conn)?;
        let supporters: Vec<(String, String)> = theme_supporters::table
            .filter(theme_supporters::theme_id.eq_any(&page_ids))
            .select((
                theme_supporters::theme_id,
                theme_supporters::organization_id,
            ))
            .load(conn)?;
        let nets = scope.keys(
            conn,
            &NETWORK,
            rows.iter().map(|r| &r.network_id).chain(
                rows.iter()
                    .filter_map(|r| r.proposed_by_network_id.as_ref()),
            ),
        )?;
        let orgs = scope.keys(
            conn,
            &ORGANIZATION,
            rows.iter()
                .filter_map(|r| r.proposed_by_organization_id.as_ref())
                .chain(supporters.iter().map(|(_, org)| org)),
        )?;
        let persons = scope.keys(
            conn,
            &PERSON,
            rows.iter().filter_map(|r| r.proposed_by_person_id.as_ref()),
        )?;
        let meeting_keys = scope.keys(
            conn,
            &MEETING,
            rows.iter().filter_map(|r| r.meeting_id.as_ref()),
        )?;
        let agenda = scope.keys(
            conn,
            &AGENDA_ITEM,
            rows.iter().filter_map(|r| r.agenda_item_id.as_ref()),
        )?;
        let mut supporters = by_parent(supporters, |(theme, _)| theme);
        for (key, r) in in_order(page, rows, |r| &r.id) {
            let Some(network) = nets.get(&r.network_id) else {
                continue;
            };
            let mut supporter_keys: Vec<String> = supporters
                .remove(&r.id)
                .unwrap_or_default()
                .iter()
                .filter_map(|(_, org)| orgs.get(org))
                .collect();
            supporter_keys.sort();
            section.push(&ThemeRecord {
                key,
                network,
                title: r.title,
                description: r.description,
                proposed_by_organization: orgs.of(r.proposed_by_organization_id.as_ref()),
                proposed_by_person: persons.of(r.proposed_by_person_id.as_ref()),
                proposed_by_network: nets.of(r.proposed_by_network_id.as_ref()),
                status: Some(r.status),
                status_reason: r.status_reason,
                target_period: r.target_period,
                meeting: meeting_keys.of(r.meeting_id.as_ref()),
                agenda_item: agenda.of(r.agenda_item_id.as_ref()),
                tags: r.tags.into_inner(),
                visibility: Some(r.visibility),
                supporters: supporter_keys,
            })?;
        }
        Ok(())
    })?;
    section.finish()
}
