//! The binary as an operator uses it: subcommands, configuration errors, the first
//! admin, graceful shutdown, and logs that never carry secrets.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use common::{Backend, FreshDatabase};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_samverkan");

fn samverkan(db: &FreshDatabase) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db.url)
        .env("SAMVERKAN_DATA_DIR", db.dir.path());
    cmd
}

#[test]
fn help_lists_the_commands() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for command in ["serve", "migrate", "create-admin", "openapi"] {
        assert!(text.contains(command), "{command} in --help");
    }
    let out = Command::new(BIN)
        .args(["create-admin", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("--email"));
}

#[test]
fn bad_configuration_names_the_variable() {
    let db = FreshDatabase::new(Backend::Sqlite).unwrap();
    for (variable, value) in [
        ("SAMVERKAN_JWT_SECRET", "too-short"),
        ("DATABASE_URL", "mysql://localhost/samverkan"),
        ("SAMVERKAN_BIND", "nonsense"),
        ("SAMVERKAN_CORS_ORIGINS", "app.example.se"),
        ("SAMVERKAN_ADMIN_PASSWORD", "kort"),
        ("SAMVERKAN_ADMIN_EMAIL", "admin"),
    ] {
        let out = samverkan(&db)
            .arg("migrate")
            .env(variable, value)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{variable}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(variable), "{variable}: {stderr}");
        assert!(
            !stderr.contains(value) || variable != "SAMVERKAN_ADMIN_PASSWORD",
            "no password echoed"
        );
    }
}

#[test]
fn a_wrong_postgres_password_is_reported_as_itself() {
    let Some(db) = FreshDatabase::new(Backend::Postgres) else {
        return;
    };
    let url = db.url.clone();
    let (scheme_user, rest) = url.split_once('@').unwrap();
    let (scheme, user_pass) = scheme_user.split_at(scheme_user.find("//").unwrap() + 2);
    let user = user_pass.split(':').next().unwrap();
    let wrong = format!("{scheme}{user}:wrong-password@{rest}");
    let out = samverkan(&db)
        .arg("migrate")
        .env("DATABASE_URL", &wrong)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("password authentication failed"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("wrong-password"),
        "the URL's password is not printed"
    );
}

db_test! {
    async fn migrate_and_create_admin(app) {
        // The app's backend names which database this variant runs the binary on.
        let db = FreshDatabase::new(app.backend).expect("the app's backend is available");
        {
            for _ in 0..2 {
                let out = samverkan(&db).arg("migrate").output().unwrap();
                assert!(
                    out.status.success(),
                    "{:?}\nstdout: {}\nstderr: {}",
                    out.status,
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            // Password from stdin.
            let mut child = samverkan(&db)
                .args(["create-admin", "--email", "Cecilia.Axelsson@goteborgsregionen.se"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all("ett-långt-adminlösenord\n".as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            // Password from the environment; a second account with the same email is refused.
            let out = samverkan(&db)
                .args(["create-admin", "--email", "cecilia.axelsson@goteborgsregionen.se"])
                .env("SAMVERKAN_ADMIN_PASSWORD", "ett-annat-långt-lösenord")
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1));
            let out = samverkan(&db)
                .args(["create-admin", "--email", "nicholas@goteborgsregionen.se"])
                .env("SAMVERKAN_ADMIN_PASSWORD", "ett-annat-långt-lösenord")
                .output()
                .unwrap();
            assert!(out.status.success());
            let target = samverkan::db::Db::connect(&db.url).unwrap();
            let admins = target
                .write_blocking(|conn| {
                    use diesel::prelude::*;
                    use samverkan::db::schema::users;
                    Ok(users::table
                        .filter(users::role.eq("admin"))
                        .select((users::email, users::password_hash))
                        .order(users::email.asc())
                        .load::<(String, String)>(conn)?)
                })
                .unwrap();
            assert_eq!(admins.len(), 2);
            assert_eq!(admins[0].0, "cecilia.axelsson@goteborgsregionen.se");
            assert!(samverkan::secrets::password::verify("ett-långt-adminlösenord", &admins[0].1));
        }
    }
}

/// Starts `samverkan serve`, returns the child, its address and the lines printed so far.
fn serve(db: &FreshDatabase) -> (std::process::Child, String, Vec<String>) {
    let mut child = samverkan(db)
        .env("SAMVERKAN_BIND", "127.0.0.1:0")
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    let mut address = None;
    // The first admin's lines come first; the docs line is the last of the banner.
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(rest) = line.trim().strip_prefix("Samverkan listens on ") {
            address = Some(rest.to_string());
        }
        lines.push(line.trim().to_string());
        if line.starts_with("API docs") {
            break;
        }
    }
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = stdout.read_to_string(&mut rest);
    });
    (
        child,
        address.expect("the server prints its address"),
        lines,
    )
}

db_test! {
    async fn serve_prints_the_first_admin_shuts_down_gracefully_and_logs_no_secrets(app) {
        // The app's backend names which database this variant runs the binary on.
        let db = FreshDatabase::new(app.backend).expect("the app's backend is available");
        {
            let (mut child, base, lines) = serve(&db);
            let password = lines
                .iter()
                .find_map(|l| l.strip_prefix("One-time password (shown only now): "))
                .expect("a one-time password is printed")
                .to_string();
            assert!(lines.iter().any(|l| l.contains("/docs/")), "the docs URL is printed");
            let client = awc::Client::default();
            let mut res = client
                .post(format!("{base}/api/v1/auth/token"))
                .send_json(&json!({"email": "admin@samverkan.local", "password": password}))
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            let tokens: Value = res.json().await.unwrap();
            let access = tokens["access_token"].as_str().unwrap().to_string();
            let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
            let res = client
                .get(format!("{base}/api/v1/organizations?token={access}"))
                .insert_header(("Authorization", format!("Bearer {access}")))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            let res = client
                .post(format!("{base}/api/v1/auth/token"))
                .send_json(&json!({"email": "admin@samverkan.local", "password": "hemligt-fel-lösenord"}))
                .await
                .unwrap();
            assert_eq!(res.status(), 401);

            // SIGTERM: a graceful stop with exit status 0.
            let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
            assert!(status.success());
            let exit = child.wait().unwrap();
            assert!(exit.success(), "graceful shutdown exits 0: {exit:?}");
            let mut stderr = String::new();
            child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
            assert!(stderr.contains("GET /api/v1/organizations 200"), "access log: {stderr}");
            for secret in [&access, &refresh, &password, &"hemligt-fel-lösenord".to_string()] {
                assert!(!stderr.contains(secret.as_str()), "a secret reached the log");
            }
            assert!(!stderr.contains("token="), "query strings stay out of the log");

            // A second start on the same database prints no new password.
            let (mut child, _, lines) = serve(&db);
            assert!(!lines.iter().any(|l| l.starts_with("One-time")));
            Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
            child.wait().unwrap();
        }
    }
}
