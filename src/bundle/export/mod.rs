//! The export: the record, or one network's part of it, written as a Samverkan bundle.
//!
//! The bundle is written section by section, each read in pages of [`PAGE`] records in
//! the order of their keys, so memory stays bounded whatever the size of the record and
//! a page costs the same few statements whatever it holds: one for the page's keys, one
//! for its rows, one per child table, and one per kind of record it refers to.
//!
//! Which records go out is said once, in SQL: common table expressions naming the ids
//! of each kind (`org`, `per`, `net`, …) start every statement that pages or resolves
//! keys. A reference to a record that is not exported (soft-deleted, or outside the
//! network) is left out where it is optional, and drops the record or list entry that
//! needs it, so that the bundle always imports.

mod dialogues;
mod meetings;
mod minutes;
mod networks;
mod parties;
mod scope;
mod sets;
mod themes;
mod values;

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use crate::bundle::format::{FORMAT, VERSION};
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};

use dialogues::dialogues_section;
use meetings::meetings_section;
use minutes::minutes_section;
use networks::{networks_section, series_section};
use parties::{organizations_section, people_section, users_section};
use scope::{Keyed, Scope};
use themes::themes_section;

/// Records read per statement.
const PAGE: usize = 500;

/// Which part of the record to export.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    /// Only this network and what belongs to it (its series, meetings, minutes and
    /// themes) with the organizations and people they name; no users, no dialogues.
    pub network_id: Option<String>,
}

/// Writes the bundle as JSON to `out`, section by section, reading the database in pages
/// of a fixed size (memory bounded whatever the data size; statements per page fixed: no
/// per-row queries — load children of a page of parents with one `IN (page ids)` query per
/// child table, where the page is at most PAGE=500 ids).
///
/// The output is the same, byte for byte, for the same content: every section in the
/// order of its keys (organizations parents first), every list in a fixed order. Run it
/// in one read transaction (on PostgreSQL `REPEATABLE READ`) for a consistent snapshot.
pub fn write(conn: &mut DbConnection, filter: &ExportFilter, out: &mut dyn Write) -> ApiResult<()> {
    let scope = Scope::new(conn, filter)?;
    put(
        out,
        format!(
            "{{\"format\":{},\"version\":{VERSION}",
            serde_json::to_string(FORMAT).map_err(io)?
        )
        .as_bytes(),
    )?;
    organizations_section(conn, &scope, out)?;
    people_section(conn, &scope, out)?;
    if scope.whole() {
        users_section(conn, &scope, out)?;
    }
    networks_section(conn, &scope, out)?;
    series_section(conn, &scope, out)?;
    meetings_section(conn, &scope, out)?;
    minutes_section(conn, &scope, out)?;
    themes_section(conn, &scope, out)?;
    if scope.whole() {
        dialogues_section(conn, &scope, out)?;
    }
    put(out, b"}")
}

fn io(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal("export", &e)
}

fn put(out: &mut dyn Write, bytes: &[u8]) -> ApiResult<()> {
    out.write_all(bytes).map_err(io)
}

/// One section of the bundle: written only if it has a record, so that the output is
/// what serializing a whole `Bundle` gives.
struct SectionWriter<'a> {
    out: &'a mut dyn Write,
    name: &'static str,
    written: usize,
}

impl<'a> SectionWriter<'a> {
    fn new(out: &'a mut dyn Write, name: &'static str) -> Self {
        Self {
            out,
            name,
            written: 0,
        }
    }

    fn push(&mut self, record: &impl Serialize) -> ApiResult<()> {
        let lead = if self.written == 0 {
            format!(",\"{}\":[", self.name)
        } else {
            ",".to_string()
        };
        put(self.out, lead.as_bytes())?;
        serde_json::to_writer(&mut *self.out, record).map_err(io)?;
        self.written += 1;
        Ok(())
    }

    fn finish(self) -> ApiResult<()> {
        if self.written > 0 {
            put(self.out, b"]")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Pages of rows

fn ids(page: &[Keyed]) -> Vec<String> {
    page.iter().map(|k| k.id.clone()).collect()
}

/// The rows in the page's order, each with its key (rows gone meanwhile are skipped).
fn in_order<T>(page: Vec<Keyed>, rows: Vec<T>, id: impl Fn(&T) -> &str) -> Vec<(String, T)> {
    let mut by_id: HashMap<String, T> = rows.into_iter().map(|r| (id(&r).to_string(), r)).collect();
    page.into_iter()
        .filter_map(|k| by_id.remove(&k.id).map(|r| (k.record_key, r)))
        .collect()
}

/// Rows by their parent's id, in the order read.
fn by_parent<T>(rows: Vec<T>, parent: impl Fn(&T) -> &str) -> HashMap<String, Vec<T>> {
    let mut groups: HashMap<String, Vec<T>> = HashMap::new();
    for row in rows {
        groups
            .entry(parent(&row).to_string())
            .or_default()
            .push(row);
    }
    groups
}
