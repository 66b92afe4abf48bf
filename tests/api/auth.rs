//! Sign-in, tokens (forged ones too), refresh rotation, sign-out, throttling, and
//! revocation on deactivation and password change.

use crate::common;

use base64::Engine;
use common::{ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, PASSWORD};
use serde_json::json;

fn b64(value: &serde_json::Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

fn forge(claims: serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

db_test! {
    async fn sign_in_gives_a_working_token_pair(app) {
        let res = app.post("/api/v1/auth/token").json(json!({"email": "ADMIN@test.samverkan.se", "password": ADMIN_PASSWORD})).send().await.expect(200);
        assert_eq!(res.json["token_type"], "Bearer");
        assert_eq!(res.json["expires_in"], 900);
        assert!(res.json["refresh_token"].as_str().unwrap().starts_with("smr_"));
        let me = app.get("/api/v1/me").token(res.json["access_token"].as_str().unwrap()).send().await.expect(200);
        assert_eq!(me.json["email"], ADMIN_EMAIL);
        assert_eq!(me.json["role"], "admin");
        assert!(me.json["last_login_at"].is_string());
        assert!(me.json.get("password_hash").is_none() && me.json.get("password").is_none());
        assert_eq!(me.header("cache-control"), Some("no-store"));
    }
}

db_test! {
    async fn wrong_and_unknown_credentials_get_the_same_401(app) {
        let wrong = app.post("/api/v1/auth/token").json(json!({"email": ADMIN_EMAIL, "password": "fel lösenord här"})).send().await.expect(401);
        let unknown = app.post("/api/v1/auth/token").json(json!({"email": "ingen@kommun.se", "password": "fel lösenord här"})).send().await.expect(401);
        assert_eq!(wrong.json, unknown.json);
        app.post("/api/v1/auth/token").json(json!({"email": ADMIN_EMAIL})).send().await.expect(422);
        let events = app.get("/api/v1/audit-events?action=auth.sign_in").token(&app.admin_token).send().await.expect(200);
        let outcomes: Vec<&str> = events.json["data"].as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap()).collect();
        assert_eq!(outcomes, ["success", "failure", "failure"], "every attempt is audited");
    }
}

db_test! {
    async fn forged_and_expired_tokens_are_refused(app) {
        let me = app.get("/api/v1/me").token(&app.admin_token).send().await.expect(200);
        let sub = me.json["id"].as_str().unwrap();
        // The real token's session, so that only the forged part is wrong.
        let payload = app.admin_token.split('.').nth(1).unwrap();
        let claims: serde_json::Value = serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        let now = chrono::Utc::now().timestamp();
        let good = json!({"iss": "samverkan", "aud": "samverkan-api", "sub": sub, "sid": claims["sid"], "iat": now, "exp": now + 600});
        // Sanity: a token we sign ourselves with the right secret works.
        app.get("/api/v1/me").token(&forge(good.clone(), JWT_SECRET)).send().await.expect(200);

        let alg_none = format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), b64(&good));
        let mut wrong_aud = good.clone();
        wrong_aud["aud"] = json!("someone-else");
        let mut wrong_iss = good.clone();
        wrong_iss["iss"] = json!("evil");
        let mut expired = good.clone();
        expired["exp"] = json!(now - 120);
        expired["iat"] = json!(now - 1200);
        let mut no_exp = good.clone();
        no_exp.as_object_mut().unwrap().remove("exp");
        let mut future_iat = good.clone();
        future_iat["iat"] = json!(now + 3600);
        future_iat["exp"] = json!(now + 3600 + 600);
        let mut long_lived = good.clone();
        long_lived["exp"] = json!(now + 365 * 24 * 3600);
        let mut other_user = good.clone();
        other_user["sub"] = json!("019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5b");
        let hs512 = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
            &good,
            &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()),
        ).unwrap();
        let tokens = [
            ("alg none", alg_none),
            ("wrong signature", forge(good.clone(), "another-secret-that-is-32-bytes-long!!")),
            ("wrong aud", forge(wrong_aud, JWT_SECRET)),
            ("wrong iss", forge(wrong_iss, JWT_SECRET)),
            ("expired", forge(expired, JWT_SECRET)),
            ("no exp", forge(no_exp, JWT_SECRET)),
            ("issued in the future", forge(future_iat, JWT_SECRET)),
            ("living longer than issued", forge(long_lived, JWT_SECRET)),
            ("other sub", forge(other_user, JWT_SECRET)),
            ("hs512", hs512),
            ("garbage", "not.a.token".to_string()),
            ("unknown api token", "smv_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_string()),
        ];
        for (what, token) in tokens {
            let res = app.get("/api/v1/me").token(&token).send().await.expect(401);
            assert_eq!(res.header("www-authenticate"), Some("Bearer"), "{what}");
        }
        app.get("/api/v1/me").header("Authorization", "Basic YWRtaW46YWRtaW4=").send().await.expect(401);
        app.get("/api/v1/me").send().await.expect(401);
    }
}

