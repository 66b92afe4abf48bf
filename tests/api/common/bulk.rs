//! Data in bulk, straight into the database (not through HTTP): copies of a row made
//! through the API, so that every column holds what the API would write. One statement
//! per call, on both databases.

use std::sync::atomic::{AtomicU32, Ordering};

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::{Backend, TestApp};

static BATCH: AtomicU32 = AtomicU32::new(1);

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
}

/// A batch of copies: its ids are `{prefix}{n:012}` for n = 1..=count.
#[derive(Debug, Clone)]
pub struct Copies {
    pub prefix: String,
    pub count: u32,
}

impl Copies {
    /// The SQL expression of the id of copy `n.i` (to point other copies at this batch).
    pub fn nth(&self) -> String {
        format!(
            "'{}' || substr(CAST(1000000000000 + n.i AS TEXT), 2, 12)",
            self.prefix
        )
    }

    /// The id of copy `n` (1-based).
    pub fn id(&self, n: u32) -> String {
        format!("{}{:012}", self.prefix, n)
    }
}

impl TestApp {
    /// Copies the one row of `table` that `filter` (SQL over the alias `t`) selects,
    /// `count` times. The copies get new ids (in column `id`, unless the table has
    /// none) and the columns in `set` get the given SQL expressions, which may use `n.i`,
    /// the number of the copy (1-based), and `{id}`, the copy's new id.
    pub async fn copies(
        &self,
        table: &str,
        filter: &str,
        count: u32,
        set: &[(&str, String)],
    ) -> Copies {
        let batch = BATCH.fetch_add(1, Ordering::Relaxed);
        let copies = Copies {
            prefix: format!("01{batch:06x}-0000-7000-8000-"),
            count,
        };
        let backend = self.backend;
        let table = table.to_string();
        let filter = filter.to_string();
        let set: Vec<(String, String)> = set
            .iter()
            .map(|(c, e)| (c.to_string(), e.clone()))
            .collect();
        let id = copies.nth();
        // On the blocking pool: a bulk insert takes seconds, and the test's own thread
        // (the HTTP client's) must not stop meanwhile.
        let db = self.db.clone();
        actix_web::web::block(move || {
            db.write_blocking(|conn| {
                samverkan::on_backend!(conn, c => {
                    let columns_sql = match backend {
                        Backend::Sqlite => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
                        Backend::Postgres => format!(
                            "SELECT CAST(column_name AS TEXT) AS name FROM information_schema.columns \
                             WHERE table_name = '{table}' AND table_schema = current_schema() ORDER BY ordinal_position"
                        ),
                    };
                    let columns: Vec<Column> = diesel::sql_query(columns_sql).load(c)?;
                    let names: Vec<String> = columns.into_iter().map(|c| c.name).collect();
                    let values: Vec<String> = names
                        .iter()
                        .map(|name| {
                            if let Some((_, expr)) = set.iter().find(|(c, _)| c == name) {
                                expr.replace("{id}", &id)
                            } else if name == "id" {
                                id.clone()
                            } else {
                                format!("t.{name}")
                            }
                        })
                        .collect();
                    let sql = format!(
                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) \
                         INSERT INTO {table} ({}) SELECT {} FROM {table} t, n WHERE {filter}",
                        names.join(", "),
                        values.join(", ")
                    );
                    let inserted = diesel::sql_query(&sql).execute(c).inspect_err(|e| eprintln!("{e}: {sql}"))?;
                    assert_eq!(inserted, count as usize, "copies of {table} where {filter}");
                    Ok(())
                })
            })
        })
        .await
        .expect("blocking pool")
        .expect("bulk copies");
        copies
    }

    /// Gathers PostgreSQL's planner statistics after a bulk load, as autovacuum would
    /// shortly after in production. Without it the plans of the next queries depend on
    /// whether autovacuum happened to run yet (a report once took over a minute on a
    /// busy machine instead of half a second). SQLite keeps no statistics unless asked.
    pub async fn analyze(&self) {
        if self.backend != Backend::Postgres {
            return;
        }
        let db = self.db.clone();
        actix_web::web::block(move || {
            db.write_blocking(|conn| {
                samverkan::on_backend!(conn, c => {
                    diesel::sql_query("ANALYZE").execute(c)?;
                    Ok(())
                })
            })
        })
        .await
        .expect("blocking pool")
        .expect("analyze");
    }

    /// The SQL expression of a timestamp `days` × `n.i` days after the column `column`.
    pub fn days_later(&self, column: &str, days: u32) -> String {
        match self.backend {
            Backend::Sqlite => format!(
                "strftime('%Y-%m-%d %H:%M:%f', t.{column}, '+' || (n.i * {days}) || ' days')"
            ),
            Backend::Postgres => format!("t.{column} + (n.i * {days}) * INTERVAL '1 day'"),
        }
    }
}
