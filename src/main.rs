//! The `samverkan` binary: read config, init logging, open the database, migrate, serve.

use std::io::BufRead;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpServer;
use clap::{Parser, Subcommand};

use samverkan::app::{self, AppState};
use samverkan::auth::TokenKeys;
use samverkan::config::Config;
use samverkan::db::Db;
use samverkan::secrets::Secret;
use samverkan::secrets::password;
use samverkan::setup::{self, FirstAdmin};

/// Samverkan: the shared record of how municipal social services work together.
///
/// Configuration comes from the environment: DATABASE_URL, SAMVERKAN_BIND,
/// SAMVERKAN_DATA_DIR, SAMVERKAN_JWT_SECRET, SAMVERKAN_ADMIN_EMAIL,
/// SAMVERKAN_ADMIN_PASSWORD, SAMVERKAN_CORS_ORIGINS, RUST_LOG.
#[derive(Parser)]
#[command(name = "samverkan", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the API (the default).
    Serve {
        /// Load the demo bundle first: the five seed documents (data/demo/seeds.json).
        /// Loading it again changes nothing.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an admin account; the password comes from SAMVERKAN_ADMIN_PASSWORD or stdin.
    CreateAdmin {
        /// The admin's email address.
        #[arg(long)]
        email: String,
    },
    /// Print the OpenAPI document the server serves.
    Openapi,
    /// Import a bundle file (the README's "Bundle format") in one transaction: all of
    /// it, or nothing and every problem named.
    Import {
        /// The bundle, a JSON file.
        file: std::path::PathBuf,
    },
    /// Write the record as a bundle to standard output.
    Export {
        /// Only this network (its id) and what belongs to it.
        #[arg(long)]
        network: Option<String>,
    },
}

fn main() -> ExitCode {
    tune_malloc();
    let cli = Cli::parse();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    if let Some(Command::Openapi) = cli.command {
        println!(
            "{}",
            serde_json::to_string_pretty(&app::openapi_document()).unwrap_or_default()
        );
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let db = match Db::connect(config.database_url.expose())
        .and_then(|db| db.migrate().map(|n| (db, n)))
    {
        Ok((db, applied)) => {
            if applied > 0 {
                log::info!("applied {applied} migration(s)");
            }
            db
        }
        Err(e) => {
            eprintln!("database error: {e}");
            return ExitCode::from(1);
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => load_demo(&db, demo).and_then(|()| serve(config, db)),
        Command::Import { file } => {
            samverkan::bundle::local::import_file(&db, &file).map(|report| {
                println!(
                    "imported {}: {} created, {} updated, {} unchanged",
                    file.display(),
                    report.created,
                    report.updated,
                    report.unchanged
                );
            })
        }
        Command::Export { network } => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
            samverkan::bundle::local::export_to(&db, network, &mut out)
        }
        Command::Migrate => {
            println!("migrations are up to date");
            Ok(())
        }
        Command::CreateAdmin { email } => create_admin(&config, &db, &email),
        Command::Openapi => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
    }
}

fn load_demo(db: &Db, demo: bool) -> Result<(), String> {
    if demo {
        let report = samverkan::bundle::local::import_demo(db)
            .map_err(|e| format!("cannot load the demo: {e}"))?;
        log::info!(
            "demo loaded: {} created, {} updated, {} unchanged",
            report.created,
            report.updated,
            report.unchanged
        );
    }
    Ok(())
}

fn create_admin(config: &Config, db: &Db, email: &str) -> Result<(), String> {
    if !samverkan::validation::is_email(email) {
        return Err(format!("{email:?} is not an email address"));
    }
    let password = match &config.admin_password {
        Some(p) => p.clone(),
        None => {
            eprintln!(
                "password (at least {} characters), then Enter:",
                password::MIN_LENGTH
            );
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            Secret::new(line.trim_end_matches(['\r', '\n']))
        }
    };
    password::check_strength(password.expose()).map_err(|m| format!("password {m}"))?;
    setup::create_admin(db, email, &password)
        .map_err(|e| format!("cannot create the admin: {e}"))?;
    println!("admin {email} created");
    Ok(())
}

/// Keeps every active meeting series planned eight weeks ahead, hourly.
fn spawn_series_materializer(db: Db) {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(Duration::from_secs(3600));
        loop {
            interval.tick().await;
            let today = chrono::Utc::now().date_naive();
            // On the blocking pool: planning every series may take a while, and an
            // SQLite query would otherwise run on this worker (see `Db::read`).
            let db = db.clone();
            let planned = actix_web::web::block(move || {
                db.write_blocking(|conn| samverkan::models::planning::plan_all(conn, today))
            })
            .await;
            match planned {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => log::info!("planned {n} meeting(s) of recurring series"),
                Ok(Err(e)) => log::warn!("planning recurring meetings failed: {e}"),
                Err(e) => log::warn!("planning recurring meetings failed: {e}"),
            }
        }
    });
}