db_test! {
    async fn refresh_rotates_and_reuse_ends_the_session(app) {
        let first = app.post("/api/v1/auth/token").json(json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})).send().await.expect(200);
        let r1 = first.json["refresh_token"].as_str().unwrap().to_string();
        let second = app.post("/api/v1/auth/refresh").json(json!({"refresh_token": r1})).send().await.expect(200);
        let r2 = second.json["refresh_token"].as_str().unwrap().to_string();
        let access2 = second.json["access_token"].as_str().unwrap().to_string();
        assert_ne!(r1, r2);
        app.get("/api/v1/me").token(&access2).send().await.expect(200);

        // r1 again: someone replays a stolen token. The whole session ends.
        app.post("/api/v1/auth/refresh").json(json!({"refresh_token": r1})).send().await.expect(401);
        app.post("/api/v1/auth/refresh").json(json!({"refresh_token": r2})).send().await.expect(401);
        app.get("/api/v1/me").token(&access2).send().await.expect(401);
        // Other sessions live on.
        app.get("/api/v1/me").token(&app.admin_token).send().await.expect(200);
        app.post("/api/v1/auth/refresh").json(json!({"refresh_token": "smr_nonsense"})).send().await.expect(401);
        let events = app.get("/api/v1/audit-events?action=auth.refresh_reuse").token(&app.admin_token).send().await.expect(200);
        assert_eq!(events.json["data"].as_array().unwrap().len(), 1);
    }
}

db_test! {
    async fn logout_ends_the_session(app) {
        let pair = app.post("/api/v1/auth/token").json(json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})).send().await.expect(200);
        let access = pair.json["access_token"].as_str().unwrap().to_string();
        let refresh = pair.json["refresh_token"].as_str().unwrap().to_string();
        app.post("/api/v1/auth/logout").token(&access).send().await.expect(204);
        app.get("/api/v1/me").token(&access).send().await.expect(401);
        app.post("/api/v1/auth/refresh").json(json!({"refresh_token": refresh})).send().await.expect(401);

        // With only the refresh token.
        let pair = app.post("/api/v1/auth/token").json(json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})).send().await.expect(200);
        let access = pair.json["access_token"].as_str().unwrap().to_string();
        app.post("/api/v1/auth/logout").json(json!({"refresh_token": pair.json["refresh_token"]})).send().await.expect(204);
        app.get("/api/v1/me").token(&access).send().await.expect(401);
        app.post("/api/v1/auth/logout").send().await.expect(401);
    }
}

db_test! {
    async fn failed_sign_ins_throttle_the_account(app) {
        let org = app.organization("Tjörns kommun", "municipality").await;
        let (_, _) = app.user("juan@tjorn.se", Some(&org)).await;
        for _ in 0..5 {
            app.post("/api/v1/auth/token").json(json!({"email": "juan@tjorn.se", "password": "fel-lösenord-igen"})).send().await.expect(401);
        }
        // Now even the right password waits.
        let res = app.post("/api/v1/auth/token").json(json!({"email": "juan@tjorn.se", "password": PASSWORD})).send().await.expect(429);
        let retry: i64 = res.header("retry-after").unwrap().parse().unwrap();
        assert!(retry > 0 && retry <= 900, "{retry}");
        // Unknown emails are throttled the same way, so throttling reveals nothing.
        for _ in 0..5 {
            app.post("/api/v1/auth/token").json(json!({"email": "ingen@tjorn.se", "password": "fel-lösenord-igen"})).send().await.expect(401);
        }
        app.post("/api/v1/auth/token").json(json!({"email": "ingen@tjorn.se", "password": "fel-lösenord-igen"})).send().await.expect(429);
        // Other accounts behind the same address still sign in.
        app.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        let events = app.get("/api/v1/audit-events?action=auth.sign_in").token(&app.admin_token).send().await.expect(200);
        assert!(events.json["data"].as_array().unwrap().iter().any(|e| e["outcome"] == "throttled"));
    }
}

