//! Typed configuration read from the environment, with zero-setup defaults.

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine;

use crate::secrets::Secret;

/// A configuration value that is present but wrong; names the variable.
#[derive(Debug)]
pub struct ConfigError {
    /// The environment variable at fault.
    pub variable: &'static str,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.variable, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: Secret,
    /// Address and port to listen on.
    pub bind: String,
    /// Where the SQLite file and the generated JWT secret live.
    pub data_dir: PathBuf,
    /// HS256 key for access tokens, at least 32 bytes.
    pub jwt_secret: Secret,
    /// First admin of an empty database.
    pub admin_email: Option<String>,
    /// Password of the first admin.
    pub admin_password: Option<Secret>,
    /// Origins allowed to call the API from a browser; empty means none.
    pub cors_origins: Vec<String>,
}

const MIN_SECRET_BYTES: usize = 32;

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, which maps a variable name to its value.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let data_dir =
            PathBuf::from(get("SAMVERKAN_DATA_DIR").unwrap_or_else(|| "./data/server".into()));
        let database_url = match get("DATABASE_URL") {
            Some(url) => {
                crate::db::Backend::from_url(&url).map_err(|message| ConfigError {
                    variable: "DATABASE_URL",
                    message,
                })?;
                url
            }
            None => format!("sqlite://{}", data_dir.join("samverkan.db").display()),
        };
        let bind = get("SAMVERKAN_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        if bind.parse::<std::net::SocketAddr>().is_err() && !bind.contains(':') {
            return Err(ConfigError {
                variable: "SAMVERKAN_BIND",
                message: format!("expected host:port, got {bind:?}"),
            });
        }
        let jwt_secret = match get("SAMVERKAN_JWT_SECRET") {
            Some(secret) if secret.len() >= MIN_SECRET_BYTES => Secret::new(secret),
            Some(_) => {
                return Err(ConfigError {
                    variable: "SAMVERKAN_JWT_SECRET",
                    message: format!("must be at least {MIN_SECRET_BYTES} bytes"),
                });
            }
            None => load_or_create_secret(&data_dir).map_err(|e| ConfigError {
                variable: "SAMVERKAN_DATA_DIR",
                message: format!("cannot keep the generated JWT secret there: {e}"),
            })?,
        };
        let admin_email = get("SAMVERKAN_ADMIN_EMAIL");
        if let Some(email) = &admin_email
            && !crate::validation::is_email(email)
        {
            return Err(ConfigError {
                variable: "SAMVERKAN_ADMIN_EMAIL",
                message: "is not an email address".into(),
            });
        }
        let admin_password = get("SAMVERKAN_ADMIN_PASSWORD").map(Secret::new);
        if let Some(password) = &admin_password
            && let Err(message) = crate::secrets::password::check_strength(password.expose())
        {
            return Err(ConfigError {
                variable: "SAMVERKAN_ADMIN_PASSWORD",
                message,
            });
        }
        let cors_origins = get("SAMVERKAN_CORS_ORIGINS")
            .map(|v| {
                v.split(',')
                    .map(|o| o.trim().trim_end_matches('/').to_string())
                    .filter(|o| !o.is_empty())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for origin in &cors_origins {
            if !(origin.starts_with("http://") || origin.starts_with("https://")) {
                return Err(ConfigError {
                    variable: "SAMVERKAN_CORS_ORIGINS",
                    message: format!("{origin:?} is not an http(s) origin"),
                });
            }
        }
        Ok(Self {
            database_url: Secret::new(database_url),
            bind,
            data_dir,
            jwt_secret,
            admin_email,
            admin_password,
            cors_origins,
        })
    }
}

/// Reads `jwt_secret` from the data directory, creating it (mode 0600) the first time.
fn load_or_create_secret(data_dir: &Path) -> std::io::Result<Secret> {
    crate::secrets::private_dir(data_dir)?;
    let path = data_dir.join("jwt_secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_string();
        if existing.len() >= MIN_SECRET_BYTES {
            return Ok(Secret::new(existing));
        }
    }
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(crate::secrets::random_bytes::<48>());
    use std::io::Write;
    let mut file = crate::secrets::private_file(&path, true)?;
    file.write_all(secret.as_bytes())?;
    Ok(Secret::new(secret))
}

#[cfg(test)]
mod tests {
    use super::Config;

    /// The default data directory is one the server creates itself (0700), not the
    /// checkout's `data/`, which git creates with the demo bundle in it (0755).
    #[test]
    fn the_default_data_dir_is_the_servers_own() {
        let config = Config::from_lookup(|_| None).expect("defaults");
        assert_eq!(config.data_dir, std::path::Path::new("./data/server"));
        let tracked = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        assert!(tracked.exists(), "the demo bundle is in data/demo");
        assert!(
            !config.data_dir.ends_with("data"),
            "data/ holds tracked files"
        );
    }
}
