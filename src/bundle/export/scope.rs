//! What is exported, and the keys of records: the kinds of record, the scope's SQL
//! statements that page through them in key order, and the lookup of the keys of the
//! records they refer to.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use super::sets::{network_prefix, whole_prefix};
use super::{ExportFilter, PAGE, io};
use crate::db::schema::networks;
use crate::db::{DbConnection, MultiBackend};
use crate::error::{ApiError, ApiResult};

/// Where the records of one kind are, and the name of the set of those exported.
pub(super) struct Source {
    /// The `import_keys.kind`.
    pub(super) kind: &'static str,
    table: &'static str,
    /// The common table expression with the ids exported.
    set: &'static str,
}

pub(super) const ORGANIZATION: Source = Source {
    kind: "organization",
    table: "organizations",
    set: "org",
};
pub(super) const PERSON: Source = Source {
    kind: "person",
    table: "people",
    set: "per",
};
pub(super) const USER: Source = Source {
    kind: "user",
    table: "users",
    set: "usr",
};
pub(super) const NETWORK: Source = Source {
    kind: "network",
    table: "networks",
    set: "net",
};
pub(super) const SERIES: Source = Source {
    kind: "series",
    table: "meeting_series",
    set: "ser",
};
pub(super) const MEETING: Source = Source {
    kind: "meeting",
    table: "meetings",
    set: "mtg",
};
/// The exported meetings that have minutes: minutes go by their meeting's key.
pub(super) const MEETING_WITH_MINUTES: Source = Source {
    kind: "meeting",
    table: "meetings",
    set: "mnt",
};
pub(super) const AGENDA_ITEM: Source = Source {
    kind: "agenda_item",
    table: "agenda_items",
    set: "agi",
};
pub(super) const THEME: Source = Source {
    kind: "theme",
    table: "themes",
    set: "thm",
};
pub(super) const DIALOGUE: Source = Source {
    kind: "dialogue",
    table: "supervisory_dialogues",
    set: "dlg",
};

/// A page's or a set's ids, or a reference's key.
#[derive(Debug, Clone, QueryableByName)]
pub(super) struct Keyed {
    #[diesel(sql_type = Text)]
    pub(super) id: String,
    #[diesel(sql_type = Text)]
    pub(super) record_key: String,
    #[diesel(sql_type = Integer)]
    pub(super) depth: i32,
}

/// A value bound to a raw statement.
enum Bind {
    Text(String),
    Int(i32),
}

/// A raw statement: the scope's common table expressions and one `SELECT`, with
/// numbered parameters (`$1` on PostgreSQL, `?1` on SQLite) so one value can be used
/// several times.
struct Raw {
    sql: String,
    binds: Vec<Bind>,
    pg: bool,
}

impl Raw {
    fn param(&mut self, value: Bind) -> String {
        self.binds.push(value);
        placeholder(self.pg, self.binds.len())
    }

    /// A subquery giving `ids`, bound as one JSON array so that a list of any length
    /// is one parameter.
    fn list<'a>(&mut self, ids: impl IntoIterator<Item = &'a String>) -> ApiResult<String> {
        let ids: Vec<&String> = ids.into_iter().collect();
        let p = self.param(Bind::Text(serde_json::to_string(&ids).map_err(io)?));
        Ok(if self.pg {
            format!("SELECT jsonb_array_elements_text(CAST({p} AS jsonb))")
        } else {
            format!("SELECT value FROM json_each({p})")
        })
    }

    fn load(self, conn: &mut DbConnection) -> ApiResult<Vec<Keyed>> {
        let mut query = diesel::sql_query(self.sql).into_boxed::<MultiBackend>();
        for value in self.binds {
            query = match value {
                Bind::Text(t) => query.bind::<Text, _>(t),
                Bind::Int(i) => query.bind::<Integer, _>(i),
            };
        }
        Ok(query.load(conn)?)
    }
}

fn placeholder(pg: bool, n: usize) -> String {
    if pg { format!("${n}") } else { format!("?{n}") }
}

/// What is exported, as SQL.
pub(super) struct Scope {
    pg: bool,
    network_id: Option<String>,
    /// `WITH RECURSIVE …` naming the exported ids of each kind.
    prefix: String,
}

impl Scope {
    pub(super) fn new(conn: &mut DbConnection, filter: &ExportFilter) -> ApiResult<Self> {
        let pg = matches!(conn, DbConnection::Postgresql(_));
        if let Some(id) = &filter.network_id {
            let found: i64 = networks::table
                .filter(networks::id.eq(id))
                .filter(networks::deleted_at.is_null())
                .count()
                .get_result(conn)?;
            if found == 0 {
                return Err(ApiError::not_found());
            }
        }
        let prefix = match &filter.network_id {
            None => whole_prefix(),
            Some(_) => network_prefix(pg, &placeholder(pg, 1)),
        };
        Ok(Self {
            pg,
            network_id: filter.network_id.clone(),
            prefix,
        })
    }