db_test! {
    async fn deactivation_and_password_change_end_tokens_at_once(app) {
        let org = app.organization("Ale kommun", "municipality").await;
        let (user, token) = app.user("irene@ale.se", Some(&org)).await;
        let id = user["id"].as_str().unwrap();
        let api = app.post("/api/v1/me/api-tokens").token(&token).json(json!({"name": "sync", "scopes": ["read"]})).send().await.expect(201);
        let api_secret = api.json["token"].as_str().unwrap().to_string();
        app.get("/api/v1/me").token(&api_secret).send().await.expect(200);

        // The user changes their password: old sessions and API tokens stop working.
        app.patch("/api/v1/me").token(&token).json(json!({"password": "ett-nytt-långt-lösenord"})).send().await.expect(422);
        let res = app.patch("/api/v1/me").token(&token).json(json!({"password": "ett-nytt-långt-lösenord", "current_password": "fel"})).send().await.expect(422);
        assert_eq!(res.fields(), ["current_password"]);
        let res = app.patch("/api/v1/me").token(&token).json(json!({"password": "kort", "current_password": PASSWORD})).send().await.expect(422);
        assert_eq!(res.fields(), ["password"]);
        app.patch("/api/v1/me").token(&token).json(json!({"password": "ett-nytt-långt-lösenord", "current_password": PASSWORD})).send().await.expect(200);
        app.get("/api/v1/me").token(&token).send().await.expect(401);
        app.get("/api/v1/me").token(&api_secret).send().await.expect(401);
        app.post("/api/v1/auth/token").json(json!({"email": "irene@ale.se", "password": PASSWORD})).send().await.expect(401);
        let token = app.sign_in("irene@ale.se", "ett-nytt-långt-lösenord").await;

        // An admin deactivates the account: the token stops at once, sign-in fails.
        app.delete(&format!("/api/v1/users/{id}")).token(&app.admin_token).send().await.expect(204);
        app.get("/api/v1/me").token(&token).send().await.expect(401);
        app.post("/api/v1/auth/token").json(json!({"email": "irene@ale.se", "password": "ett-nytt-långt-lösenord"})).send().await.expect(401);
        let user = app.get(&format!("/api/v1/users/{id}")).token(&app.admin_token).send().await.expect(200);
        assert_eq!(user.json["active"], false, "deactivated, not removed");

        // An admin password reset ends sessions too.
        app.patch(&format!("/api/v1/users/{id}")).token(&app.admin_token).json(json!({"active": true})).send().await.expect(200);
        let token = app.sign_in("irene@ale.se", "ett-nytt-långt-lösenord").await;
        app.patch(&format!("/api/v1/users/{id}")).token(&app.admin_token).json(json!({"password": "admin-satt-lösenord"})).send().await.expect(200);
        app.get("/api/v1/me").token(&token).send().await.expect(401);
        app.sign_in("irene@ale.se", "admin-satt-lösenord").await;
    }
}

