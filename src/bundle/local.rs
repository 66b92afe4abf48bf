//! The bundle on the command line: `samverkan import FILE` (streamed from the file, with
//! a progress bar), `samverkan export [--network ID]` (to standard output) and the demo
//! that `samverkan serve --demo` loads.

use std::io::{BufReader, Read, Write};
use std::path::Path;

use super::export::{self, ExportFilter};
use super::import::{self, ImportOptions, ImportReport};
use crate::db::Db;
use crate::error::ApiError;
use crate::models::audit::Actor;
use crate::policy::Reach;

/// The demo bundle: the five seed documents, transcribed by hand (`data/demo/`).
pub const DEMO: &str = include_str!("../../data/demo/seeds.json");

/// What an import on the command line says when it fails: every problem, a line each.
fn explain(e: &ApiError) -> String {
    let problem = e.problem();
    let mut text = problem.detail.unwrap_or(problem.title);
    for error in problem.errors {
        text.push_str(&format!("\n  {}: {}", error.field, error.message));
    }
    text
}

fn options(source: String) -> ImportOptions {
    ImportOptions {
        source,
        reach: Reach::server(chrono::Utc::now().date_naive()),
        actor: Actor::default(),
    }
}

/// Imports a bundle file in one transaction, showing how far it has read.
pub fn import_file(db: &Db, path: &Path) -> Result<ImportReport, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = indicatif::ProgressBar::new(size);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {bytes}/{total_bytes} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let reader = bar.wrap_read(BufReader::with_capacity(256 * 1024, file));
    let source = format!("samverkan import {}", path.display());
    let counter = bar.clone();
    let result = db.write_blocking(|conn| {
        import::import(conn, reader, options(source), &mut |n| {
            if n % 500 == 0 {
                counter.set_message(format!("{n} records"));
            }
        })
    });
    bar.finish_and_clear();
    result.map_err(|e| explain(&e))
}

/// Imports the demo bundle (again: it is remembered by its keys, so a second time
/// changes nothing).
pub fn import_demo(db: &Db) -> Result<ImportReport, String> {
    db.write_blocking(|conn| {
        import::import(
            conn,
            DEMO.as_bytes(),
            options("samverkan serve --demo".to_string()),
            &mut |_| {},
        )
    })
    .map_err(|e| explain(&e))
}

/// Imports a bundle from any reader, without a progress bar.
pub fn import_reader(db: &Db, reader: impl Read, source: &str) -> Result<ImportReport, String> {
    db.write_blocking(|conn| import::import(conn, reader, options(source.to_string()), &mut |_| {}))
        .map_err(|e| explain(&e))
}

/// Writes the record (or one network's part) as a bundle to `out`.
pub fn export_to(db: &Db, network_id: Option<String>, out: &mut dyn Write) -> Result<(), String> {
    let mut conn = db.conn().map_err(|e| format!("database error: {e}"))?;
    let filter = ExportFilter { network_id };
    export::write(&mut conn, &filter, out).map_err(|e| explain(&e))?;
    out.flush().map_err(|e| format!("cannot write: {e}"))
}
