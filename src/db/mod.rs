//! The connection enum (SQLite | PostgreSQL), the pool, migrations and the
//! helpers that run queries off the async workers.

pub mod json_text;
pub mod schema;
pub mod text_enum;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::migration::{Migration, MigrationSource};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::ApiResult;

/// One connection to whichever database `DATABASE_URL` names.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL, the production database.
    Postgresql(diesel::PgConnection),
    /// Embedded SQLite, the zero-setup default.
    Sqlite(diesel::SqliteConnection),
}

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `postgres://` or `postgresql://`.
    Postgres,
    /// `sqlite://path`, `sqlite:path` or `file:path`.
    Sqlite,
}

impl Backend {
    /// Chooses the backend from the URL scheme.
    pub fn from_url(url: &str) -> Result<Self, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else if url.starts_with("sqlite:") || url.starts_with("file:") {
            Ok(Self::Sqlite)
        } else {
            Err("must start with postgres://, postgresql:// or sqlite://".into())
        }
    }
}

/// The schema's history: one tree of migrations both backends run as written, and one
/// per backend for the few whose SQL must differ, in the order of their versions.
struct Migrations {
    shared: EmbeddedMigrations,
    own: EmbeddedMigrations,
}

impl<DB: diesel::backend::Backend> MigrationSource<DB> for Migrations {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn Migration<DB>>>> {
        let mut all = MigrationSource::<DB>::migrations(&self.shared)?;
        all.extend(MigrationSource::<DB>::migrations(&self.own)?);
        all.sort_by(|a, b| a.name().version().cmp(&b.name().version()));
        Ok(all)
    }
}

const SQLITE_MIGRATIONS: Migrations = Migrations {
    shared: embed_migrations!("migrations/shared"),
    own: embed_migrations!("migrations/sqlite"),
};
const POSTGRES_MIGRATIONS: Migrations = Migrations {
    shared: embed_migrations!("migrations/shared"),
    own: embed_migrations!("migrations/postgres"),
};

/// Why a connection could not be opened or set up; carries the database's own words.
#[derive(Debug)]
pub struct ConnectError(String);

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConnectError {}

/// Counts the SQL statements every connection of one pool runs: the query budget of a
/// request is the difference before and after it (see `tests/api/query_budget.rs`).
#[derive(Debug, Clone, Default)]
struct StatementCounter(Arc<AtomicU64>);

impl Instrumentation for StatementCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Opens connections of the backend chosen from the URL, keeping the real error
/// (diesel's multi-connection `establish` replaces it with "invalid connection url").
#[derive(Debug)]
pub struct ConnectionManager {
    backend: Backend,
    target: String,
    statements: StatementCounter,
}

impl ConnectionManager {
    /// A manager for `url`.
    pub fn new(url: &str) -> Result<Self, ConnectError> {
        let backend = Backend::from_url(url).map_err(ConnectError)?;
        let target = match backend {
            Backend::Postgres => url.to_string(),
            Backend::Sqlite => sqlite_path(url).to_string(),
        };
        Ok(Self {
            backend,
            target,
            statements: StatementCounter::default(),
        })
    }
}

fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConnection, ConnectError> {
        let mut conn = self.open()?;
        conn.set_instrumentation(self.statements.clone());
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| ConnectError(e.to_string()))
    }

    // A connection that lost its server or was left inside a failed transaction is
    // dropped when it comes back to the pool (no query needed to tell).
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

