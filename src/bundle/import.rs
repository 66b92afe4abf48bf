//! Import of a bundle: read as a stream, one record at a time (memory holds the keys
//! seen, never the document), written in one transaction. Every problem is collected
//! and named by its place in the bundle (`meetings[3].starts_at`); if there is any, the
//! transaction rolls back and nothing is stored. Keys are remembered in `import_keys`
//! with a fingerprint of the record, so importing the same bundle again changes
//! nothing and a changed record is updated.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserializer, Serialize};
use utoipa::ToSchema;

use super::stream::BundleVisitor;
pub(super) use super::stream::Record;
use crate::db::schema::{import_keys, imports};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::models::audit::{self, Actor};
use crate::policy::Reach;

/// What an import did.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
#[schema(example = json!({"import_id": "019a8700-0000-7000-8000-0000000000aa", "created": 96, "updated": 0, "unchanged": 0}))]
pub struct ImportReport {
    /// The import, as the audit trail names it.
    #[schema(value_type = uuid::Uuid)]
    pub import_id: String,
    /// Records (of every section) that were new.
    pub created: i32,
    /// Records whose content had changed since they were imported before.
    pub updated: i32,
    /// Records imported before and unchanged.
    pub unchanged: i32,
}

/// Who imports, and from where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Where the bundle comes from (a file name, `POST /api/v1/import`).
    pub source: String,
    /// The caller's reach: an admin's, or the server's own for the command line.
    pub reach: Reach,
    /// Who acts, for the audit trail.
    pub actor: Actor,
}