db_test! {
    async fn api_tokens_are_shown_once_scoped_and_revocable(app) {
        let org = app.organization("Stenungsunds kommun", "municipality").await;
        let (_, token) = app.user("robert@stenungsund.se", Some(&org)).await;
        let read = app.post("/api/v1/me/api-tokens").token(&token)
            .json(json!({"name": "Intranätets kalender", "scopes": ["read"], "expires_at": "2099-01-01T00:00:00Z"}))
            .send().await.expect(201);
        let read_secret = read.json["token"].as_str().unwrap().to_string();
        assert!(read_secret.starts_with("smv_"));
        assert_eq!(read_secret.len(), 4 + 43, "32 random bytes, base64url");
        assert_eq!(read.json["scopes"], json!(["read"]));
        assert!(read.header("location").unwrap().ends_with(read.json["id"].as_str().unwrap()));

        // Reads work, writes get 403, and the token cannot mint more tokens.
        app.get("/api/v1/organizations").token(&read_secret).send().await.expect(200);
        app.patch("/api/v1/me").token(&read_secret).json(json!({"display_name": "X"})).send().await.expect(403);
        app.post("/api/v1/me/api-tokens").token(&read_secret).json(json!({"name": "x", "scopes": ["read"]})).send().await.expect(403);

        let write = app.post("/api/v1/me/api-tokens").token(&token).json(json!({"name": "BI-export", "scopes": ["write"]})).send().await.expect(201);
        let write_secret = write.json["token"].as_str().unwrap().to_string();
        assert_eq!(write.json["scopes"], json!(["read", "write"]));
        app.patch("/api/v1/me").token(&write_secret).json(json!({"display_name": "Robert Rydqvist"})).send().await.expect(200);
        app.post("/api/v1/me/api-tokens").token(&write_secret).json(json!({"name": "x", "scopes": ["read"]})).send().await.expect(403);

        let list = app.get("/api/v1/me/api-tokens").token(&token).send().await.expect(200);
        let items = list.json["data"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert!(!list.text.contains(&read_secret) && !list.text.contains(&write_secret), "no secret in lists");
        assert!(items.iter().all(|t| t.get("token").is_none()));
        let used = items.iter().find(|t| t["name"] == "Intranätets kalender").unwrap();
        assert!(used["last_used_at"].is_string(), "last_used_at is recorded");

        let bad = app.post("/api/v1/me/api-tokens").token(&token).json(json!({"name": "", "scopes": ["admin"], "expires_at": "2001-01-01T00:00:00Z"})).send().await.expect(422);
        let mut fields = bad.fields();
        fields.sort();
        assert_eq!(fields, ["expires_at", "name", "scopes[0]"]);

        let id = read.json["id"].as_str().unwrap();
        app.delete(&format!("/api/v1/me/api-tokens/{id}")).token(&token).send().await.expect(204);
        app.get("/api/v1/organizations").token(&read_secret).send().await.expect(401);
        app.delete(&format!("/api/v1/me/api-tokens/{id}")).token(&token).send().await.expect(404);
        // Someone else's token is not yours to see or revoke.
        let write_id = write.json["id"].as_str().unwrap();
        app.delete(&format!("/api/v1/me/api-tokens/{write_id}")).token(&app.admin_token).send().await.expect(404);

        // Secrets are stored only as hashes.
        let secret = write_secret.clone();
        let stored: Vec<String> = app.db.read(move |conn| {
            use diesel::prelude::*;
            use samverkan::db::schema::api_tokens;
            Ok(api_tokens::table.select(api_tokens::token_hash).load::<String>(conn)?)
        }).await.unwrap();
        assert!(stored.iter().all(|h| h.len() == 64 && *h != secret));
    }
}

db_test! {
    async fn expired_api_tokens_stop_working(app) {
        let secret = "smv_expiredexpiredexpiredexpiredexpiredexpir";
        let me = app.get("/api/v1/me").token(&app.admin_token).send().await.expect(200);
        let user_id = me.json["id"].as_str().unwrap().to_string();
        app.db.write(move |conn| {
            use diesel::prelude::*;
            use samverkan::db::schema::api_tokens;
            diesel::insert_into(api_tokens::table).values((
                api_tokens::id.eq(samverkan::db::new_id()),
                api_tokens::user_id.eq(user_id),
                api_tokens::name.eq("gammal"),
                api_tokens::token_hash.eq(samverkan::secrets::hash_secret(secret)),
                api_tokens::token_prefix.eq("smv_expire"),
                api_tokens::scopes.eq("read"),
                api_tokens::expires_at.eq(Some(samverkan::db::now() - chrono::TimeDelta::minutes(1))),
                api_tokens::created_at.eq(samverkan::db::now()),
            )).execute(conn)?;
            Ok(())
        }).await.unwrap();
        app.get("/api/v1/me").token(secret).send().await.expect(401);
    }
}

db_test! {
    async fn passwords_are_stored_as_argon2id(app) {
        let hashes: Vec<String> = app.db.read(|conn| {
            use diesel::prelude::*;
            use samverkan::db::schema::users;
            Ok(users::table.select(users::password_hash).load::<String>(conn)?)
        }).await.unwrap();
        assert_eq!(hashes.len(), 1);
        assert!(hashes[0].starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", hashes[0]);
        assert!(!hashes[0].contains(ADMIN_PASSWORD));
    }
}

db_test! {
    async fn one_address_has_a_looser_limit_of_its_own(app) {
        let limit = samverkan::models::login::ADDRESS_LIMIT;
        assert!(limit > samverkan::models::login::ACCOUNT_LIMIT * 10, "a municipality shares one address");
        // Many people behind one address each mistype once or twice: no one is throttled...
        for i in 0..limit {
            app.post("/api/v1/auth/token")
                .json(json!({"email": format!("person{i}@kommun.se"), "password": "fel-lösenord-igen"}))
                .send().await.expect(401);
        }
        // ...until the address as a whole has failed `limit` times within the window.
        let res = app.post("/api/v1/auth/token").json(json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})).send().await.expect(429);
        assert!(res.header("retry-after").is_some());
    }
}

