//! Start-up tasks: the first admin of an empty database, and `create-admin`.

use crate::config::Config;
use crate::db::Db;
use crate::error::ApiResult;
use crate::models::audit::{self, Actor};
use crate::models::user::{self, NewUser, Role};
use crate::secrets::Secret;
use crate::secrets::password;

/// The email of the first admin when `SAMVERKAN_ADMIN_EMAIL` is not set.
pub const DEFAULT_ADMIN_EMAIL: &str = "admin@samverkan.local";

/// How the first admin came about, for the start-up message.
#[derive(Debug)]
pub enum FirstAdmin {
    /// An admin existed already.
    Exists,
    /// Created with the configured password.
    Created { email: String },
    /// Created with a generated password, to be shown once.
    Generated { email: String, password: Secret },
}

/// Creates the first admin if the database has none.
pub fn ensure_first_admin(db: &Db, config: &Config) -> ApiResult<FirstAdmin> {
    let email = config
        .admin_email
        .clone()
        .unwrap_or_else(|| DEFAULT_ADMIN_EMAIL.to_string());
    let (password, generated) = match &config.admin_password {
        Some(p) => (p.clone(), false),
        None => (Secret::new(generate_password()), true),
    };
    let hash = password::hash(password.expose());
    let created = db.write_blocking(|conn| {
        if user::any_admin(conn)? {
            return Ok(false);
        }
        create(conn, &email, hash)?;
        Ok(true)
    })?;
    Ok(match (created, generated) {
        (false, _) => FirstAdmin::Exists,
        (true, false) => FirstAdmin::Created { email },
        (true, true) => FirstAdmin::Generated { email, password },
    })
}

/// Creates an admin account (the `create-admin` command).
pub fn create_admin(db: &Db, email: &str, password: &Secret) -> ApiResult<()> {
    let hash = password::hash(password.expose());
    db.write_blocking(|conn| create(conn, email, hash))
}

fn create(conn: &mut crate::db::DbConnection, email: &str, password_hash: String) -> ApiResult<()> {
    let admin = user::create(
        conn,
        NewUser {
            email: email.to_lowercase(),
            display_name: "Administratör".into(),
            role: Role::Admin,
            organization_id: None,
            person_id: None,
            password_hash,
        },
    )?;
    audit::record(
        conn,
        &Actor::default(),
        "user.create_admin",
        "user",
        Some(&admin.id),
        "success",
    )
}

fn generate_password() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(crate::secrets::random_bytes::<18>())
}