/// Two malloc arenas instead of glibc's default of eight per core. Each thread that
/// allocates under contention gets an arena of its own and keeps what it freed there:
/// with the workers and the blocking threads, the peak RSS of the bench's reads on
/// SQLite went from 118 MB to 79 MB, requests per second within the noise of the runs.
///
/// And a fixed mmap threshold of 1 MiB: every sign-in hashes with argon2's 19 MiB of
/// memory, and glibc's default threshold moves up past any block once it is freed, so
/// from the second sign-in on the 19 MiB came from the heap, which kept them (the
/// bench's peak RSS grew by 20 MB with each sign-in, to 173 MB). Blocks of a mebibyte
/// and more are now mapped and given back when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
    const M_ARENA_MAX: std::ffi::c_int = -8;
    unsafe extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    // SAFETY: glibc's mallopt, called first thing in main, before any thread starts;
    // it only sets tuning parameters (from glibc's malloc.h).
    unsafe {
        mallopt(M_ARENA_MAX, 2);
        mallopt(M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

#[actix_web::main]
async fn serve(config: Config, db: Db) -> Result<(), String> {
    let first_admin = setup::ensure_first_admin(&db, &config)
        .map_err(|e| format!("cannot create the first admin: {e}"))?;
    spawn_series_materializer(db.clone());
    // Every query runs on a blocking thread holding a pooled connection: more threads
    // than connections only wait for one (waking and sleeping, each with its own
    // malloc arena), so the workers share as many threads as the pool has connections.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let blocking_threads = (db.pool_size() as usize).div_ceil(workers).max(2);
    let state = AppState {
        db,
        keys: Arc::new(TokenKeys::new(&config.jwt_secret)),
        cors_origins: config.cors_origins.clone(),
    };
    let server = HttpServer::new(move || app::build(state.clone()))
        .workers(workers)
        .worker_max_blocking_threads(blocking_threads)
        .client_request_timeout(Duration::from_secs(15))
        .client_disconnect_timeout(Duration::from_secs(5))
        .keep_alive(Duration::from_secs(75))
        .shutdown_timeout(30)
        .bind(&config.bind)
        .map_err(|e| format!("cannot listen on {} (SAMVERKAN_BIND): {e}", config.bind))?;
    let address = server
        .addrs()
        .first()
        .map(|a| a.to_string())
        .unwrap_or_else(|| config.bind.clone());
    match first_admin {
        FirstAdmin::Exists => {}
        FirstAdmin::Created { email } => {
            println!(
                "First admin created: {email} with the password from SAMVERKAN_ADMIN_PASSWORD"
            );
        }
        FirstAdmin::Generated { email, password } => {
            println!("First admin created: {email}");
            println!("One-time password (shown only now): {}", password.expose());
            println!(
                "Sign in: curl -X POST http://{address}/api/v1/auth/token -H 'Content-Type: application/json' -d '{{\"email\":\"{email}\",\"password\":\"…\"}}'"
            );
        }
    }
    println!("Samverkan listens on http://{address}");
    println!("API docs: http://{address}/docs/   contract: http://{address}/openapi.json");
    server.run().await.map_err(|e| format!("server error: {e}"))
}