db_test! {
    async fn concurrent_wrong_sign_ins_verify_at_most_the_limit(app) {
        let org = app.organization("Orusts kommun", "municipality").await;
        app.user("anna@orust.se", Some(&org)).await;
        // 30 guesses at once: checking the count and counting the attempt are one step,
        // so no more than the limit of them gets a password verified (401); the rest wait.
        let guesses = (0..30).map(|i| {
            app.post("/api/v1/auth/token")
                .json(json!({"email": "anna@orust.se", "password": format!("gissning-nummer-{i}")}))
                .send()
        });
        let results = futures_util::future::join_all(guesses).await;
        let statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
        let verified = statuses.iter().filter(|s| **s == 401).count();
        let refused = statuses.iter().filter(|s| **s == 429).count();
        assert_eq!(verified + refused, 30, "{statuses:?}");
        assert!(verified <= samverkan::models::login::ACCOUNT_LIMIT as usize, "{verified} passwords verified: {statuses:?}");
        app.post("/api/v1/auth/token").json(json!({"email": "anna@orust.se", "password": PASSWORD})).send().await.expect(429);
    }
}

db_test! {
    async fn a_reactivated_account_needs_new_api_tokens(app) {
        let org = app.organization("Lilla Edets kommun", "municipality").await;
        let (user, token) = app.user("maria@lillaedet.se", Some(&org)).await;
        let id = user["id"].as_str().unwrap();
        let api = app.post("/api/v1/me/api-tokens").token(&token).json(json!({"name": "sync", "scopes": ["read"]})).send().await.expect(201);
        let secret = api.json["token"].as_str().unwrap().to_string();
        app.get("/api/v1/me").token(&secret).send().await.expect(200);
        app.delete(&format!("/api/v1/users/{id}")).token(&app.admin_token).send().await.expect(204);
        app.get("/api/v1/me").token(&secret).send().await.expect(401);
        app.patch(&format!("/api/v1/users/{id}")).token(&app.admin_token).json(json!({"active": true})).send().await.expect(200);
        app.get("/api/v1/me").token(&secret).send().await.expect(401);
        let list = app.get("/api/v1/me/api-tokens").token(&app.sign_in("maria@lillaedet.se", PASSWORD).await).send().await.expect(200);
        assert_eq!(list.json["data"], json!([]), "deactivation revoked the token for good");
    }
}

db_test! {
    async fn refreshes_are_audited(app) {
        let res = app.post("/api/v1/auth/token").json(json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})).send().await.expect(200);
        let refresh = res.json["refresh_token"].as_str().unwrap();
        app.post("/api/v1/auth/refresh").json(json!({"refresh_token": refresh})).send().await.expect(200);
        app.post("/api/v1/auth/refresh").json(json!({"refresh_token": refresh})).send().await.expect(401);
        let events = app.get("/api/v1/audit-events?action=auth.refresh").token(&app.admin_token).send().await.expect(200);
        let events = events.json["data"].as_array().unwrap();
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0]["outcome"], "success");
        assert_eq!(events[0]["resource_type"], "session");
        let reuse = app.get("/api/v1/audit-events?action=auth.refresh_reuse").token(&app.admin_token).send().await.expect(200);
        assert_eq!(reuse.json["data"][0]["outcome"], "revoked");
    }
}

db_test! {
    async fn a_retried_token_create_is_replayed_without_its_secret(app) {
        let org = app.organization("Kungälvs kommun", "municipality").await;
        let (_, token) = app.user("ali@kungalv.se", Some(&org)).await;
        let body = json!({"name": "Intranätets kalender", "scopes": ["read"]});
        let first = app.post("/api/v1/me/api-tokens").token(&token).header("Idempotency-Key", "tok-1").json(body.clone()).send().await.expect(201);
        assert!(first.json["token"].as_str().unwrap().starts_with("smv_"));
        let again = app.post("/api/v1/me/api-tokens").token(&token).header("Idempotency-Key", "tok-1").json(body).send().await.expect(201);
        assert_eq!(again.header("idempotent-replayed"), Some("true"));
        assert_eq!(again.json["id"], first.json["id"]);
        assert_eq!(again.json["token"], serde_json::Value::Null, "the secret is never kept");
        assert_eq!(again.header("location"), first.header("location"));
        let list = app.get("/api/v1/me/api-tokens").token(&token).send().await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1, "one token, not two");
        let stored: Vec<String> = app.db.read(|conn| {
            use diesel::prelude::*;
            use samverkan::db::schema::idempotency_keys;
            Ok(idempotency_keys::table.select(idempotency_keys::body).load::<String>(conn)?)
        }).await.unwrap();
        let secret = first.json["token"].as_str().unwrap();
        assert!(stored.iter().all(|b| !b.contains(secret)), "no secret at rest: {stored:?}");
    }
}