/// What happened to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// The state of one import: the keys it has seen and made, its problems and counts.
pub(super) struct Importer {
    pub(super) reach: Reach,
    pub(super) actor: Actor,
    pub(super) import_id: String,
    pub(super) today: NaiveDate,
    keys: HashMap<(&'static str, String), String>,
    seen: HashSet<(&'static str, String)>,
    failed: HashSet<(&'static str, String)>,
    pub(super) errors: Vec<FieldError>,
    /// Whether the record being imported changed anything (a record written
    /// differently but with the same content changes nothing).
    pub(super) wrote: bool,
    /// The series imported (planned at the end, once their meetings are in).
    pub(super) series: Vec<String>,
    report: ImportReport,
    /// A database failure that ends the import at once.
    fatal: Option<ApiError>,
    pub(super) position: String,
    pub(super) section: usize,
    pub(super) done: u64,
}

/// The first problems an import reports (a bundle wrong throughout need not list
/// every record).
const MAX_ERRORS: usize = 1000;

impl Importer {
    fn new(reach: Reach, actor: Actor) -> Self {
        let today = reach.today();
        Self {
            reach,
            actor,
            import_id: new_id(),
            today,
            keys: HashMap::new(),
            seen: HashSet::new(),
            failed: HashSet::new(),
            errors: Vec::new(),
            wrote: false,
            series: Vec::new(),
            report: ImportReport {
                import_id: String::new(),
                created: 0,
                updated: 0,
                unchanged: 0,
            },
            fatal: None,
            position: String::new(),
            section: 0,
            done: 0,
        }
    }

    /// Records a problem with `field` (a full path such as `meetings[3].starts_at`).
    pub(super) fn error(&mut self, field: impl Into<String>, message: impl Into<String>) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(FieldError {
                field: field.into(),
                message: message.into(),
            });
        }
    }

    /// Records the problems of `err`, raised while writing the record at `at`, under
    /// the bundle's names for the fields; a database failure ends the import.
    pub(super) fn fail(&mut self, at: &str, err: ApiError) {
        if err.status().is_server_error() {
            self.fatal = Some(err);
            return;
        }
        let problem = err.problem();
        if problem.errors.is_empty() {
            let message = problem.detail.unwrap_or(problem.title);
            self.error(at, message);
        } else {
            for e in problem.errors {
                self.error(
                    format!("{at}.{}", super::apply::bundle_field(&e.field)),
                    e.message,
                );
            }
        }
    }

    /// Whether the import can go on writing.
    pub(super) fn writing(&self) -> bool {
        self.fatal.is_none()
    }

    /// Checks that `key` is usable and new in this bundle for `kind`.
    pub(super) fn claim(&mut self, kind: &'static str, key: &str, field: &str) -> bool {
        let length = key.chars().count();
        if length == 0 || length > 200 || key.contains('\0') {
            self.error(field, "must be 1 to 200 characters");
            return false;
        }
        if !self.seen.insert((kind, key.to_string())) {
            self.error(field, format!("{key:?} is the key of an earlier {kind}"));
            return false;
        }
        true
    }

    /// Marks a record whose problems are reported, so that references to it are not
    /// reported again.
    pub(super) fn mark_failed(&mut self, kind: &'static str, key: &str) {
        self.failed.insert((kind, key.to_string()));
    }

    /// The id of the `kind` with `key`: made earlier in this bundle, or imported before.
    /// An unknown key is a problem of `field`.
    pub(super) fn id_of(
        &mut self,
        conn: &mut DbConnection,
        kind: &'static str,
        key: &str,
        field: &str,
    ) -> Option<String> {
        let entry = (kind, key.to_string());
        if let Some(id) = self.keys.get(&entry) {
            return Some(id.clone());
        }
        if self.failed.contains(&entry) {
            // Its own problems are reported; this one would say nothing new.
            return None;
        }
        match remembered(conn, kind, key) {
            Ok(Some((id, _))) => {
                self.keys.insert(entry, id.clone());
                Some(id)
            }
            Ok(None) => {
                self.error(
                    field,
                    format!("no {kind} with the key {key:?} comes earlier in the bundle or was imported before"),
                );
                None
            }
            Err(e) => {
                self.fatal = Some(e);
                None
            }
        }
    }

    /// An optional reference.
    pub(super) fn opt_id(
        &mut self,
        conn: &mut DbConnection,
        kind: &'static str,
        key: Option<&str>,
        field: &str,
    ) -> Option<Option<String>> {
        match key {
            None => Some(None),
            Some(key) => self.id_of(conn, kind, key, field).map(Some),
        }
    }

    /// A list of references; `None` if any is unknown.
    pub(super) fn ids_of(
        &mut self,
        conn: &mut DbConnection,
        kind: &'static str,
        keys: &[String],
        field: &str,
    ) -> Option<Vec<String>> {
        let mut out = Vec::with_capacity(keys.len());
        let mut ok = true;
        for (i, key) in keys.iter().enumerate() {
            match self.id_of(conn, kind, key, &format!("{field}[{i}]")) {
                Some(id) => out.push(id),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// What the import knew of `key` before: its id and fingerprint.
    pub(super) fn known(
        &mut self,
        conn: &mut DbConnection,
        kind: &'static str,
        key: &str,
    ) -> ApiResult<Option<(String, String)>> {
        remembered(conn, kind, key)
    }

    /// Notes, for this import only, that `key` is the record `id` (remembered before).
    pub(super) fn note(&mut self, kind: &'static str, key: &str, id: &str) {
        self.keys.insert((kind, key.to_string()), id.to_string());
    }

    /// Whether the record `id` was imported under some key.
    pub(super) fn taken(
        &mut self,
        conn: &mut DbConnection,
        kind: &'static str,
        id: &str,
    ) -> ApiResult<bool> {
        let count: i64 = import_keys::table
            .filter(import_keys::kind.eq(kind))
            .filter(import_keys::resource_id.eq(id))
            .count()
            .get_result(conn)?;
        Ok(count > 0)
    }

    /// Remembers that `key` is the record `id` with this content (`new`: the key is not
    /// remembered yet, as far as the caller knows).
    pub(super) fn remember(
        &mut self,
        conn: &mut DbConnection,
        kind: &'static str,
        key: &str,
        id: &str,
        fingerprint: &str,
        new: bool,
    ) -> ApiResult<()> {
        let updated = if new {
            0
        } else {
            diesel::update(
                import_keys::table
                    .filter(import_keys::kind.eq(kind))
                    .filter(import_keys::bundle_key.eq(key)),
            )
            .set((
                import_keys::resource_id.eq(id),
                import_keys::fingerprint.eq(fingerprint),
                import_keys::import_id.eq(&self.import_id),
            ))
            .execute(conn)?
        };
        if updated == 0 {
            diesel::insert_into(import_keys::table)
                .values((
                    import_keys::kind.eq(kind),
                    import_keys::bundle_key.eq(key),
                    import_keys::resource_id.eq(id),
                    import_keys::fingerprint.eq(fingerprint),
                    import_keys::import_id.eq(&self.import_id),
                ))
                .execute(conn)?;
        }
        self.keys.insert((kind, key.to_string()), id.to_string());
        Ok(())
    }

    /// Counts a record and writes its audit event, which names the import.
    pub(super) fn done(
        &mut self,
        conn: &mut DbConnection,
        kind: &str,
        id: &str,
        outcome: Outcome,
    ) -> ApiResult<()> {
        match outcome {
            Outcome::Created => self.report.created += 1,
            Outcome::Updated => self.report.updated += 1,
            Outcome::Unchanged => {
                self.report.unchanged += 1;
                return Ok(());
            }
        }
        // The audit trail's names of the kinds the bundle names shorter.
        let kind = match kind {
            "series" => "meeting_series",
            "dialogue" => "supervisory_dialogue",
            other => other,
        };
        let action = match outcome {
            Outcome::Created => format!("{kind}.import"),
            _ => format!("{kind}.import_update"),
        };
        let detail = format!("import {}", self.import_id);
        audit::record_with_detail(
            conn,
            &self.actor,
            &action,
            kind,
            Some(id),
            "success",
            Some(&detail),
        )
    }
}

/// The SHA-256 of a record's JSON: what "unchanged" compares.
pub(super) fn fingerprint<T: Serialize>(record: &T) -> String {
    let text = serde_json::to_string(record).unwrap_or_default();
    crate::secrets::hash_secret(&text)
}

/// SQLite's page cache while an import runs, in KiB (the default is 2 000): an import
/// reads back the indexes it is filling, and with the default cache the time per record
/// grew with the database. The pooled connection gets the default back afterwards.
const IMPORT_CACHE_KIB: u32 = 64 * 1024;

/// The id and fingerprint remembered for `key`.
fn remembered(
    conn: &mut DbConnection,
    kind: &str,
    key: &str,
) -> ApiResult<Option<(String, String)>> {
    Ok(import_keys::table
        .filter(import_keys::kind.eq(kind))
        .filter(import_keys::bundle_key.eq(key))
        .select((import_keys::resource_id, import_keys::fingerprint))
        .first::<(String, String)>(conn)
        .optional()?)
}

/// Reads a bundle from `reader` and imports it in the caller's transaction; `progress`
/// hears the number of records read so far. On any problem the result is a 422 naming
/// every one (and the caller's transaction must roll back, as [`crate::db::Db::write`]
/// does for an `Err`).
pub fn import<R: Read>(
    conn: &mut DbConnection,
    reader: R,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64),
) -> ApiResult<ImportReport> {
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    if sqlite {
        diesel::sql_query(format!("PRAGMA cache_size = -{IMPORT_CACHE_KIB}")).execute(conn)?;
    }
    let result = import_all(conn, reader, options, progress);
    if sqlite {
        diesel::sql_query("PRAGMA cache_size = -2000").execute(conn)?;
    }
    result
}

fn import_all<R: Read>(
    conn: &mut DbConnection,
    reader: R,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64),
) -> ApiResult<ImportReport> {
    let mut imp = Importer::new(options.reach, options.actor);
    // The import's row comes first: the keys it remembers refer to it.
    diesel::insert_into(imports::table)
        .values((
            imports::id.eq(&imp.import_id),
            imports::at.eq(now()),
            imports::actor_user_id.eq(&imp.actor.user_id),
            imports::source.eq(&options.source),
            imports::created.eq(0),
            imports::updated.eq(0),
            imports::unchanged.eq(0),
        ))
        .execute(conn)?;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let read = de
        .deserialize_map(BundleVisitor {
            imp: &mut imp,
            conn,
            progress,
        })
        .and_then(|()| de.end());
    if let Some(fatal) = imp.fatal.take() {
        return Err(fatal);
    }
    if let Err(e) = read {
        let at = if imp.position.is_empty() {
            "bundle".to_string()
        } else {
            imp.position.clone()
        };
        imp.error(at, format!("is not readable: {e}"));
    }
    if imp.errors.is_empty() {
        imp.plan_series(conn)?;
    }
    if !imp.errors.is_empty() {
        return Err(ApiError::validation(std::mem::take(&mut imp.errors)));
    }
    let mut report = imp.report.clone();
    report.import_id = imp.import_id.clone();
    diesel::update(imports::table.find(&imp.import_id))
        .set((
            imports::created.eq(report.created),
            imports::updated.eq(report.updated),
            imports::unchanged.eq(report.unchanged),
        ))
        .execute(conn)?;
    let detail = format!(
        "{}: {} created, {} updated, {} unchanged",
        options.source, report.created, report.updated, report.unchanged
    );
    audit::record_with_detail(
        conn,
        &imp.actor,
        "import.run",
        "import",
        Some(&imp.import_id),
        "success",
        Some(&detail),
    )?;
    Ok(report)
}