impl ConnectionManager {
    fn open(&self) -> Result<DbConnection, ConnectError> {
        match self.backend {
            Backend::Postgres => {
                let mut conn = diesel::PgConnection::establish(&self.target)
                    .map_err(|e| ConnectError(format!("PostgreSQL: {e}")))?;
                // Every statement is prepared once per connection, but PostgreSQL plans
                // its first five executions anew at each bind, and with the visibility
                // filters' ORs keeps choosing custom plans: planning was most of a list's
                // time in the database (bench: a network's list 1 416 -> 1 802 req/s,
                // `action-items?mine=true` 747 -> 1 333, its p99 1.1 s -> 90 ms). The
                // generic plan is the same for every caller, as the filters are.
                conn.batch_execute("SET plan_cache_mode = force_generic_plan")
                    .map_err(|e| ConnectError(format!("PostgreSQL set-up: {e}")))?;
                Ok(DbConnection::Postgresql(conn))
            }
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(&self.target)
                    .map_err(|e| ConnectError(format!("SQLite {}: {e}", self.target)))?;
                // busy_timeout must come before WAL: switching a fresh file to WAL
                // takes a lock that parallel pool connections otherwise fail on.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(|e| ConnectError(format!("SQLite set-up: {e}")))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// The shared handle to the database: a pool plus, for SQLite, the writer lock.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager>,
    backend: Backend,
    statements: StatementCounter,
    // SQLite has one writer at a time; taking turns here instead of inside SQLite
    // avoids "database is locked" when a read transaction upgrades to a write.
    write_lock: Arc<Mutex<()>>,
}

impl Db {
    /// Opens the pool and checks that one connection works.
    pub fn connect(url: &str) -> Result<Self, ConnectError> {
        let manager = ConnectionManager::new(url)?;
        let backend = manager.backend;
        let statements = manager.statements.clone();
        if backend == Backend::Sqlite && manager.target != ":memory:" {
            // The database holds everything: readable by the server's user only. SQLite
            // gives its -wal and -shm files the mode of the database file.
            let path = Path::new(&manager.target);
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                crate::secrets::private_dir(parent).map_err(|e| {
                    ConnectError(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
            crate::secrets::private_file(path, false)
                .map_err(|e| ConnectError(format!("cannot create {}: {e}", path.display())))?;
        }
        // Open one connection first so a wrong password or path is reported as itself.
        let mut probe = manager.connect()?;
        manager.is_valid(&mut probe)?;
        drop(probe);
        let pool = Pool::builder()
            .max_size(match backend {
                // Queries run on the worker that asks (see `inline`): one connection
                // per worker, one for the server's own work (planning series) and one
                // spare. More would each keep a page cache and every prepared
                // statement: 8 of them held 40 MB more after the bench's reads.
                Backend::Sqlite => {
                    std::thread::available_parallelism().map_or(2, |n| n.get() as u32) + 2
                }
                Backend::Postgres => 16,
            })
            // Open connections as they are needed, on the thread that needs them: a pool
            // thread still connecting to PostgreSQL when a one-shot command (`migrate`)
            // exits can crash the process in libpq's teardown (seen as SIGSEGV).
            .min_idle(Some(0))
            // No `SELECT 1` before every use (a round trip per checkout, two per
            // request): a broken connection is found by `has_broken` when returned, and
            // idle ones are closed after ten minutes.
            .test_on_check_out(false)
            .idle_timeout(Some(Duration::from_secs(600)))
            .connection_timeout(Duration::from_secs(10))
            .build(manager)
            .map_err(|e| ConnectError(e.to_string()))?;
        Ok(Self {
            pool,
            backend,
            statements,
            write_lock: Arc::new(Mutex::new(())),
        })
    }

    /// How many SQL statements this pool's connections have run so far.
    pub fn statements(&self) -> u64 {
        self.statements.0.load(Ordering::Relaxed)
    }

    /// How many connections the pool holds at most.
    pub fn pool_size(&self) -> u32 {
        self.pool.max_size()
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A connection for synchronous use (start-up, commands).
    pub fn conn(&self) -> Result<PooledConnection<ConnectionManager>, r2d2::PoolError> {
        self.pool.get()
    }

    /// Applies pending migrations; returns how many ran.
    pub fn migrate(&self) -> Result<usize, ConnectError> {
        let mut conn = self.conn().map_err(|e| ConnectError(e.to_string()))?;
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConnection::Postgresql(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        };
        let applied = applied.map_err(|e| ConnectError(format!("migration failed: {e}")))?;
        crate::search::index::backfill(&mut conn)
            .map_err(|e| ConnectError(format!("filling in search terms failed: {e}")))?;
        Ok(applied)
    }

    /// Runs `f` on a pooled connection in the blocking thread pool.
    pub async fn read<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    {
        if self.inline() {
            let mut conn = self.pool.get()?;
            return f(&mut conn);
        }
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }

    /// Runs `f` in one transaction in the blocking thread pool: it commits when `f`
    /// returns `Ok` and rolls back, changing nothing, when it returns `Err`.
    pub async fn write<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    {
        if self.inline() {
            return self.write_blocking(f);
        }
        let db = self.clone();
        actix_web::web::block(move || db.write_blocking(f)).await?
    }

    /// Whether queries run on the calling thread: SQLite's are function calls into
    /// pages it holds in memory, which cost less than handing them to another thread
    /// and back (PostgreSQL's wait on the network, so they go to the blocking pool).
    fn inline(&self) -> bool {
        self.backend == Backend::Sqlite
    }

    /// The synchronous form of [`Db::write`].
    pub fn write_blocking<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T>,
    {
        let mut conn = self.pool.get()?;
        let _turn = match self.backend {
            Backend::Sqlite => Some(self.write_lock.lock().unwrap_or_else(|p| p.into_inner())),
            Backend::Postgres => None,
        };
        let conn: &mut DbConnection = &mut conn;
        conn.transaction(f)
    }
}

/// A row with a `version` that grows with every change (its `ETag`).
pub trait Versioned {
    /// The current version.
    fn version(&self) -> i32;
}

/// Implements [`Versioned`] for rows with a `version` field.
#[macro_export]
macro_rules! versioned {
    ($($row:ty),+ $(,)?) => {
        $(impl $crate::db::Versioned for $row {
            fn version(&self) -> i32 {
                self.version
            }
        })+
    };
}

/// Runs one diesel expression on the concrete connection of whichever backend this is,
/// for the SQL that diesel's multi-backend cannot express (`ON CONFLICT`): the body is
/// type-checked once per backend.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgresql($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// Writes `$changes` (optional) to `$row` (anything with `id` and `version`) in
/// `$table`, if the row is still at the version it was read at, and moves it to the next
/// version: the version check is part of the writing statement, so of two writers with
/// the same version one gets 412 (0 rows), whatever the database. Evaluates to
/// `ApiResult<()>`.
#[macro_export]
macro_rules! write_versioned {
    ($conn:expr, $table:ident, $row:expr $(, $changes:expr)? $(,)?) => {{
        use diesel::prelude::*;
        use $crate::db::schema::$table as t;
        let (id, version) = (&$row.id, $row.version);
        diesel::update(t::table.filter(t::id.eq(id)).filter(t::version.eq(version)))
            .set(($($changes,)? t::version.eq(version + 1), t::updated_at.eq($crate::db::now())))
            .execute($conn)
            .map_err($crate::error::ApiError::from)
            .and_then(|written| match written {
                0 => Err($crate::error::ApiError::precondition_failed(None)),
                _ => Ok(()),
            })
    }};
}

/// Moves the row `$id` of `$table` to its next version (`$changes` optional, written with
/// it): something under it changed, and sync clients should see it. The caller holds
/// the row locked (or manages it under the version it checked). `ApiResult<()>`.
#[macro_export]
macro_rules! touch {
    ($conn:expr, $table:ident, $id:expr $(, $changes:expr)? $(,)?) => {{
        use diesel::prelude::*;
        use $crate::db::schema::$table as t;
        diesel::update(t::table.find($id))
            .set(($($changes,)? t::version.eq(t::version + 1), t::updated_at.eq($crate::db::now())))
            .execute($conn)
            .map(|_| ())
            .map_err($crate::error::ApiError::from)
    }};
}

/// Locks the row `$id` of `$table` until the transaction ends, so that a read-modify-write
/// cannot interleave with another (PostgreSQL `SELECT … FOR UPDATE`). SQLite needs no
/// lock: it has one writer at a time, and [`Db::write`] takes turns before it begins.
#[macro_export]
macro_rules! lock_row {
    ($conn:expr, $table:ident, $id:expr) => {{
        use diesel::prelude::*;
        match $conn {
            $crate::db::DbConnection::Postgresql(c) => $crate::db::schema::$table::table
                .find($id)
                .select($crate::db::schema::$table::id)
                .for_update()
                .load::<String>(c)
                .map(|_| ()),
            $crate::db::DbConnection::Sqlite(_) => diesel::QueryResult::Ok(()),
        }
    }};
}

/// The current time, truncated to microseconds as both databases store it.
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::microseconds(1)).unwrap_or(now)
}

/// A new time-ordered identifier.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