    /// Whether the whole record is exported (not one network).
    pub(super) fn whole(&self) -> bool {
        self.network_id.is_none()
    }

    fn raw(&self) -> Raw {
        Raw {
            sql: self.prefix.clone(),
            binds: self
                .network_id
                .iter()
                .map(|id| Bind::Text(id.clone()))
                .collect(),
            pg: self.pg,
        }
    }

    /// Byte order of text on both databases (SQLite compares bytes already).
    fn bytewise(&self) -> &'static str {
        if self.pg { " COLLATE \"C\"" } else { "" }
    }

    /// The next page of `source`'s exported records after the key `after`, by key.
    fn page(&self, conn: &mut DbConnection, source: &Source, after: &str) -> ApiResult<Vec<Keyed>> {
        let mut raw = self.raw();
        let after = raw.param(Bind::Text(after.to_string()));
        let c = self.bytewise();
        raw.sql.push_str(&format!(
            " SELECT s.id, s.record_key, 0 AS depth FROM (\
                SELECT t.id AS id, COALESCE(k.bundle_key, t.id) AS record_key \
                FROM {table} t LEFT JOIN import_keys k \
                    ON k.kind = '{kind}' AND k.resource_id = t.id \
                WHERE t.id IN (SELECT id FROM {set})) s \
            WHERE s.record_key{c} > {after} ORDER BY s.record_key{c} LIMIT {PAGE}",
            table = source.table,
            kind = source.kind,
            set = source.set,
        ));
        raw.load(conn)
    }

    /// The next page of organizations after `after` (depth, key): parents first.
    pub(super) fn organization_page(
        &self,
        conn: &mut DbConnection,
        after: (i32, &str),
    ) -> ApiResult<Vec<Keyed>> {
        let mut raw = self.raw();
        let depth = raw.param(Bind::Int(after.0));
        let key = raw.param(Bind::Text(after.1.to_string()));
        let c = self.bytewise();
        raw.sql.push_str(&format!(
            " SELECT s.id, s.record_key, s.depth FROM (\
                SELECT org.id AS id, org.depth AS depth, \
                    COALESCE(k.bundle_key, org.id) AS record_key \
                FROM org LEFT JOIN import_keys k \
                    ON k.kind = 'organization' AND k.resource_id = org.id) s \
            WHERE s.depth > {depth} OR (s.depth = {depth} AND s.record_key{c} > {key}) \
            ORDER BY s.depth, s.record_key{c} LIMIT {PAGE}"
        ));
        raw.load(conn)
    }

    /// The keys of those of `ids` that are exported records of `source`.
    pub(super) fn keys<'a>(
        &self,
        conn: &mut DbConnection,
        source: &Source,
        ids: impl IntoIterator<Item = &'a String>,
    ) -> ApiResult<Keys> {
        let ids: BTreeSet<&String> = ids.into_iter().collect();
        if ids.is_empty() {
            return Ok(Keys::default());
        }
        let mut raw = self.raw();
        let list = raw.list(ids)?;
        raw.sql.push_str(&format!(
            " SELECT t.id AS id, COALESCE(k.bundle_key, t.id) AS record_key, 0 AS depth \
            FROM {table} t LEFT JOIN import_keys k \
                ON k.kind = '{kind}' AND k.resource_id = t.id \
            WHERE t.id IN (SELECT id FROM {set}) AND t.id IN ({list})",
            table = source.table,
            kind = source.kind,
            set = source.set,
        ));
        Ok(Keys(
            raw.load(conn)?
                .into_iter()
                .map(|k| (k.id, k.record_key))
                .collect(),
        ))
    }
}

/// Keys by id, of exported records only.
#[derive(Debug, Default)]
pub(super) struct Keys(HashMap<String, String>);

impl Keys {
    /// The key of the record `id` names, if it is exported.
    pub(super) fn of(&self, id: Option<&String>) -> Option<String> {
        id.and_then(|id| self.0.get(id).cloned())
    }

    pub(super) fn get(&self, id: &str) -> Option<String> {
        self.0.get(id).cloned()
    }
}

/// Calls `each` with every page of `source`, in key order.
pub(super) fn pages(
    conn: &mut DbConnection,
    scope: &Scope,
    source: &Source,
    mut each: impl FnMut(&mut DbConnection, Vec<Keyed>) -> ApiResult<()>,
) -> ApiResult<()> {
    let mut after = String::new();
    loop {
        let page = scope.page(conn, source, &after)?;
        let full = page.len() == PAGE;
        if let Some(last) = page.last() {
            after = last.record_key.clone();
        }
        if !page.is_empty() {
            each(conn, page)?;
        }
        if !full {
            return Ok(());
        }
    }
}
